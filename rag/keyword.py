"""The keyword side of retrieval: a BM25 index over every passage's jieba tokens, saved beside the Chroma index."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import threading
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings
from .store import Index, side_folder
from .text import in_dictionary, tokenize

log = logging.getLogger(__name__)


def context_of(text: str, meta: dict[str, Any]) -> str:
    """The text that was embedded and indexed for a chunk (heading gives the topic); see Chunk.context."""
    head = meta.get("heading") or (meta.get("article", "") if meta.get("kind") == "byline" else "")
    return f"{head}\n{text}" if head else text



@dataclass
class Keyword:
    """A BM25 index over chunk tokens, saved next to the Chroma index and tied to its version."""

    ids: list[str]
    matrix: _Matrix
    doc_freq: dict[str, int] = field(default_factory=dict)
    # Every pair of adjacent characters in the indexed texts (codes, sorted): a word the segmenter cut apart
    # in the corpus (处长宁锐 as 处长 / 宁 / 锐) is still found in it.
    pairs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64), repr=False)
    _tokens: _SavedTokens | None = field(default=None, repr=False)  # what build tokenised, for the next build

    def idf(self, term: str) -> float:
        """Smoothed inverse document frequency (unknown terms count as rare)."""
        n = len(self.ids)
        return math.log(1 + (n + 1) / (self.doc_freq.get(term, 0) + 0.5))

    def df(self, term: str) -> int:
        """Number of passages whose tokens include the term."""
        return self.doc_freq.get(term.lower(), 0)

    def mentions(self, term: str) -> bool:
        """Whether the corpus contains the term: as a token, inside one, or, for a word jieba's dictionary does
        not list (a name: cut by context), across tokens (each pair of its characters occurs in the texts)."""
        term = term.lower()
        if term in self.doc_freq or (bool(term) and term in self._vocabulary):
            return True
        if len(term) < 2 or not len(self.pairs) or in_dictionary(term):
            return False
        codes = _char_pairs(term)
        at = np.minimum(np.searchsorted(self.pairs, codes), len(self.pairs) - 1)
        return bool((self.pairs[at] == codes).all())

    @cached_property
    def _vocabulary(self) -> str:
        """Every token on its own line: one substring search finds a term inside any of them."""
        return "\n".join(self.doc_freq)

    @classmethod
    def build(cls, items: Iterable[tuple[str, str]], reuse: Path | None = None) -> Keyword:
        """Index (chunk id, text) pairs (see KeywordBuilder)."""
        builder = KeywordBuilder(reuse)
        for cid, text in items:
            builder.add(cid, text)
        return builder.finish()

    def save(self, folder: Path, version: str) -> None:
        """Write atomically: a reader never sees half an index."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        self.matrix.write(tmp / _MATRIX)
        np.save(tmp / _PAIRS, self.pairs)
        (tmp / "rag.json").write_text(
            json.dumps({"version": version, "ids": self.ids, "df": self.doc_freq}, ensure_ascii=False),
            encoding="utf-8",
        )
        if self._tokens is not None:
            self._tokens.write(tmp / _TOKENS)
        # Swap in two renames: a reader sees the old folder or the new one (or, for an instant, none, and
        # then rebuilds from Chroma).
        old = folder.with_name(f"{folder.name}.{os.getpid()}.{threading.get_ident()}.old")
        try:
            folder.rename(old)
        except FileNotFoundError:
            pass
        tmp.rename(folder)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, folder: Path, version: str | None) -> Keyword | None:
        """The saved index if it matches the Chroma index's version, else None."""
        try:
            meta = json.loads((folder / "rag.json").read_text(encoding="utf-8"))
            if version is None or meta.get("version") != version:
                return None
            return cls(meta["ids"], _Matrix.read(folder / _MATRIX), meta.get("df", {}),
                       np.load(folder / _PAIRS, mmap_mode="r", allow_pickle=False))
        except (OSError, ValueError, KeyError):  # missing, or saved by an older rag: rebuilt from Chroma
            return None

    def search(self, query: str, n: int) -> list[tuple[int, float]]:
        """Best (row, score) pairs for a query, score > 0 only."""
        toks = [self.matrix.vocab[t] for t in tokenize(query) if t in self.matrix.vocab]
        if not toks or not self.ids:
            return []
        scores = self.matrix.scores(toks, len(self.ids))
        n = min(n, len(scores))
        top = np.argpartition(-scores, n - 1)[:n]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class KeywordBuilder:
    """Builds a Keyword index from texts added one at a time: each becomes token ids as it arrives, so the texts
    of a corpus are never all in memory. Texts whose tokens an earlier index saved in the folder `reuse` are not
    tokenised again."""

    def __init__(self, reuse: Path | None = None) -> None:
        self._saved = _SavedTokens.read(reuse / _TOKENS) if reuse else None
        self._ids: list[str] = []
        self._keys: list[str] = []
        self._vocab: dict[str, int] = {}
        self._flat, self._ends = array("i"), array("q", [0])  # every text's token ids end to end: 4 bytes a token
        self._pairs, self._fresh = np.zeros(0, dtype=np.uint64), []

    def add(self, cid: str, text: str) -> None:
        self._fresh.append(_char_pairs(text))
        if len(self._fresh) >= 2000:  # merged in steps: a corpus's pairs are never all in memory at once
            self._pairs, self._fresh = np.unique(np.concatenate([self._pairs, *self._fresh])), []
        key = _text_key(text)
        toks = self._saved.get(key) if self._saved else None
        if toks is None:
            toks = tokenize(text)
        self._ids.append(cid)
        self._keys.append(key)
        self._flat.extend([self._vocab.setdefault(t, len(self._vocab)) for t in toks])
        self._ends.append(len(self._flat))

    def finish(self) -> Keyword:
        vocab = self._vocab
        tokens = _SavedTokens(np.array(self._keys, dtype="U24"), np.frombuffer(self._ends, dtype=np.int64),
                              np.frombuffer(self._flat, dtype=np.int32), list(vocab))
        matrix = _Matrix.build(tokens.offsets, tokens.flat, vocab)
        df = {t: int(n) for t, n in zip(vocab, np.diff(matrix.indptr).tolist()) if n}
        kw = Keyword(self._ids, matrix, df, np.unique(np.concatenate([self._pairs, *self._fresh])))
        kw._tokens = tokens
        return kw


