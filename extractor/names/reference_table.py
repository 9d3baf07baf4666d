"""Link CCG names as articles write them to canonical names and ODS codes.

The reference table is the ONS list of the 195 CCGs of April 2018 (Open Government
Licence), shipped in `extractor/data/`. A name links to the table row it means:

1. compared word by word, without "NHS", "CCG", "Clinical Commissioning Group" (typos in
   it included), "the", connecting words ("and", "&", "of", "with") and bracketed initials,
   with county abbreviations written out ("Herts", "Notts", "Staffs", "N", "S" ...) on both
   sides;
2. else a row whose words all match one for one, each exactly or, for words of four or
   more letters, with a rapidfuzz similarity of at least `WORD_SIMILARITY` (a typo); the
   row must be the only one that matches so (unique best match), or nothing is linked;
3. else, for a name written as initials ("BaNES", "HMR"), the only row with those initials.

CCGs merged over time, so a name that links to no row is kept as written (tidied) with no
ODS code, and never given another CCG's code; that is not an error. Such a CCG must be
written in the article as "<name> CCG" (`written_as_a_ccg`). Names are compared as whole
words of their keys (`evidence_names_ccg`): "Solihull" does not name Hull.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz import fuzz

from extractor.schema import CCG, Evidence

__all__ = [
    "WORD_SIMILARITY",
    "ReferenceCCG",
    "canonical_key",
    "evidence_names_ccg",
    "link_ccg",
    "matching_rows",
    "name_words",
    "normalize_ccg",
    "reference_table",
    "written_as_a_ccg",
]

_TABLE = "ccg_codes_2018-04.csv"
_AFFIXES = re.compile(
    r"\b(nhs|clin\w*\s+com\w*\s+groups?|ccgs?|the)\b|\((ccg)\)", flags=re.IGNORECASE
)
WORD_SIMILARITY = 85.0
"""Lowest rapidfuzz ratio at which two words of a name are the same word misspelt."""
_MIN_FUZZY_WORD = 4
_MIN_PREFIX_WORD = 6
_CONNECTING_WORDS = frozenset({"and", "of", "on", "upon", "with", "the"})
_BRACKETED = re.compile(r"\(([^()]*)\)")
# County and compass abbreviations, written out on both sides before names are compared.
_ABBREVIATIONS = {
    "beds": "bedfordshire", "berks": "berkshire", "bucks": "buckinghamshire",
    "cambs": "cambridgeshire", "derbys": "derbyshire", "glos": "gloucestershire",
    "gloucs": "gloucestershire", "hants": "hampshire", "herts": "hertfordshire",
    "lancs": "lancashire", "leics": "leicestershire", "lincs": "lincolnshire",
    "northants": "northamptonshire", "notts": "nottinghamshire", "oxon": "oxfordshire",
    "salop": "shropshire", "shrops": "shropshire", "staffs": "staffordshire",
    "warks": "warwickshire", "wilts": "wiltshire", "worcs": "worcestershire",
    "yorks": "yorkshire", "n": "north", "s": "south", "e": "east", "w": "west",
    "ne": "north east", "nw": "north west", "se": "south east", "sw": "south west",
    "gt": "great", "st": "st",
    "nottm": "nottingham", "soton": "southampton", "pboro": "peterborough",
}  # fmt: skip
_NON_WORD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ReferenceCCG:
    """One row of the reference table."""

    name: str
    ods_code: str
    ons_code: str


_MIN_CUT_NAME_WORDS = 3
_ELIDED_LETTERS = re.compile(r"\b([A-Za-z])['\u2019](?=[a-z]{2,})")
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['\u2019]s\b")
"""A possessive "'s" ("Leicester City's CCG"): no table name holds one."""


def canonical_key(name: str) -> str:
    """Reduce a CCG name to a comparison key: no NHS/CCG, no punctuation, lower case.

    >>> canonical_key("ST HELENS Clinical Commissioning Group (CCG)")
    'st helens'
    """
    text = name.replace("&", " and ").replace("St.", "St")
    text = _ELIDED_LETTERS.sub(r"\1", text)  # "P'boro": one abbreviated word
    text = _AFFIXES.sub(" ", text)
    return _NON_WORD.sub(" ", text.lower()).strip()


def _strip_affixes(name: str) -> str:
    text = _AFFIXES.sub(" ", name)
    text = re.sub(r"\s+", " ", text).strip(" ,;:-'\"")
    return text


@lru_cache(maxsize=1)
def reference_table() -> dict[str, ReferenceCCG]:
    """The reference CCGs keyed by `canonical_key` of their official names."""
    table: dict[str, ReferenceCCG] = {}
    source = resources.files("extractor.data").joinpath(_TABLE)
    with source.open("r", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = _strip_affixes(row["CCG18NM"])
            table[canonical_key(name)] = ReferenceCCG(
                name=name, ods_code=row["CCG18CDH"], ons_code=row["CCG18CD"]
            )
    return table


def _without_initials(name: str) -> str:
    """The name without a bracketed abbreviation of itself ("Vale of York CCG (VoY CCG)")."""
    return _BRACKETED.sub(lambda m: " " if _initials_only(m.group(1)) else m.group(0), name)


def _initials_only(text: str) -> bool:
    """Whether bracketed text abbreviates the name before it: one short word ("HMR"), or a
    short form ending in CCG ("NEW Devon CCG")."""
    words = _AFFIXES.sub(" ", text).split()
    if re.search(r"\bccg\s*$", text, flags=re.IGNORECASE):
        return 0 < len(words) <= 3
    return len(words) == 1 and len(words[0]) <= 8 and words[0].isalpha()


_AMPERSAND_INITIALS = re.compile(r"\b[A-Z][a-z]?&[A-Z][A-Za-z]{0,5}\b")
"""Initials joined by "&" with no spaces ("B&NES", "H&F"): one word of initials."""


_COMPASS_PAIR = re.compile(r"\b([NSEW])&([NSEW])\b")
"""Two compass points joined by "&" ("E&N Herts"): two abbreviated words, not initials."""


def _words(name: str) -> tuple[str, ...]:
    """The words two names are compared by: no affixes or connecting words, abbreviations
    written out ("NHS N Staffs CCG" -> ("north", "staffordshire"))."""
    words: list[str] = []
    name = _COMPASS_PAIR.sub(r"\1 and \2", name)  # "E&N Herts": East and North
    name = _AMPERSAND_INITIALS.sub(lambda m: m.group(0).replace("&", ""), name)  # "B&NES"
    name = _POSSESSIVE.sub("", name)  # "Leicester City's clinical commissioning group"
    for word in canonical_key(_without_initials(name)).split():
        words += _ABBREVIATIONS.get(word, word).split()
    return tuple(word for word in words if word not in _CONNECTING_WORDS)


@lru_cache(maxsize=1)
def _rows_by_words() -> dict[tuple[str, ...], ReferenceCCG]:
    return {_words(row.name): row for row in reference_table().values()}


@lru_cache(maxsize=1)
def _rows_by_initials() -> dict[str, list[ReferenceCCG]]:
    """Each row under its initials, with and without its connecting words ("banes", "hmr")."""
    by_initials: dict[str, list[ReferenceCCG]] = {}
    for row in reference_table().values():
        every_word = canonical_key(row.name).split()
        for words in (every_word, [w for w in every_word if w not in _CONNECTING_WORDS]):
            initials = "".join(word[0] for word in words)
            if len(words) > 1 and row not in by_initials.get(initials, []):
                by_initials.setdefault(initials, []).append(row)
    return by_initials


def _same_word(written: str, reference: str) -> float:
    """100 for the same word, less for a likely typo or a town for its county ("Notts"
    written out as "nottinghamshire" for "Nottingham"), else 0."""
    if written == reference:
        return 100.0
    if min(len(written), len(reference)) < _MIN_FUZZY_WORD:
        return 0.0
    shorter, longer = sorted((written, reference), key=len)
    if len(shorter) >= _MIN_PREFIX_WORD and longer.startswith(shorter):
        return WORD_SIMILARITY
    score = fuzz.ratio(written, reference)
    return score if score >= WORD_SIMILARITY else 0.0


def name_words(name: str) -> tuple[str, ...]:
    """The words two CCG names are compared by: no affixes, connecting words or bracketed
    short forms, abbreviations written out ("NHS N Staffs CCG" -> ("north", "staffordshire"))."""
    return _words(name)


def matching_rows(words: tuple[str, ...]) -> list[ReferenceCCG]:
    """The reference rows a name's words (`name_words`) fit: the row with the same words;
    else the best of the rows whose words all match one for one (typos allowed), when one is
    best; else, for one word, the rows with those initials; else, for three words or more,
    the rows whose names begin with exactly those words (a long name cut short). Empty when
    none fits, several when no single row is best."""
    if not words:
        return []
    exact = _rows_by_words().get(words)
    if exact is not None:
        return [exact]
    scored = []
    for reference_words, row in _rows_by_words().items():
        if len(reference_words) != len(words):
            continue
        scores = [_same_word(w, r) for w, r in zip(words, reference_words, strict=True)]
        if all(scores):
            scored.append((sum(scores), row))
    if scored:
        best = max(score for score, _ in scored)
        return [row for score, row in scored if score == best]
    if len(words) == 1:
        return list(_rows_by_initials().get(words[0], []))
    if len(words) >= _MIN_CUT_NAME_WORDS:  # "SE Staffs & Seisdon": the name's end left off
        return [row for ref, row in _rows_by_words().items() if ref[: len(words)] == words]
    return []


def link_ccg(as_written: str) -> ReferenceCCG | None:
    """The reference-table row a CCG name as written means, or None when no single row fits.

    >>> link_ccg("NHS Sheffeild Clinical Comissioning Group").ods_code
    '03N'
    >>> link_ccg("Cambs & Peterborough CCG").name
    'Cambridgeshire and Peterborough'
    >>> link_ccg("NHS Leeds North CCG") is None  # merged before 2018: no row
    True
    """
    rows = matching_rows(_words(as_written))
    return rows[0] if len(rows) == 1 else None


_SHORT_FORM_AFTER = re.compile(r"\s*\([^()]{1,24}\)\s*$")
"""A short form in brackets after the name ("(NEW Devon)", "(HMR)")."""


def normalize_ccg(as_written: str) -> CCG:
    """Return the canonical CCG for a name as written, with its ODS code when it links."""
    as_written = re.sub(r"\s+", " ", as_written).strip()
    reference = link_ccg(as_written)
    short_form = _SHORT_FORM_AFTER.search(as_written)
    if reference is None and short_form is not None:  # "... Devon (NEW Devon)"
        reference = link_ccg(as_written[: short_form.start()])
    if reference is not None:
        return CCG(name=reference.name, as_written=as_written, ods_code=reference.ods_code)
    name = _strip_affixes(as_written) or as_written
    if name.isupper():
        name = name.title()
    return CCG(name=name, as_written=as_written, ods_code=None)


def written_as_a_ccg(ccg: CCG, article: str) -> bool:
    """A CCG outside the reference table must appear in the article as "<name> CCG" or
    "<name> Clinical Commissioning Group" (singular): a region ("Staffordshire and
    Stoke-on-Trent"), a trust or a council is not a CCG because an article names it."""
    if ccg.ods_code is not None:
        return True
    name = re.escape(" ".join(canonical_key(ccg.name).split()))
    pattern = rf"\b{name}\s+(ccg|clinical commissioning group)(?!s)\b"
    plain = " ".join(re.sub(r"[^a-z0-9]+", " ", article.lower()).split())
    return re.search(pattern, plain) is not None


def evidence_names_ccg(evidence: Evidence, as_written: str) -> bool:
    """True when the evidence itself names the CCG (ignoring NHS/CCG and punctuation)."""
    key = canonical_key(as_written)
    return bool(key) and f" {key} " in f" {canonical_key(evidence.quote)} "
