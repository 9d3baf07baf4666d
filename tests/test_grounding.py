"""Tests of `extractor.text.quote_search`: locating evidence quotes and widening their spans."""

from __future__ import annotations

import pytest

from extractor.schema import Evidence
from extractor.text.quote_search import (
    FUZZY_MIN_SCORE,
    locate,
    normalize_with_map,
    widen,
    widen_to_quotation,
    widen_to_sentence,
)

ARTICLE = (
    "NHS Riverside CCG has been rated \u201cgood\u201d in its 2017/18 annual assessment \u2013 "
    "an improvement on last year.\n"
    "The  clinical commissioning group was praised for its work on cancer\n"
    "services across the borough.\n"
)


def span(article: str, fragment: str) -> tuple[int, int]:
    """Offsets of the first occurrence of `fragment` (which must be there)."""
    start = article.index(fragment)
    return start, start + len(fragment)


def widened_sentence(article: str, fragment: str) -> str:
    start, end = widen_to_sentence(article, *span(article, fragment))
    return article[start:end]


def widened_quotation(article: str, fragment: str) -> str:
    start, end = widen_to_quotation(article, *span(article, fragment))
    return article[start:end]


# locate: the three tiers


def test_locate_exact_match_has_offsets_of_the_quote() -> None:
    evidence = locate("praised for its work", ARTICLE)
    assert evidence is not None
    assert evidence.match == "exact"
    assert evidence.score == 100.0
    assert (evidence.start, evidence.end) == span(ARTICLE, "praised for its work")
    assert evidence.quote == "praised for its work"


def test_locate_exact_after_trimming_quote_marks_and_full_stop_the_model_added() -> None:
    evidence = locate('  "praised for its work."  ', ARTICLE)
    assert evidence is not None
    assert evidence.match == "exact"
    assert evidence.quote == "praised for its work"
    assert (evidence.start, evidence.end) == span(ARTICLE, "praised for its work")


def test_locate_normalized_curly_quotes_and_dashes() -> None:
    evidence = locate('rated "good" in its 2017/18 annual assessment - an improvement', ARTICLE)
    assert evidence is not None
    assert evidence.match == "normalized"
    assert evidence.score == 100.0
    # The evidence is the article's own text, with its curly quotes and en dash.
    assert evidence.quote == (
        "rated \u201cgood\u201d in its 2017/18 annual assessment \u2013 an improvement"
    )


def test_locate_normalized_whitespace_and_case() -> None:
    evidence = locate("THE CLINICAL COMMISSIONING GROUP was praised", ARTICLE)
    assert evidence is not None
    assert evidence.match == "normalized"
    assert evidence.quote == "The  clinical commissioning group was praised"


def test_locate_normalized_across_a_hard_line_break() -> None:
    evidence = locate("work on cancer services", ARTICLE)
    assert evidence is not None
    assert evidence.match == "normalized"
    assert evidence.quote == "work on cancer\nservices"
    assert ARTICLE[evidence.start : evidence.end] == evidence.quote


def test_locate_fuzzy_keeps_score_and_widens_to_whole_words() -> None:
    evidence = locate("praised for its wrok on cancer services across the borough", ARTICLE)
    assert evidence is not None
    assert evidence.match == "fuzzy"
    assert FUZZY_MIN_SCORE <= evidence.score < 100.0
    assert evidence.quote == "praised for its work on cancer\nservices across the borough"


ASIDE_ARTICLE = (
    "ST HELENS Clinical Commissioning Group (CCG), which oversees healthcare across the "
    "borough, has been rated as 'requires improvement' overall. Wigan CCG was not rated good. "
    "Bolton CCG (which serves 280,000 people) was rated good."
)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        (
            "ST HELENS Clinical Commissioning Group (CCG) has been rated as 'requires improvement'",
            "ST HELENS Clinical Commissioning Group (CCG), which oversees healthcare across the "
            "borough, has been rated as 'requires improvement",  # edge quote marks trimmed
        ),
        ("Bolton CCG was rated good", "Bolton CCG (which serves 280,000 people) was rated good"),
    ],
)
def test_locate_elided_allows_one_left_out_aside(quote: str, expected: str) -> None:
    evidence = locate(quote, ASIDE_ARTICLE)
    assert evidence is not None
    assert evidence.match == "elided"
    assert evidence.quote == expected
    assert ASIDE_ARTICLE[evidence.start : evidence.end] == evidence.quote


@pytest.mark.parametrize(
    "quote",
    [
        "Wigan CCG was rated good",  # the left-out word "not" is no aside
        "ST HELENS Clinical Commissioning Group (CCG) was rated good",  # the tail is not there
        "has been rated as 'requires improvement' overall. Wigan CCG was rated good",
    ],
)
def test_locate_elided_refuses_anything_but_an_aside(quote: str) -> None:
    evidence = locate(quote, ASIDE_ARTICLE)
    assert evidence is None or evidence.match != "elided"


