"""The answers to the quotation questions (`model/quote_questions.py`): who said each
numbered quotation, in what role, for which organisation."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from extractor.answer.readers import blank_is_none, number_or_unchanged

__all__ = ["Speaker", "SpeakersAnswer"]


class Speaker(BaseModel):
    """Who said one numbered quotation."""

    quote: int
    speaker: str | None = None
    role: str | None = None
    organisation: str | None = None

    @field_validator("speaker", "role", "organisation", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return blank_is_none(value)

    @field_validator("quote", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return number_or_unchanged(value, "[]Qq#")


class SpeakersAnswer(BaseModel):
    """The answer for one batch of quotations."""

    quotes: list[Speaker] = Field(default_factory=list)
