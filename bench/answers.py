"""Realistic model answers for the five sample articles, built from the gold annotations.

The gold files (`eval/gold/*.json`) hold finished `Extraction`s: canonical names, ISO dates,
whole-sentence evidence with offsets. A model instead answers in `ArticleAnswer` form: the
CCG as written, the year, and short verbatim fragments. This module converts one into the
other: each piece of evidence becomes a window of about ten words of the gold quote, centred
on the words that must be in it (the rating, the area, the figure), copied verbatim. Every
answer is then checked with `assemble`: a fragment that would not ground is replaced by the
whole gold quote, and the number of such fallbacks is reported, never hidden. Lists longer
than the schema allows (`max_length`, e.g. at most 8 quotes) are cut to fit, as a model bound
by the schema would have to; the cuts are counted too.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from extractor.answer.article import AnswerAssessment, ArticleAnswer
from extractor.proof.assemble import assemble, validation_context

__all__ = [
    "ARTICLES",
    "GOLD",
    "ROOT",
    "Sample",
    "load_samples",
]

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "eval" / "articles"
GOLD = ROOT / "eval" / "gold"
_WINDOW_WORDS = 10
_RATING_NAMES = ("outstanding", "good", "requires_improvement", "inadequate")
_AREA_WORDS = {
    "cancer": "cancer",
    "mental_health": "mental health",
    "dementia": "dementia",
    "maternity": "maternity",
    "learning_disabilities": "learning d",
    "diabetes": "diabet",
}
_RATING_WORDS: dict[str, str | tuple[str, ...]] = {
    "outstanding": "outstanding",
    "good": "good",
    "requires_improvement": (
        "requires improv",
        "requiring improv",
        "require improv",
        "needs improv",
        "needing improv",
        "improv",
    ),
    "inadequate": "inadequate",
    "green": "green",
    "amber": "amber",
    "red": "red",
}


@dataclass(frozen=True, slots=True)
class Sample:
    """One sample article and the answer a well-behaved model would give for it."""

    doc_id: str
    text: str
    answer: ArticleAnswer
    arguments: str
    """The answer as the JSON string a tool call carries."""
    fragments: int
    """How many evidence fragments the answer holds."""
    fallbacks: int
    """Fragments that had to be the whole gold quote because a short window did not ground."""
    cut: int
    """Gold facts left out because the schema caps the list's length (`max_length`)."""


