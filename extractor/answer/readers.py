"""Readers of what a model writes where an answer wants a value: empty text, numbers."""

from __future__ import annotations

from typing import Any

__all__ = ["blank_is_none", "number_or_unchanged", "number_written"]


def blank_is_none(value: Any) -> Any:
    """An answer's empty text ("", "null", "none", "n/a") as None; anything else unchanged."""
    if isinstance(value, str) and value.strip().lower() in ("", "null", "none", "n/a"):
        return None
    return value


def number_written(value: str, marks: str = "[]") -> int | None:
    """The number a model writes for a numbered sentence or quotation ("12", "[12]"), with
    `marks` around it stripped; None when it is no number."""
    digits = value.strip().strip(marks)
    return int(digits) if digits.isdigit() else None


def number_or_unchanged(value: Any, marks: str) -> Any:
    """The number a model writes for a numbered item ("12", "[12]", "Q12" with `marks`
    "[]Qq#"), or `value` unchanged when it is not text or no number (the schema then says
    why it does not fit)."""
    if isinstance(value, str):
        written = number_written(value, marks)
        return value if written is None else written
    return value
