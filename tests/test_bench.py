"""The benchmark runs end to end in its smallest mode and writes its report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADINGS = [
    "# Benchmark: speed, memory and scale",
    "## Targets",
    "## Embedding engines",
    "## Ingest",
    "## Query latency (warm)",
    "## Cold start",
    "## Scale: retrieval quality as distractors grow",
    "## What bounds the figures",
    "## Method",
]


@pytest.mark.slow
def test_tiny_benchmark_writes_report(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--tiny", "--out", str(out), "--work-dir", str(tmp_path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    md = (out / "results.md").read_text(encoding="utf-8")
    positions = [md.find(h) for h in HEADINGS]
    assert all(p >= 0 for p in positions), [h for h, p in zip(HEADINGS, positions) if p < 0]
    assert positions == sorted(positions), "sections out of order"
    assert "How to reproduce" in md and "--tiny" in md
    # Every comparison carries a ratio to the baseline, and the seed row has real figures.
    assert "× baseline" in md and "| seed | rag |" in md

    png = out / "results.png"
    assert png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert res["mode"]["name"] == "tiny"
    assert res["seed"]["rag_query"]["hit1_n"] > 0
    # The generated corpus went through the real Pipeline.ingest, with disclosed vector reuse.
    scale = res["scale"][0]
    assert scale["rag_ingest"]["chunks"] >= scale["target"]
    assert 0 < scale["rag_ingest"]["vectors_computed"] < scale["rag_ingest"]["vectors_total"]
    assert "Vector reuse (disclosed)" in md
    # Nothing is left in the work folder (corpora and indexes are temporary).
    assert not list(tmp_path.glob("rag-bench-*"))


def test_generated_corpus_is_deterministic_and_never_holds_evidence(tmp_path: Path) -> None:
    """Fast check of bench/corpora.py: same files twice, variants cut alike, no evidence string leaks."""
    sys.path.insert(0, str(ROOT))
    from bench.corpora import CorpusGenerator, load_questions, squash, template_key

    from rag.corpus import load_corpus

    evidence = [e for q in load_questions(ROOT / "tests" / "questions.jsonl") for e in q["evidence"]]
    gen = CorpusGenerator(evidence=evidence, pool_size=4)
    a = gen.write(tmp_path / "a", 300)
    b = gen.write(tmp_path / "b", 300)
    assert a.chunks >= 300 and a.files == b.files
    for f in sorted((tmp_path / "a" / "gen").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        assert text == (tmp_path / "b" / "gen" / f.name).read_text(encoding="utf-8")
        assert not any(squash(e) in squash(text) for e in evidence if e.strip())
    # Variants of one template (files 0 and 4) differ in text but are chunked at the same places.
    chunks = load_corpus([tmp_path / "a" / "gen"])
    by_file: dict[str, list[str]] = {}
    for c in chunks:
        by_file.setdefault(c.source, []).append(c.context)
    v0, v4 = by_file["000000.txt"], by_file["000004.txt"]
    assert v0 != v4 and [template_key(t) for t in v0] == [template_key(t) for t in v4]
