"""The `rag` command through a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .conftest import SEEDS

QUESTION = "喀什职业技术学院与多少家企业签订了合作协议？"


def rag(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    p = subprocess.run([sys.executable, "-m", "rag.cli", *args], capture_output=True, text=True,
                       env=os.environ.copy(), timeout=300)
    if check:
        assert p.returncode == 0, p.stderr
    return p


def test_help_is_instant_and_imports_nothing_heavy():
    code = (
        "import sys, rag.cli\n"
        "try:\n    rag.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('torch','gradio','chromadb','sentence_transformers','jieba') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("[]")
    assert "ingest" in out.stdout and "ask" in out.stdout and "chat" in out.stdout and "eval" in out.stdout


@pytest.mark.parametrize("bad", ["", "   "])
def test_empty_question_exit_2_one_line(bad):
    p = rag("ask", bad)
    assert p.returncode == 2
    assert p.stderr.strip().count("\n") == 0 and "empty" in p.stderr


def test_huge_question_is_refused():
    p = rag("ask", "问" * 2001)
    assert p.returncode == 2 and "2000" in p.stderr


def test_ask_before_ingest_says_run_ingest(tmp_path):
    p = rag("ask", QUESTION, "--store", str(tmp_path / "nothing"))
    assert p.returncode == 1 and "rag ingest" in p.stderr and "Traceback" not in p.stderr


def test_ingest_missing_path_names_it():
    p = rag("ingest", "no/such/folder")
    assert p.returncode == 2 and "no/such/folder" in p.stderr


@pytest.mark.slow
def test_ingest_then_ask_json_and_text(seeded_store):
    p = rag("ask", QUESTION, "--json", "--k", "3", "--store", str(seeded_store), check=True)
    d = json.loads(p.stdout)
    assert d["question"] == QUESTION and d["abstained"] is False
    assert "238" in d["answer"] and "[1]" in d["answer"]
    assert d["citations"][0]["n"] == 1 and "238" in d["citations"][0]["text"]
    assert len(d["retrieved"]) == 3
    p = rag("ask", QUESTION, "--store", str(seeded_store), check=True)
    assert "238" in p.stdout and "[1] 000_" in p.stdout
    # The source is shown from the sentence quoted of it, which ends a long passage: not from the passage's start.
    lines = p.stdout.splitlines()
    shown = lines[lines.index(next(x for x in lines if x.startswith("[1] 000_"))) + 1]
    assert "238" in shown and shown.strip().startswith("…"), shown
    p = rag("ask", "火星上有多少座火山？", "--store", str(seeded_store), check=True)
    assert "语料中没有找到" in p.stdout and "[1]" in p.stdout  # abstains, still lists closest passages


@pytest.mark.slow
def test_ask_answers_without_importing_torch_or_gradio(seeded_store):
    code = (
        "import sys, rag.cli\n"
        f"rag.cli.main(['ask', {QUESTION!r}, '--store', {str(seeded_store)!r}])\n"
        "print('HEAVY', sorted(m for m in ('torch','gradio','sentence_transformers') if m in sys.modules))\n"
        "import jieba; print('WORDS', type(jieba.dt.FREQ).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "238" in out.stdout and "HEAVY []" in out.stdout
    # The ingest that built the store left a copy of jieba's dictionary that a one-question process reads from.
    assert "WORDS WordCounts" in out.stdout


@pytest.mark.slow
def test_ingest_command_reports_and_is_incremental(tmp_path):
    store = tmp_path / "vs"
    p = rag("ingest", str(SEEDS), "--store", str(store), check=True)
    assert "embedded" in p.stdout and "embedding" in p.stderr  # the progress bar
    p = rag("ingest", str(SEEDS), "--store", str(store), check=True)
    assert " 0 embedded" in p.stdout


def test_a_source_is_excerpted_from_the_sentence_quoted_of_it():
    from rag.cli import excerpt

    text = "青石镇位于河谷。" * 20 + "一九五八年，青石镇建成了青龙水库。" + "水库下游是农田。" * 20
    shown = excerpt(text, ["一九五八年，青石镇建成了青龙水库。"])
    assert shown.startswith("…一九五八年") and shown.endswith("…") and len(shown) == 122
    assert excerpt(text, []).startswith("青石镇位于河谷") and excerpt("短的段落。", ["短的段落。"]) == "短的段落。"
    assert excerpt(text, ["一句生成的话，不在段落里。"]) == text[:120] + "…"  # a generated sentence: its start


@pytest.mark.slow
def test_a_follow_up_is_asked_with_the_questions_before_it(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "健身房价目.txt").write_text("青石健身房年卡每张1680元，月卡每张198元。\n\n白水健身房年卡每张1280元，"
                                       "月卡每张158元。\n", encoding="utf-8")
    (docs / "a.txt").write_text("Opening hours: 9:00 to 21:00.\n", encoding="utf-8")
    store = str(tmp_path / "vs")
    rag("ingest", str(docs), "--store", store, check=True)
    first = "青石健身房年卡多少钱？"
    p = rag("ask", "那白水健身房呢？", "--history", first, "--json", "--store", store, check=True)
    got = json.loads(p.stdout)["answer"]
    assert "1280元" in got and "1680" not in got, got
    p = rag("ask", "月卡呢？", "--history", first, "--history", "那白水健身房呢？", "--json", "--store", store, check=True)
    assert "158元" in json.loads(p.stdout)["answer"], p.stdout
    p = rag("ask", "那白水健身房呢？", "--history", " ", "--store", store)
    assert p.returncode == 2 and "empty" in p.stderr
    # `rag docs` lines its columns up in a terminal, where a Chinese character takes two columns.
    import unicodedata

    lines = rag("docs", "--store", store, check=True).stdout.splitlines()[:3]
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    name_and_pad = [line[: len(line) - len(line.split(maxsplit=1)[1])] for line in lines]
    assert len({width(x) for x in name_and_pad}) == 1, lines  # the type column begins at one column
