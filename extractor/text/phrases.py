"""The words that state a fact: rating phrases, clinical-area words, whole-word matching.

Grounding uses them to decide whether the words the model quoted actually state the rating it
reported ("requiring improvement" states requires_improvement; "reduced" does not state red).
The proof's shared tools (`proof.sentence_tools`) use the rest to decide whether a sentence
speaks for a CCG: words for a CCG it does not name, another body it rates, national figures,
a rating said not to be given.
"""

from __future__ import annotations

import re

__all__ = [
    "ABOUT_RATING",
    "ANOTHER_BODY",
    "AREA_WORDS",
    "CCGS_PLURAL",
    "CCG_WORDS",
    "GROUP_OF_CCGS",
    "LARGE_COUNT",
    "NATIONAL_WORDS",
    "NEGATED_BEFORE",
    "OVERALL_RATINGS",
    "PERCENTAGE",
    "RATED_BODY",
    "RATING_PHRASES",
    "REFERS_TO_A_CCG",
    "THE_CCG",
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


REFERS_TO_A_CCG = re.compile(
    r"\bCCG\b|\bclinical commissioning group\b|\bwe\b|\bour\b|\bus\b", re.IGNORECASE
)
"""Words a sentence uses for a CCG it does not name: "the CCG", "we", "our"."""
ANOTHER_BODY = re.compile(
    r"\btrusts?\b|\bcouncils?\b|\bhospitals?\b|\bpractices?\b|\bsurger(?:y|ies)\b"
    r"|\bauthorit(?:y|ies)\b|\bCQC\b|\bCare Quality Commission\b",
    re.IGNORECASE,
)
"""A sentence naming no CCG speaks for the article's one CCG unless it speaks of another
body (a trust, a council, a hospital) and not of the CCG ("the CCG", "we")."""

NATIONAL_WORDS = re.compile(
    r"%|\bper ?cent\b|(?<!NHS )\bEngland\b|\bnational(?:ly)?\b|\bcountry\b", re.IGNORECASE
)
"""Words of national figures: a share, "England", "nationally", "the country"."""
LARGE_COUNT = re.compile(
    r"(?<![\d.,\u00a3$])\b(?:[2-9]\d|[1-9]\d\d)\b(?![.,]\d)(?!-[a-z])"
    r"(?!\s*(?:%|per ?cent|m\b|million))",
    re.IGNORECASE,
)
"""A count of CCGs in a national sentence ("23 of the 209"), not a percentage, a sum or a
measure joined to its unit ("the 62-day wait")."""
CCGS_PLURAL = re.compile(r"\b(?:CCGs|clinical commissioning groups|groups|commissioners)\b", re.I)
"""CCGs in the plural, however written."""
RATED_BODY = re.compile(
    r"\b(?:the\s+)?(?:trust|hospital|CQC|Care Quality Commission|inspectors|council|"
    r"practice|surgery)(?:'s|\u2019s)?\b",
    re.IGNORECASE,
)
"""A body a sentence naming no CCG may rate instead: "The trust's maternity unit was rated
'good'" in an article about a hospital that names the CCG that buys from it."""
THE_CCG = re.compile(r"\b(?:the|its|our)\s+(?:CCG|clinical commissioning group)\b", re.I)
"""The article's CCG spoken of without its name: "the CCG", "its clinical commissioning group"."""
ABOUT_RATING = re.compile(
    r"\brat(?:ing|ed)s?\b|\bassess\w*|\bjudg\w*|\bverdict|\bgrade|\bdowngrad\w*", re.I
)
"""Words about a rating or the assessment: "rated", "assessment", "judged", "downgraded"."""
NEGATED_BEFORE = re.compile(
    r"\b(?:not|never|n't|failed\s+to\s+(?:be|get|earn|achieve|reach))\s+(?:(?:been|be|yet|quite)\s+)?"
    r"(?:(?:rated|judged|graded|given|awarded|assessed|considered|found|classed)\s+(?:as\s+)?)?"
    r"(?:an?\s+|the\s+)?['\"\u2018\u201c]?\Z",
    re.IGNORECASE,
)
"""The words just before a rating term that say it is not given ("was not rated good",
"never been outstanding")."""
