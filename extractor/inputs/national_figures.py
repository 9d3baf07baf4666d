"""National round-up figures as the national sentences write them (`proof.national` proves
the model's against the same sentences and fills in what it left out).

A national sentence (one of `signposts.national_figure_sentences`, about all CCGs in
England: it says England, national or the country, or counts over 100 CCGs) is read by its
shape: a share ("46%", "39 per cent") or a count ("21 were rated outstanding", "98 good")
belongs to the first rating written after it, before the next figure; a number of CCGs
followed by "assessed", "analysed" or "in England" is the number assessed. A change ("down
4%", "up by 2 points") is none of these. Counts read after a national sentence are kept
when they complete its total (every rating counted, adding up to the number assessed).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from extractor.names.mentions import ccgs_in
from extractor.schema import Evidence, Rating
from extractor.text.dates_and_numbers import _NUMBER_WORDS
from extractor.text.injection import within_instructions
from extractor.text.rating_terms import rating_terms
from extractor.text.sentences import Sentence, split_sentences

__all__ = ["NationalFigures", "read_national_figures"]

_NATIONAL = re.compile(
    r"(?<!NHS )\bEngland\b|\b(?:national(?:ly)?|nationwide|country)\b", re.IGNORECASE
)
_SHARE_OF_CCGS = re.compile(
    r"(?:%|per ?cent)\s*\)?\s*of\s+(?:all\s+)?(?:the\s+)?(?:CCGs|clinical commissioning groups)",
    re.IGNORECASE,
)
_COUNTED_WORDS = [
    word for word, value in _NUMBER_WORDS.items() if 1 < value < 50 or word == "fifty"
]
"""Number words a count may be written in ("nine were rated inadequate"); not "one" (a
pronoun as often as a number) or "half"."""
_NUMBER = re.compile(
    r"(?<![\w.,£$/-])(?P<value>\d{1,3}(?:\.\d+)?|"
    + "|".join(sorted((re.escape(w) for w in _COUNTED_WORDS), key=len, reverse=True))
    + r")(?P<percent>\s*(?:%|per ?cent))?(?![\w.,]*\d)",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(?:up|down|by|rose|fell|from)\s*$", re.IGNORECASE)
_NOT_A_COUNT = re.compile(
    r"^\s*(?:m\b|million|bn|billion|per\b|points?|years?|months?|days?)", re.I
)
_ASSESSING = r"assessed|analysed|evaluated|rated|judged|graded|scored"
_ASSESSED = re.compile(
    r"^\s*(?:of\s+the\s+)?(?:\w+\s+){0,2}?(?:CCGs|clinical commissioning groups|groups)\s+"
    rf"(?:\w+\s+){{0,3}}?(?:{_ASSESSING}|in England|across England)",
    re.IGNORECASE,
)
_ALL_CCGS = re.compile(
    r"^\s*(?:CCGs|clinical commissioning groups)\b"
    r"(?=\s*(?:[.,;:)]|$)|\s+(?:in|across)\s+England\b)",
    re.IGNORECASE,
)
"""A hundred or more CCGs named and no more ("cover 207 CCGs.", "all 195 clinical
commissioning groups in England"): every CCG there is, the number assessed."""
_ASSESSED_BEFORE = re.compile(
    rf"\b(?:{_ASSESSING})\s+(?:all\s+)?$|\w+\s+of\s+(?:the|all)\s+$",
    re.I,
)


@dataclass
class NationalFigures:
    """What the national sentences write, with the sentence that writes each figure."""

    shares: dict[Rating, float] = field(default_factory=dict)
    counts: dict[Rating, int] = field(default_factory=dict)
    assessed: int | None = None
    sources: dict[str, Evidence] = field(default_factory=dict)
    """"share good", "count inadequate", "assessed" -> the sentence that writes it."""


def _value(text: str) -> float:
    lowered = text.lower()
    return float(_NUMBER_WORDS[lowered]) if lowered in _NUMBER_WORDS else float(text)


def _is_national(sentence: str) -> bool:
    """About all CCGs: it says England, national or the country, counts over 100, or gives
    a share of CCGs ("54% of clinical commissioning groups")."""
    large = any(_value(m.group("value")) >= 100 for m in _NUMBER.finditer(sentence))
    return large or bool(_NATIONAL.search(sentence) or _SHARE_OF_CCGS.search(sentence))


def read_national_figures(article: str) -> NationalFigures:
    """The shares, counts and number assessed that the article's national sentences write:
    a sentence about all of England, and a sentence of figures right after one."""
    figures = NationalFigures()
    previous_read = False
    sentences = split_sentences(article)
    national = [_is_national(s.text) for s in sentences]
    named = len(ccgs_in(article)) if any(national) else 0
    read: list[int] = []
    for index, (sentence, is_national) in enumerate(zip(sentences, national, strict=True)):
        if within_instructions(article, sentence.start, sentence.end):
            previous_read = False  # words addressed to AI systems prove nothing
        elif (
            is_national
            or previous_read
            or (any(national) and _counts_beyond_the_article(sentence.text, named))
        ):
            previous_read = _read(sentence, figures)
            read += [index] if previous_read else []
        else:
            previous_read = False
    _complete_the_total(article, sentences, read, figures)
    return figures


_TOTAL_REACH = 8
"""How many sentences after a national one may hold the counts that complete its total."""


def _complete_the_total(
    article: str, sentences: tuple[Sentence, ...], read: list[int], figures: NationalFigures
) -> None:
    """Read the sentences after a national one, up to `_TOTAL_REACH`, when their counts
    complete the national figures: with them there is a count for every rating, and the
    counts add up to the number assessed ("Twenty-three of the 195 ... inadequate. ... At
    the other end, twenty-one were rated outstanding, 99 good and 52 require improvement.";
    a table of the four ratings under "The ratings were distributed as follows."). The last
    rating's count may come later in the article, if it is exactly what is left ("Among the
    84 requiring improvement are ...")."""
    if figures.assessed is None or len(figures.counts) == len(Rating):
        return
    for index in read:
        trial = copy.deepcopy(figures)
        end = min(index + 1 + _TOTAL_REACH, len(sentences))
        for later in [n for n in range(index + 1, end) if n not in read]:
            sentence = sentences[later]
            if not within_instructions(article, sentence.start, sentence.end):
                _read(sentence, trial)
        missing = [rating for rating in Rating if rating not in trial.counts]
        if len(missing) == 1:
            _count_left(article, sentences[end:], missing[0], trial)
        if len(trial.counts) == len(Rating) and sum(trial.counts.values()) == trial.assessed:
            figures.shares, figures.counts, figures.sources = (
                trial.shares,
                trial.counts,
                trial.sources,
            )
            return


def _count_left(
    article: str, sentences: tuple[Sentence, ...], rating: Rating, trial: NationalFigures
) -> None:
    """Into `trial`, the first count of `rating` a later sentence gives that is exactly the
    number assessed less the other ratings' counts."""
    assert trial.assessed is not None
    left = trial.assessed - sum(trial.counts.values())
    for sentence in sentences:
        found = NationalFigures()
        if within_instructions(article, sentence.start, sentence.end):
            continue
        _read(sentence, found)
        if found.counts.get(rating) == left:
            trial.counts[rating] = left
            trial.sources[f"count {rating.value}"] = sentence.evidence
            return


_COUNT_OF_CCGS = re.compile(
    r"(?<![\w.,£$/-])(\d{1,3})\s+(?:CCGs|clinical commissioning groups)\b", re.IGNORECASE
)
_A_NAME = re.compile(
    r"\b(?!(?:CCGs?|NHS|England|Outstanding|Good|Inadequate|Requires|Improvement)\b)[A-Z][a-z]+"
)


def _counts_beyond_the_article(sentence: str, named: int) -> bool:
    """In an article with national figures, a sentence that counts more CCGs than the
    article names, names no place or body (no capitalised word after its first), and gives
    them a rating, counts nationally ("Altogether, 22 CCGs were rated outstanding")."""
    count = _COUNT_OF_CCGS.search(sentence)
    if count is None or int(count.group(1)) <= named or not rating_terms(sentence):
        return False
    after_first_word = sentence.strip().split(maxsplit=1)[-1]
    return _A_NAME.search(after_first_word) is None


def _read(sentence: Sentence, figures: NationalFigures) -> bool:
    """Read one sentence's figures into `figures`; True when it wrote any."""
    text = sentence.text
    fractions = [m.span() for m in _FRACTION.finditer(text)]  # "one in ten", "two in five"
    numbers = [
        n
        for n in _NUMBER.finditer(text)
        if not _CHANGE.search(text[: n.start()])
        and not any(start <= n.start() < end for start, end in fractions)
    ]
    terms = rating_terms(text)
    found = False
    for index, number in enumerate(numbers):
        value = _value(number.group("value"))
        percent = bool(number.group("percent"))
        after = text[number.end() :]
        if not percent and _NOT_A_COUNT.match(after):
            continue
        if (
            not percent
            and value >= 100
            and (
                _ASSESSED.match(after)
                or _ALL_CCGS.match(after)
                or _ASSESSED_BEFORE.search(text[: number.start()])
            )
        ):
            if figures.assessed is None:
                figures.assessed = int(value)
                figures.sources["assessed"] = sentence.evidence
            found = True
            continue
        rating = _rating_of(text, number, numbers[index + 1 :], terms)
        if rating is None:
            continue
        label = f"{'share' if percent else 'count'} {rating.value}"
        into: dict[Rating, Any] = figures.shares if percent else figures.counts
        if rating not in into and (percent or value.is_integer()):
            into[rating] = value if percent else int(value)
            figures.sources[label] = sentence.evidence
        found = True
    return found


def _rating_of(
    text: str, number: re.Match[str], later: list[re.Match[str]], terms: list[tuple[int, int, str]]
) -> Rating | None:
    """The rating a figure is given: the rating it is set against by a colon or a dash
    ("Outstanding: 24 CCGs", "Good \u2013 104"); else the first rating written after it,
    before the next figure ("21 were rated outstanding", "23 of the 191 groups
    outstanding"); else, for a figure after a colon or a dash, or a share in brackets, the
    rating just before it ("82 good (39%)", "the inadequate group - 12.6 per cent")."""
    rating: str | None = None
    before = [(start, end, r) for start, end, r in terms if end <= number.start()]
    if before and _SET_AGAINST.fullmatch(text[before[-1][1] : number.start()]):
        rating = before[-1][2]
    limit = len(text)
    for following in later:
        if _OF_THE_WHOLE.fullmatch(text[number.end() : following.start()]):
            continue  # "23 of the 191": the rating comes after the whole
        limit = following.start()
        break
    after = [r for at, _, r in terms if number.end() <= at < limit]
    gap = text[before[-1][0] : number.start()] if before else ""
    marks = r"[(|\u2013\u2014:-]" if number.group("percent") else r"[|\u2013\u2014:-]"
    if rating is None and after:
        rating = after[0]
    elif rating is None and before and len(gap) < 40 and re.search(marks, gap):
        rating = before[-1][2]
    return Rating(rating) if rating is not None and rating in Rating.__members__ else None


_OF_THE_WHOLE = re.compile(
    r"\s+of\s+(?:the\s+|all\s+)?(?:(?:the\s+)?[A-Za-z]+['\u2019]s\s+)?", re.IGNORECASE
)
"""Between a part and its whole: "23 of the 191", "23 of England's 209"."""
_FRACTION = re.compile(
    rf"\b(?:{'|'.join(_COUNTED_WORDS)}|one|\d{{1,2}})\s+in\s+(?:{'|'.join(_COUNTED_WORDS)}|\d{{1,2}})\b",
    re.IGNORECASE,
)
"""A fraction in words ("one in ten", "two in five"): no count of CCGs."""
_SET_AGAINST = re.compile(r"\s*(?:\([^)]{0,30}\)\s*)?[:|\u2013\u2014-]\s*")
"""Between a rating and its figure in a list of pairs or a table row: a colon, a dash or a
cell's edge."""
