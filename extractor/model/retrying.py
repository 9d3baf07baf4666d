"""The one place transport failures are retried.

Rate limits (429, honouring Retry-After), server errors (5xx), timeouts and connection
errors are retried with exponential backoff and full jitter, bounded in attempts and in the
longest single wait. Everything else (bad requests, authentication, a model that will not
answer in schema) is not a transport failure and is not retried here: validation failures
are re-asked by instructor, inside each attempt, with their own bound. A 200 reply whose
body is no chat completion is made a transport failure here too (`reject_broken_completion`).
"""

from __future__ import annotations

import email.utils
import json
import time
from typing import Any

import openai
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)
from tenacity.wait import wait_base

__all__ = [
    "RETRYABLE_STATUS",
    "BrokenCompletionBody",
    "is_transient",
    "reject_broken_completion",
    "retry_after_seconds",
    "root_cause",
    "transport_retrying",
]

RETRYABLE_STATUS = frozenset({408, 409, 429, 500, 502, 503, 504})


def root_cause(exc: BaseException) -> BaseException:
    """Unwrap instructor's retry exception to the error the HTTP client raised."""
    seen: set[int] = set()
    while (
        exc.__cause__ is not None
        and id(exc) not in seen
        and not isinstance(exc, openai.OpenAIError)
    ):
        seen.add(id(exc))
        exc = exc.__cause__
    return exc


def is_transient(exc: BaseException) -> bool:
    """True for failures worth retrying: rate limits, 5xx, timeouts, dropped connections."""
    cause = root_cause(exc)
    if isinstance(cause, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(cause, openai.APIStatusError):
        return cause.status_code in RETRYABLE_STATUS
    return False


def retry_after_seconds(exc: BaseException, *, now: float | None = None) -> float | None:
    """Seconds the server asked us to wait (Retry-After / retry-after-ms), if it did."""
    cause = root_cause(exc)
    response = getattr(cause, "response", None)
    headers: Any = getattr(response, "headers", None)
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if value else None
    if parsed is None:
        return None
    current = time.time() if now is None else now
    return max(parsed.timestamp() - current, 0.0)


class _wait_retry_after_or_backoff(wait_base):
    """Wait what Retry-After says (capped), else exponential backoff with jitter."""

    def __init__(self, initial: float, max_wait: float) -> None:
        self.max_wait = max_wait
        self.backoff = wait_exponential_jitter(initial=initial, max=max_wait, jitter=initial)

    def __call__(self, retry_state: RetryCallState) -> float:
        outcome = retry_state.outcome
        exc = outcome.exception() if outcome is not None else None
        asked = retry_after_seconds(exc) if exc is not None else None
        if asked is not None:
            return min(asked, self.max_wait)
        return min(self.backoff(retry_state), self.max_wait)


def transport_retrying(
    max_retries: int, *, max_wait: float = 60.0, initial_wait: float = 1.0
) -> AsyncRetrying:
    """A tenacity policy: `max_retries` retries after the first try, transient errors only."""
    return AsyncRetrying(
        retry=retry_if_exception(is_transient),
        stop=stop_after_attempt(max_retries + 1),
        wait=_wait_retry_after_or_backoff(initial_wait, max_wait),
        reraise=True,
    )


class BrokenCompletionBody(Exception):
    """A 200 reply to a chat completion whose body is not one (raised inside the HTTP client,
    which the openai client reports as a connection error: a transport failure)."""


async def reject_broken_completion(response: Any) -> None:
    """Turn a 200 reply to a chat completion whose body is not valid JSON, or not a chat
    completion, into a transport failure (retried under `max_retries` like a 5xx), instead of
    an answer that does not fit, which would spend the re-ask budget on a server's glitch."""
    request = response.request
    if (
        request.method != "POST"
        or response.status_code != 200
        or not request.url.path.endswith("/chat/completions")
        or "text/event-stream" in response.headers.get("content-type", "")
    ):
        return
    body = await response.aread()
    try:
        completion = json.loads(body)
    except ValueError:
        completion = None
    if not isinstance(completion, dict) or not isinstance(completion.get("choices"), list):
        raise BrokenCompletionBody(
            f"the server's 200 reply is not a chat completion ({len(body)} bytes)"
        )
