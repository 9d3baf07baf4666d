"""`python -m eval --record --kind-window N`: a window's interleaved requests are recorded in
one cassette, then split into one cassette per document that replays to the live record.

The "model" here is a local HTTP server answering each request with the response recorded
for the same request body in the v23 sample cassettes, so the traffic is real HTTP and the
answers are real model answers, replayed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from vcr.request import Request as VcrRequest

from eval import runner
from eval.recording import cassette_dir, load_recorded_settings
from eval.runner import replay, run_live
from extractor.errors import ConfigurationError
from extractor.schema import Record
from extractor.settings import Settings
from tests.fake_openai import FakeOpenAI, Reply

RECORDED = cassette_dir("v23", "qwen2.5-coder-1.5b-instruct")


def _key(body: Any) -> str:
    return json.dumps(body, sort_keys=True)


def _recorded_bodies() -> tuple[dict[str, str], dict[str, str]]:
    """Each recorded request body -> its recorded response body, and -> its document."""
    answers, owners = {}, {}
    for path in sorted(RECORDED.glob("0*.yaml")):
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            key = _key(json.loads(interaction["request"]["body"]))
            answers[key] = interaction["response"]["body"]["string"]
            owners[key] = path.name.split("_")[0]
    return answers, owners


def _cassette_bodies(path: Path) -> list[str]:
    interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
    return [_key(json.loads(i["request"]["body"])) for i in interactions]


def _live_settings(base_url: str, **changes: Any) -> Settings:
    recorded = load_recorded_settings(RECORDED, prompt="v23")
    return dataclasses.replace(recorded, base_url=base_url, api_key="test", **changes)


def _comparable(records: list[Record]) -> dict[str, object]:
    return {r.doc_id: r.model_dump(mode="json", exclude={"seconds"}) for r in records}


@pytest.fixture
def cassettes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Recordings go to (and replay from) a scratch folder."""
    folder = tmp_path / "v23" / "model"
    monkeypatch.setattr(runner, "cassette_dir", lambda prompt, model: folder)
    return folder


def test_a_window_recorded_kind_by_kind_splits_into_cassettes_that_replay(
    cassettes: Path,
) -> None:
    answers, owners = _recorded_bodies()

    def recorded_answer(number: int, body: dict[str, Any]) -> Reply:
        return Reply(body=answers[_key(body)])

    with FakeOpenAI(recorded_answer) as server:
        live = run_live(_live_settings(server.base_url, kind_window=3), record=True)
    sent = [owners[_key(body)] for body in server.requests]

    assert live.problems == []
    assert len(live.records) == 5 and all(r.status == "ok" for r in live.records)
    assert sent != sorted(sent)  # the documents' requests interleaved
    first_window = [i for i, doc_id in enumerate(sent) if doc_id in ("000", "001", "002")]
    assert first_window == list(range(len(first_window)))  # windows of 3, one after another
    assert not (cassettes / ".window.yaml").exists()
    split = {path.name.split("_")[0]: path for path in cassettes.glob("*.yaml")}
    assert sorted(split) == ["000", "001", "002", "003", "004"]
    assert {path.name for path in split.values()} == {p.name for p in RECORDED.glob("0*.yaml")}
    for doc_id, path in split.items():
        bodies = _cassette_bodies(path)
        assert bodies and all(owners[body] == doc_id for body in bodies)
        assert len(bodies) == sent.count(doc_id)

    replayed = replay("v23", "model")
    assert replayed.problems == []
    assert _comparable(replayed.records) == _comparable(live.records)


