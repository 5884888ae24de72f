"""Read a document of any supported format into lines of text that keep where each line came from.

One module per format (pdf, word, web; plain text and Markdown here). PDF lines carry their page; Word and HTML
lines carry heading levels from the document's own styles or markup. A parser library is imported only when a
file of its format is read.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path

from .errors import UnreadableFileError
from .lines import ITEM, Extracted, Line, header_by_columns, repair, table_lines
from .pdf import read_pdf
from .web import read_html
from .word import read_docx

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md"}
SUFFIXES = TEXT_SUFFIXES | {".pdf", ".docx", ".html", ".htm"}


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


_MD_BULLET = re.compile(r"^\s*(?:[-*+]\s+(?:\[[ xX]\]\s+)?|>\s?)")
_MD_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # an image: its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # a link: its text
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold, strikethrough
    (re.compile(r"(?<![*A-Za-z0-9])\*(?=\S)([^*]+?)(?<=\S)\*(?![*A-Za-z0-9])"), r"\1"),  # italic
    (re.compile(r"`([^`]+)`"), r"\1"),  # code
]
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_MD_QUOTE = re.compile(r"^\s*>")
_MD_FENCE = re.compile(r"^\s*(?:```|~~~)")
_MD_RULE = re.compile(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
# A plain text's rule between its parts (------, ======, ————): no text, but where one part ends.
_TEXT_RULE = re.compile(r"^\s*[-=*_—─━－＝～~]{3,}\s*$")


def read_text(path: Path) -> Extracted:
    """A .txt or .md file, line for line (its own line numbers are the citation). List items are marked; in
    Markdown, emphasis, links and code marks are dropped and a table's rows are labelled by its header."""
    return Extracted("text", text_lines(repair(decode(path.read_bytes(), path.name)), path.suffix.lower() == ".md"))


def text_lines(text: str, markdown: bool = False) -> list[Line]:
    """The lines of a text file (one out per line in, so that line numbers cite the file), list items marked."""
    raw = text.splitlines()
    if not markdown:
        return _aligned_tables(raw, [Line("", rule=True) if _TEXT_RULE.match(s) else Line(s, item=bool(ITEM.match(s)))
                                     for s in raw])
    lines = [Line(_md_inline(s), item=bool(ITEM.match(s)), quote=bool(_MD_QUOTE.match(s))) for s in raw]
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
    return _aligned_tables(raw, lines)


_CELL_GAP = re.compile(r"\t+|[ \u3000]{2,}")
_ALIGNED_ROWS = 3  # a header and two rows at least: two lines so split may be two fields' lines
_DIGIT = re.compile(r"\d")


def _aligned_tables(raw: list[str], lines: list[Line]) -> list[Line]:
    """A table set in plain text, its columns aligned by spaces or tabs (批次号    生产日期    数量): each row a line
    of its own, its cells labelled by the header row when there is one (the first row, read so by its columns, or
    holding no digit where every row below holds one), else joined with " | "; one line out per line in."""
    out = list(lines)
    # (A line already read as a row or as code, an item, is left as it is: a Markdown table, a fenced block.)
    cut = [None if ln.item else _cells(s) for s, ln in zip(raw, lines)]
    i = 0
    while i < len(raw):
        end = i + 1
        while cut[i] and end < len(raw) and cut[end] and len(cut[end]) == len(cut[i]):
            end += 1
        if not cut[i] or end - i < _ALIGNED_ROWS:
            i = end
            continue
        rows = cut[i:end]
        head = header_by_columns(rows) or (not _DIGIT.search(raw[i]) and all(_DIGIT.search(r) for r in raw[i + 1:end]))
        texts = table_lines(rows, head, merged=False)
        out[i:end] = [*([Line("")] if head else []), *(Line(t, item=True) for t in texts)]
        i = end
    return out


def _cells(line: str) -> list[str] | None:
    """A line's cells when spaces or tabs part it into three or more, else None."""
    parts = [c for c in _CELL_GAP.split(line.strip()) if c]
    return parts if len(parts) >= 3 and not ITEM.match(line) else None


def _md_inline(line: str) -> str:
    """A Markdown line as it reads: without bullets, quote marks, emphasis, link targets and code marks."""
    line = _MD_BULLET.sub("", line)
    for rx, repl in _MD_INLINE:
        line = rx.sub(repl, line)
    return line
