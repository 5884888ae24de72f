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
    """The script of a text (one word a line, or any text): the one whose own characters more of its lines hold;
    None when it holds neither's (no Chinese, or only characters both scripts share)."""
    traditional = _changed(lines, "simplified")
    simplified = _changed(lines, "traditional")
    if traditional == simplified:
        return None
    return "traditional" if traditional > simplified else "simplified"


def in_script(text: str, script: Script | None) -> str:
    """The text written in the given script, when it is written in the other one (else as it is)."""
    own = script_of(text)
    if script is None or own is None or own == script:
        return text
    return _convert(text, script)


def _changed(lines: str, script: Script) -> int:
    """How many lines of the text converting it to the script changes."""
    converted = _convert(lines, script)
    return sum(a != b for a, b in zip(lines.split("\n"), converted.split("\n")))
