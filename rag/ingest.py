"""Writing the index: an ingest run (what changed, parse, embed, store, then mark complete) and removals.

Both run under the writers' lock their caller (Pipeline) holds. The index is marked unfinished before the first
write and complete after the last, so an interrupted run is found and finished by the next one.
"""

from __future__ import annotations

import logging
import pickle
import shlex
import sqlite3
import tempfile
import uuid
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Self

import numpy as np

from .catalog import (Catalog, Document, catalog_path, file_sha256, match_names, new_name, now, resolve_name,
                      writable_catalog)
from .config import DEFAULT_MODEL, Settings, side_folder
from .convert import built_onnx_model
from .corpus import Chunk, Skipped, SourceFile, parse, section_of
from .embeddings import EmbeddingModel, load_model, model_dim, model_name
from .errors import UnreadableFileError, UsageError
from .keyword import KeywordBuilder, context_of, keyword_folder
from .memory import map_large_blocks, return_freed_memory
from .pieces import save_pieces
from .readers import read
from .store import Index
from .text import save_dictionary_copy, sentence_spans

log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    """What an ingest (or a removal) did: files and passages it read, passages embedded and deleted."""

    files: int
    chunks: int
    embedded: int
    deleted: int
    seconds: float
    removed: list[str] = field(default_factory=list)  # documents removed
    total_documents: int = 0  # what the index holds afterwards
    total_passages: int = 0
    skipped: list[Skipped] = field(default_factory=list)  # files that could not be read (their passages stay)
    copies: list[Skipped] = field(default_factory=list)  # new files holding the same bytes as an indexed document


