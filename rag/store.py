"""The Chroma index: passages with their sentences' vectors, and which model embedded them."""

from __future__ import annotations

import base64
import gc
import json
import os
import shutil
import sys
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from .catalog import ingest_command
from .config import LOCK_FILE, Settings, describe, side_folder
from .corpus import Chunk
from .errors import BackendUnavailableError, IndexMismatchError, IndexNotFoundError, RagError
from .lines import FIELD
from .memory import return_freed_memory

# 2: sentence vectors ride in their passage's metadata (1 kept them in a second collection, searched never).
SCHEMA = 2
_MAX_BATCH = 1000  # Chroma caps one request's size; stay well under it
_VECTORS, _SPANS = "sentence_vectors", "sentence_spans"  # metadata keys of a passage's sentences
# How widely Chroma's vector graph is searched. Its default (100) misses some true neighbours within the depth
# retrieval asks for, and differently in each process (Chroma rebuilds a small index's graph, or a large one's
# newest part, on every load); bench/search_ef.py measures recall, agreement between processes and time per ef.
SEARCH_EF = 200
_HNSW = {"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}}
# A served index of at most this many passages is searched by scanning its vectors in memory (float32, 1.5 KB a
# passage): exact, and faster than a request to Chroma's graph at this size; bench/search_ef.py times both.
FLAT_PASSAGES = 20_000
# Chroma's table of shared systems (one per folder) is read and written without a lock of its own while a client
# is built; rag replaces and drops entries in it. One thread at a time, or a question asked while an upload is
# indexed can find its entry gone mid-build (KeyError).
_SYSTEMS = threading.Lock()
# The index's outline, written beside it by every completed ingest (with its version): each part's passages by
# document, as (id, heading, kind). A section is fetched by its passages' ids from the parts holding them,
# and a passage from the part holding it: Chroma's filter by document or heading reads every passage of a part
# sharing the value, and a get by ids asks every part.
PART_MAP = "parts.json"
# What the outline keeps of a passage: its document, heading and kind (a section is put in reading order by the
# metadata fetched with it).
Row = tuple[str, str, str]


def _row(meta: dict[str, Any]) -> Row:
    # (Interned: an ingest keeps a row of every passage, and each metadata read makes its own copy of the strings.)
    return (sys.intern(str(meta.get("source", ""))), sys.intern(str(meta.get("heading", ""))),
            sys.intern(str(meta.get("kind", ""))))


@dataclass(frozen=True)
class Outline:
    """What a completed ingest recorded of the index: each document's passages as [id, heading, kind], by
    the part holding them, and the part holding each passage (of an index in several parts)."""

    documents: dict[str, list[tuple[int, list[list[Any]]]]]
    part_of: dict[str, int]

    @classmethod
    def read(cls, path: Path, version: str | None, parts: int) -> Outline | None:
        """The outline recorded for this version of an index of this many parts; None when there is none."""
        paused = gc.isenabled()
        gc.disable()  # each row is a list: collecting while they are made would walk them all, again and again
        try:
            return cls._read(path, version, parts)
        finally:
            if paused:
                gc.enable()

    @classmethod
    def _read(cls, path: Path, version: str | None, parts: int) -> Outline | None:
        try:
            got = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        outline = got.get("outline") if isinstance(got, dict) else None
        if not version or got.get("version") != version or not isinstance(outline, list) or len(outline) != parts:
            return None  # another ingest's, an older layout, or none completed: every part is asked
        documents: dict[str, list[tuple[int, list[list[Any]]]]] = {}
        part_of: dict[str, int] = {}
        for i, held in enumerate(outline):
            for source, rows in held.items():
                documents.setdefault(source, []).append((i, rows))
                if parts > 1:  # (one part holds everything: nothing to route)
                    part_of.update(dict.fromkeys((r[0] for r in rows), i))
        return cls(documents, part_of)

    def parts_holding(self, source: str) -> list[int]:
        """The parts holding passages of the document, by number."""
        return [i for i, _ in self.documents.get(source, ())]

    def section(self, source: str, heading: str) -> list[str]:
        """The ids of the body passages under one heading of one document."""
        return [cid for _, rows in self.documents.get(source, ()) for cid, h, kind, *_ in rows
                if kind == "body" and h == heading]


def open_client(settings: Settings) -> Any:
    """A Chroma client: a server when RAG_CHROMA_URL is set, else a folder on disk."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as e:
            raise BackendUnavailableError(
                f"The Chroma server at {settings.chroma_url} does not answer ({type(e).__name__}). "
                f"Start it with `chroma run --path {settings.store} --port {url.port or 8000}`, "
                "or unset RAG_CHROMA_URL to use the local folder."
            ) from None
        return client
    from chromadb.api.client import SharedSystemClient

    # Chroma shares one in-memory copy of a folder's vector index per process and never reloads it, so
    # another process's ingest would stay invisible: each opening gets its own (the old one serves on
    # until it is dropped).
    try:
        with _SYSTEMS:
            SharedSystemClient._identifier_to_system.pop(str(settings.store), None)
            return chromadb.PersistentClient(path=str(settings.store), settings=chroma_settings)
    except Exception as e:
        with _SYSTEMS:
            SharedSystemClient.clear_system_cache()  # don't let the broken client be reused
        raise RagError(
            f"The index in {settings.store} cannot be opened ({type(e).__name__}: {e}). "
            f"Rebuild it: `{ingest_command(settings, rebuild=True)}`."
        ) from None


def close_client(client: Any) -> None:
    """Stop a local client's Chroma system: its collections' vector graphs leave memory now (merely dropping the
    client leaves them)."""
    from chromadb.api.client import SharedSystemClient

    system = getattr(getattr(client, "_server", None), "_system", None)
    if system is None:
        return
    shared = SharedSystemClient._identifier_to_system
    with _SYSTEMS:
        for key in [k for k, v in shared.items() if v is system]:  # only this client's: another may serve on
            del shared[key]
    system.stop()


def wipe_local(store: Path) -> None:
    """Delete a local index folder's Chroma files (used by --rebuild, which must work on a corrupt index)."""
    if not store.exists():
        return
    # Chroma caches one client per path; a cached client of the old (maybe broken) files must go too.
    from chromadb.api.client import SharedSystemClient

    with _SYSTEMS:
        SharedSystemClient.clear_system_cache()
    ours = {"chroma.sqlite3", "bm25", "catalog.json", PART_MAP}
    for p in store.iterdir():
        # The writers' lock stays: the ingest that holds it is the one wiping. Files uploaded from the web chat
        # and a question set kept with the index are the user's, not the index's.
        if p.name in (".gitkeep", "README.md", LOCK_FILE, "uploads", "questions.jsonl"):
            continue
        # Chroma keeps segments in uuid-named folders; refuse to touch anything else (but our temp files).
        temp = p.name.startswith(("bm25.", ".catalog.json.", f"{PART_MAP}."))
        if p.name not in ours and not _is_uuid(p.name) and not temp:
            raise RagError(f"{store} holds {p.name}, which is not part of an index; refusing to wipe it.")
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def _is_uuid(name: str) -> bool:
    try:
        uuid.UUID(name)
        return True
    except ValueError:
        return False


def pack_sentences(vectors: np.ndarray, spans: Sequence[tuple[int, int]]) -> dict[str, str]:
    """A passage's sentence vectors (float16, base64) and their (start, end) spans in its text, as metadata."""
    return {_VECTORS: base64.b64encode(np.asarray(vectors, dtype="<f2").tobytes()).decode("ascii"),
            _SPANS: " ".join(f"{a}-{b}" for a, b in spans)}


def unpack_sentences(text: str, meta: dict[str, Any]) -> list[tuple[str, np.ndarray]] | None:
    """(sentence, vector) pairs of a passage from its metadata, in reading order; None when it has none."""
    if _VECTORS not in meta:
        return None
    spans = [tuple(map(int, s.split("-"))) for s in meta[_SPANS].split()]
    if not spans:
        return []
    vecs = np.frombuffer(base64.b64decode(meta[_VECTORS]), dtype="<f2").reshape(len(spans), -1).astype(np.float32)
    return [(text[a:b], v) for (a, b), v in zip(spans, vecs)]


def public(meta: dict[str, Any]) -> dict[str, Any]:
    """A passage's metadata without its sentence vectors."""
    return {k: v for k, v in meta.items() if k not in (_VECTORS, _SPANS)}


class Index:
    """Chunks with their embeddings in Chroma collections ("parts" of at most RAG_PART_PASSAGES chunks, the first
    holding the index's facts); each chunk's sentence vectors in its metadata."""

    def __init__(self, client: Any, settings: Settings) -> None:
        self.client, self.name, self.where = client, settings.collection, describe(settings)
        self._settings = settings
        self._parts: list[Any] = []
        self._tail = 0  # chunks in the last part
        self._flat: tuple[list[str], np.ndarray] | None = None  # (ids, unit vectors) when served from memory
        # Writing: each part's passages, id -> Row (None until every part's were read, by chunk_meta). Reading: the
        # outline of this version (False when there is none: every part is asked; None: not read yet).
        self._rows: list[dict[str, Row]] | None = None
        self._outline: Outline | bool | None = None

    @property
    def _chunks(self) -> Any:
        return self._parts[0]

    def _part_name(self, i: int) -> str:
        return self.name if i == 0 else f"{self.name}.{i}"

    def _collection_names(self) -> set[str]:
        return {getattr(c, "name", c) for c in self.client.list_collections()}  # objects, or names (older Chroma)

    def _load_parts(self) -> None:
        """The first collection and the parts after it, numbered without gaps."""
        first = self.client.get_collection(self.name, embedding_function=None)
        names = self._collection_names()
        self._parts = [first]
        while self._part_name(len(self._parts)) in names:
            self._parts.append(self.client.get_collection(self._part_name(len(self._parts)), embedding_function=None))
        self._tail = self._parts[-1].count()

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> Index:
        """Open an existing index for reading; says to run `rag ingest` when there is none."""
        if not settings.chroma_url and not (settings.store / "chroma.sqlite3").exists():
            raise IndexNotFoundError(
                f"No index in {settings.store}/. Build it first: `{ingest_command(settings)}`."
            )
        idx = cls(open_client(settings), settings)
        try:
            idx._load_parts()
        except Exception:
            raise IndexNotFoundError(
                f"No index named {idx.name!r} in {idx.where}. Build it first: `{ingest_command(settings)}`."
            ) from None
        return idx

    @classmethod
    def create(cls, settings: Settings, model: str, dim: int, rebuild: bool = False) -> Index:
        """Open the index for writing, creating it (or starting over with rebuild)."""
        if rebuild and not settings.chroma_url:
            wipe_local(settings.store)
        if not settings.chroma_url:
            settings.store.mkdir(parents=True, exist_ok=True)
        idx = cls(open_client(settings), settings)
        if rebuild:
            parts = {n for n in idx._collection_names() if n.startswith(f"{idx.name}.")}
            for n in {idx.name, f"{idx.name}_sentences", *parts}:  # the second: sentences as layout 1 kept them
                try:
                    idx.client.delete_collection(n)
                except Exception:  # not there: nothing to drop
                    pass
        meta = {"embedding_model": model, "dim": dim, "schema": SCHEMA}
        if idx.name not in idx._collection_names():
            idx.client.create_collection(idx.name, metadata=meta, configuration=_HNSW, embedding_function=None)
        idx._load_parts()
        idx.check_model(model, dim)
        idx._search_widely()
        return idx

    def _search_widely(self) -> None:
        """Give parts made by an older rag (with Chroma's default breadth) the breadth searches need."""
        for part in self._parts:
            hnsw = (getattr(part, "configuration", None) or {}).get("hnsw") or {}
            if hnsw.get("ef_search", SEARCH_EF) < SEARCH_EF:
                part.modify(configuration={"hnsw": {"ef_search": SEARCH_EF}})

    def _new_part(self) -> None:
        """Start the next part. Chroma keeps in memory the vector graph of every collection a client has written
        to, for as long as the client lives: a local index gets a fresh client per part, so an ingest holds one
        part's graph, however large the corpus."""
        n = len(self._parts)
        if not self._settings.chroma_url:
            self._parts.clear()
            close_client(self.client)
            return_freed_memory()
            self.client = open_client(self._settings)
            self._parts = [self.client.get_collection(self._part_name(i), embedding_function=None) for i in range(n)]
        self._parts.append(self.client.create_collection(self._part_name(n), configuration=_HNSW,
                                                         embedding_function=None))
        if self._rows is not None:
            self._rows.append({})
        self._tail = 0

    # -- facts ---------------------------------------------------------------
    @property
    def meta(self) -> dict[str, Any]:
        return dict(self._chunks.metadata or {})

    def check_model(self, model: str, dim: int) -> None:
        """Refuse to mix vectors of two models in one index, or to read an index laid out by an older rag."""
        built, bdim = self.meta.get("embedding_model"), self.meta.get("dim")
        if self.meta.get("schema", SCHEMA) != SCHEMA:
            raise IndexMismatchError(
                f"The index in {self.where} was written by an older version of rag (layout "
                f"{self.meta.get('schema')}, now {SCHEMA}). Rebuild it: "
                f"`{ingest_command(self._settings, rebuild=True)}`."
            )
        if built != model or bdim != dim:
            raise IndexMismatchError(
                f"The index in {self.where} was built with {built!r} ({bdim} dimensions), "
                f"but the configured model is {model!r} ({dim} dimensions). "
                f"Re-ingest with this model: `{ingest_command(self._settings, rebuild=True)}`, or set "
                f"RAG_EMBEDDING_MODEL={built}."
            )

    @property
    def version(self) -> str | None:
        """Changes on every completed ingest; None while an ingest is unfinished."""
        return self.meta.get("version") or None

    def latest_version(self) -> str | None:
        """The version as stored now (another process may have finished an ingest since this was opened)."""
        meta = self.client.get_collection(self.name, embedding_function=None).metadata or {}
        return meta.get("version") or None

    def set_version(self, version: str | None, **facts: str | int) -> None:
        """Record a completed ingest (or, with None, one in progress) and facts about it."""
        meta = {k: v for k, v in self.meta.items() if not k.startswith("hnsw:")}  # Chroma's own (space: fixed)
        meta.update(facts, version=version or "")
        self._chunks.modify(metadata=meta)

    def count(self) -> int:
        return sum(p.count() for p in self._parts)

    # -- writing -------------------------------------------------------------
    def chunk_meta(self) -> dict[str, dict[str, Any]]:
        """Stored metadata of every chunk, by id."""
        out: dict[str, dict[str, Any]] = {}
        # (Each part's outline is noted on the way, for the one this ingest will write.)
        self._rows = [{} for _ in self._parts]
        for rows, part in zip(self._rows, self._parts):
            for at in range(0, part.count(), 10_000):
                got = part.get(include=["metadatas"], limit=10_000, offset=at)
                out.update(zip(got["ids"], map(public, got["metadatas"])))
                rows.update(zip(got["ids"], map(_row, got["metadatas"])))
        return out

    def write_outline(self, version: str) -> None:
        """Record each part's passages by document, for the ingest completing as `version`."""
        if self._rows is None:  # not every part's passages are known: readers ask every part
            return
        path = side_folder(self._settings) / PART_MAP
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
        with tmp.open("w", encoding="utf-8") as f:  # a part at a time: the whole would be a second copy in memory
            f.write(f'{{"version":{json.dumps(version)},"outline":[')
            for n, rows in enumerate(self._rows):
                documents: dict[str, list[tuple[str, str, str]]] = {}
                for cid, (source, heading, kind) in rows.items():
                    documents.setdefault(source, []).append((cid, heading, kind))
                f.write(("," if n else "") + json.dumps(documents, ensure_ascii=False, separators=(",", ":")))
            f.write("]}")
        os.replace(tmp, path)

    @property
    def outline(self) -> Outline | None:
        """The outline the completed ingest of this version recorded (read once), if any."""
        if self._outline is None:
            path = side_folder(self._settings) / PART_MAP
            self._outline = Outline.read(path, self.version, len(self._parts)) or False
        return self._outline or None

    def _parts_holding(self, source: str) -> list[Any]:
        """The parts that may hold passages of the document: those the outline lists, else all."""
        if len(self._parts) == 1 or (outline := self.outline) is None:
            return self._parts
        return [self._parts[i] for i in outline.parts_holding(source)]

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, sentence_vectors: Sequence[np.ndarray],
            sentence_spans: Sequence[Sequence[tuple[int, int]]]) -> None:
        """Store new chunks with their vectors, each with its sentences' vectors and (start, end) spans in its
        text, in the last part (a new one when it is full)."""
        size = self._settings.part_passages
        at = 0
        while at < len(chunks):
            if self._tail >= size:
                self._new_part()
            part = range(at, min(at + _MAX_BATCH, at + size - self._tail, len(chunks)))
            ids, metas = [chunks[i].id for i in part], [chunks[i].metadata() for i in part]
            if self._rows is not None:
                self._rows[-1].update(zip(ids, map(_row, metas)))
            self._parts[-1].upsert(
                ids=ids,
                embeddings=vectors[part.start : part.stop],
                documents=[chunks[i].text for i in part],
                metadatas=[{**m, **pack_sentences(sentence_vectors[i], sentence_spans[i])}
                           for i, m in zip(part, metas)],
            )
            self._tail += len(part)
            at = part.stop

    def _holding(self, ids: Sequence[str]) -> Iterable[tuple[int, list[str]]]:
        """Each part (by number) with those of the ids it holds (one part: all of them, unasked)."""
        if len(self._parts) == 1:
            yield 0, list(ids)
            return
        for i, part in enumerate(self._parts):
            held = part.get(ids=list(ids), include=[])["ids"]
            if held:
                yield i, held

    def update_meta(self, chunks: Sequence[Chunk]) -> None:
        """Refresh line spans and pages of unchanged chunks (text moved in the file; a new heading re-embeds)."""
        for at in range(0, len(chunks), _MAX_BATCH):
            by_id = {c.id: c for c in chunks[at : at + _MAX_BATCH]}
            for i, held in self._holding(list(by_id)):
                metas = [by_id[c].metadata() for c in held]
                self._parts[i].update(ids=held, metadatas=metas)
                if self._rows is not None:
                    self._rows[i].update(zip(held, map(_row, metas)))

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for at in range(0, len(ids), _MAX_BATCH):
            for i, held in self._holding(ids[at : at + _MAX_BATCH]):
                self._parts[i].delete(ids=held)
                if self._rows is not None:
                    for cid in held:
                        self._rows[i].pop(cid, None)

    # -- reading -------------------------------------------------------------
    def hold_vectors(self, limit: int = FLAT_PASSAGES) -> bool:
        """Read every passage vector into memory for exact searches, when there are at most `limit`."""
        # Only for an index that is read: a write does not reach the copy.
        if self.count() > limit:
            return False
        ids: list[str] = []
        rows: list[np.ndarray] = []
        for part in self._parts:
            for at in range(0, part.count(), 5000):  # pages: a server sends vectors as JSON
                got = part.get(include=["embeddings"], limit=5000, offset=at)
                if got["ids"]:
                    ids += got["ids"]
                    rows.append(np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), -1))
        if self.latest_version() != self.version:
            return False  # an ingest began while this was read: its half-written vectors are not kept
        mat = np.vstack(rows) if rows else np.zeros((0, int(self.meta.get("dim") or 0)), dtype=np.float32)
        norms = np.linalg.norm(mat, axis=1, keepdims=True)
        self._flat = ids, mat / np.where(norms > 0, norms, 1.0)
        return True

    def search(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first."""
        if self._flat is not None:
            ids, mat = self._flat
            if not ids:
                return []
            v = np.asarray(vector, dtype=np.float32)
            sims = mat @ (v / (np.linalg.norm(v) or 1.0))
            top = np.argpartition(-sims, n - 1)[:n] if n < len(ids) else np.arange(len(ids))
            return [(ids[i], float(sims[i])) for i in top[np.argsort(-sims[top], kind="stable")]]
        hits: list[tuple[str, float]] = []
        for part in self._parts:
            # No count() first: Chroma returns what there is when asked for more (a round trip saved per search).
            got = part.query(query_embeddings=[vector], n_results=n, include=["distances"])
            hits += [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]
        return sorted(hits, key=lambda h: -h[1])[:n]

    def _get(self, parts: Sequence[Any] | None = None, **query: Any) -> Iterable[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of the chunks a Chroma get finds, over the given parts (default: every part)."""
        for part in self._parts if parts is None else parts:
            got = part.get(include=["documents", "metadatas"], **query)
            yield from zip(got["ids"], got["documents"], got["metadatas"])

    def _by_ids(self, ids: Sequence[str]) -> Iterable[tuple[str, str, dict[str, Any]]]:
        """(id, text, metadata) of the given chunks, each asked of the parts the outline says hold it (all parts
        for an id it does not list, or with no outline)."""
        outline = self.outline if len(self._parts) > 1 else None
        if outline is None:
            yield from self._get(ids=list(ids))
            return
        asked: dict[int, list[str]] = {}
        for cid in ids:
            for i in (outline.part_of[cid],) if cid in outline.part_of else range(len(self._parts)):
                asked.setdefault(i, []).append(cid)
        for i, some in sorted(asked.items()):
            yield from self._get([self._parts[i]], ids=some)

    def get(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Text and metadata of the given chunks, by id (sentence vectors included: see unpack_sentences)."""
        if not ids:
            return {}
        return {i: {"text": d, **m} for i, d, m in self._by_ids(ids)}

    def get_all(self) -> dict[str, dict[str, Any]] | None:
        """Every chunk's text and metadata, by id; None when an ingest began while they were read."""
        got = {i: {"text": d, **m} for i, d, m in self._get()}
        return got if self.latest_version() == self.version else None

    # (Chroma filters on a value many passages share, kind=body or a heading, by reading every passage of the part
    # that has it: an empty heading is every passage of a text without headings. Here a section's passages are
    # fetched by id, from the outline, or else the passages of its document, their heading and kind told apart
    # after: the cost follows the section's or the document's size, not the corpus's.)
    def section(self, source: str, heading: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The body paragraphs under one heading of one document, in reading order."""
        if (outline := self.outline) is not None:
            ids = outline.section(source, heading)
            got = self._by_ids(ids) if ids else iter(())
        else:
            got = self._get(self._parts_holding(source), where={"source": source})
        return sorted(((i, d, public(m)) for i, d, m in got if m.get("kind") == "body" and m.get("source") == source
                       and m.get("heading") == heading), key=lambda r: r[2].get("order", 0))

    def containing(self, phrases: Sequence[str], limit: int) -> list[tuple[str, str, dict[str, Any]]]:
        """Passages whose text holds one of the phrases (at most `limit` of each part)."""
        if not phrases:
            return []
        tests = [{"$contains": p} for p in phrases]
        where = tests[0] if len(tests) == 1 else {"$or": tests}
        return [(i, d, public(m)) for i, d, m in self._get(where_document=where, limit=limit)]

    def bylines(self, source: str | None = None, limit: int | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """The bylines of one document's articles, or of every document's (at most `limit` of each part)."""
        if source is None:
            return [(i, d, public(m)) for i, d, m in self._get(where={"kind": "byline"}, limit=limit)]
        where = {"$and": [{"source": source}, {"kind": "byline"}]}
        return [(i, d, public(m)) for i, d, m in self._get(self._parts_holding(source), where=where, limit=limit)]

    def leads(self, source: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The first body passage of each article of one document (one, for a document of one article), in
        reading order."""
        body = ((i, d, m) for i, d, m in self._get(self._parts_holding(source), where={"source": source})
                if m.get("kind") == "body")
        first: dict[str, tuple[str, str, dict[str, Any]]] = {}
        fields: dict[str, tuple[str, str, dict[str, Any]]] = {}
        for i, d, m in sorted(((i, d, public(m)) for i, d, m in body), key=lambda r: r[2].get("order", 0)):
            # (An interview's particulars, 访谈时间：… / 访谈地点：…, lead to it: the first paragraph of text is its lead.)
            into = fields if all(FIELD.match(ln) for ln in d.splitlines() if ln.strip()) else first
            into.setdefault(str(m.get("article", "")), (i, d, m))
        return [first.get(a) or fields[a] for a in dict.fromkeys([*fields, *first])]

    def iter_all(self, batch: int = 5000) -> Iterable[tuple[str, str, dict[str, Any]]]:
        """Every chunk as (id, text, metadata), in pages."""
        for part in self._parts:
            for at in range(0, part.count(), batch):
                got = part.get(include=["documents", "metadatas"], limit=batch, offset=at)
                yield from zip(got["ids"], got["documents"], map(public, got["metadatas"]))

    def sentences(self, ids: Sequence[str]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Each chunk's sentences with their vectors, in reading order."""
        if not ids:
            return {}
        return {i: unpack_sentences(d, m) or [] for i, d, m in self._by_ids(ids)}
