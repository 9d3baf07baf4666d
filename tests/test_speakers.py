"""Unit tests for `extractor.speakers`: who said a quotation, tidied against the article."""

from __future__ import annotations

import pytest

from extractor.speakers import is_pronoun, speaker_in_article, tidy_speaker

ARTICLE = (
    "Professor Sarah O\u2019Brien became interim chief executive. Yesterday Mike Palin spoke. "
    "Professor O\u2019Brien said: \u201cWe are pleased.\u201d A spokeswoman for the CCG said "
    "it would improve. Dr Lee said little."
)


@pytest.mark.parametrize(
    ("speaker", "role", "expected"),
    [
        ("A spokeswoman for the CCG", None, (None, "spokeswoman")),
        ("A spokeswoman for the CCG", "spokesman", (None, "spokeswoman")),
        ("Spokesman from NHS Riverside CCG", "press officer", (None, "press officer")),
        ("Professor O'Brien", "chief executive", ("Professor Sarah O'Brien", "chief executive")),
        ("Palin", None, ("Mike Palin", None)),  # not "Yesterday Mike Palin"
        ("Dr Lee", None, ("Dr Lee", None)),  # no fuller name in the article
        ("Mike Palin", "chief executive", ("Mike Palin", "chief executive")),
        ("  ", "chair", (None, "chair")),
    ],
)
def test_tidy_speaker(
    speaker: str, role: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert tidy_speaker(speaker, role, ARTICLE) == expected


def test_speaker_in_article_ignores_titles_and_apostrophe_forms() -> None:
    assert speaker_in_article("Prof O'Brien", ARTICLE)
    assert speaker_in_article("Mike Palin", ARTICLE)
    assert not speaker_in_article("Jane Smith", ARTICLE)
    assert not speaker_in_article("Dr", ARTICLE)


def test_a_pronoun_is_not_a_speaker() -> None:
    assert is_pronoun("He added") and is_pronoun(" she ") and is_pronoun("They")
    assert not is_pronoun("Helen Jones") and not is_pronoun("Theo Wu") and not is_pronoun(None)
