"""Turn the model's answer into a grounded, normalised `Extraction`.

Every fact must be proven by the article: its evidence fragment is located by code
(`text.quote_search.locate`), widened to the whole sentence or quotation, and given offsets. Facts
whose evidence is not found, CCGs the article never names and figures absent from their
evidence are dropped and listed, never kept silently. Names become canonical names with ODS
codes, years become "2016/17", dates become ISO dates, and duplicate CCGs are merged.
This module grounds the CCG assessments; `article_facts` grounds the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from extractor.answer.article import AnswerAssessment, ArticleAnswer
from extractor.names.merging import ccg_key, fold_previous_years, merge_duplicates
from extractor.names.reference_table import canonical_key, normalize_ccg, reference_table
from extractor.proof.article_facts import (
    grounded_metrics,
    grounded_published,
    grounded_quotes,
)
from extractor.proof.grounder import INSTRUCTIONS_TO_AI, Grounder
from extractor.proof.national import grounded_national
from extractor.proof.ratings import article_year
from extractor.proof.sentence_checks import (
    about_another_year,
    is_share_of_all_ccgs,
    names_ccg,
    names_indicator,
    own_rating_sentences,
    pairs_area_with_rating,
    rates_only_areas,
)
from extractor.proof.unquoted import CcgContext, financial_evidence, previous_rating_evidence
from extractor.schema import (
    Area,
    AreaRating,
    Assessment,
    DroppedFact,
    Evidence,
    Extraction,
    Indicator,
    Rating,
)
from extractor.text.phrases import AREA_WORDS, GROUP_OF_CCGS, RATING_PHRASES, states

__all__ = [
    "CONTRADICTED",
    "INSTRUCTIONS_TO_AI",
    "UNSTATED_FINANCES",
    "UNSTATED_PREVIOUS",
    "Assembled",
    "assemble",
]

CONTRADICTED = "a sentence naming this CCG states another rating"
"""Why a group's rating is dropped for a CCG whose own sentence rates it otherwise."""

UNSTATED_PREVIOUS = "no sentence about this CCG states last year's rating"
"""Why `previous_overall` is dropped; the reason ends with the rating, "(inadequate)"."""
UNSTATED_FINANCES = "no sentence about this CCG ties its rating to finances"
"""Why `financial_concerns` is dropped; the reason ends with the value, "(false)"."""
_ANOTHER_AREA_RATING = "the evidence gives this area another of its ratings"
_TRAFFIC_LIGHTS = frozenset({"green", "amber", "red"})


@dataclass(slots=True)
class Assembled:
    """The grounded extraction and the facts that had to be dropped."""

    extraction: Extraction
    dropped: list[DroppedFact] = field(default_factory=list)
    contradicted: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """CCGs (as the model wrote them) whose overall rating a sentence naming the CCG
    contradicts, with the sentences naming it that state a rating: what to ask again."""


def assemble(answer: ArticleAnswer, article: str) -> Assembled:
    """Ground and normalise `answer` against `article`."""
    named = {canonical_key(a.ccg) for a in answer.assessments} | set(reference_table())
    grounder = Grounder(article=article, other_ccgs=tuple(sorted(named)))
    assessments: list[Assessment] = []
    paths: dict[tuple[str, str | None], str] = {}
    for i, raw in enumerate(answer.assessments):
        assessment = _assessment(raw, f"assessments[{i}]", grounder)
        if assessment is not None:
            assessments.append(assessment)
            paths.setdefault((ccg_key(assessment), assessment.year), f"assessments[{i}]")
    assessments = fold_previous_years(merge_duplicates(assessments))
    assessments = [
        _with_unquoted_facts_proven(
            assessment,
            paths[(ccg_key(assessment), assessment.year)],
            grounder,
            alone=len(assessments) == 1,
        )
        for assessment in assessments
    ]
    years = {a.year for a in assessments if a.year}
    if not years and (written := article_year(article)):  # ratings asked apart come later
        years = {written}
    default_year = int(years.pop()[:4]) + 1 if len(years) == 1 else None
    published, published_evidence = grounded_published(answer.published, grounder, default_year)
    extraction = Extraction(
        published=published,
        published_evidence=published_evidence,
        assessments=assessments,
        national=grounded_national(answer.national, grounder),
        metrics=grounded_metrics(answer, grounder),
        quotes=grounded_quotes(answer, grounder),
    )
    return Assembled(
        extraction=extraction, dropped=grounder.dropped, contradicted=grounder.contradicted
    )


