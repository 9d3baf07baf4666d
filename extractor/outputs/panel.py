"""From records to a dataset: a CCG x year panel in SQLite, with its sources and conflicts.

`build(records, db_path)` loads records (from `extractor extract`, any prompt or model) into
one SQLite file; `panel_rows(db_path)` returns the panel as a list of dicts. The database:

- `documents`: one row per doc_id (the last record loaded wins: a later line, or a later
  file), with its source, date, prompt, model, the hash of its text and of its record, and
  for an error record its reason; error records never become facts;
- `ccgs`: one row per CCG (its ODS code, or its name when it has none), with `names.reference_table`
  holding every name as written;
- `facts`: one row per fact an assessment states (overall, previous_overall, area,
  indicator, financial_concerns) with its CCG, year, value, document and evidence (quote
  and offsets). A previous rating is filed under the year before, the year it rates, with
  `stated_in` the year of the assessment that states it;
- `panel` (a view): one row per CCG x year, with the overall and previous ratings, each
  clinical area, the indicators ("name=rating; ...", "?" where sources disagree), the
  number of sources and `conflict` (1 when sources disagree);
- `conflicts` (a view): every source of a disagreeing fact, with its value and evidence. A
  previous rating that contradicts the earlier year's overall rating from another document
  is a conflict of kind `previous_vs_overall`.

Loading is idempotent: loading the same records again changes nothing.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from extractor.outputs.records import read_records
from extractor.schema import Area, Assessment, Evidence, Record
from extractor.text.dates_and_numbers import normalize_year
from extractor.text.rating_time import year_before

__all__ = ["AREA_COLUMNS", "build", "connect", "load_files", "panel_rows"]

AREA_COLUMNS = tuple(area.value for area in Area)

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    published TEXT,
    prompt TEXT,
    prompt_sha256 TEXT,
    model TEXT,
    input_sha256 TEXT,
    error_type TEXT,
    error_message TEXT,
    record_sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ccgs (
    ccg_key TEXT PRIMARY KEY,
    ods_code TEXT,
    name TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ccg_names (
    ccg_key TEXT NOT NULL REFERENCES ccgs(ccg_key),
    as_written TEXT NOT NULL,
    PRIMARY KEY (ccg_key, as_written)
);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
    ccg_key TEXT NOT NULL REFERENCES ccgs(ccg_key),
    year TEXT NOT NULL,
    kind TEXT NOT NULL,
    item TEXT NOT NULL DEFAULT '',
    value TEXT NOT NULL,
    stated_in TEXT,
    quote TEXT,
    start INTEGER,
    "end" INTEGER
);
CREATE INDEX IF NOT EXISTS facts_by_cell ON facts (ccg_key, year, kind, item);
CREATE INDEX IF NOT EXISTS facts_by_doc ON facts (doc_id);
CREATE VIEW IF NOT EXISTS fact_groups AS
    SELECT ccg_key, year, kind, item,
           COUNT(DISTINCT value) AS n_values, COUNT(DISTINCT doc_id) AS n_sources,
           CASE WHEN COUNT(DISTINCT value) = 1 THEN MAX(value) END AS value
    FROM facts WHERE kind != 'previous_overall'
    GROUP BY ccg_key, year, kind, item;
CREATE VIEW IF NOT EXISTS cross_year AS
    SELECT p.ccg_key, p.year, p.doc_id AS previous_doc, p.value AS previous_value,
           o.doc_id AS overall_doc, o.value AS overall_value
    FROM facts p JOIN facts o
      ON o.ccg_key = p.ccg_key AND o.year = p.year AND o.kind = 'overall'
     AND o.doc_id != p.doc_id AND o.value != p.value
    WHERE p.kind = 'previous_overall';
CREATE VIEW IF NOT EXISTS conflicts AS
    SELECT f.kind, f.ccg_key, c.name, f.year, f.item, f.doc_id, f.value, f.quote,
           f.start, f."end"
    FROM facts f JOIN fact_groups g USING (ccg_key, year, kind, item)
    JOIN ccgs c USING (ccg_key)
    WHERE g.n_values > 1
    UNION ALL
    SELECT 'previous_vs_overall', f.ccg_key, c.name, f.year, f.item, f.doc_id, f.value,
           f.quote, f.start, f."end"
    FROM facts f JOIN ccgs c USING (ccg_key)
    WHERE (f.kind = 'previous_overall' AND EXISTS (SELECT 1 FROM cross_year x
             WHERE x.ccg_key = f.ccg_key AND x.year = f.year AND x.previous_doc = f.doc_id))
       OR (f.kind = 'overall' AND EXISTS (SELECT 1 FROM cross_year x
             WHERE x.ccg_key = f.ccg_key AND x.year = f.year AND x.overall_doc = f.doc_id));
CREATE VIEW IF NOT EXISTS panel AS
    SELECT c.ccg_key, c.ods_code, c.name, cells.year,
           (SELECT value FROM fact_groups g WHERE g.ccg_key = c.ccg_key
              AND g.year = cells.year AND g.kind = 'overall') AS overall,
           (SELECT CASE WHEN COUNT(DISTINCT value) = 1 THEN MAX(value) END FROM facts p
              WHERE p.ccg_key = c.ccg_key AND p.kind = 'previous_overall'
              AND p.stated_in = cells.year) AS previous_overall,
           {
    ", ".join(
        f"(SELECT value FROM fact_groups g WHERE g.ccg_key = c.ccg_key AND g.year = "
        f"cells.year AND g.kind = 'area' AND g.item = '{area}') AS {area}"
        for area in AREA_COLUMNS
    )
},
           (SELECT group_concat(item || '=' || COALESCE(value, '?'), '; ') FROM fact_groups g
              WHERE g.ccg_key = c.ccg_key AND g.year = cells.year
              AND g.kind = 'indicator') AS indicators,
           (SELECT COUNT(DISTINCT doc_id) FROM facts f WHERE f.ccg_key = c.ccg_key
              AND (f.year = cells.year AND f.kind != 'previous_overall'
                   OR f.stated_in = cells.year)) AS sources,
           EXISTS (SELECT 1 FROM conflicts k WHERE k.ccg_key = c.ccg_key
              AND k.year = cells.year) AS conflict
    FROM ccgs c JOIN (SELECT DISTINCT ccg_key, year FROM facts WHERE kind != 'previous_overall'
                      UNION SELECT DISTINCT ccg_key, stated_in FROM facts
                      WHERE kind = 'previous_overall') cells USING (ccg_key);
"""


