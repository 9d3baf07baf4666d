"""Checks that read beyond a fact's own evidence: the rest of its sentence, or the article.

Grounding proves that the words the model quoted state a fact. These checks catch facts that
are stated, but not about what the model said they are about: a rating sentence that never
mentions the indicator the model named, or a rating given to a group of CCGs ("five of the
six CCGs were rated inadequate") for a CCG that a sentence of its own rates otherwise ("East
Riverside CCG kept its good rating").
"""

from __future__ import annotations

import re

from extractor.ccg_names import canonical_key
from extractor.grounding import widen_to_sentence
from extractor.normalize import normalize_year, years_in
from extractor.schema import Evidence, Rating
from extractor.wording import AREA_WORDS, RATING_PHRASES, states

__all__ = ["names_indicator", "rated_otherwise"]

_GENERIC_NAME_WORDS = frozenset(
    {"the", "and", "for", "rating", "ratings", "indicator", "indicators", "domain", "score"}
)
_OVERALL_RATINGS = tuple(rating.value for rating in Rating)
_ANOTHER_YEAR = re.compile(r"\b(last|previous|prior) year\b|\bpreviously\b", re.IGNORECASE)


def names_indicator(sentence: str, name: str) -> bool:
    """True when the evidence sentence holds every distinctive word of an indicator's name.

    "leadership: good" needs "leadership" in its sentence; a rating sentence that never
    mentions the indicator ("awarded an overall rating of Good") does not rate it.
    """
    words = re.findall(r"[a-z0-9]+", name.lower().replace("_", " "))
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_NAME_WORDS]
    return all(states(sentence, (word,)) for word in distinctive)


def rated_otherwise(
    article: str,
    as_written: str,
    overall: Rating | None,
    evidence: Evidence | None,
    year: str | None,
) -> str | None:
    """A sentence that names the CCG and states another overall rating for the same year,
    when the rating's own evidence does not name the CCG.

    Only sentences with one overall rating word, no clinical area, no "last year" and no
    other assessment year count: they can only be about the same rating.
    """
    key = canonical_key(as_written)
    if overall is None or evidence is None or not key or _ANOTHER_YEAR.search(evidence.quote):
        return None
    if f" {key} " in f" {canonical_key(evidence.quote)} ":
        return None  # its own evidence names it
    name = r"[^a-z0-9]+".join(re.escape(word) for word in key.split())
    plain = article.lower().replace("&", "and")
    for match in re.finditer(rf"(?<![a-z0-9]){name}(?![a-z0-9])", plain):
        start, end = widen_to_sentence(article, match.start(), match.end())
        sentence = article[start:end]
        written_years = years_in(sentence)
        if (
            _ANOTHER_YEAR.search(sentence)
            or (written_years and normalize_year(year) not in written_years)
            or any(states(sentence, words) for words in AREA_WORDS.values())
        ):
            continue
        stated = [r for r in _OVERALL_RATINGS if states(sentence, RATING_PHRASES[r])]
        if len(stated) == 1 and stated[0] != overall.value:
            return sentence
    return None
