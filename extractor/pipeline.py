"""The pipeline: document -> prompt -> model -> grounding -> record, with bounded concurrency.

Every document yields exactly one `Record`: `ok` with its grounded extraction, or `error`
with the reason. Nothing raised while handling one document can stop the others.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from extractor.errors import ExtractorError, InputError, redact
from extractor.inputs.documents import Document
from extractor.inputs.reading import read_article
from extractor.model.asked_apart import NOTHING_YET, add_figures, add_quotes, rate_ccgs
from extractor.model.client import CallOutcome, ModelClient, response_schema
from extractor.model.follow_up import added_usage, ask_with_followup
from extractor.model.kind_order import WINDOW_GATE, KindByKind
from extractor.model.prompts import Prompt, load_prompt
from extractor.model.recheck import recheck_ratings
from extractor.proof.assemble import assemble
from extractor.schema import DroppedFact, ErrorInfo, Record, Usage
from extractor.settings import Settings

__all__ = ["DocumentLike", "Extractor", "aextract", "as_documents", "extract", "extract_many"]

DocumentLike = Document | tuple[str, str] | str


class Extractor:
    """Holds the settings, the loaded prompt and one HTTP client for many documents."""

    def __init__(
        self, settings: Settings | None = None, *, client: ModelClient | None = None
    ) -> None:
        self.settings = settings or Settings.from_env()
        self.prompt: Prompt = load_prompt(self.settings.prompt, response_schema())
        self._client = client

    @property
    def client(self) -> ModelClient:
        """The model client, created on first use (so input errors need no API key)."""
        if self._client is None:
            self._client = ModelClient(self.settings)
        return self._client

    async def aclose(self) -> None:
        """Release the HTTP client."""
        if self._client is not None:
            await self._client.aclose()

    async def aextract_document(self, document: Document) -> Record:
        """Extract one document; never raises for a bad document or a failed call."""
        started = time.perf_counter()
        usage = Usage()
        try:
            text = self._checked_text(document)
            reading = read_article(text)  # once, before any question
            doc_id = document.doc_id
            messages = self.prompt.messages(text)
            if self.prompt.first_answer:
                turns = self.prompt.followup_turns(text)
                outcome = await ask_with_followup(
                    self.client, messages, turns, text, doc_id=doc_id, reading=reading
                )
            else:
                outcome = CallOutcome(answer=NOTHING_YET, usage=Usage(), validated=True)
            if self.prompt.quotes is not None:
                outcome = await add_quotes(self.client, self.prompt, text, outcome, doc_id=doc_id)
            if self.prompt.figures is not None:
                outcome = await add_figures(
                    self.client, self.prompt, text, outcome, doc_id=doc_id, reading=reading
                )
            assembled = outcome.answer.grounded_in(text) or assemble(outcome.answer, text, reading)
            if self.prompt.recheck is not None:
                outcome, assembled = await recheck_ratings(
                    self.client,
                    messages,
                    outcome,
                    assembled,
                    self.prompt.recheck,
                    text,
                    doc_id=doc_id,
                    reading=reading,
                )
            usage = outcome.usage
            if self.prompt.ratings is not None:
                first = outcome.first_answer
                conversation = None
                if first is not None:
                    assistant = {"role": "assistant", "content": first.model_dump_json()}
                    conversation = [*messages, assistant]
                spent = await rate_ccgs(
                    self.client,
                    self.prompt,
                    text,
                    conversation,
                    assembled,
                    doc_id=doc_id,
                    reading=reading,
                )
                usage = added_usage(usage, spent)
            for path in outcome.removed:
                reason = "does not fit the answer schema"
                assembled.dropped.append(DroppedFact(path=path, quote=None, reason=reason))
            if outcome.followup_error:
                failed = outcome.followup_error
                reason = f"a follow-up turn failed, the other answers kept: {failed}"
                assembled.dropped.append(DroppedFact(path="(follow-up)", quote=None, reason=reason))
            if outcome.cut_short:
                reason = "answer cut short at the token limit; its unfinished end was dropped"
                cut = DroppedFact(path="(end of answer)", quote=None, reason=reason)
                assembled.dropped.append(cut)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one document's failure must not end the batch
            return self._error_record(document, exc, started)
        return Record(
            doc_id=document.doc_id,
            source=document.source,
            input_sha256=document.text_sha256,
            status="ok",
            prompt=self.prompt.info,
            model=self.settings.model,
            usage=usage,
            extraction=assembled.extraction,
            dropped_facts=len(assembled.dropped),
            dropped=assembled.dropped,
            seconds=round(time.perf_counter() - started, 3),
        )

    async def aextract_many(self, documents: Iterable[Document]) -> AsyncIterator[Record]:
        """Yield one record per document as each finishes, at most `concurrency` at once
        (with `kind_window` above 1: that many at once, their requests kind by kind).

        Documents are pulled from the iterable only as slots free up, so memory stays flat.
        """
        if self.settings.kind_window > 1:
            async for record in self._kind_by_kind(documents):
                yield record
            return
        pending: set[asyncio.Task[Record]] = set()
        source = iter(documents)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self.settings.concurrency:
                    document = next(source, None)
                    if document is None:
                        exhausted = True
                        break
                    pending.add(asyncio.create_task(self.aextract_document(document)))
                if not pending:
                    return
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    yield task.result()
        finally:
            await _cancel_and_wait(pending)

    async def _kind_by_kind(self, documents: Iterable[Document]) -> AsyncIterator[Record]:
        """Windows of `kind_window` documents, one after another; within a window one
        request at a time, kind by kind (`model.kind_order`); records as each finishes."""
        source = iter(documents)
        while window := list(itertools.islice(source, self.settings.kind_window)):
            gate = KindByKind()
            token = WINDOW_GATE.set(gate)  # the tasks created next carry it in their context
            try:
                tasks = [asyncio.create_task(self.aextract_document(d)) for d in window]
            finally:
                WINDOW_GATE.reset(token)
            gate.admit(tasks)
            try:
                for finished in asyncio.as_completed(tasks):
                    yield await finished
            finally:
                await _cancel_and_wait(tasks)

    def _checked_text(self, document: Document) -> str:
        if document.error is not None:
            raise document.error
        text = document.text or ""
        if not text.strip():
            raise InputError(f"{document.source} is empty (no text to extract from)")
        if len(text) > self.settings.max_chars:
            raise InputError(
                f"{document.source} has {len(text):,} characters, over the limit of "
                f"{self.settings.max_chars:,} (EXTRACTOR_MAX_CHARS); split it or raise the limit"
            )
        return text

    def _error_record(self, document: Document, exc: Exception, started: float) -> Record:
        kind = type(exc).__name__
        message = exc.message if isinstance(exc, ExtractorError) else f"{kind}: {exc}"
        usage = getattr(exc, "usage", None)
        return Record(
            doc_id=document.doc_id,
            source=document.source,
            input_sha256=document.text_sha256,
            status="error",
            error=ErrorInfo(type=kind, message=redact(message, self.settings.api_key)),
            prompt=self.prompt.info,
            model=self.settings.model,
            usage=usage if isinstance(usage, Usage) else Usage(),
            seconds=round(time.perf_counter() - started, 3),
        )


def as_documents(items: Iterable[DocumentLike]) -> Iterable[Document]:
    """Accept `Document`s, `(doc_id, text)` pairs or plain texts (ids "doc-1", "doc-2", ...)."""
    for number, item in enumerate(items, start=1):
        if isinstance(item, Document):
            yield item
        elif isinstance(item, tuple):
            doc_id, text = item
            yield Document(doc_id=str(doc_id), source=str(doc_id), text=text)
        else:
            yield Document(doc_id=f"doc-{number}", source="<text>", text=item)


async def aextract(
    text: str, *, doc_id: str = "document", settings: Settings | None = None, **overrides: Any
) -> Record:
    """Extract every CCG assessment from one article's text; returns its `Record`."""
    extractor = Extractor(_settings(settings, overrides))
    try:
        return await extractor.aextract_document(
            Document(doc_id=doc_id, source="<text>", text=text)
        )
    finally:
        await extractor.aclose()


