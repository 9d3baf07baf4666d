"""Command line: `extractor extract PATH...`, `extractor prompts`, and the groups
`extractor local fetch|status|serve` (`local/commands.py`) and `extractor panel`
(`outputs/panel_command.py`).

Records go to `--out` (JSONL, appended, one flushed line each) or to stdout; progress and
the closing summary go to stderr. Exit codes: 0 all documents ok, 1 some failed, 2 bad usage
or configuration, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM, which stops the run as
Ctrl-C does: batch schedulers, containers and `timeout` send it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from extractor.errors import ExtractorError, redact
from extractor.inputs.documents import Document, iter_documents
from extractor.local.commands import local
from extractor.model.prompts import available_prompts
from extractor.outputs.panel_command import panel
from extractor.outputs.records import (
    JsonlWriter,
    LastRecord,
    last_records,
    read_records,
    repair_jsonl,
    to_do,
    write_csv,
)
from extractor.pipeline import Extractor
from extractor.schema import Record
from extractor.settings import ENV_VARS, Settings

__all__ = ["main"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143
_ENV_HELP = ", ".join(sorted(ENV_VARS.values()))


@dataclass
class Summary:
    """Running totals for the closing summary."""

    ok: int = 0
    errors: int = 0
    skipped: int = 0
    dropped: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    started: float = field(default_factory=time.perf_counter)
    interrupted: bool = False
    terminated: bool = False
    """Stopped by SIGTERM (exit 143) rather than Ctrl-C (exit 130)."""
    server_exit: str | None = None
    """How the local model's server exited while in use (the run then stops, exit 1)."""

    def add(self, record: Record) -> None:
        """Count one finished record."""
        if record.status == "ok":
            self.ok += 1
        else:
            self.errors += 1
        self.dropped += record.dropped_facts
        self.prompt_tokens += record.usage.prompt_tokens
        self.completion_tokens += record.usage.completion_tokens

    def render(self) -> str:
        """One line for stderr."""
        seconds = time.perf_counter() - self.started
        parts = [
            f"{self.ok} ok",
            f"{self.errors} error",
            f"{self.skipped} skipped (resume)",
            f"{self.dropped} facts dropped",
            f"tokens {self.prompt_tokens:,} prompt + {self.completion_tokens:,} completion",
            f"{seconds:.1f} s",
        ]
        prefix = "interrupted: " if self.interrupted else ""
        if self.server_exit is not None:
            prefix = "stopped (the local model server exited): "
        return prefix + ", ".join(parts)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ccg-extractor")
def main() -> None:
    """Extract NHS CCG annual-assessment ratings from press releases, with verbatim evidence."""
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures become records


_EXTRACT_HELP = f"""Extract assessments from PATHS: .txt/.html files, directories, - (stdin) or
.jsonl files of {{"id", "text"}} lines.

\b
Settings come from flags, else environment variables, else defaults:
{_ENV_HELP}.
OPENAI_API_KEY is needed for OpenAI; --local needs no key (its first run fetches the
model from the package index, once).

\b
Exit codes: 0 every document ok; 1 some documents failed (their error records
say why); 2 bad usage or configuration; 130 interrupted (Ctrl-C); 143 stopped by
SIGTERM, as cleanly as by Ctrl-C.
"""


