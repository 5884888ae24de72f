"""Chat back ends: the user's own model through LangChain (an OpenAI-compatible server, Ollama, or a local GGUF)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import Settings
from .errors import LLMUnavailableError

log = logging.getLogger(__name__)
OPENAI_DEFAULT_URL = "https://api.openai.com/v1"
OLLAMA_DEFAULT_URL = "http://127.0.0.1:11434"
_FALLBACK_HINT = "or answer without a model: --llm extractive (RAG_LLM=extractive)"


@dataclass(frozen=True)
class LLMSpec:
    """What RAG_LLM names: a kind of back end and its model (a name, or a file for gguf)."""

    kind: str  # "openai" | "ollama" | "gguf"
    target: str

    @classmethod
    def parse(cls, value: str) -> LLMSpec | None:
        """None for "extractive"; the format itself is checked by Settings."""
        kind, _, target = value.partition(":")
        return None if value == "extractive" else cls(kind, target.strip())

    @property
    def label(self) -> str:
        """The name shown as the answer's back end (a gguf file by its name, not its folder)."""
        return f"gguf:{Path(self.target).name}" if self.kind == "gguf" else f"{self.kind}:{self.target}"


class ChatBackend:
    """A LangChain chat model, where it lives (named in every error), and one retry on a failed request."""

    def __init__(self, label: str, where: str, model: Any, timeout: float, secret: str | None = None,
                 logprobs: bool = False) -> None:
        self.label, self.where, self.model, self.timeout = label, where, model, timeout
        self._secret = secret
        self.logprobs = logprobs  # the server can report token probabilities (the OpenAI protocol)

    def stream(self, messages: Sequence[Any]) -> Iterator[str]:
        """The reply, piece by piece; a request that fails before its first piece is tried once more."""
        for attempt in (1, 2):
            started = False
            try:
                for chunk in self.model.stream(list(messages)):
                    text = chunk.content if isinstance(chunk.content, str) else ""
                    if text:
                        started = True
                        yield text
                return
            except Exception as e:  # noqa: BLE001 - every client error becomes one message naming the server
                if started or attempt == 2 or not _retryable(e):
                    raise self._error(e, attempt) from None
                log.info("the model at %s failed (%s); trying once more", self.where, type(e).__name__)

    def invoke(self, messages: Sequence[Any]) -> str:
        """The whole reply."""
        return "".join(self.stream(messages))

    def first_token(self, messages: Sequence[Any]) -> tuple[str, dict[str, float]]:
        """The reply's first token and, when the server reports them, the log-probabilities of the likeliest
        first tokens (else an empty dict)."""
        if not self.logprobs:
            return self.invoke(messages), {}
        model = self.model.bind(logprobs=True, top_logprobs=10, max_tokens=1)
        for attempt in (1, 2):
            try:
                said = model.invoke(list(messages))
                break
            except Exception as e:  # noqa: BLE001 - as in stream
                if attempt == 2 or not _retryable(e):
                    raise self._error(e, attempt) from None
        content = (said.response_metadata.get("logprobs") or {}).get("content") or [{}]
        top = {t["token"]: t["logprob"] for t in content[0].get("top_logprobs") or []}
        return (said.content if isinstance(said.content, str) else ""), top

    def _error(self, e: Exception, attempts: int) -> LLMUnavailableError:
        tried = " (tried twice)" if attempts == 2 else ""
        kind = _kind(e)
        if kind == "timeout":
            msg = (f"The model at {self.where} did not answer within {self.timeout:g} s{tried}. Check that it is "
                   f"running and not overloaded, or raise RAG_LLM_TIMEOUT, {_FALLBACK_HINT}.")
        elif kind == "connect":
            msg = (f"Cannot reach the model at {self.where}{tried}: connection failed. Start the server or fix "
                   f"RAG_LLM_BASE_URL, {_FALLBACK_HINT}.")
        else:
            status = getattr(e, "status_code", None) or getattr(getattr(e, "response", None), "status_code", None)
            body = getattr(e, "body", None)
            detail = body.get("message") if isinstance(body, dict) and body.get("message") else str(e)
            detail = _short(str(detail)).rstrip(".")
            hint = {401: "check RAG_LLM_API_KEY", 403: "check RAG_LLM_API_KEY",
                    404: "check the model name in RAG_LLM and the /v1 in RAG_LLM_BASE_URL"}.get(status, "see its log")
            msg = (f"The model at {self.where} refused the request"
                   f"{f' (HTTP {status})' if status else ''}: {detail}. {hint[0].upper()}{hint[1:]}, {_FALLBACK_HINT}.")
        if self._secret:
            msg = msg.replace(self._secret, "***")  # a server may echo the key it was given
        return LLMUnavailableError(msg)


