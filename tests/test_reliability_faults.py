"""Fault injection against the fake server: each fault is retried or re-asked within its bound,
then becomes a record, and a batch with faulty documents goes on with the others.

`test_client.py` covers the basics (a mixed transient sequence, 503 bound, 400, re-ask of
ungrounded evidence, schema re-ask bound, key redaction); these extend them to every fault
kind, to the CLI as a real subprocess, and to the logs the library writes.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from extractor.pipeline import extract
from tests.conftest import (
    GROUNDED_ANSWER,
    PLANTED_KEY,
    cli_env,
    fake_settings,
    jsonl_lines,
    marked_article,
    marker_of,
    run_cli,
)
from tests.fake_openai import Reply, answer_reply

# How each transport fault is served, and the exception it surfaces as once retries run out.
TRANSPORT_FAULTS: dict[str, tuple[Reply, str]] = {
    "429-retry-after": (
        Reply(behaviour="error", status=429, headers={"retry-after": "1"}),
        "RateLimitError",
    ),
    "429-plain": (Reply(behaviour="error", status=429), "RateLimitError"),
    "500": (Reply(behaviour="error", status=500), "InternalServerError"),
    "502": (Reply(behaviour="error", status=502), "InternalServerError"),
    "503": (Reply(behaviour="error", status=503), "InternalServerError"),
    "reset": (Reply(behaviour="reset"), "APIConnectionError"),
    "read-timeout": (answer_reply(GROUNDED_ANSWER, delay=1.5), "APITimeoutError"),
    "truncate": (Reply(behaviour="truncate"), "APIConnectionError"),
}
UNGROUNDED: dict[str, Any] = json.loads(json.dumps(GROUNDED_ANSWER))
UNGROUNDED["assessments"][0]["areas"][0]["evidence"] = "cancer care was judged world class"
# How each bad answer is served: the tool call's arguments.
ANSWER_FAULTS: dict[str, str] = {
    "invalid-json": '{"published": null, "assessments": [{"ccg": "NHS Ash',
    "schema-violation": '{"published": null, "assessments": "none", "national": 7}',
    "ungrounded": json.dumps(UNGROUNDED),
}


@pytest.mark.parametrize("kind", sorted(TRANSPORT_FAULTS))
def test_one_transport_fault_is_retried_and_the_document_recovers(
    loopback_fake: Any, kind: str
) -> None:
    fault = TRANSPORT_FAULTS[kind][0]
    server = loopback_fake(lambda n, body: fault if n == 1 else answer_reply(GROUNDED_ANSWER))
    record = extract(marked_article(kind), settings=fake_settings(server, timeout=0.5))

    assert record.status == "ok", record.error
    assert len(server.requests) == 2
    assert record.usage.attempts == 2
    assert record.extraction is not None
    assert record.extraction.assessments[0].overall == "good"


@pytest.mark.parametrize("kind", ["invalid-json", "schema-violation"])
def test_one_bad_answer_is_reasked_with_the_problem_and_the_document_recovers(
    loopback_fake: Any, kind: str
) -> None:
    bad = answer_reply(ANSWER_FAULTS[kind])
    server = loopback_fake(lambda n, body: bad if n == 1 else answer_reply(GROUNDED_ANSWER))
    record = extract(marked_article(kind), settings=fake_settings(server))

    assert record.status == "ok", record.error
    assert record.usage.attempts == 2
    assert record.dropped_facts == 0
    # The re-ask is a validation re-ask: it carries the bad answer back to the model.
    reask = json.dumps(server.requests[1]["messages"][2:])
    assert "validation error" in reask.lower() or "json" in reask.lower()


def test_retry_after_is_honoured_but_capped_by_the_longest_wait(loopback_fake: Any) -> None:
    limited = Reply(behaviour="error", status=429, headers={"retry-after": "30"})
    server = loopback_fake(lambda n, body: limited if n == 1 else answer_reply(GROUNDED_ANSWER))
    started = time.perf_counter()
    record = extract(marked_article("capped"), settings=fake_settings(server, retry_max_wait=0.4))
    elapsed = time.perf_counter() - started

    assert record.status == "ok", record.error
    assert 0.4 <= elapsed < 5, f"waited {elapsed:.2f} s for Retry-After: 30 capped at 0.4 s"


def test_a_rate_limit_without_retry_after_backs_off(loopback_fake: Any) -> None:
    limited = Reply(behaviour="error", status=429)
    server = loopback_fake(lambda n, body: limited if n <= 2 else answer_reply(GROUNDED_ANSWER))
    started = time.perf_counter()
    record = extract(marked_article("backoff"), settings=fake_settings(server, retry_max_wait=0.3))
    elapsed = time.perf_counter() - started

    assert record.status == "ok", record.error
    assert record.usage.attempts == 3
    assert 0.6 <= elapsed < 5, f"two back-offs capped at 0.3 s took {elapsed:.2f} s"


def test_library_logs_do_not_carry_the_api_key(
    loopback_fake: Any, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    """instructor logs every failed attempt at ERROR with the server's message in it."""
    body = {"error": {"message": f"Incorrect API key provided: {PLANTED_KEY}"}}
    server = loopback_fake(lambda n, b: Reply(behaviour="error", status=401, body=body))
    # At DEBUG on "instructor" itself: the CLI, run in-process by other tests, silences it.
    with caplog.at_level(logging.DEBUG), caplog.at_level(logging.DEBUG, logger="instructor"):
        record = extract(marked_article("logs"), settings=fake_settings(server))

    assert record.status == "error"
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "401" in logged, "instructor's failure log was expected (it is what is redacted)"
    captured = capsys.readouterr()
    for text in (logged, captured.out, captured.err, record.model_dump_json()):
        assert PLANTED_KEY not in text
        assert PLANTED_KEY[8:] not in text


