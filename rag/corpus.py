"""Read a folder of documents and cut it into citable passages."""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from .columns import interrupting_articles, resumptions
from .config import CHUNK_CHARS
from .errors import UnreadableFileError, UsageError
from .lines import (
    ENDS_PARAGRAPH,
    FIELD,
    HEADING_MAX_CHARS,
    ITEM,
    OPENS_SECTION,
    RECORD_DATE,
    Extracted,
    Line,
    heading_shaped,
    join_wrapped,
    record_head,
)
from .readers import SUFFIXES, read, text_lines
from .text import (
    SENTENCE_MAX_CHARS,
    SURNAMES,
    asks,
    display_width,
    sentence_spans,
    split_sentences,
)

log = logging.getLogger(__name__)

_ASIDE = re.compile(r"[（(][^（）()]*[）)]")  # a bracketed aside
_BARS = re.compile(r"\s[|｜]\s|\s*｜\s*")  # a bar between a line's fields, spaced (a full-width one need not be)
# What parts a line's clauses: a field holding one is no field of a few words.
_CLAUSE_MARK = re.compile(r"[，,。；;！？!?]")
# A chat's message asks without its mark too (学生有优惠吗); one of a few characters stands not alone (收到, 👍).
_ASKING_END = "吗呢么"
_SHORT_MESSAGE = 8
# A record's stamp ends its line: a day or a time of day in figures, not a span's end (a schedule's 14:20-15:00).
_TIME_STAMPED = re.compile(r"(?<![\d\-—–~～])\d{1,2}:\d{2}(?::\d{2})?\s*$")
_STAMPED = re.compile(r"(?<![\d\-—–~～])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}:\d{2})(?::\d{2})?\s*$")
# A field listing its values (关键词：水稻病害；图像识别; 热线：0573-8621 5590（值班电工、水工接听）) or a line of two
# fields (中图分类号：S435 文献标志码：A): data, however short, not a heading (议题一：年度预算、决算 may head a
# section: 、 joins a heading's words too, but no heading lists numbers).
_LISTING_FIELD = re.compile(r"^[^\s：:，。,.]{1,8}[：:](?:[^：:]*[；;][^：:]*$|(?=[^：:]*\d)[^：:]*、[^：:]*$"
                            r"|.*\s[^\s：:，。,.]{1,8}[：:]\s*\S)")
_CAPTION_RE = re.compile(r"[（(](?:资料)?(?:图片|照片|图|摄|供图)[^（()）]{0,12}[）)]$|(?:摄|供图)$")
# 文／科普作家　苏映雪: who wrote it after a slash, with what they are.
_BY_SLASH = r"[\s\u3000]*[/／][\s\u3000]*(?:[\u4e00-\u9fff]{2,8}[\s\u3000]+)?"
_BYLINE_RE = re.compile(
    rf"^(?:本报|特约|首席)?(?:记者|通讯员|作者|撰文|文|图)(?:{_BY_SLASH}|[\s\u3000:：]*)[\u4e00-\u9fff·]{{2,4}}"
    r"(?:[\s\u3000、]+(?:本报|特约)?(?:记者|通讯员)?[\s\u3000]*[\u4e00-\u9fff·]{2,4})*$"
)
_SIGNED = re.compile(rf"^(?:(?:本报|特约|首席)(?:记者|通讯员)[\s\u3000:：]*|(?:记者|通讯员|作者|撰文|文|图)(?:{_BY_SLASH}|[\s\u3000:：]+))"
                     r"[\u4e00-\u9fff·]{2,4}(?:[\s\u3000、]|$)")
