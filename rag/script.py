"""Traditional or simplified characters: a question written in the other script than its corpus is read in the
corpus's (青石職業學院圖書館 asked of a corpus that writes 青石职业学院图书馆), so that its words are found."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Literal

from .text import simplified

if TYPE_CHECKING:
    from opencc import OpenCC

Script = Literal["simplified", "traditional"]


@cache
def _to_traditional() -> OpenCC:
    from opencc import OpenCC

    return OpenCC("s2t")


def _convert(text: str, script: Script) -> str:
    return simplified(text) if script == "simplified" else _to_traditional().convert(text)


def script_of(lines: str) -> Script | None:
    """The script of a text (one word a line, or any text): the one more of its lines are written in; None when
    as many are written in each, or it holds neither's characters (no Chinese, or only characters both share)."""
    votes = [_line_script(a, t, s) for a, t, s in zip(lines.split("\n"), _convert(lines, "traditional").split("\n"),
                                                       _convert(lines, "simplified").split("\n"))]
    traditional, simplified = votes.count("traditional"), votes.count("simplified")
    if traditional == simplified:
        return None
    return "traditional" if traditional > simplified else "simplified"


def _line_script(line: str, traditional: str, simplified: str) -> Script | None:
    """The script of one line: the one whose own characters it holds more of (這個藥可以吃嗎 holds four traditional
    ones and 吃, which OpenCC writes 喫 in traditional), given the line converted to each."""
    own_traditional = sum(x != y for x, y in zip(line, simplified))
    own_simplified = sum(x != y for x, y in zip(line, traditional))
    if own_traditional == own_simplified:
        return None
    return "traditional" if own_traditional > own_simplified else "simplified"


def in_script(text: str, script: Script | None) -> str:
    """The text written in the given script, when it is written in the other one (else as it is)."""
    own = script_of(text)
    if script is None or own is None or own == script:
        return text
    return _convert(text, script)
