"""The keyword side of retrieval: a BM25 index over every passage's jieba tokens, saved beside the Chroma index."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import shutil
import tempfile
import threading
import zipfile
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any, Self

import numpy as np

from .config import Settings, side_folder
from .quantity import small_numeral, years_in_digits
from .script import Script, script_of
from .store import Index
from .text import in_dictionary, tagged, tokenize

log = logging.getLogger(__name__)
_TOKENS, _MATRIX, _PAIRS = "tokens.npz", "bm25.npz", "pairs.npy"
_DIGIT_ORDINAL = re.compile(r"(?<![\d.])第\s*(\d{1,2})\s*([\u4e00-\u9fff])")
_KEY_BYTES = 12
_BLOCK = 1 << 18  # matrix entries gathered and written at a time: a few MB of scores and their sort


def context_of(text: str, meta: dict[str, Any]) -> str:
    """The text keyword search indexes for a chunk: its article's title and its heading give the topic. A manual
    may name its product in its title alone, and a word the keyword side never saw reads as one the corpus lacks.
    (What is embedded, Chunk.context, has the heading alone, as before.)"""
    head = " ".join(dict.fromkeys(x for x in (meta.get("article", ""), meta.get("heading", "")) if x))
    return f"{head}\n{text}" if head else text


@dataclass
class Keyword:
    """A BM25 index over chunk tokens, saved next to the Chroma index and tied to its version."""

    ids: list[str]
    matrix: _Matrix
    doc_freq: dict[str, int] = field(default_factory=dict)
    # Every pair of adjacent characters in the indexed texts (codes, sorted): a word the segmenter cut apart
    # in the corpus (卫生处处长宁皓 as 处处 / 长宁 / 皓) is still found in it.
    pairs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64), repr=False)

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency (unknown terms count as rare)."""
        n = len(self.ids)
        return math.log(1 + (n + 1) / (self.doc_freq.get(term, 0) + 0.5))

    def df(self, term: str) -> int:
        """Number of passages whose tokens include the term."""
        return self.doc_freq.get(term.lower(), 0)

    def mentions(self, term: str) -> bool:
        """Whether the corpus contains the term: as a token, inside one, or across tokens (each pair of its
        characters occurs in the texts) for a word jieba's dictionary does not list (a name: cut by context) or a
        time of two characters (周一 in 每周 一). Any other word it lists is found as written: 中国 in 其中 国家 is no
        mention of China, nor 育人 in 教育 人才."""
        term = term.lower()
        if term in self.doc_freq or (bool(term) and term in self._vocabulary):
            return True
        if len(term) < 2 or not len(self.pairs) or (in_dictionary(term) and term not in tagged(("t",), 2, 2)):
            return False
        return bool(self._held(_char_pairs(term)).all())

    def _held(self, codes: np.ndarray) -> np.ndarray:
        """Which of these character pairs (codes of _char_pairs) the texts hold."""
        at = np.minimum(np.searchsorted(self.pairs, codes), len(self.pairs) - 1)
        return self.pairs[at] == codes

    def pairs_among(self, firsts: list[str], seconds: list[str]) -> list[tuple[str, str]]:
        """The pairs (a, b) of a character of each list that the texts hold side by side (ab)."""
        if not firsts or not seconds or not len(self.pairs):
            return []
        a = np.array([ord(c) for c in firsts], dtype=np.uint64)[:, None]
        b = np.array([ord(c) for c in seconds], dtype=np.uint64)[None, :]
        held = self._held(((a << np.uint64(32)) | b).ravel())
        return [(firsts[i // len(seconds)], seconds[i % len(seconds)]) for i in np.flatnonzero(held)]

    @cached_property
    def script(self) -> Script | None:
        """Whether the corpus writes traditional or simplified characters (by the words of its vocabulary)."""
        return script_of(self._vocabulary)

    @cached_property
    def _vocabulary(self) -> str:
        """Every token on its own line: one substring search finds a term inside any of them."""
        return "\n".join(self.doc_freq)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], reuse: Path | None = None) -> Keyword:
        """Index (chunk id, text) pairs in memory (see KeywordBuilder)."""
        with KeywordBuilder(reuse) as builder:
            for cid, text in items:
                builder.add(cid, text)
            return builder.in_memory()

    @classmethod
    def load(cls, folder: Path, version: str | None) -> Keyword | None:
        """The saved index if it matches the Chroma index's version, else None."""
        try:
            meta = json.loads((folder / "rag.json").read_text(encoding="utf-8"))
            if version is None or meta.get("version") != version:
                return None
            return cls(meta["ids"], _Matrix.read(folder / _MATRIX), meta.get("df", {}),
                       np.load(folder / _PAIRS, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):  # missing, unreadable or older: rebuilt from Chroma
            return None

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Best (row, score) pairs for a query, score > 0 only."""
        toks = [self.matrix.vocab[t] for t in _tokens(query) if t in self.matrix.vocab]
        if not toks or not self.ids:
            return []
        scores = self.matrix.scores(toks, len(self.ids))
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class KeywordBuilder:
    """Builds a Keyword index from texts added one at a time, then writes it to a folder. Each text's token ids go
    to a temporary file as it arrives, and the BM25 matrix is written column block by column block: memory holds
    the vocabulary and a few dozen bytes a text, not the corpus's tokens or the matrix. Texts whose tokens an
    earlier index saved in the folder `reuse` are not tokenised again; `spool` is where the temporary files go,
    `block` how many matrix entries are written at a time."""

    def __init__(self, reuse: Path | None = None, spool: Path | None = None, block: int = _BLOCK) -> None:
        self._saved = _SavedTokens.read(reuse / _TOKENS) if reuse else None
        self._spool, self._block = spool, block
        if spool is not None:  # a Chroma server's cache folder may not exist before its first keyword index
            spool.mkdir(parents=True, exist_ok=True)
        self._tokens = tempfile.TemporaryFile(dir=spool)  # noqa: SIM115 (closed by close())
        self._ids, self._id_ends = bytearray(), array("q", [0])
        self._keys = bytearray()  # each text's hash, _KEY_BYTES a text
        self._vocab: dict[str, int] = {}
        self._ends = array("q", [0])  # where each text's token ids end in the file (in tokens)
        self._pairs, self._fresh = np.zeros(0, dtype=np.uint64), []

    def add(self, cid: str, text: str) -> None:
        self._fresh.append(_char_pairs(text))
        if len(self._fresh) >= 2000:  # merged in steps: a corpus's pairs are never all in memory at once
            self._pairs, self._fresh = np.unique(np.concatenate([self._pairs, *self._fresh])), []
        key = _text_key(text)
        toks = self._saved.get(key.hex()) if self._saved else None
        if toks is None:
            toks = _tokens(text)
        self._ids += cid.encode("utf-8")
        self._id_ends.append(len(self._ids))
        self._keys += key
        vocab = self._vocab
        self._tokens.write(array("i", [vocab.setdefault(t, len(vocab)) for t in toks]).tobytes())
        self._ends.append(self._ends[-1] + len(toks))

    def save(self, folder: Path, version: str) -> None:
        """Write the index to `folder` atomically: a reader sees the old index or the new one, never half of one."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self._tokens.flush()
        offsets = np.array(self._ends, dtype=np.int64)
        vocab = np.array(list(self._vocab), dtype=str)
        indptr = self._write_matrix(tmp / _MATRIX, offsets, vocab)
        self._write_tokens(tmp / _TOKENS, offsets, vocab)
        np.save(tmp / _PAIRS, self.pairs())
        df = {t: int(n) for t, n in zip(self._vocab, np.diff(indptr).tolist()) if n}
        (tmp / "rag.json").write_text(json.dumps({"version": version, "ids": self.ids(), "df": df},
                                                 ensure_ascii=False), encoding="utf-8")
        # Swap in two renames: a reader sees the old folder or the new one (or, for an instant, none, and
        # then rebuilds from Chroma).
        old = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.old")
        try:
            folder.rename(old)
        except FileNotFoundError:
            pass
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    def _write_matrix(self, path: Path, offsets: np.ndarray, vocab: np.ndarray) -> np.ndarray:
        """Write the BM25 matrix as _Matrix.read reads it, a block of columns at a time; return its indptr."""
        read = _TokenFile(self._tokens.fileno())
        with _NpzWriter(path) as z, tempfile.TemporaryFile(dir=self._spool) as indices:
            indptr, blocks = _bm25_columns(offsets, read, len(vocab), self._spool, block=self._block)

            def scores() -> Iterator[np.ndarray]:
                """The zip takes one array at a time: the scores go straight in, the documents wait in a file."""
                for data, docs in blocks:
                    indices.write(docs.tobytes())
                    yield data

            z.add_stream("data", np.float32, int(indptr[-1]), scores())
            indices.seek(0)
            z.add_stream("indices", np.int32, int(indptr[-1]), _read_chunks(indices, np.int32))
            z.add("indptr", indptr)
            z.add("vocab", vocab)
        return indptr

    def _write_tokens(self, path: Path, offsets: np.ndarray, vocab: np.ndarray) -> None:
        """Write every text's tokens, keyed by its hash, as _SavedTokens.read reads them (for the next build)."""
        read, n = _TokenFile(self._tokens.fileno()), len(offsets) - 1
        keys = (np.frombuffer(self._keys[a * _KEY_BYTES : b * _KEY_BYTES].hex().encode("ascii"), dtype="S24")
                for a, b in _ranges(n, 1 << 16))
        with _NpzWriter(path) as z:
            z.add_stream("keys", np.dtype("U24"), n, keys)
            z.add("offsets", offsets)
            z.add_stream("flat", np.int32, int(offsets[-1]), (read(a, b) for a, b in _ranges(int(offsets[-1]), 1 << 20)))
            z.add("vocab", vocab)

    def in_memory(self) -> Keyword:
        """The index as save() writes it, read back into memory."""
        with tempfile.TemporaryDirectory(dir=self._spool) as tmp:
            self.save(Path(tmp) / "bm25", "")
            kw = Keyword.load(Path(tmp) / "bm25", "")
            assert kw is not None  # just written
            kw.pairs = np.array(kw.pairs)  # off the file about to be deleted
            return kw

    def ids(self) -> list[str]:
        ends = self._id_ends
        return [self._ids[ends[i] : ends[i + 1]].decode("utf-8") for i in range(len(ends) - 1)]

    def pairs(self) -> np.ndarray:
        return np.unique(np.concatenate([self._pairs, *self._fresh]))

    def close(self) -> None:
        self._tokens.close()
        if self._saved is not None:
            self._saved.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _char_pairs(text: str) -> np.ndarray:
    """One code per pair of adjacent characters of the lower-cased text (two code points in 64 bits)."""
    cps = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return (cps[:-1] << np.uint64(32)) | cps[1:]


class _TokenFile:
    """Reads token ids a..b of the file the builder wrote (a read, not a mapping: the pages stay out of RSS)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def __call__(self, a: int, b: int) -> np.ndarray:
        return np.frombuffer(os.pread(self.fd, 4 * (b - a), 4 * a), dtype=np.int32)


def _ranges(n: int, step: int) -> Iterator[tuple[int, int]]:
    return ((a, min(a + step, n)) for a in range(0, n, step))


def _read_chunks(f: IO[bytes], dtype: type, size: int = 1 << 22) -> Iterator[np.ndarray]:
    while chunk := f.read(size):
        yield np.frombuffer(chunk, dtype=dtype)


def _bm25_columns(offsets: np.ndarray, read: Callable[[int, int], np.ndarray], n_vocab: int,
                  spool: Path | None = None, k1: float = 1.5, b: float = 0.75, step: int = 1 << 17,
                  block: int = _BLOCK) -> tuple[np.ndarray, Iterator[tuple[np.ndarray, np.ndarray]]]:
    """BM25 of each document's tokens (document d holds tokens offsets[d]..offsets[d + 1], read(a, b) gives tokens
    a..b), Lucene's variant as bm25s computes it, laid out as bm25s's index: one sparse column per token. Returns
    the column pointers and the (scores, documents) of the columns in order, about `block` entries at a time.

    Documents are read in slices of about `step` tokens once, their (document, token, count) triples written to a
    temporary file; each block of columns is then gathered from that file. Memory is one slice and one block."""
    n_docs = len(offsets) - 1
    lengths = np.diff(offsets)
    avg = float(lengths.mean()) if n_docs else 1.0
    counts = tempfile.TemporaryFile(dir=spool)  # noqa: SIM115 (closed when the columns are done)
    df = np.zeros(n_vocab, dtype=np.int64)
    d0 = 0
    while d0 < n_docs:
        d1 = min(n_docs, max(d0 + 1, int(np.searchsorted(offsets, offsets[d0] + step, side="right")) - 1))
        docs = np.repeat(np.arange(d0, d1, dtype=np.int64), lengths[d0:d1])
        keys, tf = np.unique(docs * n_vocab + read(int(offsets[d0]), int(offsets[d1])), return_counts=True)
        doc, tok = keys // n_vocab, keys % n_vocab
        df += np.bincount(tok, minlength=n_vocab)
        counts.write(np.int64(len(keys)).tobytes() + np.stack([doc, tok, tf]).astype(np.int32).tobytes())
        d0 = d1
    indptr = np.concatenate([[0], np.cumsum(df)])
    # math.log, as bm25s: the same float32 idf to the last bit
    idf = np.array([math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) if f else 0.0 for f in df.tolist()],
                   dtype=np.float32)

    def columns() -> Iterator[tuple[np.ndarray, np.ndarray]]:
        with counts:
            t0 = 0
            while t0 < n_vocab:  # columns t0..t1 hold about `block` entries (at least one column)
                t1 = max(t0 + 1, int(np.searchsorted(indptr, indptr[t0] + block, side="right")) - 1)
                t1 = min(t1, n_vocab)
                data, docs, toks = [], [], []
                counts.seek(0)
                while head := counts.read(8):
                    n = int(np.frombuffer(head, dtype=np.int64)[0])
                    doc, tok, tf = np.frombuffer(counts.read(12 * n), dtype=np.int32).reshape(3, n)
                    keep = (tok >= t0) & (tok < t1)
                    doc, tok, tf = doc[keep], tok[keep], tf[keep]
                    data.append(idf[tok] * (tf / (k1 * ((1 - b) + b * lengths[doc] / avg) + tf)))
                    docs.append(doc)
                    toks.append(tok)
                tok = np.concatenate(toks) if toks else np.zeros(0, dtype=np.int32)
                order = np.argsort(tok, kind="stable")  # by token; documents stay in order within each
                yield (np.concatenate(data).astype(np.float32)[order] if data else np.zeros(0, dtype=np.float32),
                       np.concatenate(docs)[order] if docs else np.zeros(0, dtype=np.int32))
                t0 = t1

    return indptr, columns()


class _NpzWriter:
    """Writes an .npz file (as np.savez does) an array at a time, or an array a chunk at a time."""

    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True)

    def add(self, name: str, array: np.ndarray) -> None:
        with self.zip.open(f"{name}.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array(f, np.asarray(array), allow_pickle=False)

    def add_stream(self, name: str, dtype: Any, length: int, chunks: Iterable[np.ndarray]) -> None:
        dtype = np.dtype(dtype)
        written = 0
        with self.zip.open(f"{name}.npy", "w", force_zip64=True) as f:
            np.lib.format.write_array_header_2_0(f, {"descr": np.lib.format.dtype_to_descr(dtype),
                                                     "fortran_order": False, "shape": (length,)})
            for c in chunks:
                f.write(np.ascontiguousarray(c, dtype=dtype).tobytes())
                written += len(c)
        if written != length:
            raise AssertionError(f"{name}: {written} of {length} items written")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()


@dataclass
class _Matrix:
    """Precomputed BM25 scores, one sparse column per token (the layout and figures of bm25s's index)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    vocab: dict[str, int]

    @classmethod
    def build(cls, offsets: np.ndarray, flat: np.ndarray, vocab: dict[str, int], step: int = 1 << 17,
              block: int = _BLOCK) -> _Matrix:
        """The matrix of documents given as token ids in memory (see _bm25_columns)."""
        indptr, columns = _bm25_columns(offsets, lambda a, b: flat[a:b], len(vocab), step=step, block=block)
        blocks = list(columns)
        return cls(np.concatenate([np.zeros(0, np.float32), *(d for d, _ in blocks)]),
                   np.concatenate([np.zeros(0, np.int32), *(i for _, i in blocks)]).astype(np.int32), indptr, vocab)

    def scores(self, token_ids: list[int], n_docs: int) -> np.ndarray:
        """BM25 score of every document for the query's tokens (a repeated token counts again, as in bm25s)."""
        out = np.zeros(n_docs, dtype=np.float32)
        for t in token_ids:
            a, b = self.indptr[t], self.indptr[t + 1]
            out[self.indices[a:b]] += self.data[a:b]
        return out

    @classmethod
    def read(cls, path: Path) -> _Matrix:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["data"], z["indices"], z["indptr"], {t: i for i, t in enumerate(z["vocab"].tolist())})


def _text_key(text: str) -> bytes:
    # The tokenizer's revision is part of the key: tokens an older tokenizer saved are not reused (2: traditional
    # characters are cut as their simplified form is; 3: modal verbs are stop words; 4: 第2天 is 第二天 too; 5: 一九六五年
    # is 1965 too).
    return hashlib.blake2b(text.encode("utf-8"), digest_size=_KEY_BYTES, person=b"rag-tokens-5").digest()


def _tokens(text: str) -> list[str]:
    """The text's tokens, each ordinal it writes in digits (第2天, 第3章) as the word it is in numerals (第二天,
    第三章): a schedule numbers its days so, a question asks 第二天去哪; and each year it writes in numerals
    (一九六五年) in digits, as a question asks it (1965年)."""
    return [*tokenize(text), *(f"第{small_numeral(int(m.group(1)))}{m.group(2)}" for m in _DIGIT_ORDINAL.finditer(text)
                               if 0 < int(m.group(1)) < 100), *years_in_digits(text)]


@dataclass
class _SavedTokens:
    """Every indexed text's tokens, keyed by a hash of the text: the next ingest tokenises only new texts. The
    token ids stay in the file and are read a text at a time, so a re-ingest does not hold the corpus's tokens."""

    keys: np.ndarray  # (n,) text hashes in hex (bytes), sorted
    rows: np.ndarray  # (n,) the row of each sorted key
    offsets: np.ndarray  # (n + 1,) each row's tokens, in tokens from `at`
    vocab: list[str]
    file: IO[bytes]
    at: int  # where the token ids start in the file

    @classmethod
    def read(cls, path: Path) -> _SavedTokens | None:
        try:
            f = open(path, "rb")  # noqa: SIM115 (closed by close())
        except OSError:  # none saved yet: tokenise
            return None
        try:
            with np.load(path, allow_pickle=False) as z:
                keys, offsets, vocab = z["keys"].astype("S24"), z["offsets"], z["vocab"].tolist()
            at = _stored_array_start(f, "flat.npy", np.int32)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):  # an older or unreadable layout: tokenise again
            f.close()
            return None
        order = np.argsort(keys)
        return cls(keys[order], order, offsets, vocab, f, at)

    def get(self, key: str) -> list[str] | None:
        want = key.encode("ascii")
        i = int(np.searchsorted(self.keys, want))
        if i == len(self.keys) or self.keys[i] != want:
            return None
        row = self.rows[i]
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        ids = np.frombuffer(os.pread(self.file.fileno(), 4 * (b - a), self.at + 4 * a), dtype=np.int32)
        return [self.vocab[t] for t in ids.tolist()]

    def close(self) -> None:
        self.file.close()


