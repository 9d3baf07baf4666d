"""The scorer on hand-made predictions against a small made-up gold extraction.

Each test starts from a copy of `GOLD`, changes one thing and checks that exactly the facts
that thing touches move between true positives, false positives and false negatives.
"""

from __future__ import annotations

from datetime import date

import pytest

from eval.scoring import (
    FACT_TYPES,
    METRIC_RELATIVE_TOLERANCE,
    DocumentScore,
    Tally,
    facts_of,
    invented_ccgs,
    score_document,
    total,
)
from extractor.schema import (
    CCG,
    Area,
    AreaRating,
    Assessment,
    Evidence,
    Extraction,
    Indicator,
    Metric,
    National,
    Quote,
    Rating,
)

ARTICLE = (
    "ST HELENS Clinical Commissioning Group (CCG) has been rated 'requires improvement' "
    "overall in the 2016/17 annual assessment, up from 'inadequate' last year, after "
    "financial pressures. It was rated 'good' for cancer and 'requires improvement' for "
    "maternity. Its CCG leadership rating was green. Some 85.4 per cent of cancer patients "
    "were treated within 62 days. NHS Riverside CCG was rated 'good' and reported an "
    "underlying deficit of £12 million. Nationally, 207 CCGs were assessed: 50 per cent were "
    "rated good and 21 outstanding. Chief officer Sarah O'Brien said: \"We are on the way "
    'up." A Riverside CCG spokeswoman said: "We are pleased."'
)


def _ev(phrase: str) -> Evidence:
    start = ARTICLE.index(phrase)
    return Evidence(quote=phrase, start=start, end=start + len(phrase))


ST_HELENS = CCG(
    name="St Helens",
    as_written="ST HELENS Clinical Commissioning Group (CCG)",
    ods_code="01X",
)
RIVERSIDE = CCG(name="Riverside", as_written="NHS Riverside CCG", ods_code=None)

GOLD = Extraction(
    published=date(2017, 7, 19),
    assessments=[
        Assessment(
            ccg=ST_HELENS,
            year="2016/17",
            overall=Rating.requires_improvement,
            previous_overall=Rating.inadequate,
            areas=[
                AreaRating(area=Area.cancer, rating=Rating.good, evidence=_ev("'good' for cancer")),
                AreaRating(
                    area=Area.maternity,
                    rating=Rating.requires_improvement,
                    evidence=_ev("'requires improvement' for maternity"),
                ),
            ],
            indicators=[
                Indicator(
                    name="CCG leadership rating",
                    rating="green",
                    evidence=_ev("Its CCG leadership rating was green"),
                )
            ],
            financial_concerns=True,
            evidence=_ev("has been rated 'requires improvement' overall"),
        ),
        Assessment(
            ccg=RIVERSIDE,
            year="2016/17",
            overall=Rating.good,
            evidence=_ev("NHS Riverside CCG was rated 'good'"),
        ),
    ],
    national=National(
        year="2016/17",
        ccgs_assessed=207,
        share_by_rating={Rating.good: 50.0},
        count_by_rating={Rating.outstanding: 21},
        evidence=_ev("207 CCGs were assessed"),
    ),
    metrics=[
        Metric(
            name="cancer patients treated within 62 days",
            value=85.4,
            unit="%",
            ccg="St Helens",
            evidence=_ev("85.4 per cent of cancer patients"),
        ),
        Metric(
            name="underlying deficit",
            value=12.0,
            unit="£ million",
            ccg="Riverside",
            evidence=_ev("underlying deficit of £12 million"),
        ),
    ],
    quotes=[
        Quote(
            speaker="Sarah O'Brien",
            role="chief officer",
            organisation="St Helens CCG",
            text="We are on the way up.",
            evidence=_ev("We are on the way up."),
        ),
        Quote(
            speaker=None,
            role="spokeswoman",
            organisation="Riverside CCG",
            text="We are pleased.",
            evidence=_ev("We are pleased."),
        ),
    ],
)

