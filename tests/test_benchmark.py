"""Answer quality on text the scoring was not fitted on: the CMRC 2018 trial benchmark's held-out half, and a
made-up user's documents (tests/userdocs/, tests/userdocs.jsonl: written for this test, never used for fitting)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.splits import CMRC, cmrc_side
from rag import evaluate as ev
from rag.config import load_settings
from rag.pipeline import Pipeline

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
USERDOCS = ROOT / "tests" / "userdocs"
USER_QUESTIONS = ROOT / "tests" / "userdocs.jsonl"

# Holding the line on the CMRC held-out half (bench/splits.py: 377 answerable, 52 absent-topic, 43 missing-fact),
# measured with `python bench/quality.py` (README, Evaluation): hit@1 0.958, hit@5 0.987, key-fact 0.897 (0.891
# before session 29; 0.894 in another install), correct abstention 0.962 absent-topic / 0.419 missing-fact (0.942 /
# 0.442), false abstention 0.040 (0.042 before) (one text a run at ingest: a run of the same code in one install gives the same vectors; a passage
# supports a question when it holds the part of the evidence a passage boundary left it with every key fact). On the made-up user documents
# (30 answerable, 9 not): key-fact 0.967, correct abstention 0.889, false abstention 0.000. Floors sit just under.
CMRC_FLOORS = {"hit@1": 0.94, "hit@5": 0.97, "key_fact_accuracy": 0.87}
CMRC_ABSTENTION_FLOORS = {"absent-topic": 0.94, "missing-fact": 0.39}
CMRC_MAX_FALSE_ABSTENTION = 0.06
USER_FLOORS = {"key_fact_accuracy": 0.94, "correct_abstention": 0.65}
USER_MAX_FALSE_ABSTENTION = 0.06


@pytest.fixture(scope="session")
def cmrc_store(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """The CMRC corpus indexed once per session."""
    if not (CMRC / "corpus").is_dir():
        pytest.skip(f"no CMRC benchmark at {CMRC} (set BENCH_CMRC)")
    store = tmp_path_factory.mktemp("cmrc") / "vectorstore"
    Pipeline(load_settings(store=store, cache_dir=cache_dir)).ingest([CMRC / "corpus"])
    return store


@pytest.fixture(scope="module")
def cmrc_run(cmrc_store: Path, cache_dir: Path) -> ev.EvalRun:
    pipe = Pipeline(load_settings(store=cmrc_store, cache_dir=cache_dir))
    questions = cmrc_side(ev.load_questions(CMRC / "questions.jsonl"), "held-out")
    return ev.evaluate(pipe, questions)


def test_cmrc_held_out_floors(cmrc_run: ev.EvalRun) -> None:
    s = cmrc_run.summary
    print("\nCMRC held-out:", {k: round(v, 3) for k, v in s.items() if isinstance(v, float)})
    for key, floor in CMRC_FLOORS.items():
        assert s[key] >= floor, (key, s[key])
    assert s["false_abstention"] <= CMRC_MAX_FALSE_ABSTENTION, s["false_abstention"]
    for case, floor in CMRC_ABSTENTION_FLOORS.items():
        got = cmrc_run.by_case[case]["correct_abstention"]
        assert got >= floor, (case, got)


@pytest.fixture(scope="module")
def user_pipeline(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Pipeline:
    store = tmp_path_factory.mktemp("userdocs") / "vectorstore"
    pipe = Pipeline(load_settings(store=store, cache_dir=cache_dir))
    pipe.ingest([USERDOCS])
    return pipe


def test_user_documents(user_pipeline: Pipeline) -> None:
    run = ev.evaluate(user_pipeline, ev.load_questions(USER_QUESTIONS))
    s = run.summary
    print("\nuser documents:", {k: round(v, 3) for k, v in s.items() if isinstance(v, float)})
    print("failures:", [(r["id"], r["question"], r["answer"][:40]) for r in run.failures])
    for key, floor in USER_FLOORS.items():
        assert s[key] >= floor, (key, s[key])
    assert s["false_abstention"] <= USER_MAX_FALSE_ABSTENTION


def test_an_entrys_sections_answer_questions_naming_its_subject(user_pipeline: Pipeline) -> None:
    """An encyclopedia-style entry (林远山.txt): its later sections never name the painter, whom the questions name."""
    questions = [q for q in ev.load_questions(USER_QUESTIONS) if q["id"] in {"u34", "u35", "u36", "u38", "u39"}]
    run = ev.evaluate(user_pipeline, questions)
    assert [(r["id"], r["answer"]) for r in run.failures] == []
    assert run.summary["hit@1"] == 1.0


def test_numbers_and_dates_in_chinese_numerals_are_answered(tmp_path: Path) -> None:
    """The reproduction in the issue: `rag ingest` then `rag ask`, as a user types them."""
    docs = tmp_path / "d"
    docs.mkdir()
    (docs / "a.txt").write_text("员工依法登记结婚的，可享受婚假十五天。男员工可享受陪产假二十天。\n\n"
                                "一九五八年，青石镇建成了青龙水库。\n", encoding="utf-8")
    store = tmp_path / "s"
    rag = [sys.executable, "-m", "rag.cli"]
    proc = subprocess.run([*rag, "ingest", str(docs), "--store", str(store)], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    for question, fact, other in (("陪产假有几天？", "陪产假二十天", "婚假十五天"),
                                  ("青龙水库是哪一年建成的？", "一九五八年", "婚假")):
        proc = subprocess.run([*rag, "ask", "--store", str(store), question], capture_output=True, text=True,
                              timeout=300, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        answer = proc.stdout.split("\n\n")[0]
        assert fact in answer and other not in answer, proc.stdout
