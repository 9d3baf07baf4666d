"""Unit tests for `extractor.crosscheck`: checks that read beyond a fact's own words."""

from __future__ import annotations

import pytest

from extractor.crosscheck import names_indicator, rated_otherwise
from extractor.grounding import locate
from extractor.schema import Evidence, Rating

GROUP_ARTICLE = (
    "Three of the four CCGs in Lakeshire have been rated inadequate for 2022/23. "
    "North Lakeshire CCG and Lake Vale CCG missed their control totals. "
    "Hillside CCG kept its good rating. "
    "Lake Vale CCG was rated good for dementia. "
    "West Lakeshire CCG was rated good last year. "
    "Hillside CCG was rated outstanding in 2020/21."
)
GROUP_SENTENCE = "Three of the four CCGs in Lakeshire have been rated inadequate"


def evidence(quote: str, article: str = GROUP_ARTICLE) -> Evidence:
    found = locate(quote, article)
    assert found is not None
    return found


def test_a_ccg_whose_own_sentence_states_another_rating_is_caught() -> None:
    own = rated_otherwise(
        GROUP_ARTICLE, "Hillside CCG", Rating.inadequate, evidence(GROUP_SENTENCE), "2022/23"
    )
    assert own == "Hillside CCG kept its good rating."


@pytest.mark.parametrize(
    ("ccg", "overall", "quote"),
    [
        ("Hillside CCG", Rating.good, GROUP_SENTENCE),  # the same rating: no conflict
        ("North Lakeshire CCG", Rating.inadequate, GROUP_SENTENCE),  # no rating of its own
        ("Lake Vale CCG", Rating.inadequate, GROUP_SENTENCE),  # "good for dementia": an area
        ("West Lakeshire CCG", Rating.inadequate, GROUP_SENTENCE),  # "last year"
        ("Hillside CCG", Rating.good, "Hillside CCG kept its good rating"),  # names it
    ],
)
def test_no_conflict(ccg: str, overall: Rating, quote: str) -> None:
    assert rated_otherwise(GROUP_ARTICLE, ccg, overall, evidence(quote), "2022/23") is None


def test_a_sentence_about_another_year_is_no_conflict() -> None:
    article = "Hillside CCG was rated outstanding in 2020/21. All CCGs were rated good in 2022/23."
    found = evidence("All CCGs were rated good", article)
    assert rated_otherwise(article, "Hillside CCG", Rating.good, found, "2022/23") is None
    assert rated_otherwise(article, "Hillside CCG", Rating.good, found, "2020/21") == (
        "Hillside CCG was rated outstanding in 2020/21."
    )


@pytest.mark.parametrize(
    ("sentence", "name", "named"),
    [
        ("Its leadership was rated green.", "leadership", True),
        ("It was rated good for better care.", "Better care", True),
        (
            "All six were rated Green in the Patient and Community Engagement Indicator.",
            "Patient and Community Engagement Indicator",
            True,
        ),
        ("The CCG was awarded an overall rating of Good.", "better health", False),
        ("The CCG was awarded an overall rating of Good.", "leadership", False),
    ],
)
def test_names_indicator(sentence: str, name: str, named: bool) -> None:
    assert names_indicator(sentence, name) is named