GOLD_COUNTS = {
    "ccg": 2,
    "year": 2,
    "overall": 2,
    "previous_overall": 1,
    "area": 2,
    "indicator": 1,
    "financial_concerns": 1,
    "metric": 2,
    "quote": 2,
    "national": 4,  # year, ccgs assessed, one share, one count
    "published": 1,
}
GOLD_TOTAL = sum(GOLD_COUNTS.values())


def _copy() -> Extraction:
    return GOLD.model_copy(deep=True)


def _score(predicted: Extraction | None) -> DocumentScore:
    return score_document("doc", GOLD, predicted)


def _counts(tally: Tally) -> tuple[int, int, int]:
    return len(tally.tp), len(tally.fp), len(tally.fn)


def _assert_untouched(score: DocumentScore, *changed: str) -> None:
    """Every fact type except `changed` is scored perfectly."""
    for name in FACT_TYPES:
        if name in changed:
            continue
        assert _counts(score.by_type[name]) == (GOLD_COUNTS[name], 0, 0), name


# --- the whole extraction -------------------------------------------------------------------


def test_gold_facts_are_as_expected() -> None:
    facts = facts_of(GOLD)
    assert {name: len(items) for name, items in facts.items()} == GOLD_COUNTS


def test_perfect_prediction_scores_one_everywhere() -> None:
    score = _score(_copy())
    for name in FACT_TYPES:
        tally = score.by_type[name]
        assert (tally.precision, tally.recall, tally.f1) == (1.0, 1.0, 1.0), name
    _assert_untouched(score)
    assert _counts(score.overall) == (GOLD_TOTAL, 0, 0)
    assert score.overall.f1 == 1.0


def test_order_of_predicted_items_does_not_matter() -> None:
    predicted = _copy()
    predicted.assessments.reverse()
    predicted.assessments[1].areas.reverse()
    predicted.metrics.reverse()
    predicted.quotes.reverse()
    _assert_untouched(_score(predicted))


@pytest.mark.parametrize("predicted", [Extraction(), None], ids=["empty", "error-record"])
def test_empty_or_missing_prediction_finds_nothing(predicted: Extraction | None) -> None:
    score = _score(predicted)
    overall = score.overall
    assert _counts(overall) == (0, 0, GOLD_TOTAL)
    assert overall.recall == 0.0
    assert overall.precision == 1.0  # nothing predicted: documented convention
    assert overall.f1 == 0.0
    for name in FACT_TYPES:
        assert _counts(score.by_type[name]) == (0, 0, GOLD_COUNTS[name]), name
        assert score.by_type[name].f1 == 0.0, name


def test_empty_gold_and_empty_prediction_is_perfect() -> None:
    score = score_document("doc", Extraction(), None)
    assert _counts(score.overall) == (0, 0, 0)
    assert score.overall.f1 == 1.0


def test_prediction_against_empty_gold_is_all_false_positives() -> None:
    score = score_document("doc", Extraction(), _copy())
    assert _counts(score.overall) == (0, GOLD_TOTAL, 0)
    assert score.overall.precision == 0.0
    assert score.overall.recall == 1.0  # gold has nothing: documented convention
    assert score.overall.f1 == 0.0


# --- ratings and CCGs -----------------------------------------------------------------------


def test_one_wrong_overall_rating_is_one_fp_and_one_fn() -> None:
    predicted = _copy()
    predicted.assessments[0].overall = Rating.good
    score = _score(predicted)
    tally = score.by_type["overall"]
    assert _counts(tally) == (1, 1, 1)
    assert [f.value for f in tally.fp] == ["overall=good"]
    assert [f.value for f in tally.fn] == ["overall=requires_improvement"]
    assert tally.fp[0].key == tally.fn[0].key
    _assert_untouched(score, "overall")


def test_one_wrong_area_rating_is_one_fp_and_one_fn() -> None:
    predicted = _copy()
    predicted.assessments[0].areas[0].rating = Rating.inadequate
    score = _score(predicted)
    tally = score.by_type["area"]
    assert _counts(tally) == (1, 1, 1)
    assert [f.value for f in tally.fp] == ["cancer=inadequate"]
    assert [f.value for f in tally.fn] == ["cancer=good"]
    _assert_untouched(score, "area")


