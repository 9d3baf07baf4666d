"""Prove a CCG's areas and indicators: the ratings of its clinical areas and of the items of
the assessment framework ("Cancer - Good", "rated good for cancer and dementia", "Planning
was rated as good", "a 'green' rating for leadership").

Each claim of the narrow questions (`prove_items`) needs a sentence about the CCG that
states the rating and gives it to that area or item (`sentence_tools.Prover`); code also reads what
such sentences set out unmistakably when the model said nothing (`prove_plain_items`): in a
sentence about the CCG alone or in one list with others, for each member of a group of
known members all rated alike, for every CCG of the article in a clause that counts them
all, and, in a table written with "|", the cell in the CCG's column (`text.table_columns`);
a sentence that does not name the CCG and speaks of a trust, council or hospital sets out
none.

A first answer's areas and indicators (`grounded_areas_and_indicators`) are kept when their
evidence is found, states the rating and gives it to that area (in a sentence of several
ratings, the area's clause: `ratings_given_to`) or names the indicator (`names_indicator`).
"""

from __future__ import annotations

import re
from typing import get_args

from extractor.answer.article import AnswerAssessment
from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import CcgContext
from extractor.names.groups import (
    counts_ccgs,
    group_rated,
    group_size,
    members_rated,
    partial_group,
    whole_group_clause,
)
from extractor.proof.sentence_tools import OVERALL, Grounder, Prover
from extractor.schema import Area, AreaRating, Assessment, Indicator, IndicatorRating, Rating
from extractor.text.phrases import (
    AREA_WORDS,
    CLAUSE_BREAK,
    OVERALL_RATINGS,
    RATING_PHRASES,
    overall_ratings_stated,
    phrase_positions,
    states,
)
from extractor.text.rating_terms import (
    COMPONENT_WORDS,
    item_spans,
    rating_terms,
    rating_value,
    ratings_of_item,
    ratings_set_out,
    states_rating,
)
from extractor.text.table_columns import cells, column_cell

__all__ = [
    "grounded_areas_and_indicators",
    "names_indicator",
    "pairs_area_with_rating",
    "prove_items",
    "prove_plain_items",
    "ratings_given_to",
]

_OTHER_BODY = re.compile(
    r"\b(?:trusts?|hospitals?|councils?|CQC|Care Quality Commission|practices?|surger(?:y|ies)|"
    r"foundation|providers?|ambulance)\b",
    re.IGNORECASE,
)


def prove_plain_items(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
    """Areas and framework items a sentence about the CCG alone (not about a trust or
    council, nor naming another CCG except in one list with it: "A and B were both rated
    good for cancer"), or about a group of known members all rated alike, sets out one
    rating for (`ratings_set_out`: "Cancer - Good", "rated good for cancer and dementia",
    "Finance: requires improvement"); in a sentence that names others, only a clause rating
    every CCG of the article ("..., while all four CCGs were rated ... for mental health")."""
    for number in range(1, len(prover.sentences) + 1):
        relation = context.relations.get(number, "")
        text = _read_for(prover, context, number)
        mine, others = prover.positions(context, prover.sentence(number))
        if text != prover.sentence(number).text:
            others = []  # a row of a table with CCGs as columns: the CCG's own cell
        if others and not set(others) <= set(mine):  # not one list with the CCG ("A and B")
            clause = whole_group_clause(
                text, [at for at, _ in prover.named_in(number)], len(prover.contexts)
            )
            if clause is None:
                continue
            text = clause  # "..., while all four CCGs were rated ... for mental health"
        elif not prover.speaks_for(context, number) or (
            _about_a_group(text, relation) and not _rates_a_known_group(prover, number)
        ):
            continue
        if relation != "own" and _OTHER_BODY.search(text):
            continue
        for _, _, item in item_spans(text):
            words = AREA_WORDS.get(item) or COMPONENT_WORDS[item]
            given = ratings_set_out(text, words)
            if len(given) != 1:
                continue
            (rating,) = given
            evidence = prover.sentence(number).evidence
            if item in AREA_WORDS:
                if rating in OVERALL and not any(a.area == item for a in assessment.areas):
                    area = AreaRating(area=Area(item), rating=Rating(rating), evidence=evidence)
                    assessment.areas.append(area)
            elif not any(_same_item(i.name, words) for i in assessment.indicators):
                assessment.indicators.append(
                    Indicator.model_validate({"name": item, "rating": rating, "evidence": evidence})
                )


def _read_for(prover: Prover, context: CcgContext, number: int) -> str:
    """The sentence as it speaks of the CCG: a row of a table with CCGs as columns reads as
    its item and the CCG's own cell ("Cancer - Good"), or as nothing when the CCG has no
    column (`table_columns`); any other sentence as written."""
    text = prover.sentence(number).text
    if not cells(text):
        return text
    names = {
        n: [(at, other is context) for at, other in prover.named_in(n)] for n in range(1, number)
    }
    read = column_cell(prover.sentences, number, names)
    if read is None:
        return text
    return f"{read[0]} - {read[1]}" if read[0] else ""


def _about_a_group(text: str, relation: str) -> bool:
    """A sentence that rates through a group, or one that follows a CCG's and speaks of a
    group ("Both were ...", "The CCGs rated good were also ...")."""
    if relation == "group":
        return True
    spoken_of = (group_size(text), members_rated(text), group_rated(text))
    return relation == "follow" and (
        any(found is not None for found in spoken_of) or partial_group(text)
    )


def _rates_a_known_group(prover: Prover, number: int) -> bool:
    """A group sentence rates each member alike ("All six CCGs were rated green in ...",
    "Both were rated good for cancer"), and no more CCGs speak through it than it counts
    (an article may leave a member unnamed, but a sentence about "all six CCGs" does not
    rate the thirty of a round-up)."""
    text = prover.sentence(number).text
    if members_rated(text) is not None or group_rated(text) is not None:
        return False  # "two of the three", "none of", "the CCGs rated inadequate"
    members = [c for c in prover.contexts if number in c.relations]
    size = group_size(text)
    if size is not None and not counts_ccgs(text):
        return len(members) == size  # a bare count ("All five were ...") is the CCGs named
    return size is not None and 0 < len(members) <= size


def _same_item(name: str, words: tuple[str, ...]) -> bool:
    """Whether an indicator already kept is the item ("Patient and Community Engagement
    Indicator" is engagement)."""
    lowered = name.lower().replace("-", " ")
    return any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in words)


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


