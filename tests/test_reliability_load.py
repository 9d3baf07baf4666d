"""Load over loopback: 1,000 documents through the real CLI at concurrency 32 with every 10th
request failing with a 503. Every record arrives, ok; the retries are exactly the injected
failures; and the extractor's memory stays flat while it works."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import pytest

from tests.conftest import (
    GROUNDED_ANSWER,
    cli_env,
    jsonl_lines,
    marked_article,
    start_cli,
)
from tests.fake_openai import Reply, answer_reply

DOCUMENTS = 1000
FAIL_EVERY = 10
PEAK_RSS_LIMIT_MB = 300
GROWTH_LIMIT_MB = 30


def _vm_hwm_mb(pid: int) -> float | None:
    """The kernel's record of the process's peak resident set (Linux), in MB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@pytest.mark.slow
def test_1000_documents_at_concurrency_32_with_10_percent_503s(
    loopback_fake: Any, tmp_path: Path
) -> None:
    lock = threading.Lock()
    failed: list[int] = []

    def script(number: int, body: dict[str, Any]) -> Reply:
        if number % FAIL_EVERY == 0:
            with lock:
                failed.append(number)
            return Reply(behaviour="error", status=503)
        return answer_reply(GROUNDED_ANSWER)

    server = loopback_fake(script)
    batch = tmp_path / "batch.jsonl"
    with batch.open("w", encoding="utf-8") as handle:
        for i in range(DOCUMENTS):
            line = {"id": f"doc-{i:04d}", "text": marked_article(f"load-{i:04d}")}
            handle.write(json.dumps(line) + "\n")
    out = tmp_path / "out.jsonl"

    started = time.perf_counter()
    process = start_cli(
        ["extract", str(batch), "--out", str(out), "--concurrency", "32"],
        cli_env(server, EXTRACTOR_RETRY_MAX_WAIT="0.01"),
        tmp_path,
    )
    watched = psutil.Process(process.pid)
    samples: list[tuple[int, float]] = []  # (records written, RSS in MB)
    peak = 0.0
    while process.poll() is None:
        try:
            rss = watched.memory_info().rss / 2**20
            peak = max(peak, rss, _vm_hwm_mb(process.pid) or 0.0)
        except psutil.Error:
            break
        written = out.stat().st_size and out.read_bytes().count(b"\n") if out.exists() else 0
        samples.append((written, rss))
        time.sleep(0.05)
    stdout, stderr = process.communicate(timeout=60)
    elapsed = time.perf_counter() - started

    warm = [rss for written, rss in samples if written >= DOCUMENTS // 10]
    growth = max(warm) - warm[0] if warm else float("nan")
    print(
        f"\n{DOCUMENTS} documents, {len(server.requests)} requests ({len(failed)} injected 503s) "
        f"in {elapsed:.1f} s; extractor peak RSS {peak:.0f} MB, growth after the first "
        f"{DOCUMENTS // 10} records {growth:.1f} MB ({len(samples)} samples)"
    )

    assert process.returncode == 0, stderr[-3000:]
    records = jsonl_lines(out)
    assert len(records) == DOCUMENTS
    assert {r["doc_id"] for r in records} == {f"doc-{i:04d}" for i in range(DOCUMENTS)}
    assert {r["status"] for r in records} == {"ok"}
    # Every 10th request failed and was retried, so n requests carry n // 10 failures and
    # DOCUMENTS answers: n - n // 10 == 1000 gives n == 1111.
    assert len(failed) == len(server.requests) // FAIL_EVERY
    assert len(server.requests) == DOCUMENTS + len(failed) == 1111
    # ... and each failure cost exactly one retry of its document, no more, no fewer.
    assert sum(r["usage"]["attempts"] - 1 for r in records) == len(failed)
    assert f"{DOCUMENTS} ok, 0 error" in stderr
    assert stdout == ""

    assert len(warm) >= 5, "too few memory samples to judge"
    assert 0 < peak < PEAK_RSS_LIMIT_MB, f"peak RSS {peak:.0f} MB"
    assert growth < GROWTH_LIMIT_MB, f"RSS grew {growth:.1f} MB over the run: not flat"
