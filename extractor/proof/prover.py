"""The checks every proof of a CCG's rating shares: which CCGs a sentence names and where,
whether a sentence speaks for a CCG, and whether a rating it states is that CCG's, for this
year or the year before (`Prover`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.names.context import CcgContext
from extractor.names.groups import group_rated, members_rated, partial_group
from extractor.schema import DroppedFact
from extractor.text.rating_terms import (
    belongs_to,
    clause_around,
    former_or_latter,
    given_to_the_others,
    item_spans,
    rating_terms,
    shared_rating,
    states_rating,
)
from extractor.text.rating_time import (
    continued_in_clause,
    held_since_a_year,
    year_before,
    year_spoken_of,
)
from extractor.text.sentences import Sentence, split_sentences
from extractor.text.table_columns import BEFORE, NOW, year_cells

__all__ = ["ABOUT_RATING", "INDICATOR", "OVERALL", "Prover", "rating_value"]

OVERALL = ("outstanding", "good", "requires_improvement", "inadequate")
INDICATOR = (*OVERALL, "green", "amber", "red")
_NATIONAL = re.compile(
    r"%|\bper ?cent\b|(?<!NHS )\bEngland\b|\bnational(?:ly)?\b|\bcountry\b", re.IGNORECASE
)
_LARGE_COUNT = re.compile(
    r"(?<![\d.,\u00a3$])\b(?:[2-9]\d|[1-9]\d\d)\b(?![.,]\d)(?!-[a-z])"
    r"(?!\s*(?:%|per ?cent|m\b|million))",
    re.IGNORECASE,
)
"""A count of CCGs in a national sentence ("23 of the 209"), not a percentage, a sum or a
measure joined to its unit ("the 62-day wait")."""
_CCGS_PLURAL = re.compile(r"\b(?:CCGs|clinical commissioning groups|groups|commissioners)\b", re.I)
_LISTED = re.compile(
    r"(?:\s+(?:CCG|clinical\s+commissioning\s+group)s?)?(?:\s*\([A-Z]{2,8}\))?"
    r"[\s,]*(?:(?:and|&|as well as)\s+)?(?:the\s+)?(?:NHS\s+)?",
    re.I,
)
_RATED_BODY = re.compile(
    r"\b(?:the\s+)?(?:trust|hospital|CQC|Care Quality Commission|inspectors|council|"
    r"practice|surgery)(?:'s|\u2019s)?\b",
    re.IGNORECASE,
)
"""A body a sentence naming no CCG may rate instead: "The trust's maternity unit was rated
'good'" in an article about a hospital that names the CCG that buys from it."""
_THE_CCG = re.compile(r"\b(?:the|its|our)\s+(?:CCG|clinical commissioning group)\b", re.I)
ABOUT_RATING = re.compile(
    r"\brat(?:ing|ed)s?\b|\bassess\w*|\bjudg\w*|\bverdict|\bgrade|\bdowngrad\w*", re.I
)


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


_ASIDE = re.compile(r",\s*(?:which|who|whose)\b[^,:;]*,", re.IGNORECASE)
_LIST_OPENER = re.compile(
    r"\W*(?:\w+\s+){0,3}?(?:were|are|include[sd]?|including|went\s+to|go(?:es)?\s+to)\W*$|"
    r"[^.;]{0,40}:\s*$",
    re.IGNORECASE,
)


def _introduces_list(sentence: Sentence, first_name: int) -> bool:
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


_NEGATED = re.compile(
    r"\b(?:not|never|n't|failed\s+to\s+(?:be|get|earn|achieve|reach))\s+(?:(?:been|be|yet|quite)\s+)?"
    r"(?:(?:rated|judged|graded|given|awarded|assessed|considered|found|classed)\s+(?:as\s+)?)?"
    r"(?:an?\s+|the\s+)?['\"\u2018\u201c]?\Z",
    re.IGNORECASE,
)
"""A rating said not to be given ("was not rated good", "never been outstanding")."""
_OPENER = re.compile(r"\W*(?:in|for|on|under|across|within)\b[^,;:]{0,60},", re.IGNORECASE)


