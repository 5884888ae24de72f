"""Chinese names an English question spells in pinyin (Tan Wangsong, Qingshi): their syllables, and the characters
a corpus could write them with (CC-CEDICT's readings, the dictionary rag/lexicon.py reads).

An English speaker names a Chinese person or place by its romanisation, which no gloss translates: without this,
such a name is an English word a Chinese corpus never holds, and neither finds its passage nor tells that the corpus
lacks it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import cedict_path, glosses, translations
from .text import STOPWORDS, SURNAMES, cached_in_temp

_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /")
_SYLLABLE = re.compile(r"^([a-z]+?)(u:)?([a-z]*?)[1-5]$")
# Readings no name is spelled with (interjections, a lone vowel, the dictionary's placeholder xx): they would read
# ordinary words as names (Lola).
_NOT_IN_NAMES = frozenset({"a", "e", "o", "lo", "yo", "m", "n", "ng", "hm", "hng", "r", "xx"})
# A word of letters ending in a letter; a possessive's 's is no syllable.
_WORD = re.compile(r"[A-Za-zÜü](?:[A-Za-zÜü'’-]*?[A-Za-zÜü])?(?=['’]s\b|['’-]*(?:[^A-Za-zÜü'’-]|$))")
_PARTS = re.compile(r"[\s'’-]+")
# What the cached tables are read with: another surname list or exclusion reads another file.
_KEY = hashlib.sha1(f"2 {''.join(sorted(SURNAMES))} {sorted(_NOT_IN_NAMES)}".encode()).hexdigest()[:12]
MAX_SPELLINGS = 3  # a name read as more strings of the corpus than this names nothing in particular
_LONGEST = 6  # letters of the longest syllable (zhuang, shuang)
_MOST = 3  # syllables of one word of a name (a given name's two, a place's three)


@lru_cache(maxsize=1)
def _tables() -> dict[str, dict[str, list[str]]]:
    """The readings and the surnames', read from CC-CEDICT once (cached beside jieba's cache)."""
    src = cedict_path()
    return cached_in_temp(f"rag-pinyin-{_KEY}-{src.stat().st_size}.marshal",
                          lambda: _read(src.read_text(encoding="utf-8")))


def readings() -> dict[str, list[str]]:
    """Each toneless syllable (ü written u and v, as English texts do) -> the characters read so (simplified and
    traditional)."""
    return _tables()["readings"]


def surnames() -> dict[str, list[str]]:
    """Each syllable -> the commonest surnames (text.SURNAMES, and their traditional forms) read so as surnames
    (谭 as Tan; 单, read Shan as a surname, is not dan)."""
    return _tables()["surnames"]


def _read(text: str) -> dict[str, dict[str, list[str]]]:
    table: dict[str, dict[str, None]] = {}
    family: dict[str, dict[str, None]] = {}
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        traditional, simplified, sounds = m.group(1), m.group(2), m.group(3).lower().split()
        if not len(traditional) == len(simplified) == len(sounds):
            continue  # letters or punctuation in the headword: its syllables do not line up with its characters
        surname = simplified in SURNAMES and "/surname " in line
        for trad, simp, sound in zip(traditional, simplified, sounds):
            s = _SYLLABLE.match(sound)
            if not s or not "\u4e00" <= simp <= "\u9fff":
                continue
            head, umlaut, tail = s.groups()
            for syllable in ((head + v + tail for v in ("u", "v")) if umlaut else (head + tail,)):
                table.setdefault(syllable, {}).update(dict.fromkeys((simp, trad)))
                if surname:
                    family.setdefault(syllable, {}).update(dict.fromkeys((simp, trad)))
    return {"readings": {s: list(chars) for s, chars in table.items() if s not in _NOT_IN_NAMES},
            "surnames": {s: list(chars) for s, chars in family.items()}}


@lru_cache(maxsize=4096)
def syllables(word: str) -> tuple[str, ...] | None:
    """The word cut into pinyin syllables (wangsong -> wang song; an apostrophe parts two: xi'an), or None."""
    parts: list[str] = []
    for piece in _PARTS.split(word.lower().replace("ü", "v")):
        cut = _cut(piece) if len(piece) <= _LONGEST * _MOST else None
        if cut is None:
            return None
        parts += cut
    return tuple(parts) or None


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(readings())


@lru_cache(maxsize=4096)
def _cut(word: str) -> tuple[str, ...] | None:
    """The word's syllables, longest first where it could be cut otherwise: xian is 先, not 西安 (written xi'an)."""
    if not word:
        return ()
    for n in range(min(_LONGEST, len(word)), 0, -1):
        if word[:n] in _known() and (rest := _cut(word[n:])) is not None:
            return (word[:n], *rest)
    return None


@dataclass(frozen=True)
class Romanised:
    """A Chinese name an English text spells in pinyin."""

    name: str  # as written: Tan Wangsong
    sounds: tuple[str, ...]  # tan wang song
    person: bool  # it opens with a surname's reading as a word of its own (Tan Wangsong; not Qingshi)


def romanised(text: str) -> tuple[Romanised, ...]:
    """The names an English text spells in pinyin: within a run of capitalised words apart by a space, the words
    that all cut into syllables (three at most each). A run holding a word that is neither pinyin nor English
    (Matsudaira) names someone of another language; a name the dictionary translates (Beijing, Hong Kong) is a
    gloss, not a spelling, and so is a lone English word (Lena); an English word of more than one syllable ends a
    name (Dean Zhou Qinglan). A text whose every word is capitalised tells no names by their capitals."""
    words = english_words(text)
    if titled(words):
        return ()
    runs: list[list[str]] = []
    end = -2
    for m in words:
        word = m.group(0)
        if not word[0].isupper():
            end = -2
            continue
        if not (m.start() == end + 1 and text[end].isspace()):
            runs.append([])
        runs[-1].append(word)
        end = m.end()
    out: dict[str, Romanised] = {}
    for run in runs:
        cut = [None if w.lower() in STOPWORDS or (len(syllables(w) or ()) > 1 and _english_word(w)) else syllables(w)
               for w in run]
        if any(c is None and not _english(w) for w, c in zip(run, cut)):
            continue
        part: list[str] = []
        for word, c in [*zip(run, cut), ("", None)]:
            if c is not None and len(c) <= _MOST:
                part.append(word)
                continue
            sounds = tuple(s for w in part for s in syllables(w) or ())
            name = " ".join(part)
            if len(sounds) >= 2 and not _english(name) and name not in out:
                first = syllables(part[0]) or ()
                out[name] = Romanised(name, sounds, len(part) > 1 and len(first) == 1 and first[0] in surnames())
            part = []
    return tuple(out.values())


def name_words(name: str) -> list[str]:
    """A name's words in lower case, apart at spaces, apostrophes and hyphens (Xi'an: xi, an)."""
    return _PARTS.split(name.lower())


def english_words(text: str) -> list[re.Match[str]]:
    """The words of letters in a text (a possessive's 's left out)."""
    return list(_WORD.finditer(text))


def titled(words: Sequence[re.Match[str]]) -> bool:
    """Whether every word is capitalised (a title): such a text tells no names by their capitals."""
    return len(words) > 2 and all(m.group(0)[0].isupper() for m in words)


def _english(words: str) -> bool:
    """Whether these words are English: a phrase the dictionary translates, or a function word."""
    return words.lower() in STOPWORDS or glosses(words)


def _english_word(word: str) -> bool:
    """Whether a word that reads as pinyin is an English word (Dean: 院长), not a Chinese name the dictionary
    spells so (Yongkang: 永康, read yong kang)."""
    sounds = syllables(word) or ()
    table = readings()
    return glosses(word) and not any(len(w) == len(sounds) and all(ch in table.get(s, ()) for ch, s in zip(w, sounds))
                                     for w in translations(word))


def spellings(sounds: Sequence[str], occurs: Callable[[list[str], list[str]], list[tuple[str, str]]],
              first: Sequence[str] | None = None, limit: int = MAX_SPELLINGS + 1) -> list[str]:
    """The strings of characters read as these syllables whose every adjacent pair the corpus holds (occurs:
    which pairs of the characters of two lists it holds), opening with one of `first` when given (a surname), at
    most `limit` of them."""
    table = readings()
    if not sounds:
        return []
    texts = list(first if first is not None else table.get(sounds[0], ()))
    for sound in sounds[1:]:
        if not texts:
            return []
        after: dict[str, list[str]] = {}
        for a, b in occurs(list(dict.fromkeys(t[-1] for t in texts)), table.get(sound, [])):
            after.setdefault(a, []).append(b)
        # A common pair of syllables (shi de) could spell thousands of strings: enough to tell "many" is kept.
        texts = [t + b for t in texts for b in after.get(t[-1], ())][: 64 * limit]
    return texts[:limit]
