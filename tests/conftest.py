"""Shared fixtures: all state goes to temp dirs; the seed index is built once per session."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.load import free_port, start_chat, stop_chat  # noqa: F401 - free_port: for the tests
from rag.config import load_settings
from rag.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
QUESTIONS = ROOT / "tests" / "questions.jsonl"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One model cache per session (building the converted model is paid once)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolate(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cache_dir: Path) -> None:
    """Send every setting that names a place to a temp dir, and clear ones that change behaviour."""
    for var in ("RAG_CHROMA_URL", "RAG_EMBEDDING_MODEL", "RAG_QUERY_ENGINE", "RAG_INGEST_ENGINE",
                "RAG_ABSTAIN_THRESHOLD", "RAG_SCORING", "RAG_K", "RAG_MODE", "RAG_AUTH", "RAG_CORPUS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("RAG_STORE", str(tmp_path / "vectorstore"))
    monkeypatch.setenv("RAG_CACHE_DIR", str(cache_dir))


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory: pytest.TempPathFactory, cache_dir: Path) -> Path:
    """An index of seeds/ built once per session. Read it, or copy it (copy_store) before changing it."""
    store = tmp_path_factory.mktemp("seeded") / "vectorstore"
    Pipeline(load_settings(store=store, corpus=[SEEDS], cache_dir=cache_dir)).ingest()
    return store


@pytest.fixture
def copy_store(seeded_store: Path, tmp_path: Path) -> Path:
    """A private copy of the seed index that a test may change."""
    dst = tmp_path / "store-copy"
    shutil.copytree(seeded_store, dst)
    return dst


@pytest.fixture(scope="session")
def pipeline(seeded_store: Path, cache_dir: Path) -> Pipeline:
    """A warm pipeline over the seed index, shared by the whole session (read-only use)."""
    return Pipeline(load_settings(store=seeded_store, cache_dir=cache_dir)).warm()


@pytest.fixture(scope="session")
def questions() -> list[dict]:
    """The shipped evaluation questions."""
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@contextmanager
def running_chat(args: Sequence[str], env: Mapping[str, str], log_path: Path, wait: float = 180) -> Iterator[str]:
    """`rag chat ARGS --port P` in a subprocess, its output in log_path: yields its URL once the page answers 200,
    fails the test with the log if it exits or does not answer within `wait` seconds; stops it afterwards."""
    with log_path.open("w") as log:
        try:
            proc, url = start_chat(args, env, log, wait)
        except RuntimeError as e:
            pytest.fail(f"{e}:\n{log_path.read_text()}")
        try:
            yield url
        finally:
            stop_chat(proc)
