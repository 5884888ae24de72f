"""PDF files (text layer): lines with their page, page furniture dropped, paragraphs, headings and ruled tables
found from the layout."""

from __future__ import annotations

import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from .errors import UnreadableFileError
from .lines import (
    ITEM,
    LARGER,
    Extracted,
    Line,
    header_by_columns,
    header_rows,
    heading_shaped,
    join_wrapped,
    repair,
    table_lines,
)

# A line at a page's top or bottom that is only a page number: "3", "- 3 -", "第 3 页", "第3页 共10页", "3/10", "Page 3".
_PAGE_NO = re.compile(r"^[\s\-–—·•]*(?:第?\s*\d+\s*页?|page\s*\d+|\d+\s*/\s*\d+)(?:\s*[,，]?\s*共\s*\d+\s*页)?[\s\-–—·•]*$", re.I)
MIN_CHARS_PER_PAGE = 10


def read_pdf(path: Path) -> Extracted:
    """A PDF's text layer: page furniture removed, paragraphs found from indents, gaps and short last lines."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfminer warns once per glyph of a font whose descriptor lacks metrics (PDFs printed by Chromium): the text
    # reads the same, and an ingest should not print hundreds of such lines.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [_pdf_page(page) for page in pdf.pages]
            heights = [float(p.height) for p in pdf.pages]
    except (PdfminerException, PDFSyntaxError, PSException, PDFPasswordIncorrect, PDFEncryptionError) as e:
        cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise UnreadableFileError(f"{path.name}: the PDF is password-protected; save an unprotected copy "
                                      "and ingest that") from None
        raise UnreadableFileError(f"{path.name}: not a readable PDF ({type(cause).__name__}; the file may be "
                                  "damaged or truncated)") from None
    except Exception as e:  # pdfminer raises bare exceptions on some damaged files
        raise UnreadableFileError(f"{path.name}: not a readable PDF ({type(e).__name__}: {e})"[:300]) from None
    # A scanner's page holds no text at all, or a stamp of a few characters ("CamScanner").
    if sum(len(t.text) for p in pages for t in p) < MIN_CHARS_PER_PAGE * max(len(pages), 1):
        raise UnreadableFileError(f"{path.name}: the PDF has no text layer (a scan or pictures of text); "
                                  "run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and ingest the result")
    return Extracted("pdf", _pdf_paragraphs(_continued_tables(_drop_furniture(pages, heights))), pages=len(pages))


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool = False  # every character set in a bold face
    row: bool = False  # a row of a ruled table, its cells labelled by the header
    hang: float | None = None  # a list item's: where its text begins, right of the marker
    cells: tuple[str, ...] = ()  # a table row's cells
    header: tuple[str, ...] = ()  # and its table's header row, if it has one


# What a line breaker keeps together: a number or a Latin word, its unit or sign, and the punctuation after it.
_UNBROKEN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.,:/%‰℃°％-]*[%‰℃°％）)]?[。，、；：！？”’」』）)]*")
_ENDS_SENTENCE = re.compile(r"[。！？；：!?;:…][”’」』）)]*$")  # (放心食品。” and 新台阶…… end theirs too)
_BOLD_FONT = re.compile(r"bold|heavy|black|semibold|demi", re.I)


def _pdf_line(ln: dict) -> _PdfLine:
    chars = [c for c in ln["chars"] if c["text"].strip()]
    size = statistics.median(round(c["size"], 1) for c in chars) if chars else 0.0
    bold = bool(chars) and all(_BOLD_FONT.search(c.get("fontname", "")) for c in chars)
    text = repair(ln["text"].strip(), glyphs=True)
    hang = None
    if marker := ITEM.match(text):
        n = len(re.sub(r"\s", "", marker.group(0)))  # the marker's glyphs; its text starts at the next one
        hang = chars[n]["x0"] if n < len(chars) else None
    return _PdfLine(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, bold, hang=hang)


def _pdf_page(page: Any) -> list[_PdfLine]:
    """A page's lines top to bottom; a ruled table's lines replaced by its rows (pdfplumber finds the table from
    its rules), the first row its header when set in bold."""
    lines = [_pdf_line(ln) for ln in page.extract_text_lines(return_chars=True) if ln["text"].strip()]
    for table in page.find_tables():
        x0, top, x1, bottom = table.bbox
        inside = [t for t in lines if top <= (t.top + t.bottom) / 2 <= bottom and t.x1 > x0 and t.x0 < x1]
        rows = [[_cell(c or "") for c in r] for r in table.extract()]
        # (One row of cells is a table too: a table's last row run onto the next page, labelled there by the
        # header it goes on from; one cell alone is a box round text.)
        if not rows or not inside or len(rows) < 2 and len(rows[0]) < 2:
            continue
        # Its header set in bold, or read so by its columns (a header row is often set as plainly as the rest).
        head = bool(inside[0].bold) and not all(t.bold for t in inside) or header_by_columns(rows)
        size = statistics.median(t.size for t in inside)
        texts = table_lines(rows, head)
        kept = [list(r) for r in rows if any(r)]
        header, body = header_rows(kept) if head and len(kept) > 1 else ([], kept)
        step = (bottom - top) / (len(texts) + 1)
        lines = [t for t in lines if not any(t is i for i in inside)] + [
            _PdfLine(text, x0, x1, top + i * step, top + (i + 1) * step, size, row=True, cells=tuple(cells),
                     header=tuple(header))
            for i, (text, cells) in enumerate(zip(texts, body))]
    return sorted(lines, key=lambda t: t.top)


def _continued_tables(pages: list[list[_PdfLine]]) -> list[list[_PdfLine]]:
    """A table running onto the next page goes on there without its header row: the rows a page opens with,
    under no header of their own and as many cells as the header of the table the page before ended with, are
    labelled by that header (整机净重：8.6 kg, not 整机净重 | 8.6 kg)."""
    for before, page in pairwise(pages):
        if not before or not page or not before[-1].header:
            continue
        header = before[-1].header
        for i, t in enumerate(page):
            if not t.row or t.header or len(t.cells) != len(header):
                break
            page[i] = replace(t, text=table_lines([list(header), list(t.cells)], True)[0], header=header)
    return pages


def _cell(text: str) -> str:
    """A table cell's text, its wrapped lines joined (Chinese without a space, Latin words with one)."""
    out = ""
    for part in filter(None, (p.strip() for p in text.splitlines())):
        out = join_wrapped(out, part) if out else part
    return repair(out, glyphs=True)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(pages: list[list[_PdfLine]], heights: list[float], edge: int = 2) -> list[list[_PdfLine]]:
    """Remove running headers/footers (the same text, digits aside, at a page edge on most pages) and page numbers."""
    counts: Counter[str] = Counter()
    for lines in pages:
        # (A table's rows are text, however alike: a long table's first and last rows on every page are no header.)
        ends = {_furniture_key(t.text) for t in lines[:edge] + lines[-edge:] if not t.row}
        counts.update(ends)
    repeated = {k for k, n in counts.items() if len(pages) >= 2 and n >= max(2, len(pages) / 2)}
    out = []
    for lines, height in zip(pages, heights):
        keep = []
        for i, t in enumerate(lines):
            at_edge = i < edge or i >= len(lines) - edge
            margin = t.top < height * 0.12 or t.bottom > height * 0.88
            if at_edge and (_furniture_key(t.text) in repeated or (margin and _PAGE_NO.match(t.text))):
                continue
            keep.append(t)
        out.append(keep)
    return out


