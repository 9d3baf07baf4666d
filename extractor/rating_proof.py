"""Prove the ratings the model gave each CCG, each against the sentence that must state it.

Every claim from `rating_questions` is kept only with a sentence of the article that:

- **speaks of the CCG** (`ccg_context`): names it, follows a sentence naming it in the same
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
from collections.abc import Callable

from rapidfuzz import fuzz

from extractor.ccg_context import CcgContext, ccg_key, members_rated
from extractor.ccg_names import canonical_key, normalize_ccg
from extractor.crosscheck import names_indicator
from extractor.normalize import normalize_year, years_in
from extractor.rating_questions import CcgAnswer
from extractor.rating_terms import (
    COMPONENT_WORDS,
    belongs_to,
    continued_in_clause,
    former_or_latter,
    given_to_the_others,
    item_spans,
    rating_terms,
    ratings_of_item,
    ratings_set_out,
    speaks_of_money,
    states_rating,
    year_spoken_of,
)
from extractor.schema import Area, AreaRating, Assessment, DroppedFact, Indicator, Rating
from extractor.sentences import Sentence, split_sentences
from extractor.wording import AREA_WORDS

__all__ = ["article_year", "prove_ratings", "rating_value"]

_OVERALL = ("outstanding", "good", "requires_improvement", "inadequate")
_INDICATOR = (*_OVERALL, "green", "amber", "red")
_NATIONAL = re.compile(
    r"%|\bper ?cent\b|(?<!NHS )\bEngland\b|\bnational(?:ly)?\b|\bcountry\b", re.IGNORECASE
)
_LARGE_COUNT = re.compile(
    r"(?<![\d.,\u00a3$])\b(?:[2-9]\d|[1-9]\d\d)\b(?![.,]\d)(?!\s*(?:%|per ?cent|m\b|million))",
    re.IGNORECASE,
)
"""A count of CCGs in a national sentence ("23 of the 209"), not a percentage or a sum."""
_CCGS_PLURAL = re.compile(r"\b(?:CCGs|clinical commissioning groups|groups|commissioners)\b", re.I)
_PAST = re.compile(
    r"\b(?:last|previous|prior|earlier|before|ago|former\w*|previously|from|was|were|had|"
    r"downgrad\w*|upgrad\w*|improv\w*|climb\w*|slip\w*|fell|fall\w*|dropp\w*|ris\w*|rose|"
    r"mov\w*|jump\w*|up|down)\b|(?:19|20)\d\d",
    re.IGNORECASE,
)
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
_OTHER_BODY = re.compile(
    r"\b(?:trusts?|hospitals?|councils?|CQC|Care Quality Commission|practices?|surger(?:y|ies)|"
    r"foundation|providers?|ambulance)\b",
    re.IGNORECASE,
)
_OVERALL_LABEL = re.compile(r"\s*overall(?:\s+rating)?\s*[:\-\u2013|]?\s", re.IGNORECASE)
_ABOUT_RATING = re.compile(
    r"\brat(?:ing|ed)s?\b|\bassess\w*|\bjudg\w*|\bverdict|\bgrade|\bdowngrad\w*", re.I
)
_PROBLEM = ("problem", "problems", "concern", "concerns", "true", "yes", "bad", "poor", "deficit")
_SOUND = ("sound", "good", "false", "no", "fine", "healthy", "strong")


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


class _Prover:
    """The checks for one article, with its sentences and CCGs."""

    def __init__(self, article: str, contexts: list[CcgContext]) -> None:
        self.article = article
        self.sentences = split_sentences(article)
        self.contexts = contexts
        self.dropped: list[DroppedFact] = []

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
        return relation == "own" or not (national or another_body)

    def rated(
        self, context: CcgContext, number: int, rating: str, *, year: str | None, now: bool
    ) -> bool:
        """The sentence gives the CCG this rating, as its own: this year's (`now`) or the
        year before's (`year_spoken_of`)."""
        sentence = self.sentence(number)
        if not self.speaks_for(context, number) or not states_rating(sentence.text, rating):
            return False
        mine, others = self.positions(context, sentence)
        items = [start for start, _, _ in item_spans(sentence.text)]
        wanted = "this" if now else "before"

        def elsewhen(at: int) -> bool:
            return year_spoken_of(sentence.text, at, year) != wanted

        if self._rated_by_reference(context, sentence, rating, elsewhen):
            return True
        if (
            mine == [-1]
            and context.relations.get(number) == "group"
            and any(
                found == rating and given_to_the_others(sentence.text, at) and not elsewhen(at)
                for at, _, found in rating_terms(sentence.text)
            )
        ):
            return True
        text = sentence.text

        def not_read(at: int) -> bool:
            return elsewhen(at) or former_or_latter(text, at) is not None

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
    prover = _Prover(article, contexts)
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
        _prove_previous(prover, context, answer, path, assessment)
        if assessment.previous_overall is None and assessment.overall is not None:
            _prove_plain_previous(prover, context, assessment)
        _prove_finances(prover, context, answer, path, assessment)
        if assessment.financial_concerns is None and assessment.overall is not None:
            _prove_plain_finances(prover, context, assessment)
        _prove_items(prover, context, answer, path, assessment)
        _prove_plain_items(prover, context, assessment)
        if assessment.overall or assessment.areas or assessment.indicators:
            assessments.append(assessment)
    return assessments, prover.dropped


