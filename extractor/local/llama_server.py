"""Run llama-cpp-python's OpenAI-compatible server, with weights every CPU here can use.

`server.server_command` starts this file as a script (not as a module of the package, so the
server process imports llama-cpp-python and nothing of ours); its arguments are
`llama_cpp.server`'s own.

Where the CPU reports AMX (Intel Xeon since Sapphire Rapids), llama.cpp built for the machine
(as `pip install` builds it) holds AMX code and repacks the weights into AMX buffers. On the
project's 2-core virtual machine with such a CPU the server then died of a general protection
fault in `libggml-cpu.so` at the first request (llama.cpp issue 20824 reports the same crash,
machine-dependent). When both the build and the CPU have AMX, the model's weights stay in
plain CPU buffers instead: llama.cpp's `use_extra_bufts` is turned off for the model. A build
without AMX, or a CPU without it, loads the model exactly as llama-cpp-python does by default.
"""

from __future__ import annotations

import re
import runpy
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = [
    "AMX_FLAGS",
    "build_has_amx",
    "cpu_has_amx",
    "main",
    "system_info",
    "weights_kept_plain",
    "without_extra_buffers",
]

AMX_FLAGS = frozenset({"amx_tile", "amx_int8", "amx_bf16"})
"""CPU flags (as /proc/cpuinfo writes them) of the AMX units llama.cpp repacks weights for."""
_CPUINFO = Path("/proc/cpuinfo")


def cpu_has_amx(cpuinfo: str) -> bool:
    """Whether a /proc/cpuinfo text lists an AMX flag on any of its `flags` lines."""
    for line in cpuinfo.splitlines():
        name, _, value = line.partition(":")
        if name.strip() == "flags" and AMX_FLAGS & set(value.split()):
            return True
    return False


def build_has_amx(system_info: str) -> bool:
    """Whether llama.cpp's system info (`llama_print_system_info`) says it holds AMX code."""
    return re.search(r"\bAMX_INT8 = 1\b", system_info) is not None


def without_extra_buffers(default_params: Callable[[], Any]) -> Callable[[], Any]:
    """`default_params` (llama.cpp's model defaults) with the extra buffer types turned off,
    so the weights are not repacked (into AMX buffers, among others)."""

    def params() -> Any:
        chosen = default_params()
        chosen.use_extra_bufts = False
        return chosen

    return params


def weights_kept_plain() -> bool:
    """Whether the server keeps the model's weights in plain CPU buffers: the installed
    llama.cpp build (its `system_info`) and this machine's CPU both have AMX."""
    return build_has_amx(system_info()) and cpu_has_amx(_read_cpuinfo())


def system_info() -> str:
    """llama.cpp's system info of the installed llama-cpp-python (loads its library)."""
    import llama_cpp.llama_cpp as bindings

    return str(bindings.llama_print_system_info().decode(errors="replace"))


def _read_cpuinfo() -> str:
    try:
        return _CPUINFO.read_text(errors="replace")
    except OSError:
        return ""


def main(argv: list[str]) -> None:
    """Serve with `llama_cpp.server`'s arguments `argv`; with AMX, no weight repacking."""
    if weights_kept_plain():
        import llama_cpp.llama_cpp as bindings

        bindings.llama_model_default_params = without_extra_buffers(
            bindings.llama_model_default_params
        )
    sys.argv = ["llama_cpp.server", *argv]
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
