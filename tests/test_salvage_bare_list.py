"""An answer that is only the list its schema holds (a bare JSON array where the schema
wants `{"quotes": [...]}`) is read as that list; a schema of several lists gets nothing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from extractor.answer.article import ArticleAnswer
from extractor.answer.ccgs import RatingsAnswer
from extractor.answer.figures import FiguresAnswer
from extractor.answer.quotes import SpeakersAnswer
from extractor.model.client import ModelClient
from extractor.model.salvage import salvage
from tests.conftest import fake_settings
from tests.fake_openai import Reply, text_completion

BARE = {
    SpeakersAnswer: [
        {"quote": 1, "speaker": "Dr Ana Cole", "role": "clinical chair"},
        {"quote": 2, "role": "spokeswoman", "organisation": "the council"},
    ],
    FiguresAnswer: [{"sentence": 3, "name": "deficit", "value": 2.5, "unit": "£ million"}],
    RatingsAnswer: [{"ccg": "Hillside CCG", "overall": "good", "overall_sentence": 2}],
}


@pytest.mark.parametrize("model", list(BARE))
def test_a_bare_list_is_read_as_the_one_list_of_its_schema(model: Any) -> None:
    salvaged = salvage(model, json.dumps(BARE[model]))
    assert salvaged is not None
    (field,) = model.model_fields  # the schema's one list
    assert salvaged.answer == model.model_validate({field: BARE[model]})
    assert salvaged.removed == [] and not salvaged.truncated


def test_a_bare_list_keeps_its_valid_items_only() -> None:
    items = [{"quote": 1, "speaker": "Dr Ana Cole"}, {"speaker": "no quote number"}]
    salvaged = salvage(SpeakersAnswer, json.dumps(items))
    assert salvaged is not None
    assert [q.quote for q in salvaged.answer.quotes] == [1]
    assert salvaged.removed == ["quotes[1]"]


def test_a_schema_of_several_lists_does_not_guess_which_one_a_bare_list_is() -> None:
    assert salvage(ArticleAnswer, json.dumps([{"ccg": "Hillside CCG"}])) is None
    assert salvage(SpeakersAnswer, "[]") is None  # nothing kept is no answer


def test_a_narrow_question_answered_with_a_bare_list_keeps_its_answer(fake_openai: Any) -> None:
    text = "```json\n" + json.dumps(BARE[SpeakersAnswer]) + "\n```"

    server = fake_openai(lambda n, body: Reply(body=text_completion(text)))
    client = ModelClient(fake_settings(server, mode="md_json"))
    messages = [
        {"role": "system", "content": "Say who said each quotation."},
        {"role": "user", "content": "[1] Quotation: ..."},
    ]

    async def ask() -> Any:
        try:
            return await client.ask_for(messages, SpeakersAnswer, doc_id="d")
        finally:
            await client.aclose()

    reply = asyncio.run(ask())
    assert isinstance(reply.answer, SpeakersAnswer)
    assert [(q.quote, q.speaker) for q in reply.answer.quotes] == [(1, "Dr Ana Cole"), (2, None)]
    assert "object" in (reply.problem or "")  # the misfit is still reported
