"""Areas, indicators and finances said of several CCGs at once, on made-up articles: a bare
count standing for CCGs just named, a group named over several sentences, a clause that
rates every CCG of the article, names listed together, an aside before the verb."""

from __future__ import annotations

import pytest

from extractor.answer.ccgs import CcgAnswer
from extractor.names.context import ccg_contexts
from extractor.names.groups import group_size, whole_group_clause
from extractor.proof.assemble import prove_ratings
from extractor.schema import Assessment
from extractor.text.phrases import AREA_WORDS
from extractor.text.rating_terms import COMPONENT_WORDS, ratings_set_out


def _prove(article: str) -> dict[str, Assessment]:
    contexts = ccg_contexts(article)
    assessments, _ = prove_ratings(article, [], contexts, year="2018/19")
    return {a.ccg.name: a for a in assessments}


def _areas(found: dict[str, Assessment]) -> dict[str, set[tuple[str, str]]]:
    return {name: {(a.area.value, a.rating.value) for a in x.areas} for name, x in found.items()}


_NAMED = "NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG were rated good for 2018/19. "


@pytest.mark.parametrize(
    ("sentence", "area", "rating"),
    [
        ("All three were rated outstanding for dementia.", "dementia", "outstanding"),
        ("These three were judged good for cancer, their boards said.", "cancer", "good"),
        ("The three, between them, were rated inadequate for diabetes.", "diabetes", "inadequate"),
    ],
)
def test_a_bare_count_after_the_named_ccgs_rates_each_of_them(
    sentence: str, area: str, rating: str
) -> None:
    found = _areas(_prove(_NAMED + sentence))
    assert found == {name: {(area, rating)} for name in ("Bury", "Oldham", "Salford")}


@pytest.mark.parametrize(
    "sentence",
    [
        "All five were rated outstanding for dementia.",  # five, where three are named
        "The two were judged good for cancer.",
        "All four were rated outstanding for dementia.",
    ],
)
def test_a_bare_count_that_the_named_ccgs_do_not_make_rates_none(sentence: str) -> None:
    found = _areas(_prove(_NAMED + sentence))
    assert all(not areas for areas in found.values())


@pytest.mark.parametrize(
    "article",
    [
        "In the north, NHS Bury CCG and NHS Oldham CCG were rated good. In the south, NHS "
        "Salford CCG and NHS Trafford CCG were rated outstanding. All four CCGs were rated good "
        "for maternity.\n\nFurther afield, NHS Wigan Borough CCG was rated inadequate.",
        "NHS Bury CCG and NHS Oldham CCG require improvement. NHS Salford CCG was rated good, "
        "and NHS Trafford CCG outstanding. The four Greater Manchester groups were all rated "
        "good for maternity.\n\nNHS Wigan Borough CCG, outside the partnership, was rated "
        "inadequate.",
        "NHS Bury CCG was rated good. So were NHS Oldham CCG and NHS Salford CCG. NHS Trafford "
        "CCG was rated outstanding. All four were rated good for maternity.\n\nNHS Wigan "
        "Borough CCG was rated inadequate.",
    ],
)
def test_a_group_is_the_ccgs_named_over_the_sentences_just_before_it(article: str) -> None:
    found = _areas(_prove(article))
    for name in ("Bury", "Oldham", "Salford", "Trafford"):
        assert found[name] == {("maternity", "good")}, name
    assert found["Wigan Borough"] == set()


@pytest.mark.parametrize(
    ("sentence", "named", "named_area"),
    [
        ("NHS Bury CCG and NHS Oldham CCG were both rated outstanding for dementia, and all "
         "three CCGs were rated good for cancer.", ("Bury", "Oldham"), ("dementia", "outstanding")),
        ("While NHS Salford CCG was rated requires improvement for diabetes, all three groups "
         "were rated good for cancer.", ("Salford",), ("diabetes", "requires_improvement")),
        ("All three clinical commissioning groups were rated good for cancer; NHS Bury CCG alone "
         "was rated outstanding for dementia.", ("Bury",), ("dementia", "outstanding")),
    ],
)  # fmt: skip
def test_a_clause_rating_every_ccg_of_the_article_rates_each(
    sentence: str, named: tuple[str, ...], named_area: tuple[str, str]
) -> None:
    found = _areas(_prove(_NAMED + sentence))
    for name in ("Bury", "Oldham", "Salford"):
        expected = {("cancer", "good")} | ({named_area} if name in named else set())
        assert found[name] == expected, name


