"""Signposts: what a literal search finds in an article, handed to the model with it.

This is the first step of a two-step extraction, done in code: each search finds the
sentences a prompt slot points the model at (`model/prompt_slots.py`), so that a small model
only has to read them and fill the answer:

- `area_rating_sentences`: sentences that name a clinical area and state a rating word;
- `indicator_sentences`: sentences that state a rating beside a traffic light or a domain of
  the assessment framework ("better health", "well led", "leadership");
- `group_rating_sentences`: those of them that speak of a group of CCGs;
- `national_figure_sentences`: sentences with figures for many CCGs (a count of CCGs, or a
  percentage beside a rating word);
- `figure_sentences`: other sentences with a figure (a number that is not a year or date);
- `quotation_sentences`: sentences where someone is quoted (a quotation mark after "said",
  "added" or a colon);
- `published_sentences`: sentences saying when something was published or announced.

A search only points; it never decides a fact. Whatever the model answers is still grounded
in the article's own words. A search never returns a sentence inside a passage addressed to
AI systems (`injection.py`): no fact can be proven by one, so no turn points the model at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.text.injection import evidence_sentences
from extractor.text.phrases import (
    AREA_WORDS,
    GROUP_OF_CCGS,
    PERCENTAGE,
    RATING_PHRASES,
    overall_ratings_stated,
    states,
)

__all__ = [
    "area_rating_sentences",
    "figure_sentences",
    "group_rating_sentences",
    "indicator_sentences",
    "national_figure_sentences",
    "published_sentences",
    "quotation_sentences",
]

_AREA_WORD = re.compile(
    "|".join(re.escape(w) for words in AREA_WORDS.values() for w in words), re.IGNORECASE
)
_COUNT_OF_CCGS = re.compile(
    r"\b\d[\d,]*\s+(?:[a-z]+\s+){0,2}(?:CCGs|clinical commissioning groups)\b", re.IGNORECASE
)
_DIGIT = re.compile(r"\d")
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
_NOT_A_FIGURE = re.compile(
    rf"\b(?:19|20)\d\d(?:\s*[/-]\s*\d{{2,4}})?\b"  # a year or a year pair
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"  # 25th November
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b",  # July 19
    re.IGNORECASE,
)
_INDICATOR_WORD = re.compile(
    r"\b(green|amber|red|better health|better care|sustainability|well[ -]led|leadership)\b",
    re.IGNORECASE,
)
_RATED = re.compile(r"\brat(?:ed|ing|ings)\b", re.IGNORECASE)
_TRAFFIC_LIGHTS = frozenset({"green", "amber", "red"})
_SURNAME = re.compile(r"\b[A-Z][a-z]+\s+[A-Z][a-z]*$")  # "Andrea Green": a name, not a rating
_SPEECH = re.compile(
    r"\b(said|says|added|adds|commented|explained|told)\b|:\s*[\u201c\u2018\"]", re.IGNORECASE
)
_FIGURE = re.compile(r"(?<![\w-])\d")
_QUOTATION_MARK = re.compile("[\u201c\u2018\"']\\s*[A-Z]")
_PUBLISHED = re.compile(r"\b(published|announced|released)\b", re.IGNORECASE)
_DATE = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|\b{_MONTH}\s+\d{{1,2}}\b")
_MAX_QUOTATION_CHARS = 240


def _sentences_around(
    article: str, pattern: re.Pattern[str], keep: Callable[[re.Match[str]], bool] | None = None
) -> list[str]:
    """Each sentence holding a match of `pattern` (that `keep` accepts), once, in order; a
    passage addressed to AI is never evidence, so the model is never pointed at it."""
    matches = (m.span() for m in pattern.finditer(article) if keep is None or keep(m))
    return [
        " ".join(article[start:end].split()) for start, end in evidence_sentences(article, matches)
    ]


def _states_a_rating(sentence: str) -> bool:
    return bool(overall_ratings_stated(sentence))


def area_rating_sentences(article: str) -> list[str]:
    """Sentences that name a clinical area and state a rating word."""
    return [s for s in _sentences_around(article, _AREA_WORD) if _states_a_rating(s)]


def indicator_sentences(article: str) -> list[str]:
    """Sentences about a rating ("rated", "rating") that state one beside a traffic light
    (green, amber, red) or a domain of NHS England's assessment framework (better health,
    better care, sustainability, well led, leadership)."""

    def not_a_surname(match: re.Match[str]) -> bool:
        before = article[max(0, match.start() - 40) : match.start() + 1]
        return match.group(1).lower() not in _TRAFFIC_LIGHTS or not _SURNAME.search(before)

    return [
        s
        for s in _sentences_around(article, _INDICATOR_WORD, not_a_surname)
        if _RATED.search(s) and any(states(s, phrases) for phrases in RATING_PHRASES.values())
    ]


def group_rating_sentences(article: str) -> list[str]:
    """Area and indicator rating sentences that speak of several CCGs ("CCGs", "clinical
    commissioning groups"), in article order; national figures ("12% of CCGs were rated
    outstanding for cancer") are not a group's rating."""
    found = set(area_rating_sentences(article)) | set(indicator_sentences(article))
    found -= set(national_figure_sentences(article))
    return [s for s in _sentences_around(article, GROUP_OF_CCGS) if s in found]


def national_figure_sentences(article: str) -> list[str]:
    """Sentences with figures about many CCGs: a count of CCGs ("191 CCGs", "22 CCGs were"),
    or a percentage beside a rating word ("12% were rated outstanding")."""
    return [
        s
        for s in _sentences_around(article, _DIGIT)
        if _COUNT_OF_CCGS.search(s) or (PERCENTAGE.search(s) and _states_a_rating(s))
    ]


def figure_sentences(article: str) -> list[str]:
    """Sentences with a figure that is not a year or a date, other than national figures."""
    national = set(national_figure_sentences(article))
    return [
        s
        for s in _sentences_around(article, _DIGIT)
        if s not in national and _FIGURE.search(_NOT_A_FIGURE.sub(" ", s))
    ]


def quotation_sentences(article: str) -> list[str]:
    """Sentences where someone is quoted: a speech verb (or a colon) and a quotation mark,
    shortened to their first words."""
    return [_shortened(s) for s in _sentences_around(article, _SPEECH) if _QUOTATION_MARK.search(s)]


def published_sentences(article: str) -> list[str]:
    """Sentences saying something was published, announced or released, with a date."""
    return [s for s in _sentences_around(article, _PUBLISHED) if _DATE.search(s)]


def _shortened(sentence: str) -> str:
    if len(sentence) <= _MAX_QUOTATION_CHARS:
        return sentence
    return sentence[:_MAX_QUOTATION_CHARS].rsplit(" ", 1)[0] + " \u2026"
