"""Prove the dates: the day the ratings were published, and the year they were for.

The publication date, as the article writes it:

- The model's date is kept with the first sentence that writes that date right after saying
  something was published, announced, released or issued; a date the article does not
  write is dropped.
- Else, or when the model gives none, the first sentence that says the ratings or results
  were published and writes a date gives it.
- "published today" (or "yesterday", "this morning") takes the dateline's date: a short
  opening line, or the place and date before the dash that opens a paragraph, written in
  words or in figures, day first ("Nottingham, 12.07.18 —").

The assessment year of the article (`article_year`) is the latest year written in a sentence
about ratings or the assessment (not a year looked ahead to: "forecasting a deficit in
2016-17"); else the model's reading when the article writes that year; else the year it
writes most. The year a first answer gives for a CCG (`assessment_year`) is kept when the
article writes it; else the article's first year stands for it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from extractor.proof.sentence_tools import Grounder
from extractor.schema import Evidence
from extractor.text.dates_and_numbers import (
    date_in_article,
    dates_written,
    normalize_year,
    parse_date,
    years_in,
)
from extractor.text.injection import evidence_sentences
from extractor.text.phrases import ABOUT_RATING
from extractor.text.rating_terms import rating_terms
from extractor.text.sentences import split_sentences

__all__ = ["article_year", "assessment_year", "grounded_published"]

_PUBLISHED = re.compile(r"\b(?:published|announced|released|issued)\b", re.IGNORECASE)
_OF_RATINGS = re.compile(
    r"\b(?:ratings?|results?|outcomes?|assessments?|rated|verdicts?)\b", re.IGNORECASE
)


def grounded_published(
    written: str | None, grounder: Grounder, default_year: int | None
) -> tuple[date | None, Evidence | None]:
    """The date the ratings were published and its proof: the first sentence that writes the
    date and says something was published, announced or released (a year left out is
    `default_year`). A date the article does not write that way is dropped; then, or when
    the model gives none, the first sentence that says the ratings or results were published
    and writes a date gives it."""
    parsed = parse_date(written, default_year=default_year)
    found = date_in_article(parsed, grounder.article, default_year)
    if parsed is not None and found is None:
        grounder.drop("published", written, "date not in the article")
    elif found is not None:
        proven = _publication_sentence(grounder.article, found)
        if proven is not None:
            return found, proven
        reason = "no sentence writing this date says it is a publication"
        grounder.drop("published", written, reason)
    return _published_as_written(grounder.article, default_year)


def _publication_sentence(article: str, found: date) -> Evidence | None:
    """The first sentence that writes the date right after saying something was published
    ("published on 12 July"; a dateline's date before it says nothing of the ratings)."""
    for start, end in evidence_sentences(article, dates_written(article, found.day, found.month)):
        sentence = article[start:end]
        for published in _PUBLISHED.finditer(sentence):
            after = sentence[published.end() : published.end() + 100]
            if dates_written(after, found.day, found.month):
                return Evidence(quote=sentence, start=start, end=end)
    return None


def _published_as_written(
    article: str, default_year: int | None
) -> tuple[date | None, Evidence | None]:
    """The date written right after "published" (announced, released, issued) in the first
    sentence that says so of the ratings, results or assessment (or follows one that speaks
    of them)."""
    sentences = split_sentences(article)
    for index, sentence in enumerate(sentences):
        text = sentence.text
        published = _PUBLISHED.search(text)
        before = sentences[index - 1].text if index else ""
        if published is None or not (_OF_RATINGS.search(text) or _OF_RATINGS.search(before)):
            continue
        after = text[published.end() : published.end() + 100]  # "published on 12 July", not
        parsed = parse_date(after, default_year=default_year)  # a dateline's date before it
        found = date_in_article(parsed, article, default_year)
        relative = _RELATIVE_DAY.match(after) or _RELATIVE_BEFORE.search(text[: published.start()])
        if found is None and relative is not None:
            found = _relative_to_dateline(article, relative.group(1), default_year)
        if found is not None:
            return found, sentence.evidence
    return None, None


_RELATIVE_DAY = re.compile(r"^\W{0,3}(?:on\s+)?(today|yesterday|this\s+morning)\b", re.IGNORECASE)
_RELATIVE_BEFORE = re.compile(r"\b(today|yesterday|this\s+morning)\s+(?:\w+\s+)?$", re.IGNORECASE)
"""A day said relative to the dateline, after the verb ("published today", "released this
morning") or before it ("NHS England today published")."""
_DATELINE_REACH = 400
_DATELINE_PREFIX = re.compile(r"^(.{3,60}?)\s+[\u2013\u2014-]{1,2}\s")
"""A dateline that opens a paragraph: the place and date before a dash ("WORCESTER, 21 July
2016 \u2013 NHS England today published ...")."""
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.])")


def _numeric_date(dateline: str) -> date | None:
    """A dateline's date written in figures, day first as in Britain ("Nottingham,
    12.07.18", "21/07/2016")."""
    match = _NUMERIC_DATE.search(dateline)
    if match is None:
        return None
    day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return None


def _relative_to_dateline(article: str, relative: str, default_year: int | None) -> date | None:
    """The date "published today" (or "yesterday") means: the dateline's date, the first
    date written in the opening lines ("Wigan, 21 July 2016") or before the dash that opens
    a paragraph ("BOOTLE, 21 July 2016 \u2013 ..."), or the day before it."""
    for line in article[:_DATELINE_REACH].splitlines():
        prefix = _DATELINE_PREFIX.match(line)
        written = line if len(line) < 80 else prefix.group(1) if prefix else ""
        dated = (
            (parse_date(written, default_year=default_year) or _numeric_date(written))
            if written
            else None
        )
        if dated is not None:
            return dated - timedelta(days=1) if relative.lower() == "yesterday" else dated
    return None


def assessment_year(written: str | None, article: str) -> str | None:
    """The assessment year if the article writes it; else the article's first year.

    Small models copy years from examples; a year the article never mentions is not
    evidence, so the year the article itself leads with is used instead (or none).
    """
    year = normalize_year(written)
    mentioned = years_in(article)
    if year is not None and year in mentioned:
        return year
    return mentioned[0] if mentioned else None


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
