"""Prove what else the model said of a CCG: its clinical areas' and framework items' ratings
("Cancer - Good", "rated good for cancer and dementia", "Planning was rated as good") and
whether finances drove its rating (a sentence about the CCG that ties money to the rating:
a deficit behind a poor rating, a control total met behind a good one). Each claim needs a
sentence about the CCG that states it (`proof.prover.Prover`); code also reads what such
sentences set out unmistakably when the model said nothing."""

from __future__ import annotations

import re

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
from extractor.proof.prover import ABOUT_RATING, INDICATOR, OVERALL, Prover, rating_value
from extractor.proof.sentence_checks import names_indicator
from extractor.schema import Area, AreaRating, Assessment, Indicator, Rating
from extractor.text.phrases import AREA_WORDS
from extractor.text.rating_terms import (
    COMPONENT_WORDS,
    item_spans,
    rating_terms,
    ratings_of_item,
    ratings_set_out,
    speaks_of_money,
    states_rating,
)
from extractor.text.table_columns import cells, column_cell

__all__ = ["prove_finances", "prove_items", "prove_plain_finances", "prove_plain_items"]

_OTHER_BODY = re.compile(
    r"\b(?:trusts?|hospitals?|councils?|CQC|Care Quality Commission|practices?|surger(?:y|ies)|"
    r"foundation|providers?|ambulance)\b",
    re.IGNORECASE,
)
_PROBLEM = ("problem", "problems", "concern", "concerns", "true", "yes", "bad", "poor", "deficit")
_SOUND = ("sound", "good", "false", "no", "fine", "healthy", "strong")


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


def prove_finances(
    prover: Prover, context: CcgContext, answer: CcgAnswer, path: str, assessment: Assessment
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
            and (bool(rating_terms(text)) or ABOUT_RATING.search(text) is not None)
            and not _rates_finance_only(text)
            and (concern or _MONEY_SOUND.search(text) is not None or _denies_money(text))
            and not (concern and _denies_money(text))  # "finance was not a factor"
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
    r"concerns?|cite[sd]?|blame\w*|held back|put down|heart of|key|main|principal\w*|"
    r"counted\s+(?:in|towards|for|against)|"
    r"weigh\w*\s+(?:\w+\s+)?on|dragged\s+down|pulled\s+down)\b",
    re.IGNORECASE,
)
_MONEY_TROUBLE = re.compile(
    r"\b(?:deficits?|overspen\w*|shortfall|adrift|debts?|fail\w*|concerns?|difficult\w*|"
    r"challeng\w*|pressures?|problems?|worsening|deteriorat\w*|missed|held back|weak\w*|"
    r"over budget|in the red|(?:not|n't|never|failed\s+to)\s+(?:hit|meet|met|achieve|deliver)|"
    r"(?:overs?ho\w+|overr[au]n\w*|breach\w*|went\s+over|blew)\s+(?:[\w'\u2019]+\s+){0,2}?"
    r"(?:budgets?|allocations?|control totals?|financial plans?)|"
    r"exceed\w*\s+(?:[\w'\u2019]+\s+){0,2}?(?:budgets?|allocations?))\b",
    re.IGNORECASE,
)
"""Money trouble: a deficit, an overspend, a failure, a budget or plan overshot, breached
or exceeded."""
_MONEY_SOUND = re.compile(
    r"\b(?:surplus\w*|balanc\w+\s+(?:its|the|their)\s+(?:books|budget)|"
    r"(?:hit|hitting|met|meet|meeting|achiev\w+|deliver\w*)\s+(?:[\w'\u2019]+\s+){0,3}?"
    r"(?:control totals?|financial (?:targets?|plans?|dut\w+))|"
    r"(?:good|sound|strong|robust|healthy)\s+financ\w*)",
    re.IGNORECASE,
)


_MONEY_DENIED = re.compile(
    r"\b(?:rather\s+than|instead\s+of|nothing\s+to\s+do\s+with|unrelated\s+to|"
    r"not\s+(?:down\s+to|due\s+to|because\s+of|about|related\s+to|linked\s+to|"
    r"(?:a|the)\s+(?:result|reflection)\s+of|driven\s+by|caused\s+by))\s+(?:to\s+|by\s+)?"
    r"(?:its|their|the\s+CCG'?s|the)?\s*(?:financ\w*|money|budget|deficit|spending)|"
    r"\b(?:financ\w*|money|budget)\s+(?:was|were|is|are)\s+not\s+(?:a|the|an)\s+"
    r"(?:\w+\s+)?(?:issue|factor|reason|problem|cause)\b|"
    r"\b(?:not|n't|never)\s+(?:been\s+|be\s+)?(?:counted|count|held|weighed|told)\s+against\b",
    re.IGNORECASE,
)
"""Words that deny money was the cause ("put down to emergency admissions rather than to its
finances", "not down to money", "had nothing to do with its budget", "not a reflection of its
finances", "finance was not a factor")."""


def _denies_money(text: str) -> bool:
    """The sentence says money was not the cause ("finance was not a factor")."""
    return _MONEY_DENIED.search(text) is not None


_FINANCES_AS_CAUSE = re.compile(
    r"\b(?:financial\s+(?:position|situation|performance|picture)|finances|money)\b[^.;]*?"
    r"\b(?:factor|reason|cause|behind|driv\w+|down to)\b|"
    r"\b(?:factor|reason|cause|driven|down to|reflect\w*)\b[^.;]*?\b(?:financ\w+|money)\b",
    re.IGNORECASE,
)


_FINANCE_COMPONENT = re.compile(
    r"\bfinanc\w*\s+(?:rating|component|score|domain|grade)\b", re.IGNORECASE
)
"""The rating of the finance component itself ("the finance rating reflected a deficit")."""


def _rates_finance_only(text: str) -> bool:
    """The sentence rates the finance component and gives no cause ("Finance: Good"), or
    speaks of the finance component's own rating ("the finance rating reflected a deficit"):
    a component's rating, not finances behind the overall rating."""
    if _FINANCE_COMPONENT.search(text):
        return True
    return bool(ratings_set_out(text, COMPONENT_WORDS["finance"])) and not _CAUSE.search(text)


def prove_plain_finances(prover: Prover, context: CcgContext, assessment: Assessment) -> None:
    """Whether finances drove the rating, from the first sentence about the CCG that ties
    money to the rating with a cause ("reflects", "main reason", "after", "driven by"):
    a concern when it names money trouble (a deficit, a failure, financial challenges) or
    names its finances as the cause of a poor rating ("its financial position as the main
    factor behind the rating"), not one when it names only sound finances (a surplus, a
    control total met); a sentence that denies money was the cause ("rather than to its
    finances", "had nothing to do with money") is a finding of no concern."""
    for number in sorted(context.relations):
        text = prover.sentence(number).text
        if context.relations[number] == "heading" or not prover.speaks_for(context, number):
            continue
        about_rating = bool(rating_terms(text)) or ABOUT_RATING.search(text) is not None
        if _FINANCE_COMPONENT.search(text):
            continue  # "the finance rating reflected a deficit": the component's own rating
        if speaks_of_money(text) and about_rating and _denies_money(text):
            assessment.financial_concerns = False  # "... rather than to its finances"
            assessment.financial_evidence = prover.sentence(number).evidence
            return
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
        scale = OVERALL if area is not None else INDICATOR
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
