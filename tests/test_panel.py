"""The CCG x year panel in SQLite, from made-up records, and end to end from recorded runs."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from extractor.outputs.panel import build, connect, load_files, panel_rows
from extractor.outputs.panel_official import (
    OfficialTableError,
    check_official,
    load_official,
    mismatches,
    read_official,
)
from extractor.schema import Record
from tests.conftest import cli_env, run_cli


def _evidence(quote: str) -> dict[str, Any]:
    return {"quote": quote, "start": 0, "end": len(quote), "match": "exact", "score": 100.0}


def _record(
    doc_id: str,
    *assessments: dict[str, Any],
    prompt: str = "v23",
    status: str = "ok",
) -> Record:
    data: dict[str, Any] = {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "input_sha256": "0" * 64,
        "status": status,
        "prompt": {"name": prompt, "sha256": prompt * 8},
        "model": "m",
    }
    if status == "ok":
        data["extraction"] = {"assessments": list(assessments)}
    else:
        data["error"] = {"type": "ModelCallError", "message": "gave up after 5 attempts"}
    return Record.model_validate(data)


def _assessment(
    name: str, code: str | None, year: str, overall: str | None, **extra: Any
) -> dict[str, Any]:
    sentence = f"{name} was rated {overall} for {year}."
    data: dict[str, Any] = {
        "ccg": {"name": name, "as_written": f"NHS {name} CCG", "ods_code": code},
        "year": year,
        "overall": overall,
        "evidence": _evidence(sentence) if overall else None,
    }
    if "previous" in extra:
        data["previous_overall"] = extra["previous"]
        data["previous_evidence"] = _evidence(f"{name} was {extra['previous']} last year.")
    if "areas" in extra:
        data["areas"] = [
            {"area": area, "rating": rating, "evidence": _evidence(f"{area}: {rating}")}
            for area, rating in extra["areas"].items()
        ]
    return data


def _rows(db: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["name"], row["year"]): row for row in panel_rows(db)}


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    connection = connect(db)
    rows = connection.execute(sql).fetchall()
    connection.close()
    return rows


def test_two_articles_that_agree_make_one_cell_with_two_sources(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    build(
        [
            _record("a", _assessment("Bury", "00V", "2018/19", "good", areas={"cancer": "good"})),
            _record("b", _assessment("Bury", "00V", "2018/19", "good")),
        ],
        db,
    )
    cell = _rows(db)[("Bury", "2018/19")]
    assert cell["overall"] == "good" and cell["cancer"] == "good"
    assert cell["sources"] == 2 and cell["conflict"] is False
    assert _query(db, "SELECT COUNT(*) FROM conflicts") == [(0,)]


def test_two_articles_that_disagree_are_a_conflict_with_each_source(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    build(
        [
            _record("a", _assessment("Bury", "00V", "2018/19", "good")),
            _record("b", _assessment("Bury", "00V", "2018/19", "inadequate")),
        ],
        db,
    )
    cell = _rows(db)[("Bury", "2018/19")]
    assert cell["overall"] is None and cell["conflict"] is True
    conflicts = _query(db, "SELECT kind, doc_id, value, quote FROM conflicts ORDER BY doc_id")
    assert conflicts == [
        ("overall", "a", "good", "Bury was rated good for 2018/19."),
        ("overall", "b", "inadequate", "Bury was rated inadequate for 2018/19."),
    ]


def test_a_previous_rating_contradicting_the_earlier_years_overall_is_a_conflict(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.sqlite"
    build(
        [
            _record("old", _assessment("Bury", "00V", "2017/18", "good")),
            _record("new", _assessment("Bury", "00V", "2018/19", "good", previous="inadequate")),
        ],
        db,
    )
    kinds = _query(db, "SELECT kind, year, doc_id, value FROM conflicts ORDER BY doc_id")
    assert kinds == [
        ("previous_vs_overall", "2017/18", "new", "inadequate"),
        ("previous_vs_overall", "2017/18", "old", "good"),
    ]
    rows = _rows(db)
    assert rows[("Bury", "2018/19")]["previous_overall"] == "inadequate"
    assert rows[("Bury", "2017/18")]["conflict"] is True


def test_an_error_record_is_a_document_with_its_reason_and_no_facts(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    counts = build([_record("broken", status="error")], db)
    assert counts == {"records": 1, "ok": 0, "errors": 1, "facts": 0}
    assert _query(db, "SELECT status, error_type FROM documents") == [("error", "ModelCallError")]
    assert _query(db, "SELECT COUNT(*) FROM facts") == [(0,)]


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    records = [
        _record("a", _assessment("Bury", "00V", "2018/19", "good")),
        _record("b", _assessment("Oldham", "00Y", "2018/19", "inadequate", previous="good")),
    ]
    results.write_text("".join(r.model_dump_json() + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "p.sqlite"
    load_files([results], db)
    first = [_query(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("documents", "facts")]
    load_files([results], db)
    assert [_query(db, f"SELECT * FROM {t} ORDER BY 1, 2") for t in ("documents", "facts")] == first


def test_a_newer_record_of_a_document_replaces_the_older_whatever_its_prompt(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.sqlite"
    build([_record("a", _assessment("Bury", "00V", "2018/19", "good"), prompt="v21")], db)
    build([_record("a", _assessment("Bury", "00V", "2018/19", "inadequate"), prompt="v23")], db)
    assert _rows(db)[("Bury", "2018/19")]["overall"] == "inadequate"
    assert _query(db, "SELECT prompt FROM documents") == [("v23",)]
    assert _query(db, "SELECT COUNT(*) FROM facts") == [(1,)]


OFFICIAL = """ODS code,CCG name,Year,Overall rating,Cancer
00V,NHS Bury CCG,2018/19,Requires improvement,Good
,NHS Oldham CCG,2018/19,Inadequate,
01G,NHS Salford CCG,2018/19,Outstanding,
"""


def test_an_official_table_is_checked_fact_by_fact_with_the_evidence(tmp_path: Path) -> None:
    db = tmp_path / "p.sqlite"
    bury = _assessment("Bury", "00V", "2018/19", "good", areas={"cancer": "good"})
    build(
        [_record("a", bury), _record("b", _assessment("Oldham", "00Y", "2018/19", "inadequate"))],
        db,
    )
    load_official(db, read_official(OFFICIAL))
    report = check_official(db)
    assert report["year"]["2018/19"] == {"match": 2, "differ": 1, "missing": 1}
    assert report["ccg"]["01G"] == {"missing": 1}  # Salford: published, not in the panel
    (differs,) = mismatches(db)
    assert (differs["ccg_key"], differs["official"], differs["panel"]) == (
        "00V",
        "requires_improvement",
        "good",
    )
    assert differs["evidence"] == "Bury was rated good for 2018/19."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Region,Population\nNorth,3\n", "no usable columns"),
        ("CCG,Year,Overall\nNHS Bury CCG,2018/19,Superb\n", "is not a rating"),
        ("CCG,Year,Overall\nNHS Bury CCG,2018/19\n", "line 2 has 2 cells"),
        ("CCG,Year,Overall\nNHS Bury CCG,last year,Good\n", "no year"),
    ],
)
def test_an_official_table_that_cannot_be_used_is_refused(text: str, message: str) -> None:
    with pytest.raises(OfficialTableError, match=message):
        read_official(text)


def test_official_columns_can_be_named(tmp_path: Path) -> None:
    rows = read_official(
        "A,B,C\nNHS Bury CCG,2018-19,good\n", {"name": "A", "year": "B", "overall": "C"}
    )
    assert [(r.ccg_key, r.year, r.value) for r in rows] == [("00V", "2018/19", "good")]


def test_the_cli_reports_the_official_check_per_year_and_per_ccg(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    bury = _assessment("Bury", "00V", "2018/19", "good", areas={"cancer": "good"})
    results.write_text(_record("a", bury).model_dump_json() + "\n")
    official = tmp_path / "official.csv"
    official.write_text(OFFICIAL)
    db = tmp_path / "p.sqlite"
    done = run_cli(
        ["panel", str(results), "--db", str(db), "--official", str(official)], cli_env(), tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "official year 2018/19: 1 differ, 1 match, 2 missing" in done.stderr
    assert "official ccg 00V: 1 differ, 1 match" in done.stderr
    assert "differs: 00V 2018/19 overall" in done.stderr
    assert "Bury was rated good for 2018/19." in done.stderr


def test_a_bad_official_file_changes_nothing_in_the_database(tmp_path: Path) -> None:
    results = tmp_path / "r.jsonl"
    results.write_text(
        _record("a", _assessment("Bury", "00V", "2018/19", "good")).model_dump_json() + "\n"
    )
    bad = tmp_path / "official.csv"
    bad.write_text("CCG,Year,Overall\nNHS Bury CCG,2018/19,Excellent\n")
    db = tmp_path / "p.sqlite"
    result = run_cli(
        ["panel", str(results), "--db", str(db), "--official", str(bad)], cli_env(), tmp_path
    )
    assert result.returncode == 2
    assert "is not a rating" in result.stderr and "nothing was written" in result.stderr
    assert not db.exists()


def test_end_to_end_from_recorded_sample_runs_to_sql(tmp_path: Path) -> None:
    """The sample articles replayed from their v23 recordings, through the CLI, into SQL."""
    from eval.runner import replay

    run = replay("v23", "qwen2.5-coder-1.5b-instruct", sets=("samples",))
    assert not run.problems
    results = tmp_path / "results.jsonl"
    results.write_text("".join(r.model_dump_json() + "\n" for r in run.records), encoding="utf-8")
    db, page, table = tmp_path / "p.sqlite", tmp_path / "p.html", tmp_path / "p.csv"
    args = ["panel", str(results), "--db", str(db), "--html", str(page), "--csv", str(table)]
    done = run_cli(args, cli_env(), tmp_path)
    assert done.returncode == 0, done.stderr

    connection = sqlite3.connect(db)
    st_helens = connection.execute(
        "SELECT overall, previous_overall, cancer, sources FROM panel WHERE ods_code = '01X'"
    ).fetchall()
    assert st_helens == [("requires_improvement", "inadequate", "good", 1)]
    (cannock,) = connection.execute(
        "SELECT indicators FROM panel WHERE ods_code = '04Y'"
    ).fetchone()
    assert "=green" in cannock  # the group's engagement indicator, one "name=rating" each
    documents = connection.execute("SELECT COUNT(*), MIN(status) FROM documents").fetchone()
    assert documents == (5, "ok")
    evidence = connection.execute(
        "SELECT quote FROM facts WHERE ccg_key = '01X' AND kind = 'overall'"
    ).fetchone()[0]
    assert "has been rated as 'requires improvement'" in evidence
    connection.close()
    assert "St Helens" in page.read_text(encoding="utf-8")
    assert table.read_text(encoding="utf-8").count("\n") == 1 + len(panel_rows(db))
    assert json.loads(results.read_text().splitlines()[0])["doc_id"].startswith("000")
