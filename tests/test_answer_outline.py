"""A prompt that states its narrow answers' JSON sends only their outline in the text modes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from extractor.answer.ccgs import RatingsAnswer
from extractor.answer.figures import FiguresAnswer
from extractor.answer.quotes import SpeakersAnswer
from extractor.errors import ConfigurationError
from extractor.model.answer_outline import outline_schema, outlined
from extractor.model.client import ModelClient
from extractor.model.prompts import load_prompt
from tests.conftest import fake_settings
from tests.fake_openai import Reply, text_completion, tool_call_completion

RATINGS = '{"ccgs": [{"ccg": "Riverside CCG", "overall": "good", "overall_sentence": 2}]}'


@pytest.mark.parametrize("model", [RatingsAnswer, FiguresAnswer, SpeakersAnswer])
def test_the_outline_names_the_top_level_keys_and_nothing_inside_them(model: Any) -> None:
    outline = outline_schema(model)
    full = model.model_json_schema()
    assert set(outline["properties"]) == set(full["properties"])
    assert all(value == {"type": "array"} for value in outline["properties"].values())
    assert "$defs" in full and "$defs" not in outline
    assert len(json.dumps(outline, indent=2)) < len(json.dumps(full, indent=2)) / 5


def test_an_outlined_model_validates_exactly_as_the_model() -> None:
    shown = outlined(RatingsAnswer)
    assert issubclass(shown, RatingsAnswer)
    assert shown.model_json_schema() == outline_schema(RatingsAnswer)
    read = shown.model_validate_json(RATINGS)
    assert read.model_dump() == RatingsAnswer.model_validate_json(RATINGS).model_dump()
    broken = '{"ccgs": [{"overall": "good"}]}'  # a CCG with no name
    for model in (shown, RatingsAnswer):
        with pytest.raises(ValidationError):
            model.model_validate_json(broken)
    assert outlined(RatingsAnswer) is shown  # made once per model


def _ask(server: Any, mode: str, outline: bool) -> Any:
    client = ModelClient(fake_settings(server, mode=mode))

    async def ask() -> Any:
        try:
            messages = [
                {"role": "system", "content": "Rate the CCGs."},
                {"role": "user", "content": "[2] Riverside CCG was rated good."},
            ]
            return await client.ask_for(messages, RatingsAnswer, doc_id="d", outline=outline)
        finally:
            await client.aclose()

    return asyncio.run(ask())


def _text_answer(n: int, body: dict[str, Any]) -> Reply:
    return Reply(body=text_completion("```json\n" + RATINGS + "\n```"))


def test_md_json_with_outline_sends_the_outline_and_validates_the_whole_answer(
    fake_openai: Any,
) -> None:
    with_outline = fake_openai(_text_answer)
    reply = _ask(with_outline, "md_json", outline=True)
    assert isinstance(reply.answer, RatingsAnswer)
    assert reply.answer.ccgs[0].overall_sentence == 2
    whole = fake_openai(_text_answer)
    _ask(whole, "md_json", outline=False)
    sent_outlined = with_outline.requests[0]["messages"][0]["content"]
    sent_whole = whole.requests[0]["messages"][0]["content"]
    assert sent_outlined.startswith("Rate the CCGs.")
    assert json.dumps(outline_schema(RatingsAnswer), indent=2) in sent_outlined
    assert "overall_sentence" not in sent_outlined  # an item's key: only the prompt states it
    assert "overall_sentence" in sent_whole
    assert len(sent_outlined) < len(sent_whole) / 3


def test_a_mode_that_sends_the_schema_as_a_parameter_always_sends_it_whole(
    fake_openai: Any,
) -> None:
    server = fake_openai(
        lambda n, body: Reply(body=tool_call_completion(RATINGS, tool="RatingsAnswer"))
    )
    reply = _ask(server, "tools", outline=True)
    assert isinstance(reply.answer, RatingsAnswer)
    parameters = server.requests[0]["tools"][0]["function"]["parameters"]
    assert "overall_sentence" in json.dumps(parameters)


def _prompt_folder(tmp_path: Path, options: str | None) -> Path:
    folder = tmp_path / "p"
    folder.mkdir(parents=True)
    (folder / "ratings.md").write_text("Sentences:\n{{sentences}}\nCCGs: {{ccgs}}")
    (folder / "ratings_system.md").write_text("Rate the CCGs.")
    if options is not None:
        (folder / "options.toml").write_text(options)
    return folder


def test_options_toml_asks_for_outlines_and_is_part_of_the_prompts_hash(tmp_path: Path) -> None:
    plain = load_prompt(str(_prompt_folder(tmp_path / "a", None)))
    outlined_prompt = load_prompt(str(_prompt_folder(tmp_path / "b", 'answer_schema = "outline"')))
    full = load_prompt(str(_prompt_folder(tmp_path / "c", 'answer_schema = "full"')))
    assert not plain.outline_answers and not full.outline_answers
    assert outlined_prompt.outline_answers
    assert outlined_prompt.sha256 != plain.sha256
    assert load_prompt("v24").outline_answers and not load_prompt("v23").outline_answers


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ('answer_schema = "short"', "answer_schema must be one of full, outline"),
        ('answer_shema = "outline"', "unknown option(s) answer_shema"),
        ("answer_schema = ", "options.toml"),
    ],
)
def test_a_wrong_option_is_a_configuration_error(tmp_path: Path, options: str, says: str) -> None:
    with pytest.raises(ConfigurationError, match=says.replace("(", r"\(").replace(")", r"\)")):
        load_prompt(str(_prompt_folder(tmp_path, options)))


def test_a_model_without_fields_leaves_them_out_of_its_schema_at_every_level() -> None:
    from extractor.model.answer_outline import without_fields
    from extractor.model.prompts import RATINGS_SENTENCE_NUMBERS

    shown = without_fields(RatingsAnswer, RATINGS_SENTENCE_NUMBERS)
    schema = json.dumps(shown.model_json_schema())
    assert "overall_sentence" not in schema and "finances_sentence" not in schema
    assert '"sentence"' not in schema  # an item's number, inside $defs
    assert '"overall"' in schema and '"rating"' in schema and '"last_year"' in schema
    assert "overall_sentence" in json.dumps(RatingsAnswer.model_json_schema())  # untouched
    read = shown.model_validate_json(RATINGS)  # an answer that gives a number is still read
    assert isinstance(read, RatingsAnswer) and read.ccgs[0].overall_sentence == 2
    assert without_fields(RatingsAnswer, RATINGS_SENTENCE_NUMBERS) is shown  # made once
    with pytest.raises(ValueError, match="required"):
        without_fields(RatingsAnswer, frozenset({"ccg"}))


def test_ratings_sentence_numbers_false_leaves_them_out_of_the_ratings_questions_only(
    tmp_path: Path,
) -> None:
    from extractor.model.prompts import RATINGS_SENTENCE_NUMBERS

    folder = _prompt_folder(tmp_path / "a", "ratings_sentence_numbers = false")
    (folder / "quotes.md").write_text("{{quotations}}")
    (folder / "quotes_system.md").write_text("Who said it?")
    prompt = load_prompt(str(folder))
    assert prompt.ratings is not None and prompt.quotes is not None
    assert prompt.preamble(prompt.ratings).left_out == RATINGS_SENTENCE_NUMBERS
    assert prompt.preamble(prompt.quotes).left_out == frozenset()
    default = load_prompt(str(_prompt_folder(tmp_path / "b", None)))
    assert default.ratings is not None
    assert default.preamble(default.ratings).left_out == frozenset()
    assert load_prompt("v29").ratings_sentence_numbers is False
    assert load_prompt("v23").ratings_sentence_numbers is True
    with pytest.raises(ConfigurationError, match="must be true or false"):
        load_prompt(str(_prompt_folder(tmp_path / "c", 'ratings_sentence_numbers = "no"')))


@pytest.mark.parametrize("mode", ["md_json", "tools"])
def test_fields_left_out_are_not_in_the_request_in_any_mode(fake_openai: Any, mode: str) -> None:
    from extractor.model.prompts import RATINGS_SENTENCE_NUMBERS

    if mode == "md_json":
        server = fake_openai(_text_answer)
    else:
        server = fake_openai(
            lambda n, body: Reply(body=tool_call_completion(RATINGS, tool="RatingsAnswer"))
        )
    client = ModelClient(fake_settings(server, mode=mode))

    async def ask() -> Any:
        try:
            messages = [{"role": "user", "content": "[2] Riverside CCG was rated good."}]
            return await client.ask_for(
                messages, RatingsAnswer, doc_id="d", left_out=RATINGS_SENTENCE_NUMBERS
            )
        finally:
            await client.aclose()

    reply = asyncio.run(ask())
    sent = json.dumps(server.requests[0])
    assert "overall_sentence" not in sent and "finances_sentence" not in sent
    assert '\\"overall\\"' in sent or '"overall"' in sent
    assert isinstance(reply.answer, RatingsAnswer)
    assert reply.answer.ccgs[0].overall_sentence == 2  # given anyway: still read
