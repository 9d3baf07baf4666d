"""The sentence tools every kind's proof shares.

A first answer quotes its evidence (`Grounder`, one per article):
- **find** a fact's evidence (`text.quote_search.locate`), refuse it inside a passage
  addressed to AI systems, widen it to its sentence or quotation, and keep it only when its
  words state the fact (a bare name only when its sentence states one rating alone); every
  fact that fails is listed in `dropped` with its reason;
- whether the article **names a CCG** as whole words ("Solihull" does not name Hull), and
  whether evidence names another CCG of the answer instead;
- the **sentences about one CCG** (`AnsweredCcg`), for facts given without a quote (last
  year's rating, finances): those naming it; naming none, one about a group of CCGs that
  gives the CCG's own overall rating ("the CCGs rated inadequate"), or, when the CCG is the
  only one reported, one that does not speak of another body (a trust, a council) instead.

The narrow questions cite sentence numbers (`Prover`, one per article):
- which CCGs a sentence **names and where** (names listed together share the first's place;
  a name in an aside, "..., which shares a chief officer with X, ...", is not its subject);
- whether a sentence **speaks for** a CCG (`names.context` relates them) and gives no
  national figures (a share, a count over 20, "England") nor rates another body instead;
- whether a rating it states is **the CCG's**, this year's or the year before's: it belongs
  to the CCG, not to another CCG or an area named nearer it, is not negated ("was not rated
  good") nor a counted part of a group's, and is spoken of for that year; in a table under
  year columns, it is that year's cell;
- the **sentence to keep**: the one the model cited when it passes, else the first about the
  CCG that does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from extractor.inputs.reading import ArticleReading, read_article
from extractor.names.context import CcgContext
from extractor.names.groups import group_rated, in_counted_clause, introduces_list, partial_group
from extractor.names.reference_table import canonical_key, evidence_names_ccg
from extractor.schema import DroppedFact, Evidence
from extractor.text.injection import evidence_sentences, within_instructions
from extractor.text.phrases import (
    ANOTHER_BODY,
    CCGS_PLURAL,
    GROUP_OF_CCGS,
    LARGE_COUNT,
    NATIONAL_WORDS,
    NEGATED_BEFORE,
    OVERALL_RATINGS,
    PERCENTAGE,
    RATED_BODY,
    RATING_PHRASES,
    REFERS_TO_A_CCG,
    THE_CCG,
    ratings_stated,
    states,
)
from extractor.text.quote_search import locate, normalize_with_map, widen
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
from extractor.text.rating_time import continued_in_clause, held_since_a_year, year_spoken_of
from extractor.text.sentences import Sentence, split_sentences
from extractor.text.table_columns import rating_of_year, year_cells

__all__ = [
    "INSTRUCTIONS_TO_AI",
    "OVERALL",
    "AnsweredCcg",
    "Grounder",
    "Prover",
]

_NOT_FOUND = "evidence not found in the article"
_UNSUPPORTED = "evidence does not state this rating"
INSTRUCTIONS_TO_AI = (
    "evidence lies in a passage addressed to AI systems (possible prompt injection)"
)


@dataclass
class Grounder:
    """Locates the evidence of each fact in one article and lists the facts it drops."""

    article: str
    other_ccgs: tuple[str, ...] = ()
    dropped: list[DroppedFact] = field(default_factory=list)
    contradicted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """CCGs (as the model wrote them) whose overall rating was dropped because a sentence
    naming the CCG states another one, with those sentences."""
    reading: ArticleReading | None = None
    """The article as read before any question (`inputs.reading`); read here when not given."""

    @cached_property
    def read(self) -> ArticleReading:
        """What the article says before any question: its national sentences and figures."""
        return self.reading or read_article(self.article)

    @cached_property
    def _normalized(self) -> tuple[str, list[int]]:
        """The article normalised for the second grounding tier, computed only if needed."""
        return normalize_with_map(self.article)

    @property
    def national_sentences(self) -> tuple[str, ...]:
        """Sentences with figures for many CCGs (counts, rated shares), in article order
        (the article's reading holds them)."""
        return self.read.national_sentences

    @cached_property
    def _article_key(self) -> str:
        """The whole article as a CCG comparison key, padded for whole-word search."""
        return f" {canonical_key(self.article)} "

    def find(
        self,
        fragment: str | None,
        path: str,
        to: str = "sentence",
        *,
        must_state: tuple[tuple[str, ...], ...] = (),
    ) -> Evidence | None:
        """Locate and widen `fragment`; drop the fact unless the evidence states `must_state`."""
        evidence = locate(fragment, self.article, normalized_article=lambda: self._normalized)
        if evidence is None:
            self.drop(path, fragment, _NOT_FOUND if fragment else "no evidence given")
            return None
        if within_instructions(self.article, evidence.start, evidence.end):
            self.drop(path, fragment, INSTRUCTIONS_TO_AI)
            return None
        # The words the model chose must state the fact themselves, because the sentence may
        # also hold other ratings ("good for cancer and inadequate for dementia"). A bare
        # name ("better health") is enough only when its sentence states one rating alone.
        widened = widen(self.article, evidence, to)
        if all(states(evidence.quote, phrases) for phrases in must_state):
            return widened
        if (
            must_state
            and ratings_stated(widened.quote) == 1
            and all(states(widened.quote, phrases) for phrases in must_state)
        ):
            return widened
        self.drop(path, fragment, _UNSUPPORTED)
        return None

    def drop(self, path: str, quote: str | None, reason: str) -> None:
        """List a fact as dropped, with the words the model gave and why."""
        self.dropped.append(DroppedFact(path=path, quote=quote, reason=reason))

    def article_names_ccg(self, as_written: str) -> bool:
        """True when the article names the CCG as whole words, ignoring NHS/CCG/punctuation.

        Not a substring or fuzzy match: "Solihull" does not name Hull, nor "South Tyneside"
        North Tyneside.
        """
        key = canonical_key(as_written)
        return bool(key) and f" {key} " in self._article_key

    def about_another_ccg(self, evidence: Evidence, as_written: str) -> bool:
        """True when the words naming a rating name another CCG of the answer, not this one."""
        if evidence_names_ccg(evidence, as_written):
            return False
        own = canonical_key(as_written)
        text = f" {canonical_key(evidence.quote)} "
        return any(f" {other} " in text for other in self.other_ccgs if other and other != own)


@dataclass(frozen=True, slots=True)
class AnsweredCcg:
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
        if evidence_names_ccg(evidence, self.as_written):
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
        return REFERS_TO_A_CCG.search(sentence) is not None or not ANOTHER_BODY.search(sentence)


OVERALL = OVERALL_RATINGS
_LISTED = re.compile(
    r"(?:\s+(?:CCG|clinical\s+commissioning\s+group)s?)?(?:\s*\([A-Z]{2,8}\))?"
    r"[\s,]*(?:(?:and|&|as well as)\s+)?(?:the\s+)?(?:NHS\s+)?",
    re.I,
)
_ASIDE = re.compile(r",\s*(?:which|who|whose)\b[^,:;]*,", re.IGNORECASE)
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
        one_list = bool(named) and introduces_list(sentence, named[0][0] - sentence.start)
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
        national = LARGE_COUNT.search(text) or (
            NATIONAL_WORDS.search(text) and CCGS_PLURAL.search(text)
        )
        another_body = RATED_BODY.search(text) and not THE_CCG.search(text)
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
            return mine != [-1] and rating_of_year(by_year, rating, year, now)
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
                and (given_to_the_others(sentence.text, at) or in_counted_clause(sentence.text, at))
                for at, _, found in rating_terms(sentence.text)
            )
        ):
            return True  # "..., while its two partners were ...", "Seven of the eight ..."
        text = sentence.text
        own = context.relations.get(number) == "own"

        def not_read(at: int) -> bool:
            if own and in_counted_clause(text, at):
                return True  # "Two of the three were rated ...; the third, Bury, ...": theirs
            if NEGATED_BEFORE.search(text, max(0, at - 40), at):
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
