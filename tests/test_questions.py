"""Sanity checks for the evaluation question set ``tests/questions.jsonl``.

Fast, no external dependencies: verifies the file's structure and that every
evidence / must_contain string is grounded in the corpus under ``seeds/``.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
QUESTIONS = Path(__file__).parent / "questions.jsonl"
SEEDS = ROOT / "seeds"

ALLOWED_TYPES = {"numeric", "entity", "list", "summary", "paraphrase", "english", "follow-up", "unanswerable"}
REQUIRED = {
    "id": str,
    "question": str,
    "answer": str,
    "evidence": list,
    "must_contain": list,
}
MIN_QUESTIONS = 60
MIN_ENGLISH = 6
MIN_UNANSWERABLE = 12

_WS = re.compile(r"\s+")


def norm(text: str) -> str:
    """Remove all whitespace (the corpus breaks lines and spaces names, e.g. '刘 晓')."""
    return _WS.sub("", text)


def _load_corpus() -> str:
    files = sorted(p for p in SEEDS.rglob("*") if p.is_file() and p.suffix in {".txt", ".md"})
    assert files, f"no corpus files (*.txt, *.md) under {SEEDS}"
    return norm("\n".join(p.read_text(encoding="utf-8") for p in files))


def _load_questions() -> list[dict]:
    assert QUESTIONS.is_file(), f"missing {QUESTIONS}"
    rows = []
    for lineno, line in enumerate(QUESTIONS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:  # pragma: no cover - failure path
            pytest.fail(f"{QUESTIONS.name} line {lineno}: invalid JSON ({exc})")
        assert isinstance(obj, dict), f"{QUESTIONS.name} line {lineno}: not a JSON object"
        rows.append(obj)
    return rows


CORPUS = _load_corpus()
ROWS = _load_questions()


def _qid(row: dict) -> str:
    return str(row.get("id", "<no id>"))


def test_enough_questions():
    assert len(ROWS) >= MIN_QUESTIONS, f"only {len(ROWS)} questions, need >= {MIN_QUESTIONS}"


def test_ids_unique():
    counts = Counter(_qid(r) for r in ROWS)
    dups = sorted(i for i, n in counts.items() if n > 1)
    assert not dups, f"duplicate ids: {dups}"


def test_type_counts():
    counts = Counter(r.get("type") for r in ROWS)
    assert counts["english"] >= MIN_ENGLISH, f"only {counts['english']} english questions"
    assert counts["unanswerable"] >= MIN_UNANSWERABLE, f"only {counts['unanswerable']} unanswerable questions"


@pytest.mark.parametrize("row", ROWS, ids=_qid)
def test_fields(row):
    qid = _qid(row)
    for field, typ in REQUIRED.items():
        assert field in row, f"{qid}: missing field {field!r}"
        assert isinstance(row[field], typ), f"{qid}: field {field!r} should be {typ.__name__}"
    assert "type" in row, f"{qid}: missing field 'type'"
    assert row["type"] in ALLOWED_TYPES, f"{qid}: type {row['type']!r} not in {sorted(ALLOWED_TYPES)}"
    for field in ("id", "question", "answer"):
        assert row[field].strip(), f"{qid}: empty {field!r}"
    for field in ("evidence", "must_contain"):
        for item in row[field]:
            assert isinstance(item, str) and item.strip(), f"{qid}: {field} items must be non-empty strings, got {item!r}"


@pytest.mark.parametrize("row", ROWS, ids=_qid)
def test_evidence_in_corpus(row):
    qid = _qid(row)
    missing = [e for e in row.get("evidence", []) if norm(e) not in CORPUS]
    assert not missing, f"{qid}: evidence not found in corpus: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=_qid)
def test_must_contain_in_answer(row):
    qid = _qid(row)
    answer = norm(row.get("answer", ""))
    missing = [m for m in row.get("must_contain", []) if norm(m) not in answer]
    assert not missing, f"{qid}: must_contain not in reference answer: {missing}"


@pytest.mark.parametrize("row", ROWS, ids=_qid)
def test_unanswerable_consistency(row):
    qid = _qid(row)
    unanswerable = row.get("type") == "unanswerable"
    evidence, must = row.get("evidence", []), row.get("must_contain", [])
    if unanswerable:
        assert evidence == [], f"{qid}: unanswerable question must have empty evidence"
        assert must == [], f"{qid}: unanswerable question must have empty must_contain"
    else:
        assert len(evidence) >= 1, f"{qid}: answerable question needs at least one evidence string"
        assert len(must) >= 1, f"{qid}: answerable question needs at least one must_contain string"


@pytest.mark.parametrize("row", [r for r in ROWS if r.get("type") != "unanswerable"], ids=_qid)
def test_must_contain_grounded(row):
    qid = _qid(row)
    evidence = [norm(e) for e in row.get("evidence", [])]
    missing = [
        m
        for m in row.get("must_contain", [])
        if not any(norm(m) in e for e in evidence) and norm(m) not in CORPUS
    ]
    assert not missing, f"{qid}: must_contain not found in its evidence or the corpus: {missing}"
