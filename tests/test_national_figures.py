"""Reading national round-up figures by their shape, on made-up sentences."""

from __future__ import annotations

import pytest

from extractor.inputs.national_figures import read_national_figures


def _read(article: str) -> tuple[dict[str, float], dict[str, int], int | None]:
    figures = read_national_figures(article)
    shares = {rating.value: value for rating, value in figures.shares.items()}
    counts = {rating.value: value for rating, value in figures.counts.items()}
    return shares, counts, figures.assessed


@pytest.mark.parametrize(
    ("article", "counts", "assessed"),
    [
        ("Of the 207 CCGs assessed, 21 were rated outstanding, 98 good and 24 inadequate.",
         {"outstanding": 21, "good": 98, "inadequate": 24}, 207),
        ("NHS England rated 23 of the 191 groups outstanding and 102 good.",
         {"outstanding": 23, "good": 102}, 191),
        ("Nationally, nine groups were judged inadequate and 57 require improvement.",
         {"inadequate": 9, "requires_improvement": 57}, None),
        ("Across England, 18 of the 195 clinical commissioning groups are now inadequate.",
         {"inadequate": 18}, 195),
    ],
)  # fmt: skip
def test_counts_belong_to_the_rating_after_them(
    article: str, counts: dict[str, int], assessed: int | None
) -> None:
    assert _read(article)[1:] == (counts, assessed)


@pytest.mark.parametrize(
    ("article", "shares"),
    [
        ("More than half (54%) of CCGs were rated good and 12% outstanding.",
         {"good": 54, "outstanding": 12}),
        ("In England 21 came out outstanding (10%) and 82 good (39%).",
         {"outstanding": 10, "good": 39}),
        ("Nationally the inadequate group - 12.6 per cent of all CCGs - grew.",
         {"inadequate": 12.6}),
    ],
)  # fmt: skip
def test_shares_belong_to_their_rating(article: str, shares: dict[str, float]) -> None:
    assert _read(article)[0] == shares


@pytest.mark.parametrize(
    "article",
    [
        "Five of the six CCGs in the county were rated inadequate, NHS England said.",
        "The CCG ended the year £12 million short and was rated inadequate.",
        "Nationally, the share rated inadequate is down 4% and outstanding rose by 2%.",
        "In England 61 of the 195 CCGs met the 62-day cancer standard.",
    ],
)
def test_local_counts_money_changes_and_other_measures_are_not_national_ratings(
    article: str,
) -> None:
    shares, counts, _ = _read(article)
    assert shares == {} and counts == {}


def test_a_sentence_of_figures_right_after_a_national_one_is_read_too() -> None:
    article = (
        "Nationally, 54% of the 191 CCGs were rated good. "
        "Another 29% were rated requires improvement and 5% inadequate."
    )
    shares, _, assessed = _read(article)
    assert shares == {"good": 54, "requires_improvement": 29, "inadequate": 5}
    assert assessed == 191


_NATIONAL = "NHS England assessed 195 CCGs for 2018/19. NHS Bury CCG was rated good. "


@pytest.mark.parametrize(
    ("sentence", "counts"),
    [
        ("Altogether, 23 CCGs were rated 'outstanding' in the latest report.", {"outstanding": 23}),
        ("In all, 17 CCGs were judged inadequate this time.", {"inadequate": 17}),
        ("Some 98 CCGs came out as good.", {"good": 98}),
        # a count no larger than the CCGs the article names, or of a place's CCGs
        ("Just 1 CCGs was rated outstanding.", {}),
        ("In the North West, 12 CCGs were rated good.", {}),
        ("Across Kent, 7 CCGs were rated inadequate.", {}),
    ],
)  # fmt: skip
def test_a_count_of_more_ccgs_than_the_article_names_is_national(
    sentence: str, counts: dict[str, int]
) -> None:
    assert _read(_NATIONAL + sentence)[1] == counts


