"""The answers to the figure questions (`model/figure_questions.py`): each figure the model
reads in a numbered sentence, citing the sentence by number."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, field_validator

from extractor.answer.readers import blank_is_none, number_or_unchanged

__all__ = ["FigureItem", "FiguresAnswer"]


class FigureItem(BaseModel):
    """One figure the model reads in a numbered sentence."""

    sentence: int
    name: str
    value: float
    unit: str | None = None
    ccg: str | None = None

    @field_validator("unit", "ccg", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return blank_is_none(value)

    @field_validator("sentence", mode="before")
    @classmethod
    def _number(cls, value: Any) -> Any:
        return number_or_unchanged(value, "[]")


class FiguresAnswer(BaseModel):
    """The answer for one batch of sentences."""

    metrics: list[FigureItem] = Field(default_factory=list)
