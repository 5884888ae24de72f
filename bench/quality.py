"""Answer quality on both question sets, beside the plain LangChain pipeline: one command.

    python bench/quality.py [--split held-out|fit|all] [--sets seed,cmrc,cmrc-en] [--k 10] [--no-baseline]

For each set (the shipped seed set over seeds/, the CMRC 2018 trial set over its corpus, and a sample of the trial
questions translated into English, asked of the same corpus) it ingests the corpus
into a store under --work (incremental: an unchanged corpus costs seconds), runs `rag eval` on the chosen split
(bench/splits.py: the held-out half is what the fitted scorer never saw), and runs the baseline a LangChain user
writes first on the same questions: RecursiveCharacterTextSplitter(500, 50), the same embedding model through
rag.embeddings.as_langchain, langchain_chroma.Chroma, top-k similarity_search. The baseline never abstains; its
"answer" is its top passage, so its key-fact accuracy is "the top passage holds every key fact".

Writes eval-out/quality.md (both sets side by side) and, per set, eval-out/quality-<set>.md / -results.jsonl.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import (CMRC, CMRC_EN_QUESTIONS, ROOT, SEED_QUESTIONS, SEEDS, Side, cmrc_side,  # noqa: E402
                          seed_side)
from rag import evaluate as ev  # noqa: E402
from rag import report  # noqa: E402

# name: (corpus, questions, split rule, store); the English questions are asked of the CMRC store.
SETS = {
    "seed": (SEEDS, SEED_QUESTIONS, seed_side, "seed"),
    "cmrc": (CMRC / "corpus", CMRC / "questions.jsonl", cmrc_side, "cmrc"),
    "cmrc-en": (CMRC / "corpus", CMRC_EN_QUESTIONS, cmrc_side, "cmrc"),
}
ROWS = [
    ("hit@1", "hit@1"), ("hit@5", "hit@5"), ("mrr@10", "MRR@10"), ("key_fact_accuracy", "key-fact accuracy"),
    ("char_f1", "char F1"), ("citation_precision", "citation precision"),
    ("correct_abstention", "correct abstention"), ("false_abstention", "false abstention"),
    ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)"),
]


def settings_for(store: Path) -> Any:
    from rag.config import load_settings

    return load_settings(store=store)


def rag_run(name: str, corpus: Path, questions: list[dict[str, Any]], store: Path, k: int,
            qpath: Path) -> ev.EvalRun:
    from rag.pipeline import Pipeline

    t = time.perf_counter()
    rep = Pipeline(settings_for(store)).ingest([corpus])
    print(f"[{name}] rag store {store}: {rep.chunks} passages, {rep.embedded} embedded "
          f"({time.perf_counter() - t:.0f} s)", flush=True)
    run = ev.evaluate(Pipeline(settings_for(store)), questions, k=k, questions_path=qpath)
    return run


def baseline_store(corpus: Path, store: Path) -> Any:
    """The LangChain tutorial pipeline's index, built once (a marker file records a finished build)."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from rag.embeddings import as_langchain, load_model

    emb = as_langchain(load_model(settings_for(store), "ingest"))
    done = store / "built.json"
    if done.exists():
        return Chroma(embedding_function=emb, persist_directory=str(store))
    import shutil

    shutil.rmtree(store, ignore_errors=True)
    files = sorted(corpus.rglob("*.txt"))
    docs = [Document(page_content=p.read_text(encoding="utf-8"), metadata={"source": p.name}) for p in files]
    splits = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_documents(docs)
    vs = Chroma.from_documents(splits, emb, persist_directory=str(store))
    done.write_text(json.dumps({"corpus": str(corpus), "chunks": len(splits)}), encoding="utf-8")
    return vs


