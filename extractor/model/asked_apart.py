"""The parts of an extraction a prompt asks for apart, in narrow questions.

A prompt may ask who said each quotation (`quotes.md`), the figures of the sentences that
hold one (`figures.md`) and the CCGs' ratings (`ratings.md`) apart from its first answer,
or instead of one (a prompt without `system.md`). Quotations and figures join the answer
before it is grounded, so they are proven like the first answer's; ratings replace its
assessments and are proven sentence by sentence (`proof.ratings`).
"""

from __future__ import annotations

from extractor.answer.article import AnswerMetric, ArticleAnswer
from extractor.model.ccg_questions import ask_about_ccgs, ask_year
from extractor.model.client import CallOutcome, ModelClient
from extractor.model.figure_questions import ask_for_figures, figure_sentences
from extractor.model.follow_up import added_usage
from extractor.model.prompts import Prompt
from extractor.model.quote_questions import ask_who_said
from extractor.names.context import CcgContext, ccg_contexts, ccg_key
from extractor.names.reference_table import normalize_ccg
from extractor.proof.assemble import Assembled
from extractor.proof.metrics import band_counts
from extractor.proof.prover import Prover
from extractor.proof.ratings import prove_ratings
from extractor.schema import DroppedFact, Usage

__all__ = ["NOTHING_YET", "add_figures", "add_quotes", "rate_ccgs"]

NOTHING_YET = ArticleAnswer(published=None, assessments=[], national=None, metrics=[], quotes=[])
"""The answer a prompt without a first answer starts from."""
_MISFIT = "does not fit the answer schema"
_SPEAKS_OF = ("own", "follow", "only")
"""How a sentence must speak of a CCG for its figures to be the CCG's."""


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
        client, prompt.quotes.system, prompt.quotes.question, text, doc_id=doc_id
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
    client: ModelClient, prompt: Prompt, text: str, outcome: CallOutcome, *, doc_id: str
) -> CallOutcome:
    """The answer with the metrics the figure questions give added (a figure it has already,
    the same value in the same sentence, once); counts of indicators in a band are read by
    code (`band_counts`)."""
    assert prompt.figures is not None
    contexts = ccg_contexts(text)
    names = [context.ccg.as_written for context in contexts]
    figures = await ask_for_figures(
        client, prompt.figures.system, prompt.figures.question, text, names, doc_id=doc_id
    )
    answer = outcome.answer
    read = [
        metric.model_copy(update={"ccg": ccg_spoken_of(contexts, number, metric.ccg)})
        for metric, number in zip(figures.metrics, figures.sentences, strict=True)
    ]
    read = with_band_counts(read, figures.sentences, text, contexts)
    metrics = [*answer.metrics, *read]
    outcome = _with(outcome, answer.model_copy(update={"metrics": metrics}), figures.usage)
    outcome.removed += figures.removed
    _note_failures(outcome, figures.failed)
    return outcome


def ccg_spoken_of(contexts: list[CcgContext], number: int, said: str | None) -> str | None:
    """The CCG a figure of sentence `number` belongs to: the model's, when the sentence
    speaks of it (names it, follows it, or the article has no other); else the one CCG the
    sentence names or follows; a figure the model gave no CCG stays the area's."""
    if said is None:
        return None
    near = [c for c in contexts if c.relations.get(number) in _SPEAKS_OF]
    said_key = ccg_key(normalize_ccg(said))
    if not near or any(ccg_key(c.ccg) == said_key for c in near):
        return said
    return near[0].ccg.as_written if len(near) == 1 else said


def with_band_counts(
    metrics: list[AnswerMetric], numbers: list[int], text: str, contexts: list[CcgContext]
) -> list[AnswerMetric]:
    """The figures read from sentences `numbers`, with the counts of indicators in a band
    that code reads (`band_counts`) in place of the model's figures of the same value in
    the same sentence. A count belongs to the one CCG the sentence speaks of
    (`one_ccg_spoken_of`), else to the CCG the model gave the figure it replaces; a count
    with neither is left to the model."""
    read = list(zip(numbers, metrics, strict=True))
    prover = Prover(text, contexts)
    for sentence in figure_sentences(text, in_words_too=True):
        counts = band_counts(sentence.text)
        if not counts:
            continue
        values = {float(c.count) for c in counts} | {float(c.total or 0) for c in counts}
        replaced = [m for n, m in read if n == sentence.number and m.value in values]
        ccg = one_ccg_spoken_of(prover, sentence.number)
        ccg = ccg or next((m.ccg for m in replaced if m.ccg), None)
        if ccg is None:
            continue
        read = [(n, m) for n, m in read if not (n == sentence.number and m.value in values)]
        read += [
            (
                sentence.number,
                AnswerMetric(
                    evidence=sentence.text, name=c.name, value=c.count, unit=None, ccg=ccg
                ),
            )
            for c in counts
        ]
    return [metric for _, metric in sorted(read, key=lambda pair: pair[0])]


def one_ccg_spoken_of(prover: Prover, number: int) -> str | None:
    """The one CCG sentence `number` speaks of, as written: the CCG it names; else the CCG
    named by the nearest sentence before it in its paragraph that names one ("It was in the
    top quarter ..."); else the article's only CCG. None when that sentence names several."""
    sentence = prover.sentence(number)
    for earlier in range(number, 0, -1):
        if prover.sentence(earlier).paragraph != sentence.paragraph:
            break
        named = {id(context): context for _, context in prover.named_in(earlier)}
        if named:
            return next(iter(named.values())).ccg.as_written if len(named) == 1 else None
    return prover.contexts[0].ccg.as_written if len(prover.contexts) == 1 else None


async def rate_ccgs(
    client: ModelClient,
    prompt: Prompt,
    text: str,
    conversation: list[dict[str, str]] | None,
    assembled: Assembled,
    *,
    doc_id: str,
) -> Usage:
    """Replace the assessments with the CCG ratings asked apart and proven sentence by
    sentence; the year is asked in the first answer's `conversation` when there is one and
    the prompt asks it. Returns what asking cost."""
    questions = prompt.ratings
    assert questions is not None
    contexts = ccg_contexts(text)
    usage = Usage()
    year = None
    if questions.year is not None and conversation is not None and contexts:
        year, usage = await ask_year(client, conversation, questions.year, text, doc_id=doc_id)
    questioned = await ask_about_ccgs(
        client, questions.system, questions.question, text, contexts, doc_id=doc_id
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
