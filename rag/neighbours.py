"""The sentences around a chosen one: the rest of its passage, then the passages before or after it in its section."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import takewhile
from typing import Any

from .discourse import point_of
from .features import Candidate
from .retrieval import Hit
from .text import split_sentences

# (source, heading) -> that section's body passages as (id, text, metadata), in reading order.
Section = Callable[[str, str], list[tuple[str, str, dict[str, Any]]]]
# Each scored sentence by (passage id, position in its passage).
At = dict[tuple[str, int], Candidate]


@dataclass(frozen=True)
class Neighbours:
    """Reads on from a sentence: the scored sentences where the question retrieved their passage, the section's
    other passages (when the index can be asked for them) as bare ones."""

    section: Section | None
    at: At

    def sentence(self, hit: Hit, pos: int, text: str) -> Candidate:
        """The scored sentence at that place, else a bare one."""
        return self.at.get((hit.chunk_id, pos)) or Candidate.bare(hit, pos, text)

    def rows(self, meta: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
        """The passages of the section a passage with this metadata belongs to, in reading order."""
        if self.section is None:
            return []
        return self.section(str(meta.get("source", "")), str(meta.get("heading", "")))

    def before(self, c: Candidate) -> Iterator[Candidate]:
        """The sentences before c, nearest first: the rest of its passage, then the passages before it in its
        section."""
        texts = split_sentences(c.hit.text)
        yield from (self.sentence(c.hit, p, texts[p]) for p in range(min(c.pos, len(texts)) - 1, -1, -1))
        meta = c.hit.meta
        if self.section is None or "order" not in meta:
            return
        earlier = [(i, t, m) for i, t, m in self.rows(meta) if m.get("order", 0) < meta["order"]]
        for i, t, m in reversed(earlier):
            hit, sentences = Hit(i, t, m, c.hit.score), split_sentences(t)
            yield from (self.sentence(hit, p, sentences[p]) for p in range(len(sentences) - 1, -1, -1))

    def after(self, c: Candidate, paragraph: bool = True) -> Iterator[Candidate]:
        """The sentences after c: the rest of its passage, then those of the next passage of its section when it
        goes on with the same paragraph (it starts on a line this one spans: a new paragraph starts on a line of
        its own), or whatever it is when paragraph is False and c ends its passage."""
        if (c.hit.chunk_id, c.pos) in self.at:
            # Up to the passage's end, past a sentence that is no candidate (the text's own question).
            rest = [s for p in range(c.pos + 1, len(split_sentences(c.hit.text)))
                    if (s := self.at.get((c.hit.chunk_id, p))) is not None]
        else:  # a passage the question did not retrieve (a section's digest): its own sentences
            rest = [Candidate.bare(c.hit, p, t) for p, t in enumerate(split_sentences(c.hit.text)) if p > c.pos]
        yield from rest
        if not paragraph and rest:
            return
        meta = c.hit.meta
        if self.section is None or "order" not in meta:
            return
        nxt = next(((i, t, m) for i, t, m in self.rows(meta) if m.get("order", 0) > meta["order"]), None)
        if nxt is not None and (not paragraph or nxt[2].get("start_line", 0) <= meta.get("end_line", -1)):
            hit = Hit(nxt[0], nxt[1], nxt[2], c.hit.score)
            for pos, text in enumerate(split_sentences(nxt[1])):
                yield self.sentence(hit, pos, text)

    def onward(self, c: Candidate) -> Iterator[Candidate]:
        """The sentences after c, to its passage's end and on through the next passages of its section."""
        while ahead := list(self.after(c, paragraph=False)):
            yield from ahead
            c = ahead[-1]

    def opening(self, c: Candidate) -> Candidate:
        """The first sentence of the first passage of c's section (of c's passage, when the index is not asked)."""
        rows = self.rows(c.hit.meta)
        if not rows:
            return Candidate.bare(c.hit, 0, split_sentences(c.hit.text)[0])
        cid, text, m = rows[0]
        return Candidate.bare(Hit(cid, text, m, c.hit.score), 0, split_sentences(text)[0])

    def rest_of_line(self, c: Candidate) -> list[Candidate]:
        """The sentences after c on its line that open no point of their own: what a list's point goes on to say."""
        at_text = c.hit.text.find(c.text)
        if at_text < 0:
            return []
        line = c.hit.text[at_text + len(c.text):].split("\n", 1)[0]
        return list(takewhile(lambda s: s.hit.chunk_id == c.hit.chunk_id and s.text in line
                              and point_of(s.text) is None, self.after(c)))
