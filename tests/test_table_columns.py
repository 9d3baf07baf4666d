"""Tables whose columns are CCGs: each CCG's rating is the cell under its column, on
made-up tables."""

from __future__ import annotations

import pytest

from extractor.answer.ccgs import CcgAnswer, RatedItem
from extractor.names.context import ccg_contexts
from extractor.proof.assemble import prove_ratings
from extractor.text.table_columns import cells


def _areas(article: str, *answers: CcgAnswer) -> dict[str, dict[str, str]]:
    contexts = ccg_contexts(article)
    pairs = [(contexts, answer) for answer in answers]
    assessments, _ = prove_ratings(article, pairs, contexts, year="2018/19")
    return {a.ccg.name: {x.area.value: x.rating.value for x in a.areas} for a in assessments}


TABLES = [
    # initials defined in the text, rows without outer pipes
    "NHS Bury CCG (BCCG), NHS Oldham CCG (OCCG) and NHS Salford CCG (SCCG) were rated good.\n\n"
    "Area | BCCG | OCCG | SCCG\nCancer | Requires improvement | Good | Outstanding\n"
    "Dementia | Good | Inadequate | Good\n",
    # full names in the header, outer pipes
    "Three CCGs were rated good: NHS Bury CCG, NHS Oldham CCG and NHS Salford CCG.\n\n"
    "| Clinical area | Bury CCG | Oldham CCG | Salford CCG |\n"
    "| Cancer | Requires improvement | Good | Outstanding |\n"
    "| Dementia | Good | Inadequate | Good |\n",
    # bare names, the dementia row first
    "Bury CCG, Oldham CCG and Salford CCG were all rated good for 2018/19.\n\n"
    "Priority | Bury | Oldham | Salford\nDementia | Good | Inadequate | Good\n"
    "Cancer | Requires improvement | Good | Outstanding\n",
]
EXPECTED = {
    "Bury": {"cancer": "requires_improvement", "dementia": "good"},
    "Oldham": {"cancer": "good", "dementia": "inadequate"},
    "Salford": {"cancer": "outstanding", "dementia": "good"},
}


@pytest.mark.parametrize("article", TABLES)
def test_each_ccg_reads_its_own_column(article: str) -> None:
    assert _areas(article) == EXPECTED


@pytest.mark.parametrize("article", TABLES)
def test_the_models_rating_from_another_column_is_dropped(article: str) -> None:
    # the model reads Bury's cancer cell for Oldham: the row holds it, Oldham's column does not
    wrong = CcgAnswer(
        ccg="NHS Oldham CCG", items=[RatedItem(item="cancer", rating="requires_improvement")]
    )
    assert _areas(article, wrong)["Oldham"]["cancer"] == "good"


def test_a_ccg_without_a_column_has_no_rating_in_the_table() -> None:
    article = TABLES[0] + "\nNHS Wigan Borough CCG was rated inadequate. It has no table."
    wrong = CcgAnswer(ccg="NHS Wigan Borough CCG", items=[RatedItem(item="cancer", rating="good")])
    assert _areas(article, wrong)["Wigan Borough"] == {}


def test_a_line_with_fewer_than_three_cells_is_no_row() -> None:
    assert cells("Cancer | Good") == []
    assert [text for _, text in cells("| Cancer | Good | Inadequate |")] == [
        "Cancer",
        "Good",
        "Inadequate",
    ]


YEAR_TABLES = [
    "Ratings for 2017/18 were published in July.\n\n"
    "CCG | 2017/18 | 2016/17\nNHS Bury CCG | Good | Requires improvement\n"
    "NHS Oldham CCG | Inadequate | Inadequate\n",
    # the older year first, hyphens, outer pipes
    "The table sets out the 2017/18 assessment beside the year before.\n\n"
    "| Clinical commissioning group | 2016-17 | 2017-18 |\n"
    "| Bury CCG | Requires improvement | Good |\n| Oldham CCG | Inadequate | Inadequate |\n",
    # the years inside longer headings
    "How the CCGs did in 2017/18.\n\n"
    "Group | Rating 2017/18 | Rating 2016/17 | Change\n"
    "Bury | Good | Requires improvement | up\nOldham | Inadequate | Inadequate | none\n",
]


@pytest.mark.parametrize("article", YEAR_TABLES)
def test_a_table_with_years_as_columns_gives_this_and_last_years_ratings(article: str) -> None:
    contexts = ccg_contexts(article)
    answers = [
        (contexts, CcgAnswer(ccg=name, overall=overall, last_year=before))
        for name, overall, before in (
            ("Bury", "good", "requires improvement"),
            ("Oldham", "inadequate", "inadequate"),
        )
    ]
    assessments, _ = prove_ratings(article, answers, contexts, year="2017/18")
    found = {a.ccg.name: (a.overall, a.previous_overall) for a in assessments}
    assert found == {
        "Bury": ("good", "requires_improvement"),
        "Oldham": ("inadequate", "inadequate"),
    }


@pytest.mark.parametrize("article", YEAR_TABLES)
def test_a_rating_from_the_wrong_year_column_is_dropped(article: str) -> None:
    contexts = ccg_contexts(article)
    swapped = CcgAnswer(ccg="Bury", overall="requires improvement", last_year="good")
    assessments, dropped = prove_ratings(article, [(contexts, swapped)], contexts, year="2017/18")
    bury = next(a for a in assessments if a.ccg.name == "Bury")
    assert (bury.overall, bury.previous_overall) == ("good", "requires_improvement")
    assert "no sentence about the CCG gives it this rating" in [d.reason for d in dropped]


WORDED_TABLES = [
    "Ratings for 2017/18 were published in July.\n\n"
    "CCG | Rating | Last year\nNHS Bury CCG | Good | Requires improvement\n"
    "NHS Oldham CCG | Inadequate | Inadequate\n",
    "How the groups did in the 2017/18 assessment.\n\n"
    "| Clinical commissioning group | This year | Previous rating |\n"
    "| Bury CCG | Good | Requires improvement |\n| Oldham CCG | Inadequate | Inadequate |\n",
    "The 2017/18 results for the two CCGs.\n\n"
    "Name | Overall rating | Prior year | Change\n"
    "Bury | Good | Requires improvement | up\nOldham | Inadequate | Inadequate | none\n",
]


@pytest.mark.parametrize("article", WORDED_TABLES)
def test_a_last_year_column_holds_last_years_rating_and_never_this_years(article: str) -> None:
    contexts = ccg_contexts(article)
    swapped = CcgAnswer(ccg="Bury", overall="requires improvement", last_year="good")
    right = CcgAnswer(ccg="Oldham", overall="inadequate", last_year="inadequate")
    pairs = [(contexts, swapped), (contexts, right)]
    assessments, _ = prove_ratings(article, pairs, contexts, year="2017/18")
    found = {a.ccg.name: (a.overall, a.previous_overall) for a in assessments}
    assert found == {
        "Bury": ("good", "requires_improvement"),
        "Oldham": ("inadequate", "inadequate"),
    }
