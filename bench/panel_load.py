"""Loading records into the SQLite panel: N made-up records (default 10,000), timed.

Each record names one to three CCGs of the reference table with a year, an overall and a
previous rating, two clinical areas and a financial finding, each with an evidence sentence;
one record in fifty is an error record. Prints the load time from a JSONL file into a new
database, the time of loading the same file again (idempotent: nothing changes), the time of
building the panel rows, and the database's size.

    python -m bench.panel_load
    python -m bench.panel_load --records 50000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from bench.machine import describe
from extractor.names.reference_table import reference_table
from extractor.outputs.panel import load_files, panel_rows
from extractor.schema import Record

RATINGS = ("outstanding", "good", "requires_improvement", "inadequate")
YEARS = ("2015/16", "2016/17", "2017/18", "2018/19", "2019/20")


def _evidence(quote: str) -> dict[str, object]:
    return {"quote": quote, "start": 0, "end": len(quote), "match": "exact", "score": 100.0}


def _record(number: int, rows: list[tuple[str, str]], rng: random.Random) -> Record:
    doc_id = f"doc-{number:06d}"
    base: dict[str, object] = {
        "doc_id": doc_id,
        "source": f"{doc_id}.txt",
        "input_sha256": f"{number:064x}",
        "prompt": {"name": "v23", "sha256": "ab" * 32},
        "model": "m",
    }
    if number % 50 == 0:
        error = {"type": "ModelCallError", "message": "gave up after 5 attempts"}
        return Record.model_validate({**base, "status": "error", "error": error})
    assessments = []
    for name, code in rng.sample(rows, rng.randint(1, 3)):
        year, overall, previous = rng.choice(YEARS), rng.choice(RATINGS), rng.choice(RATINGS)
        assessments.append(
            {
                "ccg": {"name": name, "as_written": f"NHS {name} CCG", "ods_code": code},
                "year": year,
                "overall": overall,
                "previous_overall": previous,
                "financial_concerns": rng.random() < 0.3,
                "evidence": _evidence(f"NHS {name} CCG was rated {overall} for {year}."),
                "previous_evidence": _evidence(f"It was rated {previous} the year before."),
                "financial_evidence": _evidence("The rating reflects its deficit."),
                "areas": [
                    {"area": area, "rating": rng.choice(RATINGS), "evidence": _evidence(area)}
                    for area in ("cancer", "dementia")
                ],
            }
        )
    extraction = {"published": "2018-07-12", "assessments": assessments}
    return Record.model_validate({**base, "status": "ok", "extraction": extraction})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=3)
    options = parser.parse_args()
    print(describe())
    rng = random.Random(options.seed)
    rows = [(row.name, row.ods_code) for row in reference_table().values()]
    with tempfile.TemporaryDirectory() as scratch:
        results, db = Path(scratch) / "results.jsonl", Path(scratch) / "panel.sqlite"
        with results.open("w", encoding="utf-8") as handle:
            for number in range(options.records):
                handle.write(_record(number, rows, rng).model_dump_json() + "\n")
        started = time.perf_counter()
        counts = load_files([results], db)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = load_files([results], db)
        second = time.perf_counter() - started
        started = time.perf_counter()
        cells = len(panel_rows(db))
        panel_seconds = time.perf_counter() - started
        size = db.stat().st_size
    print(f"records                 {counts['records']:,} ({counts['errors']:,} error records)")
    print(f"facts                   {counts['facts']:,}")
    print(f"first load              {first:.2f} s")
    print(f"same file again         {second:.2f} s ({again['facts']} facts rewritten)")
    print(f"panel rows              {cells:,} in {panel_seconds:.2f} s")
    print(f"database size           {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
