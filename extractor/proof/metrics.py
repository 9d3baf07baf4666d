"""Prove the metrics: the figures the model quotes, their units, and counts of indicators in
a band, which code reads itself.

- **A figure** the model quotes is kept only when its evidence is found and writes the
  value (in figures or in words), not as the number of its paragraph ("1.2 Each CCG ...");
  a count of CCGs or of ratings, a count of people, and a figure for all CCGs in a
  national sentence are no metric; a CCG named for it must be
  named in the article (`grounded_metrics`).
- **Its unit** is the guidelines' (`unit_and_name`): a figure the model gave no unit takes
  the one its sentence writes beside it: "%" after it ("70.2 per cent", "72.4%"), money
  around it ("£5.3m", "£850,000", "£2bn"). A count given "out of" a total that is no scale
  ("2,310 out of 4,100") has no unit; the total goes in its name ("(of 4100)"). A score on
  a scale of 5, 10 or 100 keeps it.
- **Counts of indicators in a band** (`band_counts`): the assessment reports how many of a
  CCG's indicators fell in a band of CCGs nationally, in one of two fixed forms: a count
  out of a total ("in the top quarter on 21 of the 44 outcome indicators", "met 7 out of
  12 of the framework's cancer indicators", "improved against 10 of 11 key measures"), or
  a bare count in a sentence that names a band ("in the bottom quartile on four
  indicators", "top decile across 14 different elements of its performance"). The model
  reads these poorly (the value 1 with the unit "quarter", the total as the unit "out of
  29"), and their form is fixed, so code reads them: the count is the value, with no unit,
  and the name says what is counted, out of how many and in which band, as the guidelines
  ask. What is counted must be a thing the framework measures (indicators, measures,
  metrics, targets, standards; elements and areas only beside a band), never CCGs. For the
  narrow questions, a sentence's band counts replace the model's figures of the same value
  there (`with_band_counts`).
- **The sentences asked about** (`figure_sentences`) write a figure that is not a year, a
  date or a paragraph number (one or two digits at a time before a capital: a figure that
  opens a sentence, "82 per cent of women ...", is a figure), and are neither national
  round-up sentences nor words addressed to AI systems.
- **Whose figure** (narrow questions): the CCG the model names, when the sentence speaks of
  it (names it, follows it, or the article has no other); else the one CCG the sentence
  names or follows (`ccg_spoken_of`); a band count belongs to the one CCG its sentence, or
  the nearest sentence before it in its paragraph, names (`one_ccg_spoken_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.answer.article import AnswerMetric, ArticleAnswer
from extractor.inputs.reading import ArticleReading, read_article
from extractor.names.context import CcgContext, ccg_key
from extractor.names.reference_table import normalize_ccg
from extractor.proof.sentence_tools import Grounder, Prover
from extractor.schema import Metric
from extractor.text.dates_and_numbers import (
    NUMBER_IN_WORDS,
    count_of,
    in_figures,
    mentions_number,
    number_forms,
)
from extractor.text.injection import within_instructions
from extractor.text.phrases import CCG_WORDS
from extractor.text.sentences import Sentence, split_sentences

__all__ = [
    "BandCount",
    "band_counts",
    "ccg_spoken_of",
    "figure_sentences",
    "grounded_metrics",
    "one_ccg_spoken_of",
    "unit_and_name",
    "with_band_counts",
]

_SPEAKS_OF = ("own", "follow", "only")
"""How a sentence must speak of a CCG for its figures to be the CCG's."""

_PEOPLE = re.compile(
    r"(?:people|persons|residents|patients|population|inhabitants|staff|members)", re.IGNORECASE
)
_COUNT_OF_CCGS = re.compile(rf"\s*({CCG_WORDS})\s*", re.IGNORECASE)
_OF_RATINGS_COUNT = re.compile(
    r"\b(?:ratings?|rated|outstanding|inadequate|requires improvement|tally|ccgs|"
    r"commissioning groups|framework)\b",
    re.IGNORECASE,
)


