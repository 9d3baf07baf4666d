"""Unit tests for `extractor.local.server`'s checks of what is installed: `status_lines`, and
the install command named when llama-cpp-python is missing (by the server and by
`extractor.local_model`). Nothing is installed or started:
`importlib.util.find_spec` is replaced, and the default model is a sparse file with a stamp.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
from pathlib import Path

import pytest

from extractor.errors import LocalModelError
from extractor.local import server as server_mod
from extractor.local.model import DEFAULT_MODEL
from extractor.local.server import running_server, status_lines
from tests.test_local_server import clean_env

__all__ = ["clean_env"]  # the fixture, used by name below


def _find_spec_without(monkeypatch: pytest.MonkeyPatch, present: bool) -> None:
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> importlib.machinery.ModuleSpec | None:
        if name == "llama_cpp":
            return importlib.machinery.ModuleSpec("llama_cpp", None) if present else None
        return real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


def test_missing_llama_cpp_raises_with_the_install_command(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clean_env: Path
) -> None:
    _find_spec_without(monkeypatch, present=False)

    with pytest.raises(LocalModelError) as caught:
        server_mod._require_server_package()
    assert caught.value.step == "server"
    assert "pip install -e '.[local]'" in str(caught.value)

    model = tmp_path / "m.gguf"
    model.write_bytes(b"x")
    with pytest.raises(LocalModelError, match=r"\.\[local\]"), running_server(model_path=model):
        raise AssertionError("the block must not run")
    assert not (clean_env / "server.log").exists()  # nothing was started


def _stamp_default_model(cache: Path) -> Path:
    """A sparse file of the default model's size with a matching stamp (no 1.1 GB written)."""
    cache.mkdir(parents=True, exist_ok=True)
    model = cache / DEFAULT_MODEL.filename
    with model.open("wb") as handle:
        handle.truncate(DEFAULT_MODEL.size)
    stat = model.stat()
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": DEFAULT_MODEL.sha256}
    (cache / (DEFAULT_MODEL.filename + ".verified")).write_text(json.dumps(stamp))
    return model


def test_status_lines_before_and_after_the_model_is_verified(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    _find_spec_without(monkeypatch, present=False)
    lines = status_lines()
    assert "server package (llama-cpp-python): missing: pip install -e '.[local]'" in lines
    assert f"model: {DEFAULT_MODEL.name}" in lines
    assert f"cache: {clean_env}" in lines
    assert "model file: not fetched yet (extractor local fetch)" in lines

    _stamp_default_model(clean_env)
    _find_spec_without(monkeypatch, present=True)
    lines = status_lines()
    assert "server package (llama-cpp-python): installed" in lines
    assert "model file: verified" in lines


def test_status_lines_does_not_trust_a_file_changed_after_verification(
    clean_env: Path,
) -> None:
    model = _stamp_default_model(clean_env)
    with model.open("ab") as handle:
        handle.write(b"!")
    assert "model file: not fetched yet (extractor local fetch)" in status_lines()


def test_the_library_context_manager_without_llama_cpp_names_the_install(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, clean_env: Path
) -> None:
    import extractor

    _find_spec_without(monkeypatch, present=False)
    model = tmp_path / "m.gguf"
    model.write_bytes(b"x")
    with pytest.raises(LocalModelError, match=r"\.\[local\]"), extractor.local_model(model):
        raise AssertionError("the block must not run")
