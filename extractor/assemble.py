"""Turn the model's answer into a grounded, normalised `Extraction`.

Every fact must be proven by the article: its evidence fragment is located by code
(`grounding.locate`), widened to the whole sentence or quotation, and given offsets. Facts
whose evidence is not found, CCGs the article never names and figures absent from their
evidence are dropped and listed, never kept silently. Names become canonical names with ODS
codes, years become "2016/17", dates become ISO dates, and duplicate CCGs are merged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from extractor.answer import AnswerAssessment, AnswerNational, ArticleAnswer
from extractor.ccg_names import canonical_key, normalize_ccg, reference_table
from extractor.crosscheck import (
    about_another_year,
    is_share_of_all_ccgs,
    names_ccg,
    names_indicator,
    national_figure_stated,
    own_rating_sentences,
    pairs_area_with_rating,
)
from extractor.grounding import locate, normalize_with_map, widen
from extractor.injection import within_instructions
from extractor.merging import fold_previous_years, merge_duplicates
from extractor.normalize import date_in_article, normalize_year, number_forms, parse_date, years_in
from extractor.schema import (
    CCG,
    Area,
    AreaRating,
    Assessment,
    DroppedFact,
    Evidence,
    Extraction,
    Indicator,
    Metric,
    National,
    Quote,
    Rating,
)
from extractor.signposts import national_figure_sentences
from extractor.speakers import is_pronoun, speaker_in_article, tidy_speaker
from extractor.wording import AREA_WORDS, RATING_PHRASES, ratings_stated, states

__all__ = ["INSTRUCTIONS_TO_AI", "Assembled", "assemble"]

_NOT_FOUND = "evidence not found in the article"
_UNSUPPORTED = "evidence does not state this rating"
_ANOTHER_AREA_RATING = "the evidence gives this area another of its ratings"
INSTRUCTIONS_TO_AI = (
    "evidence lies in a passage addressed to AI systems (possible prompt injection)"
)
_GROUP_OF_CCGS = re.compile(r"\bCCGs\b|\bclinical commissioning groups\b", re.IGNORECASE)
_COUNT_OF_CCGS = re.compile(r"\s*(ccgs?|clinical commissioning groups?)\s*", re.IGNORECASE)
_TRAFFIC_LIGHTS = frozenset({"green", "amber", "red"})
_NUMBER_ABSENT = "figure not in the article"


@dataclass(slots=True)
class Assembled:
    """The grounded extraction and the facts that had to be dropped."""

    extraction: Extraction
    dropped: list[DroppedFact] = field(default_factory=list)


@dataclass
class _Grounder:
    article: str
    other_ccgs: tuple[str, ...] = ()
    dropped: list[DroppedFact] = field(default_factory=list)

    @cached_property
    def normalized(self) -> tuple[str, list[int]]:
        """The article normalised for the second grounding tier, computed only if needed."""
        return normalize_with_map(self.article)

    @cached_property
    def national_sentences(self) -> frozenset[str]:
        """Sentences with figures for many CCGs (counts, rated shares): not metrics."""
        return frozenset(national_figure_sentences(self.article))

    @cached_property
    def article_key(self) -> str:
        """The whole article as a CCG comparison key, padded for whole-word search."""
        return f" {canonical_key(self.article)} "

    def find(
        self,
        fragment: str | None,
        path: str,
        to: str = "sentence",
        *,
        must_state: tuple[tuple[str, ...], ...] = (),
    ) -> Evidence | None:
        """Locate and widen `fragment`; drop the fact unless the evidence states `must_state`."""
        evidence = locate(fragment, self.article, normalized_article=lambda: self.normalized)
        if evidence is None:
            self.drop(path, fragment, _NOT_FOUND if fragment else "no evidence given")
            return None
        if within_instructions(self.article, evidence.start, evidence.end):
            self.drop(path, fragment, INSTRUCTIONS_TO_AI)
            return None
        # The words the model chose must state the fact themselves, because the sentence may
        # also hold other ratings ("good for cancer and inadequate for dementia"). A bare
        # name ("better health") is enough only when its sentence states one rating alone.
        widened = widen(self.article, evidence, to)
        if all(states(evidence.quote, phrases) for phrases in must_state):
            return widened
        if (
            must_state
            and ratings_stated(widened.quote) == 1
            and all(states(widened.quote, phrases) for phrases in must_state)
        ):
            return widened
        self.drop(path, fragment, _UNSUPPORTED)
        return None

    def year(self, written: str | None) -> str | None:
        """The assessment year if the article writes it; else the article's first year.

        Small models copy years from examples; a year the article never mentions is not
        evidence, so the year the article itself leads with is used instead (or none).
        """
        year = normalize_year(written)
        mentioned = years_in(self.article)
        if year is not None and year in mentioned:
            return year
        return mentioned[0] if mentioned else None

    def drop(self, path: str, quote: str | None, reason: str) -> None:
        self.dropped.append(DroppedFact(path=path, quote=quote, reason=reason))

    def names_ccg(self, as_written: str) -> bool:
        """True when the article names the CCG as whole words, ignoring NHS/CCG/punctuation.

        Not a substring or fuzzy match: "Solihull" does not name Hull, nor "South Tyneside"
        North Tyneside.
        """
        key = canonical_key(as_written)
        return bool(key) and f" {key} " in self.article_key

    def written_as_a_ccg(self, ccg: CCG) -> bool:
        """A CCG outside the reference table must appear in the article as "<name> CCG" or
        "<name> Clinical Commissioning Group" (singular): a region ("Staffordshire and
        Stoke-on-Trent"), a trust or a council is not a CCG because an article names it."""
        if ccg.ods_code is not None:
            return True
        name = re.escape(" ".join(canonical_key(ccg.name).split()))
        pattern = rf"\b{name}\s+(ccg|clinical commissioning group)(?!s)\b"
        plain = " ".join(re.sub(r"[^a-z0-9]+", " ", self.article.lower()).split())
        return re.search(pattern, plain) is not None

    def about_another_ccg(self, evidence: Evidence, as_written: str) -> bool:
        """True when the words naming a rating name another CCG of the answer, not this one."""
        if names_ccg(evidence, as_written):
            return False
        own = canonical_key(as_written)
        text = f" {canonical_key(evidence.quote)} "
        return any(f" {other} " in text for other in self.other_ccgs if other and other != own)


def assemble(answer: ArticleAnswer, article: str) -> Assembled:
    """Ground and normalise `answer` against `article`."""
    named = {canonical_key(a.ccg) for a in answer.assessments} | set(reference_table())
    grounder = _Grounder(article=article, other_ccgs=tuple(sorted(named)))
    assessments: list[Assessment] = []
    for i, raw in enumerate(answer.assessments):
        assessment = _assessment(raw, f"assessments[{i}]", grounder)
        if assessment is not None:
            assessments.append(assessment)
    assessments = fold_previous_years(merge_duplicates(assessments))
    years = {a.year for a in assessments if a.year}
    default_year = int(years.pop()[:4]) + 1 if len(years) == 1 else None
    extraction = Extraction(
        published=_published(answer.published, grounder, default_year),
        assessments=assessments,
        national=_national(answer.national, grounder),
        metrics=_metrics(answer, grounder),
        quotes=_quotes(answer, grounder),
    )
    return Assembled(extraction=extraction, dropped=grounder.dropped)


def _assessment(raw: AnswerAssessment, path: str, grounder: _Grounder) -> Assessment | None:
    if not raw.ccg.strip() or not grounder.names_ccg(raw.ccg):
        grounder.drop(f"{path}.ccg", raw.ccg, "CCG not named in the article")
        return None
    ccg = normalize_ccg(raw.ccg)
    if _GROUP_OF_CCGS.search(raw.ccg) or not grounder.written_as_a_ccg(ccg):
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


def _overall_evidence(raw: AnswerAssessment, path: str, grounder: _Grounder) -> Evidence | None:
    """Proof of the overall rating: the model's words, or a sentence of the CCG's own.

    Words that do not name the CCG prove its rating only as part of a group ("three of the
    four CCGs were rated inadequate"): not when a sentence naming the CCG states another
    rating, and not as a national share. A sentence naming the CCG that states the model's
    rating alone is better proof, and is used when the model's words fail.
    """
    assert raw.overall is not None
    rating, fact = raw.overall.value, f"{path}.overall"
    own = own_rating_sentences(grounder.article, raw.ccg, raw.year)
    agreeing = [sentence for sentence, stated in own if stated == rating]
    differing = [sentence for sentence, stated in own if stated != rating]
    mark = len(grounder.dropped)
    evidence = grounder.find(raw.evidence, fact, must_state=(RATING_PHRASES[rating],))
    if evidence is not None and grounder.about_another_ccg(evidence, raw.ccg):
        grounder.drop(fact, raw.evidence, "the rating is another CCG's")
        evidence = None
    if evidence is not None and about_another_year(evidence):
        return evidence  # an earlier year's rating: this year's sentences do not bear on it
    if evidence is not None and not names_ccg(evidence, raw.ccg):
        if differing:
            reason = "a sentence naming this CCG states another rating"
            grounder.drop(fact, differing[0].quote, reason)
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


def _published(written: str | None, grounder: _Grounder, default_year: int | None) -> date | None:
    parsed = parse_date(written, default_year=default_year)
    found = date_in_article(parsed, grounder.article, default_year)
    if parsed is not None and found is None:
        grounder.drop("published", written, "date not in the article")
    return found


def _national(raw: AnswerNational | None, grounder: _Grounder) -> National | None:
    if raw is None:
        return None
    evidence = grounder.find(raw.evidence, "national")
    if evidence is None:
        return None
    shares: dict[Rating, float] = {}
    counts: dict[Rating, int] = {}
    sentences = grounder.national_sentences
    for rating in Rating:
        for prefix, into in (("percent", shares), ("count", counts)):
            value = getattr(raw, f"{prefix}_{rating.value}")
            if value is None:
                continue
            if national_figure_stated(sentences, value, rating.value, percent=prefix == "percent"):
                into[rating] = value
            else:
                kind = "share" if prefix == "percent" else "number"
                reason = f"no national sentence gives it as the {kind} of CCGs rated {rating.value}"
                grounder.drop(f"national.{prefix}_{rating.value}", str(value), reason)
    assessed = raw.ccgs_assessed
    if assessed is not None and not _mentions_number(grounder.article, float(assessed)):
        grounder.drop("national.ccgs_assessed", str(assessed), _NUMBER_ABSENT)
        assessed = None
    if not shares and not counts and assessed is None:
        grounder.drop("national", raw.evidence, "no national figures stated")
        return None
    # A year left out is the first one the national sentences (else the article) write.
    national_text = " ".join(national_figure_sentences(grounder.article))
    written = years_in(national_text) or years_in(grounder.article)
    year = normalize_year(raw.year) or (written[0] if written else None)
    return National(
        year=year,
        ccgs_assessed=assessed,
        share_by_rating=shares,
        count_by_rating=counts,
        evidence=evidence,
    )


def _metrics(answer: ArticleAnswer, grounder: _Grounder) -> list[Metric]:
    metrics: list[Metric] = []
    seen: set[tuple[float, int]] = set()
    for i, raw in enumerate(answer.metrics):
        path = f"metrics[{i}]"
        evidence = grounder.find(raw.evidence, path)
        if evidence is None:
            continue
        if _COUNT_OF_CCGS.search(raw.unit or "") or _COUNT_OF_CCGS.fullmatch(raw.name.strip()):
            grounder.drop(path, raw.evidence, "a count of CCGs is a national figure, not a metric")
            continue
        if " ".join(evidence.quote.split()) in grounder.national_sentences:
            grounder.drop(path, raw.evidence, "a figure for all CCGs is a national figure")
            continue
        if not _mentions_number(evidence.quote, raw.value):
            grounder.drop(path, raw.evidence, f"value {raw.value:g} is not in its evidence")
            continue
        if (raw.value, evidence.start) in seen:
            continue
        seen.add((raw.value, evidence.start))
        ccg = normalize_ccg(raw.ccg).name if raw.ccg and raw.ccg.strip() else None
        metrics.append(
            Metric(
                name=raw.name.strip(), value=raw.value, unit=raw.unit, ccg=ccg, evidence=evidence
            )
        )
    return metrics


def _mentions_number(text: str, value: float) -> bool:
    """True when `text` writes `value`, as a number or word or ordinal ("sixth"), but not as
    part of a longer number ("9" in "9.5" or "1,234") or word ("ten" in "often")."""
    lowered = text.lower()
    return any(
        re.search(
            rf"\b{re.escape(form)}(?:th|h)?\b"
            if form[0].isalpha()
            else rf"(?<![\d.])(?<!\d,){re.escape(form)}(?!\d)(?![.,]\d)",
            lowered,
        )
        for form in number_forms(value)
    )


def _quotes(answer: ArticleAnswer, grounder: _Grounder) -> list[Quote]:
    quotes: list[Quote] = []
    seen: set[int] = set()
    for i, raw in enumerate(answer.quotes):
        evidence = grounder.find(raw.text, f"quotes[{i}]", to="quotation")
        if evidence is None or evidence.start in seen:
            continue
        if is_pronoun(raw.speaker):
            grounder.drop(f"quotes[{i}].speaker", raw.speaker, "speaker given only as a pronoun")
            continue
        speaker, role = tidy_speaker(raw.speaker, raw.role, grounder.article)
        if speaker is not None and not speaker_in_article(speaker, grounder.article):
            grounder.drop(f"quotes[{i}].speaker", speaker, "speaker not named in the article")
            continue
        seen.add(evidence.start)
        quotes.append(
            Quote(
                speaker=speaker,
                role=role,
                organisation=raw.organisation,
                text=evidence.quote,
                evidence=evidence,
            )
        )
    return quotes