def connect(db_path: Path | str) -> sqlite3.Connection:
    """Open (creating if need be) the panel database."""
    connection = sqlite3.connect(str(db_path))
    connection.execute("PRAGMA foreign_keys = ON")
    connection.executescript(_SCHEMA)
    return connection


def build(records: Iterable[Record], db_path: Path | str) -> dict[str, int]:
    """Load `records` into the database at `db_path`, in order: a later record of a doc_id
    replaces the earlier one (documents and facts). Returns counts of what was loaded."""
    counts = {"records": 0, "ok": 0, "errors": 0, "facts": 0}
    connection = connect(db_path)
    with connection:  # one transaction: all the records, or none
        for record in records:
            counts["records"] += 1
            counts["ok" if record.status == "ok" else "errors"] += 1
            counts["facts"] += _load(connection, record)
    connection.close()
    return counts


def load_files(paths: Iterable[Path], db_path: Path | str) -> dict[str, int]:
    """`build` from JSONL files of records, file by file in the order given."""
    return build((record for path in paths for record in read_records(path)), db_path)


def _load(connection: sqlite3.Connection, record: Record) -> int:
    """Load one record in place of the document's earlier one; the same record again is
    left as it is, so loading twice changes nothing (not even the facts' ids)."""
    digest = hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()
    known = connection.execute(
        "SELECT record_sha256 FROM documents WHERE doc_id = ?", (record.doc_id,)
    ).fetchone()
    if known is not None and known[0] == digest:
        return 0
    connection.execute("DELETE FROM facts WHERE doc_id = ?", (record.doc_id,))
    extraction = record.extraction
    published = extraction.published if extraction else None
    connection.execute(
        "INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.doc_id,
            record.source,
            record.status,
            published.isoformat() if published else None,
            record.prompt.name,
            record.prompt.sha256,
            record.model,
            record.input_sha256,
            record.error.type if record.error else None,
            record.error.message if record.error else None,
            digest,
        ),
    )
    if record.status != "ok" or extraction is None:
        return 0
    rows: list[tuple[Any, ...]] = []
    for assessment in extraction.assessments:
        ccg = assessment.ccg
        key = ccg.ods_code or ccg.name.lower()
        connection.execute(
            "INSERT OR IGNORE INTO ccgs (ccg_key, ods_code, name) VALUES (?, ?, ?)",
            (key, ccg.ods_code, ccg.name),
        )
        connection.execute(
            "INSERT OR IGNORE INTO ccg_names (ccg_key, as_written) VALUES (?, ?)",
            (key, ccg.as_written),
        )
        rows += _facts(record.doc_id, key, assessment)
    connection.executemany(
        "INSERT INTO facts (doc_id, ccg_key, year, kind, item, value, stated_in, quote, start,"
        ' "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        rows,
    )
    return len(rows)


def _facts(doc_id: str, key: str, assessment: Assessment) -> Iterator[tuple[Any, ...]]:
    """The rows of `facts` one assessment states; none without a year (no cell to fill)."""
    year = normalize_year(assessment.year) if assessment.year else None
    if year is None:
        return

    def row(kind: str, item: str, value: str, evidence: Evidence | None) -> tuple[Any, ...]:
        when, stated = (year_before(year), year) if kind == "previous_overall" else (year, None)
        span = (evidence.quote, evidence.start, evidence.end) if evidence else (None,) * 3
        return (doc_id, key, when, kind, item, value, stated, *span)

    if assessment.overall is not None:
        yield row("overall", "", assessment.overall.value, assessment.evidence)
    if assessment.previous_overall is not None:
        previous = assessment.previous_overall.value
        yield row("previous_overall", "", previous, assessment.previous_evidence)
    for area in assessment.areas:
        yield row("area", area.area.value, area.rating.value, area.evidence)
    for indicator in assessment.indicators:
        yield row("indicator", indicator.name, str(indicator.rating), indicator.evidence)
    if assessment.financial_concerns is not None:
        concern = "true" if assessment.financial_concerns else "false"
        yield row("financial_concerns", "", concern, assessment.financial_evidence)


def panel_rows(db_path: Path | str) -> list[dict[str, Any]]:
    """The panel as rows (dicts), one per CCG x year, ordered by CCG name and year."""
    with connect(db_path) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM panel ORDER BY name, year").fetchall()
    connection.close()
    return [{**dict(row), "conflict": bool(row["conflict"])} for row in rows]
