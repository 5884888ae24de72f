"""Text as a reader hands it on: lines that keep where they came from, and what every format's reader shares
(radical repair, how a heading looks, a list item's marker, a table's rows)."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .text import SENTENCE_END

HEADING_MAX_CHARS = 40
# A line ending its paragraph: a sentence's end, a colon opening what follows, or a note in brackets after the full
# stop (。（负责人：冯蕾）).
ENDS_PARAGRAPH = re.compile(rf"(?:{SENTENCE_END}|[：:]|[。！？!?][（(][^（）()]*[）)])$")
# A line opening a section or a point of its own (二、, （三）, 第五条, 第二章).
OPENS_SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）]|第[一二三四五六七八九十百\d]+[章节条部分])")
# A line that is a field: a short label, a colon, its value (时间：2024年1月12日, 地点：三楼会议室).
FIELD = re.compile(r"^[^\s：:，。,.]{1,8}[：:]\s*\S")


def heading_shaped(text: str) -> bool:
    """Short, and no sentence in it: how a heading looks when nothing marks it as one."""
    return (len(text) <= HEADING_MAX_CHARS and not re.search(r"[。！？；，、：,;:…!?]$", text.rstrip("”’」』）)》"))
            and not re.search(r"[。！？]", text))


# A record's line over its text (a review's or a forum post's: 北漂小周 ★★☆☆☆ 2024-05-06, 7楼 某某 2024-06-05 19:03):
# short, ending in no mark, stating a day or a time.
_WHEN = re.compile(r"\d{2,4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}|[年月日时分]")
RECORD_DATE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}|(?<!\d)\d{1,2}:\d{2}(?!\d)")


def record_head(line: str) -> bool:
    """Whether a line, over text of its own, is a record's line saying who wrote it and when."""
    line = line.strip()
    # (Not a field, 会议时间：…, nor a subtitle, ——2024年1月18日在…会议上: they say what, not who; nor a time and
    # nothing else, 7月15日 14:00-17:00, a slot of a schedule.)
    return (0 < len(line) <= 40 and line[-1] not in "。！？!?；;：:，," and bool(RECORD_DATE.search(line))
            and not FIELD.match(line) and not line.startswith(("—", "-"))
            and len(re.findall(r"[^\W\d_]", _WHEN.sub("", line))) >= 2)


def join_wrapped(a: str, b: str) -> str:
    """Join text broken across lines; Chinese needs no space, Latin words do, but not after a hyphen or a slash
    (0571- / 88217650 is one number, a link broken at a slash one link)."""
    return f"{a} {b}" if a[-1:].isascii() and b[:1].isascii() and a[-1:] not in "-/" else a + b


# Type this much larger than the body text's is a heading's (PDF and Word).
LARGER = 1.15
# A list item's marker: - * + • ·, 1. 1、 1) (1) ①, 一、 (一).
ITEM = re.compile(r"^\s*(?:[-*+•·]\s+|\d{1,3}[.、)）](?!\d)\s*|[（(]\d{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")


@dataclass(frozen=True)
class Line:
    """One line of extracted text; level > 0 marks a heading of that depth (from styles or markup)."""

    text: str
    page: int | None = None
    level: int = 0
    item: bool = False  # a list item or a table row: complete in itself, never joined into the line before
    quote: bool = False  # quoted (Markdown's >): a quotation, which ends where its author ended it
    rule: bool = False  # a blank that was a rule between parts (------): the lines right above it are lines of their own


@dataclass
class Extracted:
    """A document's text as lines; blank lines separate paragraphs."""

    kind: str  # text | pdf | docx | html
    lines: list[Line] = field(default_factory=list)
    pages: int | None = None
    # Word and HTML mark paragraphs and headings themselves: nothing is guessed from line shapes.
    explicit: bool = False
    closing: int = 0  # how many of the last lines close the document under no section (a web page's footer)


@cache
def _radical_table(glyphs: bool) -> dict[int, str]:
    """Kangxi and CJK supplement radical code points, and (glyphs) the few rare ideographs a CJK font draws as
    common ones (㬵 as 胶), -> the ideograph a reader sees (rag/radicals.json); and the figure dash a PDF's font
    gives for an en dash (30‒50 for 30–50) and the bar a Chinese font gives for an em dash (2023―2025 for
    2023—2025), which no range of numbers is read across."""
    data = json.loads((Path(__file__).with_name("radicals.json")).read_text(encoding="utf-8"))
    return {ord(k): v for k, v in data.items() if glyphs or not "\u3400" <= k <= "\u4dbf"} | {
        0x2012: "\u2013", 0x2015: "\u2014"}


