"""Ask the model for one article's answer through openai + instructor.

Two bounded loops, nested and separate: the outer one (`retrying.transport_retrying`)
retries transport failures; the inner one is instructor's, which re-asks when the answer
does not validate (schema or grounding), telling the model exactly what was wrong. API
errors never reach a re-ask. When the re-asks run out, the last answer is parsed without the
grounding check so that `assemble` can keep the grounded facts and drop the rest.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError

from extractor.answer.article import ArticleAnswer
from extractor.errors import ExtractionFailed, ModelCallError, redact
from extractor.inputs.reading import ArticleReading, read_article
from extractor.model.answer_outline import outlined, without_fields
from extractor.model.kind_order import WINDOW_GATE
from extractor.model.log_redaction import redact_logs
from extractor.model.retrying import (
    is_transient,
    reject_broken_completion,
    root_cause,
    transport_retrying,
)
from extractor.model.salvage import salvage
from extractor.proof.assemble import validation_context
from extractor.schema import Usage
from extractor.settings import Settings

__all__ = ["CallOutcome", "ModelClient", "Reply", "answer_json", "response_schema"]

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}
_MAX_ERROR_CHARS = 600
_SCHEMA_IN_TEXT = ("md_json", "json")
"""The modes in which instructor writes the schema into the messages (the others send it as a
request parameter)."""


def response_schema() -> dict[str, Any]:
    """The JSON schema the model is asked to fill (hashed into the prompt's sha256)."""
    return ArticleAnswer.model_json_schema()


_RESPONSE_MODEL = instructor.openai_schema(ArticleAnswer)
"""`ArticleAnswer` wrapped for instructor once. Given the bare class, instructor wraps it anew on
every call (a new pydantic class, whose tool schema its cache then never hits): about 5 ms of
CPU per request. The request body is byte-for-byte the same (see bench/README.md)."""


@dataclass(slots=True)
class CallOutcome:
    """What one document's call produced."""

    answer: ArticleAnswer
    usage: Usage
    validated: bool
    """False when re-asks ran out and the last answer was kept for grounding to sort out."""
    last_problem: str | None = None
    cut_short: bool = False
    """True when the answer ended mid-JSON and only its complete part was kept."""
    removed: list[str] = field(default_factory=list)
    """Paths of items removed from the answer because they broke the schema."""
    followup_error: str | None = None
    """Why the follow-up turn failed (the first answer is kept), if it did."""
    first_answer: ArticleAnswer | None = None
    """The first answer, before follow-ups were merged: the assistant turn later turns
    branch from."""


@dataclass(slots=True)
class Reply:
    """One answer to a narrow question (`ModelClient.ask_for`): what fitted its model."""

    answer: BaseModel
    usage: Usage
    removed: list[str] = field(default_factory=list)
    """Paths of items removed because they broke the answer's model."""
    problem: str | None = None
    cut_short: bool = False


@dataclass(slots=True)
class _Meter:
    usage: Usage = field(default_factory=Usage)

    def attempt(self, *args: Any, **kwargs: Any) -> None:
        self.usage.attempts += 1

    def response(self, response: Any) -> None:
        usage = getattr(response, "usage", None)
        if usage is not None:
            self.usage.prompt_tokens += usage.prompt_tokens or 0
            self.usage.completion_tokens += usage.completion_tokens or 0

    def hooks(self) -> Hooks:
        hooks = Hooks()
        hooks.on("completion:kwargs", self.attempt)
        hooks.on("completion:response", self.response)
        return hooks


class ModelClient:
    """An OpenAI-compatible endpoint wrapped by instructor, with the retry policy."""

    def __init__(self, settings: Settings, *, http_client: Any = None) -> None:
        self.settings = settings
        api_key = settings.require_key()
        if settings.api_key:
            redact_logs(settings.api_key)
        if http_client is None:
            # never send a request for our own 127.0.0.1 server through an HTTP(S)_PROXY
            http_client = openai.DefaultAsyncHttpxClient(
                trust_env=not _is_loopback(settings.base_url),
                event_hooks={"response": [reject_broken_completion]},
            )
        self._openai = openai.AsyncOpenAI(
            api_key=api_key,
            base_url=settings.base_url,
            timeout=settings.timeout,
            max_retries=0,
            http_client=http_client,
        )
        self._instructor = instructor.from_openai(self._openai, mode=_MODES[settings.mode])

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._openai.close()

    async def ask(
        self,
        messages: list[dict[str, str]],
        article: str,
        *,
        doc_id: str,
        reading: ArticleReading | None = None,
    ) -> CallOutcome:
        """Send one article; return the validated (or last) answer with its usage. The answer
        proves itself against the article and its `reading` (`inputs.reading`; read here when
        not given).

        Raises `ModelCallError` when the endpoint keeps failing or refuses, and
        `ExtractionFailed` when no answer ever fits the schema.
        """
        meter = _Meter()
        context = validation_context(article, reading or read_article(article))
        try:
            async for attempt in transport_retrying(
                self.settings.max_retries, max_wait=self.settings.retry_max_wait
            ):
                with attempt:
                    return await self._ask_once(messages, context, meter, doc_id)
        except InstructorRetryException as exc:
            raise self._call_error(exc, meter, doc_id) from None
        except openai.OpenAIError as exc:
            raise self._call_error(exc, meter, doc_id) from None
        raise ModelCallError("no attempt was made", doc_id=doc_id, usage=meter.usage)

    async def ask_for(
        self,
        messages: list[dict[str, str]],
        model: type[BaseModel],
        *,
        doc_id: str,
        outline: bool = False,
        left_out: frozenset[str] = frozenset(),
    ) -> Reply:
        """Ask a narrow question whose answer is `model`; keep what fits of the answer.

        Transport failures are retried as for `ask`; an answer that does not fit is re-asked
        (`max_reasks`), then salvaged item by item; only an answer with nothing usable
        raises `ExtractionFailed`. With `outline` (the messages state the answer's JSON), a
        mode that writes the schema into the messages writes only its outline. Fields named in
        `left_out` are left out of the schema sent (in every mode); an answer giving them is
        still read.
        """
        meter = _Meter()
        shown = without_fields(model, left_out) if left_out else model
        if outline and self.settings.mode in _SCHEMA_IN_TEXT:
            shown = outlined(shown)
        wrapped = instructor.openai_schema(shown)
        try:
            async for attempt in transport_retrying(
                self.settings.max_retries, max_wait=self.settings.retry_max_wait
            ):
                with attempt:
                    try:
                        answer = await self._create(messages, wrapped, {}, meter)
                    except IncompleteOutputException as exc:
                        cut = f"cut short at max_tokens={self.settings.max_tokens}"
                        return self._salvaged(model, exc.last_completion, cut, meter, doc_id)
                    except InstructorRetryException as exc:
                        if isinstance(root_cause(exc), openai.OpenAIError):
                            raise
                        last = exc.failed_attempts[-1].completion if exc.failed_attempts else None
                        problem = _problem_of(root_cause(exc))
                        return self._salvaged(model, last, problem, meter, doc_id)
                    return Reply(answer=answer, usage=meter.usage)
        except InstructorRetryException as exc:
            raise self._call_error(exc, meter, doc_id) from None
        except openai.OpenAIError as exc:
            raise self._call_error(exc, meter, doc_id) from None
        raise ModelCallError("no attempt was made", doc_id=doc_id, usage=meter.usage)

    def _salvaged(
        self, model: type[BaseModel], completion: Any, problem: str, meter: _Meter, doc_id: str
    ) -> Reply:
        text = _answer_text(completion)
        kept = salvage(model, text) if text is not None else None
        if kept is None:
            raise ExtractionFailed(
                f"no answer fitted the schema after {meter.usage.attempts} attempts: "
                + self._clean(problem),
                doc_id=doc_id,
                attempts=meter.usage.attempts,
                usage=meter.usage,
            )
        return Reply(
            answer=kept.answer,
            usage=meter.usage,
            removed=kept.removed,
            problem=self._clean(problem),
            cut_short=kept.truncated,
        )

    async def _create(
        self,
        messages: list[dict[str, str]],
        response_model: Any,
        context: dict[str, Any],
        meter: _Meter,
    ) -> Any:
        extra: dict[str, Any] = {}
        if body := self.settings.extra_body_fields():
            extra["extra_body"] = body
        literal, variables = _literal_messages(messages)
        gate = WINDOW_GATE.get()
        kind = messages[0]["content"] if messages and messages[0]["role"] == "system" else ""
        async with gate.turn(kind) if gate is not None else nullcontext():
            return await self._instructor.chat.completions.create(
                model=self.settings.model,
                messages=literal,  # type: ignore[arg-type]
                response_model=response_model,
                max_retries=self.settings.max_reasks,
                context={**variables, **context},
                temperature=self.settings.temperature,
                max_tokens=self.settings.max_tokens,
                hooks=meter.hooks(),
                **extra,
            )

    async def _ask_once(
        self, messages: list[dict[str, str]], context: dict[str, Any], meter: _Meter, doc_id: str
    ) -> CallOutcome:
        try:
            answer = await self._create(messages, _RESPONSE_MODEL, context, meter)
        except IncompleteOutputException as exc:
            cut = f"the answer was cut short at max_tokens={self.settings.max_tokens}"
            return self._kept_or_failed(_answer_text(exc.last_completion), cut, meter, doc_id)
        except InstructorRetryException as exc:
            if isinstance(root_cause(exc), openai.OpenAIError):
                raise
            return self._keep_last_answer(exc, meter, doc_id)
        return CallOutcome(answer=answer, usage=meter.usage, validated=True)

    def _keep_last_answer(
        self, exc: InstructorRetryException, meter: _Meter, doc_id: str
    ) -> CallOutcome:
        cause = root_cause(exc)
        problem = self._clean(
            _validation_summary(cause) if isinstance(cause, ValidationError) else str(cause)
        )
        completion = exc.failed_attempts[-1].completion if exc.failed_attempts else None
        return self._kept_or_failed(_answer_text(completion), problem, meter, doc_id)

    def _kept_or_failed(
        self, text: str | None, problem: str, meter: _Meter, doc_id: str
    ) -> CallOutcome:
        """Keep the last answer for grounding to sort out: whole if it fits the schema, else
        its valid part (items that break the schema and an unfinished end are removed and
        reported); else the document fails."""
        if text is not None:
            try:
                answer = ArticleAnswer.model_validate_json(text)
            except ValidationError as invalid:
                problem = self._clean(_validation_summary(invalid))
            else:
                return CallOutcome(
                    answer=answer, usage=meter.usage, validated=False, last_problem=problem
                )
            kept = salvage(ArticleAnswer, text)
            if kept is not None and isinstance(kept.answer, ArticleAnswer):
                return CallOutcome(
                    answer=kept.answer,
                    usage=meter.usage,
                    validated=False,
                    last_problem=problem,
                    cut_short=kept.truncated,
                    removed=kept.removed,
                )
        raise ExtractionFailed(
            f"no answer fitted the schema after {meter.usage.attempts} attempts: {problem}",
            doc_id=doc_id,
            attempts=meter.usage.attempts,
            usage=meter.usage,
        )

    def _call_error(self, exc: BaseException, meter: _Meter, doc_id: str) -> ModelCallError:
        cause = root_cause(exc)
        kind = type(cause).__name__
        if is_transient(cause):
            message = f"gave up after {meter.usage.attempts} attempts: {kind}: {cause}"
        else:
            message = f"{kind}: {cause}"
        underlying = cause.__cause__
        if underlying is not None:
            message += f" (caused by {type(underlying).__name__}: {underlying})"
        return ModelCallError(
            self._clean(message), doc_id=doc_id, attempts=meter.usage.attempts, usage=meter.usage
        )

    def _clean(self, text: str) -> str:
        text = redact(text, self.settings.api_key)
        return text if len(text) <= _MAX_ERROR_CHARS else text[:_MAX_ERROR_CHARS] + " ..."


def _literal_messages(
    messages: list[dict[str, str]],
) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Messages whose text instructor's Jinja templating passes through unchanged.

    Given a `context` (which the grounding validator needs), instructor renders every message
    as a Jinja template: an article's "{{ 7*7 }}" reached the model as "49", "{# ... #}"
    vanished, "{% if" failed the document and CRLF line ends became LF. Each content is passed
    as a template variable instead, which Jinja outputs as is and never parses.
    """
    literal: list[dict[str, str]] = []
    variables: dict[str, str] = {}
    for number, message in enumerate(messages):
        name = f"message_{number}"
        variables[name] = message["content"]
        literal.append({**message, "content": "{{ " + name + " }}"})
    return literal, variables


def _problem_of(cause: BaseException) -> str:
    return _validation_summary(cause) if isinstance(cause, ValidationError) else str(cause)


def _validation_summary(error: ValidationError) -> str:
    """A validation error on one line for records and logs: "2 validation errors: published:
    Field required; assessments.0.overall: Input should be 'good', ..." (pydantic's own text
    spreads each error over three lines and repeats the input)."""
    parts = [
        f"{'.'.join(str(part) for part in item['loc']) or '(answer)'}: {item['msg']}"
        for item in error.errors()
    ]
    plural = "" if len(parts) == 1 else "s"
    return f"{len(parts)} validation error{plural}: " + "; ".join(parts)


def _is_loopback(base_url: str | None) -> bool:
    host = urlsplit(base_url).hostname if base_url else None
    return host in ("127.0.0.1", "localhost", "::1")


def _answer_text(completion: Any) -> str | None:
    """The JSON the model produced: the tool call's arguments, or the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    tool_calls = getattr(message, "tool_calls", None) or []
    if tool_calls:
        return str(tool_calls[0].function.arguments)
    content = getattr(message, "content", None)
    return answer_json(content) if isinstance(content, str) else None


def answer_json(content: str) -> str:
    """The JSON of a message's content: what its first ```json fence holds, else all of it."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, flags=re.DOTALL)
    return fenced.group(1) if fenced else content
