"""A newspaper page's columns, interleaved: a paragraph cut off mid-sentence by another article's section, where it
resumes, and which article the section in between belongs to."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from .lines import ENDS_PARAGRAPH, OPENS_SECTION
from .text import tokenize


class Block(Protocol):
    """A paragraph or a line of its own, as the corpus reads a document."""

    @property
    def text(self) -> str: ...

    @property
    def kind(self) -> str: ...  # body | heading | caption | byline


class Overlap:
    """Word overlap between parts of one document, each word weighted by how rare it is there: words common
    across the document (教育, 学校) say nothing about which part goes with which."""

    def __init__(self, blocks: Sequence[Block]) -> None:
        self.bags = [set(tokenize(b.text)) if b.kind == "body" else set() for b in blocks]
        df: dict[str, int] = {}
        for bag in self.bags:
            for t in bag:
                df[t] = df.get(t, 0) + 1
        self.idf = {t: math.log(len(blocks) / n) for t, n in df.items()}

    def sim(self, a: set[str], b: set[str]) -> float:
        norm = math.sqrt(sum(self.idf[t] for t in a) * sum(self.idf[t] for t in b))
        return sum(self.idf[t] for t in a & b) / norm if norm else 0.0


def resumptions(blocks: Sequence[Block], window: int = 15) -> tuple[dict[int, int], Overlap | None]:
    """Find where a paragraph cut off by another column's section goes on (continuation -> cut paragraph).

    Newspaper layouts interleave columns: a paragraph stops mid-sentence, another article's section
    (heading and paragraphs) follows, then the first text resumes. The resumed paragraph is the later
    body paragraph that first shares clearly more words with the cut one than anything in between does.
    """
    # (Lines of their own are not cut off, nor is a value closing its bracket: 100ml:0.3g（每瓶100毫升…）.)
    cuts = [d for d, cut in enumerate(blocks[:-1]) if cut.kind == "body" and not ENDS_PARAGRAPH.search(cut.text)
            and "\n" not in cut.text and not cut.text.endswith(("）", ")")) and blocks[d + 1].kind == "heading"]
    if not cuts:  # the common case: tokenising every paragraph would cost ingest seconds per 10k passages
        return {}, None
    overlap = Overlap(blocks)
    bags = overlap.bags
    out: dict[int, int] = {}
    for d in cuts:
        between = 0.0
        for c in range(d + 2, min(len(blocks), d + 2 + window)):
            if blocks[c].kind != "body":
                continue
            s = overlap.sim(bags[d], bags[c])
            # A paragraph right after a heading opens a section, and one numbered (第五条, 二、) opens an article or
            # a point: neither can be the middle of a sentence.
            if blocks[c - 1].kind == "body" and not OPENS_SECTION.match(blocks[c].text) and s >= 0.1 \
                    and s > 1.25 * between:
                out[c] = d
                break
            between = max(between, s)
    return out, overlap


def interrupting_articles(resumes: dict[int, int], overlap: Overlap, article_of: dict[int, str]) -> dict[int, str]:
    """The article each block of an interrupting section belongs to (block -> article), where it is not the one
    of the paragraph it cut: the section came from another column, so it goes with the article whose text it
    shares most words with."""
    out: dict[int, str] = {}
    inside = {i for c, d in resumes.items() for i in range(d + 1, c)}
    articles: dict[str, set[str]] = {}
    for i, art in article_of.items():
        if i not in inside:
            articles.setdefault(art, set()).update(overlap.bags[i])
    if len(articles) < 2:
        return out
    for c, d in resumes.items():
        section = range(d + 1, c)
        words = set().union(*(overlap.bags[i] for i in section))
        here = article_of.get(d, "")
        best = max(articles, key=lambda a: overlap.sim(words, articles[a]))
        if best != here and overlap.sim(words, articles[best]) > overlap.sim(words, articles.get(here, set())):
            out |= dict.fromkeys(section, best)
    return out
