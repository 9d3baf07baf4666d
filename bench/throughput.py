"""Throughput of `Extractor.aextract_many` against a model endpoint of known latency.

Starts `bench.latency_server` in its own process on 127.0.0.1, answering every request after
a fixed latency (200 ms) or a jittered one (200 ms +- 100 ms, uniform, seeded) with the
realistic answer of the sample article the request carries (`bench.answers`: five articles,
answers converted from the gold annotations, so grounding succeeds and every record is ok).
Then runs N documents (copies of the five articles under distinct ids) through
`Extractor.aextract_many` at each concurrency level, writing every record to a JSONL file as
the CLI does, and prints:

    concurrency, docs, wall s, ideal s, efficiency = ideal / wall, client CPU

where ideal = (sum of the latencies the server applied) / concurrency, which for the fixed
mode is exactly latency x docs / concurrency. Each level gets a fresh `Extractor` and a short
untimed warm-up (one request per slot) so connections and lazy imports are not timed.

Before that it checks the server alone: the same number of requests at the highest level
sent by a bare asyncio HTTP client; its efficiency shows what the server can sustain.

    python -m bench.throughput                 # both modes, levels 1 4 16 32 64
    python -m bench.throughput --profile 32    # also cProfile the client at concurrency 32
    python -m bench.throughput --latency 1 --modes fixed --levels 32,64   # a slower endpoint
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import extractor.model.client as client_module
from bench.answers import ROOT, Sample, load_samples
from bench.machine import describe, load
from bench.overhead import SINGLE_ANSWER_PROMPT
from bench.overhead_what_if import WHAT_IFS, what_if_patches
from extractor.answer.article import ArticleAnswer
from extractor.inputs.documents import Document
from extractor.outputs.records import JsonlWriter
from extractor.pipeline import Extractor
from extractor.settings import Settings

GOAL_CONCURRENCY = 32
GOAL_EFFICIENCY = 0.9


@dataclass
class Result:
    """One timed run at one concurrency level."""

    mode: str
    concurrency: int
    docs: int
    wall: float
    ideal: float
    client_cpu: float
    server: dict[str, Any]
    ok: int
    attempts: int
    dropped: int
    rounds_bound: float | None = None
    """Fixed mode: whole rounds of `concurrency` requests take ceil(docs / c) x latency."""

    @property
    def efficiency(self) -> float:
        return self.ideal / self.wall if self.wall else 0.0


@contextmanager
def latency_server(latency: float, jitter: float, answers: Path, seed: int) -> Iterator[str]:
    """Run `bench.latency_server` in a child process; yield its base URL."""
    command = [
        sys.executable,
        "-m",
        "bench.latency_server",
        "--latency",
        str(latency),
        "--jitter",
        str(jitter),
        "--seed",
        str(seed),
        "--answers",
        str(answers),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("listening "):
            raise RuntimeError(f"latency server did not start: {line!r}")
        yield line.split(" ", 1)[1]
    finally:
        process.terminate()
        process.wait(timeout=10)


def server_stats(base_url: str, *, reset: bool = False) -> dict[str, Any]:
    """The server's counters (and reset them)."""
    root = base_url.removesuffix("/v1")
    with urllib.request.urlopen(f"{root}/stats{'?reset=1' if reset else ''}") as response:
        data: dict[str, Any] = json.loads(response.read())
        return data


def documents(samples: list[Sample], count: int) -> list[Document]:
    """`count` documents cycling through the sample articles, each with its own id."""
    return [
        Document(
            doc_id=f"{samples[n % len(samples)].doc_id}-{n:04d}",
            source=f"eval/articles/{samples[n % len(samples)].doc_id}.txt",
            text=samples[n % len(samples)].text,
        )
        for n in range(count)
    ]


def bench_settings(base_url: str, concurrency: int) -> Settings:
    return Settings(
        api_key="bench-key",
        base_url=base_url,
        model="bench-model",
        concurrency=concurrency,
        timeout=60.0,
        prompt=SINGLE_ANSWER_PROMPT,
    )


