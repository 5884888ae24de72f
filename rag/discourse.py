"""How a sentence leans on its neighbours: one that opens with a conjunction pointing back (因此), a pointer at a
thing the sentence before names (该学院), a speaker named after a quotation, and the mark of a list's point (第二，).
What a quoted sentence needs beside it to be read right."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lines import row_cells
from .quantity import MEASURES, SMALL_NUMERALS, small_number
from .question import QUOTED, WHICH_ONE
from .text import CJK, segmenter, tagged

# Conjunctions that open a clause of their own sentence (由于X，Y; 如果X，Y; 虽然X，但Y), not a reference to the one before.
_OPENS_CLAUSE = frozenset("""因为 由于 如果 假如 假若 倘若 要是 若 虽然 虽 尽管 即使 即便 哪怕 只要 只有 除非 无论 不论
    不管 既然 不仅 不但 一旦""".split())


def opens_subordinate(clause: str) -> bool:
    """Whether the clause opens with a conjunction of condition or concession (如果, 无论, 虽然): it leads to the
    clause its sentence goes on to."""
    words = [w for w in segmenter().lcut(clause.lstrip()[:6], HMM=False) if w.strip()]
    return bool(words) and words[0] in _OPENS_CLAUSE


def leans_back(sentence: str) -> bool:
    """Whether the sentence opens with a conjunction that points back (a word jieba's dictionary tags c: 因此,
    所以, 但是, not 由于 or 如果), and so says little without the sentence before it. Pronouns are not counted: in
    a reference text 他 or 该 mostly means the article's subject, which the sentence before rarely names."""
    words = [w for w in segmenter().lcut(sentence[:8], HMM=False) if w.strip()]
    return bool(words) and words[0] in tagged(("c",), 1) and words[0] not in _OPENS_CLAUSE


_NOT_A_POINTER = ("c", "d", "t", "f")  # jieba's conjunctions, adverbs, times, directions: 此外, 此后, 此前


def refers_back(sentence: str, before: str) -> bool:
    """Whether the sentence opens with a demonstrative and a noun (该学院, 该院, 此校) that the sentence before names
    in full (…职业技术学院): what it says is said of that one."""
    words = [w for w in segmenter().lcut(sentence.lstrip(" “\"")[:12], HMM=False) if w.strip()]
    if not words or words[0][0] not in "该此" or words[0] in tagged(_NOT_A_POINTER, 1):
        return False  # 此外, 此后, 该当: a conjunction or adverb, not a pointer at a thing
    noun = words[0][1:] or (words[1] if len(words) > 1 else "")
    if not CJK.match(noun) or noun in MEASURES:
        return False  # 此次, 该项: a count of times or items, not a thing named before
    return bool(re.search(f"[\u4e00-\u9fff](?<![该此这那其本]){re.escape(noun)}", before))


# A question opening with which one (哪个区域…最快, 哪款…) or asking a thing's name (…叫什么): its answer names the
# thing a follow-up's 它 means. (Not X在哪个会议室: 它 there is X, what the question is about.)
_WHICH = re.compile(rf"^\W*(?:请问)?(?:是)?{WHICH_ONE.pattern}|叫什么")
_IT = re.compile(r"(?<![其吉])它(?!们)")


