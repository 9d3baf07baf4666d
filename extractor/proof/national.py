"""Prove the model's national round-up figures and fill in those it left out.

Each figure the model gives is kept only when a national sentence states it for its rating
(`national_figure_stated`), and the number assessed only when a
national sentence writes it; the figures the national sentences write that it left out are added
(read once per article before any question: `inputs.reading`, `inputs.national_figures`).
Each kept figure's evidence is the first sentence that states it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.answer.article import AnswerNational
from extractor.inputs.national_figures import NationalFigures
from extractor.proof.sentence_tools import INSTRUCTIONS_TO_AI, Grounder
from extractor.schema import Evidence, National, Rating
from extractor.text.dates_and_numbers import (
    mentions_number,
    normalize_year,
    number_forms,
    years_in,
)
from extractor.text.phrases import OVERALL_RATINGS, RATING_PHRASES, phrase_positions
from extractor.text.quote_search import locate, widen_to_sentence

__all__ = ["grounded_national", "national_figure_stated"]


def grounded_national(raw: AnswerNational | None, grounder: Grounder) -> National | None:
    """National figures: the model's, each kept only when a national sentence states it for
    its rating, and those the national sentences write that it left out (the article's
    reading); none when no share or count of a rating is stated."""
    read = grounder.read.national_figures
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


_CHANGE_BEFORE = re.compile(r"\b(?:up|down|by)\s*$", re.IGNORECASE)  # "down 4%", "rose by 2%"


_PERCENT_AFTER = re.compile(r"\s*(?:%|per ?cent)", re.IGNORECASE)


def national_figure_stated(
    sentences: Iterable[str], value: float, rating: str, *, percent: bool
) -> bool:
    """True when one of `sentences` gives `value` as the share (`percent`) or the count of
    CCGs with `rating`: the figure is written (as a percentage, or as a plain number), is not
    a change ("down 4%"), and the first rating word after it is `rating`."""
    forms = [form for form in number_forms(float(value)) if form[0].isdigit()]
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    figure = re.compile(rf"(?<![\d.,])(?:{pattern})(?![\d]|[.,]\d)")
    for sentence in sentences:
        for match in figure.finditer(sentence):
            if _CHANGE_BEFORE.search(sentence[: match.start()]):
                continue
            after = sentence[match.end() :]
            if bool(_PERCENT_AFTER.match(after)) != percent:
                continue
            firsts = [
                (positions[0], name)
                for name in OVERALL_RATINGS
                if (positions := phrase_positions(after, RATING_PHRASES[name]))
            ]
            if firsts and min(firsts)[1] == rating:
                return True
    return False
