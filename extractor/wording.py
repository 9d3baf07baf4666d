"""The words that state a fact: rating phrases, clinical-area words, whole-word matching.

Grounding uses them to decide whether the words the model quoted actually state the rating it
reported ("requiring improvement" states requires_improvement; "reduced" does not state red).
"""

from __future__ import annotations

import re

__all__ = ["AREA_WORDS", "RATING_PHRASES", "ratings_stated", "states"]

RATING_PHRASES: dict[str, tuple[str, ...]] = {
    "outstanding": ("outstanding",),
    "good": ("good",),
    "requires_improvement": (
        "requires improvement",
        "requiring improvement",
        "require improvement",
        "needs improvement",
        "needing improvement",
        "requires improving",
    ),
    "inadequate": ("inadequate",),
    "green": ("green",),
    "amber": ("amber",),
    "red": ("red",),
}
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


def states(text: str, phrases: tuple[str, ...]) -> bool:
    """True when `text` contains one of `phrases` as whole words (case-insensitive).

    A plural "s" is allowed ("cancers"); a longer word is not ("reduced" does not say "red").
    """
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    return any(re.search(rf"(?<![a-z]){re.escape(p)}s?(?![a-z])", lowered) for p in phrases)
