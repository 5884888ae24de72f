"""Read a folder of documents and cut it into citable passages."""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from .errors import UsageError
from .text import SENTENCE_END, SENTENCE_MAX_CHARS, sentence_spans, split_sentences, tokenize

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".md"}
_TERMINAL_RE = re.compile(rf"(?:{SENTENCE_END}|[：:])$")
_CAPTION_RE = re.compile(r"[（(](?:资料)?(?:图片|照片|图|摄|供图)[^（()）]{0,12}[）)]$|(?:摄|供图)$")
_BYLINE_RE = re.compile(
    r"^(?:本报|特约|首席)?(?:记者|通讯员|作者|撰文|文|图)[\s\u3000:：]*[\u4e00-\u9fff·]{2,4}"
    r"(?:[\s\u3000、]+(?:本报|特约)?(?:记者|通讯员)?[\s\u3000]*[\u4e00-\u9fff·]{2,4})*$"
)
# Newspapers pad two-character names with a space: "刘 晓".
_NAME_ONLY_RE = re.compile(r"^[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]{1,2}$")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")
HEADING_MAX_CHARS = 40


@dataclass(frozen=True)
class Chunk:
    """One citable passage with where it came from."""

    id: str
    text: str
    source: str
    start_line: int
    end_line: int
    heading: str
    article: str
    kind: str  # body | caption | byline | heading (short lines that head no text)
    order: int

    @property
    def context(self) -> str:
        """Text used for embedding and keyword search: the heading gives a paragraph its topic."""
        head = self.heading or (self.article if self.kind == "byline" else "")
        return f"{head}\n{self.text}" if head else self.text

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as the vector store wants it (with the sentence count, so sentences fetch by id)."""
        d = asdict(self)
        del d["id"], d["text"]
        d["sentences"] = len(split_sentences(self.text))
        return d


@dataclass
class _Block:
    text: str
    start: int
    end: int
    kind: str  # body | heading | caption | byline


def normalise(text: str) -> str:
    """Collapse whitespace (ids and matching ignore layout)."""
    return re.sub(r"\s+", " ", text).strip()


def _classify(text: str) -> str:
    if _CAPTION_RE.search(text):
        return "caption"
    if len(text) <= 30 and (_BYLINE_RE.match(text) or _NAME_ONLY_RE.match(text)):
        return "byline"
    if (
        len(text) <= HEADING_MAX_CHARS
        and not re.search(r"[。！？；，、：,;:…!?]$", text.rstrip("”’」』）)》"))
        and not re.search(r"[。！？]", text)
    ):
        return "heading"
    return "body"


def _blocks(lines: list[str]) -> Iterator[_Block]:
    """Runs of non-blank lines, classified; a Markdown heading line is always its own block; lines are 1-based."""
    buf: list[str] = []
    start = 0

    def flush(end: int) -> Iterator[_Block]:
        if buf:
            text = "".join(buf) if all(_ends_cjk(b) for b in buf[:-1]) else " ".join(buf)
            yield _Block(text, start, end, _classify(text))
            buf.clear()

    for i, line in enumerate([*lines, ""], start=1):
        s = line.strip()
        if _MD_HEADING_RE.match(s) and len(s) <= SENTENCE_MAX_CHARS:  # a runaway "# ..." line is text
            yield from flush(i - 1)
            yield _Block(_MD_HEADING_RE.sub("", s), i, i, "heading")
        elif s:
            if not buf:
                start = i
            buf.append(s)
        else:
            yield from flush(i - 1)


def _ends_cjk(s: str) -> bool:
    return bool(s) and not s[-1].isascii()


def _join(a: str, b: str) -> str:
    """Join a paragraph broken across lines; Chinese needs no space, Latin words do."""
    return f"{a} {b}" if a[-1:].isascii() and b[:1].isascii() else a + b


def _merge_broken(blocks: list[_Block]) -> list[_Block]:
    """Glue a body paragraph that stops mid-sentence to the next one, unless a heading comes between."""
    out: list[_Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.kind == "body"
            and b.kind == "body"
            and not _TERMINAL_RE.search(prev.text)
        ):
            prev.text = _join(prev.text, b.text)
            prev.end = b.end
        else:
            out.append(_Block(b.text, b.start, b.end, b.kind))
    return out


def parse_text(text: str, source: str, max_chars: int = 320) -> list[Chunk]:
    """Cut one document into chunks with heading, article and exact line span."""
    lines = text.splitlines()
    blocks = _merge_broken(list(_blocks(lines)))
    # An article starts where a byline follows a title; the headings just before are its title and kickers.
    titles: dict[int, str] = {}
    for i, b in enumerate(blocks):
        if b.kind == "byline" and i > 0 and blocks[i - 1].kind == "heading":
            titles[i - 1] = blocks[i - 1].text
    first_title = titles[min(titles)] if titles else ""
    resumes = _resumptions(blocks)

    chunks: list[Chunk] = []
    seen: dict[str, int] = {}

    def emit(b: _Block, head: str, art: str) -> None:
        # Captions, bylines and headings are short by nature; one that is not is cut like a paragraph.
        spans = _pieces(b.text, max_chars) if b.kind == "body" or len(b.text) > max_chars else [(0, len(b.text))]
        line_no, starts, ends = _line_offsets(lines, b)
        for lo, hi in spans:
            piece = b.text[lo:hi]
            digest = hashlib.sha1(f"{source}\n{normalise(piece)}".encode()).hexdigest()[:16]
            # The same text twice in one file still needs two ids.
            n = seen.get(digest, 0)
            seen[digest] = n + 1
            chunks.append(Chunk(
                id=digest if n == 0 else f"{digest}-{n}", text=piece, source=source,
                start_line=line_no[bisect.bisect_right(ends, lo)], end_line=line_no[bisect.bisect_left(starts, hi) - 1],
                heading=head, article=art, kind=b.kind, order=len(chunks),
            ))

    article, heading_parts, last_kind = "", [], ""
    unused: list[_Block] = []  # headings of the current run that no text has followed yet
    saved: dict[int, tuple[str, list[str]]] = {}
    for i, b in enumerate(blocks):
        if i in resumes:
            # Back from a section of another column: this text continues an earlier paragraph's section.
            article, heading_parts = saved[resumes[i]]
        elif i in titles:
            article, heading_parts = titles[i], []
        elif b.kind == "heading":
            # Consecutive heading lines (kicker + headline) read as one heading.
            # (Kicker, headline and subhead at most: a run of short lines must not make one endless heading.)
            heading_parts = [*heading_parts, b.text][-3:] if last_kind == "heading" else [b.text]
        if i in resumes.values():
            saved[i] = (article, heading_parts)
        if b.kind == "heading":
            unused.append(b)
            if len(unused) > 3:  # dropped from the heading: it is text of its own (a list of short lines)
                emit(unused.pop(0), "", article or first_title)
        else:
            unused.clear()
            # Body text before any title belongs to the first article (its title was printed after it).
            title_block = any(j in titles for j in range(i - len(heading_parts), i))
            emit(b, "" if title_block else " / ".join(heading_parts), article or first_title)
        last_kind = b.kind
    for b in unused:  # short lines at the end that head nothing are the document's last words
        emit(b, "", article or first_title)
    return chunks


def _resumptions(blocks: list[_Block], window: int = 15) -> dict[int, int]:
    """Find where a paragraph cut off by another column's section goes on (continuation -> cut paragraph).

    Newspaper layouts interleave columns: a paragraph stops mid-sentence, another article's section
    (heading and paragraphs) follows, then the first text resumes. The resumed paragraph is the later
    body paragraph that first shares clearly more words with the cut one than anything in between does.
    """
    cuts = [d for d, cut in enumerate(blocks[:-1]) if cut.kind == "body" and not _TERMINAL_RE.search(cut.text)
            and blocks[d + 1].kind == "heading"]
    if not cuts:  # the common case: tokenising every paragraph would cost ingest seconds per 10k passages
        return {}
    bags = [set(tokenize(b.text)) if b.kind == "body" else set() for b in blocks]
    df: dict[str, int] = {}
    for bag in bags:
        for t in bag:
            df[t] = df.get(t, 0) + 1
    # Words common across the document (教育, 学校) say nothing about which paragraph continues which.
    idf = {t: math.log(len(blocks) / n) for t, n in df.items()}

    def sim(a: set[str], b: set[str]) -> float:
        norm = math.sqrt(sum(idf[t] for t in a) * sum(idf[t] for t in b))
        return sum(idf[t] for t in a & b) / norm if norm else 0.0

    out: dict[int, int] = {}
    for d in cuts:
        between = 0.0
        for c in range(d + 2, min(len(blocks), d + 2 + window)):
            if blocks[c].kind != "body":
                continue
            s = sim(bags[d], bags[c])
            # A paragraph right after a heading opens a section; it cannot be the middle of a sentence.
            if blocks[c - 1].kind == "body" and s >= 0.1 and s > 1.25 * between:
                out[c] = d
                break
            between = max(between, s)
    return out


def _line_offsets(lines: list[str], b: _Block) -> tuple[list[int], list[int], list[int]]:
    """Each non-blank line of a block: its number, and where it starts and ends in the block's text."""
    numbers, starts, ends, pos = [], [], [], 0
    for ln in range(b.start, b.end + 1):
        s = lines[ln - 1].strip()
        if not s:
            continue
        at = b.text.find(s, pos)
        if at < 0:  # markdown heading marks were stripped; fall back to running position
            at = pos
        numbers.append(ln)
        starts.append(at)
        ends.append(at + len(s))
        pos = at + len(s)
    return numbers, starts, ends


