"""What the model is asked to fill: a compact schema tuned for small models.

The model copies short verbatim fragments; code then finds them in the article, widens them
to the whole sentence or quotation, computes offsets and normalises names, years and dates
(see `proof/assemble.py`). Keeping the answer small matters: on the local model every generated
token costs about 0.1 s.

When validated with `context={"article": text, "prove": ...}` (what
`proof.assemble.validation_context(text, reading)` returns: the proof, bound to the article's
reading), `ArticleAnswer` proves itself against the article and raises a `ValueError` naming
every fact the article does not support, which instructor turns into a re-ask. The proof is
handed in, not imported: the answer schema sits below the proof in the package's layers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from extractor.schema import Area, Rating

__all__ = [
    "AnswerArea",
    "AnswerAssessment",
    "AnswerIndicator",
    "AnswerMetric",
    "AnswerNational",
    "AnswerQuote",
    "ArticleAnswer",
]

# Bounds on string and list lengths are written into the JSON schema (maxLength, maxItems) so
# that a grammar-constrained local server cannot let a small model run on until max_tokens. A
# verbatim copy cut at the bound is still verbatim, so grounding still finds it. They are
# hints, not validation: a longer answer from a model that ignores them is still accepted.
Fragment = Annotated[str, WithJsonSchema({"type": "string", "maxLength": 160})]
Short = Annotated[str, WithJsonSchema({"type": "string", "maxLength": 80})]
Tiny = Annotated[str, WithJsonSchema({"type": "string", "maxLength": 30})]


_AREA_VALUES = frozenset(area.value for area in Area)
_NULL_WORDS = frozenset({"", "null", "none", "n/a", "unknown", "not_stated"})


def _identifier(value: Any) -> Any:
    """ "Mental health" -> "mental_health"; other values unchanged."""
    if isinstance(value, str):
        return "_".join(value.strip().lower().replace("-", " ").split())
    return value


def _at_most(items: int) -> Any:
    return Field(json_schema_extra={"maxItems": items})


# Upper bounds on list lengths. They become maxItems in the JSON schema, which a
# grammar-constrained local server enforces, so a small model cannot loop until max_tokens.
MAX_ASSESSMENTS = 12
MAX_AREAS = 6
MAX_INDICATORS = 8
MAX_METRICS = 10
MAX_QUOTES = 8
IndicatorRatingWord = Literal[
    "outstanding", "good", "requires_improvement", "inadequate", "green", "amber", "red"
]


class AnswerArea(BaseModel):
    """A clinical area's rating."""

    evidence: Fragment = Field(description="Verbatim words of the article stating it.")
    area: Area
    rating: Rating

    @field_validator("area", "rating", mode="before")
    @classmethod
    def _as_identifier(cls, value: Any) -> Any:
        """Accept "Mental health" or "requires improvement" for the schema's identifiers."""
        return _identifier(value)


class AnswerIndicator(BaseModel):
    """Another rated item (leadership, engagement, a domain such as 'well led')."""

    evidence: Fragment = Field(description="Verbatim words of the article stating it.")
    name: Short
    rating: IndicatorRatingWord

    @field_validator("rating", mode="before")
    @classmethod
    def _as_identifier(cls, value: Any) -> Any:
        return _identifier(value)


class _RawPrepared(BaseModel):
    """A model whose raw answer is cleaned up by `prepare_raw` before validation.

    `salvage` calls `prepare_raw` too, before it prunes an answer item by item.
    """

    @model_validator(mode="before")
    @classmethod
    def _before(cls, data: Any) -> Any:
        return cls.prepare_raw(data)

    @classmethod
    def prepare_raw(cls, data: Any) -> Any:
        """The raw answer as the fields expect it (here unchanged)."""
        return data


