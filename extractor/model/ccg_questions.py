"""Ask the model about a few CCGs at a time, showing only the sentences that speak of them.

A prompt with `ratings.md` (and `ratings_system.md`) gets its CCG ratings this way instead of
from the first answer: code finds the CCGs and, for each, the numbered sentences that can
speak of it (`names.context`); the model says, for each CCG of a batch, its overall rating,
last year's rating, the finances behind it and its area and other ratings, each with the
number of the sentence that says it. An article with many CCGs (a national round-up) is
asked in batches of at most `BATCH_CCGS` CCGs, so no answer runs long.

The answer is the model's claim, not a fact: `proof.assemble.prove_ratings` checks each
against its sentence.
Slots of `ratings.md`: `{{sentences}}` (the numbered sentences) and `{{ccgs}}` (the CCG names,
as first written).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.answer.ccgs import CcgAnswer, RatingsAnswer, YearAnswer
from extractor.errors import ExtractorError
from extractor.model.client import ModelClient
from extractor.model.narrow_questions import ask_each
from extractor.model.prompts import Preamble
from extractor.names.context import CcgContext
from extractor.schema import Usage
from extractor.text.dates_and_numbers import years_in
from extractor.text.sentences import split_sentences

__all__ = [
    "BATCH_CCGS",
    "BATCH_SENTENCES",
    "Questioned",
    "ask_about_ccgs",
    "ask_year",
    "batches",
]

BATCH_CCGS = 6
BATCH_SENTENCES = 16


@dataclass
class Questioned:
    """Every batch's answer for one article, with what asking cost."""

    answers: list[tuple[list[CcgContext], CcgAnswer]] = field(default_factory=list)
    """Each CCG answer with the batch it answered for."""
    usage: Usage = field(default_factory=Usage)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def batches(contexts: list[CcgContext]) -> list[list[CcgContext]]:
    """CCGs in article order, at most `BATCH_CCGS` and `BATCH_SENTENCES` sentences a batch."""
    groups: list[list[CcgContext]] = []
    shown: set[int] = set()
    for context in contexts:
        numbers = set(context.sentence_numbers())
        if groups and len(groups[-1]) < BATCH_CCGS and len(shown | numbers) <= BATCH_SENTENCES:
            groups[-1].append(context)
            shown |= numbers
        else:
            groups.append([context])
            shown = numbers
    return groups


def render_question(template: str, article: str, batch: list[CcgContext]) -> str:
    """The question for one batch: its sentences, numbered, and its CCGs' names."""
    sentences = split_sentences(article)
    numbers = sorted({n for context in batch for n in context.sentence_numbers()})
    listed = "\n".join(f"[{n}] {sentences[n - 1].one_line}" for n in numbers)
    names = ", ".join(context.ccg.as_written for context in batch)
    return template.replace("{{sentences}}", listed).replace("{{ccgs}}", names)


async def ask_about_ccgs(
    client: ModelClient,
    preamble: Preamble,
    template: str,
    article: str,
    contexts: list[CcgContext],
    *,
    doc_id: str,
) -> Questioned:
    """Ask about every CCG of the article, batch by batch; a failed batch costs only itself."""
    groups = batches(contexts)
    questions = [render_question(template, article, batch) for batch in groups]
    asked = await ask_each(
        client,
        preamble,
        questions,
        RatingsAnswer,
        doc_id=doc_id,
        label="ratings batch",
    )
    questioned = Questioned(usage=asked.usage, removed=asked.removed, failed=asked.failed)
    for index, answer in sorted(asked.answers.items()):
        questioned.answers += [(groups[index], item) for item in answer.ccgs]
    return questioned


async def ask_year(
    client: ModelClient,
    conversation: list[dict[str, str]],
    template: str,
    article: str,
    *,
    doc_id: str,
) -> tuple[str | None, Usage]:
    """The assessment year the model reads in the article, asked after its first answer (the
    same conversation, so a server reuses its cache); None when it fails or says none."""
    years = ", ".join(years_in(article)) or "none"
    question = {"role": "user", "content": template.replace("{{years}}", years)}
    try:
        reply = await client.ask_for([*conversation, question], YearAnswer, doc_id=doc_id)
    except ExtractorError as exc:
        usage = getattr(exc, "usage", None)
        return None, usage if isinstance(usage, Usage) else Usage()
    answer = reply.answer
    return (answer.year if isinstance(answer, YearAnswer) else None), reply.usage
