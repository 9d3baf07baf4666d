"""Merge a model's assessment entries: duplicates of one CCG and year, and previous years.

Small models write the same CCG twice (once per sentence that mentions it) and turn "up from
'inadequate' last year" into an entry of its own; both are folded into one assessment.
"""

from __future__ import annotations

from extractor.names.reference_table import canonical_key
from extractor.schema import Assessment

__all__ = ["ccg_key", "fold_previous_years", "merge_duplicates"]


def merge_duplicates(assessments: list[Assessment]) -> list[Assessment]:
    """Merge entries for the same CCG and year: the first known value of each field wins,
    areas and indicators are joined."""
    merged: dict[tuple[str, str | None], Assessment] = {}
    for assessment in assessments:
        key = (ccg_key(assessment), assessment.year)
        kept = merged.get(key)
        if kept is None:
            merged[key] = assessment
            continue
        known_areas = {a.area for a in kept.areas}
        known_indicators = {i.name.lower() for i in kept.indicators}
        merged[key] = kept.model_copy(
            update={
                "overall": kept.overall or assessment.overall,
                "evidence": kept.evidence if kept.overall else assessment.evidence,
                "previous_overall": kept.previous_overall or assessment.previous_overall,
                "financial_concerns": _first_known(
                    kept.financial_concerns, assessment.financial_concerns
                ),
                "areas": kept.areas + [a for a in assessment.areas if a.area not in known_areas],
                "indicators": kept.indicators
                + [i for i in assessment.indicators if i.name.lower() not in known_indicators],
            }
        )
    return list(merged.values())


def fold_previous_years(assessments: list[Assessment]) -> list[Assessment]:
    """Fold "last year's rating" entries into the current year's `previous_overall`.

    An entry for year Y-1 that holds only an overall rating, for a CCG that also has an entry
    for year Y, is the previous rating the article mentions in passing, not a result of its own.
    """
    by_key = {(ccg_key(a), a.year): a for a in assessments}
    kept: list[Assessment] = []
    for assessment in assessments:
        later_year = _next_year(assessment.year)
        later = by_key.get((ccg_key(assessment), later_year)) if later_year else None
        rating_only = not assessment.areas and not assessment.indicators
        if later is not None and rating_only and assessment.overall is not None:
            if later.previous_overall is None:
                later.previous_overall = assessment.overall
            continue
        kept.append(assessment)
    return kept


def ccg_key(assessment: Assessment) -> str:
    """What identifies an assessment's CCG: its ODS code, else its canonical name."""
    return assessment.ccg.ods_code or canonical_key(assessment.ccg.name)


def _next_year(year: str | None) -> str | None:
    if year is None:
        return None
    first = int(year[:4]) + 1
    return f"{first}/{(first + 1) % 100:02d}"


def _first_known(first: bool | None, second: bool | None) -> bool | None:
    return first if first is not None else second