def _pieces(text: str, max_chars: int) -> list[tuple[int, int]]:
    """Spans that split a long paragraph at sentence ends into balanced pieces of about max_chars.

    A sentence longer than max_chars stays whole (cutting it would break a citable fact) up to twice that;
    beyond, it is cut at a clause mark or a space, so no piece exceeds 2 * max_chars.
    """
    if len(text) <= max_chars:
        return [(0, len(text))]
    target = len(text) / math.ceil(len(text) / max_chars)
    pieces: list[tuple[int, int]] = []
    start = end = -1
    for a, b in sentence_spans(text, min(SENTENCE_MAX_CHARS, 2 * max_chars)):
        # Cut where the piece lands closest to the target length.
        if start >= 0 and (b - start > max_chars or (b - start) - target > target - (end - start)):
            pieces.append((start, end))
            start = -1
        if start < 0:
            start = a
        end = b
    return [*pieces, (start, end)] if start >= 0 else pieces


def read_text(path: Path) -> str:
    """Read UTF-8 (or UTF-16 with a byte-order mark), falling back to GB18030, common for Chinese files.

    Raises UnicodeDecodeError for binary junk: NUL bytes, or mostly bytes that decode as neither.
    """
    raw = path.read_bytes()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:  # no text encoding read here uses NUL: this is a binary file named .txt
        raise UnicodeDecodeError("utf-8", raw, raw.index(b"\x00"), raw.index(b"\x00") + 1, "NUL byte: binary data")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("gb18030")
        log.warning("%s is not UTF-8; read it as GB18030. Save it as UTF-8 if the text looks wrong.", path)
        return text
    except UnicodeDecodeError:
        pass
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad * 2 > len(text):
        raise UnicodeDecodeError("utf-8", raw, 0, len(raw), f"{bad} of {len(text)} characters undecodable")
    log.warning("%s: %d bytes are neither UTF-8 nor GB18030; indexed it with them replaced by \ufffd. "
                "Save it as UTF-8 to index them.", path, bad)
    return text


