"""The composition root: settings in, ingest and ask out."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import answertype, discourse, spelling, synonyms
from . import question as analysis
from .answer import Answerer
from .catalog import Catalog, Document, read_catalog, unfinished_message
from .compound import questions
from .config import DEFAULT_MODEL, LOCK_FILE, Settings, describe, side_folder
from .corpus import iter_files
from .embeddings import EmbeddingModel, Task, load_model, model_dim, model_name
from .errors import IndexUnfinishedError, UsageError
from .features import Sentences, article_of, context_of, heading_of
from .ingest import Ingest, IngestReport, remove_documents
from .keyword import Keyword, load_keyword
from .lock import WriteLock
from .overview import article_lead, overview_of, signatures, with_byline
from .question import Question, analyse, asks_by_word, content_words, has_words
from .result import (
    REPHRASE,
    Answer,
    AnswerSentence,
    Result,
    abstain,
    adds_to,
    combine,
)
from .retrieval import Hit, Mode, Retriever, opens_with, rank
from .scoring import Scoring, load_scoring
from .script import in_script
from .spelling import respell
from .store import Index
from .synonyms import reword
from .terms import Terms
from .text import language, read_dictionary_from_disk, tagged, tokenize

if TYPE_CHECKING:  # LangChain loads only when a model is configured
    from .check import Checker
    from .llm import ChatBackend

log = logging.getLogger(__name__)
_NAMING_TAGS = ("n", "v", "vn")  # jieba's common nouns and verbs: words naming a thing or a deed


@dataclass
class Gathered:
    """A question's evidence before ranking."""

    terms: Terms
    qvec: np.ndarray
    pool: list[Hit]
    sentences: Sentences
    # Passages looked up by the point the question names (第十四条), not searched: they rank low, sharing no other
    # word of it, and are answered from wherever they rank.
    points: list[Hit] = field(default_factory=list)


def check_question(question: str, limit: int) -> str:
    """Reject what cannot be a question before any work is done."""
    q = (question or "").strip()
    if not q:
        raise UsageError("The question is empty. Ask something about your documents, e.g. rag ask \"年假有几天？\"")
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

    def read(self, question: str, history: Sequence[str]) -> Question:
        """The question analysed as written in the script the corpus writes (traditional or simplified)."""
        script = self.keyword.script
        return analyse(in_script(question, script), [in_script(h, script) for h in history], script)

    def reworded(self, asked: Question) -> Question | None:
        """The question with each word the corpus never uses read as its words of one meaning, if it has any;
        else None."""
        words = reword(asked.terms, self.keyword)
        return replace(asked, reworded=tuple(words)) if words else None

    def respelled(self, question: str, history: Sequence[str]) -> Question | None:
        """The question analysed with each word it or the questions before it mistyped as a homophone read as the
        corpus's word (申情 as 申请), if they have one; else None."""
        script = self.keyword.script
        text, mends = respell(in_script(question, script), self.keyword)
        earlier = [respell(in_script(h, script), self.keyword) for h in history]
        if not mends and not any(m for _, m in earlier):
            return None
        return replace(analyse(text, [e for e, _ in earlier], script),
                       respelled=(*(m for _, ms in earlier for m in ms), *mends))


