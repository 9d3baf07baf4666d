"""The answers to the narrow questions about a few CCGs at a time (`model/ccg_questions.py`):
what the model says the numbered sentences give each CCG, and the article's assessment year.

Each is the model's claim, not a fact: `proof/assemble.py` (`prove_ratings`) checks each
against its sentence.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from extractor.answer.readers import blank_is_none, number_written

__all__ = ["CcgAnswer", "RatedItem", "RatingsAnswer", "YearAnswer"]


class RatedItem(BaseModel):
    """A clinical area or other item and its rating."""

    item: str
    rating: str
    sentence: int | None = None

    @field_validator("sentence", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return _sentence_number(value)


def _sentence_number(value: Any) -> Any:
    """Accept 12, "12" or "[12]" for sentence 12; nothing else is a number."""
    value = blank_is_none(value)
    return number_written(value) if isinstance(value, str) else value


class CcgAnswer(BaseModel):
    """What the model says the sentences give one CCG."""

    ccg: str
    overall: str | None = None
    overall_sentence: int | None = None
    last_year: str | None = None
    last_year_sentence: int | None = None
    finances: str | None = None
    finances_sentence: int | None = None
    items: list[RatedItem] = Field(default_factory=list)

    @field_validator("overall", "last_year", "finances", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return blank_is_none(value)

    @field_validator("overall_sentence", "last_year_sentence", "finances_sentence", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return _sentence_number(value)


class YearAnswer(BaseModel):
    """The assessment year the ratings of an article are for."""

    year: str | None = None

    @field_validator("year", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return blank_is_none(value) if not isinstance(value, int) else str(value)


class RatingsAnswer(BaseModel):
    """The answer for one batch of CCGs."""

    ccgs: list[CcgAnswer] = Field(default_factory=list)
