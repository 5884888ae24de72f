"""Numbered lists and their points: what a chosen item or point goes on to say, and a point asked for by its place
(第二步, 第3条, 最后一项)."""

from __future__ import annotations

import re
from collections import Counter
from itertools import chain, islice, pairwise, takewhile

from .answertype import in_units
from .discourse import point_of
from .features import Candidate, context_of, own_heading
from .lines import FIELD
from .neighbours import Neighbours
from .quantity import NUMERAL
from .question import Question
from .retrieval import Hit
from .terms import Terms
from .text import split_sentences

# A line ending in a colon: what it introduces follows (须提交以下材料：); at most this many of its items are quoted.
_INTRODUCES = re.compile(r"[：:]\s*$")
# A list whose items run on in clauses a semicolon ends (有以下特点：续航长；车身轻；…。): its first clause holds
# the colon, and the list ends with the sentence a full stop ends.
_LIST_IN_CLAUSES = re.compile(r"：[^：]*；\s*$")  # full-width: not a wiki's -{zh-cn:…;zh-tw:…}- markup
# A sentence announcing things by their number or as what follows, without telling them (主要特点如下。, 包括以下
# 五个方面的内容。, 请按以下步骤操作。, 具有几个独有特征。): the sentences after it tell them.
_ANNOUNCES = re.compile(r"(?P<ahead>如下|下列|以下)[^，,；;。]{0,10}[。.]\s*$"
                        r"|(?:有|包括|分为)(?:几|数|多|若干)(?:个|项|种|点|条|类|大)[^，,；;。的]{0,6}[。.]\s*$")
# 以下 after an amount is "under" it (身高1.2米以下的儿童免票, 6周岁以下): no announcement.
_UNDER_AN_AMOUNT = re.compile(rf"[\d{NUMERAL}][^\W\d]{{0,3}}$")
_LIST_ITEMS = 8
# A line opening with a label (附件：, 抄送：, 注：): no paragraph of the article before it.
_LABELLED = re.compile(r"\s*[^\s，。；：:,]{1,6}[：:]")
_NOTE_MARK = re.compile(r"[（(]\d{1,2}[）)]")  # a note's number cited in a sentence
_NUMBERED = re.compile(rf"第[\d{NUMERAL}]{{1,4}}[条款项步点章节]")  # a point named by its number (第八条)
_ITEM = re.compile(r"[；;]\s*$")  # an item of a list that goes on after it
# One of a list's few words (林秀珠；, 陈冠宇), and a field opening a list of them (发明人：郑启航；).
_SHORT_VALUE = re.compile(r"[^，,：:。；;]{1,12}[；;]?")
_SHORT_VALUES = re.compile(rf"{FIELD.pattern}[^，,：:。；;]{{0,11}}[；;]\s*$")
# The sentences a list's point may take beyond its mark before the next point's: more ends the list.
_POINT_GAP = 3


