"""Word (.docx) files: paragraphs and table rows in order, headings from styles or from how they look."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UnreadableFileError
from .lines import (
    LARGER,
    Extracted,
    Line,
    header_by_columns,
    heading_shaped,
    repair,
    table_lines,
)


def read_docx(path: Path) -> Extracted:
    """A Word file: paragraphs and table rows in order; Title and Heading N styles become heading levels."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    if not zipfile.is_zipfile(path):
        raise UnreadableFileError(f"{path.name}: not a Word .docx file (it is not a zip package; "
                                  "an old .doc must be saved as .docx first)")
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise UnreadableFileError(f"{path.name}: not a readable Word .docx file ({type(e).__name__})") from None
    paras: list[_Para | Line] = []
    # Type of no stated size is the Normal style's, else Word's default for a new document (11 pt).
    try:
        normal_size = document.styles["Normal"].font.size
    except KeyError:
        normal_size = None
    normal = normal_size.pt if normal_size else 11.0
    numbering = _Numbering(document)
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[c.text.strip() for c in _distinct_cells(row.cells)] for row in block.rows]
            header = bool(block.rows) and (_docx_header(block.rows[0]) or header_by_columns(rows))
            paras += [Line(repair(text)) for text in table_lines(rows, header)]
            continue
        # Word numbers a list's paragraphs itself: the number is shown, not in the text (an empty item counts too).
        number = numbering.label(block)
        text = repair(block.text.strip())
        if text:
            paras.append(_Para.of(block, number + text, normal))
    levels = _emphasis_levels([p for p in paras if isinstance(p, _Para)])
    lines: list[Line] = []
    for p in paras:
        if isinstance(p, _Para):
            line = Line(p.text, level=p.level or (levels.get(p.look, 0) if heading_shaped(p.text) else 0))
        else:
            line = p
        lines += [line, Line("")]
    return Extracted("docx", lines, explicit=True)


@dataclass(frozen=True)
class _Para:
    """A Word paragraph: its text, its heading level from a style, and how it looks (type size, all bold)."""

    text: str
    level: int
    look: tuple[float, bool]

    @classmethod
    def of(cls, block: Any, text: str, normal: float) -> _Para:
        style = block.style
        runs = [r for r in block.runs if r.text.strip()]
        sizes = [r.font.size.pt for r in runs if r.font.size] or (
            [style.font.size.pt] if style is not None and style.font.size else [normal])
        styled_bold = bool(style is not None and style.font.bold)
        bold = bool(runs) and all(r.bold or (r.bold is None and styled_bold) for r in runs)
        return cls(text, _docx_level(style.name if style is not None else ""), (max(sizes), bold))


def _emphasis_levels(paras: list[_Para]) -> dict[tuple[float, bool], int]:
    """Heading levels for looks that set short paragraphs apart from the body text (a document that makes its
    headings by hand, larger or bold): the larger, the higher; bold at the body's size last. The body's look is
    the one most of the text has."""
    weight: Counter[tuple[float, bool]] = Counter()
    for p in paras:
        weight[p.look] += len(p.text)
    if not weight:
        return {}
    body_size, body_bold = weight.most_common(1)[0][0]
    looks = {p.look for p in paras if not p.level and heading_shaped(p.text)}
    bigger = sorted({size for size, _ in looks if size >= LARGER * body_size}, reverse=True)
    levels = {look: bigger.index(look[0]) + 1 for look in looks if look[0] in bigger}
    if not body_bold:
        # Beside heading styles, bold ones at the body's size sit under the deepest styled one (a Heading 1 title
        # over the bold labels of its sections); larger ones keep their rank (a title made by hand over them).
        bold = max(len(bigger), max((p.level for p in paras), default=0)) + 1
        levels |= {look: bold for look in looks if look not in levels and look[1] and look[0] >= body_size}
    return levels


def _distinct_cells(cells: list) -> list:
    """A row's cells, a merged cell once (python-docx repeats it for every grid column it spans)."""
    return list({id(c._tc): c for c in cells}.values())