_NOT_ITEMS = frozenset(
    {"overall", "last year", "previous year", "care", "services", "service", "health",
     "treatment", "support", "quality", "patients"}
)  # fmt: skip
_FRAMEWORK_WORD = re.compile(
    r"\b(?:indicators?|domains?|leadership|engagement|management|governance|well[- ]led|"
    r"financ\w*|performance|planning|care|health|sustainab\w*|quality|commissioning|"
    r"assurance|outcomes?|safety)\b",
    re.IGNORECASE,
)
"""The words of what the framework rates besides the clinical areas ("Patient and Community
Engagement Indicator", "quality of leadership"); a person or a place is no such item."""


def prove_items(
    prover: Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
) -> None:
    for j, item in enumerate(answer.items):
        where = f"{path}.items[{j}]"
        area = _area_of(item.item)
        scale = OVERALL if area is not None else get_args(IndicatorRating)
        rating = rating_value(item.rating, scale)
        if rating is None:
            prover.drop(where, item.sentence, f"not a rating: {item.rating!r}")
            continue
        if item.item.strip().lower() in _NOT_ITEMS:
            continue  # "care" of "Cancer care was rated outstanding" is no item of its own
        if area is not None:
            _prove_area(prover, context, item.sentence, where, area, rating, assessment)
            continue
        name = _indicator_name(item.item)
        if any(i.name.lower() == name.lower() for i in assessment.indicators):
            continue
        if name not in COMPONENT_WORDS and not _FRAMEWORK_WORD.search(name):
            prover.drop(where, item.sentence, f"not an item the framework rates: {name!r}")
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
    prover: Prover,
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
            _read_for(prover, context, n), words
        )

    number = prover.first_passing(context, cited, rates)
    if number is None:
        prover.drop(where, cited, f"no sentence about the CCG rates {area.value} so")
        return
    evidence = prover.sentence(number).evidence
    assessment.areas.append(AreaRating(area=area, rating=Rating(rating), evidence=evidence))


def _rates_item(prover: Prover, context: CcgContext, number: int, name: str, rating: str) -> bool:
    """The sentence gives the named item this rating: the item's words are written and the
    rating is theirs ("Finance - Good", "rated green for leadership")."""
    text = _read_for(prover, context, number)
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


