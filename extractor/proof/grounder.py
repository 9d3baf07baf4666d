"""The article a first answer is grounded in, the record of what was dropped, and each CCG
of the answer in its article.

`Grounder.find` locates a fact's evidence with `text.quote_search.locate`, refuses evidence
inside a passage addressed to AI systems, widens it to its sentence or quotation and checks
that it states the fact. Every fact that fails is listed in `dropped` with its reason.
`evidence_names_ccg` says whether a sentence itself names a CCG (NHS, CCG and punctuation aside).

`AnsweredCcg.sentences` gives the sentences about one CCG of the answer, for the facts the
model gives without quoting (last year's rating, finances): a sentence is about the CCG
when it names it; when it names no CCG, if it speaks of a group of CCGs and gives the CCG's
own overall rating ("the CCGs rated inadequate"), or if the CCG is the only one the article
reports and the sentence does not speak of another body (a trust, a council, a hospital)
instead of the CCG ("the CCG", "we"). A passage addressed to AI proves nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

from extractor.inputs.reading import ArticleReading, read_article
from extractor.names.reference_table import canonical_key
from extractor.schema import CCG, DroppedFact, Evidence
from extractor.text.dates_and_numbers import normalize_year, years_in
from extractor.text.injection import evidence_sentences, within_instructions
from extractor.text.phrases import (
    GROUP_OF_CCGS,
    PERCENTAGE,
    RATING_PHRASES,
    ratings_stated,
    states,
)
from extractor.text.quote_search import locate, normalize_with_map, widen

__all__ = ["INSTRUCTIONS_TO_AI", "NOT_FOUND", "AnsweredCcg", "Grounder", "evidence_names_ccg"]

NOT_FOUND = "evidence not found in the article"
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
    def normalized(self) -> tuple[str, list[int]]:
        """The article normalised for the second grounding tier, computed only if needed."""
        return normalize_with_map(self.article)

    @property
    def national_sentences(self) -> tuple[str, ...]:
        """Sentences with figures for many CCGs (counts, rated shares), in article order
        (the article's reading holds them)."""
        return self.read.national_sentences

    @cached_property
    def article_key(self) -> str:
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
        evidence = locate(fragment, self.article, normalized_article=lambda: self.normalized)
        if evidence is None:
            self.drop(path, fragment, NOT_FOUND if fragment else "no evidence given")
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

    def year(self, written: str | None) -> str | None:
        """The assessment year if the article writes it; else the article's first year.

        Small models copy years from examples; a year the article never mentions is not
        evidence, so the year the article itself leads with is used instead (or none).
        """
        year = normalize_year(written)
        mentioned = years_in(self.article)
        if year is not None and year in mentioned:
            return year
        return mentioned[0] if mentioned else None

    def drop(self, path: str, quote: str | None, reason: str) -> None:
        """List a fact as dropped, with the words the model gave and why."""
        self.dropped.append(DroppedFact(path=path, quote=quote, reason=reason))

    def article_names_ccg(self, as_written: str) -> bool:
        """True when the article names the CCG as whole words, ignoring NHS/CCG/punctuation.

        Not a substring or fuzzy match: "Solihull" does not name Hull, nor "South Tyneside"
        North Tyneside.
        """
        key = canonical_key(as_written)
        return bool(key) and f" {key} " in self.article_key

    def written_as_a_ccg(self, ccg: CCG) -> bool:
        """A CCG outside the reference table must appear in the article as "<name> CCG" or
        "<name> Clinical Commissioning Group" (singular): a region ("Staffordshire and
        Stoke-on-Trent"), a trust or a council is not a CCG because an article names it."""
        if ccg.ods_code is not None:
            return True
        name = re.escape(" ".join(canonical_key(ccg.name).split()))
        pattern = rf"\b{name}\s+(ccg|clinical commissioning group)(?!s)\b"
        plain = " ".join(re.sub(r"[^a-z0-9]+", " ", self.article.lower()).split())
        return re.search(pattern, plain) is not None

    def about_another_ccg(self, evidence: Evidence, as_written: str) -> bool:
        """True when the words naming a rating name another CCG of the answer, not this one."""
        if evidence_names_ccg(evidence, as_written):
            return False
        own = canonical_key(as_written)
        text = f" {canonical_key(evidence.quote)} "
        return any(f" {other} " in text for other in self.other_ccgs if other and other != own)


_REFERS_TO_A_CCG = re.compile(
    r"\bCCG\b|\bclinical commissioning group\b|\bwe\b|\bour\b|\bus\b", re.IGNORECASE
)
_ANOTHER_BODY = re.compile(
    r"\btrusts?\b|\bcouncils?\b|\bhospitals?\b|\bpractices?\b|\bsurger(?:y|ies)\b"
    r"|\bauthorit(?:y|ies)\b|\bCQC\b|\bCare Quality Commission\b",
    re.IGNORECASE,
)
"""A sentence naming no CCG speaks for the article's one CCG unless it speaks of another
body (a trust, a council, a hospital) and not of the CCG ("the CCG", "we")."""


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
        return _REFERS_TO_A_CCG.search(sentence) is not None or not _ANOTHER_BODY.search(sentence)


def evidence_names_ccg(evidence: Evidence, as_written: str) -> bool:
    """True when the evidence itself names the CCG (ignoring NHS/CCG and punctuation)."""
    key = canonical_key(as_written)
    return bool(key) and f" {key} " in f" {canonical_key(evidence.quote)} "
