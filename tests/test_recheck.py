"""Unit tests for `extractor.model.recheck`: asking again about a CCG its own sentence rates."""

from __future__ import annotations

import asyncio
from typing import Any

from extractor.answer.article import AnswerAssessment, AnswerIndicator, ArticleAnswer
from extractor.errors import ModelCallError
from extractor.model.client import CallOutcome, ModelClient
from extractor.model.recheck import MAX_RECHECKS, recheck_ratings, recheck_turn, with_rechecked
from extractor.proof.assemble import Assembled, assemble
from extractor.proof.overall import CONTRADICTED
from extractor.schema import Rating, Usage
from tests.scripted_client import ScriptedClient

ARTICLE = (
    "Three of the four CCGs in Lakeshire have been rated inadequate for 2022/23. "
    "All four CCGs were rated green for patient engagement. "
    "Hillside CCG kept its good rating after meeting its control total. "
    "North Lakeshire CCG missed its control total."
)
GROUP = "Three of the four CCGs in Lakeshire have been rated inadequate for 2022/23"
HILLSIDE_SENTENCE = "Hillside CCG kept its good rating after meeting its control total."
TEMPLATE = "Sentences naming {{ccg}}:\n{{ccg_sentences}}\nWhat is its rating?"
MESSAGES = [{"role": "system", "content": "S"}, {"role": "user", "content": ARTICLE}]
ENGAGEMENT = AnswerIndicator(
    name="patient engagement",
    rating="green",
    evidence="All four CCGs were rated green for patient engagement",
)


def rated(ccg: str, overall: Rating | None, evidence: str | None, **more: Any) -> AnswerAssessment:
    fields: dict[str, Any] = {
        "ccg": ccg,
        "year": "2022/23",
        "evidence": evidence,
        "overall": overall,
        "previous_overall": None,
        "financial_concerns": True,
        "areas": [],
        "indicators": [ENGAGEMENT],
    }
    return AnswerAssessment(**{**fields, **more})


def article_answer(*assessments: AnswerAssessment) -> ArticleAnswer:
    return ArticleAnswer(
        published=None, assessments=list(assessments), national=None, metrics=[], quotes=[]
    )


