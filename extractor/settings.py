"""Settings in one frozen dataclass, filled from environment variables in one function.

Precedence: explicit keyword overrides (CLI flags, library arguments) > environment > defaults.
The API key is never part of `repr()`, so settings can be logged safely.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from extractor.errors import ConfigurationError

__all__ = ["DEFAULT_MODEL", "ENV_VARS", "Settings"]

DEFAULT_MODEL = "gpt-4o-mini"
InstructorMode = Literal["tools", "json_schema", "json", "md_json"]

ENV_VARS: dict[str, str] = {
    "api_key": "OPENAI_API_KEY",
    "base_url": "OPENAI_BASE_URL",
    "model": "EXTRACTOR_MODEL",
    "mode": "EXTRACTOR_MODE",
    "temperature": "EXTRACTOR_TEMPERATURE",
    "max_tokens": "EXTRACTOR_MAX_TOKENS",
    "timeout": "EXTRACTOR_TIMEOUT",
    "max_retries": "EXTRACTOR_MAX_RETRIES",
    "max_reasks": "EXTRACTOR_MAX_REASKS",
    "retry_max_wait": "EXTRACTOR_RETRY_MAX_WAIT",
    "concurrency": "EXTRACTOR_CONCURRENCY",
    "kind_window": "EXTRACTOR_KIND_WINDOW",
    "prompt": "EXTRACTOR_PROMPT",
    "max_chars": "EXTRACTOR_MAX_CHARS",
    "extra_body": "EXTRACTOR_EXTRA_BODY",
}
"""Which environment variable fills which setting."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything that decides how documents are sent to the model.

    Build it with `Settings.from_env(...)`; pass keyword overrides for flags.
    """

    api_key: str | None = field(default=None, repr=False)
    base_url: str | None = None
    model: str = DEFAULT_MODEL
    mode: InstructorMode = "tools"
    temperature: float = 0.0
    max_tokens: int = 2048
    timeout: float = 120.0
    max_retries: int = 4
    max_reasks: int = 1
    retry_max_wait: float = 60.0
    concurrency: int = 4
    kind_window: int = 1
    """Documents taken together whose model requests go out one at a time, kind by kind
    (`model/kind_order.py`): for a local server, which then reuses each kind of question's
    instructions from its cache. 1: each document on its own, `concurrency` at once."""
    prompt: str = "v23"
    max_chars: int = 40_000
    extra_body: str | None = None
    """JSON object of provider-specific request fields, e.g. '{"repeat_penalty": 1.0}'."""

    def __post_init__(self) -> None:
        if self.mode not in get_args(InstructorMode):
            modes = ", ".join(get_args(InstructorMode))
            raise ConfigurationError(f"mode must be one of {modes}, not {self.mode!r}")
        checks = {
            "timeout": self.timeout > 0,
            "max_retries": self.max_retries >= 0,
            "max_reasks": self.max_reasks >= 0,
            "retry_max_wait": self.retry_max_wait >= 0,
            "concurrency": self.concurrency >= 1,
            "kind_window": self.kind_window >= 1,
            "max_chars": self.max_chars >= 1,
            "max_tokens": self.max_tokens >= 1,
            "temperature": 0 <= self.temperature <= 2,
        }
        if self.extra_body is not None:
            try:
                parsed = json.loads(self.extra_body)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                raise ConfigurationError(
                    f"extra_body must be a JSON object, not {self.extra_body!r}"
                )
        for name, ok in checks.items():
            if not ok:
                raise ConfigurationError(f"{name} is out of range: {getattr(self, name)!r}")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read settings from `env` (default `os.environ`), then apply non-None overrides."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        types = {f.name: f.type for f in dataclasses.fields(cls)}
        for name, variable in ENV_VARS.items():
            raw = env.get(variable)
            if raw is None or raw.strip() == "":
                continue
            values[name] = _convert(name, types[name], raw.strip(), variable)
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(types)
        if unknown:
            raise ConfigurationError(f"unknown settings: {', '.join(sorted(unknown))}")
        return cls(**values)

    def replace(self, **changes: Any) -> Settings:
        """Return a copy with some fields changed (None values are ignored)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def extra_body_fields(self) -> dict[str, Any]:
        """`extra_body` parsed (empty when unset)."""
        return dict(json.loads(self.extra_body)) if self.extra_body else {}

    def require_key(self) -> str:
        """Return the API key, or a placeholder for keyless endpoints (local servers).

        OpenAI itself needs a key; an explicitly configured base URL (for example a
        llama.cpp server on 127.0.0.1) is allowed to run without one.
        """
        if self.api_key:
            return self.api_key
        if self.base_url:
            return "no-key"
        raise ConfigurationError(
            "no API key: set OPENAI_API_KEY, point OPENAI_BASE_URL at an "
            "OpenAI-compatible server, or use --local for the embedded model"
        )


def _convert(name: str, type_name: Any, raw: str, variable: str) -> Any:
    kind = str(type_name)
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError:
        raise ConfigurationError(f"{variable}={raw!r} is not a valid {kind}") from None
    return raw
