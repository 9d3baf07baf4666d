"""Counts of indicators in a performance band, read from the sentence by code.

The assessment reports how many of a CCG's indicators fell in a band of CCGs nationally,
in one of two fixed forms:

- a count out of a total: "in the top quarter on 21 of the 44 outcome indicators",
  "met 7 out of 12 of the framework's cancer indicators", "improved against 10 of 11 key
  measures";
- a bare count in a sentence that names a band: "in the bottom quartile on four
  indicators", "top decile across 14 different elements of its performance".

The model reads these poorly (the value 1 with the unit "quarter", the total as the unit
"out of 29"), and their form is fixed, so code reads them: the count is the value, with no
unit, and the name says what is counted, out of how many and in which band, as the
guidelines ask. What is counted must be a thing the framework measures (indicators,
measures, metrics, targets, standards; elements and areas only beside a band), never CCGs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.text.dates_and_numbers import NUMBER_IN_WORDS, count_of

__all__ = ["BandCount", "band_counts"]

_NUMBER = rf"(?:\d{{1,3}}|{NUMBER_IN_WORDS})"
_MEASURED = r"indicators|measures|metrics|targets|standards"
_BESIDE_A_BAND = rf"{_MEASURED}|elements|areas"
_BAND = re.compile(
    r"\b(?:top|bottom|best|worst|highest|lowest)(?:[\s-]+performing)?\s+"
    r"(?:quarter|quartile|decile|tenth|fifth|third)\b",
    re.IGNORECASE,
)
_OUT_OF = re.compile(
    rf"(?<![\w.,£$])(?P<count>{_NUMBER})\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?"
    rf"(?:[\w-]+'s\s+)?(?P<total>\d{{1,3}})(?![\w.,%])\s+(?:of\s+the\s+(?:[\w-]+'s\s+)?)?"
    rf"(?P<what>(?:[\w&-]+\s+){{0,5}}?(?:{_MEASURED}))\b",
    re.IGNORECASE,
)
_BARE = re.compile(
    rf"\b(?:on|across|in|with|for)\s+(?:only\s+|just\s+)?(?P<count>{_NUMBER})(?![\w.,%])\s+"
    rf"(?P<what>(?:[\w&-]+\s+){{0,3}}?(?:{_BESIDE_A_BAND}))\b(?!\s+of\s+(?:the\s+)?\d)",
    re.IGNORECASE,
)
_NOT_MEASURED = re.compile(r"\b(?:ccgs?|groups?|commissioners?|commissioning)\b", re.I)


@dataclass(frozen=True)
class BandCount:
    """One count of indicators: the value, what is counted and out of how many."""

    count: int
    total: int | None
    name: str


def _nearest_band(text: str, start: int, end: int) -> str | None:
    """The band named nearest the count written from `start` to `end`, before or after."""

    def distance(band: re.Match[str]) -> int:
        return start - band.end() if band.end() <= start else max(band.start() - end, 0)

    bands = sorted(_BAND.finditer(text), key=distance)
    return " ".join(bands[0].group(0).lower().split()) if bands else None


def _name(what: str, total: int | None, band: str | None) -> str:
    name = " ".join(what.lower().split())
    if total is not None:
        name += f" (of {total})"
    return f"{name} in the {band}" if band else name


def band_counts(sentence: str) -> list[BandCount]:
    """The counts of indicators in a band that `sentence` writes, in sentence order."""
    found: dict[int, BandCount] = {}
    has_band = _BAND.search(sentence) is not None
    for match in _OUT_OF.finditer(sentence):
        if _NOT_MEASURED.search(match.group("what")):
            continue
        count, total = count_of(match.group("count")), int(match.group("total"))
        if 0 < count <= total:
            band = _nearest_band(sentence, match.start(), match.end())
            found[match.start()] = BandCount(count, total, _name(match.group("what"), total, band))
    if has_band:
        for match in _BARE.finditer(sentence):
            start = match.start("count")
            if start in found or _NOT_MEASURED.search(match.group("what")):
                continue
            count = count_of(match.group("count"))
            band = _nearest_band(sentence, start, match.end())
            if count > 1:
                found[start] = BandCount(count, None, _name(match.group("what"), None, band))
    return [found[at] for at in sorted(found)]
