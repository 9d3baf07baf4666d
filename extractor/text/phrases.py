"""The words that state a fact: rating phrases, clinical-area words, whole-word matching.

Grounding uses them to decide whether the words the model quoted actually state the rating it
reported ("requiring improvement" states requires_improvement; "reduced" does not state red).
"""

from __future__ import annotations

import re

__all__ = [
    "AREA_WORDS",
    "CCG_WORDS",
    "GROUP_OF_CCGS",
    "OVERALL_RATINGS",
    "PERCENTAGE",
    "RATING_PHRASES",
    "overall_ratings_stated",
    "phrase_positions",
    "phrase_spans",
    "ratings_stated",
    "states",
]

RATING_PHRASES: dict[str, tuple[str, ...]] = {
    "outstanding": ("outstanding",),
    "good": ("good",),
    "requires_improvement": (
        "requires improvement",
        "requiring improvement",
        "require improvement",
        "required improvement",
        "needs improvement",
        "needing improvement",
        "need improvement",
        "needed improvement",
        "requires improving",
    ),
    "inadequate": ("inadequate",),
    "green": ("green",),
    "amber": ("amber",),
    "red": ("red",),
}
OVERALL_RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
"""The overall scale (not the green/amber/red of indicators)."""
GROUP_OF_CCGS = re.compile(r"\bCCGs\b|\bclinical commissioning groups\b", re.IGNORECASE)
"""Words that speak of several CCGs at once."""
PERCENTAGE = re.compile(r"\d\s*(%|per ?cent)", re.IGNORECASE)
AREA_WORDS: dict[str, tuple[str, ...]] = {
    "cancer": ("cancer",),
    "mental_health": ("mental health", "mental-health", "mental healthcare"),
    "dementia": ("dementia",),
    "maternity": ("maternity",),
    "learning_disabilities": (
        "learning disability",
        "learning disabilities",
        "learning difficulty",
        "learning difficulties",
    ),
    "diabetes": ("diabetes", "diabetic"),
}


def ratings_stated(text: str) -> int:
    """How many different rating words a text uses."""
    return sum(states(text, phrases) for phrases in RATING_PHRASES.values())


def overall_ratings_stated(text: str) -> list[str]:
    """The overall-scale ratings a text states, in scale order."""
    return [rating for rating in OVERALL_RATINGS if states(text, RATING_PHRASES[rating])]


def _whole_phrase(phrase: str) -> str:
    return rf"(?<![a-z]){re.escape(phrase)}s?(?![a-z])"


def states(text: str, phrases: tuple[str, ...]) -> bool:
    """True when `text` contains one of `phrases` as whole words (case-insensitive).

    A plural "s" is allowed ("cancers"); a longer word is not ("reduced" does not say "red").
    """
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    return any(re.search(_whole_phrase(p), lowered) for p in phrases)


def phrase_spans(text: str, phrases: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) in `text` of each whole-word occurrence of one of `phrases`, in order."""
    lowered = text.lower().replace("\u2019", "'")
    return sorted(m.span() for p in phrases for m in re.finditer(_whole_phrase(p), lowered))


def phrase_positions(text: str, phrases: tuple[str, ...]) -> list[int]:
    """Offsets in `text` where one of `phrases` starts as whole words, in order."""
    return [start for start, _ in phrase_spans(text, phrases)]


CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014]|\b(?:while|but|whereas|although)\b", re.IGNORECASE)
"""Where a clause of a sentence ends: a comma, semicolon, colon or dash, or "while", "but",
"whereas", "although"."""

CCG_WORDS = r"ccgs?|clinical commissioning groups?"
"""A CCG or CCGs, written out or not, as a regular expression's alternatives."""
