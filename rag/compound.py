"""A message that asks several questions one after another (几点开门？周末呢？, 捐了多少书、花了多少钱？), cut into
its questions so that each is answered on its own: one analysis holds one question word, one focus, one measure."""

from __future__ import annotations

import re

from .answertype import checkable, holds
from .question import Question, analyse, asks_by_word
from .result import Answer

_QUESTION_END = re.compile(r"(?<=[？?；;！!。])")
_CLAUSE_END = re.compile(r"(?<=[，,、])")
_ELLIPTIC = re.compile(r"呢\W*$")  # 以前呢？: the question before, asked of something else
_ASKED = re.compile(r"[？?]\s*$")


def questions(message: str) -> list[str]:
    """The questions the message asks, in order, each with what it says before them that asks nothing (我妈65岁，…);
    the message itself when it asks one. Chinese clauses are cut at commas only where the later one asks by a
    word of its own (多少书、花了多少钱, 要多久，以前呢): a question word governs the clauses after it
    (为什么到了1996年，它必须停用？). A clause asking of nothing it names (可以吗？) stays with the one before it."""
    parts: list[str] = []
    pending = ""
    for sentence in filter(str.strip, _QUESTION_END.split(message)):
        clauses = _CLAUSE_END.split(sentence) if re.search(r"[\u4e00-\u9fff]", sentence) else [sentence]
        emitted = False
        for clause in filter(str.strip, clauses):
            pending += clause
            if not asks_by_word(clause):
                continue
            if parts and not _ELLIPTIC.search(clause) and _asks_of_nothing(clause):
                parts[-1] += pending
            else:
                parts.append(pending)
            pending, emitted = "", True
        if pending and emitted:
            parts[-1] += pending  # what follows the question word in its sentence
            pending = ""
        elif pending and _ASKED.search(sentence):
            parts.append(pending)
            pending = ""
    if pending and parts:
        parts[-1] += pending
    parts = [p.strip(" ，,、") for p in parts]
    return parts if len(parts) > 1 else [message]


def _asks_of_nothing(clause: str) -> bool:
    """Whether the clause asks with no question word of its own and names nothing (可以吗？, 是吗？)."""
    asked = analyse(clause.strip(" ，,、"))
    return asked.answer_type == "other" and not asked.terms and not asked.names


def answers(asked: Question, answer: Answer) -> bool:
    """Whether a sentence of the answer holds a thing of the kind the question asks for (a number, a date, a
    person), where a pattern can tell; always for a kind it cannot (a manner, an entity)."""
    return not checkable(asked) or any(holds(asked, s.text)[0] for s in answer.sentences)
