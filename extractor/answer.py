"""What the model is asked to fill: a compact schema tuned for small models.

The model copies short verbatim fragments; code then finds them in the article, widens them
to the whole sentence or quotation, computes offsets and normalises names, years and dates
(see `assemble.py`). Keeping the answer small matters: on the local model every generated
token costs about 0.1 s.

When validated with `context={"article": text}`, `ArticleAnswer` checks that every evidence
fragment occurs in the article and raises a `ValueError` naming the ones that do not, which
instructor turns into a re-ask.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from extractor.schema import Area, Rating

__all__ = [
    "AnswerArea",
    "AnswerAssessment",
    "AnswerIndicator",
    "AnswerMetric",
    "AnswerNational",
    "AnswerQuote",
    "ArticleAnswer",
    "evidence_fields",
]

Fragment = str
IndicatorRatingWord = Literal[
    "outstanding", "good", "requires_improvement", "inadequate", "green", "amber", "red"
]


class AnswerArea(BaseModel):
    """A clinical area's rating."""

    area: Area
    rating: Rating
    evidence: Fragment = Field(description="Verbatim words of the article stating it.")


class AnswerIndicator(BaseModel):
    """Another rated item (leadership, engagement, a domain such as 'well led')."""

    name: str
    rating: IndicatorRatingWord
    evidence: Fragment = Field(description="Verbatim words of the article stating it.")


class AnswerAssessment(BaseModel):
    """One CCG's annual assessment."""

    ccg: str = Field(description="The CCG's name as the article writes it.")
    year: str | None = Field(description='Assessment year, e.g. "2016/17".')
    overall: Rating | None
    evidence: Fragment | None = Field(description="Verbatim words stating the overall rating.")
    previous_overall: Rating | None = Field(description="Last year's overall rating if stated.")
    areas: list[AnswerArea]
    indicators: list[AnswerIndicator]
    financial_concerns: bool | None = Field(
        description="True if finances drove the rating, false if the article says not."
    )


class AnswerNational(BaseModel):
    """National round-up figures."""

    year: str | None
    ccgs_assessed: int | None
    percent_outstanding: float | None
    percent_good: float | None
    percent_requires_improvement: float | None
    percent_inadequate: float | None
    count_outstanding: int | None
    count_good: int | None
    count_requires_improvement: int | None
    count_inadequate: int | None
    evidence: Fragment = Field(description="Verbatim words giving the figures.")


class AnswerMetric(BaseModel):
    """A quoted figure."""

    name: str
    value: float
    unit: str | None
    ccg: str | None = Field(description="The CCG it is about, null if system-wide.")
    evidence: Fragment = Field(description="Verbatim words containing the figure.")


class AnswerQuote(BaseModel):
    """Something a person said."""

    speaker: str | None = Field(description="Name, null for an unnamed spokesperson.")
    role: str | None
    organisation: str | None
    text: Fragment = Field(description="The first words of what they said, verbatim.")


class ArticleAnswer(BaseModel):
    """Every CCG annual-assessment result the article reports."""

    published: str | None = Field(
        description="The date the article says the ratings were published, as written."
    )
    assessments: list[AnswerAssessment]
    national: AnswerNational | None
    metrics: list[AnswerMetric]
    quotes: list[AnswerQuote]

    @model_validator(mode="after")
    def _evidence_is_in_article(self, info: ValidationInfo) -> ArticleAnswer:
        context = info.context or {}
        article = context.get("article") if isinstance(context, dict) else None
        if not isinstance(article, str):
            return self
        from extractor.assemble import assemble  # assemble imports this module

        dropped = assemble(self, article).dropped
        if dropped:
            listing = "\n".join(f"- {d.path}: {d.quote!r} ({d.reason})" for d in dropped)
            raise ValueError(
                "Some facts are not supported by the article. Copy the article's words "
                "exactly as evidence, or leave the fact out:\n" + listing
            )
        return self


def evidence_fields(answer: ArticleAnswer) -> Iterator[tuple[str, str | None]]:
    """Yield `(path, fragment)` for every piece of evidence in an answer."""
    for i, assessment in enumerate(answer.assessments):
        if assessment.overall is not None:
            yield f"assessments[{i}].evidence", assessment.evidence
        for j, area in enumerate(assessment.areas):
            yield f"assessments[{i}].areas[{j}].evidence", area.evidence
        for j, indicator in enumerate(assessment.indicators):
            yield f"assessments[{i}].indicators[{j}].evidence", indicator.evidence
    if answer.national is not None:
        yield "national.evidence", answer.national.evidence
    for i, metric in enumerate(answer.metrics):
        yield f"metrics[{i}].evidence", metric.evidence
    for i, quote in enumerate(answer.quotes):
        yield f"quotes[{i}].text", quote.text