def validation_context(article: str) -> dict[str, Any]:
    """The validation context that makes an `ArticleAnswer` prove itself against `article`
    (instructor re-asks for what it drops)."""
    return {"article": article, "prove": assemble}


def _assessment(raw: AnswerAssessment, path: str, grounder: Grounder) -> Assessment | None:
    if not raw.ccg.strip() or not grounder.names_ccg(raw.ccg):
        grounder.drop(f"{path}.ccg", raw.ccg, "CCG not named in the article")
        return None
    ccg = normalize_ccg(raw.ccg)
    if GROUP_OF_CCGS.search(raw.ccg) or not grounder.written_as_a_ccg(ccg):
        grounder.drop(f"{path}.ccg", raw.ccg, "a group of CCGs, not one CCG")
        return None
    overall = raw.overall
    evidence = _overall_evidence(raw, path, grounder) if overall is not None else None
    if evidence is None:
        overall = None
    areas: dict[str, AreaRating] = {}
    for j, area in enumerate(raw.areas):
        found = grounder.find(
            area.evidence,
            f"{path}.areas[{j}]",
            must_state=(RATING_PHRASES[area.rating.value], AREA_WORDS[area.area.value]),
        )
        words = AREA_WORDS[area.area.value]
        if found is not None and not pairs_area_with_rating(found.quote, words, area.rating.value):
            grounder.drop(f"{path}.areas[{j}]", area.evidence, _ANOTHER_AREA_RATING)
            continue
        if found is not None and area.area.value not in areas:
            areas[area.area.value] = AreaRating(area=area.area, rating=area.rating, evidence=found)
    indicators: dict[str, Indicator] = {}
    for j, indicator in enumerate(raw.indicators):
        if re.fullmatch(r"\s*overall( rating)?\s*", indicator.name, re.IGNORECASE):
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "the overall rating is not an indicator")
            continue
        if "_".join(indicator.name.lower().split()) in RATING_PHRASES:
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "a rating word is not an indicator's name")
            continue
        named_areas = _areas_named(indicator.name)
        if named_areas and indicator.rating not in _TRAFFIC_LIGHTS:
            # "cancer and dementia services: good" is an area rating filed as an indicator
            for named in named_areas:
                found = grounder.find(
                    indicator.evidence,
                    f"{path}.indicators[{j}]",
                    must_state=(RATING_PHRASES[indicator.rating], AREA_WORDS[named.value]),
                )
                words = AREA_WORDS[named.value]
                if found is not None and not pairs_area_with_rating(
                    found.quote, words, indicator.rating
                ):
                    grounder.drop(
                        f"{path}.indicators[{j}]", indicator.evidence, _ANOTHER_AREA_RATING
                    )
                    continue
                if found is not None and named.value not in areas:
                    rating = Rating(indicator.rating)
                    areas[named.value] = AreaRating(area=named, rating=rating, evidence=found)
            continue
        found = grounder.find(
            indicator.evidence,
            f"{path}.indicators[{j}]",
            must_state=(RATING_PHRASES[indicator.rating],),
        )
        if found is not None and not names_indicator(found.quote, indicator.name):
            path_j = f"{path}.indicators[{j}]"
            grounder.drop(path_j, indicator.evidence, "evidence does not name this indicator")
            continue
        key = indicator.name.strip().lower()
        if found is not None and key and key not in indicators:
            indicators[key] = Indicator(
                name=indicator.name.strip(), rating=indicator.rating, evidence=found
            )
    if overall is None and not areas and not indicators:
        grounder.drop(path, raw.ccg, "no grounded rating for this CCG")
        return None
    return Assessment(
        ccg=ccg,
        year=grounder.year(raw.year),
        overall=overall,
        previous_overall=raw.previous_overall,
        areas=list(areas.values()),
        indicators=list(indicators.values()),
        financial_concerns=raw.financial_concerns,
        evidence=evidence,
    )