def grounded_areas_and_indicators(
    raw: AnswerAssessment, path: str, grounder: Grounder
) -> tuple[dict[str, AreaRating], dict[str, Indicator]]:
    """A first answer's area and indicator ratings for one CCG, each kept when its evidence is
    found, states the rating and gives it to that area (an area's other rating, "good for
    cancer but inadequate for dementia", proves nothing) or names that indicator; an
    "indicator" that is the overall rating or a rating word is dropped, and one naming
    clinical areas with an overall-scale rating ("cancer and dementia services: good") is
    those areas' rating. Keyed by area, and by indicator name in lower case."""
    areas: dict[str, AreaRating] = {}
    for j, area in enumerate(raw.areas):
        found = grounder.find(
            area.evidence,
            f"{path}.areas[{j}]",
            must_state=(RATING_PHRASES[area.rating.value], AREA_WORDS[area.area.value]),
        )
        words = AREA_WORDS[area.area.value]
        if found is not None and not pairs_area_with_rating(found.quote, words, area.rating.value):
            grounder.drop(f"{path}.areas[{j}]", area.evidence, _ANOTHER_AREA_RATING)
            continue
        if found is not None and area.area.value not in areas:
            areas[area.area.value] = AreaRating(area=area.area, rating=area.rating, evidence=found)
    indicators: dict[str, Indicator] = {}
    for j, indicator in enumerate(raw.indicators):
        if re.fullmatch(r"\s*overall( rating)?\s*", indicator.name, re.IGNORECASE):
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "the overall rating is not an indicator")
            continue
        if "_".join(indicator.name.lower().split()) in RATING_PHRASES:
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "a rating word is not an indicator's name")
            continue
        named_areas = _areas_named(indicator.name)
        if named_areas and indicator.rating not in _TRAFFIC_LIGHTS:
            # "cancer and dementia services: good" is an area rating filed as an indicator
            for named in named_areas:
                found = grounder.find(
                    indicator.evidence,
                    f"{path}.indicators[{j}]",
                    must_state=(RATING_PHRASES[indicator.rating], AREA_WORDS[named.value]),
                )
                words = AREA_WORDS[named.value]
                if found is not None and not pairs_area_with_rating(
                    found.quote, words, indicator.rating
                ):
                    grounder.drop(
                        f"{path}.indicators[{j}]", indicator.evidence, _ANOTHER_AREA_RATING
                    )
                    continue
                if found is not None and named.value not in areas:
                    rating = Rating(indicator.rating)
                    areas[named.value] = AreaRating(area=named, rating=rating, evidence=found)
            continue
        found = grounder.find(
            indicator.evidence,
            f"{path}.indicators[{j}]",
            must_state=(RATING_PHRASES[indicator.rating],),
        )
        if found is not None and not names_indicator(found.quote, indicator.name):
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "evidence does not name this indicator")
            continue
        key = indicator.name.strip().lower()
        if found is not None and key and key not in indicators:
            indicators[key] = Indicator(
                name=indicator.name.strip(), rating=indicator.rating, evidence=found
            )
    return areas, indicators


_ANOTHER_AREA_RATING = "the evidence gives this area another of its ratings"
_TRAFFIC_LIGHTS = frozenset({"green", "amber", "red"})


def _areas_named(name: str) -> list[Area]:
    """Clinical areas an indicator's name mentions ("cancer and dementia services")."""
    words_only = name.replace("_", " ")
    return [Area(area) for area, words in AREA_WORDS.items() if states(words_only, words)]


_GENERIC_NAME_WORDS = frozenset(
    {"the", "and", "for", "rating", "ratings", "indicator", "indicators", "domain", "score"}
)


def names_indicator(sentence: str, name: str) -> bool:
    """True when the sentence holds every distinctive word of an indicator's name: "leadership:
    good" needs "leadership"; "awarded an overall rating of Good" rates no indicator."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("_", " "))
    distinctive = [w for w in words if len(w) >= 3 and w not in _GENERIC_NAME_WORDS]
    return all(states(sentence, (word,)) for word in distinctive)


def ratings_given_to(sentence: str, area_words: tuple[str, ...]) -> set[str]:
    """The overall-scale ratings a sentence gives an area, reading each mention of the area
    with the nearest rating before it in its clause (else after it in the clause, else the
    nearest before it in the sentence: "rated good for cancer and dementia and requires
    improvement for maternity, mental health and learning disabilities")."""
    ratings = sorted(
        (position, rating)
        for rating in OVERALL_RATINGS
        for position in phrase_positions(sentence, RATING_PHRASES[rating])
    )
    breaks = [m.start() for m in CLAUSE_BREAK.finditer(sentence)]
    given: set[str] = set()
    for at in phrase_positions(sentence, area_words):
        clause_start = max((b for b in breaks if b < at), default=-1)
        clause_end = min((b for b in breaks if b > at), default=len(sentence))
        before = [r for p, r in ratings if p < at]
        in_clause_before = [r for p, r in ratings if clause_start < p < at]
        in_clause_after = [r for p, r in ratings if at < p < clause_end]
        after = [r for p, r in ratings if p > at]
        for candidates, pick in (
            (in_clause_before, -1),
            (in_clause_after, 0),
            (before, -1),
            (after, 0),
        ):
            if candidates:
                given.add(candidates[pick])
                break
    return given


def pairs_area_with_rating(sentence: str, area_words: tuple[str, ...], rating: str) -> bool:
    """False when a sentence stating several ratings gives the area another one."""
    if len(overall_ratings_stated(sentence)) < 2:
        return True
    return rating in ratings_given_to(sentence, area_words)
