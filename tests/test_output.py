"""Tests of `extractor.outputs.records`: the JSONL ledger, its repair and resume, and the CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from extractor.outputs.records import (
    CSV_COLUMNS,
    JsonlWriter,
    completed_ids,
    read_records,
    repair_jsonl,
    write_csv,
)
from extractor.schema import (
    CCG,
    Area,
    AreaRating,
    Assessment,
    ErrorInfo,
    Evidence,
    Extraction,
    Indicator,
    PromptInfo,
    Rating,
    Record,
)

SHA_A = "a" * 64
SHA_B = "b" * 64


def ok_record(
    doc_id: str,
    *,
    sha256: str = SHA_A,
    model: str = "model-x",
    assessments: list[Assessment] | None = None,
) -> Record:
    return Record(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        status="ok",
        prompt=PromptInfo(name="v1", sha256=sha256),
        model=model,
        extraction=Extraction(assessments=assessments or []),
    )


def error_record(doc_id: str, *, sha256: str = SHA_A, model: str = "model-x") -> Record:
    return Record(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        status="error",
        error=ErrorInfo(type="InputError", message="empty"),
        prompt=PromptInfo(name="v1", sha256=sha256),
        model=model,
    )


def evidence(quote: str, start: int) -> Evidence:
    return Evidence(quote=quote, start=start, end=start + len(quote))


def line_of(record: Record) -> str:
    return record.model_dump_json() + "\n"


# JsonlWriter


def test_writer_flushes_one_line_per_record_before_close(tmp_path: Path) -> None:
    path = tmp_path / "out" / "records.jsonl"  # the folder is created
    first, second = ok_record("one"), error_record("two")
    writer = JsonlWriter(path)
    try:
        writer.write(first)
        assert path.read_text(encoding="utf-8").count("\n") == 1
        writer.write(second)
        lines = path.read_text(encoding="utf-8").splitlines()
    finally:
        writer.close()
    assert [Record.model_validate_json(line) for line in lines] == [first, second]


def test_writer_appends_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    with JsonlWriter(path) as writer:
        writer.write(ok_record("one"))
    with JsonlWriter(path) as writer:
        writer.write(ok_record("two"))
    assert [r.doc_id for r in read_records(path)] == ["one", "two"]


def test_writer_does_not_close_a_stream_it_was_given() -> None:
    stream = io.StringIO()
    with JsonlWriter(stream) as writer:
        writer.write(ok_record("one"))
    assert not stream.closed
    assert stream.getvalue() == line_of(ok_record("one"))


# repair_jsonl


def test_repair_leaves_a_complete_file_untouched(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    content = (line_of(ok_record("one")) + line_of(ok_record("two"))).encode()
    path.write_bytes(content)
    assert repair_jsonl(path) == 0
    assert path.read_bytes() == content


def test_repair_cuts_a_half_written_last_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    complete = line_of(ok_record("one")).encode()
    partial = line_of(ok_record("two")).encode()[:40]
    path.write_bytes(complete + partial)
    assert repair_jsonl(path) == len(partial)
    assert path.read_bytes() == complete


def test_repair_cuts_a_half_line_longer_than_one_read_chunk(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    complete = line_of(ok_record("one")).encode()
    partial = b'{"doc_id": "' + b"x" * 150_000
    path.write_bytes(complete + partial)
    assert repair_jsonl(path) == len(partial)
    assert path.read_bytes() == complete


def test_repair_of_a_file_holding_only_a_half_line_empties_it(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_bytes(b'{"doc_id": "one", "sta')
    assert repair_jsonl(path) == 22
    assert path.read_bytes() == b""


def test_repair_of_missing_or_empty_file_does_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "missing.jsonl"
    assert repair_jsonl(missing) == 0
    assert not missing.exists()
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert repair_jsonl(empty) == 0


# completed_ids


def test_completed_ids_counts_only_records_of_this_prompt_and_model(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        line_of(ok_record("same"))
        + line_of(error_record("same-error"))  # a record, even if an error one
        + line_of(ok_record("other-prompt", sha256=SHA_B))
        + line_of(ok_record("other-model", model="model-y"))
        + "not json at all\n"
        + "[1, 2, 3]\n"
        + '{"doc_id": "prompt-not-object", "prompt": "v1", "model": "model-x"}\n'
        + '{"doc_id": "no-prompt", "model": "model-x"}\n'
        + "\n"
        + '{"doc_id": "half", "prompt": {"sha',
        encoding="utf-8",
    )
    assert completed_ids(path, prompt_sha256=SHA_A, model="model-x") == {"same", "same-error"}
    assert completed_ids(path, prompt_sha256=SHA_B, model="model-x") == {"other-prompt"}


def test_completed_ids_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert completed_ids(tmp_path / "none.jsonl", prompt_sha256=SHA_A, model="m") == set()


# read_records


def test_read_records_skips_lines_that_are_not_records(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text(
        line_of(ok_record("one"))
        + "\n"
        + "garbage\n"
        + json.dumps({"doc_id": "x", "status": "maybe"})
        + "\n"
        + line_of(error_record("two"))
        + '{"doc_id": "half"',
        encoding="utf-8",
    )
    assert list(read_records(path)) == [ok_record("one"), error_record("two")]


# write_csv


def sample_assessments() -> list[Assessment]:
    st_helens = Assessment(
        ccg=CCG(name="St Helens", as_written="NHS St Helens CCG", ods_code="01X"),
        year="2016/17",
        overall=Rating.good,
        previous_overall=Rating.requires_improvement,
        areas=[
            AreaRating(
                area=Area.cancer, rating=Rating.outstanding, evidence=evidence("cancer", 50)
            ),
            AreaRating(
                area=Area.dementia, rating=Rating.inadequate, evidence=evidence("dementia", 70)
            ),
        ],
        indicators=[Indicator(name="leadership", rating="green", evidence=evidence("green", 90))],
        financial_concerns=True,
        evidence=evidence("St Helens CCG was rated good.", 10),
        previous_evidence=evidence("Last year it required improvement.", 120),
        financial_evidence=evidence("Its deficit weighed on the rating.", 160),
    )
    riverside = Assessment(
        ccg=CCG(name="Riverside", as_written="Riverside CCG"),
        year=None,
        overall=None,
        areas=[AreaRating(area=Area.maternity, rating=Rating.good, evidence=evidence("m", 5))],
    )
    return [st_helens, riverside]


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_write_csv_one_row_per_assessment_one_column_per_area(tmp_path: Path) -> None:
    path = tmp_path / "out" / "ratings.csv"
    records = [
        ok_record("doc-1", assessments=sample_assessments()),
        error_record("doc-2"),
        ok_record("doc-3"),  # no assessments
    ]
    assert write_csv(records, path) == 2
    header, rows = read_csv(path)
    assert header == CSV_COLUMNS
    assert all(area.value in header for area in Area)
    assert len(rows) == 2
    first, second = rows
    assert first["doc_id"] == "doc-1"
    assert (first["ccg"], first["ccg_as_written"], first["ods_code"]) == (
        "St Helens",
        "NHS St Helens CCG",
        "01X",
    )
    assert (first["year"], first["overall"], first["previous_overall"]) == (
        "2016/17",
        "good",
        "requires_improvement",
    )
    assert first["cancer"] == "outstanding"
    assert first["dementia"] == "inadequate"
    assert first["maternity"] == first["diabetes"] == first["mental_health"] == ""
    assert first["indicators"] == "leadership=green"
    assert first["financial_concerns"] == "true"
    assert first["evidence"] == "St Helens CCG was rated good."
    assert (first["evidence_start"], first["evidence_end"]) == ("10", "39")
    assert first["previous_evidence"] == "Last year it required improvement."
    assert first["financial_evidence"] == "Its deficit weighed on the rating."
    assert (first["prompt"], first["model"]) == ("v1", "model-x")
    assert (second["ccg"], second["ods_code"], second["overall"]) == ("Riverside", "", "")
    assert second["maternity"] == "good"
    assert second["cancer"] == ""
    assert second["financial_concerns"] == second["evidence"] == second["evidence_start"] == ""
    assert second["previous_evidence"] == second["financial_evidence"] == ""


def test_write_csv_of_error_records_only_writes_the_header(tmp_path: Path) -> None:
    path = tmp_path / "ratings.csv"
    path.write_text("old content\n", encoding="utf-8")
    assert write_csv([error_record("a"), error_record("b")], path) == 0
    header, rows = read_csv(path)
    assert header == CSV_COLUMNS
    assert rows == []
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
