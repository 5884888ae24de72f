"""A question's word typed as a homophone of the corpus's word is read as that word; nothing else is."""

from __future__ import annotations

import pytest

from rag.keyword import Keyword
from rag.spelling import Respelling, homophones, notice, respell

RENTAL = [("a", "入住时须交押金800元，退房验收后原路退还。王芳 2024-05-12 09:47 收到。"), ("b", "房间配有空调、洗衣机和一根3米长的电源线。"),
          ("c", "专利申请日为2022年3月1日，授权公告日为2023年5月9日。"), ("d", "詹姆士·洛克是本店的常客。"),
          ("e", "工作人员划船出动橡皮艇12艘。")]


@pytest.fixture(scope="module")
def kw() -> Keyword:
    return Keyword.build(RENTAL)


@pytest.mark.parametrize(("typed", "read", "mend"), [
    ("压金多少？", "押金多少？", Respelling("压金", "押金")),
    ("电原线有多长", "电源线有多长", Respelling("电原线", "电源线")),
    ("申情日是哪天", "申请日是哪天", Respelling("申情", "申请")),
    ("那压金呢", "那押金呢", Respelling("压金", "押金")),  # the segmenter glues 那 to the slip: 那压 金
])
def test_a_mistyped_homophone_is_read_as_the_corpus_word(kw, typed, read, mend):
    assert respell(typed, kw) == (read, (mend,))


@pytest.mark.parametrize("q", [
    "押金多少？",  # as the corpus writes it
    "罚金多少？",  # a real word the corpus lacks: a fact it does not hold, not a slip
    "占士·洛克是谁？",  # a foreign name's part beside its dot
    "橡皮艇哪天出动的？",  # frame characters (哪, 的) are never mended
    "营收多少",  # a word the dictionary lists (cedict), though jieba does not
    "王方说了什么",  # another person than the corpus's 王芳: a name is no dictionary word to mend into
])
def test_words_that_are_no_slip_are_left_as_typed(kw, q):
    assert respell(q, kw) == (q, ())


def test_homophones_are_read_by_common_readings():
    assert "押" in homophones("压") and "源" in homophones("原")
    assert "莫" not in homophones("无")  # 无 read mo only in a Buddhist word: no slip sounds so
    assert "压" not in homophones("压")


def test_the_notice_names_each_word_read_otherwise():
    mends = (Respelling("压金", "押金"), Respelling("压金", "押金"))  # in a question and the one before it
    assert notice(mends, "zh") == "已按“押金”理解“压金”。"
    assert notice(mends, "en") == 'Read "压金" as "押金".'
