"""Score the question-answering pipeline on a question set: retrieval, answers, citations, abstention, latency.

No LLM judge: every metric is a string or token comparison that works for Chinese (characters) and English
(lower-cased words). A question set is JSONL, one object a line:

    {"id", "question", "type", "must_contain" (key facts), "evidence" (exact corpus strings), "answer" (reference)}

where an unanswerable question needs none of the last three, plus, optionally, "case" (why an unanswerable question is unanswerable, e.g. "absent-topic": the corpus never
mentions its topic, "missing-fact": the topic is there, the fact is not; abstention is reported per case) and
"history" (the user's earlier questions, oldest first: the question is asked as a follow-up to them).

A question is *unanswerable* when its type is "unanswerable", or when it has neither evidence nor key facts;
the right response to it is an abstention. A retrieved or cited passage *supports* a question when its heading
or its text contains one of the question's evidence strings (whitespace removed, case-folded, NFKC), or the part
of one that a passage boundary cut off when that part holds every key fact (must_contain).

Metrics (per question in ``record["scores"]``, averaged in ``EvalRun.summary`` and ``EvalRun.by_type``; a metric
with no question to average over is None):

- hit@1, hit@5, mrr@10: rank of the first supporting passage in ``retrieved`` (the k passages the pipeline shows),
  over answerable questions that have evidence. MRR@10 is the mean reciprocal rank within the first 10 of them;
  with k < 10 it is over the k passages there are.
- key_fact_accuracy: not abstained and every must_contain string in the answer (answerable questions).
- char_f1, rouge_l: token-overlap F1 and LCS-based F1 against the reference answer, citation markers and
  punctuation dropped; tokens are characters when the reference is Chinese, lower-cased words (plus single CJK
  characters) when it is English. An abstention scores 0. Answerable questions with a reference answer.
- citation_precision: mean share of cited passages that support the question (answerable with evidence, not
  abstained; an answer without citations scores 0).
- citation_recall: share of answerable questions with evidence that have at least one supporting citation.
- cited_sentence_share: share of answer sentences (cut at 。！？；!?; and after each [n] group, but not at a ； whose
  next clause goes on from the one before it, as the passages are read) that carry a citation [n], over all
  answers that did not abstain (pooled over sentences).
- correct_abstention (unanswerable questions that abstained), false_abstention (answerable ones that did),
  abstention_accuracy (all questions whose abstain decision was right).
- latency_p50_ms, latency_p95_ms: wall time of each ``pipeline.ask`` call.
- With a model configured (``--llm``): unsupported_before, the share of the model's sentences the checker found
  unsupported (pooled over sentences, before any fallback); unsupported_after, the share of sentences shown as
  answers that are marked unsupported (fallen-back answers are extractive quotes); fallback_share, the share of
  questions whose generated answer was replaced by the extractive one (no supported sentence, or the model
  failed).

``EvalRun.by_case`` holds the same summary per "case" when the question set has that field.
"""

from __future__ import annotations

import json
import math
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import UsageError
from .result import says_not_found
from .text import goes_on

if TYPE_CHECKING:  # the model stack is only needed when questions are actually asked
    from .pipeline import Pipeline

# Retrieval metrics need this many passages; eval asks for at least this many unless told otherwise.
EVAL_K = 10
MRR_DEPTH = 10
UNANSWERABLE = "unanswerable"
REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {"id": (str, int), "question": str, "type": str}
# What an answerable question is scored by; an unanswerable one needs none of them.
OPTIONAL_FIELDS: dict[str, type] = {"answer": str, "evidence": list, "must_contain": list}