def test_a_clause_counting_fewer_than_the_article_names_rates_none() -> None:
    article = _NAMED + "NHS Bury CCG was rated outstanding for dementia, while both CCGs in "
    article += "Salford and Oldham were rated good for cancer."
    assert whole_group_clause(article.split(". ")[1], [0], 3) is None
    found = _areas(_prove(article))
    assert all(("cancer", "good") not in areas for areas in found.values())


@pytest.mark.parametrize(
    "sentence",
    [
        "NHS Bury CCG and NHS Oldham CCG were both rated requires improvement for cancer.",
        "NHS Oldham CCG and NHS Bury CCG were judged to require improvement for cancer, though.",
        "Bury and Oldham, by contrast, were each rated requires improvement for cancer.",
    ],
)
def test_names_listed_together_share_the_area_rating_of_their_sentence(sentence: str) -> None:
    found = _areas(_prove(_NAMED + sentence))
    assert found["Bury"] == found["Oldham"] == {("cancer", "requires_improvement")}
    assert found["Salford"] == set()


@pytest.mark.parametrize(
    ("sentence", "area", "rating"),
    [
        ("Diabetes care, on the other hand, was rated requires improvement.", "diabetes",
         "requires_improvement"),
        ("Cancer, however, was rated good.", "cancer", "good"),
        ("Mental health services, as in earlier years, were judged inadequate.",
         "mental_health", "inadequate"),
    ],
)  # fmt: skip
def test_an_aside_between_the_item_and_its_verb_keeps_the_rating(
    sentence: str, area: str, rating: str
) -> None:
    assert ratings_set_out(sentence, AREA_WORDS[area]) == {rating}


@pytest.mark.parametrize(
    "money",
    [
        "NHS England said the ratings of the three reflected their growing deficits.",
        "The ratings of all three were driven by overspending, NHS England said.",
        "Deficits were the main reason behind the ratings given to the three.",
    ],
)
def test_money_behind_a_counted_groups_ratings_is_each_members_concern(money: str) -> None:
    article = (
        "NHS Bury CCG and NHS Oldham CCG were rated requires improvement. NHS Salford CCG was "
        "also rated requires improvement. " + money
    )
    found = _prove(article)
    assert {name: a.financial_concerns for name, a in found.items()} == {
        "Bury": True,
        "Oldham": True,
        "Salford": True,
    }


def test_money_behind_each_ccgs_ratings_in_general_is_no_group() -> None:
    article = (
        "NHS Bury CCG and NHS Oldham CCG were rated requires improvement. The ratings look at "
        "each CCG's leadership, finance and performance."
    )
    assert all(a.financial_concerns is None for a in _prove(article).values())


def test_a_bare_count_has_a_size() -> None:
    assert group_size("All five were rated good for dementia.") == 5
    assert group_size("the ratings of the seven reflected deficits") == 7
    assert group_size("all five areas were rated good") is None


def test_item_rows_set_out_below_a_sentence_naming_the_ccg_are_its_own() -> None:
    article = (
        "NHS Bury CCG and NHS Oldham CCG were rated good.\n\n"
        "The clinical priority ratings in the Bury CCG area are set out below.\n\n"
        "Cancer \u2013 Good\nDementia \u2013 Requires improvement\n\n"
        "Oldham did not publish its area ratings."
    )
    found = _areas(_prove(article))
    assert found["Bury"] == {("cancer", "good"), ("dementia", "requires_improvement")}
    assert found["Oldham"] == set()


@pytest.mark.parametrize(
    ("sentence", "area"),
    [
        ("All three CCGs were rated inadequate for cancer, after the 62-day wait grew.", "cancer"),
        ("The three groups were each rated inadequate for mental health, on 18-week waits.",
         "mental_health"),
        ("All three were rated inadequate for maternity, with 24-hour cover still missing.",
         "maternity"),
    ],
)  # fmt: skip
def test_a_measure_joined_to_its_unit_is_no_national_count(sentence: str, area: str) -> None:
    found = _areas(_prove(_NAMED + sentence))
    assert found == {name: {(area, "inadequate")} for name in ("Bury", "Oldham", "Salford")}


@pytest.mark.parametrize(
    ("sentence", "item", "rating"),
    [
        ("In the leadership assessment, both CCGs were rated green.", "leadership", "green"),
        ("For dementia, both clinical commissioning groups were judged good.", "dementia",
         "good"),
        ("On cancer, the pair were each rated requires improvement.", "cancer",
         "requires_improvement"),
    ],
)  # fmt: skip
def test_an_item_opening_the_sentence_is_what_its_rating_is_for(
    sentence: str, item: str, rating: str
) -> None:
    words = AREA_WORDS.get(item) or COMPONENT_WORDS[item]
    assert ratings_set_out(sentence, words) == {rating}
    found = _prove("NHS Bury CCG and NHS Oldham CCG were rated good. " + sentence)
    for name in ("Bury", "Oldham"):
        got = {(a.area.value, a.rating.value) for a in found[name].areas} | {
            (i.name, i.rating) for i in found[name].indicators
        }
        assert got == {(item, rating)}, name