async def _drain(extractor: Extractor, docs: list[Document], writer: JsonlWriter) -> list[Any]:
    records = []
    async for record in extractor.aextract_many(docs):
        writer.write(record)
        records.append(record)
    return records


async def run_level(
    base_url: str, mode: str, concurrency: int, docs: list[Document], out: Path
) -> Result:
    """Time `docs` through a fresh extractor at `concurrency` (after an untimed warm-up)."""
    extractor = Extractor(bench_settings(base_url, concurrency))
    try:
        with JsonlWriter(out) as writer:
            await _drain(extractor, docs[:concurrency], writer)  # warm-up: connections, imports
        server_stats(base_url, reset=True)
        with JsonlWriter(out) as writer:
            cpu = time.process_time()
            started = time.perf_counter()
            records = await _drain(extractor, docs, writer)
            wall = time.perf_counter() - started
            cpu = time.process_time() - cpu
    finally:
        await extractor.aclose()
    served = server_stats(base_url, reset=True)
    return Result(
        mode=mode,
        concurrency=concurrency,
        docs=len(docs),
        wall=wall,
        ideal=served["delay_sum"] / concurrency,
        client_cpu=cpu,
        server=served,
        ok=sum(r.status == "ok" for r in records),
        attempts=sum(r.usage.attempts for r in records),
        dropped=sum(r.dropped_facts for r in records),
    )


