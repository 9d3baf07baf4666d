"""The script that starts llama-cpp-python's server: no weight repacking on a CPU with AMX.

llama-cpp-python is never imported here: a made-up `llama_cpp` package stands in for it,
with the two things the script touches (the model's default parameters and the server's
`__main__`).
"""

from __future__ import annotations

import json
import os
import runpy
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from extractor.local import llama_server
from extractor.local.llama_server import build_has_amx, cpu_has_amx, without_extra_buffers
from extractor.local.server import LLAMA_SERVER_SCRIPT, server_command, status_lines
from tests.test_local_server import clean_env
from tests.test_local_status import _find_spec_without

__all__ = ["clean_env"]  # the fixture, used by name below

_PLAIN_FLAGS = "fpu vme sse sse2 ssse3 fma sse4_1 sse4_2 avx f16c avx2 avx512f avx512bw"
_BUILD = "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | AVX512 = 1 | AVX512_VNNI = 1 | {amx}OPENMP = 1 | "


@pytest.mark.parametrize(
    "cpuinfo",
    [
        f"processor\t: 0\nflags\t\t: {_PLAIN_FLAGS} amx_bf16 amx_tile amx_int8\n",
        f"processor : 0\nflags : {_PLAIN_FLAGS}\n\n"
        f"processor : 1\nflags : {_PLAIN_FLAGS} amx_int8\n",
        f"model name\t: Intel(R) Xeon(R) Processor\nflags\t: amx_tile {_PLAIN_FLAGS}\n",
    ],
)
def test_a_cpu_listing_an_amx_flag_has_amx(cpuinfo: str) -> None:
    assert cpu_has_amx(cpuinfo)


@pytest.mark.parametrize(
    "cpuinfo",
    [
        f"processor\t: 0\nflags\t\t: {_PLAIN_FLAGS}\n",
        "",
        # the word on a line that is not the flags, or a flag that only starts like one
        f"model name\t: AMX amx_int8 test part\nflags\t: {_PLAIN_FLAGS} amx_fp16x\n",
    ],
)
def test_a_cpu_without_an_amx_flag_has_no_amx(cpuinfo: str) -> None:
    assert not cpu_has_amx(cpuinfo)


def test_a_build_holds_amx_code_only_when_its_system_info_says_amx_int8_is_on() -> None:
    assert build_has_amx(_BUILD.format(amx="AMX_INT8 = 1 | "))
    assert build_has_amx("CPU : AMX_INT8 = 1 | REPACK = 1 | ")
    assert not build_has_amx(_BUILD.format(amx=""))
    assert not build_has_amx(_BUILD.format(amx="AMX_INT8 = 0 | "))
    assert not build_has_amx("")


def test_without_extra_buffers_turns_them_off_and_keeps_the_other_defaults() -> None:
    made: list[types.SimpleNamespace] = []

    def defaults() -> types.SimpleNamespace:
        made.append(types.SimpleNamespace(use_extra_bufts=True, use_mmap=True, n_gpu_layers=0))
        return made[-1]

    params = without_extra_buffers(defaults)()

    assert params.use_extra_bufts is False
    assert (params.use_mmap, params.n_gpu_layers) == (True, 0)
    assert len(made) == 1  # the defaults are asked once per model, as llama.cpp's are


def _fake_bindings(monkeypatch: pytest.MonkeyPatch, system_info: str) -> types.ModuleType:
    package = types.ModuleType("llama_cpp")
    bindings = types.ModuleType("llama_cpp.llama_cpp")
    bindings.llama_print_system_info = lambda: system_info.encode()  # type: ignore[attr-defined]
    bindings.llama_model_default_params = lambda: types.SimpleNamespace(  # type: ignore[attr-defined]
        use_extra_bufts=True
    )
    package.llama_cpp = bindings  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "llama_cpp", package)
    monkeypatch.setitem(sys.modules, "llama_cpp.llama_cpp", bindings)
    return bindings