def extract(
    text: str, *, doc_id: str = "document", settings: Settings | None = None, **overrides: Any
) -> Record:
    """Blocking `aextract`. Inside a running event loop, await `aextract` instead."""
    record: Record = _run(aextract(text, doc_id=doc_id, settings=settings, **overrides))
    return record


def extract_many(
    items: Iterable[DocumentLike], *, settings: Settings | None = None, **overrides: Any
) -> list[Record]:
    """Extract many documents concurrently; records come back in input order."""
    extractor = Extractor(_settings(settings, overrides))
    documents = list(as_documents(items))

    async def run() -> list[Record]:
        try:
            by_id = {r.doc_id: r async for r in extractor.aextract_many(documents)}
        finally:
            await extractor.aclose()
        return [by_id[d.doc_id] for d in documents]

    records: list[Record] = _run(run())
    return records


def _settings(settings: Settings | None, overrides: dict[str, Any]) -> Settings:
    if settings is None:
        return Settings.from_env(**overrides)
    return settings.replace(**overrides) if overrides else settings


def _run(coroutine: Any) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        running = False
    else:
        running = True
    if running:
        coroutine.close()
        raise RuntimeError("called inside a running event loop: use `await aextract(...)` instead")
    # Outside the `except` block: errors from the run must not chain "no running event loop".
    return asyncio.run(coroutine)


async def _cancel_and_wait(tasks: Iterable[asyncio.Task[Record]]) -> None:
    """Cancel the tasks of an abandoned batch and wait until each has ended."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.gather(*tasks, return_exceptions=True)
