"""Extractive answers and a generated-and-checked model side by side, on the shipped questions and CMRC samples.

    python bench/llm_compare.py sample     # the CMRC id lists: calibration (labelled to fit) and measurement
    python bench/llm_compare.py run --llm gguf:MODEL --seed-store S --cmrc-store C [--sets cmrc-fit,cmrc,shipped]
    python bench/llm_compare.py recheck --seed-store S --cmrc-store C   # after a new rag/support.json
    python bench/llm_compare.py judge --llm gguf:MODEL --seed-store S --cmrc-store C   # fits rag/judge.json
    python bench/llm_compare.py report

run evaluates each question set with `rag eval`'s own code (rag.evaluate.evaluate), once extractive and once
with the model (its judge in "observe" mode, so its verdicts are recorded but do not act), and keeps each raw
model reply with the passages the model read (bench/out/llm/<set>.replies.jsonl). The model's writing does not
depend on the checker, so recheck re-runs the product's own checking (Pipeline._check_reply) on those replies with
the current rag/support.json and rescores: the answer is the checked one, or the extractive answer of the same
question when no sentence is supported (what the pipeline falls back to). judge asks the model, before any answer,
whether the passages it reads answer each question (its probability of "yes"), fits the level below which that
is a "no" on the calibration sample (catching the most unanswerable questions while refusing at most 5 % of the
answerable ones), writes rag/judge.json, and recheck then reports what the judge would have done on the other
sets. report writes bench/llm_results.md.
The model writes ~24 tokens/s on one idle core, so the samples are modest; their sizes are in the tables.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.splits import CMRC  # noqa: E402

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


def cmrc_questions() -> list[dict[str, Any]]:
    path = CMRC / "questions.jsonl"
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


def question_sets(args: argparse.Namespace) -> dict[str, tuple[Path, list[dict[str, Any]]]]:
    from rag.evaluate import load_questions

    def subset(ids_file: Path) -> list[dict[str, Any]]:
        by_id = {str(q["id"]): q for q in load_questions(CMRC / "questions.jsonl")}
        return [by_id[i.strip()] for i in ids_file.read_text().splitlines() if i.strip()]

    return {"cmrc-fit": (args.cmrc_store, subset(IDS / "calibration.txt")),
            "cmrc": (args.cmrc_store, subset(IDS / "measure.txt")),
            "shipped": (args.seed_store, load_questions(SHIPPED))}


class Recording:
    """The pipeline, asked as evaluate() asks it, keeping each raw reply and the passages the model read."""

    def __init__(self, pipeline: Any) -> None:
        self.pipeline, self.replies = pipeline, []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.pipeline, name)

    def ask(self, question: str, k: int | None = None, history: Any = ()) -> Any:
        reply, result, t0 = "", None, time.perf_counter()
        for event in self.pipeline.ask_stream(question, k=k, history=history):
            if isinstance(event, str):
                reply += event
            else:
                result = event
        given = result.hits[: self.pipeline.settings.llm_passages]
        self.replies.append({"question": question, "history": list(history), "reply": reply,
                             "judged": result.answer.judged,
                             "seconds": time.perf_counter() - t0,
                             "given": [{"chunk_id": h.chunk_id, "text": h.text, "heading": h.meta.get("heading", ""),
                                        "article": h.meta.get("article", "")} for h in given]})
        return result


def run(args: argparse.Namespace) -> None:
    from rag.config import load_settings
    from rag.evaluate import evaluate
    from rag.report import write_report
    from rag.pipeline import Pipeline

    OUT.mkdir(parents=True, exist_ok=True)
    for name, (store, questions) in question_sets(args).items():
        if name not in args.sets.split(","):
            continue
        questions = questions[: args.limit] if args.limit else questions
        for tag, backend in (("extractive", "extractive"), ("llm", args.llm)):
            settings = load_settings(store=store, llm=backend, llm_judge="observe")
            pipeline = Recording(Pipeline(settings)) if tag == "llm" else Pipeline(settings)
            result = evaluate(pipeline, questions,
                              progress=lambda d, t: print(f"\r{name} {tag} {d}/{t}", end="", flush=True))
            print()
            write_report(result, OUT / f"{name}-{tag}.md", OUT / f"{name}-{tag}.jsonl")
            if tag == "llm":
                with (OUT / f"{name}.replies.jsonl").open("w", encoding="utf-8") as f:
                    for r in pipeline.replies:
                        f.write(json.dumps(r, ensure_ascii=False) + "\n")


def recheck(args: argparse.Namespace) -> None:
    """Re-check the saved replies with the current support file and rescore (see the module docstring)."""
    from rag.config import load_settings
    from rag.evaluate import generation_record, score_record, summarize
    from rag.generate import fitted_judge_threshold
    from rag.pipeline import Pipeline
    from rag.result import Result
    from rag.retrieval import Hit
    from rag.text import language

    summary = {}
    for name, (store, _) in question_sets(args).items():
        if not (OUT / f"{name}.replies.jsonl").exists():
            continue
        base = Pipeline(load_settings(store=store))
        label = next((r["backend"] for r in _jsonl(OUT / f"{name}-llm.jsonl") if r["backend"] != "extractive"),
                     "model")  # a record that fell back names the extractive engine
        pipeline = Pipeline(load_settings(store=store, llm="openai:recheck"))
        pipeline.__dict__["llm"] = _Label(label)  # no model is asked: only the checker runs
        pipeline.__dict__["model"] = base.model
        jpath = OUT / f"{name}.judge.jsonl"
        judged = {r["question"]: r["score"] for r in _jsonl(jpath)} if jpath.exists() else {}
        threshold = fitted_judge_threshold()
        extractive = {r["question"]: r for r in _jsonl(OUT / f"{name}-extractive.jsonl")}
        original = {r["question"]: r for r in _jsonl(OUT / f"{name}-llm.jsonl")}
        records = []
        for rep in _jsonl(OUT / f"{name}.replies.jsonl"):
            q, orig, ex = rep["question"], original[rep["question"]], extractive[rep["question"]]
            docs = pipeline.index.get([g["chunk_id"] for g in rep["given"]])
            given = [Hit(g["chunk_id"], g["text"], {k: v for k, v in docs[g["chunk_id"]].items() if k != "text"}, 0.0)
                     for g in rep["given"]]
            answer = pipeline._check_reply(rep["reply"], given, pipeline.retriever.sentence_vectors(given), language(q))
            score = judged.get(q)
            answer.judged = rep["judged"] if score is None else score >= threshold
            if answer.fell_back or not rep["reply"]:
                out = {k: ex[k] for k in ("answer", "abstained", "citations", "sentences")}
                out.update(backend="extractive", fell_back=True, draft=[vars(s) for s in answer.draft])
            else:
                out = Result(q, answer, []).to_json()
                out = {**{k: out[k] for k in ("answer", "abstained", "citations", "sentences", "backend")},
                       **generation_record(pipeline, Result(q, answer, []))}
            record = {**orig, **out, "generated": True, "judged": answer.judged, "judge_score": judged.get(q)}
            record["scores"], record["failures"], record["notes"] = score_record(record)
            records.append(record)
        with (OUT / f"{name}-llm.rechecked.jsonl").open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        summary[name] = {"extractive": summarize(_rescored(extractive.values())), "llm": summarize(records),
                         "judge": judge_figures(records) if judged else None, "backend": label}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    report(args)


def judge_cmd(args: argparse.Namespace) -> None:
    """Ask the model's judge about every question of the sets, fit its threshold on cmrc-fit, write rag/judge.json."""
    from rag.config import load_settings
    from rag.generate import JUDGE_FILE, judge
    from rag.llm import load_backend
    from rag.pipeline import Pipeline
    from rag.retrieval import Hit
    from rag.text import language

    backend = load_backend(load_settings(llm=args.llm))
    assert backend is not None
    for name, (store, questions) in question_sets(args).items():
        if name not in args.sets.split(","):
            continue
        path = OUT / f"{name}.judge.jsonl"
        done = {r["question"] for r in _jsonl(path)} if path.exists() else set()
        replies = {r["question"]: r for r in _jsonl(OUT / f"{name}.replies.jsonl")} \
            if (OUT / f"{name}.replies.jsonl").exists() else {}
        pipeline = Pipeline(load_settings(store=store))
        with path.open("a", encoding="utf-8") as f:
            for i, q in enumerate(questions, 1):
                if q["question"] in done:
                    continue
                if q["question"] in replies:  # exactly what the model read when it answered
                    given = [Hit(g["chunk_id"], g["text"], {"heading": g["heading"], "article": g["article"]}, 0.0)
                             for g in replies[q["question"]]["given"]]
                else:  # what it would read: the top of the extractive ranking
                    given = pipeline.ask(q["question"], 10, history=q.get("history") or ()).hits[
                        : pipeline.settings.llm_passages]
                # A follow-up is judged with the questions it follows (the pipeline judges its rewrite).
                asked = " ".join([*(q.get("history") or []), q["question"]])
                t0 = time.perf_counter()
                score = judge(backend, asked, given, language(q["question"]))
                f.write(json.dumps({"question": q["question"], "answerable": q["type"] != "unanswerable",
                                    "case": q.get("case", ""), "score": score,
                                    "seconds": round(time.perf_counter() - t0, 2)}, ensure_ascii=False) + "\n")
                f.flush()
                print(f"\r{name} judge {i}/{len(questions)}", end="", flush=True)
        print()
    rows = _jsonl(OUT / "cmrc-fit.judge.jsonl")
    threshold = fit_judge([r["score"] for r in rows if r["answerable"]],
                          [r["score"] for r in rows if not r["answerable"]], args.max_false)
    JUDGE_FILE.write_text(json.dumps({
        "threshold": threshold, "model": backend.label, "max_false_abstention": args.max_false,
        "fitted_on": f"bench/cmrc_ids/calibration.txt ({len(rows)} CMRC questions)",
        "fitted": datetime.now().astimezone().isoformat(timespec="seconds"),
        "by": "bench/llm_compare.py judge"}, indent=1) + "\n")
    print(f"judge threshold {threshold:.4f} written to {JUDGE_FILE}")


