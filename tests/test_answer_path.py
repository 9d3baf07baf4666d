"""The proof's layout (issue 19, docs/LAYOUT.md): one entry, one module per kind of fact and one
of shared sentence tools; and the answer's path through it, per kind of fact, stays short.

The path is measured by `python -m bench.answer_path`, in a process of its own per prompt (a
result cached by an earlier replay would hide the calls that computed it): the five samples'
recorded answers replayed with a profiler on, no model and no network.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench.answer_path import FACT_KINDS

ROOT = Path(__file__).resolve().parent.parent
PROOF = ROOT / "extractor" / "proof"
MOST_MODULES = 8
MOST_CALLS_UP = 8


def test_proof_holds_one_entry_one_module_per_kind_and_one_of_shared_tools() -> None:
    modules = {path.stem for path in PROOF.glob("*.py")}
    assert modules - {"__init__"} == {"assemble", "sentence_tools", *FACT_KINDS}


def _public_tools(tree: ast.Module) -> list[str]:
    """The public names a module defines: its constants, functions and classes, and the
    methods and properties of those classes."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        if isinstance(node, ast.ClassDef):
            names += [f.name for f in node.body if isinstance(f, ast.FunctionDef)]
    return [name for name in names if not name.startswith("_")]


def test_every_shared_sentence_tool_is_shared() -> None:
    """Each public tool of `sentence_tools` serves at least two users: two other modules of
    `proof/`, or one and another tool of `sentence_tools` itself. A tool with one user
    belongs in that user's module."""
    shared = (PROOF / "sentence_tools.py").read_text(encoding="utf-8")
    others = {
        path.stem: path.read_text(encoding="utf-8")
        for path in PROOF.glob("*.py")
        if path.stem not in ("__init__", "sentence_tools")
    }
    lonely = {}
    for name in _public_tools(ast.parse(shared)):
        word = re.compile(rf"\b{name}\b")
        users = [stem for stem, source in others.items() if word.search(source)]
        used_inside = len(re.findall(rf"\.{name}\b|\b{name}\(", shared)) > 0
        if len(users) + used_inside < 2:
            lonely[name] = users
    assert lonely == {}


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
