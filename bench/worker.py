"""Measurements that run in a child process, one configuration per process.

`bench/run.py` starts `python -m bench.worker TASK ARGS_JSON OUT_JSON` for every measurement, so
that peak memory (VmHWM: the high-water mark of this process's own address space, reset by exec)
belongs to one configuration only, and no model, import or cache of one run warms another.
Each task writes one JSON object to OUT_JSON.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpora import squash, template_key  # noqa: E402


# -- memory ------------------------------------------------------------------------
def _status_kb(field: str) -> int:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_mb() -> float:
    return _status_kb("VmRSS") / 1024


def peak_rss_mb() -> float:
    """Peak resident memory of this process since exec."""
    return _status_kb("VmHWM") / 1024


class RssSampler:
    """Samples RSS in a thread, to show how memory moves during an ingest (not just its peak)."""

    def __init__(self, every: float = 0.25) -> None:
        self.every, self.samples, self._stop = every, [], threading.Event()
        self._t0 = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append((round(time.perf_counter() - self._t0, 2), round(rss_mb(), 1)))
            self._stop.wait(self.every)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def thinned(self, n: int = 60) -> list[tuple[float, float]]:
        step = max(1, len(self.samples) // n)
        return self.samples[::step]


def pct(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else float("nan")


def summary_ms(values: Sequence[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"p50": pct(ms, 50), "p95": pct(ms, 95), "mean": float(np.mean(ms)) if ms else float("nan"),
            "n": len(ms)}


class Timers:
    """Accumulated seconds per named stage; wrap() patches a callable to count into a stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - t
                self.calls[name] = self.calls.get(name, 0) + 1

        return timed

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()


def contains_evidence(text: str, evidence: Sequence[str]) -> bool:
    flat = squash(text)
    return any(squash(e) in flat for e in evidence if e.strip())


