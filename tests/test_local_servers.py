"""Several local servers of one model (`--local-servers N`, `local_model(servers=N)`): the cores
shared out between them, the settings that name them all, and a batch that keeps each busy
with one document at a time, every request of a document on the same server.

The servers are fakes (tiny HTTP servers, or the scriptable fake OpenAI endpoint); the real
model is never started here.
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from extractor.errors import ConfigurationError
from extractor.local import server as server_mod
from extractor.local.server import local_settings, server_command, server_threads
from extractor.pipeline import extract_many
from tests.conftest import MARKED_ARTICLE, fake_settings
from tests.fake_openai import FakeOpenAI, Reply, answer_reply
from tests.test_local_server import FAKE_SERVER, _answers, _gone, clean_env

__all__ = ["clean_env"]  # the fixture, used by name below

TWO_REQUESTS_PROMPT = "v14"
"""A prompt that asks every document two questions (the answer, then a follow-up turn)."""


@pytest.mark.parametrize(
    ("cores", "servers", "threads"), [(2, 1, None), (2, 2, 1), (8, 2, 4), (8, 3, 2), (1, 1, None)]
)
def test_each_server_gets_an_even_share_of_the_cores(
    monkeypatch: pytest.MonkeyPatch, cores: int, servers: int, threads: int | None
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert server_threads(servers) == threads


@pytest.mark.parametrize(("cores", "servers"), [(2, 3), (2, 0), (1, 2)])
def test_more_servers_than_cores_is_refused(
    monkeypatch: pytest.MonkeyPatch, cores: int, servers: int
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    with pytest.raises(ConfigurationError, match=f"the {cores} core"):
        server_threads(servers)


def test_the_server_command_runs_the_threads_it_is_given(tmp_path: Path) -> None:
    command = server_command(tmp_path / "m.gguf", 8089, "q", threads=3)
    assert command[command.index("--n_threads") + 1] == "3"
    assert command[command.index("--n_threads_batch") + 1] == "3"


class _PerPortFake:
    """`server_command` replaced by the fake server, a pid file per port, the threads asked."""

    def __init__(self, tmp_path: Path) -> None:
        self.script = tmp_path / "fake_server.py"
        self.script.write_text(FAKE_SERVER)
        self.model = tmp_path / "dummy-model.gguf"
        self.model.write_bytes(b"GGUF not really")
        self.folder = tmp_path
        self.threads: list[int | None] = []

    def command(
        self,
        model_path: Path,
        port: int,
        model_name: str,
        extra_args: Sequence[str] = (),
        *,
        threads: int | None = None,
    ) -> list[str]:
        self.threads.append(threads)
        pid_file = self.folder / f"server-{port}.pid"
        return [sys.executable, str(self.script), str(port), str(pid_file)]

    def pids(self) -> list[int]:
        return [int(path.read_text()) for path in self.folder.glob("server-*.pid")]


def test_two_local_servers_both_answer_and_both_stop_after_the_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    fake = _PerPortFake(tmp_path)
    monkeypatch.setattr(server_mod, "server_command", fake.command)
    monkeypatch.setattr(server_mod, "_require_server_package", lambda: None)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)

    with local_settings(model_path=fake.model, servers=2) as settings:
        urls = [settings.base_url, *settings.replica_urls]
        assert len(urls) == 2
        assert len(set(urls)) == 2
        assert all(url is not None and _answers(url) for url in urls)
        assert settings.concurrency == 2  # one document per server
        assert fake.threads == [2, 2]
        assert (clean_env / "server.log").exists()
        assert (clean_env / "server-2.log").exists()
        pids = fake.pids()
    assert len(pids) == 2
    deadline = time.monotonic() + 10
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in pids)


def test_one_local_server_has_no_replicas_and_every_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    fake = _PerPortFake(tmp_path)
    monkeypatch.setattr(server_mod, "server_command", fake.command)
    monkeypatch.setattr(server_mod, "_require_server_package", lambda: None)

    with local_settings(model_path=fake.model) as settings:
        assert settings.replica_urls == ()
        assert settings.concurrency == 1
        assert fake.threads == [None]  # server_command then uses every core


class _Tracker:
    """Which server saw which document's requests, and how many documents each server had in
    flight at once (each request takes `seconds`)."""

    def __init__(self, seconds: float = 0.15) -> None:
        self.seconds = seconds
        self.lock = threading.Lock()
        self.servers_of: dict[str, set[str]] = defaultdict(set)
        self.in_flight: Counter[str] = Counter()
        self.most_in_flight: Counter[str] = Counter()
        self.most_overall = 0

    def script(self, name: str) -> Any:
        def answer(number: int, body: dict[str, Any]) -> Reply:
            marker = re.search(r"Reference: (\w+)\.", str(body["messages"]))
            assert marker is not None
            with self.lock:
                self.servers_of[marker.group(1)].add(name)
                self.in_flight[name] += 1
                self.most_in_flight[name] = max(self.most_in_flight[name], self.in_flight[name])
                self.most_overall = max(self.most_overall, sum(self.in_flight.values()))
            time.sleep(self.seconds)
            with self.lock:
                self.in_flight[name] -= 1
            return answer_reply()

        return answer


def _documents(count: int) -> list[tuple[str, str]]:
    return [(f"doc{n}", MARKED_ARTICLE.format(marker=f"M{n}")) for n in range(count)]


def test_a_batch_keeps_each_server_on_one_document_at_a_time() -> None:
    tracker = _Tracker()
    with FakeOpenAI(tracker.script("a")) as first, FakeOpenAI(tracker.script("b")) as second:
        settings = fake_settings(
            first, prompt=TWO_REQUESTS_PROMPT, replica_urls=(second.base_url,), concurrency=2
        )
        records = extract_many(_documents(6), settings=settings)

        assert [record.status for record in records] == ["ok"] * 6
        assert len(first.requests) + len(second.requests) == 12  # two per document
    # every request of a document went to the same server
    assert all(len(servers) == 1 for servers in tracker.servers_of.values())
    assert len(tracker.servers_of) == 6
    # both servers worked, at the same time, never on two documents at once
    used = Counter(next(iter(servers)) for servers in tracker.servers_of.values())
    assert set(used) == {"a", "b"}
    assert tracker.most_overall == 2
    assert tracker.most_in_flight == Counter({"a": 1, "b": 1})


def test_more_documents_in_flight_than_servers_still_one_per_server() -> None:
    tracker = _Tracker(seconds=0.1)
    with FakeOpenAI(tracker.script("a")) as first, FakeOpenAI(tracker.script("b")) as second:
        settings = fake_settings(
            first, prompt=TWO_REQUESTS_PROMPT, replica_urls=(second.base_url,), concurrency=5
        )
        records = extract_many(_documents(5), settings=settings)

    assert [record.doc_id for record in records] == [f"doc{n}" for n in range(5)]
    assert tracker.most_in_flight == Counter({"a": 1, "b": 1})


def test_without_replicas_one_endpoint_takes_several_documents_at_once() -> None:
    """A remote endpoint (OpenAI) is not held to one document at a time."""
    tracker = _Tracker()
    with FakeOpenAI(tracker.script("only")) as server:
        settings = fake_settings(server, prompt=TWO_REQUESTS_PROMPT, concurrency=3)
        records = extract_many(_documents(3), settings=settings)

    assert [record.status for record in records] == ["ok"] * 3
    assert tracker.most_in_flight["only"] == 3
