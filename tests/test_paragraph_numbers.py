"""Numbered paragraphs and headings ("2.3 All four CCGs ...", "4 Finance") against figures
that open a sentence ("82 per cent of women ..."), on made-up council reports."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from extractor.pipeline import extract
from extractor.proof.metrics import figure_sentences, without_paragraph_number
from tests.conftest import fake_settings
from tests.fake_openai import Reply, tool_call_completion


@pytest.mark.parametrize(
    "sentence",
    [
        "82 per cent of women were happy with their maternity care.",
        "45 per cent of carers said nobody had asked about their own needs.",
        "7 in 10 patients rated their GP surgery as good.",
    ],
)
def test_a_figure_opening_a_sentence_is_asked_about(sentence: str) -> None:
    article = f"Survey results\n\n{sentence}\n"
    assert [s.text for s in figure_sentences(article)] == [sentence]


@pytest.mark.parametrize(
    "heading",
    [
        "4 Finance",
        "2.3 All four CCGs were rated good for leadership.",
        "3.",
        "12.1 The committee is asked to note the report.",
    ],
)
def test_a_paragraph_or_heading_number_is_no_figure(heading: str) -> None:
    assert figure_sentences(f"Report to the committee\n\n{heading}\n") == []


def test_only_the_opening_number_is_taken_off() -> None:
    assert without_paragraph_number("2.1 It overspent by £2.1m.").split() == [
        "It",
        "overspent",
        "by",
        "£2.1m.",
    ]
    assert without_paragraph_number("82 per cent agreed.") == "82 per cent agreed."


ARTICLE = (
    "Report to the Health Scrutiny Committee\n\n"
    "1.1 NHS Bury CCG has been rated good in NHS England's 2018/19 annual assessment.\n\n"
    "1.2 Each CCG is rated on around 50 indicators.\n\n"
    "2.1 The CCG ended the year with a surplus of \u00a31.2 million.\n"
)


def _model(number: int, body: dict[str, Any]) -> Reply:
    tool = body["tools"][0]["function"]["name"]
    question = body["messages"][-1]["content"]
    arguments: dict[str, Any] = {"quotes": []}
    if tool == "RatingsAnswer":
        arguments = {"ccgs": [{"ccg": "NHS Bury CCG", "overall": "good"}]}
    elif tool == "FiguresAnswer":
        indicators = re.search(r"\[(\d+)\] 1\.2 Each", question)
        surplus = re.search(r"\[(\d+)\] 2\.1 The CCG", question)
        assert indicators is not None and surplus is not None
        bury = {"ccg": "NHS Bury CCG", "unit": None}
        arguments = {
            "metrics": [  # each sentence's paragraph number, and the surplus
                {"sentence": int(indicators.group(1)), "name": "rating", "value": 1.2, **bury},
                {"sentence": int(surplus.group(1)), "name": "report", "value": 2.1, **bury},
                {"sentence": int(surplus.group(1)), "name": "surplus", "value": 1.2, **bury},
            ]
        }
    return Reply(body=tool_call_completion(json.dumps(arguments), tool=tool))


def test_a_paragraph_number_given_as_a_figure_is_dropped(fake_openai: Any) -> None:
    server = fake_openai(_model)
    record = extract(ARTICLE, settings=fake_settings(server, prompt="v23", max_reasks=0))
    assert record.status == "ok", record.error
    assert record.extraction is not None
    assert [(m.name, m.value) for m in record.extraction.metrics] == [("surplus", 1.2)]
    reasons = sorted(d.reason for d in record.dropped if d.path.startswith("metrics"))
    assert reasons == ["value 1.2 is not in its evidence", "value 2.1 is not in its evidence"]
