"""A question's word typed as its homophone (申情 for 申请, 压金 for 押金): a pinyin input method's commonest slip.

Such a slip leaves two characters side by side that the corpus never writes together where it writes a word of
the same sound. A question the corpus does not answer as typed is asked again with that word, and the answer
says so (pipeline).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol

from .lexicon import cedict_path
from .text import STOPWORDS, cached_in_temp, in_dictionary, segmenter, tagged

# Characters that ask or link (哪, 几, 的, 是...): a question's own frame, never a slip for a content word.
_FRAME = frozenset({*(w for w in STOPWORDS if len(w) == 1), *"哪几多谁么什怎吗呢啥咋何"})
_FRAME_CHARS = "".join(_FRAME)
_ENTRY = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /")
_TONE = re.compile(r"[1-5]$")


class Vocabulary(Protocol):
    """What the corpus's keyword index tells about its text."""

    def df(self, term: str) -> int: ...

    def mentions(self, term: str) -> bool: ...

    def pairs_among(self, firsts: list[str], seconds: list[str]) -> list[tuple[str, str]]: ...


@dataclass(frozen=True)
class Respelling:
    """A word of the question read as a word of the corpus's: of the same sound (a slip), or of one meaning."""

    typed: str
    meant: str


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    """CC-CEDICT's words of two characters or more, and each character's toneless readings (those it has in a
    tenth of the words holding it or more: 无 is wu, its mo of 南无 no slip's sound)."""
    src = cedict_path()
    return cached_in_temp(f"rag-spelling-1-{src.stat().st_size}.marshal",
                          lambda: _read(src.read_text(encoding="utf-8")))


def _read(text: str) -> dict[str, Any]:
    words: set[str] = set()
    counts: dict[str, dict[str, int]] = {}
    for line in text.splitlines():
        m = _ENTRY.match(line)
        if not m:
            continue
        traditional, simplified, sounds = m.group(1), m.group(2), m.group(3).lower().split()
        if len(simplified) > 1:
            words |= {traditional, simplified}
        if len(simplified) != len(sounds):
            continue
        for t, ch, sound in zip(traditional, simplified, sounds):
            syllable = _TONE.sub("", sound).replace("u:", "v")
            for c in {t, ch}:
                by = counts.setdefault(c, {})
                by[syllable] = by.get(syllable, 0) + 1
    sounds = {c: [s for s, n in by.items() if n >= 0.1 * sum(by.values())] for c, by in counts.items()}
    return {"words": sorted(words), "sounds": sounds}


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    return frozenset(_tables()["words"])


@lru_cache(maxsize=1)
def _by_sound() -> dict[str, list[str]]:
    """Each toneless syllable -> the characters commonly read so."""
    out: dict[str, list[str]] = {}
    for ch, syllables in _tables()["sounds"].items():
        if _han(ch):
            for s in syllables:
                out.setdefault(s, []).append(ch)
    return out


def load_tables() -> None:
    """Read the tables the mends look words up in (so that no question pays for them)."""
    _words()
    _by_sound()
    tagged(("nr",), 2, 4)


def homophones(ch: str) -> list[str]:
    """The characters sharing a common toneless reading with ch (not ch itself)."""
    table = _by_sound()
    return list(dict.fromkeys(c for s in _tables()["sounds"].get(ch, ()) for c in table.get(s, ()) if c != ch))


