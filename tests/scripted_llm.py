"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (JSON and SSE streaming),
and Ollama's /api/chat (NDJSON streaming), and plays scripted replies: the stand-in for a remote model, which
cannot exist in the test machine."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = Callable[[list[dict[str, Any]]], str]
_PASSAGE = re.compile(r"^\[(\d+)\] ", re.M)


def passages(messages: list[dict[str, Any]]) -> dict[int, str]:
    """The numbered passages of the prompt (the last user message), by number."""
    user = [m["content"] for m in messages if m["role"] == "user"][-1]
    starts = list(_PASSAGE.finditer(user))
    return {int(m.group(1)): user[m.end() : (starts[i + 1].start() if i + 1 < len(starts) else len(user))]
            for i, m in enumerate(starts)}


def number_of(messages: list[dict[str, Any]], text: str) -> int:
    """The number of the first shown passage containing text (the test fails loudly if none does)."""
    found = [n for n, body in passages(messages).items() if text in body]
    assert found, f"no shown passage holds {text!r}: {passages(messages)}"
    return found[0]


def is_rewrite(messages: list[dict[str, Any]]) -> bool:
    """Whether the request asks to rewrite a follow-up question (the history-aware step), not to answer."""
    return "改写" in messages[0]["content"] or "rewrite" in messages[0]["content"].lower()


def is_judge(messages: list[dict[str, Any]]) -> bool:
    """Whether the request asks whether the passages answer the question (a yes/no), not for the answer."""
    return "只回答“是”或“否”" in messages[-1]["content"] or "yes or no only" in messages[-1]["content"]


class ScriptedLLM:
    """Serves /v1/chat/completions; set reply, hang, status and key before each request."""

    def __init__(self) -> None:
        self.reply: Reply = lambda messages: ""
        self.hang = 0.0  # seconds to wait before the response starts
        self.status = 200
        self.key: str | None = None  # the bearer key every request must carry
        self.chunk, self.delay = 2, 0.03  # characters per streamed event, seconds between events
        self.requests: list[dict[str, Any]] = []
        # Log-probabilities of the first token's candidates, sent when a request asks for logprobs (None: never).
        self.top_logprobs: dict[str, float] | None = None
        self._release = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> ScriptedLLM:
        self._release.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), _handler(self))
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Close the port (connections are then refused) and end any hanging response."""
        self._release.set()
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def reset(self) -> None:
        self.reply, self.hang, self.status, self.top_logprobs = (lambda messages: ""), 0.0, 200, None
        self.requests.clear()
        self._release.set()
        self._release = threading.Event()


def _handler(llm: ScriptedLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            auth = self.headers.get("Authorization", "")
            llm.requests.append({"path": self.path, "body": body, "authorization": auth})
            try:
                if self.path.rstrip("/") == "/api/chat":
                    return self._ollama(body, llm.reply(body["messages"]))
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})
                if llm.hang:
                    llm._release.wait(llm.hang)
                    return
                given = auth.removeprefix("Bearer ")
                if llm.status == 401 or (llm.key and given != llm.key):
                    return self._json(401, {"error": {"message": f"Incorrect API key provided: {given}.",
                                                      "type": "invalid_request_error", "code": "invalid_api_key"}})
                if llm.status != 200:
                    return self._json(llm.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                text = llm.reply(body["messages"])
                if body.get("stream"):
                    self._stream(body, text)
                else:
                    choice: dict[str, Any] = {"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": "stop"}
                    if body.get("logprobs") and llm.top_logprobs:
                        top = [{"token": t, "logprob": lp, "bytes": None} for t, lp in llm.top_logprobs.items()]
                        choice["logprobs"] = {"content": [{**max(top, key=lambda x: x["logprob"]),
                                                           "top_logprobs": top}]}
                    self._json(200, {
                        "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model", ""),
                        "choices": [choice],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    })
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test)

        def _ollama(self, body: dict[str, Any], text: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Connection", "close")
            self.end_headers()
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            pieces = [text[i : i + llm.chunk] for i in range(0, len(text), llm.chunk)] if body.get("stream", True) \
                else [text]
            for piece in pieces:
                line = {"model": body.get("model", ""), "created_at": stamp,
                        "message": {"role": "assistant", "content": piece}, "done": False}
                self.wfile.write((json.dumps(line, ensure_ascii=False) + "\n").encode())
                self.wfile.flush()
                time.sleep(llm.delay)
            end = {"model": body.get("model", ""), "created_at": stamp, "message": {"role": "assistant", "content": ""},
                   "done": True, "done_reason": "stop", "total_duration": 1, "eval_count": len(pieces)}
            self.wfile.write((json.dumps(end) + "\n").encode())
            self.wfile.flush()
            self.close_connection = True

        def _stream(self, body: dict[str, Any], text: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.end_headers()

            def event(delta: dict[str, Any], finish: str | None = None) -> None:
                chunk = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                         "model": body.get("model", ""),
                         "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
                self.wfile.flush()

            event({"role": "assistant", "content": ""})
            for i in range(0, len(text), llm.chunk):
                event({"content": text[i : i + llm.chunk]})
                time.sleep(llm.delay)
            event({}, "stop")
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            self.close_connection = True

    return Handler
