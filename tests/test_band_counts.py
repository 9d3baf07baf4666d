"""Counts of indicators in a performance band are read by code, and belong to the CCG the
sentence speaks of. Every sentence here is made up, in words unlike any article's."""

from __future__ import annotations

import pytest

from extractor.answer.article import AnswerMetric
from extractor.names.context import ccg_contexts
from extractor.names.reference_table import normalize_ccg
from extractor.proof.metrics import band_counts, with_band_counts
from extractor.text.sentences import split_sentences


@pytest.mark.parametrize(
    ("sentence", "count", "total", "band"),
    [
        ("Assessors placed the group in the highest quartile for 23 of the 60 indicators.",
         23, 60, "highest quartile"),
        ("It reached the best-performing tenth of commissioners on eight out of 40 measures.",
         8, 40, "best-performing tenth"),
        ("The board heard the CCG sat in the lowest quarter on 5 of its 17 care standards.",
         5, 17, "lowest quarter"),
        ("Inspectors found it hit 12 out of 15 of the programme's access targets.",
         12, 15, None),
    ],
)  # fmt: skip
def test_a_count_out_of_a_total_is_read(
    sentence: str, count: int, total: int, band: str | None
) -> None:
    (read,) = band_counts(sentence)
    assert (read.count, read.total) == (count, total)
    assert f"(of {total})" in read.name
    assert (band in read.name) if band else " in the " not in read.name


@pytest.mark.parametrize(
    ("sentence", "count", "band"),
    [
        ("Only in the worst quartile did it appear, on three indicators about waits.",
         3, "worst quartile"),
        ("Its results put it in the top quarter across 16 separate measures.", 16, "top quarter"),
        ("The CCG featured in the bottom decile for nine metrics last year.", 9, "bottom decile"),
    ],
)  # fmt: skip
def test_a_bare_count_beside_a_band_is_read(sentence: str, count: int, band: str) -> None:
    (read,) = band_counts(sentence)
    assert (read.count, read.total) == (count, None)
    assert read.name.endswith(band)


def test_two_counts_take_the_band_nearest_each() -> None:
    sentence = (
        "It was in the top quartile on 21 of the 44 outcome indicators, with just six "
        "measures in the bottom quartile."
    )
    first, second = band_counts(sentence)
    assert (first.count, first.total, first.name.endswith("top quartile")) == (21, 44, True)
    assert (second.count, second.total, second.name.endswith("bottom quartile")) == (6, None, True)


@pytest.mark.parametrize(
    "sentence",
    [
        "Only 48 of the 207 clinical commissioning groups met both standards.",
        "Nationally, 30 of the 195 CCGs assessed hit their cancer targets.",
        "Money troubles played a part in six of the nine inadequate ratings.",
        "The framework holds 58 indicators in four domains.",
        "It was rated good in three areas.",  # no band: a count of areas is no band count
        "It scored 9 out of 10 for patient experience.",  # a score on a scale
    ],
)
def test_counts_of_ccgs_ratings_and_scores_are_not_band_counts(sentence: str) -> None:
    assert band_counts(sentence) == []


def _metric(value: float, ccg: str | None, evidence: str, unit: str | None = None) -> AnswerMetric:
    return AnswerMetric(
        evidence=evidence, name="read by the model", value=value, unit=unit, ccg=ccg
    )


def _name(written: str | None) -> str | None:
    return normalize_ccg(written).name if written else None


def _numbered(article: str, starting: str) -> int:
    return next(s.number for s in split_sentences(article) if s.text.startswith(starting))


def test_a_band_count_replaces_the_models_reading_and_keeps_other_figures() -> None:
    article = (
        "NHS Halton CCG was rated good for 2017/18. It was in the top quartile on 14 of "
        "the 52 indicators. Its deficit was £2.3 million.\n\n"
        "NHS Knowsley CCG was rated inadequate.\n"
    )
    counted, money = _numbered(article, "It was in"), _numbered(article, "Its deficit")
    models = [
        _metric(14, "Halton", "It was in the top quartile", unit="out of 52"),
        _metric(2.3, "Halton", "Its deficit was £2.3 million.", unit="£ million"),
    ]
    read = with_band_counts(models, [counted, money], article, ccg_contexts(article))
    assert [(m.value, m.unit, _name(m.ccg)) for m in read] == [
        (14, None, "Halton"),
        (2.3, "£ million", "Halton"),
    ]
    assert read[0].name == "indicators (of 52) in the top quartile"


def test_a_band_count_the_model_missed_is_added_for_the_article_s_only_ccg() -> None:
    article = (
        "NHS Wirral CCG has been rated requires improvement for 2016/17.\n\n"
        "“We were in the lowest quarter on seven of the 31 better care indicators,” the "
        "chair said.\n"
    )
    read = with_band_counts([], [], article, ccg_contexts(article))
    assert [(m.value, _name(m.ccg), m.name) for m in read] == [
        (7, "Wirral", "better care indicators (of 31) in the lowest quarter")
    ]


def test_a_band_count_in_a_sentence_naming_two_ccgs_keeps_the_models_ccg_or_is_left() -> None:
    article = (
        "NHS Bury CCG and NHS Oldham CCG were both rated good for 2018/19, and Oldham was "
        "in the top quarter on 11 of the 40 indicators.\n"
    )
    contexts = ccg_contexts(article)
    assert with_band_counts([], [], article, contexts) == []  # whose count: not for code
    given = [_metric(11, "NHS Oldham CCG", article.strip())]
    (read,) = with_band_counts(given, [1], article, contexts)
    assert (read.value, read.unit, read.ccg) == (11, None, "NHS Oldham CCG")