def _assessment(
    prover: _Prover, context: CcgContext, answer: CcgAnswer, path: str, main_year: str | None
) -> Assessment:
    """The CCG's assessment with the overall rating the model gave, if a sentence proves it."""
    assessment = Assessment(ccg=context.ccg, year=main_year)
    overall = rating_value(answer.overall, _OVERALL)
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


def _prove_plain_overall(prover: _Prover, context: CcgContext, assessment: Assessment) -> None:
    """The overall rating of the first sentence naming the CCG, heading its list line, or
    labelled "Overall" in a table about it, or rating a group it belongs to, that gives the
    CCG one overall rating this year."""
    for number in sorted(context.relations):
        relation = context.relations[number]
        labelled = _OVERALL_LABEL.match(prover.sentence(number).text) is not None
        if relation == "group":
            if not _rates_each_member(prover, number, assessment.year):
                continue
        elif relation not in ("own", "heading") and not labelled:
            continue
        stated = {
            rating
            for rating in _OVERALL
            if prover.rated(context, number, rating, year=assessment.year, now=True)
        }
        if len(stated) == 1:
            (rating,) = stated
            if _own_overall(prover, context, number, rating, assessment.year):
                assessment.overall = Rating(rating)
                assessment.evidence = prover.sentence(number).evidence
                return


def _rates_each_member(prover: _Prover, number: int, year: str | None) -> bool:
    """A group sentence rates every CCG it may speak of: "all" of them, or "N of the M" when
    M - N of those CCGs have a sentence of their own rating them otherwise (the exceptions)."""
    share = members_rated(prover.sentence(number).text)
    if share is None:
        return True
    part, whole = share
    members = [c for c in prover.contexts if c.relations.get(number) == "group"]
    stated = [
        rating
        for rating in _OVERALL
        if any(prover.rated(c, number, rating, year=year, now=True) for c in members)
    ]
    if part == 0 or len(stated) != 1:
        return False
    excepted = [c for c in members if not _own_overall(prover, c, number, stated[0], year)]
    return len(excepted) == whole - part


def _own_overall(
    prover: _Prover, context: CcgContext, number: int, rating: str, year: str | None
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
        for other in _OVERALL
        if other != rating
    )


def _prove_previous(
    prover: _Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
) -> None:
    previous = rating_value(answer.last_year, _OVERALL)
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
        return states_rating(text, current) or _PAST.search(text) is not None

    number = prover.first_passing(context, answer.last_year_sentence, says_previous)
    if number is None:
        reason = "no sentence about the CCG says it had this rating the year before"
        prover.drop(f"{path}.previous_overall", answer.last_year_sentence, reason)
        return
    assessment.previous_overall = Rating(previous)
    assessment.previous_evidence = prover.sentence(number).evidence


def _prove_plain_previous(prover: _Prover, context: CcgContext, assessment: Assessment) -> None:
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
            for rating in _OVERALL
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


