"""Prove a CCG's overall rating: a sentence about the CCG must give it that rating this year.

For a first answer (`overall_evidence`): the model's words must be found and state the
rating; words that give it to a clinical area ("rated 'good' for maternity services") or
to another CCG never prove it. Words that do not name the CCG prove it only as part of a
group ("three of the four CCGs were rated inadequate"): not when a sentence naming the CCG
states another rating (`CONTRADICTED`), and not as a national share. A sentence naming the
CCG that states the model's rating alone is better proof, and is used when the model's
words fail.

For the narrow questions (`assessment_with_overall`, with `sentence_tools.Prover`): the sentence the
model cites, or else the first sentence shown for the CCG, must rate the CCG so this year,
with no sentence naming the CCG rating it otherwise. When the model gives none
(`prove_plain_overall`), the first sentence naming the CCG, heading its list line,
labelled "Overall" in a table about it, under a line that is only its name ("Medway CCG"
over "Inadequate, unchanged from the previous year."), or rating a group it belongs to
that gives it one overall rating gives it; a group sentence counts only when it rates
every member it may speak of ("all", or "N of the M" with the exceptions rated otherwise
on their own).
"""

from __future__ import annotations

import re

from extractor.answer.article import AnswerAssessment
from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import CcgContext
from extractor.names.groups import counted_span, members_rated
from extractor.names.reference_table import canonical_key, evidence_names_ccg
from extractor.proof.sentence_tools import OVERALL, Grounder, Prover
from extractor.schema import Assessment, Evidence, Rating
from extractor.text.dates_and_numbers import normalize_year, years_in
from extractor.text.injection import evidence_sentences
from extractor.text.phrases import (
    AREA_WORDS,
    CLAUSE_BREAK,
    PERCENTAGE,
    RATING_PHRASES,
    overall_ratings_stated,
    phrase_spans,
    states,
)
from extractor.text.rating_terms import rating_value

__all__ = [
    "CONTRADICTED",
    "about_another_year",
    "assessment_with_overall",
    "is_share_of_all_ccgs",
    "overall_evidence",
    "own_rating_sentences",
    "prove_plain_overall",
    "rates_only_areas",
]

_OVERALL_LABEL = re.compile(r"\s*overall(?:\s+rating)?\s*[:\-\u2013|]?\s", re.IGNORECASE)


def assessment_with_overall(
    prover: Prover, context: CcgContext, answer: CcgAnswer, path: str, main_year: str | None
) -> Assessment:
    """The CCG's assessment with the overall rating the model gave, if a sentence proves it."""
    assessment = Assessment(ccg=context.ccg, year=main_year)
    overall = rating_value(answer.overall, OVERALL)
    if answer.overall and overall is None:
        prover.drop(f"{path}.overall", answer.overall_sentence, f"not a rating: {answer.overall!r}")
    if overall is None:
        return assessment
    number = prover.first_passing(
        context,
        answer.overall_sentence,
        lambda n: _own_overall(prover, context, n, overall, main_year),
    )
    if number is None:
        reason = "no sentence about the CCG gives it this rating"
        prover.drop(f"{path}.overall", answer.overall_sentence, reason)
    else:
        assessment.overall = Rating(overall)
        assessment.evidence = prover.sentence(number).evidence
    return assessment