def test_missing_rating_is_only_a_false_negative() -> None:
    predicted = _copy()
    predicted.assessments[0].previous_overall = None
    predicted.assessments[0].financial_concerns = None
    score = _score(predicted)
    assert _counts(score.by_type["previous_overall"]) == (0, 0, 1)
    assert _counts(score.by_type["financial_concerns"]) == (0, 0, 1)
    _assert_untouched(score, "previous_overall", "financial_concerns")


def test_extra_ccg_is_false_positive_with_its_ratings() -> None:
    predicted = _copy()
    predicted.assessments.append(
        Assessment(
            ccg=CCG(name="Stockport", as_written="NHS Stockport CCG", ods_code="01W"),
            year="2016/17",
            overall=Rating.good,
            areas=[AreaRating(area=Area.cancer, rating=Rating.good, evidence=_ev("'good'"))],
        )
    )
    score = _score(predicted)
    for name in ("ccg", "year", "overall", "area"):
        tally = score.by_type[name]
        assert _counts(tally) == (GOLD_COUNTS[name], 1, 0), name
        assert "Stockport" in tally.fp[0].key
    _assert_untouched(score, "ccg", "year", "overall", "area")


def test_same_ods_code_matches_whatever_the_name_says() -> None:
    predicted = _copy()
    predicted.assessments[0].ccg = CCG(
        name="St. Helens", as_written="NHS St. Helens CCG", ods_code="01X"
    )
    _assert_untouched(_score(predicted))


def test_different_ods_codes_do_not_match_even_with_the_same_name() -> None:
    predicted = _copy()
    predicted.assessments[0].ccg = CCG(name="St Helens", as_written="St Helens", ods_code="01W")
    score = _score(predicted)
    assert _counts(score.by_type["ccg"]) == (1, 1, 1)
    assert _counts(score.by_type["overall"]) == (1, 1, 1)


def test_ccg_without_ods_code_matches_by_normalised_name() -> None:
    predicted = _copy()
    predicted.assessments[1].ccg = CCG(name="RIVERSIDE ccg", as_written="Riverside", ods_code=None)
    _assert_untouched(_score(predicted))


def test_code_on_one_side_only_falls_back_to_the_name() -> None:
    predicted = _copy()
    predicted.assessments[0].ccg = CCG(name="ST HELENS", as_written="St Helens", ods_code=None)
    _assert_untouched(_score(predicted))


def test_ccg_without_code_and_another_name_does_not_match() -> None:
    predicted = _copy()
    predicted.assessments[1].ccg = CCG(name="Riverdale", as_written="Riverdale CCG")
    score = _score(predicted)
    assert _counts(score.by_type["ccg"]) == (1, 1, 1)
    assert _counts(score.by_type["overall"]) == (1, 1, 1)


RATED = ("overall", "previous_overall", "area", "indicator", "financial_concerns")


@pytest.mark.parametrize("year", ["2017/18", None])
def test_a_wrong_or_missing_year_costs_the_year_fact_only(year: str | None) -> None:
    predicted = _copy()
    predicted.assessments[0].year = year
    score = _score(predicted)
    # the CCG still matches: its ratings stay true positives, only its year is wrong
    wrong = 1 if year else 0
    assert _counts(score.by_type["year"]) == (1, wrong, 1)
    _assert_untouched(score, "year")


def test_a_ccg_assessed_for_two_years_is_matched_year_by_year() -> None:
    predicted = _copy()
    earlier = predicted.assessments[1].model_copy(update={"year": "2015/16"})
    predicted.assessments.append(earlier)
    score = _score(predicted)
    assert _counts(score.by_type["ccg"]) == (1, 2, 1)  # "Riverside 2016/17", "... 2015/16"
    assert {fact.key for fact in score.by_type["ccg"].fp} == {
        "riverside 2016/17",
        "riverside 2015/16",
    }


# --- indicators -----------------------------------------------------------------------------


def _with_indicator(name: str, rating: str) -> Extraction:
    predicted = _copy()
    evidence = _ev("Its CCG leadership rating was green")
    predicted.assessments[0].indicators = [
        Indicator.model_validate({"name": name, "rating": rating, "evidence": evidence})
    ]
    return predicted


