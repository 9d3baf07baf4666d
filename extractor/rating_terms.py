"""Where a sentence states a rating, and to what: the general checks on a cited sentence.

These read a sentence's structure, not its phrasing:

- a **rating term** is one of the four ratings (or green, amber, red) in its usual words, or
  the top or the bottom of the scale named as such ("the top rating" is outstanding, "the
  lowest grade" inadequate);
- a rating term **belongs** to the nearest thing it can rate in its clause: in "Barnet was
  rated good and Bury inadequate" good belongs to Barnet and inadequate to Bury; in "rated
  good for cancer" or "Cancer - Good" good belongs to cancer, not to the CCG;
- a sentence that gives a CCG the same rating as the year before says so with a word of
  **continuity** ("again", "kept", "retained", "remains", "for a third year", "since 2016",
  "consecutive", "in a row", "unchanged") or names the earlier year; these words say that a
  state went on, whatever the sentence is about;
- a sentence ties a rating to **money** when it speaks of money (deficit, finances, budget,
  overspend, control total, savings, £) and of the rating.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from extractor.normalize import count_of, normalize_year
from extractor.wording import AREA_WORDS, RATING_PHRASES

__all__ = [
    "COMPONENT_WORDS",
    "belongs_to",
    "clause_around",
    "continued_in_clause",
    "in_another_year",
    "item_spans",
    "rating_terms",
    "ratings_of_item",
    "ratings_set_out",
    "shared_rating",
    "speaks_of_money",
    "states_rating",
    "year_before",
    "year_spoken_of",
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
_CONTINUITY = re.compile(
    r"\b(?:again|kept|keeps|keep|keeping|retain\w*|remain\w*|maintain\w*|held|hold\w*|"
    r"still|unchanged|no change|same|consecutive|successive|in succession|running|in a row|"
    r"continu\w*|stay(?:s|ed|ing)?|each year|"
    r"every year|repeat\w*|once more|(?:second|third|fourth|fifth|sixth)\s+(?:\w+\s+)?"
    r"(?:year|time)|since\s+(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
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
    start, end = _clause_of(sentence, at)
    return sentence[max(start, 0) : end]


def _clause_of(sentence: str, at: int) -> tuple[int, int]:
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
        clause_start, clause_end = _clause_of(sentence, start)
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


_LINKING_LINES = (
    "and but while whereas which who that it its their they was were is are has have had",
    "been being be rated judged given awarded assessed graded found deemed as also again now",
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
    start, _ = _clause_of(sentence, at)
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
    _, clause_end = _clause_of(sentence, end)
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
        if not _FROM.search(sentence[max(0, start - 40) : start])  # "a downgrade from good"
    ]
    given: set[str] = set()
    for word in words:
        for match in re.finditer(rf"(?<![a-z]){re.escape(word)}(?![a-z])", lowered):
            at = match.start()
            clause_start, clause_end = _clause_of(sentence, at)
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


_ANOTHER_YEAR = re.compile(
    r"\b(?:last|previous|prior) (?:year|time(?: round| around)?)\b|"
    r"\b(?:a|the) year (?:ago|earlier|before)\b|\bpreviously\b|"
    r"\b(?:19|20)\d\d\s*[-/\u2013]\s*(?:19|20)?\d\d\b",
    re.IGNORECASE,
)


_FROM = re.compile(
    r"\bfrom\s+(?:a|an|the|its|their|last year'?s|previous|earlier)?\s*['\"\u2018\u201c]?\s*$",
    re.IGNORECASE,
)


_A_YEAR = r"(?:19|20)\d\d\s*[-/\u2013]\s*(?:19|20)?\d\d"
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
        start, _end = _clause_of(sentence, at - 1)
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
    if _FROM.search(sentence[max(0, at - 40) : at]) or _LOST.search(sentence, 0, at):
        return "before"  # "up from good", "downgraded from 'requires improvement'", "lost its"
    start, end = _clause_of(sentence, at)
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


_FORMER_OR_LATTER = re.compile(r"\bthe\s+(former|latter)\b", re.IGNORECASE)


def former_or_latter(sentence: str, at: int) -> str | None:
    """ "former" or "latter" when the rating term at `at` is in a clause that gives it to "the
    former" or "the latter" of the things named before ("..., the latter rated good")."""
    start, end = _clause_of(sentence, at)
    match = _FORMER_OR_LATTER.search(sentence, max(start, 0), end)
    return match.group(1).lower() if match else None