def read_document(path: Path) -> str | None:
    """The text of one file, or None (with a warning saying why) when it cannot be read as text."""
    try:
        return read_text(path)
    except UnicodeDecodeError as e:
        log.warning("skipped %s: it is not text (%s). Convert it to UTF-8 text to index it.", path, e.reason)
    except OSError as e:
        log.warning("skipped %s: %s", path, e.strerror or e)
    return None


@dataclass(frozen=True)
class SourceFile:
    """A document found under an ingest path."""

    path: Path  # as found (messages name it so)
    real: Path  # resolved: the same file named twice (or through a link) is one file
    name: str  # relative to the ingest path it was found under
    root: Path  # that ingest path, resolved


def iter_files(paths: Iterable[Path]) -> Iterator[SourceFile]:
    """Every .txt/.md file under the paths, once each however often it is named."""
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise UsageError(f"No such file or folder: {given}. Pass a folder of .txt/.md files, e.g. `rag ingest seeds/`.")
        root = given.resolve()
        if given.is_file():
            found = [(given, given.name)]
        else:
            # A dangling link is yielded too, so that reading it warns instead of skipping it silently.
            found = [(f, f.relative_to(given).as_posix()) for f in sorted(given.rglob("*"))
                     if f.suffix.lower() in SUFFIXES and (f.is_file() or f.is_symlink())]
        for f, name in found:
            real = f.resolve()
            if real not in seen:
                seen.add(real)
                yield SourceFile(f, real, name, root)


def load_corpus(paths: Iterable[Path], max_chars: int = 320) -> list[Chunk]:
    """Parse every readable document under the paths; unreadable files are skipped with a warning."""
    chunks: list[Chunk] = []
    for f in iter_files(paths):
        text = read_document(f.path)
        if text is not None:
            chunks.extend(parse_text(text, f.name, max_chars))
    return chunks
