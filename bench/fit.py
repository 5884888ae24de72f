"""Fit rag/scoring.json on the fitting half of both question sets, and measure it on the held-out half.

    python bench/fit.py [--extra-builds 1,2] [--held-out-builds 3,4] [--ablate] [--leave-out WORDS]
                        [--probes] [--threshold-on DATASETS] [--output rag/scoring.json]

Fitting data (bench/splits.py): the seed set's fitting half over seeds/, the CMRC questions of the fitting half of
the articles over the CMRC corpus, a sample of them translated into English (bench/cmrc-en) over the same corpus,
and (--extra-builds) more CMRC splits rebuilt by the benchmark's build.py from the fitting articles only, with
other seeds and half of the articles missing a sentence (more missing-fact examples); with --probes, the dev half of
the made-up users' documents (bench/probes), whose held-out half is reported as "probes" either way.
No held-out article is in any of them. Then it prints the held-out figures of the fitted scoring, how well its
P(answerable) separates the held-out questions apart from where the threshold sits (ROC AUC, and abstention at a
5 % held-out false-abstention cut: compare two refits there), and with
--ablate the held-out figures with each group of features left out (eval-out/ablation.md). The trial set's held-out
half has only 43 missing-fact questions; --held-out-builds rebuilds the held-out articles with other seeds (more
missing-fact and absent-topic questions, no fitting article), reported apart as "cmrc-built".

Those figures are simulated from the fitted models alone (the chosen sentences are the answer). `rag eval` answers
some questions with more (a section's digest, an article's byline), so its key-fact accuracy reads higher: compare
scoring files with bench/quality.py and RAG_SCORING=FILE, not with a figure printed here.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.probes import PROBES, WALKS
from bench.splits import (CMRC, CMRC_EN_QUESTIONS, ROOT, SEED_QUESTIONS, SEEDS, article_held_out,  # noqa: E402
                          cmrc_article, cmrc_side, seed_side)
from rag.config import load_settings  # noqa: E402
from rag.evaluate import load_questions  # noqa: E402
from rag.features import PASSAGE_FEATURES, QUESTION_FEATURES, SENTENCE_FEATURES  # noqa: E402
from rag.fit import Outcome, Sample, collect, fit, metrics, simulate  # noqa: E402

# Feature groups left out one at a time by --ablate: (name, {model: features removed}).
ABLATIONS: list[tuple[str, dict[str, set[str]]]] = [
    ("no passage re-ranking (fused rank order)", {"passage": set(PASSAGE_FEATURES) - {"fused"}}),
    ("− max-sentence similarity (ranking)", {"passage": {"max_sentence", "max_sentence_gap"}}),
    ("− coverage gaps to the pool's best (ranking)", {"passage": {"heading_gap", "text_gap", "specific_gap",
                                                                  "bigram_gap"}}),
    ("− character pairs", {"passage": {"best_bigram", "bigram_gap"}, "sentence": {"bigram", "bigram_gap"},
                           "answerable": {"bigram_top", "bigram_best"}}),
    ("− title/heading coverage", {"passage": {"heading_cov", "heading_gap"}, "sentence": {"heading_cov"}}),
    ("− BM25 score (ranking)", {"passage": {"bm25", "bm25_found"}}),
    ("− answer-type match", {"passage": {"type_any"},
                             "sentence": {"type_ok", "type_lack", "lack_number_date", "type_exact"},
                             "answerable": {"lack_number", "lack_date", "lack_person", "lack_place", "lack_reason",
                                            "type_exact_near", "checkable"}}),
    ("− words beyond the title", {"passage": {"best_specific", "specific_gap"},
                                  "sentence": {"specific", "specific_gap"},
                                  "answerable": {"specific_top", "specific_best", "specific_passage"}}),
    ("− lexical coverage (sentence)", {"sentence": {"lex", "lex_context", "lex_gap"}}),
    ("− focus word", {"sentence": {"focus_in", "focus_lack"}, "answerable": {"focus_missing"}}),
    ("− names/terms unknown to the corpus", {"answerable": {"unknown", "names_unknown"}}),
    ("− names/terms missing from the passage", {"answerable": {"names_missing_passage", "missing_passage"},
                                                "sentence": {"names_in"}}),
]
SHOWN = ["hit@1", "hit@5", "key_fact_accuracy", "correct_abstention[absent-topic]",
         "correct_abstention[missing-fact]", "correct_abstention", "false_abstention"]


def pipeline_for(store: Path, corpus: Path) -> Any:
    from rag.config import load_settings
    from rag.pipeline import Pipeline

    t = time.perf_counter()
    rep = Pipeline(load_settings(store=store)).ingest([corpus])
    print(f"store {store}: {rep.chunks} passages, {rep.embedded} embedded ({time.perf_counter() - t:.0f} s)",
          flush=True)
    return Pipeline(load_settings(store=store))


def cmrc_group(q: dict[str, Any]) -> str:
    return cmrc_article(q["id"])


def extra_build(seed: int, work: Path, side: str = "fit") -> tuple[Path, Path]:
    """A CMRC split of one side's articles only, built by the benchmark's own build.py with another seed."""
    out = work / f"cmrc-{side}-build-{seed}"
    if not (out / "questions.jsonl").exists():
        data = json.loads((CMRC / "cmrc2018_trial.json").read_text(encoding="utf-8"))
        data["data"] = [a for a in data["data"] if article_held_out(a["paragraphs"][0]["id"]) == (side == "held-out")]
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / "fit-articles.json"
            src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            subprocess.run([sys.executable, str(CMRC / "build.py"), str(out), "--answerable", "100000",
                            "--unanswerable", "100000", "--missing-share", "0.5", "--seed", str(seed),
                            "--source", str(src)], check=True)
    return out / "corpus", out / "questions.jsonl"


def gather(side: str, extra: list[int], work: Path) -> list[Sample]:
    """Samples of one side of the split, and of extra builds of its articles (the held-out side's are a dataset
    of their own, "cmrc-built", so that the trial set's own figures stay comparable)."""
    samples: list[Sample] = []
    pipe = pipeline_for(work / "seed-rag", SEEDS)
    samples += collect(pipe, seed_side(load_questions(SEED_QUESTIONS), side), "seed")
    if CMRC.exists():
        pipe = pipeline_for(work / "cmrc-rag", CMRC / "corpus")
        samples += collect(pipe, cmrc_side(load_questions(CMRC / "questions.jsonl"), side), "cmrc", cmrc_group)
        for seed in extra:
            corpus, questions = extra_build(seed, work, side)
            qs = load_questions(questions)
            assert all(article_held_out(cmrc_article(q["id"])) == (side == "held-out") for q in qs)
            pipe = pipeline_for(work / f"cmrc-{side}-{seed}", corpus)
            samples += collect(pipe, [{**q, "id": f"{q['id']}@{seed}"} for q in qs],
                               "cmrc" if side == "fit" else "cmrc-built", cmrc_group)
    print(f"{side}: {len(samples)} questions ({sum(not s.answerable for s in samples)} unanswerable)", flush=True)
    return samples


def gather_english(side: str, work: Path) -> list[Sample]:
    """Samples of the English translations of one side's CMRC questions, asked of the Chinese corpus: without
    them no cross-language question is ever unanswerable to the fit."""
    if not CMRC.exists() or not CMRC_EN_QUESTIONS.exists():
        return []
    pipe = pipeline_for(work / "cmrc-rag", CMRC / "corpus")
    samples = collect(pipe, cmrc_side(load_questions(CMRC_EN_QUESTIONS), side), "cmrc-en", cmrc_group)
    print(f"{side}, English: {len(samples)} questions ({sum(not s.answerable for s in samples)} unanswerable)",
          flush=True)
    return samples


def gather_folder(root: Path, dataset: str, side: str, work: Path) -> list[Sample]:
    """Samples of made-up users' documents laid out as bench/probes is: `dev` on the fitting side, `held-out` on the
    other. Their questions are worded as users word them, which neither CMRC nor the seed set is."""
    samples: list[Sample] = []
    for corpus in sorted((root / ("dev" if side == "fit" else "held-out")).iterdir()):
        if corpus.is_dir():
            pipe = pipeline_for(work / f"{dataset}-{corpus.name}", corpus)
            questions = [{**q, "id": f"{dataset}:{q['id']}"} for q in load_questions(corpus.with_suffix(".jsonl"))]
            samples += collect(pipe, questions, dataset, lambda q, name=corpus.name: name)
    print(f"{side}, {dataset}: {len(samples)} questions ({sum(not s.answerable for s in samples)} unanswerable)",
          flush=True)
    return samples


def cached(path: Path, make: Any) -> Any:
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


DATASETS = ("cmrc", "seed", "cmrc-built", "cmrc-en", "probes", "walks")


Simulated = dict[str, tuple[list[Sample], list[Outcome]]]


def simulated(samples: list[Sample], scoring: Any) -> Simulated:
    """Each dataset's samples with what the scoring does on each (simulated once, read by every figure)."""
    parts = {d: [s for s in samples if s.dataset == d] for d in DATASETS}
    return {d: (part, [simulate(s, scoring) for s in part]) for d, part in parts.items() if part}


def by_set(sims: Simulated, scoring: Any) -> dict[str, dict[str, float | None]]:
    return {d: metrics(part, scoring, outcomes=outs) for d, (part, outs) in sims.items()}


def row(name: str, m: dict[str, dict[str, float | None]]) -> str:
    cells = [f"{m[d].get(k):.3f}" if m[d].get(k) is not None else "—" for d in DATASETS if d in m for k in SHOWN]
    return f"| {name} | " + " | ".join(cells) + " |"


def separation(p: np.ndarray, ok: np.ndarray, case: np.ndarray, false_rate: float = 0.05) -> dict[str, float]:
    """How well P(answerable) (p; -1 where nothing could be quoted) separates, wherever the fitted threshold sits:
    ROC AUC against every unanswerable question and against each case's, and the share of each case abstained on
    at the cut that abstains on `false_rate` of the answerable questions. Two refits whose thresholds differ
    compare here."""
    from sklearn.metrics import roc_auc_score

    cut = float(np.quantile(p[ok], false_rate))
    out = {"AUC": float(roc_auc_score(ok, p))}
    for c in ("absent-topic", "missing-fact"):
        if (case == c).any():
            both = ok | (case == c)
            out[f"AUC vs {c}"] = float(roc_auc_score(ok[both], p[both]))
            out[f"{c} at {false_rate:.0%} false"] = float(np.mean(p[case == c] < cut))
    return out


def answerability(samples: list[Sample], outs: list[Outcome]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each sample's P(answerable) (-1 where nothing could be quoted), answerable or not, case."""
    return (np.asarray([o.answerable if o.chosen else -1.0 for o in outs]),
            np.asarray([s.answerable for s in samples]), np.asarray([s.case for s in samples]))


def uses(words: str) -> dict[str, list[str]]:
    """Each model's features less those of the ablation group whose name contains `words`."""
    drop = next((d for name, d in ABLATIONS if words in name), None)
    if drop is None:
        raise SystemExit(f"no feature group named like {words!r}: " + "; ".join(n for n, _ in ABLATIONS))
    return {"passage": [f for f in PASSAGE_FEATURES if f not in drop.get("passage", set())],
            "sentence": [f for f in SENTENCE_FEATURES if f not in drop.get("sentence", set())],
            "answerable": [f for f in QUESTION_FEATURES if f not in drop.get("answerable", set())]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--extra-builds", default="1,2", help="seeds of extra CMRC fitting splits ('' for none)")
    ap.add_argument("--held-out-builds", default="3,4", help="seeds of extra CMRC splits of the held-out articles, "
                    "reported apart as cmrc-built ('' for none)")
    ap.add_argument("--work", type=Path, default=ROOT / "eval-out" / "stores")
    ap.add_argument("--output", type=Path, default=ROOT / "rag" / "scoring.json")
    ap.add_argument("--max-false-abstention", type=float, default=0.05)
    ap.add_argument("--probes", action="store_true", help="fit on the dev half of the made-up users' documents "
                    "(bench/probes) too; their held-out half is reported either way")
    ap.add_argument("--walks", action="store_true", help="fit on the dev half of the walkthroughs' documents "
                    "(bench/walks) too; their held-out half is reported either way")
    ap.add_argument("--threshold-on", default="", help="datasets whose questions choose the "
                    "threshold, comma-separated (default: all the fitting questions)")
    ap.add_argument("--ablate", action="store_true", help="also refit without each feature group")
    ap.add_argument("--fresh", action="store_true", help="gather again instead of reusing the cached samples")
    ap.add_argument("--leave-out", metavar="WORDS", help="fit without the feature group whose --ablate name "
                    "contains WORDS (a scoring file to compare with bench/quality.py)")
    a = ap.parse_args(argv)
    a.work.mkdir(parents=True, exist_ok=True)
    extra = [int(x) for x in a.extra_builds.split(",") if x.strip()]
    held_extra = [int(x) for x in a.held_out_builds.split(",") if x.strip()]
    tag = "-".join(map(str, extra)) or "none"
    held_tag = "-".join(map(str, held_extra)) or "none"
    english = {side: a.work / f"samples-{side}-en.pkl" for side in ("fit", "held-out")}
    folders = {name: {side: a.work / f"samples-{side}-{name}.pkl" for side in ("fit", "held-out")}
               for name in ("probes", "walks")}
    for p in (a.work / f"samples-fit-{tag}.pkl", a.work / f"samples-held-out-{held_tag}.pkl", *english.values(),
              *(p for by_side in folders.values() for p in by_side.values())):
        if a.fresh:
            p.unlink(missing_ok=True)
    train = cached(a.work / f"samples-fit-{tag}.pkl", lambda: gather("fit", extra, a.work))
    held = cached(a.work / f"samples-held-out-{held_tag}.pkl", lambda: gather("held-out", held_extra, a.work))
    train += cached(english["fit"], lambda: gather_english("fit", a.work))
    held += cached(english["held-out"], lambda: gather_english("held-out", a.work))
    for name, root in (("probes", PROBES), ("walks", WALKS)):
        held += cached(folders[name]["held-out"], lambda root=root, name=name: gather_folder(root, name, "held-out",
                                                                                             a.work))
        if getattr(a, name):
            train += cached(folders[name]["fit"], lambda root=root, name=name: gather_folder(root, name, "fit",
                                                                                             a.work))
    unknown = set(a.threshold_on.split(",")) - {""} - set(DATASETS)
    if unknown:
        raise SystemExit(f"--threshold-on: no dataset named {', '.join(sorted(unknown))} (of {', '.join(DATASETS)})")
    scoring = fit(train, use=uses(a.leave_out) if a.leave_out else None, max_false_abstention=a.max_false_abstention,
                  log=print, threshold_sets=set(a.threshold_on.split(",")) - {""} or None)
    scoring.about.update({"split": "bench/splits.py fitting half; CMRC extra builds " + (tag if extra else "none")
                          + ("; bench/probes dev" if a.probes else "") + ("; bench/walks dev" if a.walks else ""),
                          "late_chunking": load_settings().late_chunking,
                          "pool_passages": load_settings().pool_passages})
    scoring.save(a.output)
    print(f"wrote {a.output}")
    sims = simulated(held, scoring)
    shipped = by_set(sims, scoring)
    head = ("| features | " + " | ".join(f"{d} {k}" for d in shipped for k in SHOWN) + " |\n"
            "|---|" + "---:|" * (len(shipped) * len(SHOWN)))
    lines = [head, row(f"all less {a.leave_out}" if a.leave_out else "all (shipped)", shipped)]
    print("\nheld-out:\n" + "\n".join(lines), flush=True)
    print("\nheld-out, P(answerable) apart from the threshold:")
    for d, (part, outs) in sims.items():
        if any(not s.answerable for s in part):
            sep = separation(*answerability(part, outs))
            print(f"  {d}: " + ", ".join(f"{k} {v:.3f}" for k, v in sep.items()), flush=True)
    if a.ablate:
        for name, _ in ABLATIONS:
            # The full fit's regularisation and pool, so that each row differs by its features alone.
            s = fit(train, use=uses(name), max_false_abstention=a.max_false_abstention, pool=scoring.pool,
                    c=scoring.about["C"])
            lines.append(row(name, by_set(simulated(held, s), s)))
            print(lines[-1], flush=True)
        out = ROOT / "eval-out" / "ablation.md"
        out.write_text("# Ablation (held-out half; each row refitted without the named features)\n\n"
                       + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
