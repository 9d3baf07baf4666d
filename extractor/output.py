"""Write records: JSONL appended and flushed one line per record, and a flat CSV.

The JSONL file is the batch's ledger. A process killed mid-write can leave a half-written
last line; `repair_jsonl` cuts it off before anything is appended, so it is never parsed as
data, and `completed_ids` tells `--resume` which documents already have a record.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from extractor.schema import Area, Evidence, Record

__all__ = [
    "CSV_COLUMNS",
    "JsonlWriter",
    "assessment_rows",
    "completed_ids",
    "read_records",
    "repair_jsonl",
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


def completed_ids(path: Path, *, prompt_sha256: str, model: str) -> set[str]:
    """Ids of documents that already have a record made with this prompt and model."""
    if not path.exists():
        return set()
    done: set[str] = set()
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
                done.add(str(item.get("doc_id")))
    return done


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
