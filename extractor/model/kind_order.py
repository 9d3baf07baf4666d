"""Several documents' model requests asked one at a time, kind by kind.

Each kind of narrow question (who said the quotations, the figures, the ratings) starts with
the same instructions for every article. A local llama.cpp server answers one request at a
time and reuses the longest prefix a request shares with the one before it, so asking every
document's quotation questions, then every figure question, then every ratings question
evaluates each kind's instructions once per window of documents instead of once per request
(`python -m bench.request_order`: 32 % less time on the five samples).

`KindByKind` is a gate the documents of one window pass their requests through. It lets one
request through at a time, and chooses it only when every document of the window is waiting
at the gate (or done), so the order depends on the documents alone, never on timing:

- a request of the same kind as the last one, if one is waiting;
- else the request of the document earliest in the window, which sets the next kind;
- between documents asking the same kind, the one earliest in the window.

Every document asks its kinds in the prompt's order, so the window goes through them in
that order too.

A request's kind is its system message. The requests themselves are unchanged.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

__all__ = ["WINDOW_GATE", "KindByKind"]


@dataclass(eq=False)
class _Waiting:
    task: asyncio.Task[Any]
    kind: str
    granted: asyncio.Future[None] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class KindByKind:
    """The gate of one window of documents (one asyncio task each, `admit`ted in order)."""

    def __init__(self) -> None:
        self._place: dict[asyncio.Task[Any], int] = {}
        self._waiting: list[_Waiting] = []
        self._busy = False
        self._last_kind: str | None = None

    def admit(self, tasks: Iterable[asyncio.Task[Any]]) -> None:
        """Make `tasks` the window's documents, in this order; each leaves when it is done.
        Admit them before they first run (right after creating them)."""
        for task in tasks:
            self._place[task] = len(self._place)
            task.add_done_callback(self._finished)

    @asynccontextmanager
    async def turn(self, kind: str) -> AsyncIterator[None]:
        """Wait for this task's turn to send a request of `kind`; hold it until the block
        ends. A task outside the window passes straight through."""
        task = asyncio.current_task()
        if task not in self._place:
            yield
            return
        waiting = _Waiting(task, kind)
        self._waiting.append(waiting)
        self._let_next_through()
        try:
            await waiting.granted
        except asyncio.CancelledError:
            if waiting in self._waiting:
                self._waiting.remove(waiting)
            elif waiting.granted.done() and not waiting.granted.cancelled():
                self._busy = False  # granted, then cancelled before it could use the turn
            self._let_next_through()
            raise
        try:
            yield
        finally:
            self._busy = False
            self._last_kind = kind
            self._let_next_through()

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._place.pop(task, None)
        self._let_next_through()

    def _let_next_through(self) -> None:
        if self._busy or not self._waiting or len(self._waiting) < len(self._place):
            return  # a request is out, or a document is still working toward its next one
        by_place = sorted(self._waiting, key=lambda w: self._place[w.task])
        same = [w for w in by_place if w.kind == self._last_kind]
        chosen = same[0] if same else by_place[0]
        self._waiting.remove(chosen)
        self._busy = True
        chosen.granted.set_result(None)


WINDOW_GATE: ContextVar[KindByKind | None] = ContextVar("extractor_window_gate", default=None)
"""The gate of the window the running document belongs to (set by the pipeline)."""
