"""The client's two bounded loops against a real HTTP fake: transport retries and re-asks."""

from __future__ import annotations

import json
import time
from typing import Any

import openai
import pytest

from extractor.model.retrying import is_transient, retry_after_seconds
from extractor.pipeline import extract
from tests.conftest import GROUNDED_ANSWER, PLANTED_KEY, fake_settings
from tests.fake_openai import Reply, answer_reply, text_completion

ARTICLE = (
    "NHS Ashford CCG has been rated 'good' overall in NHS England's 2017/18 annual assessment.\n\n"
    "The CCG was rated 'outstanding' for cancer services.\n\n"
    'Jane Doe, chief officer, said: "We are proud of our staff."'
)
GOOD_ANSWER = {
    **GROUNDED_ANSWER,
    "quotes": [
        {
            "speaker": "Jane Doe",
            "role": "chief officer",
            "organisation": None,
            "text": "We are proud",
        }
    ],
}


def _ungrounded() -> dict[str, Any]:
    answer = json.loads(json.dumps(GOOD_ANSWER))
    answer["assessments"][0]["areas"][0]["evidence"] = "cancer care was judged world class"
    return answer


def test_transient_failures_are_retried_then_succeed(fake_openai: Any) -> None:
    replies = [
        Reply(behaviour="error", status=429, headers={"retry-after": "1"}),
        Reply(behaviour="error", status=500),
        answer_reply(GOOD_ANSWER, delay=3.0),  # longer than the 1 s timeout below
        answer_reply(GOOD_ANSWER),
    ]
    server = fake_openai(lambda n, body: replies[n - 1])
    started = time.perf_counter()
    record = extract(ARTICLE, settings=fake_settings(server, timeout=1.0, retry_max_wait=5.0))
    elapsed = time.perf_counter() - started

    assert record.status == "ok", record.error
    assert record.usage.attempts == 4
    assert len(server.requests) == 4
    assert elapsed >= 1.0, "Retry-After: 1 was not honoured"
    assert record.usage.prompt_tokens == 100 and record.usage.completion_tokens == 20
    assessment = record.extraction.assessments[0]
    assert (assessment.ccg.name, assessment.overall) == ("Ashford", "good")


def test_retries_are_bounded_and_end_in_an_error_record(fake_openai: Any) -> None:
    server = fake_openai(lambda n, body: Reply(behaviour="error", status=503))
    record = extract(ARTICLE, settings=fake_settings(server, max_retries=2))
    assert record.status == "error"
    assert record.error.type == "ModelCallError"
    assert "gave up after 3 attempts" in record.error.message
    assert len(server.requests) == 3
    assert record.usage.attempts == 3


def test_client_errors_are_not_retried(fake_openai: Any) -> None:
    server = fake_openai(lambda n, body: Reply(behaviour="error", status=400))
    record = extract(ARTICLE, settings=fake_settings(server))
    assert record.status == "error"
    assert "BadRequestError" in record.error.message
    assert len(server.requests) == 1


def test_ungrounded_evidence_is_reasked_with_the_missing_quote(fake_openai: Any) -> None:
    replies = [answer_reply(_ungrounded()), answer_reply(GOOD_ANSWER)]
    server = fake_openai(lambda n, body: replies[n - 1])
    record = extract(ARTICLE, settings=fake_settings(server))

    assert record.status == "ok"
    assert record.dropped_facts == 0
    assert record.usage.attempts == 2
    reask = json.dumps(server.requests[1]["messages"][2:])
    assert "cancer care was judged world class" in reask
    assert len(record.extraction.assessments[0].areas) == 1


def test_facts_still_ungrounded_after_reasks_are_dropped_and_counted(fake_openai: Any) -> None:
    server = fake_openai(lambda n, body: answer_reply(_ungrounded()))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=2))

    assert record.status == "ok"
    assert len(server.requests) == 3
    assert record.dropped_facts == 1
    assert record.dropped[0].path == "assessments[0].areas[0]"
    assert record.extraction.assessments[0].areas == []
    assert record.extraction.assessments[0].overall == "good"


