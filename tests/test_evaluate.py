"""rag.evaluate: metrics on hand-made records (fast), then the shipped question set on the seed index (slow)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from rag import evaluate as ev
from rag import report
from rag.errors import UsageError

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "questions.jsonl"

# Holding the line: the slow test below fails when a metric drops under its floor.
# Measured on tests/questions.jsonl (88 questions, 72 answerable) over the seed index, default settings, k=10, with
# the fitted rag/scoring.json (`python bench/quality.py --split all --sets seed`): key_fact_accuracy 0.792,
# hit@5 0.972, correct_abstention 0.500 (8 of 16), false_abstention 0.125, follow-ups' key facts 13 of 13.
# Floors sit just under those, so losing a question or two fails; re-measure and raise them when the pipeline improves.
KEY_FACT_FLOOR = 0.77
HIT5_FLOOR = 0.97
CORRECT_ABSTENTION_FLOOR = 0.5
MAX_FALSE_ABSTENTION = 0.14
FOLLOW_UP_KEY_FACT_FLOOR = 0.9

RECORD_FIELDS = {"question", "answer", "abstained", "citations", "retrieved",
                 "id", "type", "expected", "must_contain", "scores", "latency_ms"}
SUMMARY_KEYS = {"hit@1", "hit@5", "mrr@10", "key_fact_accuracy", "char_f1", "rouge_l", "citation_precision",
                "citation_recall", "cited_sentence_share", "correct_abstention", "false_abstention",
                "latency_p50_ms", "latency_p95_ms", "n", "n_answerable", "n_unanswerable", "n_with_evidence"}


# -- hand-made data (invented strings, not from the corpus) ----------------------------------------------------
def passage(text: str, heading: str = "", n: int | None = None) -> dict:
    p = {"chunk_id": f"c{abs(hash(text)) % 10_000}", "source": "x.txt", "start_line": 1, "end_line": 1,
         "heading": heading, "text": text}
    return {"n": n, **p, "sentences": []} if n is not None else {**p, "score": 0.5}


FILLER = [passage(f"无关段落第{i}号，讲的是别的事情。") for i in range(12)]
GOOD = "青石镇共有三座石桥和七口古井。"


def record(answer: str = "", abstained: bool = False, citations=(), retrieved=(), evidence=(), must_contain=(),
           expected: str = "", type_: str = "numeric", latency: float = 10.0) -> dict:
    r = {"id": "t", "type": type_, "question": "问", "answer": answer, "abstained": abstained,
         "citations": list(citations), "retrieved": list(retrieved), "expected": expected,
         "evidence": list(evidence), "must_contain": list(must_contain), "latency_ms": latency}
    r["scores"], r["failures"], r["notes"] = ev.score_record(r)
    return r


# -- text helpers ------------------------------------------------------------------------------------------
def test_normalize_removes_all_whitespace_and_folds_width_and_case():
    assert ev.normalize(" 王 小\u3000明\n说 ") == "王小明说"
    assert ev.normalize("ＡＢＣ１２３") == ev.normalize("abc123")


def test_tokens_chinese_are_characters_without_citations_or_punctuation():
    assert ev.tokens("青石 镇，有桥。[1][2]“古井”！") == list("青石镇有桥古井")


def test_tokens_english_are_lowercase_words_and_cjk_characters():
    assert ev.tokens("The Bridge's span is 3.24 km (石桥)[3].", "en") == \
        ["the", "bridge's", "span", "is", "3.24", "km", "石", "桥"]


def test_char_f1_chinese():
    assert ev.char_f1("甲乙丙丁", "甲乙戊") == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    # whitespace, punctuation and citation markers do not count
    assert ev.char_f1("甲 乙，丙丁。[1]", "甲乙戊") == pytest.approx(ev.char_f1("甲乙丙丁", "甲乙戊"))
    assert ev.char_f1("甲乙", "甲乙") == 1.0
    assert ev.char_f1("", "甲乙") == 0.0
    assert ev.char_f1("丙丁", "甲乙") == 0.0


def test_rouge_l_chinese_is_order_sensitive():
    # bag of characters matches all three, the longest common subsequence only two
    assert ev.char_f1("丁甲乙丙", "甲乙丁") == pytest.approx(2 * 0.75 * 1.0 / 1.75)
    assert ev.rouge_l("丁甲乙丙", "甲乙丁") == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert ev.lcs_length("ABCBDAB", "BDCABA") == 4


def test_f1_and_rouge_english_use_lowercase_words():
    ref = "The old bridge crosses the river."
    assert ev.language(ref) == "en"
    assert ev.char_f1("the OLD bridge crosses the river", ref) == 1.0
    # 4 of 6 reference words, in order: P = 4/5, R = 4/6
    assert ev.rouge_l("The bridge crosses water river", ref) == pytest.approx(2 * 0.8 * (4 / 6) / (0.8 + 4 / 6))
    assert ev.char_f1("river the crosses", ref) == pytest.approx(2 * 1.0 * 0.5 / 1.5)


def test_answer_sentences_and_citations():
    ans = "甲地有桥。[1]乙地有井！[2][3]丙地有塔[4]丁地无事？"
    sents = ev.answer_sentences(ans)
    assert sents == ["甲地有桥。[1]", "乙地有井！[2][3]", "丙地有塔[4]", "丁地无事？"]
    assert [bool(ev.CITATION.search(s)) for s in sents] == [True, True, True, False]
    assert ev.answer_sentences("“甲地有桥。”[1] 乙地有井；[2]") == ["“甲地有桥。”[1]", "乙地有井；[2]"]
    assert ev.answer_sentences("A bridge. [1] A well? [2] No tower") == ["A bridge. [1]", "A well? [2]", "No tower"]
    assert ev.answer_sentences("") == []
    # A list item's number opens its sentence: not a sentence of its own, left uncited.
    assert ev.answer_sentences("1. 甲地有桥。[1]2. 乙地有井；[1]") == ["1. 甲地有桥。[1]", "2. 乙地有井；[1]"]
    # A quotation of several sentences is one sentence with one citation; text before it is still its own.
    assert ev.answer_sentences("他说：“甲地有桥。乙地有井。”[1]丙地有塔。") == ["他说：“甲地有桥。乙地有井。”[1]", "丙地有塔。"]
    assert ev.answer_sentences("甲地有桥。“乙地有井。”[1]") == ["甲地有桥。", "“乙地有井。”[1]"]
    assert ev.answer_sentences("“甲地有桥。[1]乙地有井。") == ["“甲地有桥。[1]", "乙地有井。"]  # a citation ends it
    assert ev.answer_sentences("他说：“甲地有桥。\n乙地有井。") == ["他说：“甲地有桥。", "乙地有井。"]  # so does a line
    # A ； whose next clause goes on from the one before it does not cut (as passages are read); a parallel case does.
    assert ev.answer_sentences("在湖边钓鱼的，责令停止；拒不停止的，罚款五十元。[1]") == [
        "在湖边钓鱼的，责令停止；拒不停止的，罚款五十元。[1]"]
    assert ev.answer_sentences("迟到的，扣十元；早退的，扣五元。[1]") == ["迟到的，扣十元；", "早退的，扣五元。[1]"]


def test_supports_matches_text_or_heading_ignoring_whitespace():
    assert ev.supports(passage("作者 王 小明 记"), ["王小明"])
    assert ev.supports(passage("正文无关。", heading="三是 建设石桥"), ["建设石桥"])
    assert not ev.supports(passage("正文无关。"), ["建设石桥"])
    assert not ev.supports(passage("正文无关。"), [])


def test_a_passage_holding_the_answer_supports_when_the_evidence_runs_into_the_next_passage():
    evidence = ["镇上建成了青龙水库。水库可灌溉农田"]  # the answer, and context from the next passage
    first, second = passage("一九五八年，镇上建成了青龙水库。"), passage("水库可灌溉农田三万亩。")
    assert ev.supports(first, evidence, ["建成了青龙水库"])
    assert not ev.supports(first, evidence)  # without key facts, only the whole evidence counts
    assert not ev.supports(second, evidence, ["建成了青龙水库"])  # its part lacks the key fact
    assert ev.supports(second, ["镇上建成了青龙水库。水库可灌溉农田"], ["灌溉农田"])  # the evidence's end, at its start
    assert not ev.supports(passage("青龙水库建成了。"), evidence, ["青龙水库"])  # holds the fact, not the evidence
    record = {"question": "青龙水库是哪年建成的？", "answer": "一九五八年。[1]", "abstained": False,
              "evidence": evidence, "must_contain": ["建成了青龙水库"],
              "citations": [{"n": 1, **first}], "retrieved": [second, first]}
    scores, _, _ = ev.score_record(record)
    assert scores["first_support_rank"] == 2 and scores["citation_precision"] == 1.0


def test_percentiles():
    assert ev.percentile([40, 10, 30, 20], 50) == 25
    assert ev.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)
    assert ev.percentile([7.0], 95) == 7.0
    assert ev.percentile([], 50) is None


# -- per-question scores and the summary --------------------------------------------------------------------
@pytest.fixture
def records() -> list[dict]:
    good_cite = passage(GOOD, n=1)
    return [
        # 1. perfect: evidence ranked first, cited, key facts present
        record(answer=f"{GOOD}[1]", citations=[good_cite], retrieved=[passage(GOOD), *FILLER[:9]],
               evidence=["三座石桥"], must_contain=["三座", "七口"], expected="有三座石桥、七口古井。"),
        # 2. evidence at rank 3; one of two citations supports; a key fact missing; one sentence uncited
        record(answer=f"{GOOD}[1]另有一座塔[2]还有别的。", type_="entity",
               citations=[good_cite, passage("另有一座塔。", n=2)],
               retrieved=[*FILLER[:2], passage(GOOD), *FILLER[2:9]],
               evidence=["三座石桥"], must_contain=["三座", "九口"], expected="三座石桥，九口古井。"),
        # 3. abstained although answerable; evidence only at rank 11
        record(answer="语料中没有找到与该问题相关的信息。", abstained=True, type_="entity",
               retrieved=[*FILLER[:10], passage(GOOD)], evidence=["三座石桥"], must_contain=["三座"],
               expected="三座。"),
        # 4. unanswerable, abstained
        record(answer="语料中没有找到与该问题相关的信息。", abstained=True, type_="unanswerable",
               retrieved=FILLER[:10], expected="无法回答。", latency=30.0),
        # 5. unanswerable, answered anyway
        record(answer="无关段落第1号，讲的是别的事情。[1]", citations=[passage(FILLER[1]["text"], n=1)],
               type_="unanswerable", retrieved=FILLER[:10], expected="无法回答。", latency=50.0),
    ]


def test_per_question_scores(records):
    s1, s2, s3, s4, s5 = (r["scores"] for r in records)
    assert (s1["hit@1"], s1["hit@5"], s1["rr@10"], s1["key_fact"], s1["citation_precision"]) == (1, 1, 1, 1, 1)
    assert s1["char_f1"] > 0.5 and s1["rouge_l"] > 0.5 and s1["cited_sentence_share"] == 1.0
    assert records[0]["failures"] == [] and records[0]["notes"] == []
    assert (s2["first_support_rank"], s2["hit@1"], s2["hit@5"], s2["rr@10"]) == (3, 0, 1, pytest.approx(1 / 3))
    assert s2["key_fact"] == 0 and s2["missing_facts"] == ["九口"]
    assert s2["citation_precision"] == 0.5 and s2["citation_hit"] == 1 and s2["supported_citations"] == [1]
    assert (s2["sentences"], s2["cited_sentences"]) == (3, 2)
    assert records[1]["failures"] == ["missing key fact: 九口", "1 of 3 sentences without citation"]
    assert records[1]["notes"] == ["1 of 2 citations do not support"]
    assert (s3["first_support_rank"], s3["hit@5"], s3["rr@10"]) == (11, 0, 0.0)
    assert (s3["key_fact"], s3["char_f1"], s3["rouge_l"], s3["citation_hit"]) == (0, 0, 0, 0)
    assert s3["citation_precision"] is None and s3["cited_sentence_share"] is None
    assert records[2]["failures"] == ["abstained"]
    assert s4["abstention_correct"] and records[3]["failures"] == []
    assert s4["hit@5"] is None and s4["key_fact"] is None and s4["char_f1"] is None
    assert not s5["abstention_correct"] and records[4]["failures"] == ["did not abstain"]


def test_summary(records):
    s = ev.summarize(records)
    assert (s["n"], s["n_answerable"], s["n_unanswerable"]) == (5, 3, 2)
    assert s["hit@1"] == pytest.approx(1 / 3)
    assert s["hit@5"] == pytest.approx(2 / 3)
    assert s["mrr@10"] == pytest.approx((1 + 1 / 3 + 0) / 3)
    assert s["key_fact_accuracy"] == pytest.approx(1 / 3)
    assert s["citation_precision"] == pytest.approx((1 + 0.5) / 2)  # over answerable, not abstained
    assert s["citation_recall"] == pytest.approx(2 / 3)
    assert s["cited_sentence_share"] == pytest.approx((1 + 2 + 1) / (1 + 3 + 1))  # every answered question
    assert s["correct_abstention"] == 0.5
    assert s["false_abstention"] == pytest.approx(1 / 3)
    assert s["abstention_accuracy"] == pytest.approx(3 / 5)
    assert s["latency_p50_ms"] == 10.0
    assert s["latency_p95_ms"] == pytest.approx(30 + 0.8 * 20)
    assert SUMMARY_KEYS <= set(s)
    by = ev.summarize_by_type(records)
    assert list(by) == ["numeric", "entity", "unanswerable"]
    assert by["entity"]["key_fact_accuracy"] == 0 and by["entity"]["false_abstention"] == 0.5
    assert by["unanswerable"]["hit@5"] is None and by["unanswerable"]["correct_abstention"] == 0.5


def test_retrieval_is_averaged_over_the_questions_with_evidence_and_the_report_says_so(records):
    # A question with key facts but no evidence strings is scored on its answer, not on retrieval.
    no_evidence = record(answer=f"{GOOD}[1]", citations=[passage(GOOD, n=1)], retrieved=FILLER[:10],
                         must_contain=["三座"])
    s = ev.summarize([*records, no_evidence])
    assert (s["n_answerable"], s["n_with_evidence"], s["hit@1"]) == (4, 3, pytest.approx(1 / 3))
    assert s["key_fact_accuracy"] == pytest.approx(2 / 4)
    assert report._over("hit@1", s) == "3 answerable with evidence" and report._over("key_fact_accuracy", s) == "4 answerable"
    # Nor with no reference answer on its answer's overlap with one (char F1, ROUGE-L).
    unreferenced = record(answer=f"{GOOD}[1]", citations=[passage(GOOD, n=1)], retrieved=FILLER[:10],
                          must_contain=["三座"], expected="")
    assert unreferenced["scores"]["char_f1"] is None and unreferenced["scores"]["key_fact"] == 1.0
    s = ev.summarize([*records, unreferenced])
    assert s["n_with_reference"] == 3 and report._over("char_f1", s) == "3 answerable with a reference answer"


def test_type_unanswerable_or_no_ground_truth_means_unanswerable():
    assert not ev.is_answerable({"type": "unanswerable", "evidence": ["x"], "must_contain": []})
    assert not ev.is_answerable({"type": "numeric", "evidence": [], "must_contain": []})
    assert ev.is_answerable({"type": "anything", "evidence": ["x"], "must_contain": []})


# -- load_questions -----------------------------------------------------------------------------------------
def _line(**over) -> str:
    q = {"id": "a1", "question": "问？", "answer": "答。", "evidence": ["答"], "must_contain": ["答"], "type": "entity"}
    q.update(over)
    return json.dumps({k: v for k, v in q.items() if v is not ...}, ensure_ascii=False)


def test_load_questions_reads_a_valid_file(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(_line() + "\n\n" + _line(id=2, evidence=[], must_contain=[], type="unanswerable") + "\n", "utf-8")
    qs = ev.load_questions(f)
    assert [q["id"] for q in qs] == ["a1", "2"]


def test_load_questions_needs_no_reference_answer_nor_any_field_of_an_unanswerable_question(tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text(_line(answer=...) + "\n" + _line(id="n", answer=..., evidence=..., must_contain=..., type="unanswerable",
                                                  case="missing-fact") + "\n", "utf-8")
    first, second = ev.load_questions(f)
    assert first["answer"] == "" and first["must_contain"] == ["答"] and ev.is_answerable(first)
    assert second["evidence"] == second["must_contain"] == [] and not ev.is_answerable(second)


@pytest.mark.parametrize(("bad", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    (_line(type=...), "missing field(s) type"),
    (_line(evidence=..., must_contain=...), "neither 'must_contain' nor 'evidence'"),
    (_line(evidence=[], must_contain=[]), "neither 'must_contain' nor 'evidence'"),
    (_line(answer=["答"]), "'answer' should be a string"),
    (_line(evidence="答"), "'evidence' should be a list"),
    (_line(must_contain=[""]), "'must_contain' should be a list of non-empty strings"),
    (_line(question="  "), "'question' is empty"),
    (_line(id="a0"), "id 'a0' already used on line 1"),
])
def test_load_questions_names_the_bad_line(tmp_path, bad, message):
    f = tmp_path / "q.jsonl"
    f.write_text(_line(id="a0") + "\n\n" + bad + "\n", "utf-8")
    with pytest.raises(UsageError) as e:
        ev.load_questions(f)
    assert "line 3" in str(e.value) and message in str(e.value)


def test_load_questions_missing_or_empty_file(tmp_path):
    with pytest.raises(UsageError, match="No question file"):
        ev.load_questions(tmp_path / "absent.jsonl")
    (tmp_path / "empty.jsonl").write_text("\n", "utf-8")
    with pytest.raises(UsageError, match="no questions"):
        ev.load_questions(tmp_path / "empty.jsonl")


# -- evaluate / write_report / run_cli with a stand-in pipeline (no model) -------------------------------------
class FakeResult:
    def __init__(self, payload: dict, seconds: float = 0.01) -> None:
        self.payload, self.seconds = payload, seconds

    def to_json(self) -> dict:
        return self.payload


class FakePipeline:
    """Answers from a table: question -> (answer, abstained, cited passages, retrieved passages)."""

    def __init__(self, table: dict, k: int = 5) -> None:
        self.settings = SimpleNamespace(k=k, mode="hybrid", embedding_model="fake-model")
        self.table, self.asked, self.histories = table, [], []

    def warm(self):
        return self

    def status(self) -> dict:
        return {"model": "fake-model"}

    def ask(self, question: str, k: int | None = None, history: list[str] | tuple[str, ...] = ()):
        self.asked.append((question, k))
        self.histories.append(list(history))
        if question not in self.table:
            raise UsageError("The question is too long.")
        answer, abstained, cited, retrieved = self.table[question]
        return FakeResult({"question": question, "answer": answer, "abstained": abstained,
                           "citations": cited, "retrieved": retrieved[:k]})


FAKE_QUESTIONS = [
    {"id": "f1", "question": "桥有几座？", "answer": "三座石桥。", "evidence": ["三座石桥"], "must_contain": ["三座"],
     "type": "numeric"},
    {"id": "f2", "question": "Who built the tower?", "answer": "Nobody knows.", "evidence": [], "must_contain": [],
     "type": "unanswerable"},
    {"id": "f3", "question": "塔有多高？", "answer": "塔高九丈。", "evidence": ["塔高九丈"], "must_contain": ["九丈"],
     "type": "entity"},
]
FAKE_TABLE = {
    "桥有几座？": (f"{GOOD}[1]", False, [passage(GOOD, n=1)], [passage(GOOD), *FILLER]),
    "Who built the tower?": ("The corpus does not contain information that answers this question.", True, [],
                             FILLER),
}


def test_evaluate_with_a_stand_in_pipeline():
    pipe, calls = FakePipeline(FAKE_TABLE), []
    run = ev.evaluate(pipe, FAKE_QUESTIONS, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert run.k == 10 and {k for _, k in pipe.asked} == {10}  # default: at least 10 for MRR@10
    assert [r["id"] for r in run.records] == ["f1", "f2", "f3"]
    assert all(RECORD_FIELDS <= set(r) for r in run.records)
    assert len(run.records[0]["retrieved"]) == 10
    assert run.records[2]["error"] and run.records[2]["failures"][0].startswith("error:")
    assert run.summary["key_fact_accuracy"] == 0.5 and run.summary["correct_abstention"] == 1.0
    assert set(run.by_type) == {"numeric", "unanswerable", "entity"}
    assert run.model == "fake-model" and [r["id"] for r in run.failures] == ["f3"]
    ev.evaluate(pipe, FAKE_QUESTIONS[:1], k=3)
    assert pipe.asked[-1] == ("桥有几座？", 3)
    with pytest.raises(UsageError):
        ev.evaluate(pipe, FAKE_QUESTIONS, k=0)


def test_history_is_passed_and_abstention_is_reported_per_case(tmp_path):
    questions = [{**FAKE_QUESTIONS[0], "history": ["石桥在哪里？"]},
                 {**FAKE_QUESTIONS[1], "case": "absent-topic"},
                 {**FAKE_QUESTIONS[1], "id": "f4", "question": "桥有几座？", "type": "unanswerable",
                  "evidence": [], "must_contain": [], "case": "missing-fact"}]
    pipe = FakePipeline(FAKE_TABLE)
    run = ev.evaluate(pipe, questions)
    assert pipe.histories == [["石桥在哪里？"], [], []]
    assert run.records[0]["history"] == ["石桥在哪里？"]
    assert set(run.by_case) == {"answerable", "absent-topic", "missing-fact"}
    assert run.by_case["absent-topic"]["correct_abstention"] == 1.0  # it abstained
    assert run.by_case["missing-fact"]["correct_abstention"] == 0.0  # it answered
    text = report.render_markdown(run)
    assert "## By case" in text and "| missing-fact | 1 |" in text
    assert "missing-fact (n=1) correct abstention 0.000" in report.format_summary(run)
    assert ev.evaluate(FakePipeline(FAKE_TABLE), FAKE_QUESTIONS).by_case == {}  # no case field: no table


@pytest.mark.parametrize(("extra", "message"), [({"history": "上一问"}, "'history' should be a list"),
                                                ({"history": [""]}, "'history' should be a list"),
                                                ({"case": 3}, "'case' should be a string")])
def test_load_questions_checks_history_and_case(tmp_path, extra, message):
    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({**FAKE_QUESTIONS[0], **extra}, ensure_ascii=False) + "\n", "utf-8")
    with pytest.raises(UsageError, match=message):
        ev.load_questions(path)


def test_write_report_without_a_model(tmp_path):
    run = ev.evaluate(FakePipeline(FAKE_TABLE), FAKE_QUESTIONS, questions_path="fake.jsonl")
    md = report.write_report(run, tmp_path / "rep" / "report.md", tmp_path / "out" / "results.jsonl")
    _check_report_files(md, tmp_path / "out" / "results.jsonl", run)
    assert "| f3 | entity |" in md.read_text("utf-8")


def test_run_cli_with_a_stand_in_pipeline(tmp_path, monkeypatch, capsys):
    import rag.pipeline

    qfile = tmp_path / "q.jsonl"
    qfile.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in FAKE_QUESTIONS[:2]), "utf-8")
    monkeypatch.setattr(rag.pipeline, "Pipeline", lambda settings: FakePipeline(FAKE_TABLE, k=settings.k))
    args = SimpleNamespace(questions=qfile, output=tmp_path / "r.jsonl", report=tmp_path / "r.md", k=None, store=None)
    assert report.run_cli(SimpleNamespace(k=12), args) == 0
    out, err = capsys.readouterr()
    assert "key-fact accuracy" in out and "correct abstention" in out and "r.md" in out
    assert "evaluating" in err  # the progress bar
    assert len((tmp_path / "r.jsonl").read_text("utf-8").splitlines()) == 2
    assert "k:** 12" in (tmp_path / "r.md").read_text("utf-8")
    with pytest.raises(UsageError, match="line 1"):
        qfile.write_text("oops\n", "utf-8")
        report.run_cli(SimpleNamespace(k=5), args)


def _check_report_files(md: Path, jsonl: Path, run: ev.EvalRun) -> None:
    lines = jsonl.read_text("utf-8").splitlines()
    assert len(lines) == len(run.records)
    for line in lines:
        assert RECORD_FIELDS <= set(json.loads(line))
    text = md.read_text("utf-8")
    assert "## Summary" in text and "| key-fact accuracy |" in text and "| hit@5 |" in text
    assert "## By question type" in text
    for t in run.by_type:
        assert f"| {t} |" in text
    assert "## Failures" in text
    assert run.chart_path == md.with_suffix(".png")
    assert f"]({run.chart_path.name})" in text
    png = run.chart_path.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 5000


# -- the shipped question set on the seed index (slow) ---------------------------------------------------------
@pytest.fixture(scope="module")
def shipped_run(pipeline, questions) -> ev.EvalRun:
    """The shipped questions, asked once for the whole module."""
    return ev.evaluate(pipeline, questions, questions_path=QUESTIONS)


@pytest.mark.slow
def test_shipped_run_shape(shipped_run, questions):
    run = shipped_run
    assert len(run.records) == len(questions) and run.k == 10
    assert [r["id"] for r in run.records] == [q["id"] for q in questions]
    for r in run.records:
        assert RECORD_FIELDS <= set(r), r["id"]
        assert len(r["retrieved"]) == run.k
        assert r["latency_ms"] > 0
    assert SUMMARY_KEYS <= set(run.summary)
    assert run.summary["n"] == len(questions)
    assert run.summary["n_unanswerable"] == sum(q["type"] == "unanswerable" for q in questions)
    generation = {"unsupported_before", "unsupported_after", "fallback_share"}
    # An extractive run generates nothing: the generation figures are absent, every other one is measured.
    assert all(run.summary[key] is None for key in generation)
    for key, value in run.summary.items():
        if key in generation:
            continue
        assert value is not None, key
        if not key.startswith(("n", "latency")):
            assert 0.0 <= value <= 1.0, key
    assert set(run.by_type) == {q["type"] for q in questions}
    assert run.by_type["unanswerable"]["hit@5"] is None


@pytest.mark.slow
def test_shipped_write_report(shipped_run, tmp_path):
    md = report.write_report(shipped_run, tmp_path / "report.md", tmp_path / "results.jsonl")
    _check_report_files(md, tmp_path / "results.jsonl", shipped_run)


@pytest.mark.slow
def test_holding_the_line(shipped_run):
    s = shipped_run.summary
    print("\nsummary:", {k: v if v is None else round(v, 3) for k, v in s.items()})
    print("key-fact accuracy by type:", {t: ts["key_fact_accuracy"] and round(ts["key_fact_accuracy"], 3)
                                         for t, ts in shipped_run.by_type.items()})
    assert s["key_fact_accuracy"] >= KEY_FACT_FLOOR, s
    assert s["hit@5"] >= HIT5_FLOOR, s
    assert s["correct_abstention"] >= CORRECT_ABSTENTION_FLOOR, s
    assert s["false_abstention"] <= MAX_FALSE_ABSTENTION, s
    assert shipped_run.by_type["follow-up"]["key_fact_accuracy"] >= FOLLOW_UP_KEY_FACT_FLOOR
    assert shipped_run.by_case["missing-fact"]["n"] == s["n_unanswerable"]


@pytest.mark.slow
def test_rag_eval_command(seeded_store, tmp_path):
    """`rag eval` end to end in a subprocess, on one shipped question per type (the full set runs above)."""
    firsts: dict[str, str] = {}
    for line in QUESTIONS.read_text("utf-8").splitlines():
        if line.strip():
            firsts.setdefault(json.loads(line)["type"], line)
    subset = tmp_path / "subset.jsonl"
    subset.write_text("\n".join(firsts.values()) + "\n", "utf-8")
    out, report = tmp_path / "out" / "results.jsonl", tmp_path / "out" / "report.md"
    proc = subprocess.run(
        [sys.executable, "-m", "rag.cli", "eval", "--store", str(seeded_store), "--questions", str(subset),
         "--output", str(out), "--report", str(report)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "key-fact accuracy" in proc.stdout and "hit@5" in proc.stdout and "latency p95" in proc.stdout
    assert "evaluating" in proc.stderr  # the progress bar
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [r["type"] for r in rows] == list(firsts) and all(RECORD_FIELDS <= set(r) for r in rows)
    text = report.read_text("utf-8")
    assert "## Summary" in text and "## Failures" in text and "](report.png)" in text
    assert report.with_suffix(".png").stat().st_size > 5000


def test_rag_eval_bad_questions_file_fails_before_loading(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_line() + "\n{broken\n", "utf-8")
    proc = subprocess.run([sys.executable, "-m", "rag.cli", "eval", "--questions", str(bad)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "line 2" in proc.stderr and "not valid JSON" in proc.stderr


def test_the_readmes_example_question_set_loads(tmp_path):
    readme = (ROOT / "README.md").read_text("utf-8")
    example = readme.split("**Writing a question set**", 1)[1].split("```", 2)[1]
    f = tmp_path / "q.jsonl"
    f.write_text(example, "utf-8")
    qs = ev.load_questions(f)
    assert len(qs) >= 3 and any(q.get("history") for q in qs) and any(not ev.is_answerable(q) for q in qs)