def _window(quote: str, *keys: str | tuple[str, ...] | None) -> str:
    """At least `_WINDOW_WORDS` verbatim words of `quote`, spanning the first occurrence of
    each of `keys` (the words the evidence must state; of a tuple, the first that occurs)."""
    words = list(re.finditer(r"\S+", quote))
    if len(words) <= _WINDOW_WORDS:
        return quote.strip()
    anchors = []
    lowered = quote.lower()
    for choices in keys:
        options = (choices,) if isinstance(choices, str) else choices or ()
        key, found = next(((k, lowered.find(k)) for k in options if k in lowered), ("", -1))
        if found >= 0:
            anchors.append(next(i for i, w in enumerate(words) if w.end() > found))
            anchors.append(next(i for i, w in enumerate(words) if w.end() >= found + len(key)))
    low, high = (min(anchors), max(anchors)) if anchors else (0, 0)
    spare = max(0, _WINDOW_WORDS - (high - low + 1))
    first = max(0, min(low - spare // 2, len(words) - max(_WINDOW_WORDS, high - low + 1)))
    last = min(len(words) - 1, max(high, first + _WINDOW_WORDS - 1))
    return quote[words[first].start() : words[last].end()]


def _number_key(value: float) -> str:
    return f"{value:g}"


def _answer_dict(gold: dict[str, Any], short: bool) -> dict[str, Any]:
    """The gold extraction in `ArticleAnswer` form; `short` picks windows over whole quotes."""

    def fragment(
        evidence: dict[str, Any] | None, *keys: str | tuple[str, ...] | None
    ) -> str | None:
        if evidence is None:
            return None
        quote = str(evidence["quote"])
        return _window(quote, *keys) if short else quote

    assessments = []
    for item in gold["assessments"]:
        overall = item["overall"]
        assessments.append(
            {
                "ccg": item["ccg"]["as_written"],
                "year": item["year"],
                "overall": overall,
                "evidence": fragment(item["evidence"], _RATING_WORDS.get(overall or "")),
                "previous_overall": item["previous_overall"],
                "areas": [
                    {
                        "area": area["area"],
                        "rating": area["rating"],
                        "evidence": fragment(
                            area["evidence"],
                            _RATING_WORDS[area["rating"]],
                            _AREA_WORDS[area["area"]],
                        ),
                    }
                    for area in item["areas"]
                ],
                "indicators": [
                    {
                        "name": indicator["name"],
                        "rating": indicator["rating"],
                        "evidence": fragment(
                            indicator["evidence"], _RATING_WORDS[indicator["rating"]]
                        ),
                    }
                    for indicator in item["indicators"]
                ],
                "financial_concerns": item["financial_concerns"],
            }
        )
    national = gold["national"]
    national_answer = None
    if national is not None:
        shares = national["share_by_rating"]
        counts = national["count_by_rating"]
        national_answer = {
            "year": national["year"],
            "ccgs_assessed": national["ccgs_assessed"],
            **{f"percent_{r}": shares.get(r) for r in _RATING_NAMES},
            **{f"count_{r}": counts.get(r) for r in _RATING_NAMES},
            "evidence": fragment(national["evidence"], None),
        }
    return {
        "published": gold["published"],
        "assessments": assessments,
        "national": national_answer,
        "metrics": [
            {
                "name": metric["name"],
                "value": metric["value"],
                "unit": metric["unit"],
                "ccg": metric["ccg"],
                "evidence": fragment(metric["evidence"], _number_key(metric["value"])),
            }
            for metric in gold["metrics"]
        ],
        "quotes": [
            {
                "speaker": quote["speaker"],
                "role": quote["role"],
                "organisation": quote["organisation"],
                "text": fragment(quote["evidence"], None),
            }
            for quote in gold["quotes"]
        ],
    }


def _fragment_slots(answer: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """(container, key, path) of every evidence fragment, paths as `DroppedFact.path` names them."""
    slots: list[tuple[dict[str, Any], str, str]] = []
    for i, assessment in enumerate(answer["assessments"]):
        if assessment["overall"] is not None:
            slots.append((assessment, "evidence", f"assessments[{i}].overall"))
        for j, area in enumerate(assessment["areas"]):
            slots.append((area, "evidence", f"assessments[{i}].areas[{j}]"))
        for j, indicator in enumerate(assessment["indicators"]):
            slots.append((indicator, "evidence", f"assessments[{i}].indicators[{j}]"))
    if answer["national"] is not None:
        slots.append((answer["national"], "evidence", "national"))
    for i, metric in enumerate(answer["metrics"]):
        slots.append((metric, "evidence", f"metrics[{i}]"))
    for i, quote in enumerate(answer["quotes"]):
        slots.append((quote, "text", f"quotes[{i}]"))
    return slots


def _max_items(model: type[BaseModel], name: str) -> int | None:
    """The `max_length` the schema puts on list field `name` (None when unbounded)."""
    for item in model.model_fields[name].metadata:
        limit = getattr(item, "max_length", None)
        if isinstance(limit, int):
            return limit
    return None


def _fit(answer: dict[str, Any]) -> int:
    """Cut lists to the lengths the schema allows (a model cannot send more); count the cuts."""
    cut = 0
    lists: list[tuple[dict[str, Any], type[BaseModel], str]] = [
        (answer, ArticleAnswer, name) for name in ("assessments", "metrics", "quotes")
    ]
    for assessment in answer["assessments"]:
        lists += [(assessment, AnswerAssessment, name) for name in ("areas", "indicators")]
    for container, model, name in lists:
        limit = _max_items(model, name)
        if limit is not None and len(container[name]) > limit:
            cut += len(container[name]) - limit
            container[name] = container[name][:limit]
    return cut


def _build(doc_id: str, text: str, gold: dict[str, Any]) -> Sample:
    short = _answer_dict(gold, short=True)
    whole = _answer_dict(gold, short=False)
    cut = _fit(short)
    _fit(whole)
    short_slots = _fragment_slots(short)
    whole_slots = _fragment_slots(whole)
    dropped = {d.path for d in assemble(ArticleAnswer.model_validate(short), text).dropped}
    fallbacks = 0
    for (target, key, path), (source, _, _) in zip(short_slots, whole_slots, strict=True):
        if any(d == path or d.startswith(path + ".") for d in dropped):
            target[key] = source[key]
            fallbacks += 1
    answer = ArticleAnswer.model_validate(short)
    still = assemble(answer, text).dropped
    if still:
        listing = "; ".join(f"{d.path}: {d.reason}" for d in still)
        raise RuntimeError(f"{doc_id}: the gold answer does not ground: {listing}")
    # Validate with the article as context, exactly as the client does: it must pass.
    ArticleAnswer.model_validate_json(json.dumps(short), context=validation_context(text))
    return Sample(
        doc_id=doc_id,
        text=text,
        answer=answer,
        arguments=json.dumps(short),
        fragments=len(short_slots),
        fallbacks=fallbacks,
        cut=cut,
    )


def load_samples() -> list[Sample]:
    """The five sample articles with their hand-converted answers, in doc id order."""
    samples = []
    for path in sorted(ARTICLES.glob("*.txt")):
        gold = json.loads((GOLD / f"{path.stem}.json").read_text(encoding="utf-8"))
        samples.append(_build(path.stem, path.read_text(encoding="utf-8"), gold))
    return samples
