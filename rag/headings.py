"""What an answer quotes from a heading or a line set apart, where no sentence of the text says it: a release's
date, a hall's size or floor, a chronicle's year, a document's number."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .answertype import holds
from .features import Candidate, date_heading, own_heading, undated
from .quantity import DATE
from .question import Question
from .retrieval import Hit

_DOCUMENT_NUMBER_ASKED = re.compile(r"文字?号|案号")
_VERSION = re.compile(r"[a-z]{0,3}\d+(?:\.\d+)+")  # a question's version term (v3.2.0, 3.1.0, 3.0)
# What a question asks of a thing its heading dates (发布, 上线): when it came out.
_RELEASED = frozenset({"发布", "发行", "上线", "推出", "更新", "出版", "公布", "印发", "版本", "正式"})


def dated_heading(question: Question, chosen: list[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """Asked when a thing the question names came out (v3.2.0是哪天发布的), the heading of the best passage under
    one naming it with a date (v3.2.0（2025-04-15）), where no chosen sentence names it with one: a changelog dates
    its releases in their headings only. [] else."""
    names = list(dict.fromkeys(n.lower() for n in (*question.names, *filter(_VERSION.fullmatch, question.terms))))
    if question.answer_type != "date" or not names or any(
            t.lower() not in names and t not in _RELEASED for t in question.terms) or any(
            c.type_ok and all(n in c.text.lower() for n in names) for c in chosen):
        return []  # (what a heading's date says is when its thing came out, not when anything else of it was)
    # (A version asked short names its release whole, 3.0 of v3.0.0, not a later one, v3.0.1, nor v13.0.)
    said = [re.compile(rf"(?<![\d.]){re.escape(n)}(?:\.0)*(?![\d.])" if _VERSION.fullmatch(n) else re.escape(n))
            for n in names]
    for h in hits:
        for part in str(h.meta.get("heading", "")).split(" / "):
            if DATE.search(part) and all(rx.search(part.lower()) for rx in said):
                return [Candidate.bare(h, -1, part)]
    return []


def heading_fact(question: Question, chosen: list[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """Asked an amount of a thing (第四展厅面积多大), the innermost heading over a retrieved passage that names every
    word of the question and states that amount (第四展厅 澜州近代风云（二层，面积900平方米）), where no chosen sentence
    does: a guide gives a hall's size in its heading only. [] else."""
    if question.answer_type != "number" or not question.terms or any(
            c.type_exact and all(t in c.text for t in question.terms) for c in chosen):
        return []
    for h in hits:
        head = own_heading(h)
        if all(t in head for t in question.terms) and holds(question, head)[1]:
            return [Candidate.bare(h, -1, head)]
    return []


def with_date_heading(question: Question, chosen: list[Candidate]) -> list[Candidate]:
    """Asked when, a sentence stating no year (11月 发布…) under a heading that is a year alone (a chronicle's
    2023年) comes after that heading, quoted as it is."""
    if question.answer_type != "date":
        return chosen
    heads: dict[tuple[str, str], Candidate] = {}  # one a year, though its entries stand in several passages
    for c in chosen:
        if undated(c.text) and (head := date_heading(c.hit)):
            heads.setdefault((str(c.hit.meta.get("source", "")), head), Candidate.bare(c.hit, -1, head))
    return [*heads.values(), *chosen]


# Asked which floor (陶瓷馆在几楼, 在哪一层), a floor as a guide writes it (二层, 3楼, 地下一层, B1, 2F).
_ASKS_FLOOR = re.compile(r"几楼|几层|哪一?层|哪个楼层|什么楼层|\bwhich floor\b", re.IGNORECASE)
_FLOOR = re.compile(r"(?:地下)?[一二三四五六七八九十\d]{1,3}\s*[层楼](?![梯房道])|(?<![A-Za-z])(?:[Bb]\d{1,2}|\d{1,2}[Ff])(?![A-Za-z\d])")
# A sentence placing the thing somewhere of its own (请前往…服务中心, 位于…): not where its heading's floor is.
_PLACED = re.compile(r"位于|前往|设在|设于|移至|搬至|在[^，。；]{1,12}(?:旁|内|里|处|对面|附近|一侧|东侧|西侧|南侧|北侧)")


def with_floor_heading(question: Question, chosen: list[Candidate]) -> list[Candidate]:
    """Asked which floor, the heading over the best chosen sentence stating one (二层（2F）over 陶瓷馆展出…) before
    it, when no chosen sentence states one: a guide sorts its halls under their floors' headings."""
    if not chosen or not _ASKS_FLOOR.search(question.text) or any(_FLOOR.search(c.text) for c in chosen):
        return chosen
    top = max(chosen, key=lambda c: c.score)
    head = own_heading(top.hit)
    if not _FLOOR.search(head) or _PLACED.search(top.text):
        return chosen
    return [Candidate.bare(top.hit, -1, head), *chosen]


def set_apart(question: Question, hits: Sequence[Hit]) -> list[Candidate]:
    """Asked a document's number (文号, 案号), the line set apart that states one (临商发〔2025〕17号 under its
    issuer's name), a heading or a part of one, which sentences are never read from: the best-ranked hit's."""
    if question.answer_type != "contact" or not _DOCUMENT_NUMBER_ASKED.search(question.focus or ""):
        return []
    for h in hits:
        lines = [h.text] if h.meta.get("kind") == "heading" else []
        for line in [*lines, *str(h.meta.get("heading", "")).split(" / ")]:
            if holds(question, line)[0]:
                return [Candidate.bare(h, 0, line.strip())]
    return []