@pytest.mark.parametrize("name", ["leadership", "Leadership rating", "CCG leadership"])
def test_indicator_name_matches_loosely(name: str) -> None:
    _assert_untouched(_score(_with_indicator(name, "green")))


@pytest.mark.parametrize(
    ("name", "rating"),
    [("leadership", "amber"), ("CCG leadership rating", "good"), ("patient engagement", "green")],
)
def test_indicator_needs_the_same_rating_and_a_similar_name(name: str, rating: str) -> None:
    score = _score(_with_indicator(name, rating))
    assert _counts(score.by_type["indicator"]) == (0, 1, 1)
    _assert_untouched(score, "indicator")


def test_indicator_on_another_ccg_does_not_match() -> None:
    predicted = _copy()
    predicted.assessments[1].indicators = predicted.assessments[0].indicators
    predicted.assessments[0].indicators = []
    assert _counts(_score(predicted).by_type["indicator"]) == (0, 1, 1)


# --- metrics --------------------------------------------------------------------------------


def _with_cancer_metric(**changes: object) -> Extraction:
    predicted = _copy()
    predicted.metrics[0] = predicted.metrics[0].model_copy(update=changes)
    return predicted


@pytest.mark.parametrize(
    "changes",
    [
        {"value": 85.4 * (1 + METRIC_RELATIVE_TOLERANCE * 0.8)},
        {"value": 85.4 * (1 - METRIC_RELATIVE_TOLERANCE * 0.8)},
        {"unit": "per cent"},
        {"unit": " Percent"},
        {"name": "patients with cancer treated in 62 days"},
        {"ccg": None},
    ],
    ids=["above-within", "below-within", "per-cent", "percent", "other-name", "no-ccg"],
)
def test_near_miss_metric_matches(changes: dict[str, object]) -> None:
    _assert_untouched(_score(_with_cancer_metric(**changes)))


@pytest.mark.parametrize(
    "changes",
    [
        {"value": 85.4 * (1 + METRIC_RELATIVE_TOLERANCE * 1.5)},
        {"value": 85.4 * (1 - METRIC_RELATIVE_TOLERANCE * 1.5)},
        {"value": 86.0},
        {"unit": "points"},
        {"unit": None},
        {"name": "stillbirths per 1,000 babies", "evidence": Evidence(quote="x", start=0, end=1)},
    ],
    ids=["above-outside", "below-outside", "other-value", "other-unit", "no-unit", "unrelated"],
)
def test_metric_outside_tolerance_or_other_unit_does_not_match(
    changes: dict[str, object],
) -> None:
    score = _score(_with_cancer_metric(**changes))
    tally = score.by_type["metric"]
    assert _counts(tally) == (1, 1, 1)
    assert tally.fn[0].payload == GOLD.metrics[0]
    _assert_untouched(score, "metric")


def test_metric_units_are_normalised() -> None:
    predicted = _copy()
    predicted.metrics[1] = predicted.metrics[1].model_copy(update={"unit": "pounds million"})
    _assert_untouched(_score(predicted))


@pytest.mark.parametrize(
    ("gold", "predicted", "same"),
    [
        ("per 100,000 people", "/100,000", True),
        ("per 1,000 population", "per 1,000", True),
        ("per 100,000 people", "per 1,000 people", False),
    ],
)
def test_a_rate_per_so_many_people_is_one_unit(gold: str, predicted: str, same: bool) -> None:
    from eval.scoring import _unit_key

    assert (_unit_key(gold) == _unit_key(predicted)) is same


def test_one_predicted_metric_matches_one_gold_metric_only() -> None:
    predicted = _copy()
    predicted.metrics.append(predicted.metrics[0].model_copy())
    assert _counts(_score(predicted).by_type["metric"]) == (2, 1, 0)


# --- quotes ---------------------------------------------------------------------------------


def _with_quote(index: int, **changes: object) -> Extraction:
    predicted = _copy()
    predicted.quotes[index] = predicted.quotes[index].model_copy(update=changes)
    return predicted


