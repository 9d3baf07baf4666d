"""Check the panel against a table of the ratings NHS England published (`--official`).

The user supplies a CSV in the columns it comes in. Its columns are named with flags
(`{"code": "ODS", "year": "Year", ...}`) or found from common headers: an ODS code ("ods",
"ods_code", "ccg_code", "code", "CCG18CDH") or a name ("ccg", "ccg_name", "name",
"CCG18NM"), a year ("year", "assessment_year"), the overall rating ("overall",
"overall_rating", "rating"), and optionally one column per clinical area named after it.
Names are linked to the reference table as extraction links them.

The whole file is parsed before anything is written: a file that does not parse, or has no
usable columns, raises `OfficialTableError` and leaves the database as it was. Its rows go
to the table `official`; the view `official_check` pairs every official fact with the
panel's (`match`, `differ`, `missing` from the panel) and every panel fact the table lacks
(`not_official`), with the evidence sentence of the panel's value.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.names.reference_table import link_ccg
from extractor.outputs.panel import AREA_COLUMNS, connect
from extractor.text.dates_and_numbers import normalize_year
from extractor.text.phrases import RATING_PHRASES

__all__ = ["OfficialRow", "OfficialTableError", "check_official", "load_official", "read_official"]

_HEADERS = {
    "code": ("ods", "ods_code", "ods code", "ccg_code", "ccg code", "code", "ccg18cdh"),
    "name": ("ccg", "ccg_name", "ccg name", "name", "ccg18nm"),
    "year": ("year", "assessment_year", "assessment year"),
    "overall": ("overall", "overall_rating", "overall rating", "rating"),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS official (
    ccg_key TEXT NOT NULL,
    year TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    line INTEGER NOT NULL,
    PRIMARY KEY (ccg_key, year, kind, item)
);
CREATE VIEW IF NOT EXISTS official_check AS
    SELECT o.ccg_key, o.year, o.kind, o.item, o.value AS official, g.value AS panel,
           CASE WHEN g.ccg_key IS NULL THEN 'missing'
                WHEN g.value = o.value THEN 'match' ELSE 'differ' END AS verdict,
           (SELECT quote FROM facts f WHERE f.ccg_key = o.ccg_key AND f.year = o.year
              AND f.kind = o.kind AND f.item = o.item LIMIT 1) AS evidence,
           (SELECT doc_id FROM facts f WHERE f.ccg_key = o.ccg_key AND f.year = o.year
              AND f.kind = o.kind AND f.item = o.item LIMIT 1) AS doc_id
    FROM official o LEFT JOIN fact_groups g
      ON g.ccg_key = o.ccg_key AND g.year = o.year AND g.kind = o.kind AND g.item = o.item
    UNION ALL
    SELECT g.ccg_key, g.year, g.kind, g.item, NULL, g.value, 'not_official',
           (SELECT quote FROM facts f WHERE f.ccg_key = g.ccg_key AND f.year = g.year
              AND f.kind = g.kind AND f.item = g.item LIMIT 1),
           (SELECT doc_id FROM facts f WHERE f.ccg_key = g.ccg_key AND f.year = g.year
              AND f.kind = g.kind AND f.item = g.item LIMIT 1)
    FROM fact_groups g
    WHERE g.kind IN ('overall', 'area')
      AND g.year IN (SELECT year FROM official)
      AND NOT EXISTS (SELECT 1 FROM official o WHERE o.ccg_key = g.ccg_key
                      AND o.year = g.year AND o.kind = g.kind AND o.item = g.item);
"""


class OfficialTableError(ExtractorError):
    """An official table that cannot be used: nothing is written."""


@dataclass(frozen=True, slots=True)
class OfficialRow:
    """One published fact: a CCG's overall rating, or one area's, for one year."""

    ccg_key: str
    year: str
    kind: str
    item: str
    value: str
    line: int


def _rating(text: str) -> str | None:
    lowered = " ".join(text.lower().replace("_", " ").split())
    for rating, phrases in RATING_PHRASES.items():
        if lowered == rating.replace("_", " ") or lowered in phrases:
            return rating
    return None


