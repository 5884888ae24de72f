"""Property tests: the parser, the question checks and terminal output hold for any text hypothesis finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rag.console import safe
from rag.corpus import SENTENCE_MAX_CHARS, parse, parse_text, split_sentences
from rag.errors import UsageError
from rag.lines import Extracted, Line, row_cells
from rag.pipeline import check_question
from rag.question import content_words, has_words

# Text shaped like documents: CJK, Latin, digits, sentence and clause marks, quotes, spaces, line breaks,
# Markdown marks and control characters, in runs long enough to need cutting.
ALPHABET = st.sampled_from(list("学院企业合作协议新疆教育发展abcXYZ 019。！？；，、：.!?;,:“”（）#\n\n\r\t\x0b\x0c\x1b\u3000"))
RUNS = st.one_of(st.text(ALPHABET, max_size=60), st.builds(lambda c, n: c * n, ALPHABET, st.integers(1, 900)))
DOCS = st.lists(RUNS, max_size=12).map("".join)


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def as_read(text: str, span: str) -> str:
    """A passage's text, each line not in its span (squashed) read without what reading a table set in plain text
    adds: a row's labels (its header's cells, on a line of their own above) and the " | " joining a row's cells."""
    return "\n".join(line if squash(line) in span
                     else "".join(cells.values()) if (cells := row_cells(line)) else line.replace(" | ", "")
                     for line in text.split("\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS, st.sampled_from([40, 120, 320]))
# found by this test: three lines of three cells parted by tabs are a table, whose repeated cells were dropped
@example("0\t0\t1\r0\t0\t0\r0\t0\t0", 40)
@example("1:0，0:0", 40)  # and then: a line of prose shaped like a row is read as written
def test_any_text_parses_into_bounded_chunks_whose_spans_read_back(text: str, max_chars: int) -> None:
    chunks = parse_text(text, "doc.txt", max_chars)
    lines = text.splitlines()
    ids = [c.id for c in chunks]
    assert len(set(ids)) == len(ids)
    for c in chunks:
        assert 0 < len(c.text) <= 2 * max_chars
        assert 1 <= c.start_line <= c.end_line <= len(lines)
        span = squash("".join(lines[c.start_line - 1 : c.end_line]))
        body = squash(as_read(c.text, span))
        assert body in span, (c.start_line, c.end_line, c.text[:40])
        # The span is tight: the chunk begins on its first line and ends on its last.
        first, last = squash(lines[c.start_line - 1]), squash(lines[c.end_line - 1])
        assert body[:1] in first and body[-1:] in last
    # Nothing but layout is lost: every non-space character of a body line is in some chunk, heading or article.
    kept = squash("".join(c.text + c.heading + c.article for c in chunks))
    for ch in set(squash(text)) - set("#"):
        assert ch in kept, repr(ch)


# A page's lines by their print size (a PDF's: level 1 or 2 larger than the body's 0), each line a paragraph of
# words, some numbered as sections are or marked as Markdown's (a line of digits alone is a page's number, which
# reading drops).
SIZED = st.lists(st.tuples(st.sampled_from([0, 0, 0, 1, 2]), st.builds(
    lambda mark, first, rest: mark + first + rest, st.sampled_from(["一、", "二、", "1. ", "2. ", "（一）", "# ", "", "", ""]),
    st.sampled_from(list("学院企业合作协议")), st.text(st.sampled_from(list("学院企业合作协议一二、。：12")), max_size=24))),
    max_size=14)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=SIZED)
# found by this test's first run: short lines under a larger heading, more than a heading's run holds, were lost
# when the next larger heading came
@example(rows=[(2, "一、清单"), (0, "主机一台"), (0, "电源一个"), (0, "网线一根"), (0, "指南一份"), (2, "二、规格"),
               (0, "本机支持双频。")])
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])  # no sizes; sizes guessed from print; styles named
def test_every_line_of_a_page_with_larger_headings_is_kept(kind: str, rows: list[tuple[int, str]]) -> None:
    lines = [ln for level, text in rows for ln in (Line(text, level=level * (kind != "txt")), Line(""))]
    chunks = parse(Extracted(kind, lines, explicit=kind == "docx"), f"doc.{kind}")
    kept = squash("".join(c.text + c.heading + c.article for c in chunks))
    for _, text in rows:
        assert squash(text.removeprefix("# ")) in kept, (text, [(c.heading, c.text) for c in chunks])


@settings(max_examples=300, deadline=None)
@given(DOCS)
@example("（;）")  # found by this test: a text ending on a mark that is all its brackets hold was dropped
def test_sentences_are_bounded_and_cover_the_text(text: str) -> None:
    sentences = split_sentences(text)
    assert all(0 < len(s) <= SENTENCE_MAX_CHARS and s == s.strip() for s in sentences)
    assert squash("".join(sentences)) == squash(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_question_check_accepts_or_explains(text: str) -> None:
    try:
        q = check_question(text, 200)
    except UsageError as e:
        assert "empty" in str(e) or "200" in str(e)
        assert not text.strip() or len(text.strip()) > 200
    else:
        assert q == text.strip() and 0 < len(q) <= 200


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_content_words_are_words_of_the_question(text: str) -> None:
    words = content_words(text)
    assert all(w and w in text.lower() and not w.isdigit() for w in words)
    if not has_words(text):
        assert words == []


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_nothing_from_a_text_drives_the_terminal(text: str) -> None:
    out = safe(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out)
    if not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\\]", text):
        assert out == text  # ordinary text is left alone