# -- vector reuse for generated corpora ------------------------------------------------
class VectorPool:
    """Vectors kept on disk between ingests, so generated corpora need not all be embedded for real.

    Generated texts are keyed by template (numbers and names masked): a variant reuses the vector
    of the first variant of its template that was embedded. Seed-corpus texts are keyed by their
    exact text, so they only ever get their own vector (from the seed ingest, same engine).
    With reuse=False every text is embedded for real and the pool is only filled.
    """

    def __init__(self, path: Path | None, seed_texts: set[str], reuse: bool) -> None:
        self.path, self.seed_texts, self.reuse = path, seed_texts, reuse
        self.vectors: dict[str, np.ndarray] = {}
        if path and path.exists():
            data = np.load(path, allow_pickle=False)
            self.vectors = dict(zip(data["keys"].tolist(), data["vectors"]))
        self.computed = 0  # embedded for real in this process
        self.reused = 0  # generated texts given their template's vector
        self.reused_exact = 0  # seed texts given their own earlier vector
        self.reused_samples: list[tuple[str, str]] = []  # (text, key), to check reuse fidelity

    def key(self, text: str) -> str:
        return "=" + text if text in self.seed_texts else template_key(text)

    def embed(self, texts: Sequence[str], real: Callable[[list[str]], np.ndarray], dim: int) -> np.ndarray:
        out = np.empty((len(texts), dim), dtype=np.float32)
        keys = [self.key(t) for t in texts]
        if not self.reuse:
            out[:] = real(list(texts))
            for k, v in zip(keys, out):
                self.vectors.setdefault(k, v.copy())
            self.computed += len(texts)
            return out
        # Embed the first text of each key not yet pooled; every other text takes its key's vector.
        first: dict[str, int] = {}
        for i, k in enumerate(keys):
            if k not in self.vectors and k not in first:
                first[k] = i
        if first:
            idx = list(first.values())
            out[idx] = real([texts[i] for i in idx])
            for k, i in first.items():
                self.vectors[k] = out[i].copy()
        fresh = set(first.values())
        for i, k in enumerate(keys):
            if i in fresh:
                continue
            out[i] = self.vectors[k]
            if k.startswith("="):
                self.reused_exact += 1
            else:
                self.reused += 1
                if len(self.reused_samples) < 5000:
                    self.reused_samples.append((texts[i], k))
        self.computed += len(first)
        return out

    def save(self) -> None:
        if self.path and self.vectors:
            keys = list(self.vectors)
            np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))

    def counts(self) -> dict[str, int]:
        return {"vectors_computed": self.computed, "vectors_reused": self.reused,
                "vectors_reused_exact": self.reused_exact,
                "vectors_total": self.computed + self.reused + self.reused_exact}

    def fidelity(self, real: Callable[[list[str]], np.ndarray], n: int = 48) -> dict[str, float] | None:
        """Cosine between reused vectors and the real vectors of the same texts, on a sample."""
        if not self.reused_samples:
            return None
        step = max(1, len(self.reused_samples) // n)
        sample = self.reused_samples[::step][:n]
        got = real([t for t, _ in sample])
        cos = [float(np.dot(got[i], self.vectors[k])) for i, (_, k) in enumerate(sample)]
        return {"n": len(cos), "mean": float(np.mean(cos)), "min": float(np.min(cos))}


def _rag_settings(a: dict[str, Any]) -> Any:
    from rag.config import load_settings

    return load_settings(
        store=Path(a["store"]), cache_dir=Path(a["cache_dir"]),
        corpus=[Path(a["corpus"])] if a.get("corpus") else None,
        ingest_engine=a.get("ingest_engine"), query_engine=a.get("query_engine"),
        batch_size=a.get("batch_size"),
    )


# -- tasks -------------------------------------------------------------------------
def task_engine(a: dict[str, Any]) -> dict[str, Any]:
    """One embedding engine: load time, ingest-style throughput (the project's batching), query latency."""
    from rag.config import load_settings
    from rag.embeddings import load_model

    t = time.perf_counter()
    settings = load_settings(cache_dir=Path(a["cache_dir"]), batch_size=a["batch_size"],
                             ingest_engine=a["engine"], query_engine=a["engine"])
    model = load_model(settings, "ingest")
    load_s = time.perf_counter() - t
    model.embed_query("预热 warm up")
    passages, sentences = a["passages"], a["sentences"]
    # Same shape as rag.pipeline._embed_into: per 256 chunks, their passages then their sentences.
    t = time.perf_counter()
    for at in range(0, len(passages), 256):
        model.embed(passages[at : at + 256], "passage")
    for at in range(0, len(sentences), 512):
        model.embed(sentences[at : at + 512], "passage")
    embed_s = time.perf_counter() - t
    lat = []
    for _ in range(a.get("query_repeats", 1)):
        for q in a["queries"]:
            t = time.perf_counter()
            model.embed_query(q)
            lat.append(time.perf_counter() - t)
    return {"engine": a["engine"], "batch_size": a["batch_size"], "load_s": load_s, "embed_s": embed_s,
            "texts": len(passages) + len(sentences), "chars": sum(map(len, passages + sentences)),
            "tokens": a.get("tokens"), "query": summary_ms(lat), "peak_rss_mb": peak_rss_mb(),
            "threads": _threads()}


def _threads() -> dict[str, Any]:
    out: dict[str, Any] = {"OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS")}
    if "torch" in sys.modules:
        out["torch"] = sys.modules["torch"].get_num_threads()
    return out