def _columns(header: list[str], names: dict[str, str]) -> dict[str, int]:
    lowered = [h.strip().lower() for h in header]
    found: dict[str, int] = {}
    for role, candidates in _HEADERS.items():
        wanted = names.get(role)
        if wanted is not None:
            if wanted.strip().lower() not in lowered:
                raise OfficialTableError(f"--official: no column {wanted!r} (columns: {header})")
            found[role] = lowered.index(wanted.strip().lower())
            continue
        for candidate in candidates:
            if candidate in lowered:
                found[role] = lowered.index(candidate)
                break
    for area in AREA_COLUMNS:
        for spelling in (area, area.replace("_", " ")):
            if spelling in lowered:
                found[f"area:{area}"] = lowered.index(spelling)
    if "year" not in found or ("code" not in found and "name" not in found):
        raise OfficialTableError(
            f"--official: no usable columns in {header}: need a year and an ODS code or a CCG "
            "name (name them with --official-columns if the headers are not common ones)"
        )
    if "overall" not in found and not any(role.startswith("area:") for role in found):
        raise OfficialTableError(f"--official: no rating column in {header}")
    return found


def read_official(text: str, names: dict[str, str] | None = None) -> list[OfficialRow]:
    """Parse an official table; raises `OfficialTableError` on any line it cannot use."""
    try:
        table = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise OfficialTableError(f"--official: not a CSV file ({exc})") from None
    if not table:
        raise OfficialTableError("--official: the file is empty")
    columns = _columns(table[0], names or {})
    rows: list[OfficialRow] = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(table[0]):
            raise OfficialTableError(f"--official: line {number} has {len(cells)} cells")
        key = _ccg_key(cells, columns, number)
        year = normalize_year(cells[columns["year"]])
        if year is None:
            raise OfficialTableError(f"--official: line {number}: no year in {cells!r}")
        for role, index in columns.items():
            if role != "overall" and not role.startswith("area:"):
                continue
            if not cells[index].strip():
                continue
            rating = _rating(cells[index])
            if rating is None:
                raise OfficialTableError(
                    f"--official: line {number}: {cells[index]!r} is not a rating"
                )
            kind, item = ("overall", "") if role == "overall" else ("area", role[5:])
            rows.append(OfficialRow(key, year, kind, item, rating, number))
    return rows


def _ccg_key(cells: list[str], columns: dict[str, int], number: int) -> str:
    if "code" in columns and cells[columns["code"]].strip():
        return cells[columns["code"]].strip().upper()
    name = cells[columns["name"]].strip() if "name" in columns else ""
    if not name:
        raise OfficialTableError(f"--official: line {number} names no CCG")
    linked = link_ccg(name)
    return linked.ods_code if linked is not None else name.lower()


def _connect(db_path: Path | str) -> sqlite3.Connection:
    connection = connect(db_path)
    connection.executescript(_SCHEMA)
    return connection


def load_official(db_path: Path | str, rows: list[OfficialRow]) -> None:
    """Replace the database's official table with `rows`, in one transaction."""
    connection = _connect(db_path)
    with connection:
        connection.execute("DELETE FROM official")
        connection.executemany(
            "INSERT OR REPLACE INTO official VALUES (?, ?, ?, ?, ?, ?)",
            [(r.ccg_key, r.year, r.kind, r.item, r.value, r.line) for r in rows],
        )
    connection.close()


def check_official(db_path: Path | str) -> dict[str, dict[str, dict[str, int]]]:
    """Counts of match / differ / missing / not_official, by year and by CCG."""
    connection = _connect(db_path)
    report: dict[str, dict[str, dict[str, int]]] = {"year": {}, "ccg": {}}
    query = "SELECT year, ccg_key, verdict, COUNT(*) FROM official_check GROUP BY 1, 2, 3"
    for year, key, verdict, count in connection.execute(query):
        for axis, value in (("year", year), ("ccg", key)):
            cell = report[axis].setdefault(value, {})
            cell[verdict] = cell.get(verdict, 0) + count
    connection.close()
    return report


def mismatches(db_path: Path | str) -> list[sqlite3.Row]:
    """Every fact the panel and the official table disagree on, with its evidence."""
    connection = _connect(db_path)
    connection.row_factory = sqlite3.Row
    rows = connection.execute(
        "SELECT * FROM official_check WHERE verdict = 'differ' ORDER BY ccg_key, year"
    ).fetchall()
    connection.close()
    return rows