def _stored_array_start(f: IO[bytes], name: str, dtype: type) -> int:
    """Where the data of a one-dimensional array stored uncompressed in an .npz file (np.savez's layout, and
    _NpzWriter's) starts in the file."""
    with zipfile.ZipFile(f) as zf:
        info = zf.getinfo(name)
    if info.compress_type != zipfile.ZIP_STORED:
        raise ValueError(f"{name} is compressed")
    f.seek(info.header_offset)
    local = f.read(30)  # the member's local header: its name and extra field lengths are at 26 and 28
    f.seek(info.header_offset + 30 + int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little"))
    version = np.lib.format.read_magic(f)
    read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    shape, fortran, got = read_header(f)
    if got != np.dtype(dtype) or len(shape) != 1 or fortran:
        raise ValueError(f"{name} is not a one-dimensional {np.dtype(dtype)} array")
    return f.tell()


def keyword_folder(settings: Settings) -> Path:
    """Where the BM25 side index lives: in the store folder, or a cache folder per Chroma server."""
    return side_folder(settings) / "bm25"


def load_keyword(settings: Settings, index: Index) -> Keyword:
    """The BM25 index for this Chroma index, rebuilt from the stored chunks if stale or missing."""
    folder = keyword_folder(settings)
    kw = Keyword.load(folder, index.version)
    if kw is not None:
        return kw
    log.info("building the keyword index from %d stored chunks", index.count())
    with KeywordBuilder(spool=folder.parent) as builder:
        for cid, text, meta in index.iter_all():
            builder.add(cid, context_of(text, meta))
        if index.version:  # an unfinished index's keyword side is not saved: the ingest that finishes it will
            builder.save(folder, index.version)
            kw = Keyword.load(folder, index.version)
        return kw or builder.in_memory()
