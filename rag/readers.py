"""Read a document of any supported format into lines of text that keep where each line came from.

One function per format. PDF lines carry their page; Word and HTML lines carry heading levels from the
document's own styles or markup. Everything a parser library needs is imported lazily.
"""

from __future__ import annotations

import json
import logging
import re
import statistics
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .errors import UnreadableFileError

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}
# A line at a page's top or bottom that is only a page number: "3", "- 3 -", "第 3 页", "第3页 共10页", "3/10", "Page 3".
_PAGE_NO = re.compile(r"^[\s\-–—·•]*(?:第?\s*\d+\s*页?|page\s*\d+|\d+\s*/\s*\d+)(?:\s*[,，]?\s*共\s*\d+\s*页)?[\s\-–—·•]*$", re.I)
# Elements of a web page that are never its content.
MIN_CHARS_PER_PAGE = 10
_HTML_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
                "svg", "button", "select")
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd", "tr", "figcaption")


HEADING_MAX_CHARS = 40


def heading_shaped(text: str) -> bool:
    """Short, and no sentence in it: how a heading looks when nothing marks it as one."""
    return (len(text) <= HEADING_MAX_CHARS and not re.search(r"[。！？；，、：,;:…!?]$", text.rstrip("”’」』）)》"))
            and not re.search(r"[。！？]", text))


@dataclass(frozen=True)
class Line:
    """One line of extracted text; level > 0 marks a heading of that depth (from styles or markup)."""

    text: str
    page: int | None = None
    level: int = 0
    item: bool = False  # a list item or a table row: complete in itself, never joined into the line before


@dataclass
class Extracted:
    """A document's text as lines; blank lines separate paragraphs."""

    kind: str  # text | pdf | docx | html
    lines: list[Line] = field(default_factory=list)
    pages: int | None = None
    # Word and HTML mark paragraphs and headings themselves: nothing is guessed from line shapes.
    explicit: bool = False


# -- radicals -----------------------------------------------------------------


@cache
def _radical_table() -> dict[int, str]:
    """Kangxi and CJK supplement radical code points -> the ideograph a reader sees (rag/radicals.json)."""
    data = json.loads((Path(__file__).with_name("radicals.json")).read_text(encoding="utf-8"))
    return {ord(k): v for k, v in data.items()}


def repair(text: str) -> str:
    """Map radical code points back to ideographs (Chinese PDFs write 长 as ⻓ U+2ED3) and drop NULs."""
    return text.translate(_radical_table()).replace("\x00", "")


# -- formats ------------------------------------------------------------------


def read(path: Path) -> Extracted:
    """Read one file by its suffix; a file that cannot be read raises UnreadableFileError naming why."""
    suffix = path.suffix.lower()
    reader: Callable[[Path], Extracted] | None = {
        ".txt": read_text, ".md": read_text, ".pdf": read_pdf, ".docx": read_docx, ".html": read_html,
        ".htm": read_html,
    }.get(suffix)
    if reader is None:
        raise UnreadableFileError(f"{path.name}: {suffix or 'no suffix'} is not a supported type "
                                  f"(use {', '.join(sorted(SUFFIXES))})")
    try:
        return reader(path)
    except UnreadableFileError:
        raise
    except OSError as e:
        raise UnreadableFileError(f"{path.name}: cannot be read ({e.strerror or e})") from None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark), else GB18030 (common for Chinese files), each with a warning
    naming the file; binary junk (NUL bytes, or mostly undecodable) raises UnreadableFileError."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:  # no text encoding read here uses NUL: this is a binary file named .txt
        raise UnreadableFileError(f"{name}: it is not text (NUL bytes: binary data). Convert it to UTF-8 text "
                                  "to index it.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
        log.warning("%s is not UTF-8; read it as GB18030. Save it as UTF-8 if the text looks wrong.", name)
        return text
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad * 2 > len(text):
        raise UnreadableFileError(f"{name}: it is not text ({bad} of {len(text)} characters undecodable). "
                                  "Convert it to UTF-8 text to index it.")
    log.warning("%s: %d bytes are neither UTF-8 nor GB18030; indexed it with them replaced by \ufffd. "
                "Save it as UTF-8 to index them.", name, bad)
    return text


# A list item's marker: - * + • ·, 1. 1、 1) (1) ①, 一、 (一).
_ITEM = re.compile(r"^\s*(?:[-*+•·]\s+|\d{1,3}[.、)）](?!\d)\s*|[（(]\d{1,3}[)）]|[①-⑳]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[)）])")
_MD_BULLET = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|>\s?)")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # an image: its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # a link: its text
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold, strikethrough
    (re.compile(r"(?<![*A-Za-z0-9])\*(?=\S)([^*]+?)(?<=\S)\*(?![*A-Za-z0-9])"), r"\1"),  # italic
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
]
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_FENCE = re.compile(r"^\s*(?:```|~~~)")
_MD_RULE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")


def read_text(path: Path) -> Extracted:
    """A .txt or .md file, line for line (its own line numbers are the citation). List items are marked; in
    Markdown, emphasis, links and code marks are dropped and a table's rows are labelled by its header."""
    return Extracted("text", text_lines(repair(decode(path.read_bytes(), path.name)), path.suffix.lower() == ".md"))