def test_a_count_of_ccgs_is_national_only_beside_national_figures() -> None:
    assert (
        _read("NHS Bury CCG was rated good. Altogether, 23 CCGs were rated outstanding.")[1] == {}
    )


@pytest.mark.parametrize(
    ("article", "assessed", "counts"),
    [
        ("This year's assessment spans 209 CCGs. Nineteen came out outstanding and 30 "
         "inadequate.", 209, {"outstanding": 19, "inadequate": 30}),
        ("The scorecard looked at all 195 clinical commissioning groups in England, and 118 "
         "of them were judged good.", 195, {"good": 118}),
        ("Assessors' verdicts now exist for 191 CCGs; 24 of them were told they are "
         "inadequate.", 191, {"inadequate": 24}),
    ],
)  # fmt: skip
def test_a_hundred_or_more_ccgs_and_no_more_is_the_number_assessed(
    article: str, assessed: int, counts: dict[str, int]
) -> None:
    assert _read(article)[1:] == (counts, assessed)


def test_few_ccgs_named_alone_are_no_number_assessed() -> None:
    assert _read("Nationally, the framework covers 12 CCGs in the pilot.")[2] is None


@pytest.mark.parametrize(
    ("article", "counts"),
    [
        ("Nationwide the split read outstanding: 19, good: 101 and inadequate: 27.",
         {"outstanding": 19, "good": 101, "inadequate": 27}),
        ("Nationally: Good \u2013 104; Requires improvement \u2013 61.",
         {"good": 104, "requires_improvement": 61}),
        ("The national picture, by rating. Outstanding: 22 CCGs. Inadequate: 14 CCGs.",
         {"outstanding": 22, "inadequate": 14}),
    ],
)  # fmt: skip
def test_a_count_after_its_rating_and_a_colon_or_dash_is_that_rating_s(
    article: str, counts: dict[str, int]
) -> None:
    assert _read(article)[1] == counts


@pytest.mark.parametrize(
    ("article", "counts"),
    [
        # counts after a sentence of no figures, adding up to the number assessed
        ("Nationally, 18 of the 191 CCGs were rated inadequate. That was a rise on last "
         "year. Elsewhere twenty were rated outstanding, 101 good and 52 requiring "
         "improvement.", {"inadequate": 18, "outstanding": 20, "good": 101,
                          "requires_improvement": 52}),
        # a table under a sentence that only announces it
        ("Across England, 207 CCGs were assessed. The split is set out below.\n\n"
         "Outstanding | 22\nGood | 101\nRequires improvement | 60\nInadequate | 24\n",
         {"outstanding": 22, "good": 101, "requires_improvement": 60, "inadequate": 24}),
        # the last count much later, exactly what is left
        ("Seventeen of England's 195 CCGs were judged inadequate. Twenty-five came out "
         "outstanding and 98 good.\n\nA\n\nB\n\nC\n\nD\n\nE\n\nF\n\nG\n\nH\n\n"
         "Among the 55 rated requires improvement are Bury and Oldham CCGs.",
         {"inadequate": 17, "outstanding": 25, "good": 98, "requires_improvement": 55}),
    ],
)  # fmt: skip
def test_counts_that_complete_the_national_total_are_read(
    article: str, counts: dict[str, int]
) -> None:
    assert _read(article)[1] == counts


def test_counts_after_a_national_sentence_that_do_not_add_up_are_not_read() -> None:
    article = (
        "Nationally, 18 of the 191 CCGs were rated inadequate. That was a rise on last year. "
        "In our region three were rated outstanding, 12 good and 4 requiring improvement."
    )
    assert _read(article)[1] == {"inadequate": 18}


@pytest.mark.parametrize(
    "article",
    [
        "Nationally only 20, fewer than one in ten, were rated outstanding.",
        "Nationally two in five of the CCGs were rated good; only 20 were outstanding.",
        "Of the country's 209 CCGs, 20 were outstanding, roughly one in ten.",
    ],
)
def test_a_fraction_in_words_is_no_count(article: str) -> None:
    assert _read(article)[1] == {"outstanding": 20}
