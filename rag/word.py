"""Word (.docx) files: paragraphs and table rows in order, headings from styles or from how they look."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import UnreadableFileError
from .lines import LARGER, Extracted, Line, heading_shaped, repair, table_lines


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
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [[c.text.strip() for c in _distinct_cells(row.cells)] for row in block.rows]
            header = bool(block.rows) and _docx_header(block.rows[0])
            paras += [Line(repair(text)) for text in table_lines(rows, header)]
            continue
        text = repair(block.text.strip())
        if text:
            paras.append(_Para.of(block, text, normal))
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
    headings by hand, larger or bold, without heading styles): the larger, the higher; bold at the body's size
    last. The body's look is the one most of the text has."""
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
        levels |= {look: len(bigger) + 1 for look in looks if look not in levels and look[1] and look[0] >= body_size}
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


def _docx_level(style: str) -> int:
    """Title -> 1, Heading N -> N + 1 (localized Word names these styles 标题 / 标题 N)."""
    if style in ("Title", "标题"):
        return 1
    m = re.match(r"^(?:Heading|标题)\s*(\d)$", style)
    return int(m.group(1)) + 1 if m else 0
