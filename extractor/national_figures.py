"""National round-up figures: the model's, proven, and those the national sentences write.

A national sentence (one of `signposts.national_figure_sentences`, about all CCGs in
England: it says England, national or the country, or counts over 100 CCGs) is read by its
shape: a share ("46%", "39 per cent") or a count ("21 were rated outstanding", "98 good")
belongs to the first rating written after it, before the next figure; a number of CCGs
followed by "assessed", "analysed" or "in England" is the number assessed. A change ("down
4%", "up by 2 points") is none of these. The model's figures are checked against the same
sentences (`crosscheck.national_figure_stated`); these fill in what it left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extractor.answer import AnswerNational
from extractor.article_facts import mentions_number
from extractor.ccg_mentions import ccgs_in
from extractor.crosscheck import national_figure_stated
from extractor.grounder import INSTRUCTIONS_TO_AI, Grounder
from extractor.grounding import locate, widen_to_sentence
from extractor.injection import within_instructions
from extractor.normalize import _NUMBER_WORDS, normalize_year, years_in
from extractor.rating_terms import rating_terms
from extractor.schema import Evidence, National, Rating
from extractor.sentences import Sentence, split_sentences

__all__ = ["NationalFigures", "grounded_national", "read_national_figures"]

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
        trial = NationalFigures(
            dict(figures.shares), dict(figures.counts), figures.assessed, dict(figures.sources)
        )
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


def grounded_national(raw: AnswerNational | None, grounder: Grounder) -> National | None:
    """National figures: the model's, each kept only when a national sentence states it for
    its rating, and those the national sentences write that it left out (`read_national_
    figures`); none when no share or count of a rating is stated."""
    read = read_national_figures(grounder.article)
    mark = len(grounder.dropped)
    evidence = grounder.find(raw.evidence, "national") if raw is not None else None
    shares: dict[Rating, float] = {}
    counts: dict[Rating, int] = {}
    assessed = None
    if raw is not None:
        shares, counts, assessed = _stated_by_model(raw, grounder)
    for rating, share in read.shares.items():
        shares.setdefault(rating, share)
    for rating, count in read.counts.items():
        counts.setdefault(rating, count)
    if assessed is None and (shares or counts):
        assessed = read.assessed
    if not shares and not counts and assessed is None:
        if evidence is not None and raw is not None:
            grounder.drop("national", raw.evidence, "no national figures stated")
        return None
    if raw is not None and evidence is None and grounder.dropped[mark].reason == INSTRUCTIONS_TO_AI:
        return None  # words inside a passage addressed to AI systems: not trusted at all
    sources = _sources(grounder, read, shares, counts, assessed)
    if evidence is None:
        if not sources:
            return None
        evidence = min(sources.values(), key=lambda e: e.start)
        if raw is not None and len(grounder.dropped) > mark:
            del grounder.dropped[mark]  # the model's evidence failed; the sentence holds
    national_text = " ".join(grounder.national_sentences)
    written = years_in(national_text) or years_in(grounder.article)
    year = normalize_year(raw.year) if raw is not None else None
    covered = _stated_figures(evidence.quote, shares, counts, assessed)
    further = {
        e.start: e
        for label, e in sorted(sources.items(), key=lambda item: item[1].start)
        if label not in covered and e.start != evidence.start
    }
    return National(
        year=year or (written[0] if written else None),
        ccgs_assessed=assessed,
        share_by_rating=shares,
        count_by_rating=counts,
        evidence=evidence,
        further_evidence=[further[start] for start in sorted(further)],
    )


def _stated_by_model(
    raw: AnswerNational, grounder: Grounder
) -> tuple[dict[Rating, float], dict[Rating, int], int | None]:
    """The model's shares, counts and number assessed that a national sentence states."""
    shares: dict[Rating, float] = {}
    counts: dict[Rating, int] = {}
    for rating in Rating:
        for prefix, into in (("percent", shares), ("count", counts)):
            value = getattr(raw, f"{prefix}_{rating.value}")
            if value is None:
                continue
            percent = prefix == "percent"
            if national_figure_stated(
                grounder.national_sentences, value, rating.value, percent=percent
            ):
                into[rating] = value
            else:
                kind = "share" if percent else "number"
                reason = f"no national sentence gives it as the {kind} of CCGs rated {rating.value}"
                grounder.drop(f"national.{prefix}_{rating.value}", str(value), reason)
    assessed = raw.ccgs_assessed
    national_text = " ".join(grounder.national_sentences)
    if assessed is not None and not mentions_number(national_text, float(assessed)):
        # a local count ("four clinical commissioning groups in Lakeshire") is not national
        reason = "no national sentence states this number of CCGs"
        grounder.drop("national.ccgs_assessed", str(assessed), reason)
        assessed = None
    return shares, counts, assessed


def _sources(
    grounder: Grounder,
    read: NationalFigures,
    shares: dict[Rating, float],
    counts: dict[Rating, int],
    assessed: int | None,
) -> dict[str, Evidence]:
    """For each kept figure, the first sentence that states it: a national sentence of the
    model's kind, else the sentence it was read from."""
    sources: dict[str, Evidence] = {}
    for sentence in grounder.national_sentences:
        for label in _stated_figures(sentence, shares, counts, assessed):
            if label in sources:
                continue
            located = locate(sentence, grounder.article)
            if located is not None:
                start, end = widen_to_sentence(grounder.article, located.start, located.end)
                sources[label] = Evidence(quote=grounder.article[start:end], start=start, end=end)
    kept = _labelled(shares, counts, assessed)
    read_values = _labelled(read.shares, read.counts, read.assessed)
    for label, evidence in read.sources.items():
        if label not in sources and label in kept and kept[label] == read_values.get(label):
            sources[label] = evidence
    return sources


def _labelled(
    shares: dict[Rating, float], counts: dict[Rating, int], assessed: int | None
) -> dict[str, float]:
    """The figures by label: "share good", "count inadequate", "assessed"."""
    labelled = {f"share {rating.value}": value for rating, value in shares.items()}
    labelled.update({f"count {rating.value}": float(value) for rating, value in counts.items()})
    if assessed is not None:
        labelled["assessed"] = float(assessed)
    return labelled


def _stated_figures(
    sentence: str,
    shares: dict[Rating, float],
    counts: dict[Rating, int],
    assessed: int | None,
) -> set[str]:
    """Which of the kept figures ("share good", "count inadequate", "assessed") the sentence
    states."""
    stated = {
        f"{'share' if percent else 'count'} {rating.value}"
        for percent, figures in ((True, shares), (False, counts))
        for rating, value in figures.items()
        if national_figure_stated([sentence], value, rating.value, percent=percent)
    }
    if assessed is not None and mentions_number(sentence, float(assessed)):
        stated.add("assessed")
    return stated
