"""Turn the model's answer into a grounded, normalised `Extraction`.

Every fact must be proven by the article: its evidence fragment is located by code
(`text.quote_search.locate`), widened to the whole sentence or quotation, and given
offsets. Facts whose evidence is not found, CCGs the article never names and figures
absent from their evidence are dropped and listed, never kept silently. Names become
canonical names with ODS codes, years become "2016/17", dates become ISO dates, and
duplicate CCGs are merged.

This module takes an answer through the proof of each kind of fact, one module per kind:
for each CCG its overall rating (`overall.py`), areas and indicators
(`areas_and_indicators.py`), last year's rating (`previous.py`) and finances
(`finances.py`); then the dates (`dates.py`), national figures (`national.py`), metrics
(`metrics.py`) and quotations (`quotes.py`); with the sentence tools they share
(`sentence_tools.py`).

- A first answer (v1 to v22, `assemble`) quotes its evidence: each fact's fragment is found
  in the article (`sentence_tools.Grounder`).
- The narrow questions (v23, `prove_ratings`) give each CCG's claims with the number of the
  sentence that states them (`model.ccg_questions`). Every claim is kept only with a sentence
  that **speaks of the CCG** (`names.context`: names it, follows a sentence naming it in the
  same paragraph, heads the list line naming it, is about a group of CCGs, or belongs to an
  article about this CCG alone; a sentence naming no CCG that gives national figures rates
  no single CCG, and a sentence naming the CCG that gives it another overall rating
  outweighs a group's), **states the rating** in its words, and in which the rating
  **belongs** to the CCG (not to another CCG named nearer it, nor to an area: "good for
  cancer"; an area's or item's rating must belong to that area or item); last year's rating
  must be said to be last year's. The sentence is the one the model cited when it passes;
  else the first sentence about the CCG that passes (the model's number is often one off).
  A claim with no such sentence is dropped and listed. The assessment year is the article's
  (`dates.article_year`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rapidfuzz import fuzz

from extractor.answer.article import AnswerAssessment, ArticleAnswer
from extractor.answer.ccgs import CcgAnswer
from extractor.inputs.reading import ArticleReading
from extractor.names.context import CcgContext
from extractor.names.context import ccg_key as ccg_name_key
from extractor.names.merging import ccg_key, fold_previous_years, merge_duplicates
from extractor.names.reference_table import (
    canonical_key,
    normalize_ccg,
    reference_table,
    written_as_a_ccg,
)
from extractor.proof.areas_and_indicators import (
    grounded_areas_and_indicators,
    prove_items,
    prove_plain_items,
)
from extractor.proof.dates import article_year, assessment_year, grounded_published
from extractor.proof.finances import financial_evidence, prove_finances, prove_plain_finances
from extractor.proof.metrics import grounded_metrics
from extractor.proof.national import grounded_national
from extractor.proof.overall import (
    assessment_with_overall,
    overall_evidence,
    prove_plain_overall,
)
from extractor.proof.previous import (
    previous_rating_evidence,
    prove_plain_previous,
    prove_previous,
)
from extractor.proof.quotes import grounded_quotes
from extractor.proof.sentence_tools import INSTRUCTIONS_TO_AI, AnsweredCcg, Grounder, Prover
from extractor.schema import (
    Assessment,
    DroppedFact,
    Extraction,
)
from extractor.text.phrases import GROUP_OF_CCGS

__all__ = [
    "INSTRUCTIONS_TO_AI",
    "UNSTATED_FINANCES",
    "UNSTATED_PREVIOUS",
    "Assembled",
    "assemble",
    "prove_ratings",
]

UNSTATED_PREVIOUS = "no sentence about this CCG states last year's rating"
"""Why `previous_overall` is dropped; the reason ends with the rating, "(inadequate)"."""
UNSTATED_FINANCES = "no sentence about this CCG ties its rating to finances"
"""Why `financial_concerns` is dropped; the reason ends with the value, "(false)"."""


@dataclass(slots=True)
class Assembled:
    """The grounded extraction and the facts that had to be dropped."""

    extraction: Extraction
    dropped: list[DroppedFact] = field(default_factory=list)
    contradicted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """CCGs (as the model wrote them) whose overall rating a sentence naming the CCG
    contradicts, with the sentences naming it that state a rating: what to ask again."""


def assemble(
    answer: ArticleAnswer, article: str, reading: ArticleReading | None = None
) -> Assembled:
    """Ground and normalise `answer` against `article` (and its `reading`, when read before:
    `inputs.reading`)."""
    named = {canonical_key(a.ccg) for a in answer.assessments} | set(reference_table())
    grounder = Grounder(article=article, other_ccgs=tuple(sorted(named)), reading=reading)
    assessments: list[Assessment] = []
    paths: dict[tuple[str, str | None], str] = {}
    for i, raw in enumerate(answer.assessments):
        assessment = _assessment(raw, f"assessments[{i}]", grounder)
        if assessment is not None:
            assessments.append(assessment)
            paths.setdefault((ccg_key(assessment), assessment.year), f"assessments[{i}]")
    assessments = fold_previous_years(merge_duplicates(assessments))
    assessments = [
        _with_unquoted_facts_proven(
            assessment,
            paths[(ccg_key(assessment), assessment.year)],
            grounder,
            alone=len(assessments) == 1,
        )
        for assessment in assessments
    ]
    years = {a.year for a in assessments if a.year}
    if not years and (written := article_year(article)):  # ratings asked apart come later
        years = {written}
    default_year = int(years.pop()[:4]) + 1 if len(years) == 1 else None
    published, published_evidence = grounded_published(answer.published, grounder, default_year)
    extraction = Extraction(
        published=published,
        published_evidence=published_evidence,
        assessments=assessments,
        national=grounded_national(answer.national, grounder),
        metrics=grounded_metrics(answer, grounder),
        quotes=grounded_quotes(answer, grounder),
    )
    return Assembled(
        extraction=extraction, dropped=grounder.dropped, contradicted=grounder.contradicted
    )


def validation_context(article: str, reading: ArticleReading | None = None) -> dict[str, Any]:
    """The validation context that makes an `ArticleAnswer` prove itself against `article`
    and its `reading` (instructor re-asks for what it drops)."""
    return {"article": article, "prove": partial(assemble, reading=reading)}


def _assessment(raw: AnswerAssessment, path: str, grounder: Grounder) -> Assessment | None:
    if not raw.ccg.strip() or not grounder.article_names_ccg(raw.ccg):
        grounder.drop(f"{path}.ccg", raw.ccg, "CCG not named in the article")
        return None
    ccg = normalize_ccg(raw.ccg)
    if GROUP_OF_CCGS.search(raw.ccg) or not written_as_a_ccg(ccg, grounder.article):
        grounder.drop(f"{path}.ccg", raw.ccg, "a group of CCGs, not one CCG")
        return None
    overall = raw.overall
    evidence = overall_evidence(raw, path, grounder) if overall is not None else None
    if evidence is None:
        overall = None
    areas, indicators = grounded_areas_and_indicators(raw, path, grounder)
    if overall is None and not areas and not indicators:
        grounder.drop(path, raw.ccg, "no grounded rating for this CCG")
        return None
    return Assessment(
        ccg=ccg,
        year=assessment_year(raw.year, grounder.article),
        overall=overall,
        previous_overall=raw.previous_overall,
        areas=list(areas.values()),
        indicators=list(indicators.values()),
        financial_concerns=raw.financial_concerns,
        evidence=evidence,
    )


def _with_unquoted_facts_proven(
    assessment: Assessment, path: str, grounder: Grounder, *, alone: bool
) -> Assessment:
    """Prove the CCG's last-year rating and financial concerns with a sentence about it
    (`previous.py`, `finances.py`), or drop them. `path` is the first answer entry of the CCG
    and year."""
    context = AnsweredCcg(
        grounder=grounder,
        as_written=assessment.ccg.as_written,
        overall=assessment.overall.value if assessment.overall else None,
        year=assessment.year,
        alone=alone,
    )
    update: dict[str, object] = {}
    previous = assessment.previous_overall
    if previous is not None:
        update["previous_evidence"] = found = previous_rating_evidence(context, previous.value)
        if found is None:
            grounder.drop(f"{path}.previous_overall", None, f"{UNSTATED_PREVIOUS} ({previous})")
            update["previous_overall"] = None
    concerns = assessment.financial_concerns
    if concerns is not None:
        update["financial_evidence"] = found = financial_evidence(context, concerns)
        if found is None:
            reason = f"{UNSTATED_FINANCES} ({str(concerns).lower()})"
            grounder.drop(f"{path}.financial_concerns", None, reason)
            update["financial_concerns"] = None
    return assessment.model_copy(update=update) if update else assessment


def _context_for(batch: list[CcgContext], name: str) -> CcgContext | None:
    """The CCG of the batch the model's name means: same key, else the closest name."""
    key = ccg_name_key(normalize_ccg(name))
    for context in batch:
        if ccg_name_key(context.ccg) == key:
            return context
    scored = [
        (fuzz.token_set_ratio(canonical_key(name), canonical_key(c.ccg.as_written)), c)
        for c in batch
    ]
    scored.sort(key=lambda item: -item[0])
    if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return batch[0] if len(batch) == 1 else None


