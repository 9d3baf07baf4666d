"""Serving settings of the local model side by side: for each variant (a set of extra
llama_cpp.server options, and optionally a prompt of its own), the same articles on a fresh
server of their own, per article and per request: prompt tokens reused from the cache and
evaluated anew, tokens generated, the server's prompt-eval and generation speed, wall time;
the server's peak RSS; each article's F1 against its gold; and whether the records are the
same as the first variant's with the same prompt (a setting that changes an answer is no
pure speed lever). Run on an idle machine: a timing means something only as a ratio within
one run.

    python -m bench.serving_settings                        # current vs --flash_attn true
    python -m bench.serving_settings --doc 000_78c055c3b7e0ff81 \\
        --variant "current=" --variant "flash=--flash_attn true" \\
        --variant "batch1024=--n_batch 1024"
    python -m bench.serving_settings --variant "v23=--prompt v23" --variant "v24=--prompt v24"
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.machine import describe
from eval.scoring import Tally, score_document
from eval.sets import load_gold
from extractor.inputs.documents import Document
from extractor.local import LOCAL_DEFAULTS, running_server
from extractor.pipeline import Extractor
from extractor.settings import Settings

ARTICLES = Path(__file__).resolve().parent.parent / "eval" / "articles"
_REQUEST = re.compile(
    r"(?:(\d+) prefix-match hit, remaining (\d+) prompt tokens to eval.*?)?"
    r"prompt eval time =\s+([\d.]+) ms /\s+(\d+) tokens.*?"
    r"\beval time =\s+([\d.]+) ms /\s+(\d+) runs",
    re.DOTALL,
)


@dataclass
class Turn:
    """One request as the server timed it."""

    cached: int
    evaluated: int
    prompt_seconds: float
    generated: int
    generation_seconds: float


@dataclass
class ArticleRun:
    """One article on one variant's server."""

    doc_id: str
    wall: float
    turns: list[Turn] = field(default_factory=list)
    record: str = ""
    score: Tally = field(default_factory=Tally)
    """The record's facts against the article's gold."""


def parse_turns(log_text: str) -> list[Turn]:
    """The requests of a server log excerpt, in order (llama.cpp's timing lines)."""
    turns = []
    for match in _REQUEST.finditer(log_text):
        hit, _, p_ms, p_n, g_ms, g_n = match.groups()
        turns.append(
            Turn(
                cached=int(hit or 0),
                evaluated=int(p_n),
                prompt_seconds=float(p_ms) / 1000,
                generated=int(g_n),
                generation_seconds=float(g_ms) / 1000,
            )
        )
    return turns


def peak_rss_gb(pid: int) -> float:
    """The peak resident memory of process `pid` so far, in GB."""
    status = Path(f"/proc/{pid}/status").read_text()
    kb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))  # type: ignore[union-attr]
    return kb / 1024 / 1024


def _run_article(settings: Settings, doc_id: str, log: Path) -> ArticleRun:
    text = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
    extractor = Extractor(settings)
    offset = len(log.read_text(errors="replace"))
    records = []

    async def go() -> None:
        try:
            document = Document(doc_id=doc_id, source=doc_id, text=text)
            records.append(await extractor.aextract_document(document))
        finally:
            await extractor.aclose()

    started = time.perf_counter()
    asyncio.run(go())
    wall = time.perf_counter() - started
    time.sleep(0.5)  # let the server flush its timing lines
    turns = parse_turns(log.read_text(errors="replace")[offset:])
    record = records[0].model_dump(mode="json", exclude={"seconds"})
    score = score_document(doc_id, load_gold(doc_id), records[0].extraction).overall
    return ArticleRun(doc_id, wall, turns, json.dumps(record, sort_keys=True), score)


