"""Run the extractor over the gold articles: replaying recordings, live, or live and recording.

Replay (the default) serves every request from `cassettes/<prompt>/<model>/<doc_id>.yaml`
through vcrpy, so it needs no model and no network. A missing or stale recording becomes a
`RecordingProblem` naming the document and the command that records it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eval.recording import (
    VCR_CONFIG,
    cassette_dir,
    load_recorded_settings,
    save_interactions,
    save_recorded_settings,
)
from eval.sets import EVAL_DIR, set_doc_ids, set_documents
from extractor.errors import ConfigurationError
from extractor.inputs.documents import Document
from extractor.pipeline import Extractor
from extractor.schema import Record
from extractor.settings import Settings

if TYPE_CHECKING:
    from vcr.cassette import Cassette

__all__ = [
    "ARTICLES",
    "RecordingProblem",
    "Run",
    "gold_documents",
    "load_records",
    "replay",
    "run_live",
]

ARTICLES = EVAL_DIR / "articles"
_STALE_MARKER = "CannotOverwriteExistingCassetteException"


@dataclass
class RecordingProblem:
    """A document whose recording is missing or no longer matches the request."""

    doc_id: str
    kind: str  # "missing" | "stale"
    detail: str


@dataclass
class Run:
    """The records of one prompt x model over the gold articles of some sets."""

    prompt: str
    model: str
    mode: str  # "replay" | "live" | "record"
    sets: tuple[str, ...] = ("samples",)
    records: list[Record] = field(default_factory=list)
    problems: list[RecordingProblem] = field(default_factory=list)
    seconds: float = 0.0


def gold_documents(
    doc_ids: list[str] | None = None, sets: tuple[str, ...] = ("samples",)
) -> list[Document]:
    """The gold articles of `sets` as documents (doc id = file stem), optionally a subset."""
    return set_documents(sets, doc_ids)


def _record_command(prompt: str, sets: tuple[str, ...]) -> str:
    chosen = sets[0] if len(sets) == 1 else "all"
    return f"python -m eval --local --record --prompt {prompt} --set {chosen}"


def _vcr() -> Any:
    """vcrpy, which replaying and recording need; scoring saved records does not."""
    try:
        import vcr
    except ImportError:
        raise ConfigurationError(
            "replaying or recording cassettes needs vcrpy, in the dev extra: "
            "pip install -e '.[dev]' (scoring saved records with --records does not)"
        ) from None
    return vcr


@contextlib.contextmanager
def _cassette(path: Path, record_mode: str) -> Iterator[Cassette]:
    recorder = _vcr().VCR(record_mode=record_mode, **VCR_CONFIG)
    with recorder.use_cassette(str(path)) as cassette:
        yield cassette


@contextlib.contextmanager
def _replacing_cassette(path: Path) -> Iterator[Cassette]:
    """Record one document afresh into a scratch cassette that takes the place of `path` only
    once the document is done: a run stopped part-way keeps the earlier recording of every
    document it did not finish. A document that sent no request leaves no cassette."""
    partial = path.with_name(f".{path.stem}.partial.yaml")
    partial.unlink(missing_ok=True)
    try:
        with _cassette(partial, "all") as cassette:
            yield cassette
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if partial.exists():
        partial.replace(path)
    else:
        path.unlink(missing_ok=True)


async def _extract_each(
    extractor: Extractor,
    documents: list[Document],
    folder: Path | None,
    record_mode: str,
    on_record: Callable[[Record], None] | None = None,
) -> tuple[list[Record], list[RecordingProblem]]:
    """Replay one document at a time; live, `kind_window` documents at a time (one
    document's window when it is 1), recording each window and splitting it per document.
    `on_record` is called with each record as its window ends."""
    size = 1 if record_mode == "none" else extractor.settings.kind_window
    records: list[Record] = []
    problems: list[RecordingProblem] = []
    source = iter(documents)
    while window := list(itertools.islice(source, size)):
        if folder is None:
            records += await _extract_window(extractor, window)
        elif size == 1:
            path = folder / f"{window[0].doc_id}.yaml"
            fresh = record_mode == "all"  # not replaying, nor adding to a recording
            with _replacing_cassette(path) if fresh else _cassette(path, record_mode):
                records.append(await extractor.aextract_document(window[0]))
        else:
            recorded, split_problems = await _record_window(extractor, window, folder)
            records += recorded
            problems += split_problems
        if on_record is not None:
            for record in records[-len(window) :]:
                on_record(record)
    return records, problems


async def _extract_window(extractor: Extractor, window: list[Document]) -> list[Record]:
    """The records of `window` (one kind window at most), in the window's order."""
    by_doc = {record.doc_id: record async for record in extractor.aextract_many(window)}
    return [by_doc[document.doc_id] for document in window]


async def _record_window(
    extractor: Extractor, window: list[Document], folder: Path
) -> tuple[list[Record], list[RecordingProblem]]:
    """Record a kind window's interleaved requests in one cassette, then give each document
    its own: the interactions its replay alone plays (so every cassette is proven to replay
    to the live record)."""
    combined = folder / ".window.yaml"
    combined.unlink(missing_ok=True)
    with _cassette(combined, "all"):
        records = await _extract_window(extractor, window)
    replayer = Extractor(load_recorded_settings(folder, prompt=extractor.settings.prompt))
    problems = []
    try:
        for document, live in zip(window, records, strict=True):
            with _cassette(combined, "none") as cassette:
                replayed = await replayer.aextract_document(document)
            played = sorted(index for index, count in cassette.play_counts.items() if count)
            save_interactions(cassette, played, folder / f"{document.doc_id}.yaml")
            if _comparable(replayed) != _comparable(live):
                detail = "its requests, replayed alone, do not give the live record"
                problems.append(RecordingProblem(document.doc_id, "stale", detail))
    finally:
        await replayer.aclose()
        combined.unlink(missing_ok=True)
    return records, problems


def _comparable(record: Record) -> dict[str, object]:
    return record.model_dump(mode="json", exclude={"seconds"})


def replay(
    prompt: str,
    model: str,
    doc_ids: list[str] | None = None,
    sets: tuple[str, ...] = ("samples",),
) -> Run:
    """Replay the recorded responses of `prompt` x `model` for the gold articles of `sets`."""
    run = Run(prompt=prompt, model=model, mode="replay", sets=sets)
    command = _record_command(prompt, sets)
    folder = cassette_dir(prompt, model)
    try:
        settings = load_recorded_settings(folder, prompt=prompt)
    except FileNotFoundError:
        run.problems = [
            RecordingProblem(d.doc_id, "missing", f"record it with: {command}")
            for d in gold_documents(doc_ids, sets)
        ]
        return run
    documents = []
    for document in gold_documents(doc_ids, sets):
        if (folder / f"{document.doc_id}.yaml").exists():
            documents.append(document)
        else:
            detail = f"no {folder.name}/{document.doc_id}.yaml; record: {command}"
            run.problems.append(RecordingProblem(document.doc_id, "missing", detail))
    extractor = Extractor(settings)
    records, _, run.seconds = asyncio.run(_timed(extractor, documents, folder, "none"))
    for record in records:
        failed_turn = any(_STALE_MARKER in (d.reason or "") for d in record.dropped)
        if failed_turn or (
            record.status == "error" and record.error and _STALE_MARKER in record.error.message
        ):
            detail = f"the request no longer matches the recording; re-record: {command}"
            run.problems.append(RecordingProblem(record.doc_id, "stale", detail))
        else:
            run.records.append(record)
    return run


def run_live(
    settings: Settings,
    *,
    record: bool,
    doc_ids: list[str] | None = None,
    sets: tuple[str, ...] = ("samples",),
    keep: bool = False,
    on_record: Callable[[Record], None] | None = None,
) -> Run:
    """Call the configured endpoint for every gold article of `sets`; with `record`, store
    cassettes (replacing the recordings of those articles only, each once it is done, so a
    stopped run loses no earlier recording; with `keep`, replaying the requests already
    recorded and adding only new ones). With `settings.kind_window` above 1
    the documents go `kind_window` at a time, kind by kind, as `extractor extract` sends them;
    each window is recorded whole, then split into one cassette per document. `on_record`
    is called with each record as soon as its document (or its window) is done."""
    if keep and settings.kind_window > 1:
        raise ConfigurationError(
            "--keep-recorded records one document at a time: use a kind window of 1"
        )
    mode = "record" if record else "live"
    run = Run(prompt=settings.prompt, model=settings.model, mode=mode, sets=sets)
    documents = gold_documents(doc_ids, sets)
    folder = None
    if record:
        folder = cassette_dir(settings.prompt, settings.model)
        save_recorded_settings(settings, folder)
    extractor = Extractor(settings)
    mode = "new_episodes" if keep else "all"
    run.records, run.problems, run.seconds = asyncio.run(
        _timed(extractor, documents, folder, mode, on_record)
    )
    return run


async def _timed(
    extractor: Extractor,
    documents: list[Document],
    folder: Path | None,
    record_mode: str,
    on_record: Callable[[Record], None] | None = None,
) -> tuple[list[Record], list[RecordingProblem], float]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        records, problems = await _extract_each(
            extractor, documents, folder, record_mode, on_record
        )
    finally:
        await extractor.aclose()
    return records, problems, loop.time() - started


def load_records(path: Path, sets: tuple[str, ...], doc_ids: list[str] | None = None) -> Run:
    """Records saved by `extractor extract` or a live run (JSONL), as a run over the gold
    articles of `sets` they cover: the last record of each document counts."""
    wanted = set(set_doc_ids(sets, doc_ids))
    by_doc: dict[str, Record] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = Record.model_validate_json(line)
            if record.doc_id in wanted:
                by_doc[record.doc_id] = record
    first = next(iter(by_doc.values()), None)
    run = Run(
        prompt=first.prompt.name if first else path.stem,
        model=first.model if first else "?",
        mode="records",
        sets=sets,
    )
    run.records = [by_doc[doc_id] for doc_id in sorted(by_doc)]
    run.problems = [
        RecordingProblem(doc_id, "missing", f"no record in {path}")
        for doc_id in sorted(wanted - set(by_doc))
    ]
    return run
