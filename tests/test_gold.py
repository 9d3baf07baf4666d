"""Consistency checks for the gold annotations in `eval/gold/` (see `eval/GUIDELINES.md`).

Every gold file must be a valid `Extraction`; every evidence span must be the article's own
text at its offsets; every article must have exactly one gold file; and every CCG must be
named and coded as `normalize_ccg` names and codes it, so gold and product agree on keys.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from extractor.article_facts import mentions_number
from extractor.ccg_names import normalize_ccg
from extractor.schema import Evidence, Extraction

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ROOT / "eval" / "articles"
GOLD = ROOT / "eval" / "gold"
GOLD_FILES = sorted(GOLD.glob("*.json"))
_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d"


def _article(gold_file: Path) -> str:
    return (ARTICLES / f"{gold_file.stem}.txt").read_text(encoding="utf-8")


def _load(gold_file: Path) -> Extraction:
    return Extraction.model_validate_json(gold_file.read_text(encoding="utf-8"))


def _evidence(extraction: Extraction) -> Iterator[tuple[str, Evidence]]:
    """Every evidence of an extraction with its path, e.g. ("assessments[0].areas[1]", ...)."""
    for i, assessment in enumerate(extraction.assessments):
        if assessment.evidence is not None:
            yield f"assessments[{i}]", assessment.evidence
        if assessment.previous_evidence is not None:
            yield f"assessments[{i}].previous_overall", assessment.previous_evidence
        if assessment.financial_evidence is not None:
            yield f"assessments[{i}].financial_concerns", assessment.financial_evidence
        for j, area in enumerate(assessment.areas):
            yield f"assessments[{i}].areas[{j}]", area.evidence
        for j, indicator in enumerate(assessment.indicators):
            yield f"assessments[{i}].indicators[{j}]", indicator.evidence
    if extraction.published_evidence is not None:
        yield "published", extraction.published_evidence
    if extraction.national is not None:
        yield "national", extraction.national.evidence
        for j, further in enumerate(extraction.national.further_evidence):
            yield f"national.further_evidence[{j}]", further
    for i, metric in enumerate(extraction.metrics):
        yield f"metrics[{i}]", metric.evidence
    for i, quote in enumerate(extraction.quotes):
        yield f"quotes[{i}]", quote.evidence


def test_gold_files_exist() -> None:
    assert GOLD_FILES, f"no gold files in {GOLD}"


def test_every_article_has_gold_and_every_gold_has_article() -> None:
    articles = {path.stem for path in ARTICLES.glob("*.txt")}
    gold = {path.stem for path in GOLD_FILES}
    assert articles - gold == set(), "articles without a gold file"
    assert gold - articles == set(), "gold files without an article"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_gold_validates(gold_file: Path) -> None:
    text = gold_file.read_text(encoding="utf-8")
    extraction = Extraction.model_validate_json(text)
    assert extraction.assessments or extraction.national is not None, "gold file is empty"
    assert json.loads(text).keys() == Extraction.model_fields.keys(), "write every field"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_evidence_is_the_article_text_at_its_offsets(gold_file: Path) -> None:
    article = _article(gold_file)
    spans = list(_evidence(_load(gold_file)))
    assert spans, "no evidence at all"
    for path, evidence in spans:
        assert evidence.quote, path
        assert evidence.quote in article, f"{path}: quote not in the article"
        assert 0 <= evidence.start < evidence.end <= len(article), path
        assert article[evidence.start : evidence.end] == evidence.quote, f"{path}: offsets"
        assert evidence.quote == evidence.quote.strip(), f"{path}: untrimmed whitespace"
        assert (evidence.match, evidence.score) == ("exact", 100.0), path


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_every_fact_has_evidence_and_no_missing_fact_has_any(gold_file: Path) -> None:
    for i, assessment in enumerate(_load(gold_file).assessments):
        pairs = {
            "overall": (assessment.overall, assessment.evidence),
            "previous_overall": (assessment.previous_overall, assessment.previous_evidence),
            "financial_concerns": (assessment.financial_concerns, assessment.financial_evidence),
        }
        for name, (fact, evidence) in pairs.items():
            assert (fact is None) == (evidence is None), f"assessments[{i}].{name}"
    extraction = _load(gold_file)
    assert (extraction.published is None) == (extraction.published_evidence is None), "published"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_every_national_figure_is_written_in_one_of_its_sentences(gold_file: Path) -> None:
    national = _load(gold_file).national
    if national is None:
        return
    sentences = [national.evidence.quote] + [e.quote for e in national.further_evidence]
    for rating, share in national.share_by_rating.items():
        assert any(mentions_number(s, share) for s in sentences), f"share {rating}"
    for rating, count in national.count_by_rating.items():
        assert any(mentions_number(s, float(count)) for s in sentences), f"count {rating}"
    if national.ccgs_assessed is not None:
        assert any(mentions_number(s, float(national.ccgs_assessed)) for s in sentences), "assessed"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_quote_text_is_its_evidence_without_quotation_marks(gold_file: Path) -> None:
    for i, quote in enumerate(_load(gold_file).quotes):
        assert quote.text == quote.evidence.quote, f"quotes[{i}]"
        assert quote.text[0] not in _QUOTE_MARKS, f"quotes[{i}] starts with a quotation mark"
        assert quote.text[-1] not in _QUOTE_MARKS, f"quotes[{i}] ends with a quotation mark"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_ccgs_are_normalised_as_the_product_normalises_them(gold_file: Path) -> None:
    article = _article(gold_file)
    extraction = _load(gold_file)
    for i, assessment in enumerate(extraction.assessments):
        ccg = assessment.ccg
        expected = normalize_ccg(ccg.as_written)
        assert ccg.as_written in article, f"assessments[{i}]: as_written not in the article"
        assert (ccg.name, ccg.ods_code) == (expected.name, expected.ods_code), f"assessments[{i}]"
    for i, metric in enumerate(extraction.metrics):
        if metric.ccg is not None:
            assert metric.ccg == normalize_ccg(metric.ccg).name, f"metrics[{i}]: not canonical"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_one_assessment_per_ccg_and_year(gold_file: Path) -> None:
    keys = [(a.ccg.ods_code or a.ccg.name, a.year) for a in _load(gold_file).assessments]
    assert len(keys) == len(set(keys)), "duplicate assessment"


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_gold_file_is_canonically_formatted(gold_file: Path) -> None:
    text = gold_file.read_text(encoding="utf-8")
    expected = json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
    assert text == expected, "re-dump with indent=2, ensure_ascii=False"