def respell(text: str, vocab: Vocabulary) -> tuple[str, tuple[Respelling, ...]]:
    """The text with each slip mended, and the mends.

    A slip is a character of a token the segmenter could not find in a dictionary (an unknown string it guessed
    at) that the corpus does not mention, a character the corpus never writes beside either of its neighbours
    (a question's frame characters, 的 or 是, tell nothing). Its mend is the homophone that the corpus writes
    beside one and that then stands in a word the dictionary lists (not a person's name) and the corpus has among
    its words; of several, the word the corpus uses most.
    """
    chars = list(text)
    mends: list[Respelling] = []
    end = 0
    for tok in _loose_runs(text):
        start, end = end, end + len(tok)
        core = tok.strip(_FRAME_CHARS)  # less frame characters the segmenter glued on (那压 金 of 那压金呢)
        first = start + tok.find(core)
        last = first + len(core)
        if not _unknown(core, vocab) or {text[first - 1: first], text[last: last + 1]} & {"·", "•"}:
            continue  # a known word, or a foreign name's part (占士·邦)
        best: tuple[int, int, str, int, int] | None = None  # (the word's corpus frequency, where, what, its span)
        for at in range(first, last):
            around = [j for j in (at - 1, at + 1) if 0 <= j < len(chars) and _han(chars[j]) and chars[j] not in _FRAME]
            if chars[at] in _FRAME or not around or any(_held(chars, j, at, chars[at], vocab) for j in around):
                continue
            for c in dict.fromkeys(c for j in around for c in _held_with(chars, j, at, vocab)):
                mended = [*chars[:at], c, *chars[at + 1:]]
                span = _word_at(mended, at)
                word = "".join(mended[span[0]: span[1]]) if span else ""
                # (A word the dictionary lists, not a string only the corpus writes: a name, 王芳 of 王方; and one
                # of the corpus's words, not a part of one: 一计 of 统一计划.)
                if word and (in_dictionary(word) or word in _words()) and vocab.df(word) and (
                        best is None or vocab.df(word) > best[0]):
                    best = (vocab.df(word), at, c, *span)
        if best is not None:
            _, at, c, a, b = best
            typed = "".join(chars[a:b])
            chars[at] = c
            mends.append(Respelling(typed, "".join(chars[a:b])))
    return "".join(chars), tuple(mends)


def _loose_runs(text: str) -> list[str]:
    """The text cut into its segmenter's tokens, a token it guessed at gluing a frame character to a slip (那压 of
    那压金呢) joined with the token after it, when that is no dictionary word either (金): the slip's word whole."""
    out: list[str] = []
    glued = False
    for tok in segmenter().lcut(text):
        loose = all(map(_han, tok)) and tok not in _FRAME and (len(tok) == 1 or not in_dictionary(tok))
        if glued and loose:
            out[-1] += tok
        else:
            out.append(tok)
        glued = loose and len(tok) > 1 and (tok[0] in _FRAME or tok[-1] in _FRAME) and not glued
    return out


def _unknown(tok: str, vocab: Vocabulary) -> bool:
    """Whether a token could hold a slip: two characters or more, none of the frame, listed in no dictionary and
    not mentioned by the corpus."""
    return (len(tok) >= 2 and all(_han(c) and c not in _FRAME for c in tok) and not in_dictionary(tok)
            and tok not in _words() and not vocab.mentions(tok))


def _held(chars: Sequence[str], j: int, at: int, c: str, vocab: Vocabulary) -> bool:
    """Whether the corpus writes c at `at` beside the character at j."""
    return bool(vocab.pairs_among([chars[j]], [c]) if j < at else vocab.pairs_among([c], [chars[j]]))


def _held_with(chars: Sequence[str], j: int, at: int, vocab: Vocabulary) -> list[str]:
    """The homophones of the character at `at` that the corpus writes beside the character at j."""
    options = homophones(chars[at])
    if j < at:
        return [b for _, b in vocab.pairs_among([chars[j]], options)]
    return [a for a, _ in vocab.pairs_among(options, [chars[j]])]


def _word_at(chars: Sequence[str], at: int) -> tuple[int, int] | None:
    """Where the word holding the character at `at` stands when the text around it is cut, if it is one the
    dictionary could list (two characters or more, not a person's name)."""
    start = max(0, at - 3)
    pos = start
    for tok in segmenter().lcut("".join(chars[start: at + 4])):
        if pos <= at < pos + len(tok):
            ok = len(tok) >= 2 and all(map(_han, tok)) and tok not in tagged(("nr",), 2, 4)
            return (pos, pos + len(tok)) if ok else None
        pos += len(tok)
    return None


def notice(mends: Sequence[Respelling], lang: str) -> str:
    """What the answer tells of the words it read otherwise than typed."""
    mends = list(dict.fromkeys(mends))
    if lang == "zh":
        return "；".join(f"已按“{m.meant}”理解“{m.typed}”" for m in mends) + "。"
    return " ".join(f'Read "{m.typed}" as "{m.meant}".' for m in mends)


def _han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