def _docx_header(row: object) -> bool:
    """Whether a Word table's first row is its header: marked to repeat as one, or all of its text bold."""
    tr = row._tr  # type: ignore[attr-defined]
    if tr.trPr is not None and tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None:
        return True
    runs = [r for c in row.cells for p in c.paragraphs for r in p.runs if r.text.strip()]  # type: ignore[attr-defined]
    return bool(runs) and all(r.bold for r in runs)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Numbering:
    """The numbers Word shows before list paragraphs (numbering.xml), counted as Word counts them: per list
    definition (abstractNum), which the lists drawing on it (numId) share unless one restarts it; a deeper level
    starts again under each item above it."""

    def __init__(self, document: Any) -> None:
        self.document = document
        self.lists: dict[str, tuple[str, dict[int, int]]] | None = None  # numId -> (abstractNumId, restarts)
        self.levels: dict[str, dict[int, Any]] = {}  # abstractNumId -> ilvl -> its <w:lvl>
        self.counts: dict[str, dict[int, int]] = {}  # abstractNumId -> ilvl -> the last number shown
        self.begun: set[tuple[str, int]] = set()  # (numId, ilvl) numbered already: a restart is at its first item

    def _load(self) -> dict[str, tuple[str, dict[int, int]]]:
        """The lists of numbering.xml, read when a paragraph is first numbered (most documents number none)."""
        lists: dict[str, tuple[str, dict[int, int]]] = {}
        try:
            root = self.document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return lists
        for a in root.iterchildren(f"{_W}abstractNum"):
            self.levels[a.get(f"{_W}abstractNumId")] = {int(lv.get(f"{_W}ilvl", 0)): lv
                                                         for lv in a.iterchildren(f"{_W}lvl")}
        for num in root.iterchildren(f"{_W}num"):
            restarts = {int(o.get(f"{_W}ilvl", 0)): int(start)
                        for o in num.iterchildren(f"{_W}lvlOverride")
                        if (start := _val(o, "startOverride") or "").lstrip("-").isdigit()}
            if ref := _val(num, "abstractNumId"):
                lists[num.get(f"{_W}numId")] = (ref, restarts)
        return lists

    def label(self, paragraph: Any) -> str:
        """What Word shows before a paragraph's text (1. , 一、, （二）, 2.1 ), "" for none or a bullet."""
        num_id, ilvl = _list_of(paragraph)
        if num_id is None:
            return ""
        if self.lists is None:
            self.lists = self._load()
        abstract, restarts = self.lists.get(num_id, ("", {}))
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counts = self.counts.setdefault(abstract, {})
        if (num_id, ilvl) not in self.begun:
            self.begun.add((num_id, ilvl))
            if ilvl in restarts:
                counts[ilvl] = restarts[ilvl] - 1
        counts[ilvl] = counts.get(ilvl, _start(levels[ilvl]) - 1) + 1
        for deeper in [lv for lv in counts if lv > ilvl]:
            del counts[deeper]
        lvl = levels[ilvl]
        if _val(lvl, "numFmt") == "bullet":
            return ""  # a bullet item reads as its text
        legal = lvl.find(f"{_W}isLgl") is not None  # every level's number in digits (1.2 under 第一章)

        def number(m: re.Match[str]) -> str:
            at = levels.get(k := int(m.group(1)) - 1)
            n = counts.get(k, _start(at) if at is not None else 1)
            return _format(n, "decimal" if legal or at is None else _val(at, "numFmt") or "decimal")

        shown = re.sub(r"%([1-9])", number, _val(lvl, "lvlText") or "").strip()
        # Word sets a tab (or a space) after the number: a space here, where the number does not end in a
        # Chinese mark that separates it already (一、总则).
        apart = shown and shown[-1] not in "、．）】〕" and _val(lvl, "suff") != "nothing"
        return shown + " " if apart else shown


def _list_of(paragraph: Any) -> tuple[str | None, int]:
    """A paragraph's list (numId) and level (ilvl): set on it, else by its style or a style it is based on (List
    Number); numId 0 takes a style's numbering off."""
    num_id: str | None = None
    ilvl: int | None = None
    props = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None and len(props) < 10:  # based-on styles that loop end somewhere
        props.append(style._element.pPr)
        style = style.base_style
    for pr in (p.numPr for p in props if p is not None):
        if pr is None:
            continue
        if num_id is None and pr.numId is not None:
            num_id = str(pr.numId.val)
        if ilvl is None and pr.ilvl is not None:
            ilvl = int(pr.ilvl.val)
    return (num_id if num_id and num_id != "0" else None), ilvl or 0


def _val(el: Any, child: str) -> str | None:
    """The w:val of an element's child, None without that child."""
    found = el.find(f"{_W}{child}")
    return found.get(f"{_W}val") if found is not None else None


def _start(lvl: Any) -> int:
    """Where a level's numbers start (0 where it does not say, as in Word)."""
    start = _val(lvl, "start") or ""
    return int(start) if start.lstrip("-").isdigit() else 0


_DIGITS = "〇一二三四五六七八九"


def _format(n: int, fmt: str) -> str:
    """A number as a numbering format writes it: 3 as 3, 03, c, C, iii, III, 三, 叁, 丙, ③."""
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        s = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # after z: aa, bb, as Word goes on
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        s = ""
        for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                               (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
            while n >= value:
                s, n = s + numeral, n - value
        return s.upper() if fmt == "upperRoman" else s
    if fmt.startswith(("chineseCounting", "japaneseCounting", "taiwaneseCounting")) and 0 <= n < 100:
        tens = "" if n < 20 else _DIGITS[n // 10]
        return _DIGITS[n] if n < 10 else tens + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if fmt == "chineseLegalSimplified" and 0 <= n < 10:
        return "零壹贰叁肆伍陆柒捌玖"[n]
    if fmt == "ideographTraditional" and 0 < n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return chr(ord("①") + n - 1)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def _docx_level(style: str) -> int:
    """Title -> 1, Heading N -> N + 1 (localized Word names these styles 标题 / 标题 N)."""
    if style in ("Title", "标题"):
        return 1
    m = re.match(r"^(?:Heading|标题)\s*(\d)$", style)
    return int(m.group(1)) + 1 if m else 0
