"""The Chroma index: passages with their sentences' vectors, and which model embedded them."""

from __future__ import annotations

import base64
import shutil
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from .config import Settings
from .corpus import Chunk
from .errors import BackendUnavailableError, IndexMismatchError, IndexNotFoundError, RagError

# 2: sentence vectors ride in their passage's metadata (1 kept them in a second collection, searched never).
SCHEMA = 2
LOCK_FILE = "ingest.lock"
_MAX_BATCH = 1000  # Chroma caps one request's size; stay well under it
_VECTORS, _SPANS = "sentence_vectors", "sentence_spans"  # metadata keys of a passage's sentences


def describe(settings: Settings) -> str:
    """Where the index lives, for messages."""
    return settings.chroma_url or str(settings.store)


def side_folder(settings: Settings) -> Path:
    """Where files kept beside the index live (keyword index, catalog, writers' lock): the store folder,
    or a cache folder per Chroma server and collection."""
    if not settings.chroma_url:
        return settings.store
    import hashlib

    tag = hashlib.sha1(f"{settings.chroma_url}/{settings.collection}".encode()).hexdigest()[:12]
    return settings.cache_dir / "chroma-servers" / tag


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
    SharedSystemClient._identifier_to_system.pop(str(settings.store), None)
    try:
        return chromadb.PersistentClient(path=str(settings.store), settings=chroma_settings)
    except Exception as e:
        SharedSystemClient.clear_system_cache()  # don't let the broken client be reused
        raise RagError(
            f"The index in {settings.store} cannot be opened ({type(e).__name__}: {e}). "
            "Rebuild it with `rag ingest --rebuild`."
        ) from None


