"""Reading a sentence's structure: rating terms, what they belong to, other years, money.

Each rule is tried on made-up sentences in different words."""

from __future__ import annotations

import pytest

from extractor.text.rating_terms import (
    belongs_to,
    item_spans,
    rating_terms,
    ratings_of_item,
    ratings_set_out,
    speaks_of_money,
    states_rating,
)
from extractor.text.rating_time import continued_in_clause, in_another_year, year_spoken_of


@pytest.mark.parametrize(
    ("sentence", "rating"),
    [
        ("Wyre Forest was given the top rating of the four.", "outstanding"),
        ("It now holds the highest grade NHS England awards.", "outstanding"),
        ("The group earned the best possible rating this summer.", "outstanding"),
        ("Swale was handed the lowest rating available.", "inadequate"),
        ("Its verdict sits in the bottom category once more.", "inadequate"),
        ("The regulator gave the worst mark to two groups.", "inadequate"),
        ("Commissioners were told they require improvement.", "requires_improvement"),
        ("The CCG, judged as requiring improvement, responded.", "requires_improvement"),
        ("Both groups required improvement last summer.", "requires_improvement"),
        ("In 2016/17 it needed improvement.", "requires_improvement"),
        ("Three of them still need improvement.", "requires_improvement"),
        ("Dudley joined them in the top band.", "outstanding"),
        ("Two more groups slid into the bottom band.", "inadequate"),
    ],
)
def test_the_ends_of_the_scale_and_the_usual_words_are_ratings(sentence: str, rating: str) -> None:
    assert states_rating(sentence, rating)


@pytest.mark.parametrize(
    "sentence",
    ["Budgets were reduced by a fifth.", "A greener fleet of ambulances.", "The top team met."],
)
def test_longer_words_and_other_tops_are_no_rating(sentence: str) -> None:
    assert rating_terms(sentence) == []


def _owned(sentence: str, name: str | None, rating: str, others: tuple[str, ...] = ()) -> bool:
    targets = [sentence.index(name)] if name else [-1]
    positions = [sentence.index(other) for other in others]
    positions += [start for start, _, _ in item_spans(sentence)]
    return belongs_to(sentence, rating, targets, positions)


@pytest.mark.parametrize(
    ("sentence", "rating"),
    [
        ("Bury CCG was rated good for cancer services.", "good"),
        ("Bury CCG earned an outstanding verdict in maternity care.", "outstanding"),
        ("Cancer care in Bury has been rated outstanding by NHS England.", "outstanding"),
        ("Bury: dementia - good", "good"),
    ],
)
def test_a_rating_given_to_an_area_is_not_the_ccgs(sentence: str, rating: str) -> None:
    assert not _owned(sentence, "Bury", rating)


@pytest.mark.parametrize(
    ("sentence", "mine", "theirs", "rating"),
    [
        ("Barnet was rated good and Bury inadequate.", "Bury", "Barnet", "inadequate"),
        (
            "While Halton improved to good, Wirral slipped to inadequate.",
            "Wirral",
            "Halton",
            "inadequate",
        ),
        ("Inadequate for Oldham; good for Trafford.", "Trafford", "Oldham", "good"),
    ],
)
def test_a_rating_belongs_to_the_ccg_nearest_it_in_its_clause(
    sentence: str, mine: str, theirs: str, rating: str
) -> None:
    assert _owned(sentence, mine, rating, (theirs,))
    assert not _owned(sentence, theirs, rating, (mine,))


@pytest.mark.parametrize(
    ("sentence", "rating"),
    [
        ("The CCG has been rated good.", "good"),
        ("Rated outstanding", "outstanding"),
        ("Once again the group is judged inadequate.", "inadequate"),
    ],
)
def test_an_unnamed_subject_owns_a_rating_nothing_else_claims(sentence: str, rating: str) -> None:
    assert _owned(sentence, None, rating)


@pytest.mark.parametrize(
    ("sentence", "item", "ratings"),
    [
        (
            "It was rated good for cancer and dementia and inadequate for maternity.",
            "dementia",
            {"good"},
        ),
        (
            "It was rated good for cancer and dementia and inadequate for maternity.",
            "maternity",
            {"inadequate"},
        ),
        ("Finance - Requires improvement", "finance", {"requires_improvement"}),
        ("Diabetes services were judged outstanding.", "diabetes", {"outstanding"}),
        ("Its leadership was rated amber.", "leadership", {"amber"}),
    ],
)
def test_an_item_takes_the_rating_of_its_clause(
    sentence: str, item: str, ratings: set[str]
) -> None:
    assert ratings_of_item(sentence, (item,)) == ratings


