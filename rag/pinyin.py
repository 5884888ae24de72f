"""Chinese names an English question spells in pinyin (Tan Wangsong, Qingshi): their syllables, and the characters
a corpus could write them with (CC-CEDICT's readings, the dictionary rag/lexicon.py reads).

An English speaker names a Chinese person or place by its romanisation, which no gloss translates: without this,
such a name is an English word a Chinese corpus never holds, and neither finds its passage nor tells that the corpus
lacks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import cedict_path, lexicon
from .text import STOPWORDS, SURNAMES, cached_in_temp

_ENTRY = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /")
_SYLLABLE = re.compile(r"^([a-z]+?)(u:)?([a-z]*?)[1-5]$")
# Readings no name is spelled with (interjections, a lone vowel): they would read ordinary words as names (Lola).
_NOT_IN_NAMES = frozenset({"a", "e", "o", "lo", "yo", "m", "n", "ng", "hm", "hng", "r"})
_WORD = re.compile(r"[A-Za-zÜü][A-Za-zÜü'’-]*?(?=['’]s\b|[^A-Za-zÜü'’-]|$)")  # a possessive's 's is no syllable
_FORMAT = 4  # of the cached tables: raise it when _read changes
MAX_SPELLINGS = 3  # a name read as more strings of the corpus than this names nothing in particular
_LONGEST = 6  # letters of the longest syllable (zhuang, shuang)


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, list[str]]]:
    """The readings and the surnames' sounds, read from CC-CEDICT once (cached beside jieba's cache)."""
    src = cedict_path()
    return cached_in_temp(f"rag-pinyin-{_FORMAT}-{src.stat().st_size}.marshal", lambda: _read(src.read_text(
        encoding="utf-8")))


def readings() -> dict[str, list[str]]:
    """Each toneless syllable (ü written u and v, as English texts do) -> the simplified characters read so."""
    return _tables()["readings"]


def surname_sounds() -> frozenset[str]:
    """How the commonest surnames (text.SURNAMES) read as surnames (单 is Shan, not dan)."""
    return frozenset(_tables()["surnames"])


def _read(text: str) -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, None]] = {}
    surnames: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        chars, sounds = m.group(1), m.group(2).lower().split()
        if len(chars) != len(sounds):
            continue  # letters or punctuation in the headword: its syllables do not line up with its characters
        for ch, sound in zip(chars, sounds):
            s = _SYLLABLE.match(sound)
            if not s or not "\u4e00" <= ch <= "\u9fff":
                continue
            head, umlaut, tail = s.groups()
            for syllable in ((head + v + tail for v in ("u", "v")) if umlaut else (head + tail,)):
                table.setdefault(syllable, {})[ch] = None
                if chars in SURNAMES and "/surname " in line:
                    surnames[syllable] = []
    return {"readings": {s: list(chars) for s, chars in table.items() if s not in _NOT_IN_NAMES},
            "surnames": surnames}


def syllables(word: str) -> tuple[str, ...] | None:
    """The word cut into pinyin syllables (wangsong -> wang song; an apostrophe parts two: xi'an), or None."""
    table = readings()
    parts: list[str] = []
    for piece in re.split(r"['’-]", word.lower().replace("ü", "v")):
        cut = _cut(piece, table)
        if cut is None:
            return None
        parts += cut
    return tuple(parts) or None


def _cut(word: str, table: dict[str, list[str]]) -> list[str] | None:
    if not word:
        return []
    for n in range(min(_LONGEST, len(word)), 0, -1):  # longest first: xian is 先, not 西安 (written xi'an)
        if word[:n] in table and (rest := _cut(word[n:], table)) is not None:
            return [word[:n], *rest]
    return None


@dataclass(frozen=True)
class Romanised:
    """A Chinese name an English text spells in pinyin."""

    name: str  # as written: Tan Wangsong
    sounds: tuple[str, ...]  # tan wang song
    person: bool  # it opens with a surname's reading, apart (Tan Wangsong; not Qingshi)


def romanised(text: str) -> tuple[Romanised, ...]:
    """The names an English text spells in pinyin: within a run of capitalised words apart by one space, the words
    that all cut into syllables (three at most each). A run holding a word that is neither pinyin nor English
    (Matsudaira) names someone of another language; a name the dictionary translates (Beijing, Hong Kong) is a
    gloss, not a spelling; so is a lone English word (Tan alone; Tan Wangsong is a name)."""
    table = lexicon()
    runs: list[list[str]] = []
    end = -2
    for m in _WORD.finditer(text):
        word = m.group(0)
        if not word[0].isupper():
            end = -2
            continue
        if not (m.start() == end + 1 and text[end] == " "):
            runs.append([])
        runs[-1].append(word)
        end = m.end()
    out: list[Romanised] = []
    for run in runs:
        cut = [syllables(w) if w.lower() not in STOPWORDS else None for w in run]
        if any(c is None and w.lower() not in table and w.lower() not in STOPWORDS for w, c in zip(run, cut)):
            continue
        part: list[str] = []
        for word, c in [*zip(run, cut), ("", None)]:
            if c is not None and len(c) <= 3:
                part.append(word)
                continue
            sounds = tuple(s for w in part for s in syllables(w) or ())
            name = " ".join(part)
            if len(sounds) >= 2 and name.lower() not in table and not (len(part) == 1 and name.lower() in table):
                first = syllables(part[0]) or ()
                out.append(Romanised(name, sounds, len(part) > 1 and len(first) == 1
                                     and first[0] in surname_sounds()))
            part = []
    return tuple(out)


def spellings(sounds: Sequence[str], occurs: Callable[[list[str], list[str]], list[tuple[str, str]]],
              limit: int = MAX_SPELLINGS + 1) -> list[str]:
    """The strings of characters read as these syllables whose every adjacent pair the corpus holds (occurs:
    which pairs of the characters of two lists it holds), at most `limit` of them."""
    table = readings()
    texts = list(table.get(sounds[0], ()))
    for sound in sounds[1:]:
        if not texts:
            return []
        after: dict[str, list[str]] = {}
        for a, b in occurs(list(dict.fromkeys(t[-1] for t in texts)), table.get(sound, [])):
            after.setdefault(a, []).append(b)
        # A common pair of syllables (shi de) could spell thousands of strings: enough to tell "many" is kept.
        texts = [t + b for t in texts for b in after.get(t[-1], ())][: 64 * limit]
    return texts[:limit]