@main.command(help=_EXTRACT_HELP)
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append JSONL records here (default: stdout).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write one CSV row per assessment.",
)
@click.option(
    "--prompt",
    help="Prompt version in prompts/ (or a folder path). Env EXTRACTOR_PROMPT; default v23.",
)
@click.option(
    "--model",
    help="Model name. Env EXTRACTOR_MODEL; default gpt-4o-mini (or the local model with --local).",
)
@click.option("--base-url", help="OpenAI-compatible endpoint. Env OPENAI_BASE_URL.")
@click.option(
    "--mode",
    type=click.Choice(["tools", "json_schema", "json", "md_json"]),
    help="instructor mode: tools (default; md_json with --local), json_schema (OpenAI), "
    "json, md_json. Env EXTRACTOR_MODE.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 512),
    help="Documents in flight at once (one with --kind-window above 1). Env "
    "EXTRACTOR_CONCURRENCY; default 4 (1 with --local).",
)
@click.option(
    "--kind-window",
    type=click.IntRange(1, 512),
    help="Take N documents at a time and send their requests one by one, kind by kind (every "
    "quotation question, then figures, then ratings), so a local server reuses each kind's "
    "instructions from its cache. Env EXTRACTOR_KIND_WINDOW; default 1 (off).",
)
@click.option("--temperature", type=click.FloatRange(0, 2), help="Sampling temperature; default 0.")
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    help="Seconds per HTTP request; default 120 (900 with --local).",
)
@click.option(
    "--max-retries", type=click.IntRange(0, 20), help="Transport retries per document; default 4."
)
@click.option(
    "--max-reasks",
    type=click.IntRange(0, 10),
    help="Re-asks when an answer fails validation; default 1 (0 with --local).",
)
@click.option(
    "--max-chars", type=click.IntRange(min=1), help="Refuse longer documents; default 40000."
)
@click.option(
    "--resume",
    is_flag=True,
    help="Skip documents already in --out with the same prompt and model (a document whose "
    "text changed since its record is done again).",
)
@click.option(
    "--retry-errors",
    is_flag=True,
    help="With --resume: do again the documents whose last record is an error.",
)
@click.option(
    "--local", is_flag=True, help="Run the embedded local model (needs the [local] extra)."
)
@click.option(
    "--model-path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="With --local: use this GGUF file instead of the default model.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar (default: when stderr is a terminal).",
)
def extract(
    paths: tuple[str, ...],
    out: Path | None,
    csv_path: Path | None,
    resume: bool,
    retry_errors: bool,
    local: bool,
    model_path: Path | None,
    progress: bool | None,
    **flags: Any,
) -> None:
    console = Console(stderr=True, soft_wrap=True)  # soft wrap: the summary stays one line
    if resume and out is None:
        raise click.UsageError("--resume needs --out: it skips documents already written there")
    if retry_errors and not resume:
        raise click.UsageError("--retry-errors only applies with --resume")
    if model_path is not None and not local:
        raise click.UsageError("--model-path only applies with --local")
    if (flags["kind_window"] or 1) > 1 and (flags["concurrency"] or 1) > 1:
        raise click.UsageError("--kind-window sends one request at a time: drop --concurrency")
    summary = Summary()
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        with _endpoint(local, model_path, flags, console, _stop_run(summary)) as settings:
            # Checked before any document: a missing key is a configuration error (exit 2),
            # not an error record per document that --resume would then count as done.
            settings.require_key()
            code = asyncio.run(
                _run(
                    paths,
                    settings,
                    out,
                    csv_path,
                    (resume, retry_errors),
                    progress,
                    summary,
                    console,
                )
            )
            signal.signal(signal.SIGTERM, _raise_terminated)  # the loop's handler is gone
    except KeyboardInterrupt as exc:
        summary.interrupted = True
        summary.terminated = summary.terminated or isinstance(exc, _Terminated)
    except ExtractorError as exc:
        console.print(f"[red]error:[/red] {escape(redact(exc.message))}")
        sys.exit(EXIT_USAGE)
    if summary.interrupted:
        code = EXIT_TERMINATED if summary.terminated else EXIT_INTERRUPTED
    if summary.server_exit is not None:
        console.print(
            f"[red]error:[/red] the local model server {escape(redact(summary.server_exit))}"
        )
        console.print(
            "documents not finished were not written; "
            "run again with --resume (and --retry-errors) to go on"
        )
        code = EXIT_FAILED
    console.print(summary.render())
    if summary.errors and code == EXIT_OK:
        console.print(f"{summary.errors} document(s) failed; see their error records")
        code = EXIT_FAILED
    sys.exit(code)