def _prove_plain_items(prover: _Prover, context: CcgContext, assessment: Assessment) -> None:
    """Areas and framework items a sentence about the CCG alone (not about a trust or
    council, nor naming another CCG) sets out one rating for (`ratings_set_out`: "Cancer -
    Good", "rated good for cancer and dementia", "Finance: requires improvement")."""
    for number in sorted(context.relations):
        relation = context.relations[number]
        text = prover.sentence(number).text
        if relation == "group" or not prover.speaks_for(context, number):
            continue
        others = prover.positions(context, prover.sentence(number))[1]
        if others or (relation != "own" and _OTHER_BODY.search(text)):
            continue
        for _, _, item in item_spans(text):
            words = AREA_WORDS.get(item) or COMPONENT_WORDS[item]
            given = ratings_set_out(text, words)
            if len(given) != 1:
                continue
            (rating,) = given
            evidence = prover.sentence(number).evidence
            if item in AREA_WORDS:
                if rating in _OVERALL and not any(a.area == item for a in assessment.areas):
                    area = AreaRating(area=Area(item), rating=Rating(rating), evidence=evidence)
                    assessment.areas.append(area)
            elif not any(i.name.lower() == item for i in assessment.indicators):
                assessment.indicators.append(
                    Indicator.model_validate({"name": item, "rating": rating, "evidence": evidence})
                )


def _prove_finances(
    prover: _Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
) -> None:
    said = (answer.finances or "").strip().lower()
    if not said:
        return
    concern = True if said in _PROBLEM else False if said in _SOUND else None
    if concern is None:
        prover.drop(
            f"{path}.financial_concerns", answer.finances_sentence, f"not a finding: {said!r}"
        )
        return

    def ties_money_to_rating(number: int) -> bool:
        text = prover.sentence(number).text
        return (
            prover.speaks_for(context, number)
            and speaks_of_money(text)
            and (bool(rating_terms(text)) or _ABOUT_RATING.search(text) is not None)
            and not _rates_finance_only(text)
            and (concern or _MONEY_SOUND.search(text) is not None)
        )

    number = prover.first_passing(context, answer.finances_sentence, ties_money_to_rating)
    if number is None:
        reason = "no sentence about the CCG ties money to its rating"
        prover.drop(f"{path}.financial_concerns", answer.finances_sentence, reason)
        return
    assessment.financial_concerns = concern
    assessment.financial_evidence = prover.sentence(number).evidence


_CAUSE = re.compile(
    r"\b(?:reflect\w*|because|reasons?|factors?|driven|due to|down to|behind|after|"
    r"concerns?|cite[sd]?|blame\w*|held back|put down|heart of|key|main|principal\w*)\b",
    re.IGNORECASE,
)
_MONEY_TROUBLE = re.compile(
    r"\b(?:deficits?|overspen\w*|shortfall|adrift|debts?|fail\w*|concerns?|difficult\w*|"
    r"challeng\w*|pressures?|problems?|worsening|deteriorat\w*|missed|held back|weak\w*|"
    r"over budget|in the red)\b",
    re.IGNORECASE,
)
_MONEY_SOUND = re.compile(
    r"\b(?:surplus\w*|balanc\w+\s+(?:its|the|their)\s+(?:books|budget)|"
    r"(?:hit|hitting|met|meet|meeting|achiev\w+|deliver\w*)\s+(?:\w+\s+){0,3}?"
    r"(?:control totals?|financial (?:targets?|plans?|dut\w+))|"
    r"(?:good|sound|strong|robust|healthy)\s+financ\w*)",
    re.IGNORECASE,
)


_FINANCES_AS_CAUSE = re.compile(
    r"\b(?:financial\s+(?:position|situation|performance|picture)|finances|money)\b[^.;]*?"
    r"\b(?:factor|reason|cause|behind|driv\w+|down to)\b|"
    r"\b(?:factor|reason|cause|driven|down to)\b[^.;]*?\b(?:financ\w+|money)\b",
    re.IGNORECASE,
)


def _rates_finance_only(text: str) -> bool:
    """The sentence rates the finance component and gives no cause ("Finance: Good"): a
    component's rating, not finances behind the overall rating."""
    return bool(ratings_set_out(text, COMPONENT_WORDS["finance"])) and not _CAUSE.search(text)