def fit_judge(answerable: list[float | None], unanswerable: list[float | None], max_false: float) -> float:
    """The probability of "yes" below which the judge says no: the cut that catches the most unanswerable
    questions while refusing at most max_false of the answerable ones (a missing score never refuses)."""
    ans = sorted(s for s in answerable if s is not None)
    allowed = int(max_false * len(answerable))
    # Refusing below the (allowed+1)-th lowest answerable score refuses exactly `allowed` of them (ties aside).
    return ans[allowed] if allowed < len(ans) else 1.0


class _Label:
    """Stands where the chat model would be: recheck asks no model, it only needs the back end's label."""

    def __init__(self, label: str) -> None:
        self.label = label


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _rescored(records: Any) -> list[dict[str, Any]]:
    from rag.evaluate import score_record

    out = []
    for r in records:
        r = dict(r)
        r["scores"], r["failures"], r["notes"] = score_record(r)
        out.append(r)
    return out


def judge_figures(records: list[dict[str, Any]]) -> dict[str, Any]:
    """How the model's yes/no judge did: declines on unanswerable and on answerable questions, and the
    key-fact accuracy and abstention if its "no" had made the answer abstain."""
    def share(rows: list[dict], value: Any) -> float | None:
        return sum(r.get("judged") is value for r in rows) / len(rows) if rows else None

    una = [r for r in records if not r["scores"]["answerable"]]
    ans = [r for r in records if r["scores"]["answerable"]]
    return {
        "n_unanswerable": len(una), "n_answerable": len(ans),
        "said_no_unanswerable": share(una, False), "said_no_answerable": share(ans, False),
        "unclear": share(records, None),
        "correct_abstention_if_on": (sum(r["scores"]["abstained"] or r.get("judged") is False for r in una) / len(una))
        if una else None,
        "key_fact_accuracy_if_on": (sum((r["scores"]["key_fact"] or 0) * (r.get("judged") is not False) for r in ans)
                                    / len(ans)) if ans else None,
        "said_no_by_case": {c: [sum(r.get("judged") is False for r in una if r.get("case") == c),
                                sum(r.get("case") == c for r in una)]
                            for c in sorted({r.get("case") or "unanswerable" for r in una})},
    }