def grounded_metrics(answer: ArticleAnswer, grounder: Grounder) -> list[Metric]:
    """Quoted figures whose evidence writes the value, minus counts and national figures."""
    metrics: list[Metric] = []
    seen: set[tuple[float, int]] = set()
    for i, raw in enumerate(answer.metrics):
        path = f"metrics[{i}]"
        evidence = grounder.find(raw.evidence, path)
        if evidence is None:
            continue
        unit, name = unit_and_name(raw.value, raw.unit, raw.name.strip(), evidence.quote)
        raw = raw.model_copy(update={"unit": unit, "name": name})
        if _COUNT_OF_CCGS.search(raw.unit or "") or _COUNT_OF_CCGS.fullmatch(raw.name.strip()):
            grounder.drop(path, raw.evidence, "a count of CCGs is a national figure, not a metric")
            continue
        if (
            not (raw.unit or "").strip()
            and raw.value.is_integer()
            and _OF_RATINGS_COUNT.search(raw.name)
        ):
            grounder.drop(path, raw.evidence, "a count of ratings or CCGs is no metric")
            continue
        if _PEOPLE.fullmatch((raw.unit or "").strip()):
            grounder.drop(path, raw.evidence, "a count of people measures no performance")
            continue
        national = " ".join(evidence.quote.split()) in grounder.national_sentences
        if national and _counts_rated_ccgs(evidence.quote, raw.value):
            grounder.drop(path, raw.evidence, "a figure for all CCGs is a national figure")
            continue
        if not mentions_number(without_paragraph_number(evidence.quote), raw.value):
            grounder.drop(path, raw.evidence, f"value {raw.value:g} is not in its evidence")
            continue
        if (raw.value, evidence.start) in seen:
            continue
        seen.add((raw.value, evidence.start))
        ccg = normalize_ccg(raw.ccg).name if raw.ccg and raw.ccg.strip() else None
        if ccg is not None and raw.ccg is not None and not grounder.article_names_ccg(raw.ccg):
            grounder.drop(f"{path}.ccg", raw.ccg, "CCG not named in the article")
            ccg = None
        metrics.append(
            Metric(
                name=raw.name.strip(), value=raw.value, unit=raw.unit, ccg=ccg, evidence=evidence
            )
        )
    return metrics


_RATED_OR_CCGS = re.compile(
    rf"[^\d;]{{0,40}}?\b(?:{CCG_WORDS}|groups|outstanding|good|requires? improvement|"
    r"inadequate)\b",
    re.IGNORECASE,
)
_RATED_BEFORE = re.compile(
    rf"\b(?:{CCG_WORDS}|groups|outstanding|good|requires? improvement|inadequate)\b"
    r"[^\d,;.]{0,30}$",
    re.IGNORECASE,
)


def _counts_rated_ccgs(sentence: str, value: float) -> bool:
    """The sentence writes `value` as a count or share of CCGs: followed, with no other
    number between, by a CCG word or a rating ("191 CCGs", "12% were rated outstanding",
    "that is 21 outstanding CCGs"), or right after one in its clause ("the proportion rated
    'inadequate' is down 4%"); not a CCG's own figure in a sentence that also rates it
    ("requires improvement, ..., with 62.1 per cent of people ... receiving a diagnosis")."""
    lowered = sentence.lower()
    for form in number_forms(value):
        pattern = in_figures(form) + r"\s*(?:%|per ?cent)?"
        for match in re.finditer(pattern, lowered):
            before = lowered[max(0, match.start() - 40) : match.start()]
            if _RATED_OR_CCGS.match(lowered, match.end()) or _RATED_BEFORE.search(before):
                return True
    return False


_SCALES = frozenset({5, 10, 100})
_OUT_OF_A_TOTAL = re.compile(r"\s*(?:out\s+)?of\s+(?:the\s+)?(\d[\d,]*)\s*", re.IGNORECASE)
_PERCENT_AFTER = r"\s*(?:%|per\s?cent\b|percent\b)"
_MONEY_AFTER = r"\s*(?P<size>m\b|million\b|bn\b|billion\b)?"


def _unit_written(value: float, sentence: str) -> str | None:
    """The unit written beside `value` in `sentence`, when there is exactly one."""
    units: set[str] = set()
    for form in number_forms(value):
        if not form[0].isdigit():
            continue
        figure = in_figures(form)
        if re.search(figure + _PERCENT_AFTER, sentence, re.IGNORECASE):
            units.add("%")
        for money in re.finditer(r"£\s*" + figure + _MONEY_AFTER, sentence, re.IGNORECASE):
            size = (money.group("size") or "").lower()
            units.add("£ billion" if size.startswith("b") else "£ million" if size else "£")
    return units.pop() if len(units) == 1 else None