def _kind(e: BaseException) -> str:
    """'timeout', 'connect' or 'other', by exception class name (openai, httpx and ollama all follow it)."""
    names = {c.__name__ for c in type(e).__mro__}
    if names & {"APITimeoutError", "TimeoutException", "ReadTimeout", "TimeoutError"}:
        return "timeout"
    if names & {"APIConnectionError", "ConnectError", "TransportError", "ConnectionError", "RemoteProtocolError"}:
        return "connect"
    return "other"


def _retryable(e: BaseException) -> bool:
    status = getattr(e, "status_code", None)
    return _kind(e) != "other" or (isinstance(status, int) and (status >= 500 or status in (408, 429)))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


_servers: dict[tuple[str, int, int], Any] = {}
_servers_lock = threading.Lock()


def local_server(path: Path, threads: int, context: int) -> str:
    """Base URL of llama.cpp serving the GGUF file on 127.0.0.1, started once per process (xllamacpp)."""
    path = path.expanduser()
    if not path.is_file():
        raise LLMUnavailableError(
            f"No model file at {path}. Give the path of a .gguf file (RAG_LLM=gguf:PATH), or fetch the small "
            f"test model with `rag fetch-model`, {_FALLBACK_HINT}."
        )
    key = (str(path.resolve()), threads, context)
    with _servers_lock:
        if key not in _servers:
            try:
                import xllamacpp
            except ImportError:
                raise LLMUnavailableError(
                    f"Running {path.name} needs llama.cpp: pip install -e '.[local]' (the xllamacpp package), "
                    f"{_FALLBACK_HINT}."
                ) from None
            p = xllamacpp.CommonParams()
            p.model.path = str(path)
            p.n_ctx = context
            p.n_parallel = 1  # one answer at a time: the app asks one question at a time anyway
            p.cpuparams.n_threads = threads
            p.cpuparams_batch.n_threads = threads
            p.port = 0  # any free port, on 127.0.0.1 (xllamacpp's default host)
            p.warmup = False
            p.verbosity = -1  # llama.cpp's own log would bury the answer on stderr
            try:
                _servers[key] = xllamacpp.Server(p)
            except RuntimeError as e:
                raise LLMUnavailableError(
                    f"llama.cpp could not load {path} ({e}). Is it a complete GGUF model file? "
                    f"Fetch it again (`rag fetch-model`), {_FALLBACK_HINT}."
                ) from None
        return str(_servers[key].listening_address).rstrip("/")


def load_backend(settings: Settings) -> ChatBackend | None:
    """The configured chat model (None for extractive); LangChain is imported only here."""
    spec = LLMSpec.parse(settings.llm)
    if spec is None:
        return None
    secret = settings.llm_api_key.get_secret_value() if settings.llm_api_key else None
    common = {"temperature": 0.0}
    if spec.kind == "ollama":
        from langchain_ollama import ChatOllama

        url = settings.llm_base_url or OLLAMA_DEFAULT_URL
        model = ChatOllama(model=spec.target, base_url=url, num_predict=settings.llm_max_tokens,
                           client_kwargs={"timeout": settings.llm_timeout}, **common)
        return ChatBackend(spec.label, url, model, settings.llm_timeout)
    from langchain_openai import ChatOpenAI
    from pydantic import SecretStr

    if spec.kind == "gguf":
        path = Path(spec.target)
        url = f"{local_server(path, settings.llm_threads, settings.llm_context)}/v1"
        where, name, key = f"{url} (llama.cpp serving {path})", path.name, SecretStr("local")
    else:
        url = settings.llm_base_url or OPENAI_DEFAULT_URL
        where, name, key = url, spec.target, settings.llm_api_key or SecretStr("not-needed")
    # Retries are ChatBackend's (one, and only before the first token), not the client's.
    model = ChatOpenAI(model=name, base_url=url, api_key=key, timeout=settings.llm_timeout, max_retries=0,
                       max_tokens=settings.llm_max_tokens, **common)
    return ChatBackend(spec.label, where, model, settings.llm_timeout, secret, logprobs=True)