def referent(follow_up: str, earlier: str, quoted: Sequence[str], best: str) -> str | None:
    """The name a follow-up's 它 stands for when the question before it asked which thing and its answer names one
    of that kind the question did not say: the one table row it quoted (its first cell), else a quoted title, a
    place or an organisation its best sentence names. The kind is the noun after 哪个 (区域 of 哪个区域增长最快): the
    name ends in a character of it or its row's first label is it (华北区, 区域：…; not 国务院办公厅 for 哪家公司). None
    when the follow-up has no 它, the question before asked no choice (它 of 它有什么功能 after 谁开发了它 is the
    thing both ask about, not its maker), or the answer quoted several rows (which one is meant is not said)."""
    which = _WHICH.search(earlier)
    if not _IT.search(follow_up) or which is None:
        return None
    kind = set(earlier[which.end(): which.end() + 2]) if which.group(0) != "叫什么" else set()

    def of_kind(name: str) -> bool:  # (a compound's head is its last character: 华北区 a 区域, 第一中学 a 学校)
        return not kind or name[-1] in kind or kind <= set(name)

    rows = [cells for text in quoted if (cells := row_cells(text))]
    if rows:
        label, key = next(iter(rows[0].items()))
        return key if len(rows) == 1 and key and key not in earlier and (of_kind(key) or kind <= set(label)) else None
    proper = tagged(("ns", "nt", "nz"))
    named = [*QUOTED.findall(best),
             *(w for w in segmenter().lcut(best) if len(w) > 1 and w in proper)]
    name = next((n for n in named if n not in earlier), None)
    return name if name and of_kind(name) else None


def name_for_it(follow_up: str, name: str) -> str:
    """The follow-up with its first 它 read as the name it stands for."""
    return _IT.sub(name, follow_up, count=1)


# A speaker named after a quotation (“……。”某某说，“……” or “……。”某某表示。): the speech goes on from the quotation.
_ATTRIBUTION = re.compile(r"^[^“”\"。！？!?]{1,40}(?:说|表示|指出|介绍|强调|坦言|感慨|告诉记者)(?:道)?(?:[，,：:]\s*[“\"]|[。.]$)")
_QUOTATION = re.compile(r"^[“\"][^“”\"]+[”\"]$")


def resumes_quotation(sentence: str, before: str) -> bool:
    """Whether the sentence names the speaker of the quotation before it, and so is half of one speech."""
    return bool(_QUOTATION.match(before.strip()) and _ATTRIBUTION.match(sentence.strip()))


# The marks that number the points of a list within a paragraph, each family with how its nth point reads:
# 第一，… 第二，…; 一是… 二是…; 其一… 其二…; （一）…; （1）…; 1. …; ①…; 首先… 其次… 再次… 最后….
_N = SMALL_NUMERALS
_POINT = re.compile(
    rf"第(?P<di>[{_N}]{{1,3}})(?:[，,、：:是条点步]|个?方面)|(?P<shi>[{_N}])是|其(?P<qi>[{_N}])"
    rf"|(?P<dun>[{_N}]{{1,3}})、|[（(](?P<paren>[{_N}]{{1,3}})[）)]|[（(](?P<bracketed>\d{{1,2}})[）)]|(?P<digit>\d{{1,2}})[.、．)）](?!\d)|(?P<circled>[①-⑩])"
    r"|(?P<first>首先)|(?P<then>其次)|(?P<third>再次)|(?P<last>最后)")
_SEQUENCE = {"first": 1, "then": 2, "third": 3}


def point_of(sentence: str, anywhere: bool = False) -> tuple[str, int] | None:
    """The list mark a sentence opens with (or, anywhere, one after a colon: 有以下三点：第一，…), as its family
    and number: ("di", 2) for 第二，…; ("first", 0) for 最后, which ends whatever number the list has reached."""
    text = sentence.lstrip(" \u3000“\"")
    m = _POINT.match(text)
    if m is None and anywhere:
        m = next((x for x in _POINT.finditer(text) if x.start() and text[x.start() - 1] in "：:"), None)
    if m is None or m.lastgroup is None:
        return None
    family, value = m.lastgroup, m.group(m.lastgroup)
    if family in _SEQUENCE:
        return "first", _SEQUENCE[family]
    if family == "last":
        return "first", 0
    if family == "circled":
        return family, ord(value) - ord("①") + 1
    if family in ("digit", "bracketed"):
        return family, int(value)
    number = small_number(value)
    return (family, number) if number else None


def load_tables() -> None:
    """Read the dictionary tables these checks use, so that no question pays for one."""
    tagged(("c",), 1)
    tagged(_NOT_A_POINTER, 1)