@pytest.mark.parametrize(
    "changes",
    [
        {"speaker": "Sarah O Brien"},
        {"speaker": "Dr Sarah O'Brien", "role": "chair", "organisation": "a hospital"},
        {"text": "Something else she said."},
    ],
)
def test_named_quote_matches_on_speaker(changes: dict[str, object]) -> None:
    _assert_untouched(_score(_with_quote(0, **changes)))


@pytest.mark.parametrize(
    "changes",
    [{"speaker": "Sarah Smith"}, {"speaker": None}],
    ids=["other-person", "unnamed"],
)
def test_named_quote_needs_the_same_speaker(changes: dict[str, object]) -> None:
    score = _score(_with_quote(0, **changes))
    assert _counts(score.by_type["quote"]) == (1, 1, 1)
    _assert_untouched(score, "quote")


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "a spokeswoman for the CCG", "organisation": "NHS Riverside CCG"},
        {"organisation": None},
        {"text": "Something else."},
    ],
)
def test_unnamed_quote_matches_on_role_and_organisation(changes: dict[str, object]) -> None:
    _assert_untouched(_score(_with_quote(1, **changes)))


@pytest.mark.parametrize(
    "changes",
    [
        {"role": "chief executive"},
        {"organisation": "St Helens Council"},
        {"speaker": "Jo Bloggs"},
        {"role": None},
    ],
    ids=["other-role", "other-organisation", "named", "no-role"],
)
def test_unnamed_quote_needs_role_and_organisation(changes: dict[str, object]) -> None:
    score = _score(_with_quote(1, **changes))
    assert _counts(score.by_type["quote"]) == (1, 1, 1)
    _assert_untouched(score, "quote")


def test_unnamed_quote_without_role_matches_one_without_role() -> None:
    gold = _copy()
    gold.quotes[1] = gold.quotes[1].model_copy(update={"role": None})
    predicted = gold.model_copy(deep=True)
    score = score_document("doc", gold, predicted)
    assert _counts(score.by_type["quote"]) == (2, 0, 0)
    predicted.quotes[1] = predicted.quotes[1].model_copy(update={"organisation": "A Council"})
    assert _counts(score_document("doc", gold, predicted).by_type["quote"]) == (1, 1, 1)


def test_several_quotes_of_one_speaker_count_once() -> None:
    predicted = _copy()
    again = predicted.quotes[0].model_copy(update={"text": "And more."})
    predicted.quotes.append(again)
    predicted.quotes.append(again.model_copy(update={"speaker": "SARAH O'BRIEN"}))
    _assert_untouched(_score(predicted))


# --- national figures and the published date ------------------------------------------------


def test_national_figures_match_each_on_its_own() -> None:
    predicted = _copy()
    assert predicted.national is not None
    predicted.national.share_by_rating = {Rating.good: 50}  # an int is the same figure
    _assert_untouched(_score(predicted))
    predicted.national.ccgs_assessed = 208
    predicted.national.count_by_rating = {}
    score = _score(predicted)
    tally = score.by_type["national"]
    assert _counts(tally) == (2, 1, 2)
    assert [f.value for f in tally.fp] == ["assessed=208"]
    assert sorted(f.value for f in tally.fn) == ["assessed=207", "count outstanding=21"]
    _assert_untouched(score, "national")


def test_missing_national_figures_are_false_negatives() -> None:
    predicted = _copy()
    predicted.national = None
    score = _score(predicted)
    assert _counts(score.by_type["national"]) == (0, 0, 4)
    _assert_untouched(score, "national")


@pytest.mark.parametrize(
    ("published", "expected"),
    [(date(2017, 7, 19), (1, 0, 0)), (date(2017, 7, 20), (0, 1, 1)), (None, (0, 0, 1))],
)
def test_published_date(published: date | None, expected: tuple[int, int, int]) -> None:
    predicted = _copy()
    predicted.published = published
    score = _score(predicted)
    assert _counts(score.by_type["published"]) == expected
    _assert_untouched(score, "published")


# --- micro-averaging ------------------------------------------------------------------------


