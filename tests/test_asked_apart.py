"""A prompt of narrow questions only (no first answer): every part asked apart, over HTTP."""

from __future__ import annotations

import json
import re
from typing import Any

from extractor.pipeline import extract
from extractor.proof.metrics import figure_sentences
from tests.conftest import fake_settings
from tests.fake_openai import Reply, tool_call_completion

ARTICLE = (
    "NHS Bury CCG rated good\n\n"
    "NHS Bury CCG has been rated good in NHS England's 2018/19 annual assessment. "
    "The ratings were published on 11 July 2019.\n\n"
    "The CCG ended the year with a surplus of £1.2 million. It serves 190,000 people.\n\n"
    "Dr Ann Webb, clinical chair of NHS Bury CCG, said: \u201cOur practices have worked "
    "harder than ever this year.\u201d\n\n"
    "Nationally, 24 of the 191 CCGs assessed were rated inadequate.\n"
)


def _model(number: int, body: dict[str, Any]) -> Reply:
    tool = body["tools"][0]["function"]["name"]
    question = body["messages"][-1]["content"]
    if tool == "RatingsAnswer":
        arguments: dict[str, Any] = {"ccgs": [{"ccg": "NHS Bury CCG", "overall": "good"}]}
    elif tool == "SpeakersAnswer":
        arguments = {"quotes": [{"quote": 1, "speaker": "Dr Ann Webb", "role": "clinical chair",
                                 "organisation": "NHS Bury CCG"}]}  # fmt: skip
    elif tool == "FiguresAnswer":
        surplus = re.search(r"\[(\d+)\] The CCG ended", question)
        assert surplus is not None
        metric = {"name": "surplus", "value": 1.2, "unit": "£ million", "ccg": "NHS Bury CCG"}
        arguments = {"metrics": [{"sentence": int(surplus.group(1)), **metric}]}
    else:
        raise AssertionError(f"no first answer is asked of this prompt, got {tool}")
    return Reply(body=tool_call_completion(json.dumps(arguments), tool=tool))


def test_every_part_is_asked_apart_and_proven(fake_openai: Any) -> None:
    server = fake_openai(_model)
    record = extract(ARTICLE, settings=fake_settings(server, prompt="v23", max_reasks=0))
    assert record.status == "ok", record.error
    extraction = record.extraction
    assert extraction is not None
    (bury,) = extraction.assessments
    assert (bury.ccg.name, bury.year, bury.overall) == ("Bury", "2018/19", "good")
    assert [(m.name, m.value, m.ccg) for m in extraction.metrics] == [("surplus", 1.2, "Bury")]
    assert [q.speaker for q in extraction.quotes] == ["Dr Ann Webb"]
    assert extraction.published is not None and extraction.published.isoformat() == "2019-07-11"
    assert extraction.national is not None
    assert extraction.national.count_by_rating == {"inadequate": 24}
    assert extraction.national.ccgs_assessed == 191
    tools = [r["tools"][0]["function"]["name"] for r in server.requests]
    assert sorted(tools) == ["FiguresAnswer", "RatingsAnswer", "SpeakersAnswer"]


def test_figure_sentences_leave_out_national_ones_dates_and_years() -> None:
    texts = [s.text for s in figure_sentences(ARTICLE)]
    assert texts == [
        "The CCG ended the year with a surplus of £1.2 million.",
        "It serves 190,000 people.",
    ]


def test_a_figure_belongs_to_the_ccg_its_sentence_speaks_of() -> None:
    from extractor.names.context import ccg_contexts
    from extractor.proof.metrics import ccg_spoken_of

    article = (
        "NHS Bury CCG was rated good.\n\nNHS Oldham CCG was rated inadequate. "
        "It finished the year with a deficit of \u00a34m.\n\n"
        "NHS Bury CCG and NHS Oldham CCG spent \u00a32m on scans."
    )
    contexts = ccg_contexts(article)
    assert ccg_spoken_of(contexts, 3, "Bury CCG") == "NHS Oldham"  # follows Oldham's sentence
    assert ccg_spoken_of(contexts, 3, "NHS Oldham") == "NHS Oldham"  # the model's, right
    assert ccg_spoken_of(contexts, 4, "Bury") == "Bury"  # the sentence names both
    assert ccg_spoken_of(contexts, 3, None) is None  # an area's figure stays the area's