def called(answer: ArticleAnswer, tokens: int = 100) -> CallOutcome:
    usage = Usage(prompt_tokens=tokens, completion_tokens=tokens // 10, attempts=1)
    return CallOutcome(answer=answer, usage=usage, validated=True)


FIRST = article_answer(
    rated("North Lakeshire CCG", Rating.inadequate, GROUP),
    rated("Hillside CCG", Rating.inadequate, GROUP),
)
HILLSIDE_AGAIN = article_answer(
    rated(
        "Hillside CCG",
        Rating.good,
        HILLSIDE_SENTENCE,
        year=None,
        previous_overall=Rating.good,
        financial_concerns=False,
        indicators=[],
    )
)


def recheck(
    client: ScriptedClient, first: ArticleAnswer = FIRST, article: str = ARTICLE
) -> tuple[CallOutcome, Assembled]:
    fake: Any = client
    typed: ModelClient = fake
    outcome = called(first, tokens=1000)
    outcome.first_answer = first
    grounded = assemble(first, article)
    return asyncio.run(
        recheck_ratings(typed, MESSAGES, outcome, grounded, TEMPLATE, article, doc_id="d")
    )


def by_name(assembled: Assembled) -> dict[str, Any]:
    return {a.ccg.as_written: a for a in assembled.extraction.assessments}


def test_the_recheck_shows_the_sentences_naming_the_ccg_and_not_its_first_rating() -> None:
    client = ScriptedClient(called(HILLSIDE_AGAIN))
    recheck(client)
    [sent] = client.sent
    assert sent[:2] == MESSAGES
    assert sent[2] == {"role": "assistant", "content": FIRST.model_dump_json()}
    assert sent[3] == {
        "role": "user",
        "content": f"Sentences naming Hillside CCG:\n- {HILLSIDE_SENTENCE}\nWhat is its rating?",
    }


def test_the_model_s_new_rating_is_grounded_and_the_first_one_stays_listed_as_dropped() -> None:
    outcome, assembled = recheck(ScriptedClient(called(HILLSIDE_AGAIN)))
    hillside = by_name(assembled)["Hillside CCG"]
    assert hillside.overall == Rating.good
    assert hillside.previous_overall == Rating.good
    assert hillside.financial_concerns is False
    assert hillside.year == "2022/23"  # the recheck left the year out; the first one holds
    assert hillside.evidence.quote == HILLSIDE_SENTENCE
    assert [i.name for i in hillside.indicators] == ["patient engagement"]  # kept
    assert by_name(assembled)["North Lakeshire CCG"].overall == Rating.inadequate
    [earlier] = [d for d in assembled.dropped if d.path.startswith("(first answer)")]
    assert earlier.path == "(first answer) assessments[1].overall"
    assert earlier.reason.startswith(CONTRADICTED) and "asked again" in earlier.reason
    assert outcome.usage == Usage(prompt_tokens=1100, completion_tokens=110, attempts=2)


def test_a_recheck_that_repeats_the_group_rating_is_dropped_again() -> None:
    same = article_answer(rated("Hillside CCG", Rating.inadequate, GROUP))
    _, assembled = recheck(ScriptedClient(called(same)))
    assert by_name(assembled)["Hillside CCG"].overall is None
    paths = [(d.path, d.reason) for d in assembled.dropped if d.path.endswith("[1].overall")]
    assert ("assessments[1].overall", CONTRADICTED) in paths
    assert len(paths) == 2  # the first answer's drop and the recheck's


def test_a_failed_recheck_keeps_what_grounding_kept_and_says_why() -> None:
    failure = ModelCallError("server down", doc_id="d", usage=Usage(prompt_tokens=7))
    outcome, assembled = recheck(ScriptedClient(failure))
    assert outcome.followup_error == "(recheck) server down"
    assert outcome.usage.prompt_tokens == 1007
    assert by_name(assembled)["Hillside CCG"].overall is None
    assert [d.path for d in assembled.dropped if d.path.startswith("(first answer)")] == []


def test_no_contradiction_means_no_request() -> None:
    agreed = article_answer(rated("North Lakeshire CCG", Rating.inadequate, GROUP))
    client = ScriptedClient()
    outcome, assembled = recheck(client, agreed)
    assert client.sent == []
    assert by_name(assembled)["North Lakeshire CCG"].overall == Rating.inadequate
    assert outcome.usage.attempts == 1


def test_at_most_max_rechecks_ccgs_are_asked_about() -> None:
    names = [f"Hill {n} CCG" for n in range(MAX_RECHECKS + 1)]
    article = " ".join([f"{GROUP}."] + [f"{name} kept its good rating." for name in names])
    first = article_answer(*(rated(name, Rating.inadequate, GROUP) for name in names))
    client = ScriptedClient(*(called(article_answer()) for _ in names))
    recheck(client, first, article)
    assert len(client.sent) == MAX_RECHECKS


def test_slots_are_filled_in_one_pass() -> None:
    turn = recheck_turn("{{ccg}} | {{ccg_sentences}}", "A {{ccg_sentences}} CCG", ("{{ccg}}",))
    assert turn == "A {{ccg_sentences}} CCG | - {{ccg}}"


def test_a_later_answer_without_the_ccg_changes_nothing() -> None:
    other = article_answer(rated("North Lakeshire CCG", Rating.good, "rated good"))
    assert with_rechecked(FIRST, "Hillside CCG", other) == FIRST
    assert (
        with_rechecked(FIRST, "Hillside CCG", HILLSIDE_AGAIN).assessments[0]
        == (FIRST.assessments[0])
    )
