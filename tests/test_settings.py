"""Unit tests for `extractor.settings`: environment, overrides, validation and the API key."""

from __future__ import annotations

import pytest

from extractor.errors import ConfigurationError
from extractor.settings import DEFAULT_MODEL, ENV_VARS, Settings

SECRET = "sk-test-DoNotPrintMe0123456789"


def test_defaults_from_an_empty_environment() -> None:
    settings = Settings.from_env(env={})
    assert settings == Settings()
    assert settings.model == DEFAULT_MODEL
    assert settings.api_key is None
    assert settings.base_url is None


def test_environment_values_are_converted_to_the_field_types() -> None:
    settings = Settings.from_env(
        env={
            "EXTRACTOR_TEMPERATURE": " 0.5 ",
            "EXTRACTOR_MAX_TOKENS": "100",
            "EXTRACTOR_TIMEOUT": "30",
            "EXTRACTOR_CONCURRENCY": "2",
            "EXTRACTOR_MODEL": "some-model",
            "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1",
        }
    )
    assert settings.temperature == 0.5 and isinstance(settings.temperature, float)
    assert settings.max_tokens == 100 and isinstance(settings.max_tokens, int)
    assert settings.timeout == 30.0 and isinstance(settings.timeout, float)
    assert settings.concurrency == 2
    assert settings.model == "some-model"
    assert settings.base_url == "http://127.0.0.1:8080/v1"


def test_blank_environment_values_are_ignored() -> None:
    settings = Settings.from_env(env={"EXTRACTOR_MODEL": "  ", "EXTRACTOR_MAX_TOKENS": ""})
    assert settings.model == DEFAULT_MODEL
    assert settings.max_tokens == Settings().max_tokens


def test_overrides_beat_the_environment() -> None:
    env = {"EXTRACTOR_MODEL": "env-model", "EXTRACTOR_MAX_TOKENS": "100"}
    settings = Settings.from_env(env=env, model="flag-model", max_tokens=50)
    assert settings.model == "flag-model"
    assert settings.max_tokens == 50


def test_none_overrides_are_ignored() -> None:
    env = {"EXTRACTOR_MODEL": "env-model", "EXTRACTOR_MAX_TOKENS": "100"}
    settings = Settings.from_env(env=env, model=None, max_tokens=None, timeout=None)
    assert settings.model == "env-model"
    assert settings.max_tokens == 100
    assert settings.timeout == Settings().timeout


def test_explicit_env_mapping_replaces_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("EXTRACTOR_MODEL", "from-os")
    assert Settings.from_env(env={}).model == DEFAULT_MODEL
    assert Settings.from_env().model == "from-os"


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("max_tokens", "lots"),
        ("max_retries", "4.0"),
        ("temperature", "warm"),
        ("timeout", "30s"),
        ("concurrency", "two"),
    ],
)
def test_conversion_error_names_the_variable(field: str, raw: str) -> None:
    variable = ENV_VARS[field]
    with pytest.raises(ConfigurationError) as caught:
        Settings.from_env(env={variable: raw})
    assert variable in str(caught.value)
    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timeout", 0.0),
        ("max_retries", -1),
        ("max_reasks", -1),
        ("retry_max_wait", -0.5),
        ("concurrency", 0),
        ("max_chars", 0),
        ("max_tokens", 0),
        ("temperature", -0.1),
        ("temperature", 2.5),
        ("temperature", float("nan")),
    ],
)
def test_out_of_range_values_are_rejected(field: str, value: float) -> None:
    with pytest.raises(ConfigurationError, match=field):
        Settings.from_env(env={}, **{field: value})


def test_out_of_range_environment_value_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="concurrency"):
        Settings.from_env(env={"EXTRACTOR_CONCURRENCY": "0"})


def test_range_boundaries_are_accepted() -> None:
    settings = Settings.from_env(
        env={},
        temperature=2.0,
        max_retries=0,
        max_reasks=0,
        retry_max_wait=0.0,
        concurrency=1,
        max_chars=1,
        max_tokens=1,
    )
    assert (settings.temperature, settings.concurrency, settings.max_retries) == (2.0, 1, 0)


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_known_modes_are_accepted(mode: str) -> None:
    assert Settings.from_env(env={"EXTRACTOR_MODE": mode}).mode == mode


@pytest.mark.parametrize("mode", ["xml", "TOOLS", "function_call"])
def test_unknown_mode_is_rejected(mode: str) -> None:
    with pytest.raises(ConfigurationError, match="mode"):
        Settings.from_env(env={"EXTRACTOR_MODE": mode})


def test_extra_body_json_object_is_parsed() -> None:
    settings = Settings.from_env(env={"EXTRACTOR_EXTRA_BODY": '{"repeat_penalty": 1.0}'})
    assert settings.extra_body_fields() == {"repeat_penalty": 1.0}
    assert Settings().extra_body_fields() == {}


@pytest.mark.parametrize("extra_body", ["[1, 2]", "{bad json", "null", '"text"', "3"])
def test_extra_body_must_be_a_json_object(extra_body: str) -> None:
    with pytest.raises(ConfigurationError, match="extra_body"):
        Settings.from_env(env={"EXTRACTOR_EXTRA_BODY": extra_body})


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(ConfigurationError, match="colour"):
        Settings.from_env(env={}, colour="blue")


def test_api_key_is_kept_but_not_in_repr() -> None:
    settings = Settings.from_env(env={"OPENAI_API_KEY": SECRET})
    assert settings.api_key == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)


def test_require_key_returns_the_key() -> None:
    settings = Settings.from_env(env={"OPENAI_API_KEY": SECRET, "OPENAI_BASE_URL": "http://x"})
    assert settings.require_key() == SECRET


def test_require_key_allows_a_keyless_local_server() -> None:
    settings = Settings.from_env(env={"OPENAI_BASE_URL": "http://127.0.0.1:8080/v1"})
    assert settings.require_key() == "no-key"


def test_require_key_without_key_or_base_url_raises() -> None:
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        Settings.from_env(env={}).require_key()


def test_replace_ignores_none_and_validates() -> None:
    settings = Settings.from_env(env={}, model="a")
    changed = settings.replace(model="b", timeout=None)
    assert (changed.model, changed.timeout) == ("b", settings.timeout)
    assert settings.model == "a"
    with pytest.raises(ConfigurationError, match="timeout"):
        settings.replace(timeout=0.0)
