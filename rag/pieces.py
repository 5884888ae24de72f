"""The encoder's tokenizer: whole, or for a process that embeds one question, a Unigram model of only the pieces
its texts can use, read from an SQLite copy of the vocabulary (building the model of every piece was the largest
part of a cold start, and holds the interpreter while it runs, so nothing else loads meanwhile)."""

from __future__ import annotations

import copy
import json
import logging
import os
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)

TOKENIZER = "tokenizer.json"
PIECES = "tokenizer-pieces.sqlite"
_DAMAGED = (sqlite3.Error, ValueError, KeyError, TypeError, OSError)  # what reading a damaged or stale copy raises


class Encoding(Protocol):
    """What an encoded text gives: its token ids, and each token's (start, end) in the text."""

    @property
    def ids(self) -> list[int]: ...

    @property
    def offsets(self) -> list[tuple[int, int]]: ...


class TextTokenizer(Protocol):
    """What the engine asks of a tokenizer."""

    def encode_batch(self, texts: list[str]) -> Sequence[Encoding]: ...


@dataclass(frozen=True)
class Encoded:
    """A text's token ids in the whole vocabulary, and each token's (start, end) in the text."""

    ids: list[int]
    offsets: list[tuple[int, int]]


def load_tokenizer(model_dir: Path, max_length: int, whole: bool = True) -> TextTokenizer:
    """The model's tokenizer, truncating at max_length tokens; whole=False reads pieces from the copy as texts need
    them, when there is a copy (a damaged one is passed over)."""
    if not whole and (model_dir / PIECES).is_file():
        try:
            return PieceTokenizer(model_dir / PIECES, max_length)
        except _DAMAGED as e:
            log.warning("the copy of the tokenizer's pieces in %s cannot be read (%s): loading the whole tokenizer; "
                        "the next `rag ingest` writes it again", model_dir, e)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / TOKENIZER))
    tok.enable_truncation(max_length)
    return tok


def save_pieces(model_dir: Path) -> bool:
    """Write the copy of a Unigram tokenizer's pieces beside it, once (again if it cannot be read, or the tokenizer
    file changed since); False (nothing written) for another kind of tokenizer, or one listing a piece twice."""
    path = model_dir / PIECES
    if path.exists():
        try:
            PieceTokenizer(path, 1)
            return True
        except _DAMAGED:
            pass  # written again below
    made = _stamp(model_dir / TOKENIZER)  # (before its text is read: a change meanwhile shows as a stale copy)
    data = json.loads((model_dir / TOKENIZER).read_text(encoding="utf-8"))
    model = data.get("model") or {}
    vocab = model.get("vocab") or []
    if model.get("type") != "Unigram" or len({p for p, _ in vocab}) != len(vocab):
        return False
    shell = data | {"model": model | {"vocab": []}}
    # Always in the vocabulary built: the unknown piece, and the lowest-scoring one (it prices an unknown character).
    kept = [vocab[model.get("unk_id") or 0][0], min(vocab, key=lambda v: v[1])[0]]
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    with sqlite3.connect(tmp) as db:
        db.execute("CREATE TABLE pieces (p TEXT PRIMARY KEY, id INTEGER NOT NULL, score REAL NOT NULL) WITHOUT ROWID")
        db.execute("CREATE TABLE about (shell TEXT NOT NULL, longest INTEGER NOT NULL, kept TEXT NOT NULL, "
                   "made_from TEXT NOT NULL)")
        db.executemany("INSERT INTO pieces VALUES (?, ?, ?)", ((p, i, s) for i, (p, s) in enumerate(vocab)))
        db.execute("INSERT INTO about VALUES (?, ?, ?, ?)", (json.dumps(shell, ensure_ascii=False),
                                                              max(len(p) for p, _ in vocab), json.dumps(kept), made))
    db.close()
    tmp.replace(path)  # a reader sees the whole copy or none
    return True


def _stamp(path: Path) -> str:
    """The tokenizer file's size and time, which a copy of its pieces records."""
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


class PieceTokenizer:
    """Cuts texts exactly as the whole tokenizer does, with a vocabulary of the pieces found in them: Viterbi
    only weighs pieces that occur in the text, and an unknown character is priced from the lowest score of all,
    whose piece is always kept, as are the unknown piece and the special tokens. Pieces are looked for in each
    stretch between special tokens (which the whole tokenizer splits out before normalising), normalised and
    pre-tokenised as it does."""

    def __init__(self, path: Path, max_length: int) -> None:
        from tokenizers import Tokenizer

        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        shell, self._longest, kept, made = self._db.execute(
            "SELECT shell, longest, kept, made_from FROM about").fetchone()
        if made != _stamp(path.parent / TOKENIZER):
            raise ValueError("a copy of another tokenizer.json than the one beside it")
        self._shell: dict[str, Any] = json.loads(shell)
        post = self._shell.get("post_processor")
        if self._shell["model"]["type"] != "Unigram" or post and post.get("type") != "TemplateProcessing":
            raise ValueError("not a Unigram tokenizer with a template post-processor")
        self._max_length = max_length
        specials = [a["content"] for a in self._shell["added_tokens"]]
        self._kept = {*json.loads(kept), *specials}
        self._split = re.compile("|".join(map(re.escape, sorted(specials, key=len, reverse=True)))) if specials \
            else None
        reader = copy.deepcopy(self._shell)
        reader["model"] |= {"vocab": [["<unk>", 0.0]], "unk_id": 0}
        reader["added_tokens"], reader["post_processor"] = [], None
        self._reader = Tokenizer.from_str(json.dumps(reader))  # its normaliser and pre-tokeniser

    def encode_batch(self, texts: list[str]) -> list[Encoded]:
        """Each text's ids and offsets, as the whole tokenizer gives them."""
        from tokenizers import Tokenizer

        vocab = self._pieces(texts)
        ids = sorted(vocab)
        at = {i: n for n, i in enumerate(ids)}
        spec = copy.deepcopy(self._shell)
        spec["model"] |= {"vocab": [vocab[i] for i in ids], "unk_id": at[self._shell["model"]["unk_id"]]}
        for token in spec["added_tokens"]:
            token["id"] = at[token["id"]]
        for token in (spec.get("post_processor") or {}).get("special_tokens", {}).values():
            token["ids"] = [at[i] for i in token["ids"]]
        tok = Tokenizer.from_str(json.dumps(spec, ensure_ascii=False))
        tok.enable_truncation(self._max_length)
        return [Encoded([ids[i] for i in e.ids], e.offsets) for e in tok.encode_batch(texts)]

    def _pieces(self, texts: list[str]) -> dict[int, list[Any]]:
        """id → [piece, score] of every piece that occurs in the texts as cut, and of the pieces always kept."""
        words: set[str] = set()
        normalizer, pre = self._reader.normalizer, self._reader.pre_tokenizer
        for text in texts:
            for stretch in self._split.split(text) if self._split else [text]:
                stretch = normalizer.normalize_str(stretch) if normalizer else stretch
                if pre:
                    words.update(w for w, _ in pre.pre_tokenize_str(stretch))
                else:
                    words.add(stretch)
        wanted = list({w[a:b] for w in words for a in range(len(w))
                       for b in range(a + 1, min(len(w), a + self._longest) + 1)} | self._kept)
        found: dict[int, list[Any]] = {}
        for at in range(0, len(wanted), 500):  # (SQLite's limit on parameters)
            chunk = wanted[at: at + 500]
            marks = ",".join("?" * len(chunk))
            for p, i, s in self._db.execute(f"SELECT p, id, score FROM pieces WHERE p IN ({marks})", chunk):
                found[i] = [p, s]
        return found
