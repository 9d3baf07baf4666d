"""`--resume` with changed inputs and `--retry-errors`, on the real CLI against a fake server."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from tests.conftest import GROUNDED_ANSWER, cli_env, jsonl_lines, marked_article, run_cli
from tests.fake_openai import Reply, answer_reply


def _write(folder: Path, markers: list[str], suffix: str = "") -> None:
    folder.mkdir(exist_ok=True)
    for marker in markers:
        text = marked_article(marker) + suffix
        (folder / f"{marker}.txt").write_text(text, encoding="utf-8")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_text(encoding="utf-8").encode("utf-8")).hexdigest()


def test_each_record_carries_the_hash_of_the_text_it_was_made_from(
    loopback_fake: Any, tmp_path: Path
) -> None:
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    articles, out = tmp_path / "articles", tmp_path / "out.jsonl"
    _write(articles, ["doc-a", "doc-b"])
    (articles / "empty.txt").write_text("", encoding="utf-8")

    done = run_cli(["extract", str(articles), "--out", str(out)], cli_env(server), tmp_path)

    by_id = {r["doc_id"]: r for r in jsonl_lines(out)}
    assert by_id["doc-a"]["input_sha256"] == _sha(articles / "doc-a.txt"), done.stderr
    assert by_id["doc-b"]["input_sha256"] == _sha(articles / "doc-b.txt")
    assert by_id["empty"]["status"] == "error"
    assert by_id["empty"]["input_sha256"] is None  # no text was read; --retry-errors redoes it


def test_resume_redoes_a_document_whose_text_changed_and_says_so(
    loopback_fake: Any, tmp_path: Path
) -> None:
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    articles, out = tmp_path / "articles", tmp_path / "out.jsonl"
    _write(articles, ["doc-a", "doc-b", "doc-c"])
    env = cli_env(server)
    run_cli(["extract", str(articles), "--out", str(out)], env, tmp_path)
    (articles / "doc-b.txt").write_text(marked_article("doc-b") + "\n\nCorrected.", "utf-8")

    again = run_cli(["extract", str(articles), "--out", str(out), "--resume"], env, tmp_path)

    assert again.returncode == 0, again.stderr
    assert "redoing doc-b: its text changed since" in again.stderr
    assert "2 skipped" in again.stderr
    records = jsonl_lines(out)
    assert [r["doc_id"] for r in records].count("doc-b") == 2
    assert records[-1]["doc_id"] == "doc-b"
    assert records[-1]["input_sha256"] == _sha(articles / "doc-b.txt")
    assert len(server.requests) == 4  # three, then only the changed one


def test_retry_errors_redoes_documents_whose_last_record_is_an_error(
    loopback_fake: Any, tmp_path: Path
) -> None:
    failing = {"first": True}

    def script(number: int, body: dict[str, Any]) -> Reply:
        if failing["first"] and "doc-bad" in str(body):
            return Reply(behaviour="error", status=400)  # not retried: an error record
        return answer_reply(GROUNDED_ANSWER)

    server = loopback_fake(script)
    articles, out = tmp_path / "articles", tmp_path / "out.jsonl"
    _write(articles, ["doc-ok", "doc-bad"])
    env = cli_env(server)
    first = run_cli(["extract", str(articles), "--out", str(out)], env, tmp_path)
    assert first.returncode == 1
    failing["first"] = False

    plain = run_cli(["extract", str(articles), "--out", str(out), "--resume"], env, tmp_path)
    assert "2 skipped" in plain.stderr  # --resume alone counts an error record as done
    retried = run_cli(
        ["extract", str(articles), "--out", str(out), "--resume", "--retry-errors"], env, tmp_path
    )

    assert retried.returncode == 0, retried.stderr
    assert "1 ok, 0 error, 1 skipped" in retried.stderr
    records = jsonl_lines(out)
    bad = [r for r in records if r["doc_id"] == "doc-bad"]
    assert [r["status"] for r in bad] == ["error", "ok"]  # appended; the last one counts
    assert records[-1]["doc_id"] == "doc-bad"


def test_retry_errors_needs_resume(tmp_path: Path) -> None:
    result = run_cli(["extract", str(tmp_path), "--retry-errors"], cli_env(), tmp_path)
    assert result.returncode == 2
    assert "--retry-errors only applies with --resume" in result.stderr
