"""API keys never reach logs: a filter on the loggers that write API errors redacts them.

instructor logs every failed attempt at ERROR with the server's message, which may echo the
key; `redact_logs` adds a client's key to one filter set on each of those loggers, so the
key is removed before any handler sees the record.
"""

from __future__ import annotations

import logging

from extractor.errors import redact

__all__ = ["redact_logs"]

_LOGGERS_TO_REDACT = (
    "instructor",
    "instructor.v2",
    "instructor.v2.retry",
    "instructor.auto_client",
    "openai",
    "openai._base_client",
)
"""Loggers that write API error messages (instructor logs every failed attempt at ERROR, with
the server's message, which may echo the key); a filter on each redacts before any handler."""


class _RedactingFilter(logging.Filter):
    """Remove the API keys of this process's clients (and key-shaped text) from log records."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message, *self.secrets)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), *self.secrets
            )
        return True


_LOG_FILTER = _RedactingFilter()
logging.getLogger("instructor").addHandler(logging.NullHandler())
"""instructor logs every answer that fails validation at ERROR; the extractor handles those
(salvage, `dropped`), so without a logging set-up of the user's they are not printed to
stderr by Python's last-resort handler. A configured root logger still receives them."""


def redact_logs(secret: str) -> None:
    """Keep `secret` (an API key) out of every log record of the loggers that write API
    errors."""
    _LOG_FILTER.secrets.add(secret)
    for name in _LOGGERS_TO_REDACT:
        logger = logging.getLogger(name)
        if _LOG_FILTER not in logger.filters:
            logger.addFilter(_LOG_FILTER)