@pytest.mark.parametrize(
    ("sentence", "word", "other"),
    [
        ("Haringey, rated requires improvement in 2015-16, is now inadequate.", "requires", True),
        ("The CCG was inadequate last year and is now good.", "inadequate", True),
        ("It moved up from requires improvement to good.", "requires", True),
        ("It was downgraded from 'good' to requires improvement.", "good", True),
        ("It moved up from requires improvement to good.", "good", False),
        ("It was rated good in the 2017/18 assessment.", "good", False),
        # years spent at a rating before this one
        ("It dropped back to inadequate after a single year rated good.", "good", True),
        ("Bury returned to good following two years at inadequate.", "inadequate", True),
        ("After three years as outstanding, Oldham fell to good.", "outstanding", True),
        ("After three years as outstanding, Oldham fell to good.", "good", False),
    ],
)
def test_a_rating_of_another_year_is_told_from_this_years(
    sentence: str, word: str, other: bool
) -> None:
    assert in_another_year(sentence, sentence.index(word), "2017/18") is other


@pytest.mark.parametrize(
    ("sentence", "continued"),
    [
        ("Bolton kept its good rating.", True),
        ("For the third year running the CCG is outstanding.", True),
        ("Once again it requires improvement.", True),
        ("It has held on to 'good' since 2016.", True),
        ("Barnet CCG - Requires improvement (no change)", True),
        ("It is the fourth year in succession that Bury has been judged good.", True),
        ("The CCG stayed at 'inadequate' after a difficult year.", True),
        ("Walsall stays good after a difficult winter.", True),
        # the clause after the rating says it went on, or was the same as an earlier year's
        ("Bury has the top rating, for the fourth year in a row.", True),
        ("Outstanding, as it was in 2017/18.", True),
        ("Good, matching its 2017/18 verdict.", True),
        ("Good, like last year.", True),
        # a run of years up to now, and a table's next cell
        ("Salford has been judged good in each of the past four years.", True),
        ("It came out inadequate in every one of the last three years.", True),
        ("The CCG was rated outstanding in all of the previous five years.", True),
        ("Trafford | Good | unchanged", True),
        ("Oldham | Inadequate | same as 2017/18", True),
        ("Wigan | Outstanding | held", True),
        ("Bolton | Good | new CCG, formed April 2018", False),
        # a clause after it with its own subject, or about another time, is not continuity
        ("Bury is good, while its chair kept her seat.", False),
        ("Rated good, in 2016/17.", False),
        ("Bolton was rated good.", False),
        ("The CCG climbed to good.", False),
    ],
)
def test_continuity_is_said_in_many_ways(sentence: str, continued: bool) -> None:
    [(start, _, _)] = rating_terms(sentence)
    assert continued_in_clause(sentence, start) is continued


@pytest.mark.parametrize(
    ("sentence", "money"),
    [
        ("Its deficit was the main reason for the rating.", True),
        ("NHS England praised its grip on the budget.", True),
        ("It missed its control total by £3m.", True),
        ("It was rated good for cancer.", False),
    ],
)
def test_money_is_spoken_of(sentence: str, money: bool) -> None:
    assert speaks_of_money(sentence) is money


@pytest.mark.parametrize(
    ("sentence", "item", "ratings"),
    [
        ("Cancer - Good", "cancer", {"good"}),
        ("Well led: Outstanding", "well led", {"outstanding"}),
        ("Finance        Requires improvement", "finance", {"requires_improvement"}),
        ("It was rated good for cancer, dementia and diabetes services.", "diabetes", {"good"}),
        ("Rated inadequate in maternity care.", "maternity", {"inadequate"}),
        # an item named by its title
        ("Rated green in the Patient and Community Engagement Indicator.", "engagement", {"green"}),
        ("It scored amber on the Quality of Leadership indicator.", "leadership", {"amber"}),
        ("Judged good in the Better Care domain this year.", "better care", {"good"}),
        # a rating noun between the rating and its item, or words describing the item
        ("Both CCGs were given an 'amber' grade for leadership.", "leadership", {"amber"}),
        ("It earned a good score in planning this time.", "planning", {"good"}),
        ("The four received a green rating on their leadership.", "leadership", {"green"}),
        ("All were rated green for patient and public engagement.", "engagement", {"green"}),
        ("It was judged good for early dementia diagnosis.", "dementia", {"good"}),
        # a word that is no rating of the item, or a rating too far from it
        ("Rated inadequate for cancer, but its dementia care was good.", "dementia", set()),
        ("It was rated good in the way it handles its finance.", "finance", set()),
        ("It reflects good financial performance.", "performance", set()),
        ("Norwich: good, and the best score for diabetes care", "diabetes", set()),
        ("Its performance in 2019/20 earned a good rating.", "performance", set()),
    ],
)
def test_ratings_set_out_for_an_item_by_layout_or_for(
    sentence: str, item: str, ratings: set[str]
) -> None:
    assert ratings_set_out(sentence, (item,)) == ratings


