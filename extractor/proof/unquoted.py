"""Proof for the facts a model gives without quoting: last year's rating and finances.

The answer schema asks the model for a CCG's `previous_overall` and `financial_concerns`
without evidence (every extra quote costs a small model time and accuracy). Code finds the
proof instead: the first sentence of the article, about this CCG, that states the fact.

- Last year's rating is stated by a sentence with a marker of the year before ("last year's
  'inadequate' rating", "in 2015/16", "up from") or of a rating kept ("for the second year
  running", "kept its 'good' rating", "each year since 2015"), where the rating word
  nearest that marker, and near it, is the one the model gave.
- Finances drove the rating when a sentence speaks of money and of the rating and names a
  problem ("its rating reflects a growing overspend"); they did not when it names sound
  finances and no problem ("it kept its rating after meeting its savings target").

A sentence is about the CCG when it names it; when it names no CCG, if it speaks of a group
of CCGs and gives the CCG's own overall rating ("the CCGs rated inadequate"), or if the
CCG is the only one the article reports and the sentence does not speak of another body
(a trust, a council, a hospital) instead of the CCG ("the CCG", "we"). A passage addressed
to AI proves nothing. A fact with no such sentence is dropped by `assemble`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractor.proof.grounder import Grounder
from extractor.proof.sentence_checks import names_ccg
from extractor.schema import Evidence
from extractor.text.injection import evidence_sentences
from extractor.text.phrases import (
    GROUP_OF_CCGS,
    OVERALL_RATINGS,
    PERCENTAGE,
    RATING_PHRASES,
    phrase_spans,
    states,
)

__all__ = ["CcgContext", "financial_evidence", "previous_rating_evidence"]

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
_REFERS_TO_A_CCG = re.compile(
    r"\bCCG\b|\bclinical commissioning group\b|\bwe\b|\bour\b|\bus\b", re.IGNORECASE
)
_ANOTHER_BODY = re.compile(
    r"\btrusts?\b|\bcouncils?\b|\bhospitals?\b|\bpractices?\b|\bsurger(?:y|ies)\b"
    r"|\bauthorit(?:y|ies)\b|\bCQC\b|\bCare Quality Commission\b",
    re.IGNORECASE,
)
"""A sentence naming no CCG speaks for the article's one CCG unless it speaks of another
body (a trust, a council, a hospital) and not of the CCG ("the CCG", "we")."""
_MAX_GAP = 60
"""A mark speaks of a rating only when its words lie this near it ("kept its 'good'
rating"; "for the third year running Ash Vale CCG has been rated as requiring improvement")."""
_MONEY = re.compile(
    r"\bfinanc|\bdeficit|\bcontrol total|\bbudget|\bsurplus|\boverspen|\bsavings?\b",
    re.IGNORECASE,
)
_ABOUT_A_RATING = re.compile(r"\brat(?:ed|ing|ings)\b|\bassess", re.IGNORECASE)
_MONEY_PROBLEM = re.compile(
    r"\bchalleng|\bconcern|\bdeficit|\bpressure|\bstrain|\bproblem|\bdifficult|\bdeteriorat"
    r"|\boverspen|\bshortfall|\bdebt|\bpoor\b|\bweak|\bworsen|\bstruggl|\bfail"
    r"|\bmiss(?:ed|es|ing)?\b|\b(?:not|never) (?:met|meet|hit|achiev)",
    re.IGNORECASE,
)
_SOUND_MONEY = re.compile(
    r"\bgood\b|\bstrong|\bsound\b|\bhealthy\b|\bhit(?:s|ting)?\b|\bmet\b|\bmeet(?:s|ing)?\b"
    r"|\bachiev|\bbalanced?\b|\bsurplus|\bwithin budget\b|\bon track\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CcgContext:
    """One assessed CCG in its article: what decides which sentences speak of it."""

    grounder: Grounder
    """The article, and the other CCGs it or the answer names."""
    as_written: str
    overall: str | None
    year: str | None
    alone: bool
    """True when this is the only CCG the extraction reports."""

    def sentences(self, pattern: re.Pattern[str]) -> Iterator[Evidence]:
        """Each sentence about this CCG holding a match of `pattern`, once, in article order."""
        article = self.grounder.article
        matches = (match.span() for match in pattern.finditer(article))
        for start, end in evidence_sentences(article, matches):
            sentence = Evidence(quote=article[start:end], start=start, end=end)
            if self._about(sentence):
                yield sentence

    def _about(self, evidence: Evidence) -> bool:
        if names_ccg(evidence, self.as_written):
            return True
        if self.grounder.about_another_ccg(evidence, self.as_written):
            return False
        sentence = evidence.quote
        if GROUP_OF_CCGS.search(sentence):
            return (
                self.overall is not None
                and states(sentence, RATING_PHRASES[self.overall])
                and not PERCENTAGE.search(sentence)
            )
        if not self.alone:
            return False
        return _REFERS_TO_A_CCG.search(sentence) is not None or not _ANOTHER_BODY.search(sentence)


def previous_rating_evidence(ccg: CcgContext, previous: str) -> Evidence | None:
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


def financial_evidence(ccg: CcgContext, concerns: bool) -> Evidence | None:
    """The first sentence about the CCG that ties its rating to finances: to a money problem
    when `concerns`, else to sound finances (and no problem), or None."""
    for sentence in ccg.sentences(_MONEY):
        text = sentence.quote
        if not _ABOUT_A_RATING.search(text):
            continue
        problem = _MONEY_PROBLEM.search(text) is not None
        if concerns and problem:
            return sentence
        if not concerns and not problem and _SOUND_MONEY.search(text):
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
