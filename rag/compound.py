"""A message that asks several questions one after another (几点开门？周末呢？, 借了多少本书、交了多少钱？), cut into
its questions so that each is answered on its own: one analysis holds one question word, one focus, one measure."""

from __future__ import annotations

import re

from .discourse import opens_subordinate
from .question import analyse, asks_by_word, has_words
from .text import CJK, asks, split_sentences

# Only a comma or an enumeration comma parts two questions of one sentence (多少本、多少钱); a colon does not.
_COMMA = re.compile(r"(?<=[，,、])")
_ELLIPTIC = re.compile(r"呢\W*$")  # 周末呢？: the question before, asked of something else
_EDGES = " ，,、。！!；;"


def questions(message: str) -> list[str]:
    """The questions the message asks, in order, each with what it says before them that asks nothing (我今年70岁，…);
    the message itself when it asks one. Chinese clauses are cut at commas only where the later one asks by a
    word of its own (多少本、交了多少钱, 要多久，坐船呢): a question word governs the clauses after it
    (为什么到了1990年，这条路必须停用？), and a clause of condition (无论多少钱，…) or one telling what is not known
    (不知道几点开门，…) asks nothing. A clause asking of nothing it names (可以吗？) stays with the one before it."""
    if "://" in message:
        return [message]  # a link's ? asks nothing
    parts: list[str] = []
    pending = ""
    for sentence in split_sentences(message, len(message) + 1):
        clauses = _COMMA.split(sentence) if CJK.search(sentence) else [sentence]
        emitted = False
        for clause in filter(str.strip, clauses):
            pending += clause
            if not _asks_itself(clause):
                continue
            if parts and not _ELLIPTIC.search(clause) and _asks_of_nothing(clause):
                parts[-1] += pending
            else:
                parts.append(pending)
            pending, emitted = "", True
        if pending and emitted:
            parts[-1] += pending  # what follows the question word in its sentence
            pending = ""
        elif pending and asks(sentence.strip()):
            parts.append(pending)
            pending = ""
    if pending and parts:
        parts[-1] += pending
    parts = [p.lstrip(_EDGES + "？?").rstrip(_EDGES) for p in parts if has_words(p)]
    return parts if len(parts) > 1 else [message]


def _asks_itself(clause: str) -> bool:
    """Whether the clause asks by a word of its own, not inside a condition or what someone does not know."""
    return asks_by_word(clause) and not opens_subordinate(clause) and "知道" not in clause


def _asks_of_nothing(clause: str) -> bool:
    """Whether the clause asks with no question word of its own and names nothing (可以吗？, 是吗？)."""
    asked = analyse(clause.strip(_EDGES))
    return asked.answer_type == "other" and not asked.terms and not asked.names
