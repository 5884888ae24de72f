"""Hybrid retrieval: dense search in Chroma plus jieba BM25, fused by reciprocal rank."""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import threading
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import numpy as np

from .config import Settings
from .embeddings import EmbeddingModel
from .features import PASSAGE_FEATURES, Sentences, Terms, passage_features
from .question import Question
from .scoring import Linear
from .store import Index, side_folder
from .text import tokenize

log = logging.getLogger(__name__)
Mode = Literal["hybrid", "dense", "keyword"]
RRF_K = 60  # the constant from Cormack et al.; flattens the head so neither ranker dominates

def context_of(text: str, meta: dict[str, Any]) -> str:
    """The text that was embedded and indexed for a chunk (heading gives the topic); see Chunk.context."""
    head = meta.get("heading") or (meta.get("article", "") if meta.get("kind") == "byline" else "")
    return f"{head}\n{text}" if head else text


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

    def to_json(self) -> dict[str, Any]:
        return {
            "chunk_id": self.chunk_id,
            "source": self.meta.get("source"),
            "start_line": self.meta.get("start_line"),
            "end_line": self.meta.get("end_line"),
            "page": self.meta.get("page"),
            "heading": self.meta.get("heading", ""),
            "score": round(self.score, 6),
            "text": self.text,
        }


@dataclass
class Keyword:
    """A BM25 index over chunk tokens, saved next to the Chroma index and tied to its version."""

    ids: list[str]
    retriever: Any
    doc_freq: dict[str, int] = field(default_factory=dict)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency (unknown terms count as rare)."""
        n = len(self.ids)
        return math.log(1 + (n + 1) / (self.doc_freq.get(term, 0) + 0.5))

    def df(self, term: str) -> int:
        """Number of passages whose tokens include the term."""
        return self.doc_freq.get(term.lower(), 0)

    def mentions(self, term: str) -> bool:
        """Whether the corpus contains the term, as a token or inside one."""
        term = term.lower()
        return term in self.doc_freq or (bool(term) and term in self._vocabulary)

    @cached_property
    def _vocabulary(self) -> str:
        """Every token on its own line: one substring search finds a term inside any of them."""
        return "\n".join(self.doc_freq)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]]) -> Keyword:
        """Index (chunk id, text) pairs; tokens become ids as they stream by, so memory stays small."""
        import bm25s
        from bm25s.tokenization import Tokenized

        logging.getLogger("bm25s").setLevel(logging.WARNING)
        ids: list[str] = []
        vocab: dict[str, int] = {}
        docs: list[list[int]] = []
        df: dict[str, int] = {}
        for cid, text in items:
            toks = tokenize(text)
            ids.append(cid)
            docs.append([vocab.setdefault(t, len(vocab)) for t in toks])
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        vocab.setdefault("", len(vocab))  # bm25s wants a slot for empty documents
        retriever = bm25s.BM25()
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            # An empty index (every document removed) is valid; bm25s warns about the mean of no lengths.
            warnings.simplefilter("ignore", RuntimeWarning)
            retriever.index(Tokenized(ids=docs, vocab=vocab), show_progress=False)
        return cls(ids, retriever, df)

    def save(self, folder: Path, version: str) -> None:
        """Write atomically: a reader never sees half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self.retriever.save(str(tmp), show_progress=False)
        (tmp / "rag.json").write_text(
            json.dumps({"version": version, "ids": self.ids, "df": self.doc_freq}, ensure_ascii=False),
            encoding="utf-8",
        )
        # Swap in two renames: a reader sees the old folder or the new one (or, for an instant, none, and
        # then rebuilds from Chroma).
        old = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.old")
        try:
            folder.rename(old)
        except FileNotFoundError:
            pass
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, version: str | None) -> Keyword | None:
        """The saved index if it matches the Chroma index's version, else None."""
        import bm25s

        try:
            meta = json.loads((folder / "rag.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if version is None or meta.get("version") != version:
            return None
        retriever = bm25s.BM25.load(str(folder), show_progress=False, mmap=False)
        return cls(meta["ids"], retriever, meta.get("df", {}))

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Best (row, score) pairs for a query, score > 0 only."""
        toks = [t for t in tokenize(query) if t in self.retriever.vocab_dict]
        if not toks or not self.ids:
            return []
        scores = self.retriever.get_scores(toks)
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def keyword_folder(settings: Settings) -> Path:
    """Where the BM25 side index lives: in the store folder, or a cache folder per Chroma server."""
    return side_folder(settings) / "bm25"


def load_keyword(settings: Settings, index: Index) -> Keyword:
    """The BM25 index for this Chroma index, rebuilt from the stored chunks if stale or missing."""
    folder = keyword_folder(settings)
    kw = Keyword.load(folder, index.version)
    if kw is None:
        log.info("building the keyword index from %d stored chunks", index.count())
        kw = Keyword.build((cid, context_of(text, meta)) for cid, text, meta in index.iter_all())
        if index.version:
            kw.save(folder, index.version)
    return kw


class Retriever:
    """Dense + keyword search over one index, fused by reciprocal rank."""

    def __init__(self, index: Index, keyword: Keyword, model: EmbeddingModel) -> None:
        self.index, self.keyword, self.model = index, keyword, model

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
        docs = self.index.get(best)
        dmap, smap = dict(dense), dict(sparse)
        hits = []
        for rank, cid in enumerate(c for c in best if c in docs):
            d = docs[cid]
            hits.append(Hit(cid, d.pop("text"), d, fused[cid], dmap.get(cid), smap.get(cid), rank + 1))
        return hits

    def sentence_vectors(self, hits: Sequence[Hit]) -> dict[str, list[tuple[str, np.ndarray]]]:
        return self.index.sentences([(h.chunk_id, h.meta.get("sentences")) for h in hits])


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
    for r, h in enumerate(ranked, start=1):
        h.rank = r
    return ranked