def prove_ratings(
    article: str,
    answers: list[tuple[list[CcgContext], CcgAnswer]],
    contexts: list[CcgContext],
    *,
    year: str | None = None,
) -> tuple[list[Assessment], list[DroppedFact]]:
    """The assessments the model's answers prove, and every claim dropped with its reason.

    A CCG the model gave no provable overall rating gets the one a sentence naming it (or
    the heading over the list line naming it) states unmistakably, if one does: that
    sentence states one overall rating, and it belongs to the CCG.
    """
    prover = Prover(article, contexts)
    main_year = article_year(article, year)
    answered: dict[str, tuple[str, CcgAnswer]] = {}
    for index, (batch, answer) in enumerate(answers):
        context = _context_for(batch, answer.ccg)
        if context is None:
            prover.drop(f"ratings[{index}]", None, f"names no CCG asked about: {answer.ccg!r}")
            continue
        answered.setdefault(ccg_name_key(context.ccg), (f"ratings[{index}]", answer))
    assessments = []
    for context in contexts:
        path, answer = answered.get(ccg_name_key(context.ccg), ("(code)", CcgAnswer(ccg="")))
        assessment = assessment_with_overall(prover, context, answer, path, main_year)
        if assessment.overall is None:
            prove_plain_overall(prover, context, assessment)
        if assessment.overall is not None:
            prover.overall[id(context)] = assessment.overall.value
        prove_previous(prover, context, answer, path, assessment)
        if assessment.previous_overall is None and assessment.overall is not None:
            prove_plain_previous(prover, context, assessment)
        prove_finances(prover, context, answer, path, assessment)
        if assessment.financial_concerns is None and assessment.overall is not None:
            prove_plain_finances(prover, context, assessment)
        prove_items(prover, context, answer, path, assessment)
        prove_plain_items(prover, context, assessment)
        if assessment.overall or assessment.areas or assessment.indicators:
            assessments.append(assessment)
    return assessments, prover.dropped
