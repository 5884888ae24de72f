"""Example questions that belong to the loaded corpus: its own question set, else questions about its headings."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

QUESTIONS_FILE = "questions.jsonl"
# Enumeration marks that open a heading (第三章, 一、, （二）, 1., Article 3) say where, not what.
_NUMBERING = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章节条篇部分款项]\s*|[一二三四五六七八九十]+[、.．]\s*"
    r"|[（(][一二三四五六七八九十\d]+[）)]\s*|\d+(?:\.\d+)*[、.．]?\s+)"
)


def stored(store: Path, n: int) -> list[str]:
    """Up to n answerable questions of a question set kept with the index (<store>/questions.jsonl)."""
    path = store / QUESTIONS_FILE
    if not path.is_file():
        return []
    out: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            q = json.loads(line)
        except ValueError:
            continue
        if not isinstance(q, dict) or not isinstance(q.get("question"), str):
            continue
        if q.get("type") == "unanswerable" or q.get("case") in ("absent-topic", "missing-fact"):
            continue  # an example should show an answer
        out.append(q["question"].strip())
        if len(out) >= n:
            break
    return out


def topic(heading: str) -> str:
    """The subject a heading names: its last part, without its numbering."""
    last = heading.split(" / ")[-1].strip()
    return _NUMBERING.sub("", last).strip(" ：:")


def candidates(passages: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """(question, source) about the corpus's own headings (or titles), taken in turn from each document.

    They are candidates: the caller keeps those the pipeline answers from the document they came from.
    """
    by_doc: dict[str, list[str]] = {}
    for meta in sorted(passages, key=lambda m: (str(m.get("source", "")), int(m.get("order", 0)))):
        subject = topic(str(meta.get("heading") or "")) or str(meta.get("article") or "").strip()
        if 2 <= len(subject) <= 30:
            subjects = by_doc.setdefault(str(meta.get("source", "")), [])
            if subject not in subjects:
                subjects.append(subject)
    out: list[tuple[str, str]] = []
    for turn in range(max((len(s) for s in by_doc.values()), default=0)):
        for source in sorted(by_doc):
            if turn < len(by_doc[source]):
                out.append((f"介绍一下{by_doc[source][turn]}", source))
    return out
