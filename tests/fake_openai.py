"""A scriptable OpenAI-compatible chat-completions server on 127.0.0.1, for tests.

Each request is answered by a `Reply` chosen by the test's `script(number, body)`: a normal
tool-call answer, an HTTP error with headers (429 + Retry-After, 500, ...), a delay longer
than the client's timeout, a dropped connection, or a body cut short. It never calls a model:
it exists to exercise the transport and validation paths with real HTTP.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

__all__ = ["FakeOpenAI", "Reply", "answer_reply", "text_completion", "tool_call_completion"]

Behaviour = Literal["answer", "error", "reset", "truncate"]


def tool_call_completion(
    arguments: str,
    *,
    model: str = "fake-model",
    tool: str = "ArticleAnswer",
    usage: tuple[int, int] = (100, 20),
) -> dict[str, Any]:
    """A chat completion whose only choice calls `tool` with `arguments` (a JSON string)."""
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "call_fake",
                            "type": "function",
                            "function": {"name": tool, "arguments": arguments},
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        },
    }


def text_completion(content: str, *, model: str = "fake-model") -> dict[str, Any]:
    """A chat completion whose only choice answers in text (`content`), as in the text modes
    (md_json, json, json_schema) where the answer is no tool call."""
    completion = tool_call_completion("{}", model=model)
    choice = completion["choices"][0]
    choice["message"] = {"role": "assistant", "content": content}
    choice["finish_reason"] = "stop"
    return completion


@dataclass
class Reply:
    """How to answer one request."""

    behaviour: Behaviour = "answer"
    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


EMPTY_ANSWER = {"published": None, "assessments": [], "national": None, "metrics": [], "quotes": []}


def answer_reply(answer: dict[str, Any] | str | None = None, *, delay: float = 0.0) -> Reply:
    """A 200 reply carrying `answer` (default: nothing found) as the tool call's arguments."""
    arguments = answer if isinstance(answer, str) else json.dumps(answer or EMPTY_ANSWER)
    return Reply(body=tool_call_completion(arguments), delay=delay)


Script = Callable[[int, dict[str, Any]], Reply]


class _QuietServer(ThreadingHTTPServer):
    """A server that does not print the connections its clients reset."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Say nothing: under a fault load, resets are the point."""


class FakeOpenAI:
    """Serve `script` on 127.0.0.1 in a background thread; `base_url` is for the client.
    `quiet_resets`: do not print a traceback for each connection a client resets."""

    def __init__(self, script: Script | None = None, *, quiet_resets: bool = False) -> None:
        self.script: Script = script or (lambda number, body: answer_reply())
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        server_class = _QuietServer if quiet_resets else ThreadingHTTPServer
        self._server = server_class(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The `/v1` URL to give the OpenAI client."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _record(self, body: dict[str, Any], headers: dict[str, str]) -> int:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            return len(self.requests)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                self._send(
                    200, {"object": "list", "data": [{"id": "fake-model", "object": "model"}]}, {}
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                body = json.loads(raw or b"{}")
                number = fake._record(body, {k.lower(): v for k, v in self.headers.items()})
                reply = fake.script(number, body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.behaviour == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.connection.close()
                    self.close_connection = True
                    return
                if reply.behaviour == "truncate":
                    payload = json.dumps(reply.body or tool_call_completion("{}")).encode()
                    self.send_response(200)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload[: len(payload) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                default = {"error": {"message": "fake error", "type": "server_error"}}
                body_out = reply.body if reply.body is not None else default
                self._send(reply.status, body_out, reply.headers)

            def _send(
                self, status: int, body: dict[str, Any] | str, headers: dict[str, str]
            ) -> None:
                payload = (body if isinstance(body, str) else json.dumps(body)).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        return Handler