async def raw_load(base_url: str, body: bytes, requests: int, concurrency: int) -> float:
    """Send `requests` POSTs over `concurrency` keep-alive connections with a bare client."""
    root = base_url.removeprefix("http://").split("/", 1)[0]
    host, port = root.split(":")
    head = (
        "POST /v1/chat/completions HTTP/1.1\r\n"
        f"host: {root}\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode()
    queue = list(range(requests))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        try:
            while queue:
                queue.pop()
                writer.write(head + body)
                await writer.drain()
                length = 0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


def check_server(base_url: str, samples: list[Sample], requests: int, concurrency: int) -> str:
    """How close to ideal the server alone gets at `concurrency` (bare client, no product)."""
    extractor = Extractor(bench_settings(base_url, concurrency))
    messages = extractor.prompt.messages(samples[3].text)  # the longest article
    body = json.dumps({"model": "bench-model", "messages": messages}).encode()
    server_stats(base_url, reset=True)
    wall = asyncio.run(raw_load(base_url, body, requests, concurrency))
    served = server_stats(base_url, reset=True)
    ideal = served["delay_sum"] / concurrency
    return (
        f"server alone: {requests} requests at concurrency {concurrency} "
        f"(bare asyncio client, {len(body):,}-byte bodies): wall {wall:.3f} s, "
        f"ideal {ideal:.3f} s, efficiency {ideal / wall:.3f}; max in flight "
        f"{served['max_in_flight']}, reply lag mean {served['lag_mean_ms']:.2f} ms / max "
        f"{served['lag_max_ms']:.2f} ms, server CPU {served['cpu_seconds']:.2f} s"
    )


def print_table(results: list[Result]) -> None:
    header = (
        f"{'mode':<7} {'conc':>4} {'docs':>5} {'wall s':>8} {'ideal s':>8} {'eff':>6} "
        f"{'client CPU s':>12} {'CPU ms/doc':>10} {'srv CPU s':>9} {'in flight':>9} "
        f"{'ok':>4} {'calls':>5} {'max eff':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r.mode:<7} {r.concurrency:>4} {r.docs:>5} {r.wall:>8.3f} {r.ideal:>8.3f} "
            f"{r.efficiency:>6.3f} {r.client_cpu:>12.2f} {1000 * r.client_cpu / r.docs:>10.2f} "
            f"{r.server['cpu_seconds']:>9.2f} {r.server['max_in_flight']:>9} {r.ok:>4} "
            f"{r.attempts:>5} "
            + (f"{r.ideal / r.rounds_bound:>7.3f}" if r.rounds_bound else f"{'-':>7}")
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument(
        "--c1-docs", type=int, default=50, help="documents at concurrency 1 (keeps it short)"
    )
    parser.add_argument("--levels", default="1,4,16,32,64")
    parser.add_argument("--modes", default="fixed,jitter")
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--jitter", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, metavar="CONCURRENCY", help="cProfile one level")
    parser.add_argument(
        "--per-call-wrapping",
        action="store_true",
        help="undo the client's one-time wrapping of ArticleAnswer (the cost before the fix)",
    )
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="imitate all optimisations proposed by bench.overhead (monkeypatching) for the run",
    )
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        if args.what_if:
            for name in WHAT_IFS:
                for patch in what_if_patches(name):
                    stack.enter_context(patch)
            print(f"imitating proposed optimisations: {', '.join(WHAT_IFS)}")
        run(args)


def run(args: argparse.Namespace) -> None:
    """Run every mode and level; print the progress, the table and the verdict."""
    if args.per_call_wrapping:
        client_module._RESPONSE_MODEL = ArticleAnswer
    levels = [int(x) for x in args.levels.split(",")]
    samples = load_samples()
    print(f"{describe()}; server in a separate process; asyncio default event loop")
    print(
        f"documents: {args.docs} per level ({args.c1_docs} at concurrency 1, to keep it short), "
        f"copies of the {len(samples)} sample articles with gold-derived answers"
    )
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        answers = Path(tmp) / "answers.json"
        answers.write_text(
            json.dumps([{"article": s.text, "arguments": s.arguments} for s in samples])
        )
        for mode in args.modes.split(","):
            jitter = args.jitter if mode == "jitter" else 0.0
            with latency_server(args.latency, jitter, answers, args.seed) as base_url:
                label = f"{args.latency * 1000:.0f} ms" + (
                    f" +- {jitter * 1000:.0f} ms" if jitter else " fixed"
                )
                print(f"\n[{mode}] latency {label}; {base_url}")
                print(check_server(base_url, samples, args.docs, max(levels)))
                for level in levels:
                    count = args.c1_docs if level == 1 else args.docs
                    out = Path(tmp) / f"{mode}-{level}.jsonl"
                    result = asyncio.run(
                        run_level(base_url, mode, level, documents(samples, count), out)
                    )
                    if not jitter:
                        result.rounds_bound = -(-count // level) * args.latency
                    results.append(result)
                    print(
                        f"  concurrency {level:>3}: {count} docs in {result.wall:.3f} s, "
                        f"efficiency {result.efficiency:.3f}",
                        flush=True,
                    )
                if args.profile:
                    profile_level(base_url, args.profile, documents(samples, args.docs), tmp)
    print(f"\nload average at the end: {load()}")
    print_table(results)
    print(
        "\nideal = sum of server latencies / concurrency; eff = ideal / wall; client CPU = "
        "process CPU time of the benchmark (client) process during the timed run; calls = "
        "model calls made (1 per doc = no re-asks); max eff (fixed mode) = ideal / "
        "(ceil(docs / concurrency) x latency), the best possible when the last round is partial"
    )
    for r in results:
        if r.ok < r.docs or r.dropped:
            print(
                f"WARNING {r.mode} at {r.concurrency}: {r.docs - r.ok} records not ok, "
                f"{r.dropped} facts dropped (the answers should ground fully)"
            )
    for r in results:
        if r.concurrency == GOAL_CONCURRENCY:
            verdict = "met" if r.efficiency >= GOAL_EFFICIENCY else "MISSED"
            print(
                f"goal (efficiency >= {GOAL_EFFICIENCY} at concurrency {GOAL_CONCURRENCY}), "
                f"{r.mode}: {r.efficiency:.3f} -> {verdict}"
            )


def profile_level(base_url: str, concurrency: int, docs: list[Document], tmp: str) -> None:
    """cProfile the client process for one level; print the top functions by own time."""
    profiler = cProfile.Profile()
    out = Path(tmp) / f"profile-{concurrency}.jsonl"
    profiler.enable()
    result = asyncio.run(run_level(base_url, "profile", concurrency, docs, out))
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(25)
    print(
        f"\ncProfile of the client at concurrency {concurrency} "
        f"(wall {result.wall:.3f} s under the profiler, CPU {result.client_cpu:.2f} s):"
    )
    print(buffer.getvalue())


if __name__ == "__main__":
    main()
