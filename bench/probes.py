"""Made-up users' documents and the questions a user would type about them: how the pipeline fares on wording the
fitted sets do not have (colloquial, paraphrased, two questions in one message).

    python bench/probes.py [--set dev|held-out|all] [--walks] [--work DIR] [--out FILE.md]

bench/probes/<set>/<corpus>/ holds a corpus (Markdown or text) and bench/probes/<set>/<corpus>.jsonl its questions,
in the question-set format. Both sets were written by someone who had not read the code. `dev` was read question by
question while fixing; of `held-out` only the totals and the answers that changed were. Nothing is fitted on either. Each corpus is ingested
into a store of its own under --work and its questions asked as `rag eval` asks them.

bench/walks/ (--walks) is laid out the same way: eleven walkthroughs of eight documents each in every format the
product reads (text, Markdown, HTML, Word, PDF) and about 340 questions each, a quarter of them follow-ups or
unanswerable, each written by a helper who had read no code (bench/walks/README.md). Their `dev` half may be fitted on
(bench/fit.py --walks); their `held-out` half never is.

bench/seed_fresh/<set>.jsonl are questions about the seed page written the same way, by writers who had read
neither the code nor the shipped question set (each set by another writer): reported in a table of their own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.splits import ROOT, SEEDS
from rag import evaluate as ev

PROBES = ROOT / "bench" / "probes"
WALKS = ROOT / "bench" / "walks"
FRESH = ROOT / "bench" / "seed_fresh"


def counts(records: list[dict[str, Any]]) -> dict[str, int]:
    """Answerable questions answered with every key fact, answered without one, refused; unanswerable refused."""
    answerable = [r for r in records if r["scores"]["answerable"]]
    not_answerable = [r for r in records if not r["scores"]["answerable"]]
    right = sum(1 for r in answerable if not r["abstained"] and r["scores"]["key_fact"] == 1.0)
    refused = sum(1 for r in answerable if r["abstained"])
    return {"answerable": len(answerable), "right": right, "wrong": len(answerable) - right - refused,
            "refused": refused, "unanswerable": len(not_answerable),
            "declined": sum(1 for r in not_answerable if r["abstained"])}


def run(corpus: Path, questions: Path, store: Path) -> dict[str, int]:
    """The counts of asking the questions of the corpus, indexed in the store."""
    from rag.config import load_settings
    from rag.pipeline import Pipeline

    Pipeline(load_settings(store=store)).ingest([corpus])
    return counts(ev.evaluate(Pipeline(load_settings(store=store)), ev.load_questions(questions)).records)


def table(rows: dict[str, dict[str, int]]) -> str:
    """The counts per corpus and in all, as Markdown."""
    total = {k: sum(r[k] for r in rows.values()) for k in next(iter(rows.values()))}
    lines = ["| corpus | answerable | with key facts | answered without | refused | unanswerable | refused |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, c in [*rows.items(), ("all", total)]:
        lines.append(f"| {name} | {c['answerable']} | {c['right']} | {c['wrong']} | {c['refused']} "
                     f"| {c['unanswerable']} | {c['declined']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=["dev", "held-out", "all"], default="all")
    ap.add_argument("--walks", action="store_true", help="the walkthroughs (bench/walks) instead of bench/probes")
    ap.add_argument("--work", type=Path, default=ROOT / "eval-out" / "stores")
    ap.add_argument("--out", type=Path, help="the report (default eval-out/probes.md or eval-out/walks.md)")
    args = ap.parse_args()
    sets = ["dev", "held-out"] if args.set == "all" else [args.set]
    root = WALKS if args.walks else PROBES
    rows = {f"{s}/{c.name}": run(c, c.with_suffix(".jsonl"), args.work / f"{root.name}-{s}-{c.name}")
            for s in sets for c in sorted((root / s).iterdir()) if c.is_dir()}
    report = f"# Made-up users' documents (bench/{root.name})\n\n" + table(rows)
    if not args.walks:
        fresh = {f"{s}/seed": run(SEEDS, FRESH / f"{s}.jsonl", args.work / "seed") for s in sets}
        report += "\n## Fresh questions about the seed page (bench/seed_fresh)\n\n" + table(fresh)
    out = args.out or ROOT / "eval-out" / f"{root.name}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report, end="")


if __name__ == "__main__":
    main()
