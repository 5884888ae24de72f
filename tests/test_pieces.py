"""The tokenizer of a one-question process, built from the pieces its texts use, cuts as the whole one does."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rag.convert import ensure_onnx_model
from rag.pieces import PIECES, TOKENIZER, PieceTokenizer, load_tokenizer, save_pieces

ROOT = Path(__file__).resolve().parents[1]
MAX_LENGTH = 512


@pytest.fixture(scope="module")
def model_dir(cache_dir: Path) -> Path:
    return ensure_onnx_model(cache_dir)


@pytest.fixture(scope="module")
def both(model_dir: Path) -> tuple[PieceTokenizer, object]:
    """The tokenizer reading the copy of the pieces, beside the whole one."""
    assert save_pieces(model_dir)
    few = load_tokenizer(model_dir, MAX_LENGTH, whole=False)
    assert isinstance(few, PieceTokenizer)
    return few, load_tokenizer(model_dir, MAX_LENGTH)


def same(both: tuple[PieceTokenizer, object], texts: list[str]) -> None:
    few, whole = both
    got, want = few.encode_batch(texts), whole.encode_batch(texts)
    assert [e.ids for e in got] == [e.ids for e in want]
    assert [list(e.offsets) for e in got] == [list(e.offsets) for e in want]


# Chinese and Latin text, digits of both widths, runs of spaces, marks, an emoji, a combining accent, characters no
# piece holds (a rare ideograph, a private-use one), and the special tokens written into the text.
PARTS = st.sampled_from([*"青石镇一九五八年建成了水库白沙村茶园渡口历史，。、！？：“”《》（）",
                         *"abcXYZ019０１９ＡＢ", " ", "  ", "\t", "\n", "\u3000", "😀", "e\u0301", "ﬁ", "①",
                         "\U00020000", "\ue000", "<s>", "</s>", "<mask>", "<unk>", "<pad>", "query: ", "passage: "])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(PARTS, max_size=40).map("".join), min_size=1, max_size=4))
def test_the_pieces_of_the_texts_cut_them_as_the_whole_vocabulary(both, texts: list[str]) -> None:
    same(both, texts)


def test_the_pieces_cut_the_seed_page_and_the_questions_as_the_whole_vocabulary(both) -> None:
    lines = [ln for p in sorted((ROOT / "seeds").glob("*.txt"))
             for ln in p.read_text(encoding="utf-8").splitlines() if ln.strip()]
    questions = [json.loads(ln)["question"] for ln in (ROOT / "tests" / "questions.jsonl").read_text(
        encoding="utf-8").splitlines() if ln.strip()]
    for at in range(0, len(lines), 16):
        same(both, [f"passage: {ln}" for ln in lines[at: at + 16]])
    for q in questions:
        same(both, [f"query: {q}"])
    page = "".join(lines)
    assert len(both[1].encode_batch([page])[0].ids) == MAX_LENGTH  # cut at the model's window, as the whole one
    same(both, [page, "", "query: "])


def test_a_damaged_or_stale_copy_of_the_pieces_is_passed_over_and_written_again(both, model_dir: Path, tmp_path: Path,
                                                                                 caplog) -> None:
    from tokenizers import Tokenizer

    damaged = tmp_path / "model"
    damaged.mkdir()
    shutil.copy(model_dir / TOKENIZER, damaged / TOKENIZER)
    (damaged / PIECES).write_bytes(b"not a database")
    with caplog.at_level("WARNING"):
        tok = load_tokenizer(damaged, MAX_LENGTH, whole=False)
    assert isinstance(tok, Tokenizer) and "whole tokenizer" in caplog.text and "rag ingest" in caplog.text
    assert tok.encode_batch(["query: 水库"])[0].ids == both[1].encode_batch(["query: 水库"])[0].ids
    assert save_pieces(damaged)  # as the next ingest does: the damaged copy is written again
    again = load_tokenizer(damaged, MAX_LENGTH, whole=False)
    assert isinstance(again, PieceTokenizer)
    same((again, both[1]), ["query: 水库", "passage: 青石镇"])
    # A tokenizer file changed since the copy was made: the copy is stale, passed over, and written again.
    os.utime(damaged / TOKENIZER, ns=(1, 1))
    caplog.clear()
    with caplog.at_level("WARNING"):
        assert isinstance(load_tokenizer(damaged, MAX_LENGTH, whole=False), Tokenizer)
    assert "another tokenizer.json" in caplog.text
    assert save_pieces(damaged) and isinstance(load_tokenizer(damaged, MAX_LENGTH, whole=False), PieceTokenizer)


def test_only_a_unigram_vocabulary_listing_each_piece_once_is_copied(tmp_path: Path) -> None:
    from tokenizers import Tokenizer, models

    Tokenizer(models.WordLevel({"水库": 0, "[UNK]": 1}, unk_token="[UNK]")).save(str(tmp_path / TOKENIZER))
    assert not save_pieces(tmp_path) and not (tmp_path / PIECES).exists()
    Tokenizer(models.Unigram([("<unk>", 0.0), ("水", -1.0), ("水", -2.0)], 0, False)).save(str(tmp_path / TOKENIZER))
    assert not save_pieces(tmp_path) and not (tmp_path / PIECES).exists()
    Tokenizer(models.Unigram([("<unk>", 0.0), ("水", -1.0), ("库", -2.0), ("水库", -2.5)], 0, False)).save(
        str(tmp_path / TOKENIZER))
    assert save_pieces(tmp_path) and (tmp_path / PIECES).is_file()
    # (no normaliser, pre-tokeniser, special token or template here)
    same((load_tokenizer(tmp_path, 8, whole=False), load_tokenizer(tmp_path, 8)), ["水库水", "库 水", "", "湖"])


def test_an_ingest_leaves_the_copy_a_one_question_process_reads(model_dir: Path, cache_dir: Path,
                                                                 tmp_path: Path) -> None:
    from rag.config import load_settings
    from rag.pipeline import Pipeline

    (model_dir / PIECES).unlink(missing_ok=True)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("一九五八年，青石镇建成了青龙水库。\n", encoding="utf-8")
    Pipeline(load_settings(store=tmp_path / "store", corpus=[docs], cache_dir=cache_dir)).ingest()
    assert (model_dir / PIECES).is_file()
    assert isinstance(Pipeline(load_settings(store=tmp_path / "store", cache_dir=cache_dir), once=True).model._tok,
                      PieceTokenizer)
