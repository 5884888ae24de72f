"""`rag fit`: fit the scoring models on labelled questions over an index, and write the scoring file.

Three logistic regressions (scikit-learn, only here) over the features rag/features.py computes at ask time:
which passage holds the answer (label: it contains an evidence string), which sentence answers (label: it
contains a key fact), whether the question is answerable (label: its type/case). Each later model is trained on
the earlier ones' out-of-fold outputs (grouped folds: an article, or a question, never on both sides), so it sees
them as they will be on unseen questions. The abstention threshold is the one that abstains most on unanswerable
questions while abstaining on at most --max-false-abstention of the answerable ones (out of fold); how many
sentences to quote is the grid point with the best key-fact accuracy plus citation precision.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .answer import Answerer, pick, sigmoid
from .evaluate import is_answerable, load_questions, normalize, supports
from .features import (PASSAGE_FEATURES, QUESTION_FEATURES, SENTENCE_FEATURES, Sentences, passage_features,
                       question_features, sentence_features)
from .question import Question
from .retrieval import Hit, rank
from .scoring import Linear, Scoring
from .terms import Terms

ONE = np.ones(1)  # sentence "vectors" are kept as their cosine with the question: v @ ONE is that cosine
POOL = 30  # passages gathered per question; the fitted pool is chosen at or below it
ANSWER_DEPTH = 10  # the passages whose sentences are scored (Pipeline.ask)
KEEP_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
POOL_GRID = (10, 15, 20, 30)
C_GRID = (0.003, 0.01, 0.03, 0.1, 1.0)


@dataclass
class Sample:
    """One labelled question and what retrieval gathered for it (cosines instead of vectors)."""

    id: str
    group: str  # questions of one group (an article) stay on one side of every fold
    dataset: str
    question: Question
    terms: Terms
    pool: list[Hit]
    sentences: Sentences
    answerable: bool
    evidence: list[str]
    must_contain: list[str]
    case: str = ""


def collect(pipeline: Any, questions: Sequence[dict[str, Any]], dataset: str,
            group: Callable[[dict[str, Any]], str] = lambda q: str(q["id"]),
            progress: Callable[[int, int], None] | None = None) -> list[Sample]:
    """Gather every question's evidence exactly as Pipeline.ask does, and keep what fitting needs."""
    out = []
    for i, q in enumerate(questions, 1):
        asked = pipeline.ready().read(q["question"], q.get("history") or [])
        g = pipeline.gather(asked, POOL, pipeline.settings.mode)
        sents = {cid: [(t, np.asarray([float(v @ g.qvec)])) for t, v in rows] for cid, rows in g.sentences.items()}
        pool = [Hit(h.chunk_id, h.text, h.meta, h.score, h.dense, h.bm25, h.rank) for h in g.pool]
        out.append(Sample(str(q["id"]), group(q), dataset, asked, g.terms, pool, sents, is_answerable(q),
                          list(q.get("evidence") or []), list(q.get("must_contain") or []), q.get("case", "")))
        if progress:
            progress(i, len(questions))
    return out


# -- labels ---------------------------------------------------------------------------------------------------
def passage_label(s: Sample, h: Hit) -> bool:
    return s.answerable and supports({"text": h.text, "heading": h.meta.get("heading", "")}, s.evidence,
                                     s.must_contain)


def sentence_label(s: Sample, text: str) -> bool:
    t = normalize(text)
    return s.answerable and any(normalize(m) in t for m in s.must_contain)


# -- applying a (partial) scoring to samples ------------------------------------------------------------------
def ranked_hits(s: Sample, model: Linear, pool: int) -> list[Hit]:
    hits = [Hit(h.chunk_id, h.text, h.meta, h.score, h.dense, h.bm25, h.rank) for h in s.pool[:pool]]
    return rank(model, s.question, s.terms, ONE, hits, s.sentences)


@dataclass
class Outcome:
    """What the pipeline would do for one sample under a scoring."""

    hits: list[Hit]
    chosen: list[str]
    chosen_hits: list[Hit]
    answerable: float
    cross: bool = False  # asked in another language than its best sentence's passage


def simulate(s: Sample, scoring: Scoring) -> Outcome:
    hits = ranked_hits(s, scoring.passage, scoring.pool)
    answerer = Answerer(scoring)
    scored = answerer.score(s.question, s.terms, ONE, hits[:ANSWER_DEPTH], s.sentences)
    chosen = answerer.choose(s.question, scored)
    return Outcome(hits, [c.text for c in chosen], [c.hit for c in chosen], scored.answerable, scored.cross)


