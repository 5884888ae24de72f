"""Choose Chroma's HNSW search breadth (ef_search): recall of the dense search against exact search, and its time.

    python bench/search_ef.py [--efs 100,200,400] [--passages 25000] [--queries 300] [--work eval-out/search_ef]

Two sets of vectors, each searched to the depth the pipeline asks for (4 x the pool): the CMRC trial corpus as
`rag ingest` stores it, with its questions embedded by the query engine; and --passages vectors (one index part's
size) drawn around cluster centres, with queries near them. For each ef it reopens the index in a fresh process
(Chroma reads ef when it loads a collection) and prints recall@depth, the share of queries whose whole top-depth
is exact, whether two fresh processes return the same lists, and the p50/p95 time of one query; then the same
for the scan of the vectors held in memory that a served index of up to FLAT_PASSAGES passages uses instead
(`Index.hold_vectors`, "flat").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.splits import CMRC  # noqa: E402

DEPTH = 40  # Retriever.search: max(4 * pool, 20) with the shipped pool of 10


def cmrc_vectors(work: Path, queries: int) -> tuple[Path, np.ndarray]:
    """The CMRC corpus ingested by rag (kept under work), and its first questions' query vectors."""
    from rag.config import load_settings
    from rag.pipeline import Pipeline
    from rag.question import analyse

    store = work / "cmrc"
    pipe = Pipeline(load_settings(store=store))
    pipe.ingest([CMRC / "corpus"])
    rows = [json.loads(line) for line in (CMRC / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    q = np.stack([pipe.model.embed_query(analyse(r["question"]).search_text) for r in rows[:queries]])
    return store, q.astype(np.float32)


def clustered(work: Path, n: int, queries: int) -> tuple[Path, np.ndarray]:
    """n unit vectors around 300 centres in one Chroma collection named as rag names it, and queries near them."""
    from rag.config import load_settings
    from rag.store import close_client, open_client

    store = work / f"clustered-{n}"
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(300, 384))
    x = centres[rng.integers(0, 300, n)] + 0.7 * rng.normal(size=(n, 384))
    x = (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    q = x[rng.integers(0, n, queries)] + 0.3 * rng.normal(size=(queries, 384))
    q = (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)
    if not (store / "chroma.sqlite3").exists():
        client = open_client(load_settings(store=store))
        col = client.create_collection("rag_chunks", configuration={"hnsw": {"space": "cosine"}},
                                       embedding_function=None)
        for a in range(0, n, 5000):
            col.add(ids=[str(i) for i in range(a, min(n, a + 5000))], embeddings=x[a : a + 5000])
        close_client(client)
    return store, q


def probe(store: Path, ef: int, queries: Path) -> dict[str, object]:
    """In this process: set ef, reopen, search every query; exact neighbours from the stored vectors."""
    from rag.config import load_settings
    from rag.store import close_client, open_client

    settings = load_settings(store=store)
    client = open_client(settings)
    client.get_collection("rag_chunks").modify(configuration={"hnsw": {"ef_search": ef}})
    close_client(client)
    client = open_client(settings)
    col = client.get_collection("rag_chunks")
    got = col.get(include=["embeddings"])
    return measure(lambda v: col.query(query_embeddings=[v], n_results=DEPTH, include=["distances"])["ids"][0],
                   got, np.load(queries))


def probe_flat(store: Path, queries: Path) -> dict[str, object]:
    """In this process: rag's own in-memory scan (Index.hold_vectors, then Index.search)."""
    from rag.config import load_settings
    from rag.store import Index

    idx = Index.open(load_settings(store=store))
    idx.hold_vectors(limit=10**9)
    got = idx.client.get_collection("rag_chunks").get(include=["embeddings"])  # the reference, read apart
    return measure(lambda v: [i for i, _ in idx.search(v, DEPTH)], got, np.load(queries))


def measure(search: Any, got: dict[str, Any], qs: np.ndarray) -> dict[str, object]:
    """Time search (a query vector -> ids, best first) on every query after ten unrecorded ones, and compare
    its lists with the exact nearest neighbours of the stored vectors (got: a Chroma get with embeddings)."""
    ids, vecs = np.asarray(got["ids"]), np.asarray(got["embeddings"], dtype=np.float32)
    vecs = vecs / np.linalg.norm(vecs, axis=1, keepdims=True)
    for v in qs[:10]:
        search(v)
    times, lists, recall = [], [], []
    for v in qs:
        t = time.perf_counter()
        found = search(v)
        times.append(time.perf_counter() - t)
        exact = set(ids[np.argsort(-(vecs @ v))[:DEPTH]].tolist())
        recall.append(len(exact & set(found)) / len(exact))
        lists.append(found)
    return {"recall": float(np.mean(recall)), "exact": float(np.mean(np.asarray(recall) == 1.0)),
            "p50": float(np.percentile(times, 50) * 1000), "p95": float(np.percentile(times, 95) * 1000),
            "lists": lists}


def run_probe(store: Path, ef: int | str, queries: Path) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--probe", str(store), str(ef), str(queries)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--efs", default="100,200,400")
    ap.add_argument("--passages", type=int, default=25_000, help="clustered vectors (an index part holds 25,000)")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--work", type=Path, default=ROOT / "eval-out" / "search_ef")
    ap.add_argument("--probe", nargs=3, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.probe:
        store, ef, queries = Path(a.probe[0]), a.probe[1], Path(a.probe[2])
        print(json.dumps(probe_flat(store, queries) if ef == "flat" else probe(store, int(ef), queries)))
        return 0
    a.work.mkdir(parents=True, exist_ok=True)
    print(f"| vectors | ef_search | recall@{DEPTH} | queries exact | same in two processes | p50 ms | p95 ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, (store, q) in (("CMRC trial passages", cmrc_vectors(a.work, a.queries)),
                             (f"{a.passages:,} clustered", clustered(a.work, a.passages, a.queries))):
        qpath = a.work / f"{store.name}-queries.npy"
        np.save(qpath, q)
        for ef in [*(int(x) for x in a.efs.split(",")), "flat"]:
            one, two = run_probe(store, ef, qpath), run_probe(store, ef, qpath)
            same = np.mean([x == y for x, y in zip(one["lists"], two["lists"])])
            print(f"| {name} | {ef} | {one['recall']:.4f} | {one['exact']:.3f} | {same:.3f} | "
                  f"{min(one['p50'], two['p50']):.2f} | {min(one['p95'], two['p95']):.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
