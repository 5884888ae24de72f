"""Extractive, grounded answers: score every sentence of the retrieved passages, choose the best, or abstain."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import chain, islice, pairwise, takewhile
from typing import Any

import numpy as np

from .answertype import holds, in_units
from .compare import extreme_rows, ranked_row, total_row
from .discourse import leans_back, point_of, refers_back, resumes_quotation
from .features import (QUESTION_FEATURES, SENTENCE_FEATURES, Candidate, Sentences, Terms, article_of, context_of,
                       crosses_language, date_heading, heading_of, own_heading, question_features, sentence_features,
                       undated)
from .lines import FIELD, record_head, row_cells
from .quantity import DATE, NUMERAL, dated_by, names_year
from .question import COMPASS, Question, bigrams
from .result import Answer, abstain, quote
from .retrieval import Hit, signature
from .scoring import Scoring
from .text import asks, segmenter, split_sentences

# (source, heading) -> that section's body passages as (id, text, metadata), in reading order.
Section = Callable[[str, str], list[tuple[str, str, dict[str, Any]]]]


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
# A labelled note in brackets, a sentence of its own after a full stop (（负责人：冯蕾）, （联系人：王明）; not a picture's
# credit, （资料图片）).
_NOTE = re.compile(r"[（(][^（）()：:]{1,10}[：:][^（）()]{1,20}[）)]")
_NOTE_MARK = re.compile(r"[（(]\d{1,2}[）)]")  # a note's number cited in a sentence
_NUMBERED = re.compile(rf"第[\d{NUMERAL}]{{1,4}}[条款项步点章节]")  # a point named by its number (第八条)
_ITEM = re.compile(r"[；;]\s*$")  # an item of a list that goes on after it
# One of a list's few words (林秀珠；, 陈冠宇), and a field opening a list of them (发明人：郑启航；).
_SHORT_VALUE = re.compile(r"[^，,：:。；;]{1,12}[；;]?")
_SHORT_VALUES = re.compile(rf"{FIELD.pattern}[^，,：:。；;]{{0,11}}[；;]\s*$")
# The sentences a list's point may take beyond its mark before the next point's: more ends the list.
_POINT_GAP = 3
_DOCUMENT_NUMBER_ASKED = re.compile(r"文字?号|案号")
_ALNUM = re.compile(r"[A-Za-z0-9]")


def pick(question: Question, ranked: Sequence[Candidate], limit: int, keep: float) -> list[Candidate]:
    """The best of the ranked sentences, and up to limit - 1 more whose probability is at least keep times its."""
    if not ranked:
        return []
    best = float(sigmoid(ranked[0].score))
    chosen: list[Candidate] = []
    for c in ranked:
        if len(chosen) >= limit or sigmoid(c.score) < keep * best:
            break
        if chosen and not adds_to(question, c):
            continue
        if all(c.text != o.text for o in chosen):
            chosen.append(c)
    return chosen


def _echoes(question: Question, text: str) -> bool:
    """Whether a sentence says nothing the question does not (竹喧归浣女，莲动下渔舟。 of 竹喧归浣女莲动下渔舟用了什么
    写法): the words asked about, quoted back, answer nothing of them."""
    pairs = bigrams(text)
    return len(pairs) >= 3 and pairs <= question.bigrams and set(_ALNUM.findall(text)) <= set(question.text)


def adds_to(question: Question, c: Candidate) -> bool:
    """Whether a sentence scoring nearly as well as the best may be quoted beside it: asked for a number, a date,
    a person or a place, one holding no such thing is about the same subject, not the asked fact. (A cause or a
    post is often told over sentences the pattern cannot see it in; a contact is never quoted without one.)"""
    return c.type_ok or question.answer_type not in ("number", "date", "person", "place")


def sigmoid(z: float | np.ndarray) -> float | np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


@dataclass
class Scored:
    """The sentences of the passages, best first, and the fitted probability that the question is answerable."""

    candidates: list[Candidate]
    answerable: float
    cross: bool = False  # asked in another language than the best sentence's passage is written in

    @cached_property
    def at(self) -> dict[tuple[str, int], Candidate]:
        """Each sentence by (passage, position): what the one before or after a chosen sentence is looked up in."""
        return {(c.hit.chunk_id, c.pos): c for c in self.candidates}


@dataclass
class Answerer:
    """Scores sentences and the question's answerability with the fitted models, and chooses what to quote."""

    scoring: Scoring
    threshold: float | None = None  # overrides the fitted one
    section: Section | None = None

    def score(self, question: Question, terms: Terms, qvec: np.ndarray, hits: Sequence[Hit],
              sentences: Sentences) -> Scored:
        """Every sentence of the hits with its fitted log-odds of answering, best first; and P(answerable)."""
        logits = [h.score for h in hits]
        cands, x = sentence_features(question, terms, qvec, hits, logits, sentences)
        for c, z in zip(cands, self.scoring.sentence.logit(x, SENTENCE_FEATURES)):
            c.score = float(z)
        cands.sort(key=lambda c: -c.score)
        q = question_features(question, terms, cands, logits)
        p = float(sigmoid(self.scoring.answerable.logit(q, QUESTION_FEATURES)[0]))
        return Scored(cands, p, bool(cands) and crosses_language(question, cands[0].hit))

    def choose(self, question: Question, scored: Scored) -> list[Candidate]:
        """The best sentence, and the next ones that score nearly as well (more for a list question)."""
        limit = self.scoring.max_sentences if question.is_list else self.scoring.max_fact_sentences
        ranked = scored.candidates
        if not (question.yes_no or question.choice) and question.answer_type != "reason":
            # (是不是X？ is answered by a sentence saying X, 3楼还是5楼 by one saying 5楼; asked why X, a story tells
            # what led to it just before the sentence saying X, which is quoted with it: _with_antecedents.)
            # (出院诊断： of 出院诊断都有哪些 says nothing the question does not, but opens the list answering it.)
            ranked = [c for c in ranked if not _echoes(question, c.text) or _opens_list(c)]
        if question.years:
            ranked = _of_the_years(question, ranked, self.scoring.keep)
        if question.compounds and ranked:
            ranked = _not_its_sibling(question, ranked)
        ranked = _rows_it_names(question, ranked)
        if question.answer_type == "contact":
            # An address, a link or a number is quoted as written: a sentence without one of its form has none.
            # One in another document than the sentence best matching the question is another's (a product's
            # hotline for 房东的手机号, the lease naming the landlord and no number), unless it scores nearly as well.
            top = ranked[0] if ranked else None
            ranked = [c for c in ranked if c.type_ok and (
                article_of(c.hit) == article_of(top.hit)
                or sigmoid(c.score) >= self.scoring.keep * sigmoid(top.score))]
        elif ranked and in_units(question) and not ranked[0].type_ok:
            # Asked an amount in units (money, a size, a span of time, a share), the sentence best matching the
            # question names none: it tells of the thing asked about. The amount is in one scoring nearly as well
            # that holds as much of the question's words, if any; one holding fewer is another thing's.
            # (A record's fields in one passage are of one thing: 姓名：方桂兰 over 住院天数：12天.)
            top = ranked[0]
            ranked = [c for c in ranked if c.type_ok and (c.lex >= top.lex or _fields_of_one(top, c))
                      and sigmoid(c.score) >= self.scoring.keep * sigmoid(top.score)]
        return pick(question, ranked, limit, self.scoring.keep)

    def answer(self, question: Question, terms: Terms, qvec: np.ndarray, hits: Sequence[Hit],
               sentences: Sentences) -> Answer:
        """Quote the chosen sentences in corpus order with their citations, or abstain."""
        if (question.subject or question.topic) and question.position is None:
            # (A point asked by its number is found in the document the question it follows named: _the_point.)
            hits = _about_subject(question, hits)
        if question.replaced:
            sentences = _not_about(question, sentences)
        scored = self.score(question, terms, qvec, hits, sentences)
        threshold = self.scoring.threshold_for(scored.cross) if self.threshold is None else self.threshold
        # What the document's structure answers by itself: who wrote an article, what a section lists.
        point = self._the_point(question, terms, scored)
        if point == []:  # its list has no such point (第八步 of five)
            return abstain(question.language, scored.answerable)
        by = self._byline(question, hits) or point or self._row_asked(question, scored) or _set_apart(question, hits)
        section = [] if by else self._with_points(question, self._section_digest(question, terms, hits, scored), scored)
        chosen = by or section
        if not chosen:
            scored = _the_total(question, _of_the_case(terms, _naming(terms, scored)))
            chosen = self.choose(question, scored)
            if dated := _dated_heading(question, chosen, hits) or _heading_fact(question, chosen, hits):
                chosen = dated  # a heading, quoted as it is
            elif not chosen or scored.answerable < threshold:
                return abstain(question.language, scored.answerable)
            else:
                chosen = _meeting(question, terms, chosen)
                chosen = self._with_points(question, self._with_antecedents(question, terms, chosen, scored), scored)
                chosen = _with_floor_heading(question, _with_date_heading(question, self._with_notes(chosen, scored.at)))
                chosen = self._with_record_heads(question, chosen, scored.at)
        # Read the chosen sentences in corpus order, as a person would quote them.
        chosen.sort(key=lambda c: (c.hit.meta.get("source", ""), c.hit.meta.get("order", 0), c.pos))
        ans = quote([(c.hit, c.text) for c in chosen], question.language, scored.answerable)
        # What answers the question best: the best-scored quoted sentence shown to hold a thing of the asked kind,
        # which states it (not a list's opening line). A section's digest has none.
        held = [c for c in chosen if c.type_ok and not _opens_list(c)]
        ans.best = "" if section or not held else max(held, key=lambda c: c.score).text
        if section:
            ans.first = list({c.hit.chunk_id: c.hit for c in section}.values())
        return ans

    @staticmethod
    def _with_antecedents(question: Question, terms: Terms, chosen: list[Candidate], scored: Scored) -> list[Candidate]:
        """Each chosen sentence that leans on the one before it (因此……) with that one, from the same passage, when
        that one is what the question needs: its cause (a why question) or words of the question it lacks. For a
        why question, a chosen sentence that states no cause gets the one before it too: a story tells what
        happened, then what came of it. A quotation and the sentence naming its speaker (“……。”某某说，“……”) always
        come together: the two are one speech. Asked which thing (哪个学校), a sentence pointing back at one by a
        demonstrative (该学院党委书记…) and naming no such thing itself gets the sentence naming it."""
        at = scored.at
        out = {(c.hit.chunk_id, c.pos): c for c in chosen}
        why = question.answer_type == "reason"
        which = question.answer_type in ("entity", "place")
        for c in chosen:
            after = at.get((c.hit.chunk_id, c.pos + 1))
            if after is not None and resumes_quotation(after.text, c.text):
                out[(c.hit.chunk_id, c.pos + 1)] = after  # who said it
            before = at.get((c.hit.chunk_id, c.pos - 1))
            if before is None or any(before.text == o.text for o in out.values()):
                continue
            named = which and not (question.focus and question.focus in c.text) and refers_back(c.text, before.text)
            if named or resumes_quotation(c.text, before.text):
                out[(c.hit.chunk_id, c.pos - 1)] = before  # the speech began there, or the thing is named there
                continue
            # Asked how or why, a rule's consequence goes on in clauses parted by semicolons (抄袭者记0分；情节严重者
            # 上报学院处理): a clause naming nothing of the question but what it asks needs the one before it.
            told = (question.answer_type in ("manner", "reason") and _clause_of_one(before, c)
                    and not any(terms.holds(t, c.text) for t in terms.weights if t != question.focus))
            if not leans_back(c.text) and not (why and not c.type_ok) and not told:
                continue
            if why or terms.coverage(before.text + c.text) > c.lex:
                out[(c.hit.chunk_id, c.pos - 1)] = before
        return list(out.values())

    def _with_points(self, question: Question, chosen: list[Candidate], scored: Scored) -> list[Candidate]:
        """Each chosen sentence that opens a numbered list (其特点有以下三点：第一，…; or the sentence after it does:
        原因有多种。首先…) with the list's following points and what each point says, up to the last point numbered
        in sequence, read on into the next passage of its section: a quoted first point says one of several. Asked
        what things are like or which they are (not one number, date, person or place, which one clause holds), a
        sentence announcing what follows (如下。) or opening a list in clauses (有以下特点：…；) gets the rest."""
        at = scored.at
        described = question.is_list or question.answer_type in ("entity", "manner", "other", "reason")
        out = {(c.hit.chunk_id, c.pos): c for c in chosen}
        # Items of one list chosen twice or more (须提交以下材料：…；…。): the answer is the list, whole; one item
        # alone may answer by itself (one tier of a fee list, one step of a timeline).
        # (Two items of one list include one that goes on: a sentence ending in a semicolon. Without one, nothing is
        # read past the chosen sentences.)
        gone_on = described and len(chosen) > 1 and any(_ITEM.search(c.text) for c in chosen)
        lists = {(c.hit.chunk_id, c.pos): self._list_of(c, at) for c in chosen} if gone_on else {}
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
                items = self._items_after(c, at)
                out |= {(s.hit.chunk_id, s.pos): s for s in items}
                continue
            if _SHORT_VALUES.match(c.text) and point_of(c.text, anywhere=True) is None and (
                    rest := self._rest_of_line(c, at)) and all(_SHORT_VALUE.fullmatch(s.text.strip()) for s in rest) \
                    and not _ITEM.search(rest[-1].text):
                # A field whose value is a list of a few words, parted by semicolons on its line and ending there
                # (发明人：甲；乙；丙, 规格：5mg；10mg; not items numbered, （1）…；（2）…, a list's points, nor a list
                # going on past its line or in clauses of any length, a list's lines): all of it.
                out |= {(s.hit.chunk_id, s.pos): s for s in rest}
                continue
            if described and _LIST_IN_CLAUSES.search(c.text):
                items = []
                for s in islice(self._after(c, at), _LIST_ITEMS):
                    items.append(s)
                    if not s.text.rstrip().endswith("；"):
                        break  # the clause the full stop ends is the list's last
                out |= {(s.hit.chunk_id, s.pos): s for s in items}
                continue
            if described and (m := _ANNOUNCES.search(c.text)) and not (
                    m.group("ahead") and _UNDER_AN_AMOUNT.search(c.text[: m.start()])):
                # How many it announces is not said: as many as an answer quotes beside a sentence, from its
                # passage.
                items = [s for s in islice(self._after(c, at), self.scoring.max_fact_sentences)
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
            after = self._after(c, at)
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

    def _list_of(self, item: Candidate, at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """The list the sentence is an item of, each item a semicolon ends and the last a full stop, with the line
        introducing it (须提交以下材料：) or, where the items open the section, under its heading: in the item's
        passage or (a list of lines, each its own paragraph) across the passages of its section. Empty when the
        sentence and the lines before it are no such list, or when the list runs on past _LIST_ITEMS (no list
        quoted whole)."""
        earlier = self._before(item, at)
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
        while (last := next(self._after(last, at, paragraph=False), None)) and not _INTRODUCES.search(last.text):
            if len(items) > _LIST_ITEMS:
                return []
            items.append(last)
            if not _ITEM.search(last.text):
                break
        return items

    def _before(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> Iterator[Candidate]:
        """The sentences before c, nearest first: the rest of its passage, then the passages before it in its
        section."""
        def of(hit: Hit, pos: int, text: str) -> Candidate:
            return at.get((hit.chunk_id, pos)) or Candidate(hit, pos, text, 0.0, 0.0, 0.0, 0.0, True, True)

        texts = split_sentences(c.hit.text)
        yield from (of(c.hit, p, texts[p]) for p in range(min(c.pos, len(texts)) - 1, -1, -1))
        meta = c.hit.meta
        if self.section is None or "order" not in meta:
            return
        earlier = [(i, t, m) for i, t, m in self.section(str(meta.get("source", "")), str(meta.get("heading", "")))
                   if m.get("order", 0) < meta["order"]]
        for i, t, m in reversed(earlier):
            hit, sentences = Hit(i, t, m, c.hit.score), split_sentences(t)
            yield from (of(hit, p, sentences[p]) for p in range(len(sentences) - 1, -1, -1))

    def _after(self, c: Candidate, at: dict[tuple[str, int], Candidate], paragraph: bool = True) -> Iterator[Candidate]:
        """The sentences after c: the rest of its passage, then those of the next passage of its section when it
        goes on with the same paragraph (it starts on a line this one spans: a new paragraph starts on a line of
        its own), or whatever it is when paragraph is False and c ends its passage."""
        if (c.hit.chunk_id, c.pos) in at:
            # Up to the passage's end, past a sentence that is no candidate (the text's own question).
            rest = [s for p in range(c.pos + 1, len(split_sentences(c.hit.text)))
                    if (s := at.get((c.hit.chunk_id, p))) is not None]
        else:  # a passage the question did not retrieve (a section's digest): its own sentences
            rest = [Candidate(c.hit, p, t, 0.0, 0.0, 0.0, 0.0, True, True)
                    for p, t in enumerate(split_sentences(c.hit.text)) if p > c.pos]
        yield from rest
        if not paragraph and rest:
            return
        meta = c.hit.meta
        if self.section is None or "order" not in meta:
            return
        nxt = next(((i, t, m) for i, t, m in self.section(str(meta.get("source", "")), str(meta.get("heading", "")))
                    if m.get("order", 0) > meta["order"]), None)
        if nxt is not None and (not paragraph or nxt[2].get("start_line", 0) <= meta.get("end_line", -1)):
            hit = Hit(nxt[0], nxt[1], nxt[2], c.hit.score)
            for pos, text in enumerate(split_sentences(nxt[1])):
                yield at.get((hit.chunk_id, pos)) or Candidate(hit, pos, text, 0.0, 0.0, 0.0, 0.0, True, True)

    def _the_point(self, question: Question, terms: Terms, scored: Scored) -> list[Candidate] | None:
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
        at = scored.at
        said: dict[str, str] = {}
        for h in {c.hit.chunk_id: c.hit for c in scored.candidates}.values():
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
        listed = [c for c in scored.candidates
                  if str(c.hit.meta.get("source", "")) in about and (mark := point_of(c.text)) and mark[1]]
        # A point may be a section of its own, its mark on its heading line (第四条 押金): its text is the point.
        headed = [(c, mark[1]) for c in scored.candidates
                  if str(c.hit.meta.get("source", "")) in about and (mark := point_of(own_heading(c.hit))) and mark[1]]
        if not listed and not headed:
            return None
        if place:
            if point := (self._point_of_section(others, scored, place)
                         or next((c for c in listed if point_of(c.text)[1] == place), None)):
                said = self._paragraphs_of(point, [point, *self._rest_of_line(point, at)], at)
                return self._sub_point(question, point_of(point.text)[0], said, at)
            if section := next((c for c, number in headed if number == place), None):
                # Its text from its first passage on (a contract's 5.1, 5.2, … are passages of their own).
                opening = self._opening(section)
                return self._sub_point(question, "", [opening, *islice(self._onward(opening, at),
                                                                       self.scoring.max_sentences - 1)], at)
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
        return [point := self._last_point(first, at), *self._rest_of_line(point, at)]

    def _row_asked(self, question: Question, scored: Scored) -> list[Candidate]:
        """The table rows a question asks for by their place among the rows: the one holding the most or the least
        of something (哪个专业学费最高, 首班车几点) or a place in a ranking (积分榜第五是谁). Every row of the best
        tables' sections is compared, retrieved or not."""
        if question.extreme is None and question.rank is None:
            return []
        rows = [c for c in scored.candidates if "：" in c.text or ":" in c.text]
        sections = list(dict.fromkeys((str(c.hit.meta.get("source", "")), str(c.hit.meta.get("heading", "")))
                                      for c in rows[: self.scoring.pool]))
        at, more = scored.at, []
        for source, heading in sections if self.section is not None else ():
            for cid, text, meta in self.section(source, heading):
                hit = Hit(cid, text, meta, 0.0)
                more += [at.get((cid, p)) or Candidate(hit, p, t, 0.0, 0.0, 0.0, 0.0, True, True)
                         for p, t in enumerate(split_sentences(text))]
        rows = [*rows, *more]
        return extreme_rows(question, rows, self.scoring.max_fact_sentences) or ranked_row(question, rows)

    def _point_of_section(self, others: list[str], scored: Scored, place: int) -> Candidate | None:
        """The point numbered place (5., （五）, 五、) of the section whose own heading holds every other word of the
        question (决议第五项: 三、会议通过的决议), read from all of its passages, retrieved or not."""
        if not others or self.section is None:
            return None
        at, seen = scored.at, set()
        for c in scored.candidates:
            key = (str(c.hit.meta.get("source", "")), str(c.hit.meta.get("heading", "")))
            if key in seen or not all(t in own_heading(c.hit).lower() for t in others):
                continue
            seen.add(key)
            for cid, text, meta in self.section(*key):
                hit = Hit(cid, text, meta, c.hit.score)
                for pos, sentence in enumerate(split_sentences(text)):
                    if (mark := point_of(sentence)) is not None and mark[1] == place:
                        return at.get((cid, pos)) or Candidate(hit, pos, sentence, 0.0, 0.0, 0.0, 0.0, True, True)
        return None

    @staticmethod
    def _with_notes(chosen: list[Candidate], at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """Each chosen sentence with the labelled note in brackets closing its line, after its full stop (完成第二轮性能
        测试。核心查询…。（负责人：冯蕾）): the note says who or what of the whole line."""
        out = {(c.hit.chunk_id, c.pos): c for c in chosen}
        for c in chosen:
            texts = split_sentences(c.hit.text)
            at_text = c.hit.text.find(c.text)
            if at_text < 0:
                continue
            line = c.hit.text[at_text:].split("\n", 1)[0]
            last = c.pos + next((n for n in range(len(texts) - c.pos - 1, 0, -1)
                                 if texts[c.pos + n] in line), 0)
            # (Another note before it, glued to a sentence, would be the chosen one's: this one is another line's.)
            if last > c.pos and _NOTE.fullmatch(texts[last].strip()) and not any(
                    _NOTE.search(texts[p]) for p in range(c.pos, last)):
                out.setdefault((c.hit.chunk_id, last), at.get((c.hit.chunk_id, last)) or Candidate(
                    c.hit, last, texts[last], 0.0, 0.0, 0.0, 0.0, True, True))
        return list(out.values())

    def _items_after(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """What a line ending in a colon introduces: the next lines, in its passage or the next; and, a list set
        apart a paragraph per item (（一）…；, （二）…；), the items after in the passages that follow, while each
        opens with the next mark."""
        items = list(islice(self._after(c, at, paragraph=False), _LIST_ITEMS))
        mark = point_of(items[-1].text) if items else None
        while mark is not None and len(items) < _LIST_ITEMS and (ahead := list(self._after(items[-1], at, False))):
            nxt = point_of(ahead[0].text)
            if nxt is None or nxt[0] != mark[0] or nxt[1] != mark[1] + 1:
                break
            items += ahead[: _LIST_ITEMS - len(items)]
            mark = nxt
        return items

    def _onward(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> Iterator[Candidate]:
        """The sentences after c, to its passage's end and on through the next passages of its section."""
        while ahead := list(self._after(c, at, paragraph=False)):
            yield from ahead
            c = ahead[-1]

    def _sub_point(self, question: Question, family: str, said: list[Candidate],
                   at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
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
                                    islice(self._onward(said[-1], at), 4 * _LIST_ITEMS))]
        # A statute's 款 are its article's paragraphs, unnumbered; its 项 are numbered （一）… within them.
        paragraphs = question.sub_position[1].endswith("款")
        items = []
        for s in inside:
            mark = None if paragraphs else point_of(s.text)
            number = int(d.group(1)) if (d := dotted.match(s.text)) else (
                mark[1] if mark is not None and mark[0] != family and s is not said[0] else None)
            if number == sub:
                return [s, *self._rest_of_line(s, at)]
            if number:
                items.append(s)
        if paragraphs and not items and sub:
            # A paragraph opens a line (a passage's first sentence, or one after a line break) and no point, nor
            # goes on a list a line before it opened or continued (下列材料：/ 身份证原件；/ 照片一张。).
            opening = [s for k, s in enumerate(inside) if s is said[0] or _opens_line(s) and point_of(s.text) is None
                       and not (k and inside[k - 1].text.rstrip().endswith(("：", ":", "；", ";")))]
            if sub > len(opening):
                return []
            start = inside.index(opening[sub - 1])
            end = inside.index(opening[sub]) if sub < len(opening) else len(inside)
            return inside[start:end]
        # 最后一项: the last it numbers.
        return [items[-1], *self._rest_of_line(items[-1], at)] if sub == 0 and items else []

    def _paragraphs_of(self, point: Candidate, line: list[Candidate],
                       at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """A point that is a paragraph of its own (第十七条　…应当遵守下列规定：) with the paragraphs after it that
        open no point of its kind (its items （一）…, its further paragraphs), up to the next one (第十八条) or its
        section's end: what the point says. Its line alone for a point inside a paragraph (第一，…。第二，…)."""
        last = line[-1]
        if point.pos or (last.hit.chunk_id, last.pos + 1) in at or len(split_sentences(last.hit.text)) > last.pos + 1:
            return line
        family = (point_of(point.text) or ("", 0))[0]
        article = bool(re.match(r"第[^，,、：:]{1,4}条", point.text.lstrip()))
        out, most = list(line), len(line) + _LIST_ITEMS  # as many as a list introduced by a colon brings
        while len(out) < most and (ahead := list(self._after(out[-1], at, paragraph=False))):
            mark = point_of(ahead[0].text)
            # Its items; and an article's further paragraphs (a step's next paragraph is no part of it), up to a
            # labelled line closing the document (附件：, 抄送：).
            if mark is not None and mark[0] == family or mark is None and (
                    not article or _LABELLED.match(ahead[0].text)):
                break
            out += ahead[: most - len(out)]
        return out

    def _opening(self, c: Candidate) -> Candidate:
        """The first sentence of the first passage of c's section."""
        meta = c.hit.meta
        rows = self.section(str(meta.get("source", "")), str(meta.get("heading", ""))) if self.section else []
        if not rows:
            return self._whole(c, {})[0]
        cid, text, m = rows[0]
        return Candidate(Hit(cid, text, m, c.hit.score), 0, split_sentences(text)[0], 0.0, 0.0, 0.0, 0.0, True, True)

    def _whole(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """Every sentence of c's passage, in order."""
        first = at.get((c.hit.chunk_id, 0)) or Candidate(c.hit, 0, split_sentences(c.hit.text)[0], 0.0, 0.0, 0.0,
                                                          0.0, True, True)
        return [first, *takewhile(lambda s: s.hit.chunk_id == c.hit.chunk_id, self._after(first, at))]

    def _last_point(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> Candidate:
        """The last point of the list c is a point of: read on, into the next passages of its section, while the
        points follow in order, to 最后 or the list's end."""
        family, number = point_of(c.text) or ("", 0)
        point, cur = c, c
        while (ahead := list(self._after(cur, at, paragraph=False))):
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

    def _rest_of_line(self, c: Candidate, at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """The sentences after c on its line that open no point of their own: what a list's point goes on to say."""
        at_text = c.hit.text.find(c.text)
        if at_text < 0:
            return []
        line = c.hit.text[at_text + len(c.text):].split("\n", 1)[0]
        return list(takewhile(lambda s: s.hit.chunk_id == c.hit.chunk_id and s.text in line
                              and point_of(s.text) is None, self._after(c, at)))

    def _with_record_heads(self, question: Question, chosen: list[Candidate],
                           at: dict[tuple[str, int], Candidate]) -> list[Candidate]:
        """A record's line over its text (a review's or a post's: 北漂小周 ★★☆☆☆ 2024-05-06, 7楼 某某 2024-06-05
        19:03) says who wrote the text and when. Asked who, a sentence of the text (not a field: 联系人：…) comes
        with the line over it; lines chosen alone (what the question names is the writer: 王芳说了什么) come with
        the text under each."""
        out = {(c.hit.chunk_id, c.pos): c for c in chosen}
        alone = all(map(_record_head, chosen))
        for c in chosen:
            if _record_head(c):
                if question.answer_type not in ("person", "date") and alone:
                    rest = takewhile(lambda s, own=c.hit.chunk_id: s.hit.chunk_id == own and not _record_head(s),
                                     self._after(c, at, paragraph=False))
                    out |= {(s.hit.chunk_id, s.pos): s for s in islice(rest, self.scoring.max_fact_sentences)}
            elif question.answer_type == "person" and not FIELD.match(c.text) and (head := next(
                    (b for b in takewhile(lambda b, own=c.hit.chunk_id: b.hit.chunk_id == own, self._before(c, at))
                     if _record_head(b)), None)):  # (its own passage's: no other passage is read for it)
                out.setdefault((head.hit.chunk_id, head.pos), head)
        return list(out.values())

    def _byline(self, question: Question, hits: Sequence[Hit]) -> list[Candidate]:
        """Who wrote or issued it, or when: the byline of the article the best passage belongs to, when it was
        retrieved (one holding a date, asked when)."""
        by = signature(question, hits)
        return [Candidate(by, 0, by.text, 0.0, 0.0, 0.0, 0.0, True, True)] if by else []

    def _section_digest(self, question: Question, terms: Terms, hits: Sequence[Hit], scored: Scored) -> list[Candidate]:
        """A question about a section as a whole (its heading matches the question better than any sentence does)
        is answered with the lead sentence of each of the section's paragraphs."""
        if self.section is None or question.answer_type not in ("entity", "manner", "other") or not scored.candidates \
                or question.yes_no:
            return []  # 图书馆开放吗 names a section's subject, but asks one thing of it
        heads = {(h.meta.get("source", ""), h.meta.get("heading", "")): h for h in hits if h.meta.get("heading")}
        if not heads:
            return []
        (source, head), hit = max(heads.items(), key=lambda kv: terms.coverage(kv[0][1]))
        unknown = [t for t in terms.weights if t not in terms.known]
        if unknown and (terms.coverage(head, known_only=True) < 1 or not set(unknown) <= set(question.predicate)):
            # It names a thing the corpus never does: it is not asking about one of its sections. A word it never
            # uses for what is asked of the heading's words (住宿标准是怎么规定的) is another matter.
            return []
        covered = terms.coverage(head)
        if not covered or covered < max(c.lex for c in scored.candidates):
            return []
        # A word the heading lacks that follows the heading's words in the question (眼睛 of 某鱼的眼睛有什么特点;
        # not 健身房 of 健身房会员须知, which says whose the section is) and that a sentence under it holds names a
        # part the question asks about: that sentence answers, not the section whole. (A sentence telling of it
        # by a pronoun, 它们的眼睛, holds fewer of the question's words than the heading does.)
        text, low = question.text.lower(), head.lower()
        headed = max((text.rfind(t.lower()) for t in terms.weights if t.lower() in low), default=-1)
        aspects = [t for t in terms.known if t in terms.weights and t not in question.predicate
                   and t.lower() not in low and text.find(t.lower()) > headed >= 0]
        if any(t in c.text for c in scored.candidates for t in aspects
               if (c.hit.meta.get("source", ""), c.hit.meta.get("heading", "")) == (source, head)):
            return []
        if any(n.lower() not in head.lower() for n in question.names):
            return []  # it names what the heading does not (“浙里办” under a heading naming “浙里美”)
        leads: dict[int, tuple[str, str, dict[str, Any]]] = {}
        for cid, text, meta in self.section(source, head):
            leads.setdefault(int(meta.get("start_line", 0)), (cid, text, meta))  # a paragraph's first piece
        if len(leads) < 2:
            return []
        out = []
        for cid, text, meta in list(leads.values())[: self.scoring.max_sentences]:
            lead = [x for x in split_sentences(text) if not asks(x)][:1]  # an FAQ's answer, not its question
            if lead:
                out.append(Candidate(Hit(cid, text, meta, hit.score), 0, lead[0], 0.0, 0.0, 0.0, 0.0, True, True))
        # An ordinal (第二个目标) asks for the one point its section numbers so (二是…).
        marks = tuple(f for _, forms in question.glosses for f in forms) if question.language == "zh" else ()
        out = [c for c in out if c.text.startswith(marks)] or out if marks else out
        # 哪道菜要用烤箱: the section's heading names the dish, its sentences do not (one naming the kind asked
        # for, 教材与参考书 of 用哪本教材, names no one of them, and one the question repeats, 居住证办理 of 居住证办理
        # 要去哪个部门, what is asked about).
        if question.which and out and (own := own_heading(out[0].hit)) and not (
                question.focus and question.focus in own or bigrams(own) <= question.bigrams):
            out.insert(0, Candidate(out[0].hit, -1, own, 0.0, 0.0, 0.0, 0.0, True, True))
        return out


def _meeting(question: Question, terms: Terms, chosen: list[Candidate]) -> list[Candidate]:
    """Of the sentences quoted beside the best one, those not telling of another case than the question states: a
    sentence stating a day (or a count in the measure of an amount the asker states) that holds none of the
    question's is another day's row or another tier's, and so is one holding a thing of the asked kind (a price
    asked 我72岁…要钱吗) without the condition; a sentence going on about the same case (what to bring) stays."""
    kinds = {k: ts for k, ts in terms.conditions().items() if any(terms.holds(t, chosen[0].text) for t in ts)}
    checked = question.answer_type in ("number", "date", "person", "place")

    def other(c: Candidate) -> bool:
        return any(not any(terms.holds(t, c.text) for t in ts) and (terms.states(k, c.text) or checked and c.type_ok)
                   for k, ts in kinds.items())

    return [chosen[0], *(c for c in chosen[1:] if not other(c))]


_VERSION = re.compile(r"[a-z]{0,3}\d+(?:\.\d+)+")  # a question's version term (v3.2.0, 3.1.0, 3.0)
# What a question asks of a thing its heading dates (发布, 上线): when it came out.
_RELEASED = frozenset({"发布", "发行", "上线", "推出", "更新", "出版", "公布", "印发", "版本", "正式"})


def _dated_heading(question: Question, chosen: list[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """Asked when a thing the question names came out (v3.2.0是哪天发布的), the heading of the best passage under
    one naming it with a date (v3.2.0（2025-04-15）), where no chosen sentence names it with one: a changelog dates
    its releases in their headings only. [] else."""
    names = list(dict.fromkeys(n.lower() for n in (*question.names, *filter(_VERSION.fullmatch, question.terms))))
    if question.answer_type != "date" or not names or any(
            t.lower() not in names and t not in _RELEASED for t in question.terms) or any(
            c.type_ok and all(n in c.text.lower() for n in names) for c in chosen):
        return []  # (what a heading's date says is when its thing came out, not when anything else of it was)
    # (A version asked short names its release whole, 3.0 of v3.0.0, not a later one, v3.0.1, nor v13.0.)
    said = [re.compile(rf"(?<![\d.]){re.escape(n)}(?:\.0)*(?![\d.])" if _VERSION.fullmatch(n) else re.escape(n))
            for n in names]
    for h in hits:
        for part in str(h.meta.get("heading", "")).split(" / "):
            if DATE.search(part) and all(rx.search(part.lower()) for rx in said):
                return [Candidate(h, -1, part, 0.0, 0.0, 0.0, 0.0, True, True)]
    return []


def _heading_fact(question: Question, chosen: list[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """Asked an amount of a thing (第四展厅面积多大), the innermost heading over a retrieved passage that names every
    word of the question and states that amount (第四展厅 澜州近代风云（二层，面积900平方米）), where no chosen sentence
    does: a guide gives a hall's size in its heading only. [] else."""
    if question.answer_type != "number" or not question.terms or any(
            c.type_exact and all(t in c.text for t in question.terms) for c in chosen):
        return []
    for h in hits:
        head = own_heading(h)
        if all(t in head for t in question.terms) and holds(question, head)[1]:
            return [Candidate(h, -1, head, 0.0, 0.0, 0.0, 0.0, True, True)]
    return []


def _with_date_heading(question: Question, chosen: list[Candidate]) -> list[Candidate]:
    """Asked when, a sentence stating no year (11月 发布…) under a heading that is a year alone (a chronicle's
    2023年) comes after that heading, quoted as it is."""
    if question.answer_type != "date":
        return chosen
    heads: dict[tuple[str, str], Candidate] = {}  # one a year, though its entries stand in several passages
    for c in chosen:
        if undated(c.text) and (head := date_heading(c.hit)):
            heads.setdefault((str(c.hit.meta.get("source", "")), head),
                             Candidate(c.hit, -1, head, 0.0, 0.0, 0.0, 0.0, True, True))
    return [*heads.values(), *chosen]


# Asked which floor (陶瓷馆在几楼, 在哪一层), a floor as a guide writes it (二层, 3楼, 地下一层, B1, 2F).
_ASKS_FLOOR = re.compile(r"几楼|几层|哪一?层|哪个楼层|什么楼层|\bwhich floor\b", re.IGNORECASE)
_FLOOR = re.compile(r"(?:地下)?[一二三四五六七八九十\d]{1,3}\s*[层楼](?![梯房道])|(?<![A-Za-z])(?:[Bb]\d{1,2}|\d{1,2}[Ff])(?![A-Za-z\d])")
# A sentence placing the thing somewhere of its own (请前往…服务中心, 位于…): not where its heading's floor is.
_PLACED = re.compile(r"位于|前往|设在|设于|移至|搬至|在[^，。；]{1,12}(?:旁|内|里|处|对面|附近|一侧|东侧|西侧|南侧|北侧)")


def _with_floor_heading(question: Question, chosen: list[Candidate]) -> list[Candidate]:
    """Asked which floor, the heading over the best chosen sentence stating one (二层（2F）over 陶瓷馆展出…) before
    it, when no chosen sentence states one: a guide sorts its halls under their floors' headings."""
    if not chosen or not _ASKS_FLOOR.search(question.text) or any(_FLOOR.search(c.text) for c in chosen):
        return chosen
    top = max(chosen, key=lambda c: c.score)
    head = own_heading(top.hit)
    if not _FLOOR.search(head) or _PLACED.search(top.text):
        return chosen
    return [Candidate(top.hit, -1, head, 0.0, 0.0, 0.0, 0.0, True, True), *chosen]


def _record_head(c: Candidate) -> bool:
    """Whether the sentence is a line of its own over more of its passage, a record's (a review's name and day)."""
    text = c.text.strip()
    at = c.hit.text.find(text)
    return record_head(text) and at >= 0 and (at == 0 or c.hit.text[at - 1] == "\n") \
        and c.hit.text[at + len(text): at + len(text) + 1] == "\n"


def _set_apart(question: Question, hits: Sequence[Hit]) -> list[Candidate]:
    """Asked a document's number (文号, 案号), the line set apart that states one (临商发〔2025〕17号 under its
    issuer's name), a heading or a part of one, which sentences are never read from: the best-ranked hit's."""
    if question.answer_type != "contact" or not _DOCUMENT_NUMBER_ASKED.search(question.focus or ""):
        return []
    for h in hits:
        lines = [h.text] if h.meta.get("kind") == "heading" else []
        for line in [*lines, *str(h.meta.get("heading", "")).split(" / ")]:
            if holds(question, line)[0]:
                return [Candidate(h, 0, line.strip(), 0.0, 0.0, 0.0, 0.0, True, True)]
    return []


def _about_subject(question: Question, hits: Sequence[Hit]) -> list[Hit]:
    """The passages a follow-up naming nothing new is answered from: those holding the longest phrase the question
    it follows opened with that a passage holds (青石交通职业学院, not just 青石), and those of their documents holding
    every new word of the follow-up where none of them does; else those naming one of that question's names."""
    texts = [context_of(h).lower() for h in hits]
    new = [w.lower() for w in question.new_terms]
    for phrase in (p.lower() for p in question.topic):
        # (Or, where the follow-up adds no word of its own, its words in another order with others between:
        # 异地就医 of 异地未备案就医; 那学生请病假呢？ after 病假工资怎么发？ may ask of another document.)
        words = [w for w in segmenter().lcut(phrase) if len(w) > 1] if not new else []
        holding = [phrase in t or len(words) > 1 and all(w in t for w in words) for t in texts]
        if not any(holding):
            continue
        if new and not any(all(w in t for w in new) for t, held in zip(texts, holding) if held):
            # What the follow-up names in the topic's place (那现场审核呢？ after 网上报名是什么时候？) stands in another
            # passage of the topic's documents: those passages answer it too.
            sources = {h.meta.get("source") for h, held in zip(hits, holding) if held}
            holding = [held or h.meta.get("source") in sources and all(w in t for w in new)
                       for h, t, held in zip(hits, texts, holding)]
        return [h for h, held in zip(hits, holding) if held]
    # (A subject no retrieved passage writes, 新冠 for a text writing 新型冠状病毒, tells none of them apart.)
    held = [n.lower() for n in question.subject if any(n.lower() in t for t in texts)]
    if not held:
        return list(hits)
    # An article names its subject once (a notice's issuer, an entry's lead) and tells of it in every passage; a
    # document of no titled article may tell of several (one paragraph a district).
    naming = [any(n in t for n in held) for t in texts]
    named = {article_of(h) for h, named_here in zip(hits, naming) if named_here and h.meta.get("article")}
    return [h for h, named_here in zip(hits, naming) if named_here or article_of(h) in named]


def _not_about(question: Question, sentences: Sentences) -> Sentences:
    """The sentences less those naming what a follow-up's own names replace and none of them (那白水呢？ after a
    question about 青石: a sentence about 青石 alone answers that question, not this one)."""
    own = [n.lower() for n in question.names]

    def other(text: str) -> bool:
        low = text.lower()
        return any(r.lower() in low for r in question.replaced) and not any(n in low for n in own)

    return {cid: [(t, v) for t, v in rows if not other(t)] for cid, rows in sentences.items()}


def _of_the_years(question: Question, ranked: list[Candidate], keep: float) -> list[Candidate]:
    """The sentences telling of the years the question asks of: not one dated by another year (asked 2022年发放了多少,
    2024年度，发放1863万元 tells of another year) under a heading naming none asked, nor one from a passage naming
    none of the asked years whose sentences are dated by others. When the best sentence tells of another time, a
    sentence of its passage dated by an asked year answers, else only those scoring nearly as well, if any."""
    asked = question.years
    dated: dict[str, set[int]] = {}
    for c in ranked:
        dated.setdefault(c.hit.chunk_id, set()).update(dated_by(c.text))

    def other(c: Candidate) -> bool:
        if names_year(c.text, asked) or names_year(heading_of(c.hit), asked):
            return False
        return bool(dated_by(c.text)) or not names_year(c.hit.text, asked) and bool(dated[c.hit.chunk_id])

    if not ranked or not other(ranked[0]):
        return [c for c in ranked if not other(c)]
    top = ranked[0]
    # (2024年度，发放1863万元；2023年度为1520万元: the clause dated by the year asked, beside the one matching best.)
    if beside := [c for c in ranked if c.hit.chunk_id == top.hit.chunk_id and dated_by(c.text) & set(asked)]:
        return beside
    return [c for c in ranked if not other(c) and sigmoid(c.score) >= keep * sigmoid(top.score)]


def _fields_of_one(a: Candidate, b: Candidate) -> bool:
    """Whether two sentences are field lines of one passage (姓名：… / 住院天数：…): one record's."""
    return a.hit.chunk_id == b.hit.chunk_id and all(FIELD.match(c.text) for c in (a, b))


def _not_its_sibling(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """The sentences less those naming a sibling of a compound the best one holds (东寄存处 beside 西寄存处 asked
    for): its compass point swapped for another, the same kind of thing told apart by it."""
    top = ranked[0].text.lower()
    held = [c.lower() for c in question.compounds if c.lower() in top]
    return [c for c in ranked if not any(t not in c.text.lower() and _sibling(t, c.text.lower()) for t in held)]


def _rows_it_names(question: Question, ranked: list[Candidate]) -> list[Candidate]:
    """The sentences less the rows of the best one's table whose cells hold none of the question's words where its
    cells hold some (那B酒店呢？ after A酒店's price: the A row shares only the labels, 酒店 and 协议价). A row holding
    fewer stays: the best row may hold a word of the question in a cell of another column (不含免费托运额)."""
    if not ranked or (top := row_cells(ranked[0].text)) is None:
        return ranked
    words = [w.lower() for w in dict.fromkeys((*question.terms, *question.names)) if len(w) > 1]

    def names(cells: dict[str, str]) -> bool:
        return any(w in v.lower() for w in words for v in cells.values())

    if not names(top):
        return ranked
    return [c for c in ranked if (cells := row_cells(c.text)) is None or cells.keys() != top.keys() or names(cells)]


def _sibling(compound: str, text: str) -> bool:
    """Whether the text holds the compound with the compass point it opens or ends with swapped for another that
    the segmenter leaves standing alone (东 寄存处 of 西寄存处; not 行李 寄存处, nor 在 寄存处: a word of another kind)."""
    at = 0
    for w in segmenter().lcut(text, HMM=False):
        if w in COMPASS and (
                compound[0] in COMPASS and w != compound[0] and text.startswith(compound[1:], at + 1)
                or compound[-1] in COMPASS and w != compound[-1] and at >= len(compound) - 1
                and text[at - len(compound) + 1:at] == compound[:-1]):
            return True
        at += len(w)
    return False


def _of_the_case(terms: Terms, scored: Scored) -> Scored:
    """The tiers holding an amount the asker states (满10年不满20年 for 工作满12年) in the place of the tiers excluding
    it, where a passage's tiers do both: which row of a table of tiers answers is the asker's case, whichever of
    them matches the question's other words better; not the line opening them. The probability of an answer stays
    the model's."""
    if not terms.ranged:
        return scored
    # (员工工作满1年后享受年假，天数如下： opens the list of tiers: no tier of its own.)
    tiers = {id(c): held for c in scored.candidates
             if c.type_ok and not _opens_list(c) and (held := terms.tier(c.text)) is not None}
    both = ({c.hit.chunk_id for c in scored.candidates if tiers.get(id(c)) is True}
            & {c.hit.chunk_id for c in scored.candidates if tiers.get(id(c)) is False})
    if not both:
        return scored
    # A tier holding it takes the place of the best tier excluding it; a sentence of no tier keeps its own.
    place = max(c.score for c in scored.candidates if tiers.get(id(c)) is False and c.hit.chunk_id in both)
    first = [replace(c, score=max(c.score, place)) for c in scored.candidates
             if tiers.get(id(c)) and c.hit.chunk_id in both]
    # (The line opening the list of tiers would bring them all.)
    rest = [c for c in scored.candidates if not (c.hit.chunk_id in both and id(c) in tiers) and not _opens_list(c)]
    return Scored(sorted(first + rest, key=lambda c: -c.score), scored.answerable, scored.cross)


def _the_total(question: Question, scored: Scored) -> Scored:
    """Asked a sum (员工一共多少人), the row of totals of the table the best sentence is a row of first: its other
    rows count parts."""
    rows = [c for c in scored.candidates if row_cells(c.text)]
    if (total := total_row(question, rows)) is None or scored.candidates[0].hit.chunk_id != total.hit.chunk_id:
        return scored  # (the best sentence is no row of the table: the question asks the sum of something else)
    first = replace(total, score=max(total.score, scored.candidates[0].score))
    parts = {id(c) for c in rows if c.hit.chunk_id == total.hit.chunk_id}
    return Scored([first, *(c for c in scored.candidates if id(c) not in parts)], scored.answerable, scored.cross)


def _opens_list(c: Candidate) -> bool:
    """Whether the sentence ends in a colon, opening what follows (a list, a table)."""
    return c.text.rstrip().endswith(("：", ":"))


def _naming(terms: Terms, scored: Scored) -> Scored:
    """The sentences from the articles naming most of what the question names (its anchors), when some name more
    than others: a sentence about another person or work, however well it matches the rest of the question, does
    not answer it. The probability of an answer stays the one the model gave all the sentences: what it was fitted
    on."""
    if not terms.anchors:  # most English questions, and Chinese ones in dictionary words only
        return scored
    names = [a.lower() for a in terms.anchors]
    said: dict[tuple[str, str], set[str]] = {}
    for h in {c.hit.chunk_id: c.hit for c in scored.candidates}.values():
        low = context_of(h).lower()
        said.setdefault(article_of(h), set()).update(n for n in names if n in low or terms.holds(n, low))
    most = max(map(len, said.values()), default=0)
    if all(len(v) == most for v in said.values()):
        return scored
    return Scored([c for c in scored.candidates if len(said[article_of(c.hit)]) == most], scored.answerable,
                  scored.cross)


def _clause_of_one(before: Candidate, c: Candidate) -> bool:
    """Whether c goes on the sentence before it, parted from it by a semicolon on one line, opening no numbered point
    of its own (4. 抄袭者该次作业记0分；情节严重者上报学院处理。): a clause that may need what the one before says."""
    return (before.text.rstrip().endswith(("；", ";")) and point_of(c.text) is None
            and f"{before.text}\n" not in c.hit.text)


def _opens_line(c: Candidate) -> bool:
    """Whether c begins a line of its passage (its first sentence, or one after a line break)."""
    at = c.hit.text.find(c.text)
    return c.pos == 0 or at > 0 and c.hit.text[:at].rstrip(" \t　").endswith("\n")