def metrics(samples: Sequence[Sample], scoring: Scoring, k: int = 10,
            outcomes: Sequence[Outcome] | None = None) -> dict[str, float | None]:
    """hit@1, hit@5, key-fact accuracy, citation precision, correct abstention (all and per case), false
    abstention, as `rag eval` computes them (over the top k); outcomes, when given, are the samples' simulated
    under this scoring already."""
    rows: dict[str, list[float]] = {}
    add = lambda key, v: rows.setdefault(key, []).append(float(v))  # noqa: E731
    for s, o in zip(samples, outcomes if outcomes is not None else (simulate(s, scoring) for s in samples)):
        abstained = not o.chosen or o.answerable < scoring.threshold_for(o.cross)
        if not s.answerable:
            add("correct_abstention", abstained)
            if s.case:
                add(f"correct_abstention[{s.case}]", abstained)
            continue
        add("false_abstention", abstained)
        if s.evidence:
            first = next((r for r, h in enumerate(o.hits[:k], 1) if passage_label(s, h)), None)
            add("hit@1", first == 1)
            add("hit@5", first is not None and first <= 5)
        text = normalize("".join(o.chosen))
        add("key_fact_accuracy", not abstained and all(normalize(m) in text for m in s.must_contain))
        if not abstained and s.evidence:
            cited = {h.chunk_id: h for h in o.chosen_hits}.values()
            add("citation_precision", sum(passage_label(s, h) for h in cited) / max(1, len(cited)))
    return {key: sum(v) / len(v) for key, v in sorted(rows.items())}


# -- fitting ---------------------------------------------------------------------------------------------------
def _fit_linear(x: np.ndarray, y: np.ndarray, w: np.ndarray, names: tuple[str, ...], use: Sequence[str],
                c: float) -> Linear:
    from sklearn.linear_model import LogisticRegression

    cols = [names.index(f) for f in use]
    xs = x[:, cols]
    mean, scale = xs.mean(axis=0), xs.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, max_iter=2000)
    lr.fit((xs - mean) / scale, y, sample_weight=w)
    return Linear(tuple(use), mean, scale, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]))