def _under_item_opener(text: str, at: int) -> bool:
    """The rating term at `at` is in the clause right after an opening phrase that names an
    area or framework item ("In the better care domain, Dudley and Walsall were rated
    outstanding"): it rates the item."""
    opener = _OPENER.match(text)
    if opener is None or opener.end() > at or rating_terms(opener.group()):
        return False
    if not any(end <= opener.end() for _, end, _ in item_spans(text)):
        return False
    return clause_around(text, at) == clause_around(text, opener.end() + 1)


def _counted(text: str, at: int) -> bool:
    """The rating term at `at` is in a clause that counts part of a group ("Seven of the
    eight CCGs require improvement"): it rates the counted CCGs."""
    return members_rated(clause_around(text, at)) not in (None, (0, 0))


def _rating_of_year(by_year: dict[str, str], rating: str, year: str | None, now: bool) -> bool:
    """The cell of the assessment year (`now`) or of the year before holds this rating alone;
    with no year known, the latest column is this year's and the one before it last year's."""
    if NOW in by_year or BEFORE in by_year:  # "CCG | Rating | Last year"
        wanted: str | None = NOW if now else BEFORE
    else:
        latest = sorted(by_year, reverse=True)
        wanted = (year if now else year_before(year)) if year in by_year else None
        if wanted is None and year is None:
            wanted = latest[0] if now else latest[1]
    cell = by_year.get(wanted or "")
    return cell is not None and {found for _, _, found in rating_terms(cell)} == {rating}


