"""Consistency checks for the gold annotations of every set (see `eval/GUIDELINES.md`).

Every gold file must be a valid `Extraction` with every field written out; every evidence
span must be one whole sentence (or a quotation) of the article at its offsets; every
article must have exactly one gold file; a CCG must be a row of the reference table or
carry no code; and `gold_tool check` must find nothing wrong (the same rules, run by the
annotators).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold_tool import check_gold, evidence_spans, gold_json
from eval.sets import SET_NAMES, article_path, doc_ids_of, gold_path
from extractor.names.reference_table import normalize_ccg
from extractor.schema import Extraction

GOLD_FILES = [gold_path(doc_id) for name in SET_NAMES for doc_id in doc_ids_of(name)]
# the names the product links on, checked on the sets development may look at
DEVELOPMENT_GOLD = [gold_path(doc_id) for name in ("samples", "dev") for doc_id in doc_ids_of(name)]


def _load(gold_file: Path) -> Extraction:
    return Extraction.model_validate_json(gold_file.read_text(encoding="utf-8"))


def _article(gold_file: Path) -> str:
    return article_path(gold_file.stem).read_text(encoding="utf-8")


def test_every_set_has_gold_for_each_article_and_an_article_for_each_gold() -> None:
    for name in SET_NAMES:
        folder = article_path(doc_ids_of(name)[0]).parent.parent
        articles = {path.stem for path in (folder / "articles").glob("*.txt")}
        gold = {path.stem for path in (folder / "gold").glob("*.json")}
        assert articles and articles == gold, name


def test_the_sets_are_as_large_as_the_issue_asks() -> None:
    assert len(doc_ids_of("dev")) >= 40
    assert len(doc_ids_of("test")) >= 20
    long_lists = [d for d in doc_ids_of("dev") if len(_load(gold_path(d)).assessments) >= 20]
    assert len(long_lists) >= 3


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_gold_breaks_no_rule_of_the_guidelines(gold_file: Path) -> None:
    text = gold_file.read_text(encoding="utf-8")
    extraction = Extraction.model_validate_json(text)
    assert json.loads(text).keys() == Extraction.model_fields.keys(), "write every field"
    assert text == gold_json(extraction), "re-dump with gold_tool (indent=2, UTF-8)"
    assert check_gold(extraction, _article(gold_file)) == []


@pytest.mark.parametrize("gold_file", GOLD_FILES, ids=lambda path: path.stem)
def test_evidence_is_the_article_text_at_its_offsets(gold_file: Path) -> None:
    article = _article(gold_file)
    for path, evidence in evidence_spans(_load(gold_file)):
        assert article[evidence.start : evidence.end] == evidence.quote, path


@pytest.mark.parametrize("gold_file", DEVELOPMENT_GOLD, ids=lambda path: path.stem)
def test_every_gold_ccg_as_written_links_to_its_annotated_row(gold_file: Path) -> None:
    for i, assessment in enumerate(_load(gold_file).assessments):
        linked = normalize_ccg(assessment.ccg.as_written)
        assert linked.ods_code == assessment.ccg.ods_code, f"assessments[{i}]"
        if linked.ods_code is None:
            assert linked.name.lower() == assessment.ccg.name.lower(), f"assessments[{i}]"