class AnswerAssessment(_RawPrepared):
    """One CCG's annual assessment."""

    ccg: Short = Field(description="The CCG's name as the article writes it.")
    year: Tiny | None = Field(description='Assessment year, e.g. "2016/17".')
    evidence: Fragment | None = Field(description="Verbatim words stating the overall rating.")
    overall: Rating | None
    previous_overall: Rating | None = Field(description="Last year's overall rating if stated.")
    financial_concerns: bool | None = Field(
        description="True if finances drove the rating, false if the article says not."
    )
    areas: list[AnswerArea] = _at_most(MAX_AREAS)
    indicators: list[AnswerIndicator] = _at_most(MAX_INDICATORS)

    @field_validator("overall", "previous_overall", mode="before")
    @classmethod
    def _rating_identifier(cls, value: Any) -> Any:
        """Accept "Requires improvement"; read "null", "none" or "" written as text as null."""
        value = _identifier(value)
        return None if value in _NULL_WORDS else value

    @classmethod
    def prepare_raw(cls, data: Any) -> Any:
        """Move "areas" that are not clinical areas ("better health") to indicators.

        Without constrained decoding, small models file every rated item under areas; the
        schema's areas are the clinical ones, and anything else rated is an indicator.
        """
        if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
            return data
        areas, moved = [], []
        for item in data["areas"]:
            name = item.get("area") if isinstance(item, dict) else None
            if isinstance(name, str) and _identifier(name) == "overall":
                continue  # the overall rating has its own field
            if isinstance(name, str) and _identifier(name) not in _AREA_VALUES:
                moved.append({**item, "name": name.strip()})
                moved[-1].pop("area", None)
            else:
                areas.append(item)
        if not moved and len(areas) == len(data["areas"]):
            return data
        indicators = data.get("indicators")
        indicators = list(indicators) if isinstance(indicators, list) else []
        return {**data, "areas": areas, "indicators": indicators + moved}


class AnswerNational(_RawPrepared):
    """National round-up figures."""

    year: Tiny | None
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

    @classmethod
    def prepare_raw(cls, data: Any) -> Any:
        """Keep figures whose evidence was left out, with empty evidence.

        Small models write the figures and stop before "evidence". Grounding proves each
        figure against the national sentences anyway, and then proves the whole with the
        sentence that states one of them, or drops it.
        """
        if isinstance(data, dict) and "evidence" not in data:
            return {**data, "evidence": ""}
        return data


class AnswerMetric(BaseModel):
    """A quoted figure."""

    evidence: Fragment = Field(description="Verbatim words containing the figure.")
    name: Short
    value: float
    unit: Tiny | None
    ccg: Short | None = Field(description="The CCG it is about, null if system-wide.")


class AnswerQuote(BaseModel):
    """Something a person said."""

    speaker: Short | None = Field(description="Name, null for an unnamed spokesperson.")
    role: Short | None
    organisation: Short | None
    text: Fragment = Field(description="The first words of what they said, verbatim.")


class ArticleAnswer(BaseModel):
    """Every CCG annual-assessment result the article reports."""

    published: Tiny | None = Field(
        description="The date the article says the ratings were published, as written."
    )
    assessments: list[AnswerAssessment] = _at_most(MAX_ASSESSMENTS)
    national: AnswerNational | None
    metrics: list[AnswerMetric] = _at_most(MAX_METRICS)
    quotes: list[AnswerQuote] = _at_most(MAX_QUOTES)

    _grounded: Any = PrivateAttr(default=None)

    def grounded_in(self, article: str) -> Any:
        """The `Assembled` result the validator computed against `article`, if it did."""
        if self._grounded is not None and self._grounded[0] is article:
            return self._grounded[1]
        return None

    @model_validator(mode="after")
    def _evidence_is_in_article(self, info: ValidationInfo) -> ArticleAnswer:
        context = info.context if isinstance(info.context, dict) else {}
        article, prove = context.get("article"), context.get("prove")
        if not isinstance(article, str) or not callable(prove):
            return self
        assembled = prove(self, article)
        dropped = assembled.dropped
        if not dropped:
            self._grounded = (article, assembled)  # the pipeline reuses it
        if dropped:
            listing = "\n".join(
                f"- {d.path}: {d.quote!r} ({d.reason})" if d.quote else f"- {d.path}: {d.reason}"
                for d in dropped
            )
            raise ValueError(
                "Some facts are not supported by the article. Copy the article's words "
                "exactly as evidence, or leave the fact out:\n" + listing
            )
        return self
