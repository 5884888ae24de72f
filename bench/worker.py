"""One measurement in a fresh process: `python -m bench.worker TASK ARGS_JSON OUT_JSON`.

bench/run.py starts one process per measurement, so that imports, caches and peak memory (which run.py reads
from the process's rusage) belong to one configuration only. rag is driven through its public API and its
settings; the bench only adds a model wrapper that reuses template vectors for generated corpora.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpora import SEEDS, contains_evidence, corpus_texts, template_key  # noqa: E402
from rag.embeddings import EmbeddingModel, Kind, Span  # noqa: E402


def summary_ms(seconds: Sequence[float]) -> dict[str, float]:
    ms = np.asarray(seconds, dtype=np.float64) * 1000
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)), "n": len(ms)}


def _settings(a: dict[str, Any]) -> Any:
    from rag.config import load_settings

    return load_settings(store=Path(a["store"]) if a.get("store") else None, cache_dir=Path(a["cache_dir"]))


# -- vector reuse for generated corpora ------------------------------------------------
class VectorPool:
    """Vectors kept on disk between processes, keyed by text template (numbers and names masked).

    A seed-corpus text is keyed by its exact text, so it only ever gets its own vector."""

    def __init__(self, path: Path, seed_texts: set[str], reuse: bool) -> None:
        self.path, self.seed_texts, self.reuse = path, seed_texts, reuse
        self.rows: dict[str, np.ndarray] = {}  # key -> (1 + spans, dim): the text's vector, then its spans'
        if path.exists():
            with np.load(path, allow_pickle=False) as z:  # each z[...] reads the file again: once each
                keys, bounds, vectors = z["keys"].tolist(), z["bounds"], z["vectors"]
            self.rows = {k: vectors[a:b] for k, a, b in zip(keys, bounds[:-1], bounds[1:])}
        self.computed = self.reused = 0

    def key(self, text: str) -> str:
        return "=" + text if text in self.seed_texts else template_key(text)

    def lookup(self, texts: Sequence[str], compute: Any) -> list[np.ndarray]:
        """Rows for texts; compute(indices) embeds for real (all texts, or with reuse the first of each new key)."""
        keys = [self.key(t) for t in texts]
        todo = list(range(len(texts)))
        if self.reuse:
            first: dict[str, int] = {}
            for i, k in enumerate(keys):
                if k not in self.rows:
                    first.setdefault(k, i)
            todo = list(first.values())
        computed = dict(zip(todo, compute(todo)))
        for i, rows in computed.items():
            self.rows.setdefault(keys[i], rows)
        self.computed += len(todo)
        self.reused += len(texts) - len(todo)
        return [computed[i] if i in computed else self.rows[keys[i]] for i in range(len(texts))]

    def save(self) -> None:
        keys = list(self.rows)
        bounds = np.cumsum([0] + [len(self.rows[k]) for k in keys])
        np.savez(self.path, keys=np.array(keys), bounds=bounds, vectors=np.concatenate([self.rows[k] for k in keys]))


class PooledModel(EmbeddingModel):
    """rag's ingest model, except that a generated passage reuses the vectors of its template's first passage."""

    def __init__(self, real: EmbeddingModel, pool: VectorPool) -> None:
        self.real, self.pool = real, pool
        self.name, self.dim, self.batch_size = real.name, real.dim, real.batch_size
        self.embed_s = 0.0

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        return self.real.embed_batch(texts, kind)

    def embed_passages(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> tuple[np.ndarray, list[np.ndarray]]:
        def compute(idx: list[int]) -> list[np.ndarray]:
            if not idx:
                return []
            t = time.perf_counter()
            vecs, svecs = self.real.embed_passages([texts[i] for i in idx], [spans[i] for i in idx])
            self.embed_s += time.perf_counter() - t
            return [np.vstack([v[None], s]) for v, s in zip(vecs, svecs)]

        rows = self.pool.lookup(texts, compute)
        return np.stack([r[0] for r in rows]), [r[1:] for r in rows]


def seed_contexts() -> set[str]:
    from rag.corpus import load_corpus

    return {c.context for c in load_corpus([SEEDS])}


# -- tasks -------------------------------------------------------------------------------
def task_engine(a: dict[str, Any]) -> dict[str, Any]:
    """One engine: load time, embedding throughput on the seed passages (and sentences), question latency."""
    from rag.config import load_settings
    from rag.corpus import load_corpus
    from rag.embeddings import load_model
    from rag.text import sentence_spans

    settings = load_settings(cache_dir=Path(a["cache_dir"]), ingest_engine=a["engine"], late_chunking=a["late"])
    t = time.perf_counter()
    model = load_model(settings, "ingest")
    model.embed_query("预热 warm up")  # a lazily loading engine finishes loading here
    load_s = time.perf_counter() - t
    chunks = load_corpus([SEEDS])
    texts = [c.context for c in chunks]
    spans = [[(a + len(c.context) - len(c.text), b + len(c.context) - len(c.text)) for a, b in sentence_spans(c.text)]
             for c in chunks]
    wall, cpu = time.perf_counter(), time.process_time()
    vecs, _ = model.embed_passages(texts, spans)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    lat, qvecs = [], []
    for q in a["queries"]:
        t = time.perf_counter()
        qvecs.append(model.embed_query(q))
        lat.append(time.perf_counter() - t)
    np.savez(a["vectors"], passages=vecs, queries=np.stack(qvecs))
    chars = sum(map(len, texts))
    return {"load_s": load_s, "embed_s": wall, "cpu_s": cpu, "chars": chars, "chars_per_s": chars / wall,
            "chars_per_cpu_s": chars / cpu, "query_ms": summary_ms(lat)}


def task_rag_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """Pipeline.ingest of a generated corpus, through a model that reuses template vectors (a parameter of Pipeline)."""
    from rag.embeddings import load_model
    from rag.pipeline import Pipeline

    settings = _settings(a)
    t = time.perf_counter()
    real = load_model(settings, "ingest")
    real.embed_query("预热")
    load_s = time.perf_counter() - t
    pool = VectorPool(Path(a["pool"]), seed_contexts(), reuse=a["reuse"])
    model = PooledModel(real, pool)
    t = time.perf_counter()
    report = Pipeline(settings, ingest_model=model).ingest([Path(a["corpus"])], rebuild=True)
    wall = time.perf_counter() - t
    pool.save()
    return {"load_s": load_s, "ingest_s": wall, "embed_s": model.embed_s, "passages": report.chunks,
            "computed": pool.computed, "reused": pool.reused}


def task_rag_query(a: dict[str, Any]) -> dict[str, Any]:
    """Warm asks (rag eval's loop: hit@1, key facts, latency), retrieval alone, and where an ask's time goes."""
    from rag.evaluate import evaluate
    from rag.pipeline import Pipeline

    pipe = Pipeline(_settings(a))
    run = evaluate(pipe, a["questions"], k=10)  # warms the pipeline first
    from rag.question import analyse
    from rag.retrieval import rank

    state, pool = pipe.ready(), max(10, pipe.scoring.pool)
    retrieval, stages = [], {"embed question": [], "search": [], "rank": [], "answer": []}
    for q in (q["question"] for q in a["questions"]):  # what Pipeline.ask calls, in its order, each timed
        t0 = time.perf_counter()
        asked = analyse(q)
        qvec = pipe.model.embed_query(asked.search_text)
        t1 = time.perf_counter()
        found = pipe.gather(asked, pool, pipe.settings.mode, state, qvec)  # dense + BM25, fused; sentence vectors
        t2 = time.perf_counter()
        hits = rank(pipe.scoring.passage, asked, found.terms, found.qvec, found.pool, found.sentences)
        t3 = time.perf_counter()
        state.answerer.answer(asked, found.terms, found.qvec, hits[:10], found.sentences)
        t4 = time.perf_counter()
        retrieval.append(t2 - t0)
        for name, sec in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            stages[name].append(sec)
    keep = ("hit@1", "hit@5", "key_fact_accuracy", "correct_abstention", "false_abstention", "n_answerable",
            "n_unanswerable")
    return {"summary": {k: run.summary.get(k) for k in keep},
            "ask_ms": summary_ms([r["latency_ms"] / 1000 for r in run.records]),
            "retrieval_ms": summary_ms(retrieval),
            "stages_ms": {k: 1000 * float(np.mean(v)) for k, v in stages.items()},
            "passages": pipe.index.count()}


def task_cold_breakdown(a: dict[str, Any]) -> dict[str, Any]:
    """A fresh process answering one question, stage by stage (what `rag ask` pays before it prints)."""
    marks: dict[str, float] = {}
    t0 = time.perf_counter()

    def mark(name: str) -> None:
        nonlocal t0
        marks[name] = time.perf_counter() - t0
        t0 = time.perf_counter()

    from rag.pipeline import Pipeline

    mark("import rag")
    pipe = Pipeline(_settings(a), once=True)  # as `rag ask` builds it
    pipe.model  # noqa: B018 - starts loading the query model
    mark("start loading the model")
    pipe.index  # noqa: B018 - imports chromadb, opens the index
    mark("open Chroma index")
    pipe.keyword  # noqa: B018
    mark("load BM25 index")
    from rag.text import tokenize

    tokenize("预热")
    mark("jieba dictionary")
    pipe.model.embed_query("预热")
    mark("model ready")
    pipe.ask(a["question"])
    mark("first ask")
    return {"stages_s": marks}


# -- the baseline: the pipeline a LangChain tutorial user writes ---------------------------
def _baseline_embeddings(model_path: str) -> Any:
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(model_name=model_path)  # default kwargs: no e5 prompts, as tutorials write it


def _baseline_splits(corpus: Path) -> list[Any]:
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    docs = [Document(page_content=text, metadata={"source": src}) for src, text in corpus_texts(corpus)]
    return RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50).split_documents(docs)


def task_baseline_ingest(a: dict[str, Any]) -> dict[str, Any]:
    """Split, HuggingFaceEmbeddings, Chroma.from_documents (optionally reusing template vectors)."""
    from langchain_chroma import Chroma
    from langchain_core.embeddings import Embeddings

    t = time.perf_counter()
    splits = _baseline_splits(Path(a["corpus"]))
    hf = _baseline_embeddings(a["model_path"])
    load_s = time.perf_counter() - t
    emb: Embeddings = hf
    pool = None
    if a.get("pool"):
        seeds = {d.page_content for d in _baseline_splits(SEEDS)}
        pool = VectorPool(Path(a["pool"]), seeds, reuse=a["reuse"])

        class Pooled(Embeddings):
            def embed_documents(self, texts: list[str]) -> list[list[float]]:
                def compute(idx: list[int]) -> list[np.ndarray]:
                    vecs = np.asarray(hf.embed_documents([texts[i] for i in idx]), dtype=np.float32) if idx else []
                    return [v[None] for v in vecs]

                return [r[0].tolist() for r in pool.lookup(texts, compute)]

            def embed_query(self, text: str) -> list[float]:
                return hf.embed_query(text)

        emb = Pooled()
    Chroma.from_documents(splits, emb, persist_directory=a["store"])
    if pool:
        pool.save()
    return {"load_s": load_s, "ingest_s": time.perf_counter() - t, "passages": len(splits),
            **({"computed": pool.computed, "reused": pool.reused} if pool else {})}


def task_baseline_query(a: dict[str, Any]) -> dict[str, Any]:
    """Warm similarity_search (the baseline's whole answer path) and its hit@1."""
    from langchain_chroma import Chroma

    vs = Chroma(embedding_function=_baseline_embeddings(a["model_path"]), persist_directory=a["store"])
    for q in a["questions"][:5]:
        vs.similarity_search(q["question"], k=5)
    lat, hits = [], []
    for q in a["questions"]:
        t = time.perf_counter()
        docs = vs.similarity_search(q["question"], k=5)
        lat.append(time.perf_counter() - t)
        if q.get("evidence") and q.get("type") != "unanswerable":
            hits.append(bool(docs) and contains_evidence(docs[0].page_content, q["evidence"]))
    return {"summary": {"hit@1": float(np.mean(hits)) if hits else None, "n_answerable": len(hits)},
            "retrieval_ms": summary_ms(lat), "passages": vs._collection.count()}


def baseline_ask(store: str, model_path: str, question: str) -> None:
    """The baseline's cold query as a fresh process: load, search, print the top passage."""
    from langchain_chroma import Chroma

    docs = Chroma(embedding_function=_baseline_embeddings(model_path), persist_directory=store).similarity_search(
        question, k=5)
    print(docs[0].page_content if docs else "(nothing)", flush=True)


TASKS = {"engine": task_engine, "rag-ingest": task_rag_ingest, "rag-query": task_rag_query,
         "cold-breakdown": task_cold_breakdown, "baseline-ingest": task_baseline_ingest,
         "baseline-query": task_baseline_query}


def main(argv: list[str]) -> int:
    if argv[0] == "baseline-ask":
        baseline_ask(*argv[1:4])
        return 0
    task, args_path, out_path = argv
    result = TASKS[task](json.loads(Path(args_path).read_text(encoding="utf-8")))
    Path(out_path).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
