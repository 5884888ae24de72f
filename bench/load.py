"""Load test of the web chat: C clients each asking Q questions at once on /ask and on /chat; prints p50/p95.

    python bench/load.py --store vectorstore            # starts `rag chat` on a free port, stops it after
    python bench/load.py --url http://127.0.0.1:7860/   # or measures a chat that is already running
    options: --clients 20 --questions 5 (RAG_CONCURRENCY / RAG_QUEUE_SIZE apply to a chat it starts)

Latency is from submitting a question to its complete answer (for /chat, the last streamed update), as a user
of that client sees it, queueing included.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A port nothing listens on, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chat(args: Sequence[str], env: Mapping[str, str], stdout: Any, wait: float = 180) -> tuple[subprocess.Popen, str]:
    """`rag chat ARGS --port P` in a subprocess, and its URL once the page answers 200; RuntimeError (the process
    stopped) if it exits or does not answer within `wait` seconds."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen([sys.executable, "-m", "rag.cli", "chat", *args, "--port", str(port)],
                            cwd=ROOT, env=dict(env), stdout=stdout, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + wait
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"rag chat exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_chat(proc)
            raise RuntimeError(f"rag chat did not answer within {wait:g} s")
        time.sleep(0.5)


def stop_chat(proc: subprocess.Popen) -> None:
    """Stop a chat started by start_chat (killed if it does not stop within 20 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextmanager
def chat_server(store: Path) -> Iterator[str]:
    try:
        proc, url = start_chat(["--store", str(store)], {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"},
                               subprocess.DEVNULL)
    except RuntimeError as e:
        sys.exit(str(e))
    try:
        yield url
    finally:
        stop_chat(proc)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs)) - 1))] if xs else float("nan")


def run(url: str, endpoint: str, clients: int, per_client: int, questions: list[str]) -> dict:
    from gradio_client import Client

    conns = [Client(url, verbose=False) for _ in range(clients)]  # connected before the clock starts
    lat: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(i: int) -> None:
        c = conns[i]
        start.wait()
        for j in range(per_client):
            q = questions[(i * per_client + j) % len(questions)]
            t = time.perf_counter()
            try:
                if endpoint == "/ask":
                    c.predict(q, 5, "hybrid", api_name="/ask")
                else:
                    c.submit(q, [], 5, "hybrid", api_name="/chat").result()
            except Exception as e:  # counted and shown: a full queue refuses, which is a result too
                with lock:
                    errors.append(f"{type(e).__name__}: {e}"[:120])
                continue
            with lock:
                lat.append(time.perf_counter() - t)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"endpoint": endpoint, "clients": clients, "requests": clients * per_client, "ok": len(lat),
            "errors": len(errors), "first_error": errors[0] if errors else "",
            "p50_s": statistics.median(lat) if lat else float("nan"), "p95_s": pct(lat, 95),
            "max_s": max(lat, default=float("nan")), "wall_s": wall, "answers_per_s": len(lat) / wall}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--url")
    where.add_argument("--store", type=Path)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--questions", type=int, default=5, help="questions per client")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()
    qs = [json.loads(line)["question"]
          for line in (ROOT / "tests" / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]

    def measure(url: str) -> list[dict]:
        return [run(url, ep, args.clients, args.questions, qs) for ep in ("/ask", "/chat")]

    if args.url:
        rows = measure(args.url)
    else:
        with chat_server(args.store) as url:
            rows = measure(url)
    conc = os.environ.get("RAG_CONCURRENCY", "2 (default)")
    print(f"{args.clients} clients x {args.questions} questions, RAG_CONCURRENCY={conc}")
    print(f"{'endpoint':8} {'ok':>4} {'err':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'wall s':>7} {'ans/s':>6}")
    for r in rows:
        print(f"{r['endpoint']:8} {r['ok']:4d} {r['errors']:4d} {r['p50_s']:7.2f} {r['p95_s']:7.2f} "
              f"{r['max_s']:7.2f} {r['wall_s']:7.1f} {r['answers_per_s']:6.1f}")
        if r["first_error"]:
            print(f"  first error: {r['first_error']}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