def _log_loss(z: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    p = np.clip(sigmoid(z), 1e-9, 1 - 1e-9)
    return float(-(w * (y * np.log(p) + (1 - y) * np.log(1 - p))).sum() / w.sum())


def _stage(rows: dict[str, np.ndarray], labels: dict[str, np.ndarray], samples: dict[str, Sample],
           weight: dict[str, float], names: tuple[str, ...], use: Sequence[str], grid: Sequence[float] = C_GRID,
           n_folds: int = 5) -> tuple[Linear, dict[str, np.ndarray], float]:
    """Fit one model on per-sample rows (C chosen by grouped cross-validation); return it, every sample's
    out-of-fold logits, and C. A group (an article) never straddles two folds."""
    import zlib

    ids = list(rows)
    x = np.vstack([rows[i] for i in ids])
    y = np.concatenate([labels[i] for i in ids]).astype(float)
    w = np.concatenate([np.full(len(rows[i]), weight[samples[i].dataset]) for i in ids])
    fold = np.concatenate([np.full(len(rows[i]), zlib.crc32(samples[i].group.encode()) % n_folds) for i in ids])
    best: tuple[float, float, np.ndarray] | None = None
    for c in grid:
        z = np.zeros(len(y))
        for f in range(n_folds):
            test, train = fold == f, fold != f
            if test.any() and len(set(y[train].tolist())) == 2:
                z[test] = _fit_linear(x[train], y[train], w[train], names, use, c).logit(x[test], names)
        loss = _log_loss(z, y, w)
        if best is None or loss < best[0]:
            best = (loss, c, z)
    assert best is not None
    _, c, z = best
    bounds = np.cumsum([len(rows[i]) for i in ids])[:-1]
    return _fit_linear(x, y, w, names, use, c), dict(zip(ids, np.split(z, bounds))), c


def _weights(samples: Sequence[Sample]) -> dict[str, float]:
    """A question of a small dataset weighs more, by the square root of the size ratio: the shipped set's style
    counts without its few questions deciding alone."""
    counts: dict[str, int] = {}
    for s in samples:
        counts[s.dataset] = counts.get(s.dataset, 0) + 1
    top = max(counts.values())
    return {d: math.sqrt(top / n) for d, n in counts.items()}


def fit(samples: Sequence[Sample], use: dict[str, Sequence[str]] | None = None, max_false_abstention: float = 0.05,
        pool: int | None = None, c: dict[str, float] | None = None,
        log: Callable[[str], None] = lambda m: None, threshold_sets: set[str] | None = None) -> Scoring:
    """Fit the three models and the choices on the samples (c: a fixed regularisation per model, else chosen by
    cross-validation; threshold_sets: the datasets whose questions choose the threshold, else all)."""
    grid = lambda stage: (c[stage],) if c and stage in c else C_GRID  # noqa: E731
    use = {"passage": PASSAGE_FEATURES, "sentence": SENTENCE_FEATURES, "answerable": QUESTION_FEATURES,
           **(use or {})}
    weight = _weights(samples)
    by_id = {s.id: s for s in samples}
    if len(by_id) != len(samples):
        raise ValueError("question ids must be unique across the fitting sets")

    # 1. passages: which of the gathered passages holds the evidence (answerable questions)
    prow = {s.id: passage_features(s.question, s.terms, ONE, s.pool, s.sentences) for s in samples}
    plab = {s.id: np.asarray([passage_label(s, h) for h in s.pool]) for s in samples}
    train = {i: prow[i] for i in prow if by_id[i].answerable and by_id[i].evidence and len(prow[i])}
    passage, poof, c_passage = _stage(train, plab, by_id, weight, PASSAGE_FEATURES, use["passage"], grid("passage"))
    log(f"passage model: {sum(map(len, train.values()))} passages of {len(train)} questions, C={c_passage}")
    plogit = {i: poof.get(i, passage.logit(prow[i], PASSAGE_FEATURES)) for i in prow}

    # 2. pool size: the smallest that keeps the best hit@1 (out of fold)
    def hit1(p: int) -> float:
        got = [plab[i][int(np.argmax(plogit[i][:p]))] for i in train]
        return float(np.mean(got))

    if pool is None:
        by_pool = {p: hit1(p) for p in POOL_GRID}
        pool = min(p for p, v in by_pool.items() if v >= max(by_pool.values()) - 0.002)
        log("hit@1 by pool size (out of fold): " + ", ".join(f"{p}: {v:.3f}" for p, v in by_pool.items()))

    # 3. sentences of the top passages: which holds a key fact (answerable questions with such a sentence)
    cands: dict[str, list[Any]] = {}
    srow: dict[str, np.ndarray] = {}
    for s in samples:
        z = plogit[s.id][:pool]
        hits = [Hit(h.chunk_id, h.text, h.meta, float(v), h.dense, h.bm25, h.rank) for h, v in zip(s.pool, z)]
        hits = sorted(hits, key=lambda h: -h.score)[:ANSWER_DEPTH]
        cands[s.id], srow[s.id] = sentence_features(s.question, s.terms, ONE, hits, [h.score for h in hits],
                                                    s.sentences)
    slab = {i: np.asarray([sentence_label(by_id[i], c.text) for c in cands[i]]) for i in cands}
    train = {i: srow[i] for i in srow if by_id[i].answerable and slab[i].any()}
    sentence, soof, c_sentence = _stage(train, slab, by_id, weight, SENTENCE_FEATURES, use["sentence"],
                                        grid("sentence"))
    log(f"sentence model: {sum(map(len, train.values()))} sentences of {len(train)} questions, C={c_sentence}")
    ranked: dict[str, list[Any]] = {}
    for i, cs in cands.items():
        z = soof.get(i, sentence.logit(srow[i], SENTENCE_FEATURES))
        for cnd, v in zip(cs, z):
            cnd.score = float(v)
        ranked[i] = sorted(cs, key=lambda cnd: -cnd.score)

    # 4. answerable: every question
    qrow = {s.id: question_features(s.question, s.terms, ranked[s.id], sorted(plogit[s.id][:pool])[::-1])
            for s in samples}
    qlab = {s.id: np.asarray([s.answerable]) for s in samples}
    answerable, qoof, c_answerable = _stage(qrow, qlab, by_id, weight, QUESTION_FEATURES, use["answerable"],
                                            grid("answerable"))
    ids = list(qrow)
    p = sigmoid(np.concatenate([qoof[i] for i in ids]))
    y = np.asarray([by_id[i].answerable for i in ids])
    w = np.asarray([weight[by_id[i].dataset] for i in ids])
    # A question asked in another language than its passages (English of a Chinese text) is cut apart: its
    # scores sit lower, and one cut for both would trade one language's abstentions for the other's.
    # Each group needs both kinds of question to be cut apart; else one cut is chosen on all of them.
    cross = np.asarray([bool(qrow[i][0, QUESTION_FEATURES.index("cross_language")]) for i in ids])
    apart = all(len(set(y[g].tolist())) == 2 for g in (cross, ~cross))
    same = ~cross if apart else np.ones(len(ids), dtype=bool)
    if threshold_sets:
        same &= np.asarray([by_id[i].dataset in threshold_sets for i in ids])
        if not same.any():
            raise ValueError(f"no fitting question of {sorted(threshold_sets)} chooses the threshold")
    threshold = choose_threshold(p[same], y[same], w[same], max_false_abstention)
    cross_threshold = choose_threshold(p[cross], y[cross], w[cross], max_false_abstention) if apart else None
    log(f"answerable model: {len(ids)} questions ({int((~y).sum())} unanswerable), C={c_answerable}; "
        f"threshold {threshold:.3f}" + (f", {cross_threshold:.3f} across languages ({int(cross.sum())} questions)"
                                        if cross_threshold is not None else ""))

    # 5. how many sentences to quote: best key-fact accuracy plus citation precision (out of fold)
    targets = [s for s in samples if s.answerable and s.must_contain]
    best = None
    for keep in KEEP_GRID:
        for m_fact in (1, 2, 3):
            for m_list in range(m_fact, 6):
                kf, cp, ww = [], [], []
                for s in targets:
                    chosen = pick(s.question, ranked[s.id], m_list if s.question.is_list else m_fact, keep)
                    text = normalize("".join(x.text for x in chosen))
                    kf.append(float(bool(chosen) and all(normalize(m) in text for m in s.must_contain)))
                    cited = list({x.hit.chunk_id: x.hit for x in chosen}.values())
                    cp.append(sum(passage_label(s, h) for h in cited) / max(1, len(cited)))
                    ww.append(weight[s.dataset])
                value = float(np.average(kf, weights=ww) + np.average(cp, weights=ww))
                if best is None or value > best[0] + 1e-9:
                    best = (value, keep, m_fact, m_list, float(np.average(kf, weights=ww)),
                            float(np.average(cp, weights=ww)))
    assert best is not None
    _, keep, m_fact, m_list, kf_v, cp_v = best
    log(f"quote: keep {keep}, at most {m_fact} sentences ({m_list} for a list); key-fact {kf_v:.3f}, "
        f"citation precision {cp_v:.3f} (out of fold)")
    about = {"questions": len(samples), "unanswerable": sum(not s.answerable for s in samples),
             "datasets": {d: sum(s.dataset == d for s in samples) for d in weight},
             "max_false_abstention": max_false_abstention,
             "C": {"passage": c_passage, "sentence": c_sentence, "answerable": c_answerable}}
    return Scoring(passage, sentence, answerable, threshold, keep, m_list, m_fact, pool, about, cross_threshold)


def choose_threshold(p: np.ndarray, answerable: np.ndarray, w: np.ndarray, max_false: float) -> float:
    """The P(answerable) cut that abstains on the most unanswerable questions while abstaining on at most
    max_false of the answerable ones (both weighted)."""
    pa, wa = p[answerable], w[answerable]
    pu, wu = p[~answerable], w[~answerable]
    best_t, best_v = 0.0, -1.0
    for t in sorted(set(np.round(p, 4).tolist()) | {0.0}):
        false = float(wa[pa < t].sum() / wa.sum()) if len(pa) else 0.0
        if false > max_false:
            break
        correct = float(wu[pu < t].sum() / wu.sum()) if len(pu) else 0.0
        if correct - false > best_v:
            best_t, best_v = t, correct - false
    return float(best_t)


# -- the command ------------------------------------------------------------------------------------------------
def run_cli(settings: Any, args: Any) -> int:
    """`rag fit --questions FILE --store DIR [...] --output FILE`: collect, fit, write, print the choices."""
    from tqdm import tqdm

    from .config import load_settings
    from .errors import UsageError
    from .pipeline import Pipeline

    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise UsageError("Fitting needs scikit-learn: pip install -e '.[fit]'") from None
    qfiles, stores = list(args.questions), list(args.stores or [settings.store])
    if len(stores) == 1 and len(qfiles) > 1:
        stores = stores * len(qfiles)
    if len(stores) != len(qfiles):
        raise UsageError("Give one --store per --questions file (or one store for all of them).")
    sets = [(q, load_questions(q), s) for q, s in zip(qfiles, stores)]  # bad files fail before the model loads
    samples: list[Sample] = []
    for qpath, questions, store in sets:
        pipe = Pipeline(load_settings(store=store))
        bar = tqdm(total=len(questions), unit="q", desc=f"gathering {Path(qpath).name}", file=sys.stderr)
        samples += collect(pipe, questions, Path(qpath).stem,
                           progress=lambda done, total: bar.update(done - bar.n))
        bar.close()
    if sum(not s.answerable for s in samples) == 0 or all(not s.answerable for s in samples):
        raise UsageError("Fitting needs both answerable and unanswerable questions (type \"unanswerable\").")
    scoring = fit(samples, max_false_abstention=args.max_false_abstention, log=print)
    scoring.about["late_chunking"] = settings.late_chunking  # the sentence vectors the features were read from
    out = Path(args.output)
    scoring.save(out)
    m = metrics(samples, scoring)
    print("On the fitting questions (in sample): " + ", ".join(
        f"{k} {v:.3f}" for k, v in m.items() if v is not None and not math.isnan(v)))
    print(f"Wrote {out}. Use it with RAG_SCORING={out} (rag ask / chat / eval).")
    return 0
