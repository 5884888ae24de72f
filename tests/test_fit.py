"""`rag fit`: the threshold rule (fast), and refitting on a user's own labelled questions end to end (slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rag.fit import choose_threshold
from rag.scoring import load_scoring

ROOT = Path(__file__).resolve().parents[1]


def test_threshold_abstains_most_while_keeping_false_abstention_under_the_limit():
    p = np.array([0.9, 0.8, 0.7, 0.5, 0.2, 0.55, 0.56, 0.58])
    answerable = np.array([True, True, True, True, False, False, False, False])
    w = np.ones(len(p))
    # No answerable question may be lost: abstain only below the lowest answerable one.
    assert choose_threshold(p, answerable, w, 0.0) == 0.5
    # Losing one of four answerable questions buys all four unanswerable ones.
    assert choose_threshold(p, answerable, w, 0.25) == 0.7
    # Weights count: an answerable question that weighs more cannot be given up.
    assert choose_threshold(p, answerable, np.array([1, 1, 1, 9, 1, 1, 1, 1.0]), 0.25) == 0.5


DOCS = {
    "规章.txt": "图书馆借阅规定\n\n读者每次最多可借图书八册，借期三十天。\n\n逾期归还的，每册每天收取滞纳金五角。\n\n"
               "图书馆每周一闭馆整理，其余时间上午九时开放。\n",
    "公告.txt": "关于游泳馆开放的公告\n\n游泳馆自七月一日起对外开放，每场限入一百二十人。\n\n"
               "成人票价每场二十元，儿童半价。\n\n入场须佩戴泳帽，患有传染病者谢绝入内。\n",
    "村史.txt": "柳溪村简介\n\n柳溪村因村口溪边垂柳成行而得名。\n\n清朝乾隆年间，陈氏家族迁居于此。\n\n"
               "全村共有农户三百二十户，主要种植茶叶和水稻。\n",
}
QUESTIONS = [
    ("每次最多可以借几册书？", "八册"), ("借期是多少天？", "三十天"), ("逾期归还每天收多少滞纳金？", "五角"),
    ("图书馆哪天闭馆？", "每周一"), ("游泳馆什么时候开放？", "七月一日"), ("每场限入多少人？", "一百二十人"),
    ("成人票多少钱一场？", "二十元"), ("柳溪村为什么叫这个名字？", "垂柳成行"), ("陈氏家族是什么时候迁来的？", "乾隆年间"),
    ("全村有多少户农户？", "三百二十户"), ("村里主要种什么？", "茶叶和水稻"), ("入场需要戴什么？", "泳帽"),
]
UNANSWERABLE = ["图书馆的馆长是谁？", "游泳馆的水温是多少度？", "柳溪村离县城有多远？", "火车站在哪里？",
                "如何申请护照？", "村里有几所小学？"]
# Asked in English of the Chinese documents: their scores sit elsewhere, so they get a cut of their own.
ENGLISH = [("How many books can a reader borrow at a time?", "八册"), ("How much is an adult ticket?", "二十元"),
           ("What does the village mainly grow?", "茶叶和水稻"), ("When does the swimming pool open?", "七月一日")]
ENGLISH_UNANSWERABLE = ["Who is the head of the library?", "How far is the village from the county town?",
                        "Where is the railway station?"]


@pytest.mark.slow
def test_refit_on_own_questions_and_ask_with_it(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text, encoding="utf-8")
    lines = [{"id": f"a{i}", "question": q, "answer": fact, "evidence": [fact], "must_contain": [fact], "type": "fact"}
             for i, (q, fact) in enumerate(QUESTIONS + ENGLISH)]
    lines += [{"id": f"u{i}", "question": q, "answer": "没有。", "evidence": [], "must_contain": [],
               "type": "unanswerable"} for i, q in enumerate(UNANSWERABLE + ENGLISH_UNANSWERABLE)]
    qfile = tmp_path / "mine.jsonl"
    qfile.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "my-scoring.json"
    rag = [sys.executable, "-m", "rag.cli"]
    run = lambda *a, **kw: subprocess.run([*rag, *a], capture_output=True, text=True, timeout=900, cwd=ROOT, **kw)  # noqa: E731
    proc = run("ingest", str(docs), "--store", str(store))
    assert proc.returncode == 0, proc.stderr
    proc = run("fit", "--questions", str(qfile), "--store", str(store), "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "threshold" in proc.stdout and f"RAG_SCORING={out}" in proc.stdout
    fitted = load_scoring(out)
    assert fitted.about["questions"] == len(lines) and 0.0 <= fitted.threshold <= 1.0
    assert "across languages (7 questions)" in proc.stdout and 0.0 <= fitted.cross_threshold <= 1.0
    proc = run("ask", "--store", str(store), "--json", "每次最多可以借几册书？", env={**os.environ, "RAG_SCORING": str(out)})
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["question"] == "每次最多可以借几册书？"
    proc = run("fit", "--questions", str(qfile), "--store", str(store), "--store", str(store))
    assert proc.returncode == 2 and "one --store per --questions" in proc.stderr


def test_separation_reads_p_apart_from_the_threshold():
    from bench.fit import separation

    p = np.array([0.9, 0.8, 0.7, 0.6, 0.3, 0.65, 0.2, 0.75, -1.0])
    ok = np.array([True, True, True, True, False, False, False, False, False])
    case = np.array(["", "", "", "", "absent-topic", "missing-fact", "absent-topic", "missing-fact", "missing-fact"])
    sep = separation(p, ok, case, false_rate=0.0)
    # Every absent-topic question is below every answerable one; of the answerable-missing-fact pairs, 3 of 4 are
    # ordered right for 0.65, 2 of 4 for 0.75 and 4 of 4 for the one with nothing to quote.
    assert sep["AUC vs absent-topic"] == 1.0
    assert sep["AUC vs missing-fact"] == pytest.approx(9 / 12)
    assert sep["AUC"] == pytest.approx(17 / 20)
    # Abstaining on no answerable question (below 0.6) catches both absent-topic questions and, of the
    # missing-fact ones, only the one with nothing to quote.
    assert sep["absent-topic at 0% false"] == 1.0
    assert sep["missing-fact at 0% false"] == pytest.approx(1 / 3)
    # Abstaining on a quarter of the answerable questions catches one more missing-fact question.
    assert separation(p, ok, case, false_rate=0.25)["missing-fact at 25% false"] == pytest.approx(2 / 3)