def test_api_errors_never_reach_a_reask(fake_openai: Any) -> None:
    replies = [
        Reply(behaviour="error", status=500, body={"error": {"message": "DB exploded 42"}}),
        answer_reply(_ungrounded()),
        answer_reply(GOOD_ANSWER),
    ]
    server = fake_openai(lambda n, body: replies[n - 1])
    record = extract(ARTICLE, settings=fake_settings(server))
    assert record.status == "ok"
    assert all("DB exploded" not in json.dumps(r["messages"]) for r in server.requests)


def test_schema_violations_exhaust_reasks_into_an_error_record(fake_openai: Any) -> None:
    server = fake_openai(lambda n, body: answer_reply('{"assessments": "not a list"}'))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=1))
    assert record.status == "error"
    assert record.error.type == "ExtractionFailed"
    assert record.usage.attempts == 2
    # one line naming each field and what is wrong with it, not pydantic's multi-line dump
    assert "\n" not in record.error.message
    assert "validation error" in record.error.message
    assert "assessments: Input should be a valid array; national: Field required" in (
        record.error.message
    )


def test_the_api_key_is_sent_but_never_written(fake_openai: Any) -> None:
    body = {"error": {"message": f"Incorrect API key provided: {PLANTED_KEY}"}}
    server = fake_openai(lambda n, b: Reply(behaviour="error", status=401, body=body))
    record = extract(ARTICLE, settings=fake_settings(server))
    assert server.headers[0]["authorization"] == f"Bearer {PLANTED_KEY}"
    assert record.status == "error"
    assert PLANTED_KEY not in record.model_dump_json()
    assert "[REDACTED]" in record.error.message


def test_retry_after_parsing() -> None:
    request = openai._base_client.httpx2.Request("POST", "http://x/v1/chat/completions")  # type: ignore[attr-defined]

    def error(headers: dict[str, str], status: int = 429) -> openai.APIStatusError:
        response = openai._base_client.httpx2.Response(status, headers=headers, request=request)  # type: ignore[attr-defined]
        return openai.RateLimitError("limited", response=response, body=None)

    assert retry_after_seconds(error({"retry-after": "7"})) == 7.0
    assert retry_after_seconds(error({"retry-after-ms": "250"})) == 0.25
    assert (
        retry_after_seconds(
            error({"retry-after": "Wed, 21 Oct 2015 07:28:10 GMT"}), now=1445412480.0
        )
        == 10.0
    )
    assert retry_after_seconds(error({})) is None
    assert is_transient(error({}))
    assert not is_transient(ValueError("not an API error"))


@pytest.mark.parametrize("mode", ["tools", "json_schema"])
def test_both_instructor_modes_round_trip(fake_openai: Any, mode: str) -> None:
    def reply(n: int, body: dict[str, Any]) -> Reply:
        if mode == "tools":
            assert body["tool_choice"]["function"]["name"] == "ArticleAnswer"
            return answer_reply(GOOD_ANSWER)
        assert body["response_format"]["type"] == "json_schema"
        return Reply(body=text_completion(json.dumps(GOOD_ANSWER)))

    server = fake_openai(reply)
    record = extract(ARTICLE, settings=fake_settings(server, mode=mode))
    assert record.status == "ok", record.error
    assert record.extraction.assessments[0].areas[0].area == "cancer"


def test_a_grounded_answer_is_assembled_once(fake_openai: Any, monkeypatch: Any) -> None:
    """The validator's grounding is reused by the pipeline instead of being done again."""
    import extractor.pipeline as pipeline_module
    import extractor.proof.assemble as assemble_module

    calls: list[int] = []
    original = assemble_module.assemble

    def counting(answer: Any, article: str, reading: Any = None) -> Any:
        calls.append(1)
        return original(answer, article, reading)

    monkeypatch.setattr(assemble_module, "assemble", counting)
    monkeypatch.setattr(pipeline_module, "assemble", counting)
    server = fake_openai(lambda n, body: answer_reply(GOOD_ANSWER))
    record = extract(ARTICLE, settings=fake_settings(server))
    assert record.status == "ok"
    assert len(calls) == 1


