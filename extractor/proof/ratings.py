"""Prove the answers to the narrow questions about each CCG, fact kind by fact kind.

`prove_ratings` takes each CCG's answer from `model.ccg_questions` through the proof of each
kind: its overall rating (`overall.py`), last year's rating (`previous.py`), whether
finances drove it (`finances.py`), and its areas' and framework items' ratings
(`areas_and_indicators.py`), each with the checks every proof shares (`sentence_tools.Prover`).
Every claim is kept only with a sentence of the article that:

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
from extractor.names.reference_table import canonical_key, normalize_ccg
from extractor.proof.areas_and_indicators import prove_items, prove_plain_items
from extractor.proof.finances import prove_finances, prove_plain_finances
from extractor.proof.overall import assessment_with_overall, prove_plain_overall
from extractor.proof.previous import prove_plain_previous, prove_previous
from extractor.proof.sentence_tools import Prover
from extractor.schema import Assessment, DroppedFact
from extractor.text.dates_and_numbers import normalize_year, years_in
from extractor.text.phrases import ABOUT_RATING
from extractor.text.rating_terms import rating_terms
from extractor.text.sentences import split_sentences

__all__ = ["article_year", "prove_ratings"]


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
        assessment = assessment_with_overall(prover, context, answer, path, main_year)
        if assessment.overall is None:
            prove_plain_overall(prover, context, assessment)
        if assessment.overall is not None:
            prover.overall[id(context)] = assessment.overall.value
        prove_previous(prover, context, answer, path, assessment)
        if assessment.previous_overall is None and assessment.overall is not None:
            prove_plain_previous(prover, context, assessment)
        prove_finances(prover, context, answer, path, assessment)
        if assessment.financial_concerns is None and assessment.overall is not None:
            prove_plain_finances(prover, context, assessment)
        prove_items(prover, context, answer, path, assessment)
        prove_plain_items(prover, context, assessment)
        if assessment.overall or assessment.areas or assessment.indicators:
            assessments.append(assessment)
    return assessments, prover.dropped


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
