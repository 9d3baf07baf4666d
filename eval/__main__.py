"""`python -m eval`: score the extractor against the gold articles.

With no arguments it replays the recorded responses of the default prompt and the local model
on every gold set (samples, dev and test; offline, a few seconds) and reports each set apart
and together. `--set` picks one set. `--live` calls the configured endpoint, `--local` the
embedded model, `--record` stores what came back. Several `--prompt` options compare prompts
side by side, fact by fact. Exit codes: 0 ok; 1 micro-F1 of a set fell by more than
`--max-drop` below `--baseline`; 2 recordings missing or stale, or bad usage.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape

from eval.recording import DEFAULT_RECORDED_MODEL, model_slug
from eval.report import ScoredRun, render, render_comparison, score_run, write_json
from eval.runner import Run, load_records, replay, run_live
from eval.scoring import Tally
from eval.sets import SET_NAMES, chosen_sets, resolve_doc_ids, set_doc_ids
from extractor.errors import ExtractorError
from extractor.outputs.records import JsonlWriter
from extractor.schema import Record
from extractor.settings import Settings

RUNS = Path(__file__).resolve().parent / "runs"
EXIT_OK, EXIT_DROP, EXIT_PROBLEM = 0, 1, 2


@contextlib.contextmanager
def _live_settings(local: bool, flags: dict[str, Any]) -> Iterator[Settings]:
    if not local:
        yield Settings.from_env(**flags)
        return
    from extractor.local import local_settings

    with local_settings(flags) as settings:
        yield settings


def _save_run(run: Run, scored: ScoredRun) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    stem = RUNS / f"{stamp}_{run.prompt}_{model_slug(run.model)}"
    RUNS.mkdir(parents=True, exist_ok=True)
    with JsonlWriter(stem.with_suffix(".jsonl")) as writer:
        for record in run.records:
            writer.write(record)
    write_json([scored], stem.with_suffix(".json"))
    return stem.with_suffix(".json")


def _baseline_f1s(path: Path, prompt: str) -> dict[str, float]:
    """The baseline micro-F1 of each set (the key "all" for a baseline without sets)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    runs = data.get("runs", [])
    chosen = next((r for r in runs if r.get("prompt") == prompt), runs[0] if runs else None)
    if chosen is None:
        raise click.UsageError(f"{path} holds no runs")
    sets = chosen.get("sets") or {"all": chosen}
    return {name: float(part["overall"]["f1"]) for name, part in sets.items()}


def _progress_line(total: int) -> Callable[[Record], None]:
    """A line on stderr as each document of a live run is done: a run of the whole dev set
    takes well over an hour on the local model."""
    progress = Console(stderr=True, highlight=False, soft_wrap=True)
    done = 0

    def show(record: Record) -> None:
        nonlocal done
        done += 1
        usage = record.usage
        tokens = f"{usage.prompt_tokens:,}+{usage.completion_tokens:,} tokens"
        progress.print(
            f"  {done}/{total} {record.doc_id}: {record.status}, {record.seconds:.0f} s, {tokens}"
        )

    return show


def _gate(baseline: Path, scored: ScoredRun, max_drop: float, console: Console) -> bool:
    """Compare every set the baseline holds; True when none fell by more than `max_drop`."""
    now: dict[str, Tally] = {name: part.overall for name, part in scored.by_set().items()}
    now["all"] = scored.overall
    ok = True
    for name, before in _baseline_f1s(baseline, scored.run.prompt).items():
        tally = now.get(name)
        if tally is None:
            console.print(f"[red]regression:[/red] set {name} not scored (baseline {before:.3f})")
            ok = False
            continue
        verdict = f"{name}: micro-F1 {tally.f1:.3f} vs baseline {before:.3f}"
        verdict += f" (max drop {max_drop:.3f})"
        # baselines hold F1 rounded to 4 decimals (`--json`): compare at that precision, or a
        # baseline that rounded up fails the very run it was written from
        if before - round(tally.f1, 4) > max_drop + 1e-9:
            console.print(f"[red]regression:[/red] {verdict}")
            ok = False
        else:
            console.print(f"baseline ok: {verdict}")
    return ok


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--prompt", "prompts", multiple=True, help="Prompt version; repeat to compare.")
@click.option(
    "--model",
    "models",
    multiple=True,
    help=f"Model; repeat for a prompt x model matrix (replay default: {DEFAULT_RECORDED_MODEL}).",
)
@click.option("--live", is_flag=True, help="Call the configured endpoint (OPENAI_*).")
@click.option("--local", is_flag=True, help="Call the embedded local model (implies --live).")
@click.option("--record", is_flag=True, help="With --live/--local: store the responses.")
@click.option("--keep-recorded", is_flag=True,
              help="With --record: replay requests already recorded, record only new ones "
                   "(the cassettes keep requests the code no longer makes; record without it "
                   "to start them afresh).")  # fmt: skip
