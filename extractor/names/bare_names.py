"""Rule 4 of `names.mentions`: a bare table name as the subject of a rating sentence, in an
article that speaks of CCGs ("In the North West, Bolton, Bury and Wigan Borough were rated
good").

The name stands where a subject stands, after a comma, a function word or the sentence's
start (not after a preposition), and before a verb, a comma or the sentence's end, so a
place ("on the Isle of Wight") or a place name that qualifies a noun ("Stockport
residents", "Greater Manchester") is not a mention; a name whose rating is its subject
("Barnet's rating was unchanged"), a name before "requires improvement" ("South Tees
requires improvement"), a later member of a list whose verb is left out ("... rated
outstanding and Kernow inadequate") and a list after "with" that a verb of rating follows
("..., with Bury and Oldham both rated good") are.
"""

from __future__ import annotations

import re

from extractor.names.tokens import (
    AFFIX_WORDS,
    LOWER_OK,
    NOT_A_NAME,
    SUFFIX,
    WORD,
    CcgMention,
    Token,
    capitalised_runs,
    table_names_in,
)
from extractor.text.phrases import OVERALL_RATINGS
from extractor.text.rating_terms import RATING_VERBS, rating_terms

__all__ = ["named_bare_as_subjects"]

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
_CLAUSE_END = re.compile(r"\s*(?:[,.;)]|\band\b|$)", re.IGNORECASE)


_AFTER_SUBJECT = re.compile(r"\s*(?P<next>[,.;:!?()\n\u2013\u2014-]|[a-z]+|$)")


_RATED_AFTER = re.compile(
    rf"\s+(?:(?:all|both|each|now|also)\s+)?(?:{'|'.join(RATING_VERBS)}|requires?\s+improvement)\b"
)
"""A list of names after "with" followed by a verb that rates is the subject of a clause of
its own ("..., with Bury and Oldham both rated good"), not the object of the preposition."""


def _stands_as_subject(article: str, name: CcgMention, before: Token | None, list_end: int) -> bool:
    """Whether a bare name sits where a sentence's subject sits (see rule 4); `list_end` is
    where the list of names it belongs to ends."""
    if before is not None:
        gap = article[before.end : name.start]
        word = before.text.lower()
        if "," not in gap and word not in LOWER_OK and word not in NOT_A_NAME:
            return False  # "Greater Manchester": the name is part of a longer one
    preposition = _PREPOSITION.search(article, max(0, name.start - 20), name.start)
    if preposition is not None:  # "Health chiefs on the Isle of Wight": a place, not the
        # subject; but "..., with Bury rated good": the subject of a clause of its own
        with_alone = re.fullmatch(r"with\s+", preposition.group(), re.IGNORECASE) is not None
        return with_alone and _RATED_AFTER.match(article, list_end) is not None
    if _POSSESSIVE_RATING.match(article, name.end):
        return True  # "Barnet's rating was unchanged"
    if _gapped_rating(article, name.end) and _after_a_rated_clause(article, name.start):
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


def _gapped_rating(article: str, end: int) -> bool:
    """Whether an overall rating follows the name ending at `end` straight away and ends its
    clause: a later member of a list whose verb is left out ("... was rated outstanding and
    Kernow inadequate")."""
    window = article[end : end + 40]
    terms = rating_terms(window)
    if not terms or window[: terms[0][0]].strip() or terms[0][2] not in OVERALL_RATINGS:
        return False
    return _CLAUSE_END.match(window, terms[0][1]) is not None


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
    words = [w for w in WORD.findall(written) if w.lower() not in LOWER_OK]
    return all(
        not w.isupper() and (len(w) > 2 or (w[1:].islower() and i < len(words) - 1))
        for i, w in enumerate(words)
    )


def _split_at_clauses(article: str, run: list[Token]) -> list[list[Token]]:
    """A run cut where a comma is followed by a lower-case word (", with NHS England ..."):
    a new clause, not the next name of a list ("Bolton, Bury and Wigan Borough")."""
    pieces: list[list[Token]] = [[]]
    for index, token in enumerate(run):
        if index and token.text[0].islower() and "," in article[run[index - 1].end : token.start]:
            pieces.append([])
        pieces[-1].append(token)
    return [piece for piece in pieces if piece]


def _possessive_name(token: Token, article: str) -> Token:
    """A name with "'s" before its rating ("Barnet's rating") stands for the name."""
    if token.text[-2:] in ("'s", "\u2019s") and _POSSESSIVE_RATING.match(article, token.end - 2):
        return Token(token.start, token.end - 2, token.text[:-2])
    return token


def _after_last_affix(run: list[Token]) -> list[Token]:
    """The words after the run's last "CCG(s)" or "Clinical Commissioning Group(s)": names
    before an affix are rule 1's."""
    for index in range(len(run) - 1, -1, -1):
        if run[index].text.lower() in AFFIX_WORDS or run[index].text.lower() == "nhs":
            return run[index + 1 :]
    return run


def named_bare_as_subjects(article: str) -> list[CcgMention]:
    """Rule 4: bare table names standing as the subject of a sentence that states a rating."""
    if not SUFFIX.search(article):
        return []
    found: list[CcgMention] = []
    for sentence in re.finditer(r"[^.!?\n]+", article):
        if not rating_terms(sentence.group()):
            continue
        runs = capitalised_runs(article, sentence.start(), sentence.end())
        for piece in (piece for whole in runs for piece in _split_at_clauses(article, whole)):
            run = _after_last_affix([_possessive_name(token, article) for token in piece])
            names = table_names_in(run, article)
            for name in names:
                index = next(i for i, token in enumerate(run) if token.start == name.start)
                before = run[index - 1] if index else None
                if _written_in_words(name.written) and _stands_as_subject(
                    article, name, before, names[-1].end
                ):
                    found.append(name)
    return found
