"""The benchmark runs end to end in its smallest mode and renders its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["# Benchmark results", "## Targets", "## Ingest", "## Answers and warm latency", "## Embedding engines",
            "## Cold start", "## Generated corpora"]


@pytest.mark.slow
def test_tiny_benchmark_writes_results_and_renders_them(tmp_path: Path, cache_dir: Path) -> None:
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAG_")}
    proc = subprocess.run(  # the session's model cache: the converted model is not built a second time
        [sys.executable, "bench/run.py", "--tiny", "--out", str(out), "--work-dir", str(tmp_path),
         "--cache-dir", str(cache_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]

    res = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert res["mode"]["name"] == "tiny" and res["commit"] and res["machine"]["cores"]
    assert res["settings"]["auto_engines"]["ingest"] and "late_chunking" in res["settings"]
    seed = res["corpora"]["seed"]
    assert seed["rag"]["query"]["summary"]["n_answerable"] > 0 and seed["baseline"]["ingest"]["passages"] > 0
    assert seed["rag"]["ingest"]["process"]["peak_rss_mb"] > 0 and seed["rag"]["ingest"]["process"]["rss_mb"]
    assert len(res["cold"]["rag"]) == len(res["cold"]["baseline"]) == 1
    # The generated corpus went through Pipeline.ingest with disclosed template-vector reuse.
    gen = res["scale"][0]["rag"]
    assert gen["query"]["passages"] >= 150 and 0 < gen["ingest"]["computed"] < gen["query"]["passages"]

    md = (out / "results.md").read_text(encoding="utf-8")
    positions = [md.find(h) for h in SECTIONS]
    assert all(p >= 0 for p in positions), [h for h, p in zip(SECTIONS, positions) if p < 0]
    assert positions == sorted(positions)
    assert res["commit"] in md and "python bench/run.py --tiny" in md
    # A re-render of the same results.json gives the same Markdown (the report is a function of the data).
    subprocess.run([sys.executable, "bench/report.py", str(out / "results.json")], cwd=ROOT, check=True)
    assert (out / "results.md").read_text(encoding="utf-8") == md
    assert (out / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list(tmp_path.glob("rag-bench-*"))  # the work folder is gone


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


def test_probe_counts_tell_right_wrong_and_refused_answers_apart() -> None:
    sys.path.insert(0, str(ROOT))
    from bench.probes import FRESH, PROBES, SEEDS, counts, table

    def rec(answerable: bool, abstained: bool, key_fact: float | None = None) -> dict:
        return {"abstained": abstained, "scores": {"answerable": answerable, "key_fact": key_fact}}

    rows = [rec(True, False, 1.0), rec(True, False, 0.5), rec(True, True), rec(False, True), rec(False, False)]
    c = counts(rows)
    assert c == {"answerable": 3, "right": 1, "wrong": 1, "refused": 1, "unanswerable": 2, "declined": 1}
    assert table({"dev/a": c, "dev/b": c}).splitlines()[-1] == "| all | 6 | 2 | 2 | 2 | 4 | 2 |"
    # Every probe corpus has its question file, and every question's evidence is in its corpus.
    corpora = [d for s in ("dev", "held-out") for d in sorted((PROBES / s).iterdir()) if d.is_dir()]
    assert len(corpora) == 6
    for d in corpora:
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(d.iterdir()))
        for line in d.with_suffix(".jsonl").read_text(encoding="utf-8").splitlines():
            q = json.loads(line)
            assert all(e in text for e in q["evidence"] + q["must_contain"]), (d.name, q["id"])
    # And so is every fresh seed-page question's, each in the question-set format.
    from rag.evaluate import load_questions

    seed = "".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.iterdir()))
    for s in ("dev", "held-out"):
        questions = load_questions(FRESH / f"{s}.jsonl")
        assert len(questions) == 45
        for q in questions:
            assert all(e in seed for e in q["evidence"] + q["must_contain"]), (s, q["id"])


def test_walkthroughs_are_question_sets_over_their_own_documents() -> None:
    """Each walkthrough (bench/walks) is a folder of documents in several formats with its question file beside it;
    ids are unique across them all, every unanswerable question names its case, and every key fact is in its
    folder's documents as the product reads them (or in a page's raw text, where the reader drops the page's
    header)."""
    sys.path.insert(0, str(ROOT))
    from bench.probes import WALKS
    from rag.evaluate import load_questions, normalize
    from rag.readers import read

    folders = {s: [d for d in sorted((WALKS / s).iterdir()) if d.is_dir()] for s in ("dev", "held-out")}
    assert len(folders["dev"]) == 6 and len(folders["held-out"]) == 5
    ids: set[str] = set()
    for d in folders["dev"] + folders["held-out"]:
        files = sorted(d.iterdir())
        assert len({p.suffix for p in files}) >= 3, d.name
        read_text = normalize("".join(line.text for p in files for line in read(p).lines))
        raw = normalize("".join(p.read_text(encoding="utf-8") for p in files if p.suffix in {".md", ".html"}))
        questions = load_questions(d.with_suffix(".jsonl"))
        assert len(questions) > 300
        for q in questions:
            assert q["id"] not in ids
            ids.add(q["id"])
            if q.get("type") == "unanswerable":
                assert q["case"] in {"missing-fact", "absent-topic"}, q["id"]
            for fact in q.get("evidence", []) + q.get("must_contain", []):
                assert normalize(fact) in read_text or normalize(fact) in raw, (d.name, q["id"], fact)
