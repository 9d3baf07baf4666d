"""Follow-up turns that ask the model for what its first answer left out.

A small model's answer has a budget: when it lists many figures it drops the quotations, and
the other way round. A prompt with follow-ups (`model.follow_up.md`, `followup_*.md`) gets one more
request per follow-up: the first answer goes back as the assistant's turn, then the
follow-up text. Every follow-up branches from the first answer, so the system prompt, the
article and that answer are the same prefix each time and a server with a prompt cache
processes only the new turn. From each later answer only new `metrics` and `quotes` are
added (duplicates skipped), new area ratings and indicators of CCGs the first answer already
assesses (a later answer never adds a CCG), and its `national` figures when the first answer
had none;
everything is then grounded as usual. A failed follow-up never costs the first answer or the
other follow-ups.
"""

from __future__ import annotations

from collections.abc import Sequence

from extractor.answer.article import AnswerAssessment, ArticleAnswer
from extractor.errors import ExtractorError
from extractor.inputs.reading import ArticleReading
from extractor.model.client import CallOutcome, ModelClient
from extractor.names.reference_table import canonical_key
from extractor.schema import Usage

__all__ = ["added_usage", "ask_with_followup", "merge_followup"]


async def ask_with_followup(
    client: ModelClient,
    messages: list[dict[str, str]],
    followups: Sequence[str],
    article: str,
    *,
    doc_id: str,
    reading: ArticleReading | None = None,
) -> CallOutcome:
    """Ask once, then ask each follow-up after the first answer and merge what it adds
    (`reading`: the article's, `inputs.reading`)."""
    first = await client.ask(messages, article, doc_id=doc_id, reading=reading)
    first.first_answer = first.answer
    if not followups:
        return first
    prefix = [*messages, {"role": "assistant", "content": first.answer.model_dump_json()}]
    merged = first
    for followup in followups:
        try:
            later = await client.ask(
                [*prefix, {"role": "user", "content": followup}],
                article,
                doc_id=doc_id,
                reading=reading,
            )
        except ExtractorError as exc:
            if merged.followup_error is None:
                merged.followup_error = exc.message
            usage = getattr(exc, "usage", None)
            if isinstance(usage, Usage):
                merged.usage = added_usage(merged.usage, usage)
            continue
        merged = merge_followup(merged, later)
    return merged


def merge_followup(first: CallOutcome, second: CallOutcome) -> CallOutcome:
    """The first answer plus the later answer's new metrics and quotes (and national figures,
    when the first answer has none)."""
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
    national = answer.national if answer.national is not None else second.answer.national
    assessments = _with_later_ratings(answer.assessments, second.answer.assessments)
    # A new model, not model_copy: the first answer's cached grounding must not carry over.
    merged = ArticleAnswer.model_validate(
        {
            **answer.model_dump(),
            "metrics": [m.model_dump() for m in metrics],
            "quotes": [q.model_dump() for q in quotes],
            "national": national.model_dump() if national is not None else None,
            "assessments": [a.model_dump() for a in assessments],
        }
    )
    return CallOutcome(
        answer=merged,
        usage=added_usage(first.usage, second.usage),
        validated=first.validated and second.validated,
        last_problem=first.last_problem or second.last_problem,
        cut_short=first.cut_short or second.cut_short,
        removed=first.removed + [f"(follow-up) {path}" for path in second.removed],
        followup_error=first.followup_error,
        first_answer=first.first_answer,
    )


def _with_later_ratings(
    first: list[AnswerAssessment], later: list[AnswerAssessment]
) -> list[AnswerAssessment]:
    """`first`, each with the area ratings and indicators a later answer gives the same CCG
    that it does not have yet."""
    merged = [assessment.model_copy(deep=True) for assessment in first]
    by_ccg = {canonical_key(assessment.ccg): assessment for assessment in merged}
    for assessment in later:
        into = by_ccg.get(canonical_key(assessment.ccg))
        if into is None:
            continue
        areas = {area.area for area in into.areas}
        into.areas += [area for area in assessment.areas if area.area not in areas]
        names = {indicator.name.strip().lower() for indicator in into.indicators}
        into.indicators += [
            indicator
            for indicator in assessment.indicators
            if indicator.name.strip().lower() not in names
        ]
    return merged


def added_usage(one: Usage, other: Usage) -> Usage:
    """The token counts and attempts of two calls together."""
    return Usage(
        prompt_tokens=one.prompt_tokens + other.prompt_tokens,
        completion_tokens=one.completion_tokens + other.completion_tokens,
        attempts=one.attempts + other.attempts,
    )