_TOKENS, _MATRIX, _PAIRS = "tokens.npz", "bm25.npz", "pairs.npy"


def _char_pairs(text: str) -> np.ndarray:
    """One code per pair of adjacent characters of the lower-cased text (two code points in 64 bits)."""
    cps = np.frombuffer(text.lower().encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return (cps[:-1] << np.uint64(32)) | cps[1:]


@dataclass
class _Matrix:
    """Precomputed BM25 scores, one sparse column per token (the layout and figures of bm25s's index)."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    vocab: dict[str, int]

    @classmethod
    def build(cls, offsets: np.ndarray, flat: np.ndarray, vocab: dict[str, int], k1: float = 1.5,
              b: float = 0.75, step: int = 1 << 17) -> _Matrix:
        """BM25 of each document's tokens (document d holds flat[offsets[d]:offsets[d + 1]]), Lucene's variant as
        bm25s computes it. Documents are read in slices of about `step` tokens, twice (document frequencies first,
        then each score straight into its column): memory is the matrix and one slice, not a copy per step."""
        n_docs, n_vocab = len(offsets) - 1, len(vocab)
        lengths = np.diff(offsets)
        avg = float(lengths.mean()) if n_docs else 1.0

        def slices() -> Iterator[tuple[int, int]]:
            d0 = 0
            while d0 < n_docs:
                d1 = max(d0 + 1, int(np.searchsorted(offsets, offsets[d0] + step, side="right")) - 1)
                yield d0, min(d1, n_docs)
                d0 = d1

        def counts(d0: int, d1: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            """(document, token, count) of each distinct token of documents d0..d1, by document, then token."""
            docs = np.repeat(np.arange(d0, d1, dtype=np.int64), lengths[d0:d1])
            keys, tf = np.unique(docs * n_vocab + flat[offsets[d0] : offsets[d1]], return_counts=True)
            return keys // n_vocab, keys % n_vocab, tf

        df = np.zeros(n_vocab, dtype=np.int64)
        for d0, d1 in slices():
            df += np.bincount(counts(d0, d1)[1], minlength=n_vocab)
        indptr = np.concatenate([[0], np.cumsum(df)])
        # math.log, as bm25s: the same float32 idf to the last bit
        idf = np.array([math.log(1 + (n_docs - f + 0.5) / (f + 0.5)) if f else 0.0 for f in df.tolist()],
                       dtype=np.float32)
        data = np.empty(indptr[-1], dtype=np.float32)
        indices = np.empty(indptr[-1], dtype=np.int32)
        filled = indptr[:-1].copy()  # next free place in each token's column
        for d0, d1 in slices():
            doc, tok, tf = counts(d0, d1)
            score = idf[tok] * (tf / (k1 * ((1 - b) + b * lengths[doc] / avg) + tf))
            order = np.argsort(tok, kind="stable")  # by token, documents still in order within each
            tok = tok[order]
            first, n = np.unique(tok, return_index=True, return_counts=True)[1:]
            at = filled[tok] + np.arange(len(tok)) - np.repeat(first, n)
            data[at], indices[at] = score[order], doc[order]
            filled[tok[first]] += n
        return cls(data, indices, indptr, vocab)

    def scores(self, token_ids: list[int], n_docs: int) -> np.ndarray:
        """BM25 score of every document for the query's tokens (a repeated token counts again, as in bm25s)."""
        out = np.zeros(n_docs, dtype=np.float32)
        for t in token_ids:
            a, b = self.indptr[t], self.indptr[t + 1]
            out[self.indices[a:b]] += self.data[a:b]
        return out

    def write(self, path: Path) -> None:
        np.savez(path, data=self.data, indices=self.indices, indptr=self.indptr,
                 vocab=np.array(list(self.vocab), dtype=str))

    @classmethod
    def read(cls, path: Path) -> _Matrix:
        with np.load(path, allow_pickle=False) as z:
            return cls(z["data"], z["indices"], z["indptr"], {t: i for i, t in enumerate(z["vocab"].tolist())})


def _text_key(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


@dataclass
class _SavedTokens:
    """Every indexed text's tokens, keyed by a hash of the text: the next ingest tokenises only new texts."""

    keys: np.ndarray  # (n,) text hashes
    offsets: np.ndarray  # (n + 1,) into flat
    flat: np.ndarray  # token ids, all texts end to end
    vocab: list[str]
    _rows: dict[str, int] | None = None

    def write(self, path: Path) -> None:
        np.savez(path, keys=self.keys, offsets=self.offsets, flat=self.flat, vocab=np.array(self.vocab, dtype=str))

    @classmethod
    def read(cls, path: Path) -> _SavedTokens | None:
        try:
            with np.load(path, allow_pickle=False) as z:
                return cls(z["keys"], z["offsets"], z["flat"], z["vocab"].tolist())
        except (OSError, ValueError, KeyError):  # none saved yet, or an older layout: tokenise again
            return None

    def get(self, key: str) -> list[str] | None:
        if self._rows is None:
            self._rows = {k: i for i, k in enumerate(self.keys.tolist())}
        row = self._rows.get(key)
        if row is None:
            return None
        return [self.vocab[t] for t in self.flat[self.offsets[row] : self.offsets[row + 1]].tolist()]


def keyword_folder(settings: Settings) -> Path:
    """Where the BM25 side index lives: in the store folder, or a cache folder per Chroma server."""
    return side_folder(settings) / "bm25"


def load_keyword(settings: Settings, index: Index) -> Keyword:
    """The BM25 index for this Chroma index, rebuilt from the stored chunks if stale or missing."""
    folder = keyword_folder(settings)
    kw = Keyword.load(folder, index.version)
    if kw is None:
        log.info("building the keyword index from %d stored chunks", index.count())
        kw = Keyword.build((cid, context_of(text, meta)) for cid, text, meta in index.iter_all())
        if index.version:
            kw.save(folder, index.version)
    return kw
