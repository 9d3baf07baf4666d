"""The parts of an extraction a prompt asks for apart, in narrow questions.

A prompt may ask who said each quotation (`quotes.md`), the figures of the sentences that
hold one (`figures.md`) and the CCGs' ratings (`ratings.md`) apart from its first answer,
or instead of one (a prompt without `system.md`). Quotations and figures join the answer
before it is grounded, so they are proven like the first answer's; ratings replace its
assessments and are proven sentence by sentence (`proof.assemble.prove_ratings`).
"""

from __future__ import annotations

from extractor.answer.article import ArticleAnswer
from extractor.inputs.reading import ArticleReading
from extractor.model.ccg_questions import ask_about_ccgs, ask_year
from extractor.model.client import CallOutcome, ModelClient
from extractor.model.figure_questions import ask_for_figures
from extractor.model.follow_up import added_usage
from extractor.model.prompts import Prompt
from extractor.model.quote_questions import ask_who_said
from extractor.names.context import ccg_contexts
from extractor.proof.assemble import Assembled, prove_ratings
from extractor.proof.metrics import ccg_spoken_of, with_band_counts
from extractor.schema import DroppedFact, Usage

__all__ = ["NOTHING_YET", "add_figures", "add_quotes", "rate_ccgs"]

NOTHING_YET = ArticleAnswer(published=None, assessments=[], national=None, metrics=[], quotes=[])
"""The answer a prompt without a first answer starts from."""
_MISFIT = "does not fit the answer schema"


def _with(outcome: CallOutcome, answer: ArticleAnswer, usage: Usage) -> CallOutcome:
    # A new answer, not model_copy: the first answer's cached grounding must not carry over.
    outcome.answer = ArticleAnswer.model_validate(answer.model_dump())
    outcome.usage = added_usage(outcome.usage, usage)
    return outcome


def _note_failures(outcome: CallOutcome, failed: list[str]) -> None:
    if failed and outcome.followup_error is None:
        outcome.followup_error = "; ".join(failed)


async def add_quotes(
    client: ModelClient, prompt: Prompt, text: str, outcome: CallOutcome, *, doc_id: str
) -> CallOutcome:
    """The answer with the quotes the speaker questions attribute added, after those it has
    already (the same words)."""
    assert prompt.quotes is not None
    speakers = await ask_who_said(
        client,
        prompt.preamble(prompt.quotes),
        prompt.quotes.question,
        text,
        doc_id=doc_id,
    )
    answer = outcome.answer
    known = {" ".join(q.text.lower().split()) for q in answer.quotes}
    added = [q for q in speakers.quotes if " ".join(q.text.lower().split()) not in known]
    outcome = _with(
        outcome, answer.model_copy(update={"quotes": [*answer.quotes, *added]}), speakers.usage
    )
    outcome.removed += speakers.removed
    _note_failures(outcome, speakers.failed)
    return outcome


async def add_figures(
    client: ModelClient,
    prompt: Prompt,
    text: str,
    outcome: CallOutcome,
    *,
    doc_id: str,
    reading: ArticleReading | None = None,
) -> CallOutcome:
    """The answer with the metrics the figure questions give added (a figure it has already,
    the same value in the same sentence, once); counts of indicators in a band are read by
    code (`proof.metrics.with_band_counts`). `reading`: the article's (`inputs.reading`)."""
    assert prompt.figures is not None
    contexts = reading.ccg_contexts if reading is not None else ccg_contexts(text)
    names = [context.ccg.as_written for context in contexts]
    figures = await ask_for_figures(
        client,
        prompt.preamble(prompt.figures),
        prompt.figures.question,
        text,
        names,
        doc_id=doc_id,
        reading=reading,
    )
    answer = outcome.answer
    read = [
        metric.model_copy(update={"ccg": ccg_spoken_of(contexts, number, metric.ccg)})
        for metric, number in zip(figures.metrics, figures.sentences, strict=True)
    ]
    read = with_band_counts(read, figures.sentences, text, contexts, reading)
    metrics = [*answer.metrics, *read]
    outcome = _with(outcome, answer.model_copy(update={"metrics": metrics}), figures.usage)
    outcome.removed += figures.removed
    _note_failures(outcome, figures.failed)
    return outcome


async def rate_ccgs(
    client: ModelClient,
    prompt: Prompt,
    text: str,
    conversation: list[dict[str, str]] | None,
    assembled: Assembled,
    *,
    doc_id: str,
    reading: ArticleReading | None = None,
) -> Usage:
    """Replace the assessments with the CCG ratings asked apart and proven sentence by
    sentence; the year is asked in the first answer's `conversation` when there is one and
    the prompt asks it. Returns what asking cost. `reading`: the article's (`inputs.reading`),
    whose CCGs are asked about."""
    questions = prompt.ratings
    assert questions is not None
    contexts = reading.ccg_contexts if reading is not None else ccg_contexts(text)
    usage = Usage()
    year = None
    if questions.year is not None and conversation is not None and contexts:
        year, usage = await ask_year(client, conversation, questions.year, text, doc_id=doc_id)
    questioned = await ask_about_ccgs(
        client,
        prompt.preamble(questions),
        questions.question,
        text,
        contexts,
        doc_id=doc_id,
    )
    assessments, dropped = prove_ratings(text, questioned.answers, contexts, year=year)
    assembled.extraction.assessments = assessments
    assembled.dropped += dropped
    assembled.dropped += [
        DroppedFact(path=p, quote=None, reason=_MISFIT) for p in questioned.removed
    ]
    for failure in questioned.failed:
        assembled.dropped.append(DroppedFact(path="(ratings)", quote=None, reason=failure))
    return added_usage(usage, questioned.usage)
