"""Tables written with "|" between cells, read by column.

- Columns that are CCGs: a header row names them ("Area | LECCG | LWCCG | SLCCG"), and each
  row below gives an item a rating per column ("Cancer | Requires improvement | Good |
  Good"). A row's rating for a CCG is the cell under that CCG's column, never another cell
  of the row; a CCG without a column has no rating in the table.
- Columns that are years: a header row names assessment years ("CCG | 2017/18 | 2016/17"),
  and each row names a CCG and gives its rating per year ("Barnet | Good | Requires
  improvement"). The rating of a year is the cell under that year's column, holding that
  rating alone (`rating_of_year`); with no year known, the latest column is this year's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from extractor.text.rating_terms import rating_terms
from extractor.text.rating_time import year_before
from extractor.text.sentences import Sentence

__all__ = ["BEFORE", "NOW", "cells", "column_cell", "rating_of_year", "year_cells"]

_MIN_CELLS = 3


def cells(line: str) -> list[tuple[int, str]]:
    """(offset, text) of each cell of a row written with "|" between cells, or [] for a line
    that is no such row."""
    if line.count("|") < _MIN_CELLS - 1:
        return []
    found: list[tuple[int, str]] = []
    start = 0
    for part in line.split("|"):
        stripped = part.strip()
        if stripped:
            found.append((start + part.index(stripped), stripped))
        start += len(part) + 1
    return found if len(found) >= _MIN_CELLS else []


def _rows_above(
    sentences: tuple[Sentence, ...], number: int
) -> Iterator[tuple[Sentence, list[tuple[int, str]]]]:
    """The lines above row `number` in its paragraph, nearest first, that have as many cells
    as it (any may be the table's header), each with its cells."""
    row = sentences[number - 1]
    width = len(cells(row.text))
    for line in reversed(sentences[: number - 1]):
        if line.paragraph != row.paragraph:
            return
        columns = cells(line.text)
        if width and len(columns) == width:
            yield line, columns


def column_cell(
    sentences: tuple[Sentence, ...], number: int, names: dict[int, list[tuple[int, bool]]]
) -> tuple[str, str] | None:
    """(first cell, the CCG's cell) of row `number` in a table whose header row above, in
    the same paragraph with as many cells, names CCGs in two or more columns; ("", "") when
    the header names other CCGs but not this one; None when the row is in no such table.
    `names` maps a sentence number to where it names a CCG (offset in the sentence) and
    whether that CCG is this one."""
    row = cells(sentences[number - 1].text)
    for header, columns in _rows_above(sentences, number):
        named = {
            i: mine
            for i, (offset, text) in enumerate(columns)
            for at, mine in names.get(header.number, [])
            if i > 0 and offset <= at < offset + len(text)
        }
        if len(named) >= 2:  # else another row of the table
            mine = [i for i, is_mine in named.items() if is_mine]
            return (row[0][1], row[mine[0]][1]) if mine else ("", "")
    return None


_YEAR = re.compile(r"\b(20\d{2})\s*(?:/|-|\u2013)\s*(?:20)?(\d{2})\b")


def year_cells(sentences: tuple[Sentence, ...], number: int) -> dict[str, str] | None:
    """{assessment year: cell} of row `number` in a table whose header row above, in the same
    paragraph with as many cells, names two or more years as columns ("CCG | 2017/18 |
    2016/17" over "Barnet | Good | Requires improvement", or "CCG | Rating | Last year", keyed
    `NOW` and `BEFORE`); None when the row is in no such table."""
    row = cells(sentences[number - 1].text)
    for _, columns in _rows_above(sentences, number):
        found = {i: _year_of_column(text) for i, (_, text) in enumerate(columns) if i > 0}
        years = {i: year for i, year in found.items() if year is not None}
        if len(years) >= 2 and (BEFORE in years.values() or NOW not in years.values()):
            return {year: row[i][1] for i, year in years.items()}
    return None


NOW, BEFORE = "now", "before"
_BEFORE_COLUMN = re.compile(r"\b(?:last\s+year|previous|prior|year\s+before)\b", re.I)
_NOW_COLUMN = re.compile(r"^(?:(?:overall\s+)?rating|this\s+year|now|current)$", re.I)


def _year_of_column(header: str) -> str | None:
    """The year a header cell stands for: an assessment year written ("2017/18"), the year
    before (`BEFORE`: "Last year", "Previous rating"), or the assessment year (`NOW`:
    "Rating", "This year"); None for any other column."""
    match = _YEAR.search(header)
    if match is not None:
        return f"{match.group(1)}/{match.group(2)}"
    if _BEFORE_COLUMN.search(header):
        return BEFORE
    return NOW if _NOW_COLUMN.match(header.strip()) else None


def rating_of_year(by_year: dict[str, str], rating: str, year: str | None, now: bool) -> bool:
    """The cell of the assessment year (`now`) or of the year before holds this rating alone;
    with no year known, the latest column is this year's and the one before it last year's."""
    if NOW in by_year or BEFORE in by_year:  # "CCG | Rating | Last year"
        wanted: str | None = NOW if now else BEFORE
    else:
        latest = sorted(by_year, reverse=True)
        wanted = (year if now else year_before(year)) if year in by_year else None
        if wanted is None and year is None:
            wanted = latest[0] if now else latest[1]
    cell = by_year.get(wanted or "")
    return cell is not None and {found for _, _, found in rating_terms(cell)} == {rating}