# A label in black brackets and its value (a leaflet's 【规格】0.3克, 【批准文号】国药准字H10900089).
_BRACKETED_FIELD = re.compile(r"^【[^】]{1,12}】\s*\S")
_LABEL_ALONE = re.compile(r"【[^】]{1,12}】")  # a bracketed label on its line, its value below
# A line of a contract's or form's signing fields (甲方（签字）：王建华    乙方（盖章）：…), and a date alone on a line
# (签订日期：2025年2月20日).
_SIGNING_FIELDS = re.compile(r"^(?:[^\s：:，。]{0,10}[（(](?:签字|签名|签章|盖章)[）)]\s*[：:][^：:]*)+$")
# The day a document was issued, on a line under its title: bare, or labelled as that day (not 活动时间：…, the day
# of what it tells of), with its time or not.
_ISSUED_ON = re.compile(r"^(?:(?:(?:发布|印发|发文|成文|落款|更新)(?:日期|时间)|日期)\s*[：:]\s*)?"
                        r"\d{4}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})"
                        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_DATE_LINE = re.compile(r"^(?:[^\s：:，。]{0,6}[：:]\s*)?\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
# A news lead's dateline and signature (本报讯（记者 陈思远 通讯员 周晓）…, 新华社北京11月2日电（记者 张三）…).
_INLINE_BYLINE = re.compile(r"^(?:[^\s（(，。,]{0,24}[讯电])?[ \u3000]*[（(][ \u3000]*(?:本报|特约|首席)?(?:记者|通讯员)"
                            r"[^（()）。，,]{2,40}[）)]")
# A web page's line of particulars under its title (2025-03-18 08:30 来源：青溪日报 记者 方晓宁; 作者：张三 | 编辑：李四):
# dates, times and labelled fields only, one of them naming who wrote it or where it comes from.
_META_FIELD = (r"(?:(?:本报|特约)?记者|作者|通讯员|来源|(?:责任)?编辑|责编|审核|摄影|发布(?:时间|日期|人|者)?|更新时间|时间|日期"
               r"|(?:浏览|阅读|点击)(?:次数|量)?)")
# (A value of two words, 家电测评室 阿哲: a column's or an office's name before the writer's.)
_META_PART = (rf"(?:{_META_FIELD}(?:[ \u3000]*[：:][ \u3000]*|[ \u3000]+)[^\s：:，。；]{{1,20}}(?: [^\s：:，。；|｜丨/]{{1,10}})?"
              r"|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}:\d{2}(?::\d{2})?)")
_META_RE = re.compile(rf"{_META_PART}(?:[\s\u3000|｜丨/]+{_META_PART})*")
_WHO_OR_WHENCE = re.compile(r"记者|作者|通讯员|来源|编辑|责编")
# Newspapers pad two-character names with a space: "刘 晓".
_NAME_ONLY_RE = re.compile(r"^[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]{1,2}$")
_MD_HEADING_RE = re.compile(r"^#{1,6}\s+")


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
    page: int | None = None  # PDF page the passage starts on
    end_page: int | None = None  # and ends on (a later one: a reader looks on both); stored with page, so a
    # passage that no longer runs on has its old end overwritten (a store merges the metadata it updates)

    @property
    def context(self) -> str:
        """Text embedded: the heading gives a paragraph its topic, else the title of its article (a web page's one
        heading, a notice's title over paragraphs without headings). Keyword search adds the title (context_of)."""
        head = self.section
        return f"{head}\n{self.text}" if head else self.text

    @property
    def section(self) -> str:
        """What section_of reads from its metadata: its heading, else its article's title."""
        return self.heading or self.article

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata as the vector store wants it (with the sentence count, so sentences fetch by id)."""
        d = asdict(self)
        del d["id"], d["text"]
        for key in ("page", "end_page"):
            if d[key] is None:  # Chroma stores no nulls; a missing page reads back as None
                del d[key]
        d["sentences"] = len(split_sentences(self.text))
        return d


@dataclass
class _Block:
    text: str
    start: int
    end: int
    kind: str  # body | heading | caption | byline
    level: int = 0  # heading depth given by the document's styles or markup
    quoted: bool = False  # a quotation (Markdown's >): it ends where its author ended it


@dataclass
class Skipped:
    """A file left out of the index, and why."""

    name: str
    reason: str


@dataclass
class Corpus:
    """Passages of every readable file, the files read (name -> extracted text), and those skipped."""

    chunks: list[Chunk]
    documents: dict[str, Extracted]
    skipped: list[Skipped]


def normalise(text: str) -> str:
    """Collapse whitespace (ids and matching ignore layout)."""
    return re.sub(r"\s+", " ", text).strip()


def section_of(meta: Mapping[str, Any]) -> str:
    """Where in its document a passage is: its section's heading, else (a byline, a lead) its article's title."""
    return str(meta.get("heading") or meta.get("article") or "")


def place(source: str, start: int | None, end: int | None, page: int | None = None,
          end_page: int | None = None) -> str:
    """Where a reader finds a passage: 'a.txt:73-75', 'report.pdf p.3 (l.34-36)', 'report.pdf p.3-4 (l.40-46)',
    or the name of a Word/HTML file (its heading, shown beside, is the place there: its line numbers are only of
    the extracted text)."""
    lines = f"{start}" + (f"-{end}" if end is not None and end != start else "")
    if page is not None:
        pages = f"{page}-{end_page}" if end_page is not None and end_page != page else f"{page}"
        return f"{source} p.{pages} (l.{lines})"
    if Path(source).suffix.lower() in (".docx", ".html", ".htm"):
        return source
    return f"{source}:{lines}"


def _signs(line: str) -> bool:
    """Whether a line is a byline by its label, not by its shape alone: a reporter (本报记者陈思远, 记者 陈思远), an
    author or writer labelled apart from the name (作者：张三, 文 李四), or a line of particulars naming who wrote
    it. (A short heading opening with such a word is no byline: 文艺演出, 记者节活动.)"""
    return _classify(line) == "byline" and bool(
        _SIGNED.match(line) or _META_RE.fullmatch(line) and _WHO_OR_WHENCE.search(line))


def _classify(text: str, explicit: bool = False) -> str:
    if _CAPTION_RE.search(text):
        return "caption"
    if _BRACKETED_FIELD.match(text):
        return "body"  # 【有效期】24个月: a field, however short, not a heading
    # (A name spaced out alone, 刘　晓, opens with a common surname: 回　执 heads a reply slip.)
    if len(text) <= 30 and (_BYLINE_RE.match(text) or _NAME_ONLY_RE.match(text) and text[0] in SURNAMES):
        return "byline"
    if len(text) <= 80 and _META_RE.fullmatch(text) and _WHO_OR_WHENCE.search(text) and not text.endswith(("？", "?")):
        # (记者：入行时是谁带您的？ is an interview's question, whose reply follows; 来源：“今天吃什么？” names a source)
        return "byline"
    if not explicit and heading_shaped(text) and not _LISTING_FIELD.match(text):
        return "heading"  # (a document with heading styles says where its headings are)
    return "body"


def _blocks(doc: Extracted) -> Iterator[_Block]:
    """Runs of non-blank lines, classified; a marked heading line is always its own block; lines are 1-based."""
    buf: list[str] = []
    marks: list[bool] = []  # which lines of the block are list items or table rows
    indents: list[int] = []  # how far each line of the block is indented
    quoted = False  # whether a line of the block is quoted
    ruled = False  # whether a rule ends the block
    start = 0
    opening = next((i for i, ln in enumerate(doc.lines, start=1) if ln.text.strip()), 0)  # the first line of text

    def flush(end: int) -> Iterator[_Block]:
        nonlocal start
        # A document opening with its headline and, on the next line (no blank line between), its byline: the
        # title, then who wrote it, and the text below them (a lead). Only there: lower down, such lines may be a
        # signature (政教处 供稿 / 记者 李华) or a list of people (记者 王明 / 编辑 李华), and a field above a field is
        # a record (书名：… / 作者：…).
        after = buf[2] if len(buf) > 2 else ""
        if (start == opening and len(buf) > 1 and not any(marks[:2]) and _signs(buf[1])
                and _classify(buf[0], doc.explicit) == "heading" and not FIELD.match(buf[0])
                and _classify(after) != "byline" and not (FIELD.match(buf[1]) and FIELD.match(after))):
            yield _Block(buf[0], start, start, "heading")
            yield _Block(buf[1], start + 1, start + 1, "byline")
            del buf[:2], marks[:2], indents[:2]
            start += 2
        yield from run(end)

    def run(end: int) -> Iterator[_Block]:
        nonlocal quoted
        if not buf:
            return
        text = buf[0]
        for line in buf[1:]:  # a line broken inside a Chinese sentence joins without a space
            text = join_wrapped(text, line)
        # Lines of a list are text, however short (one enumerated line alone may be a heading: 一、总则), and so
        # are more short lines of their own than a heading has (kicker, headline, subhead).
        # (A web page's or a Word document's lines end where their author broke them: no line of theirs wraps.)
        # (Lines right over a rule, 邮件导出 — 项目… / 导出时间：… / ======, are as short of it as of their width.)
        items, structured = any(marks), len(buf) > 1 and (doc.explicit or ruled) or _line_structured(buf)
        fields = all(FIELD.match(ln) for ln in buf)  # 时间：… / 地点：… each on a line of its own
        # Short lines ending in a field (林晓彤 / 采购部 / 分机：8021, a signature), joined, would read as a heading;
        # no heading's lines hold a label's value.
        fielded = len(buf) > 1 and any(FIELD.match(ln) for ln in buf[1:]) and _classify(text, doc.explicit) == "heading"
        # A field of a few words over a wider line (校长：郑国栋 / 临江市第三中学, a signature) or a date alone (投诉人：
        # 吴静怡 / 2024年10月17日): a wrapped line is never narrower than the one it wraps into (a clause, 王明表示：
        # 今年新建…，新增学位1.5万, may be by a column), nor is a date alone all it wraps into.
        signed = any(FIELD.match(a) and not _CLAUSE_MARK.search(a)
                     and (display_width(a) < display_width(b) or _DATE_LINE.match(b)) for a, b in pairwise(buf)) \
            or start != opening and _issuer_over_day(buf)  # (under the title: the day it was issued, by _issued)
        # A record's line over its text (王芳 2024-05-12 09:47 / 好的谢谢): who wrote what, however short each. (Its
        # line ends in a date or a time in figures, as a chat's or a forum's export writes them; a heading dated in
        # words, 第一次会议 2024年3月5日, heads what follows.)
        recorded = len(buf) > 1 and record_head(buf[0]) and bool(_STAMPED.search(buf[0]))
        listed = len(buf) > 1 and (items or fields or fielded or signed or recorded or ruled
                                   or (structured and len(buf) > 3))
        # (A quoted field or clause, > 整理：周婉清，…, is text; a quoted label, > **开放时间**, may head a part.)
        kind = "body" if listed or quoted and (FIELD.match(text) or _CLAUSE_MARK.search(text)) \
            else _classify(text, doc.explicit)
        lines, first, depth = list(buf), start, list(indents)
        if kind == "body" and (items or structured or fields or fielded or signed or recorded):
            # (An issuer's lines over the day sign what is above them; at the top, a title is over it.)
            if len(lines) > 1 and not recorded and (first == opening or not _issuer_over_day(lines)) \
                    and _heads(lines[0], marks[0], lines[1:], doc.explicit):
                yield _Block(lines.pop(0), first, first, "heading")  # 一、产品参数 above its fields
                depth.pop(0)
                first += 1
            # A numbered heading line inside, above a line numbered otherwise (（二）交通安全 over its 1. 2. 3., in a
            # notice written without blank lines), or a label over lines indented under it (周二 over its 早餐：…):
            # the list's sections.
            part: list[str] = []
            at = first
            for k, line in enumerate(lines):
                if k + 1 < len(lines) and (_heads_numbered(line, lines[k + 1], doc.explicit)
                                           or _heads_indented(line, depth[k], depth[k + 1:], doc.explicit)):
                    if part:
                        yield _Block("\n".join(part), at, first + k - 1, "body")
                    yield _Block(line, first + k, first + k, "heading")
                    part, at = [], first + k + 1
                else:
                    part.append(line)
            lines, first = part, at
            text = "\n".join(lines)  # a list, or fields on lines of their own: each line stays one (a sentence)
        if kind == "body" and (by := _INLINE_BYLINE.match(text)):
            # A news lead signed within its first line: the signature is also a byline of its own, so that who
            # wrote the article is found and the headline above it is the article's title. The lead keeps it
            # whole (a dateline may hold the report's place and date).
            yield _Block(by.group(0).strip(), first, first, "byline")
        yield _Block(text, first, end, kind, quoted=quoted)
        buf.clear()
        marks.clear()
        indents.clear()
        quoted = False

    for i, line in enumerate([*doc.lines, Line("")], start=1):
        s = line.text.strip()
        if line.level and s:
            yield from flush(i - 1)
            yield _Block(s, i, i, "heading", line.level)
        # A runaway "# ..." line is text.
        elif _MD_HEADING_RE.match(s) and len(s) <= SENTENCE_MAX_CHARS and not doc.explicit and not line.item:
            yield from flush(i - 1)
            yield _Block(_MD_HEADING_RE.sub("", s), i, i, "heading", len(s) - len(s.lstrip("#")))  # its depth
        elif s:
            if not buf:
                start = i
            buf.append(s)
            marks.append(line.item)
            indents.append(len(line.text) - len(line.text.lstrip()))
            quoted = quoted or line.quote
        else:
            ruled = line.rule
            yield from flush(i - 1)
            ruled = False


# A line wrapped to fit a width fills most of what the widest line of its paragraph does (word wrap leaves at most
# a word); lines that stop well short of it end where their author ended them.
WRAPPED_SHARE = 0.8
_SENTENCE_END = ("。", "！", "？")


def _heads(line: str, item: bool, below: list[str], explicit: bool) -> bool:
    """Whether the first line of a block of lines is their heading: shaped like one, not a field (a colon gives
    a value), and not an item of the list below it, unless numbered as a section (一、 第一章) and they are not."""
    if _classify(line, explicit) != "heading" or re.search(r"[：:]", line):
        return False
    return not item or (bool(OPENS_SECTION.match(line)) and not any(OPENS_SECTION.match(b) for b in below))


def _heads_numbered(line: str, below: str, explicit: bool) -> bool:
    """Whether a line of a list heads the lines below it: numbered, shaped like a heading (no sentence, no field),
    and the line below numbered otherwise or not at all (一、总体要求 over （一）…; not 1. 身份证 over 2. 户口簿)."""
    way = _numbering(line)
    return (way is not None and _numbering(below) != way and _classify(line, explicit) == "heading"
            and not re.search("[：:]", line))


def _heads_indented(line: str, indent: int, below: list[int], explicit: bool) -> bool:
    """Whether a line of a list heads the lines indented under it (周二 over its indented 早餐：… 午餐：…): shaped
    like a heading, no field, and the next two lines (or the last) indented further than it."""
    under = below[:2]
    return (all(d > indent for d in under) and (len(under) == 2 or len(below) == 1)
            and _classify(line, explicit) == "heading" and not re.search("[：:]", line))


def _line_structured(lines: list[str]) -> bool:
    """Whether consecutive lines are lines of their own (items, fields, rows, a statute's paragraphs), not one
    paragraph wrapped: a line other than the last stops well short of the widest, or every one ends a sentence
    (a wrapped line ends wherever the width does, seldom on a full stop each time)."""
    if len(lines) < 2:
        return False
    widths = [display_width(ln) for ln in lines]
    return (any(w < WRAPPED_SHARE * max(widths) for w in widths[:-1])
            or all(ln.endswith(_SENTENCE_END) for ln in lines[:-1]))


def _merge_broken(blocks: list[_Block], explicit: bool = False) -> list[_Block]:
    """Glue a body paragraph that stops mid-sentence to the next one, unless a heading comes between; and a
    paragraph that asks a question to the one that follows (an FAQ's answer, an interview's reply), so that a
    passage holding the question holds its answer too."""
    out: list[_Block] = []
    fields_run = False  # whether the block before was a field read as a heading, made text
    for i, b in enumerate(blocks):
        prev = out[-1] if out else None
        if (b.kind == "heading" and not b.level and prev is not None and _timed(prev)
                and i + 1 < len(blocks) and _timed(blocks[i + 1])):
            b = replace(b, kind="body")  # a chat's line between messages (某某撤回了一条消息) heads none of them
        if b.kind == "heading" and not b.level and _posted(b.text):
            b = replace(b, kind="body")  # a post's line heads no more than the post
        if _field_line(b, heading=True) and not OPENS_SECTION.match(b.text):  # (1、议案名称：… heads its votes)
            # Short fields in a row (通用名称：… / 商品名称：清沐 / 英文名称：…): fields, each a value to quote, not
            # headings over one another. (One alone may head rows labelled as fields: 议案名称：… over its votes.)
            if fields_run or i + 1 < len(blocks) and _field_line(blocks[i + 1], heading=True):
                b = replace(b, kind="body")
                fields_run = True
            elif i + 1 < len(blocks) and blocks[i + 1].kind == "heading":
                b = replace(b, kind="body")  # nor does one over a heading (地址：… over 一、开放时间): it heads nothing
        else:
            fields_run = False
        if (b.kind == "heading" and not b.level and "\n" not in b.text and prev is not None
                and prev.kind == "heading" and _LABEL_ALONE.fullmatch(prev.text) and not _LABEL_ALONE.fullmatch(b.text)):
            b = replace(b, kind="body")  # a bracketed label's value on the line below (【批准文号】 / 国药准字H2026…)
        if prev is None or prev.kind != "body" or b.kind != "body":
            out.append(replace(b))
            continue
        broken = (
            not explicit  # Word and HTML paragraphs end where their author ended them
            and not prev.quoted and not b.quoted  # and so does a quotation
            and not ENDS_PARAGRAPH.search(prev.text)
            and "\n" not in prev.text  # lines of their own: the last one ended where its author ended it
            and not _BRACKETED_FIELD.match(b.text)  # 【用法用量】… opens a field of its own
            # and so do lines each a field (访谈时间：… / 访谈地点：… under a subtitle ending in no mark; one line,
            # 包括：… or 规定：…, may go on a sentence broken by a page)
            and not ("\n" in b.text and all(FIELD.match(ln) for ln in b.text.splitlines()))
            # 关键词：…；… is a field whole (a field saying more, in clauses, may break as any sentence does)
            and not (_LISTING_FIELD.match(prev.text) and not re.search(r"[，,]", prev.text))
            # and a numbered one (1., （一）, 第五条) opens a point: no sentence goes on with a list's mark.
            and not ITEM.match(b.text) and not OPENS_SECTION.match(b.text)
            # A line of fields parted by bars (回答2 ｜ 网名 ｜ 2026-02-18 08:40 ｜ 👍 873) is no sentence, nor does a
            # field go on in the next field.
            and len(_BARS.findall(prev.text)) < 2 and not (FIELD.match(prev.text) and FIELD.match(b.text))
            and not _DATE_LINE.match(prev.text)  # nor is a day alone on its line (under a title, over 各位业主：)
        )
        asked = (asks(prev.text) or _record(prev) and prev.text[-1] in _ASKING_END) and not asks(b.text)
        # A record of its own (a forum's next post, its line over its reply) goes on no broken sentence; answering
        # the post before it, it is glued on a line of its own, so that its line still says who wrote it; and so
        # are, after a chat's message (timed), a short one (好的谢谢, 收到; not a question) and a line of the chat's
        # own (某某撤回了一条消息), no passage by themselves (a review's, dated, is one however short).
        record = _record(b)
        said = b.text.split("\n", 1)[1] if record else b.text
        short = _timed(prev) and not (asks(said) or said[-1] in _ASKING_END) and (
            len(said) <= _SHORT_MESSAGE if record else "\n" not in said and len(said) <= HEADING_MAX_CHARS)
        if _posted(b.text.split("\n", 1)[0]):
            out.append(replace(b))  # a post's line opens a record of its own (the thread's question stays apart)
        elif _posted(prev.text):
            prev.text = f"{prev.text}\n{b.text}"  # who posted it and when, over what they wrote: one record
            prev.end = b.end
        elif (asked or short) and (record or short):
            prev.text = f"{prev.text}\n{b.text}"
            prev.end = b.end
        elif (broken or asked) and not record:
            prev.text = join_wrapped(prev.text, b.text)
            prev.end = b.end
        else:
            out.append(replace(b))
    return out


def _field_line(b: _Block, heading: bool) -> bool:
    """Whether a block is one line, a field (商品名称：清沐), read as a heading (unstyled) or as text."""
    return (b.kind == "heading" and not b.level if heading else b.kind == "body") and "\n" not in b.text \
        and bool(FIELD.match(b.text)) and not ITEM.match(b.text)


def _posted(text: str) -> bool:
    """Whether a text is a post's line alone: fields parted by bars, one a date or time in figures (回答2 ｜ 网名 ｜
    2026-02-18 08:40 ｜ 👍 873)."""
    return "\n" not in text and len(_BARS.findall(text)) >= 2 and bool(RECORD_DATE.search(text))


def _record(b: _Block) -> bool:
    """Whether a block is a record: its line saying who wrote it and when (in figures), over its text."""
    return b.kind == "body" and "\n" in b.text and record_head(line := b.text.split("\n", 1)[0]) \
        and bool(_STAMPED.search(line))


def _timed(b: _Block) -> bool:
    """Whether a block is a chat's message: a record whose line ends in a time of day (王芳 2024-05-12 09:47)."""
    return _record(b) and bool(_TIME_STAMPED.search(b.text.split("\n", 1)[0]))


def parse_text(text: str, source: str, max_chars: int = CHUNK_CHARS) -> list[Chunk]:
    """Cut one plain-text document into chunks with heading, article and exact line span."""
    return parse(Extracted("text", text_lines(text, source.lower().endswith(".md"))), source, max_chars)


def parse(doc: Extracted, source: str, max_chars: int = CHUNK_CHARS) -> list[Chunk]:
    """Cut one document into chunks with heading, article, exact line span and (PDF) page."""
    lines = [ln.text for ln in doc.lines]
    blocks = _merge_broken(list(_blocks(doc)), doc.explicit)
    if len(blocks) > 2 and blocks[0].kind == "heading" and (issued := _issued(blocks[1], lines)):
        blocks[1] = _Block("\n".join(issued), blocks[1].start, blocks[1].end, "byline")
    # An article starts where a byline follows a title; the headings just before are its title and kickers.
    titles: dict[int, str] = {}
    for i, b in enumerate(blocks):
        if b.kind == "byline" and i > 0 and blocks[i - 1].kind == "heading":
            titles[i - 1] = blocks[i - 1].text
    # A document with one top-level heading (a Word Title, an HTML h1; or a Heading 1 over deeper ones, opening the
    # document: not an appendix's at its end) is titled by it.
    top_level = min((b.level for b in blocks if b.level), default=0)
    tops = [b for b in blocks if b.level and b.level == top_level
            and (b.level == 1 or all(a.kind != "body" for a in blocks[: blocks.index(b)]))]
    if len(tops) == 1 and not titles:
        titles[blocks.index(tops[0])] = tops[0].text
    # (Or styled as its sections are, opening the document unnumbered over sections all numbered: 某某收费标准 over
    # 一、年费 and 二、取现, each a PDF's bold line of one size.)
    if not titles and len(tops) > 2 and blocks[0] is tops[0] and _numbering(tops[0].text) is None and all(
            _numbering(b.text) is not None for b in tops[1:]):
        titles[0] = tops[0].text
    if not titles and _named_subject(blocks):
        titles[0] = blocks[0].text
    if not titles and (top := _title_over_sections(blocks)) is not None:
        titles[top] = blocks[top].text
    first_title = titles[min(titles)] if titles else ""
    resumes, overlap = ({}, None) if doc.explicit else resumptions(blocks)
    levels: dict[int, str] = {}  # open headings of a styled document, by depth
    numbered = _depths(blocks)

    chunks: list[Chunk] = []
    block_of: list[int] = []  # the block each chunk was cut from
    seen: dict[str, int] = {}

    def emit(at: int, head: str, art: str, text: bool = False) -> None:
        b = blocks[at]
        if text and b.kind == "heading" and not b.level:
            b.kind = "body"  # a short line that heads nothing: text to find and quote
        # Captions, bylines and headings are short by nature; one that is not is cut like a paragraph.
        spans = _pieces(b.text, max_chars) if b.kind == "body" or len(b.text) > max_chars else [(0, len(b.text))]
        line_no, starts, ends = _line_offsets(lines, b)
        for lo, hi in spans:
            piece = b.text[lo:hi]
            digest = hashlib.sha1(f"{source}\n{normalise(piece)}".encode()).hexdigest()[:16]
            # The same text twice in one file still needs two ids.
            n = seen.get(digest, 0)
            seen[digest] = n + 1
            start, end = line_no[bisect.bisect_right(ends, lo)], line_no[bisect.bisect_left(starts, hi) - 1]
            page, last = doc.lines[start - 1].page, doc.lines[end - 1].page
            chunks.append(Chunk(
                id=digest if n == 0 else f"{digest}-{n}", text=piece, source=source, start_line=start, end_line=end,
                heading=head, article=art, kind=b.kind, order=len(chunks), page=page, end_page=last,
            ))
            block_of.append(at)

    article, heading_parts, last_kind, depth, deeper = "", [], "", 0, False
    title_texts = set(titles.values())  # a signed article's title is its own, not repeated in its sections' headings
    unused: list[int] = []  # headings of the current run that no text has followed yet
    saved: dict[int, tuple[str, list[str]]] = {}
    signed = _signature(blocks, lines)
    for i, b in enumerate(blocks[:signed]):
        if i in resumes:
            # Back from a section of another column: this text continues an earlier paragraph's section.
            article, heading_parts = saved[resumes[i]]
        elif i in titles:
            # Short lines before a signed title a style marks that no style marks (a bulletin's masthead: 第47期
            # 某办公室编 2026年10月30日) head nothing of it: text of their own. (In plain text they are its kicker.)
            # (Nor does a styled line over it as deep or deeper, with no text of its own: a kicker, a cover's line.)
            for at in [j for j in unused if b.level and (not blocks[j].level or blocks[j].level >= b.level)]:
                unused.remove(at)
                emit(at, "", article or first_title, text=True)
            article, heading_parts, depth, deeper = titles[i], [], b.level, False
        elif b.start > len(lines) - doc.closing:
            levels, heading_parts = {}, []  # the lines closing the document belong to no section
        elif b.level:
            # Short lines no style marks, left from a run too long to head the text below (a list of short items
            # under a styled heading: 一、包装清单 / 主机一台 / 电源一个 / 网线一根): text of the section they are in,
            # which this heading closes; and so is a styled heading it closes with no text under it (a cover's two
            # lines of one size).
            for at in [j for j in unused if not blocks[j].level or blocks[j].level >= b.level
                       and all(blocks[k].level for k in range(j + 1, i))]:
                unused.remove(at)
                emit(at, " / ".join(t for lv, t in sorted(levels.items()) if t not in title_texts
                                    and (not blocks[at].level or lv < blocks[at].level)), article or first_title,
                     text=True)
            if b.level <= depth and deeper:
                # As high as the title of an article whose sections sit deeper: the next item of the page, not a
                # section of that article, and signed by no byline of its own. (Sections at the title's own depth
                # tell nothing, nor do a plain-text page's headings, which have no depth.)
                article = b.text  # (and so is each heading at that depth after it)
            deeper = deeper or b.level > depth > 0
            # A styled heading closes those at its depth and below; the path of open ones is the heading.
            levels = {lv: t for lv, t in levels.items() if lv < b.level} | {b.level: b.text}
            heading_parts = [t for lv, t in sorted(levels.items()) if t not in title_texts]
        elif b.kind == "heading":
            # Consecutive heading lines (kicker + headline) read as one heading.
            # (Kicker, headline and subhead at most: a run of short lines must not make one endless heading.)
            # A numbered one goes under the open headings numbered higher (（二） under 二、, as 一、 （一） 1. （1）
            # nest in an official document, in the order the document first uses them).
            rank = numbered(b.text)
            above = [h for h in heading_parts if 0 < numbered(h) < rank] if rank else []
            if rank and (sibling := next((j for j in reversed(unused) if numbered(blocks[j].text) == rank), None)) \
                    and not numbered(blocks[unused[-1]].text):
                # The next of its numbered sections (一、包装清单 / 主机一台 / 电源一个 / 二、使用方法): the short
                # lines since the one before are that section's text.
                kept = [h for h in heading_parts if h in levels.values() or 0 < numbered(h) < rank]
                path = [*kept, blocks[sibling].text]
                for j in [j for j in unused if j > sibling]:
                    unused.remove(j)
                    emit(j, " / ".join(path), article or first_title, text=True)
                unused.remove(sibling)
                heading_parts = kept
            if last_kind == "heading" and rank:
                # Short lines numbered as deep or deeper, just before it (1. 身份证复印件 / 2. 户口簿 / 三、报名时间):
                # a list of their own, which it ends; they are text, not its heading.
                for j in [j for j in unused if numbered(blocks[j].text) >= rank]:
                    unused.remove(j)
                    emit(j, "", article or first_title, text=True)
                heading_parts = [h for h in heading_parts if numbered(h) < rank]  # and the sections it closes
            heading_parts = ([*heading_parts, b.text][-3:] if last_kind == "heading"
                             else [*above[-2:], b.text])
        if i in resumes.values():
            saved[i] = (article, heading_parts)
        if b.kind == "heading":
            unused.append(i)
            if len(unused) > 3:  # dropped from the heading: it is text of its own (a list of short lines)
                # (The first after the last heading styled or numbered, which heads it: 一、包装清单 / 主机一台 / 电源
                # 一个 / …)
                heads = [k for k, j in enumerate(unused) if blocks[j].level or numbered(blocks[j].text)]
                head: list[str] = []
                if heads and heads[-1] + 2 < len(unused):
                    at = unused[heads[-1] + 1]
                    head = [t for _, t in sorted(levels.items()) if t not in title_texts] \
                        if blocks[unused[heads[-1]]].level else [t for j in unused[: heads[-1] + 1]
                                                                 if (t := blocks[j].text) not in title_texts]
                    heading_parts = [*head, *(blocks[j].text for j in unused[heads[-1] + 2:])]
                else:
                    at = unused[0]
                unused.remove(at)
                emit(at, " / ".join(head), article or first_title, text=True)
        else:
            # Short lines waiting to head text that its heading no longer holds (a run longer than a heading's):
            # text of their own, before it.
            held = {*heading_parts, *title_texts, article, *levels.values()}
            for j in [j for j in unused if blocks[j].text not in held]:
                emit(j, "", article or first_title, text=True)
            unused.clear()
            # Body text before any title belongs to the first article (its title was printed after it).
            title_block = any(j in titles for j in range(i - len(heading_parts), i))
            emit(i, "" if title_block else " / ".join(heading_parts), article or first_title)
        last_kind = b.kind
    for at in unused:  # short lines at the end that head nothing are the document's last words
        if FIELD.match(blocks[at].text) or _CLAUSE_MARK.search(blocks[at].text):
            # A field (联系电话：…) states something to quote, as fields under a heading do, and so does a line in
            # clauses (本帖已被版主设为精华，最佳答案：回答2).
            blocks[at].kind = "body"
        emit(at, "", article or first_title)
    if signed < len(blocks):
        # The lines that sign it: its byline, each line a sentence of its own, under its title or opening heading.
        first, last = blocks[signed], blocks[-1]
        own = [s for s in (ln.strip() for ln in lines[first.start - 1:last.end]) if s]
        blocks.append(_Block("\n".join(own), first.start, last.end, "byline"))
        emit(len(blocks) - 1, "", article or first_title or (blocks[0].text if blocks[0].kind == "heading" else ""))
    if overlap:
        moved = interrupting_articles(resumes, overlap, {i: c.article for i, c in zip(block_of, chunks)
                                                          if blocks[i].kind == "body"})
        chunks = [replace(c, article=moved[i]) if i in moved else c for i, c in zip(block_of, chunks)]
    return chunks


# What follows a name that a lead defines (林远山（1890年—1961年）, 澄川，古称…, 青溪县是…, Lui Chi Hing (born…);
# not 住宿标准按…, where the heading's words open a sentence about something else.
_NAMED_AS = r"(?:[（(，,、]|\s|是|系|位于|又称|原名|古称)"


def _title_over_sections(blocks: list[_Block]) -> int | None:
    """The block titling a plain document that names no byline: its first heading, under nothing but fields (核准日期：
    …) and over another heading, or fields then one (奥美拉唑肠溶胶囊说明书 / 【药品名称】; 某某须知 / 地址：… / 一、开放
    时间), in a document of more sections."""
    def field(b: _Block) -> bool:
        return b.kind == "body" and bool(FIELD.match(b.text))

    first = next((i for i, b in enumerate(blocks) if not field(b)), None)
    if first is None or blocks[first].kind != "heading" or blocks[first].level:
        return None
    after = next((b for b in blocks[first + 1:] if not field(b)), None)
    return first if after is not None and after.kind == "heading" and sum(
        b.kind == "heading" for b in blocks) >= 3 else None


def _named_subject(blocks: list[_Block]) -> bool:
    """Whether the document's first line is the name of what it is about, over sections of its own (an
    encyclopedia entry: 某人 / 某人（1900年—1970年）是… / 生平 / …): an unstyled heading whose next block is text
    defining that name, and later sections, one of which names it again. Its sections then belong to it, as a
    styled title's do, and not only the first (a later section may name neither its subject nor the title)."""
    if len(blocks) < 3 or blocks[0].kind != "heading" or blocks[0].level or blocks[1].kind != "body":
        return False
    name = normalise(blocks[0].text).lower()
    if not re.match(re.escape(name) + _NAMED_AS, normalise(blocks[1].text).lower()):
        return False
    # Its subject comes back in another section (a first section's heading, 住宿标准, does not: 交通费 is another).
    later = next((i for i, b in enumerate(blocks) if i > 1 and b.kind == "heading"), None)
    return later is not None and any(b.kind == "body" and name in normalise(b.text).lower() for b in blocks[later:])


# The ways of numbering a heading: 一、 （一） 1. （1）.
_NUMBERINGS = [re.compile(p) for p in (r"[一二三四五六七八九十]{1,3}、", r"[（(][一二三四五六七八九十]{1,3}[)）]",
                                        r"\d{1,2}[.．、](?!\d)", r"[（(]\d{1,2}[)）]")]


def _numbering(heading: str) -> int | None:
    """Which way of numbering a heading has (an index of _NUMBERINGS), if any."""
    return next((i for i, p in enumerate(_NUMBERINGS) if p.match(heading)), None)


def _depths(blocks: list[_Block]) -> Callable[[str], int]:
    """How deep its numbering sets a heading of these blocks (0 unnumbered): the ways they number their headings,
    outermost first in the order the document first uses them (一、 then （一） then 1. in an official document;
    1. then 一、 where a document's sections are numbered 1. 2. 3.)."""
    ways = list(dict.fromkeys(w for b in blocks if b.kind == "heading" and (w := _numbering(b.text)) is not None))
    return lambda heading: ways.index(w) + 1 if (w := _numbering(heading)) is not None else 0


def _issued(b: _Block, lines: list[str]) -> list[str]:
    """The lines of a block under a document's title that say who issued it and when (a bulletin's or a notice's
    issuer over its date: 青溪县统计局 / 2025年3月18日; 发布日期：2025-03-18), else []: short lines naming no
    field, none a subtitle (——在…上的讲话), over a date, bare or labelled as the day it was issued (not
    活动时间：…, the day of what it tells of)."""
    own = [s for s in (ln.strip() for ln in lines[b.start - 1:b.end]) if s]
    if b.level or b.kind not in ("heading", "body") or len(own) > 3 or not _ISSUED_ON.match(own[-1]):
        return []
    issuers = own[:-1]
    return own if all(heading_shaped(s) and not re.search("[：:]", s) and not ITEM.match(s)
                      and not re.match(r"[—–\-－（(《“]", s) for s in issuers) else []


def _issuer_over_day(lines: list[str]) -> bool:
    """Whether lines are an issuer's over the day it signed, unparted (某某卫生服务中心 / 预防保健科（联系人：…） /
    2026年9月28日): short, ending no sentence, no list item nor field (甲方：… / 乙方：… sign nothing)."""
    return 1 < len(lines) <= 3 and bool(_DATE_LINE.match(lines[-1])) and all(
        len(s) <= HEADING_MAX_CHARS and not ENDS_PARAGRAPH.search(s) and not ITEM.match(s)
        and not FIELD.match(_ASIDE.sub("", s)) for s in lines[:-1])


def _signature(blocks: list[_Block], lines: list[str]) -> int:
    """Where the lines that sign a document begin (a notice's issuer and date, 落款; a contract's parties' signing
    fields and date): its last blocks, up to three, unstyled, after its text, each either short, one line and
    holding no sentence, field or list item, or lines of signing fields and dates; len(blocks) when nothing signs
    it."""
    def signs(b: _Block) -> bool:
        if b.level or b.kind not in ("heading", "body"):
            return False
        own = [s for s in (ln.strip() for ln in lines[b.start - 1:b.end]) if s]
        if any(_SIGNING_FIELDS.match(s) for s in own) and all(_SIGNING_FIELDS.match(s) or _DATE_LINE.match(s)
                                                              for s in own):
            return True
        if _issuer_over_day(own):
            return True
        return ("\n" not in b.text and heading_shaped(b.text) and not re.search("[：:]", b.text)
                and not ITEM.match(b.text))

    at = len(blocks)
    while at and len(blocks) - at < 3 and signs(blocks[at - 1]):
        at -= 1
    return at if any(b.kind == "body" for b in blocks[:at]) else len(blocks)


def _line_offsets(lines: list[str], b: _Block) -> tuple[list[int], list[int], list[int]]:
    """Each non-blank line of a block: its number, and where it starts and ends in the block's text."""
    numbers, starts, ends, pos = [], [], [], 0
    for ln in range(b.start, b.end + 1):
        s = lines[ln - 1].strip()
        if not s:
            continue
        s = _MD_HEADING_RE.sub("", s) if b.kind == "heading" else s
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


@dataclass(frozen=True)
class SourceFile:
    """A document found under an ingest path."""

    path: Path  # as found (messages name it so)
    real: Path  # resolved: the same file named twice (or through a link) is one file
    name: str  # relative to the ingest path it was found under
    root: Path  # that ingest path, resolved


def iter_files(paths: Iterable[Path]) -> Iterator[SourceFile]:
    """Every supported file under the paths, once each however often it is named."""
    seen: set[Path] = set()
    for given in paths:
        given = Path(given)
        if not given.exists():
            raise UsageError(f"No such file or folder: {given}. Pass a folder of documents "
                             f"({', '.join(sorted(SUFFIXES))}), e.g. `rag ingest seeds/`.")
        root = given.resolve()
        if given.is_file():
            found = [(given, given.name)]
        else:
            # A dangling link is yielded too, so that reading it warns instead of skipping it silently.
            # Hidden files and folders (.DS_Store, ._a.md, .ipynb_checkpoints/, .git/) are a tool's, not the user's
            # documents: a checkpoint copy would take the place of the file it copies. Named, they are read.
            files = [f for f in sorted(given.rglob("*")) if (f.is_file() or f.is_symlink())
                     and not any(part.startswith(".") for part in f.relative_to(given).parts)]
            found = [(f, f.relative_to(given).as_posix()) for f in files if f.suffix.lower() in SUFFIXES]
            if other := [f.relative_to(given).as_posix() for f in files if f.suffix.lower() not in SUFFIXES]:
                kinds = sorted({Path(o).suffix.lower() or "no suffix" for o in other})
                log.warning("skipped %d file(s) of a type not read (%s) in %s: %s; save them as one of %s to "
                            "index them", len(other), ", ".join(kinds), given,
                            ", ".join(other[:5]) + (", …" if len(other) > 5 else ""), ", ".join(sorted(SUFFIXES)))
        for f, name in found:
            real = f.resolve()
            if real not in seen:
                seen.add(real)
                yield SourceFile(f, real, name, root)


def read_corpus(paths: Iterable[Path], max_chars: int = CHUNK_CHARS) -> Corpus:
    """Parse every readable document under the paths; each unreadable one is skipped with one warning line."""
    chunks: list[Chunk] = []
    documents: dict[str, Extracted] = {}
    skipped: list[Skipped] = []
    for f in iter_files(paths):
        try:
            doc = read(f.path)
        except UnreadableFileError as e:
            log.warning("skipped %s", e)
            skipped.append(Skipped(f.name, str(e)))
            continue
        chunks.extend(parse(doc, f.name, max_chars))
        documents[f.name] = doc
    return Corpus(chunks, documents, skipped)


def load_corpus(paths: Iterable[Path], max_chars: int = CHUNK_CHARS) -> list[Chunk]:
    """The passages of every readable document under the paths."""
    return read_corpus(paths, max_chars).chunks