def unit_and_name(
    value: float, unit: str | None, name: str, sentence: str
) -> tuple[str | None, str]:
    """The metric's unit and name: the model's, with a missing unit read from the sentence
    and a count's total moved from the unit into the name."""
    if not (unit or "").strip():
        return _unit_written(value, sentence), name
    total = _OUT_OF_A_TOTAL.fullmatch(unit or "")
    if total is not None and value.is_integer():
        whole = int(total.group(1).replace(",", ""))
        if whole not in _SCALES and value <= whole:
            return None, f"{name} (of {whole})"
    return unit, name


_NUMBER = rf"(?:\d{{1,3}}|{NUMBER_IN_WORDS})"
_MEASURED = r"indicators|measures|metrics|targets|standards"
_BESIDE_A_BAND = rf"{_MEASURED}|elements|areas"
_BAND = re.compile(
    r"\b(?:top|bottom|best|worst|highest|lowest)(?:[\s-]+performing)?\s+"
    r"(?:quarter|quartile|decile|tenth|fifth|third)\b",
    re.IGNORECASE,
)
_OUT_OF = re.compile(
    rf"(?<![\w.,£$])(?P<count>{_NUMBER})\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+)?"
    rf"(?:[\w-]+'s\s+)?(?P<total>\d{{1,3}})(?![\w.,%])\s+(?:of\s+the\s+(?:[\w-]+'s\s+)?)?"
    rf"(?P<what>(?:[\w&-]+\s+){{0,5}}?(?:{_MEASURED}))\b",
    re.IGNORECASE,
)
_BARE = re.compile(
    rf"\b(?:on|across|in|with|for)\s+(?:only\s+|just\s+)?(?P<count>{_NUMBER})(?![\w.,%])\s+"
    rf"(?P<what>(?:[\w&-]+\s+){{0,3}}?(?:{_BESIDE_A_BAND}))\b(?!\s+of\s+(?:the\s+)?\d)",
    re.IGNORECASE,
)
_NOT_MEASURED = re.compile(r"\b(?:ccgs?|groups?|commissioners?|commissioning)\b", re.I)


@dataclass(frozen=True)
class BandCount:
    """One count of indicators: the value, what is counted and out of how many."""

    count: int
    total: int | None
    name: str


def _nearest_band(text: str, start: int, end: int) -> str | None:
    """The band named nearest the count written from `start` to `end`, before or after."""

    def distance(band: re.Match[str]) -> int:
        return start - band.end() if band.end() <= start else max(band.start() - end, 0)

    bands = sorted(_BAND.finditer(text), key=distance)
    return " ".join(bands[0].group(0).lower().split()) if bands else None


def _name(what: str, total: int | None, band: str | None) -> str:
    name = " ".join(what.lower().split())
    if total is not None:
        name += f" (of {total})"
    return f"{name} in the {band}" if band else name


def band_counts(sentence: str) -> list[BandCount]:
    """The counts of indicators in a band that `sentence` writes, in sentence order."""
    found: dict[int, BandCount] = {}
    has_band = _BAND.search(sentence) is not None
    for match in _OUT_OF.finditer(sentence):
        if _NOT_MEASURED.search(match.group("what")):
            continue
        count, total = count_of(match.group("count")), int(match.group("total"))
        if 0 < count <= total:
            band = _nearest_band(sentence, match.start(), match.end())
            found[match.start()] = BandCount(count, total, _name(match.group("what"), total, band))
    if has_band:
        for match in _BARE.finditer(sentence):
            start = match.start("count")
            if start in found or _NOT_MEASURED.search(match.group("what")):
                continue
            count = count_of(match.group("count"))
            band = _nearest_band(sentence, start, match.end())
            if count > 1:
                found[start] = BandCount(count, None, _name(match.group("what"), None, band))
    return [found[at] for at in sorted(found)]


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"


_NOT_A_FIGURE = re.compile(
    rf"\b(?:19|20)\d\d(?:\s*[/-]\s*\d{{2,4}})?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\b"
    rf"|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?(?:[ \t]+(?=[A-Z(])|\s*$)")