def with_points(question: Question, chosen: list[Candidate], near: Neighbours, beside: int) -> list[Candidate]:
    """Each chosen sentence that opens a numbered list (其特点有以下三点：第一，…; or the sentence after it does:
    原因有多种。首先…) with the list's following points and what each point says, up to the last point numbered
    in sequence, read on into the next passage of its section: a quoted first point says one of several. Asked
    what things are like or which they are (not one number, date, person or place, which one clause holds), a
    sentence announcing what follows (如下。) or opening a list in clauses (有以下特点：…；) gets the rest (as many
    as an answer quotes beside a sentence, beside, when it does not say how many)."""
    described = question.is_list or question.answer_type in ("entity", "manner", "other", "reason")
    out = {(c.hit.chunk_id, c.pos): c for c in chosen}
    # Items of one list chosen twice or more (须提交以下材料：…；…。): the answer is the list, whole; one item
    # alone may answer by itself (one tier of a fee list, one step of a timeline).
    # (Two items of one list include one that goes on: a sentence ending in a semicolon. Without one, nothing is
    # read past the chosen sentences.)
    gone_on = described and len(chosen) > 1 and any(_ITEM.search(c.text) for c in chosen)
    lists = {(c.hit.chunk_id, c.pos): list_of(c, near) for c in chosen} if gone_on else {}
    first = Counter((items[0].hit.chunk_id, items[0].pos) for items in lists.values() if items)
    listed = {key: items for key, items in lists.items()
              if items and first[(items[0].hit.chunk_id, items[0].pos)] > 1}
    for c in chosen:
        if (key := (c.hit.chunk_id, c.pos)) in listed:
            out |= {(s.hit.chunk_id, s.pos): s for s in listed[key]}
            continue
        if _INTRODUCES.search(c.text):
            # A line ending in a colon (须提交以下材料：) introduces what the next lines list, in its passage or
            # (a list set apart as its own paragraph) the next one.
            items = items_after(c, near)
            out |= {(s.hit.chunk_id, s.pos): s for s in items}
            continue
        if _SHORT_VALUES.match(c.text) and point_of(c.text, anywhere=True) is None and (
                rest := near.rest_of_line(c)) and all(_SHORT_VALUE.fullmatch(s.text.strip()) for s in rest) \
                and not _ITEM.search(rest[-1].text):
            # A field whose value is a list of a few words, parted by semicolons on its line and ending there
            # (发明人：甲；乙；丙, 规格：5mg；10mg; not items numbered, （1）…；（2）…, a list's points, nor a list
            # going on past its line or in clauses of any length, a list's lines): all of it.
            out |= {(s.hit.chunk_id, s.pos): s for s in rest}
            continue
        if described and _LIST_IN_CLAUSES.search(c.text):
            items = []
            for s in islice(near.after(c), _LIST_ITEMS):
                items.append(s)
                if not s.text.rstrip().endswith("；"):
                    break  # the clause the full stop ends is the list's last
            out |= {(s.hit.chunk_id, s.pos): s for s in items}
            continue
        if described and (m := _ANNOUNCES.search(c.text)) and not (
                m.group("ahead") and _UNDER_AN_AMOUNT.search(c.text[: m.start()])):
            # How many it announces is not said: as many as an answer quotes beside a sentence, from its
            # passage.
            items = [s for s in islice(near.after(c), beside)
                     if s.hit.chunk_id == c.hit.chunk_id]
            out |= {(s.hit.chunk_id, s.pos): s for s in items}
            continue
        if (question.answer_type in ("date", "place")
                or in_units(question) and all(t in c.text for t in question.terms)) \
                and not question.is_list and point_of(c.text) is not None:
            continue  # a numbered point stating the day, the place or the amount asked of it (护照工本费多少钱):
            # itself (who, 成员有谁, may be several of the points, and a count of them, 几个步骤, or a total,
            # 办护照要多久, is read from the list whole)
        start = point_of(c.text, anywhere=True)
        after = near.after(c)
        ahead = next(after, None)
        if start is None and ahead is not None:
            start = point_of(ahead.text)
        if start is None or start[1] != 1 or ahead is None:
            continue
        if start[0] == "bracketed" and point_of(c.text, anywhere=True) is None and _NOTE_MARK.search(c.text):
            continue  # notes a sentence cites by their numbers (共计1.8亿元（2）。 over （1）… （2）…), not its list
        family, number, run, marks = start[0], 1, [c], [0]
        for s in chain([ahead], after):  # read lazily: the next passage only when the list reaches its end
            p = point_of(s.text)
            if p is not None and p[0] == family and p[1] in (number, number + 1, 0):
                number = p[1] or number + 1
                marks.append(len(run))
            elif p is not None or len(run) - marks[-1] > _POINT_GAP:
                break  # another list's mark, or too far from this one's last point
            run.append(s)
            if p == (family, 0):
                break  # 最后: the list ends here
        if number > 1:
            # The last point says as much as the longest before it, within what was read: to the paragraph's
            # end or another list's mark.
            said = max(b - a - 1 for a, b in pairwise(marks))
            out |= {(s.hit.chunk_id, s.pos): s for s in run[: marks[-1] + said + 1]}
    return list(out.values())


def list_of(item: Candidate, near: Neighbours) -> list[Candidate]:
    """The list the sentence is an item of, each item a semicolon ends and the last a full stop, with the line
    introducing it (须提交以下材料：) or, where the items open the section, under its heading: in the item's
    passage or (a list of lines, each its own paragraph) across the passages of its section. Empty when the
    sentence and the lines before it are no such list, or when the list runs on past _LIST_ITEMS (no list
    quoted whole)."""
    earlier = near.before(item)
    if not _ITEM.search(item.text):  # the last item, after one that goes on
        previous = next(earlier, None)
        if previous is None or not _ITEM.search(previous.text):
            return []
        earlier = chain([previous], earlier)
    first = item
    for n, before in enumerate(earlier):
        if _INTRODUCES.search(before.text):
            first = before
            break
        if n >= _LIST_ITEMS or not _ITEM.search(before.text):
            return []
        first = before
    items, last = [first], first
    while (last := next(near.after(last, paragraph=False), None)) and not _INTRODUCES.search(last.text):
        if len(items) > _LIST_ITEMS:
            return []
        items.append(last)
        if not _ITEM.search(last.text):
            break
    return items


