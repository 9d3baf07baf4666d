"""Score extractions against gold, fact by fact.

Each document is turned into facts of several types (a CCG found, the assessment year, its
overall rating, each area rating, each indicator, metrics, quotes, national figures, the
published date).
Predicted facts are paired with gold facts, one to one; a pair is a true positive, a lone
predicted fact a false positive, a lone gold fact a false negative. Precision, recall and F1
come per fact type, per document and micro-averaged over everything.

Assessments are matched by CCG (its reference-table name when it has an ODS code or a name the
table knows, else the normalised name); the year is a fact of its own, and the ratings are
facts keyed by the CCG, so a rating on an unmatched CCG is simply wrong. (A CCG assessed for
two years in one document is keyed by CCG and year.) Metrics match on CCG, value (within
tolerance) and unit, and either the same sentence (the name is a free label: "money deficit"
and "shortfall against its control total" read from one sentence are one figure) or a loose
name check (similar names, or a content word in common: "deficits" is "deficit at the end of
2016/17" when the CCG, value and unit agree); quotes
match on speaker, or on role and organisation when the speaker is unnamed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from extractor.names.reference_table import canonical_key, reference_table
from extractor.schema import Assessment, Evidence, Extraction, Metric, Quote
from extractor.text.quote_search import normalize_with_map

__all__ = [
    "FACT_TYPES",
    "DocumentScore",
    "Fact",
    "Tally",
    "facts_of",
    "invented_ccgs",
    "score_document",
    "total",
]

FACT_TYPES = (
    "ccg",
    "year",
    "overall",
    "previous_overall",
    "area",
    "indicator",
    "financial_concerns",
    "metric",
    "quote",
    "national",
    "published",
)
METRIC_RELATIVE_TOLERANCE = 0.005
_NAME_SIMILARITY = 50.0
_PERSON_SIMILARITY = 80.0


@dataclass(frozen=True)
class Fact:
    """One checkable statement, e.g. ("area", "01X|2016/17", "cancer=good")."""

    type: str
    key: str
    value: str
    payload: object = field(default=None, compare=False, hash=False)

    @property
    def label(self) -> str:
        """Readable form for tables and diffs."""
        return f"{self.key} {self.value}".strip()


@dataclass
class Tally:
    """True positives, false positives and false negatives, with the facts behind them."""

    tp: list[Fact] = field(default_factory=list)
    fp: list[Fact] = field(default_factory=list)
    fn: list[Fact] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        predicted = len(self.tp) + len(self.fp)
        return len(self.tp) / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when gold has nothing."""
        expected = len(self.tp) + len(self.fn)
        return len(self.tp) / expected if expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (1.0 when both sides are empty)."""
        if not self.tp and not self.fp and not self.fn:
            return 1.0
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Tally) -> None:
        """Accumulate another tally (micro-averaging)."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class DocumentScore:
    """Per-type tallies for one document."""

    doc_id: str
    by_type: dict[str, Tally]

    @property
    def overall(self) -> Tally:
        """All fact types of this document together."""
        return total(self.by_type.values())


def total(tallies: Iterable[Tally]) -> Tally:
    """Micro-average: the sum of several tallies."""
    result = Tally()
    for tally in tallies:
        result.add(tally)
    return result


@lru_cache(maxsize=1)
def _reference_names_by_code() -> dict[str, str]:
    return {reference.ods_code: reference.name for reference in reference_table().values()}


def _ccg_name(assessment: Assessment) -> str:
    """A CCG is named from the reference table: by its ODS code when it has a known one (so
    two sides with the same code match whatever names they give), else by its name when the
    table knows that name (so a code on one side only does not prevent a match); any other
    CCG is compared by its normalised name."""
    ccg = assessment.ccg
    key = canonical_key(ccg.name)
    reference = reference_table().get(key)
    return _reference_names_by_code().get(ccg.ods_code or "") or (
        reference.name if reference else key
    )


def _assessment_keys(assessments: list[Assessment]) -> list[str]:
    """Each assessment's key: its CCG, with the year when the CCG is assessed twice."""
    names = [_ccg_name(assessment) for assessment in assessments]
    return [
        f"{name} {assessment.year or '(no year)'}" if names.count(name) > 1 else name
        for name, assessment in zip(names, assessments, strict=True)
    ]


def facts_of(extraction: Extraction | None) -> dict[str, list[Fact]]:
    """All facts of an extraction, by fact type."""
    facts: dict[str, list[Fact]] = {name: [] for name in FACT_TYPES}
    if extraction is None:
        return facts
    keys = _assessment_keys(extraction.assessments)
    for key, assessment in zip(keys, extraction.assessments, strict=True):
        facts["ccg"].append(Fact("ccg", key, ""))
        if assessment.year is not None:
            facts["year"].append(Fact("year", key, f"year={assessment.year}"))
        if assessment.overall is not None:
            facts["overall"].append(Fact("overall", key, f"overall={assessment.overall.value}"))
        if assessment.previous_overall is not None:
            value = f"previous={assessment.previous_overall.value}"
            facts["previous_overall"].append(Fact("previous_overall", key, value))
        for area in assessment.areas:
            value = f"{area.area.value}={area.rating.value}"
            facts["area"].append(Fact("area", key, value))
        for indicator in assessment.indicators:
            facts["indicator"].append(
                Fact("indicator", key, f"{indicator.name}={indicator.rating}", indicator.name)
            )
        if assessment.financial_concerns is not None:
            value = f"financial_concerns={str(assessment.financial_concerns).lower()}"
            facts["financial_concerns"].append(Fact("financial_concerns", key, value))
    for metric in extraction.metrics:
        value = f"{metric.name}: {metric.value:g} {metric.unit or ''}".strip()
        facts["metric"].append(Fact("metric", metric.ccg or "(system)", value, metric))
    speakers: dict[str, Fact] = {}
    for quote in extraction.quotes:
        fact = Fact("quote", "", _speaker_label(quote), quote)
        speakers.setdefault(fact.value.lower(), fact)
    facts["quote"] = list(speakers.values())
    if extraction.national is not None:
        national = extraction.national
        if national.year:
            facts["national"].append(Fact("national", "", f"year={national.year}"))
        if national.ccgs_assessed is not None:
            facts["national"].append(Fact("national", "", f"assessed={national.ccgs_assessed}"))
        for rating, share in national.share_by_rating.items():
            facts["national"].append(Fact("national", "", f"share {rating.value}={share:g}%"))
        for rating, count in national.count_by_rating.items():
            facts["national"].append(Fact("national", "", f"count {rating.value}={count}"))
    if extraction.published is not None:
        facts["published"].append(Fact("published", "", extraction.published.isoformat()))
    return facts


