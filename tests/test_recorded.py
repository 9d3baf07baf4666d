"""Record-replay tests: the real pipeline on the five sample articles, from real model output.

The cassettes in `cassettes/<prompt>/<model>/` were recorded from Qwen2.5-Coder-1.5B-Instruct
(GGUF, sha256 cc324af0...) served by llama-cpp-python 0.3.36 on 127.0.0.1, temperature 0, with
the default prompt named in `PROMPT`. Each test parses and grounds a recorded answer, so a
regression in parsing, grounding or normalisation fails here.

Re-record (after any change to the prompt or the answer schema) against a running server:

    extractor local serve --port 8089 &
    OPENAI_BASE_URL=http://127.0.0.1:8089/v1 pytest -m recorded --record-mode=rewrite

or simply `python -m eval --local --record`. A stale cassette does not replay silently: the
request body no longer matches and the test fails with the vcrpy mismatch.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from eval.recording import (
    DEFAULT_RECORDED_MODEL,
    VCR_CONFIG,
    cassette_dir,
    load_recorded_settings,
    save_recorded_settings,
)
from eval.scoring import invented_ccgs
from extractor.names.reference_table import normalize_ccg
from extractor.pipeline import extract
from extractor.schema import Evidence, Record
from extractor.settings import Settings
from tests.conftest import ARTICLES

PROMPT = Settings().prompt
FOLDER = cassette_dir(PROMPT, DEFAULT_RECORDED_MODEL)
DOC_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))

pytestmark = pytest.mark.recorded


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    return VCR_CONFIG


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(FOLDER)


@pytest.fixture
def default_cassette_name(doc_id: str) -> str:
    return doc_id


def _settings(record_mode: str) -> Settings:
    if record_mode == "none":
        return load_recorded_settings(FOLDER, prompt=PROMPT)
    from extractor.local import LOCAL_DEFAULTS

    base_url = os.environ.get("OPENAI_BASE_URL")
    if not base_url:
        pytest.fail("recording needs OPENAI_BASE_URL pointing at a running model server")
    values: dict[str, Any] = {**LOCAL_DEFAULTS, "model": DEFAULT_RECORDED_MODEL, "prompt": PROMPT}
    settings = Settings.from_env(**values)
    save_recorded_settings(settings, FOLDER)
    return settings


def _evidence(record: Record) -> list[Evidence]:
    extraction = record.extraction
    assert extraction is not None
    found: list[Evidence] = []
    for assessment in extraction.assessments:
        found += [assessment.evidence] if assessment.evidence else []
        found += [a.evidence for a in assessment.areas] + [
            i.evidence for i in assessment.indicators
        ]
    found += [m.evidence for m in extraction.metrics] + [q.evidence for q in extraction.quotes]
    found += [extraction.national.evidence] if extraction.national else []
    return found


@pytest.fixture
def recorded(doc_id: str, record_mode: str, vcr: Any) -> tuple[Record, str]:
    article = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
    record = extract(article, doc_id=doc_id, settings=_settings(record_mode))
    return record, article


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_recorded_answer_parses_and_every_offset_points_at_its_quote(
    recorded: tuple[Record, str],
) -> None:
    record, article = recorded
    assert record.status == "ok", record.error
    assert record.prompt.name == PROMPT
    for evidence in _evidence(record):
        assert article[evidence.start : evidence.end] == evidence.quote


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_recorded_answer_names_only_ccgs_of_the_article(recorded: tuple[Record, str]) -> None:
    record, article = recorded
    assert record.extraction is not None
    assert invented_ccgs(record.extraction, article) == []
    for assessment in record.extraction.assessments:
        assert assessment.ccg == normalize_ccg(assessment.ccg.as_written)


def test_cassettes_hold_no_secret() -> None:
    cassettes = list(Path(FOLDER).parent.parent.rglob("*.yaml"))
    assert cassettes, "no cassettes found"
    for path in cassettes:
        text = path.read_text(encoding="utf-8").lower()
        for needle in ("authorization", "bearer ", "api-key", "sk-"):
            assert needle not in text, f"{path} holds {needle!r}"


def test_a_stale_recording_fails_loudly(tmp_path: Path) -> None:
    """A prompt edit changes the request body: the replay must refuse, not answer."""
    import vcr

    prompt_dir = tmp_path / PROMPT
    prompt_dir.mkdir()
    source = Path(__file__).resolve().parent.parent / "prompts" / PROMPT
    for file in source.iterdir():
        (prompt_dir / file.name).write_text(file.read_text(encoding="utf-8") + "\nEdited.\n")
    settings = load_recorded_settings(FOLDER, prompt=str(prompt_dir))
    article = (ARTICLES / f"{DOC_IDS[0]}.txt").read_text(encoding="utf-8")
    recorder = vcr.VCR(record_mode="none", **VCR_CONFIG)
    with recorder.use_cassette(str(FOLDER / f"{DOC_IDS[0]}.yaml")):
        record = extract(article, doc_id=DOC_IDS[0], settings=settings)
    assert record.status == "error"
    assert record.error is not None
    assert "CannotOverwriteExistingCassetteException" in record.error.message


def test_recorded_settings_round_trip(tmp_path: Path) -> None:
    settings = Settings.from_env(env={}, model="m", extra_body='{"repeat_penalty": 1.0}')
    save_recorded_settings(settings, tmp_path)
    loaded = load_recorded_settings(tmp_path, prompt="v1")
    assert (loaded.model, loaded.extra_body, loaded.max_retries) == ("m", settings.extra_body, 0)
    assert loaded.base_url is not None and "127.0.0.1" in loaded.base_url


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", DOC_IDS)
def test_every_recorded_overall_rating_agrees_with_gold(recorded: tuple[Record, str]) -> None:
    """Precision of overall ratings: whatever CCG the model rates must carry the gold rating."""
    from eval.report import load_gold

    record, _ = recorded
    assert record.extraction is not None
    gold = {(a.ccg.name, a.year): a.overall for a in load_gold(record.doc_id).assessments}
    for assessment in record.extraction.assessments:
        if assessment.overall is not None:
            key = (assessment.ccg.name, assessment.year)
            assert key in gold, f"{key} is not assessed in the gold annotation"
            assert assessment.overall == gold[key]


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", ["000_78c055c3b7e0ff81"])
def test_st_helens_recorded(recorded: tuple[Record, str]) -> None:
    record, _ = recorded
    assert record.extraction is not None
    [assessment] = record.extraction.assessments
    assert (assessment.ccg.name, assessment.ccg.ods_code, assessment.year) == (
        "St Helens",
        "01X",
        "2016/17",
    )
    assert (assessment.overall, assessment.previous_overall) == (
        "requires_improvement",
        "inadequate",
    )
    assert assessment.evidence is not None and "'requires improvement'" in assessment.evidence.quote


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", ["004_32f130facc50a81a"])
def test_stockport_recorded(recorded: tuple[Record, str]) -> None:
    record, _ = recorded
    assert record.extraction is not None
    assert record.extraction.published is not None
    assert record.extraction.published.isoformat() == "2020-11-25"
    assert [(a.ccg.ods_code, a.overall) for a in record.extraction.assessments] == [("01W", "good")]


@pytest.mark.vcr
@pytest.mark.parametrize("doc_id", ["003_254b6992129abbf8"])
def test_staffordshire_recorded(recorded: tuple[Record, str]) -> None:
    """A group of CCGs rated in one sentence ("Five of the six CCGs"), one CCG rated apart
    from its group, and finances named as the concern of "the CCGs rated as inadequate"."""
    record, _ = recorded
    assert record.extraction is not None
    by_code = {a.ccg.ods_code: a for a in record.extraction.assessments}
    assert sorted(by_code) == ["04Y", "05D", "05G", "05V", "05W"]
    east = by_code.pop("05D")
    assert (east.overall, east.previous_overall, east.financial_concerns) == ("good", "good", False)
    assert east.evidence is not None and east.evidence.quote.startswith("East Staffordshire CCG")
    assert {a.overall for a in by_code.values()} == {"inadequate"}
    assert {a.financial_concerns for a in by_code.values()} == {True}
    for assessment in by_code.values():
        assert assessment.financial_evidence is not None
        assert "CCGs rated as inadequate" in assessment.financial_evidence.quote
