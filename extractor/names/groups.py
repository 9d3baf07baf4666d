"""Sentences that speak of several CCGs at once, as a group: "all six CCGs were rated
green", "both", "four of the five", "the three clinical commissioning groups", "the CCGs
rated inadequate", "its two partners", "the other three".

A group sentence names no CCG (or only some of the group); which CCGs it speaks of is read
from the sentences near it that name exactly as many as it counts. `names.context` adds these
sentences to each member's context with the relation "group"; the proofs ask the helpers
here how a group sentence shares its ratings out: to a counted part of the group ("Seven of
the eight CCGs", `in_counted_clause`), or to every CCG of a list one rating opens ("Among
those rated inadequate were A, B and C", `introduces_list`).
"""

from __future__ import annotations

import re

from extractor.text.dates_and_numbers import NUMBER_IN_WORDS, count_of
from extractor.text.rating_terms import (
    clause_around,
    item_spans,
    others_counted,
    rating_terms,
    speaks_of_money,
)
from extractor.text.sentences import Sentence

__all__ = [
    "add_groups",
    "counted_span",
    "counts_ccgs",
    "group_rated",
    "group_size",
    "in_counted_clause",
    "introduces_list",
    "members_rated",
    "partial_group",
    "whole_group_clause",
]

_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_DISTRIBUTIVE = re.compile(
    rf"\b(?:both|all|each|every|neither|none)\b|\b{_NUMBER}\s+of\s+the\b|"
    rf"\bthe\s+{_NUMBER}\s+(?:\w+\s+){{0,3}}(?:CCGs|clinical commissioning groups|groups)\b",
    re.IGNORECASE,
)
"""A sentence about a group that rates each member: "all six CCGs", "both", "four of the
five", "the three clinical commissioning groups"."""


def add_groups(
    relations: dict[int, str],
    key: str,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    named_at: dict[int, list[tuple[int, str]]],
) -> None:
    """Add to one CCG's `relations` (its key `key`) the group sentences that speak of it:
    those that name no CCG but rate a group it belongs to, and those that name others and
    call it one of "the other three"."""
    for sentence in sentences:
        text = sentence.text
        if sentence.number in named_in:
            named = named_at.get(sentence.number, [])
            others = _the_others(sentence, named_in, named) if rating_terms(text) else set()
            if key in others | _members_beside_names(sentence, sentences, named_in, named):
                relations.setdefault(sentence.number, "group")
            continue
        rated = bool(rating_terms(text))
        if not (rated or (_THEIR_RATINGS.search(text) and speaks_of_money(text))):
            continue  # neither a rating nor money said to lie behind ratings
        if not _speaks_of_a_group(text) or len(_overall_ratings(text)) >= 3:
            continue  # not about a group, or about the scale ("one of four ratings: ...")
        if partial_group(text):
            continue  # "most of the inadequate groups": some members, not which
        members = _members(sentence, sentences, named_in)
        if not rated and not members:
            continue  # money behind "each CCG's" ratings: only a counted group named near
        if members is None or key in members:
            relations.setdefault(sentence.number, "group")


_SOME_OF = re.compile(
    r"\b(?:most|many|some|several|a\s+few|half|a\s+(?:majority|minority|handful))\s+of\s+"
    r"(?:the|these|those)\s+(?:[\w'-]+\s+){0,2}?(?:CCGs|clinical commissioning groups|groups)\b",
    re.IGNORECASE,
)
"""A part of a group not counted out ("most of the inadequate groups"): it says nothing of
any one member."""


def partial_group(text: str) -> bool:
    """Whether the sentence speaks of an uncounted part of a group of CCGs ("most of the
    inadequate groups", "several of the CCGs"): of no member in particular."""
    return _SOME_OF.search(text) is not None


_THEIR_RATINGS = re.compile(r"\bratings?\b", re.IGNORECASE)
"""A group sentence without a rating word may still say what lay behind the group's ratings
("the ratings of the seven reflected serious financial pressure")."""