def test_total_micro_averages_counts_not_f1() -> None:
    perfect, empty = _score(_copy()), _score(None)
    combined = total([perfect.overall, empty.overall])
    assert _counts(combined) == (GOLD_TOTAL, 0, GOLD_TOTAL)
    assert combined.precision == 1.0
    assert combined.recall == 0.5
    assert combined.f1 == pytest.approx(2 / 3)
    assert combined.f1 != pytest.approx((perfect.overall.f1 + empty.overall.f1) / 2)


def test_total_of_nothing_is_an_empty_tally() -> None:
    assert _counts(total([])) == (0, 0, 0)


def test_document_overall_is_the_total_of_its_types() -> None:
    predicted = _copy()
    predicted.assessments[0].overall = Rating.good
    predicted.metrics.pop()
    score = _score(predicted)
    by_type = [_counts(score.by_type[name]) for name in FACT_TYPES]
    assert _counts(score.overall) == tuple(sum(c[i] for c in by_type) for i in range(3))
    assert _counts(score.overall) == (GOLD_TOTAL - 2, 1, 2)


def test_total_does_not_change_its_inputs() -> None:
    first, second = _score(_copy()).overall, _score(None).overall
    before = _counts(first), _counts(second)
    total([first, second])
    assert (_counts(first), _counts(second)) == before


# --- invented CCGs --------------------------------------------------------------------------


def _assessment_of(ccg: CCG) -> Assessment:
    return Assessment(ccg=ccg, year="2016/17", overall=Rating.good)


@pytest.mark.parametrize(
    "ccg",
    [
        ST_HELENS,
        RIVERSIDE,
        CCG(name="St Helens", as_written="St Helens CCG", ods_code="01X"),  # name in the text
        CCG(name="Riverside", as_written="riverside  ccg"),  # written form, case and spaces
    ],
)
def test_ccg_named_in_the_article_is_not_invented(ccg: CCG) -> None:
    assert invented_ccgs(Extraction(assessments=[_assessment_of(ccg)]), ARTICLE) == []


def test_ccg_not_in_the_article_is_invented() -> None:
    stockport = CCG(name="Stockport", as_written="NHS Stockport CCG", ods_code="01W")
    ccgs = [ST_HELENS, stockport, RIVERSIDE]
    predicted = Extraction(assessments=[_assessment_of(ccg) for ccg in ccgs])
    assert invented_ccgs(predicted, ARTICLE) == ["Stockport"]


def test_invented_ccgs_of_an_error_record_is_empty() -> None:
    assert invented_ccgs(None, ARTICLE) == []


@pytest.mark.parametrize(
    ("gold_name", "name", "same"),
    [
        ("deficit at the end of 2016/17", "deficits", True),
        ("estimated dementia diagnosis rate", "dementia diagnoses", True),
        ("patients seen within two weeks", "waiting", False),
    ],
)
def test_metric_names_match_on_a_shared_content_word(gold_name: str, name: str, same: bool) -> None:
    value = GOLD.metrics[0].model_copy(update={"name": gold_name})
    gold = GOLD.model_copy(update={"metrics": [value]})
    elsewhere = Evidence(quote="x", start=0, end=1)  # another sentence: the name decides
    changed = value.model_copy(update={"name": name, "evidence": elsewhere})
    predicted = GOLD.model_copy(update={"metrics": [changed]})
    tally = score_document("doc", gold, predicted).by_type["metric"]
    assert (len(tally.tp) == 1) is same


def test_a_metric_read_from_the_same_sentence_matches_whatever_its_name() -> None:
    value = GOLD.metrics[0]
    renamed = value.model_copy(update={"name": "waiting"})
    predicted = GOLD.model_copy(update={"metrics": [renamed]})
    gold = GOLD.model_copy(update={"metrics": [value]})
    assert len(score_document("doc", gold, predicted).by_type["metric"].tp) == 1
    other_value = renamed.model_copy(update={"value": value.value * 2})
    predicted = GOLD.model_copy(update={"metrics": [other_value]})
    assert score_document("doc", gold, predicted).by_type["metric"].tp == []