def text_lines(text: str, markdown: bool = False) -> list[Line]:
    """The lines of a text file (one out per line in, so that line numbers cite the file), list items marked."""
    raw = text.splitlines()
    if not markdown:
        return [Line(s, item=bool(_ITEM.match(s))) for s in raw]
    lines = [Line(_md_inline(s), item=bool(_ITEM.match(s))) for s in raw]
    fenced = False
    for i, s in enumerate(raw):
        if _MD_FENCE.match(s):  # a code block's fence; the code between is kept as it is, a line to a line
            fenced = not fenced
            lines[i] = Line("")
        elif fenced:
            lines[i] = Line(s, item=True)
        elif _MD_RULE.match(s):  # a horizontal rule (or a heading's underline)
            lines[i] = Line("")
        elif i and "|" in s and _MD_TABLE_RULE.match(s) and "|" in raw[i - 1]:  # a header row above a rule: a table
            end = i + 1
            while end < len(raw) and "|" in raw[end] and raw[end].strip():
                end += 1
            head, *body = [[_md_inline(c.strip()) for c in r.strip().strip("|").split("|")]
                           for r in (raw[i - 1], *raw[i + 1 : end])]
            # One line out per line in, so that line numbers still cite the file.
            lines[i - 1 : end] = [Line(""), Line(""), *(Line("".join(table_lines([head, row], header=True)), item=True)
                                                        for row in body)]
    return lines


def _md_inline(line: str) -> str:
    """A Markdown line as it reads: without bullets, quote marks, emphasis, link targets and code marks."""
    line = _MD_BULLET.sub("", line)
    for rx, repl in _MD_INLINE:
        line = rx.sub(repl, line)
    return line


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


_LARGER = 1.15  # type this much larger than the body's is a heading's (as in PDFs, read_pdf)


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
    bigger = sorted({size for size, _ in looks if size >= _LARGER * body_size}, reverse=True)
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


def table_lines(rows: list[list[str]], header: bool) -> list[str]:
    """A table as lines of text, one per row. Under a header row each cell is labelled with its column's header
    (部门：教务处，负责人：周明), so that a row read alone, as a passage or a quoted answer, says what its cells are;
    without one (or where cells are merged) the cells are joined with " | "."""
    rows = [r for r in rows if any(r)]
    if header and len(rows) > 1:
        head, body = rows[0], rows[1:]
        return [
            "，".join(f"{h}：{c}" if h and h != c else c for h, c in zip(head, row) if c) if len(row) == len(head)
            else " | ".join(dict.fromkeys(c for c in row if c))
            for row in body
        ]
    return [" | ".join(dict.fromkeys(c for c in row if c)) for row in rows]


def _docx_level(style: str) -> int:
    """Title -> 1, Heading N -> N + 1 (localized Word names these styles 标题 / 标题 N)."""
    if style in ("Title", "标题"):
        return 1
    m = re.match(r"^(?:Heading|标题)\s*(\d)$", style)
    return int(m.group(1)) + 1 if m else 0


def read_html(path: Path) -> Extracted:
    """A web page's article: navigation, header, footer, sidebars and scripts dropped; h1-h6 are headings. Text
    set straight in a container (a <div> with <br> between its lines) is read too, unless it is mostly links."""
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "html.parser")
    for tag in soup(_HTML_CHROME):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[Line] = []

    def emit(text: str, level: int = 0) -> None:
        text = repair(re.sub(r"\s+", " ", text).strip())
        if text:
            lines.extend((Line(text, level=level), Line("")))

    _html_walk(root, emit)
    if not lines:
        text = root.get_text("\n", strip=True)
        lines = [Line(repair(s)) for s in text.splitlines()]
    return Extracted("html", lines, explicit=True)


# Inline elements: their text runs on with the text around them.
_HTML_INLINE = frozenset("a abbr b big cite code del em font i ins kbd label mark q s small span strong sub sup "
                         "time u var".split())
_LINK_SHARE = 0.5  # a run of text mostly inside links is navigation (readability's link density)


def _html_walk(el: Any, emit: Callable[..., None]) -> None:
    """Emit an element's text in reading order: each block (p, li, h1-h6, a table's rows) as a line, and each run
    of text set straight in a container, up to a <br> or a block."""
    from bs4 import NavigableString
    from bs4.element import PreformattedString

    run: list[Any] = []

    def flush() -> None:
        text = "".join(x if isinstance(x, str) else x.get_text() for x in run).strip()
        links = sum(len(a.get_text()) for x in run if not isinstance(x, str)
                    for a in ([x] if x.name == "a" else x.find_all("a")))
        if text and links < _LINK_SHARE * len(text):
            emit(text)
        run.clear()

    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctypes, CDATA
                run.append(str(child))
        elif child.name == "br":
            flush()
        elif child.name in _HTML_INLINE and not child.find(_HTML_BLOCKS):
            run.append(child)
        elif child.name == "table":
            flush()
            _html_table(child, emit)
        elif child.name in _HTML_BLOCKS and not child.find(_HTML_BLOCKS):
            flush()
            level = int(child.name[1]) if child.name[0] == "h" and child.name[1:].isdigit() else 0
            emit(child.get_text(" " if child.name == "tr" else "", strip=True), level)
        else:
            flush()
            _html_walk(child, emit)
    flush()