class Ingest:
    """One ingest run, under the writers' lock: work out what changed, write it, then mark the index complete."""

    def __init__(self, settings: Settings, given: list[Path], files: list[SourceFile], rebuild: bool,
                 prune: bool, progress: Callable[[int, int], None] | None,
                 ingest_model: EmbeddingModel | None = None) -> None:
        self.settings, self.given, self.files = settings, given, files
        self.rebuild, self.prune, self.progress = rebuild, prune, progress
        self.ingest_model = ingest_model

    def run(self) -> IngestReport:
        side = side_folder(self.settings)
        map_large_blocks()  # so the heap does not grow with the corpus
        # Both temporary files are closed however the run ends; texts indexed before are not tokenised again.
        with Spool(side) as spool, KeywordBuilder(reuse=keyword_folder(self.settings), spool=side) as keyword:
            return self._run(spool, keyword)

    def _run(self, spool: Spool, keyword: KeywordBuilder) -> IngestReport:
        settings = self.settings
        # The ingest model (torch) loads only when something needs embedding: an unchanged corpus costs seconds.
        model = cache(lambda: self.ingest_model or load_model(settings, "ingest"))
        index = Index.create(settings, model_name(settings), model_dim(settings, model), rebuild=self.rebuild)
        stored = index.chunk_meta()
        old = Catalog() if self.rebuild else writable_catalog(settings, stored)
        counts = Counter(m.get("source") for m in stored.values())
        files = list(self.files)
        known = {f.real for f in files}
        # A document an interrupted run left incomplete is completed from its file, wherever that is.
        for d in old.documents.values():
            p = Path(d.path) if d.path else None
            if p is not None and counts[d.name] != d.passages and p.exists() and p not in known:
                files.append(SourceFile(p, p, d.name, Path(d.root or p)))
                known.add(p)

        names = match_names(files, old)
        roots = [p.resolve() for p in self.given]
        matched = set(names.values())
        removed = {
            n for n, d in old.documents.items() if n not in matched and (
                self.prune or d.under(roots) or (d.path and not Path(d.path).exists() and counts[n] != d.passages))
        }
        taken = {n for n in old.documents if n not in removed}
        docs: dict[str, Document] = {}
        skipped: list[Skipped] = []
        # Each file's chunks go to the keyword index and, if new, to the spool as the file is parsed: a corpus is
        # held in memory one file at a time, and what is kept of each passage is a few bytes.
        wanted: set[str] = set()  # the stored passages the files still hold
        n_chunks = 0
        moved: list[Chunk] = []
        reheaded = 0  # stored passages embedded again under a new heading (no removal)
        changed: set[str] = set()
        hashes = array("q")  # each new text's hash: a text that recurs (boilerplate, a repeated run) embeds once
        # What each document kept holds, by content: a new file with the same bytes is a second copy, whose
        # passages would take the places of other passages in every search.
        held = {d.sha256: n for n, d in old.documents.items() if d.sha256 and d.passages and n not in removed}
        copies: list[Skipped] = []
        for f in files:
            sha = file_sha256(f.real)  # read once: for the copy check and the catalog
            if f.real not in names and (same := held.get(sha)) is not None:
                log.warning("skipped %s: the same content as %s, already indexed", f.path, same)
                copies.append(Skipped(f.name, f"{f.path}: the same content as {same}, already indexed"))
                continue
            name = names.get(f.real) or new_name(f, taken)
            taken.add(name)
            try:
                doc = read(f.path)
            except UnreadableFileError as e:
                # One line naming the file and why; an indexed copy stays (the file is there, just not readable now).
                log.warning("skipped %s", e)
                skipped.append(Skipped(name, str(e)))
                continue
            parsed = parse(doc, name, settings.chunk_chars)
            if not parsed:
                log.warning("%s holds no text; nothing indexed from it", f.path)
            elif f.real not in names:
                held[sha] = name  # (files holding nothing are no copies of one another)
            docs[name] = Document(name, f.path.suffix.lower().lstrip("."), doc.pages, len(parsed), "",
                                  str(f.root), str(f.real), sha)
            n_chunks += len(parsed)
            for c in parsed:
                keyword.add(c.id, context_of(c.text, {"article": c.article, "heading": c.heading}))
                was = stored.get(c.id)
                # A passage whose heading (or title) changed is embedded again: its vector read the old one. Its
                # stored copy goes with the stale ones.
                if was is None or section_of(was) != c.section:
                    spool.add(c)
                    hashes.append(hash(c.context))
                    changed.add(c.source)
                    reheaded += was is not None
                else:
                    wanted.add(c.id)
                    if was != c.metadata():
                        moved.append(c)
                        changed.add(c.source)
        removed -= docs.keys()  # a file that took a removed document's name replaces it: only changes count
        if not docs and not removed and not copies:
            raise UsageError(f"No readable document found under {', '.join(map(str, self.given))}"
                             + "".join(f"; skipped {s.reason}" for s in skipped) + ".")

        stale = [cid for cid, m in stored.items()
                 if (m.get("source") in docs and cid not in wanted) or m.get("source") in removed]
        changed |= {stored[cid].get("source") for cid in stale}
        stamp = now()
        for name, d in docs.items():
            before = old.documents.get(name)
            d.indexed_at = before.indexed_at if before and before.indexed_at and name not in changed else stamp
        catalog = Catalog({n: d for n, d in old.documents.items() if n not in removed and n not in docs} | docs)
        _begin(settings, index, catalog, _command(settings, self.given))
        index.delete(stale)
        index.update_meta(moved)
        if spool.count:
            unique, n = np.unique(np.frombuffer(hashes, dtype=np.int64), return_counts=True)
            recurring = set(unique[n > 1].tolist())
            del hashes, unique, n
            # What parsing allocated is freed, scattered through the heap: without this the embedding and
            # storing stages start from the parse's high-water mark.
            return_freed_memory()
            _embed_into(index, model(), spool.batches(STORE_BATCH), spool.count, recurring, self.progress)
        kept = [cid for cid, m in stored.items() if m.get("source") not in docs and m.get("source") not in removed]
        _finish(settings, index, catalog, keyword, kept)
        _keep_copies(settings)
        return IngestReport(len(docs), n_chunks, spool.count, len(stale) - reheaded, 0.0, removed=sorted(removed),
                            total_documents=len(catalog.documents), total_passages=catalog.passages(),
                            skipped=skipped, copies=copies)


def remove_documents(settings: Settings, names: Sequence[str]) -> IngestReport:
    """Remove documents (by name) and all their passages, under the writers' lock the caller holds."""
    index = Index.open(settings)
    stored = index.chunk_meta()
    catalog = writable_catalog(settings, stored)
    chosen = [resolve_name(catalog, n) for n in names]
    gone = set(chosen)
    stale = [cid for cid, m in stored.items() if m.get("source") in gone]
    for n in gone:
        del catalog.documents[n]
    _begin(settings, index, catalog, f"rag remove {shlex.join(chosen)}")
    index.delete(stale)
    kept = [cid for cid, m in stored.items() if m.get("source") not in gone]
    with KeywordBuilder(reuse=keyword_folder(settings), spool=side_folder(settings)) as keyword:
        _finish(settings, index, catalog, keyword, kept)
    return IngestReport(0, 0, 0, len(stale), 0.0, removed=sorted(gone), total_documents=len(catalog.documents),
                        total_passages=catalog.passages())


# Chunks embedded and stored per step: an interrupted ingest keeps every batch it stored.
STORE_BATCH = 256


