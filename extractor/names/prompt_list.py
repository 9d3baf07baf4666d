"""Find the CCG names an article writes, before the model reads it (the `{{ccgs}}` slot).

The search is deliberately literal: a run of capitalised words ending in
"CCG" or "Clinical Commissioning Group" ("North Staffordshire CCG", "NHS Stoke-on-Trent CCG",
"ST HELENS Clinical Commissioning Group"). Plural "CCGs" and "the CCG" name no CCG. A prefix
the run picked up by accident ("Meanwhile Cannock Chase CCG") is trimmed to the longest
ending that is a CCG of the reference table, when there is one.
"""

from __future__ import annotations

import re

from extractor.names.reference_table import canonical_key, reference_table

__all__ = ["ccgs_named", "render_ccg_list"]

_CCG_SUFFIX = re.compile(r"\b(?:CCG|Clinical Commissioning Group)\b(?!s)(?:\s*\(CCG\))?")
_CONNECTORS = frozenset({"and", "&", "on", "upon", "of"})
# Capitalised words that start a sentence or a phrase but are never part of a CCG's name.
_NOT_A_NAME_LINES = (
    "a an the this that these those its it our their his her your each every both all any",
    "no not for from at by to with as but or nor so yet if while when where which who whose",
    "meanwhile however also although though despite after before since until during under",
    "over among between within without across neighbouring nearby local said says say",
    "latest new former old previous last next other another same one two three four five six",
    "seven eight nine ten many most some several few more less only even just",
)
_NOT_A_NAME = frozenset(word for line in _NOT_A_NAME_LINES for word in line.split())
_WORD_END_PUNCTUATION = ",.;:!?\"'\u2019\u201d)("
_OPENING_MARKS = "\u2018'\u201c\"("


def _words_before(text: str, end: int) -> list[str]:
    """The capitalised run of words that ends at `end` (just before "CCG"), first word first.

    A comma stops the run unless the longer run it allows is a reference CCG ("NHS Airedale,
    Wharfedale and Craven CCG").
    """
    line_start = text.rfind("\n", 0, end) + 1
    taken: list[str] = []
    plain_length: int | None = None  # where the run stopped at its first comma
    for word in reversed(text[line_start:end].split()):
        comma = ""
        if word.endswith(",") and plain_length is None and word[:-1]:
            plain_length = len(taken)
            word, comma = word[:-1], ","
        if word[-1] in _WORD_END_PUNCTUATION or word.upper() in {"CCG", "CCGS"}:
            break
        bare = word.strip(_OPENING_MARKS)
        if word.lower() in _CONNECTORS:
            taken.append(word)
            continue
        if not bare or not bare[0].isupper() or bare.lower() in _NOT_A_NAME:
            break
        taken.append(bare + comma)
        if bare != word:  # an opening quote or bracket starts the name
            break
    if plain_length is not None:
        longer = _trim_to_reference(_tidy(taken))
        if canonical_key(" ".join(longer)) not in reference_table():
            taken = taken[:plain_length]
    return _trim_to_reference(_tidy(taken))


def _tidy(reversed_words: list[str]) -> list[str]:
    """Reverse a run collected backwards; drop connectors at its start; nothing if only NHS."""
    words = list(reversed(reversed_words))
    while words and words[0].lower() in _CONNECTORS:
        words.pop(0)
    if all(w.upper() == "NHS" for w in words):
        return []
    return words


def _trim_to_reference(words: list[str]) -> list[str]:
    """The longest ending of `words` that is a reference CCG, else `words` unchanged."""
    table = reference_table()
    for start in range(len(words)):
        if canonical_key(" ".join(words[start:])) in table:
            return words[start:]
    return words


def ccgs_named(article: str) -> list[str]:
    """The CCGs `article` names, as it writes them, in order of first mention, once each.

    >>> ccgs_named("Stafford and Surrounds CCG and Cannock Chase CCG met their targets.")
    ['Stafford and Surrounds CCG', 'Cannock Chase CCG']
    """
    found: dict[str, str] = {}
    for match in _CCG_SUFFIX.finditer(article):
        words = _words_before(article, match.start())
        if not words:
            continue
        written = f"{' '.join(words)} {match.group(0)}"
        key = canonical_key(written)
        if key and key not in found:
            found[key] = written
    return list(found.values())


def render_ccg_list(article: str) -> str:
    """The `{{ccgs}}` slot's text: the names found, comma-separated, or "none"."""
    return ", ".join(ccgs_named(article)) or "none"
