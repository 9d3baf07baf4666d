"""Checks that read beyond a fact's own evidence: the rest of its sentence, or the article.

Grounding proves that the words the model quoted state a fact. These checks catch facts that
are stated, but not about what the model said they are about: a rating sentence that never
mentions the indicator the model named, a national share ("54% of CCGs were rated good")
quoted as one CCG's rating, or a rating given to a group of CCGs ("five of the six CCGs were
rated inadequate") for a CCG that a sentence of its own rates otherwise ("East Riverside CCG
kept its good rating"), or a national figure given to the wrong rating ("20% were rated good
and 5% outstanding": 5 is not the share rated good). They also find better proof: a sentence
that names the CCG and states the rating the model gave is preferred to quoted words that do
not name it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.names.reference_table import canonical_key
from extractor.schema import Evidence
from extractor.text.dates_and_numbers import normalize_year, number_forms, years_in
from extractor.text.injection import evidence_sentences
from extractor.text.phrases import (
    AREA_WORDS,
    OVERALL_RATINGS,
    PERCENTAGE,
    RATING_PHRASES,
    overall_ratings_stated,
    phrase_positions,
    phrase_spans,
    states,
)

__all__ = [
    "about_another_year",
    "is_share_of_all_ccgs",
    "names_ccg",
    "names_indicator",
    "national_figure_stated",
    "own_rating_sentences",
    "pairs_area_with_rating",
    "rates_only_areas",
    "ratings_given_to",
]

_GENERIC_NAME_WORDS = frozenset(
    {"the", "and", "for", "rating", "ratings", "indicator", "indicators", "domain", "score"}
)
_CHANGE_BEFORE = re.compile(r"\b(?:up|down|by)\s*$", re.IGNORECASE)  # "down 4%", "rose by 2%"
_PERCENT_AFTER = re.compile(r"\s*(?:%|per ?cent)", re.IGNORECASE)
_ANOTHER_YEAR = re.compile(r"\b(last|previous|prior) year\b|\bpreviously\b", re.IGNORECASE)


def names_indicator(sentence: str, name: str) -> bool:
    """True when the evidence sentence holds every distinctive word of an indicator's name.

    "leadership: good" needs "leadership" in its sentence; a rating sentence that never
    mentions the indicator ("awarded an overall rating of Good") does not rate it.
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("_", " "))
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_NAME_WORDS]
    return all(states(sentence, (word,)) for word in distinctive)


def own_rating_sentences(
    article: str, as_written: str, year: str | None
) -> list[tuple[Evidence, str]]:
    """Sentences that name the CCG and state one overall rating, with that rating.

    Only sentences with one overall rating word, no clinical area, no "last year" and no
    other assessment year count: they can only be about this year's overall rating.
    """
    key = canonical_key(as_written)
    if not key:
        return []
    name = r"[^a-z0-9]+".join(re.escape(word) for word in key.split())
    plain = article.lower().replace("&", "and")
    mentions = (m.span() for m in re.finditer(rf"(?<![a-z0-9]){name}(?![a-z0-9])", plain))
    found: list[tuple[Evidence, str]] = []
    for start, end in evidence_sentences(article, mentions):
        sentence = article[start:end]
        written_years = years_in(sentence)
        if (
            _ANOTHER_YEAR.search(sentence)
            or (written_years and normalize_year(year) not in written_years)
            or any(states(sentence, words) for words in AREA_WORDS.values())
        ):
            continue
        stated = overall_ratings_stated(sentence)
        if len(stated) == 1:
            evidence = Evidence(quote=sentence, start=start, end=end, match="exact", score=100.0)
            found.append((evidence, stated[0]))
    return found


def about_another_year(evidence: Evidence) -> bool:
    """True when the evidence speaks of last year's rating ("last year it was rated good")."""
    return _ANOTHER_YEAR.search(evidence.quote) is not None


def names_ccg(evidence: Evidence, as_written: str) -> bool:
    """True when the evidence itself names the CCG (ignoring NHS/CCG and punctuation)."""
    key = canonical_key(as_written)
    return bool(key) and f" {key} " in f" {canonical_key(evidence.quote)} "


def is_share_of_all_ccgs(evidence: Evidence) -> bool:
    """True for a national share ("54% of CCGs were rated good"): no one CCG's rating."""
    return PERCENTAGE.search(evidence.quote) is not None


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


def national_figure_stated(
    sentences: Iterable[str], value: float, rating: str, *, percent: bool
) -> bool:
    """True when one of `sentences` gives `value` as the share (`percent`) or the count of
    CCGs with `rating`: the figure is written (as a percentage, or as a plain number), is not
    a change ("down 4%"), and the first rating word after it is `rating`."""
    forms = [form for form in number_forms(float(value)) if form[0].isdigit()]
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    figure = re.compile(rf"(?<![\d.,])(?:{pattern})(?![\d]|[.,]\d)")
    for sentence in sentences:
        for match in figure.finditer(sentence):
            if _CHANGE_BEFORE.search(sentence[: match.start()]):
                continue
            after = sentence[match.end() :]
            if bool(_PERCENT_AFTER.match(after)) != percent:
                continue
            firsts = [
                (positions[0], name)
                for name in OVERALL_RATINGS
                if (positions := phrase_positions(after, RATING_PHRASES[name]))
            ]
            if firsts and min(firsts)[1] == rating:
                return True
    return False
