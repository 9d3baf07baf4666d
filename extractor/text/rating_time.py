"""Which year a rating term is for, and whether a rating went on from an earlier year.

These read the words of time around a rating term, not phrasings about CCGs:

- a rating term is **this year's** unless words of another year govern it: a year written
  right after it ("'inadequate' in 2016/17", "good in both 2017/18 and 2018/19"), "last year"
  right after it, "up from", "lost its", or a year or "last year" in its clause or in a short
  opening phrase ("For 2017/18, ...");
- a sentence that gives a CCG the same rating as the year before says so with a word of
  **continuity** in the rating's clause ("again", "kept", "retained", "remains", "stays", "no
  change", "for a third year", "since 2016", "consecutive", "in a row", "unchanged"), in a
  short opening phrase, or in the clause after it ("..., for the third consecutive year",
  "..., as it was in 2018/19", "..., the same rating as it received for 2016/17").
"""

from __future__ import annotations

import re

from extractor.text.dates_and_numbers import normalize_year
from extractor.text.rating_terms import FROM_BEFORE, clause_span, rating_terms

__all__ = [
    "continued_in_clause",
    "held_since_a_year",
    "in_another_year",
    "year_before",
    "year_spoken_of",
]

_CONTINUITY = re.compile(
    r"\b(?:again|kept|keeps|keep|keeping|retain\w*|remain\w*|maintain\w*|held|hold\w*|"
    r"still|unchanged|no change|same|consecutive|successive|in succession|running|in a row|"
    r"continu\w*|stay(?:s|ed|ing)?|each year|"
    r"every year|repeat\w*|once more|(?:second|third|fourth|fifth|sixth)\s+(?:\w+\s+)?"
    r"(?:year|time)|since\s+(?:19|20)\d\d|"
    r"(?:each|every\s+one|all)\s+of\s+the\s+(?:last|past|previous)\s+(?:\w+\s+)?years)\b",
    re.IGNORECASE,
)

_ANOTHER_YEAR = re.compile(
    r"\b(?:last|previous|prior) (?:year|time(?: round| around)?)\b|"
    r"\b(?:a|the) year (?:ago|earlier|before)\b|\bpreviously\b|"
    r"\b(?:19|20)\d\d\s*[-/\u2013]\s*(?:19|20)?\d\d\b",
    re.IGNORECASE,
)


_A_YEAR = r"(?:19|20)\d\d\s*[-/\u2013]\s*(?:19|20)?\d\d"
_YEARS_SPENT = re.compile(
    r"\b(?:after|following)\s+(?:a|one|two|three|four|five|\d)\s+(?:\w+\s+)?years?\s+"
    r"(?:(?:rated|judged|graded)\s+|at\s+|as\s+|in\s+)(?:as\s+)?(?:the\s+)?['\"\u2018\u201c]?\Z",
    re.IGNORECASE,
)
"""Years spent at a rating before this one ("after a single year rated requires
improvement", "following two years at good")."""
_LAST_YEAR_AFTER = re.compile(
    r"['\"\u2019\u201d]?\s+(?:(?:overall|again)\s+)?(?:last\s+year|the\s+(?:previous|prior)\s+year|"
    r"a\s+year\s+(?:ago|earlier|before)|the\s+year\s+(?:before|earlier)|previously)\b",
    re.IGNORECASE,
)
"""A time phrase right after a rating term says its year, whatever else the clause says."""
_LOST = re.compile(
    r"\b(?:lost|lose|loses|losing|stripped\s+of|surrender\w*|relinquish\w*|gave\s+up)\s+"
    r"(?:its|their|the|a)?\s*['\"\u2018\u201c]?\Z",
    re.IGNORECASE,
)
"""A rating lost is the one held before ("have lost their 'good' rating")."""
_YEAR_AFTER = re.compile(
    r"['\"\u2019\u201d]?\s+(?:overall\s+)?(?:in|for|during)\s+(?:both\s+|each\s+of\s+)?"
    rf"(?:the\s+)?(?P<years>{_A_YEAR}(?:\s*(?:,|and|&)\s*{_A_YEAR})*)",
    re.IGNORECASE,
)


_NOW = re.compile(r"\b(?:now|this year|latest|this time)\b", re.IGNORECASE)


def _time_phrase_before(sentence: str, clause_start: int) -> str | None:
    """A short phrase of time that opens the clauses after it ("for 2017/18, X was rated
    ... while Y ...", "Last year, ..."), found among the two clauses before `clause_start`."""
    at, looked = clause_start, 0
    while at > 0 and looked < 2:
        start, _end = clause_span(sentence, at - 1)
        phrase = sentence[max(start, 0) : at].strip(" ,;:-\u2013\u2014")
        phrase = re.sub(r"^(?:and|but|while|whereas)\s+", "", phrase, flags=re.IGNORECASE)
        if phrase:
            looked += 1
            if len(phrase.split()) <= 4 and _ANOTHER_YEAR.search(phrase):
                return None if rating_terms(phrase) else phrase
        at = start
    return None