# (key, label for tables, what it is averaged over)
METRICS: list[tuple[str, str, str]] = [
    ("hit@1", "hit@1", "answerable with evidence"),
    ("hit@5", "hit@5", "answerable with evidence"),
    ("mrr@10", "MRR@10", "answerable with evidence"),
    ("key_fact_accuracy", "key-fact accuracy", "answerable"),
    ("char_f1", "char F1", "answerable with a reference answer"),
    ("rouge_l", "ROUGE-L", "answerable with a reference answer"),
    ("citation_precision", "citation precision", "answered, answerable with evidence"),
    ("citation_recall", "citation recall", "answerable with evidence"),
    ("cited_sentence_share", "cited sentence share", "answer sentences"),
    ("correct_abstention", "correct abstention", "unanswerable"),
    ("false_abstention", "false abstention", "answerable"),
    ("abstention_accuracy", "abstention accuracy", "all"),
    ("latency_p50_ms", "latency p50 (ms)", "all"),
    ("latency_p95_ms", "latency p95 (ms)", "all"),
    ("unsupported_before", "unsupported sentences, generated", "generated sentences"),
    ("unsupported_after", "unsupported sentences, shown", "shown sentences"),
    ("fallback_share", "fell back to extractive", "all"),
]
# The chart: (metric key, legend label).
CHART_METRICS = [
    ("key_fact_accuracy", "key-fact accuracy"),
    ("hit@5", "hit@5"),
    ("citation_precision", "citation precision"),
    ("abstention_accuracy", "abstention correct"),
]

_WS = re.compile(r"\s+")
CITATION = re.compile(r"\[\d+(?:\s*[,，、]\s*\d+)*\]")
_END = r"(?:[。！？；!?;…]+|\.(?=\s|$))[”’」』）)》\"']*"
_QUOTES = ("“”", "「」", "『』")
_MARKER = re.compile(r"\d{1,3}\.")
_CITED_END = re.compile(rf"{CITATION.pattern}\s*$")
_BOUNDARY = re.compile(rf"{_END}(?:\s*{CITATION.pattern})*|(?:{CITATION.pattern})+")
_CJK_CHAR = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_EN_TOKEN = re.compile(rf"[a-z0-9]+(?:['’.\-][a-z0-9]+)*|{_CJK_CHAR}")
_CJK = re.compile(_CJK_CHAR)
_LATIN = re.compile(r"[A-Za-z]")


