"""Exit codes: 0 every document ok, 1 some failed (and how many is printed), 2 bad usage or
configuration (before anything is written). 130 (Ctrl-C) is in test_cli_signals.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from extractor.cli import main
from tests.conftest import (
    GROUNDED_ANSWER,
    PLANTED_KEY,
    SINGLE_TURN_PROMPT,
    cli_env,
    jsonl_lines,
    marked_article,
    marker_of,
    run_cli,
)
from tests.fake_openai import FakeOpenAI, Reply, answer_reply


def invoke(args: list[str], **variables: str) -> Result:
    """Run the CLI in-process with only `variables` set among OPENAI_*/EXTRACTOR_*."""
    cleared: dict[str, str | None] = {
        k: None for k in os.environ if k.startswith(("OPENAI_", "EXTRACTOR_"))
    }
    return CliRunner().invoke(main, args, env={**cleared, **variables}, catch_exceptions=False)


def fake_env(server: FakeOpenAI) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": PLANTED_KEY,
        "EXTRACTOR_MODEL": "fake-model",
        "EXTRACTOR_RETRY_MAX_WAIT": "0.01",
        "EXTRACTOR_PROMPT": SINGLE_TURN_PROMPT,  # the whole article in one request
    }


def articles(folder: Path, *markers: str) -> Path:
    folder.mkdir()
    for marker in markers:
        (folder / f"{marker}.txt").write_text(marked_article(marker), encoding="utf-8")
    return folder


def test_exit_0_when_every_document_is_ok(loopback_fake: Any, tmp_path: Path) -> None:
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    out = tmp_path / "out.jsonl"
    result = invoke(
        ["extract", str(articles(tmp_path / "in", "a", "b")), "--out", str(out)],
        **fake_env(server),
    )
    assert result.exit_code == 0, result.output
    assert "2 ok, 0 error" in result.stderr
    assert "failed" not in result.stderr
    assert [r["status"] for r in jsonl_lines(out)] == ["ok", "ok"]


def test_exit_1_when_a_document_failed_and_the_count_is_printed(
    loopback_fake: Any, tmp_path: Path
) -> None:
    def script(number: int, body: dict[str, Any]) -> Reply:
        if marker_of(body) in ("bad-1", "bad-2"):
            return Reply(behaviour="error", status=400)
        return answer_reply(GROUNDED_ANSWER)

    server = loopback_fake(script)
    out = tmp_path / "out.jsonl"
    folder = articles(tmp_path / "in", "bad-1", "bad-2", "good")
    result = invoke(["extract", str(folder), "--out", str(out)], **fake_env(server))

    assert result.exit_code == 1, result.output
    assert "2 document(s) failed" in result.stderr
    assert "1 ok, 2 error" in result.stderr
    assert len(jsonl_lines(out)) == 3


def test_exit_2_without_api_key_or_base_url_and_nothing_is_written(tmp_path: Path) -> None:
    """A real subprocess: no key and no endpoint is a configuration error, not N error records
    (which --resume would then count as done)."""
    folder = articles(tmp_path / "in", "a", "b")
    out = tmp_path / "out.jsonl"
    result = run_cli(["extract", str(folder), "--out", str(out)], cli_env(), tmp_path)

    assert result.returncode == 2, result.stderr
    assert "no API key" in result.stderr
    assert "OPENAI_API_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists() or out.read_text() == ""
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "variables", "message"),
    [
        (["extract", "in", "--resume"], {}, "--resume needs --out"),
        (["extract"], {}, "Missing argument"),
        (["extract", "in", "--concurrency", "0"], {}, "--concurrency"),
        (["extract", "in", "--mode", "xml"], {}, "--mode"),
        (["extract", "in"], {"EXTRACTOR_CONCURRENCY": "lots"}, "EXTRACTOR_CONCURRENCY"),
        (["extract", "in"], {"EXTRACTOR_EXTRA_BODY": "[1]"}, "extra_body"),
        (["extract", "in", "--prompt", "no-such-prompt"], {}, "unknown prompt"),
        (["extract", "in", "--model-path", "in/a.txt"], {}, "--model-path only applies"),
        (["extract", "in", "--kind-window", "3", "--concurrency", "2"], {}, "drop --concurrency"),
    ],
)
def test_exit_2_for_bad_usage_or_configuration(
    loopback_fake: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    variables: dict[str, str],
    message: str,
) -> None:
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    articles(tmp_path / "in", "a")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out.jsonl"
    with_out = args if len(args) < 2 or "--resume" in args else [*args, "--out", str(out)]
    result = invoke(with_out, **{**fake_env(server), **variables})

    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()
    assert server.requests == []


def test_stderr_messages_are_one_line_each_and_show_paths_literally(
    loopback_fake: Any, tmp_path: Path
) -> None:
    """rich used to wrap the summary at 80 columns and to read "[red]" in a path as markup."""
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    out = tmp_path / "[red]runs" / "out.jsonl"
    out.parent.mkdir()
    out.write_text('{"doc_id": "torn", "sou', encoding="utf-8")
    folder = articles(tmp_path / "in", "a")
    result = invoke(["extract", str(folder), "--out", str(out)], **fake_env(server))

    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert f"repaired {out}: removed a half-written last line (23 bytes)" in lines
    summary = [line for line in lines if line.startswith("1 ok, 0 error")]
    assert len(summary) == 1 and summary[0].endswith(" s"), lines
