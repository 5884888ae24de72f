"""Extractive answers and a generated-and-checked model side by side, on the shipped questions and a CMRC sample.

    python bench/llm_compare.py sample                  # the CMRC id lists (calibration and measurement, disjoint)
    python bench/llm_compare.py run --llm gguf:MODEL --seed-store S --cmrc-store C [--only cmrc] [--limit N]

run evaluates each question set with `rag eval`'s own code (rag.evaluate.evaluate) once per back end and writes
bench/out/llm/<set>-<backend>.jsonl plus bench/llm_results.md: key-fact accuracy, correct and false abstention,
unsupported-sentence shares before and after the check, fallback share and latency, per back end. The model
on one core writes ~24 tokens/s, so the samples are modest; their sizes are printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CMRC = ROOT.parent / "shared" / "benchmarks" / "cmrc2018-trial"
SHIPPED = ROOT / "tests" / "questions.jsonl"
OUT = ROOT / "bench" / "out" / "llm"
IDS = ROOT / "bench" / "cmrc_ids"
# (calibration, measurement) questions drawn per case; the two draws never share a question.
DRAW = {"answerable": (25, 40), "missing-fact": (15, 10), "absent-topic": (0, 10)}
SEED = 11
ROWS = [("key_fact_accuracy", "key-fact accuracy"), ("correct_abstention", "correct abstention"),
        ("false_abstention", "false abstention"), ("unsupported_before", "unsupported sentences, generated"),
        ("unsupported_after", "unsupported sentences, shown"), ("fallback_share", "fell back to extractive"),
        ("citation_precision", "citation precision"), ("latency_p50_ms", "latency p50 (ms)"),
        ("latency_p95_ms", "latency p95 (ms)")]


def cmrc_questions(path: Path | None = None) -> list[dict[str, Any]]:
    path = path or CMRC / "questions.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def sample(args: argparse.Namespace) -> None:
    """Seeded, stratified by case: the calibration ids (labelled by hand) and the measurement ids."""
    rng = random.Random(SEED)
    calib, measure = [], []
    for case, (nc, nm) in DRAW.items():
        ids = sorted(q["id"] for q in cmrc_questions() if q["case"] == case)
        rng.shuffle(ids)
        calib += ids[:nc]
        measure += ids[nc : nc + nm]
    IDS.mkdir(parents=True, exist_ok=True)
    (IDS / "calibration.txt").write_text("\n".join(calib) + "\n")
    (IDS / "measure.txt").write_text("\n".join(measure) + "\n")
    print(f"{len(calib)} calibration and {len(measure)} measurement ids in {IDS}")


def _subset(questions: list[dict[str, Any]], ids_file: Path) -> list[dict[str, Any]]:
    wanted = [i.strip() for i in ids_file.read_text().splitlines() if i.strip()]
    by_id = {str(q["id"]): q for q in questions}
    return [by_id[i] for i in wanted]


def run(args: argparse.Namespace) -> None:
    from rag.config import load_settings
    from rag.evaluate import evaluate, load_questions, write_report
    from rag.pipeline import Pipeline

    sets = {"shipped": (args.seed_store, load_questions(SHIPPED)),
            "cmrc": (args.cmrc_store, _subset(load_questions(CMRC / "questions.jsonl"), IDS / "measure.txt"))}
    OUT.mkdir(parents=True, exist_ok=True)
    summary: dict[str, dict[str, Any]] = json.loads((OUT / "summary.json").read_text()) \
        if (OUT / "summary.json").exists() else {}
    for name, (store, questions) in sets.items():
        if args.only and name != args.only:
            continue
        questions = questions[: args.limit] if args.limit else questions
        for backend in ("extractive", args.llm):
            pipeline = Pipeline(load_settings(store=store, llm=backend))
            tag = "extractive" if backend == "extractive" else "llm"
            run_ = evaluate(pipeline, questions, progress=lambda d, t: print(f"\r{name} {tag} {d}/{t}", end="",
                                                                                flush=True))
            print()
            write_report(run_, OUT / f"{name}-{tag}.md", OUT / f"{name}-{tag}.jsonl")
            summary[f"{name}/{tag}"] = {"n": run_.summary["n"], "n_answerable": run_.summary["n_answerable"],
                                        "backend": backend, **{k: run_.summary.get(k) for k, _ in ROWS}}
            (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    (ROOT / "bench" / "llm_results.md").write_text(render(summary), encoding="utf-8")
    print(render(summary))


def render(summary: dict[str, dict[str, Any]]) -> str:
    def cell(v: Any, key: str) -> str:
        if v is None:
            return "—"
        return f"{v:.0f}" if key.startswith("latency") else f"{v:.3f}"

    out = ["# Extractive vs generated (checked) answers", "",
           f"Written by `bench/llm_compare.py run` on {datetime.now().astimezone():%Y-%m-%d}, this 2-core machine "
           "shared with other work (latencies are noisy). k=10 passages retrieved, the model reads the top 4.", ""]
    for name in ("shipped", "cmrc"):
        cols = [(tag, summary[f"{name}/{tag}"]) for tag in ("extractive", "llm") if f"{name}/{tag}" in summary]
        if not cols:
            continue
        first = cols[0][1]
        out += [f"## {name}: {first['n']} questions ({first['n_answerable']} answerable)", "",
                "| metric | " + " | ".join(s["backend"] for _, s in cols) + " |",
                "|---|" + "---:|" * len(cols)]
        out += [f"| {label} | " + " | ".join(cell(s.get(k), k) for _, s in cols) + " |" for k, label in ROWS]
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample")
    r = sub.add_parser("run")
    r.add_argument("--llm", required=True)
    r.add_argument("--seed-store", type=Path, required=True)
    r.add_argument("--cmrc-store", type=Path, required=True)
    r.add_argument("--only", choices=["shipped", "cmrc"])
    r.add_argument("--limit", type=int)
    args = ap.parse_args()
    {"sample": sample, "run": run}[args.cmd](args)


if __name__ == "__main__":
    main()
