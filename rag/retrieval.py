"""Hybrid retrieval: dense search in Chroma plus jieba BM25, fused by reciprocal rank."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from .embeddings import EmbeddingModel
from .features import PASSAGE_FEATURES, Sentences, passage_features
from .interrogative import RULINGS
from .keyword import Keyword
from .quantity import DATE
from .question import Question
from .scoring import Linear
from .store import Index, public, unpack_sentences
from .terms import Terms
from .text import search_cut

Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60  # the constant from Cormack et al.; flattens the head so neither ranker dominates
# Passages kept as read, per served index: a conversation keeps coming back to the same few, and reading them
# from Chroma again is a large share of a warm ask. Each is its text and metadata, sentence vectors included
# (about 10 KB for a Wikipedia paragraph), so this bounds the memory to some 20 MB.
KEEP_PASSAGES = 2048


@dataclass
class Hit:
    """One retrieved passage; score is its fused rank score, then, once ranked, the fitted log-odds that it
    holds the answer."""

    chunk_id: str
    text: str
    meta: dict[str, Any]
    score: float
    dense: float | None = None  # cosine similarity, when dense search ran
    bm25: float | None = None
    rank: int = 0
    # The passage's (sentence, vector) pairs as stored with it, when the search fetched them.
    sentences: list[tuple[str, np.ndarray]] | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk_id,
            "source": self.meta.get("source"),
            "start_line": self.meta.get("start_line"),
            "end_line": self.meta.get("end_line"),
            "page": self.meta.get("page"),
            "end_page": self.meta.get("end_page"),
            "heading": self.meta.get("heading", ""),
            "score": round(self.score, 6),
            "text": self.text,
        }


class Retriever:
    """Dense + keyword search over one index, fused by reciprocal rank."""

    def __init__(self, index: Index, keyword: Keyword, model: EmbeddingModel) -> None:
        self.index, self.keyword, self.model = index, keyword, model
        self._read: OrderedDict[str, dict[str, Any]] = OrderedDict()  # the passages read last, oldest first
        self._lock = threading.Lock()  # the chat answers questions in threads
        self._all: bool | None = None  # whether every passage is held in memory (None: not tried yet)
        # With every passage held: each section's body passages, by (document, heading), in reading order.
        self._sections: dict[tuple[str, str], list[str]] = {}

    def search(self, query: str, k: int, mode: Mode = "hybrid",
               query_vector: np.ndarray | None = None, keyword_query: str | None = None) -> list[Hit]:
        """Top-k passages for the query; the depth searched on each side is a few times k."""
        depth = max(4 * k, 20)
        dense: list[tuple[str, float]] = []
        if mode != "keyword":
            vec = query_vector if query_vector is not None else self.model.embed_query(query)
            dense = self.index.search(vec, depth)
        sparse: list[tuple[str, float]] = []
        if mode != "dense":
            sparse = [(self.keyword.ids[i], s) for i, s in self.keyword.search(keyword_query or query, depth)]
        fused: dict[str, float] = {}
        for ranking in (dense, sparse):
            for r, (cid, _) in enumerate(ranking):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (RRF_K + r + 1)
        best = sorted(fused, key=lambda c: -fused[c])[:k]
        docs = self._passages(best)
        dmap, smap = dict(dense), dict(sparse)
        hits = []
        for rank, cid in enumerate(c for c in best if c in docs):
            d = docs[cid]
            meta = public(d)
            text = meta.pop("text")
            hits.append(Hit(cid, text, meta, fused[cid], dmap.get(cid), smap.get(cid), rank + 1,
                            unpack_sentences(text, d)))
        return hits

    def opening_with(self, marks: Sequence[str], score: float, limit: int = 8) -> list[Hit]:
        """The passages opening with one of the marks (第十四条　…), or with a line that does, scored `score`: a
        point looked up by its number, not by the words it says (a reference to it, 违反本办法第十四条, is none)."""
        found = self.index.containing(marks, 4 * limit)
        return [Hit(i, t, m, score) for i, t, m in found if opens_with(t, marks)][:limit]

    def keep_all(self) -> bool:
        """Read every passage once when the index holds at most KEEP_PASSAGES: no ask then waits on Chroma."""
        if self.index.count() > KEEP_PASSAGES or (got := self.index.get_all()) is None:
            self._all = False
            return False
        sections: dict[tuple[str, str], list[str]] = {}
        for i, d in sorted(got.items(), key=lambda kv: kv[1].get("order", 0)):
            if d.get("kind") == "body":
                sections.setdefault((str(d.get("source", "")), str(d.get("heading", ""))), []).append(i)
        with self._lock:
            self._read.update(got)
            self._sections = sections
        self._all = True
        return True

    def section(self, source: str, heading: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The body passages under one heading of one document, in reading order: from memory when every passage
        is held (no ask then waits on Chroma for the passages around the one it quotes), else from the index."""
        if not self._all:
            return self.index.section(source, heading)
        with self._lock:
            rows = [(i, self._read[i]) for i in self._sections.get((source, heading), ())]
        return [(i, d["text"], {k: v for k, v in public(d).items() if k != "text"}) for i, d in rows]

    def tokens_around(self, term: str) -> list[str]:
        """The keyword index's tokens where a passage holds the term across them (卫生处处长宁皓 is cut 处处 长宁 皓,
        so 宁皓 is no token of it): what keyword search can find the term by. Read from the passages held in memory,
        so only for an index of at most KEEP_PASSAGES."""
        if self._all is None:
            self.keep_all()
        if not self._all:
            return []
        with self._lock:
            texts = [d.get("text", "") for d in self._read.values()]
        for text in texts:
            if (at := text.find(term)) >= 0:
                # Cut as the whole passage was (jieba's cut of a word depends on its neighbours).
                cut = search_cut(text)
                return [w.lower() for w, _, a, b in cut if a < at + len(term) and b > at and self.keyword.df(w)]
        return []

    def _passages(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Text and metadata of the passages, from those read lately or else from the index."""
        # A Retriever's index is only read: a completed ingest is served by a new Retriever.
        with self._lock:
            out = {i: self._read[i] for i in ids if i in self._read}
            for i in out:
                self._read.move_to_end(i)
        missing = [i for i in ids if i not in out]
        if missing:
            got = self.index.get(missing)
            with self._lock:
                self._read.update(got)
                while len(self._read) > KEEP_PASSAGES:
                    self._read.popitem(last=False)
            out |= got
        return out

    def sentence_vectors(self, hits: Sequence[Hit]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Each hit's sentences with their vectors, in reading order (fetched only for hits that lack them)."""
        out = {h.chunk_id: h.sentences for h in hits if h.sentences is not None}
        return out | self.index.sentences([h.chunk_id for h in hits if h.chunk_id not in out])


def opens_with(text: str, marks: Sequence[str]) -> bool:
    """Whether a line of the text opens with one of the marks (第十四条　…)."""
    return any(line.lstrip(" \u3000").startswith(tuple(marks)) for line in text.splitlines())


def rank(model: Linear, question: Question, terms: Terms, qvec: np.ndarray, pool: Sequence[Hit],
         sentences: Sentences) -> list[Hit]:
    """The pool re-ranked by the fitted passage model (dense and keyword scores, best sentence, title and text
    coverage, names, answer type); each hit's score becomes its log-odds."""
    logits = model.logit(passage_features(question, terms, qvec, pool, sentences), PASSAGE_FEATURES)
    for h, z in zip(pool, logits):
        h.score = float(z)
    ranked = sorted(pool, key=lambda h: -h.score)
    new = [t for t in question.new_terms if len(t) > 1]
    if question.follow_up and new:
        # A follow-up was searched with the question it follows: what it adds ("那石桥呢" adds 石桥) decides first.
        ranked.sort(key=lambda h: not any(t in h.text.lower() for t in new))
    if (by := signature(question, ranked)) is not None:
        # Who wrote or issued it is answered by the byline (Answerer quotes it): the passage that answers is shown
        # first.
        ranked.sort(key=lambda h: h is not by)
    for r, h in enumerate(ranked, start=1):
        h.rank = r
    return ranked


# Who wrote a paper, by their place among its authors (第一作者, 通讯作者).
_AUTHOR_OF_A_PAPER = re.compile(r"第一作者|通讯作者|共同作者|第二作者|合著者")
_TITLE = re.compile(r"《([^《》]+)》")


def signature(question: Question, hits: Sequence[Hit]) -> Hit | None:
    """What answers who wrote or issued it (the byline), or when it was issued (a byline that holds a date). A
    work the question names by its title (《河湾》的作者是谁) that is not the article's was written by whom the text
    says, not by the reporter."""
    if question.kind != "author" or (by := byline(hits)) is None:
        return None
    if any(t not in str(by.meta.get("article", "")) for t in _TITLE.findall(question.text)):
        return None
    if _AUTHOR_OF_A_PAPER.search(question.text) and not question.document_nouns:
        return None  # (论文第一作者是谁, not 这篇论文的第一作者: a paper the article tells of, by whom it says)
    # A court's ruling asked of as another document (合同是哪天签的 over a ruling that tells of a contract): its
    # text says when, not the ruling's date. (Other genres name one document in many words: 通知 of a 公告.)
    names = (str(by.meta.get("source", "")).rsplit(".", 1)[0], str(by.meta.get("article", "")))
    if question.document_nouns and not any(of_genre(g, t) for g in question.document_nouns for t in names) and any(
            of_genre(g, t) for g in RULINGS for t in names):
        return None
    return by if question.answer_type != "date" or DATE.search(by.text) else None


def of_genre(genre: str, title: str) -> bool:
    """Whether a document's name or title says it is of the genre: opening or closing with it, or with it and two
    characters more (小说节选_雾港, 关于召回…的公告, 访谈实录; not 网络小说阅读情况调查报告, a report about novels)."""
    words = [w for w in re.split(r"[\W_]+", title) if w]
    return any(w.startswith(genre) or re.search(f"{genre}.{{0,2}}$", w) for w in words[:1] + words[-1:])


def byline(hits: Sequence[Hit]) -> Hit | None:
    """The byline of the article the best passage belongs to, when it was retrieved."""
    article = next((h.meta.get("article") for h in hits if h.meta.get("article")), None)
    if article is None:
        return None
    return next((h for h in hits if h.meta.get("kind") == "byline" and h.meta.get("article") == article), None)
