"""Unit tests for `extractor.names.prompt_list`: the literal CCG-name search behind `{{ccgs}}`."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.model.prompts import load_prompt
from extractor.names.prompt_list import ccgs_named, render_ccg_list

ARTICLES = Path(__file__).resolve().parent.parent / "eval" / "articles"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("NHS Vale of York CCG was rated good.", ["NHS Vale of York CCG"]),
        ("Both Hull CCG and Doncaster CCG were rated outstanding.", ["Hull CCG", "Doncaster CCG"]),
        ("FOR the second year running Riverside CCG was rated good.", ["Riverside CCG"]),
        ("NHS Stoke-on-Trent CCG said so.", ["NHS Stoke-on-Trent CCG"]),
        (
            "ST HELENS Clinical Commissioning Group (CCG), which",
            ["ST HELENS Clinical Commissioning Group (CCG)"],
        ),
        (
            "Stafford and Surrounds CCG and Cannock Chase CCG met it.",
            ["Stafford and Surrounds CCG", "Cannock Chase CCG"],
        ),
        ("\u2018NHS Bradford City CCG\u2019 was rated inadequate.", ["NHS Bradford City CCG"]),
    ],
)
def test_names_are_taken_as_written(text: str, names: list[str]) -> None:
    assert ccgs_named(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "Five of the six CCGs were rated inadequate.",
        "A spokeswoman for the CCG said it was pleased.",
        "The CCG was rated good. Each CCG gets a rating.",
        "NHS England looked at the quality of CCG leadership.",
        "Riverside CCGs merged.",
    ],
)
def test_phrases_that_name_no_ccg_give_nothing(text: str) -> None:
    assert ccgs_named(text) == []


def test_a_word_before_a_reference_ccg_is_trimmed() -> None:
    # "Meanwhile" is a stop word; "Patients" is not, but "Cannock Chase" is in the table.
    assert ccgs_named("Meanwhile Cannock Chase CCG was rated good.") == ["Cannock Chase CCG"]
    assert ccgs_named("Patients Cannock Chase CCG") == ["Cannock Chase CCG"]


def test_each_ccg_once_in_order_of_first_mention() -> None:
    text = "NHS St Helens CCG was rated good. Wigan CCG too. St Helens CCG said thanks."
    assert ccgs_named(text) == ["NHS St Helens CCG", "Wigan CCG"]


def test_every_ccg_of_the_staffordshire_article_is_found() -> None:
    text = (ARTICLES / "003_254b6992129abbf8.txt").read_text(encoding="utf-8")
    names = ccgs_named(text)
    assert sorted(names) == sorted(
        [
            "Stafford and Surrounds CCG",
            "Cannock Chase CCG",
            "North Staffordshire CCG",
            "Stoke-on-Trent CCG",
            "East Staffordshire CCG",
        ]
    )


def test_render_lists_names_or_says_none() -> None:
    assert render_ccg_list("Hull CCG and Doncaster CCG") == "Hull CCG, Doncaster CCG"
    assert render_ccg_list("No names here.") == "none"


def test_ccgs_slot_is_filled_before_the_article(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "system.md").write_text("Instructions.\n", encoding="utf-8")
    (folder / "user.md").write_text("{{article}}\nNamed: {{ccgs}}", encoding="utf-8")
    article = "Wigan CCG was rated good. A stray {{ccgs}} stays as the article wrote it."
    user = load_prompt(str(folder)).messages(article)[-1]["content"]
    assert user == article + "\nNamed: Wigan CCG"
    assert user.count("{{ccgs}}") == 1  # the article's own text is untouched


def test_a_comma_inside_a_reference_name_is_kept() -> None:
    text = "NHS Airedale, Wharfedale and Craven CCG was rated good. Leeds, Wigan CCG too."
    assert ccgs_named(text) == ["NHS Airedale, Wharfedale and Craven CCG", "Wigan CCG"]
