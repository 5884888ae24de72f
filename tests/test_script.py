"""Traditional and simplified characters: which a text writes, and a question read in its corpus's script."""

from __future__ import annotations

from rag.answertype import holds
from rag.question import analyse
from rag.script import in_script, script_of
from rag.text import tokenize


def test_the_script_is_the_one_whose_own_characters_the_text_holds():
    assert script_of("吐鲁番职业技术学院的院长是谁？") == "simplified"
    assert script_of("吐魯番職業技術學院的院長是誰？") == "traditional"
    assert script_of("What is this?") is None and script_of("") is None
    assert script_of("学院\n院長\n國家\n图书") is None  # as many lines of each
    assert script_of("學院\n院長\n國家\n图书") == "traditional"
    # A traditional line holding a character OpenCC writes otherwise in traditional (吃, as 喫) is traditional still.
    assert script_of("這個藥可以跟酒一起吃嗎？") == "traditional"
    assert in_script("這個藥可以跟酒一起吃嗎？", "simplified") == "这个药可以跟酒一起吃吗？"


def test_a_question_is_converted_only_when_written_in_the_other_script():
    assert in_script("吐魯番職業技術學院的院長是誰？", "simplified") == "吐鲁番职业技术学院的院长是谁？"
    assert in_script("外地读者需要缴纳多少押金？", "traditional") == "外地讀者需要繳納多少押金？"
    assert in_script("外地读者需要缴纳多少押金？", "simplified") == "外地读者需要缴纳多少押金？"
    assert in_script("外地读者需要缴纳多少押金？", None) == "外地读者需要缴纳多少押金？"
    # A simplified question holding one character the corpus may write its own way (凉茶舖) is left as it is.
    assert in_script("凉茶舖又叫什么？", "simplified") == "凉茶舖又叫什么？"


def test_traditional_characters_are_read_in_simplified_ones_and_given_back_as_written():
    # jieba's dictionary and the question tables are simplified: 什麼時候 asks for a date, 誰 for a person.
    q = analyse("報名到什麼時候截止？", script="traditional")
    assert (q.answer_type, q.terms, q.text) == ("date", ("報名",), "報名到什麼時候截止？")
    assert q.reading is not None and q.reading.terms == ("报名",)
    assert analyse("學費要繳多少錢？", script="traditional").terms == ("學費",)
    assert holds(q, "自八月十二日起至九月六日止。") == (True, True)
    assert analyse("北投社區大學的校長是誰？", script="traditional").answer_type == "person"
    assert analyse("报名到什么时候截止？", script="traditional").reading is None  # nothing to read otherwise
    assert analyse("辦理會員卡的最後一步是什麼？", script="traditional").position == (0, "最後一步")
    # A traditional text is cut as its simplified form is, each token as the text writes it.
    assert tokenize("報名時間自八月十二日起") == ["報名", "時間", "自", "八月", "十二", "二日", "十二日", "起"]
