"""What an ask returns: the answer's sentences, their citations, and the passages retrieved."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only named: a result is read without loading the search
    from .question import Question
    from .retrieval import Hit

NOT_FOUND = {
    "zh": "语料中没有找到与该问题相关的信息。",
    "en": "The corpus does not contain information that answers this question.",
}
# For one question of several asked in one message (几点开门？周末呢？) that the corpus does not answer.
PART_NOT_FOUND = {
    "zh": "语料中没有找到“{part}”的答案。",
    "en": "The corpus does not answer \"{part}\".",
}
_SAYS_NOT_FOUND = re.compile("|".join(re.escape(t).replace(re.escape("{part}"), ".+") for t in PART_NOT_FOUND.values()))


def says_not_found(sentence: str) -> bool:
    """Whether an answer's sentence says the corpus does not answer one of the questions asked: no claim to cite."""
    return bool(_SAYS_NOT_FOUND.fullmatch(sentence.strip()))


# What the documents are about, asked of more than an answer can sum up, one lead sentence each: {n} documents,
# or {n} articles of few documents.
NAME_ONE = {
    "zh": "索引中有{n}篇{what}，一个回答概括不了。请说明想了解哪一篇（如文件名或标题），或问其中的具体内容。",
    "en": "The index holds {n} {what}, more than one answer can sum up. Please name the one you mean (its file "
          "name or title), or ask about something in it.",
}
_UNITS = {"zh": ("文档", "文章"), "en": ("documents", "articles")}

# For a question that names nothing the corpus could hold ("hello", "。"): nothing was searched.
REPHRASE = {
    "zh": "这个问题里没有可以在语料中查找的内容。请换个说法，问一个具体的人、机构、数字或事件。",
    "en": "The question names nothing the corpus could be searched for. Please rephrase it: ask about a "
          "specific person, organisation, number or event.",
}


@dataclass
class Citation:
    """A numbered passage the answer cites, with the sentences quoted from it."""

    n: int
    chunk_id: str
    source: str
    start_line: int
    end_line: int
    heading: str
    text: str
    page: int | None = None
    sentences: list[str] = field(default_factory=list)
    article: str = ""  # the title of the article it is in (which article a byline signs)
    end_page: int | None = None  # a PDF passage running onto a later page ends there

    @classmethod
    def of(cls, n: int, hit: Hit) -> Citation:
        m = hit.meta
        return cls(n, hit.chunk_id, m.get("source", ""), m.get("start_line", 0), m.get("end_line", 0),
                   m.get("heading", ""), hit.text, m.get("page"), article=m.get("article", ""),
                   end_page=m.get("end_page"))


@dataclass
class AnswerSentence:
    """One sentence of the answer, the citation numbers it carries, and whether its passage supports it."""

    text: str
    citations: list[int]
    supported: bool = True
    reason: str = ""


@dataclass
class Answer:
    """The answer text, whether it abstained, its sentences and citations, and the evidence behind it."""

    text: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    sentences: list[AnswerSentence] = field(default_factory=list)
    evidence: float = 0.0
    backend: str = "extractive"
    notice: str | None = None
    # A generated answer's own sentences as checked; kept when it fell back to the extractive answer.
    # (their citations number the passages the model read, in rank order, as the retrieved list does)
    draft: list[AnswerSentence] = field(default_factory=list)
    fell_back: bool = False
    judged: bool | None = None  # the model's own verdict on whether the passages answer the question
    judge_score: float | None = None  # its probability of "yes", when the server reports token probabilities
    # Passages an answer quotes by the document's structure (a section's paragraphs): shown first among the
    # retrieved, as the passages that answer.
    first: list[Hit] = field(default_factory=list, repr=False)
    # The quoted sentence that best answers the question (answer.Answerer.answer): what a question asked beside
    # others must find quoted.
    best: str = ""


def name_one(language: str, n: int, articles: bool = False) -> Answer:
    """The request to name one of n documents (or articles), asked what they are all about."""
    return Answer(NAME_ONE[language].format(n=n, what=_UNITS[language][articles]), True)


def abstain(lang: str, evidence: float = 0.0) -> Answer:
    """The honest answer when the passages do not hold one."""
    return Answer(NOT_FOUND[lang], True, evidence=evidence)


