"""A latency-simulating OpenAI-compatible chat-completions server on 127.0.0.1.

It stands in for a model endpoint whose every answer takes a known time: a fixed latency,
or a latency drawn uniformly from `latency +- jitter` (seeded, so runs repeat). Each POST to
`/v1/chat/completions` is answered after that delay with a tool call of the `ArticleAnswer`
tool; the arguments are chosen by finding which known article the request's last message
contains (see `--answers`), or an empty answer when none matches.

It is a single-threaded asyncio server speaking HTTP/1.1 with keep-alive, so thousands of
requests can wait at once without a thread each: the delay is an `asyncio.sleep`, and the
only CPU spent per request is reading and decoding the body and writing the reply. Run it in
its own process (`bench/throughput.py` does) so that it does not share an interpreter lock
with the client being measured.

`GET /stats` returns what it served since the last `GET /stats?reset=1`: requests, the sum
and maximum of the delays it applied, the most requests in flight at once, how late replies
were past their intended delay (the server's own lag), and the server's CPU seconds.

    python -m bench.latency_server --latency 0.2 --jitter 0.1 --answers answers.json
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LatencyServer", "completion_body", "main"]

_EMPTY_ANSWER = json.dumps(
    {"published": None, "assessments": [], "national": None, "metrics": [], "quotes": []}
)
_REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found"}


def completion_body(arguments: str, *, model: str = "bench-model") -> dict[str, Any]:
    """A chat completion whose only choice calls the `ArticleAnswer` tool with `arguments`.

    Shared by the server and `bench/overhead.py`; standard library only, so this server
    process imports nothing of the project.
    """
    return {
        "id": "chatcmpl-bench",
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
                            "id": "call_latency",
                            "type": "function",
                            "function": {"name": "ArticleAnswer", "arguments": arguments},
                        }
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 1500, "completion_tokens": 400, "total_tokens": 1900},
    }


@dataclass
class _Stats:
    requests: int = 0
    delay_sum: float = 0.0
    delay_max: float = 0.0
    in_flight: int = 0
    max_in_flight: int = 0
    lag_sum: float = 0.0
    lag_max: float = 0.0
    cpu_start: float = field(default_factory=time.process_time)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "delay_sum": round(self.delay_sum, 6),
            "delay_max": round(self.delay_max, 6),
            "max_in_flight": self.max_in_flight,
            "lag_mean_ms": round(1000 * self.lag_sum / self.requests, 3) if self.requests else 0,
            "lag_max_ms": round(1000 * self.lag_max, 3),
            "cpu_seconds": round(time.process_time() - self.cpu_start, 4),
        }


class LatencyServer:
    """Answer chat completions after a simulated model latency."""

    def __init__(
        self,
        *,
        latency: float,
        jitter: float = 0.0,
        seed: int = 1,
        answers: list[tuple[str, str]] | None = None,
    ) -> None:
        if jitter > latency:
            raise ValueError("jitter must not exceed latency (delays would be negative)")
        self.latency = latency
        self.jitter = jitter
        self.answers = answers or []
        self._random = random.Random(seed)
        self.stats = _Stats()

    def delay(self) -> float:
        """The next simulated latency in seconds."""
        if not self.jitter:
            return self.latency
        return self._random.uniform(self.latency - self.jitter, self.latency + self.jitter)

    def arguments_for(self, body: dict[str, Any]) -> str:
        """The tool-call arguments for a request: the answer of the article it carries."""
        messages = body.get("messages") or []
        content = messages[-1].get("content") if messages else None
        if isinstance(content, str):
            for article, arguments in self.answers:
                if article in content:
                    return arguments
        return _EMPTY_ANSWER

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Serve one keep-alive connection until the client closes it."""
        try:
            while True:
                request_line = await reader.readline()
                if not request_line:
                    return
                method, target, _ = request_line.decode("latin-1").split(" ", 2)
                headers: dict[str, str] = {}
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b"\n", b""):
                        break
                    name, _, value = line.decode("latin-1").partition(":")
                    headers[name.strip().lower()] = value.strip()
                length = int(headers.get("content-length") or 0)
                raw = await reader.readexactly(length) if length else b""
                status, payload = await self._respond(method, target, raw)
                writer.write(
                    f"HTTP/1.1 {status} {_REASONS.get(status, 'OK')}\r\n"
                    "content-type: application/json\r\n"
                    f"content-length: {len(payload)}\r\n"
                    "\r\n".encode("latin-1")
                    + payload
                )
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    return
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _respond(self, method: str, target: str, raw: bytes) -> tuple[int, bytes]:
        path = target.split("?", 1)[0].rstrip("/")
        if method == "GET" and path == "/stats":
            snapshot = self.stats.as_dict()
            if "reset=1" in target:
                self.stats = _Stats()
            return 200, json.dumps(snapshot).encode()
        if method == "GET" and path.endswith("/models"):
            body = {"object": "list", "data": [{"id": "bench-model", "object": "model"}]}
            return 200, json.dumps(body).encode()
        if method != "POST" or not path.endswith("/chat/completions"):
            return 404, b'{"error": {"message": "not found", "type": "invalid_request_error"}}'
        received = time.perf_counter()
        body = json.loads(raw or b"{}")
        delay = self.delay()
        stats = self.stats
        stats.requests += 1
        stats.delay_sum += delay
        stats.delay_max = max(stats.delay_max, delay)
        stats.in_flight += 1
        stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            arguments = self.arguments_for(body)
            payload = json.dumps(completion_body(arguments, model=str(body.get("model")))).encode()
            await asyncio.sleep(max(0.0, delay - (time.perf_counter() - received)))
            lag = time.perf_counter() - received - delay
            stats.lag_sum += max(0.0, lag)
            stats.lag_max = max(stats.lag_max, lag)
        finally:
            stats.in_flight -= 1
        return 200, payload


async def _serve(server: LatencyServer, port: int) -> None:
    listener = await asyncio.start_server(server.handle, "127.0.0.1", port, backlog=1024)
    bound = listener.sockets[0].getsockname()[1]
    print(f"listening http://127.0.0.1:{bound}/v1", flush=True)
    async with listener:
        await listener.serve_forever()


def _load_answers(path: Path | None) -> list[tuple[str, str]]:
    if path is None:
        return []
    items = json.loads(path.read_text(encoding="utf-8"))
    return [(str(item["article"]), str(item["arguments"])) for item in items]


def main(argv: list[str] | None = None) -> None:
    """Run the server until interrupted; print its base URL on the first line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per answer")
    parser.add_argument("--jitter", type=float, default=0.0, help="+- seconds, uniform")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--answers",
        type=Path,
        help='JSON list of {"article": text, "arguments": tool-call JSON string}',
    )
    args = parser.parse_args(argv)
    server = LatencyServer(
        latency=args.latency,
        jitter=args.jitter,
        seed=args.seed,
        answers=_load_answers(args.answers),
    )
    try:
        asyncio.run(_serve(server, args.port))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