@pytest.mark.parametrize("size", [5_000_000])
def test_a_five_megabyte_line_becomes_bounded_chunks(size: int) -> None:
    line = ("没有标点的一行文字" * (size // 27 + 1))[: size // 3]
    chunks = parse_text(line + "\n", "big.txt")
    assert len(chunks) > 1000 and max(len(c.text) for c in chunks) <= 640
    assert all(c.start_line == c.end_line == 1 for c in chunks)
    assert "".join(c.text for c in chunks) == line


@pytest.fixture(scope="module")
def disk_words(tmp_path_factory: pytest.TempPathFactory):
    """A jieba tokenizer reading the SQLite copy of the dictionary, beside the default one (fully loaded)."""
    import jieba

    from rag.text import WordCounts, dictionary_copy, save_dictionary_copy, segmenter

    cache = tmp_path_factory.mktemp("words")
    save_dictionary_copy(cache)
    tk = jieba.Tokenizer()
    tk.FREQ = WordCounts(dictionary_copy(cache))
    tk.total, tk.initialized = tk.FREQ.total, True
    return tk, segmenter().dt


WORDY = st.text(st.sampled_from(list("北京大学生物学家命名浮龙属沧龙科中华人民共和国成立于一九四九年十月职业教育老年人"
                                     "学费青石镇水库建成AIiPhone2023，。、 ")), max_size=80)


@settings(max_examples=300, deadline=None)
@given(WORDY)
def test_the_dictionary_copy_segments_as_the_loaded_dictionary(disk_words, text: str) -> None:
    disk, full = disk_words
    assert list(disk.cut_for_search(text)) == list(full.cut_for_search(text))
    assert disk.lcut(text, HMM=False) == full.lcut(text, HMM=False)
    assert disk.lcut(text) == full.lcut(text)


def test_the_dictionary_copy_segments_the_seed_page_as_the_loaded_dictionary(disk_words) -> None:
    from pathlib import Path

    disk, full = disk_words
    text = "".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parents[1] / "seeds").glob("*.txt"))
    assert list(disk.cut_for_search(text)) == list(full.cut_for_search(text))


def test_a_cache_folder_that_cannot_take_the_dictionary_copy_only_warns_and_a_damaged_one_is_written_again(tmp_path, caplog) -> None:
    from rag.config import load_settings
    from rag.ingest import _keep_copies
    from rag.text import WordCounts, dictionary_copy

    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    with caplog.at_level("WARNING"):
        _keep_copies(load_settings(cache_dir=blocked))
    assert "rag ask" in caplog.text and blocked.is_file()
    _keep_copies(load_settings(cache_dir=tmp_path / "ok"))
    assert dictionary_copy(tmp_path / "ok").is_file()
    dictionary_copy(tmp_path / "ok").write_bytes(b"not a database")  # damaged: the next ingest writes it again
    _keep_copies(load_settings(cache_dir=tmp_path / "ok"))
    assert WordCounts(dictionary_copy(tmp_path / "ok")).get("水库")


# Documents as token-id lists over a small vocabulary (so tokens repeat within and across documents); some empty.
TOKEN_DOCS = st.lists(st.lists(st.integers(0, 30), max_size=25), max_size=40)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # bm25s divides by a mean length of 0 when all are empty
@settings(max_examples=200, deadline=None)
@given(TOKEN_DOCS, st.sampled_from([1, 7, 1 << 20]), st.sampled_from([1, 5, 1 << 20]))
def test_the_keyword_matrix_is_bm25s_index_to_the_last_bit(docs: list[list[int]], step: int, block: int) -> None:
    """Built in slices of any size and written in column blocks of any size, the matrix holds bm25s's scores,
    column by column."""
    import bm25s
    import numpy as np
    from bm25s.tokenization import Tokenized

    from rag.keyword import _Matrix

    vocab = {f"t{i}": i for i in range(31)}
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64)
    flat = np.array([t for d in docs for t in d], dtype=np.int32)
    ours = _Matrix.build(offsets, flat, vocab, step=step, block=block)
    assert ours.indptr[-1] == sum(len(set(d)) for d in docs)
    if not docs:
        return
    ref = bm25s.BM25()
    ref.index(Tokenized(ids=docs, vocab={**vocab, "": len(vocab)}), show_progress=False)
    m = ref.scores
    for t in range(len(vocab)):
        a, b = ours.indptr[t], ours.indptr[t + 1]
        c, d = m["indptr"][t], m["indptr"][t + 1]
        got = sorted(zip(ours.indices[a:b].tolist(), ours.data[a:b].tolist()))
        assert got == sorted(zip(m["indices"][c:d].tolist(), m["data"][c:d].tolist()))
        assert ours.indices[a:b].tolist() == sorted(ours.indices[a:b].tolist())
