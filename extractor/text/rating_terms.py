"""Where a sentence states a rating, and to what: the general checks on a cited sentence.

These read a sentence's structure, not its phrasing:

- a **rating term** is one of the four ratings (or green, amber, red) in its usual words, or
  the top or the bottom of the scale named as such ("the top rating" is outstanding, "the
  lowest grade" inadequate);
- a rating term **belongs** to the nearest thing it can rate in its clause: in "Barnet was
  rated good and Bury inadequate" good belongs to Barnet and inadequate to Bury; in "rated
  good for cancer" or "Cancer - Good" good belongs to cancer, not to the CCG;
- which year a term is for, and continuity from an earlier year, are `rating_time`'s;
- a sentence ties a rating to **money** when it speaks of money (deficit, finances, budget,
  overspend, control total, savings, £) and of the rating.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from extractor.text.dates_and_numbers import count_of
from extractor.text.phrases import AREA_WORDS, RATING_PHRASES

__all__ = [
    "COMPONENT_WORDS",
    "FROM_BEFORE",
    "belongs_to",
    "clause_around",
    "clause_span",
    "item_spans",
    "rating_terms",
    "rating_value",
    "ratings_of_item",
    "ratings_set_out",
    "shared_rating",
    "speaks_of_money",
    "states_rating",
]

_TOP = re.compile(
    r"\b(?:top|highest|best)(?:[- ]possible)?\s+(?:overall\s+)?"
    r"(?:rating|grade|mark|category|band)s?\b"
    r"|\b(?:highest|top)\s+of\s+the\s+(?:four|4)\b",
    re.IGNORECASE,
)
_BOTTOM = re.compile(
    r"\b(?:lowest|bottom|worst)(?:[- ]possible)?\s+(?:overall\s+)?"
    r"(?:rating|grade|mark|category|band)s?\b"
    r"|\b(?:lowest|bottom)\s+of\s+the\s+(?:four|4)\b",
    re.IGNORECASE,
)
COMPONENT_WORDS: dict[str, tuple[str, ...]] = {
    "well led": ("well led", "well-led"),
    "leadership": ("leadership",),
    "engagement": ("engagement",),
    "delegated functions": ("delegated functions", "delegated function"),
    "finance": ("finance", "financial management"),
    "performance": ("performance",),
    "planning": ("planning",),
    "better health": ("better health",),
    "better care": ("better care",),
    "sustainability": ("sustainability",),
}
"""Items the framework rates besides the clinical areas: the 2015/16 components and the later
domains, in the words articles use for them."""
_CLAUSE_BREAK = re.compile(r"[;:\u2013\u2014|]|,\s|\s-\s|\b(?:while|whereas|but)\b", re.I)
_MONEY = re.compile(
    r"\b(?:deficits?|financ\w*|budgets?|overspen\w*|underspen\w*|control total|savings?|"
    r"money|funding|surplus\w*|debts?|spending|costs?|cash)\b|£",
    re.IGNORECASE,
)


def rating_terms(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, rating) of every rating term in the sentence, in order."""
    lowered = sentence.lower().replace("\u2019", "'")
    found = [
        (m.start(), m.end(), rating)
        for rating, phrases in RATING_PHRASES.items()
        for phrase in phrases
        for m in re.finditer(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", lowered)
    ]
    found += [(m.start(), m.end(), "outstanding") for m in _TOP.finditer(sentence)]
    found += [(m.start(), m.end(), "inadequate") for m in _BOTTOM.finditer(sentence)]
    return sorted(
        term
        for term in found
        if not _GRADED_BEFORE.search(lowered[: term[0]])
        and not _GRADED_AFTER.match(lowered, term[1])
    )


_GRADED_BEFORE = re.compile(r"\b(?:very|fairly|quite|really|pretty)\s+$")
_GRADED_AFTER = re.compile(r"\s+or\s+(?:very\s+good|excellent|better|worse)\b")
"""A survey's answer ("good or very good", "very good"), no rating of the framework."""


def states_rating(sentence: str, rating: str) -> bool:
    """Whether the sentence states `rating` in any of its words."""
    return any(found == rating for _, _, found in rating_terms(sentence))


def item_spans(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, item) of every clinical area and framework item the sentence names."""
    lowered = sentence.lower().replace("\u2019", "'")
    spans: list[tuple[int, int, str]] = []
    for item, words in [*AREA_WORDS.items(), *COMPONENT_WORDS.items()]:
        for word in words:
            spans += [
                (m.start(), m.end(), item)
                for m in re.finditer(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered)
            ]
    return sorted(spans)


def clause_around(sentence: str, at: int) -> str:
    """The clause of the sentence that holds position `at`."""
    start, end = clause_span(sentence, at)
    return sentence[max(start, 0) : end]


def clause_span(sentence: str, at: int) -> tuple[int, int]:
    """(start, end) of the clause that holds position `at` (start -1 for the first)."""
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence)]
    start = max((b for b in breaks if b < at), default=-1)
    end = min((b for b in breaks if b >= at), default=len(sentence))
    return start, end


def belongs_to(
    sentence: str,
    rating: str,
    targets: Iterable[int],
    others: Iterable[int],
    *,
    skip: Callable[[int], bool] | None = None,
) -> bool:
    """Whether some term of `rating` in the sentence belongs to one of `targets` (positions
    of the thing rated; -1 for the sentence's subject when it is not named) rather than to
    one of `others` (positions of other things it could rate): a term followed by "for" and
    an item rates the item; else it belongs to the nearest thing before it in its clause,
    else after it in its clause, else the nearest before it in the sentence, else after.
    Terms at positions `skip` returns True for are not read."""
    mine, theirs = set(targets), set(others) - set(targets)
    every = sorted(mine | theirs)
    if not mine:
        return False
    items = item_spans(sentence)
    for start, end, found in rating_terms(sentence):
        if found != rating or _rates_an_item_after(sentence, end, items):
            continue
        if skip is not None and skip(start):
            continue
        clause_start, clause_end = clause_span(sentence, start)
        for candidates, pick in (
            ([p for p in every if clause_start < p < start], -1),
            ([p for p in every if start < p < clause_end], 0),
            ([p for p in every if p < start], -1),
            ([p for p in every if p > start], 0),
        ):
            if candidates:
                owner = candidates[pick]
                earlier = 0 <= owner < clause_start  # a CCG named in an earlier clause
                if earlier and _has_own_subject(sentence[max(clause_start, 0) : start]):
                    break  # "..., while its two partners were rated good": not the CCG's
                if owner in mine and not _item_before_place(sentence, owner, clause_start, items):
                    return True
                break
    return False


RATING_VERBS = ("rated", "judged", "given", "awarded", "assessed", "graded", "found", "deemed")
"""The verbs a rating follows ("was judged good", "deemed inadequate")."""
_LINKING_LINES = (
    "and but while whereas which who that it its their they was were is are has have had",
    f"been being be {' '.join(RATING_VERBS)} as also again now",
    "still once the a an overall rating of to remains remained remain stays stayed kept keeps",
    "retained retains moved moves up down from into in for with this year last having both",
    "each all earned earns got gets received receives held holds",
)
_LINKING_WORDS = frozenset(word for line in _LINKING_LINES for word in line.split())
"""Words a clause may hold before its rating and still be about a CCG named earlier:
English function words and the verbs of rating, not phrasings."""


def _has_own_subject(before_term: str) -> bool:
    """Whether a contrasting clause names something of its own before its rating ("...,
    while its two partners were rated", "but neighbouring trusts are rated"): then the
    rating is not that of a CCG named in another clause."""
    contrast = re.match(r"\W*(?:while|whereas|but)\b(.*)", before_term, re.IGNORECASE | re.DOTALL)
    if contrast is None:
        return False
    words = re.findall(r"[A-Za-z]+", contrast.group(1).lower())
    return any(word not in _LINKING_WORDS for word in words)


_THE_OTHERS = re.compile(
    r"\b(?:(?:its|their)\s+(?:(?P<n1>two|three|four|five|six|\d)\s+)?"
    r"(?:partners|neighbours|sister\s+(?:CCGs|groups))|"
    r"the\s+(?:other|remaining)\s+(?:(?P<n2>two|three|four|five|six|\d)\s+)?"
    r"(?:CCGs|groups|ones)?|the\s+(?:others|rest))\b",
    re.IGNORECASE,
)


def others_counted(sentence: str) -> int | None:
    """How many "the others" of a sentence's group are: 2 for "its two partners" or "the
    other two"; None when the sentence speaks of no others or does not count them."""
    for match in _THE_OTHERS.finditer(sentence):
        word = (match.group("n1") or match.group("n2") or "").lower()
        if word:
            return count_of(word)
    return None


def given_to_the_others(sentence: str, at: int) -> bool:
    """Whether the clause of the rating term at `at` gives it to the rest of a group, not to
    the CCG the sentence names ("..., while its two partners were rated good", "the other
    three were judged good")."""
    start, _ = clause_span(sentence, at)
    return _THE_OTHERS.search(sentence[max(start, 0) : at]) is not None


_PLACE = re.compile(r"\b(?:in|at|across|within|for|of)\s+(?:the\s+)?(?:NHS\s+)?$", re.IGNORECASE)


def _item_before_place(
    sentence: str, at: int, clause_start: int, items: list[tuple[int, int, str]]
) -> bool:
    """Whether the CCG at `at` only places an item named before it in the clause ("Cancer
    care in Eastern Cheshire has been rated outstanding": the item is rated, not the CCG)."""
    if at < 0 or not _PLACE.search(sentence[max(0, at - 20) : at]):
        return False
    return any(clause_start < start < at for start, _, _ in items)


_FOR = re.compile(r"[\s'\"\u2018\u2019\u201c\u201d]*(?:[a-z]+\s+)?(?:for|in|on)\s", re.I)


def _rates_an_item_after(sentence: str, end: int, items: list[tuple[int, int, str]]) -> bool:
    """Whether the term ending at `end` is followed by "for", "in" or "on" and, within a few
    words of its clause, an item ("rated 'good' for cancer and dementia services")."""
    follows = _FOR.match(sentence, end)
    if follows is None:
        return False
    _, clause_end = clause_span(sentence, end)
    return any(
        follows.end() <= start < min(clause_end, follows.end() + 40) for start, _, _ in items
    )


def ratings_of_item(sentence: str, words: tuple[str, ...]) -> set[str]:
    """The ratings a sentence gives an item named by `words`: for each mention, the nearest
    rating term before it in its clause ("rated good for cancer and dementia"), else after
    it in its clause ("Cancer - Good", "cancer services were rated good"), else the nearest
    before it in the sentence, else after it. A rating moved from ("a downgrade from good")
    is the CCG's of the year before, no item's."""
    lowered = sentence.lower().replace("\u2019", "'")
    terms = [
        (start, rating)
        for start, _, rating in rating_terms(sentence)
        if not FROM_BEFORE.search(sentence[max(0, start - 40) : start])  # "a downgrade from good"
    ]
    given: set[str] = set()
    for word in words:
        for match in re.finditer(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
            at = match.start()
            clause_start, clause_end = clause_span(sentence, at)
            for candidates, pick in (
                ([r for p, r in terms if clause_start < p < at], -1),
                ([r for p, r in terms if at < p < clause_end], 0),
                ([r for p, r in terms if p < at], -1),
                ([r for p, r in terms if p > at], 0),
            ):
                if candidates:
                    given.add(candidates[pick])
                    break
    return given


FROM_BEFORE = re.compile(
    r"\bfrom\s+(?:a|an|the|its|their|last year'?s|previous|earlier)?\s*['\"\u2018\u201c]?\s*$",
    re.IGNORECASE,
)


_FORMER_OR_LATTER = re.compile(r"\bthe\s+(former|latter)\b", re.IGNORECASE)


def former_or_latter(sentence: str, at: int) -> str | None:
    """ "former" or "latter" when the rating term at `at` is in a clause that gives it to "the
    former" or "the latter" of the things named before ("..., the latter rated good")."""
    start, end = clause_span(sentence, at)
    match = _FORMER_OR_LATTER.search(sentence, max(start, 0), end)
    return match.group(1).lower() if match else None


_SEPARATOR = r"\s*(?:[-:|\u2013\u2014]|\s{2,})\s*['\"\u2018\u201c]?"
_FOR_ITEMS = (
    r"['\"\u2019\u201d]?\s+(?:(?:rating|grade|score|mark)s?\s+)?(?:overall\s+)?(?:both\s+)?"
    r"(?:for|in|on|in\s+terms\s+of)\s+(?:being\s+)?(?:the\s+|its\s+|their\s+)?"
)
"""From a rating to the items it is for: "good for", "'green' rating for", "good both in"."""
_NOT_A_MODIFIER = r"(?:but|while|whereas|and|or|its|their|the|was|were|is|are|has|had)\b"
"""Words that cannot describe an item ("patient and community engagement"): they start
another clause ("..., but its dementia services were ...")."""
_ITEM_NOUN = r"(?:indicator|domain|component|area|measure)s?\b"
_ASIDE = r"(?:,\s+[^,.;:]{2,40},)?"
"""An aside between the item and its verb ("Diabetes care, on the other hand, was rated")."""
_WAS_RATED = (
    r"\s+(?:was|were|is|are|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:rated|judged|assessed|graded|found\s+to\s+be)\s+(?:as\s+)?['\"\u2018\u201c]?"
)


def ratings_set_out(sentence: str, words: tuple[str, ...]) -> set[str]:
    """The ratings a sentence sets out for an item in one of three unmistakable shapes: a
    label and its value ("Cancer - Good", "Well led: Good", "Finance    Requires
    improvement"), the item as the subject of its rating ("Planning was rated as good"), or
    a rating for a list of items ("rated good for cancer, dementia and diabetes services",
    "rated good both for being well led and for its planning"), for an item named by its
    title ("rated green in the Patient and Community Engagement Indicator"), or for the item
    that opens the sentence ("In the leadership assessment, both CCGs were rated green")."""
    lowered = sentence.lower().replace("\u2019", "'")
    names = "|".join(re.escape(word) for word in words)
    given: set[str] = set()
    for start, end, rating in rating_terms(sentence):
        label = re.search(rf"^\W*(?:{names})\w*{_SEPARATOR}$", lowered[:start]) or re.search(
            rf"^\W*(?:the\s+ccg's\s+|its\s+|their\s+)?(?:{names})\w*"
            rf"(?:\s+[\w'&-]+){{0,4}}?{_ASIDE}{_WAS_RATED}$",
            lowered[:start],
        )
        listed = re.match(
            rf"{_FOR_ITEMS}(?:[a-z' ]+?(?:,\s*|\s+and\s+))*?(?:being\s+)?"
            rf"(?:(?!{_NOT_A_MODIFIER})[a-z]+\s+){{0,2}}?(?:{names})(?![a-z])",
            lowered[end:],
        )
        titled = re.match(  # "green in the Patient and Community Engagement Indicator"
            rf"{_FOR_ITEMS}(?:[a-z]+\s+(?:and\s+|&\s+)?){{0,3}}(?:{names})\s+{_ITEM_NOUN}",
            lowered[end:],
        )
        opener = re.search(  # "In the leadership assessment, both CCGs were rated green"
            rf"^\W*(?:in|for|on)\s+(?:the\s+|its\s+|their\s+)?(?:{names})\w*"
            rf"(?:\s+[\w'-]+){{0,2}}?\s*,[^,;:]*$",
            lowered[:start],
        )
        if label or listed or titled or opener:
            given.add(rating)
    return given


_AS_WAS = re.compile(
    r"(?:(?:,\s*|\s)(?:as|and\s+so|so)\s+(?:was|were|is|are|did|does|do|had|has|have)|"
    r"\bthe\s+other(?:\s+one)?\s+(?:was|is|being)|"
    r"\b(?:alongside|along\s+with|together\s+with|as\s+well\s+as|joining))"
    r"\s+(?:the\s+)?(?:NHS\s+)?$",
    re.IGNORECASE,
)


def shared_rating(sentence: str, at: int) -> tuple[int, str] | None:
    """(start, rating) of the term a clause that names something at `at` only to say it
    was the same shares: the last rating before the clause ("Bury was rated good, as was
    Oldham", "..., and so did Wigan", "one of two outstanding CCGs; the other was Trafford",
    "rated inadequate alongside Bury")."""
    opener = _AS_WAS.search(sentence[max(0, at - 30) : at])
    if opener is None:
        return None
    opener_start = max(0, at - 30) + opener.start()
    before = [
        (start, rating) for start, end, rating in rating_terms(sentence) if end <= opener_start
    ]
    return before[-1] if before else None


def speaks_of_money(sentence: str) -> bool:
    """Whether the sentence speaks of money."""
    return _MONEY.search(sentence) is not None


def rating_value(text: str | None, scale: tuple[str, ...]) -> str | None:
    """A rating as the schema writes it ("Requires improvement" -> requires_improvement), or
    None when the words are no rating of `scale` ("assured with support")."""
    if not text:
        return None
    found = rating_terms(text)
    words = "_".join(text.lower().replace("-", " ").split())
    if words in scale:
        return words
    values = {value for _, _, value in found}
    return values.pop() if len(values) == 1 and next(iter(values)) in scale else None
