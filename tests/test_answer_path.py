"""The proof's layout (issue 19, docs/LAYOUT.md): one entry, one module per kind of fact and one
of shared sentence tools; and the answer's path through it, per kind of fact, stays short.

The path is measured by `python -m bench.answer_path`, in a process of its own per prompt (a
result cached by an earlier replay would hide the calls that computed it): the five samples'
recorded answers replayed with a profiler on, no model and no network.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.answer_path import FACT_KINDS

ROOT = Path(__file__).resolve().parent.parent
MOST_MODULES = 8
MOST_CALLS_UP = 8


def test_proof_holds_one_entry_one_module_per_kind_and_one_of_shared_tools() -> None:
    modules = {path.stem for path in (ROOT / "extractor" / "proof").glob("*.py")}
    assert modules - {"__init__"} == {"assemble", "sentence_tools", *FACT_KINDS}


@pytest.mark.slow
@pytest.mark.parametrize("prompt", ["v23", "v21"])
def test_each_kind_of_fact_visits_at_most_eight_modules(prompt: str) -> None:
    command = [sys.executable, "-m", "bench.answer_path", "--prompt", prompt, "--json"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    path = json.loads(done.stdout)
    assert path["replayed"] >= 4
    for kind, modules in path["by_kind"].items():
        assert f"extractor.proof.{kind}" in modules, f"{kind} never ran on {prompt}"
        assert len(modules) <= MOST_MODULES, (kind, modules)
    assert len(path["calls_up"]) <= MOST_CALLS_UP, path["calls_up"]
