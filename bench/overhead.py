"""CPU time the library spends per document outside the HTTP wait, split by stage.

Uses the five sample articles (`eval/articles/`) with realistic answers converted by hand
from the gold annotations (`bench.answers`: short verbatim fragments, as a model gives them).
Each stage is run over the five articles many times and timed with `time.process_time`
(CPU of this process, so other load on the machine does not inflate it; `perf_counter` wall
time is printed beside it). Stages, in the order a document meets them:

    prompt         Prompt.messages(text)
    validate       ArticleAnswer.model_validate_json(arguments) - the schema alone
    grounding      the same with context=validation_context(text), minus `validate`: the
                   evidence-grounding model validator (it runs `assemble` once)
    assemble       assemble(answer, text) - the pipeline grounds the answer again
    record         building the `Record`
    jsonl          JsonlWriter.write to a file on disk (one flushed line)

and end to end: `Extractor.aextract_document` with the HTTP transport replaced by an
in-process mock that returns the canned response at once (httpx MockTransport), plus the
JSONL write. That total includes what the stages above leave out - openai request building
and response parsing, httpx, instructor's request preparation, templating and retry loop -
shown as `plumbing` (end to end minus the stages). A few instructor internals are timed on
their own as "of which" lines to show where that plumbing goes.

    python -m bench.overhead               # 200 rounds x 5 articles per stage
    python -m bench.overhead --profile     # also cProfile the end-to-end loop
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import hashlib
import io
import pstats
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx2

import extractor.model.client as client_module
from bench.answers import Sample, load_samples
from bench.latency_server import completion_body
from bench.machine import describe
from bench.overhead_what_if import WHAT_IFS, what_if_patches
from extractor.answer.article import ArticleAnswer
from extractor.inputs.documents import Document
from extractor.model.client import ModelClient
from extractor.outputs.records import JsonlWriter
from extractor.pipeline import Extractor
from extractor.proof.assemble import assemble, validation_context
from extractor.schema import Record, Usage
from extractor.settings import Settings

GOAL_MS = 5.0


def timed(
    rounds: int, samples: list[Sample], step: Callable[[Sample], object]
) -> tuple[float, float]:
    """(CPU ms, wall ms) per document of `step`, over `rounds` passes of all samples."""
    for sample in samples:  # warm caches and lazy imports
        step(sample)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        for sample in samples:
            step(sample)
    documents = rounds * len(samples)
    return (
        1000 * (time.process_time() - cpu) / documents,
        1000 * (time.perf_counter() - wall) / documents,
    )


SINGLE_ANSWER_PROMPT = "v11"
"""The prompts these benches time send one request per document, answered by a canned
`ArticleAnswer`; the default prompt's narrow questions (v23) expect other answers."""


def bench_settings() -> Settings:
    """Settings for the in-process transport: a one-request prompt, no real endpoint."""
    return Settings(
        api_key="bench-key",
        base_url="http://127.0.0.1:9/v1",
        model="bench-model",
        prompt=SINGLE_ANSWER_PROMPT,
    )


class _Canned:
    """An httpx transport handler answering with the current sample's completion at once."""

    def __init__(self, samples: list[Sample]) -> None:
        self.bodies = {
            s.doc_id: httpx2.Response(200, json=completion_body(s.arguments)).content
            for s in samples
        }
        self.current = samples[0].doc_id

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        return httpx2.Response(
            200, content=self.bodies[self.current], headers={"content-type": "application/json"}
        )


@dataclass
class EndToEnd:
    """CPU and wall ms per document of extract + JSONL write, and what came out."""

    cpu_ms: float
    wall_ms: float
    not_ok: int
    """Records that were not ok or dropped facts (the answers should ground fully)."""
    digest: str
    """sha256 of the records' extractions: imitated optimisations must not change it."""


def end_to_end(
    rounds: int, samples: list[Sample], out: Path, profiler: cProfile.Profile | None = None
) -> EndToEnd:
    """Time `Extractor.aextract_document` + JSONL write with an instant in-process transport."""
    canned = _Canned(samples)
    http_client = httpx2.AsyncClient(transport=httpx2.MockTransport(canned))
    settings = bench_settings()
    extractor = Extractor(settings, client=ModelClient(settings, http_client=http_client))
    documents = [Document(doc_id=s.doc_id, source=s.doc_id, text=s.text) for s in samples]

    async def one_pass(writer: JsonlWriter) -> list[Record]:
        records = []
        for document in documents:
            canned.current = document.doc_id
            record = await extractor.aextract_document(document)
            writer.write(record)
            records.append(record)
        return records

    async def run() -> EndToEnd:
        with JsonlWriter(out) as writer:
            first = await one_pass(writer)  # warm-up
            if profiler is not None:
                profiler.enable()
            cpu, wall = time.process_time(), time.perf_counter()
            not_ok = 0
            for _ in range(rounds):
                records = await one_pass(writer)
                not_ok += sum(r.status != "ok" or r.dropped_facts > 0 for r in records)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            if profiler is not None:
                profiler.disable()
        await extractor.aclose()
        count = rounds * len(documents)
        digest = hashlib.sha256(
            "".join(
                r.model_dump_json(include={"status", "extraction", "dropped"}) for r in first
            ).encode()
        ).hexdigest()
        return EndToEnd(1000 * cpu / count, 1000 * wall / count, not_ok, digest[:12])

    return asyncio.run(run())


