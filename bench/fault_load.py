"""Load with faults and interruptions: N documents through the real CLI against a faulty
server, killed with SIGKILL, then stopped with SIGTERM, then resumed to the end.

The server (the tests' fake, on 127.0.0.1) answers every request with a grounded answer,
except a seeded share of requests (default 20 %) that get one of five faults, in turn:

    500        HTTP 500
    429        HTTP 429 with Retry-After: 1
    cut-json   a 200 whose body is cut-off JSON (a chat completion's first half)
    reset      the connection dropped before any reply
    stall      the answer after 6 s, against the client's --timeout 2

Four bad inputs ride along (an empty file, a binary file, an over-long file and a FIFO).
Run 1 is SIGKILLed after `--kill-after` seconds; run 2 (`--resume`) gets SIGTERM after
`--term-after` seconds; run 3 (`--resume`) goes to the end. Then it checks the output and
prints: documents, faults of each kind, interruptions and their exit codes, records, final
ok per good document, lost, duplicated, torn lines, wall time and client CPU per document.

    python -m bench.fault_load                       # 10,000 documents (several minutes)
    python -m bench.fault_load --documents 1000      # a quick check

Not part of the test suite; `tests/test_reliability_*.py` hold the short versions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.conftest import (
    GROUNDED_ANSWER,
    cli_env,
    deepen_backlog,
    marked_article,
    marker_of,
    start_cli,
)
from tests.fake_openai import FakeOpenAI, Reply, answer_reply, tool_call_completion

FAULTS = ("500", "429", "cut-json", "reset", "stall")
BAD_INPUTS = ("empty", "binary", "overlong", "fifo")


class FaultyScript:
    """The server's script: a seeded share of requests get the next fault in turn."""

    def __init__(self, rate: float, seed: int) -> None:
        self.rate = rate
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.faults: Counter[str] = Counter()
        self.answered: Counter[str] = Counter()

    def __call__(self, number: int, body: dict[str, Any]) -> Reply:
        with self.lock:
            faulty = self.random.random() < self.rate
            kind = FAULTS[sum(self.faults.values()) % len(FAULTS)] if faulty else None
            if kind is not None:
                self.faults[kind] += 1
            else:
                self.answered[marker_of(body) or "?"] += 1
        if kind == "500":
            return Reply(behaviour="error", status=500)
        if kind == "429":
            return Reply(behaviour="error", status=429, headers={"retry-after": "1"})
        if kind == "cut-json":
            whole = json.dumps(tool_call_completion(json.dumps(GROUNDED_ANSWER)))
            return Reply(body=whole[: len(whole) // 2])
        if kind == "reset":
            return Reply(behaviour="reset")
        if kind == "stall":
            return answer_reply(GROUNDED_ANSWER, delay=6.0)
        return answer_reply(GROUNDED_ANSWER)


def _write_inputs(folder: Path, documents: int) -> list[str]:
    markers = [f"doc-{i:05d}" for i in range(documents)]
    for marker in markers:
        (folder / f"{marker}.txt").write_text(marked_article(marker), encoding="utf-8")
    (folder / "bad-empty.txt").write_text("", encoding="utf-8")
    (folder / "bad-binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (folder / "bad-overlong.txt").write_text("x" * 200_000, encoding="utf-8")
    return markers


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(
    args: list[str], env: dict[str, str], cwd: Path, stop_after: float | None, stop: int
) -> tuple[int, str]:
    """One CLI run; `stop` is sent after `stop_after` seconds (None: run to the end)."""
    process = start_cli(args, env, cwd)

    def send() -> None:
        if process.poll() is None:
            process.send_signal(stop)

    timer = threading.Timer(stop_after, send) if stop_after is not None else None
    if timer is not None:
        timer.start()
    _, stderr = process.communicate()
    if timer is not None:
        timer.cancel()
    return process.returncode, stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--fault-rate", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--kill-after", type=float, default=6.0)
    parser.add_argument("--term-after", type=float, default=6.0)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    script = FaultyScript(options.fault_rate, options.seed)
    with tempfile.TemporaryDirectory() as scratch, FakeOpenAI(script, quiet_resets=True) as server:
        deepen_backlog(server)
        root = Path(scratch)
        inputs = root / "inputs"
        inputs.mkdir()
        markers = _write_inputs(inputs, options.documents)
        fifo = root / "bad-fifo.txt"
        os.mkfifo(fifo)
        out = root / "out.jsonl"
        env = cli_env(
            server,
            EXTRACTOR_TIMEOUT="2",
            EXTRACTOR_MAX_RETRIES="8",
            EXTRACTOR_MAX_REASKS="1",
            EXTRACTOR_MAX_CHARS="40000",
        )
        base = ["extract", str(inputs), str(fifo), "--out", str(out)]
        base += ["--concurrency", str(options.concurrency), "--no-progress"]
        started, cpu_before = time.perf_counter(), _children_cpu()
        runs = [
            ("SIGKILL", *_run(base, env, root, options.kill_after, signal.SIGKILL)),
            ("SIGTERM", *_run([*base, "--resume"], env, root, options.term_after, signal.SIGTERM)),
            ("to the end", *_run([*base, "--resume"], env, root, None, 0)),
        ]
        wall, cpu = time.perf_counter() - started, _children_cpu() - cpu_before
        _report(options, script, runs, out, markers, wall, cpu)


def _report(options, script, runs, out: Path, markers: list[str], wall: float, cpu: float) -> None:  # type: ignore[no-untyped-def]
    raw = out.read_bytes()
    lines = raw.split(b"\n")
    torn = 0 if raw.endswith(b"\n") else 1
    records = [json.loads(line) for line in lines if line.strip()]
    per_doc = Counter(r["doc_id"] for r in records)
    last = {r["doc_id"]: r for r in records}
    good_ok = sum(1 for m in markers if last.get(m, {}).get("status") == "ok")
    lost = [m for m in markers if m not in last]
    duplicated = sum(n - 1 for n in per_doc.values() if n > 1)
    bad = {f"bad-{kind}": last.get(f"bad-{kind}", {}).get("status") for kind in BAD_INPUTS}
    rows = [
        ("documents", f"{len(markers):,} good + {len(BAD_INPUTS)} bad"),
        ("fault rate", f"{options.fault_rate:.0%} of requests"),
        ("faults", ", ".join(f"{k} {script.faults[k]:,}" for k in FAULTS)),
        ("requests answered", f"{sum(script.answered.values()):,}"),
        ("runs", "; ".join(f"{name}: exit {code}" for name, code, _ in runs)),
        ("records", f"{len(records):,}"),
        ("good documents ending ok", f"{good_ok:,} of {len(markers):,}"),
        ("bad inputs", ", ".join(f"{k} {v}" for k, v in bad.items())),
        ("lost", f"{len(lost)}"),
        ("duplicated records", f"{duplicated}"),
        ("torn lines", f"{torn}"),
        ("wall time", f"{wall:.1f} s"),
        ("client CPU", f"{cpu:.1f} s, {1000 * cpu / len(markers):.1f} ms per document"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    for name, _, stderr in runs:
        summary = [line for line in stderr.splitlines() if " ok, " in line]
        print(f"{name} summary: {summary[-1] if summary else '(none)'}")
    if lost or duplicated or torn or good_ok != len(markers):
        sys.exit(1)


if __name__ == "__main__":
    main()
