"""Shared fixtures: the fake OpenAI-compatible server, settings pointing at it, articles."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

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


def fake_settings(server: FakeOpenAI, **overrides: object) -> Settings:
    """Settings for the fake server: fast retries, a planted key, no environment."""
    values: dict[str, object] = {
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
