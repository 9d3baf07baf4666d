"""The words of an article and the reference-table names they spell: what the rules that
find CCG mentions (`names.mentions`, `bare_names`) share.

A token is a word ("Wirral", "St", "&"); a run of tokens is read against the reference table
word by word, as `names.reference_table.link_ccg` matches names (abbreviations, "&",
typos), longest name first, so the commas and "and" inside a name ("Airedale, Wharfedale
and Craven") never split it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.names.reference_table import ReferenceCCG, matching_rows, name_words

__all__ = [
    "AFFIX_WORDS",
    "LOWER_OK",
    "MAX_NAME_WORDS",
    "NOT_A_NAME",
    "NO_NAME_EDGE",
    "SUFFIX",
    "WORD",
    "CcgMention",
    "Token",
    "capitalised_runs",
    "name_ending_at",
    "table_names_in",
    "tokens_of",
]

SUFFIX = re.compile(  # "CCG", "CCGs", "Clinical Commissioning Group(s)", typos included
    r"\b(?:CCGs?|[Cc]lin\w*\s+[Cc]om\w*\s+[Gg]roups?)\b(?:\s*\((?:CCG|[A-Za-z]{2,8})\))?",
    flags=re.IGNORECASE,
)
WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019.-]*|&")
MAX_NAME_WORDS = 9
LOWER_OK = frozenset({"and", "of", "on", "upon", "with", "the", "&", "nhs"})


@dataclass(frozen=True, slots=True)
class CcgMention:
    """One place the article names a CCG."""

    start: int
    end: int
    written: str
    reference: ReferenceCCG | None


@dataclass(frozen=True, slots=True)
class Token:
    """One word of the article and where it stands."""

    start: int
    end: int
    text: str


def tokens_of(text: str, offset: int) -> list[Token]:
    """The words of `text`, which starts at `offset` in the article."""
    return [Token(offset + m.start(), offset + m.end(), m.group()) for m in WORD.finditer(text)]


def name_ending_at(tokens: list[Token], end: int, article: str) -> CcgMention | None:
    """The longest table name whose last word is `tokens[end - 1]`. A name never starts
    with a function word or with a suffix word: in "Bexley CCG, Greenwich CCG" the "CCG"
    after the comma ends the name before, it does not open "CCG, Greenwich"."""
    for start in range(max(0, end - MAX_NAME_WORDS), end):
        window = tokens[start:end]
        if window[0].text.lower() in NO_NAME_EDGE:
            continue
        first, last = window[0].start, window[-1].end
        rows = matching_rows(name_words(article[first:last]))
        if len(rows) == 1:
            return CcgMention(first, last, article[first:last], rows[0])
    return None


def table_names_in(tokens: list[Token], article: str) -> list[CcgMention]:
    """The table names a run of words lists, read from its end: each name ends where the
    next begins, with only commas, "and", "&", "NHS" or "the" between. Stops at the first
    word that ends no table name."""
    found: list[CcgMention] = []
    end = len(tokens)
    while end > 0:
        while end > 0 and tokens[end - 1].text.lower() in LOWER_OK:
            end -= 1
        name = name_ending_at(tokens, end, article) if end else None
        if name is None:
            break
        found.insert(0, name)
        end = next(i for i, token in enumerate(tokens) if token.start == name.start)
    return found


# Capitalised words that open a sentence or phrase but never a CCG's name: English function
# words, not phrasings.
_NOT_A_NAME_LINES = (
    "a an the this that these those its it our their his her your each every both all any",
    "no not for from at by to with as but or nor so yet if while when where which who whose",
    "meanwhile however also although though despite after before since until during under",
    "over among between within without across neighbouring nearby local said says say latest",
    "new former old previous last next other another same one two three four five six seven",
    "eight nine ten many most some several few more less only even just in on of instead",
    "chair dr mr mrs ms professor prof cllr",
)
NOT_A_NAME = frozenset(word for line in _NOT_A_NAME_LINES for word in line.split())


def capitalised_runs(article: str, start: int, end: int) -> list[list[Token]]:
    """Runs of capitalised words (with "and", "&", "of" ... inside) separated only by spaces,
    commas or brackets: where a list of names can be."""
    runs: list[list[Token]] = [[]]
    previous_end = None
    for token in tokens_of(article[start:end], start):
        gap = article[previous_end : token.start] if previous_end is not None else ""
        joins = token.text[0].isupper() or token.text.lower() in LOWER_OK
        if not joins or (gap and gap.strip(" ,()") != ""):
            runs.append([])
        if joins:
            runs[-1].append(token)
        previous_end = token.end
    return [run for run in runs if run]


AFFIX_WORDS = frozenset({"ccg", "ccgs", "clinical", "commissioning", "group", "groups"})
NO_NAME_EDGE = LOWER_OK | AFFIX_WORDS
"""Words a table name never starts or ends with: function words and suffix words."""