def _calls_per_document(
    name: str, samples: list[Sample], run: Callable[[cProfile.Profile], object]
) -> float:
    """How many times a function called `name` runs per document in `run` (via cProfile)."""
    profiler = cProfile.Profile()
    run(profiler)
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    calls = sum(value[1] for key, value in stats.items() if key[2] == name)
    return float(calls) / len(samples)


def instructor_parts(
    rounds: int, samples: list[Sample], tmp: Path
) -> list[tuple[str, float, float]]:
    """Time a few instructor internals that run on every request (n/a if they moved)."""
    rows: list[tuple[str, float, float]] = []
    extractor = Extractor(bench_settings())
    response_model = getattr(client_module, "_RESPONSE_MODEL", ArticleAnswer)
    try:
        from instructor import Mode
        from instructor.v2.core.response import handle_response_model
        from instructor.v2.core.templating import handle_templating  # type: ignore[attr-defined]
        from instructor.v2.validation.async_validators import reject_async_validators
    except ImportError as exc:  # pragma: no cover - depends on the installed instructor
        return [(f"instructor internals not found ({exc})", float("nan"), float("nan"))]

    def prepare(sample: Sample) -> object:
        return handle_response_model(
            response_model, mode=Mode.TOOLS, messages=extractor.prompt.messages(sample.text)
        )

    literal_messages = getattr(client_module, "_literal_messages", None)

    def template(sample: Sample) -> object:
        messages = extractor.prompt.messages(sample.text)
        variables: dict[str, str] = {}
        if literal_messages is not None:  # the client's guard against Jinja syntax in articles
            messages, variables = literal_messages(messages)
        context = {**variables, **validation_context(sample.text)}
        return handle_templating({"messages": messages}, Mode.TOOLS, context=context)

    def prepare_all(profiler: cProfile.Profile) -> None:
        profiler.enable()
        for sample in samples:
            prepare(sample)
        profiler.disable()

    scan = "reject_async_validators"
    scans = _calls_per_document(
        scan, samples, lambda p: end_to_end(1, samples, tmp / "scans.jsonl", p)
    )
    scans_in_prepare = _calls_per_document(scan, samples, prepare_all)
    scan_cpu, scan_wall = timed(rounds, samples, lambda s: reject_async_validators(response_model))
    prepare_cpu, prepare_wall = timed(rounds, samples, prepare)
    rows.append(
        (
            f"async-validator scans of the model ({scans:g} a request)",
            scans * scan_cpu,
            scans * scan_wall,
        )
    )
    rows.append(
        (
            f"tool schema + request kwargs, less its {scans_in_prepare:g} scans",
            prepare_cpu - scans_in_prepare * scan_cpu,
            prepare_wall - scans_in_prepare * scan_wall,
        )
    )
    rows.append(
        ("Jinja templating of the messages (context=...)", *timed(rounds, samples, template))
    )
    return rows


