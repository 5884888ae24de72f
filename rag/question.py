"""What a question asks for: its language, its kind (number, date, list, author), its focus and the names it uses."""

from __future__ import annotations

import marshal
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from .text import STOPWORDS, segmenter, tokenize

NUMERIC_Q = re.compile(r"多少|几[个所名家项次人年月天门场万亿]|数量|比例|百分之|how many|how much|what percentage|number of", re.I)
TIME_Q = re.compile(r"何时|什么时候|哪一?年|哪个月|哪天|^\W*when\b|\b(?:what|which) (?:year|month|day|date)", re.I)
DIGIT = re.compile(r"\d|[一二三四五六七八九十百千万亿两]+[个所名家项次人年月万亿方类种门批大]")
YEAR = re.compile(r"\d{4}年|\d{1,2}月|\d{1,2}日|\d{4}")
AUTHOR_Q = re.compile(r"作者|记者|谁写|撰写|撰文|署名|通讯员|\bauthor|\bwrote\b|\bwritten by\b|\breporter", re.I)
LIST_Q = re.compile(r"哪些|哪几|有哪|几个方面|几方面|包括什么|主要内容|措施|做法|what are|which .*s\b|list", re.I)


_ASK = re.compile(r"^(多少|什么|哪些|哪个|哪所|哪家|哪位|哪几|哪几个|哪里|几个|几项|几所|几|谁|what|which|who)$", re.I)
_MEASURE = re.compile(r"^[\d一二三四五六七八九十百千万亿两几]*[个所名家项次人台门场位条种件批]?$")
_LINK = frozenset("是 有 为 分别 分别是 都 的 了 在 被 由".split())


def focus_term(question: str) -> str | None:
    """The thing a question asks for: the noun after its question word (多少资金) or before it (学费是多少)."""
    toks = [t for t in segmenter().lcut(question) if t.strip()]
    for i, t in enumerate(toks):
        if not _ASK.match(t):
            continue
        for nxt in toks[i + 1 : i + 4]:
            if re.match(r"^[\u4e00-\u9fffA-Za-z]{2,}$", nxt) and not _MEASURE.match(nxt) and nxt not in STOPWORDS:
                return nxt
            if not _MEASURE.match(nxt):
                break
        for prev in reversed(toks[max(0, i - 4) : i]):
            if prev in _LINK:
                continue
            if re.match(r"^[\u4e00-\u9fffA-Za-z]{2,}$", prev) and prev not in STOPWORDS:
                return re.sub(r"^[\d一二三四五六七八九十]+[个所名家项]", "", prev) or None
            break
    return None


@lru_cache(maxsize=1)
def _proper_nouns() -> frozenset[str]:
    """Words jieba's dictionary tags as places, people, organisations or other names.

    Read from the dictionary file once and cached beside jieba's own cache: importing jieba.posseg
    for this would cost most of a second on every cold start.
    """
    import jieba

    src = Path(jieba.get_dict_file().name)
    cache = Path(tempfile.gettempdir()) / f"rag-proper-nouns-{src.stat().st_size}.marshal"
    try:
        return frozenset(marshal.loads(cache.read_bytes()))
    except (OSError, ValueError, EOFError):
        pass
    words = []
    for line in src.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2][:2] in ("ns", "nr", "nt", "nz") and len(parts[0]) >= 2:
            words.append(parts[0])
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(marshal.dumps(words))
    tmp.replace(cache)
    return frozenset(words)


def names(question: str) -> list[str]:
    """Proper names (places, people, organisations), multi-digit numbers and Latin words the question mentions."""
    proper = _proper_nouns()
    out = [w for w in segmenter().lcut(question) if w in proper]
    # Latin words inside a Chinese question are names too (APP, Python).
    return out + re.findall(r"\d{2,}", question) + re.findall(r"[A-Za-z]{2,}", question)


def content_words(question: str) -> list[str]:
    """Question words that can name something: not question or function words, digits or single CJK characters."""
    return [t for t in tokenize(question) if not t.isdigit() and (len(t) > 1 or t.isascii() and t.isalpha())]


def has_words(question: str) -> bool:
    """Whether the question holds any letter or digit at all (not only punctuation, symbols, space)."""
    return any(c.isalnum() for c in question)
