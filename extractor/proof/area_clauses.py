"""Which clause of a sentence gives a rating to a clinical area or names an indicator: the
checks a first answer's area, indicator and overall ratings need beyond their own words.

A rating sentence that never names the indicator the model named proves nothing for it
(`names_indicator`); in a sentence stating several ratings, an area's rating is the one of
its clause ("good for cancer, while dementia requires improvement"; `ratings_given_to`,
`pairs_area_with_rating`); a rating given only to areas ("rated good for maternity") is no
overall rating (`rates_only_areas`).
"""

from __future__ import annotations

import re

from extractor.text.phrases import (
    AREA_WORDS,
    OVERALL_RATINGS,
    RATING_PHRASES,
    overall_ratings_stated,
    phrase_positions,
    phrase_spans,
    states,
)

__all__ = ["names_indicator", "pairs_area_with_rating", "rates_only_areas", "ratings_given_to"]

_GENERIC_NAME_WORDS = frozenset(
    {"the", "and", "for", "rating", "ratings", "indicator", "indicators", "domain", "score"}
)


def names_indicator(sentence: str, name: str) -> bool:
    """True when the evidence sentence holds every distinctive word of an indicator's name.

    "leadership: good" needs "leadership" in its sentence; a rating sentence that never
    mentions the indicator ("awarded an overall rating of Good") does not rate it.
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("_", " "))
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_NAME_WORDS]
    return all(states(sentence, (word,)) for word in distinctive)


_CLAUSE_BREAK = re.compile(r"[,;:\u2013\u2014]|\b(?:while|but|whereas|although)\b", re.IGNORECASE)


def ratings_given_to(sentence: str, area_words: tuple[str, ...]) -> set[str]:
    """The overall-scale ratings a sentence gives an area, reading each mention of the area
    with the nearest rating before it in its clause (else after it in the clause, else the
    nearest before it in the sentence: "rated good for cancer and dementia and requires
    improvement for maternity, mental health and learning disabilities")."""
    ratings = sorted(
        (position, rating)
        for rating in OVERALL_RATINGS
        for position in phrase_positions(sentence, RATING_PHRASES[rating])
    )
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    given: set[str] = set()
    for at in phrase_positions(sentence, area_words):
        clause_start = max((b for b in breaks if b < at), default=-1)
        clause_end = min((b for b in breaks if b > at), default=len(sentence))
        before = [r for p, r in ratings if p < at]
        in_clause_before = [r for p, r in ratings if clause_start < p < at]
        in_clause_after = [r for p, r in ratings if at < p < clause_end]
        after = [r for p, r in ratings if p > at]
        for candidates, pick in (
            (in_clause_before, -1),
            (in_clause_after, 0),
            (before, -1),
            (after, 0),
        ):
            if candidates:
                given.add(candidates[pick])
                break
    return given


_FOR_AN_AREA = re.compile(r"^[\W_]*(?:[a-z]+[\W_]+){0,2}?(?:for|in)\b", re.IGNORECASE)


def rates_only_areas(sentence: str, rating: str) -> bool:
    """True when every mention of `rating` in the sentence is followed, in its clause, by
    "for"/"in" and a clinical area ("rated 'good' for maternity services") and the sentence
    never says "overall": it gives the rating to areas, not to the CCG as a whole."""
    if re.search(r"\boverall\b", sentence, re.IGNORECASE):
        return False
    mentions = phrase_spans(sentence, RATING_PHRASES[rating])
    if not mentions:
        return False
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    for _, end in mentions:
        clause_end = min((b for b in breaks if b >= end), default=len(sentence))
        after = sentence[end:clause_end]
        if not _FOR_AN_AREA.search(after) or not any(
            states(after, words) for words in AREA_WORDS.values()
        ):
            return False
    return True


def pairs_area_with_rating(sentence: str, area_words: tuple[str, ...], rating: str) -> bool:
    """False when a sentence stating several ratings gives the area another one."""
    if len(overall_ratings_stated(sentence)) < 2:
        return True
    return rating in ratings_given_to(sentence, area_words)
