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
   "• NHS Bury", "Salford | Outstanding"): the lists and tables of round-ups.
4. **A bare table name as the subject of a rating sentence**, in an article that speaks of
   CCGs ("In the North West, Bolton, Bury and Wigan Borough were rated good"): the name
   stands where a subject stands, after a comma, a function word or the sentence's start
   (not after a preposition), and before a verb, a comma or the sentence's end, so a place
   ("on the Isle of Wight") or a place name that qualifies a noun ("Stockport residents",
   "Greater Manchester") is not a mention; a name whose rating is its subject ("Barnet's
   rating was unchanged") is.

Table names are matched word by word as `ccg_names.link_ccg` matches them (abbreviations,
"&", typos); a bare place name in running prose ("Sheffield Teaching Hospitals") is not a
mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.ccg_names import (
    ReferenceCCG,
    link_ccg,
    matching_rows,
    name_words,
    normalize_ccg,
)
from extractor.rating_terms import rating_terms
from extractor.schema import CCG

__all__ = ["CcgMention", "ccgs_in", "find_ccg_mentions"]

_SUFFIX = re.compile(
    r"\b(?:CCGs?|[Cc]lin\w*\s+[Cc]om\w*\s+[Gg]roups?)\b(?:\s*\((?:CCG|[A-Za-z]{2,8})\))?",
    flags=re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019.-]*|&")
_MAX_NAME_WORDS = 9
_LIST_LINE = re.compile(
    r"^[ \t]*(?:[-*\u2022\u2013\u2014]|\d+[.)])?[ \t]*(?P<name>[^\n|:(\u2013\u2014]+?)"
    r"(?:[ \t]*(?:[|:(\u2013\u2014]| - ).*)?$",
    flags=re.MULTILINE,
)
_PHRASE_BREAK = re.compile(r"[.;:!?\n\"\u201c\u201d()]|\s[-\u2013\u2014]\s")
_LOWER_OK = frozenset({"and", "of", "on", "upon", "with", "the", "&", "nhs"})


@dataclass(frozen=True, slots=True)
class CcgMention:
    """One place the article names a CCG."""

    start: int
    end: int
    written: str
    reference: ReferenceCCG | None


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    text: str


def _tokens(text: str, offset: int) -> list[_Token]:
    return [_Token(offset + m.start(), offset + m.end(), m.group()) for m in _WORD.finditer(text)]


def _name_ending_at(tokens: list[_Token], end: int, article: str) -> CcgMention | None:
    """The longest table name whose last word is `tokens[end - 1]`."""
    for start in range(max(0, end - _MAX_NAME_WORDS), end):
        window = tokens[start:end]
        if window[0].text.lower() in _LOWER_OK:
            continue
        first, last = window[0].start, window[-1].end
        rows = matching_rows(name_words(article[first:last]))
        if len(rows) == 1:
            return CcgMention(first, last, article[first:last], rows[0])
    return None


def _table_names_in(tokens: list[_Token], article: str) -> list[CcgMention]:
    """The table names a run of words lists, read from its end: each name ends where the
    next begins, with only commas, "and", "&", "NHS" or "the" between. Stops at the first
    word that ends no table name."""
    found: list[CcgMention] = []
    end = len(tokens)
    while end > 0:
        while end > 0 and tokens[end - 1].text.lower() in _LOWER_OK:
            end -= 1
        name = _name_ending_at(tokens, end, article) if end else None
        if name is None:
            break
        found.insert(0, name)
        end = next(i for i, token in enumerate(tokens) if token.start == name.start)
    return found


def _run_before(article: str, end: int) -> tuple[int, str]:
    """The phrase that ends at `end` (just before a suffix), back to a sentence or phrase
    break or to a lower-case word that cannot be part of a name."""
    start = end
    floor = max(0, end - 400)
    breaks = list(_PHRASE_BREAK.finditer(article, floor, end))
    if breaks:
        floor = breaks[-1].end()
    for token in reversed(_tokens(article[floor:end], floor)):
        word = token.text
        if (word[0].islower() and word.lower() not in _LOWER_OK) or word.upper() in ("CCG", "CCGS"):
            break
        start = token.start
    return start, article[start:end]


_INITIALS_BEFORE = re.compile(r"\s*\(\s*[A-Z][A-Za-z]{1,7}\s*\)\s*$")
"""Initials in brackets between a name and its suffix ("Heywood, Middleton and Rochdale
(HMR) CCG")."""
_POSSESSIVE_END = re.compile(r"['\u2019]s\s*$")


def _named_before_suffixes(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for suffix in _SUFFIX.finditer(article):
        initials = _INITIALS_BEFORE.search(article, max(0, suffix.start() - 14), suffix.start())
        end = initials.start() if initials else suffix.start()  # "Rochdale (HMR) CCG"
        start, run = _run_before(article, end)
        tokens = [t for t in _tokens(run, start) if t.text.lower() not in ("the", "nhs")]
        while tokens and tokens[0].text.lower() in _LOWER_OK:
            tokens.pop(0)
        if not tokens:
            continue
        names = _table_names_in(tokens, article)
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
        first = _unlisted_name_start(article, _tokens(run, start), end)
        if first is not None and _POSSESSIVE_END.search(article, first, end):
            continue  # "Kent's CCG ratings": the CCGs of a place, not a CCG's name
        if not plural and first is not None and not _a_kind_of_ccg(article, first):
            written = article[first : suffix.end()].strip()
            found.append(CcgMention(first, suffix.end(), written, None))
    return found


def _longer_name(article: str, tokens: list[_Token], first: CcgMention) -> bool:
    """Whether the table name read first is the end of a longer name outside the table: a
    capitalised word, no function word, right before it with only a space between
    ("Central Manchester CCG" is not Manchester; "Emma Latimer, Hull CCG" is Hull)."""
    index = next(i for i, token in enumerate(tokens) if token.start == first.start)
    if index == 0:
        return False
    before = tokens[index - 1]
    if article[before.end : first.start].strip():
        return False
    return before.text[0].isupper() and before.text.lower() not in _LOWER_OK | _NOT_A_NAME


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
_NOT_A_NAME = frozenset(word for line in _NOT_A_NAME_LINES for word in line.split())


_QUANTIFIER = re.compile(
    r"\b(?:a|an|only|every|each|any|another|other|no|one|first|second|third|sole|both|all|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|\d{1,2})\s+$",
    re.IGNORECASE,
)


def _a_kind_of_ccg(article: str, start: int) -> bool:
    """Whether capitalised words before "CCG" say what kind of CCG, not which: after a
    quantifier ("the only London CCG", "every Kent CCG", "a Yorkshire CCG", "the three
    Manchester CCGs")."""
    return _QUANTIFIER.search(article[max(0, start - 20) : start]) is not None


def _unlisted_name_start(article: str, tokens: list[_Token], suffix_start: int) -> int | None:
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
        if not word[0].isupper() or word.lower() in _NOT_A_NAME:
            break
        start = token.start
    if start is None or article[start:suffix_start].strip().isupper():
        return None
    return start


_GROUP_WORDS = re.compile(r"\b(?:CCGs|groups|commissioners|clinical commissioning)\b", re.I)


def _capitalised_runs(article: str, start: int, end: int) -> list[list[_Token]]:
    """Runs of capitalised words (with "and", "&", "of" ... inside) separated only by spaces,
    commas or brackets: where a list of names can be."""
    runs: list[list[_Token]] = [[]]
    previous_end = None
    for token in _tokens(article[start:end], start):
        gap = article[previous_end : token.start] if previous_end is not None else ""
        joins = token.text[0].isupper() or token.text.lower() in _LOWER_OK
        if not joins or (gap and gap.strip(" ,()") != ""):
            runs.append([])
        if joins:
            runs[-1].append(token)
        previous_end = token.end
    return [run for run in runs if run]


def _named_in_sentence_lists(article: str) -> list[CcgMention]:
    """Bare table names listed in a sentence about CCGs ("Six London groups - Brent, Harrow
    and Ealing - were ..."): a run that lists two or more of them."""
    found: list[CcgMention] = []
    for sentence in re.finditer(r"[^.!?\n]+", article):
        if not _GROUP_WORDS.search(sentence.group()):
            continue
        for run in _capitalised_runs(article, sentence.start(), sentence.end()):
            names = _table_names_in(run, article)
            if len(names) >= 2:
                found += names
    return found


_AFFIX_WORDS = frozenset({"ccg", "ccgs", "clinical", "commissioning", "group", "groups"})

# What may follow a sentence's subject: a clause's punctuation, a function word, or a verb.
# Verbs are told by their shape (a past tense in "-ed"; a present tense in "-s" followed by
# a particle or an article: "slips to", "holds on"), with the few irregular past tenses a rating
# moves by, so "Stockport residents" or "Hull hospitals were" are not read as subjects.
_SUBJECT_FOLLOWER_LINES = (
    "was were is are has have had will would could should may might did does do be",
    "which who whose that also both each all too again now still only once then alone",
    "itself and or but while whereas held kept won got fell rose came went became",
    "saw made took gave stayed remains lost sank slid met hit",
)
_SUBJECT_FOLLOWERS = frozenset(w for line in _SUBJECT_FOLLOWER_LINES for w in line.split())
_PARTICLE = re.compile(r"\s+(?:on|up|down|to|from|into|its|their|the|a|an|back|out|off)\b")
_PREPOSITION = re.compile(
    r"\b(?:on|in|at|across|for|from|of|to|with|by|near|around|throughout|within)\s+"
    r"(?:the\s+)?\Z",
    re.IGNORECASE,
)
_POSSESSIVE_RATING = re.compile(
    r"['\u2019]s\s+(?:overall\s+)?(?:rating|grade|verdict|assessment|score)\b", re.IGNORECASE
)
_RATING_AS_VERB = re.compile(
    r"\s+(?:(?:still|now|also|again)\s+)?(?:requires?|needs?)\s+improvement\b", re.IGNORECASE
)
"""The one rating that is a verb phrase, so a name before it is its subject."""
_GAPPED_RATING = re.compile(
    r"\s+(?:outstanding|good|inadequate|requires?\s+improvement|requiring\s+improvement)"
    r"(?=\s*(?:[,.;)]|\band\b|$))",
    re.IGNORECASE,
)
"""A rating straight after a name, ending its clause: a later member of a list whose verb
is left out ("... was rated outstanding and Kernow inadequate")."""
_AFTER_SUBJECT = re.compile(r"\s*(?P<next>[,.;:!?()\n\u2013\u2014-]|[a-z]+|$)")


def _stands_as_subject(article: str, name: CcgMention, before: _Token | None) -> bool:
    """Whether a bare name sits where a sentence's subject sits (see rule 4)."""
    if before is not None:
        gap = article[before.end : name.start]
        word = before.text.lower()
        if "," not in gap and word not in _LOWER_OK and word not in _NOT_A_NAME:
            return False  # "Greater Manchester": the name is part of a longer one
    if _PREPOSITION.search(article, max(0, name.start - 20), name.start):
        return False  # "Health chiefs on the Isle of Wight": a place, not the subject
    if _POSSESSIVE_RATING.match(article, name.end):
        return True  # "Barnet's rating was unchanged"
    if _GAPPED_RATING.match(article, name.end) and _after_a_rated_clause(article, name.start):
        return True  # "Gloucestershire was rated outstanding and Kernow inadequate"
    if _RATING_AS_VERB.match(article, name.end):
        # "South Tees requires improvement"; not "in Kent and Medway require improvement",
        # where the name may end a longer one
        return before is None or "," in article[before.end : name.start]
    after = _AFTER_SUBJECT.match(article, name.end)
    if after is None:
        return False
    following = after.group("next")
    if not following.isalpha():
        return True
    if following in _SUBJECT_FOLLOWERS or following.endswith("ed"):
        return True
    return following.endswith("s") and _PARTICLE.match(article, after.end()) is not None


def _after_a_rated_clause(article: str, start: int) -> bool:
    """Whether the name at `start` follows "and" or a comma after a clause of its sentence
    that states a rating: a later member of a list whose verb is left out."""
    head = article[max(0, start - 300) : start]
    head = re.split(r"[.!?\n]", head)[-1]
    return re.search(r"(?:,|\band)\s*$", head) is not None and bool(rating_terms(head))


def _written_in_words(written: str) -> bool:
    """A name in ordinary words: no initials or capitals only ("GP", "WE", "WIRRAL"), nor
    one short word ("We"); a short word before another, in lower case after its capital, is
    a word ("St Helens")."""
    words = [w for w in _WORD.findall(written) if w.lower() not in _LOWER_OK]
    return all(
        not w.isupper() and (len(w) > 2 or (w[1:].islower() and i < len(words) - 1))
        for i, w in enumerate(words)
    )


def _split_at_clauses(article: str, run: list[_Token]) -> list[list[_Token]]:
    """A run cut where a comma is followed by a lower-case word (", with NHS England ..."):
    a new clause, not the next name of a list ("Bolton, Bury and Wigan Borough")."""
    pieces: list[list[_Token]] = [[]]
    for index, token in enumerate(run):
        if index and token.text[0].islower() and "," in article[run[index - 1].end : token.start]:
            pieces.append([])
        pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _possessive_name(token: _Token, article: str) -> _Token:
    """A name with "'s" before its rating ("Barnet's rating") stands for the name."""
    if token.text[-2:] in ("'s", "\u2019s") and _POSSESSIVE_RATING.match(article, token.end - 2):
        return _Token(token.start, token.end - 2, token.text[:-2])
    return token


def _after_last_affix(run: list[_Token]) -> list[_Token]:
    """The words after the run's last "CCG(s)" or "Clinical Commissioning Group(s)": names
    before an affix are rule 1's."""
    for index in range(len(run) - 1, -1, -1):
        if run[index].text.lower() in _AFFIX_WORDS or run[index].text.lower() == "nhs":
            return run[index + 1 :]
    return run


def _named_bare_as_subjects(article: str) -> list[CcgMention]:
    """Rule 4: bare table names standing as the subject of a sentence that states a rating."""
    if not _SUFFIX.search(article):
        return []
    found: list[CcgMention] = []
    for sentence in re.finditer(r"[^.!?\n]+", article):
        if not rating_terms(sentence.group()):
            continue
        runs = _capitalised_runs(article, sentence.start(), sentence.end())
        for piece in (piece for whole in runs for piece in _split_at_clauses(article, whole)):
            run = _after_last_affix([_possessive_name(token, article) for token in piece])
            for name in _table_names_in(run, article):
                index = next(i for i, token in enumerate(run) if token.start == name.start)
                before = run[index - 1] if index else None
                if _written_in_words(name.written) and _stands_as_subject(article, name, before):
                    found.append(name)
    return found


def _name_at_start(tokens: list[_Token], article: str) -> CcgMention | None:
    """The longest table name that starts with `tokens[0]` (without its suffix)."""
    for end in range(min(_MAX_NAME_WORDS, len(tokens)), 0, -1):
        last_word = tokens[end - 1].text.lower()
        if last_word in _LOWER_OK or last_word in _AFFIX_WORDS:
            continue
        first, last = tokens[0].start, tokens[end - 1].end
        rows = matching_rows(name_words(article[first:last]))
        if len(rows) == 1:
            return CcgMention(first, last, article[first:last], rows[0])
    return None


def _named_after_nhs(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for nhs in re.finditer(r"\bNHS\s+(?=[A-Z])", article):
        tokens = _tokens(article[nhs.end() : nhs.end() + 120], nhs.end())
        name = _name_at_start(tokens, article)
        if name is not None:
            found.append(
                CcgMention(nhs.start(), name.end, article[nhs.start() : name.end], name.reference)
            )
    return found


def _named_in_list_lines(article: str) -> list[CcgMention]:
    found: list[CcgMention] = []
    for line in _LIST_LINE.finditer(article):
        name = line.group("name").strip()
        if not name or len(name) > 80:
            continue
        reference = link_ccg(name)
        if reference is not None:
            start = line.start("name") + line.group("name").index(name)
            found.append(CcgMention(start, start + len(name), name, reference))
    return found


def find_ccg_mentions(article: str) -> list[CcgMention]:
    """Every mention of a CCG by name, in article order, overlapping finds merged."""
    mentions = sorted(
        _named_before_suffixes(article)
        + _named_after_nhs(article)
        + _named_in_list_lines(article)
        + _named_in_sentence_lists(article)
        + _named_bare_as_subjects(article),
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