def repair(text: str, glyphs: bool = False) -> str:
    """Map radical code points back to ideographs (Chinese PDFs write 长 as ⻓ U+2ED3) and drop NULs. A rare
    ideograph is mapped only in text read from glyphs (a PDF's, whose font drew 胶 as 㬵): a text that types one
    (李㫚) means it."""
    return text.translate(_radical_table(glyphs)).replace("\x00", "")


_DIGIT = re.compile(r"\d")
# A cell saying a value in words (儿童 | 免费 over 学生 | 60): a row of values, not a header.
_VALUE_WORD = re.compile(r"免费|不收费|面议|待定|暂无|无|另计|—+|-+|/|n/?a", re.IGNORECASE)
# A cell naming a column of notes or of serial numbers: a header's, never a value (项目 | 收费标准 | 备注).
_COLUMN_WORD = re.compile(r"备注|附注|说明|序号|编号|notes?|remarks?|no\.", re.IGNORECASE)


def header_by_columns(rows: list[list[str]]) -> bool:
    """Whether a table's first row reads as its header, by the vote csv.Sniffer.has_header takes: each column
    whose cells below are all numbers, or all of one length, votes for it when the first row's cell is not of
    their kind and against it when it is, but a column of numbers under a word decides it; a column of amounts
    under a first row holding no number votes for it whatever their lengths; else two columns must vote for it.
    (A Word table's header row is often set as plainly as its body.) Rows of other widths (merged cells) and
    rows repeating one value over most of their cells (_repeats) do not vote."""
    def kind(cell: str) -> object:
        try:
            float(cell.replace(",", "").removesuffix("%"))  # (a share is a number: 3.41%)
            return "number"
        except ValueError:
            return len(cell)

    rows = [r for r in rows if any(r)]
    if len(rows) < 3:
        return False
    width = len(rows[0])
    rows_of_width = [r for r in rows[1:] if len(r) == width]
    body = [r for r in rows_of_width if not _repeats(r)]
    if len(body) < 2:
        body = rows_of_width  # (every row repeats a price: 学费 | 5000元 | 5000元 | 5000元 | 4800元)
    if len(body) < 2:
        return False
    if any(_COLUMN_WORD.fullmatch(c.strip()) for c in rows[0]):
        return True
    votes, numbers, mostly = 0, False, 0
    for col, head in enumerate(rows[0]):
        cells = [r[col] for r in body[:20]]
        kinds = {kind(c) for c in cells}
        if kinds == {"number"} and kind(head) != "number" and not _VALUE_WORD.fullmatch(head.strip()):
            # Numbers under a word: a header, whatever columns of labels as long as their own (学制 over 四年)
            # say; no row of values holds a word where every row below holds a number.
            return True
        if width > 2 and all(map(_DIGIT.search, cells)) and not any(map(_DIGIT.search, rows[0])):
            if _VALUE_WORD.fullmatch(head.strip()):
                votes -= 1  # a price said in words over prices (早餐 | 自助餐厅 | 免费 over 午餐 | 中餐厅 | 68元): a row
                continue
            # Amounts under a word (年度保险金额 over 300万元, 每日200元), in a first row holding no number at all,
            # whether or not they are of one length (500元/晚 under 员工住宿上限). (Not in two columns: a
            # specification's 型号 | KJ500 is a row of names and values; nor under a first row of values, 儿童票 |
            # 免费 | 身高1.2米以下.)
            votes += 1
            numbers = True
        elif width > 2 and 3 * sum(bool(_DIGIT.search(c)) for c in cells) >= 2 * len(cells) \
                and not any(map(_DIGIT.search, rows[0])):
            # Amounts in most rows, not all (按实际房租提取 among 每人每月1200元): two such columns under words are
            # a header's; one may be a headerless list's last column (张伟 | 技术部 | 见群公告 over 分机8020 rows).
            mostly += 1
        elif len(kinds) == 1:
            votes += 1 if kind(head) not in kinds else -1
    if mostly > 1:
        votes, numbers = votes + mostly, True
    # One column of labels of one length is no header by itself (a form's 申请人 over 联系电话, 身份证号): a column
    # of numbers under a word, or two columns, are.
    return votes > 0 and (numbers or votes > 1)


def _repeats(row: list[str]) -> bool:
    """A row repeating one value without a digit in three cells or more, most of its cells (境外 | 港澳台 | 单独审批 |
    单独审批 | 单独审批, a note merged across the table): a word standing in for the values the columns hold."""
    value, most = max(Counter(row).items(), key=lambda kv: kv[1], default=("", 0))
    return most >= 3 and 2 * most > len(row) and not _DIGIT.search(value)