def _pdf_paragraphs(pages: list[list[_PdfLine]]) -> list[Line]:
    """Lines with a blank line where a paragraph ends; lines set larger than the body text are headings."""
    body = [t for p in pages for t in p if not t.row] or [t for p in pages for t in p]  # the text, tables aside
    if not body:
        return []
    sizes = Counter(round(t.size) for t in body for _ in range(len(t.text)))
    size = float(sizes.most_common(1)[0][0]) or 10.0
    left = Counter(round(t.x0) for t in body if round(t.size) == size).most_common(1)
    margin = left[0][0] if left else min(t.x0 for t in body)
    # Most lines of a paragraph run to the right edge; a few (hanging punctuation, Latin words) stick out.
    ends = sorted(t.x1 for t in body if round(t.size) == size) or sorted(t.x1 for t in body)
    right = ends[int(0.8 * (len(ends) - 1))]
    gaps = [b.top - a.top for p in pages for a, b in zip(p, p[1:]) if round(a.size) == round(b.size) == size]
    leading = statistics.median(gaps) if gaps else size * 1.5
    bigger = sorted({round(t.size) for t in body if t.size >= size * LARGER and len(t.text) <= 60}, reverse=True)
    # Bold at the body's size heads a section too, where the body text is not bold.
    body_bold = sum(len(t.text) for t in body if t.bold) > sum(len(t.text) for t in body) / 2
    out: list[Line] = []
    prev: _PdfLine | None = None
    hangs: tuple[float, ...] = ()  # where the wrapped lines of the list item being read may begin
    for n, lines in enumerate(pages, start=1):
        for i, t in enumerate(lines):
            level = bigger.index(round(t.size)) + 1 if round(t.size) in bigger and not t.row else 0
            if not level and t.bold and not t.row and not body_bold and heading_shaped(t.text):
                level = len(bigger) + 1
            if prev is not None and level and i > 0 and out[-1].level == level and _wraps(prev, t, margin, right):
                out[-1] = Line(join_wrapped(out[-1].text, t.text), n, level)  # a heading too long for one line
                prev = t
                continue
            item = bool(ITEM.match(t.text))
            # A list item's wrapped lines start under its text (a hanging marker) or under its marker: indented
            # as the item is, which is no first-line indent. Half a character either way is the same position.
            under_item = not item and any(abs(t.x0 - x) < 0.5 * size for x in hangs)
            if hangs and not item and abs(t.x0 - margin) < 0.5 * size:
                # The item's wrapped line went back to the margin: it is a paragraph numbered (1、…, set at the
                # paragraph indent), and a line under its marker opens the next paragraph.
                hangs = hangs[-1:]
            new_para = prev is None or (
                level > 0
                or out[-1].level > 0
                or t.row != prev.row  # a table starts or ends
                or item  # a list item starts a paragraph of its own
                or (t.x0 > margin + 0.8 * size and not under_item)  # first-line indent
                # The previous line stopped short: its paragraph ended, unless what opens this line (18%。) was
                # too wide to fit there and no sentence ended before it.
                or prev.x1 < right - 1.5 * size and not _pushed_down(prev, t, right, size)
                or (i > 0 and t.top - prev.top > 1.4 * leading)  # a gap (not across a page break)
            ) and not (t.row and prev.row)  # a table's rows are one block of lines
            if new_para:
                if out and out[-1].text:
                    out.append(Line("", n))
                hangs = (t.x0, t.x0 if t.hang is None else t.hang) if item else ()  # under its marker, its text
            out.append(Line(t.text, n, level, item=t.row))
            prev = t
    return out