@click.option("--kind-window", type=click.IntRange(min=1),
              help="Live: N documents at a time, their requests kind by kind, as "
                   "`extractor extract --kind-window`; recorded whole, then split per "
                   "document. Env EXTRACTOR_KIND_WINDOW; default 1.")  # fmt: skip
@click.option("--set", "set_choice", type=click.Choice([*SET_NAMES, "all"]), default="all",
              show_default=True, help="Gold set to score: samples, dev, test or all.")  # fmt: skip
@click.option("--doc", "doc_ids", multiple=True,
              help="Only these documents: an id, or the start of one (dev_33).")  # fmt: skip
@click.option("--records", "records_path",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Score records saved earlier (JSONL) instead of replaying.")  # fmt: skip
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--baseline", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--max-drop", type=float, default=0.0, show_default=True,
              help="With --baseline: fail when micro-F1 falls by more than this.")  # fmt: skip
def main(
    prompts: tuple[str, ...],
    models: tuple[str, ...],
    live: bool,
    local: bool,
    record: bool,
    keep_recorded: bool,
    kind_window: int | None,
    set_choice: str,
    doc_ids: tuple[str, ...],
    records_path: Path | None,
    json_path: Path | None,
    html_path: Path | None,
    baseline: Path | None,
    max_drop: float,
) -> None:
    """Score extractions of the gold articles; compare prompts fact by fact."""
    console = Console()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures become records
    if record and not (live or local):
        raise click.UsageError("--record needs --live or --local")
    if keep_recorded and not record:
        raise click.UsageError("--keep-recorded needs --record")
    if kind_window is not None and not (live or local):
        raise click.UsageError("--kind-window needs --live or --local")
    sets = chosen_sets(set_choice)
    try:
        docs = resolve_doc_ids(sets, list(doc_ids)) or None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--doc") from None
    runs: list[Run] = []
    try:
        names = list(prompts) or [Settings.from_env().prompt]
        if records_path is not None:
            runs = [load_records(records_path, sets, docs)]
        elif live or local:
            for name, model in [(n, m) for n in names for m in (models or (None,))]:
                flags = {"prompt": name, "model": model, "kind_window": kind_window}
                with _live_settings(local, flags) as settings:
                    console.print(f"running {name} x {settings.model} live ...")
                    runs.append(
                        run_live(
                            settings,
                            record=record,
                            doc_ids=docs,
                            sets=sets,
                            keep=keep_recorded,
                            on_record=_progress_line(len(set_doc_ids(sets, docs))),
                        )
                    )
        else:
            chosen = models or (DEFAULT_RECORDED_MODEL,)
            runs = [replay(name, model, docs, sets) for name in names for model in chosen]
    except ExtractorError as exc:
        console.print(f"[red]error:[/red] {escape(exc.message)}")
        sys.exit(EXIT_PROBLEM)
    scored = [score_run(run) for run in runs]
    for item in scored:
        render(item, console)
        if item.run.mode not in ("replay", "records"):
            console.print(f"saved {_save_run(item.run, item)}")
    if len(scored) > 1:
        render_comparison(scored, console)
    if json_path is not None:
        write_json(scored, json_path)
    if html_path is not None:
        from eval.html_report import write_html

        write_html(scored, html_path)
        console.print(f"wrote {html_path}")
    code = EXIT_OK
    if any(run.problems for run in runs):
        code = EXIT_PROBLEM
    if baseline is not None and not _gate(baseline, scored[0], max_drop, console):
        code = code or EXIT_DROP
    sys.exit(code)


if __name__ == "__main__":
    main()
