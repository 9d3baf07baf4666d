"""Follow the model's answer through the proof, call by call, and count where it goes.

Replays the recorded answers of the five sample articles (prompt v23, no model needed) with a
profiler on, and looks at every call made while a function of `extractor.proof` is running:

- **modules visited**: the package's modules whose functions run during the proof;
- **calls back up**: distinct calls (caller function -> called function) from a module to one
  of a higher layer (`tests/test_layout.py`, docs/LAYOUT.md): a callback, or a call that
  the imports hide;
- **returns to a module already left**: distinct calls into a module that is already running
  further down the call stack: the path comes back to a module it went on from;
- **per fact kind**: the modules visited while the module proving that kind
  (`proof/overall.py`, `proof/previous.py`, ...) is running, itself included.

Run: `python -m bench.answer_path [--prompt v23]`. `--renamed FILE` (JSON, old module name ->
new one) measures a checkout from before a move with today's layers; `--json` prints the
counts for `tests/test_answer_path.py`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from eval.runner import replay
from tests.test_layout import layer_of

MODEL = "qwen2.5-coder-1.5b-instruct"
FACT_KINDS = (
    "overall",
    "previous",
    "finances",
    "areas_and_indicators",
    "national",
    "metrics",
    "quotes",
    "dates",
)
"""The modules of `extractor.proof` that each prove one kind of fact."""


class PathTracer:
    """A profiler hook that records the package's calls made inside the proof."""

    def __init__(self, renamed: dict[str, str]) -> None:
        self.renamed = renamed
        self.modules: set[str] = set()
        self.calls_up: set[tuple[str, str]] = set()
        self.returns: set[tuple[str, str]] = set()
        self.by_kind: dict[str, set[str]] = {kind: set() for kind in FACT_KINDS}

    def module_of(self, frame: FrameType) -> str | None:
        """The package module `frame` runs in (by its new name), or None outside the package."""
        name = str(frame.f_globals.get("__name__", ""))
        if not name.startswith("extractor"):
            return None
        return self.renamed.get(name, name)

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call":
            return
        callee = self.module_of(frame)
        if callee is None:
            return
        below = []  # the package modules running further down the stack, nearest first
        caller_frame = frame.f_back
        while caller_frame is not None:
            module = self.module_of(caller_frame)
            if module is not None:
                below.append((module, caller_frame))
            caller_frame = caller_frame.f_back
        if not any(module.startswith("extractor.proof") for module, _ in below) and not (
            callee.startswith("extractor.proof")
        ):
            return
        self.modules.add(callee)
        for module in {callee} | {module for module, _ in below}:
            kind = module.removeprefix("extractor.proof.")
            if kind in self.by_kind:
                self.by_kind[kind].add(callee)
        if not below:
            return
        caller, caller_code = below[0][0], below[0][1].f_code
        edge = (f"{caller}.{caller_code.co_name}", f"{callee}.{frame.f_code.co_name}")
        if caller != callee and (layer_of(callee) or 0) > (layer_of(caller) or 0):
            self.calls_up.add(edge)
        if caller != callee and callee in {module for module, _ in below[1:]}:
            self.returns.add(edge)


def follow_answers(prompt: str, renamed: dict[str, str] | None = None) -> tuple[PathTracer, int]:
    """Replay the five samples' recorded answers to `prompt` under the tracer: what the
    answer's path visited, and how many records were replayed. Run it once per process: a
    result cached by an earlier replay hides the calls that computed it."""
    tracer = PathTracer(renamed or {})
    sys.setprofile(tracer)
    try:
        run = replay(prompt, MODEL, sets=("samples",))
    finally:
        sys.setprofile(None)
    return tracer, len(run.records)


def main() -> None:
    """Replay the samples under the tracer and print what the answer's path visits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default="v23")
    parser.add_argument("--renamed", type=Path, help="JSON: old module name -> new one")
    parser.add_argument("-v", "--verbose", action="store_true", help="list modules and calls")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args()
    renamed = json.loads(args.renamed.read_text()) if args.renamed else {}
    tracer, replayed = follow_answers(args.prompt, renamed)
    if args.json:
        by_kind = {kind: sorted(modules) for kind, modules in tracer.by_kind.items()}
        counts = {"replayed": replayed, "modules": sorted(tracer.modules), "by_kind": by_kind}
        print(json.dumps({**counts, "calls_up": sorted(map(list, tracer.calls_up))}))
        return
    print(f"prompt {args.prompt}: {replayed} sample records replayed")
    print(f"modules visited:                  {len(tracer.modules)}")
    print(f"calls back up to a higher layer:  {len(tracer.calls_up)}")
    print(f"returns to a module already left: {len(tracer.returns)}")
    print("modules visited per fact kind:   ", end="")
    print(", ".join(f"{kind} {len(modules)}" for kind, modules in tracer.by_kind.items()))
    if args.verbose:
        for module in sorted(tracer.modules):
            print("  visits", module, layer_of(module))
        for kind, modules in tracer.by_kind.items():
            print("  kind  ", kind, sorted(m.removeprefix("extractor.") for m in modules))
        for caller, callee in sorted(tracer.calls_up):
            print("  up    ", caller, "->", callee)
        for caller, callee in sorted(tracer.returns):
            print("  return", caller, "->", callee)


if __name__ == "__main__":
    main()