def whole_group_clause(text: str, named: list[int], total: int) -> str | None:
    """The clause of a sentence that rates every CCG of the article as a group, counted
    ("..., while all four CCGs were rated requires improvement for mental health" in an
    article naming four) and naming none of them itself; None when there is none."""
    for match in _GROUP_SIZE.finditer(text):
        size = 2 if match.group(1) else count_of(match.group(2))
        if match.group(1) or size != total:
            continue
        clause = clause_around(text, match.start())
        start = text.find(clause)
        if start >= 0 and not any(start <= at < start + len(clause) for at in named):
            return clause
    return None


_PART = re.compile(rf"\b({_NUMBER})\s+of\s+the\s+({_NUMBER})\b", re.IGNORECASE)
_NONE = re.compile(r"\b(?:neither|none|nor|only)\b", re.IGNORECASE)


def counted_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the clause that counts part of a group ("Seven of the eight CCGs
    require improvement", up to its comma), or None."""
    match = _PART.search(text)
    if match is None:
        return None
    clause = clause_around(text, match.start())
    start = text.find(clause)
    return start, start + len(clause)


def members_rated(text: str) -> tuple[int, int] | None:
    """(N, M) of a group sentence rating "N of the M" CCGs; (0, 0) when it rates none
    ("neither", "none of", "only one of"); None when it rates every member ("all three", "both")."""
    if _NONE.search(text):
        return (0, 0)
    match = _PART.search(text)
    if match is None:
        return None
    part, whole = (count_of(match.group(i)) for i in (1, 2))
    return (part, whole) if 0 < part < whole else (0, 0)


def _overall_ratings(text: str) -> set[str]:
    """The four overall ratings the sentence names (not green, amber or red)."""
    return {r for _, _, r in rating_terms(text)} - {"green", "amber", "red"}


_GIVEN = r"(?:rated|judged|graded|given)\s+(?:as\s+)?"
"""The verb that gives a group its rating ("rated as", "judged")."""
_RATED_GROUP = re.compile(
    r"\b(?:the|those)\s+(?:\w+\s+)?(?:CCGs|clinical commissioning groups|groups|ones)\s+"
    rf"(?:(?:that|which)\s+(?:were|are|have\s+been)\s+)?{_GIVEN}['\"\u2018\u201c]?",
    re.IGNORECASE,
)


def group_rated(text: str) -> str | None:
    """The rating by which a sentence names a group ("the CCGs rated as inadequate", "the
    four inadequate ratings", "the inadequate CCGs"), or None: the sentence speaks of the
    CCGs with that rating."""
    match = _RATED_GROUP.search(text)
    if match is not None:
        term = next((t for t in rating_terms(text) if t[0] == match.end()), None)
        return term[2] if term else None
    for start, end, rating in rating_terms(text):
        if _THE_RATINGS.match(text, end) and _THE_BEFORE.search(text[:start]):
            return rating  # "behind the four inadequate ratings", "the inadequate CCGs"
    counted = _COUNTED_AND_RATED.search(text)
    if counted is not None and _EACH_OF_THEM.search(text, counted.end()):
        term = next((t for t in rating_terms(text) if t[0] == counted.end()), None)
        return term[2] if term else None  # "Twenty-three were rated inadequate, ... every
    return None  # one of them"


_COUNTED_AND_RATED = re.compile(
    rf"\b(?:\d{{1,3}}|{NUMBER_IN_WORDS})\b[^.;]{{0,80}}?\b(?:were|are|have\s+been|had\s+been)\s+"
    rf"{_GIVEN}(?:an?\s+|the\s+)?['\"\u2018\u201c]?",
    re.IGNORECASE,
)
_EACH_OF_THEM = re.compile(r"\b(?:every|each|all)\s+(?:one\s+|single\s+one\s+)?of\s+them\b", re.I)
"""A count of CCGs given a rating, then something said of every one of them ("Twenty-three
were rated inadequate, with deficits blamed for every one of them"): the group named by
that rating."""


_THE_RATINGS = re.compile(
    r"['\u2019\u201d]?\s+(?:ratings|grades|verdicts|CCGs|clinical commissioning groups|groups)\b",
    re.IGNORECASE,
)
_THE_BEFORE = re.compile(rf"\bthe\s+(?:{_NUMBER}\s+)?['\u2018\u201c]?$", re.IGNORECASE)


def _speaks_of_a_group(text: str) -> bool:
    """A distributive word about CCGs, or a group named by its rating ("the CCGs rated as
    inadequate"); not a distributive word whose subject is the rated items named before it
    ("finance and performance were both rated ...", "all three components were ...")."""
    if group_rated(text) is not None or _BARE_COUNT.search(text):
        return True
    for match in _DISTRIBUTIVE.finditer(text):
        items_before = [end for _, end, _ in item_spans(text) if end <= match.start()]
        if items_before and not _CLAUSE_BREAK.search(text, max(items_before), match.start()):
            continue
        if _ITEM_NOUN.match(text, match.end()) or _TIME_NOUN.match(text, match.end()):
            continue  # "all three components", "each of the past two years"
        return True
    return False


_ITEM_NOUN = re.compile(
    r"(?:\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?)?(?:\w+\s+){0,2}?"
    r"(?:components|domains|areas|indicators|categories|measures)\b",
    re.IGNORECASE,
)
_TIME_NOUN = re.compile(
    r"(?:\s+of\s+(?:the|its|their|those|these))?(?:\s+[\w-]+){0,2}?\s+"
    r"(?:years?|months?|times?|rounds?|assessments?)\b",
    re.IGNORECASE,
)
"""After a distributive word, what makes it about time, not CCGs ("each of the past two
years", "every year", "all four assessments")."""
_CLAUSE_BREAK = re.compile(r"[;:.]|,\s|\b(?:while|whereas|but)\b", re.IGNORECASE)
_GROUP_SIZE = re.compile(
    r"\b(?:(both)|(?:the|all|all\s+the|these|those)\s+"
    r"(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?:\w+\s+){0,3}?(?:CCGs|clinical commissioning groups|groups))\b",
    re.IGNORECASE,
)


def _the_others(
    sentence: Sentence, named_in: dict[int, set[str]], named_at: list[tuple[int, str]]
) -> set[str]:
    """The CCGs a sentence naming some calls "its two partners" or "the other three", or
    counts apart from those it names ("Two of the three were rated ...; the third, Bury,
    ..."): those of the nearest sentence, within three either side, that names the named
    ones and exactly that many more; else every other CCG the article names, when there are
    exactly that many ("Seven of the eight ..., and the eighth, West Kent, ...")."""
    count = others_counted(sentence.text)
    named = named_in.get(sentence.number, set())
    share = members_rated(sentence.text)
    span = counted_span(sentence.text)
    if count is None and share is not None and span is not None:
        # the CCGs named apart from the count's clause ("..., and the eighth, West Kent, ...")
        apart = {key for at, key in named_at if not span[0] <= at < span[1]}
        if share[1] - share[0] == len(apart) > 0:
            count, named = share[0], apart  # "two of the three", the third named
    if not count:
        return set()
    for distance in (1, -1, 2, -2, 3, -3):
        keys = named_in.get(sentence.number + distance, set())
        if named <= keys and len(keys - named) == count:
            return keys - named
    everyone = set().union(*named_in.values())
    if len(everyone - named) == count:  # the article names the whole group, over sentences
        return everyone - named
    return set()


def counts_ccgs(text: str) -> bool:
    """The sentence counts a group of CCGs with its noun ("all six CCGs", "both")."""
    return _GROUP_SIZE.search(text) is not None


def group_size(text: str) -> int | None:
    """How many CCGs a group sentence speaks of ("both": 2, "all six CCGs": 6); None when
    it does not say."""
    match = _GROUP_SIZE.search(text)
    if match is not None:
        return 2 if match.group(1) else count_of(match.group(2))
    bare = _BARE_COUNT.search(text)
    return count_of(bare.group(1)) if bare else None


_BARE_COUNT = re.compile(
    rf"\b(?:the|all|all\s+the|these|those)\s+({_NUMBER})"
    r"(?=\s*[,;:.)]|\s+(?:were|are|was|is|have|has|had|also|all|both|each|together|"
    r"between\s+them|\w{3,}ed)\b)",
    re.IGNORECASE,
)
"""A count standing for CCGs already named, with no noun ("All five were rated good",
"the ratings of the seven reflected ...", "The four also received ..."): a group only when
the sentences just before name exactly that many (`_members`)."""


def _members_beside_names(
    sentence: Sentence,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    named_at: list[tuple[int, str]],
) -> set[str]:
    """The members a sentence that counts a group speaks of while naming only some of them
    after the count ("For the three inadequate CCGs the verdict came down to money, and
    Medway's deficit alone was £8.9m"): the group's other members, when every CCG it names
    is one of the group (`_members`) and it states a rating or speaks of money."""
    text = sentence.text
    count = _GROUP_SIZE.search(text) or _BARE_COUNT.search(text)
    named = named_in.get(sentence.number, set())
    if count is None or any(at < count.start() for at, _ in named_at):
        return set()
    if not (rating_terms(text) or speaks_of_money(text)):
        return set()
    members = _members(sentence, sentences, named_in)
    if not members or not named < members:
        return set()
    return members - named


def _members(
    group: Sentence, sentences: tuple[Sentence, ...], named_in: dict[int, set[str]]
) -> set[str] | None:
    """The CCGs a group sentence of a stated size speaks of ("the three CCGs", "both"): those
    of the nearest sentence, within two on either side, that names exactly that many, else
    of the one to three sentences just before it, together; None when the size is not
    stated or no such sentences are near (every CCG may be a member), but no member at all
    for a bare count ("all five were ...")."""
    size = group_size(group.text)
    if size is None:
        return None
    for distance in (1, -1, 2, -2):
        keys = named_in.get(group.number + distance, set())
        if len(keys) == size:
            return keys
    named_before: set[str] = set()
    for number in range(group.number - 1, max(0, group.number - 4), -1):
        named_before |= named_in.get(number, set())  # names over consecutive sentences
        if len(named_before) == size:
            return named_before
        if len(named_before) > size:
            break
    if not counts_ccgs(group.text):
        return set()  # a bare count ("all five were") with no such names near is no group
    return None


_LIST_OPENER = re.compile(
    r"\W*(?:\w+\s+){0,3}?(?:were|are|include[sd]?|including|went\s+to|go(?:es)?\s+to)\W*$|"
    r"[^.;]{0,40}:\s*$",
    re.IGNORECASE,
)


def introduces_list(sentence: Sentence, first_name: int) -> bool:
    """The sentence opens with one rating that introduces every CCG it names ("Among those
    rated inadequate were A, B, and, in Essex, C and D", "the top rating went to A, B, as well
    as to C"): the rating is each one's."""
    terms = rating_terms(sentence.text)
    if len({value for _, _, value in terms}) != 1 or terms[0][0] > first_name:
        return False
    last_term_end = max(end for start, end, _ in terms if start < first_name)
    if any(start > first_name for start, _, _ in terms):
        return False
    return _LIST_OPENER.match(sentence.text[last_term_end:first_name]) is not None


def in_counted_clause(text: str, at: int) -> bool:
    """The rating term at `at` is in a clause that counts part of a group ("Seven of the
    eight CCGs require improvement"): it rates the counted CCGs."""
    return members_rated(clause_around(text, at)) not in (None, (0, 0))