def split_prompt(flags: list[str], default: str) -> tuple[list[str], str]:
    """A variant's server options without `--prompt NAME`, and the prompt it names (else
    `default`)."""
    if "--prompt" not in flags:
        return flags, default
    at = flags.index("--prompt")
    if at + 1 >= len(flags):
        raise SystemExit("--prompt in a variant needs a prompt name")
    return flags[:at] + flags[at + 2 :], flags[at + 1]


def run_variant(flags: list[str], docs: list[str], prompt: str) -> tuple[list[ArticleRun], float]:
    """Every article on one fresh server started with `flags`; the runs and peak RSS (GB)."""
    console = Console(stderr=True)
    with running_server(console=console, extra_args=flags) as server:
        values: dict[str, object] = {**LOCAL_DEFAULTS, "model": server.model_name}
        settings = Settings.from_env(
            env={}, base_url=server.base_url, api_key="local", prompt=prompt, **values
        )
        runs = [_run_article(settings, doc, server.log_path) for doc in docs]
        return runs, peak_rss_gb(server.process.pid)


def main() -> None:
    """Run every variant over the same articles and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", action="append", help="sample doc id (repeatable)")
    parser.add_argument("--prompt", default=Settings().prompt)
    parser.add_argument("--variant", action="append", help="NAME=extra server options")
    parser.add_argument("--per-turn", action="store_true", help="a row per request too")
    args = parser.parse_args()
    docs = args.doc or ["000_78c055c3b7e0ff81", "004_32f130facc50a81a"]
    variants = [v.split("=", 1) for v in (args.variant or ["current=", "flash=--flash_attn true"])]
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures become records
    console = Console(width=140)  # the whole table, also when written to a file
    console.print(describe())
    prompts = sorted({split_prompt(shlex.split(o), args.prompt)[1] for _, o in variants})
    title = f"prompt {', '.join(prompts)}: one fresh server per variant, articles in order"
    table = Table(title=title)
    for column in ("variant", "article", "requests", "wall s", "cached tok", "new tok",
                   "prompt tok/s", "generated", "gen tok/s", "F1", "same records"):  # fmt: skip
        table.add_column(column, justify="left" if column in ("variant", "article") else "right")
    first: dict[tuple[str, str], str] = {}
    for name, options in variants:
        flags, prompt = split_prompt(shlex.split(options), args.prompt)
        runs, peak = run_variant(flags, docs, prompt)
        micro = Tally()
        for run in runs:
            micro.add(run.score)
            first.setdefault((prompt, run.doc_id), run.record)
            p_s = sum(t.prompt_seconds for t in run.turns)
            g_s = sum(t.generation_seconds for t in run.turns)
            new = sum(t.evaluated for t in run.turns)
            generated = sum(t.generated for t in run.turns)
            table.add_row(
                name, run.doc_id[:12], str(len(run.turns)), f"{run.wall:.1f}",
                str(sum(t.cached for t in run.turns)), str(new),
                f"{new / p_s:.1f}" if p_s else "-", str(generated),
                f"{generated / g_s:.1f}" if g_s else "-", f"{run.score.f1:.3f}",
                "yes" if run.record == first[(prompt, run.doc_id)] else "NO",
            )  # fmt: skip
            if args.per_turn:
                for i, t in enumerate(run.turns, 1):
                    p_rate = t.evaluated / t.prompt_seconds if t.prompt_seconds else 0.0
                    g_rate = t.generated / t.generation_seconds if t.generation_seconds else 0.0
                    table.add_row(
                        "", f"  turn {i}", "", f"{t.prompt_seconds + t.generation_seconds:.1f}",
                        str(t.cached), str(t.evaluated), f"{p_rate:.1f}", str(t.generated),
                        f"{g_rate:.1f}", "", "",
                    )  # fmt: skip
        total = sum(r.wall for r in runs)
        table.add_row(
            name, "all", "", f"{total:.1f}", "", "", "", "", "", f"{micro.f1:.3f}",
            f"peak RSS {peak:.2f} GB",
        )  # fmt: skip
        table.add_section()
    console.print(table)


if __name__ == "__main__":
    main()
