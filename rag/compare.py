"""Superlatives over a table's rows: the row holding the most or the least of what the question names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .features import Candidate
from .lines import row_cells
from .quantity import NUMBER, number_value
from .question import Question

_BRACKETED = re.compile(r"[（(][^）)]*[）)]")  # a header's unit, 学费（元/年）


def extreme_rows(question: Question, rows: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Of the labelled table rows (best first), those whose cell in the column the question names holds the most
    or the least value among the rows of their table (ties: each, up to limit); [] when no table has a column of
    numbers the question names (哪个专业最贵 names none: answered as any other question)."""
    if question.extreme is None:
        return []
    tables: dict[tuple[str, tuple[str, ...]], list[tuple[Candidate, dict[str, str]]]] = {}
    for c in rows:
        if (cells := row_cells(c.text)) is not None:
            tables.setdefault((str(c.hit.meta.get("source", "")), tuple(cells)), []).append((c, cells))
    direction = question.extreme[1]
    for (_, labels), members in tables.items():  # the table of the best row first
        members = list({c.text: (c, cells) for c, cells in members}.values())
        for label in (label for label in labels if _names(label, question.terms)):
            values = [(v, c) for c, cells in members if (v := _value(cells[label])) is not None]
            # A column of numbers, not of names with a number in some (a row's 备注).
            if len(values) < 2 or len(values) < len(members) - 1:
                continue
            top = max(direction * v for v, _ in values)
            return [c for v, c in values if direction * v == top][:limit]
    return []


def _names(label: str, terms: Sequence[str]) -> bool:
    """Whether a column's header is a word of the question's, or holds one (价格 of 产品价格; 学费 of 学费（元/年）)."""
    core = _BRACKETED.sub("", label).strip()
    return len(core) > 1 and any(len(t) > 1 and (t in core or core in t) for t in terms)


def _value(cell: str) -> float | None:
    """The number a cell opens with (6800, 1.2万元, 35%, 三千), as a value."""
    m = NUMBER.match(cell.strip())
    return None if m is None else number_value(m.group(0).rstrip("%％ "))
