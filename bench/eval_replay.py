"""Wall time of `python -m eval` (offline replay of the recorded answers) as a whole process.

Runs the command several times in a subprocess from the repository root, after one untimed
warm-up run (so the first run's cold file cache and `.pyc` compilation are not counted), and
prints min / median / max wall seconds, the exit codes, and what the last run printed. For
scale it also times `python -c "import eval.__main__"`: the interpreter start-up and imports
alone, which every run pays before replaying anything.

    python -m bench.eval_replay            # 7 runs
    python -m bench.eval_replay --runs 15
    python -m bench.eval_replay --root /tmp/old   # a checkout exported with `git archive`
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import describe, load

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 3.0


def time_command(
    command: list[str], runs: int, root: Path = ROOT
) -> tuple[list[float], list[int], str]:
    """Wall seconds and exit code of each of `runs` runs (after a warm-up), last output."""
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "120"}
    subprocess.run(command, cwd=root, env=env, capture_output=True, check=False)  # warm-up
    walls: list[float] = []
    codes: list[int] = []
    output = ""
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        codes.append(done.returncode)
        output = done.stdout + done.stderr
    return walls, codes, output


def summary(walls: list[float]) -> str:
    return (
        f"min {min(walls):.3f} s, median {statistics.median(walls):.3f} s, max {max(walls):.3f} s"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--root",
        type=Path,
        default=ROOT,
        help="checkout to run it in (e.g. an exported older commit); default this repository",
    )
    args = parser.parse_args(argv)
    print(f"{describe()}; {args.runs} runs each")
    print(f"in {args.root}")
    imports, _, _ = time_command(
        [sys.executable, "-c", "import eval.__main__"], args.runs, args.root
    )
    print(f"start-up + imports  (python -c 'import eval.__main__'): {summary(imports)}")
    walls, codes, output = time_command([sys.executable, "-m", "eval"], args.runs, args.root)
    print(f"python -m eval      (offline replay, whole process):   {summary(walls)}")
    print(f"exit codes: {sorted(set(codes))} (0 ok, 1 regression, 2 recordings missing/stale)")
    verdict = "met" if statistics.median(walls) < GOAL_SECONDS else "MISSED"
    print(f"load average at the end: {load()}")
    print(f"goal: median under {GOAL_SECONDS:g} s -> {verdict}")
    print("\nwhat the last run printed:")
    print(output.rstrip())


if __name__ == "__main__":
    main()
