"""Cutting a message of several questions into its questions, and quoting their answers in turn."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rag.compound import questions
from rag.result import PART_NOT_FOUND, Answer, abstain, adds_to, combine, quote
from rag.retrieval import Hit


@pytest.mark.parametrize(("message", "parts"), [
    ("图书馆几点开门？周末呢？", ["图书馆几点开门？", "周末呢？"]),
    ("一张门票多少钱？可以刷卡吗？", ["一张门票多少钱？", "可以刷卡吗？"]),
    ("图书室借了多少本书、交了多少钱？", ["图书室借了多少本书", "交了多少钱？"]),  # each clause asks by a word
    ("坐车去县城要多久，坐船呢？", ["坐车去县城要多久", "坐船呢？"]),
    ("How much is a ticket? When does it open?", ["How much is a ticket?", "When does it open?"]),
    ("我今年70岁。能免费进吗？周末开吗？", ["我今年70岁。能免费进吗？", "周末开吗？"]),  # what asks nothing goes with
])
def test_a_message_of_several_questions_is_cut_into_them(message, parts):
    assert questions(message) == parts


@pytest.mark.parametrize("message", [
    "图书馆几点开门？",
    "我今年70岁，坐船能打折吗？",  # a clause that asks nothing belongs to the question
    "为什么到了1990年，这条路必须停用？",  # the question word governs the clause after it
    "他什么时候开始担任校长、董事长？",  # a list inside one question
    "北京、上海和广州哪个大？",
    "如果迟到了，会扣多少钱？",
    "图书馆周一开门，是吗？",  # a yes-no tag naming nothing asks the question before it
    "周末开门吗？可以吗？",
    "无论什么时候来，都要预约吗？",  # a question word inside a condition asks nothing
    "我不知道几点开门，你能告诉我吗？",  # nor inside what the asker does not know
    "这个网址 http://example.cn/?id=3 能打开吗？哪里能下载？",  # a link's ? is no question mark
    "？？？",
])
def test_one_question_stays_whole(message):
    assert questions(message) == [message]


def test_marks_around_a_question_are_not_kept_as_one():
    assert questions("门票多少钱？？周末呢？？") == ["门票多少钱？", "周末呢？"]
    assert questions("门票多少钱。。。周末呢？") == ["门票多少钱", "周末呢？"]


def _hit(chunk_id: str, text: str) -> Hit:
    return Hit(chunk_id=chunk_id, text=text, meta={"source": f"{chunk_id}.txt"}, score=1.0)


def test_answers_are_quoted_in_turn_with_passages_numbered_anew_and_a_sentence_quoted_once():
    a, b = _hit("a", "门票20元。周一闭馆。"), _hit("b", "周末开放到20点。")
    first = quote([(a, "门票20元。")], "zh", 0.9)
    second = quote([(b, "周末开放到20点。"), (a, "门票20元。")], "zh", 0.8)
    both = combine([("门票多少钱？", first), ("周末开到几点？", second)], "zh")
    assert not both.abstained
    assert [(s.text, s.citations) for s in both.sentences] == [("门票20元。", [1]), ("周末开放到20点。", [2])]
    assert [(c.n, c.chunk_id, c.sentences) for c in both.citations] == [(1, "a", ["门票20元。"]),
                                                                       (2, "b", ["周末开放到20点。"])]
    assert both.text == "门票20元。[1]周末开放到20点。[2]"


def test_a_later_question_quoting_the_earlier_ones_document_keeps_to_it():
    # Asked together, the questions ask of one thing: another document's sentence sharing a word (每月) is a stray.
    club = _hit("club", "书法班每班20人。书法班每月学费300元。")
    notice = Hit(chunk_id="bill", text="每月5日前缴纳电费。", meta={"source": "bill.txt"}, score=1.0)
    first = quote([(club, "书法班每班20人。")], "zh", 0.9)
    second = quote([(notice, "每月5日前缴纳电费。"), (club, "书法班每月学费300元。")], "zh", 0.8)
    both = combine([("书法班收多少人？", first), ("每月费用多少？", second)], "zh")
    assert both.text == "书法班每班20人。[1]书法班每月学费300元。[1]"
    # Its best sentence from another document answers it: nothing of it is dropped.
    best_elsewhere = replace(second, best="每月5日前缴纳电费。")
    assert "每月5日前缴纳电费。" in combine([("书法班收多少人？", first), ("每月交什么？", best_elsewhere)], "zh").text
    # Its best sentence quoted already by the earlier question: its other document's sentence is a stray still.
    again = quote([(notice, "每月5日前缴纳电费。"), (club, "书法班每班20人。")], "zh", 0.8)
    again = replace(again, best="书法班每班20人。")
    assert combine([("书法班收多少人？", first), ("每班几人？", again)], "zh").text == "书法班每班20人。[1]"
    # One quoting no new sentence of those documents keeps its own (the first test's 周末开放到20点).
    alone = combine([("书法班收多少人？", first), ("电费什么时候交？", quote([(notice, "每月5日前缴纳电费。")], "zh", 0.8))],
                    "zh")
    assert alone.text == "书法班每班20人。[1]每月5日前缴纳电费。[2]"


def test_a_question_the_corpus_does_not_answer_says_so_in_its_turn():
    a = _hit("a", "门票20元。")
    both = combine([("停车要钱吗？", abstain("zh", 0.1)), ("门票多少钱？", quote([(a, "门票20元。")], "zh", 0.9))],
                   "zh")
    assert not both.abstained and both.evidence == 0.9
    assert both.sentences[0].text == PART_NOT_FOUND["zh"].format(part="停车要钱吗")
    assert both.sentences[0].citations == [] and both.sentences[1].citations == [1]
    assert isinstance(both, Answer) and both.text.endswith("门票20元。[1]")


def test_saying_a_question_is_not_answered_is_no_claim_the_scoring_wants_cited():
    from rag.evaluate import score_record

    said = PART_NOT_FOUND["zh"].format(part="停车要钱吗")
    record = {"question": "停车要钱吗？门票多少钱？", "answer": f"{said}门票20元。[1]", "abstained": False,
              "citations": [{"n": 1, "text": "门票20元。", "sentences": ["门票20元。"]}], "retrieved": [],
              "type": "numeric", "evidence": ["门票20元"], "must_contain": ["20元"]}
    scores, failures, _ = score_record(record)
    assert scores["sentences"] == scores["cited_sentences"] == 1 and not failures, failures


def test_a_question_asked_beside_others_adds_its_best_sentence_only_from_a_passage_the_answer_cites():
    a, b = _hit("a", "门票20元。周一闭馆。"), _hit("b", "周末开放到20点。")
    whole = quote([(a, "门票20元。")], "zh", 0.9)
    closed = quote([(a, "门票20元。"), (a, "周一闭馆。")], "zh", 0.8)
    closed.best = "周一闭馆。"
    added = adds_to(whole, closed)
    assert added is not None and [s.text for s in added.sentences] == ["周一闭馆。"]
    assert combine([("门票多少钱？哪天闭馆？", whole), ("哪天闭馆？", added)], "zh").text == "门票20元。[1]周一闭馆。[1]"
    weekend = quote([(b, "周末开放到20点。")], "zh", 0.8)
    weekend.best = "周末开放到20点。"
    assert adds_to(whole, weekend) is None  # another passage
    assert adds_to(whole, weekend, lacking=True) is None  # another document, whatever the answer lacks
    # Where the answer holds nothing of the kind the question asks, another passage of a document it cites adds.
    same_notice = quote([(Hit(chunk_id="a2", text="周末开放到20点。", meta={"source": "a.txt"}, score=1.0),
                          "周末开放到20点。")], "zh", 0.8)
    same_notice.best = "周末开放到20点。"
    assert adds_to(whole, same_notice) is None
    assert [s.text for s in adds_to(whole, same_notice, lacking=True).sentences] == ["周末开放到20点。"]
    closed.best = "门票20元。"
    assert adds_to(whole, closed) is None  # already quoted
    assert adds_to(whole, abstain("zh", 0.1)) is None
