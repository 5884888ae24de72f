"""The evaluation's report: the Markdown report with its chart and the per-question JSONL, the terminal summary,
and `rag eval` (evaluate, then report)."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import Settings
from .evaluate import CHART_METRICS, METRICS, EvalRun, eval_k, evaluate, load_questions

_WS = re.compile(r"\s+")

def fmt(value: Any, key: str = "") -> str:
    if value is None:
        return "—"
    if key.startswith("latency"):
        return f"{value:.0f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return f"{value:.3f}"


def _cell(text: Any, limit: int = 0) -> str:
    t = _WS.sub(" ", str(text)).strip()
    if limit and len(t) > limit:
        t = t[: limit - 1] + "…"
    return t.replace("|", "\\|")


def _over(key: str, summary: dict[str, Any]) -> str:
    base = dict((m, b) for m, _, b in METRICS)[key]
    counts = {"answerable": summary["n_answerable"], "unanswerable": summary["n_unanswerable"], "all": summary["n"],
              "answerable with evidence": summary.get("n_with_evidence", summary["n_answerable"]),
              "answerable with a reference answer": summary.get("n_with_reference", summary["n_answerable"])}
    return f"{counts[base]} {base}" if base in counts else base


def write_report(run: EvalRun, report_path: str | Path, output_path: str | Path) -> Path:
    """Write the per-question JSONL, the Markdown report and its PNG chart (report name, .png); return the report."""
    report_path, output_path = Path(report_path), Path(output_path)
    for p in (report_path, output_path):
        p.parent.mkdir(parents=True, exist_ok=True)
    with output_path.open("w", encoding="utf-8") as f:
        for r in run.records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    chart = report_path.with_suffix(".png")
    write_chart(run, chart)
    run.chart_path, run.report_path, run.output_path = chart, report_path, output_path
    report_path.write_text(render_markdown(run, chart_link=chart.name, output_link=_relative(output_path, report_path)),
                           encoding="utf-8")
    return report_path


def _relative(target: Path, report: Path) -> str:
    try:
        return str(target.resolve().relative_to(report.resolve().parent))
    except ValueError:
        return str(target.resolve())


def render_markdown(run: EvalRun, chart_link: str = "", output_link: str = "") -> str:
    s = run.summary
    lines = [
        "# Evaluation report",
        "",
        f"- **Date:** {run.started or datetime.now().astimezone().isoformat(timespec='seconds')}",
        f"- **Questions:** {run.questions_path or '(in memory)'}: {s['n']} questions "
        f"({s['n_answerable']} answerable, {s['n_unanswerable']} unanswerable)",
        f"- **Model:** {run.model or '?'} · retrieval mode {run.mode or '?'}",
        f"- **k:** {run.k} passages per question, asked as the chat asks (`Pipeline.ask(question, k={run.k})`); "
        f"hit@k and MRR@10 are over these {run.k} retrieved passages",
        f"- **Time:** {run.seconds:.1f} s",
    ]
    if output_link:
        lines.append(f"- **Per-question results:** [{output_link}]({output_link})")
    lines += ["", "A passage supports a question when its heading or text contains one of the question's evidence "
              "strings (whitespace ignored). Key-fact accuracy: the answer did not abstain and contains every "
              "must_contain string.", "", "## Summary", "", "| metric | value | over |", "|---|---:|---|"]
    for key, label, _ in METRICS:
        lines.append(f"| {label} | {fmt(s.get(key), key)} | {_over(key, s)} |")

    cols = [m for m in METRICS if m[0] not in ("latency_p95_ms", "abstention_accuracy")]
    lines += ["", "## By question type", "",
              "| type | n | " + " | ".join(label for _, label, _ in cols) + " |",
              "|---|---:|" + "---:|" * len(cols)]
    for t, ts in [*run.by_type.items(), ("**all**", s)]:
        lines.append(f"| {t} | {ts['n']} | " + " | ".join(fmt(ts.get(key), key) for key, _, _ in cols) + " |")

    if run.by_case:
        lines += ["", "## By case", "", "| case | n | hit@1 | hit@5 | key-fact accuracy | correct abstention | "
                  "false abstention |", "|---|---:|---:|---:|---:|---:|---:|"]
        for c, cs in run.by_case.items():
            lines.append(f"| {c} | {cs['n']} | " + " | ".join(fmt(cs.get(key), key) for key in (
                "hit@1", "hit@5", "key_fact_accuracy", "correct_abstention", "false_abstention")) + " |")

    if chart_link:
        lines += ["", "## Chart", "", f"![Main metrics by question type]({chart_link})"]

    fails = run.failures
    lines += ["", f"## Failures ({len(fails)} of {s['n']} questions)", ""]
    if not fails:
        lines.append("None.")
    else:
        lines += ["| id | type | question | expected | got | what failed |", "|---|---|---|---|---|---|"]
        for r in fails:
            got = "(abstained) " + r.get("answer", "") if r.get("abstained") else r.get("answer", "")
            what = "; ".join(f"**{f}**" for f in r["failures"])
            if r.get("notes"):
                what += " (" + "; ".join(r["notes"]) + ")"
            lines.append(f"| {_cell(r['id'])} | {_cell(r.get('type', ''))} | {_cell(r['question'], 80)} | "
                         f"{_cell(r.get('expected', ''), 100)} | {_cell(got, 160)} | {_cell(what)} |")
    noted = [r for r in run.records if r.get("notes") and not r.get("failures")]
    if noted:
        lines += ["", f"Passed with notes ({len(noted)}): " + "; ".join(
            f"{_cell(r['id'])} ({_cell(', '.join(r['notes']))})" for r in noted)]
    return "\n".join(lines) + "\n"


def write_chart(run: EvalRun, path: str | Path) -> Path:
    """Grouped bars of the main metrics per question type (and overall); Agg canvas, no pyplot state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    groups = [*run.by_type.items(), ("all", run.summary)]
    names = [f"{t}\n(n={g['n']})" for t, g in groups]
    fig = Figure(figsize=(max(7.0, 1.25 * len(groups) + 2), 4.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    width = 0.8 / len(CHART_METRICS)
    for i, (key, label) in enumerate(CHART_METRICS):
        xs = [g + (i - (len(CHART_METRICS) - 1) / 2) * width for g in range(len(groups))]
        vals = [ts.get(key) for _, ts in groups]
        ax.bar([x for x, v in zip(xs, vals) if v is not None], [v for v in vals if v is not None],
               width=width, label=label)
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels(names, fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of questions")
    ax.set_title(f"Main metrics by question type (k={run.k}; blank = not applicable)", fontsize=10)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, ncol=len(CHART_METRICS), loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False)
    fig.tight_layout()
    fig.savefig(path, format="png")
    return path


def format_summary(run: EvalRun) -> str:
    """The summary as a plain-text table, for the terminal."""
    s = run.summary
    width = max(len(label) for _, label, _ in METRICS)
    out = [f"Evaluated {s['n']} questions ({s['n_answerable']} answerable, {s['n_unanswerable']} unanswerable), "
           f"k={run.k}, model {run.model}, {run.seconds:.1f} s", ""]
    out += [f"  {label:<{width}}  {fmt(s.get(key), key):>7}   over {_over(key, s)}" for key, label, _ in METRICS]
    out += ["", "  key-fact accuracy by type: " + ", ".join(
        f"{t} {fmt(ts.get('key_fact_accuracy'))}" for t, ts in run.by_type.items() if ts["n_answerable"])]
    if run.by_case:
        out.append("  by case: " + ", ".join(
            f"{c} (n={cs['n']}) " + (f"correct abstention {fmt(cs['correct_abstention'])}" if cs["n_unanswerable"]
                                     else f"false abstention {fmt(cs['false_abstention'])}")
            for c, cs in run.by_case.items()))
    return "\n".join(out)


def run_cli(settings: Settings, args: Any) -> int:
    """`rag eval`: evaluate Pipeline(settings) on --questions, write --output and --report, print the summary."""
    from tqdm import tqdm

    from .pipeline import Pipeline

    questions_path = Path(getattr(args, "questions", None) or "tests/questions.jsonl")
    output = Path(getattr(args, "output", None) or "eval-out/results.jsonl")
    report = Path(getattr(args, "report", None) or "eval-out/report.md")
    questions = load_questions(questions_path)  # a bad file fails before the model loads
    pipeline = Pipeline(settings)
    k = eval_k(pipeline, getattr(args, "k", None))
    bar = tqdm(total=len(questions), unit="q", desc="evaluating", file=sys.stderr, dynamic_ncols=True)

    def progress(done: int, total: int) -> None:
        bar.update(done - bar.n)

    try:
        run = evaluate(pipeline, questions, k=k, progress=progress, questions_path=questions_path)
    finally:
        bar.close()
    write_report(run, report, output)
    print(format_summary(run))
    print(f"\nReport: {report} (chart {run.chart_path}); per-question results: {output}")
    return 0