class Prover:
    """The checks for one article, with its sentences and CCGs."""

    def __init__(self, article: str, contexts: list[CcgContext]) -> None:
        self.article = article
        self._named: dict[int, list[tuple[int, CcgContext]]] = {}
        self.sentences = split_sentences(article)
        self.contexts = contexts
        self.dropped: list[DroppedFact] = []
        self.overall: dict[int, str] = {}
        """The overall rating proven for each CCG (by `id` of its context), once known."""

    def named_in(self, number: int) -> list[tuple[int, CcgContext]]:
        """Where sentence `number` names a CCG (offset in the sentence) and which, in order."""
        if number not in self._named:
            sentence = self.sentence(number)
            self._named[number] = sorted(
                ((m.start - sentence.start, c) for c in self.contexts for m in c.mentions
                 if sentence.start <= m.start < sentence.end),
                key=lambda pair: pair[0],
            )  # fmt: skip
        return self._named[number]

    def sentence(self, number: int) -> Sentence:
        return self.sentences[number - 1]

    def drop(self, path: str, number: int | None, reason: str) -> None:
        quote = self.sentence(number).text if number and 0 < number <= len(self.sentences) else None
        self.dropped.append(DroppedFact(path=path, quote=quote, reason=reason))

    def positions(self, context: CcgContext, sentence: Sentence) -> tuple[list[int], list[int]]:
        """Where the sentence names this CCG (-1: its unnamed subject) and other CCGs. Names
        listed together ("Barnet, Bury and Calderdale") share the position of the first, so
        a rating of the list belongs to each."""
        inside = range(sentence.start, sentence.end)
        named = sorted(
            (m.start, m.end, other is context)
            for other in self.contexts
            for m in other.mentions
            if m.start in inside
        )
        mine: list[int] = []
        others: list[int] = []
        listed_from = -1
        one_list = bool(named) and _introduces_list(sentence, named[0][0] - sentence.start)
        asides = [m.span() for m in _ASIDE.finditer(sentence.text)]
        named_mine = False
        for index, (start, _, is_mine) in enumerate(named):
            named_mine = named_mine or is_mine
            after = index == 0 or not _LISTED.fullmatch(self.article[named[index - 1][1] : start])
            if after and not (one_list and index > 0):
                listed_from = start - sentence.start
            if any(a < start - sentence.start < b for a, b in asides):
                continue  # named in an aside ("..., which shares a chief officer with X, ...")
            (mine if is_mine else others).append(listed_from)
        if named_mine and not mine:
            return [], others  # the sentence names the CCG only in an aside: none of it is its
        return (mine or [-1]), others

    def speaks_for(self, context: CcgContext, number: int) -> bool:
        relation = context.relations.get(number)
        if relation is None:
            return False
        text = self.sentence(number).text
        national = _LARGE_COUNT.search(text) or (
            _NATIONAL.search(text) and _CCGS_PLURAL.search(text)
        )
        another_body = _RATED_BODY.search(text) and not _THE_CCG.search(text)
        if relation == "own":
            return True
        if partial_group(text):
            return False  # "most of the inadequate groups": no member in particular
        if relation in ("group", "follow") and (named_by := group_rated(text)) is not None:
            return self.overall.get(id(context)) == named_by  # "the CCGs rated inadequate"
        return not (national or another_body)

    def rated(
        self, context: CcgContext, number: int, rating: str, *, year: str | None, now: bool
    ) -> bool:
        """The sentence gives the CCG this rating, as its own: this year's (`now`) or the
        year before's (`year_spoken_of`)."""
        sentence = self.sentence(number)
        if not self.speaks_for(context, number) or not states_rating(sentence.text, rating):
            return False
        if context.relations.get(number) == "group" and group_rated(sentence.text) is not None:
            return False  # "the CCGs rated as inadequate" names a group; it rates none
        mine, others = self.positions(context, sentence)
        by_year = year_cells(self.sentences, number)
        if by_year is not None:  # "Barnet | Good | Requires improvement" under years
            return mine != [-1] and _rating_of_year(by_year, rating, year, now)
        items = [start for start, _, _ in item_spans(sentence.text)]
        wanted = "this" if now else "before"

        def elsewhen(at: int) -> bool:
            spoken = year_spoken_of(sentence.text, at, year)
            if (
                now
                and spoken != "this"
                and continued_in_clause(sentence.text, at)
                and (spoken == "before" or held_since_a_year(sentence.text, at))
            ):
                return False  # "kept their good ratings from last year", "held ... since 2017"
            return spoken != wanted

        if self._rated_by_reference(context, sentence, rating, elsewhen):
            return True
        if (
            mine == [-1]
            and context.relations.get(number) == "group"
            and any(
                found == rating
                and not elsewhen(at)
                and (given_to_the_others(sentence.text, at) or _counted(sentence.text, at))
                for at, _, found in rating_terms(sentence.text)
            )
        ):
            return True  # "..., while its two partners were ...", "Seven of the eight ..."
        text = sentence.text
        own = context.relations.get(number) == "own"

        def not_read(at: int) -> bool:
            if own and _counted(text, at):
                return True  # "Two of the three were rated ...; the third, Bury, ...": theirs
            if _NEGATED.search(text, max(0, at - 40), at):
                return True  # "the main reason it was not rated good"
            if _under_item_opener(text, at):
                return True  # "In the better care domain, Dudley was rated outstanding"
            return elsewhen(at) or former_or_latter(text, at) is not None

        for at in mine:  # "..., as was Oldham": the rating of the clause before
            shared = shared_rating(text, at) if at >= 0 else None
            if shared is not None and shared[1] == rating and not not_read(shared[0]):
                return True
        return belongs_to(text, rating, mine, others + items, skip=not_read)

    def _rated_by_reference(
        self, context: CcgContext, sentence: Sentence, rating: str, elsewhen: Callable[[int], bool]
    ) -> bool:
        """A term given to "the former" or "the latter" is the first or last CCG named's."""
        named = sorted(
            (m.start, other)
            for other in self.contexts
            for m in other.mentions
            if sentence.start <= m.start < sentence.end
        )
        order = [c for i, (_, c) in enumerate(named) if all(c is not o for _, o in named[:i])]
        if len(order) < 2:
            return False
        for at, _, found in rating_terms(sentence.text):
            which = former_or_latter(sentence.text, at)
            meant = order[0] if which == "former" else order[-1]
            if found == rating and which and not elsewhen(at) and meant is context:
                return True
        return False

    def first_passing(
        self, context: CcgContext, cited: int | None, check: Callable[[int], bool]
    ) -> int | None:
        """The cited sentence when it passes, else the first sentence about the CCG that does
        (shown to the model or not)."""
        if cited is not None and 0 < cited <= len(self.sentences) and check(cited):
            return cited
        return next((n for n in sorted(context.relations) if check(n)), None)