@pytest.mark.parametrize(
    ("build_amx", "cpu_amx"), [(True, True), (True, False), (False, True), (False, False)]
)
def test_main_repacks_no_weights_when_build_and_cpu_have_amx_and_runs_the_server(
    monkeypatch: pytest.MonkeyPatch, build_amx: bool, cpu_amx: bool
) -> None:
    bindings = _fake_bindings(monkeypatch, _BUILD.format(amx="AMX_INT8 = 1 | " * build_amx))
    flags = _PLAIN_FLAGS + (" amx_int8" if cpu_amx else "")
    monkeypatch.setattr(llama_server, "_read_cpuinfo", lambda: f"flags\t: {flags}\n")
    ran: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(runpy, "run_module", lambda name, **kw: ran.append((name, list(sys.argv))))
    monkeypatch.setattr(sys, "argv", ["llama_server.py"])

    llama_server.main(["--model", "m.gguf", "--port", "8089"])

    started_with = ["llama_cpp.server", "--model", "m.gguf", "--port", "8089"]
    assert ran == [("llama_cpp.server", started_with)]
    assert bindings.llama_model_default_params().use_extra_bufts is not (build_amx and cpu_amx)


def test_the_script_starts_the_server_module_with_the_command_lines_arguments(
    tmp_path: Path,
) -> None:
    # A made-up llama_cpp package whose server writes down what it was started with.
    server = tmp_path / "llama_cpp" / "server"
    server.mkdir(parents=True)
    (tmp_path / "llama_cpp" / "__init__.py").write_text("")
    (tmp_path / "llama_cpp" / "llama_cpp.py").write_text(
        "import types\n"
        "def llama_print_system_info():\n"
        "    return b'CPU : AVX2 = 1 | AMX_INT8 = 1 | '\n"
        "def llama_model_default_params():\n"
        "    return types.SimpleNamespace(use_extra_bufts=True)\n"
    )
    (server / "__init__.py").write_text("")
    (server / "__main__.py").write_text(
        "import json, sys\n"
        "import llama_cpp.llama_cpp as b\n"
        f"out = {str(tmp_path / 'started.json')!r}\n"
        "extra = b.llama_model_default_params().use_extra_bufts\n"
        "imported = sorted(m for m in sys.modules if m.split('.')[0] == 'extractor')\n"
        "json.dump({'argv': sys.argv, 'extra': extra, 'ours': imported}, open(out, 'w'))\n"
    )
    command = server_command(tmp_path / "model.gguf", 8089, "qwen-local")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    subprocess.run(command, check=True, env=env, cwd=tmp_path, timeout=60)

    started = json.loads((tmp_path / "started.json").read_text())
    assert command[1] == str(LLAMA_SERVER_SCRIPT)
    assert started["argv"][1:] == command[2:]
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    assert started["extra"] is (not cpu_has_amx(cpuinfo))
    assert started["ours"] == []  # the server's process imports nothing of the package


def _broken_library() -> str:
    raise OSError("libllama.so: cannot open shared object file")


_AMX_CPU = f"processor\t: 0\nflags\t\t: {_PLAIN_FLAGS} amx_bf16 amx_tile amx_int8\n"
_PLAIN_CPU = f"processor\t: 0\nflags\t\t: {_PLAIN_FLAGS}\n"


@pytest.mark.parametrize(
    ("build", "cpuinfo", "expected"),
    [
        (
            lambda: _BUILD.format(amx="AMX_INT8 = 1 | "),
            _AMX_CPU,
            "weights: plain CPU buffers (this CPU and this llama.cpp build have AMX",
        ),
        (lambda: _BUILD.format(amx="AMX_INT8 = 1 | "), _PLAIN_CPU, "weights: llama.cpp's default"),
        (lambda: _BUILD.format(amx=""), _AMX_CPU, "weights: llama.cpp's default"),
        (_broken_library, _AMX_CPU, "weights: unknown (llama.cpp's library did not load: OSError)"),
    ],
)
def test_local_status_says_how_the_server_will_hold_the_weights(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path, build: Any, cpuinfo: str, expected: str
) -> None:
    _find_spec_without(monkeypatch, present=True)
    monkeypatch.setattr(llama_server, "system_info", build)
    monkeypatch.setattr(llama_server, "_read_cpuinfo", lambda: cpuinfo)

    weights = [line for line in status_lines() if line.startswith("weights:")]
    assert len(weights) == 1
    assert weights[0].startswith(expected)


def test_local_status_says_nothing_of_weights_without_the_server_package(
    monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    _find_spec_without(monkeypatch, present=False)
    assert not any(line.startswith("weights:") for line in status_lines())
