"""Unit tests for `extractor.local.server.local_settings`: the settings that point at the local
model server, and which of the local defaults, the environment and explicit overrides wins.
The server is the fake of `test_local_server.py`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import pytest

from extractor.local.server import LOCAL_DEFAULTS, local_settings
from tests.test_local_server import Fake, _answers, _reaped, clean_env, fake

__all__ = ["clean_env", "fake"]  # the fixtures, used by name below


def test_local_settings_point_at_the_server_with_local_defaults(fake: Fake) -> None:
    with _reaped(fake.pid_file), local_settings(model_path=fake.model) as settings:
        assert settings.base_url is not None
        assert urlparse(settings.base_url).hostname == "127.0.0.1"
        assert _answers(settings.base_url)
        assert settings.api_key == "local"
        assert settings.model == "dummy-model"
        for name, value in LOCAL_DEFAULTS.items():
            assert getattr(settings, name) == value, name
        assert settings.concurrency == 1
        assert settings.max_reasks == 0
        assert settings.mode == "md_json"
        assert "repeat_penalty" in settings.extra_body_fields()
        process_url = settings.base_url
    assert not _answers(process_url)


def test_local_settings_explicit_overrides_win_but_not_for_the_endpoint(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "https://api.openai.com/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-key-must-not-be-used-0123456789")
    overrides: dict[str, Any] = {
        "concurrency": 3,
        "max_reasks": 2,
        "mode": "tools",
        "extra_body": '{"top_k": 5}',
        "timeout": 42.0,
        "model": "my-alias",
        "temperature": None,  # an unset flag: ignored
        "base_url": "https://elsewhere.example/v1",
        "api_key": "sk-flag-key-must-not-be-used-0123456789",
    }

    with _reaped(fake.pid_file), local_settings(overrides, model_path=fake.model) as settings:
        assert settings.concurrency == 3
        assert settings.max_reasks == 2
        assert settings.mode == "tools"
        assert settings.extra_body_fields() == {"top_k": 5}
        assert settings.timeout == 42.0
        assert settings.model == "my-alias"
        assert settings.temperature == 0.0
        assert settings.base_url is not None
        assert settings.base_url.startswith("http://127.0.0.1:")
        assert settings.api_key == "local"


def test_local_settings_environment_beats_local_defaults(
    fake: Fake, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documented precedence: LOCAL_DEFAULTS, then the environment, then explicit overrides."""
    monkeypatch.setenv("EXTRACTOR_CONCURRENCY", "2")
    monkeypatch.setenv("EXTRACTOR_MODE", "json")
    monkeypatch.setenv("EXTRACTOR_MAX_REASKS", "1")
    monkeypatch.setenv("EXTRACTOR_TEMPERATURE", "0.5")
    monkeypatch.setenv("EXTRACTOR_MODEL", "gpt-4o-mini")  # for the remote endpoint: ignored

    with (
        _reaped(fake.pid_file),
        local_settings({"max_reasks": 3}, model_path=fake.model) as settings,
    ):
        assert settings.concurrency == 2
        assert settings.mode == "json"
        assert settings.max_reasks == 3  # the flag beats the environment
        assert settings.temperature == 0.5
        assert "repeat_penalty" in settings.extra_body_fields()  # still the local default
        assert settings.model == "dummy-model"
