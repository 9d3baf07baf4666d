"""Years, dates and numbers as articles write them: assessment years ("2016/17"), dates in
words or figures, numbers in words ("twenty-one"), and whether a text writes a number."""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "NUMBER_IN_WORDS",
    "count_of",
    "date_in_article",
    "dates_written",
    "in_figures",
    "mentions_number",
    "normalize_year",
    "number_forms",
    "parse_date",
]

_YEAR_PAIR = re.compile(r"(20\d\d)\s*(?:/|-|\u2013|\u2014|to)\s*((?:20)?\d\d)\b")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?<!\d)(\d{1,2})(?!\d)(?:st|nd|rd|th)?"  # not the "20" of "July 2017"
_YEAR = r"(?:,?\s+(\d{4}))?"
_DAY_MONTH = re.compile(_DAY + r"\s+(?:of\s+)?" + _MONTH + _YEAR, re.IGNORECASE)
_MONTH_DAY = re.compile(_MONTH + r"\s+" + _DAY + _YEAR, re.IGNORECASE)
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
          "seventeen", "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _number_words() -> dict[str, int]:
    """Numbers written as words, one to ninety-nine ("twenty-one" and "twenty one")."""
    words = {word: n for n, word in enumerate(_UNITS, start=1)}
    words |= {word: n for n, word in enumerate(_TEENS, start=10)}
    for tens, word in enumerate(_TENS, start=2):
        words[word] = 10 * tens
        for unit, unit_word in enumerate(_UNITS, start=1):
            words[f"{word}-{unit_word}"] = words[f"{word} {unit_word}"] = 10 * tens + unit
    return words | {"half": 50}


_NUMBER_WORDS = _number_words()
NUMBER_IN_WORDS = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
"""A regex alternation of the numbers written as words, longest first ("twenty-one" before
"twenty")."""


def count_of(word: str) -> int:
    """The number a count is written as, in digits or in words ("12", "three")."""
    return int(word) if word.isdigit() else _NUMBER_WORDS[word.lower()]


def normalize_year(text: str | None) -> str | None:
    """Return an assessment year as "2016/17", or None when `text` holds no year pair.

    >>> normalize_year("2019/2020"), normalize_year("2016-17"), normalize_year("2019")
    ('2019/20', '2016/17', None)
    """
    if not text:
        return None
    match = _YEAR_PAIR.search(text)
    if match is None:
        return None
    first = int(match.group(1))
    second = int(match.group(2)[-2:])
    if second != (first + 1) % 100:
        return None
    return f"{first}/{second:02d}"


def years_in(text: str) -> list[str]:
    """Every assessment year the text writes, normalised, in order of first mention.

    >>> years_in("The 2016-17 results follow 2015/16's.")
    ['2016/17', '2015/16']
    """
    found: list[str] = []
    for match in _YEAR_PAIR.finditer(text):
        year = normalize_year(match.group(0))
        if year is not None and year not in found:
            found.append(year)
    return found


def parse_date(text: str | None, *, default_year: int | None = None) -> date | None:
    """Parse a date as articles write it ("25th November 2020", "Wednesday, July 19").

    A date without a year takes `default_year`; without either it is None.
    """
    if not text:
        return None
    iso = _ISO.search(text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        match = pattern.search(text)
        if match is None:
            continue
        year = int(match.group(3)) if match.group(3) else default_year
        if year is None:
            return None
        month = _MONTHS[match.group(month_group).lower()]
        return _safe_date(year, month, int(match.group(day_group)))
    return None


def date_in_article(found: date | None, article: str, default_year: int | None) -> date | None:
    """`found` if the article writes its day and month; its year is kept only if the article
    writes it too, else the article's own year (`default_year`) replaces it, as for
    assessment years. None when the article never writes that day and month."""
    if found is None:
        return None
    if not dates_written(article, found.day, found.month):
        return None
    if str(found.year) in article or default_year is None:
        return found
    return _safe_date(default_year, found.month, found.day)


def dates_written(article: str, day: int, month: int) -> list[tuple[int, int]]:
    """(start, end) of every place the article writes this day and month ("19 July",
    "July 19th"), in article order."""
    return sorted(
        m.span()
        for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1))
        for m in pattern.finditer(article)
        if (int(m.group(day_group)), _MONTHS[m.group(month_group).lower()]) == (day, month)
    )


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def number_forms(value: float) -> set[str]:
    """Ways a number may be written in an article, to check it occurs in its evidence.

    >>> sorted(number_forms(9.0))
    ['9', '9.0', 'nine']
    """
    forms = {f"{value:g}", f"{value:,.0f}" if value.is_integer() else f"{value:,}"}
    if value.is_integer():
        forms.add(str(int(value)))
        forms.add(f"{value:.1f}")
    forms.update(word for word, number in _NUMBER_WORDS.items() if number == value)
    return {form for form in forms if form}


def in_figures(form: str) -> str:
    """A regex for a number written in figures, not inside a longer one ("9" in "9.5")."""
    return rf"(?<![\d.])(?<!\d,){re.escape(form)}(?!\d)(?![.,]\d)"


_UNIT_WORDS = "|".join(_UNITS)


def mentions_number(text: str, value: float) -> bool:
    """True when `text` writes `value`, as a number or word or ordinal ("sixth"), but not as
    part of a longer number ("9" in "9.5" or "1,234") or word ("ten" in "often")."""
    lowered = text.lower()
    return any(
        re.search(
            rf"\b{re.escape(form)}(?:th|h)?\b(?!-[a-z])(?! (?:{_UNIT_WORDS})\b)"
            if form[0].isalpha()
            else in_figures(form),
            lowered,
        )
        for form in number_forms(value)
    )