def what_if(rounds: int, samples: list[Sample], tmp: Path) -> list[tuple[str, EndToEnd]]:
    """End-to-end CPU ms/doc with each proposed optimisation imitated, then with all."""
    rows = []
    for names in [(), *((n,) for n in WHAT_IFS), WHAT_IFS]:
        with contextlib.ExitStack() as stack:
            for name in names:
                for patch in what_if_patches(name):
                    stack.enter_context(patch)
            result = end_to_end(rounds, samples, tmp / "what-if.jsonl")
        rows.append(("+".join(names) or "as is", result))
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="passes over the 5 articles")
    parser.add_argument("--profile", action="store_true", help="cProfile the end-to-end loop")
    parser.add_argument(
        "--what-if",
        action="store_true",
        help="also time end to end with each proposed optimisation imitated by monkeypatching",
    )
    parser.add_argument(
        "--per-call-wrapping",
        action="store_true",
        help="undo the client's one-time wrapping of ArticleAnswer (the cost before the fix)",
    )
    args = parser.parse_args(argv)
    if args.per_call_wrapping:
        client_module._RESPONSE_MODEL = ArticleAnswer
    samples = load_samples()
    extractor = Extractor(bench_settings())
    prompt = extractor.prompt
    answers = {s.doc_id: ArticleAnswer.model_validate_json(s.arguments) for s in samples}
    assembled = {s.doc_id: assemble(answers[s.doc_id], s.text) for s in samples}

    def record(sample: Sample) -> Record:
        result = assembled[sample.doc_id]
        return Record(
            doc_id=sample.doc_id,
            source=sample.doc_id,
            status="ok",
            prompt=prompt.info,
            model="bench-model",
            usage=Usage(prompt_tokens=1500, completion_tokens=400, attempts=1),
            extraction=result.extraction,
            dropped_facts=len(result.dropped),
            dropped=result.dropped,
            seconds=0.2,
        )

    records = {s.doc_id: record(s) for s in samples}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "records.jsonl"
        with JsonlWriter(out) as writer:
            stages: list[tuple[str, float, float]] = []
            stages.append(
                ("prompt", *timed(args.rounds, samples, lambda s: prompt.messages(s.text)))
            )
            validate = timed(
                args.rounds, samples, lambda s: ArticleAnswer.model_validate_json(s.arguments)
            )
            with_context = timed(
                args.rounds,
                samples,
                lambda s: ArticleAnswer.model_validate_json(
                    s.arguments, context=validation_context(s.text)
                ),
            )
            stages.append(("validate (schema)", *validate))
            stages.append(
                (
                    "grounding validator",
                    with_context[0] - validate[0],
                    with_context[1] - validate[1],
                )
            )
            stages.append(
                (
                    "assemble",
                    *timed(args.rounds, samples, lambda s: assemble(answers[s.doc_id], s.text)),
                )
            )
            stages.append(("record", *timed(args.rounds, samples, record)))
            stages.append(
                (
                    "jsonl write",
                    *timed(args.rounds, samples, lambda s: writer.write(records[s.doc_id])),
                )
            )
        profiler = cProfile.Profile() if args.profile else None
        e2e = end_to_end(args.rounds, samples, Path(tmp) / "e2e.jsonl", profiler)
        e2e_cpu, e2e_wall = e2e.cpu_ms, e2e.wall_ms
        what_ifs = what_if(args.rounds, samples, Path(tmp)) if args.what_if else []
        parts = instructor_parts(args.rounds, samples, Path(tmp))

    print(
        f"{describe()} (at the end); {args.rounds} rounds x "
        f"{len(samples)} articles ({sum(len(s.text) for s in samples):,} characters, "
        f"{sum(s.fragments for s in samples)} evidence fragments, "
        f"{sum(s.fallbacks for s in samples)} whole-quote fallbacks, "
        f"{sum(s.cut for s in samples)} gold facts over the schema's list caps left out) per stage"
    )
    print(f"\n{'stage':<58} {'CPU ms/doc':>10} {'wall ms/doc':>11}")
    print("-" * 81)
    for name, cpu, wall in stages:
        print(f"{name:<58} {cpu:>10.3f} {wall:>11.3f}")
    stage_cpu = sum(cpu for _, cpu, _ in stages)
    stage_wall = sum(wall for _, _, wall in stages)
    print(f"{'sum of the stages above':<58} {stage_cpu:>10.3f} {stage_wall:>11.3f}")
    print(
        f"{'plumbing: openai + httpx + instructor (end to end - sum)':<58} "
        f"{e2e_cpu - stage_cpu:>10.3f} {e2e_wall - stage_wall:>11.3f}"
    )
    for name, cpu, wall in parts:
        print(f"{'  of which ' + name:<58} {cpu:>10.3f} {wall:>11.3f}")
    print("-" * 81)
    print(
        f"{'TOTAL end to end (mock transport, no network)':<58} {e2e_cpu:>10.3f} {e2e_wall:>11.3f}"
    )
    if e2e.not_ok:
        print(f"WARNING: {e2e.not_ok} end-to-end records were not ok or dropped facts")
    verdict = "met" if e2e_cpu < GOAL_MS else "MISSED"
    print(f"\ngoal: total under {GOAL_MS:g} ms CPU per document -> {verdict} ({e2e_cpu:.2f} ms)")
    if what_ifs:
        print("\nwhat if (end to end, proposed optimisations imitated by monkeypatching):")
        print(f"{'imitated':<58} {'CPU ms/doc':>10} {'records':>12}")
        for name, result in what_ifs:
            same = "same" if result.digest == e2e.digest else "CHANGED!"
            note = f" ({result.not_ok} not ok!)" if result.not_ok else ""
            print(f"{name:<58} {result.cpu_ms:>10.3f} {same:>12}{note}")
    if profiler is not None:
        buffer = io.StringIO()
        stats = pstats.Stats(profiler, stream=buffer)
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(r"extractor|instructor|jinja2|json_schema", 30)
        print("\ncProfile of the end-to-end loop:")
        print(buffer.getvalue())


if __name__ == "__main__":
    main()