def year_before(year: str | None) -> str | None:
    """The assessment year before `year` ("2017/18" -> "2016/17")."""
    if year is None or not re.fullmatch(r"\d{4}/\d{2}", year):
        return None
    first = int(year[:4]) - 1
    return f"{first}/{(first + 1) % 100:02d}"


def year_spoken_of(sentence: str, at: int, year: str | None) -> str:
    """Which year the rating term at `at` is for: "this" (`year`, or none said), "before"
    (the year before: "up from", "last year", "a year earlier", or that year written in its
    clause) or "other" (another year written in its clause)."""
    term_end = next((end for start, end, _ in rating_terms(sentence) if start == at), at)
    own_years = _YEAR_AFTER.match(sentence, term_end)
    if own_years is not None:  # "'inadequate' in 2016/17", "good in both 2017/18 and 2018/19"
        years = {normalize_year(m.group()) for m in re.finditer(_A_YEAR, own_years["years"])}
        if year in years:
            return "this"
        return "before" if year_before(year) in years else "other"
    if _LAST_YEAR_AFTER.match(sentence, term_end):
        return "before"  # "dropping to requires improvement last year"
    if FROM_BEFORE.search(sentence[max(0, at - 40) : at]) or _LOST.search(sentence, 0, at):
        return "before"  # "up from good", "downgraded from 'requires improvement'", "lost its"
    if _YEARS_SPENT.search(sentence[max(0, at - 60) : at]):
        return "before"  # "slipped back to inadequate after a single year rated good"
    start, end = clause_span(sentence, at)
    clause = sentence[max(start, 0) : end]
    if not _ANOTHER_YEAR.search(clause) and not _NOW.search(clause):
        clause = _time_phrase_before(sentence, start) or clause
    spoken = "this"
    for match in _ANOTHER_YEAR.finditer(clause):
        written = normalize_year(match.group())
        if written is None:
            spoken = "before"  # "last year", "a year ago", "previously"
        elif written == year_before(year):
            spoken = "before"
        elif written != year:
            return "other"
    return spoken


def in_another_year(sentence: str, at: int, year: str | None) -> bool:
    """Whether the rating term at `at` is for a year other than `year` ("rated requires
    improvement in 2015-16", "inadequate last year", "up from good")."""
    return year_spoken_of(sentence, at, year) != "this"


def continued_in_clause(sentence: str, at: int) -> bool:
    """Whether the clause of the rating term at `at` says the rating went on from an earlier
    year ("kept its good rating", "is once again judged inadequate"), or the clause after it,
    rating nothing itself, says it was the same as in an earlier year ("..., the same rating
    as it received for 2016/17", "..., as it was in 2018/19", "..., matching its 2018/19
    rating") or says when it went on ("..., for the third consecutive year"), or the next
    cell of a table row says so ("Wirral | Requires improvement | no change")."""
    start, end = clause_span(sentence, at)
    if _CONTINUITY.search(sentence[max(start, 0) : end]):
        return True
    opener = sentence[: max(start, 0)].strip(" ,;:\u201c\u201d\"'")
    short = bool(opener) and len(opener.split()) <= 6 and not rating_terms(opener)
    if short and _CONTINUITY.search(opener):  # "For the second year running, X was rated"
        return True
    if end >= len(sentence):
        return False
    _, next_end = clause_span(sentence, end + 1)
    following = sentence[end:next_end]
    if rating_terms(following):
        return False
    if sentence[end] == "|" and _CONTINUITY.search(following):
        return True  # a table's next cell: "Wirral | Requires improvement | no change"
    if _TIME_ADVERBIAL.match(following) and _CONTINUITY.search(following):
        return True  # "..., inadequate, for the third consecutive year"
    return (
        _SAME_AS_BEFORE.search(following) is not None
        and _ANOTHER_YEAR.search(following) is not None
    )


_SAME_AS_BEFORE = re.compile(
    r"\b(?:same|also|too|again|unchanged|as\s+it\s+(?:was|had\s+been)|as\s+in|"
    r"match\w*|like|mirror\w*|repeat\w*)\b",
    re.IGNORECASE,
)
_TIME_ADVERBIAL = re.compile(r"\W*(?:for|in|since)\b", re.IGNORECASE)
"""A clause that opens with "for", "in" or "since" has no subject of its own: it says when."""


_SINCE = re.compile(r"\bsince\s+(?:19|20)\d\d", re.IGNORECASE)


def held_since_a_year(sentence: str, at: int) -> bool:
    """Whether the clause of the rating term at `at` says it has held since a year ("has held
    its good rating since 2017/18"): then it is this year's too, whatever year it names."""
    start, end = clause_span(sentence, at)
    return _SINCE.search(sentence[max(start, 0) : end]) is not None
