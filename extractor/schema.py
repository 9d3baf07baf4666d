"""The output contract: one `Record` per input document.

These pydantic models are the product's public interface. Field names are kept exactly as
documented in the README; downstream users parse them from JSONL. This module imports
nothing else from the project so that the gold annotations, the eval harness and any
consumer can validate records without pulling in the client.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "CCG",
    "Area",
    "AreaRating",
    "Assessment",
    "DroppedFact",
    "ErrorInfo",
    "Evidence",
    "Extraction",
    "Indicator",
    "MatchKind",
    "Metric",
    "National",
    "PromptInfo",
    "Quote",
    "Rating",
    "Record",
    "Usage",
]


class Rating(StrEnum):
    """NHS England's annual-assessment rating words."""

    outstanding = "outstanding"
    good = "good"
    requires_improvement = "requires_improvement"
    inadequate = "inadequate"


class Area(StrEnum):
    """Clinical priority areas that get their own rating."""

    cancer = "cancer"
    mental_health = "mental_health"
    dementia = "dementia"
    maternity = "maternity"
    learning_disabilities = "learning_disabilities"
    diabetes = "diabetes"


IndicatorRating = Literal[
    "outstanding", "good", "requires_improvement", "inadequate", "green", "amber", "red"
]
MatchKind = Literal["exact", "normalized", "elided", "fuzzy"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Strict):
    """A verbatim span of the article; offsets are computed by code, never by the model."""

    quote: str = Field(description="Verbatim text of the article.")
    start: int = Field(ge=0, description="Offset of the first character in the article.")
    end: int = Field(ge=0, description="Offset one past the last character.")
    match: MatchKind = Field(default="exact", description="How the quote was located.")
    score: float = Field(default=100.0, ge=0, le=100, description="Similarity, 100 = exact.")


class CCG(_Strict):
    """A Clinical Commissioning Group as named by the article and as normalised by code."""

    name: str = Field(description='Canonical name without "NHS"/"CCG", e.g. "St Helens".')
    as_written: str = Field(description="The name as the article writes it.")
    ods_code: str | None = Field(default=None, description="ODS code, e.g. 01X, when known.")


class AreaRating(_Strict):
    """The rating of one clinical priority area."""

    area: Area
    rating: Rating
    evidence: Evidence


class Indicator(_Strict):
    """Any other rated item: leadership, engagement, 2015/16 domains such as 'well led'."""

    name: str
    rating: IndicatorRating
    evidence: Evidence


class Assessment(_Strict):
    """One CCG's annual-assessment result for one year."""

    ccg: CCG
    year: str | None = Field(
        default=None, pattern=r"^\d{4}/\d{2}$", description='Assessment year, "2016/17".'
    )
    overall: Rating | None = None
    previous_overall: Rating | None = None
    areas: list[AreaRating] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    financial_concerns: bool | None = None
    evidence: Evidence | None = Field(
        default=None, description="The sentence that states the overall rating."
    )
    previous_evidence: Evidence | None = Field(
        default=None, description="The sentence that states last year's overall rating."
    )
    financial_evidence: Evidence | None = Field(
        default=None,
        description="The sentence that ties the rating to finances, either way.",
    )


class National(_Strict):
    """National round-up figures for one assessment year."""

    year: str | None = Field(default=None, pattern=r"^\d{4}/\d{2}$")
    ccgs_assessed: int | None = None
    share_by_rating: dict[Rating, float] = Field(default_factory=dict)
    count_by_rating: dict[Rating, int] = Field(default_factory=dict)
    evidence: Evidence
    further_evidence: list[Evidence] = Field(
        default_factory=list,
        description="The other sentences that state a figure `evidence` does not, in order.",
    )


class Metric(_Strict):
    """A quoted figure, e.g. 85.4 % of cancer patients treated within 62 days."""

    name: str
    value: float
    unit: str | None = None
    ccg: str | None = Field(default=None, description="Canonical CCG name, null system-wide.")
    evidence: Evidence


class Quote(_Strict):
    """Something a person or spokesperson said, attributed as the article attributes it."""

    speaker: str | None = Field(default=None, description="Null for an unnamed spokesperson.")
    role: str | None = None
    organisation: str | None = None
    text: str
    evidence: Evidence


class Extraction(_Strict):
    """Every CCG assessment, national figure, metric and quote one article reports."""

    published: date | None = None
    published_evidence: Evidence | None = Field(
        default=None, description="The sentence that gives the publication date."
    )
    assessments: list[Assessment] = Field(default_factory=list)
    national: National | None = None
    metrics: list[Metric] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)


class ErrorInfo(_Strict):
    """Why a document produced no extraction."""

    type: str
    message: str


class PromptInfo(_Strict):
    """Which prompt produced a record: its name and the sha256 of its files."""

    name: str
    sha256: str


class Usage(_Strict):
    """Tokens spent on a document, failed attempts included."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    attempts: int = 0


class DroppedFact(_Strict):
    """A fact the model gave whose evidence could not be found in the article."""

    path: str = Field(description='Where the fact was, e.g. "assessments[0].areas[2]".')
    quote: str | None = Field(description="The evidence the model gave.")
    reason: str


class Record(_Strict):
    """One output line: the result for one input document, ok or error."""

    doc_id: str
    source: str
    input_sha256: str | None = Field(
        default=None,
        description="sha256 of the document's text (UTF-8) the record was made from; null "
        "when the input could not be read. `--resume` redoes a document whose text changed.",
    )
    status: Literal["ok", "error"]
    error: ErrorInfo | None = None
    prompt: PromptInfo
    model: str
    usage: Usage = Field(default_factory=Usage)
    extraction: Extraction | None = None
    dropped_facts: int = Field(default=0, ge=0, description="Facts dropped as ungrounded.")
    dropped: list[DroppedFact] = Field(default_factory=list)
    seconds: float | None = Field(default=None, description="Wall time for this document.")
