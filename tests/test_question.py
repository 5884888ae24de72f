"""Question analysis: language, kind, focus and names (fast, no model)."""

from __future__ import annotations

import pytest

from rag.question import LIST_Q, NUMERIC_Q, TIME_Q, focus_term, names
from rag.text import language, tokenize


@pytest.mark.parametrize(("text", "lang"), [("喀什有多少家企业？", "zh"), ("How many firms?", "en"),
                                            ("浙学通 has how many users?", "en"), ("APP用户有多少？", "zh")])
def test_language(text, lang):
    assert language(text) == lang


def test_kinds():
    assert NUMERIC_Q.search("签订了多少份协议") and NUMERIC_Q.search("How many teachers")
    assert TIME_Q.search("联盟是哪一年成立的？") and TIME_Q.search("When was it founded?")
    assert not TIME_Q.search("What logic should they follow when laying out majors?")
    assert LIST_Q.search("建设目标有哪些？") and not LIST_Q.search("党委书记是谁？")


@pytest.mark.parametrize(("q", "focus"), [("台州老年开放大学的老年无人机班学费是多少？", "学费"),
                                          ("江苏省一共投入了多少资金？", "资金"),
                                          ("海盐学院共同体里的9个成员分别是哪些？", "成员")])
def test_focus_term(q, focus):
    assert focus_term(q) == focus


def test_names_finds_places_organisations_numbers_and_latin_words():
    assert names("上海有多少所职业院校？") == ["上海"]
    assert "北京大学" in names("北京大学的校长是谁？")
    assert names("2024年奥运会在哪里举办？") == ["2024"]
    assert names("如何学习Python编程？") == ["Python"]


def test_tokenize_drops_stop_words_question_words_and_punctuation():
    toks = tokenize("喀什职业技术学院与多少家企业签订了合作协议？")
    assert "喀什" in toks and "企业" in toks
    assert not {"多少", "与", "了", "？"} & set(toks)
    assert "哪所" not in tokenize("是哪所学校？")
