"""Bad inputs in one real `extractor extract` run: each gets a record saying why, none stops
the batch, and text in legacy encodings reaches the model intact."""

from __future__ import annotations

import errno
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.inputs.documents import iter_documents
from extractor.pipeline import extract
from tests.conftest import (
    GROUNDED_ANSWER,
    article_of,
    cli_env,
    fake_settings,
    jsonl_lines,
    marked_article,
    marker_of,
    run_cli,
)
from tests.fake_openai import Reply, answer_reply

CP1252_ARTICLE = (
    b"NHS Ashford CCG\x92s work was rated \x93good\x94 overall in NHS England\x92s 2017/18 "
    b"annual assessment, with a \xa325m surplus.\r\n\r\nReference: cp1252."
)
CP1252_TEXT = CP1252_ARTICLE.decode("cp1252")
CURLY_ANSWER: dict[str, Any] = {
    "published": None,
    "assessments": [
        {
            "ccg": "NHS Ashford CCG",
            "year": "2017/18",
            "overall": "good",
            "evidence": "rated \u201cgood\u201d overall",
            "previous_overall": None,
            "areas": [],
            "indicators": [],
            "financial_concerns": None,
        }
    ],
    "national": None,
    "metrics": [],
    "quotes": [],
}
HTML_PAGE = """<!DOCTYPE html>
<html><head><title>News</title></head><body>
<nav><a href="/">Home</a> <a href="/about">About us</a></nav>
<main><article><h1>Ashford CCG rated good</h1>
<p>NHS Ashford CCG has been rated 'good' overall in NHS England's 2017/18 annual assessment,
the organisation announced today.</p>
<p>The CCG was rated 'outstanding' for cancer services. Reference: html.</p>
</article></main><footer>Cookie policy</footer></body></html>
"""
OFF_TOPIC = "The county show returns this weekend with vintage tractors. Reference: off-topic."
ONE_MB = ("Padding text about nothing in particular. " * 25_000)[:1_000_000]


def _script(number: int, body: dict[str, Any]) -> Reply:
    marker = marker_of(body)
    if marker == "cp1252":
        return answer_reply(CURLY_ANSWER)
    if marker in ("html", "twin"):
        return answer_reply(GROUNDED_ANSWER)
    return answer_reply(None)  # nothing found: the off-topic article


def _unreadable(path: Path) -> None:
    """A file that exists but cannot be read, as root too (where chmod 000 does not stop us)."""
    if os.geteuid() != 0:
        path.write_text("secret", encoding="utf-8")
        path.chmod(0)
    elif Path("/proc/self/mem").is_file():
        path.symlink_to("/proc/self/mem")  # reading offset 0 fails with EIO
    else:  # pragma: no cover - root without procfs
        pytest.skip("no way to make an unreadable file here")