def baseline_run(name: str, corpus: Path, questions: list[dict[str, Any]], store: Path, k: int) -> ev.EvalRun:
    t = time.perf_counter()
    vs = baseline_store(corpus, store)
    print(f"[{name}] baseline store {store} ({time.perf_counter() - t:.0f} s)", flush=True)
    vs.similarity_search("预热", k=k)
    records = []
    for q in questions:
        t = time.perf_counter()
        docs = vs.similarity_search(q["question"], k=k)
        latency = (time.perf_counter() - t) * 1000
        passages = [{"chunk_id": str(i), "source": d.metadata.get("source", ""), "heading": "",
                     "text": d.page_content, "start_line": 0, "end_line": 0} for i, d in enumerate(docs)]
        top = passages[:1]
        r = {"id": q["id"], "type": q.get("type", ""), "case": q.get("case", ""), "question": q["question"],
             "answer": f"{top[0]['text']}[1]" if top else "", "abstained": False,
             "citations": [{"n": 1, **top[0]}] if top else [], "retrieved": passages,
             "expected": q.get("answer", ""), "evidence": q.get("evidence", []),
             "must_contain": q.get("must_contain", []), "latency_ms": round(latency, 1)}
        r["scores"], r["failures"], r["notes"] = ev.score_record(r)
        records.append(r)
    return ev.EvalRun(records, ev.summarize(records), ev.summarize_by_type(records), k,
                      by_case=ev.summarize_by_case(records), mode="dense", model="baseline")


def table(runs: dict[str, dict[str, ev.EvalRun]]) -> list[str]:
    """One row per metric, a column per (set, system)."""
    cols = [(s, sys_) for s, by in runs.items() for sys_ in by]
    head = "| metric | " + " | ".join(f"{s}: {sys_}" for s, sys_ in cols) + " |"
    lines = [head, "|---|" + "---:|" * len(cols)]
    for key, label in ROWS:
        lines.append(f"| {label} | " + " | ".join(report.fmt(runs[s][x].summary.get(key), key) for s, x in cols) + " |")
    cases = sorted({c for s, x in cols for c, cs in runs[s][x].by_case.items() if cs["n_unanswerable"]})
    for c in cases:
        cells = []
        for s, x in cols:
            cs = runs[s][x].by_case.get(c)
            cells.append(report.fmt(cs["correct_abstention"]) if cs else "—")
        lines.append(f"| correct abstention, {c} | " + " | ".join(cells) + " |")
    lines.append("| questions (answerable / unanswerable) | " + " | ".join(
        f"{runs[s][x].summary['n_answerable']} / {runs[s][x].summary['n_unanswerable']}" for s, x in cols) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=["held-out", "fit", "all"], default="held-out",
                    help="which questions to report (default: the half the scorer was not fitted on)")
    ap.add_argument("--sets", default="seed,cmrc,cmrc-en", help="comma-separated: seed, cmrc, cmrc-en")
    ap.add_argument("--k", type=int, default=ev.EVAL_K)
    ap.add_argument("--work", type=Path, default=ROOT / "eval-out" / "stores", help="where the stores live")
    ap.add_argument("--out", type=Path, default=ROOT / "eval-out", help="where the reports go")
    ap.add_argument("--no-baseline", action="store_true")
    a = ap.parse_args(argv)
    side: Side = a.split
    runs: dict[str, dict[str, ev.EvalRun]] = {}
    for name in a.sets.split(","):
        corpus, qpath, pick, store = SETS[name]
        if not corpus.exists():
            print(f"[{name}] no corpus at {corpus}; skipped", file=sys.stderr)
            continue
        questions = pick(ev.load_questions(qpath), side)
        runs[name] = {"rag": rag_run(name, corpus, questions, a.work / f"{store}-rag", a.k, qpath)}
        report.write_report(runs[name]["rag"], a.out / f"quality-{name}.md", a.out / f"quality-{name}-results.jsonl")
        if not a.no_baseline:
            runs[name]["baseline"] = baseline_run(name, corpus, questions, a.work / f"{store}-baseline", a.k)
        print(f"[{name}] done", flush=True)
    lines = ["# Answer quality: rag vs the LangChain baseline", "",
             f"Split: **{side}** (bench/splits.py); k={a.k}; extractive answers; per-set reports "
             + ", ".join(f"[quality-{n}.md](quality-{n}.md)" for n in runs) + ".", "",
             "The baseline never abstains and answers with its top passage (key-fact accuracy: the top passage "
             "holds every key fact).", "", *table(runs), ""]
    (a.out / "quality.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    print(f"Report: {a.out / 'quality.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
