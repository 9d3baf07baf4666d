"""Several documents' requests asked kind by kind (`extractor.model.kind_order`): the order
depends on the documents alone, and the records are those of asking article by article."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from itertools import pairwise
from pathlib import Path

import pytest
import vcr
import yaml

from eval.recording import VCR_CONFIG, cassette_dir, load_recorded_settings
from eval.runner import gold_documents
from extractor import pipeline
from extractor.errors import ConfigurationError
from extractor.model.kind_order import WINDOW_GATE, KindByKind
from extractor.pipeline import Extractor
from extractor.schema import Record
from extractor.settings import Settings

QUESTIONS = {  # document -> the kinds of its requests, in its own order
    "A": ["quotes", "quotes", "figures", "ratings"],
    "B": ["quotes", "figures", "ratings", "ratings"],
    "C": ["figures", "ratings"],
}


async def _asked_order(seed: int) -> list[str]:
    """Run the three documents through one gate, each pausing a random while between its
    requests (as proving an answer takes CPU), and say in which order the requests went."""
    pause = random.Random(seed)
    sent: list[str] = []
    gate = KindByKind()

    async def document(name: str) -> None:
        for kind in QUESTIONS[name]:
            await asyncio.sleep(pause.random() / 200)
            async with gate.turn(kind):
                sent.append(f"{name}.{kind}")
                await asyncio.sleep(pause.random() / 200)

    token = WINDOW_GATE.set(gate)
    tasks = [asyncio.create_task(document(name)) for name in QUESTIONS]
    WINDOW_GATE.reset(token)
    gate.admit(tasks)
    await asyncio.gather(*tasks)
    return sent


def test_requests_go_kind_by_kind_in_document_order_whatever_the_timing() -> None:
    orders = [asyncio.run(_asked_order(seed)) for seed in (1, 2, 3)]

    assert orders[0] == [
        "A.quotes", "A.quotes", "B.quotes",
        "A.figures", "B.figures", "C.figures",
        "A.ratings", "B.ratings", "B.ratings", "C.ratings",
    ]  # fmt: skip
    assert orders[1] == orders[0] and orders[2] == orders[0]


def test_one_request_at_a_time_and_a_task_outside_the_window_passes_through() -> None:
    async def run() -> tuple[int, int, list[str]]:
        gate = KindByKind()
        out = {"window": 0, "all": 0}
        most = {"window": 0, "all": 0}
        sent = []

        async def document(name: str, in_window: bool) -> None:
            for kind in QUESTIONS[name]:
                async with gate.turn(kind):
                    for key in ("window", "all") if in_window else ("all",):
                        out[key] += 1
                        most[key] = max(most[key], out[key])
                    sent.append(name)
                    await asyncio.sleep(0.001)
                    for key in ("window", "all") if in_window else ("all",):
                        out[key] -= 1

        tasks = [asyncio.create_task(document(name, True)) for name in ("A", "B")]
        gate.admit(tasks)
        outsider = asyncio.create_task(document("C", False))  # not admitted: never waits
        await asyncio.gather(*tasks, outsider)
        return most["window"], most["all"], sent

    most_in_window, most_at_all, sent = asyncio.run(run())
    assert most_in_window == 1  # the window's requests one at a time
    assert most_at_all == 2  # the outsider's beside them
    assert sorted(sent) == ["A"] * 4 + ["B"] * 4 + ["C"] * 2


def test_the_window_waits_for_a_busy_document_but_not_for_one_failed_or_cancelled() -> None:
    async def run() -> list[str]:
        gate = KindByKind()
        sent: list[str] = []

        async def failing() -> None:
            async with gate.turn("quotes"):
                sent.append("A.quotes")
            raise RuntimeError("this document fails")

        async def busy_elsewhere() -> None:
            await asyncio.Event().wait()  # never asks: cancelled below

        async def asking() -> None:
            for kind in ("quotes", "figures"):
                async with gate.turn(kind):
                    sent.append(f"C.{kind}")

        tasks = [
            asyncio.create_task(failing()),
            asyncio.create_task(busy_elsewhere()),
            asyncio.create_task(asking()),
        ]
        gate.admit(tasks)
        await asyncio.sleep(0.01)
        assert sent == []  # B may still ask a quotation question: nobody goes yet
        tasks[1].cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return sent

    assert asyncio.run(run()) == ["A.quotes", "C.quotes", "C.figures"]


def test_a_window_must_be_at_least_one_document() -> None:
    assert Settings(kind_window=1).kind_window == 1
    with pytest.raises(ConfigurationError, match="kind_window"):
        Settings(kind_window=0)


def _all_samples_cassette(tmp_path: Path) -> Path:
    """The five samples' recorded v23 interactions in one cassette, as recorded."""
    folder = cassette_dir("v23", "qwen2.5-coder-1.5b-instruct")
    interactions = []
    for path in sorted(folder.glob("0*.yaml")):
        interactions += yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
    combined = tmp_path / "samples.yaml"
    combined.write_text(yaml.safe_dump({"interactions": interactions, "version": 1}))
    return combined


def _records(settings: Settings, cassette: Path) -> list[Record]:
    async def run() -> list[Record]:
        extractor = Extractor(settings)
        try:
            return [r async for r in extractor.aextract_many(gold_documents())]
        finally:
            await extractor.aclose()

    with vcr.VCR(record_mode="none", **VCR_CONFIG).use_cassette(str(cassette)):
        return asyncio.run(run())


def test_the_samples_replayed_kind_by_kind_give_the_same_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cassette = _all_samples_cassette(tmp_path)
    recorded = load_recorded_settings(
        cassette_dir("v23", "qwen2.5-coder-1.5b-instruct"), prompt="v23"
    )
    granted: list[str] = []

    class LoggedGate(KindByKind):
        def _let_next_through(self) -> None:
            before = list(self._waiting)
            super()._let_next_through()
            granted.extend(w.kind for w in before if w not in self._waiting)

    monkeypatch.setattr(pipeline, "KindByKind", LoggedGate)
    one_by_one = _records(dataclasses.replace(recorded, concurrency=1), cassette)
    assert granted == []  # no gate without a window
    kind_by_kind = _records(dataclasses.replace(recorded, kind_window=5), cassette)

    def dumped(records: list[Record]) -> dict[str, object]:
        return {r.doc_id: r.model_dump(mode="json", exclude={"seconds"}) for r in records}

    assert len(kind_by_kind) == 5 and all(r.status == "ok" for r in kind_by_kind)
    assert dumped(kind_by_kind) == dumped(one_by_one)
    assert len(granted) == sum(r.usage.attempts for r in kind_by_kind)  # all through the gate
    changes = sum(a != b for a, b in pairwise(granted))
    assert changes == len(set(granted)) - 1 == 2  # quotations, then figures, then ratings
    assert granted[0].startswith("You read quotations")