def in_another_year(sentence: str, at: int, year: str | None) -> bool:
    """Whether the rating term at `at` is for a year other than `year` ("rated requires
    improvement in 2015-16", "inadequate last year", "up from good")."""
    return year_spoken_of(sentence, at, year) != "this"


_SEPARATOR = r"\s*(?:[-:|\u2013\u2014]|\s{2,})\s*['\"\u2018\u201c]?"
_FOR_ITEMS = (
    r"['\"\u2019\u201d]?\s+(?:overall\s+)?(?:both\s+)?(?:for|in|on|in\s+terms\s+of)\s+"
    r"(?:being\s+)?(?:the\s+|its\s+|their\s+)?"
)
_ITEM_NOUN = r"(?:indicator|domain|component|area|measure)s?\b"
_WAS_RATED = (
    r"\s+(?:was|were|is|are|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:rated|judged|assessed|graded|found\s+to\s+be)\s+(?:as\s+)?['\"\u2018\u201c]?"
)


def ratings_set_out(sentence: str, words: tuple[str, ...]) -> set[str]:
    """The ratings a sentence sets out for an item in one of three unmistakable shapes: a
    label and its value ("Cancer - Good", "Well led: Good", "Finance    Requires
    improvement"), the item as the subject of its rating ("Planning was rated as good"), or
    a rating for a list of items ("rated good for cancer, dementia and diabetes services",
    "rated good both for being well led and for its planning"), or for an item named by its
    title ("rated green in the Patient and Community Engagement Indicator")."""
    lowered = sentence.lower().replace("\u2019", "'")
    names = "|".join(re.escape(word) for word in words)
    given: set[str] = set()
    for start, end, rating in rating_terms(sentence):
        label = re.search(rf"^\W*(?:{names})\w*{_SEPARATOR}$", lowered[:start]) or re.search(
            rf"^\W*(?:the\s+ccg's\s+|its\s+|their\s+)?(?:{names})\w*"
            rf"(?:\s+[\w'&-]+){{0,4}}?{_WAS_RATED}$",
            lowered[:start],
        )
        listed = re.match(
            rf"{_FOR_ITEMS}(?:[a-z' ]+?(?:,\s*|\s+and\s+))*?(?:being\s+)?(?:{names})(?![a-z])",
            lowered[end:],
        )
        titled = re.match(  # "green in the Patient and Community Engagement Indicator"
            rf"{_FOR_ITEMS}(?:[a-z]+\s+(?:and\s+|&\s+)?){{0,3}}(?:{names})\s+{_ITEM_NOUN}",
            lowered[end:],
        )
        if label or listed or titled:
            given.add(rating)
    return given


def continued_in_clause(sentence: str, at: int) -> bool:
    """Whether the clause of the rating term at `at` says the rating went on from an earlier
    year ("kept its good rating", "is once again judged inadequate"), or the clause after it,
    rating nothing itself, says it was the same as in an earlier year ("..., the same rating
    as it received for 2016/17", "..., as it was in 2018/19", "..., matching its 2018/19
    rating") or says when it went on ("..., for the third consecutive year")."""
    start, end = _clause_of(sentence, at)
    if _CONTINUITY.search(sentence[max(start, 0) : end]):
        return True
    opener = sentence[: max(start, 0)].strip(" ,;:\u201c\u201d\"'")
    short = bool(opener) and len(opener.split()) <= 6 and not rating_terms(opener)
    if short and _CONTINUITY.search(opener):  # "For the second year running, X was rated"
        return True
    if end >= len(sentence):
        return False
    _, next_end = _clause_of(sentence, end + 1)
    following = sentence[end:next_end]
    if rating_terms(following):
        return False
    if _TIME_ADVERBIAL.match(following) and _CONTINUITY.search(following):
        return True  # "..., inadequate, for the third consecutive year"
    return (
        _SAME_AS_BEFORE.search(following) is not None
        and _ANOTHER_YEAR.search(following) is not None
    )


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


_SAME_AS_BEFORE = re.compile(
    r"\b(?:same|also|too|again|unchanged|as\s+it\s+(?:was|had\s+been)|as\s+in|"
    r"match\w*|like|mirror\w*|repeat\w*)\b",
    re.IGNORECASE,
)
_TIME_ADVERBIAL = re.compile(r"\W*(?:for|in|since)\b", re.IGNORECASE)
"""A clause that opens with "for", "in" or "since" has no subject of its own: it says when."""


def speaks_of_money(sentence: str) -> bool:
    """Whether the sentence speaks of money."""
    return _MONEY.search(sentence) is not None
