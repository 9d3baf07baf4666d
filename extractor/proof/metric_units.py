"""A metric's unit as the guidelines write it, read from its sentence where the model's is
missing or is a count's total.

- A figure the model gave no unit takes the one its sentence writes beside it: "%" after
  it ("70.2 per cent", "72.4%"), money around it ("£5.3m", "£850,000", "£2bn").
- A count given "out of" a total that is no scale ("2,310 out of 4,100") has no unit; the
  total goes in its name ("(of 4100)"). A score on a scale of 5, 10 or 100 keeps it.
"""

from __future__ import annotations

import re

from extractor.text.dates_and_numbers import in_figures, number_forms

__all__ = ["unit_and_name"]

_SCALES = frozenset({5, 10, 100})
_OUT_OF = re.compile(r"\s*(?:out\s+)?of\s+(?:the\s+)?(\d[\d,]*)\s*", re.IGNORECASE)
_PERCENT_AFTER = r"\s*(?:%|per\s?cent\b|percent\b)"
_MONEY_AFTER = r"\s*(?P<size>m\b|million\b|bn\b|billion\b)?"


def _unit_written(value: float, sentence: str) -> str | None:
    """The unit written beside `value` in `sentence`, when there is exactly one."""
    units: set[str] = set()
    for form in number_forms(value):
        if not form[0].isdigit():
            continue
        figure = in_figures(form)
        if re.search(figure + _PERCENT_AFTER, sentence, re.IGNORECASE):
            units.add("%")
        for money in re.finditer(r"£\s*" + figure + _MONEY_AFTER, sentence, re.IGNORECASE):
            size = (money.group("size") or "").lower()
            units.add("£ billion" if size.startswith("b") else "£ million" if size else "£")
    return units.pop() if len(units) == 1 else None


def unit_and_name(
    value: float, unit: str | None, name: str, sentence: str
) -> tuple[str | None, str]:
    """The metric's unit and name: the model's, with a missing unit read from the sentence
    and a count's total moved from the unit into the name."""
    if not (unit or "").strip():
        return _unit_written(value, sentence), name
    total = _OUT_OF.fullmatch(unit or "")
    if total is not None and value.is_integer():
        whole = int(total.group(1).replace(",", ""))
        if whole not in _SCALES and value <= whole:
            return None, f"{name} (of {whole})"
    return unit, name
