"""What an article says before any question is read once per document (`inputs.reading`),
and the proof checks answers against that reading."""

from __future__ import annotations

from typing import Any

import pytest

import extractor.inputs.reading as reading_module
import extractor.model.asked_apart as asked_apart_module
from eval.runner import replay
from extractor.inputs.national_figures import NationalFigures, read_national_figures
from extractor.inputs.reading import read_article
from extractor.names.context import CcgContext, ccg_contexts
from extractor.proof.sentence_tools import Grounder
from tests.conftest import ARTICLES

MODEL = "qwen2.5-coder-1.5b-instruct"
SAMPLE = "004_32f130facc50a81a"
ROUND_UP = "002_9f3181c418ccf80d"
"""A sample article with national figures."""


@pytest.mark.parametrize("prompt", ["v23", "v21"])  # narrow questions; first answers
def test_each_document_is_read_once_whatever_its_turns(prompt: str, monkeypatch: Any) -> None:
    read: list[str] = []

    def counting(article: str) -> NationalFigures:
        read.append(article)
        return read_national_figures(article)

    monkeypatch.setattr(reading_module, "read_national_figures", counting)
    run = replay(prompt, MODEL, doc_ids=[SAMPLE], sets=("samples",))
    assert [record.status for record in run.records] == ["ok"]
    assert read == [(ARTICLES / f"{SAMPLE}.txt").read_text(encoding="utf-8")]


def test_the_ccgs_an_article_names_are_read_once_for_all_its_narrow_questions(
    monkeypatch: Any,
) -> None:
    read: list[str] = []

    def counting(article: str) -> list[CcgContext]:
        read.append(article)
        return ccg_contexts(article)

    for module in (reading_module, asked_apart_module):
        monkeypatch.setattr(module, "ccg_contexts", counting, raising=False)
    run = replay("v23", MODEL, doc_ids=[SAMPLE], sets=("samples",))  # figures, then ratings
    assert [record.status for record in run.records] == ["ok"]
    assert read == [(ARTICLES / f"{SAMPLE}.txt").read_text(encoding="utf-8")]


def test_the_proof_takes_the_national_sentences_of_the_reading_it_is_given() -> None:
    reading = read_article((ARTICLES / f"{ROUND_UP}.txt").read_text(encoding="utf-8"))
    assert reading.national_sentences
    grounder = Grounder(article="Wigan Borough CCG was rated good.", reading=reading)
    assert grounder.national_sentences == reading.national_sentences
    assert Grounder(article="Wigan Borough CCG was rated good.").national_sentences == ()
