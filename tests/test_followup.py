"""Unit tests for `extractor.model.follow_up`: later turns for left-out figures and quotations."""

from __future__ import annotations

import asyncio
from typing import Any

from extractor.answer.article import (
    AnswerAssessment,
    AnswerMetric,
    AnswerNational,
    AnswerQuote,
    ArticleAnswer,
)
from extractor.errors import ModelCallError
from extractor.model.client import CallOutcome, ModelClient
from extractor.model.follow_up import ask_with_followup, merge_followup
from extractor.schema import Usage
from tests.scripted_client import ScriptedClient


def outcome(metrics: list[AnswerMetric], quotes: list[AnswerQuote], tokens: int) -> CallOutcome:
    answer = ArticleAnswer(
        published=None, assessments=[], national=None, metrics=metrics, quotes=quotes
    )
    return CallOutcome(
        answer=answer,
        usage=Usage(prompt_tokens=tokens, completion_tokens=tokens // 10, attempts=1),
        validated=True,
    )


def metric(value: float, evidence: str) -> AnswerMetric:
    return AnswerMetric(evidence=evidence, name="m", value=value, unit="%", ccg=None)


def quote(text: str) -> AnswerQuote:
    return AnswerQuote(speaker="Jane Doe", role=None, organisation=None, text=text)


FIRST = outcome([metric(72, "72 per cent were seen")], [], 1000)
SECOND = outcome(
    [metric(72, "72 per cent were seen "), metric(5.5, "5.5 stillbirths")],
    [quote("We are delighted")],
    300,
)


def test_merge_adds_only_new_metrics_and_quotes_and_sums_usage() -> None:
    merged = merge_followup(FIRST, SECOND)
    assert [m.value for m in merged.answer.metrics] == [72, 5.5]
    assert [q.text for q in merged.answer.quotes] == ["We are delighted"]
    assert merged.usage == Usage(prompt_tokens=1300, completion_tokens=130, attempts=2)


MESSAGES = [{"role": "system", "content": "S"}, {"role": "user", "content": "A"}]


def run(client: ScriptedClient, *followups: str) -> CallOutcome:
    fake: Any = client
    typed: ModelClient = fake
    return asyncio.run(ask_with_followup(typed, MESSAGES, followups, "article", doc_id="d"))


def test_the_second_turn_repeats_the_conversation_with_the_first_answer() -> None:
    client = ScriptedClient(FIRST, SECOND)
    merged = run(client, "What did you leave out?")
    assert len(merged.answer.metrics) == 2
    second = client.sent[1]
    assert second[:2] == MESSAGES  # the same prefix: a server's prompt cache reuses it
    assert second[2]["role"] == "assistant"
    assert ArticleAnswer.model_validate_json(second[2]["content"]) == FIRST.answer
    assert second[3] == {"role": "user", "content": "What did you leave out?"}


def test_without_a_followup_there_is_one_request() -> None:
    client = ScriptedClient(FIRST)
    assert run(client) is FIRST
    assert len(client.sent) == 1


def test_a_failed_followup_keeps_the_first_answer_and_says_why() -> None:
    failure = ModelCallError("gave up after 3 attempts", doc_id="d", attempts=3, usage=Usage())
    kept = run(ScriptedClient(FIRST, failure), "More?")
    assert kept.answer.metrics == FIRST.answer.metrics
    assert kept.followup_error == "gave up after 3 attempts"


def test_every_followup_branches_from_the_first_answer_and_adds_what_is_new() -> None:
    third = outcome([metric(9, "nine in a scale of 1 to 10")], [quote("We are delighted")], 200)
    client = ScriptedClient(FIRST, SECOND, third)
    merged = run(client, "Figures?", "Quotes?")
    assert [m.value for m in merged.answer.metrics] == [72, 5.5, 9]
    assert [q.text for q in merged.answer.quotes] == ["We are delighted"]
    assert merged.usage.attempts == 3
    # The third request repeats the first answer, not the merged one: a shared cached prefix.
    assert client.sent[2][:3] == client.sent[1][:3]
    assert client.sent[2][3] == {"role": "user", "content": "Quotes?"}


def test_a_failed_followup_does_not_stop_the_next_one() -> None:
    failure = ModelCallError("gave up after 3 attempts", doc_id="d", attempts=3, usage=Usage())
    merged = run(ScriptedClient(FIRST, failure, SECOND), "Figures?", "Quotes?")
    assert [m.value for m in merged.answer.metrics] == [72, 5.5]
    assert merged.followup_error == "gave up after 3 attempts"


def national(percent_good: float) -> AnswerNational:
    unset = {name: None for name in AnswerNational.model_fields}
    return AnswerNational.model_validate(
        {**unset, "ccgs_assessed": 180, "percent_good": percent_good, "evidence": "e"}
    )


def with_national(base: CallOutcome, figures: AnswerNational | None) -> CallOutcome:
    answer = base.answer.model_copy(update={"national": figures})
    return CallOutcome(answer=answer, usage=base.usage, validated=True)


def test_a_later_answer_fills_national_figures_only_when_the_first_had_none() -> None:
    filled = merge_followup(with_national(FIRST, None), with_national(SECOND, national(54)))
    assert filled.answer.national is not None
    assert filled.answer.national.percent_good == 54
    kept = merge_followup(with_national(FIRST, national(50)), with_national(SECOND, national(54)))
    assert kept.answer.national is not None
    assert kept.answer.national.percent_good == 50


def rated(ccg: str, areas: list[tuple[str, str]]) -> AnswerAssessment:
    return AnswerAssessment.model_validate(
        {
            "ccg": ccg,
            "year": "2021/22",
            "evidence": None,
            "overall": None,
            "previous_overall": None,
            "financial_concerns": None,
            "areas": [
                {"evidence": f"rated {rating} for {area}", "area": area, "rating": rating}
                for area, rating in areas
            ],
            "indicators": [],
        }
    )


def test_a_later_answer_adds_area_ratings_to_assessed_ccgs_but_never_a_new_ccg() -> None:
    first = FIRST.answer.model_copy(
        update={"assessments": [rated("NHS Riverside CCG", [("cancer", "good")])]}
    )
    later = SECOND.answer.model_copy(
        update={
            "assessments": [
                rated("Riverside CCG", [("cancer", "outstanding"), ("dementia", "good")]),
                rated("Hillside CCG", [("maternity", "good")]),
            ]
        }
    )
    merged = merge_followup(
        CallOutcome(answer=first, usage=Usage(), validated=True),
        CallOutcome(answer=later, usage=Usage(), validated=True),
    )
    assert [a.ccg for a in merged.answer.assessments] == ["NHS Riverside CCG"]
    # The first answer's cancer rating stands; the new dementia rating is added.
    areas = [(a.area.value, a.rating.value) for a in merged.answer.assessments[0].areas]
    assert areas == [("cancer", "good"), ("dementia", "good")]
