"""`extractor panel RESULTS.jsonl... --db ratings.sqlite [--csv] [--html] [--official]`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from extractor.outputs.panel import load_files, panel_rows
from extractor.outputs.panel_html import write_html
from extractor.outputs.panel_official import (
    OfficialTableError,
    check_official,
    load_official,
    mismatches,
    read_official,
)

__all__ = ["panel"]


def _column_names(spec: str | None) -> dict[str, str]:
    if not spec:
        return {}
    names: dict[str, str] = {}
    for part in spec.split(","):
        role, _, column = part.partition("=")
        if role.strip() not in ("code", "name", "year", "overall") or not column.strip():
            raise click.UsageError(
                f"--official-columns: {part!r} is not ROLE=COLUMN "
                "(roles: code, name, year, overall)"
            )
        names[role.strip()] = column.strip()
    return names


@click.command("panel")
@click.argument(
    "results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The SQLite database to create or update.")  # fmt: skip
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the panel (one row per CCG x year) as CSV.")  # fmt: skip
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the panel as one HTML page.")  # fmt: skip
@click.option("--official", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV of the ratings NHS England published, to check the panel.")  # fmt: skip
@click.option("--official-columns",
              help="Name its columns: code=ODS,name=CCG,year=Year,overall=Rating.")  # fmt: skip
def panel(
    results: tuple[Path, ...],
    db_path: Path,
    csv_path: Path | None,
    html_path: Path | None,
    official: Path | None,
    official_columns: str | None,
) -> None:
    """Put records (JSONL from `extractor extract`) together into a CCG x year panel in SQLite:
    documents, CCGs, facts with their evidence, the panel, and conflicts between sources.

    Loading is incremental and idempotent: a later record of a doc_id replaces the earlier
    one (a later line, or a later file); loading the same file twice changes nothing.
    """
    console = Console(stderr=True, soft_wrap=True)
    rows = None
    if official is not None:  # parsed before anything is written: a bad file changes nothing
        try:
            text = official.read_text(encoding="utf-8-sig")
            rows = read_official(text, _column_names(official_columns))
        except (OfficialTableError, UnicodeDecodeError) as exc:
            message = getattr(exc, "message", str(exc))
            console.print(f"[red]error:[/red] {escape(message)}; nothing was written")
            sys.exit(2)
    counts = load_files(list(results), db_path)
    console.print(
        f"loaded {counts['records']} record(s): {counts['ok']} ok, {counts['errors']} error, "
        f"{counts['facts']} facts into {escape(str(db_path))}"
    )
    if rows is not None:
        load_official(db_path, rows)
        report = check_official(db_path)
        for axis in ("year", "ccg"):
            for value, verdicts in sorted(report[axis].items()):
                if axis == "ccg" and set(verdicts) == {"match"}:
                    continue  # per CCG, only those with something to look at
                summary = ", ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items()))
                console.print(f"official {axis} {escape(value)}: {summary}")
        for row in mismatches(db_path):
            console.print(
                f"differs: {escape(row['ccg_key'])} {row['year']} {row['kind']} {row['item']}: "
                f"official {row['official']}, panel {row['panel']} ({escape(row['doc_id'] or '')}: "
                f"{escape(row['evidence'] or '')})"
            )
    panel_table = panel_rows(db_path)
    if csv_path is not None:
        with csv_path.open("w", newline="", encoding="utf-8") as handle:
            columns = list(panel_table[0]) if panel_table else ["ccg_key", "year"]
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(panel_table)
        console.print(f"wrote {len(panel_table)} panel row(s) to {escape(str(csv_path))}")
    if html_path is not None:
        cells = write_html(db_path, html_path)
        console.print(f"wrote {cells} cell(s) to {escape(str(html_path))}")