def table_lines(rows: list[list[str]], header: bool, merged: bool = True) -> list[str]:
    """A table as lines of text, one per row. Under a header row each cell is labelled with its column's header
    (部门：教务处，负责人：周明), so that a row read alone, as a passage or a quoted answer, says what its cells are;
    without one (or where cells are merged) the cells are joined with " | ". Where cells may be merged (a Word or
    a web table repeats a merged cell's text in each column it spans), a row's repeated cell is written once; a
    plain-text table merges none (its 0 0 1 is three cells)."""
    rows = [r for r in rows if any(r)]

    def joined(row: list[str]) -> str:
        cells = [c for c in row if c]
        return " | ".join(dict.fromkeys(cells) if merged else cells)

    if not header and (pairs := _label_pairs(rows, merged)):
        return ["，".join(f"{a}：{b}" for a, b in row) for row in pairs]
    if header and len(rows) > 1:
        head, body = header_rows(rows)
        return [
            "，".join(f"{h}：{c}" if h and h != c else c for h, c in zip(head, row) if c)
            if len(row) == len(head) and not (merged and len(set(row)) == 1) else joined(row)  # (a merged note, once)
            for row in body
        ]
    return [joined(row) for row in rows]


def header_rows(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    """A table's header and body, its first row the header: with a second row of labels under a label spanning
    columns (同意 over 票数 | 比例（%）, the spanned cell empty or repeated), the two as one (同意票数, 同意比例（%）)."""
    top, rest = rows[0], rows[1:]
    sub = rest[0] if len(rest) > 1 else []
    spanned = {k for k in range(1, len(top)) if top[k - 1] and (not top[k] or top[k] == top[k - 1])}
    spanned |= {k - 1 for k in spanned}
    # (Under a label no other spans, a second row of labels is empty or repeats it, its cell merged down: a row
    # naming something else there, 化学实验室 under 实验室, is the first row of values.)
    if len(sub) != len(top) or any(_DIGIT.search(c) for c in sub) or not spanned or not all(
            sub[k] for k in spanned) or any(sub[k] not in ("", top[k]) for k in range(len(top)) if k not in spanned):
        return top, rest
    head, carried = [], ""
    for k, (t, s) in enumerate(zip(top, sub)):
        carried = t or (carried if k and sub[k] else "")
        head.append(f"{carried}{s}" if carried and s and s != carried else carried or s)
    return head, rest[1:]


# A form's label: a few characters, no digit, no mark (姓名, 出生年月, 政治面貌).
_FORM_LABEL = re.compile(r"[^\d\s，。；：:,.;、|（）()]{1,6}")


def _label_pairs(rows: list[list[str]], merged: bool) -> list[list[tuple[str, str]]] | None:
    """A form's table, each row its labels each followed by its value (姓名 | 林晓岚 | 性别 | 女), as label-value
    pairs, else None: every row of pairs, every label a form's and none twice, some value not a label's shape
    (a table of words alone is no form)."""
    if merged:  # (a value merged across columns is repeated in each)
        rows = [[c for k, c in enumerate(r) if k == 0 or c != r[k - 1]] for r in rows]
    rows = [r[: max((k + 1 for k, c in enumerate(r) if c), default=0)] for r in rows]  # less a row's empty end
    if not rows or any(len(r) % 2 or not all(r) for r in rows):
        return None
    pairs = [list(zip(r[::2], r[1::2])) for r in rows]
    labels = [a for row in pairs for a, _ in row]
    if len(labels) < 2 or len(set(labels)) < len(labels) or not all(_FORM_LABEL.fullmatch(a) for a in labels) \
            or all(_FORM_LABEL.fullmatch(b) for row in pairs for _, b in row):
        return None
    return pairs


# A labelled row's cells are parted by a comma before the next label (学费（元/年）：6800，学制：四年); a comma inside
# a cell is followed by no label.
_NEXT_CELL = re.compile(r"，(?=[^，：:]{1,20}[：:])")
_CELL = re.compile(r"\s*([^：:]*[^\s：:])\s*[：:]\s*(\S.*)", re.DOTALL)


def row_cells(line: str) -> dict[str, str] | None:
    """A table row as table_lines labels it (专业：临床医学，学费（元/年）：7500) as {header: cell}; None for a line
    of no two labelled cells."""
    cells: dict[str, str] = {}
    for part in _NEXT_CELL.split(line.strip()):
        if (m := _CELL.fullmatch(part)) is None:
            return None
        cells[m.group(1).strip()] = m.group(2).strip()
    return cells if len(cells) > 1 else None
