"""Prove whether finances drove a CCG's rating: a sentence about the CCG must tie money to
the rating.

For a first answer (`financial_evidence`, a sentence about the CCG as
`sentence_tools.AnsweredCcg` finds it): finances drove the rating when a sentence speaks of
money and of the rating and names a problem ("its rating reflects a growing overspend");
they did not when it names sound finances and no problem ("it kept its rating after
meeting its savings target").

For the narrow questions (`prove_finances`, `prove_plain_finances`, with `sentence_tools.Prover`):
the model's finding ("problem", "deficit", "sound", ...) needs a sentence about the CCG
that speaks of money and of a rating, is not the finance component's own rating
("Finance: Good", "the finance rating reflected a deficit"), and for sound finances names
them (a surplus, a control total met) or denies money was the cause; a sentence denying it
("put down to emergency admissions rather than to its finances", "finance was not a
factor", or any clause naming no money trouble whose money word is negated toward the
rating: "money was not what earned it its rating", "finances played no part in the
assessment"; not "no money left") proves no concern. When the model says nothing, the first
sentence about the CCG that ties money to the rating with a cause ("reflects", "main
reason", "after", "driven by", "weighed heavily on") gives it: a concern when it names
money trouble (a deficit, an overspend, a budget overshot) or names finances as the cause
of a poor rating, none when it names only sound finances.
"""

from __future__ import annotations

import re

from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import CcgContext
from extractor.proof.sentence_tools import AnsweredCcg, Prover
from extractor.schema import Assessment, Evidence, Rating
from extractor.text.phrases import ABOUT_RATING
from extractor.text.rating_terms import (
    COMPONENT_WORDS,
    rating_terms,
    ratings_set_out,
    speaks_of_money,
)

__all__ = ["financial_evidence", "prove_finances", "prove_plain_finances"]

_MONEY = re.compile(
    r"\bfinanc|\bdeficit|\bcontrol total|\bbudget|\bsurplus|\boverspen|\bsavings?\b",
    re.IGNORECASE,
)
_ABOUT_A_RATING = re.compile(r"\brat(?:ed|ing|ings)\b|\bassess", re.IGNORECASE)
_MONEY_PROBLEM = re.compile(
    r"\bchalleng|\bconcern|\bdeficit|\bpressure|\bstrain|\bproblem|\bdifficult|\bdeteriorat"
    r"|\boverspen|\bshortfall|\bdebt|\bpoor\b|\bweak|\bworsen|\bstruggl|\bfail"
    r"|\bmiss(?:ed|es|ing)?\b|\b(?:not|never) (?:met|meet|hit|achiev)",
    re.IGNORECASE,
)
_SOUND_MONEY = re.compile(
    r"\bgood\b|\bstrong|\bsound\b|\bhealthy\b|\bhit(?:s|ting)?\b|\bmet\b|\bmeet(?:s|ing)?\b"
    r"|\bachiev|\bbalanced?\b|\bsurplus|\bwithin budget\b|\bon track\b",
    re.IGNORECASE,
)


def financial_evidence(ccg: AnsweredCcg, concerns: bool) -> Evidence | None:
    """The first sentence about the CCG that ties its rating to finances: to a money problem
    when `concerns`, else to sound finances (and no problem), or None."""
    for sentence in ccg.sentences(_MONEY):
        text = sentence.quote
        if not _ABOUT_A_RATING.search(text):
            continue
        problem = _MONEY_PROBLEM.search(text) is not None
        if concerns and problem:
            return sentence
        if not concerns and not problem and _SOUND_MONEY.search(text):
            return sentence
    return None


_PROBLEM = ("problem", "problems", "concern", "concerns", "true", "yes", "bad", "poor", "deficit")
_SOUND = ("sound", "good", "false", "no", "fine", "healthy", "strong")


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
            and _about_rating(text)
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


def _about_rating(text: str) -> bool:
    """The text states a rating or speaks of one ("rated", "assessment", "verdict")."""
    return bool(rating_terms(text)) or ABOUT_RATING.search(text) is not None


_CAUSE_MONEY = re.compile(r"\b(?:financ\w*|money|books|budgets?|cash)\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|no|nothing|never|neither|none)\b|n't\b", re.IGNORECASE)
_NEAR_WORDS = 5
_MONEY_LACKED = re.compile(r"\b(?:no|not\s+enough|too\s+little)\s+(?:\w+\s+)?$", re.IGNORECASE)
_NEGATED_TROUBLE = re.compile(r"\b(?:not|never|no)\s+(?:(?:a|an|the)\s+)?(?:\w+\s+)?$", re.I)


def _negated_between(clause: str, money: re.Match[str]) -> bool:
    """A negation within a few words of the money word, on the side facing a word about the
    rating: "money was not what earned it its rating", "the rating had nothing to do with
    its books", "finances played no part in the assessment"."""
    if _MONEY_LACKED.search(clause[: money.start()]):
        return False  # "no money left", "not enough cash": money missing, not denied
    before = clause[: money.start()].split()[-_NEAR_WORDS:]
    after = clause[money.end() :].split()[:_NEAR_WORDS]
    denied_before = _NEGATION.search(" ".join(before)) is not None
    denied_after = _NEGATION.search(" ".join(after)) is not None
    return (denied_before and _about_rating(clause[: money.start()])) or (
        denied_after and _about_rating(clause[money.end() :])
    )


def _denies_money(text: str) -> bool:
    """The sentence says money was not the cause ("finance was not a factor"): in words
    known to say so, or a clause naming no money trouble whose money word is negated
    toward the rating (`_negated_between`)."""
    if _MONEY_DENIED.search(text) is not None:
        return True
    for clause in re.split(r"[;:]", text):
        if any(
            not _NEGATED_TROUBLE.search(clause[: trouble.start()])
            for trouble in _MONEY_TROUBLE.finditer(clause)
        ):
            continue  # "it did not meet its control total" is trouble; "never the problem" no
        if any(_negated_between(clause, m) for m in _CAUSE_MONEY.finditer(clause)):
            return True
    return False


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
        about_rating = _about_rating(text)
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