class Spool:
    """Chunks waiting to be embedded, in a temporary file without a name (gone when closed, or if the process
    dies): an ingest holds one batch of them in memory, not the corpus."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by __exit__)
        self.count = 0

    def add(self, chunk: Chunk) -> None:
        pickle.dump(chunk, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def batches(self, size: int) -> Iterator[list[Chunk]]:
        """The chunks in the order added, `size` at a time."""
        self._file.seek(0)
        part: list[Chunk] = []
        for _ in range(self.count):
            part.append(pickle.load(self._file))  # our own file, written above
            if len(part) == size:
                yield part
                part = []
        if part:
            yield part

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()


def _keep_copies(settings: Settings) -> None:
    """Write the copies a later one-question process reads: jieba's dictionary (text.py) and the default encoder's
    pieces (pieces.py). The index is complete without them, so a cache folder that cannot take them costs only that
    speed-up."""
    cache_dir = settings.cache_dir
    try:
        save_dictionary_copy(cache_dir)
    except (OSError, sqlite3.Error) as e:
        log.warning("no copy of jieba's dictionary in %s (%s): `rag ask` will load the whole dictionary", cache_dir, e)
    if settings.embedding_model != DEFAULT_MODEL or (model_dir := built_onnx_model(cache_dir)) is None:
        return
    try:
        save_pieces(model_dir)
    except (OSError, sqlite3.Error, ValueError) as e:
        log.warning("no copy of the tokenizer's pieces in %s (%s): `rag ask` will load the whole tokenizer",
                    model_dir, e)


def _begin(settings: Settings, index: Index, catalog: Catalog, command: str) -> None:
    """Record what the index will hold and mark it unfinished, before the first write."""
    catalog.version, catalog.pending = None, command
    catalog.save(catalog_path(settings))
    index.set_version(None)


def _finish(settings: Settings, index: Index, catalog: Catalog, keyword: KeywordBuilder, kept: Sequence[str]) -> None:
    """Complete the keyword index with the passages kept from earlier ingests, then mark the index complete."""
    for at in range(0, len(kept), 1000):
        for cid, d in index.get(kept[at : at + 1000]).items():
            keyword.add(cid, context_of(d["text"], d))
    version = uuid.uuid4().hex
    keyword.save(keyword_folder(settings), version)
    index.write_outline(version)
    catalog.version, catalog.pending = version, ""
    catalog.save(catalog_path(settings))
    index.set_version(version, files=len(catalog.documents))


def _command(settings: Settings, paths: Sequence[Path]) -> str:
    """The command that repeats an ingest, for the message an unfinished index shows."""
    store = [] if settings.chroma_url else ["--store", str(settings.store)]
    return shlex.join(["rag", "ingest", *map(str, paths), *store])


def _embed_into(index: Index, model: EmbeddingModel, batches: Iterable[list[Chunk]], total: int,
                recurring: set[int], progress: Callable[[int, int], None] | None) -> None:
    """Embed chunks and their sentences batch by batch; batch n is stored while batch n+1 is embedded, one
    batch in flight (memory stays flat, and an interrupted ingest keeps what it stored). A passage whose text's
    hash is in `recurring` (boilerplate, a repeated run) is embedded once; only its vectors are kept."""
    if progress and total:
        progress(0, total)
    memo: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    at = 0
    with ThreadPoolExecutor(1) as writer:
        stored: Future[None] | None = None
        for part in batches:
            spans = [sentence_spans(c.text) for c in part]
            # The model reads each chunk with its heading first: the spans shift past it.
            todo = {c.context: [(a + len(c.context) - len(c.text), b + len(c.context) - len(c.text)) for a, b in sp]
                    for c, sp in zip(part, spans) if c.context not in memo}
            vecs, svecs = model.embed_passages(list(todo), list(todo.values()))
            fresh = {t: (v, sv) for t, v, sv in zip(todo, vecs, svecs)}
            # Copies: a row of the batch's array would keep the whole batch's vectors alive, every batch of a long
            # ingest piling up in memory.
            memo.update((t, (fresh[t][0].copy(), fresh[t][1].copy())) for t in fresh if hash(t) in recurring)
            got = [fresh[c.context] if c.context in fresh else memo[c.context] for c in part]
            if stored is not None:
                stored.result()
                if progress:
                    progress(at, total)
            stored = writer.submit(index.add, part, np.stack([v for v, _ in got]), [sv for _, sv in got], spans)
            at += len(part)
        if stored is not None:
            stored.result()
            if progress:
                progress(total, total)
