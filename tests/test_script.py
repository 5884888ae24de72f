"""Traditional and simplified characters: which a text writes, and a question read in its corpus's script."""

from __future__ import annotations

from rag.script import in_script, script_of


def test_the_script_is_the_one_whose_own_characters_the_text_holds():
    assert script_of("吐鲁番职业技术学院的院长是谁？") == "simplified"
    assert script_of("吐魯番職業技術學院的院長是誰？") == "traditional"
    assert script_of("What is this?") is None and script_of("") is None
    assert script_of("学院\n院長\n國家\n图书") is None  # as many lines of each
    assert script_of("學院\n院長\n國家\n图书") == "traditional"


def test_a_question_is_converted_only_when_written_in_the_other_script():
    assert in_script("吐魯番職業技術學院的院長是誰？", "simplified") == "吐鲁番职业技术学院的院长是谁？"
    assert in_script("外地读者需要缴纳多少押金？", "traditional") == "外地讀者需要繳納多少押金？"
    assert in_script("外地读者需要缴纳多少押金？", "simplified") == "外地读者需要缴纳多少押金？"
    assert in_script("外地读者需要缴纳多少押金？", None) == "外地读者需要缴纳多少押金？"
    # A simplified question holding one character the corpus may write its own way (凉茶舖) is left as it is.
    assert in_script("凉茶舖又叫什么？", "simplified") == "凉茶舖又叫什么？"
