"""Seconds per article on the embedded local model, split into prompt processing, generation
and the rest, with and without prompt-prefix caching.

Starts its own llama.cpp server through the product (`extractor.local.running_server`), so it
needs the `[local]` extra and the model (fetched on first use). For each article it runs:

- cold: a fresh server, the article first (nothing cached: instructions, schema and article
  are all processed);
- warm: the same server after another article, so the shared prefix (instructions, examples,
  schema) is cached and only the article itself is new work.

The split comes from the server's own timing lines (llama.cpp's `prompt eval time` and
`eval time`); "rest" is the wall time of the request minus both (grammar-constrained
sampling, tokenising, HTTP, parsing). Run:

    python -m bench.local_speed                       # St Helens, default prompt
    python -m bench.local_speed --doc 004_32f130facc50a81a --prompt v3
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

from bench.machine import describe
from extractor.inputs.documents import Document
from extractor.local import LOCAL_DEFAULTS, running_server
from extractor.pipeline import Extractor
from extractor.settings import Settings

ARTICLES = Path(__file__).resolve().parent.parent / "eval" / "articles"
_TIMING = re.compile(r"(prompt eval|\s eval) time =\s+([\d.]+) ms /\s+(\d+)")


@dataclass
class Timing:
    """One request's wall time and the server's own split."""

    label: str
    wall: float
    prompt_seconds: float
    prompt_tokens: int
    generation_seconds: float
    generated_tokens: int

    @property
    def rest(self) -> float:
        """Wall time not spent in prompt processing or generation."""
        return self.wall - self.prompt_seconds - self.generation_seconds


def _server_split(log: Path, offset: int) -> tuple[float, int, float, int]:
    found = _TIMING.findall(log.read_text(errors="replace")[offset:])
    prompt = [(float(ms), int(n)) for kind, ms, n in found if kind == "prompt eval"]
    generation = [(float(ms), int(n)) for kind, ms, n in found if kind != "prompt eval"]
    # every request of the article counts (a prompt with a follow-up turn sends two)
    p_ms, p_n = sum(ms for ms, _ in prompt), sum(n for _, n in prompt)
    g_ms, g_n = sum(ms for ms, _ in generation), sum(n for _, n in generation)
    return p_ms / 1000, p_n, g_ms / 1000, g_n


def _run_one(settings: Settings, doc_id: str, label: str, log: Path) -> Timing:
    text = (ARTICLES / f"{doc_id}.txt").read_text(encoding="utf-8")
    extractor = Extractor(settings)
    offset = len(log.read_text(errors="replace")) if log.exists() else 0

    async def go() -> None:
        try:
            await extractor.aextract_document(Document(doc_id=doc_id, source=doc_id, text=text))
        finally:
            await extractor.aclose()

    started = time.perf_counter()
    asyncio.run(go())
    wall = time.perf_counter() - started
    time.sleep(0.5)  # let the server flush its timing lines
    return Timing(label, wall, *_server_split(log, offset))


def main() -> None:
    """Measure cold and warm seconds for one article and print the split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--doc", default="000_78c055c3b7e0ff81")
    parser.add_argument("--warm-with", default="004_32f130facc50a81a")
    parser.add_argument("--prompt", default=Settings().prompt)
    args = parser.parse_args()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)  # failures become records
    console = Console()
    console.print(describe())
    timings: list[Timing] = []
    for phase in ("cold", "warm"):
        with running_server(console=console) as server:
            values: dict[str, object] = {**LOCAL_DEFAULTS, "model": server.model_name}
            settings = Settings.from_env(
                env={}, base_url=server.base_url, api_key="local", prompt=args.prompt, **values
            )
            if phase == "warm":
                _run_one(settings, args.warm_with, "warm-up", server.log_path)
            timings.append(_run_one(settings, args.doc, phase, server.log_path))
    console.print(f"\nprompt {args.prompt}, article {args.doc}")
    console.print(f"{'run':<6} {'wall s':>8} {'prompt s':>9} {'(tokens)':>9} "
                  f"{'generate s':>11} {'(tokens)':>9} {'rest s':>8}")  # fmt: skip
    for t in timings:
        console.print(
            f"{t.label:<6} {t.wall:8.1f} {t.prompt_seconds:9.1f} {t.prompt_tokens:9d} "
            f"{t.generation_seconds:11.1f} {t.generated_tokens:9d} {t.rest:8.1f}"
        )


if __name__ == "__main__":
    main()
