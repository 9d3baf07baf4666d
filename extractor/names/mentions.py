"""Find every CCG an article names, with where it names it, before the model reads it.

Names are found by the shape of the text, never by a list of phrasings:

1. **Before "CCG"**, "CCGs" or "Clinical Commissioning Group(s)" (typos included): the run
   of words back to the start of the phrase holds one name, or a list of names that share
   the suffix ("NHS Fareham and Gosport and NHS South Eastern Hampshire clinical
   commissioning groups", "the Dartford, Gravesham and Swanley, Swale and Medway CCGs").
   The run is read against the reference table, longest name first, so the commas and
   "and" inside a name ("Airedale, Wharfedale and Craven") never split it. A singular
   suffix whose run holds no table name is a CCG outside the table ("Leeds North CCG").
2. **"NHS" before a table name** ("NHS Barnet, NHS Bury and NHS Calderdale were ...").
3. **A line that is a table name**, alone or before a rating ("Barnet CCG - Good",
   "• NHS Bury", "Salford | Outstanding"): the lists and tables of round-ups; not a line
   that starts with a suffix word or "and" ("CCG and NHS Bury CCG."), which is the rest of
   a sentence wrapped onto it.
4. **A bare table name as the subject of a rating sentence**, in an article that speaks of
   CCGs ("In the North West, Bolton, Bury and Wigan Borough were rated good"): the name
   stands where a subject stands, after a comma, a function word or the sentence's start
   (not after a preposition), and before a verb, a comma or the sentence's end, so a place
   ("on the Isle of Wight") or a place name that qualifies a noun ("Stockport residents",
   "Greater Manchester") is not a mention; a name whose rating is its subject ("Barnet's
   rating was unchanged") is (`bare_names`).
5. **A table name holding brackets**, written whole ("Central London (Westminster)").

A name never starts with a suffix word ("Bexley CCG, Greenwich CCG" is not "CCG, Greenwich")
and never ends with the full stop after it ("... and NHS Thurrock.").

Table names are matched word by word as `names.reference_table.link_ccg` matches them
(abbreviations, "&", typos; `names.tokens`); a bare place name in running prose ("Sheffield
Teaching Hospitals") is not a mention.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.names.bare_names import named_bare_as_subjects
from extractor.names.reference_table import (
    ReferenceCCG,
    link_ccg,
    matching_rows,
    name_words,
    normalize_ccg,
    reference_table,
)
from extractor.names.tokens import (
    AFFIX_WORDS,
    LOWER_OK,
    MAX_NAME_WORDS,
    NO_NAME_EDGE,
    NOT_A_NAME,
    SUFFIX,
    CcgMention,
    Token,
    capitalised_runs,
    table_names_in,
    tokens_of,
)
from extractor.schema import CCG

__all__ = ["CcgMention", "ccgs_in", "find_ccg_mentions"]

_LIST_LINE = re.compile(
    r"^[ \t]*(?:[-*\u2022\u2013\u2014]|\d+[.)])?[ \t]*(?P<name>[^\n|:(\u2013\u2014]+?)"
    r"(?:[ \t]*(?:[|:(\u2013\u2014]| - ).*)?$",
    flags=re.MULTILINE,
)
_PHRASE_BREAK = re.compile(r"[.;:!?\n\"\u201c\u201d()]|\s[-\u2013\u2014]\s")


def _run_before(article: str, end: int) -> tuple[int, str]:
    """The phrase that ends at `end` (just before a suffix), back to a sentence or phrase
    break or to a lower-case word that cannot be part of a name."""
    start = end
    floor = max(0, end - 400)
    breaks = list(_PHRASE_BREAK.finditer(article, floor, end))
    if breaks:
        floor = breaks[-1].end()
    for token in reversed(tokens_of(article[floor:end], floor)):
        word = token.text
        if (word[0].islower() and word.lower() not in LOWER_OK) or word.upper() in ("CCG", "CCGS"):
            break
        start = token.start
    return start, article[start:end]


_INITIALS_BEFORE = re.compile(r"\s*\(\s*[A-Z][A-Za-z]{1,7}\s*\)\s*$")
"""Initials in brackets between a name and its suffix ("Heywood, Middleton and Rochdale
(HMR) CCG")."""
_POSSESSIVE_END = re.compile(r"['\u2019]s\s*$")


def _named_before_suffixes(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for suffix in SUFFIX.finditer(article):
        initials = _INITIALS_BEFORE.search(article, max(0, suffix.start() - 14), suffix.start())
        end = initials.start() if initials else suffix.start()  # "Rochdale (HMR) CCG"
        start, run = _run_before(article, end)
        tokens = [t for t in tokens_of(run, start) if t.text.lower() not in ("the", "nhs")]
        while tokens and tokens[0].text.lower() in LOWER_OK:
            tokens.pop(0)
        if not tokens:
            continue
        names = table_names_in(tokens, article)
        plural = suffix.group().rstrip(")").lower().rstrip().endswith("s")
        if plural and len(names) == 1 and _a_kind_of_ccg(article, names[0].start):
            continue  # "the three Manchester CCGs": the CCGs of a place, not one named
        if (
            names
            and names[-1].end == tokens[-1].end
            and not _longer_name(article, tokens, names[0])
        ):
            found += names
            continue
        first = _unlisted_name_start(article, tokens_of(run, start), end)
        if first is not None and _POSSESSIVE_END.search(article, first, end):
            continue  # "Kent's CCG ratings": the CCGs of a place, not a CCG's name
        if not plural and first is not None and not _a_kind_of_ccg(article, first):
            written = article[first : suffix.end()].strip()
            found.append(CcgMention(first, suffix.end(), written, None))
    return found


def _longer_name(article: str, tokens: list[Token], first: CcgMention) -> bool:
    """Whether the table name read first is the end of a longer name outside the table: a
    capitalised word, no function word, right before it with only a space between
    ("Central Manchester CCG" is not Manchester; "Emma Latimer, Hull CCG" is Hull)."""
    index = next(i for i, token in enumerate(tokens) if token.start == first.start)
    if index == 0:
        return False
    before = tokens[index - 1]
    if article[before.end : first.start].strip():
        return False
    return before.text[0].isupper() and before.text.lower() not in LOWER_OK | NOT_A_NAME


_QUANTIFIER = re.compile(
    r"\b(?:a|an|only|every|each|any|another|other|no|one|first|second|third|sole|both|all|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d{1,2})\s+$",
    re.IGNORECASE,
)


_REGION_WORD = re.compile(
    r"\b(?:north|south|east|west|central|inner|outer)(?:[- ]?(?:east|west))?(?:ern)?\s+$"
)
"""A compass word in lower case: names capitalise theirs ("South Reading"), so "the south
London CCG" places a CCG in a region and names none."""


def _a_kind_of_ccg(article: str, start: int) -> bool:
    """Whether capitalised words before "CCG" say what kind of CCG, not which: after a
    quantifier ("the only London CCG", "every Kent CCG", "a Yorkshire CCG", "the three
    Manchester CCGs") or a compass word in lower case ("the south London CCG")."""
    before = article[max(0, start - 20) : start]
    return _QUANTIFIER.search(before) is not None or _REGION_WORD.search(before) is not None


def _unlisted_name_start(article: str, tokens: list[Token], suffix_start: int) -> int | None:
    """Where a name outside the table starts: the capitalised words (joined by "and", "&",
    "of", "upon") right before its suffix, with no comma between; None when there are none."""
    start = None
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        after = tokens[index + 1].start if index + 1 < len(tokens) else suffix_start
        if "," in article[token.end : after]:
            break
        word = token.text
        if word.lower() in ("and", "&", "of", "upon", "on"):
            continue
        if not word[0].isupper() or word.lower() in NOT_A_NAME:
            break
        start = token.start
    if start is None or article[start:suffix_start].strip().isupper():
        return None
    return start


_GROUP_WORDS = re.compile(r"\b(?:CCGs|groups|commissioners|clinical commissioning)\b", re.I)


def _named_in_sentence_lists(article: str) -> list[CcgMention]:
    """Bare table names listed in a sentence about CCGs ("Six London groups - Brent, Harrow
    and Ealing - were ..."): a run that lists two or more of them."""
    found: list[CcgMention] = []
    for sentence in re.finditer(r"[^.!?\n]+", article):
        if not _GROUP_WORDS.search(sentence.group()):
            continue
        for run in capitalised_runs(article, sentence.start(), sentence.end()):
            names = _listed_table_names(run, article)
            if len(names) >= 2:
                found += names
    return found


def _listed_table_names(run: list[Token], article: str) -> list[CcgMention]:
    """The table names of a comma-separated list, read from its end; an item that is no
    table name ("Leeds North", a CCG merged away) is passed over back to the comma before
    it, and the reading goes on from there."""
    found: list[CcgMention] = []
    while run:
        names = table_names_in(run, article)
        rest = [token for token in run if not names or token.end <= names[0].start]
        joined = bool(names and rest) and "," not in article[rest[-1].end : names[0].start]
        if joined and rest[-1].text.lower() not in LOWER_OK:  # "Central Manchester" is no
            names, rest = names[1:], [t for t in run if t.end <= names[0].end]  # Manchester
        found = names + found
        commas = [i for i in range(1, len(rest)) if "," in article[rest[i - 1].end : rest[i].start]]
        if not commas:
            break
        run = rest[: commas[-1]]
    return found


def _name_at_start(tokens: list[Token], article: str) -> CcgMention | None:
    """The longest table name that starts with `tokens[0]` (without its suffix)."""
    for end in range(min(MAX_NAME_WORDS, len(tokens)), 0, -1):
        last_word = tokens[end - 1].text.rstrip(".")  # "CCG." or "Thurrock." ends a sentence
        if last_word.lower() in NO_NAME_EDGE:
            continue
        first, last = tokens[0].start, tokens[end - 1].start + len(last_word)
        rows = matching_rows(name_words(article[first:last]))
        if len(rows) == 1:
            return CcgMention(first, last, article[first:last], rows[0])
    return None


def _named_after_nhs(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for nhs in re.finditer(r"\bNHS\s+(?=[A-Z])", article):
        tokens = tokens_of(article[nhs.end() : nhs.end() + 120], nhs.end())
        name = _name_at_start(tokens, article)
        if name is not None:
            found.append(
                CcgMention(nhs.start(), name.end, article[nhs.start() : name.end], name.reference)
            )
    return found


_NO_LINE_START = AFFIX_WORDS | {"and", "&", "of", "on", "upon", "with"}
"""Words that never start a line naming a CCG: a line starting so is the rest of a sentence
wrapped onto it, whose names are read as prose."""


def _named_in_list_lines(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for line in _LIST_LINE.finditer(article):
        name = line.group("name").strip().rstrip(".")
        if not name or len(name) > 80 or name.split()[0].lower() in _NO_LINE_START:
            continue  # "CCG and NHS Wyre Forest CCG.": a sentence wrapped onto a new line
        reference = link_ccg(name)
        if reference is not None:
            start = line.start("name") + line.group("name").index(name)
            found.append(CcgMention(start, start + len(name), name, reference))
    return found


@lru_cache(maxsize=1)
def _bracketed_table_names() -> list[tuple[re.Pattern[str], ReferenceCCG]]:
    """A pattern for each table name that holds a bracketed part, spaces as written."""
    patterns = []
    for row in reference_table().values():
        if "(" in row.name:
            body = re.escape(row.name).replace(r"\ ", r"\s+")
            body = body.replace(r"\(", r"\s*\(\s*").replace(r"\)", r"\s*\)")
            patterns.append((re.compile(rf"\b(?:NHS\s+)?{body}", re.IGNORECASE), row))
    return patterns


def _named_with_brackets(article: str) -> list[CcgMention]:
    """Rule 5: a table name that holds a bracketed part ("Central London (Westminster)"),
    found whole wherever it is written; the rules above read words and stop at brackets."""
    return [
        CcgMention(match.start(), match.end(), match.group(), row)
        for pattern, row in _bracketed_table_names()
        for match in pattern.finditer(article)
    ]


def find_ccg_mentions(article: str) -> list[CcgMention]:
    """Every mention of a CCG by name, in article order, overlapping finds merged."""
    mentions = sorted(
        _named_before_suffixes(article)
        + _named_after_nhs(article)
        + _named_in_list_lines(article)
        + _named_in_sentence_lists(article)
        + named_bare_as_subjects(article)
        + _named_with_brackets(article),
        key=lambda m: (m.start, -(m.end - m.start)),
    )
    kept: list[CcgMention] = []
    for mention in mentions:
        if kept and (
            mention.start < kept[-1].end or _in_brackets_after(article, kept[-1], mention)
        ):
            continue  # overlapping, or a short form in brackets right after the name
        kept.append(mention)
    return kept


def _in_brackets_after(article: str, before: CcgMention, mention: CcgMention) -> bool:
    between = article[before.end : mention.start]
    opened = re.fullmatch(r"\s*\([^()]{0,20}", between) is not None
    return opened and ")" in article[mention.end : mention.end + 3]


def ccgs_in(article: str) -> list[CCG]:
    """The CCGs an article names, once each in order of first mention, with the name as
    first written and, when it links, the reference name and ODS code."""
    seen: dict[str, CCG] = {}
    for mention in find_ccg_mentions(article):
        ccg = normalize_ccg(mention.written)
        key = ccg.ods_code or ccg.name.lower()
        seen.setdefault(key, ccg)
    return list(seen.values())