def task_rag_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """rag's real Pipeline.ingest over a corpus; generated texts may reuse template vectors."""
    import rag.pipeline as rp
    from rag.retrieval import Keyword
    from rag.store import Index

    settings = _rag_settings(a)
    rss_start = rss_mb()
    timers = Timers()
    pool = VectorPool(Path(a["pool"]) if a.get("pool") else None, set(a.get("seed_texts", [])),
                      reuse=a.get("reuse", False))
    facts: dict[str, Any] = {}
    original_load = rp.load_model

    def load_model(s: Any, task: str) -> Any:
        t = time.perf_counter()
        model = original_load(s, task)
        facts["model_load_s"] = time.perf_counter() - t
        facts["rss_after_model_mb"] = rss_mb()
        facts["model_class"] = type(model).__name__
        inner_embed = model.embed
        real = timers.wrap("embed", lambda texts, kind="passage": inner_embed(texts, kind))
        if a.get("pool"):
            model.embed = lambda texts, kind="passage", progress=None: pool.embed(
                texts, lambda miss: real(miss, kind), model.dim)
        else:
            model.embed = lambda texts, kind="passage", progress=None: real(texts, kind)
        facts["model"] = model
        return model

    rp.load_model = load_model
    # Stage timers: where an ingest's time goes (patched on the classes, in this process only).
    Index.add = timers.wrap("chroma_add", Index.add)
    Keyword.build = classmethod(timers.wrap("bm25_build", Keyword.build.__func__))
    Keyword.save = timers.wrap("bm25_save", Keyword.save)
    rp.parse = timers.wrap("parse", rp.parse)

    pipe = rp.Pipeline(settings)
    with RssSampler() as sampler:
        t = time.perf_counter()
        report = pipe.ingest(rebuild=True)
        wall = time.perf_counter() - t
    out = {
        "wall_s": wall, "files": report.files, "chunks": report.chunks, "embedded": report.embedded,
        "stages": timers.seconds, "peak_rss_mb": peak_rss_mb(), "rss_start_mb": rss_start,
        "rss_timeline": sampler.thinned(), **(pool.counts() if a.get("pool") else {}),
        **{k: v for k, v in facts.items() if k != "model"},
    }
    if a.get("pool"):
        pool.save()
        model = facts["model"]
        if a.get("fidelity") and pool.reused:
            out["reuse_fidelity"] = pool.fidelity(lambda texts: original_embed(model, texts))
    return out


def original_embed(model: Any, texts: list[str]) -> np.ndarray:
    """Real vectors from a model whose embed() was replaced: go through its batches directly."""
    from rag.embeddings import EmbeddingModel

    return EmbeddingModel.embed(model, texts, "passage")


def task_rag_query(a: dict[str, Any]) -> dict[str, Any]:
    """Warm latency of retrieval alone and of Pipeline.ask, hit@1, and where the time goes."""
    from rag.pipeline import Pipeline

    settings = _rag_settings(a)
    t = time.perf_counter()
    pipe = Pipeline(settings).warm()
    warm_s = time.perf_counter() - t
    timers = Timers()
    # Per-stage timers on the live objects; the retriever and answerer call these attributes.
    pipe.model.embed_query = timers.wrap("embed_query", pipe.model.embed_query)
    pipe.index.search = timers.wrap("dense_search", pipe.index.search)
    pipe.index.get = timers.wrap("fetch_passages", pipe.index.get)
    pipe.index.sentences = timers.wrap("fetch_sentences", pipe.index.sentences)
    pipe.keyword.search = timers.wrap("bm25_search", pipe.keyword.search)
    pipe.answerer.answer = timers.wrap("answer", pipe.answerer.answer)
    questions = a["questions"]
    for q in questions[:5]:  # warm caches (jieba's, Chroma's) beyond the model
        pipe.ask(q["question"])
    timers.reset()
    retrieval, ask, hits = [], [], {}
    for _ in range(a.get("repeats", 1)):
        for q in questions:
            t = time.perf_counter()
            pipe.retriever.search(q["question"], settings.k, settings.mode)
            retrieval.append(time.perf_counter() - t)
    retrieval_stages = dict(timers.seconds)
    timers.reset()
    for _ in range(a.get("repeats", 1)):
        for q in questions:
            t = time.perf_counter()
            res = pipe.ask(q["question"])
            ask.append(time.perf_counter() - t)
            if q["evidence"]:
                hits[q["id"]] = bool(res.hits) and contains_evidence(res.hits[0].text, q["evidence"])
    n_runs = max(1, len(ask))
    ask_stages = dict(timers.seconds)  # before the profiled pass adds to them
    profile = profile_asks(pipe, questions) if a.get("profile") else None
    return {
        "profile": profile,
        "warm_s": warm_s, "retrieval": summary_ms(retrieval), "ask": summary_ms(ask),
        "retrieval_stages_ms": {k: 1000 * v / max(1, len(retrieval)) for k, v in retrieval_stages.items()},
        "ask_stages_ms": {k: 1000 * v / n_runs for k, v in ask_stages.items()},
        "hit1": sum(hits.values()) / max(1, len(hits)), "hit1_n": len(hits), "hits": hits,
        "passages": pipe.index.count(), "peak_rss_mb": peak_rss_mb(),
    }


