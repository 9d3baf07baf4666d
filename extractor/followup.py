"""A second turn that asks the model for the figures and quotations its answer left out.

A small model's answer has a budget: when it lists many figures it drops the quotations, and
the other way round. A prompt with a `followup.md` gets a second request in the same
conversation: the first answer goes back as the assistant's turn, then the follow-up text.
The system prompt and the article are the same prefix, so a server with a prompt cache
processes only the new turn. Only `metrics` and `quotes` are taken from the second answer,
added to the first answer's (duplicates skipped); everything is then grounded as usual.
A failed follow-up never costs the first answer.
"""

from __future__ import annotations

from extractor.answer import ArticleAnswer
from extractor.client import CallOutcome, ModelClient
from extractor.errors import ExtractorError
from extractor.schema import Usage

__all__ = ["ask_with_followup", "merge_followup"]


async def ask_with_followup(
    client: ModelClient,
    messages: list[dict[str, str]],
    followup: str | None,
    article: str,
    *,
    doc_id: str,
) -> CallOutcome:
    """Ask once; with a follow-up text, ask again in the same conversation and merge."""
    first = await client.ask(messages, article, doc_id=doc_id)
    if followup is None:
        return first
    conversation = [
        *messages,
        {"role": "assistant", "content": first.answer.model_dump_json()},
        {"role": "user", "content": followup},
    ]
    try:
        second = await client.ask(conversation, article, doc_id=doc_id)
    except ExtractorError as exc:
        first.followup_error = exc.message
        usage = getattr(exc, "usage", None)
        if isinstance(usage, Usage):
            first.usage = _added(first.usage, usage)
        return first
    return merge_followup(first, second)


def merge_followup(first: CallOutcome, second: CallOutcome) -> CallOutcome:
    """The first answer plus the second answer's new metrics and quotes."""
    answer = first.answer
    metric_keys = {(m.value, m.evidence.strip().lower()) for m in answer.metrics}
    quote_keys = {q.text.strip().lower() for q in answer.quotes}
    metrics = list(answer.metrics)
    for metric in second.answer.metrics:
        key = (metric.value, metric.evidence.strip().lower())
        if key not in metric_keys:
            metric_keys.add(key)
            metrics.append(metric)
    quotes = list(answer.quotes)
    for quote in second.answer.quotes:
        if quote.text.strip().lower() not in quote_keys:
            quote_keys.add(quote.text.strip().lower())
            quotes.append(quote)
    # A new model, not model_copy: the first answer's cached grounding must not carry over.
    merged = ArticleAnswer.model_validate(
        {
            **answer.model_dump(),
            "metrics": [m.model_dump() for m in metrics],
            "quotes": [q.model_dump() for q in quotes],
        }
    )
    return CallOutcome(
        answer=merged,
        usage=_added(first.usage, second.usage),
        validated=first.validated and second.validated,
        last_problem=first.last_problem or second.last_problem,
        cut_short=first.cut_short or second.cut_short,
        removed=first.removed + [f"(follow-up) {path}" for path in second.removed],
    )


def _added(one: Usage, other: Usage) -> Usage:
    return Usage(
        prompt_tokens=one.prompt_tokens + other.prompt_tokens,
        completion_tokens=one.completion_tokens + other.completion_tokens,
        attempts=one.attempts + other.attempts,
    )