def _pushed_down(prev: _PdfLine, t: _PdfLine, right: float, size: float) -> bool:
    """Whether a line opens with a run that may not be broken (a number with its unit and punctuation, a Latin
    word) too wide for the room the line before left, and that line ended no sentence: it was wrapped there."""
    run = _UNBROKEN.match(t.text)
    if run is None or _ENDS_SENTENCE.search(prev.text.rstrip()):
        return False
    # A Chinese character or mark is a character wide; a digit or a Latin letter at most about 0.6 of one. A run
    # that would have fitted in the room left was put there by the line breaker: none was, the line ended.
    width = sum(0.6 * size if ch.isascii() else size for ch in run.group(0))
    return prev.x1 + width > right


def _wraps(prev: _PdfLine, t: _PdfLine, margin: float, right: float) -> bool:
    """Whether a heading line goes on in the next line at its size: it was wrapped, not ended by its author."""
    # The first line fills the column (one that stops short was ended there), centred or not: a wrapped line leaves
    # at most a character unused, at either edge or split between them. The next follows at the heading's own
    # line spacing, no more than a line of that type below.
    slack = 1.5 * t.size
    return (round(prev.size) == round(t.size) and prev.x0 <= margin + slack and prev.x1 >= right - slack
            and t.top - prev.bottom <= t.size)