@pytest.mark.parametrize(
    ("sentence", "word", "when"),
    [
        ("It climbed from 'inadequate' in 2016/17 to good.", "inadequate", "other"),
        ("It was rated 'requires improvement' in 2017/18 and is now good.", "requires", "before"),
        ("Up from good, it is now outstanding.", "good", "before"),
        ("It is rated outstanding for 2018/19.", "outstanding", "this"),
        # a time phrase right after the term says its year, whatever else the clause says
        ("It was outstanding in 2015/16 before falling to good last year.", "good", "before"),
        ("Rated inadequate in 2016/17 and requires improvement a year ago.", "requires", "before"),
        ("It had been good in 2014/15, then inadequate the year before.", "inadequate", "before"),
        # a rating lost is the one held before
        ("It has lost its 'good' rating and now requires improvement.", "good", "before"),
        ("Bury was stripped of its outstanding rating this year.", "outstanding", "before"),
        ("Losing the good rating hurt, the chair said.", "good", "before"),
        # a rating given for a run of years
        ("It was good in both 2016/17 and 2017/18, and is outstanding now.", "good", "before"),
        (
            "Rated inadequate for 2015/16, 2016/17 and 2017/18, it is now good.",
            "inadequate",
            "before",
        ),
        ("It was judged good in 2015-16 and 2016-17 but fell back.", "good", "other"),
        ("It has been outstanding in each of 2017/18 and 2018/19.", "outstanding", "this"),
    ],
)
def test_the_year_a_rating_term_is_for(sentence: str, word: str, when: str) -> None:
    assert year_spoken_of(sentence, sentence.index(word), "2018/19") == when


@pytest.mark.parametrize(
    ("sentence", "word", "when"),
    [
        ("For 2017/18, Bury was rated 'good' while Oldham was rated 'inadequate'.", "inadequate",
         "before"),
        ("It was a first: in 2017/18, Bury was judged good and Oldham outstanding.", "outstanding",
         "before"),
        ("Last year, Bury was rated good, but Oldham was inadequate.", "inadequate", "before"),
        ("Oldham, rated good last year, is now inadequate.", "inadequate", "this"),
    ],
)  # fmt: skip
def test_a_phrase_of_time_opening_the_sentence_dates_the_clauses_after_it(
    sentence: str, word: str, when: str
) -> None:
    assert year_spoken_of(sentence, sentence.index(word), "2018/19") == when


@pytest.mark.parametrize(
    ("sentence", "rating"),
    [
        ("Bury was rated good, while its two partners were rated inadequate.", "inadequate"),
        ("Bury kept its rating, but neighbouring hospitals were judged outstanding.",
         "outstanding"),
        ("Bury is good, whereas the other groups in the county require improvement.",
         "requires_improvement"),
    ],
)  # fmt: skip
def test_a_contrasting_clause_with_a_subject_of_its_own_rates_it_not_the_ccg(
    sentence: str, rating: str
) -> None:
    assert not _owned(sentence, "Bury", rating)


def test_a_contrasting_clause_about_the_same_ccg_still_rates_it() -> None:
    assert _owned("Bury was inadequate in 2016/17, but is now rated good.", "Bury", "good")


@pytest.mark.parametrize(
    ("sentence", "words", "rating"),
    [
        ("Planning was rated as good, reflecting a credible plan.", ("planning",), "good"),
        ("Its finances were judged inadequate.", ("finance",), "inadequate"),
        (
            "The CCG was rated as requiring improvement for being well led.",
            ("well led",),
            "requires_improvement",
        ),
        ("It was rated good both for being well led and for its planning.", ("well led",), "good"),
    ],
)
def test_an_item_rated_as_the_subject_or_for_being(
    sentence: str, words: tuple[str, ...], rating: str
) -> None:
    assert ratings_set_out(sentence, words) == {rating}


def test_an_item_far_from_its_rating_is_not_set_out() -> None:
    sentence = "Planning for the winter, which worried the board, was a reason it was rated good."
    assert ratings_set_out(sentence, ("planning",)) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "Its downgrade from requires improvement was put down to long cancer waits.",
        "It moved up from good, helped by shorter cancer waits.",
        "Cancer waits explain the fall from 'outstanding'.",
    ],
)
def test_a_rating_moved_from_is_no_items_rating(sentence: str) -> None:
    assert ratings_of_item(sentence, ("cancer",)) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "64 per cent rated the kindness of staff as good or very good.",
        "Most patients said their care was very good.",
        "Nine in ten called the service good or excellent.",
    ],
)
def test_a_surveys_grades_are_no_ratings(sentence: str) -> None:
    assert rating_terms(sentence) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "For the second year running, Bury was rated as requiring improvement.",
        "Once again, the CCG is rated good.",
        "Yet again this year, Bury came out good.",
    ],
)
def test_continuity_in_a_short_opening_phrase(sentence: str) -> None:
    [(start, _, _)] = rating_terms(sentence)
    assert continued_in_clause(sentence, start)


@pytest.mark.parametrize(
    ("sentence", "words", "rating"),
    [
        (
            "Rated as requiring improvement in terms of better care and being well led.",
            ("well led",),
            "requires_improvement",
        ),
        (
            "Cancer care in Bury has been rated outstanding by NHS England.",
            ("cancer",),
            "outstanding",
        ),
        ("Its maternity services in the borough were judged good.", ("maternity",), "good"),
    ],
)
def test_items_set_out_in_more_words(sentence: str, words: tuple[str, ...], rating: str) -> None:
    assert ratings_set_out(sentence, words) == {rating}