def _prove_plain_finances(prover: _Prover, context: CcgContext, assessment: Assessment) -> None:
    """Whether finances drove the rating, from the first sentence about the CCG that ties
    money to the rating with a cause ("reflects", "main reason", "after", "driven by"):
    a concern when it names money trouble (a deficit, a failure, financial challenges) or
    names its finances as the cause of a poor rating ("its financial position as the main
    factor behind the rating"), not one when it names only sound finances (a surplus, a
    control total met)."""
    for number in sorted(context.relations):
        text = prover.sentence(number).text
        if context.relations[number] == "heading" or not prover.speaks_for(context, number):
            continue
        about_rating = bool(rating_terms(text)) or _ABOUT_RATING.search(text) is not None
        if not (speaks_of_money(text) and about_rating and _CAUSE.search(text)):
            continue
        trouble, sound = _MONEY_TROUBLE.search(text), _MONEY_SOUND.search(text)
        poor = assessment.overall in (Rating.requires_improvement, Rating.inadequate)
        if trouble or sound or (poor and _FINANCES_AS_CAUSE.search(text)):
            # money named as the cause of a poor rating is a concern, however neutrally put
            assessment.financial_concerns = trouble is not None or not sound
            assessment.financial_evidence = prover.sentence(number).evidence
            return


def _area_of(item: str) -> Area | None:
    lowered = item.lower().replace("_", " ")
    for area, words in AREA_WORDS.items():
        if any(word in lowered for word in words) or lowered == area.replace("_", " "):
            return Area(area)
    return None


def _indicator_name(item: str) -> str:
    lowered = " ".join(item.lower().replace("_", " ").replace("-", " ").split())
    for name, words in COMPONENT_WORDS.items():
        if lowered == name or lowered in words:
            return name
    return item.strip()


def _prove_items(
    prover: _Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
) -> None:
    for j, item in enumerate(answer.items):
        where = f"{path}.items[{j}]"
        area = _area_of(item.item)
        scale = _OVERALL if area is not None else _INDICATOR
        rating = rating_value(item.rating, scale)
        if rating is None:
            prover.drop(where, item.sentence, f"not a rating: {item.rating!r}")
            continue
        if item.item.strip().lower() in ("overall", "last year", "previous year"):
            continue
        if area is not None:
            _prove_area(prover, context, item.sentence, where, area, rating, assessment)
            continue
        name = _indicator_name(item.item)
        if any(i.name.lower() == name.lower() for i in assessment.indicators):
            continue

        def rates(n: int, name: str = name, rating: str = rating) -> bool:
            return _rates_item(prover, context, n, name, rating)

        number = prover.first_passing(context, item.sentence, rates)
        if number is None:
            prover.drop(where, item.sentence, f"no sentence about the CCG rates {name!r} so")
            continue
        evidence = prover.sentence(number).evidence
        assessment.indicators.append(
            Indicator.model_validate({"name": name, "rating": rating, "evidence": evidence})
        )


def _prove_area(
    prover: _Prover,
    context: CcgContext,
    cited: int | None,
    where: str,
    area: Area,
    rating: str,
    assessment: Assessment,
) -> None:
    if any(known.area == area for known in assessment.areas):
        return
    words = AREA_WORDS[area.value]

    def rates(n: int) -> bool:
        return prover.speaks_for(context, n) and rating in ratings_of_item(
            prover.sentence(n).text, words
        )

    number = prover.first_passing(context, cited, rates)
    if number is None:
        prover.drop(where, cited, f"no sentence about the CCG rates {area.value} so")
        return
    evidence = prover.sentence(number).evidence
    assessment.areas.append(AreaRating(area=area, rating=Rating(rating), evidence=evidence))


def _rates_item(prover: _Prover, context: CcgContext, number: int, name: str, rating: str) -> bool:
    """The sentence gives the named item this rating: the item's words are written and the
    rating is theirs ("Finance - Good", "rated green for leadership")."""
    text = prover.sentence(number).text
    if not prover.speaks_for(context, number):
        return False
    words = COMPONENT_WORDS.get(name)
    if words is None:
        if not names_indicator(text, name):
            return False
        words = (name.lower(),) if name.lower() in text.lower() else ()
        if not words:
            return states_rating(text, rating) and len({r for _, _, r in rating_terms(text)}) == 1
    return rating in ratings_of_item(text, words)


_AHEAD = re.compile(
    r"\b(?:forecast\w*|plan(?:s|ned|ning)?\s+(?:for|in)|operating\s+plan|budget\s+for|"
    r"next|coming|will|expect\w*|ahead|into)\b[^,;.]*$",
    re.IGNORECASE,
)


def _past_years(sentence: str) -> list[str]:
    """The years a sentence writes, but not a year it looks ahead to ("forecasting a
    shortfall in 2016-17", "an operating plan for 2016-17")."""
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
        if rating_terms(sentence.text) or _ABOUT_RATING.search(sentence.text)
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