def report(args: argparse.Namespace) -> None:
    summary = json.loads((OUT / "summary.json").read_text())
    (ROOT / "bench" / "llm_results.md").write_text(render(summary), encoding="utf-8")
    print(render(summary))


def render(summary: dict[str, Any]) -> str:
    from rag.generate import fitted_judge_threshold

    fitted = fitted_judge_threshold()

    def cell(v: Any, key: str) -> str:
        if v is None:
            return "—"
        return f"{v:.0f}" if key.startswith("latency") else f"{v:.3f}"

    out = ["# Extractive vs generated-and-checked answers", "",
           f"`bench/llm_compare.py` on {datetime.now().astimezone():%Y-%m-%d}, on this 2-core machine shared with "
           "other work (latencies are noisy, and high). Retrieval k=10; the model reads the top 4 passages. "
           "The model's replies are checked with rag/support.json as calibrated (`bench/calibrate_support.py`); "
           "the judge's level is fitted on the calibration sample (bench/cmrc_ids/calibration.txt).", ""]
    for name, s in summary.items():
        ex, llm = s["extractive"], s["llm"]
        out += [f"## {name}: {ex['n']} questions ({ex['n_answerable']} answerable, {ex['n_unanswerable']} not)", "",
                f"| metric | extractive | {s['backend']} |", "|---|---:|---:|"]
        out += [f"| {label} | {cell(ex.get(k), k)} | {cell(llm.get(k), k)} |" for k, label in ROWS]
        j = s["judge"]
        if j is None:
            out += ["", "The judge was not asked on this set.", ""]
            continue
        out += ["", f"Judge (P(yes) read before the answer, below the fitted level {fitted:.3f} is a “no”; "
                f"observed, not acting): said “no” on "
                f"{cell(j['said_no_unanswerable'], '')} of {j['n_unanswerable']} unanswerable and "
                f"{cell(j['said_no_answerable'], '')} of {j['n_answerable']} answerable questions "
                f"(unclear replies {cell(j['unclear'], '')}); had it acted, correct abstention "
                f"{cell(j['correct_abstention_if_on'], '')} and key-fact accuracy "
                f"{cell(j['key_fact_accuracy_if_on'], '')}. “No” by case: "
                + ", ".join(f"{c} {k} of {n}" for c, (k, n) in j.get("said_no_by_case", {}).items()) + ".", ""]
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("sample")
    for cmd in ("run", "recheck"):
        r = sub.add_parser(cmd)
        r.add_argument("--seed-store", type=Path, required=True)
        r.add_argument("--cmrc-store", type=Path, required=True)
        if cmd == "run":
            r.add_argument("--llm", required=True)
            r.add_argument("--sets", default="cmrc-fit,cmrc,shipped")
            r.add_argument("--limit", type=int)
    j = sub.add_parser("judge")
    j.add_argument("--seed-store", type=Path, required=True)
    j.add_argument("--cmrc-store", type=Path, required=True)
    j.add_argument("--llm", required=True)
    j.add_argument("--max-false", type=float, default=0.05, help="share of answerable questions it may refuse")
    j.add_argument("--sets", default="cmrc-fit,cmrc,shipped", help="cmrc-fit is needed: the level is fitted on it")
    sub.add_parser("report")
    args = ap.parse_args()
    {"sample": sample, "run": run, "recheck": recheck, "judge": judge_cmd, "report": report}[args.cmd](args)


if __name__ == "__main__":
    main()
