"""Superlatives over a table's rows: the row holding the most or the least of what the question names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .features import Candidate
from .lines import row_cells
from .quantity import NUMBER, number_value
from .question import FIRST_RUN, LAST_RUN, Question

_TOTALS = re.compile(r"合计|总计|共计|总数|总和|total", re.IGNORECASE)  # a table's row of totals (not 小计)
_SUMS = re.compile(rf"{_TOTALS.pattern}|小计", re.IGNORECASE)
_RANK_HEADER = re.compile(r"排名|名次|排行|位次")  # a column of places in a ranking (not 上轮排名: another's)
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")  # a header's unit, 学费（元/年）
_SIGNED = re.compile(r"\s*([-－−])?\s*")


def extreme_rows(question: Question, rows: Sequence[Candidate], limit: int) -> list[Candidate]:
    """Of the labelled table rows (best first), those whose cell in the column the question names holds the most
    or the least value among the rows of their table (ties: each, up to limit); [] when no table has a column of
    numbers the question names (哪个专业最贵 names none)."""
    if question.extreme is None:
        return []
    word, direction = question.extreme
    text = question.text.lower()
    tables: dict[tuple[str, tuple[str, ...]], list[tuple[Candidate, dict[str, str]]]] = {}
    for c in rows:
        if (cells := row_cells(c.text)) is not None:
            tables.setdefault((str(c.hit.meta.get("source", "")), tuple(cells)), []).append((c, cells))
    for (_, labels), members in tables.items():  # the table of the best row first
        members = list({c.text: (c, cells) for c, cells in members}.values())
        # Rows the question names a cell of (四年 of 哪个四年制专业学费最高) are those compared; a row named alone
        # (哈尔滨最低气温多少, in a column named 最低气温) is the one asked about.
        said = [(c, cells) for c, cells in members if any(
            len(v) > 1 and v.lower() in text for v in cells.values())]
        # (Or a name the question gives within a row's label, its first cell: 梧州 of 青岚—梧州坪 in 去梧州坪头班车几点;
        # not any word, nor in a cell of notes, 杭州湾沿岸出现大风 of 杭州哪天最热.)
        said = said or [(c, cells) for c, cells in members if any(
            len(n) > 1 and n.lower() in next(iter(cells.values()), "").lower() for n in question.names)]
        if not said:
            # (Or those whose labels hold every word of the question some labels hold: 个人写真最便宜的套餐 compares
            # 个人轻写真 and 个人主题写真, not 宝宝百天照.)
            firsts = [next(iter(cells.values()), "").lower() for _, cells in members]
            words = [t.lower() for t in question.terms if len(t) > 1 and any(t.lower() in f for f in firsts)]
            held = [m for m, f in zip(members, firsts) if words and all(w in f for w in words)]
            said = held if 1 < len(held) < len(members) else []  # (one such row is no row asked about)
        if len(said) == 1:
            return [said[0][0]]
        # A row of totals (合计, 小计) sums the others: it is none of the things compared.
        members = said or [(c, cells) for c, cells in members
                           if not _SUMS.fullmatch(next(iter(cells.values()), "").strip())]
        # The column 最 qualifies: the named one written nearest before it (招生人数最多的专业学费是多少), and not
        # one whose own name holds the word (最低气温), unless the question says it twice (最低气温最低).
        at = text.rfind(word)
        # (A timetable's first or last run is compared by its time of day, whatever else the question names.)
        named = [] if word in (*FIRST_RUN, *LAST_RUN) else [
            (text.rfind(core, 0, at + len(word)), label) for label in labels
            if (core := _named(label, question.terms, text, text[max(0, at - 2): at]))
            and (word not in label or text.count(word) > 1)]
        # None named, or only a column of names (套餐名称 of 最贵的套餐): a price is what 最便宜 and 最贵 compare, a
        # time of day what 最早 and 最晚 do.
        columns = [label for _, label in sorted(named, key=lambda x: -x[0])]
        columns += [label for label in _implied(word, labels, [cells for _, cells in members]) if label not in columns]
        for label in columns:
            values = _past_midnight([(v, c) for c, cells in members if (v := _value(cells[label])) is not None],
                                    [cells[label] for _, cells in members])
            # A column of numbers, not of names with a number in some (a row's 备注).
            if len(values) < 2 or len(values) < len(members) - 1:
                continue
            top = max(direction * v for v, _ in values)
            return [c for v, c in values if direction * v == top][:limit]
    return []


def ranked_row(question: Question, rows: Sequence[Candidate]) -> list[Candidate]:
    """The table row holding the place in a ranking the question asks for (积分榜第五是谁: 排名：5, 球队：…) in
    its column of places; [] when no row has one."""
    if question.rank is None:
        return []
    for c in rows:
        if (cells := row_cells(c.text)) and any(_RANK_HEADER.fullmatch(_BRACKETED.sub("", label).strip())
                                                 and _value(cell) == question.rank for label, cell in cells.items()):
            return [c]
    return []


def total_row(question: Question, rows: Sequence[Candidate]) -> Candidate | None:
    """The row of totals (类别：合计，人数：2,862: its first cell says so) of the table the best of the rows (in their
    order) belongs to, when the question asks a sum and names none of its rows; None when that table has none."""
    if not question.total or not rows:
        return None
    best = rows[0].hit.chunk_id
    labels = [(c, next(iter(cells.values())).strip()) for c in rows
              if c.hit.chunk_id == best and (cells := row_cells(c.text))]
    if any(label and label in question.text for _, label in labels):
        return None  # (三年级一共有多少名学生 asks a row's own sum)
    return next((c for c, label in labels if _TOTALS.fullmatch(label)), None)


def _named(label: str, terms: Sequence[str], text: str, before: str = "") -> str:
    """The part of a column's header the question writes (价格 of 产品价格; 学费 of 学费（元/年）; 占比 of 所占比例,
    the two characters before 最 read in the header in turn), '' for none."""
    core = _BRACKETED.sub("", label).strip().lower()
    if len(core) < 2:
        return ""
    if core in text:
        return core
    if term := next((t.lower() for t in terms if len(t) > 1 and (t.lower() in core or core in t.lower())), ""):
        return term
    return before if len(before) == 2 and re.search(".*?".join(map(re.escape, before)), core) else ""


_PRICE_HEADER = re.compile(r"(?<!评)价(?!值)|费|(?<![单公])元(?!旦)|金额")
_EVENING, _SMALL_HOURS = 20, 4  # a service running past midnight ends within the small hours
_CLOCK = re.compile(r"\s*(\d{1,2})\s*[:：]\s*(\d{2})(?!\d)")


def _implied(word: str, labels: Sequence[str], rows: Sequence[dict[str, str]]) -> list[str]:
    """The column a superlative compares without naming one: the table's one column of prices for 便宜 and 贵, its
    one of times of day for 早 and 晚 and a timetable's first or last run (none where it has two: 开门时间 and 关门时间
    are not told apart)."""
    if word.endswith(("便宜", "贵")):
        found = [label for label in labels if _PRICE_HEADER.search(label)
                 or all(row.get(label, "").rstrip().endswith("元") for row in rows)]
    elif word.endswith(("早", "晚")) or word in (*FIRST_RUN, *LAST_RUN):
        found = [label for label in labels if all(_CLOCK.match(row.get(label, "")) for row in rows)]
    else:
        found = []
    return found if len(found) == 1 else []


def _past_midnight(values: list[tuple[float, Candidate]], cells: list[str]) -> list[tuple[float, Candidate]]:
    """A column of times of day running into the small hours (19:00 … 23:00, 0:30) is one evening: the hours after
    midnight come after the evening's, not before the morning's."""
    if not all(_CLOCK.match(c) for c in cells) or not any(v >= _EVENING for v, _ in values):
        return values
    return [(v + 24 if v < _SMALL_HOURS else v, c) for v, c in values]


def _value(cell: str) -> float | None:
    """The number a cell opens with (6800, 1.2万元, 35%, 三千, -3), or the time of day it tells (06:30), as a value."""
    if clock := _CLOCK.match(cell):
        return int(clock.group(1)) + int(clock.group(2)) / 60
    sign = _SIGNED.match(cell)
    m = NUMBER.match(cell, sign.end())
    value = None if m is None else number_value(m.group(0).rstrip("%％ "))
    return None if value is None else (-value if sign.group(1) else value)
