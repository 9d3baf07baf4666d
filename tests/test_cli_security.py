"""The API key is sent to the endpoint and written nowhere: not in records, stdout, stderr,
error messages or --help, even when a failing server echoes it back."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from extractor.cli import main
from extractor.errors import redact
from tests.conftest import PLANTED_KEY, cli_env, jsonl_lines, marked_article, run_cli
from tests.fake_openai import Reply

MASKED = PLANTED_KEY[:7] + "*" * 20 + PLANTED_KEY[-4:]  # how OpenAI quotes a wrong key
SECRET_PART = PLANTED_KEY[len("sk-test-") :]


def assert_no_key(*texts: str) -> None:
    for text in texts:
        assert PLANTED_KEY not in text
        assert SECRET_PART not in text
        assert SECRET_PART[:12] not in text  # no recognisable fragment either


def _articles(folder: Path) -> Path:
    folder.mkdir()
    for marker in ("one", "two"):
        (folder / f"{marker}.txt").write_text(marked_article(marker), encoding="utf-8")
    return folder


def test_401_echoing_the_key_leaks_it_nowhere(loopback_fake: Any, tmp_path: Path) -> None:
    body = {
        "error": {
            "message": f"Incorrect API key provided: {PLANTED_KEY} ({MASKED}). "
            f"Header was 'Authorization: Bearer {PLANTED_KEY}'",
            "type": "invalid_request_error",
            "code": "invalid_api_key",
        }
    }
    server = loopback_fake(lambda n, b: Reply(behaviour="error", status=401, body=body))
    out = tmp_path / "out.jsonl"
    result = run_cli(
        ["extract", str(_articles(tmp_path / "in")), "--out", str(out)], cli_env(server), tmp_path
    )

    assert result.returncode == 1, result.stderr
    assert server.headers[0]["authorization"] == f"Bearer {PLANTED_KEY}"  # sent: expected
    written = out.read_text(encoding="utf-8")
    assert_no_key(written, result.stdout, result.stderr)
    records = jsonl_lines(out)
    assert [r["error"]["type"] for r in records] == ["ModelCallError", "ModelCallError"]
    assert all("AuthenticationError" in r["error"]["message"] for r in records)
    assert all("[REDACTED]" in r["error"]["message"] for r in records)


def test_500s_echoing_the_key_with_records_on_stdout_leak_it_nowhere(
    loopback_fake: Any, tmp_path: Path
) -> None:
    body = {"error": {"message": f"upstream failed for key={PLANTED_KEY}", "type": "server_error"}}
    server = loopback_fake(lambda n, b: Reply(behaviour="error", status=500, body=body))
    env = cli_env(server, EXTRACTOR_MAX_RETRIES="1")
    result = run_cli(["extract", str(_articles(tmp_path / "in"))], env, tmp_path)

    assert result.returncode == 1, result.stderr
    assert len(server.requests) == 4  # 2 documents x (1 try + 1 retry)
    assert_no_key(result.stdout, result.stderr)
    assert result.stdout.count("gave up after 2 attempts") == 2
    assert "[REDACTED]" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["local", "--help"]])
def test_help_never_shows_the_key(args: list[str]) -> None:
    env = {k: None for k in os.environ if k.startswith(("OPENAI_", "EXTRACTOR_"))}
    result = CliRunner().invoke(main, args, env={**env, "OPENAI_API_KEY": PLANTED_KEY})
    assert result.exit_code == 0
    assert "Usage" in result.output
    assert_no_key(result.output)


@pytest.mark.parametrize(
    "secrets",
    [
        # Keys of several clients in one process (the log filter holds them all), given in
        # either order: one that is part of another must not cut it and leave its rest.
        ("test", PLANTED_KEY),
        (PLANTED_KEY, "test"),
        ("sk-test", PLANTED_KEY, "PLANTED"),
        (PLANTED_KEY[:12], PLANTED_KEY[10:]),
    ],
)
def test_a_key_inside_another_secret_still_leaves_no_fragment(secrets: tuple[str, ...]) -> None:
    text = f"Incorrect API key provided: {PLANTED_KEY} ({MASKED}); tested at 'Bearer {PLANTED_KEY}'"
    redacted = redact(text, *secrets)
    assert_no_key(redacted)
    assert redacted.startswith("Incorrect API key provided: [REDACTED]")


def test_redaction_keeps_the_text_around_the_key() -> None:
    text = f"before {PLANTED_KEY} middle local-key-4567 after"
    assert redact(text, "local-key-4567") == "before [REDACTED] middle [REDACTED] after"
    assert redact("no key here, nor sk-short", "absent-secret") == "no key here, nor sk-short"
