"""Normalise CCG names as articles write them to canonical names and ODS codes.

The reference table is the ONS list of the 195 CCGs of April 2018 (Open Government
Licence), shipped in `extractor/data/`. CCGs merged over time, so a name that is not in the
table is kept as written (tidied) with no ODS code; that is not an error.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extractor.schema import CCG

__all__ = ["ReferenceCCG", "canonical_key", "normalize_ccg", "reference_table"]

_TABLE = "ccg_codes_2018-04.csv"
_AFFIXES = re.compile(
    r"\b(nhs|clinical commissioning group|ccgs?|the)\b|\((ccg)\)", flags=re.IGNORECASE
)
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ReferenceCCG:
    """One row of the reference table."""

    name: str
    ods_code: str
    ons_code: str


def canonical_key(name: str) -> str:
    """Reduce a CCG name to a comparison key: no NHS/CCG, no punctuation, lower case.

    >>> canonical_key("ST HELENS Clinical Commissioning Group (CCG)")
    'st helens'
    """
    text = name.replace("&", " and ").replace("St.", "St")
    text = _AFFIXES.sub(" ", text)
    return _NON_WORD.sub(" ", text.lower()).strip()


def _strip_affixes(name: str) -> str:
    text = _AFFIXES.sub(" ", name)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-'\"")
    return text


@lru_cache(maxsize=1)
def reference_table() -> dict[str, ReferenceCCG]:
    """The reference CCGs keyed by `canonical_key` of their official names."""
    table: dict[str, ReferenceCCG] = {}
    source = resources.files("extractor.data").joinpath(_TABLE)
    with source.open("r", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = _strip_affixes(row["CCG18NM"])
            table[canonical_key(name)] = ReferenceCCG(
                name=name, ods_code=row["CCG18CDH"], ons_code=row["CCG18CD"]
            )
    return table


def normalize_ccg(as_written: str) -> CCG:
    """Return the canonical CCG for a name as written, with its ODS code when known."""
    as_written = re.sub(r"\s+", " ", as_written).strip()
    reference = reference_table().get(canonical_key(as_written))
    if reference is not None:
        return CCG(name=reference.name, as_written=as_written, ods_code=reference.ods_code)
    name = _strip_affixes(as_written) or as_written
    if name.isupper():
        name = name.title()
    return CCG(name=name, as_written=as_written, ods_code=None)