def the_point(question: Question, terms: Terms, candidates: list[Candidate], near: Neighbours,
              longest: int) -> list[Candidate] | None:
    """A point of a numbered list asked for by its place (第二步, 第3条, 最后一项), as its list numbers it (2.,
    二、, （二）, 第二，): the best-scoring sentence opening with that mark, in a document whose retrieved passages
    hold every other word of the question, with the rest of its line; for the last, the list read on to its
    end. None when no such document numbers anything (the question is answered, or not, as any other); no
    point when one does but not this far."""
    if question.position is None:
        return None
    place, words = question.position
    others = [t for t in terms.weights if t not in words]
    # 第二款呢？ after 合同第八条讲了什么？: what the question it follows named beside its point (合同), the
    # longest of its opening phrases that a retrieved document's passages say.
    borrowed = [] if others or not question.follow_up else list(dict.fromkeys(
        rest for p in question.topic if (rest := _NUMBERED.sub("", p).strip().lower())))
    said: dict[str, str] = {}
    for h in {c.hit.chunk_id: c.hit for c in candidates}.values():
        source = str(h.meta.get("source", ""))
        said[source] = f"{said.get(source, '')}\n{context_of(h).lower()}"
    about = {source for source, text in said.items() if all(t in text for t in others)}
    for phrase in borrowed:
        if narrowed := {source for source, text in said.items() if phrase in text}:
            about = narrowed
            break
    if not about:
        # What is asked of the point (第四条的内容, 有什么要求) may be the question's word only: its text answers.
        about = {source for source, text in said.items() if all(t in text for t in others if t != question.focus)}
    listed = [c for c in candidates
              if str(c.hit.meta.get("source", "")) in about and (mark := point_of(c.text)) and mark[1]]
    # A point may be a section of its own, its mark on its heading line (第四条 押金): its text is the point.
    headed = [(c, mark[1]) for c in candidates
              if str(c.hit.meta.get("source", "")) in about and (mark := point_of(own_heading(c.hit))) and mark[1]]
    if not listed and not headed:
        return None
    if place:
        if point := (_point_of_section(others, candidates, near, place)
                     or next((c for c in listed if point_of(c.text)[1] == place), None)):
            told = _paragraphs_of(point, [point, *near.rest_of_line(point)], near)
            return _sub_point(question, point_of(point.text)[0], told, near)
        if section := next((c for c, number in headed if number == place), None):
            # Its text from its first passage on (a contract's 5.1, 5.2, … are passages of their own).
            opening = near.opening(section)
            return _sub_point(question, "", [opening, *islice(near.onward(opening), longest - 1)], near)
        # A list that numbers its points in its sentences has no such point; sections numbered on their
        # headings may only not have been retrieved (a long contract's 第三十条): answered as any other.
        return [] if listed else None
    if not listed:
        return None  # the last of sections numbered on their headings: answered as any other question
    first = listed[0]
    family, source = point_of(first.text)[0], first.hit.meta.get("source")
    if family == "di" and first.pos == 0:
        # Articles (第二十八条) are numbered through their document, across its chapters: its last is read on
        # from the furthest one retrieved, not from the best one's chapter.
        first = max((c for c in listed if c.pos == 0 and c.hit.meta.get("source") == source
                     and point_of(c.text)[0] == family), key=lambda c: point_of(c.text)[1])
    return [point := _last_point(first, near), *near.rest_of_line(point)]


def _point_of_section(others: list[str], candidates: list[Candidate], near: Neighbours,
                      place: int) -> Candidate | None:
    """The point numbered place (5., （五）, 五、) of the section whose own heading holds every other word of the
    question (决议第五项: 三、会议通过的决议), read from all of its passages, retrieved or not."""
    if not others or near.section is None:
        return None
    seen = set()
    for c in candidates:
        key = (str(c.hit.meta.get("source", "")), str(c.hit.meta.get("heading", "")))
        if key in seen or not all(t in own_heading(c.hit).lower() for t in others):
            continue
        seen.add(key)
        for cid, text, meta in near.section(*key):
            hit = Hit(cid, text, meta, c.hit.score)
            for pos, sentence in enumerate(split_sentences(text)):
                if (mark := point_of(sentence)) is not None and mark[1] == place:
                    return near.sentence(hit, pos, sentence)
    return None


def items_after(c: Candidate, near: Neighbours) -> list[Candidate]:
    """What a line ending in a colon introduces: the next lines, in its passage or the next; and, a list set
    apart a paragraph per item (（一）…；, （二）…；), the items after in the passages that follow, while each
    opens with the next mark."""
    items = list(islice(near.after(c, paragraph=False), _LIST_ITEMS))
    mark = point_of(items[-1].text) if items else None
    while mark is not None and len(items) < _LIST_ITEMS and (ahead := list(near.after(items[-1], False))):
        nxt = point_of(ahead[0].text)
        if nxt is None or nxt[0] != mark[0] or nxt[1] != mark[1] + 1:
            break
        items += ahead[: _LIST_ITEMS - len(items)]
        mark = nxt
    return items


