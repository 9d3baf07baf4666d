"""Shared fixtures: the fake OpenAI-compatible server, settings pointing at it, articles."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.settings import Settings
from tests.fake_openai import FakeOpenAI, Script

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "eval" / "articles"
PLANTED_KEY = "sk-test-PLANTEDsecret0123456789abcdef"


@pytest.fixture
def fake_openai() -> Iterator[Callable[[Script | None], FakeOpenAI]]:
    """Start fake servers with a given script; all are stopped after the test."""
    servers: list[FakeOpenAI] = []

    def start(script: Script | None = None) -> FakeOpenAI:
        server = FakeOpenAI(script).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__(None, None, None)


# The fake server scripts one answer per article. The transport and reliability tests run a
# single-turn prompt so each article is one request; the follow-up turn of the default prompt
# is tested in test_followup.py and replayed from real recordings in test_recorded.py.
SINGLE_TURN_PROMPT = "v11"


def fake_settings(server: FakeOpenAI, **overrides: object) -> Settings:
    """Settings for the fake server: fast retries, a planted key, no environment."""
    values: dict[str, object] = {
        "prompt": SINGLE_TURN_PROMPT,
        "api_key": PLANTED_KEY,
        "base_url": server.base_url,
        "model": "fake-model",
        "timeout": 5.0,
        "max_retries": 4,
        "max_reasks": 1,
        "retry_max_wait": 0.05,
        "concurrency": 4,
    }
    values.update(overrides)
    return Settings.from_env(env={}, **values)


# Helpers for the reliability tests: documents the fake server recognises by a marker, and
# the real CLI run as a subprocess with settings passed through a clean environment.

MARKED_ARTICLE = (
    "NHS Ashford CCG has been rated 'good' overall in NHS England's 2017/18 annual "
    "assessment.\n\nThe CCG was rated 'outstanding' for cancer services.\n\n"
    "Reference: {marker}."
)
GROUNDED_ANSWER: dict[str, object] = {
    "published": None,
    "assessments": [
        {
            "ccg": "NHS Ashford CCG",
            "year": "2017/18",
            "overall": "good",
            "evidence": "rated 'good' overall",
            "previous_overall": None,
            "areas": [
                {"area": "cancer", "rating": "outstanding", "evidence": "'outstanding' for cancer"}
            ],
            "indicators": [],
            "financial_concerns": None,
        }
    ],
    "national": None,
    "metrics": [],
    "quotes": [],
}
_MARKER = re.compile(r"Reference: (\S+?)\.")


def marked_article(marker: str) -> str:
    """A short grounded article that names `marker`, so a fake script can tell documents apart."""
    return MARKED_ARTICLE.format(marker=marker)


def marker_of(body: dict[str, Any]) -> str | None:
    """The marker of the article a request carries (None for an unmarked article)."""
    for message in body.get("messages", []):
        found = _MARKER.search(str(message.get("content") or ""))
        if found:
            return found.group(1)
    return None


def article_of(body: dict[str, Any]) -> str:
    """The user message of a request: the rendered article."""
    return next(str(m["content"]) for m in body["messages"] if m.get("role") == "user")


def deepen_backlog(server: FakeOpenAI) -> FakeOpenAI:
    """Let the fake accept many simultaneous connections (its listen backlog is 5).

    With 32 clients connecting at once a backlog of 5 overflows and connections are reset
    before the request is read: a harness artefact, not a fault under test.
    """
    server._server.socket.listen(256)
    return server


def cli_env(server: FakeOpenAI | None = None, **variables: str) -> dict[str, str]:
    """A subprocess environment without the caller's OpenAI/extractor settings or proxies.

    With `server`: the base URL, the planted key, the fake model and fast retries.
    """
    drop = ("OPENAI_", "EXTRACTOR_")
    unset = {"http_proxy", "https_proxy", "all_proxy", "no_proxy", "columns", "lines"}
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop) and k.lower() not in unset}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"})
    if server is not None:
        env.update(
            {
                "OPENAI_BASE_URL": server.base_url,
                "OPENAI_API_KEY": PLANTED_KEY,
                "EXTRACTOR_MODEL": "fake-model",
                "EXTRACTOR_PROMPT": SINGLE_TURN_PROMPT,
                "EXTRACTOR_RETRY_MAX_WAIT": "0.05",
                "EXTRACTOR_TIMEOUT": "5",
            }
        )
    env.update(variables)
    return env


def start_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """Start `python -m extractor ARGS` as a real subprocess (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "extractor", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_cli(
    args: list[str], env: dict[str, str], cwd: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run `python -m extractor ARGS` to completion."""
    process = start_cli(args, env, cwd)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        stdout, stderr = process.communicate()
        raise AssertionError(f"extractor did not finish in {timeout} s:\n{stderr}") from None
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def jsonl_lines(path: Path) -> list[dict[str, Any]]:
    """Every line of a JSONL file parsed (fails on a line that is not JSON)."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    assert text == "" or text.endswith("\n"), f"{path} ends with a partial line"
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def loopback_fake() -> Iterator[Callable[[Script | None], FakeOpenAI]]:
    """Like `fake_openai`, for the reliability tests: a deep listen backlog (see
    `deepen_backlog`) and a 0.05 s shutdown poll instead of 0.5 s, which otherwise dominates
    short tests."""
    servers: list[FakeOpenAI] = []

    def start(script: Script | None = None) -> FakeOpenAI:
        server = FakeOpenAI(script)
        server._thread = threading.Thread(
            target=server._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        servers.append(server.__enter__())
        return deepen_backlog(server)

    yield start
    for server in servers:
        server.__exit__(None, None, None)
