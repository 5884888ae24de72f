"""What the fitted models read: features of passages, of sentences and of a question's best evidence.

Computed the same way at ask time and by `rag fit`, from one analysed Question, the retrieved passages with their
sentence vectors, and the corpus's vocabulary. Names here are the columns the scoring file's models refer to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .answertype import checkable, holds
from .question import Question
from .terms import Terms
from .text import asks, language

if TYPE_CHECKING:  # retrieval imports this module to rank
    from .retrieval import Hit

PASSAGE_FEATURES = ("dense", "dense_gap", "dense_found", "bm25", "bm25_found", "fused", "max_sentence",
                    "max_sentence_gap", "heading_cov", "text_cov", "names_cov", "best_specific", "best_bigram",
                    "type_any", "heading_gap", "text_gap", "specific_gap", "bigram_gap")
SENTENCE_FEATURES = ("dense", "dense_gap", "lex", "lex_context", "lex_gap", "specific", "specific_gap", "bigram",
                     "bigram_gap", "passage", "passage_gap", "inv_rank", "heading_cov", "passage_cov", "type_ok",
                     "type_lack", "lack_number_date", "type_exact", "focus_in", "focus_lack", "names_in", "first",
                     "length", "cross_language")
QUESTION_FEATURES = ("sentence_top", "sentence_second", "passage_top", "dense_top", "unknown", "names_unknown",
                     "names_missing_passage", "missing_passage", "lex_top", "specific_top", "specific_best",
                     "specific_passage", "bigram_top", "bigram_best", "lack_number", "lack_date", "lack_person",
                     "lack_place", "lack_reason", "type_exact_near", "checkable", "focus_missing", "cross_language",
                     "n_terms")
Sentences = dict[str, list[tuple[str, np.ndarray]]]
_DATE_ALONE = re.compile(r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年(?:\s*\d{1,2}\s*月份?)?")  # 2015年, 2015年3月
_YEAR_STATED = re.compile(r"(?:\d{2,4}|[〇零一二三四五六七八九]{2,4}|[当今去前同次本该明后上翌])\s*年(?!龄|级|纪|代)")
_MONTH_STATED = re.compile(r"(?<![\d.])\d{1,2}\s*月")  # 3月, 11月 (12个月 is a span)


def heading_of(hit: Hit) -> str:
    m = hit.meta
    return " ".join(x for x in (m.get("article", ""), m.get("heading", "")) if x)


def own_heading(hit: Hit) -> str:
    """The innermost heading over a passage (第四条 押金 of 合同 / 第四条 押金)."""
    return str(hit.meta.get("heading", "")).rsplit(" / ", 1)[-1]


def date_heading(hit: Hit) -> str:
    """The innermost heading over a passage when it is a date alone (2015年 of a company's chronicle, over its
    entries 3月 …): the year of what the passage tells, which its sentences leave out."""
    own = own_heading(hit).strip()
    return own if _DATE_ALONE.fullmatch(own) else ""


def undated(sentence: str) -> bool:
    """Whether a sentence tells a month and no year (3月18日 注册成立, 11月 发布…): a chronicle's entry, dated by its
    year's heading (明年3月 states one: the year after the heading's)."""
    return bool(_MONTH_STATED.search(sentence)) and not _YEAR_STATED.search(sentence)


def context_of(hit: Hit) -> str:
    return f"{heading_of(hit)}\n{hit.text}"


def passage_features(question: Question, terms: Terms, qvec: np.ndarray, pool: Sequence[Hit],
                     sentences: Sentences) -> np.ndarray:
    """One row per passage of the pool, columns PASSAGE_FEATURES."""
    if not pool:
        return np.zeros((0, len(PASSAGE_FEATURES)))
    dense = [h.dense for h in pool if h.dense is not None]
    floor, top = (min(dense), max(dense)) if dense else (0.0, 0.0)
    bm25_top = max((h.bm25 or 0.0 for h in pool), default=0.0) or 1.0
    sent_max = [max((float(v @ qvec) for _, v in sentences.get(h.chunk_id) or []), default=h.dense or floor)
                for h in pool]
    best_sent = max(sent_max)
    check = checkable(question)
    rows = []
    for h, ms in zip(pool, sent_max):
        d = h.dense if h.dense is not None else floor
        ctx, head = context_of(h), heading_of(h)
        sents = [s for s, _ in sentences.get(h.chunk_id) or []] or [h.text]
        type_any = check and any(holds(question, s)[1] for s in sents)
        rows.append([d, d - top, h.dense is not None, (h.bm25 or 0.0) / bm25_top, h.bm25 is not None, h.score,
                     ms, ms - best_sent, terms.coverage(head), terms.coverage(ctx), terms.names_found(ctx),
                     max(terms.specific(s, head) for s in sents), max(terms.bigram_share(s, head) for s in sents),
                     type_any, 0.0, 0.0, 0.0, 0.0])
    x = np.asarray(rows, dtype=np.float64)
    # How far each passage is from the pool's best on the words: what sets it apart from its neighbours (another
    # piece of the same article shares its title).
    for gap, of in zip(range(14, 18), (8, 9, 11, 12)):
        x[:, gap] = x[:, of] - x[:, of].max()
    return x


@dataclass
class Candidate:
    """One sentence of a retrieved passage, with its features and (once scored) its logit."""

    hit: Hit
    pos: int
    text: str
    dense: float
    lex: float
    specific: float
    bigram: float
    type_ok: bool
    type_exact: bool
    score: float = 0.0

    @classmethod
    def bare(cls, hit: Hit, pos: int, text: str) -> Candidate:
        """A sentence quoted for where it stands (a list's next point, a heading over the answer), never scored."""
        return cls(hit, pos, text, 0.0, 0.0, 0.0, 0.0, True, True)


def sentence_features(question: Question, terms: Terms, qvec: np.ndarray, hits: Sequence[Hit],
                      passage_logits: Sequence[float], sentences: Sentences) -> tuple[list[Candidate], np.ndarray]:
    """Every sentence of the hits (in rank order) and its row of SENTENCE_FEATURES."""
    cands: list[Candidate] = []
    raw: list[list[float]] = []
    check = checkable(question)
    top_passage = max(passage_logits, default=0.0)
    precise = question.answer_type in ("number", "date")
    for rank, (h, plogit) in enumerate(zip(hits, passage_logits), start=1):
        other = crosses_language(question, h)
        # A heading with no text under it names a topic and states nothing about it: it answers no question.
        rows = (sentences.get(h.chunk_id) or []) if h.meta.get("kind") != "heading" else []
        head, ctx = heading_of(h), context_of(h)
        dated = date_heading(h) if question.answer_type == "date" else ""
        head_cov, ctx_cov = terms.coverage(head), terms.coverage(ctx)
        for pos, (sent, vec) in enumerate(rows):
            if pos + 1 < len(rows) and asks(sent):
                continue  # the text's own question (an FAQ's, an interview's): what follows it answers it
            dense = float(vec @ qvec)
            before = pos - 1
            while before >= 0 and asks(rows[before][0]):  # the answer to questions asked like yours
                dense = max(dense, float(rows[before][1] @ qvec))
                before -= 1
            lex = terms.coverage(sent)
            lex_ctx = max(lex, terms.coverage(rows[pos - 1][0] + sent)) if pos else lex
            spec = terms.specific(sent, head)
            bigram = terms.bigram_share(sent, head)
            ok, exact = holds(question, sent) if check else (False, False)
            if check and dated and not ok and undated(sent):  # 3月18日 注册成立 under 2015年: the heading's year
                ok, exact = holds(question, f"{dated}{sent}")
            focus = question.focus
            cands.append(Candidate(h, pos, sent, dense, lex, spec, bigram, ok, exact))
            raw.append([dense, 0.0, lex, lex_ctx, 0.0, spec, 0.0, bigram, 0.0, plogit, plogit - top_passage,
                        1.0 / rank, head_cov, ctx_cov, check and ok, check and not ok, precise and not ok,
                        check and exact, bool(focus and focus in sent),
                        bool(focus and focus not in sent), terms.names_found(sent), pos == 0,
                        math.log(1 + len(sent)), other])
    x = np.asarray(raw, dtype=np.float64).reshape(len(raw), len(SENTENCE_FEATURES))
    if len(x):
        for gap, of in ((1, 0), (4, 2), (6, 5), (8, 7)):
            x[:, gap] = x[:, of] - x[:, of].max()
    return cands, x


def question_features(question: Question, terms: Terms, ranked: Sequence[Candidate],
                      passage_logits: Sequence[float]) -> np.ndarray:
    """One row of QUESTION_FEATURES from the scored candidates, best first."""
    check = checkable(question)
    if not ranked:
        lack = [float(question.answer_type == t) for t in _TYPES]
        return np.asarray([[-10.0, -10.0, max(passage_logits, default=-10.0), 0.0, terms.unknown_share(),
                            _share(terms.unknown_names, terms.names), 1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, *lack,
                            0.0, float(check), float(bool(question.focus)), float(question.language == "en"),
                            math.log(1 + len(terms.weights))]])
    top = ranked[0]
    ctx = context_of(top.hit).lower()
    known_names = [n for n in terms.names if n not in terms.unknown_names]
    # A name is looked for in every retrieved passage of the top passage's article: a paragraph refers back to
    # the school or person its article named earlier ("the college", "he"), so its own text often lacks it.
    article = article_of(top.hit)
    around = " ".join(context_of(h) for h in {c.hit.chunk_id: c.hit for c in ranked
                                               if article_of(c.hit) == article}.values()).lower()
    missing_names = (sum(not terms.holds_name(n, around, amounts=True) for n in known_names) / len(known_names)
                     if known_names else 0.0)
    return np.asarray([[
        top.score,
        ranked[1].score if len(ranked) > 1 else top.score - 5.0,
        max(passage_logits, default=0.0),
        top.dense,
        terms.unknown_share(),
        _share(terms.unknown_names, terms.names),
        missing_names,
        1.0 - terms.coverage(ctx, known_only=True) if terms.known else 0.0,
        top.lex,
        top.specific,
        max(c.specific for c in ranked[:5]),
        terms.specific(top.hit.text, heading_of(top.hit)),
        top.bigram,
        max(c.bigram for c in ranked[:5]),
        *(float(question.answer_type == t and not top.type_ok) for t in _TYPES),
        float(check and any(c.type_exact for c in ranked[:3])),
        float(check),
        float(bool(question.focus) and question.focus.lower() not in ctx),
        float(crosses_language(question, top.hit)),
        math.log(1 + len(terms.weights)),
    ]], dtype=np.float64)


_TYPES = ("number", "date", "person", "place", "reason")


def crosses_language(question: Question, hit: Hit) -> bool:
    """Whether the question is asked in another language than the passage's (an English question of a Chinese
    text): its words and its vector match the text's less closely than the same question in the text's own."""
    return question.language != language(hit.text)


def article_of(hit: Hit) -> tuple[str, str]:
    """The (document, article) a passage belongs to."""
    return str(hit.meta.get("source", "")), str(hit.meta.get("article", ""))


def _share(part: frozenset[str], whole: Sequence[str]) -> float:
    return len(part) / len(whole) if whole else 0.0