def _sub_point(question: Question, family: str, said: list[Candidate], near: Neighbours) -> list[Candidate]:
    """Of what a point says, the item or clause the question asks for within it (第十四条第二项: its （二）; 第八条
    第二款 of a contract numbering its clauses 8.1, 8.2: its 8.2), read on to the next point of the point's own
    kind or its section's end; [] when it has no such item. What it says, whole, when the question asks none."""
    if question.sub_position is None or question.position is None or not said:
        return said
    place, sub = question.position[0], question.sub_position[0]
    if not family:
        # A section numbered on its heading (第八条 违约责任): its clauses from its first passage on.
        said = [said[0]]
    dotted = re.compile(rf"\s*{place}[.．](\d{{1,2}})(?!\d)")
    # (Read as far as a few lists' length: a section of a long contract is no longer.)
    inside = [*said, *takewhile(lambda s: family == "" or (point_of(s.text) or ("",))[0] != family,
                                islice(near.onward(said[-1]), 4 * _LIST_ITEMS))]
    # A statute's 款 are its article's paragraphs, unnumbered; its 项 are numbered （一）… within them.
    paragraphs = question.sub_position[1].endswith("款")
    items = []
    for s in inside:
        mark = None if paragraphs else point_of(s.text)
        number = int(d.group(1)) if (d := dotted.match(s.text)) else (
            mark[1] if mark is not None and mark[0] != family and s is not said[0] else None)
        if number == sub:
            return [s, *near.rest_of_line(s)]
        if number:
            items.append(s)
    if paragraphs and not items and sub:
        # A paragraph opens a line (a passage's first sentence, or one after a line break) and no point, nor
        # goes on a list a line before it opened or continued (下列材料：/ 身份证原件；/ 照片一张。).
        opening = [s for k, s in enumerate(inside) if s is said[0] or opens_line(s) and point_of(s.text) is None
                   and not (k and inside[k - 1].text.rstrip().endswith(("：", ":", "；", ";")))]
        if sub > len(opening):
            return []
        start = inside.index(opening[sub - 1])
        end = inside.index(opening[sub]) if sub < len(opening) else len(inside)
        return inside[start:end]
    # 最后一项: the last it numbers.
    return [items[-1], *near.rest_of_line(items[-1])] if sub == 0 and items else []


def _paragraphs_of(point: Candidate, line: list[Candidate], near: Neighbours) -> list[Candidate]:
    """A point that is a paragraph of its own (第十七条　…应当遵守下列规定：) with the paragraphs after it that
    open no point of its kind (its items （一）…, its further paragraphs), up to the next one (第十八条) or its
    section's end: what the point says. Its line alone for a point inside a paragraph (第一，…。第二，…)."""
    last = line[-1]
    if point.pos or (last.hit.chunk_id, last.pos + 1) in near.at or len(split_sentences(last.hit.text)) > last.pos + 1:
        return line
    family = (point_of(point.text) or ("", 0))[0]
    article = bool(re.match(r"第[^，,、：:]{1,4}条", point.text.lstrip()))
    out, most = list(line), len(line) + _LIST_ITEMS  # as many as a list introduced by a colon brings
    while len(out) < most and (ahead := list(near.after(out[-1], paragraph=False))):
        mark = point_of(ahead[0].text)
        # Its items; and an article's further paragraphs (a step's next paragraph is no part of it), up to a
        # labelled line closing the document (附件：, 抄送：).
        if mark is not None and mark[0] == family or mark is None and (
                not article or _LABELLED.match(ahead[0].text)):
            break
        out += ahead[: most - len(out)]
    return out


def _last_point(c: Candidate, near: Neighbours) -> Candidate:
    """The last point of the list c is a point of: read on, into the next passages of its section, while the
    points follow in order, to 最后 or the list's end."""
    family, number = point_of(c.text) or ("", 0)
    point, cur = c, c
    while (ahead := list(near.after(cur, paragraph=False))):
        for s in ahead:
            p = point_of(s.text)
            if p is None:
                continue
            if p[1] == 0:  # 最后 closes a list of any marks
                return s
            if p[0] != family or p[1] != number + 1:
                return point
            point, number = s, p[1]
        cur = ahead[-1]
    return point


def opens_line(c: Candidate) -> bool:
    """Whether c begins a line of its passage (its first sentence, or one after a line break)."""
    at = c.hit.text.find(c.text)
    return c.pos == 0 or at > 0 and c.hit.text[:at].rstrip(" \t　").endswith("\n")