def test_an_answer_cut_short_keeps_its_complete_facts(fake_openai: Any) -> None:
    """A model that runs into max_tokens mid-JSON loses only the unfinished tail."""
    full = json.dumps(GOOD_ANSWER)
    cut = full[: full.index('"quotes"') + 30]  # ends inside the first quote
    server = fake_openai(lambda n, body: answer_reply(cut))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=0))
    assert record.status == "ok", record.error
    assessment = record.extraction.assessments[0]
    assert (assessment.overall, [a.area for a in assessment.areas]) == ("good", ["cancer"])
    assert record.extraction.quotes == []
    assert record.dropped[-1].path == "(end of answer)"
    assert record.dropped_facts == len(record.dropped)


def test_a_raw_line_break_inside_a_string_does_not_lose_the_article(fake_openai: Any) -> None:
    """JSON forbids control characters in strings; a sampling model may still write one."""
    text = json.dumps(GOOD_ANSWER).replace("We are proud", "We are\nproud")
    assert "We are\nproud" in text  # a raw line break, not the escape \n
    server = fake_openai(lambda n, body: answer_reply(text))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=0))
    assert record.status == "ok", record.error
    assert [q.text for q in record.extraction.quotes] == ["We are proud of our staff."]
    assert record.extraction.assessments[0].overall == "good"


def test_an_answer_with_nothing_complete_is_an_error(fake_openai: Any) -> None:
    server = fake_openai(lambda n, body: answer_reply('{"published": nul'))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=0))
    assert record.status == "error"
    assert record.error is not None and record.error.type == "ExtractionFailed"


def test_an_item_that_breaks_the_schema_is_dropped_not_the_article(fake_openai: Any) -> None:
    """Without constrained decoding a model may write a rating the schema does not know."""
    answer = json.loads(json.dumps(GOOD_ANSWER))
    answer["assessments"][0]["areas"].append(
        {"evidence": "rated 'good' overall", "area": "dementia", "rating": "excellent"}
    )
    server = fake_openai(lambda n, body: answer_reply(answer))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=0))
    assert record.status == "ok", record.error
    assert [a.area for a in record.extraction.assessments[0].areas] == ["cancer"]
    assert [(d.path, d.reason) for d in record.dropped] == [
        ("assessments[0].areas[1]", "does not fit the answer schema")
    ]


@pytest.mark.parametrize("word", ["assured with support", "limited assurance", "not assured"])
def test_a_rating_outside_the_schema_loses_that_value_not_the_ccg(
    fake_openai: Any, word: str
) -> None:
    """The only CCG's rating written in assurance words: the value goes, the CCG and the
    article stay, and the value is listed as dropped."""
    answer = json.loads(json.dumps(GOOD_ANSWER))
    answer["assessments"][0]["overall"] = word
    server = fake_openai(lambda n, body: answer_reply(answer))
    record = extract(ARTICLE, settings=fake_settings(server, max_reasks=0))
    assert record.status == "ok", record.error
    assert record.extraction is not None
    (assessment,) = record.extraction.assessments
    assert assessment.overall is None
    assert [a.area for a in assessment.areas] == ["cancer"]
    assert ("assessments[0].overall", "does not fit the answer schema") in [
        (d.path, d.reason) for d in record.dropped
    ]


def test_a_loopback_endpoint_is_reached_without_the_environments_proxy(
    fake_openai: Any, monkeypatch: Any
) -> None:
    """An HTTP proxy in the environment must not stand between us and a 127.0.0.1 server."""
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    server = fake_openai(lambda n, body: answer_reply(GOOD_ANSWER))
    record = extract(ARTICLE, settings=fake_settings(server, max_retries=0))
    assert record.status == "ok", record.error
    assert len(server.requests) == 1


def test_instructors_error_logs_are_not_printed_without_a_logging_set_up(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import logging

    import extractor.model.client  # noqa: F401  (installs the handler)

    logging.getLogger("instructor").error("Max retries exceeded. Total attempts: 1")
    assert "Max retries exceeded" not in capsys.readouterr().err
