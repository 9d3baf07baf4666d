"""Tests of `extractor.model.prompts`: loading prompt folders, their hash and their messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.errors import ConfigurationError
from extractor.model.prompt_slots import EACH_SLOTS
from extractor.model.prompts import (
    ARTICLE_SLOT,
    MAX_TURNS_PER_FOLLOWUP,
    Prompt,
    available_prompts,
    load_prompt,
    prompts_dir,
)
from extractor.schema import PromptInfo


@pytest.fixture(autouse=True)
def _no_prompts_dir_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EXTRACTOR_PROMPTS_DIR", raising=False)


def make_prompt(folder: Path, system: str = "Extract ratings.", user: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "system.md").write_text(system, encoding="utf-8")
    if user is not None:
        (folder / "user.md").write_text(user, encoding="utf-8")
    return folder


def test_load_prompt_v1() -> None:
    prompt = load_prompt("v1")
    system_file = prompts_dir() / "v1" / "system.md"
    assert prompt.name == "v1"
    assert prompt.system == system_file.read_text(encoding="utf-8").strip()
    assert ARTICLE_SLOT in prompt.user_template
    assert re.fullmatch(r"[0-9a-f]{64}", prompt.sha256)
    assert prompt.info == PromptInfo(name="v1", sha256=prompt.sha256)
    assert "v1" in available_prompts()


def test_hash_is_stable_for_the_same_files(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p")
    assert load_prompt(str(folder)).sha256 == load_prompt(str(folder)).sha256


def test_hash_changes_when_a_file_changes(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p", system="Extract ratings.")
    original = load_prompt(str(folder)).sha256
    (folder / "system.md").write_text("Extract ratings!", encoding="utf-8")
    edited = load_prompt(str(folder)).sha256
    assert edited != original
    (folder / "user.md").write_text("Article:\n{{article}}", encoding="utf-8")
    with_user = load_prompt(str(folder)).sha256
    assert with_user not in (original, edited)
    (folder / "user.md").unlink()
    (folder / "system.md").write_text("Extract ratings.", encoding="utf-8")
    assert load_prompt(str(folder)).sha256 == original


def test_hash_changes_when_the_response_schema_changes(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p")
    without = load_prompt(str(folder)).sha256
    schema_a = load_prompt(str(folder), {"type": "object", "title": "A"}).sha256
    schema_b = load_prompt(str(folder), {"type": "object", "title": "B"}).sha256
    reordered = load_prompt(str(folder), {"title": "A", "type": "object"}).sha256
    assert len({without, schema_a, schema_b}) == 3
    assert reordered == schema_a  # key order is not a change


def test_prompt_found_by_name_in_prompts_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_prompt(tmp_path / "alpha", system="  Alpha instructions.\n")
    monkeypatch.setenv("EXTRACTOR_PROMPTS_DIR", str(tmp_path))
    prompt = load_prompt("alpha")
    assert prompt.name == "alpha"
    assert prompt.system == "Alpha instructions."


def test_unknown_prompt_lists_the_available_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_prompt(tmp_path / "beta")
    make_prompt(tmp_path / "alpha")
    (tmp_path / "gamma").mkdir()  # no system.md: not a prompt
    monkeypatch.setenv("EXTRACTOR_PROMPTS_DIR", str(tmp_path))
    assert available_prompts() == ["alpha", "beta"]
    with pytest.raises(ConfigurationError) as caught:
        load_prompt("nope")
    message = str(caught.value)
    assert "'nope'" in message
    assert "alpha, beta" in message
    assert "gamma" not in message


def test_user_template_without_article_slot_is_rejected(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p", user="Here is the article: {article}")
    with pytest.raises(ConfigurationError, match=re.escape(ARTICLE_SLOT)):
        load_prompt(str(folder))


def test_messages_put_the_system_prompt_first_and_the_article_last(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p", system="Instructions.\n", user="Read this:\n{{article}}")
    article = "NHS St Helens CCG was rated good."
    messages = load_prompt(str(folder)).messages(article)
    assert [m["role"] for m in messages] == ["system", "user"]
    assert messages[0]["content"] == "Instructions."
    assert messages[-1]["content"] == "Read this:\n" + article
    assert article not in messages[0]["content"]


def test_default_user_template_ends_with_the_article() -> None:
    article = "NHS St Helens CCG was rated good."
    messages = load_prompt("v1").messages(article)
    assert messages[0]["role"] == "system"
    assert messages[-1]["role"] == "user"
    assert messages[-1]["content"].endswith(article)
    assert ARTICLE_SLOT not in messages[-1]["content"]


def test_prompt_versions_are_listed_in_number_order() -> None:
    names = available_prompts()
    numbered = [n for n in names if n.startswith("v") and n[1:].isdigit()]
    assert numbered == sorted(numbered, key=lambda n: int(n[1:]))
    assert numbered.index("v2") < numbered.index("v10")


def test_followups_are_asked_in_name_order_and_skipped_when_their_search_finds_nothing(
    tmp_path: Path,
) -> None:
    folder = make_prompt(tmp_path / "p", user="{{article}}")
    (folder / "followup.md").write_text("Anything left out?\n", encoding="utf-8")
    (folder / "followup_national.md").write_text("National:\n{{national_sentences}}")
    (folder / "followup_figures.md").write_text("Figures:\n{{figure_sentences}}")
    prompt = load_prompt(str(folder))
    assert len(prompt.followups) == 3
    article = "NHS Riverside CCG was rated good. Some 72 per cent of patients were seen quickly."
    turns = prompt.followup_turns(article)
    # No sentence gives figures for many CCGs, so the national follow-up is not asked.
    assert turns == [
        "Anything left out?",
        "Figures:\n- Some 72 per cent of patients were seen quickly.",
    ]
    national = "Across England, 20% of the 180 CCGs assessed were rated 'good'."
    assert len(prompt.followup_turns(f"{article} {national}")) == 3


def test_a_prompt_without_followups_has_no_later_turns(tmp_path: Path) -> None:
    prompt = load_prompt(str(make_prompt(tmp_path / "p")))
    assert prompt.followups == ()
    assert prompt.followup_turns("NHS Riverside CCG was rated good.") == []


GROUP_ARTICLE = (
    "NHS Riverside CCG was rated good. "
    "All three CCGs were rated 'green' for patient engagement. "
    "The two CCGs in the north were also rated good for cancer. "
    "Riverside CCG was rated amber for leadership."
)


def with_followup(tmp_path: Path, name: str, text: str) -> Prompt:
    """A prompt whose only follow-up is `text`, in `name`."""
    folder = make_prompt(tmp_path / "p", user="{{article}}")
    (folder / name).write_text(text)
    return load_prompt(str(folder))


def test_a_followup_with_a_per_sentence_slot_is_asked_once_per_group_sentence(
    tmp_path: Path,
) -> None:
    prompt = with_followup(tmp_path, "followup_group.md", 'Rated: "{{group_rating_sentence}}"')
    # Riverside's own amber sentence names one CCG, not a group: no turn for it.
    assert prompt.followup_turns(GROUP_ARTICLE) == [
        "Rated: \"All three CCGs were rated 'green' for patient engagement.\"",
        'Rated: "The two CCGs in the north were also rated good for cancer."',
    ]
    assert prompt.followup_turns("NHS Riverside CCG was rated amber for leadership.") == []


def test_an_area_sentence_followup_is_asked_once_per_area_rating_sentence(
    tmp_path: Path,
) -> None:
    prompt = with_followup(tmp_path, "followup_area.md", "Areas: {{area_sentence}}")
    # one CCG's or a group's, each sentence naming an area and a rating is asked about
    assert prompt.followup_turns(GROUP_ARTICLE) == [
        "Areas: The two CCGs in the north were also rated good for cancer."
    ]
    article = "Riverside CCG was rated good for cancer. Dementia care was rated inadequate."
    assert prompt.followup_turns(article) == [
        "Areas: Riverside CCG was rated good for cancer.",
        "Areas: Dementia care was rated inadequate.",
    ]


def test_per_sentence_turns_stop_at_the_cap(tmp_path: Path) -> None:
    prompt = with_followup(tmp_path, "followup_group.md", "{{group_rating_sentence}}")
    items = "ABCDEFGH"[: MAX_TURNS_PER_FOLLOWUP + 2]
    article = " ".join(f"Its CCGs were rated 'green' for item {item}." for item in items)
    turns = prompt.followup_turns(article)
    assert len(turns) == MAX_TURNS_PER_FOLLOWUP
    assert turns[0] == "Its CCGs were rated 'green' for item A."


def test_a_followup_with_two_per_sentence_slots_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(EACH_SLOTS, "{{other_sentence}}", lambda article: [])
    folder = make_prompt(tmp_path / "p")
    (folder / "followup.md").write_text("{{group_rating_sentence}} {{other_sentence}}")
    with pytest.raises(ConfigurationError, match="2 per-sentence slots"):
        load_prompt(str(folder))


def test_recheck_is_loaded_when_the_folder_has_one(tmp_path: Path) -> None:
    folder = make_prompt(tmp_path / "p")
    assert load_prompt(str(folder)).recheck is None
    (folder / "recheck.md").write_text("Sentences naming {{ccg}}:\n{{ccg_sentences}}\n")
    prompt = load_prompt(str(folder))
    assert prompt.recheck == "Sentences naming {{ccg}}:\n{{ccg_sentences}}"
    # recheck.md is asked after grounding, never as a follow-up
    assert prompt.followup_turns(GROUP_ARTICLE) == []