def wipe_local(store: Path) -> None:
    """Delete a local index folder's Chroma files (used by --rebuild, which must work on a corrupt index)."""
    if not store.exists():
        return
    # Chroma caches one client per path; a cached client of the old (maybe broken) files must go too.
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()
    ours = {"chroma.sqlite3", "bm25", "catalog.json"}
    for p in store.iterdir():
        # The writers' lock stays: the ingest that holds it is the one wiping. Files uploaded from the web chat
        # and a question set kept with the index are the user's, not the index's.
        if p.name in (".gitkeep", "README.md", LOCK_FILE, "uploads", "questions.jsonl"):
            continue
        # Chroma keeps segments in uuid-named folders; refuse to touch anything else (but our temp files).
        if p.name not in ours and not _is_uuid(p.name) and not p.name.startswith(("bm25.", ".catalog.json.")):
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
    """Chunks with their embeddings in a Chroma collection; each chunk's sentence vectors in its metadata."""

    def __init__(self, client: Any, name: str, where: str) -> None:
        self.client, self.name, self.where = client, name, where
        self._chunks: Any = None

    # -- opening -------------------------------------------------------------
    @classmethod
    def open(cls, settings: Settings) -> Index:
        """Open an existing index for reading; says to run `rag ingest` when there is none."""
        if not settings.chroma_url and not (settings.store / "chroma.sqlite3").exists():
            raise IndexNotFoundError(
                f"No index in {settings.store}/. Build it first: `rag ingest` (or `rag ingest PATH ...`)."
            )
        idx = cls(open_client(settings), settings.collection, describe(settings))
        try:
            idx._chunks = idx.client.get_collection(idx.name, embedding_function=None)
        except Exception:
            raise IndexNotFoundError(
                f"No index named {idx.name!r} in {idx.where}. Build it first: `rag ingest`."
            ) from None
        return idx

    @classmethod
    def create(cls, settings: Settings, model: str, dim: int, rebuild: bool = False) -> Index:
        """Open the index for writing, creating it (or starting over with rebuild)."""
        if rebuild and not settings.chroma_url:
            wipe_local(settings.store)
        if not settings.chroma_url:
            settings.store.mkdir(parents=True, exist_ok=True)
        idx = cls(open_client(settings), settings.collection, describe(settings))
        if rebuild:
            for n in (idx.name, f"{idx.name}_sentences"):  # the second: sentences as layout 1 kept them
                try:
                    idx.client.delete_collection(n)
                except Exception:  # not there: nothing to drop
                    pass
        meta = {"hnsw:space": "cosine", "embedding_model": model, "dim": dim, "schema": SCHEMA}
        idx._chunks = idx.client.get_or_create_collection(idx.name, metadata=meta, embedding_function=None)
        idx.check_model(model, dim)
        return idx

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
                f"{self.meta.get('schema')}, now {SCHEMA}). Rebuild it: `rag ingest --rebuild`."
            )
        if built != model or bdim != dim:
            raise IndexMismatchError(
                f"The index in {self.where} was built with {built!r} ({bdim} dimensions), "
                f"but the configured model is {model!r} ({dim} dimensions). "
                f"Re-ingest with this model: `rag ingest --rebuild`, or set RAG_EMBEDDING_MODEL={built}."
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
        meta = {k: v for k, v in self.meta.items() if k != "hnsw:space"}
        meta.update(facts, version=version or "")
        self._chunks.modify(metadata=meta)

    def count(self) -> int:
        return self._chunks.count()

    # -- writing -------------------------------------------------------------
    def chunk_meta(self) -> dict[str, dict[str, Any]]:
        """Stored metadata of every chunk, by id."""
        out: dict[str, dict[str, Any]] = {}
        for at in range(0, self.count(), 10_000):
            got = self._chunks.get(include=["metadatas"], limit=10_000, offset=at)
            out.update(zip(got["ids"], map(public, got["metadatas"])))
        return out

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, sentence_vectors: Sequence[np.ndarray],
            sentence_spans: Sequence[Sequence[tuple[int, int]]]) -> None:
        """Store chunks with their vectors, each with its sentences' vectors and (start, end) spans in its text."""
        for at in range(0, len(chunks), _MAX_BATCH):
            part = range(at, min(at + _MAX_BATCH, len(chunks)))
            self._chunks.upsert(
                ids=[chunks[i].id for i in part],
                embeddings=vectors[at : at + _MAX_BATCH],
                documents=[chunks[i].text for i in part],
                metadatas=[{**chunks[i].metadata(), **pack_sentences(sentence_vectors[i], sentence_spans[i])}
                           for i in part],
            )

    def update_meta(self, chunks: Sequence[Chunk]) -> None:
        """Refresh line spans and headings of unchanged chunks (text moved in the file)."""
        for at in range(0, len(chunks), _MAX_BATCH):
            part = chunks[at : at + _MAX_BATCH]
            self._chunks.update(ids=[c.id for c in part], metadatas=[c.metadata() for c in part])

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for at in range(0, len(ids), _MAX_BATCH):
            self._chunks.delete(ids=ids[at : at + _MAX_BATCH])

    # -- reading -------------------------------------------------------------
    def search(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """Nearest chunks as (id, cosine similarity), best first."""
        # No count() first: Chroma returns what there is when asked for more (a round trip saved per search).
        got = self._chunks.query(query_embeddings=[vector], n_results=n, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(got["ids"][0], got["distances"][0])]

    def get(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Text and metadata of the given chunks, by id (sentence vectors included: see unpack_sentences)."""
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: {"text": d, **m} for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}

    def section(self, source: str, heading: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The body paragraphs under one heading of one document, in reading order."""
        got = self._chunks.get(
            where={"$and": [{"source": source}, {"heading": heading}, {"kind": "body"}]},
            include=["documents", "metadatas"],
        )
        rows = zip(got["ids"], got["documents"], map(public, got["metadatas"]))
        return sorted(rows, key=lambda r: r[2].get("order", 0))

    def iter_all(self, batch: int = 5000) -> Iterable[tuple[str, str, dict[str, Any]]]:
        """Every chunk as (id, text, metadata), in pages."""
        for at in range(0, self.count(), batch):
            got = self._chunks.get(include=["documents", "metadatas"], limit=batch, offset=at)
            yield from zip(got["ids"], got["documents"], map(public, got["metadatas"]))

    def sentences(self, ids: Sequence[str]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Each chunk's sentences with their vectors, in reading order."""
        if not ids:
            return {}
        got = self._chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return {i: unpack_sentences(d, m) or [] for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