def load_tables() -> None:
    """Read every dictionary table the analysis and the sentence checks use, so that no question pays for one."""
    for module in (analysis, answertype, discourse, spelling, synonyms):
        module.load_tables()


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
        idx.check_model(model_name(self.settings), model_dim(self.settings, lambda: self.model))
        kw = load_keyword(self.settings, idx)
        retriever = Retriever(idx, kw, self.model)
        if self._task == "query":  # a serving process; one question does not repay reading every vector
            idx.hold_vectors()
            retriever.keep_all()
        answerer = Answerer(self.scoring, threshold=self.settings.abstain_threshold, section=retriever.section)
        return Loaded(idx, kw, retriever, answerer, read_catalog(self.settings, idx), idx.count())

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
        load_tables()  # what a warm-up question does not touch (the type checks' word lists)
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
        whole = self._ask_one(q, k, mode, history, screen, state)
        parts = questions(q)
        if not 1 < len(parts) <= self.scoring.max_sentences:  # more than an answer quotes is no list of questions
            return whole
        # Several questions in one message (one analysis holds one question word, one focus, one measure): each
        # is asked on its own with the earlier ones as its history (几点开门？周末呢？).
        results: list[Result] = []
        for i, p in enumerate(parts):
            results.append(self._ask_one(p, k, mode, [*history, *parts[:i]], screen, state,
                                         results[-1].answer if results else None))
        if all(r.answer.abstained for r in results):
            return whole
        if whole.answer.abstained:  # found by none as one: the answers are quoted in turn
            answer = combine([(p, r.answer) for p, r in zip(parts, results)], language(q))
        else:
            # Found as one, the answer may serve one question only: the sentence that best answers another joins
            # it when it lacks that sentence and the sentence stands in a passage it quotes, or in a document it
            # quotes when it holds nothing of the kind that question asks (questions asked together ask of one
            # thing; a question the corpus does not answer adds nothing).
            quoted = [s.text for s in whole.answer.sentences]
            lacking = [r.asked is not None and not answertype.held_in(r.asked, quoted) for r in results]
            extra = [(p, best) for p, r, lacks in zip(parts, results, lacking)
                     if (best := adds_to(whole.answer, r.answer, lacks))]
            if not extra:
                return whole
            answer = combine([(q, whole.answer), *extra], language(q))
            results = [whole, *results]
        ranked = (r.hits[i] for i in range(max(len(r.hits) for r in results)) for r in results if i < len(r.hits))
        hits = list({h.chunk_id: h for h in ranked}.values())  # each question's best passages in turn
        return Result(q, answer, _first(answer.first, hits, k), time.perf_counter() - t0,
                      " | ".join(r.retrieval_query for r in results))

    def _ask_one(self, q: str, k: int, mode: Mode | None, history: Sequence[str], screen: bool, state: Loaded,
                 earlier: Answer | None = None, chain: bool = True) -> Result:
        """Answer one question, extractively; earlier is the answer to the question it goes on from in one message
        (the last of history). chain: a follow-up's question before it is answered too, to know what it quoted."""
        t0 = time.perf_counter()
        # The one analysis of the question, read in its corpus's script; everything below reads it.
        asked = state.read(q, history)
        before = earlier
        if asked.follow_up and before is None and chain:
            before = self._ask_one(history[-1], k, mode, history[:-1], screen, state, chain=False).answer
        if asked.follow_up and before is not None and not before.abstained and not asked.names and (
                name := discourse.referent(q, history[-1], [s.text for s in before.sentences],
                                           before.best or before.sentences[0].text)):
            # 它增长了多少？ after 哪个区域增长最快？ asks of the region the answer named: read with its name for 它.
            asked = state.read(discourse.name_for_it(q, name), history)
        # A follow-up (周末加班呢？) asks on about what the answer before it quoted: its articles are read first. (Only
        # that: a question the corpus did not answer may still be followed by one it does, 那多少钱？.)
        within = ({(c.source, c.article) for c in before.citations}
                  if asked.follow_up and before is not None and not before.abstained else set())
        result = self._answer_one(q, asked, k, mode, screen, state, earlier, t0, within)
        # A question the corpus does not answer as typed is asked again with its slips mended, if it has any: a
        # string that reads as a slip may be a word the corpus lacks (门进 of 从哪个门进), answered as typed.
        if result.answer.abstained and (mended := state.respelled(q, history)):
            again = self._answer_one(q, mended, k, mode, screen, state, earlier, t0, within)
            if not again.answer.abstained:
                again.answer.notice = again.answer.notice or spelling.notice(mended.respelled, mended.language)
                return again
        # And with each word the corpus never uses read as its words of one meaning (晚饭 as 晚餐), if it has any:
        # read so first, a word of another sense in the thesaurus's group would answer what the corpus does not.
        if result.answer.abstained and (reworded := state.reworded(asked)):
            again = self._answer_one(q, reworded, k, mode, screen, state, earlier, t0, within)
            # (Answered only by a quote holding a reading: one found by the question's other words alone, once a
            # reading made them look enough, answers what the corpus does not.)
            quoted = " ".join(s.text for s in again.answer.sentences)
            used = [r for r in reworded.reworded if r.meant in quoted]
            if not again.answer.abstained and used:
                again.answer.notice = again.answer.notice or spelling.notice(used, reworded.language)
                return again
        return result

    def _answer_one(self, q: str, asked: Question, k: int, mode: Mode | None, screen: bool, state: Loaded,
                    earlier: Answer | None, t0: float, within: set[tuple[str, str]] = frozenset()) -> Result:
        most = self.scoring.max_sentences  # documents an answer about them all lists
        if asked.kind == "overview" and (overview := overview_of(asked, state.catalog, state.index, most)):
            return Result(q, *overview, time.perf_counter() - t0, asked.search_text, asked)
        if asked.of_documents and (signed := signatures(asked, state.index, most)):
            return Result(q, *signed, time.perf_counter() - t0, asked.search_text, asked)
        # A follow-up is searched together with the question it follows, and judged by its own words.
        qvec = self.model.embed_query(asked.search_text)
        if screen and self._asks_nothing(asked, qvec, state):
            return Result(q, Answer(REPHRASE[asked.language], True), [], time.perf_counter() - t0, asked.search_text,
                          asked)
        found = self.gather(asked, max(k, self.scoring.pool), mode or self.settings.mode, state, qvec)
        hits = with_byline(asked, rank(self.scoring.passage, asked, found.terms, found.qvec, found.pool,
                                       found.sentences), state.index)
        if asked.about and (lead := article_lead(asked, hits, state.index)):
            return Result(q, *lead, time.perf_counter() - t0, asked.search_text, asked)
        # The answer's sentences come from a wider set than what is shown, so a fact ranked k+1 is not lost.
        answering = hits[: max(k, 10)]
        answering += [h for h in found.points if h not in answering]
        inside = [h for h in answering if article_of(h) in within]
        if inside and _points_elsewhere(asked, inside, answering):
            inside = []  # 那学生请病假呢？ after a handbook's answer: 学生 is the school rules' word, not the handbook's
        ans = (state.answerer.answer(asked, found.terms, found.qvec, inside, found.sentences)
               if inside and len(inside) < len(answering) else None)
        if ans is None or ans.abstained:  # not answered there: the follow-up asks of something else
            ans = state.answerer.answer(asked, found.terms, found.qvec, answering, found.sentences)
        if earlier is not None and not asked.terms and not ans.abstained and (
                earlier.abstained or not answertype.held_in(asked, [s.text for s in ans.sentences])):
            # A question naming nothing of its own (一共交几次？) asks about what the one before it named: when
            # the corpus does not answer that one, or the quote holds nothing of the asked kind, the quote was
            # found by the earlier question's words alone.
            ans = abstain(asked.language, ans.evidence)
        return Result(q, ans, _first(ans.first, hits, k), time.perf_counter() - t0, asked.search_text, asked)

    def gather(self, asked: Question, pool: int, mode: Mode, state: Loaded | None = None,
               qvec: np.ndarray | None = None) -> Gathered:
        """What ranking and answering read: the question's weighted terms and vector, the best `pool` passages of
        dense and keyword search fused by rank, and their sentences' vectors."""
        state = state or self.ready()
        terms = Terms.of(asked, state.keyword)
        query = asked.search_text
        qvec = self.model.embed_query(query) if qvec is None else qvec
        # An English question is also searched with the corpus's words for its phrases (a phrase's first form is
        # the phrase itself, which the question already holds: adding it would count its words twice).
        said = [w for words in terms.forms.values() for w in words[1:]]
        keyword_query = " ".join([f"{asked.text} {query}" if asked.follow_up else query, *said])
        # The analysed terms too, where they cut the question otherwise than its raw tokens do (赵启先是 ->
        # 赵启 先是): a name glued to a function word is searched whole.
        own = set(tokenize(keyword_query))
        cut = dict.fromkeys(tok for t in asked.terms for tok in tokenize(t) if tok not in own)
        # A name the corpus holds only across its tokens (宁皓 in 卫生处处长宁皓: 长宁 皓) is searched by those tokens.
        for t in asked.terms if asked.language == "zh" else ():
            if not state.keyword.df(t) and state.keyword.mentions(t):
                cut |= dict.fromkeys(tok for tok in state.retriever.tokens_around(t) if tok not in own)
        # A compound the question cut apart (请 两天 假: 请假) is searched whole where the corpus writes it whole.
        cut |= dict.fromkeys(c for c in terms.glued if c not in own and state.keyword.df(c))
        keyword_query = " ".join([keyword_query, *cut])
        hits = state.retriever.search(query, pool, mode, query_vector=qvec, keyword_query=keyword_query)
        points: list[Hit] = []
        if hits and (marks := asked.point_marks) and not any(opens_with(h.text, marks) for h in hits):
            # An article asked for by its number (第十四条) which search did not find, the rest of the question
            # naming its document, not what it says.
            ids = {h.chunk_id for h in hits}
            points = [h for h in state.retriever.opening_with(marks, min(h.score for h in hits)) if h.chunk_id not in ids]
            hits += points
        terms = terms.spelled_out([h.text for h in hits], [heading_of(h) for h in hits])
        return Gathered(terms, qvec, hits, state.retriever.sentence_vectors(hits), points)

    @cached_property
    def _blank(self) -> np.ndarray:
        """The empty query's vector: where questions that name nothing land."""
        return self.model.embed_query("")

    def _asks_nothing(self, asked: Question, vector: np.ndarray, state: Loaded) -> bool:
        """No word the corpus contains, and (for a model with a fitted level) as close to the empty query as
        a question naming nothing: searching would only find noise."""
        question = asked.search_text
        if not has_words(question):
            return True
        if asked.kind == "author":
            return False  # 这篇文章是谁写的 names only the document: its byline answers it
        words = content_words(question)
        if any(state.keyword.df(t) for t in words):
            return False
        if any(state.keyword.mentions(n.lower()) for n in asked.names):
            return False  # a name or a number the corpus holds (324万 in "3.24 million users") is something to find
        if not words and not asked.names:
            return True  # 你能做什么？ 是什么？: not one word that could name a thing to look for
        if asked.language == "zh" and asks_by_word(asked.text) and any(
                w in tagged(_NAMING_TAGS) and not asks_by_word(w) for w in words):
            # (病人哪天出的院: asked by a question word of a noun or a verb the corpus says otherwise, 患者, not small
            # talk like 讲个笑话 or 测试一下, nor 你能干嘛, whose verb is the question word. Whether it answers is the
            # answerer's to judge; the level is fitted on longer, written questions.)
            return False
        s = self.settings
        if s.embedding_model != DEFAULT_MODEL and "content_free_level" not in s.model_fields_set:
            return False  # the level is fitted for the default model only
        blank = float(vector @ self._blank)
        if blank <= s.content_free_level:
            return False
        if asked.language == "en":
            # The level is fitted on Chinese questions, and English ones sit nearer the empty query (an English
            # question over a Chinese corpus never shares a word with it): one is refused only when it is also
            # nearer the empty query than to every passage.
            top = state.retriever.search(question, 1, "dense", query_vector=vector)
            return not top or blank > (top[0].dense or 0.0)
        return True

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
        asked = state.read(standalone, history if standalone == q else ())
        most = self.scoring.max_sentences
        if asked.kind == "overview" and (overview := overview_of(asked, state.catalog, state.index, most)):
            yield Result(q, *overview, time.perf_counter() - t0, asked.search_text)
            return
        qvec = self.model.embed_query(asked.search_text)
        if self._asks_nothing(asked, qvec, state):
            yield Result(q, Answer(REPHRASE[lang], True), [], time.perf_counter() - t0, asked.search_text)
            return
        found = self.gather(asked, max(k, self.scoring.pool), mode, state, qvec)
        hits = with_byline(asked, rank(self.scoring.passage, asked, found.terms, found.qvec, found.pool,
                                       found.sentences), state.index)
        if asked.about and (lead := article_lead(asked, hits, state.index)):
            yield Result(q, *lead, time.perf_counter() - t0, asked.search_text)
            return
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
        yield Result(q, answer, _first(answer.first, shown, k), time.perf_counter() - t0, asked.search_text)

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
                         f"the index in {describe(self.settings)}")

    def ingest(self, paths: Sequence[Path] | None = None, rebuild: bool = False, prune: bool = False,
               progress: Callable[[int, int], None] | None = None) -> IngestReport:
        """Add or update the documents under the paths; drop those gone from them (prune: all others too)."""
        t0 = time.perf_counter()
        given = [Path(p) for p in (paths or self.settings.corpus)]
        files = list(iter_files(given))  # a missing path fails here, before anything is touched
        with self._write_lock():
            report = Ingest(self.settings, given, files, rebuild, prune, progress, self._ingest_model).run()
        with self._swap:  # not while a question is swapping an index in
            self._loaded = None  # the next question sees the new index
        report.seconds = time.perf_counter() - t0
        return report

    def remove(self, names: Sequence[str]) -> IngestReport:
        """Remove documents (by name, as `rag docs` lists them) and all their passages from the index."""
        t0 = time.perf_counter()
        if not names:
            raise UsageError("Name the documents to remove (`rag docs` lists them).")
        with self._write_lock():
            report = remove_documents(self.settings, names)
        with self._swap:
            self._loaded = None
        report.seconds = time.perf_counter() - t0
        return report


def _points_elsewhere(asked: Question, inside: list[Hit], hits: list[Hit]) -> bool:
    """Whether a follow-up adds a word that the passages of the articles before never write and another retrieved
    passage does: it asks of that other article."""
    def holds(word: str, group: Iterable[Hit]) -> bool:
        return any(word in context_of(h).lower() for h in group)

    ids = {h.chunk_id for h in inside}
    return any(not holds(w, inside) and holds(w, (h for h in hits if h.chunk_id not in ids))
               for w in (t.lower() for t in asked.new_terms))


def _first(first: list[Hit], hits: list[Hit], k: int) -> list[Hit]:
    """The top k hits, with the passages the answer quoted by the document's structure first."""
    ids = {h.chunk_id for h in first}
    return [*first, *(h for h in hits if h.chunk_id not in ids)][:k]


def _fallback_notice(lang: str, error: str | None) -> str:
    """Why an extractive answer stands in for the generated one."""
    if error:
        return f"{error} 已改用摘录式回答。" if lang == "zh" else f"{error} Answered extractively instead."
    if lang == "zh":
        return "生成的回答没有一句得到所引段落的支持，已改用摘录式回答。"
    return "No sentence of the generated answer was supported by the passages it cites; showing the extractive answer."
