"""Run the extractor over the gold articles: replaying recordings, live, or live and recording.

Replay (the default) serves every request from `cassettes/<prompt>/<model>/<doc_id>.yaml`
through vcrpy, so it needs no model and no network. A missing or stale recording becomes a
`RecordingProblem` naming the document and the command that records it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import vcr

from eval.recording import (
    VCR_CONFIG,
    cassette_dir,
    load_recorded_settings,
    save_recorded_settings,
)
from eval.sets import EVAL_DIR, set_documents
from extractor.inputs.documents import Document
from extractor.pipeline import Extractor
from extractor.schema import Record
from extractor.settings import Settings

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


@contextlib.contextmanager
def _cassette(path: Path, record_mode: str) -> Iterator[None]:
    recorder = vcr.VCR(record_mode=record_mode, **VCR_CONFIG)
    with recorder.use_cassette(str(path)):
        yield


async def _extract_each(
    extractor: Extractor, documents: list[Document], folder: Path | None, record_mode: str
) -> list[Record]:
    records = []
    for document in documents:
        if folder is None:
            records.append(await extractor.aextract_document(document))
            continue
        with _cassette(folder / f"{document.doc_id}.yaml", record_mode):
            records.append(await extractor.aextract_document(document))
    return records


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
    records, run.seconds = asyncio.run(_timed(extractor, documents, folder, "none"))
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
) -> Run:
    """Call the configured endpoint for every gold article of `sets`; with `record`, store
    cassettes (replacing the recordings of those articles only; with `keep`, replaying the
    requests already recorded and adding only new ones)."""
    mode = "record" if record else "live"
    run = Run(prompt=settings.prompt, model=settings.model, mode=mode, sets=sets)
    documents = gold_documents(doc_ids, sets)
    folder = None
    if record:
        folder = cassette_dir(settings.prompt, settings.model)
        folder.mkdir(parents=True, exist_ok=True)
        for document in documents if not keep else ():
            (folder / f"{document.doc_id}.yaml").unlink(missing_ok=True)
        save_recorded_settings(settings, folder)
    extractor = Extractor(settings)
    mode = "new_episodes" if keep else "all"
    run.records, run.seconds = asyncio.run(_timed(extractor, documents, folder, mode))
    return run


async def _timed(
    extractor: Extractor, documents: list[Document], folder: Path | None, record_mode: str
) -> tuple[list[Record], float]:
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        records = await _extract_each(extractor, documents, folder, record_mode)
    finally:
        await extractor.aclose()
    return records, loop.time() - started


def load_records(path: Path, sets: tuple[str, ...], doc_ids: list[str] | None = None) -> Run:
    """Records saved by `extractor extract` or a live run (JSONL), as a run over the gold
    articles of `sets` they cover: the last record of each document counts."""
    wanted = {d.doc_id for d in gold_documents(doc_ids, sets)}
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
