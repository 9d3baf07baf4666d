"""Prove the ratings the model gave each CCG, each against the sentence that must state it.

Every claim from `model.ccg_questions` is kept only with a sentence of the article that:

- **speaks of the CCG** (`names.context`): names it, follows a sentence naming it in the same
  paragraph, heads the list line naming it, is a sentence about a group of CCGs, or belongs
  to an article about this CCG alone; a sentence that does not name it and gives national
  figures (a share, a count over 20, "England") rates no single CCG, and a sentence naming
  the CCG that gives it another overall rating outweighs a group's;
- **states the rating** in its words (`rating_terms`), and the rating **belongs** there to
  the CCG (not to another CCG named nearer it, nor to an area: "good for cancer"); an area or
  item's rating must belong to that area or item;
- for **last year's rating**, says so: a rating other than this year's, with this year's
  also stated or with a word of time or change ("last year", "2016/17", "up from",
  "downgraded"); or the same rating with a word of continuity ("again", "kept", "third year").

The sentence is the one the model cited when it passes; else the first sentence shown for
the CCG that passes (the model's number is often one off). A claim with no such sentence is
dropped and listed. The assessment year is the article's (`article_year`): the model's
reading when the article writes that year, else the latest year written about ratings.
"""

from __future__ import annotations

import re
from collections import Counter

from rapidfuzz import fuzz

from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import CcgContext, ccg_key
from extractor.names.groups import counted_span, members_rated
from extractor.names.reference_table import canonical_key, normalize_ccg
from extractor.proof.items import (
    prove_finances,
    prove_items,
    prove_plain_finances,
    prove_plain_items,
)
from extractor.proof.prover import ABOUT_RATING, OVERALL, Prover, rating_value
from extractor.schema import Assessment, DroppedFact, Rating
from extractor.text.dates_and_numbers import normalize_year, years_in
from extractor.text.rating_terms import (
    rating_terms,
    states_rating,
)
from extractor.text.rating_time import continued_in_clause
from extractor.text.sentences import split_sentences

__all__ = ["article_year", "prove_ratings", "rating_value"]

_PAST = re.compile(
    r"\b(?:last|previous|prior|earlier|before|ago|former\w*|previously|from|was|were|had|"
    r"downgrad\w*|upgrad\w*|improv\w*|climb\w*|slip\w*|fell|fall\w*|dropp\w*|ris\w*|rose|"
    r"mov\w*|jump\w*|up|down)\b",
    re.IGNORECASE,
)
_OVERALL_LABEL = re.compile(r"\s*overall(?:\s+rating)?\s*[:\-\u2013|]?\s", re.IGNORECASE)


def _context_for(batch: list[CcgContext], name: str) -> CcgContext | None:
    """The CCG of the batch the model's name means: same key, else the closest name."""
    key = ccg_key(normalize_ccg(name))
    for context in batch:
        if ccg_key(context.ccg) == key:
            return context
    scored = [
        (fuzz.token_set_ratio(canonical_key(name), canonical_key(c.ccg.as_written)), c)
        for c in batch
    ]
    scored.sort(key=lambda item: -item[0])
    if scored and scored[0][0] >= 85 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
        return scored[0][1]
    return batch[0] if len(batch) == 1 else None


def prove_ratings(
    article: str,
    answers: list[tuple[list[CcgContext], CcgAnswer]],
    contexts: list[CcgContext],
    *,
    year: str | None = None,
) -> tuple[list[Assessment], list[DroppedFact]]:
    """The assessments the model's answers prove, and every claim dropped with its reason.

    A CCG the model gave no provable overall rating gets the one a sentence naming it (or
    the heading over the list line naming it) states unmistakably, if one does: that
    sentence states one overall rating, and it belongs to the CCG.
    """
    prover = Prover(article, contexts)
    main_year = article_year(article, year)
    answered: dict[str, tuple[str, CcgAnswer]] = {}
    for index, (batch, answer) in enumerate(answers):
        context = _context_for(batch, answer.ccg)
        if context is None:
            prover.drop(f"ratings[{index}]", None, f"names no CCG asked about: {answer.ccg!r}")
            continue
        answered.setdefault(ccg_key(context.ccg), (f"ratings[{index}]", answer))
    assessments = []
    for context in contexts:
        path, answer = answered.get(ccg_key(context.ccg), ("(code)", CcgAnswer(ccg="")))
        assessment = _assessment(prover, context, answer, path, main_year)
        if assessment.overall is None:
            _prove_plain_overall(prover, context, assessment)
        if assessment.overall is not None:
            prover.overall[id(context)] = assessment.overall.value
        _prove_previous(prover, context, answer, path, assessment)
        if assessment.previous_overall is None and assessment.overall is not None:
            _prove_plain_previous(prover, context, assessment)
        prove_finances(prover, context, answer, path, assessment)
        if assessment.financial_concerns is None and assessment.overall is not None:
            prove_plain_finances(prover, context, assessment)
        prove_items(prover, context, answer, path, assessment)
        prove_plain_items(prover, context, assessment)
        if assessment.overall or assessment.areas or assessment.indicators:
            assessments.append(assessment)
    return assessments, prover.dropped


def _assessment(
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


def _prove_plain_overall(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
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


def _prove_previous(
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


def _prove_plain_previous(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
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


_AHEAD = re.compile(
    r"\b(?:forecast\w*|plan(?:s|ned|ning)?\s+(?:for|in)|operating\s+plan|budget\s+for|"
    r"next|coming|will|expect\w*|ahead|into)\b(?:[^,;.]|(?<=\d)\.(?=\d))*$",
    re.IGNORECASE,
)


def _past_years(sentence: str) -> list[str]:
    """The years a sentence writes, but not a year it looks ahead to ("forecasting a
    shortfall in 2016-17", "an operating plan for 2016-17", "forecasting an overspend of
    \u00a32.1m for 2017/18")."""
    return [
        year
        for year in years_in(sentence)
        for match in [re.search(re.escape(year[:4]), sentence)]
        if match is None or not _AHEAD.search(sentence[max(0, match.start() - 60) : match.start()])
    ]


def article_year(article: str, said: str | None = None) -> str | None:
    """The assessment year of the article: the latest year written in a sentence about
    ratings or the assessment (an earlier one is a previous rating's); else `said` (the
    model's reading) when the article writes that year; else the year it writes most.
    (On the samples and dev gold the first rule alone gives the annotated year for 42 of
    the 44 articles that rate a CCG.)"""
    written = years_in(article)
    rated = [
        year
        for sentence in split_sentences(article)
        if rating_terms(sentence.text) or ABOUT_RATING.search(sentence.text)
        for year in _past_years(sentence.text)
    ]
    if rated:
        return max(rated)
    if said is not None and normalize_year(said) in written:
        return normalize_year(said)
    if not written:
        return None
    counts = Counter(years_in(article))
    best = max(counts.values())
    return max(year for year, count in counts.items() if count == best)
