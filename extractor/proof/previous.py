"""Prove last year's rating: a sentence about the CCG must say it had that rating the year
before.

For a first answer (the model copies evidence for this year's rating only;
`previous_rating_evidence`): a sentence about the CCG (`sentence_tools.AnsweredCcg`) with a
marker of the year before ("last year's 'inadequate' rating", "in 2015/16", "up from") or of
a rating kept ("for the second year running", "kept its 'good' rating", "each year since
2015"), where the rating word nearest that marker, and near it, is the one the model gave.

For the narrow questions (`prove_previous`, `prove_plain_previous`, with `sentence_tools.Prover`):
a sentence about the CCG that gives it the rating for an earlier year ("rated inadequate
last year", "requires improvement in 2015-16"); or, when this year's rating is also
stated, a word of time or change ("up from", "downgraded"); or the same rating with a
word of continuity in the clause of this year's rating ("kept its good rating", "once
again", "third year"). A group's other rating makes the CCG an exception, not a change.
When the model says nothing, the first sentence about the CCG (not a group's or a
heading) that gives it one rating for the year before, or says its rating went on,
gives it.
"""

from __future__ import annotations

import re

from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import CcgContext
from extractor.proof.sentence_tools import OVERALL, AnsweredCcg, Prover
from extractor.schema import Assessment, Evidence, Rating
from extractor.text.phrases import OVERALL_RATINGS, RATING_PHRASES, phrase_spans
from extractor.text.rating_terms import rating_terms, rating_value, states_rating
from extractor.text.rating_time import continued_in_clause

__all__ = ["previous_rating_evidence", "prove_plain_previous", "prove_previous"]

_YEAR_BEFORE = re.compile(
    r"\b(?:last|previous|prior|preceding) year\b|\ba year (?:ago|earlier|before)\b"
    r"|\byear before\b|\bpreviously\b|\blast time\b"
    r"|\b(?:up|down|improved|improving|moved|moving|rose|risen|fell|fallen|dropped|slipped|"
    r"upgraded|downgraded|step(?:ped)? up|step(?:ped)? down) from\b",
    re.IGNORECASE,
)
_RATING_KEPT = re.compile(
    r"\b(?:second|third|fourth|fifth|sixth|seventh|\d+(?:st|nd|rd|th)|consecutive|successive|"
    r"straight) (?:consecutive |successive |straight )?years?\b|\byears? running\b|\bin a row\b"
    r"|\bin succession\b|\b(?:each|every) year since\b"
    r"|\bretain(?:s|ed|ing)?\b|\bkept\b|\bkeeps?\b|\bmaintain(?:s|ed|ing)?\b"
    r"|\bremain(?:s|ed|ing)?\b|\bagain\b|\bstill\b",
    re.IGNORECASE,
)
_MAX_GAP = 60
"""A mark speaks of a rating only when its words lie this near it ("kept its 'good'
rating"; "for the third year running Ash Vale CCG has been rated as requiring improvement")."""


def previous_rating_evidence(ccg: AnsweredCcg, previous: str) -> Evidence | None:
    """The first sentence about the CCG that states `previous` as its rating of the year
    before, or None."""
    year_before = _year_before(ccg.year)
    markers = [_YEAR_BEFORE] + ([year_before] if year_before is not None else [])
    if previous == ccg.overall:
        markers.append(_RATING_KEPT)
    spans = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in markers), re.IGNORECASE)
    for sentence in ccg.sentences(spans):
        marks = [match.span() for match in spans.finditer(sentence.quote)]
        if any(_nearest_rating(sentence.quote, mark) == (previous, True) for mark in marks):
            return sentence
    return None


def _nearest_rating(sentence: str, mark: tuple[int, int]) -> tuple[str, bool] | None:
    """The overall-scale rating whose words lie nearest the span `mark` of the sentence, and
    whether they lie within `_MAX_GAP` characters of it."""
    best: tuple[int, str] | None = None
    for rating in OVERALL_RATINGS:
        for start, end in phrase_spans(sentence, RATING_PHRASES[rating]):
            gap = max(mark[0] - end, start - mark[1], 0)
            if best is None or gap < best[0]:
                best = (gap, rating)
    return (best[1], best[0] <= _MAX_GAP) if best else None


def _year_before(year: str | None) -> re.Pattern[str] | None:
    """The assessment year before `year` ("2016/17" -> 2015/16, 2015-16, 2015/2016)."""
    if year is None:
        return None
    first = int(year[:4]) - 1
    second = first + 1
    return re.compile(rf"\b{first}\s*[/\-\u2013]\s*(?:{second}|{second % 100:02d})\b")


_PAST = re.compile(
    r"\b(?:last|previous|prior|earlier|before|ago|former\w*|previously|from|was|were|had|"
    r"downgrad\w*|upgrad\w*|improv\w*|climb\w*|slip\w*|fell|fall\w*|dropp\w*|ris\w*|rose|"
    r"mov\w*|jump\w*|up|down)\b",
    re.IGNORECASE,
)


def prove_previous(
    prover: Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
) -> None:
    previous = rating_value(answer.last_year, OVERALL)
    if answer.last_year is None:
        return
    if previous is None or assessment.overall is None:
        reason = "no rating this year to compare" if previous else "not a rating"
        prover.drop(f"{path}.previous_overall", answer.last_year_sentence, reason)
        return
    current = assessment.overall.value

    def says_previous(number: int) -> bool:
        text = prover.sentence(number).text
        if prover.rated(context, number, previous, year=assessment.year, now=False):
            return True  # "rated inadequate last year", "requires improvement in 2015-16"
        if not prover.rated(context, number, previous, year=assessment.year, now=True):
            return False
        if previous == current:  # "kept its good rating": the clause of the rating says so
            return any(
                continued_in_clause(text, start)
                for start, _, rating in rating_terms(text)
                if rating == current
            )
        if context.relations.get(number) != "own":
            return False  # a group's other rating makes the CCG an exception, not a change
        return states_rating(text, current) or _PAST.search(text) is not None

    number = prover.first_passing(context, answer.last_year_sentence, says_previous)
    if number is None:
        reason = "no sentence about the CCG says it had this rating the year before"
        prover.drop(f"{path}.previous_overall", answer.last_year_sentence, reason)
        return
    assessment.previous_overall = Rating(previous)
    assessment.previous_evidence = prover.sentence(number).evidence


def prove_plain_previous(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
    """Last year's rating from the first sentence about the CCG that gives it one rating for
    the year before ("up from good", "rated inadequate last year"), or says in the clause of
    this year's rating that it went on ("kept its good rating", "once again")."""
    assert assessment.overall is not None
    current = assessment.overall.value
    for number in sorted(context.relations):
        if context.relations[number] in ("group", "heading"):
            continue
        before = {
            rating
            for rating in OVERALL
            if prover.rated(context, number, rating, year=assessment.year, now=False)
        }
        text = prover.sentence(number).text
        if (
            not before
            and prover.rated(context, number, current, year=assessment.year, now=True)
            and any(
                rating == current and continued_in_clause(text, start)
                for start, _, rating in rating_terms(text)
            )
        ):
            before = {current}
        if len(before) == 1:
            assessment.previous_overall = Rating(before.pop())
            assessment.previous_evidence = prover.sentence(number).evidence
            return