# -- loading ------------------------------------------------------------------------------------------------
def load_questions(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL question set; raise UsageError naming the line of the first bad entry."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"No question file at {path}. Pass --questions PATH (JSONL, one question a line).") from None
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError(f"Cannot read the question file {path}: {e}") from None
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path} line {lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise UsageError(f"{where}: not valid JSON ({e.msg}, column {e.colno}).") from None
        if not isinstance(obj, dict):
            raise UsageError(f"{where}: expected a JSON object, got {type(obj).__name__}.")
        missing = [f for f in REQUIRED_FIELDS if f not in obj]
        if missing:
            raise UsageError(f"{where}: missing field(s) {', '.join(missing)}; every line needs "
                             f"{', '.join(REQUIRED_FIELDS)}.")
        if obj.get("type") != UNANSWERABLE and not obj.get("must_contain") and not obj.get("evidence"):
            raise UsageError(f"{where}: neither 'must_contain' nor 'evidence': give the key facts a right answer "
                             f"holds, or type it {UNANSWERABLE!r}.")
        obj = {"answer": "", "evidence": [], "must_contain": [], **obj}
        for name, kind in (REQUIRED_FIELDS | OPTIONAL_FIELDS).items():
            value = obj[name]
            if not isinstance(value, kind) or isinstance(value, bool):
                raise UsageError(f"{where}: field {name!r} should be {_kind_name(kind)}, got {type(value).__name__}.")
            if name in ("evidence", "must_contain") and not all(isinstance(v, str) and v.strip() for v in value):
                raise UsageError(f"{where}: field {name!r} should be a list of non-empty strings.")
        history = obj.get("history", [])
        if not isinstance(history, list) or not all(isinstance(v, str) and v.strip() for v in history):
            raise UsageError(f"{where}: field 'history' should be a list of earlier questions (non-empty strings).")
        if not isinstance(obj.get("case", ""), str):
            raise UsageError(f"{where}: field 'case' should be a string, got {type(obj['case']).__name__}.")
        for name in ("id", "question", "type"):
            if not str(obj[name]).strip():
                raise UsageError(f"{where}: field {name!r} is empty.")
        qid = str(obj["id"])
        if qid in seen:
            raise UsageError(f"{where}: id {qid!r} already used on line {seen[qid]}.")
        seen[qid] = lineno
        out.append({**obj, "id": qid})
    if not out:
        raise UsageError(f"{path} holds no questions.")
    return out


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {str: "a string", int: "an integer", list: "a list"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def is_answerable(question: dict[str, Any]) -> bool:
    """Answerable unless typed unanswerable or carrying neither evidence nor key facts."""
    if question.get("type") == UNANSWERABLE:
        return False
    return bool(question.get("evidence") or question.get("must_contain"))


# -- text helpers -------------------------------------------------------------------------------------------
def normalize(text: str | None) -> str:
    """For substring matching: NFKC, case-folded, every whitespace removed (the corpus spaces names, '刘 晓')."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


def strip_citations(text: str) -> str:
    return CITATION.sub("", text or "")


def language(text: str) -> str:
    """'en' when the text is mostly Latin letters, else 'zh' (the pipeline's own rule)."""
    return "en" if len(_LATIN.findall(text or "")) > 2 * len(_CJK.findall(text or "")) else "zh"


def tokens(text: str, lang: str = "zh") -> list[str]:
    """Tokens for F1 / ROUGE-L: citation markers, punctuation and whitespace dropped; characters for 'zh',
    lower-cased words (each CJK character its own token) for 'en'."""
    text = unicodedata.normalize("NFKC", strip_citations(text)).lower()
    if lang == "en":
        return _EN_TOKEN.findall(text)
    return [c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")]


def _f(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def char_f1(prediction: str, reference: str, lang: str | None = None) -> float:
    """Bag-of-tokens F1 (characters for Chinese, words for English references)."""
    lang = lang or language(reference)
    pred, ref = tokens(prediction, lang), tokens(reference, lang)
    if not pred or not ref:
        return 0.0
    overlap = sum((Counter(pred) & Counter(ref)).values())
    return _f(overlap / len(pred), overlap / len(ref))


def lcs_length(a: Sequence[str], b: Sequence[str]) -> int:
    if len(a) < len(b):
        a, b = b, a
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1]))
        prev = cur
    return prev[-1]


def rouge_l(prediction: str, reference: str, lang: str | None = None) -> float:
    """ROUGE-L F1: longest common subsequence of tokens over prediction and reference lengths."""
    lang = lang or language(reference)
    pred, ref = tokens(prediction, lang), tokens(reference, lang)
    if not pred or not ref:
        return 0.0
    lcs = lcs_length(pred, ref)
    return _f(lcs / len(pred), lcs / len(ref))


def answer_sentences(answer: str) -> list[str]:
    """Cut an answer after sentence-ending punctuation (with any citation group right after it) and after
    every [n] group, but not inside a quotation (“……。……。”[1] is one sentence, cited once) nor at a ； the next
    clause goes on from; pieces with no word character are dropped."""
    text = answer or ""
    pieces: list[str] = []
    at = 0
    for m in [*_BOUNDARY.finditer(text), None]:
        if m and m.group() == "；" and goes_on(text, at, m.start(), m.end()):
            continue  # one sentence as the passages read it: 责令改正；拒不改正的，处…罚款
        end = m.end() if m else len(text)
        piece, at = text[at:end], end
        if pieces and (_open_quote(pieces[-1]) and "\n" not in piece  # a quotation left open ends with its line
                       or _MARKER.fullmatch(pieces[-1].strip())):  # a list item's number (1. 启动…) opens it
            pieces[-1] += piece
        else:
            pieces.append(piece)
    return [p.strip() for p in pieces if tokens(p, "zh")]


def _open_quote(piece: str) -> bool:
    """A piece that opens a quotation it does not close, and is not ended by a citation: the sentence goes on."""
    return not _CITED_END.search(piece) and any(
        piece.count(a) > piece.count(b) for a, b in _QUOTES)


def supports(passage: dict[str, Any], evidence: Iterable[str], key_facts: Iterable[str] = ()) -> bool:
    """A passage supports a question when its heading or text contains one of the evidence strings, or the part
    of one that a passage boundary left it (the evidence's start at the text's end, or its end at the text's
    start) when that part holds every key fact: the context around an answer may run into the next passage."""
    fields = [normalize(passage.get("text")), normalize(passage.get("heading"))]
    facts = [f for f in map(normalize, key_facts) if f]
    for e in filter(None, map(normalize, evidence)):
        if any(e in f for f in fields):
            return True
        if facts and all(f in fields[0] for f in facts) and _cut_holds(e, fields[0], facts):
            return True
    return False


def _cut_holds(evidence: str, text: str, facts: list[str]) -> bool:
    """Whether the text ends with a start of the evidence, or starts with an end of it, that holds every fact."""
    if not all(f in evidence for f in facts):
        return False
    # A start holds a fact when it reaches past the fact's first place; an end, when it begins by its last place.
    shortest = max(evidence.find(f) + len(f) for f in facts)
    latest = min(evidence.rfind(f) for f in facts)
    longest = min(len(evidence) - 1, len(text))
    return (any(text.endswith(evidence[:n]) for n in range(longest, shortest - 1, -1))
            or any(text.startswith(evidence[n:]) for n in range(max(1, len(evidence) - len(text)), latest + 1)))


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0-100) with linear interpolation between closest ranks (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return None
    pos = (len(xs) - 1) * q / 100
    lo, hi = math.floor(pos), math.ceil(pos)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


# -- scoring ------------------------------------------------------------------------------------------------
def score_record(record: dict[str, Any]) -> tuple[dict[str, Any], list[str], list[str]]:
    """Per-question scores, failures and notes for one record (the `rag ask --json` fields plus "type",
    "expected", "evidence", "must_contain"). Metrics that do not apply are None.

    Failures make a question count as failed (abstained, did not abstain, missing key fact, no supporting
    citation, uncited sentences, error); notes only explain a lower score (unsupported extra citations,
    evidence ranked below 5)."""
    answerable = is_answerable(record)
    evidence = record.get("evidence") or []
    facts = list(record.get("must_contain") or [])
    abstained = bool(record.get("abstained"))
    answer = record.get("answer") or ""
    citations = record.get("citations") or []
    retrieved = record.get("retrieved") or []
    s: dict[str, Any] = {
        "answerable": answerable, "abstained": abstained, "abstention_correct": abstained != answerable,
        "first_support_rank": None, "hit@1": None, "hit@5": None, "rr@10": None,
        "key_fact": None, "missing_facts": [], "char_f1": None, "rouge_l": None,
        "citation_precision": None, "supported_citations": [], "citation_hit": None,
        "sentences": 0, "cited_sentences": 0, "cited_sentence_share": None,
        **generation_scores(record),
    }
    failures: list[str] = []
    notes: list[str] = []
    if record.get("error"):
        failures.append(f"error: {record['error']}")

    if not abstained:
        sents = [x for x in answer_sentences(answer) if not says_not_found(x)]  # a question it could not answer
        s["sentences"] = len(sents)
        s["cited_sentences"] = sum(1 for x in sents if CITATION.search(x))
        if sents:
            s["cited_sentence_share"] = s["cited_sentences"] / len(sents)

    if not answerable:
        if not abstained and not record.get("error"):
            failures.append("did not abstain")
        return s, failures, notes

    if evidence:
        ranks = [i for i, p in enumerate(retrieved, 1) if supports(p, evidence, facts)]
        first = ranks[0] if ranks else None
        s["first_support_rank"] = first
        s["hit@1"] = float(first is not None and first <= 1)
        s["hit@5"] = float(first is not None and first <= 5)
        s["rr@10"] = 1.0 / first if first is not None and first <= MRR_DEPTH else 0.0
        if not s["hit@5"]:
            notes.append(f"evidence not in the {len(retrieved)} retrieved" if first is None
                         else f"evidence first retrieved at rank {first}")

    if abstained:
        failures.append("abstained")
        s.update(key_fact=0.0, missing_facts=facts)
        if record.get("expected"):
            s.update(char_f1=0.0, rouge_l=0.0)
        if evidence:
            s["citation_hit"] = 0.0
        return s, failures, notes

    got = normalize(strip_citations(answer))
    missing = [m for m in facts if normalize(m) not in got]
    s["missing_facts"] = missing
    s["key_fact"] = float(not missing and not record.get("error"))
    if missing:
        failures.append(f"missing key fact{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
    if expected := record.get("expected") or "":  # a question set may give no reference answer
        s["char_f1"] = char_f1(answer, expected)
        s["rouge_l"] = rouge_l(answer, expected)
    if evidence:
        good = [c.get("n") for c in citations if supports(c, evidence, facts)]
        s["supported_citations"] = good
        s["citation_precision"] = len(good) / len(citations) if citations else 0.0
        s["citation_hit"] = float(bool(good))
        if not good:
            failures.append("no supporting citation" if citations else "no citation")
        elif len(good) < len(citations):
            notes.append(f"{len(citations) - len(good)} of {len(citations)} citations do not support")
    if s["sentences"] > s["cited_sentences"]:
        failures.append(f"{s['sentences'] - s['cited_sentences']} of {s['sentences']} sentences without citation")
    return s, failures, notes


def _mean(values: Iterable[float | None]) -> float | None:
    xs = [float(v) for v in values if v is not None]
    return sum(xs) / len(xs) if xs else None


def summarize(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Average the per-question scores of scored records (see the module docstring for each metric's base)."""
    ans = [r for r in records if r["scores"]["answerable"]]
    una = [r for r in records if not r["scores"]["answerable"]]
    answered = [r for r in records if not r["scores"]["abstained"]]
    sents = sum(r["scores"]["sentences"] for r in answered)
    latencies = [r["latency_ms"] for r in records if r.get("latency_ms") is not None]
    sc = lambda rows, key: _mean(r["scores"][key] for r in rows)  # noqa: E731
    return {
        "n": len(records),
        "n_answerable": len(ans),
        "n_unanswerable": len(una),
        "n_with_evidence": sum(r["scores"]["hit@1"] is not None for r in ans),  # what retrieval is scored on
        "n_with_reference": sum(bool(r.get("expected")) for r in ans),
        "hit@1": sc(ans, "hit@1"),
        "hit@5": sc(ans, "hit@5"),
        "mrr@10": sc(ans, "rr@10"),
        "key_fact_accuracy": sc(ans, "key_fact"),
        "char_f1": sc(ans, "char_f1"),
        "rouge_l": sc(ans, "rouge_l"),
        "citation_precision": sc(ans, "citation_precision"),
        "citation_recall": sc(ans, "citation_hit"),
        "cited_sentence_share": sum(r["scores"]["cited_sentences"] for r in answered) / sents if sents else None,
        "correct_abstention": _mean(float(r["scores"]["abstained"]) for r in una),
        "false_abstention": _mean(float(r["scores"]["abstained"]) for r in ans),
        "abstention_accuracy": _mean(float(r["scores"]["abstention_correct"]) for r in records),
        "latency_p50_ms": percentile(latencies, 50),
        "latency_p95_ms": percentile(latencies, 95),
        **summarize_generation(records),
    }


def generation_scores(record: dict[str, Any]) -> dict[str, Any]:
    """Counts of a generated answer's checked sentences (None when the record was not generated)."""
    if not record.get("generated"):
        return {"draft_sentences": None, "draft_unsupported": None, "shown_sentences": None,
                "shown_unsupported": None, "fell_back": None}
    draft = record.get("draft") or []
    shown = [] if record.get("abstained") else record.get("sentences") or []
    return {"draft_sentences": len(draft), "draft_unsupported": sum(not d["supported"] for d in draft),
            "shown_sentences": len(shown), "shown_unsupported": sum(not d["supported"] for d in shown),
            "fell_back": bool(record.get("fell_back"))}


def summarize_generation(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """unsupported_before, unsupported_after and fallback_share over generated records (None without any)."""
    gen = [r["scores"] for r in records if r["scores"].get("fell_back") is not None]
    if not gen:
        return {"unsupported_before": None, "unsupported_after": None, "fallback_share": None}
    drafted, shown = sum(g["draft_sentences"] for g in gen), sum(g["shown_sentences"] for g in gen)
    return {
        "unsupported_before": sum(g["draft_unsupported"] for g in gen) / drafted if drafted else None,
        "unsupported_after": sum(g["shown_unsupported"] for g in gen) / shown if shown else None,
        "fallback_share": sum(g["fell_back"] for g in gen) / len(gen),
    }


def summarize_by_type(records: Sequence[dict[str, Any]], field: str = "type") -> dict[str, dict[str, Any]]:
    """summarize() per value of a field (the question type by default), in order of first appearance."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        groups.setdefault(str(r.get(field) or "untyped"), []).append(r)
    return {t: summarize(rows) for t, rows in groups.items()}


def summarize_by_case(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """summarize() per "case" (absent-topic, missing-fact, ...); a question without one counts as "answerable" or
    "unanswerable"; empty when no record has a case."""
    if not any(r.get("case") for r in records):
        return {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        default = "answerable" if r["scores"]["answerable"] else "unanswerable"
        groups.setdefault(str(r.get("case") or default), []).append(r)
    return {c: summarize(rows) for c, rows in groups.items()}


# -- running ------------------------------------------------------------------------------------------------
@dataclass
class EvalRun:
    """One evaluation: per-question records, the summary, the summary per question type, and context."""

    records: list[dict[str, Any]]
    summary: dict[str, Any]
    by_type: dict[str, dict[str, Any]]
    k: int
    by_case: dict[str, dict[str, Any]] = field(default_factory=dict)
    mode: str = ""
    model: str = ""
    questions_path: str = ""
    started: str = ""
    seconds: float = 0.0
    chart_path: Path | None = None
    report_path: Path | None = None
    output_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def failures(self) -> list[dict[str, Any]]:
        """Records of failed questions (at least one failure)."""
        return [r for r in self.records if r.get("failures")]


def eval_k(pipeline: Pipeline, k: int | None = None) -> int:
    """The k an evaluation asks with: the one given, else at least EVAL_K (so MRR@10 sees 10 passages)."""
    if k is not None:
        if k < 1:
            raise UsageError(f"--k must be at least 1, got {k}.")
        return k
    return max(pipeline.settings.k, EVAL_K)


def evaluate(pipeline: Pipeline, questions: Sequence[dict[str, Any]], k: int | None = None,
             progress: Callable[[int, int], None] | None = None, *, questions_path: str | Path = "") -> EvalRun:
    """Ask every question exactly as the chat does (``pipeline.ask(question, k=k, history=...)``) and score it.

    k defaults to max(settings.k, 10). progress(done, total) is called before the first question and after each.
    """
    k = eval_k(pipeline, k)
    started = datetime.now().astimezone()
    t0 = time.perf_counter()
    pipeline.warm()  # loading the model is not the first question's latency
    total = len(questions)
    if progress:
        progress(0, total)
    records = []
    for done, q in enumerate(questions, 1):
        q = {"id": str(done), **q}  # a question list built in memory may carry no id
        t = time.perf_counter()
        try:
            result = pipeline.ask(q["question"], k=k, history=list(q.get("history") or []))
            out = {**result.to_json(), **generation_record(pipeline, result)}
        except UsageError as e:  # a question the pipeline refuses (e.g. too long) fails alone
            out = {"question": q["question"], "answer": "", "abstained": False, "citations": [], "retrieved": [],
                   "error": str(e)}
        latency = (time.perf_counter() - t) * 1000
        record = {
            "id": str(q["id"]), "type": q.get("type", ""), "case": q.get("case", ""),
            "history": list(q.get("history") or []), **out,
            "expected": q.get("answer", ""), "evidence": list(q.get("evidence") or []),
            "must_contain": list(q.get("must_contain") or []), "latency_ms": round(latency, 1),
        }
        record["scores"], record["failures"], record["notes"] = score_record(record)
        records.append(record)
        if progress:
            progress(done, total)
    return EvalRun(
        records=records, summary=summarize(records), by_type=summarize_by_type(records), k=k,
        by_case=summarize_by_case(records),
        mode=pipeline.settings.mode, model=_model_name(pipeline), questions_path=str(questions_path),
        started=started.isoformat(timespec="seconds"), seconds=time.perf_counter() - t0,
    )


def generation_record(pipeline: Pipeline, result: Any) -> dict[str, Any]:
    """What a record needs to score generation: the model's own sentences as checked and whether it fell back."""
    if getattr(pipeline.settings, "llm", "extractive") == "extractive":
        return {}
    return {"generated": True, "fell_back": result.answer.fell_back, "judged": result.answer.judged,
            "judge_score": result.answer.judge_score,
            "draft": [{"text": s.text, "citations": s.citations, "supported": s.supported, "reason": s.reason}
                      for s in result.answer.draft]}


def _model_name(pipeline: Pipeline) -> str:
    name = getattr(pipeline.settings, "llm", "extractive")
    llm = "" if name == "extractive" else f", answers by {name}"
    try:
        return str(pipeline.status().get("model") or pipeline.settings.embedding_model) + llm
    except Exception:  # noqa: BLE001 - a label only
        return pipeline.settings.embedding_model + llm