def prove_plain_overall(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
    """The overall rating of the first sentence naming the CCG, heading its list line, or
    labelled "Overall" in a table about it, or rating a group it belongs to, that gives the
    CCG one overall rating this year."""
    for number in sorted(context.relations):
        relation = context.relations[number]
        labelled = _OVERALL_LABEL.match(prover.sentence(number).text) is not None
        if relation == "group":
            if not _rates_each_member(prover, number, assessment.year):
                continue
        elif (
            relation not in ("own", "heading")
            and not labelled
            and not (relation == "follow" and _under_name_line(prover, context, number))
        ):
            continue
        stated = {
            rating
            for rating in OVERALL
            if prover.rated(context, number, rating, year=assessment.year, now=True)
        }
        if len(stated) == 1:
            (rating,) = stated
            if _own_overall(prover, context, number, rating, assessment.year):
                assessment.overall = Rating(rating)
                assessment.evidence = prover.sentence(number).evidence
                return


_NAME_AFFIXES = frozenset({"nhs", "ccg", "clinical", "commissioning", "group"})


def _under_name_line(prover: Prover, context: CcgContext, number: int) -> bool:
    """The sentence comes right after a line that is the CCG's name and nothing more ("Medway
    CCG" over "Inadequate, unchanged from last year."): the layout of a list of entries."""
    if number < 2 or context.relations.get(number - 1) != "own":
        return False
    line = prover.sentence(number - 1)
    rest = line.text
    for mention in context.mentions:
        if line.start <= mention.start < line.end:
            rest = rest.replace(mention.written, " ")
    rest = re.sub(r"\([^()]*\)", " ", rest)  # initials in brackets: "(DDES)"
    return all(word.lower() in _NAME_AFFIXES for word in re.findall(r"[A-Za-z]+", rest))


def _rates_each_member(prover: Prover, number: int, year: str | None) -> bool:
    """A group sentence rates every CCG it may speak of: "all" of them, or "N of the M" when
    M - N of those CCGs have a sentence of their own rating them otherwise (the exceptions)."""
    share = members_rated(prover.sentence(number).text)
    if share is None:
        return True
    part, whole = share
    members = [c for c in prover.contexts if c.relations.get(number) == "group"]
    stated = [
        rating
        for rating in OVERALL
        if any(prover.rated(c, number, rating, year=year, now=True) for c in members)
    ]
    if part == 0 or len(stated) != 1:
        return False
    excepted = [c for c in members if not _own_overall(prover, c, number, stated[0], year)]
    sentence = prover.sentence(number)
    span = counted_span(sentence.text) or (0, 0)
    named_apart = [  # "Two of the three were rated ...; the third, Bury, was rated good"
        c
        for c in prover.contexts
        if c.relations.get(number) == "own"
        and not any(span[0] <= at < span[1] for at in prover.positions(c, sentence)[0])
        and not prover.rated(c, number, stated[0], year=year, now=True)
    ]
    return len(excepted) + len(named_apart) == whole - part


def _own_overall(
    prover: Prover, context: CcgContext, number: int, rating: str, year: str | None
) -> bool:
    """The sentence rates the CCG so this year, and no sentence naming the CCG rates it
    otherwise."""
    if not prover.rated(context, number, rating, year=year, now=True):
        return False
    if context.relations.get(number) == "own":
        return True
    return not any(
        prover.rated(context, n, other, year=year, now=True)
        for n, relation in context.relations.items()
        if relation == "own"
        for other in OVERALL
        if other != rating
    )


CONTRADICTED = "a sentence naming this CCG states another rating"
"""Why a group's rating is dropped for a CCG whose own sentence rates it otherwise."""


def overall_evidence(raw: AnswerAssessment, path: str, grounder: Grounder) -> Evidence | None:
    """Proof of the overall rating: the model's words, or a sentence of the CCG's own.

    Words that give the rating to a clinical area ("rated 'good' for maternity services")
    never prove the overall rating. Words that do not name the CCG prove it only as part of
    a group ("three of the four CCGs were rated inadequate"): not when a sentence naming the
    CCG states another rating, and not as a national share. A sentence naming the CCG that
    states the model's rating alone is better proof, and is used when the model's words fail.
    """
    assert raw.overall is not None
    rating, fact = raw.overall.value, f"{path}.overall"
    own = own_rating_sentences(grounder.article, raw.ccg, raw.year)
    agreeing = [sentence for sentence, stated in own if stated == rating]
    differing = [sentence for sentence, stated in own if stated != rating]
    mark = len(grounder.dropped)
    evidence = grounder.find(raw.evidence, fact, must_state=(RATING_PHRASES[rating],))
    if evidence is not None and rates_only_areas(evidence.quote, rating):
        grounder.drop(fact, raw.evidence, "the evidence gives this rating to a clinical area")
        evidence = None
    if evidence is not None and grounder.about_another_ccg(evidence, raw.ccg):
        grounder.drop(fact, raw.evidence, "the rating is another CCG's")
        evidence = None
    if evidence is not None and about_another_year(evidence):
        return evidence  # an earlier year's rating: this year's sentences do not bear on it
    if evidence is not None and not evidence_names_ccg(evidence, raw.ccg):
        if differing:
            grounder.drop(fact, differing[0].quote, CONTRADICTED)
            grounder.contradicted[raw.ccg] = tuple(sentence.quote for sentence, _ in own)
            return None
        if agreeing:
            return agreeing[0]
        if is_share_of_all_ccgs(evidence):
            grounder.drop(fact, raw.evidence, "a share of all CCGs is not one CCG's rating")
            return None
    if evidence is None and agreeing and not differing:
        del grounder.dropped[mark:]  # the model's words failed; the CCG's own sentence holds
        return agreeing[0]
    return evidence


_ANOTHER_YEAR = re.compile(r"\b(last|previous|prior) year\b|\bpreviously\b", re.IGNORECASE)


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


def is_share_of_all_ccgs(evidence: Evidence) -> bool:
    """True for a national share ("54% of CCGs were rated good"): no one CCG's rating."""
    return PERCENTAGE.search(evidence.quote) is not None


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
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(sentence)]
    for _, end in mentions:
        clause_end = min((b for b in breaks if b >= end), default=len(sentence))
        after = sentence[end:clause_end]
        if not _FOR_AN_AREA.search(after) or not any(
            states(after, words) for words in AREA_WORDS.values()
        ):
            return False
    return True