def adds_to(answer: Answer, part: Answer, lacking: bool = False) -> Answer | None:
    """The part's best sentence alone, when the answer lacks it and cites the passage it stands in: what one of
    several questions in a message adds to the answer found for them as one. Questions asked together ask of one
    thing, and another passage's sentence is as often a stray match; but where the answer holds nothing of the
    kind the part asks (lacking: a notice's date, asked with its phone number), one from a document it cites."""
    if part.abstained or not part.best or any(s.text == part.best for s in answer.sentences):
        return None
    best = replace(part, sentences=[s for s in part.sentences if s.text == part.best])

    def where(c: Citation) -> str:
        return c.source if lacking else c.chunk_id

    cited = {where(c) for c in answer.citations}
    return best if all(where(best.citations[n - 1]) in cited for s in best.sentences for n in s.citations) else None


def quote(picks: Sequence[tuple[Hit, str]], lang: str, evidence: float) -> Answer:
    """Quote (passage, sentence) picks in the given order, numbering each passage at its first citation."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    for hit, text in picks:
        if hit.chunk_id not in numbers:
            numbers[hit.chunk_id] = len(numbers) + 1
            citations.append(Citation.of(numbers[hit.chunk_id], hit))
        n = numbers[hit.chunk_id]
        citations[n - 1].sentences.append(text)
        sentences.append(AnswerSentence(text, [n]))
    parts = [f"{s.text}[{s.citations[0]}]" for s in sentences]
    return Answer("".join(parts) if lang == "zh" else " ".join(parts), False, citations, sentences, evidence)


def combine(answers: Sequence[tuple[str, Answer]], lang: str) -> Answer:
    """One answer to several questions (each with its own answer, in the order asked): their quoted sentences in
    turn, each quoted once (a later question's from the documents the earlier ones quote, where it quotes them
    and its best sentence stands there), the passages numbered anew at their first citation; a question the
    corpus does not answer says so in its turn. At least one question is answered."""
    numbers: dict[str, int] = {}
    citations: list[Citation] = []
    sentences: list[AnswerSentence] = []
    quoted: set[str] = set()
    sources: set[str] = set()  # the documents the questions before quote
    for part, a in answers:
        if a.abstained:
            sentences.append(AnswerSentence(PART_NOT_FOUND[lang].format(part=part.rstrip("？?。！!；; ")), []))
            continue
        # Questions asked together ask of one thing: where a later one's answer quotes the documents the earlier
        # ones quote, its sentences from other documents are stray matches of its words (每月 of another notice);
        # unless its best sentence is one of those, which answers it.
        within = [s for s in a.sentences if s.text not in quoted
                  and {a.citations[n - 1].source for n in s.citations} <= sources]
        best = [s for s in a.sentences if s.text == a.best]
        if best and {a.citations[n - 1].source for s in best for n in s.citations} <= sources:
            kept = within  # its answer stands there (quoted already, or among these)
        else:
            kept = within if within and not best else a.sentences
        sources |= {a.citations[n - 1].source for s in kept for n in s.citations}
        for s in kept:
            if s.text in quoted:
                continue
            quoted.add(s.text)
            cited = [a.citations[n - 1] for n in s.citations]
            for c in cited:
                if c.chunk_id not in numbers:
                    numbers[c.chunk_id] = len(numbers) + 1
                    citations.append(replace(c, n=numbers[c.chunk_id], sentences=[]))
                citations[numbers[c.chunk_id] - 1].sentences.append(s.text)
            sentences.append(replace(s, citations=[numbers[c.chunk_id] for c in cited]))
    parts = [s.text + "".join(f"[{n}]" for n in s.citations) for s in sentences]
    first = list({h.chunk_id: h for _, a in answers for h in a.first}.values())
    return Answer("".join(parts) if lang == "zh" else " ".join(parts), False, citations, sentences,
                  max(a.evidence for _, a in answers), first=first)


@dataclass
class Result:
    """One answered question, shaped like `rag ask --json`."""

    question: str
    answer: Answer
    hits: list[Hit]
    seconds: float = 0.0
    retrieval_query: str = ""
    asked: Question | None = field(default=None, repr=False)  # the analysis it was answered by (none for a message)

    def to_json(self) -> dict[str, Any]:
        a = self.answer
        return {
            "question": self.question,
            "answer": a.text,
            "abstained": a.abstained,
            "backend": a.backend,
            "notice": a.notice,
            "sentences": [asdict(s) for s in a.sentences],
            "citations": [asdict(c) for c in a.citations],
            "retrieved": [h.to_json() for h in self.hits],
        }
