"""A narrow question may be taught by an example exchange: the example question as a user
turn and its answer as the model's turn, sent after the instructions and before each
question."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from extractor.answer.ccgs import RatingsAnswer
from extractor.errors import ConfigurationError
from extractor.model.client import ModelClient
from extractor.model.narrow_questions import ask_each
from extractor.model.prompts import Preamble, load_prompt
from tests.conftest import fake_settings
from tests.fake_openai import Reply, text_completion, tool_call_completion

EXAMPLE_QUESTION = "Sentences:\n[2] Lake Vale CCG was rated good.\nCCGs: Lake Vale CCG\nAnswer:"
EXAMPLE_ANSWER = '```json\n{"ccgs": [{"ccg": "Lake Vale CCG", "overall": "good"}]}\n```'
_EXAMPLE_FILES = ("ratings_example.md", "ratings_example_answer.md")
ANSWER = '{"ccgs": [{"ccg": "Riverside CCG", "overall": "inadequate", "overall_sentence": 4}]}'


def _folder(tmp_path: Path, *example_files: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir(parents=True)
    (folder / "ratings.md").write_text("Sentences:\n{{sentences}}\nCCGs: {{ccgs}}\nAnswer:")
    (folder / "ratings_system.md").write_text("Rate the CCGs.")
    texts = {"ratings_example.md": EXAMPLE_QUESTION, "ratings_example_answer.md": EXAMPLE_ANSWER}
    for name in example_files:
        (folder / name).write_text(texts[name] + "\n")
    return folder


def test_the_example_exchange_follows_the_instructions_and_changes_the_hash(
    tmp_path: Path,
) -> None:
    taught = load_prompt(str(_folder(tmp_path / "a", *_EXAMPLE_FILES)))
    plain = load_prompt(str(_folder(tmp_path / "b")))
    assert taught.ratings is not None and plain.ratings is not None
    assert taught.preamble(taught.ratings).messages == (
        {"role": "system", "content": "Rate the CCGs."},
        {"role": "user", "content": EXAMPLE_QUESTION},
        {"role": "assistant", "content": EXAMPLE_ANSWER},
    )
    assert plain.preamble(plain.ratings).messages == (
        {"role": "system", "content": "Rate the CCGs."},
    )
    assert taught.sha256 != plain.sha256


@pytest.mark.parametrize("present", _EXAMPLE_FILES)
def test_half_an_example_is_a_configuration_error(tmp_path: Path, present: str) -> None:
    missing = next(name for name in _EXAMPLE_FILES if name != present)
    with pytest.raises(ConfigurationError, match=f"{present} needs .*{missing}"):
        load_prompt(str(_folder(tmp_path, present)))


def _text_answer(n: int, body: dict[str, Any]) -> Reply:
    return Reply(body=text_completion("```json\n" + ANSWER + "\n```"))


@pytest.mark.parametrize("mode", ["md_json", "tools"])
def test_every_question_is_sent_after_the_example_and_its_answer_is_read(
    fake_openai: Any, tmp_path: Path, mode: str
) -> None:
    server = fake_openai(
        _text_answer
        if mode == "md_json"
        else lambda n, body: Reply(body=tool_call_completion(ANSWER, tool="RatingsAnswer"))
    )
    prompt = load_prompt(str(_folder(tmp_path, *_EXAMPLE_FILES)))
    assert prompt.ratings is not None
    preamble: Preamble = prompt.preamble(prompt.ratings)
    questions = ["Sentences:\n[4] Riverside CCG is inadequate.", "Sentences:\n[9] No CCG here."]
    client = ModelClient(fake_settings(server, mode=mode))

    async def ask() -> Any:
        try:
            return await ask_each(
                client, preamble, questions, RatingsAnswer, doc_id="d", label="ratings batch"
            )
        finally:
            await client.aclose()

    asked = asyncio.run(ask())
    assert len(server.requests) == 2
    for request, question in zip(server.requests, questions, strict=True):
        roles = [m["role"] for m in request["messages"]]
        assert roles[:4] == ["system", "user", "assistant", "user"]
        assert request["messages"][0]["content"].startswith("Rate the CCGs.")
        assert request["messages"][1]["content"] == EXAMPLE_QUESTION
        assert request["messages"][2]["content"] == EXAMPLE_ANSWER
        assert request["messages"][3]["content"].startswith(question)
    assert sorted(asked.answers) == [0, 1]
    assert asked.answers[0].ccgs[0].overall_sentence == 4


def test_v25_teaches_each_kind_of_question_by_an_example_answer_on_one_line() -> None:
    prompt = load_prompt("v25")
    for questions in (prompt.ratings, prompt.quotes, prompt.figures):
        assert questions is not None and questions.example is not None
        answer = questions.example[1]
        assert answer.startswith("```json\n{") and answer.endswith("}\n```")
        assert answer.count("\n") == 2, "the example answer is one line of JSON"
        assert "null" not in answer and "[]" not in answer
    assert load_prompt("v23").ratings.example is None  # type: ignore[union-attr]
