"""Tests of `extractor.text.dates_and_numbers`: assessment years, article dates and number forms."""

from __future__ import annotations

from datetime import date

import pytest

from extractor.text.dates_and_numbers import (
    mentions_number,
    normalize_year,
    number_forms,
    parse_date,
)


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2016/17", "2016/17"),
        ("2019/2020", "2019/20"),
        ("2016-17", "2016/17"),
        ("2016\u201317", "2016/17"),  # en dash
        ("2016\u20142017", "2016/17"),  # em dash, four-digit second year
        ("2016 to 2017", "2016/17"),
        ("2016 / 17", "2016/17"),
        ("the 2017/18 annual assessment", "2017/18"),
        ("2099/00", "2099/00"),  # the century wraps
    ],
)
def test_normalize_year_valid(text: str, year: str) -> None:
    assert normalize_year(text) == year


@pytest.mark.parametrize(
    "text",
    [None, "", "2019", "2016/18", "2016-2018", "2017/16", "2016/2016", "last year"],
)
def test_normalize_year_invalid_is_none(text: str | None) -> None:
    assert normalize_year(text) is None


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [
        ("25th November 2020", None, date(2020, 11, 25)),
        ("1st of March 2018", None, date(2018, 3, 1)),
        ("Wednesday, July 19", 2017, date(2017, 7, 19)),
        ("July 19, 2017", None, date(2017, 7, 19)),
        ("Sept 5 2018", None, date(2018, 9, 5)),
        ("21 Jul. 2016", None, date(2016, 7, 21)),
        ("2020-11-25", None, date(2020, 11, 25)),
        ("Published: 2017-07-19T10:00:00Z", None, date(2017, 7, 19)),
        ("25 November 2020", 2017, date(2020, 11, 25)),  # a written year beats the default
    ],
)
def test_parse_date(text: str, default_year: int | None, expected: date) -> None:
    assert parse_date(text, default_year=default_year) == expected


@pytest.mark.parametrize(
    ("text", "default_year"),
    [
        (None, 2017),
        ("", 2017),
        ("Wednesday, July 19", None),  # no year and no default
        ("31 February 2020", None),
        ("2020-02-30", None),
        ("0 March 2020", None),
        ("no date here", 2017),
        ("July 2017", 2017),  # no day: not 20 July
        ("in 2019 June", 2017),  # no day: not 19 June
    ],
)
def test_parse_date_invalid_or_missing_is_none(text: str | None, default_year: int | None) -> None:
    assert parse_date(text, default_year=default_year) is None


@pytest.mark.parametrize(
    ("value", "forms"),
    [
        (9.0, {"9", "9.0", "nine"}),
        (1234.0, {"1234", "1,234", "1234.0"}),
        (85.4, {"85.4"}),
        (12000.5, {"12000.5", "12,000.5"}),
        (50.0, {"50", "50.0", "half", "fifty"}),
        (21.0, {"21", "21.0", "twenty-one", "twenty one"}),
    ],
)
def test_number_forms(value: float, forms: set[str]) -> None:
    assert number_forms(value) == forms


@pytest.mark.parametrize(
    ("text", "value", "written"),
    [
        ("Twenty-one CCGs were rated outstanding", 21.0, True),
        ("seventy two groups were assessed", 72.0, True),
        ("twenty-one CCGs", 20.0, False),  # part of a longer number word
        ("twenty one CCGs", 20.0, False),
        ("it often happens", 10.0, False),  # inside a longer word
    ],
)
def test_number_words_count_as_the_number_they_write(
    text: str, value: float, written: bool
) -> None:
    assert mentions_number(text, value) is written
