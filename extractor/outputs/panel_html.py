"""The panel as one HTML file: a CCG x year grid, readable with no server.

Each cell is coloured by the overall rating and marked when its sources disagree (a
conflict) or the official table says otherwise; it opens (`<details>`) onto its sources: each
document's value for each fact, with the evidence sentence highlighted.
"""

from __future__ import annotations

import html
import sqlite3
from collections import defaultdict
from pathlib import Path

from extractor.outputs.panel import connect

__all__ = ["write_html"]

_COLOURS = {
    "outstanding": "#1a7f37",
    "good": "#7bc96f",
    "requires_improvement": "#f2b84b",
    "inadequate": "#d1242f",
}
_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; vertical-align: top; }
td.cell { min-width: 9rem; }
summary { cursor: pointer; font-weight: 600; }
.mark { color: #d1242f; font-weight: 700; margin-left: 0.3rem; }
mark { background: #fff3a3; }
.source { font-size: 0.85rem; margin: 0.3rem 0; }
.legend span { display: inline-block; padding: 0.1rem 0.5rem; margin-right: 0.3rem; }
"""


def write_html(db_path: Path | str, out: Path) -> int:
    """Write the page for the database at `db_path` to `out`; returns the number of cells."""
    connection = connect(db_path)
    connection.row_factory = sqlite3.Row
    cells = connection.execute("SELECT * FROM panel ORDER BY name, year").fetchall()
    facts = connection.execute(
        "SELECT f.*, d.source FROM facts f JOIN documents d USING (doc_id) "
        "ORDER BY f.kind, f.item, f.doc_id"
    ).fetchall()
    has_official = bool(
        connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'official_check'").fetchone()
    )
    differ = set()
    if has_official:
        differ = {
            (row[0], row[1])
            for row in connection.execute(
                "SELECT ccg_key, year FROM official_check WHERE verdict = 'differ'"
            )
        }
    connection.close()
    by_cell: dict[tuple[str, str], list[sqlite3.Row]] = defaultdict(list)
    for fact in facts:
        year = fact["stated_in"] if fact["kind"] == "previous_overall" else fact["year"]
        by_cell[(fact["ccg_key"], year)].append(fact)
    years = sorted({cell["year"] for cell in cells})
    ccgs: dict[str, str] = {}
    for cell in cells:
        ccgs.setdefault(cell["ccg_key"], cell["name"])
    grid = {(cell["ccg_key"], cell["year"]): cell for cell in cells}
    rows = []
    for key, name in ccgs.items():
        tds = [f"<th>{html.escape(name)}<br><small>{html.escape(key)}</small></th>"]
        for year in years:
            cell = grid.get((key, year))
            tds.append(_cell(cell, by_cell[(key, year)], (key, year) in differ))
        rows.append("<tr>" + "".join(tds) + "</tr>")
    legend = "".join(
        f'<span style="background:{colour}">{rating.replace("_", " ")}</span>'
        for rating, colour in _COLOURS.items()
    )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>CCG ratings panel</title>"
        f"<style>{_STYLE}</style></head><body><h1>CCG ratings panel</h1>"
        f"<p class='legend'>{legend} <span class='mark'>!</span> sources disagree "
        "<span class='mark'>&ne;</span> the official table says otherwise</p>"
        "<table><thead><tr><th>CCG</th>"
        + "".join(f"<th>{html.escape(year)}</th>" for year in years)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></body></html>"
    )
    out.write_text(page, encoding="utf-8")
    return len(cells)


def _cell(cell: sqlite3.Row | None, facts: list[sqlite3.Row], differs: bool) -> str:
    if cell is None:
        return "<td class='cell'></td>"
    overall = cell["overall"]
    colour = _COLOURS.get(overall or "", "#eee")
    label = (overall or "no overall rating").replace("_", " ")
    marks = "<span class='mark' title='sources disagree'>!</span>" if cell["conflict"] else ""
    if differs:
        marks += "<span class='mark' title='the official table says otherwise'>&ne;</span>"
    sources = "".join(
        "<div class='source'>"
        f"{html.escape(fact['kind'])}{' ' + html.escape(fact['item']) if fact['item'] else ''}: "
        f"<b>{html.escape(fact['value'])}</b> &mdash; {html.escape(fact['doc_id'])}<br>"
        f"<mark>{html.escape(fact['quote'] or '')}</mark></div>"
        for fact in facts
    )
    return (
        f"<td class='cell' style='background:{colour}'><details><summary>{html.escape(label)}"
        f"{marks} <small>({cell['sources']} source{'s' if cell['sources'] != 1 else ''})"
        f"</small></summary>{sources}</details></td>"
    )