def test_a_document_whose_recording_does_not_replay_alone_is_a_problem(
    cassettes: Path,
) -> None:
    answers, owners = _recorded_bodies()
    failed: list[str] = []

    def one_server_error(number: int, body: dict[str, Any]) -> Reply:
        if owners[_key(body)] == "001" and not failed:
            failed.append("001")
            return Reply(status=500)  # the live run retries; a replay does not
        return Reply(body=answers[_key(body)])

    settings = _live_settings("", kind_window=2, max_retries=1, retry_max_wait=0.0)
    with FakeOpenAI(one_server_error) as server:
        live = run_live(dataclasses.replace(settings, base_url=server.base_url), record=True)

    assert all(r.status == "ok" for r in live.records)
    assert [(p.doc_id.split("_")[0], p.kind) for p in live.problems] == [("001", "stale")]


def test_keeping_recorded_requests_needs_a_window_of_one() -> None:
    with pytest.raises(ConfigurationError, match="kind window of 1"):
        run_live(Settings(kind_window=2), record=True, keep=True)


@pytest.mark.parametrize("window", [1, 3])
def test_a_live_run_reports_each_record_as_its_window_ends(cassettes: Path, window: int) -> None:
    answers, owners = _recorded_bodies()
    sent_before: list[tuple[str, set[str]]] = []

    def recorded_answer(number: int, body: dict[str, Any]) -> Reply:
        return Reply(body=answers[_key(body)])

    with FakeOpenAI(recorded_answer) as server:

        def seen(record: Record) -> None:
            asked = {owners[_key(body)] for body in server.requests}
            sent_before.append((record.doc_id.split("_")[0], asked))

        live = run_live(
            _live_settings(server.base_url, kind_window=window), record=True, on_record=seen
        )

    assert [doc_id for doc_id, _ in sent_before] == [r.doc_id.split("_")[0] for r in live.records]
    assert [doc_id for doc_id, _ in sent_before] == ["000", "001", "002", "003", "004"]
    for index, (doc_id, asked) in enumerate(sent_before):
        window_end = (index // window + 1) * window
        # reported before any request of a later window was sent
        assert asked <= {f"00{i}" for i in range(window_end)}, (doc_id, asked)


class _Stopped(Exception):
    """Stands for Ctrl-C between two documents of a live recording."""


def test_a_stopped_recording_keeps_the_old_cassettes_of_documents_not_done(
    cassettes: Path,
) -> None:
    answers, _ = _recorded_bodies()
    cassettes.mkdir(parents=True)
    for path in sorted(RECORDED.glob("0*.yaml")):
        (cassettes / path.name).write_text("old recording\n", encoding="utf-8")

    def recorded_answer(number: int, body: dict[str, Any]) -> Reply:
        return Reply(body=answers[_key(body)])

    def stop_after_the_second(record: Record) -> None:
        if record.doc_id.startswith("001"):
            raise _Stopped

    with FakeOpenAI(recorded_answer) as server, pytest.raises(_Stopped):
        run_live(_live_settings(server.base_url), record=True, on_record=stop_after_the_second)

    by_doc = {path.name[:3]: path.read_text(encoding="utf-8") for path in cassettes.glob("0*")}
    assert sorted(by_doc) == ["000", "001", "002", "003", "004"]
    for doc in ("000", "001"):  # recorded afresh
        assert by_doc[doc] != "old recording\n" and "interactions" in by_doc[doc]
    for doc in ("002", "003", "004"):  # never reached: the earlier recording stays
        assert by_doc[doc] == "old recording\n"
    assert not list(cassettes.glob(".*")), "no scratch cassette is left behind"


def test_a_document_stopped_mid_recording_keeps_its_old_cassette(tmp_path: Path) -> None:
    path = tmp_path / "doc.yaml"
    path.write_text("old recording\n", encoding="utf-8")
    with pytest.raises(_Stopped), runner._replacing_cassette(path) as cassette:
        request = VcrRequest("POST", "http://127.0.0.1:9/v1/chat/completions", b"{}", {})
        response = {"status": {"code": 200}, "headers": {}, "body": {"string": "{}"}}
        cassette.append(request, response)
        raise _Stopped
    assert path.read_text(encoding="utf-8") == "old recording\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["doc.yaml"]