@pytest.mark.parametrize(
    "denial",
    [
        "Its accountable officer said money was not the issue behind the rating.",
        "NHS England said the rating had nothing to do with its finances.",
        "The rating was not down to its budget, the letter says.",
    ],
)
def test_a_sentence_denying_money_proves_no_concern_whatever_the_model_says(denial: str) -> None:
    article = "NHS Bury CCG was rated requires improvement. " + denial
    contexts = ccg_contexts(article)
    for said in ("problem", "no"):
        answer = CcgAnswer(ccg="Bury", overall="requires improvement", finances=said,
                           finances_sentence=2)  # fmt: skip
        assessments, _ = prove_ratings(article, [(contexts, answer)], contexts, year="2018/19")
        assert assessments[0].financial_concerns is False, said


@pytest.mark.parametrize(
    "sentence",
    [
        "For the three CCGs rated requires improvement it came down to deficits, Oldham's "
        "the largest at £6m.",
        "All three were rated so because of overspending, and NHS Salford CCG alone "
        "overspent by £4m.",
        "The three groups' ratings were blamed on their deficits; Bury's reached £3.1m.",
    ],
)
def test_a_counted_group_naming_some_members_after_the_count_speaks_of_the_others(
    sentence: str,
) -> None:
    article = (
        "NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG were rated requires improvement "
        "for 2018/19. " + sentence
    )
    found = _prove(article)
    assert {name: a.financial_concerns for name, a in found.items()} == {
        "Bury": True,
        "Oldham": True,
        "Salford": True,
    }


def test_a_sentence_naming_a_ccg_outside_the_group_speaks_of_no_other_member() -> None:
    article = (
        "NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG were rated requires improvement "
        "for 2018/19. NHS Wigan Borough CCG was rated good. For the three CCGs, and for "
        "Wigan Borough too, deficits were the main reason for the rating."
    )
    relations = {c.ccg.name: c.relations for c in ccg_contexts(article)}
    assert all(3 not in relations[name] for name in ("Bury", "Oldham", "Salford"))


@pytest.mark.parametrize(
    "sentence",
    [
        "For the inadequate CCGs, failure to deliver the financial plan was the main reason.",
        "Deficits lay behind the ratings of the inadequate clinical commissioning groups.",
        "NHS England blamed overspending for the position of the inadequate groups.",
    ],
)
def test_a_group_named_by_its_rating_before_the_noun_speaks_only_of_ccgs_so_rated(
    sentence: str,
) -> None:
    article = (
        "NHS Bury CCG was rated inadequate. NHS Oldham CCG was rated inadequate. "
        "NHS Salford CCG was rated outstanding. " + sentence
    )
    found = _prove(article)
    assert {name: a.financial_concerns for name, a in found.items()} == {
        "Bury": True,
        "Oldham": True,
        "Salford": None,
    }


@pytest.mark.parametrize(
    "sentence",
    [
        "Most of the inadequate CCGs ended the year in deficit, which NHS England blamed.",
        "Several of the groups were also rated good for cancer.",
        "A handful of the three CCGs were rated green for engagement.",
    ],
)
def test_an_uncounted_part_of_a_group_speaks_of_no_member(sentence: str) -> None:
    article = (
        "NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG were rated inadequate for 2018/19. "
        + sentence
    )
    found = _prove(article)
    assert all(a.financial_concerns is None for a in found.values())
    assert all(not a.areas and not a.indicators for a in found.values())


@pytest.mark.parametrize(
    "sentence",
    [
        "Nationally, 24 of the 191 CCGs were rated inadequate, with deficits blamed for every "
        "one of them.",
        "Nineteen groups have been rated inadequate; overspending lay behind each of them.",
        "Across England 30 CCGs were judged inadequate, and deficits were the main reason for "
        "all of them, NHS England said.",
    ],
)
def test_money_said_of_every_ccg_counted_at_a_rating_goes_to_the_ccgs_so_rated(
    sentence: str,
) -> None:
    article = (
        "NHS Bury CCG was rated inadequate.\n\nNHS Oldham CCG was rated inadequate.\n\n"
        "NHS Salford CCG was rated outstanding.\n\n" + sentence
    )
    found = _prove(article)
    assert {name: a.financial_concerns for name, a in found.items()} == {
        "Bury": True,
        "Oldham": True,
        "Salford": None,
    }
