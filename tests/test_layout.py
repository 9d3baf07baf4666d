"""The package's layers (docs/LAYOUT.md): no import cycle, and no import up to a higher layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"

LAYERS = {
    "extractor.schema": 0,
    "extractor.errors": 0,
    "extractor.settings": 0,
    "extractor.data": 0,
    "extractor.inputs": 3,
    "extractor.text": 1,
    "extractor.names": 2,
    "extractor.answer": 3,
    "extractor.proof": 4,
    "extractor.model": 5,
    "extractor.outputs": 5,
    "extractor.local": 5,
    "extractor.pipeline": 6,
    "extractor.cli": 7,
    "extractor.__main__": 7,
    "extractor": 7,
}
"""Each folder or top-level module of the package, and its layer (docs/LAYOUT.md)."""


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `path` imports, wherever in the file (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Each module of the package, and the other modules of the package it imports."""
    modules = _modules()
    return {name: _imports(path, modules) - {name, "extractor"} for name, path in modules.items()}


def layer_of(module: str) -> int | None:
    """The layer of `module`: its own for a top-level module, else that of its folder; None
    for a module no layer holds."""
    if module in LAYERS:
        return LAYERS[module]
    folder = ".".join(module.split(".")[:2])
    return LAYERS.get(folder) if folder != module else None


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle of imports, one per strongly connected set of modules (Tarjan's method)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in sorted(graph[module]):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


def test_every_module_has_a_layer() -> None:
    assert [module for module in import_graph() if layer_of(module) is None] == []


def test_no_import_cycle() -> None:
    assert import_cycles(import_graph()) == []


def test_no_import_from_a_lower_layer_up_to_a_higher_one() -> None:
    upward = sorted(
        f"{module} -> {imported}"
        for module, imported_modules in import_graph().items()
        for imported in imported_modules
        if (layer_of(imported) or 0) > (layer_of(module) or 0)
    )
    assert upward == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set(), "c": {"c2"}, "c2": {"c"}}, [["c", "c2"]]),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(
    graph: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert import_cycles(graph) == expected


def test_a_lazy_import_counts(tmp_path: Path) -> None:
    source = tmp_path / "lower.py"
    source.write_text("def f():\n    from extractor.pipeline import Extractor\n")
    assert _imports(source, _modules()) == {"extractor.pipeline"}
