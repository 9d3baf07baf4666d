"""The project's exceptions: one base class, a few subclasses carrying what callers need."""

from __future__ import annotations

import re

from extractor.schema import Usage

__all__ = [
    "ConfigurationError",
    "ExtractionFailed",
    "ExtractorError",
    "InputError",
    "LocalModelError",
    "ModelCallError",
    "redact",
]


class ExtractorError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, message: str, *, doc_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.doc_id = doc_id


class ConfigurationError(ExtractorError):
    """Settings are missing or contradict each other (no API key, unknown prompt, ...)."""


class InputError(ExtractorError):
    """A document could not be read or is not something we can extract from."""


class _CallFailure(ExtractorError):
    def __init__(
        self,
        message: str,
        *,
        doc_id: str | None = None,
        attempts: int = 0,
        usage: Usage | None = None,
    ) -> None:
        super().__init__(message, doc_id=doc_id)
        self.attempts = attempts
        self.usage = usage or Usage(attempts=attempts)


class ModelCallError(_CallFailure):
    """The endpoint kept failing (rate limits, 5xx, timeouts) or refused the request."""


class ExtractionFailed(_CallFailure):
    """The model's answers never parsed into the schema within the re-ask budget."""


class LocalModelError(ExtractorError):
    """Fetching, verifying or serving the embedded local model failed at a named step."""

    def __init__(self, step: str, message: str) -> None:
        super().__init__(f"{step}: {message}")
        self.step = step


_KEY_SHAPE = re.compile(r"\b(?:sk-[A-Za-z0-9_\-*.]{6,}|Bearer\s+[A-Za-z0-9_\-.]{6,})")


def redact(text: str, *secrets: str | None) -> str:
    """Remove API keys (the given ones and anything shaped like a key) from `text`.

    Every place any of them covers is found in the original text first, and each run of
    covered characters becomes one "[REDACTED]": so a secret that is part of another (a key
    "test" inside "sk-test-...") cannot cut the longer one in two and leave its rest.
    """
    spans = [m.span() for m in _KEY_SHAPE.finditer(text)]
    for secret in {s for s in secrets if s and len(s) >= 4}:
        start = text.find(secret)
        while start != -1:
            spans.append((start, start + len(secret)))
            start = text.find(secret, start + 1)
    pieces: list[str] = []
    kept_from = 0
    for start, end in sorted(spans):
        if start >= kept_from:
            pieces += [text[kept_from:start], "[REDACTED]"]
        kept_from = max(kept_from, end)
    return "".join([*pieces, text[kept_from:]])
