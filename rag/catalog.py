"""The catalog of indexed documents, kept beside the index and tied to its version."""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shlex
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import LOCK_FILE, Settings, describe, side_folder
from .corpus import SourceFile
from .errors import UsageError

if TYPE_CHECKING:
    from .store import Index


@dataclass
class Document:
    """One indexed document (a source file) and what the index holds of it."""

    name: str  # the source name chunks cite
    type: str  # file suffix without the dot: txt, md, ...
    pages: int | None  # None for formats without pages
    passages: int
    indexed_at: str  # ISO time of the ingest that last changed it
    root: str = ""  # the ingest path it was found under ("" when unknown: an index older than the catalog)
    path: str = ""  # its resolved file path, which keeps its name stable across ingests
    sha256: str = ""  # of the file's bytes

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Document:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def under(self, roots: list[Path]) -> bool:
        """Whether its file lies in (or is) one of the given resolved paths."""
        if not self.path:
            return False
        p = Path(self.path)
        return any(p == r or r in p.parents for r in roots)


@dataclass
class Catalog:
    """Documents by name; version is the index version it describes (None while an ingest runs)."""

    documents: dict[str, Document] = field(default_factory=dict)
    version: str | None = None
    # The command whose ingest is under way (or was interrupted), to name what completes the index.
    pending: str = ""

    @classmethod
    def load(cls, path: Path) -> Catalog | None:
        """The saved catalog, or None when there is none (or it cannot be read)."""
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            docs = [Document.from_json(x) for x in d.get("documents", [])]
        except (OSError, ValueError, TypeError):
            return None
        return cls({doc.name: doc for doc in docs}, d.get("version") or None, d.get("pending", ""))

    def save(self, path: Path) -> None:
        """Write atomically: a reader sees the old catalog or the new one, never half of one."""
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        body = {"version": self.version, "pending": self.pending,
                "documents": [d.to_json() for d in sorted(self.documents.values(), key=lambda d: d.name)]}
        tmp.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)

    def passages(self) -> int:
        return sum(d.passages for d in self.documents.values())


def now() -> str:
    """The local time, ISO 8601 to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def catalog_path(settings: Settings) -> Path:
    return side_folder(settings) / "catalog.json"


def _from_chunks(stored: Mapping[str, Mapping[str, Any]]) -> dict[str, Document]:
    """Documents as the chunks' metadata tells them (an index written before the catalog existed)."""
    counts = Counter(str(m.get("source", "")) for m in stored.values())
    return {n: Document(n, Path(n).suffix.lower().lstrip("."), None, c, "") for n, c in counts.items()}


def read_catalog(settings: Settings, index: Index) -> Catalog:
    """The catalog of the index as it stands; rebuilt from the chunks when the saved one describes another version."""
    saved = Catalog.load(catalog_path(settings))
    if saved is not None and saved.version == index.version:
        return saved
    return Catalog(_from_chunks(index.chunk_meta()), index.version, saved.pending if saved else "")


def writable_catalog(settings: Settings, stored: Mapping[str, Mapping[str, Any]]) -> Catalog:
    """The saved catalog, plus any document only the chunks know of, for a writer to change."""
    saved = Catalog.load(catalog_path(settings)) or Catalog()
    for n, d in _from_chunks(stored).items():
        saved.documents.setdefault(n, d)
    return saved


def match_names(files: Sequence[SourceFile], catalog: Catalog) -> dict[Path, str]:
    """Names of the files the catalog already holds: by resolved path; by name and content for a document whose
    file is gone from where it was (a moved or renamed folder: the same document, not a second copy of it; a
    renamed file is a new document); or by name for one recorded without a path."""
    by_path = {d.path: d.name for d in catalog.documents.values() if d.path}
    out = {f.real: by_path[str(f.real)] for f in files if str(f.real) in by_path}
    used = set(out.values())
    moved = {d.name: d.sha256 for d in catalog.documents.values()
             if d.path and d.sha256 and d.name not in used and not Path(d.path).exists()}
    for f in files:
        if f.real not in out and f.name in moved and moved[f.name] == file_sha256(f.real):
            out[f.real] = f.name
            used.add(f.name)
            del moved[f.name]
    for f in files:
        d = catalog.documents.get(f.name)
        if f.real not in out and d is not None and not d.path and f.name not in used:
            out[f.real] = f.name
            used.add(f.name)
    return out


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def new_name(f: SourceFile, taken: set[str]) -> str:
    """A name for a new document: its path under the ingest root, prefixed with folders above it if taken."""
    base = f.root if f.root.is_dir() else f.root.parent
    name = f.name
    for folder in [base, *base.parents]:
        if name not in taken:
            return name
        if not folder.name:
            break
        name = f"{folder.name}/{name}"
    n = 2
    while f"{f.name}~{n}" in taken:
        n += 1
    return f"{f.name}~{n}"


def resolve_name(catalog: Catalog, name: str) -> str:
    """A document's name as given, or as the path of its file; else a UsageError naming close ones."""
    if name in catalog.documents:
        return name
    real = str(Path(name).resolve())
    for d in catalog.documents.values():
        if d.path == real:
            return d.name
    close = difflib.get_close_matches(name, list(catalog.documents), n=5, cutoff=0.5)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise UsageError(f"No document named {name!r} in the index.{hint} `rag docs` lists the indexed documents.")


def ingest_command(settings: Settings, rebuild: bool = False) -> str:
    """The command that builds this index again from the paths that were given to ingest (PATH when none is
    known): what an error names as its fix, for the store it is about."""
    saved = Catalog.load(catalog_path(settings))
    # As each document records them (its file's folder for an index older than that record).
    docs = saved.documents.values() if saved else ()
    given = {Path(d.root or Path(d.path).parent) for d in docs if d.root or d.path}
    roots = sorted(str(p) for p in given if not any(q in p.parents for q in given))
    paths = " ".join(map(shlex.quote, roots)) if roots else "PATH ..."
    store = "" if settings.chroma_url else f" --store {shlex.quote(str(settings.store))}"
    return f"rag ingest {paths}{store}" + (" --rebuild" if rebuild else "")


def unfinished_message(settings: Settings, catalog: Catalog) -> str:
    """Why the index cannot answer yet, and the command that completes it."""
    from .lock import WriteLock

    where = describe(settings)
    holder = WriteLock(side_folder(settings) / LOCK_FILE, 0, where).busy()
    if holder:
        return (f"The index in {where} is being written by {holder}; it answers once that finishes. "
                "Ask again then.")
    command = catalog.pending or ("rag ingest" if settings.chroma_url else f"rag ingest --store {settings.store}")
    return (f"The index in {where} is unfinished: the last ingest was interrupted. "
            f"Run it again to complete it: `{command}` (or `{ingest_command(settings, rebuild=True)}` to start over).")
