"""Write records: JSONL appended and flushed one line per record, and a flat CSV.

The JSONL file is the batch's ledger. A process killed mid-write can leave a half-written
last line; `repair_jsonl` cuts it off before anything is appended, so it is never parsed as
data, and `last_records` tells `--resume` which documents already have a record, whether it
is an error and which text it was made from. Readers take the last record of each doc_id.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from extractor.schema import Area, Evidence, Record

__all__ = [
    "CSV_COLUMNS",
    "JsonlWriter",
    "LastRecord",
    "assessment_rows",
    "completed_ids",
    "last_records",
    "read_records",
    "repair_jsonl",
    "to_do",
    "write_csv",
]

CSV_COLUMNS = [
    "doc_id",
    "ccg",
    "ccg_as_written",
    "ods_code",
    "year",
    "overall",
    "previous_overall",
    *[area.value for area in Area],
    "indicators",
    "financial_concerns",
    "evidence",
    "evidence_start",
    "evidence_end",
    "previous_evidence",
    "financial_evidence",
    "prompt",
    "model",
]


def repair_jsonl(path: Path) -> int:
    """Cut off a half-written last line (no trailing newline); return the bytes removed."""
    if not path.exists():
        return 0
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return 0
        keep = 0
        position = size
        while position > 0:
            step = min(65536, position)
            position -= step
            handle.seek(position)
            chunk = handle.read(step)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                keep = position + newline + 1
                break
        handle.truncate(keep)
        return size - keep


def read_records(path: Path) -> Iterator[Record]:
    """Yield the valid records of a JSONL file, skipping lines that are not records."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                yield Record.model_validate_json(line)
            except ValidationError:
                continue


@dataclass(frozen=True, slots=True)
class LastRecord:
    """What `--resume` needs of a document's last record."""

    status: str
    input_sha256: str | None


def to_do(last: LastRecord | None, text_sha256: str | None, *, retry_errors: bool) -> str | None:
    """Why `--resume` does a document (again): "new" (no record), "changed" (its text differs
    from the one its record was made from), "error" (its last record is an error, with
    `--retry-errors`); None to skip it. A record from before `input_sha256` was written is
    taken as made from the same text."""
    if last is None:
        return "new"
    if last.input_sha256 is not None and last.input_sha256 != text_sha256:
        return "changed"
    if retry_errors and last.status == "error":
        return "error"
    return None


def completed_ids(path: Path, *, prompt_sha256: str, model: str) -> set[str]:
    """Ids of documents that already have a record made with this prompt and model."""
    return set(last_records(path, prompt_sha256=prompt_sha256, model=model))


def last_records(path: Path, *, prompt_sha256: str, model: str) -> dict[str, LastRecord]:
    """The last record of each document made with this prompt and model, by doc_id."""
    if not path.exists():
        return {}
    last: dict[str, LastRecord] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if not isinstance(item, dict):
                continue
            prompt = item.get("prompt")
            if not isinstance(prompt, dict):
                continue
            if prompt.get("sha256") == prompt_sha256 and item.get("model") == model:
                sha = item.get("input_sha256")
                last[str(item.get("doc_id"))] = LastRecord(
                    status=str(item.get("status")),
                    input_sha256=sha if isinstance(sha, str) else None,
                )
    return last


class JsonlWriter:
    """Append records to a JSONL file (or stream), one flushed line each."""

    def __init__(self, target: Path | IO[str]) -> None:
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            self._handle: IO[str] = target.open("a", encoding="utf-8")
            self._owned = True
        else:
            self._handle = target
            self._owned = False

    def write(self, record: Record) -> None:
        """Write one record as one line and flush it to the operating system."""
        line = record.model_dump_json(exclude_none=False) + "\n"
        self._handle.write(line)
        self._handle.flush()

    def close(self) -> None:
        """Close the file if this writer opened it."""
        if self._owned:
            self._handle.close()

    def __enter__(self) -> JsonlWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def assessment_rows(record: Record) -> Iterator[dict[str, str]]:
    """One flat CSV row per assessment of an ok record."""
    if record.extraction is None:
        return
    for assessment in record.extraction.assessments:
        areas = {a.area.value: a.rating.value for a in assessment.areas}
        evidence = assessment.evidence
        yield {
            "doc_id": record.doc_id,
            "ccg": assessment.ccg.name,
            "ccg_as_written": assessment.ccg.as_written,
            "ods_code": assessment.ccg.ods_code or "",
            "year": assessment.year or "",
            "overall": assessment.overall.value if assessment.overall else "",
            "previous_overall": (
                assessment.previous_overall.value if assessment.previous_overall else ""
            ),
            **{area.value: areas.get(area.value, "") for area in Area},
            "indicators": "; ".join(f"{i.name}={i.rating}" for i in assessment.indicators),
            "financial_concerns": (
                ""
                if assessment.financial_concerns is None
                else str(assessment.financial_concerns).lower()
            ),
            "evidence": evidence.quote if evidence else "",
            "evidence_start": str(evidence.start) if evidence else "",
            "evidence_end": str(evidence.end) if evidence else "",
            "previous_evidence": _quote_of(assessment.previous_evidence),
            "financial_evidence": _quote_of(assessment.financial_evidence),
            "prompt": record.prompt.name,
            "model": record.model,
        }


def _quote_of(evidence: Evidence | None) -> str:
    return evidence.quote if evidence is not None else ""


def write_csv(records: Iterable[Record], path: Path) -> int:
    """Write one row per assessment to `path` (replacing it); return the number of rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    rows = 0
    for record in records:
        for row in assessment_rows(record):
            writer.writerow(row)
            rows += 1
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    temporary.replace(path)
    return rows
