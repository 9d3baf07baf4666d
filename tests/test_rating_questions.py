"""The CCG rating questions over real HTTP: batching, failures, values outside the schema."""

from __future__ import annotations

import json
import re
from typing import Any

from extractor.model.ccg_questions import BATCH_CCGS, batches, render_question
from extractor.names.context import ccg_contexts
from extractor.pipeline import extract
from tests.conftest import fake_settings
from tests.fake_openai import Reply, tool_call_completion

GOOD = ["Barnet", "Bury", "Calderdale", "Camden", "Crawley", "Croydon", "Dudley", "Ealing",
        "Enfield", "Erewash", "Halton", "Harrow", "Havering", "Hull", "Islington"]  # fmt: skip
POOR = ["Kernow", "Lambeth", "Lewisham", "Luton", "Medway", "Merton", "Newham", "Oldham",
        "Redbridge", "Salford", "Sheffield", "Somerset", "Sutton", "Swale", "Thanet"]  # fmt: skip
ROUND_UP = (
    "CCG ratings for 2018/19\n\nNHS England has published the 2018/19 ratings.\n\n"
    "Rated good\n" + "".join(f"\u2022 NHS {name} CCG\n" for name in GOOD) + "\n"
    "Rated inadequate\n" + "".join(f"\u2022 NHS {name} CCG\n" for name in POOR)
)


def _tool(body: dict[str, Any]) -> str:
    return str(body["tools"][0]["function"]["name"])


def _answer(tool: str, arguments: dict[str, Any]) -> Reply:
    return Reply(body=tool_call_completion(json.dumps(arguments), tool=tool))


def _model_that_reads_the_headings(number: int, body: dict[str, Any]) -> Reply:
    """A stand-in model: each CCG it is asked about gets the rating of its heading, with the
    heading's sentence number as its evidence."""
    tool = _tool(body)
    if tool == "RatingsAnswer":
        question = body["messages"][-1]["content"]
        names = re.search(r"CCGs to answer for: (.*)", question).group(1).split(", ")
        numbers = dict(re.findall(r"\[(\d+)\] (Rated \w+)", question)[::-1])
        heading = {v: int(k) for k, v in numbers.items()}
        answers = []
        for name in names:
            rating = "good" if any(g in name for g in GOOD) else "inadequate"
            sentence = heading.get(f"Rated {rating}")
            answers.append({"ccg": name, "overall": rating, "overall_sentence": sentence})
        return _answer(tool, {"ccgs": answers})
    if tool == "YearAnswer":
        return _answer(tool, {"year": "2018/19"})
    empty = {"published": None, "assessments": [], "national": None, "metrics": [], "quotes": []}
    return _answer(tool, empty)


def test_a_round_up_of_thirty_ccgs_is_asked_in_batches_and_loses_none(fake_openai: Any) -> None:
    server = fake_openai(_model_that_reads_the_headings)
    record = extract(ROUND_UP, settings=fake_settings(server, prompt="v22", max_reasks=0))
    assert record.status == "ok", record.error
    assert record.extraction is not None
    ratings = {a.ccg.name: a.overall for a in record.extraction.assessments}
    assert ratings == {**dict.fromkeys(GOOD, "good"), **dict.fromkeys(POOR, "inadequate")}
    assert {a.year for a in record.extraction.assessments} == {"2018/19"}
    questions = [r for r in server.requests if _tool(r) == "RatingsAnswer"]
    assert len(questions) == 5  # 30 CCGs, at most BATCH_CCGS a question
    for request in questions:
        listed = re.search(r"CCGs to answer for: (.*)", request["messages"][-1]["content"])
        assert listed is not None and len(listed.group(1).split(", ")) <= BATCH_CCGS


def test_batches_show_each_ccgs_sentences_and_heading() -> None:
    contexts = ccg_contexts(ROUND_UP)
    groups = batches(contexts)
    assert [len(group) for group in groups] == [6, 6, 6, 6, 6]
    question = render_question("{{sentences}}\nCCGs to answer for: {{ccgs}}", ROUND_UP, groups[2])
    assert "Rated good" in question and "Rated inadequate" in question  # the batch spans both
    assert "NHS Islington CCG" in question and "NHS Kernow CCG" in question


def test_a_failed_batch_costs_only_its_ccgs(fake_openai: Any) -> None:
    def flaky(number: int, body: dict[str, Any]) -> Reply:
        question = body["messages"][-1]["content"]
        if _tool(body) == "RatingsAnswer" and "NHS Barnet CCG" in question:
            return Reply(body=tool_call_completion("{[not json", tool="RatingsAnswer"))
        return _model_that_reads_the_headings(number, body)

    server = fake_openai(flaky)
    record = extract(ROUND_UP, settings=fake_settings(server, prompt="v22", max_reasks=0))
    assert record.status == "ok"
    assert record.extraction is not None
    # the failed batch's CCGs still get the rating their heading states, read by code
    assert len(record.extraction.assessments) == 30
    assert any(d.path == "(ratings)" for d in record.dropped)


def test_a_rating_outside_the_schema_is_dropped_and_listed(fake_openai: Any) -> None:
    article = "NHS Bury CCG was rated good in 2018/19. NHS Oldham CCG was assured with support."

    def model(number: int, body: dict[str, Any]) -> Reply:
        if _tool(body) == "RatingsAnswer":
            answers = [
                {"ccg": "Bury", "overall": "good", "overall_sentence": 1},
                {"ccg": "Oldham", "overall": "assured with support", "overall_sentence": 2},
            ]
            return _answer("RatingsAnswer", {"ccgs": answers})
        return _model_that_reads_the_headings(number, body)

    server = fake_openai(model)
    record = extract(article, settings=fake_settings(server, prompt="v22", max_reasks=0))
    assert record.status == "ok"
    assert record.extraction is not None
    assert [a.ccg.name for a in record.extraction.assessments] == ["Bury"]
    assert any("assured with support" in d.reason for d in record.dropped)


def test_an_endpoint_that_refuses_a_question_fails_the_document(fake_openai: Any) -> None:
    def refusing(number: int, body: dict[str, Any]) -> Reply:
        question = body["messages"][-1]["content"]
        if _tool(body) == "RatingsAnswer" and "NHS Barnet CCG" in question:
            return Reply(behaviour="error", status=400, body={"error": {"message": "bad"}})
        return _model_that_reads_the_headings(number, body)

    server = fake_openai(refusing)
    record = extract(ROUND_UP, settings=fake_settings(server, prompt="v22", max_reasks=0))
    assert record.status == "error"  # to be done again, not kept without the model's answers
    assert record.error is not None and record.error.type == "ModelCallError"