"""A paragraph's or heading's number ("2.3 All four CCGs ...", "4 Finance", "3."): one or
two digits at a time, then a capital or nothing. A figure that opens a sentence is followed
by its unit or a lower-case word ("82 per cent of women ...")."""


def without_paragraph_number(text: str) -> str:
    """`text` without the number of its paragraph or heading, if it opens with one."""
    return _PARAGRAPH_NUMBER.sub(" ", text, count=1)


_FIGURE = re.compile(r"(?<![\w-])\d")


def figure_sentences(
    article: str, *, in_words_too: bool = False, reading: ArticleReading | None = None
) -> list[Sentence]:
    """Sentences that write a figure that is not a year, a date or a paragraph number, and
    are not national round-up sentences (those the article's `reading` takes its national
    figures from; read here when not given) nor words addressed to AI systems. A figure is
    written in digits; with `in_words_too`, a sentence with no digit may hold one too
    ("on four indicators")."""
    sources = (reading or read_article(article)).national_figures.sources
    national = {e.start for e in sources.values()}
    return [
        sentence
        for sentence in split_sentences(article)
        if sentence.start not in national
        and (
            in_words_too
            or _FIGURE.search(_NOT_A_FIGURE.sub(" ", without_paragraph_number(sentence.text)))
        )
        and not within_instructions(article, sentence.start, sentence.end)
    ]


def ccg_spoken_of(contexts: list[CcgContext], number: int, said: str | None) -> str | None:
    """The CCG a figure of sentence `number` belongs to: the model's, when the sentence
    speaks of it (names it, follows it, or the article has no other); else the one CCG the
    sentence names or follows; a figure the model gave no CCG stays the area's."""
    if said is None:
        return None
    near = [c for c in contexts if c.relations.get(number) in _SPEAKS_OF]
    said_key = ccg_key(normalize_ccg(said))
    if not near or any(ccg_key(c.ccg) == said_key for c in near):
        return said
    return near[0].ccg.as_written if len(near) == 1 else said


def with_band_counts(
    metrics: list[AnswerMetric],
    numbers: list[int],
    text: str,
    contexts: list[CcgContext],
    reading: ArticleReading | None = None,
) -> list[AnswerMetric]:
    """The figures read from sentences `numbers`, with the counts of indicators in a band
    that code reads (`band_counts`) in place of the model's figures of the same value in
    the same sentence. A count belongs to the one CCG the sentence speaks of
    (`one_ccg_spoken_of`), else to the CCG the model gave the figure it replaces; a count
    with neither is left to the model. `reading` is the article's (`figure_sentences`)."""
    read = list(zip(numbers, metrics, strict=True))
    prover = Prover(text, contexts)
    for sentence in figure_sentences(text, in_words_too=True, reading=reading):
        counts = band_counts(sentence.text)
        if not counts:
            continue
        values = {float(c.count) for c in counts} | {float(c.total or 0) for c in counts}
        replaced = [m for n, m in read if n == sentence.number and m.value in values]
        ccg = one_ccg_spoken_of(prover, sentence.number)
        ccg = ccg or next((m.ccg for m in replaced if m.ccg), None)
        if ccg is None:
            continue
        read = [(n, m) for n, m in read if not (n == sentence.number and m.value in values)]
        read += [
            (
                sentence.number,
                AnswerMetric(
                    evidence=sentence.text, name=c.name, value=c.count, unit=None, ccg=ccg
                ),
            )
            for c in counts
        ]
    return [metric for _, metric in sorted(read, key=lambda pair: pair[0])]


def one_ccg_spoken_of(prover: Prover, number: int) -> str | None:
    """The one CCG sentence `number` speaks of, as written: the CCG it names; else the CCG
    named by the nearest sentence before it in its paragraph that names one ("It was in the
    top quarter ..."); else the article's only CCG. None when that sentence names several."""
    sentence = prover.sentence(number)
    for earlier in range(number, 0, -1):
        if prover.sentence(earlier).paragraph != sentence.paragraph:
            break
        named = {id(context): context for _, context in prover.named_in(earlier)}
        if named:
            return next(iter(named.values())).ccg.as_written if len(named) == 1 else None
    return prover.contexts[0].ccg.as_written if len(prover.contexts) == 1 else None