def test_every_bad_input_gets_a_record_and_the_batch_goes_on(
    loopback_fake: Any, tmp_path: Path
) -> None:
    server = loopback_fake(_script)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_bytes(b"  \n\t\r\n   \n")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "cp1252.txt").write_bytes(CP1252_ARTICLE)
    (folder / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    (folder / "huge.txt").write_text(ONE_MB, encoding="utf-8")
    (folder / "off-topic.txt").write_text(OFF_TOPIC, encoding="utf-8")
    (folder / "twin-a.txt").write_text(marked_article("twin"), encoding="utf-8")
    (folder / "twin-b.txt").write_text(marked_article("twin"), encoding="utf-8")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    _unreadable(folder / "locked.txt")
    if Path("/proc/self/mem").is_file():  # opens, then fails on the first read (EIO)
        (folder / "broken.jsonl").symlink_to("/proc/self/mem")
    missing = tmp_path / "missing.txt"
    out = tmp_path / "out.jsonl"

    result = run_cli(
        ["extract", str(folder), str(missing), "--out", str(out)], cli_env(server), tmp_path
    )

    lines = jsonl_lines(out)
    records = {r["doc_id"]: r for r in lines}
    expected = {
        "empty", "blank", "binary", "cp1252", "page", "huge", "off-topic", "twin-a", "twin-b",
        "dangling", "locked", "missing",
    }  # fmt: skip
    if (folder / "broken.jsonl").is_symlink():
        expected.add("broken:1")
    assert len(lines) == len(expected) and set(records) == expected, sorted(records)
    errors = {
        d: (r["error"]["type"], r["error"]["message"]) for d, r in records.items() if r["error"]
    }
    unreadable = {"dangling", "locked", "missing", "broken:1"} & expected
    assert set(errors) == {"empty", "blank", "binary", "huge"} | unreadable
    assert all(kind == "InputError" for kind, _ in errors.values()), errors
    assert "empty" in errors["empty"][1] and "empty" in errors["blank"][1]
    assert "binary" in errors["binary"][1]
    assert "1,000,000 bytes" in errors["huge"][1]  # refused from its size, before reading
    assert "EXTRACTOR_MAX_CHARS" in errors["huge"][1]
    assert "EXTRACTOR_MAX_CHARS" in errors["huge"][1]
    assert "cannot read" in errors["locked"][1]
    assert "cannot read" in errors["dangling"][1]
    assert "no such file" in errors["missing"][1]
    if "broken:1" in errors:
        assert "cannot read" in errors["broken:1"][1] and "from line 1 on" in errors["broken:1"][1]

    for doc_id in ("cp1252", "page", "twin-a", "twin-b"):
        assert records[doc_id]["status"] == "ok"
        assert records[doc_id]["extraction"]["assessments"][0]["overall"] == "good", doc_id
    assert records["off-topic"]["status"] == "ok"
    assert records["off-topic"]["extraction"]["assessments"] == []

    # Only documents with text reached the model, once each: nothing over-long, nothing split.
    sent = Counter(marker_of(body) for body in server.requests)
    assert sent == Counter({"cp1252": 1, "html": 1, "off-topic": 1, "twin": 2})
    # cp1252 was decoded, not mangled: curly quotes, apostrophes and the pound sign arrived.
    cp1252_body = next(b for b in server.requests if marker_of(b) == "cp1252")
    assert CP1252_TEXT in article_of(cp1252_body)
    assert "\u201cgood\u201d" in article_of(cp1252_body) and "\u00a325m" in article_of(cp1252_body)
    assert "\ufffd" not in article_of(cp1252_body)
    quote = records["cp1252"]["extraction"]["assessments"][0]["evidence"]["quote"]
    assert "\u201cgood\u201d" in quote
    # The HTML page was reduced to its article text.
    page_text = article_of(next(b for b in server.requests if marker_of(b) == "html"))
    assert "<p>" not in page_text and "Cookie policy" not in page_text
    assert "rated 'good' overall" in page_text

    assert result.returncode == 1
    assert f"{len(errors)} document(s) failed" in result.stderr


@pytest.mark.slow
def test_a_directory_of_2000_small_files_all_get_records(
    loopback_fake: Any, tmp_path: Path
) -> None:
    server = loopback_fake(lambda n, body: answer_reply(None))
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(2000):
        (folder / f"note-{i:04d}.txt").write_text(f"Short note number {i}.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    started = time.perf_counter()
    result = run_cli(
        ["extract", str(folder), "--out", str(out), "--concurrency", "32"],
        cli_env(server),
        tmp_path,
        timeout=120,
    )
    elapsed = time.perf_counter() - started
    print(f"2000 files at concurrency 32: {elapsed:.1f} s")

    assert result.returncode == 0, result.stderr[-2000:]
    records = jsonl_lines(out)
    assert len(records) == 2000
    assert {r["doc_id"] for r in records} == {f"note-{i:04d}" for i in range(2000)}
    assert {r["status"] for r in records} == {"ok"}
    assert len(server.requests) == 2000
    assert "2000 ok, 0 error" in result.stderr


@pytest.mark.parametrize(
    "fragment",
    ["Costs rose {{ 7*7 }} per cent", "{% if budget %}", "a {# note #} b", "{{ article }}", "\r\n"],
)
def test_article_text_reaches_the_model_verbatim_never_as_a_template(
    loopback_fake: Any, fragment: str
) -> None:
    """instructor renders messages as Jinja templates when given a validation context."""
    server = loopback_fake(lambda n, body: answer_reply(GROUNDED_ANSWER))
    article = marked_article("jinja").replace("Reference:", f"Aside: {fragment}\n\nReference:")
    record = extract(article, settings=fake_settings(server))

    assert record.status == "ok", record.error
    assert article in article_of(server.requests[0])
    assert record.extraction is not None and record.extraction.assessments


def test_a_path_that_fails_while_listed_becomes_an_error_record_and_the_rest_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An I/O error while walking a directory used to end the whole batch with a traceback."""
    folder = tmp_path / "flaky"
    folder.mkdir()
    (folder / "a.txt").write_text("first", encoding="utf-8")
    (folder / "b.txt").write_text("second", encoding="utf-8")
    after = tmp_path / "after.txt"
    after.write_text("after", encoding="utf-8")
    real_rglob = Path.rglob

    def flaky_rglob(self: Path, pattern: str) -> Iterator[Path]:
        if self != folder:
            yield from real_rglob(self, pattern)
            return
        yield folder / "a.txt"
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(Path, "rglob", flaky_rglob)
    documents = list(iter_documents([folder, after]))

    assert [(d.doc_id, d.text) for d in documents if d.error is None] == [("after", "after")]
    failed = [d for d in documents if d.error is not None]
    assert [d.doc_id for d in failed] == ["flaky"]
    assert "cannot read" in failed[0].error.message
    assert "Input/output error" in failed[0].error.message