def test_locate_returns_none_for_an_absent_quote() -> None:
    assert locate("rated inadequate for maternity services in the county", ARTICLE) is None


@pytest.mark.parametrize("quote", [None, "", "   ", "\n\t"])
def test_locate_returns_none_without_a_quote(quote: str | None) -> None:
    assert locate(quote, ARTICLE) is None


def test_fuzzy_tier_needs_at_least_fifteen_characters() -> None:
    # One typo each; "praised for its" is in the article.
    assert locate("praised for iz", ARTICLE) is None  # 14 characters: too short to guess
    longer = locate("praised for itz", ARTICLE)  # 15 characters: fuzzy match allowed
    assert longer is not None
    assert longer.match == "fuzzy"
    assert longer.quote.startswith("praised for its")


def test_short_typo_quote_is_not_guessed() -> None:
    assert locate("rated goood", ARTICLE) is None


@pytest.mark.parametrize(
    "quote",
    [
        "praised for its work",
        '"praised for its work."',
        'rated "good" in its 2017/18',
        "ANNUAL ASSESSMENT - AN IMPROVEMENT",
        "work on cancer services",
        "praised for its wrok on cancer services across the borough",
        "\u201cgood\u201d",
        "praised for itz",
    ],
)
def test_evidence_quote_is_always_the_article_text_at_its_offsets(quote: str) -> None:
    evidence = locate(quote, ARTICLE)
    assert evidence is not None
    assert evidence.quote == ARTICLE[evidence.start : evidence.end]
    assert 0 <= evidence.start < evidence.end <= len(ARTICLE)
    assert evidence.quote == evidence.quote.strip()


def test_locate_with_precomputed_normalisation_gives_the_same_answer() -> None:
    quote = 'rated "good" in its 2017/18'
    assert locate(quote, ARTICLE, normalized_article=normalize_with_map(ARTICLE)) == locate(
        quote, ARTICLE
    )


def test_normalize_with_map_maps_each_character_back_to_the_original() -> None:
    text = "A\u2019b  \u201cC\u201d\n\u2013 d "
    normalized, positions = normalize_with_map(text)
    assert normalized == 'a\'b "c" - d'
    # The run of two spaces keeps its first; the trailing space is dropped.
    assert positions == [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11]


# widen_to_sentence


def test_widen_to_sentence_between_full_stops() -> None:
    article = "First sentence here. The CCG was rated good this year. Last one."
    assert widened_sentence(article, "rated good") == "The CCG was rated good this year."


def test_widen_to_sentence_crosses_a_hard_wrapped_line() -> None:
    article = "The CCG said the\nresult was good for patients. Next sentence."
    assert widened_sentence(article, "result") == "The CCG said the\nresult was good for patients."


@pytest.mark.parametrize(
    "wrapped",
    [
        "Bassetlaw CCG, which sits in the same county as\nNottinghamshire, had not been told "
        "its own rating\nby then.",
        "Notes to editors: both groups have shared one accountable officer with\nSalford since "
        "the\nspring.",
        "The board meets again in public at\nRochdale town hall on 4 October, when the plan "
        "will\nbe discussed.",
    ],
)
def test_the_last_paragraph_is_read_as_wrapped_prose_too(wrapped: str) -> None:
    """The paragraph that ends the text, with a line break after it, is one sentence when
    hard-wrapped, as every other paragraph is."""
    article = "Riverside CCG was rated good.\n\n" + wrapped + "\n"
    assert widened_sentence(article, wrapped.split()[1]) == wrapped
    assert widened_sentence(article, wrapped.split()[-1]) == wrapped


def test_widen_to_sentence_stops_at_a_paragraph_break() -> None:
    article = "Riverside CCG rated good\n\nThe CCG was rated good by NHS England"
    assert widened_sentence(article, "rated good by") == "The CCG was rated good by NHS England"


@pytest.mark.parametrize("bullet", ["*", "-", "\u2022"])
def test_widen_to_sentence_takes_one_bullet_without_its_marker(bullet: str) -> None:
    article = (
        f"Ratings:\n{bullet} Cancer: good\n{bullet} Dementia: inadequate\n{bullet} Diabetes: good\n"
    )
    assert widened_sentence(article, "Dementia") == "Dementia: inadequate"
    assert widened_sentence(article, "Cancer") == "Cancer: good"


def test_widen_to_sentence_keeps_a_closing_quote_mark() -> None:
    article = 'He said "it was good." Then more followed.'
    assert widened_sentence(article, "it was") == 'He said "it was good."'


def test_widen_to_sentence_does_not_split_at_st_abbreviation() -> None:
    article = "Last year was hard. NHS St. Helens CCG was rated good. Next one."
    assert widened_sentence(article, "rated good") == "NHS St. Helens CCG was rated good."


