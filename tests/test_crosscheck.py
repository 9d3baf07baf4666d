"""Tests of the checks that read beyond a fact's own words (proof: areas_and_indicators, overall,
national, grounder)."""

from __future__ import annotations

import pytest

from extractor.names.reference_table import evidence_names_ccg
from extractor.proof.areas_and_indicators import (
    names_indicator,
    pairs_area_with_rating,
    ratings_given_to,
)
from extractor.proof.national import national_figure_stated
from extractor.proof.overall import (
    about_another_year,
    is_share_of_all_ccgs,
    own_rating_sentences,
    rates_only_areas,
)
from extractor.schema import Evidence
from extractor.text.quote_search import locate

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


def test_own_rating_sentences_name_the_ccg_and_state_one_rating() -> None:
    [(sentence, rating)] = own_rating_sentences(GROUP_ARTICLE, "Hillside CCG", "2022/23")
    assert (sentence.quote, rating) == ("Hillside CCG kept its good rating.", "good")
    assert GROUP_ARTICLE[sentence.start : sentence.end] == sentence.quote


@pytest.mark.parametrize(
    "ccg",
    [
        "North Lakeshire CCG",  # its sentence states no rating
        "Lake Vale CCG",  # "good for dementia": an area rating
        "West Lakeshire CCG",  # "last year"
        "Nowhere CCG",  # not in the article
    ],
)
def test_sentences_that_do_not_state_this_years_overall_rating_are_not_own(ccg: str) -> None:
    assert own_rating_sentences(GROUP_ARTICLE, ccg, "2022/23") == []


def test_a_sentence_about_another_assessment_year_is_not_own() -> None:
    # "Hillside CCG was rated outstanding in 2020/21." counts for 2020/21 only; a sentence
    # that writes no year ("kept its good rating") counts for any.
    ratings = [r for _, r in own_rating_sentences(GROUP_ARTICLE, "Hillside CCG", "2020/21")]
    assert ratings == ["good", "outstanding"]


def test_evidence_names_ccg_shares_and_other_years() -> None:
    assert evidence_names_ccg(evidence("Hillside CCG kept its good rating"), "NHS Hillside CCG")
    assert not evidence_names_ccg(evidence(GROUP_SENTENCE), "Hillside CCG")
    share = locate("54% of CCGs were rated good", "Nationally, 54% of CCGs were rated good.")
    assert share is not None and is_share_of_all_ccgs(share)
    assert not is_share_of_all_ccgs(evidence(GROUP_SENTENCE))
    assert about_another_year(evidence("West Lakeshire CCG was rated good last year"))


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


MIXED = (
    "Riverside CCG was rated 'good' for cancer and dementia services and 'requires "
    "improvement' for maternity, mental health services and services for people with "
    "learning disabilities."
)


@pytest.mark.parametrize(
    ("sentence", "area", "rating"),
    [
        (MIXED, ("cancer",), "good"),
        (MIXED, ("dementia",), "good"),
        (MIXED, ("maternity",), "requires_improvement"),
        (MIXED, ("mental health",), "requires_improvement"),
        (MIXED, ("learning disabilities",), "requires_improvement"),
        (
            "It was outstanding for cancer, while dementia care was rated inadequate.",
            ("dementia",),
            "inadequate",
        ),
        ("Cancer care was rated outstanding and maternity good.", ("cancer",), "outstanding"),
    ],
)
def test_ratings_given_to_an_area(sentence: str, area: tuple[str, ...], rating: str) -> None:
    assert ratings_given_to(sentence, area) == {rating}


def test_a_sentence_with_several_ratings_must_pair_the_area_with_the_claimed_one() -> None:
    assert pairs_area_with_rating(MIXED, ("maternity",), "requires_improvement")
    assert not pairs_area_with_rating(MIXED, ("maternity",), "good")
    assert not pairs_area_with_rating(MIXED, ("cancer",), "requires_improvement")
    # one rating only: nothing to pair, the usual checks decide
    assert pairs_area_with_rating("Cancer care was rated good.", ("cancer",), "good")


NATIONAL = [
    "Across England, 60% of CCGs were rated 'good' and 8% 'outstanding' for 2022/23.",
    "The share rated 'inadequate' is down 3% on last year, and those rated 'outstanding' rose.",
    "In all, 15 CCGs were rated 'requires improvement' out of 180 CCGs assessed.",
]


@pytest.mark.parametrize(
    ("value", "rating", "percent", "stated"),
    [
        (60, "good", True, True),
        (8, "outstanding", True, True),
        (8, "good", True, False),  # the first rating after 8% is outstanding
        (3, "outstanding", True, False),  # "down 3%" is a change, not a share
        (15, "requires_improvement", False, True),
        (15, "requires_improvement", True, False),  # a number of CCGs, not a share
        (180, "good", False, False),  # no rating follows it
        (6, "good", True, False),  # only part of "60"
    ],
)
def test_a_national_figure_is_stated_for_the_first_rating_after_it(
    value: float, rating: str, percent: bool, stated: bool
) -> None:
    assert national_figure_stated(NATIONAL, value, rating, percent=percent) is stated


@pytest.mark.parametrize(
    ("sentence", "rating", "only_areas"),
    [
        ("The four CCGs were also rated 'good' for maternity services.", "good", True),
        ("Riverside CCG was rated good in cancer care.", "good", True),
        (
            "Riverside CCG was rated 'good' for cancer and 'requires improvement' for maternity, "
            "diabetes and dementia services.",
            "requires_improvement",
            True,
        ),
        # the rating is the CCG's: "overall", a clause break, no area after it, another year
        ("Riverside CCG was rated good overall and outstanding for cancer.", "good", False),
        ("Riverside CCG was rated good, with praise for its cancer services.", "good", False),
        ("Riverside CCG has been rated good for the second year running.", "good", False),
        ("Riverside CCG was rated 'good' in the assessment for 2018/19.", "good", False),
        ("Cancer care in Riverside was rated outstanding by NHS England.", "outstanding", False),
        ("Riverside CCG was rated good for cancer and good overall.", "good", False),
        ("Riverside CCG was rated outstanding for cancer.", "good", False),
    ],
)
def test_rates_only_areas(sentence: str, rating: str, only_areas: bool) -> None:
    assert rates_only_areas(sentence, rating) is only_areas
