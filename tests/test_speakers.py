"""Unit tests for `extractor.text.speakers`: who said a quotation, tidied against the article."""

from __future__ import annotations

import pytest

from extractor.text.speakers import (
    attribution_context,
    is_pronoun,
    is_writer,
    named_after,
    named_beside,
    pronoun_antecedent,
    speaker_in_article,
    spokesperson_before,
    tidy_speaker,
    written_in,
)

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
        ("Dr Cath Jones, GP Clinical Chair", None, ("Dr Cath Jones", "GP Clinical Chair")),
        ("Dr Cath Jones, GP Clinical Chair", "chair", ("Dr Cath Jones", "chair")),
        ("Jones, Cath", None, ("Jones, Cath", None)),  # one word before the comma: no split
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


SPEECHES = (
    "Westbrook CCG was rated good. NHS England published the ratings.\n\n"
    "Jo Bloggs, chief officer of Westbrook CCG, said: \u201cWe are proud.\n\n"
    "\u201cWe will keep going.\u201d\n\n"
    "The CCG thanked its staff.\n\n"
    "Ann Lee, a council director, said: \u201cGood news.\u201d\n\n"
    "Bloggs joined in 2015 as clinical lead.\n"
)


def test_the_attribution_context_is_the_speech_and_the_paragraphs_naming_the_speaker() -> None:
    second_paragraph = SPEECHES.index("\u201cWe will keep going")
    context = attribution_context(SPEECHES, second_paragraph, "Jo Bloggs")
    assert "chief officer of Westbrook CCG" in context  # the paragraph the speech began in
    assert "clinical lead" in context  # a later paragraph naming her
    assert "NHS England" not in context and "council director" not in context
    lee = attribution_context(SPEECHES, SPEECHES.index("Good news"), "Ann Lee")
    assert "council director" in lee and "chief officer" not in lee


def test_written_in_matches_whole_words_ignoring_case_and_punctuation() -> None:
    assert written_in("Chief Officer", "Jo Bloggs, chief officer of X")
    assert written_in("O'Brien", "Prof O\u2019Brien")
    assert not written_in("chief", "the chiefly concern")
    assert not written_in("", "anything")


@pytest.mark.parametrize(
    ("before", "speaker", "organisation"),
    [
        ("Priya Nandra, chief officer of the CCG, said the rating was fair.", "Priya Nandra", None),
        ("Speaking at the board, Dr Tom Hale told members he was pleased.", "Dr Tom Hale", None),
        (
            "A spokesperson for NHS Bury CCG, which serves 190,000 people, said it was working "
            "on a plan. She insisted the finances were improving.",
            "spokesperson",
            "NHS Bury CCG",
        ),
    ],
)
def test_a_pronoun_before_a_quotation_stands_for_the_last_person_reported(
    before: str, speaker: str, organisation: str | None
) -> None:
    article = (
        f"Ratings were out on Monday.\n\n{before}\n\nShe added: \u201cWe will do better.\u201d"
    )
    found = pronoun_antecedent(article, article.index("We will"))
    assert found is not None
    assert found.speaker.startswith(speaker)
    assert found.organisation == organisation


def test_a_pronoun_with_no_person_reported_before_it_stands_for_nobody() -> None:
    article = (
        "NHS England said 20 CCGs were rated good.\n\nHe said: \u201cIt is a fair result.\u201d"
    )
    assert pronoun_antecedent(article, article.index("It is")) is None


@pytest.mark.parametrize(
    ("after", "named"),
    [
        (
            ", said Dr Amir Patel, the CCG\u2019s clinical chair.",
            "Dr Amir Patel, the CCG\u2019s clinical chair",
        ),
        ("\u201d added Jo Black.", "Jo Black"),
        (", says a spokesman for the council.", "a spokesman for the council"),
    ],
)
def test_the_speaker_named_right_after_a_quotation(after: str, named: str) -> None:
    article = f"\u201cWe are proud of our staff{after}"
    end = article.index("staff") + len("staff")
    assert named_after(article, end) == named


@pytest.mark.parametrize(
    "after", [", said the report.", ". The CCG met on Monday.", ", said NHS England."]
)
def test_no_person_named_after_a_quotation(after: str) -> None:
    article = f"\u201cWe are proud of our staff{after}"
    assert named_after(article, article.index("staff") + len("staff")) is None


@pytest.mark.parametrize(
    ("speaker", "writer"),
    [
        ("I", True),
        ("I asked the CCG for a comment", True),
        ("me", True),
        ("Ian Black", False),
        ("I. Black", False),
        (None, False),
    ],
)
def test_the_writer_is_no_speaker(speaker: str | None, writer: bool) -> None:
    assert is_writer(speaker) is writer


def test_the_spokesperson_the_writer_asked_is_the_speaker() -> None:
    article = "I asked the CCG and a spokeswoman sent me this: \u2018We will improve.\u2019"
    assert spokesperson_before(article, article.index("We will")) == "spokeswoman"
    assert spokesperson_before("I asked: \u2018Why?\u2019", 10) is None


@pytest.mark.parametrize(
    ("article", "role", "named"),
    [
        ("Our chair, Trevor Blake, said: \u201cYes.\u201d", "Our chair", "Trevor Blake, Our chair"),
        (
            "Bury's clinical chair, Dr Ann Lee, wrote: \u201cYes.\u201d",
            "Bury's clinical chair",
            "Dr Ann Lee, Bury's clinical chair",
        ),
        (
            "The chief officer, Sam Hill, added that it was fair.",
            "The chief officer",
            "Sam Hill, The chief officer",
        ),
    ],
)
def test_a_role_given_as_the_speaker_is_the_person_named_beside_it(
    article: str, role: str, named: str
) -> None:
    assert named_beside(article, role) == named


def test_a_named_speaker_or_a_role_with_no_name_beside_it_is_left_alone() -> None:
    article = "Our chair, Trevor Blake, said: \u201cYes.\u201d The board chair said no more."
    assert named_beside(article, "Trevor Blake") is None
    assert named_beside(article, "The board chair") is None


@pytest.mark.parametrize(
    ("speaker", "role"),
    [
        ("Service user, Boston", "Service user"),
        ("A young man from Gainsborough", "young man"),
        ("Carer, Grantham", "Carer"),
    ],
)
def test_a_speaker_described_not_named_has_that_role(speaker: str, role: str) -> None:
    article = f"Several carers wrote to us. \u201cIt was hard.\u201d \u2013 {speaker}"
    assert tidy_speaker(speaker, "spokeswoman", article) == (None, role)


def test_a_surname_is_no_description() -> None:
    article = "Dr Anna Carter, the chair, said: \u201cYes.\u201d"
    assert tidy_speaker("Carter", None, article) == ("Dr Anna Carter", None)
