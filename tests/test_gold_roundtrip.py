"""The code-side checks must never reject a right answer.

Each gold annotation is turned into the answer a model should give (short verbatim fragments
around the words that state each fact, `bench/answers.py`) and put through `assemble`: every
fact must survive grounding and the result must score F1 1.0 against the same gold, and the
sentences code finds for the facts the model gives without evidence must be the gold's.
"""

from __future__ import annotations

import pytest

from bench.answers import load_samples
from eval.report import load_gold
from eval.scoring import score_document
from extractor.proof.assemble import assemble

SAMPLES = {sample.doc_id: sample for sample in load_samples()}


@pytest.mark.parametrize("doc_id", sorted(SAMPLES))
def test_a_right_answer_survives_grounding_and_scores_perfectly(doc_id: str) -> None:
    sample = SAMPLES[doc_id]
    assembled = assemble(sample.answer, sample.text)
    assert assembled.dropped == []
    score = score_document(doc_id, load_gold(doc_id), assembled.extraction)
    misses = {name: t.fn + t.fp for name, t in score.by_type.items() if t.fn or t.fp}
    assert score.overall.f1 == 1.0, misses


@pytest.mark.parametrize("doc_id", sorted(SAMPLES))
def test_code_finds_the_gold_sentence_for_each_unquoted_fact(doc_id: str) -> None:
    """Last year's rating, financial concerns, the publication date and the national figures
    beyond the model's one sentence have no evidence in the model's answer: code finds it,
    and must find the sentence an annotator chose by reading."""
    sample = SAMPLES[doc_id]
    extraction = assemble(sample.answer, sample.text).extraction
    found, gold = extraction.assessments, load_gold(doc_id).assessments
    assert extraction.published_evidence == load_gold(doc_id).published_evidence
    national, gold_national = extraction.national, load_gold(doc_id).national
    if gold_national is not None:
        assert national is not None
        assert national.further_evidence == gold_national.further_evidence
    assert [a.ccg.name for a in found] == [a.ccg.name for a in gold]
    for mine, theirs in zip(found, gold, strict=True):
        assert mine.previous_evidence == theirs.previous_evidence, mine.ccg.name
        assert mine.financial_evidence == theirs.financial_evidence, mine.ccg.name