# The batch: every fault in one real `extractor extract` run, the faulty documents do not stop
# the others, and each ends within its bound.

BATCH_EXPECTED: dict[str, tuple[str, str | None, int]] = {
    # marker: (status, error type or kind named in the message, requests the fake saw)
    **{kind: ("error", name, 3) for kind, (_, name) in TRANSPORT_FAULTS.items()},
    "invalid-json": ("error", "ExtractionFailed", 2),
    "schema-violation": ("error", "ExtractionFailed", 2),
    "ungrounded": ("ok", None, 2),
    "fine-1": ("ok", None, 1),
    "fine-2": ("ok", None, 1),
}


def _batch_script(number: int, body: dict[str, Any]) -> Reply:
    marker = marker_of(body) or ""
    if marker in TRANSPORT_FAULTS:
        return TRANSPORT_FAULTS[marker][0]
    if marker in ANSWER_FAULTS:
        return answer_reply(ANSWER_FAULTS[marker])
    return answer_reply(GROUNDED_ANSWER)


def test_a_batch_with_every_fault_keeps_going_and_each_ends_in_one_record(
    loopback_fake: Any, tmp_path: Path
) -> None:
    server = loopback_fake(_batch_script)
    articles = tmp_path / "articles"
    articles.mkdir()
    for marker in BATCH_EXPECTED:
        (articles / f"{marker}.txt").write_text(marked_article(marker), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    env = cli_env(
        server,
        EXTRACTOR_MAX_RETRIES="2",
        EXTRACTOR_MAX_REASKS="1",
        EXTRACTOR_TIMEOUT="0.5",
    )
    result = run_cli(
        ["extract", str(articles), "--out", str(out), "--concurrency", "4"], env, tmp_path
    )

    records = {r["doc_id"]: r for r in jsonl_lines(out)}
    assert len(jsonl_lines(out)) == len(BATCH_EXPECTED)
    assert set(records) == set(BATCH_EXPECTED)
    seen = Counter(marker_of(body) for body in server.requests)
    for marker, (status, named, requests) in BATCH_EXPECTED.items():
        record = records[marker]
        assert record["status"] == status, (marker, record["error"])
        assert seen[marker] == requests, f"{marker}: {seen[marker]} requests, bound {requests}"
        assert record["usage"]["attempts"] == requests, marker
        if status == "error":
            assert record["error"]["type"] in ("ModelCallError", "ExtractionFailed"), marker
            assert named in record["error"]["type"] + record["error"]["message"], record
            assert record["error"]["message"].strip()
        else:
            assert record["extraction"]["assessments"][0]["overall"] == "good"
    assert records["ungrounded"]["dropped_facts"] == 1
    assert records["ungrounded"]["dropped"][0]["path"] == "assessments[0].areas[0]"
    for kind in TRANSPORT_FAULTS:
        assert records[kind]["error"]["message"].startswith("gave up after 3 attempts")

    failed = sum(1 for s, _, _ in BATCH_EXPECTED.values() if s == "error")
    assert result.returncode == 1, result.stderr
    assert f"{failed} document(s) failed" in result.stderr
    assert f"3 ok, {failed} error" in result.stderr
    assert result.stdout == ""


# 200 replies whose body is no chat completion: a server glitch, retried as a transport failure.
BROKEN_BODIES = {
    "cut-off-json": '{"id": "chatcmpl-1", "object": "chat.completion", "choices": [{"ind',
    "not-json": "<html><body>upstream hiccup</body></html>",
    "json-but-no-completion": '{"error": {"message": "overloaded"}}',
}


@pytest.mark.parametrize("kind", sorted(BROKEN_BODIES))
def test_a_200_whose_body_is_no_completion_is_retried_not_reasked(
    loopback_fake: Any, kind: str
) -> None:
    broken = Reply(body=BROKEN_BODIES[kind])
    server = loopback_fake(lambda n, body: broken if n <= 2 else answer_reply(GROUNDED_ANSWER))
    settings = fake_settings(server, max_retries=4, max_reasks=0)
    record = extract(marked_article(kind), settings=settings)

    assert record.status == "ok", record.error
    assert len(server.requests) == 3  # two glitches retried, no re-ask spent
    assert record.extraction is not None
    assert record.extraction.assessments[0].overall == "good"


def test_broken_bodies_beyond_the_retries_fail_as_a_transport_error(loopback_fake: Any) -> None:
    server = loopback_fake(lambda n, body: Reply(body=BROKEN_BODIES["cut-off-json"]))
    record = extract(marked_article("x"), settings=fake_settings(server, max_retries=2))

    assert record.status == "error"
    assert record.error is not None
    assert record.error.type == "ModelCallError"
    assert "APIConnectionError" in record.error.message
    assert len(server.requests) == 3  # the first try and two retries, never a re-ask
