"""Web pages (.html, .htm): the article's blocks and text in reading order, without the page's chrome."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .lines import ITEM, Extracted, Line, repair, table_lines

# Elements of a web page that are never its content.
_HTML_CHROME = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
                "svg", "button", "select")
# A line break of the source inside Chinese text: the source wrapped a sentence (no space, as a browser shows it).
_WRAPPED_CJK = re.compile(r"(?<=[\u4e00-\u9fff，。、；：？！（）])[ \t]*\n\s*(?=[\u4e00-\u9fff，。、；：？！（）])")
# Names of boxes that are no part of an article (readability's negative class and id words).
_NOT_CONTENT = re.compile(r"(?:^|[-_\s])(?:ads?|advert\w*|banner|sponsor\w*|promo\w*|related|recommend\w*|share|"
                          r"comments?|sidebar|widget)(?:$|[-_\s])", re.IGNORECASE)
_BREAK = "\ue000"  # a <br>, as its text (a character of no text, which stripping keeps): a line's end
_OWN_HEADER = ("article", "main")  # a header inside these is the article's own, not the page's chrome
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "dt", "dd", "tr", "figcaption")



def read_html(path: Path) -> Extracted:
    """A web page's article: navigation, header, footer, sidebars and scripts dropped; h1-h6 are headings. Text
    set straight in a container (a <div> with <br> between its lines) is read too, unless it is mostly links."""
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "html.parser")
    # The page's name, in its header's h1 (a shop's, a site's): the title of a page whose article has no heading.
    name = next((h.get_text(" ", strip=True) for h in soup.select("header h1") if not h.find_parent(_OWN_HEADER)), "")
    for tag in soup([t for t in _HTML_CHROME if t != "footer"]):  # a footer's own scripts and navigation too
        # (Not an article's own header holding its title, and its byline under it; nor a box of its own that is
        # not a list of links: a review's score card, a report's figures.)
        own = tag.name in ("header", "aside") and tag.find_parent(_OWN_HEADER)
        if own and tag.name == "aside" and _box_of_its_own(tag):
            for h in tag.find_all(_HEADINGS):
                h.name = "p"  # a box's title heads no more than the box: the article goes on after it
        elif not (own and tag.name == "header" and tag.find(_HEADINGS)):
            tag.decompose()
    contact = [_footer_fields(footer) for footer in soup("footer")]
    for tag in soup("footer"):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    lines: list[Line] = []

    def emit(text: str, level: int = 0) -> None:
        # (Lines one <br> parts are one paragraph, a line each: a review's name and date over what it says. Two
        # part paragraphs.)
        for paragraph in text.split(_BREAK * 2):
            parts = [t for part in paragraph.split(_BREAK) if (t := repair(_collapse(part))) and not _TRAIL.match(t)]
            if parts:
                lines.extend((*(Line(t, level=level) for t in parts), Line("")))

    _html_walk(root, emit, lines_of_one=True)
    if not lines:
        text = root.get_text("\n", strip=True)
        lines = [Line(repair(s)) for s in text.replace(_BREAK, "\n").splitlines()]
    if name and not any(ln.level for ln in lines):  # (an article's own heading titles it, not the site's name)
        lines[:0] = [Line(repair(re.sub(r"\s+", " ", name)), level=1), Line("")]
    body = len(lines)
    seen: set[str] = set()
    for fields in contact:  # the page's last lines, as a printed notice ends with them
        # A footer's fields are one passage, a line each: 电话：… read with 主办单位：… above it says whose it is.
        if fields := [f for f in fields if f not in seen]:
            seen.update(fields)
            lines.extend([*(Line(f) for f in fields), Line("")])
    return Extracted("html", lines, explicit=True, closing=len(lines) - body)


# A trail of links from the site's home to the page (首页 > 帮助中心 > 退票改签): where the page is, no text of it.
_TRAIL = re.compile(r"^(?:首页|主页|网站首页|home)\s*[>›»→/]", re.IGNORECASE)
# A label and its colon (地址：, 电话:), opening the text or after a space or a bar: where a field begins.
_LABEL = re.compile(r"(?:^|(?<=[\s|｜]))[^\s：:，。,.|｜©]{1,8}[：:]\s*\S")
# Where a field ends short of the next label: a bar between the parts of a footer's line, a copyright notice.
_FIELD_END = re.compile(r"[|｜©]")


def _footer_fields(footer: Any) -> list[str]:
    """The labelled fields of a page's footer (地址：…, 电话：…, 邮箱：<a>…</a>): what a reader asks a page for (its
    address, its phone number). Each ends at the next label, a bar, a © or the end of its line (a <p>, a run
    between <br>s), so that a copyright line or a bar of links after it is never part of it; of the words labelled
    nothing, a sentence is kept. (A labelled one, 备案号：…, 友情链接：…, is a field too.)"""
    blocks: list[str] = []
    _html_walk(footer, lambda text, level=0: blocks.extend(repair(re.sub(r"\s+", " ", t).strip())
                                                           for t in text.split(_BREAK)), one_link=True)
    fields: list[str] = []
    for text in blocks:
        starts = [m.start() for m in _LABEL.finditer(text)]
        # Before its first label, a footer's sentence of the page's own (本确认单于…生成，如有疑问请联系前台。) is kept;
        # other unlabelled words are chrome (a copyright notice, a licence, links).
        head = text[: starts[0] if starts else len(text)].strip(" |｜")
        if head.endswith(("。", "！")):
            fields.append(head)
        for a, b in zip(starts, [*starts[1:], len(text)]):
            field = _FIELD_END.split(text[a:b], maxsplit=1)[0].strip()
            if _LABEL.match(field):  # a value is left (友情链接： | <a>…</a> leaves none)
                fields.append(field)
    return list(dict.fromkeys(fields))


# Inline elements: their text runs on with the text around them.
_HTML_INLINE = frozenset("a abbr b big cite code del em font i ins kbd label mark q s small span strong sub sup "
                         "time u var".split())
_LINK_SHARE = 0.5  # a run of text mostly inside links is navigation (readability's link density)


def _html_definitions(dl: Any, emit: Callable[..., None]) -> None:
    """A definition list as fields, one paragraph of a line each: each term with what follows it (<dt>本站评分
    <dd>8.1 / 10 as 本站评分：8.1 / 10; several <dd> parted by ；)."""
    pairs: list[tuple[str, list[str]]] = []
    for el in dl.find_all(("dt", "dd")):
        text = _collapse(el.get_text(" "))
        if el.name == "dt" or not pairs:
            pairs.append((text if el.name == "dt" else "", [] if el.name == "dt" else [text]))
        elif text:
            pairs[-1][1].append(text)
    lines = [f"{term}{'' if term.endswith(('：', ':')) else '：'}{'；'.join(values)}" if term and values
             else term or "；".join(values) for term, values in pairs]
    if lines := [ln for ln in lines if ln]:
        emit(_BREAK.join(lines))


def _box_of_its_own(tag: Any) -> bool:
    """Whether an article's aside is a box of what it says (a review's score card, a report's figures): no links
    (related articles, a list of them with summaries) and nothing named or labelled as an advert."""
    named = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
    return not tag.find("a") and not _NOT_CONTENT.search(named) and not tag.get_text("", strip=True).startswith(
        ("广告", "推广", "赞助"))


def _collapse(text: str) -> str:
    """Whitespace as a browser shows Chinese: a line break of the source between two characters of Chinese text
    is nothing (the source wrapped a sentence), any other run of it one space."""
    return re.sub(r"\s+", " ", _WRAPPED_CJK.sub("", text)).strip()


def _html_walk(el: Any, emit: Callable[..., None], one_link: bool = False, lines_of_one: bool = False) -> None:
    """Emit an element's text in reading order: each block (p, li, h1-h6, a table's rows) as a line, and each run
    of text set straight in a container, up to a <br> or a block, unless it is mostly links (one_link: unless it
    is mostly two links or more, as a field whose value is a link, 邮箱：<a>…</a>, is not). With lines_of_one, the
    runs one <br> parts are emitted together, a line each: one paragraph (two <br>s part paragraphs)."""
    from bs4 import NavigableString
    from bs4.element import PreformattedString

    run: list[Any] = []
    held: list[str] = []  # the runs of the paragraph so far

    def flush() -> None:
        text = "".join(x if isinstance(x, str) else x.get_text() for x in run).strip()
        anchors = [a for x in run if not isinstance(x, str) for a in ([x] if x.name == "a" else x.find_all("a"))]
        linked = sum(len(a.get_text()) for a in anchors) >= _LINK_SHARE * len(text)
        if text and (not linked or (one_link and len(anchors) < 2)):
            held.append(text)
        run.clear()
        if not lines_of_one:
            release()

    def release() -> None:
        if held:
            emit(_BREAK.join(held))
        held.clear()

    for child in el.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):  # comments, doctypes, CDATA
                run.append(str(child))
        elif child.name == "br":
            if not "".join(x if isinstance(x, str) else x.get_text() for x in run).strip():
                release()  # a second <br>: the paragraph ends
            flush()
        elif child.name in _HTML_INLINE and not child.find(_HTML_BLOCKS):
            run.append(child)
        elif child.name == "table":
            flush()
            release()
            _html_table(child, emit)
        elif child.name == "dl":
            flush()
            release()
            _html_definitions(child, emit)
        elif child.name in _HTML_BLOCKS and not child.find(_HTML_BLOCKS):
            flush()
            release()
            level = int(child.name[1]) if child.name[0] == "h" and child.name[1:].isdigit() else 0
            for br in child.find_all("br"):
                br.replace_with(_BREAK)
            # (Its strings unstripped: spaces set between them part what they say, 招聘人数：3人　　<span>薪资…)
            text = child.get_text(" " if child.name == "tr" else "").strip()
            if child.name == "li" and child.parent is not None and child.parent.name == "ol" and not ITEM.match(text) \
                    and not _NUMBERED_BY_HAND.match(text):
                text = f"{_number_of(child)}. {text}"  # the number the browser shows (第三条 asks for it)
            emit(text, level)
        else:
            flush()
            release()
            _html_walk(child, emit, one_link, lines_of_one)
    flush()
    release()


_NUMBERED_BY_HAND = re.compile(r"\s*(?:第[\d一二三四五六七八九十]+[步条项点章节]|[①-⑳])")


def _number_of(li: Any) -> int:
    """The number an <ol> shows for its item: its place among the list's items, from the list's start."""
    ol = li.parent
    try:
        start = int(ol.get("start", 1))
    except ValueError:
        start = 1
    return start + len(li.find_previous_siblings("li"))


def _cells(tr: Any) -> list[Any]:
    return tr.find_all(["td", "th"], recursive=False)


def _cell_text(cell: Any) -> str:
    return re.sub(r"\s+", " ", cell.get_text(" ", strip=True)).strip()


def _span(cell: Any, attr: str) -> int:
    try:
        return max(1, min(int(cell.get(attr, 1)), 100))
    except (TypeError, ValueError):
        return 1


def _spanned(rows: list[Any]) -> list[list[str]]:
    """Rows of a table's header spanning columns (同意 over 票数 | 比例), each cell's text in every column and row
    it spans, as a printed table's merged cells are read."""
    grid: list[list[str]] = []
    below: dict[int, tuple[str, int]] = {}  # column -> (text, rows more) of a cell spanning rows
    for tr in rows:
        row: list[str] = []
        cells = iter(_cells(tr))
        while True:
            while len(row) in below:
                text, more = below.pop(len(row))
                if more > 1:
                    below[len(row)] = (text, more - 1)
                row.append(text)
            if (cell := next(cells, None)) is None:
                break
            text, down = _cell_text(cell), _span(cell, "rowspan")
            for _ in range(_span(cell, "colspan")):
                if down > 1:
                    below[len(row)] = (text, down - 1)
                row.append(text)
        grid.append(row)
    return grid


def _html_table(table: Any, emit: Callable[..., None]) -> None:
    """A web page's table, a row to a line; a first row of <th> cells (or in <thead>) is its header. Rows whose
    cells hold paragraphs (a page laid out with a table) are read as those paragraphs, where they stand."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    first = rows[0].find_all(["td", "th"], recursive=False) if rows else []
    head = rows[0] if first and (all(c.name == "th" for c in first) or rows[0].find_parent("thead")) else None
    group: list[Any] = []  # consecutive rows of plain cells

    def flush() -> None:
        cells = [[_cell_text(c) for c in _cells(tr)] for tr in group]
        if group and group[0] is head and any(_span(c, "colspan") > 1 for c in _cells(head)):
            cells[:2] = _spanned(group[:2])  # a header spanning columns (a body row's span stays one cell)
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