def _html_table(table: Any, emit: Callable[..., None]) -> None:
    """A web page's table, a row to a line; a first row of <th> cells (or in <thead>) is its header. Rows whose
    cells hold paragraphs (a page laid out with a table) are read as those paragraphs, where they stand."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    first = rows[0].find_all(["td", "th"], recursive=False) if rows else []
    head = rows[0] if first and (all(c.name == "th" for c in first) or rows[0].find_parent("thead")) else None
    group: list[Any] = []  # consecutive rows of plain cells

    def flush() -> None:
        cells = [[re.sub(r"\s+", " ", c.get_text(" ", strip=True)).strip()
                  for c in tr.find_all(["td", "th"], recursive=False)] for tr in group]
        for text in table_lines(cells, header=bool(group) and group[0] is head):
            emit(text)
        group.clear()

    for tr in rows:
        if tr.find(_HTML_BLOCKS):
            flush()
            _html_walk(tr, emit)
        else:
            group.append(tr)
    flush()


def read_pdf(path: Path) -> Extracted:
    """A PDF's text layer: page furniture removed, paragraphs found from indents, gaps and short last lines."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

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
    return Extracted("pdf", _pdf_paragraphs(_drop_furniture(pages, heights)), pages=len(pages))


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


_BOLD_FONT = re.compile(r"bold|heavy|black|semibold|demi", re.I)


def _pdf_line(ln: dict) -> _PdfLine:
    chars = [c for c in ln["chars"] if c["text"].strip()]
    size = statistics.median(round(c["size"], 1) for c in chars) if chars else 0.0
    bold = bool(chars) and all(_BOLD_FONT.search(c.get("fontname", "")) for c in chars)
    return _PdfLine(repair(ln["text"].strip()), ln["x0"], ln["x1"], ln["top"], ln["bottom"], size, bold)


def _pdf_page(page: Any) -> list[_PdfLine]:
    """A page's lines top to bottom; a ruled table's lines replaced by its rows (pdfplumber finds the table from
    its rules), the first row its header when set in bold."""
    lines = [_pdf_line(ln) for ln in page.extract_text_lines(return_chars=True) if ln["text"].strip()]
    for table in page.find_tables():
        x0, top, x1, bottom = table.bbox
        inside = [t for t in lines if top <= (t.top + t.bottom) / 2 <= bottom and t.x1 > x0 and t.x0 < x1]
        rows = [[repair(re.sub(r"\s+", "", c or "")) for c in r] for r in table.extract()]
        if len(rows) < 2 or not inside:
            continue
        head = bool(inside[0].bold) and not all(t.bold for t in inside)
        size = statistics.median(t.size for t in inside)
        texts = table_lines(rows, head)
        step = (bottom - top) / (len(texts) + 1)
        lines = [t for t in lines if t not in inside] + [
            _PdfLine(text, x0, x1, top + i * step, top + (i + 1) * step, size, row=True) for i, text in enumerate(texts)]
    return sorted(lines, key=lambda t: t.top)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(pages: list[list[_PdfLine]], heights: list[float], edge: int = 2) -> list[list[_PdfLine]]:
    """Remove running headers/footers (the same text, digits aside, at a page edge on most pages) and page numbers."""
    counts: Counter[str] = Counter()
    for lines in pages:
        ends = {_furniture_key(t.text) for t in lines[:edge] + lines[-edge:]}
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
    bigger = sorted({round(t.size) for t in body if t.size >= size * _LARGER and len(t.text) <= 60}, reverse=True)
    # Bold at the body's size heads a section too, where the body text is not bold.
    body_bold = sum(len(t.text) for t in body if t.bold) > sum(len(t.text) for t in body) / 2
    out: list[Line] = []
    prev: _PdfLine | None = None
    for n, lines in enumerate(pages, start=1):
        for i, t in enumerate(lines):
            level = bigger.index(round(t.size)) + 1 if round(t.size) in bigger and not t.row else 0
            if not level and t.bold and not t.row and not body_bold and heading_shaped(t.text):
                level = len(bigger) + 1
            if prev is not None:
                new_para = (
                    level > 0
                    or out[-1].level > 0
                    or t.row != prev.row  # a table starts or ends
                    or bool(_ITEM.match(t.text))  # a list item starts a paragraph of its own
                    or t.x0 > margin + 0.8 * size  # first-line indent
                    or prev.x1 < right - 1.5 * size  # the previous line stopped short: its paragraph ended
                    or (i > 0 and t.top - prev.top > 1.4 * leading)  # a gap (not across a page break)
                ) and not (t.row and prev.row)  # a table's rows are one block of lines
                if new_para and out[-1].text:
                    out.append(Line("", n))
            out.append(Line(t.text, n, level, item=t.row))
            prev = t
    return out
