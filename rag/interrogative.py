"""Question words (谁, 哪一年, 多少, 为什么, who, when): which word of a question asks, and the answer type and kind
it asks for."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from .quantity import MEASURE_RE
from .text import segmenter, tagged

AnswerType = Literal["number", "date", "person", "place", "reason", "title", "contact", "manner", "entity", "other"]
Kind = Literal["fact", "list", "author", "overview"]

# Question words, in the order they decide: (pattern, answer type, kind). The first match wins, so a list
# question (哪几个, 哪些) is decided before the number words, and a date (哪一年) before a duration (多少年).
_M = MEASURE_RE
_NAME_CHAR = "(?:(?!的)[\u4e00-\u9fff\\dA-Za-z])"  # of a document's name (2024年度), not of whose it is
# Right after a document's name (通知是, 公告由): who issued it, or when, asks for its signature. (Case-sensitive, its
# name characters as {n}, not n copies: copied and case-folded, their class of every Chinese character took seconds
# to compile at each start; it holds both cases of its letters already.)
RULINGS = ("判决书", "裁定书", "调解书")  # a court's: made (作出) on the day under its judges' names
_DOCUMENTS = ("通知", "公告", "通告", "文件", "通报", "公函", "办法", "规定", "细则", "方案", "安排", "须知", "纪要", "简报",
              "倡议书", "告知书", "文章", "报道", "本文", "问答", "指南", "说明", "手册", "简章", "章程", "条例", "守则",
              "声明", "启事", "公示", "指引", "公报", "年报", "白皮书", *RULINGS)
# A contract or a report asked about whole, pointed at from the question's start (这份2024年度报告), not one it tells
# of (劳动合同是什么时候签订的, 每个人的体检报告是哪天发的: the text says when); by length (a lookbehind's is fixed).
_WHOLE = (("合同", "协议", "报告", "提示", "摘要", "决定", "批复"), ("协议书", "说明书"))
_OF_DOCUMENT = "(?-i:" + "|".join(f"(?<={d}{link})" for d in (*_DOCUMENTS,
                                                             *(f"{a}{_NAME_CHAR}{{{n}}}(?:{'|'.join(words)})"
                                                               for a in ("^", "^[这那][份个篇本]", "^[该此本]")
                                                               for n in range(1 if a == "^" else 7)
                                                               for words in _WHOLE))
                               for link in ("", "是", "由")) + ")"
# What the lookbehinds above end in: a question naming none of these words is read without them (compiling them is
# most of importing this module, which a one-question process pays).
_NAMES_A_DOCUMENT = re.compile("|".join((*_DOCUMENTS, *(w for words in _WHOLE for w in words))))
_RULING = "|".join(f"(?<={d}{link})" for d in RULINGS for link in ("", "是", "由"))
QUESTION_WORDS: list[tuple[str, AnswerType, Kind]] = [
    # Who wrote it (作者是谁, 谁写的), or issued it (哪个部门发的, 落款是谁); a question that only mentions the author
    # (作者在哪里工作) asks something else.
    (r"(?:作者|记者|撰稿人|通讯员|署名|落款)(?:是|为)?(?:谁|哪位|什么人|叫什么)|谁(?:写|撰写|撰文)|由谁(?:写|撰写)"
     r"|哪[位个名](?:记者|撰稿人|通讯员)(?=写|撰写|撰文|采写)"  # (哪位作者写了《河湾》: a book's author, in the text)
     rf"|{_OF_DOCUMENT}(?:谁|哪(?!一?[年月日天号])[个家所级]?[\u4e00-\u9fff]{{1,4}}?)(?=(?:发|发布|印发|下发|签发)的)|发文(?:单位|机关|部门)"
     r"|\bwho (?:wrote|is the author|are the authors)\b|\bwritten by whom\b|\bauthors? of\b", "person", "author"),
    # When it was issued (通知是什么时候发布的, 落款日期): the date its byline holds, if it holds one. Asked of a thing
    # the document tells of (专辑是什么时候发布的), it is answered by the text, which says 发布.
    ((rf"{_OF_DOCUMENT}(?:什么时候|何时|哪天|哪一天|哪日|什么日期)(?=(?:发|发布|印发|下发|签发|发出|签|签订|签署)的)"
      # (a court's ruling is made, 作出: not a decision a text reports, 市政府作出决定)
      rf"|(?:{_RULING})(?:什么时候|何时|哪天|哪一天|哪日|什么日期)(?=[作做]出的)"
      r"|(?:落款|发文|印发)(?:日期|时间)"), "date", "author"),
    # 为什么 asks why, except after a verb that takes 为 as "as" (称之为什么 asks a name, 聘为什么 a post).
    # (之 after such a verb, as in 称之为什么; not ending a name, as in 祖冲之为什么.)
    (r"(?<![称名成作视认选改定列评封命取聘任译誉叫分设划升奉尊立拜现])(?<!称之|名之|视之|谓之|誉之|呼之|唤之|叫之|奉之|尊之|命之|译之)"
     r"为什么|为何|因何|何以|什么原因|原因是什么|何故|\bwhy\b",
     "reason", "fact"),
    (r"哪一?年|哪个?月|哪一?天|哪日|何年|何时|什么时候|什么时间|几月几[日号]|几月份|几号|什么年代|哪个朝代|哪个时期"
     # 周几 asks which weekday (每周几上课); 每周几次, 每周几节课 count something each week.
     rf"|(?:星期|周|礼拜)几(?!{_M})|几点"
     r"|^\W*when\b|\bwhen (?:was|were|did|is|does)\b|\b(?:what|which) (?:year|month|day|date|time)\b", "date", "fact"),
    # Which places (产自哪些地区, 哪几座城市): places, where the place word ends the question's phrase, before a mark
    # or a function word (哪些国家标准 asks for standards, 哪些地区的学生 for students).
    ((r"(?:有?哪些|有?哪几[个座处]?)(?:地区|地方|区域|国家|城市|省份?|省区|省市|县市|地市|县|市|州|乡镇|村)"
      r"(?=[被？?，,。！!呢吗和与及、有在都是]|$)"
      r"|\b(?:which|what) (?:countries|cities|regions|provinces|places|areas|towns|counties|villages)\b"),
     "place", "list"),
    (r"有?哪些|有?哪几|有哪|几个方面|几方面|包括什么|主要内容|哪两|哪三|哪四|哪五|\bwhat are\b|\bwhich \w+s\b|\blist\b",
     "entity", "list"),
    # A post or title (什么职务, 担任什么): the word for "post" is what is asked, not a thing to find in the text.
    (r"(?:担任了?|任|出任|升任|官至|官拜)?(?:什么|何|哪个|哪一)(?:职务|职位|官职|头衔|职衔|职称|军衔|官衔|爵位|职)"
     r"|(?:职务|职位|头衔|职称|官职|军衔)(?:是|为)(?:什么|何)|担任了?(?:什么|何|哪个)"
     r"|\bwhat (?:position|title|post|rank|office)\b", "title", "fact"),
    # 多高, 多久: a size or a span; not 许多/很多 (many), nor 多重要, 多大程度 (how much so).
    (rf"多少的?时间|多少|几(?:{_M})|几(?!乎)|(?<![许很众诸较更最])多(?:(?:长|久)(?:的?时间)?|大(?!程度)|高|远|重(?![要复])|深(?!刻)|宽|厚)"
     r"|比例|占比|[百千几]分之几|\bhow (?:many|much|long|old|far|big|large|tall)\b|\bwhat percentage\b|\bnumber of\b",
     "number", "fact"),
    (r"谁|哪位|何人|什么人|\bwho\b|\bwhom\b|\bwhose\b", "person", "fact"),
    # 在哪座城市 is 在 + 哪座城市: the kind of place asked for is part of the question word, not a term.
    ((r"哪里|哪儿|何处|何地|什么地方|在哪[儿里]?(?![个张本部首所家位种类些]|座(?:城市|城))|哪[个座](?:国家|城市|省|地区|地方)"
      r"|哪座城|哪国|\bwhere\b|\b(?:which|what) (?:city|country|province|town|county|region|place|village)\b"),
     "place", "fact"),
    (r"怎么|怎样|如何|\bhow\b", "manner", "fact"),
    (r"哪|什么样(?!子)|什么|啥|何种|有何|何为|何物|何事|\bwhich\b|\bwhat\b", "entity", "fact"),
]
# (pattern without the document's lookbehinds, the whole pattern if it has them, answer type, kind)
_QUESTION_WORDS = [(re.compile(p.replace(_OF_DOCUMENT, "(?!)"), re.I), p if _OF_DOCUMENT in p else None, t, k)
                   for p, t, k in QUESTION_WORDS]
# 几 that asks nothing: "a few" after a demonstrative or a time word (这几所, 近几年, 前几天, 十几个), the scope
# of another question word (在几个县里有什么…: "among the few counties", what is asked comes after), and the
# several who do what another question word of its clause asks (几家超市卖什么牌子的米: "several shops"); not 第几
# nor 几 of a measure naming a day, a time or an edition (几号去哪报名 asks the day).
_INDEFINITE = re.compile(rf"(?<=[这那近前后头好十没])几|几(?=(?:{_M})[\u4e00-\u9fff]{{0,6}}?(?:里|中|内|之间)"
                         r"[^？?]*?(?:什么|哪|谁|怎么|怎样|如何|为何|多少))"
                         rf"|(?<!第)几(?![号日月点时届期级代任])(?=(?:{_M})[^，,；;？?。]*?(?:什么|哪|谁|怎么|怎样|如何|为何))")
# Any question word, for cutting them out of the terms (what a question asks is not a word to look for).
# (Not tied to what comes before: the words before a question word are cut apart from it when terms are read.)
ANY_QUESTION_WORD = re.compile("|".join(f"(?:{p.replace(_OF_DOCUMENT, '')})" for p, _, _ in QUESTION_WORDS), re.I)


def asks_for(text: str) -> tuple[AnswerType, Kind, tuple[int, int] | None]:
    """The answer type and kind the question's first deciding question word asks for, and where that word is."""
    probe = _INDEFINITE.sub("\0", text)  # the same length: a span found in it is the text's
    of_document = bool(_NAMES_A_DOCUMENT.search(probe))
    for rx, whole, answer_type, kind in _QUESTION_WORDS:
        m = (_compiled(whole) if whole and of_document else rx).search(probe)
        if m:
            if answer_type == "place" and _adjective_before(text[: m.start()]):
                return "entity", "fact", m.span()  # 新在哪里, 不同在哪儿: in what respect, not where
            return answer_type, kind, m.span()
    return "other", "fact", None


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """A question word's whole pattern, compiled the first time a question names a document."""
    return re.compile(pattern, re.IGNORECASE)


def _adjective_before(text: str) -> bool:
    """Whether the word before 在哪 is one jieba's dictionary tags as an adjective."""
    words = [w for w in segmenter().lcut(text.rstrip().removesuffix("在")) if w.strip()]
    return bool(words) and words[-1] in tagged(("a",), 1)


def compile_patterns() -> None:
    """Compile now what the first question naming a document would compile, so that no question pays for it."""
    for _, whole, _, _ in _QUESTION_WORDS:
        if whole:
            _compiled(whole)
