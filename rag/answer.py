"""Extractive, grounded answers: the best corpus sentences, each with its citation."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .question import AUTHOR_Q, DIGIT, LIST_Q, NUMERIC_Q, TIME_Q, YEAR, focus_term, names
from .result import Answer, abstain, quote
from .retrieval import Hit
from .text import CJK, language, split_sentences, tokenize

@dataclass
class Scored:
    """One candidate sentence and why it scored as it did."""

    hit: Hit
    pos: int
    text: str
    score: float
    dense: float
    lexical: float


@dataclass
class Answerer:
    """Picks 1-3 sentences from retrieved passages by embedding similarity plus keyword overlap."""

    threshold: float
    idf: Callable[[str], float]
    # (source, heading) -> that section's paragraphs as (id, text, metadata), for "what are the points of X".
    section: Callable[[str, str], list[tuple[str, str, dict[str, Any]]]] | None = None
    # term -> does the corpus mention it anywhere; a question about a name it never mentions is not answerable.
    known: Callable[[str], bool] | None = None
    # term -> number of passages containing it
    df: Callable[[str], int] | None = None
    max_sentences: int = 3
    # A sentence joins the answer if it scores within this fraction of the best one.
    keep_ratio: float = 0.85
    # Share of the question's term weight a heading must carry to count as the section asked about.
    section_match: float = 0.6
    focus_penalty: float = 0.7
    type_penalty: float = 0.6
    unknown_name_penalty: float = 0.5

    def terms(self, question: str) -> dict[str, float]:
        """Question terms weighted by rarity; single Chinese characters match too much as substrings to count."""
        toks = [t for t in dict.fromkeys(tokenize(question)) if len(t) > 1 or t.isascii()]
        # Search mode also yields the parts of a word (联合体 -> 联合, 合体); count each word once.
        return {t: self.idf(t) for t in toks if not any(t != o and t in o for o in toks)}

    @staticmethod
    def coverage(terms: dict[str, float], text: str) -> float:
        """Share of the question's term weight that occurs in the text (substring match suits Chinese)."""
        total = sum(terms.values())
        if not total:
            return 0.0
        low = text.lower()
        return sum(w for t, w in terms.items() if t in low) / total

    def score(self, question: str, qvec: np.ndarray, hits: Sequence[Hit],
              sentences: dict[str, list[tuple[str, np.ndarray]]]) -> list[Scored]:
        """Every sentence of every hit, best first."""
        terms = self.terms(question)
        cross = language(question) == "en"
        numeric, timeq = bool(NUMERIC_Q.search(question)), bool(TIME_Q.search(question))
        out: list[Scored] = []
        for hit in hits:
            rows = sentences.get(hit.chunk_id) or []
            context = f"{hit.meta.get('heading', '')}\n{hit.text}"
            passage_cov = self.coverage(terms, context)
            for pos, (sent, vec) in enumerate(rows):
                dense = float(vec @ qvec)
                lex = self.coverage(terms, sent)
                if pos:
                    # "该学院党委书记王瀚说" names its subject a sentence earlier: credit that context a little less.
                    lex = max(lex, 0.9 * self.coverage(terms, rows[pos - 1][0] + sent))
                # e5 cosines crowd into 0.7-0.95; stretch that band onto 0-1.
                if cross and CJK.search(sent):
                    # Keywords cannot match across languages, and cross-lingual cosines run ~0.05 lower:
                    # judge by meaning alone, on a shifted band.
                    s = min(max((dense - 0.70) / 0.2, 0.0), 1.0)
                else:
                    d = min(max((dense - 0.75) / 0.2, 0.0), 1.0)
                    s = 0.45 * d + 0.35 * lex + 0.2 * passage_cov
                # Near-ties go to the passage retrieval ranked higher.
                s += 0.05 / max(hit.rank, 1)
                # A question asking for a number or a date is not answered by a sentence without one.
                if (numeric and not DIGIT.search(sent)) or (timeq and not YEAR.search(sent)):
                    s *= self.type_penalty
                out.append(Scored(hit, pos, sent, s, dense, lex))
        out.sort(key=lambda c: -c.score)
        return out

    def evidence(self, question: str, scored: Sequence[Scored]) -> float:
        """How sure we are that the best sentence answers the question (0 when it cannot)."""
        if not scored:
            return 0.0
        top, lang = scored[0], language(question)
        context = f"{top.hit.meta.get('heading', '')}{top.hit.text}".lower()
        if (NUMERIC_Q.search(question) and not DIGIT.search(top.text)) or (
            TIME_Q.search(question) and not YEAR.search(top.text)
        ):
            return 0.0  # asked for a number or a date, and the best evidence has none
        best = top.score
        asked = focus_term(question) if lang == "zh" else None
        if asked and asked.lower() not in context:
            # The passage never mentions what is asked for (学费, 成员...): likely not in the corpus.
            best *= self.focus_penalty
        if self.df:
            # Words the corpus uses but the chosen passage lacks: the question asks about something else
            # (a paraphrase's own words are unknown to the corpus and do not count against it).
            terms = self.terms(question)
            missing = sum(w for t, w in terms.items() if self.df(t) and t not in context)
            best *= max(0.0, 1.0 - missing / (sum(terms.values()) or 1.0))
        if lang == "zh" and self.known and any(not self.known(n) for n in names(question)):
            # The corpus never mentions a place, person, organisation or number the question names.
            best *= self.unknown_name_penalty
        return best

    def answer(self, question: str, qvec: np.ndarray, hits: Sequence[Hit],
               sentences: dict[str, list[tuple[str, np.ndarray]]]) -> Answer:
        """Answer from the passages, or abstain when the best evidence is weak."""
        lang = language(question)
        scored = self.score(question, qvec, hits, sentences)
        chosen = self._byline(question, hits)  # a byline answers "who wrote it" by itself
        evidence = 1.0 if chosen else self.evidence(question, scored)
        if evidence < self.threshold:
            return abstain(lang, evidence)
        chosen = chosen or self._section_digest(question, hits, bool(LIST_Q.search(question)))
        if not chosen:
            limit = self.max_sentences if LIST_Q.search(question) else 2
            for c in scored:
                if len(chosen) >= limit or c.score < scored[0].score * self.keep_ratio:
                    break
                if all(c.text != o.text for o in chosen):
                    chosen.append(c)
        # Read the chosen sentences in corpus order, as a person would quote them.
        chosen.sort(key=lambda c: (c.hit.meta.get("source", ""), c.hit.meta.get("order", 0), c.pos))
        return quote([(c.hit, c.text) for c in chosen], lang, evidence)

    def _byline(self, question: str, hits: Sequence[Hit]) -> list[Scored]:
        """Who wrote it is answered by the byline of the article the question names."""
        bylines = [h for h in hits if h.meta.get("kind") == "byline"]
        if not bylines or not AUTHOR_Q.search(question):
            return []
        terms = self.terms(question)
        cover = {h.chunk_id: self.coverage(terms, f"{h.meta.get('article', '')}{h.text}") for h in bylines}
        best = max(bylines, key=lambda h: cover[h.chunk_id])
        if language(question) == "zh" and cover[best.chunk_id] < 0.3:
            return []  # the question does not name this article; let the ordinary scoring decide
        return [Scored(best, 0, best.text, 1.0, best.dense or 0.0, 0.0)]

    def _section_digest(self, question: str, hits: Sequence[Hit], is_list: bool) -> list[Scored]:
        """A question that names a section (its heading) gets each of its paragraphs' lead sentence."""
        if self.section is None:
            return []
        terms = self.terms(question)
        heads = {(h.meta.get("source", ""), h.meta.get("heading", "")): h for h in hits if h.meta.get("heading")}
        if not heads:
            return []
        (source, head), hit = max(heads.items(), key=lambda kv: self.coverage(terms, kv[0][1]))
        # A list question needs a fair match; any other question must name the section almost exactly.
        if self.coverage(terms, head) < (self.section_match if is_list else 0.85):
            return []
        paras = self.section(source, head)
        if len(paras) < 2:
            return []
        out = []
        for cid, text, meta in paras[: self.max_sentences + 1]:
            lead = split_sentences(text)[:1]
            if lead:
                out.append(Scored(Hit(cid, text, meta, hit.score), 0, lead[0], 1.0, 0.0, 0.0))
        return out
