"""Extractive, grounded answers: score every sentence of the retrieved passages, choose the best, or abstain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import islice, takewhile
from typing import Any

import numpy as np

from .answertype import in_units
from .compare import extreme_rows, ranked_row, total_row
from .discourse import leans_back, point_of, refers_back, resumes_quotation
from .features import (QUESTION_FEATURES, SENTENCE_FEATURES, Candidate, Sentences, article_of, context_of,
                       crosses_language, heading_of, own_heading, question_features, sentence_features)
from .headings import dated_heading, heading_fact, set_apart, with_date_heading, with_floor_heading
from .lines import FIELD, record_head, row_cells
from .neighbours import Neighbours, Section
from .points import the_point, with_points
from .quantity import dated_by, names_year
from .question import COMPASS, Question, bigrams
from .result import Answer, abstain, quote
from .retrieval import Hit, signature
from .scoring import Scoring
from .terms import Terms
from .text import asks, segmenter, split_sentences

# A labelled note in brackets, a sentence of its own after a full stop (（负责人：冯蕾）, （联系人：王明）; not a picture's
# credit, （资料图片）).
_NOTE = re.compile(r"[（(][^（）()：:]{1,10}[：:][^（）()]{1,20}[）)]")
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
            # (A point asked by its number is found in the document the question it follows named: the_point.)
            hits = _about_subject(question, hits)
        if question.replaced:
            sentences = _not_about(question, sentences)
        scored = self.score(question, terms, qvec, hits, sentences)
        threshold = self.scoring.threshold_for(scored.cross) if self.threshold is None else self.threshold
        # What the document's structure answers by itself: who wrote an article, what a section lists.
        near = Neighbours(self.section, scored.at)
        point = the_point(question, terms, scored.candidates, near, self.scoring.max_sentences)
        if point == []:  # its list has no such point (第八步 of five)
            return abstain(question.language, scored.answerable)
        by = (self._byline(question, hits) or point or self._row_asked(question, scored, near)
              or set_apart(question, hits))
        beside = self.scoring.max_fact_sentences
        digest = [] if by else self._section_digest(question, terms, hits, scored)
        section = with_points(question, digest, near, beside) if digest else []
        chosen = by or section
        if not chosen:
            scored = _the_total(question, _of_the_case(terms, _naming(terms, scored)))
            near = Neighbours(self.section, scored.at)  # (the sentences left, as scored now)
            chosen = self.choose(question, scored)
            if dated := dated_heading(question, chosen, hits) or heading_fact(question, chosen, hits):
                chosen = dated  # a heading, quoted as it is
            elif not chosen or scored.answerable < threshold:
                return abstain(question.language, scored.answerable)
            else:
                chosen = _meeting(question, terms, chosen)
                chosen = with_points(question, self._with_antecedents(question, terms, chosen, scored), near, beside)
                chosen = with_floor_heading(question, with_date_heading(question, self._with_notes(chosen, near)))
                chosen = self._with_record_heads(question, chosen, near)
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
        demonstrative (该学院院长…) and naming no such thing itself gets the sentence naming it."""
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

    def _row_asked(self, question: Question, scored: Scored, near: Neighbours) -> list[Candidate]:
        """The table rows a question asks for by their place among the rows: the one holding the most or the least
        of something (哪个专业学费最高, 首班车几点) or a place in a ranking (积分榜第五是谁). Every row of the best
        tables' sections is compared, retrieved or not."""
        if question.extreme is None and question.rank is None:
            return []
        rows = [c for c in scored.candidates if "：" in c.text or ":" in c.text]
        sections = list(dict.fromkeys((str(c.hit.meta.get("source", "")), str(c.hit.meta.get("heading", "")))
                                      for c in rows[: self.scoring.pool]))
        more = []
        for source, heading in sections if near.section is not None else ():
            for cid, text, meta in near.section(source, heading):
                hit = Hit(cid, text, meta, 0.0)
                more += [near.sentence(hit, p, t) for p, t in enumerate(split_sentences(text))]
        rows = [*rows, *more]
        return extreme_rows(question, rows, self.scoring.max_fact_sentences) or ranked_row(question, rows)

    @staticmethod
    def _with_notes(chosen: list[Candidate], near: Neighbours) -> list[Candidate]:
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
                out.setdefault((c.hit.chunk_id, last), near.sentence(c.hit, last, texts[last]))
        return list(out.values())

    def _with_record_heads(self, question: Question, chosen: list[Candidate], near: Neighbours) -> list[Candidate]:
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
                                     near.after(c, paragraph=False))
                    out |= {(s.hit.chunk_id, s.pos): s for s in islice(rest, self.scoring.max_fact_sentences)}
            elif question.answer_type == "person" and not FIELD.match(c.text) and (head := next(
                    (b for b in takewhile(lambda b, own=c.hit.chunk_id: b.hit.chunk_id == own, near.before(c))
                     if _record_head(b)), None)):  # (its own passage's: no other passage is read for it)
                out.setdefault((head.hit.chunk_id, head.pos), head)
        return list(out.values())

    def _byline(self, question: Question, hits: Sequence[Hit]) -> list[Candidate]:
        """Who wrote or issued it, or when: the byline of the article the best passage belongs to, when it was
        retrieved (one holding a date, asked when)."""
        by = signature(question, hits)
        return [Candidate.bare(by, 0, by.text)] if by else []

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
            return []  # it names what the heading does not (“青石通” under a heading naming “青石行”)
        leads: dict[int, tuple[str, str, dict[str, Any]]] = {}
        for cid, text, meta in self.section(source, head):
            leads.setdefault(int(meta.get("start_line", 0)), (cid, text, meta))  # a paragraph's first piece
        if len(leads) < 2:
            return []
        out = []
        for cid, text, meta in list(leads.values())[: self.scoring.max_sentences]:
            lead = [x for x in split_sentences(text) if not asks(x)][:1]  # an FAQ's answer, not its question
            if lead:
                out.append(Candidate.bare(Hit(cid, text, meta, hit.score), 0, lead[0]))
        # An ordinal (第二个目标) asks for the one point its section numbers so (二是…).
        marks = tuple(f for _, forms in question.glosses for f in forms) if question.language == "zh" else ()
        out = [c for c in out if c.text.startswith(marks)] or out if marks else out
        # 哪道菜要用烤箱: the section's heading names the dish, its sentences do not (one naming the kind asked
        # for, 教材与参考书 of 用哪本教材, names no one of them, and one the question repeats, 居住证办理 of 居住证办理
        # 要去哪个部门, what is asked about).
        if question.which and out and (own := own_heading(out[0].hit)) and not (
                question.focus and question.focus in own or bigrams(own) <= question.bigrams):
            out.insert(0, Candidate.bare(out[0].hit, -1, own))
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


def _record_head(c: Candidate) -> bool:
    """Whether the sentence is a line of its own over more of its passage, a record's (a review's name and day)."""
    text = c.text.strip()
    at = c.hit.text.find(text)
    return record_head(text) and at >= 0 and (at == 0 or c.hit.text[at - 1] == "\n") \
        and c.hit.text[at + len(text): at + len(text) + 1] == "\n"


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
