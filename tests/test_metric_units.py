"""A metric's unit read from its sentence, on made-up figures."""

from __future__ import annotations

import pytest

from extractor.proof.metrics import unit_and_name


@pytest.mark.parametrize(
    ("value", "sentence", "unit"),
    [
        (64.3, "Its dementia diagnosis rate reached 64.3 per cent in March.", "%"),
        (88.0, "Some 88% of patients were seen within four hours.", "%"),
        (4.7, "The group overspent by £4.7m in the year.", "£ million"),
        (2.0, "It commissions around £2bn of care a year.", "£ billion"),
        (650000.0, "A one-off cost of £650,000 fell on the budget.", "£"),
        (12.0, "It was in the top quarter on 12 indicators.", None),  # a count: no unit
    ],
)
def test_a_missing_unit_is_the_one_written_beside_the_figure(
    value: float, sentence: str, unit: str | None
) -> None:
    assert unit_and_name(value, None, "figure", sentence) == (unit, "figure")


def test_a_figure_written_twice_with_two_units_gets_none() -> None:
    sentence = "Waits of 18 weeks fell to 18% of referrals, while £18m was saved."
    assert unit_and_name(18.0, "", "figure", sentence) == (None, "figure")


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1830.0, "out of 2,450", (None, "checks (of 2450)")),
        (41.0, "of 60", (None, "checks (of 60)")),
        (8.0, "out of 10", ("out of 10", "checks")),  # a score on a scale
        (4.5, "out of 5", ("out of 5", "checks")),
        (70.0, "out of 100", ("out of 100", "checks")),
    ],
)
def test_a_counts_total_goes_from_the_unit_into_the_name(
    value: float, unit: str, expected: tuple[str | None, str]
) -> None:
    assert unit_and_name(value, unit, "checks", "any sentence") == expected


def test_a_unit_the_model_gave_is_kept() -> None:
    assert unit_and_name(5.5, "per 1,000 births", "stillbirths", "5.5 per 1,000 births") == (
        "per 1,000 births",
        "stillbirths",
    )