def profile_asks(pipe: Any, questions: list[dict], top: int = 12) -> dict[str, Any]:
    """cProfile over one more pass of asks (after the timed passes, so it does not distort them)."""
    import cProfile
    import pstats

    prof = cProfile.Profile()
    prof.enable()
    for q in questions:
        pipe.ask(q["question"])
    prof.disable()
    st = pstats.Stats(prof)
    n = max(1, len(questions))
    rows = []
    for (file, line, func), (_cc, calls, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(file)}:{line}({func})", "calls_per_ask": calls / n,
                     "own_ms_per_ask": 1000 * tt / n, "cum_ms_per_ask": 1000 * ct / n})
    rows.sort(key=lambda r: -r["own_ms_per_ask"])
    total = sum(r["own_ms_per_ask"] for r in rows)
    return {"top_own": rows[:top], "total_ms_per_ask": total}


def _short(path: str) -> str:
    for marker in ("site-packages/", str(ROOT) + "/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path


def task_cold_breakdown(a: dict[str, Any]) -> dict[str, Any]:
    """A fresh process answering one question, stage by stage (what `rag ask` pays before printing)."""
    t0 = time.perf_counter()
    stages: dict[str, float] = {}

    def mark(name: str) -> None:
        nonlocal t0
        now = time.perf_counter()
        stages[name] = now - t0
        t0 = now

    from rag.config import load_settings
    from rag.pipeline import Pipeline

    mark("import rag")
    pipe = Pipeline(load_settings(store=Path(a["store"]), cache_dir=Path(a["cache_dir"])))
    pipe.index  # noqa: B018 - opens Chroma (imports chromadb)
    mark("open Chroma index")
    pipe.keyword  # noqa: B018
    mark("load BM25 index")
    pipe.model  # noqa: B018
    mark("load query model")
    from rag.text import tokenize

    tokenize("预热")
    mark("jieba dictionary")
    pipe.answerer  # noqa: B018
    pipe.ask(a["question"])
    mark("first ask")
    return {"stages_s": stages, "startup_s": a.get("startup_s")}


def _baseline_embeddings(model_path: str) -> Any:
    """What the LangChain tutorial writes: the model directory, default kwargs (no e5 prompts)."""
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=model_path)


def _baseline_splits(corpus: Path) -> list[Any]:
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from bench.corpora import corpus_texts

    docs = [Document(page_content=text, metadata={"source": src}) for src, text in corpus_texts(corpus)]
    return RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_documents(docs)


