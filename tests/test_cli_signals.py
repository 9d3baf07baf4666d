"""The real CLI killed and interrupted mid-run: SIGKILL + a torn line + --resume, Ctrl-C and
SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import (
    GROUNDED_ANSWER,
    cli_env,
    jsonl_lines,
    marked_article,
    marker_of,
    run_cli,
    start_cli,
)
from tests.fake_openai import Reply, answer_reply


def _write_articles(folder: Path, markers: list[str]) -> None:
    folder.mkdir()
    for marker in markers:
        (folder / f"{marker}.txt").write_text(marked_article(marker), encoding="utf-8")


def _wait_for_lines(path: Path, count: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= count:
            return
        if process.poll() is not None:
            raise AssertionError(f"the run ended early ({process.returncode}) before {count} lines")
        time.sleep(0.02)
    process.kill()
    raise AssertionError(f"{path} never reached {count} lines")


def _settled_count(requests: list[Any]) -> int:
    """How many requests the fake server holds once the killed run's last ones are in.

    A request the killed client had already sent (or only begun, its body cut off) can be
    read by a server thread a moment after the kill; it belongs to the first run."""
    count, stable_since = len(requests), time.monotonic()
    while time.monotonic() - stable_since < 0.5:
        time.sleep(0.05)
        if len(requests) != count:
            count, stable_since = len(requests), time.monotonic()
    return count


def test_sigkill_then_torn_line_then_resume_gives_exactly_one_record_each(
    loopback_fake: Any, tmp_path: Path
) -> None:
    slow = True

    def script(number: int, body: dict[str, Any]) -> Reply:
        if marker_of(body) == "doc-00-refused":
            return Reply(behaviour="error", status=400)  # an error record, written at once
        return answer_reply(GROUNDED_ANSWER, delay=0.25 if slow else 0.0)

    server = loopback_fake(script)
    markers = ["doc-00-refused", *(f"doc-{i:02d}" for i in range(1, 30))]
    articles = tmp_path / "articles"
    _write_articles(articles, markers)
    out = tmp_path / "out.jsonl"
    args = ["extract", str(articles), "--out", str(out), "--concurrency", "3"]
    env = cli_env(server)

    first = start_cli(args, env, tmp_path)
    _wait_for_lines(out, 6, first)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL

    before = jsonl_lines(out)  # whole lines only: each record is one flushed write
    done_before = {r["doc_id"] for r in before}
    assert 6 <= len(before) < len(markers), "the kill was meant to land mid-run"
    assert "doc-00-refused" in done_before
    pending = [m for m in markers if m not in done_before]
    # A torn write: the first half of a record for a document that is still pending.
    torn_line = out.read_text(encoding="utf-8").splitlines()[-1]
    torn = torn_line.replace(before[-1]["doc_id"], pending[0])[: len(torn_line) // 2]
    with out.open("a", encoding="utf-8") as handle:
        handle.write(torn)
    kept = out.read_bytes()[: -len(torn.encode())]

    slow = False
    requests_before = _settled_count(server.requests)
    second = run_cli([*args, "--resume"], env, tmp_path)

    assert second.returncode == 0, second.stderr
    assert "removed a half-written last line" in second.stderr
    assert f"{len(done_before)} skipped (resume)" in second.stderr
    assert out.read_bytes().startswith(kept), "records written before the kill were changed"
    assert torn not in out.read_text(encoding="utf-8").splitlines()
    records = jsonl_lines(out)  # every line parses: the torn line is gone, not data
    counts = Counter(r["doc_id"] for r in records)
    assert sorted(counts) == sorted(markers), "a document is missing or unknown"
    assert set(counts.values()) == {1}, f"duplicated: {[d for d, n in counts.items() if n > 1]}"
    # Only the pending documents were sent again; the error record counted as done.
    resumed = Counter(str(marker_of(b)) for b in server.requests[requests_before:])
    assert sorted(resumed) == sorted(pending)
    assert set(resumed.values()) == {1}
    assert "doc-00-refused" not in resumed
    assert {r["status"] for r in records if r["doc_id"] != "doc-00-refused"} == {"ok"}

    third = run_cli([*args, "--resume"], env, tmp_path)
    assert third.returncode == 0, third.stderr
    assert f"{len(markers)} skipped (resume)" in third.stderr
    assert len(server.requests) == requests_before + len(pending)
    assert jsonl_lines(out) == records


@pytest.mark.parametrize(
    ("stop", "exit_code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["ctrl-c", "sigterm"]
)
def test_ctrl_c_or_sigterm_stops_cleanly_with_whole_lines_a_summary_and_its_exit_code(
    loopback_fake: Any, tmp_path: Path, stop: signal.Signals, exit_code: int
) -> None:
    # After the first eight replies the server stalls, so the run is certainly still going
    # when Ctrl-C lands, however slowly this machine schedules the test.
    server = loopback_fake(
        lambda n, body: answer_reply(GROUNDED_ANSWER, delay=0.3 if n < 8 else 30.0)
    )
    markers = [f"doc-{i:02d}" for i in range(40)]
    articles = tmp_path / "articles"
    _write_articles(articles, markers)
    out = tmp_path / "out.jsonl"
    process = start_cli(
        ["extract", str(articles), "--out", str(out), "--concurrency", "4"],
        cli_env(server, PYTHONFAULTHANDLER="1"),
        tmp_path,
    )
    _wait_for_lines(out, 4, process)
    process.send_signal(stop)
    started = time.monotonic()
    try:
        stdout, stderr = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)  # faulthandler prints where every thread is
        _, stderr = process.communicate(timeout=10)
        raise AssertionError(
            f"still running 20 s after {stop.name} ({len(server.requests)} requests seen):\n"
            + stderr[-6000:]
        ) from None
    stopped_in = time.monotonic() - started

    assert process.returncode == exit_code, stderr
    assert stopped_in < 5, f"took {stopped_in:.1f} s to stop after {stop.name}"
    assert "Traceback" not in stderr
    records = jsonl_lines(out)  # fails on a partial line
    assert 4 <= len(records) < len(markers)
    assert len({r["doc_id"] for r in records}) == len(records)
    summary = [line for line in stderr.splitlines() if line.startswith("interrupted: ")]
    assert len(summary) == 1, stderr
    assert f"{len(records)} ok, 0 error" in summary[0]
    assert stdout == ""