def _speaker_label(quote: Quote) -> str:
    if quote.speaker:
        return quote.speaker
    parts = [quote.role or "unnamed", quote.organisation or ""]
    return " / ".join(p for p in parts if p)


def _words(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower())


def _stems(text: str) -> set[str]:
    """Content words of a name without a plural "s" ("deficits" -> "deficit")."""
    return {
        word[:-1] if word.endswith("s") and len(word) > 4 else word
        for word in _words(text).split()
        if len(word) >= 4
    }


def _same_indicator(gold: Fact, predicted: Fact) -> bool:
    if gold.key != predicted.key:
        return False
    gold_name, gold_rating = gold.value.rsplit("=", 1)
    name, rating = predicted.value.rsplit("=", 1)
    if gold_rating != rating:
        return False
    return fuzz.token_set_ratio(_words(gold_name), _words(name)) >= 70.0


def _same_metric(gold: Fact, predicted: Fact) -> bool:
    g, p = gold.payload, predicted.payload
    if not isinstance(g, Metric) or not isinstance(p, Metric):
        return False
    tolerance = max(abs(g.value) * METRIC_RELATIVE_TOLERANCE, 1e-9)
    if abs(g.value - p.value) > tolerance:
        return False
    if _unit_key(g.unit) != _unit_key(p.unit):
        return False
    if g.evidence and p.evidence and _overlap(g.evidence, p.evidence):
        return True  # the same value of the same CCG read from the same sentence
    similar = fuzz.token_set_ratio(_words(g.name), _words(p.name)) >= _NAME_SIMILARITY
    return similar or bool(_stems(g.name) & _stems(p.name))


def _overlap(a: Evidence, b: Evidence) -> bool:
    return a.start < b.end and b.start < a.end


def _unit_key(unit: str | None) -> str:
    text = (unit or "").lower().replace("per cent", "%").replace("percent", "%")
    text = text.replace("pounds", "£").replace("gbp", "£")
    text = re.sub(r"\bper\s+", "/", text)  # "per 100,000 people" is "/100,000"
    text = re.sub(r"\b(?:people|population|patients|residents|head)\b", "", text)
    return re.sub(r"[^a-z0-9%£/]+", "", text)


def _same_speaker(gold: Fact, predicted: Fact) -> bool:
    g, p = gold.payload, predicted.payload
    if not isinstance(g, Quote) or not isinstance(p, Quote):
        return gold.value.lower() == predicted.value.lower()
    if g.speaker and p.speaker:
        return fuzz.token_set_ratio(_words(g.speaker), _words(p.speaker)) >= _PERSON_SIMILARITY
    if g.speaker or p.speaker:
        return False
    role = not (g.role or p.role) or (
        fuzz.token_set_ratio(_words(g.role or ""), _words(p.role or "")) >= 60.0
    )
    organisation = fuzz.token_set_ratio(
        _words(g.organisation or ""), _words(p.organisation or "")
    ) >= 60.0 or not (g.organisation and p.organisation)
    return role and organisation


def _exact(gold: Fact, predicted: Fact) -> bool:
    return gold == predicted


_MATCHERS: dict[str, Callable[[Fact, Fact], bool]] = {
    "indicator": _same_indicator,
    "metric": _same_metric,
    "quote": _same_speaker,
}


def _pair(gold: list[Fact], predicted: list[Fact], same: Callable[[Fact, Fact], bool]) -> Tally:
    tally = Tally()
    unmatched = list(predicted)
    for fact in gold:
        match = next((p for p in unmatched if same(fact, p)), None)
        if match is None:
            tally.fn.append(fact)
        else:
            unmatched.remove(match)
            tally.tp.append(fact)
    tally.fp.extend(unmatched)
    return tally


def score_document(doc_id: str, gold: Extraction, predicted: Extraction | None) -> DocumentScore:
    """Tally every fact type of one document (an error record scores as predicting nothing)."""
    gold_facts, predicted_facts = facts_of(gold), facts_of(predicted)
    by_type = {
        name: _pair(gold_facts[name], predicted_facts[name], _MATCHERS.get(name, _exact))
        for name in FACT_TYPES
    }
    return DocumentScore(doc_id=doc_id, by_type=by_type)


def invented_ccgs(predicted: Extraction | None, article: str) -> list[str]:
    """Predicted CCGs whose name does not occur in the article at all."""
    if predicted is None:
        return []
    text = normalize_with_map(article)[0]
    key_text = f" {canonical_key(article)} "
    invented = []
    for assessment in predicted.assessments:
        written = normalize_with_map(assessment.ccg.as_written)[0]
        if written in text or f" {canonical_key(assessment.ccg.name)} " in key_text:
            continue
        invented.append(assessment.ccg.name)
    return invented
