"""A stand-in for `ModelClient` that answers `ask` from a script, for turn-by-turn tests."""

from __future__ import annotations

from typing import Any

from extractor.model.client import CallOutcome


class ScriptedClient:
    """Answers `ask` from a script; records the conversations it was sent."""

    def __init__(self, *replies: CallOutcome | Exception) -> None:
        self.replies = list(replies)
        self.sent: list[list[dict[str, str]]] = []

    async def ask(
        self, messages: list[dict[str, str]], article: str, *, doc_id: str, reading: Any = None
    ) -> Any:
        self.sent.append(messages)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply
