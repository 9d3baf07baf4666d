"""Proving the model's CCG ratings against their sentences, on made-up articles."""

from __future__ import annotations

import pytest

from extractor.answer.ccgs import CcgAnswer, RatedItem
from extractor.names.context import ccg_contexts
from extractor.proof.assemble import prove_ratings
from extractor.proof.dates import article_year
from extractor.schema import Assessment


def _prove(
    article: str, *answers: CcgAnswer, year: str | None = None
) -> tuple[dict[str, Assessment], list[str]]:
    contexts = ccg_contexts(article)
    pairs = [(contexts, answer) for answer in answers]
    assessments, dropped = prove_ratings(article, pairs, contexts, year=year)
    return {a.ccg.name: a for a in assessments}, [d.reason for d in dropped]


GROUP = (
    "Four of the five CCGs in the county were rated inadequate in the 2017/18 assessment. "
    "NHS Bury CCG, NHS Oldham CCG and NHS Trafford CCG must now agree recovery plans. "
    "The exception was NHS Salford CCG, which kept its good rating."
)


def test_a_group_rating_goes_to_each_named_member_but_not_to_the_exception() -> None:
    names = ("NHS Bury CCG", "NHS Oldham CCG", "NHS Trafford CCG", "NHS Salford CCG")
    answers = [CcgAnswer(ccg=n, overall="inadequate", overall_sentence=1) for n in names]
    found, dropped = _prove(GROUP, *answers)
    assert {n: a.overall for n, a in found.items() if a.overall} == {
        "Bury": "inadequate",
        "Oldham": "inadequate",
        "Trafford": "inadequate",
        "Salford": "good",  # the model's group rating is dropped; its own sentence proves good
    }
    assert "no sentence about the CCG gives it this rating" in dropped


def test_a_list_under_a_rating_heading_rates_each_line_without_the_model() -> None:
    article = (
        "The 2018/19 results\n\nRated outstanding\n\u2022 Bury\n\u2022 Oldham\n\n"
        "Rated inadequate\n\u2022 Trafford\n"
    )
    found, _ = _prove(article)
    assert {n: a.overall for n, a in found.items()} == {
        "Bury": "outstanding",
        "Oldham": "outstanding",
        "Trafford": "inadequate",
    }
    assert found["Trafford"].evidence is not None
    assert found["Trafford"].evidence.quote == "Rated inadequate"


def test_table_rows_rate_their_ccg() -> None:
    article = "Bury CCG | Good\nOldham CCG | Requires improvement\nTrafford CCG | Outstanding\n"
    found, _ = _prove(article)
    assert {n: a.overall for n, a in found.items()} == {
        "Bury": "good",
        "Oldham": "requires_improvement",
        "Trafford": "outstanding",
    }


def test_a_rating_in_a_running_list_belongs_to_every_name() -> None:
    article = "The CCGs rated inadequate were NHS Bury, NHS Oldham and NHS Trafford."
    found, _ = _prove(article)
    assert {a.overall for a in found.values()} == {"inadequate"}
    assert len(found) == 3


def test_the_ends_of_the_scale_and_a_headline_only_rating() -> None:
    article = "Wigan Borough CCG given top rating\n\nThe CCG said staff had worked hard all year."
    found, _ = _prove(article)
    assert found["Wigan Borough"].overall == "outstanding"


def test_an_area_rating_is_not_an_overall_rating() -> None:
    article = "NHS Bury CCG was rated good for cancer and dementia in 2016/17."
    answer = CcgAnswer(
        ccg="Bury",
        overall="good",
        overall_sentence=1,
        items=[RatedItem(item="cancer", rating="good", sentence=1)],
    )
    found, dropped = _prove(article, answer)
    assert found["Bury"].overall is None
    # the model's cancer rating, and dementia, which the same words give (read by code)
    assert [(a.area, a.rating) for a in found["Bury"].areas] == [
        ("cancer", "good"),
        ("dementia", "good"),
    ]
    assert "no sentence about the CCG gives it this rating" in dropped


def test_last_years_rating_needs_words_that_say_so() -> None:
    articles = {
        "NHS Bury CCG moved up from requires improvement to good.": "requires_improvement",
        "NHS Bury CCG, judged inadequate a year ago, is now rated good.": "inadequate",
        "NHS Bury CCG held on to its good rating for a third year.": "good",
    }
    for article, previous in articles.items():
        answer = CcgAnswer(ccg="Bury", overall="good", last_year=previous, last_year_sentence=1)
        found, _ = _prove(article, answer)
        assert found["Bury"].previous_overall == previous, article


def test_a_last_year_rating_the_sentence_does_not_give_is_dropped() -> None:
    for article in (
        "NHS Bury CCG was rated good.",
        "NHS Bury CCG was rated good, the second-highest of the four ratings.",
        "NHS Bury CCG was rated good and NHS Oldham CCG requires improvement.",
    ):
        answer = CcgAnswer(ccg="Bury", overall="good", last_year="requires improvement")
        found, dropped = _prove(article, answer)
        assert found["Bury"].previous_overall is None, article
        assert dropped, article


def test_a_wrong_sentence_number_is_mended_from_the_ccgs_own_sentences() -> None:
    article = "Ratings came out on Friday. NHS Bury CCG was rated outstanding."
    answer = CcgAnswer(ccg="Bury CCG", overall="outstanding", overall_sentence=1)
    found, _ = _prove(article, answer)
    assert found["Bury"].evidence is not None
    assert found["Bury"].evidence.quote == "NHS Bury CCG was rated outstanding."


def test_a_rating_outside_the_schema_loses_that_value_only() -> None:
    article = "NHS Bury CCG was rated good. Its finance component was assured with support."
    answer = CcgAnswer(
        ccg="Bury",
        overall="good",
        overall_sentence=1,
        items=[RatedItem(item="finance", rating="assured with support", sentence=2)],
    )
    found, dropped = _prove(article, answer)
    assert found["Bury"].overall == "good"
    assert found["Bury"].indicators == []
    assert "not a rating: 'assured with support'" in dropped


def test_a_national_share_rates_no_ccg() -> None:
    article = "Nationally, all 54% of CCGs were rated good. NHS Bury CCG published its plan."
    answer = CcgAnswer(ccg="Bury", overall="good", overall_sentence=1)
    found, _ = _prove(article, answer)
    assert "Bury" not in found


def test_finances_are_tied_to_the_rating_by_a_sentence_about_the_ccg() -> None:
    article = (
        "NHS Bury CCG was rated inadequate. Its deficit of £9m was the main reason for the "
        "rating. NHS Oldham CCG was rated good."
    )
    answer = CcgAnswer(ccg="Bury", overall="inadequate", finances="problem", finances_sentence=2)
    other = CcgAnswer(ccg="Oldham", overall="good", finances="problem", finances_sentence=2)
    found, _ = _prove(article, answer, other)
    assert found["Bury"].financial_concerns is True
    assert found["Oldham"].financial_concerns is None


def test_the_assessment_year() -> None:
    article = "The CCG, rated good in 2016/17, was rated outstanding in the 2017/18 assessment."
    assert article_year(article) == "2017/18"  # the latest written about ratings
    assert article_year(article, "2016-17") == "2017/18"
    undated = "The CCG was rated good. Its plan for 2019/20 was agreed in 2018/19."
    assert article_year(undated, "2018/19") == "2018/19"  # the model's reading, written there
    assert article_year(undated, "2021/22") == "2019/20"  # not written: the latest written
    assert article_year("No year at all.") is None


@pytest.mark.parametrize(
    "ahead",
    [
        "It is forecasting a further deficit in 2016-17.",
        "Rated good again, it is forecasting an overspend of \u00a32.1m for 2016/17.",
        "The CCG, rated good, expects a deficit of 1.5 per cent in 2016-17.",
        "Its rating reflects an operating plan for 2016/17 that NHS England judged credible.",
        "The assessment expects the CCG to break even in 2016/17.",
    ],
)
def test_a_year_looked_ahead_to_is_not_the_assessment_year(ahead: str) -> None:
    article = f"NHS Bury CCG was rated inadequate in the 2015/16 assessment. {ahead}"
    assert article_year(article) == "2015/16"


@pytest.mark.parametrize(
    ("sentence", "concern"),
    [
        ("Its overspend of £4m was the main reason for the rating.", True),
        ("NHS England said the verdict reflects a deteriorating financial position.", True),
        ("The rating was held back by the CCG's failure to meet its financial plan.", True),
        ("The rating reflects sound financial management.", False),
        ("It kept the rating after hitting its control total again.", False),
        ("NHS England cited the surplus it posted as a factor in the rating.", False),
        ("Its deficit weighed heavily on the rating, NHS England said.", True),
        ("The rating was dragged down by an overspend of £3m.", True),
        ("Financial pressures weighed on this year's assessment and its rating.", True),
        ("The rating came after the CCG exceeded its allocation by £2m.", True),
        ("NHS England put the rating down to the group having breached its control total.", True),
        ("Overrunning its budget for a second year was the main reason for the rating.", True),
        ("Its deficit counted against it in the rating, NHS England said.", True),
        ("A healthy surplus counted in its favour in the rating.", False),
        ("The rating came despite a £4m deficit, which was not counted against it.", False),
        ("Its overspend, NHS England said, had never been held against it in the rating.", False),
    ],
)
def test_finances_behind_a_rating_are_read_when_the_model_says_nothing(
    sentence: str, concern: bool
) -> None:
    found, _ = _prove(f"NHS Bury CCG was rated good. {sentence}")
    assert found["Bury"].financial_concerns is concern
    assert found["Bury"].financial_evidence is not None
    assert found["Bury"].financial_evidence.quote == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "The CCG has a deficit of £4m.",  # money, but not tied to the rating
        "Its budget is £400m a year, and its rating was published in July.",  # no cause
        "The hospital trust's deficit grew.",
    ],
)
def test_money_not_tied_to_the_rating_is_no_finding(sentence: str) -> None:
    found, _ = _prove(f"NHS Bury CCG was rated good. {sentence}")
    assert found["Bury"].financial_concerns is None


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS Bury CCG and NHS Oldham CCG were both rated good.",
        "Bury Clinical Commissioning Group (BCCG) and Oldham CCG were both rated good.",
        "Bury CCG as well as Oldham CCG were given a good rating.",
    ],
)
def test_names_listed_with_their_suffix_share_the_rating(sentence: str) -> None:
    found, _ = _prove(sentence)
    assert {n: a.overall for n, a in found.items()} == {"Bury": "good", "Oldham": "good"}


@pytest.mark.parametrize(
    ("sentence", "previous"),
    [
        (
            "NHS Bury CCG and NHS Oldham CCG were rated good, the former up from inadequate.",
            {"Bury": "inadequate", "Oldham": None},
        ),
        (
            "Bury CCG and Oldham CCG came out good; the latter was rated inadequate last year.",
            {"Bury": None, "Oldham": "inadequate"},
        ),
        (
            "Bury CCG and Oldham CCG were judged good, with the former downgraded from "
            "outstanding the year before.",
            {"Bury": "outstanding", "Oldham": None},
        ),
    ],
)
def test_the_former_and_the_latter_are_the_first_and_last_ccg_named(
    sentence: str, previous: dict[str, str | None]
) -> None:
    found, _ = _prove(f"The 2018/19 ratings are out. {sentence}")
    assert {n: a.previous_overall for n, a in found.items()} == previous


def test_a_group_rating_alone_rates_every_member_without_the_model() -> None:
    article = (
        "All three CCGs in the county were judged good in 2018/19. "
        "They are NHS Bury CCG, NHS Oldham CCG and NHS Trafford CCG."
    )
    found, _ = _prove(article)
    assert {n: a.overall for n, a in found.items()} == dict.fromkeys(
        ("Bury", "Oldham", "Trafford"), "good"
    )


def test_n_of_the_m_rates_the_members_when_the_exceptions_are_written() -> None:
    article = (
        "Two of the three commissioning groups in the area were rated inadequate for 2018/19. "
        "NHS Bury CCG and NHS Oldham CCG must now agree recovery plans. "
        "The exception was NHS Salford CCG, which was rated good."
    )
    found, _ = _prove(article)
    assert {n: a.overall for n, a in found.items()} == {
        "Bury": "inadequate",
        "Oldham": "inadequate",
        "Salford": "good",
    }
    unknown = article.replace("The exception was NHS Salford CCG, which was rated good.", "")
    assert _prove(unknown + " NHS Salford CCG met on Monday.")[0] == {}


@pytest.mark.parametrize(
    "sentence",
    [
        "Of the three CCGs, only one was rated good this year.",
        "Neither of the two CCGs was rated good this year.",
        "None of the three CCGs was rated outstanding this year.",
    ],
)
def test_a_group_sentence_that_rates_few_or_none_gives_no_member_a_rating(sentence: str) -> None:
    article = f"{sentence} NHS Bury CCG and NHS Oldham CCG published their plans."
    assert _prove(article)[0] == {}


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("Finance: Good", "sound"),
        ("Finance - Requires improvement", "problem"),
        ("Finance          Inadequate", "concern"),
    ],
)
def test_a_finance_component_rating_is_no_finding_about_the_overall_rating(
    line: str, said: str
) -> None:
    article = f"NHS Bury CCG was rated good for 2015/16.\n\nThe components:\n{line}\n"
    answer = CcgAnswer(ccg="NHS Bury CCG", overall="good", overall_sentence=1, finances=said)
    found, _ = _prove(article, answer)
    assert found["Bury"].financial_concerns is None


def test_sound_finances_need_words_that_say_so() -> None:
    article = (
        "NHS Bury CCG was rated good for 2018/19. The assessment asks how well a CCG manages "
        "public money. The rating reflects the CCG hitting its financial control total."
    )
    answer = CcgAnswer(ccg="NHS Bury CCG", overall="good", overall_sentence=1, finances="sound")
    found, _ = _prove(article, answer)
    assert found["Bury"].financial_concerns is False
    assert found["Bury"].financial_evidence is not None
    assert "control total" in found["Bury"].financial_evidence.quote


@pytest.mark.parametrize(
    "sentence",
    [
        "In 2017/18, NHS Bury CCG was rated inadequate, while its two partners were rated good.",
        "For 2017/18, NHS Bury CCG was judged inadequate but the other two were judged good.",
        "Last year, NHS Bury CCG was inadequate, whereas its two neighbours were rated good.",
    ],
)
def test_the_others_of_a_counted_group_are_the_ccgs_named_beside_it(sentence: str) -> None:
    article = (
        "NHS Bury CCG, NHS Oldham CCG and NHS Trafford CCG were all rated good for 2018/19. "
        f"{sentence} NHS Salford CCG was rated good too."
    )
    names = ("NHS Bury CCG", "NHS Oldham CCG", "NHS Trafford CCG", "NHS Salford CCG")
    answers = [CcgAnswer(ccg=n, last_year="good", last_year_sentence=2) for n in names]
    found, _ = _prove(article, *answers)
    assert {n: a.previous_overall for n, a in found.items()} == {
        "Bury": "inadequate",
        "Oldham": "good",
        "Trafford": "good",
        "Salford": None,
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Among those rated inadequate were NHS Bury, NHS Oldham and, in Cheshire, NHS Halton.",
        "The top rating went to NHS Bury and NHS Oldham, as well as to NHS Halton further south.",
        "Rated inadequate: NHS Bury, NHS Oldham, and, after a poor winter, NHS Halton.",
    ],
)
def test_a_rating_that_opens_a_list_rates_every_name_in_it(sentence: str) -> None:
    found, _ = _prove(f"The 2018/19 ratings are out. {sentence}")
    assert set(found) == {"Bury", "Oldham", "Halton"}
    assert len({a.overall for a in found.values()}) == 1


def test_a_name_before_the_rating_is_outside_the_list_it_opens() -> None:
    article = (
        "NHS Halton CCG met on Monday; among those rated inadequate were NHS Bury and NHS Oldham."
    )
    found, _ = _prove(article)
    assert set(found) == {"Bury", "Oldham"}


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS Bury CCG, which shares a chief officer with NHS Oldham CCG, was rated inadequate.",
        "NHS Bury CCG, whose offices are next to NHS Oldham CCG, was rated inadequate.",
        "NHS Bury CCG, which borrowed staff from NHS Oldham CCG, was judged inadequate.",
    ],
)
def test_a_ccg_named_in_an_aside_is_not_the_one_rated(sentence: str) -> None:
    found, _ = _prove(f"The 2018/19 ratings are out. {sentence}")
    assert {n: a.overall for n, a in found.items()} == {"Bury": "inadequate"}


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS Bury CCG has been rated good overall, the same rating as it received for 2017/18.",
        "NHS Bury CCG is told that it is good - the same verdict it got last year.",
        "NHS Bury CCG was rated good, the rating it also received for 2017/18.",
    ],
)
def test_the_same_rating_as_the_year_before_is_last_years(sentence: str) -> None:
    found, _ = _prove(f"The 2018/19 ratings are out. {sentence}")
    assert found["Bury"].previous_overall == "good"


def test_the_same_as_a_neighbour_is_no_previous_rating() -> None:
    found, _ = _prove("NHS Bury CCG was rated good for 2018/19, the same as its neighbours.")
    assert found["Bury"].previous_overall is None


@pytest.mark.parametrize(
    ("sentence", "concern"),
    [
        ("The CCG put the rating down to A&E waits rather than to its finances.", False),
        ("NHS England said the rating was not down to money but to long waits.", False),
        ("The chair said the rating had nothing to do with its budget.", False),
        # a failure with money is no denial
        ("It did not meet its financial plan, the main reason for the rating.", True),
    ],
)
def test_a_sentence_denying_money_was_the_cause_is_no_concern(sentence: str, concern: bool) -> None:
    article = f"NHS Bury CCG was rated inadequate for 2018/19. {sentence}"
    found = _prove(article)[0]["Bury"]
    assert found.financial_concerns is concern
    assert found.financial_evidence is not None and found.financial_evidence.quote == sentence


@pytest.mark.parametrize(
    ("sentence", "concern"),
    [
        (
            "NHS England identifies its financial position as the main factor behind the rating.",
            True,
        ),
        ("Its finances were the reason for the rating, NHS England said.", True),
        ("The rating was driven by its financial position, the letter says.", True),
        ("The chair said the rating is largely a reflection of its financial situation.", True),
    ],
)
def test_finances_named_as_the_cause_of_a_poor_rating_are_a_concern(
    sentence: str, concern: bool
) -> None:
    article = f"NHS Bury CCG was rated inadequate for 2018/19. {sentence}"
    assert _prove(article)[0]["Bury"].financial_concerns is concern
    good = article.replace("inadequate", "good")
    assert _prove(good)[0]["Bury"].financial_concerns is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The CCG was rated outstanding for dementia, where 69.8 per cent beat the England average.",
        "The CCG was rated outstanding for dementia; its rate of 71% beats the national target.",
        "The CCG was rated outstanding for dementia after a £25m investment across the country.",
    ],
)
def test_a_figure_beside_the_ccgs_own_rating_is_no_national_sentence(sentence: str) -> None:
    article = f"NHS Bury CCG was rated good for 2018/19. {sentence} NHS Oldham CCG was rated good."
    bury = _prove(article)[0]["Bury"]
    assert [(a.area, a.rating) for a in bury.areas] == [("dementia", "outstanding")]


def test_a_national_count_rates_no_ccg_it_follows() -> None:
    article = (
        "NHS Bury CCG was rated good for 2018/19. Nationally, 23 of the 209 CCGs were rated "
        "outstanding for dementia. NHS Oldham CCG was rated good."
    )
    assert _prove(article)[0]["Bury"].areas == []


@pytest.mark.parametrize(
    "aside",
    [
        "which have shared a management team since 2015",
        "who have worked together every year since the merger",
        "which were still in talks about money",
    ],
)
def test_continuity_outside_the_ratings_clause_keeps_no_rating(aside: str) -> None:
    article = f"NHS Bury CCG and NHS Oldham CCG, {aside}, were both rated good for 2018/19."
    answers = [
        CcgAnswer(ccg=n, overall="good", last_year="good", last_year_sentence=1)
        for n in ("NHS Bury CCG", "NHS Oldham CCG")
    ]
    found, _ = _prove(article, *answers)
    assert {a.previous_overall for a in found.values()} == {None}


def test_a_surplus_beside_high_rates_is_no_finding_about_the_rating() -> None:
    article = (
        "NHS Bury CCG was rated good for 2019/20. Among its figures, 93% of patients had a "
        "check, one of the highest rates in the region, and it ended the year with a surplus."
    )
    answer = CcgAnswer(ccg="NHS Bury CCG", overall="good", finances="sound", finances_sentence=2)
    assert _prove(article, answer)[0]["Bury"].financial_concerns is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The key concern for the CCGs rated as inadequate is their worsening deficit.",
        "For the groups judged inadequate, money problems were the main reason.",
        "Deficits were behind the ratings of the three CCGs that were rated inadequate.",
        "Their deficits were the overriding concern behind the two inadequate ratings.",
    ],
)
def test_a_group_named_by_its_rating_speaks_for_the_ccgs_with_that_rating(sentence: str) -> None:
    article = (
        "NHS Bury CCG and NHS Oldham CCG were rated inadequate for 2018/19. "
        f"NHS Salford CCG was rated good.\n\n{sentence}"
    )
    found, _ = _prove(article)
    assert {n: a.financial_concerns for n, a in found.items()} == {
        "Bury": True,
        "Oldham": True,
        "Salford": None,
    }
    assert {a.overall for n, a in found.items() if n != "Salford"} == {"inadequate"}


@pytest.mark.parametrize("word", ["care", "services", "health"])
def test_a_generic_word_is_no_item_of_its_own(word: str) -> None:
    article = "NHS Bury CCG was rated good for 2018/19. Cancer care in Bury was rated outstanding."
    answer = CcgAnswer(
        ccg="NHS Bury CCG",
        overall="good",
        overall_sentence=1,
        items=[RatedItem(item=word, rating="outstanding", sentence=2)],
    )
    bury = _prove(article, answer)[0]["Bury"]
    assert bury.indicators == []
    assert [(a.area, a.rating) for a in bury.areas] == [("cancer", "outstanding")]


@pytest.mark.parametrize(
    ("item", "kept"),
    [
        ("Dr Cath Briggs, GP Clinical Chair", False),
        ("Stockport", False),
        ("Patient and Community Engagement Indicator", True),
    ],
)
def test_only_what_the_framework_rates_is_an_indicator(item: str, kept: bool) -> None:
    article = (
        "NHS Bury CCG was rated good for 2018/19. Dr Cath Briggs, GP Clinical Chair, said "
        "the CCG was rated green on the Patient and Community Engagement Indicator."
    )
    answer = CcgAnswer(
        ccg="NHS Bury CCG",
        overall="good",
        overall_sentence=1,
        items=[RatedItem(item=item, rating="green", sentence=2)],
    )
    bury = _prove(article, answer)[0]["Bury"]
    assert any(i.name == item for i in bury.indicators) is kept


@pytest.mark.parametrize(
    ("article", "rating"),
    [
        ("NHS Bury CCG and NHS Oldham CCG kept their good ratings from last year.", "good"),
        ("NHS Bury CCG held on to the 'inadequate' grade it was given last year.", "inadequate"),
        ("Like last year, NHS Bury CCG remains outstanding.", "outstanding"),
        ("In the 2018/19 ratings NHS Bury CCG has held its good rating since 2016/17.", "good"),
        ("In the 2018/19 ratings NHS Bury CCG has stayed outstanding since 2015.", "outstanding"),
    ],
)
def test_a_rating_kept_from_last_year_is_this_years_and_last_years(
    article: str, rating: str
) -> None:
    answer = CcgAnswer(
        ccg="Bury", overall=rating, overall_sentence=1, last_year=rating, last_year_sentence=1
    )
    found, _ = _prove(article, answer)
    assert found["Bury"].overall == rating
    assert found["Bury"].previous_overall == rating


def test_a_rating_of_last_year_without_continuity_is_not_this_years() -> None:
    answer = CcgAnswer(ccg="Bury", overall="good", overall_sentence=1)
    article = "NHS Bury CCG is rated 'requires improvement' for 2018/19; it was good last year."
    found, _ = _prove(article, answer)
    assert found["Bury"].overall == "requires_improvement"  # the model's good is last year's


@pytest.mark.parametrize(
    "article",
    [
        "NHS Bury CCG was one of two CCGs rated good; the other was NHS Oldham CCG.",
        "NHS Bury CCG is one of the two good CCGs in the county, the other being NHS Oldham CCG.",
        "NHS Bury CCG was among the two CCGs rated good, and the other one was NHS Oldham CCG.",
    ],
)
def test_the_other_of_two_shares_the_rating(article: str) -> None:
    answer = CcgAnswer(ccg="Oldham", overall="good", overall_sentence=1)
    found, _ = _prove(article, answer)
    assert found["Oldham"].overall == "good"


@pytest.mark.parametrize(
    "article",
    [
        "NHS Bury CCG dropped into the good band alongside NHS Oldham CCG.",
        "NHS Bury CCG was rated good along with NHS Oldham CCG and NHS Wigan Borough CCG.",
        "NHS Bury CCG is rated good, together with NHS Oldham CCG.",
    ],
)
def test_a_ccg_rated_alongside_another_shares_its_rating(article: str) -> None:
    answer = CcgAnswer(ccg="Oldham", overall="good", overall_sentence=1)
    found, _ = _prove(article, answer)
    assert found["Oldham"].overall == "good"


@pytest.mark.parametrize(
    ("article", "rating"),
    [
        ("NHS Bury CCG was rated good for 2018/19, as was NHS Oldham CCG.", "good"),
        (
            "NHS Salford CCG and NHS Trafford CCG were judged outstanding, as were NHS Wigan "
            "Borough CCG and NHS Oldham CCG.",
            "outstanding",
        ),
        (
            "NHS Stockport CCG requires improvement, and so does NHS Oldham CCG.",
            "requires_improvement",
        ),
    ],
)
def test_a_ccg_said_to_be_the_same_shares_the_rating_before(article: str, rating: str) -> None:
    answer = CcgAnswer(ccg="Oldham", overall=rating, overall_sentence=1)
    found, _ = _prove(article, answer)
    assert found["Oldham"].overall == rating
    assert all(a.overall == rating for a in found.values())


@pytest.mark.parametrize(
    ("article", "rating", "previous"),
    [
        (
            "Regional ratings.\n\nBury CCG\nInadequate, unchanged from the previous year.\n",
            "inadequate",
            "inadequate",
        ),
        (
            "Ratings of CCGs\n\nNHS Bury (BCCG) CCG\n"
            "Rated good. It was outstanding the year before.\n",
            "good",
            "outstanding",
        ),
        (
            "CCG verdicts\n\nBury Clinical Commissioning Group\nOutstanding.\n\n"
            "Oldham CCG\nGood.\n",
            "outstanding",
            None,
        ),
    ],
)
def test_a_rating_on_the_line_under_a_name_line_is_the_ccgs(
    article: str, rating: str, previous: str | None
) -> None:
    found, _ = _prove(article, year="2018/19")
    assert found["Bury"].overall == rating
    assert found["Bury"].previous_overall == previous


def test_a_rating_under_a_line_that_says_more_than_the_name_is_not_read() -> None:
    article = "Regional ratings.\n\nBury CCG has a new chair\nGood progress, he said.\n"
    found, _ = _prove(article, year="2018/19")
    assert "Bury" not in found


@pytest.mark.parametrize(
    ("article", "expected"),
    [
        (
            "The county is served by NHS Bury CCG, NHS Oldham CCG and NHS Wigan Borough CCG. "
            "Two of the three were rated requires improvement; the third, Bury, was rated good.",
            {
                "Bury": "good",
                "Oldham": "requires_improvement",
                "Wigan Borough": "requires_improvement",
            },
        ),
        (
            "NHS Bury CCG, NHS Oldham CCG and NHS Wigan Borough CCG were assessed for 2018/19. "
            "Two of the three were judged inadequate, while Oldham was rated good.",
            {"Bury": "inadequate", "Oldham": "good", "Wigan Borough": "inadequate"},
        ),
        (
            "NHS Bury CCG, NHS Oldham CCG, NHS Salford CCG and NHS Wigan Borough CCG were "
            "assessed. Three of the four were rated outstanding, but Salford was rated good.",
            {
                "Bury": "outstanding",
                "Oldham": "outstanding",
                "Salford": "good",
                "Wigan Borough": "outstanding",
            },
        ),
    ],
)
def test_a_count_with_a_named_exception_rates_the_rest(
    article: str, expected: dict[str, str]
) -> None:
    found, _ = _prove(article, year="2018/19")
    assert {name: a.overall for name, a in found.items()} == expected


_THREE = "NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG were rated good for 2018/19. "


@pytest.mark.parametrize(
    ("sentence", "item", "rating"),
    [
        ("All three CCGs were rated green in the Patient and Community Engagement Indicator.",
         "engagement", "green"),
        ("The three clinical commissioning groups were all rated outstanding for dementia.",
         "dementia", "outstanding"),
        ("All three groups were judged amber on the Quality of Leadership indicator.",
         "leadership", "amber"),
    ],
)  # fmt: skip
def test_an_item_rated_for_a_whole_group_is_each_members(
    sentence: str, item: str, rating: str
) -> None:
    found, _ = _prove(_THREE + sentence)
    for name in ("Bury", "Oldham", "Salford"):
        got = [(a.area, a.rating) for a in found[name].areas] + [
            (i.name, i.rating) for i in found[name].indicators
        ]
        assert got == [(item, rating)], name


@pytest.mark.parametrize(
    "sentence",
    [
        # part of the group, or more CCGs than the group counts
        "Two of the three CCGs were rated outstanding for dementia.",
        "Both CCGs were rated outstanding for dementia.",
        "The CCGs rated good were also rated green in the engagement indicator.",
    ],
)
def test_an_item_rated_for_part_of_a_group_is_no_members(sentence: str) -> None:
    found, _ = _prove(_THREE + sentence)
    assert all(not a.areas and not a.indicators for a in found.values())


@pytest.mark.parametrize(
    "article",
    [
        # the count first, the members named in later sentences, one of them in the count's
        # clause as a place
        "Four of the five CCGs in Bury and Oldham require improvement, and the fifth, NHS "
        "Salford CCG, is rated good. NHS Bury CCG and NHS Oldham CCG share a chief officer. "
        "NHS Wigan Borough CCG and NHS Trafford CCG work together.",
        "Four of the five groups were judged to require improvement; the fifth, NHS Salford "
        "CCG, was rated good. They are NHS Bury CCG, NHS Oldham CCG, NHS Wigan Borough CCG "
        "and NHS Trafford CCG, which share offices.",
        "Four of the five clinical commissioning groups require improvement, with NHS Salford "
        "CCG rated good. In the north, NHS Bury CCG and NHS Oldham CCG; in the south, NHS Wigan "
        "Borough CCG and NHS Trafford CCG.",
    ],
)
def test_a_count_first_with_its_members_named_later_rates_them(article: str) -> None:
    found, _ = _prove(article, year="2018/19")
    ratings = {name: a.overall for name, a in found.items()}
    assert ratings["Salford"] == "good"
    assert [ratings.get(n) for n in ("Wigan Borough", "Trafford")] == ["requires_improvement"] * 2


@pytest.mark.parametrize(
    "sentence",
    [
        "Its letter names its recovery plan as the reason NHS Bury CCG was not rated good.",
        "NHS Bury CCG has never been rated good.",
        "NHS Bury CCG failed to achieve a good rating this year.",
    ],
)
def test_a_rating_said_not_to_be_given_proves_nothing(sentence: str) -> None:
    answer = CcgAnswer(ccg="Bury", overall="good", overall_sentence=1)
    found, _ = _prove(sentence, answer)
    assert "Bury" not in found or found["Bury"].overall is None


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS England's letter said the finance rating reflected a year-end deficit of £2m.",
        "Its finance score, the letter says, was held back by an overspend.",
        "The finance component was rated down because of its deficit.",
    ],
)
def test_money_behind_the_finance_components_own_rating_is_no_finding(sentence: str) -> None:
    found, _ = _prove(f"NHS Bury CCG was rated requires improvement for 2015/16. {sentence}")
    assert found["Bury"].financial_concerns is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The CCG said its overall rating was not a reflection of its finances.",
        "Finance was not a factor in this rating, the accountable officer said.",
        "Money was not the main issue behind the rating, NHS England said.",
    ],
)
def test_more_ways_of_denying_money_was_the_cause(sentence: str) -> None:
    found, _ = _prove(f"NHS Bury CCG was rated requires improvement for 2018/19. {sentence}")
    assert found["Bury"].financial_concerns is False


@pytest.mark.parametrize(
    "sentence",
    [
        "Cash was never the problem behind the rating, the chair said.",
        "The verdict, the chair insists, owed nothing to the CCG's budget.",
        "The downgrade was not a financial question: the rating rests on waits.",
        "Finances had no bearing on the assessment, which looked at cancer waits.",
    ],
)
def test_money_negated_toward_the_rating_is_a_denial(sentence: str) -> None:
    """No list of denials: a negation within a few words of the money word, on the side
    facing the rating, in a clause naming no money trouble."""
    found, _ = _prove(f"NHS Bury CCG was rated requires improvement for 2018/19. {sentence}")
    assert found["Bury"].financial_concerns is False


@pytest.mark.parametrize(
    "sentence",
    [
        "The CCG did not meet its control total, and the rating reflects that.",
        "The rating reflects a CCG with no money left for new services.",
        "Its rating was held back because it has not got enough cash to clear its deficit.",
    ],
)
def test_money_trouble_or_missing_money_is_no_denial(sentence: str) -> None:
    found, _ = _prove(f"NHS Bury CCG was rated requires improvement for 2018/19. {sentence}")
    assert found["Bury"].financial_concerns is not False


@pytest.mark.parametrize(
    "sentence",
    [
        "In the better care domain, NHS Bury CCG was rated outstanding.",
        "For cancer services, NHS Bury CCG was judged outstanding.",
        "Under the leadership indicator, NHS Bury CCG was rated outstanding.",
    ],
)
def test_a_rating_after_an_opening_phrase_naming_an_item_is_the_items(sentence: str) -> None:
    article = f"NHS Bury CCG was rated good for 2019/20. {sentence}"
    answer = CcgAnswer(ccg="Bury", overall="outstanding", overall_sentence=2)
    found, _ = _prove(article, answer)
    assert found["Bury"].overall == "good"  # outstanding is the item's, not the CCG's