class _Terminated(KeyboardInterrupt):
    """SIGTERM outside the event loop (while the local model starts, say): unwinds like
    Ctrl-C, so context managers close what they opened."""


def _raise_terminated(signum: int, frame: object) -> None:
    raise _Terminated


def _stop_run(summary: Summary) -> Callable[[str], None]:
    """What to do when the local model's server exits mid-run: note how, and stop the run as
    SIGTERM does, so what is finished is written and the rest is left for --resume (each
    document would otherwise fail its requests over and over against a dead port)."""

    def stop(how: str) -> None:
        summary.server_exit = how
        os.kill(os.getpid(), signal.SIGTERM)

    return stop


def _stop_on_sigterm(summary: Summary) -> None:
    """Inside the event loop, SIGTERM cancels the run as Ctrl-C does."""
    loop = asyncio.get_running_loop()
    task = asyncio.current_task()

    def terminate() -> None:
        summary.terminated = True
        if task is not None:
            task.cancel()

    with contextlib.suppress(NotImplementedError):  # no loop signal handlers on Windows
        loop.add_signal_handler(signal.SIGTERM, terminate)


@contextlib.contextmanager
def _endpoint(
    local: bool,
    model_path: Path | None,
    flags: dict[str, Any],
    console: Console,
    on_server_exit: Callable[[str], None],
) -> Iterator[Settings]:
    if not local:
        yield Settings.from_env(**flags)
        return
    from extractor.local import local_settings

    with local_settings(
        flags, model_path=model_path, console=console, on_exit=on_server_exit
    ) as settings:
        yield settings


async def _run(
    paths: tuple[str, ...],
    settings: Settings,
    out: Path | None,
    csv_path: Path | None,
    resume: tuple[bool, bool],
    progress: bool | None,
    summary: Summary,
    console: Console,
) -> int:
    """Extract every document of `paths`; `resume` is (--resume, --retry-errors)."""
    _stop_on_sigterm(summary)
    extractor = Extractor(settings)
    done: dict[str, LastRecord] = {}
    if out is not None:
        removed = repair_jsonl(out)
        if removed:
            console.print(
                f"repaired {escape(str(out))}: removed a half-written last line ({removed} bytes)"
            )
        if resume[0]:
            done = last_records(out, prompt_sha256=extractor.prompt.sha256, model=settings.model)

    def pending() -> Iterator[Document]:
        for document in iter_documents(paths, max_chars=settings.max_chars):
            why = to_do(done.get(document.doc_id), document.text_sha256, retry_errors=resume[1])
            if why is None:
                summary.skipped += 1
                continue
            if why == "changed":
                console.print(f"redoing {escape(document.doc_id)}: its text changed since")
            yield document

    show_progress = console.is_terminal if progress is None else progress
    run_records: list[Record] = []
    writer = JsonlWriter(out if out is not None else sys.stdout)
    bar = Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not show_progress,
    )
    try:
        with bar:
            task = bar.add_task("extract", total=None)
            async for record in extractor.aextract_many(pending()):
                writer.write(record)
                summary.add(record)
                if out is None and csv_path is not None:
                    run_records.append(record)
                bar.advance(task)
    except asyncio.CancelledError:
        summary.interrupted = True
        return EXIT_TERMINATED if summary.terminated else EXIT_INTERRUPTED
    finally:
        writer.close()
        await extractor.aclose()
    if csv_path is not None:
        records = _latest(read_records(out)) if out is not None else run_records
        rows = write_csv(records, csv_path)
        console.print(f"wrote {rows} assessment row(s) to {escape(str(csv_path))}")
    return EXIT_OK


def _latest(records: Any) -> list[Record]:
    """Each document's last record, in the order the documents first appear."""
    return list({record.doc_id: record for record in records}.values())


@main.command("prompts")
def list_prompts() -> None:
    """List the prompt versions available to --prompt."""
    for name in available_prompts():
        click.echo(name)


main.add_command(local)
main.add_command(panel)

if __name__ == "__main__":  # pragma: no cover
    main()