def test_widen_to_sentence_at_article_edges() -> None:
    article = "The CCG was rated good"
    assert widened_sentence(article, "rated") == article


def test_widen_to_sentence_leaves_a_span_inside_an_overlong_sentence() -> None:
    article = "The CCG " + "and more " * 80 + "was rated good. Next."
    start, end = span(article, "rated good")
    assert widen_to_sentence(article, start, end) == (start, end)


# widen_to_quotation


def test_widen_to_quotation_curly_quotes() -> None:
    article = (
        "Dr Lee said: \u201cWe are delighted with the rating. Staff worked hard.\u201d "
        "The CCG agreed."
    )
    assert (
        widened_quotation(article, "delighted with")
        == "We are delighted with the rating. Staff worked hard."
    )


def test_widen_to_quotation_straight_quotes() -> None:
    article = '"We are proud of our staff," said Dr Lee. "It shows what we can do."'
    assert widened_quotation(article, "proud of") == "We are proud of our staff,"
    assert widened_quotation(article, "what we can") == "It shows what we can do."


def test_widen_to_quotation_single_curly_quotes() -> None:
    article = "Dr Lee said: \u2018We are rated good, and proud.\u2019 Then more."
    assert widened_quotation(article, "rated good") == "We are rated good, and proud."


def test_widen_to_quotation_keeps_an_apostrophe_inside_the_quote() -> None:
    article = "She said: \u201cOur patients\u2019 care is good,\u201d adding more."
    assert widened_quotation(article, "care is good") == "Our patients\u2019 care is good,"


def test_widen_to_quotation_nested_quote_marks() -> None:
    article = (
        "She said: \u201cWe were rated \u2018good\u2019 overall and we are proud,\u201d she said."
    )
    assert (
        widened_quotation(article, "we are proud")
        == "We were rated \u2018good\u2019 overall and we are proud,"
    )


def test_widen_to_quotation_span_starting_with_the_opening_mark() -> None:
    article = "Dr Lee said: \u201cWe are delighted with the rating.\u201d Then more."
    assert widened_quotation(article, "\u201cWe are delighted") == (
        "We are delighted with the rating."
    )


def test_widen_to_quotation_open_quote_runs_to_the_paragraph_end() -> None:
    article = "Dr Lee said: \u201cWe are delighted with the rating\n\nAnd it goes on.\u201d End."
    assert widened_quotation(article, "delighted") == "We are delighted with the rating"


def test_widen_to_quotation_crosses_a_hard_wrapped_line() -> None:
    article = 'She said: "We are proud of our\nstaff and partners," she said. "Next we go."'
    assert widened_quotation(article, "proud of") == "We are proud of our\nstaff and partners,"


def test_widen_to_quotation_with_one_paragraph_per_line() -> None:
    # Quirk of some press releases: paragraphs end with a single line break and a quote
    # running over several paragraphs leaves each one unclosed.
    article = (
        "Dr Lee said: \u2018This is a great tribute to our staff.\n"
        "\u2018Our staff work hard every day.\n"
        "He added: \u2018We will keep going.\u2019 More news.\n"
    )
    assert widened_quotation(article, "great tribute") == "This is a great tribute to our staff."
    assert widened_quotation(article, "work hard") == "Our staff work hard every day."
    assert widened_quotation(article, "keep going") == "We will keep going."


def test_widen_to_quotation_falls_back_to_the_sentence_without_quote_marks() -> None:
    article = "The CCG said it had improved. Dr Lee said staff worked hard. More."
    assert widened_quotation(article, "staff worked") == "Dr Lee said staff worked hard."


@pytest.mark.parametrize(
    "article",
    [
        "Dr Jones said: \u201cWe are delighted.\u201d She said the team had worked hard. More.",
        '"We are delighted," said Dr Jones. She said the team had worked hard. More.',
    ],
)
def test_widen_to_quotation_after_a_closed_quotation_falls_back_to_the_sentence(
    article: str,
) -> None:
    assert widened_quotation(article, "the team had") == "She said the team had worked hard."


def test_widen_to_quotation_ignores_an_opening_mark_in_an_earlier_paragraph() -> None:
    article = "He began: \u201cWe are proud\n\nThe CCG was rated good. More."
    assert widened_quotation(article, "rated good") == "The CCG was rated good."


# widen


def test_widen_updates_quote_and_offsets_and_keeps_match() -> None:
    article = "Intro. The CCG was rated good this year. End."
    start, end = span(article, "rated good")
    evidence = Evidence(quote="rated good", start=start, end=end, match="fuzzy", score=95.0)
    widened = widen(article, evidence, "sentence")
    assert widened.quote == "The CCG was rated good this year."
    assert widened.quote == article[widened.start : widened.end]
    assert (widened.match, widened.score) == ("fuzzy", 95.0)
    assert widen(article, evidence, "span") == evidence