def _with_unquoted_facts_proven(
    assessment: Assessment, path: str, grounder: Grounder, *, alone: bool
) -> Assessment:
    """Prove the CCG's last-year rating and financial concerns with a sentence about it
    (`proof.unquoted`), or drop them. `path` is the first answer entry of the CCG and year."""
    context = CcgContext(
        grounder=grounder,
        as_written=assessment.ccg.as_written,
        overall=assessment.overall.value if assessment.overall else None,
        year=assessment.year,
        alone=alone,
    )
    update: dict[str, object] = {}
    previous = assessment.previous_overall
    if previous is not None:
        update["previous_evidence"] = found = previous_rating_evidence(context, previous.value)
        if found is None:
            grounder.drop(f"{path}.previous_overall", None, f"{UNSTATED_PREVIOUS} ({previous})")
            update["previous_overall"] = None
    concerns = assessment.financial_concerns
    if concerns is not None:
        update["financial_evidence"] = found = financial_evidence(context, concerns)
        if found is None:
            reason = f"{UNSTATED_FINANCES} ({str(concerns).lower()})"
            grounder.drop(f"{path}.financial_concerns", None, reason)
            update["financial_concerns"] = None
    return assessment.model_copy(update=update) if update else assessment


def _overall_evidence(raw: AnswerAssessment, path: str, grounder: Grounder) -> Evidence | None:
    """Proof of the overall rating: the model's words, or a sentence of the CCG's own.

    Words that give the rating to a clinical area ("rated 'good' for maternity services")
    never prove the overall rating. Words that do not name the CCG prove it only as part of
    a group ("three of the four CCGs were rated inadequate"): not when a sentence naming the
    CCG states another rating, and not as a national share. A sentence naming the CCG that
    states the model's rating alone is better proof, and is used when the model's words fail.
    """
    assert raw.overall is not None
    rating, fact = raw.overall.value, f"{path}.overall"
    own = own_rating_sentences(grounder.article, raw.ccg, raw.year)
    agreeing = [sentence for sentence, stated in own if stated == rating]
    differing = [sentence for sentence, stated in own if stated != rating]
    mark = len(grounder.dropped)
    evidence = grounder.find(raw.evidence, fact, must_state=(RATING_PHRASES[rating],))
    if evidence is not None and rates_only_areas(evidence.quote, rating):
        grounder.drop(fact, raw.evidence, "the evidence gives this rating to a clinical area")
        evidence = None
    if evidence is not None and grounder.about_another_ccg(evidence, raw.ccg):
        grounder.drop(fact, raw.evidence, "the rating is another CCG's")
        evidence = None
    if evidence is not None and about_another_year(evidence):
        return evidence  # an earlier year's rating: this year's sentences do not bear on it
    if evidence is not None and not names_ccg(evidence, raw.ccg):
        if differing:
            grounder.drop(fact, differing[0].quote, CONTRADICTED)
            grounder.contradicted[raw.ccg] = tuple(sentence.quote for sentence, _ in own)
            return None
        if agreeing:
            return agreeing[0]
        if is_share_of_all_ccgs(evidence):
            grounder.drop(fact, raw.evidence, "a share of all CCGs is not one CCG's rating")
            return None
    if evidence is None and agreeing and not differing:
        del grounder.dropped[mark:]  # the model's words failed; the CCG's own sentence holds
        return agreeing[0]
    return evidence


def _areas_named(name: str) -> list[Area]:
    """Clinical areas an indicator's name mentions ("cancer and dementia services")."""
    words_only = name.replace("_", " ")
    return [Area(area) for area, words in AREA_WORDS.items() if states(words_only, words)]