def task_baseline_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """The first pipeline a LangChain user writes: split, HuggingFaceEmbeddings, Chroma.from_documents."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    rss_start = rss_mb()
    timers = Timers()
    pool = VectorPool(Path(a["pool"]) if a.get("pool") else None, set(a.get("seed_texts", [])),
                      reuse=a.get("reuse", False))
    with RssSampler() as sampler:
        t = time.perf_counter()
        splits = timers.wrap("parse", _baseline_splits)(Path(a["corpus"]))
        t_model = time.perf_counter()
        hf = _baseline_embeddings(a["model_path"])
        model_load_s = time.perf_counter() - t_model
        rss_after_model = rss_mb()
        real = timers.wrap("embed", hf.embed_documents)
        emb: Embeddings = hf
        if a.get("pool"):
            class Pooled(Embeddings):
                def embed_documents(self, texts: list[str]) -> list[list[float]]:
                    return pool.embed(texts, lambda miss: np.asarray(real(miss), dtype=np.float32), 384).tolist()

                def embed_query(self, text: str) -> list[float]:
                    return hf.embed_query(text)

            emb = Pooled()
        else:
            class Timed(Embeddings):
                def embed_documents(self, texts: list[str]) -> list[list[float]]:
                    return real(texts)

                def embed_query(self, text: str) -> list[float]:
                    return hf.embed_query(text)

            emb = Timed()
        Chroma.from_documents(splits, emb, persist_directory=a["store"])
        wall = time.perf_counter() - t
    out = {
        "wall_s": wall, "chunks": len(splits), "model_load_s": model_load_s, "stages": timers.seconds,
        "peak_rss_mb": peak_rss_mb(), "rss_start_mb": rss_start, "rss_after_model_mb": rss_after_model,
        "rss_timeline": sampler.thinned(), **(pool.counts() if a.get("pool") else {}),
    }
    if a.get("pool"):
        pool.save()
        if a.get("fidelity") and pool.reused:
            out["reuse_fidelity"] = pool.fidelity(lambda texts: np.asarray(hf.embed_documents(texts), np.float32))
    return out


def task_baseline_query(a: dict[str, Any]) -> dict[str, Any]:
    """Warm latency of the baseline's similarity_search (its whole answer path) and its hit@1."""
    from langchain_chroma import Chroma

    t = time.perf_counter()
    vs = Chroma(embedding_function=_baseline_embeddings(a["model_path"]), persist_directory=a["store"])
    vs.similarity_search("预热", k=a["k"])
    warm_s = time.perf_counter() - t
    questions = a["questions"]
    for q in questions[:5]:
        vs.similarity_search(q["question"], k=a["k"])
    lat, hits = [], {}
    for _ in range(a.get("repeats", 1)):
        for q in questions:
            t = time.perf_counter()
            docs = vs.similarity_search(q["question"], k=a["k"])
            lat.append(time.perf_counter() - t)
            if q["evidence"]:
                hits[q["id"]] = bool(docs) and contains_evidence(docs[0].page_content, q["evidence"])
    return {"warm_s": warm_s, "retrieval": summary_ms(lat), "hit1": sum(hits.values()) / max(1, len(hits)),
            "hit1_n": len(hits), "hits": hits, "passages": vs._collection.count(), "peak_rss_mb": peak_rss_mb()}


def baseline_ask_main(store: str, model_path: str, question: str, k: int) -> None:
    """The baseline's `ask` as a fresh process: load, search, print the top passage (cold start)."""
    from langchain_chroma import Chroma

    vs = Chroma(embedding_function=_baseline_embeddings(model_path), persist_directory=store)
    docs = vs.similarity_search(question, k=k)
    print(docs[0].page_content if docs else "(nothing)", flush=True)


TASKS = {
    "engine": task_engine,
    "rag-ingest": task_rag_ingest,
    "rag-query": task_rag_query,
    "cold-breakdown": task_cold_breakdown,
    "baseline-ingest": task_baseline_ingest,
    "baseline-query": task_baseline_query,
}


def main(argv: list[str]) -> int:
    if argv[0] == "baseline-ask":
        baseline_ask_main(argv[1], argv[2], argv[3], int(argv[4]))
        return 0
    task, args_path, out_path = argv
    args = json.loads(Path(args_path).read_text(encoding="utf-8"))
    if os.environ.get("BENCH_OMP_DEFAULT") == "1":
        # Measure OpenMP's default wait policy (idle threads spin) even though rag sets PASSIVE when
        # rag.embeddings is imported: let it, then take it back before any OpenMP runtime is loaded.
        import rag.embeddings  # noqa: F401

        os.environ.pop("OMP_WAIT_POLICY", None)
    result = TASKS[task](args)
    # The policy the engines ran with (rag sets it on import; the baseline never imports rag).
    result["omp_wait_policy"] = os.environ.get("OMP_WAIT_POLICY") or "default"
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
