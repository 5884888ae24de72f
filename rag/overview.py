"""Answers about documents as wholes: what they are about (each article's lead sentence), who wrote them (their
bylines), found by the index's structure rather than by search."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .features import context_of
from .question import Question
from .result import Answer, name_one, quote
from .retrieval import Hit, byline, of_genre
from .store import Index
from .text import split_sentences

# Documents whose leads an overview asked by genre (这份公告讲了什么) reads to find the one it names: one read each.
_LEADS_READ = 50


def overview_of(asked: Question, catalog: Catalog, index: Index, limit: int) -> tuple[Answer, list[Hit]] | None:
    """What the documents are about: the lead sentence of each article, when there are few enough to list, else
    a request to name one (None for an empty index: the question is then screened like any other)."""
    docs = catalog.documents
    if not docs:
        return None
    leads_of: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    if asked.document_nouns and len(docs) <= _LEADS_READ:
        # (这篇小说讲了什么: the documents whose name or title names the genre, when some do.)
        leads_of = {name: index.leads(name) for name in sorted(docs)}
        named = [n for n, leads in leads_of.items() if any(
            of_genre(g, t) for g in asked.document_nouns for _, _, m in leads[:1]
            for t in (Path(n).stem, str(m.get("article", "")), str(m.get("heading", ""))))]
        docs = {n: docs[n] for n in named} or docs
    if len(docs) > limit:
        return name_one(asked.language, len(docs)), []
    leads = [Hit(i, text, meta, 0.0) for name in sorted(docs)
             for i, text, meta in (leads_of[name] if name in leads_of else index.leads(name))]
    if not leads:
        return None
    if len(leads) > limit:
        return name_one(asked.language, len(leads), articles=True), []
    return openings(leads, asked.language), leads


def signatures(asked: Question, index: Index, limit: int) -> tuple[Answer, list[Hit]] | None:
    """Who wrote the documents, asked naming none of them: every byline, when there are few enough to list
    (else None: the question is answered like any other). Which article one signs is its citation's."""
    if asked.answer_type != "person":
        return None  # 这篇文章是什么时候发的: a byline's date line, found by search
    signed = sorted(index.bylines(limit=limit + 1),
                    key=lambda r: (str(r[2].get("source", "")), r[2].get("order", 0)))
    if not signed or len(signed) > limit:
        return None
    hits = [Hit(i, text, meta, 0.0) for i, text, meta in signed]
    return openings(hits, asked.language), hits


def with_byline(asked: Question, hits: list[Hit], index: Index) -> list[Hit]:
    """For a question asking who wrote an article, the hits with that article's byline first: the best passage's
    article, whose byline the search may not have found (讲水库改造的那篇报道的作者是谁？ names no word of it)."""
    if asked.kind != "author" or byline(hits) is not None:
        return hits
    top = next((h for h in hits if h.meta.get("article")), None)
    if top is None:
        return hits
    by = next((Hit(i, text, meta, top.score) for i, text, meta in index.bylines(str(top.meta.get("source", "")))
               if meta.get("article") == top.meta["article"]), None)
    return hits if by is None else [by, *hits]


def article_lead(asked: Question, hits: Sequence[Hit], index: Index) -> tuple[Answer, list[Hit]] | None:
    """What one article is about, asked by the name its byline gives (李青的文章讲了什么) or by its topic
    (关于青石镇水库的那篇报道讲了什么): the article's lead sentence, cited, with the passage that named it shown
    after it (else None: the question is answered like any other)."""
    def names_it(h: Hit, text: str) -> bool:
        return bool(h.meta.get("article")) and all(w in text.replace(" ", "").lower() for w in asked.about)

    # A byline naming it first; else the best-ranked passage whose article title, heading and text hold the
    # topic (a person named in another article's text is not that article's author).
    by = (next((h for h in hits if h.meta.get("kind") == "byline" and names_it(h, h.text)), None)
          or next((h for h in hits if names_it(h, context_of(h))), None))
    if by is None:
        return None
    leads = [Hit(i, text, meta, 0.0) for i, text, meta in index.leads(str(by.meta.get("source", "")))
             if meta.get("article") == by.meta["article"]]
    if not leads:
        return None
    shown = [leads[0]] + ([by] if by.chunk_id != leads[0].chunk_id else [])
    return openings(leads[:1], asked.language), shown


def openings(hits: Sequence[Hit], lang: str) -> Answer:
    """The first sentence of each passage, each cited: what a question about the documents as a whole is told."""
    return quote([(h, split_sentences(h.text)[0]) for h in hits], lang, 1.0)
