"""Start and stop llama-cpp-python's OpenAI-compatible server on 127.0.0.1.

The server runs as a child process bound to loopback on a free port. `running_server` waits
until it answers `/v1/models`, and stops it on exit, on Ctrl-C and on errors; on Linux the
child is also told to die with its parent, so no server is orphaned even by SIGKILL. A server
that exits while in use (a crash, the kernel's out-of-memory killer) is reported at once, with
its exit code and the end of its log, instead of surfacing only as connection errors.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from extractor.errors import LocalModelError
from extractor.local import llama_server
from extractor.local.model import DEFAULT_MODEL, cache_dir, ensure_model, is_verified
from extractor.settings import ENV_VARS, Settings

__all__ = [
    "HOST",
    "LLAMA_SERVER_SCRIPT",
    "LOCAL_DEFAULTS",
    "LocalServer",
    "free_port",
    "local_settings",
    "running_server",
    "server_command",
    "status_lines",
]

HOST = "127.0.0.1"
LOCAL_DEFAULTS: dict[str, object] = {
    "concurrency": 1,
    "timeout": 900.0,
    "max_reasks": 0,
    "mode": "md_json",
    "extra_body": '{"repeat_penalty": 1.0}',
}
"""Settings that suit one small model on a CPU: one request at a time, a long timeout, no
re-asks (each doubles the minutes per article and rarely fixed the 1.5B model's evidence;
ungrounded facts are dropped instead), instructor's md_json mode (the same score as tools
mode on the gold set, 0.463 vs 0.462, at less than half the time: the server's
grammar-constrained sampling of the tool schema cost about 30 ms per generated token; items
that break the schema are dropped and counted instead), and no repetition penalty
(llama.cpp's default of 1.1 punishes copying the article verbatim)."""
N_CTX = 8192
LLAMA_SERVER_SCRIPT = Path(__file__).with_name("llama_server.py")
"""The script that runs llama-cpp-python's server (see its docstring)."""
_STARTUP_SECONDS = 180.0
_PR_SET_PDEATHSIG = 1


@dataclass
class LocalServer:
    """A running server: where to reach it and the process behind it."""

    base_url: str
    model_name: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def wait(self) -> int:
        """Block until the server exits; return its exit code."""
        return self.process.wait()

    def exit_report(self) -> str:
        """How the exited server ended: "exited with code -11 (SIGSEGV) while in use; its log
        (PATH) ends:" and the log's last lines."""
        return (
            f"exited with code {_exit_code(self.process.wait())} while in use; "
            f"its log ({self.log_path}) ends:\n{_tail(self.log_path)}"
        )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def server_command(
    model_path: Path, port: int, model_name: str, extra_args: Sequence[str] = ()
) -> list[str]:
    """The command line that serves `model_path` on 127.0.0.1:`port` (`extra_args`: more
    llama_cpp.server options, e.g. ["--flash_attn", "true"], as the speed bench tries): the
    server of llama-cpp-python, started by `llama_server.py` (no weight repacking on AMX)."""
    threads = str(os.cpu_count() or 2)
    return [
        sys.executable, str(LLAMA_SERVER_SCRIPT),
        "--model", str(model_path),
        "--model_alias", model_name,
        "--host", HOST,
        "--port", str(port),
        "--n_ctx", str(N_CTX),
        "--n_threads", threads,
        "--n_threads_batch", threads,
        # logits for the last position only: the answers are the same, and the server does
        # not hold a logits buffer for all 8,192 positions (151,936 floats each, about 5 GB)
        "--logits_all", "false",
        *extra_args,
    ]  # fmt: skip


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _answers(base_url: str) -> bool:
    # No proxy: an http_proxy in the environment must not stand between us and loopback.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(base_url + "/models", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError, ValueError):
        return False


def _require_server_package() -> None:
    if importlib.util.find_spec("llama_cpp") is None:
        raise LocalModelError(
            "server",
            "llama-cpp-python is not installed; install the local extra: "
            "pip install -e '.[local]' (compiles llama.cpp, about 8 minutes on 2 cores)",
        )


@contextlib.contextmanager
def running_server(
    *,
    model_path: Path | None = None,
    port: int | None = None,
    console: Console | None = None,
    extra_args: Sequence[str] = (),
    on_exit: Callable[[str], None] | None = None,
) -> Iterator[LocalServer]:
    """Serve the local model for the duration of the `with` block (`extra_args`: more server
    options, see `server_command`).

    If the server exits inside the block, `on_exit` is called at once (from another thread)
    with what happened ("exited with code -11 (SIGSEGV) while in use; its log ... ends: ...");
    without `on_exit` that is printed to `console` as a warning.
    """
    console = console or Console(stderr=True)
    _require_server_package()
    path = model_path or ensure_model(console=console)
    name = DEFAULT_MODEL.name if model_path is None else path.stem
    port = port or free_port()
    base_url = f"http://{HOST}:{port}/v1"
    log_path = cache_dir() / "server.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        process = subprocess.Popen(
            server_command(path, port, name, extra_args),
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=preexec,
        )
        server = LocalServer(base_url=base_url, model_name=name, process=process, log_path=log_path)
        stopping = threading.Event()
        try:
            _wait_until_ready(server, console)
            report = on_exit or (lambda what: console.print(f"[yellow]local model server {what}"))
            _watch(server, stopping, report)
            yield server
        finally:
            stopping.set()
            _stop(process)


@contextlib.contextmanager
def local_settings(
    overrides: dict[str, Any] | None = None,
    *,
    model_path: Path | None = None,
    console: Console | None = None,
    on_exit: Callable[[str], None] | None = None,
) -> Iterator[Settings]:
    """Serve the local model and yield settings that point at it (`on_exit`: see
    `running_server`).

    `LOCAL_DEFAULTS` apply first, then the environment, then non-None `overrides`; the base URL
    and key always point at the server just started, and the model is the server's unless
    `overrides` names one (`EXTRACTOR_MODEL` is meant for the remote endpoint).
    """
    with running_server(model_path=model_path, console=console, on_exit=on_exit) as server:
        env = {
            k: v for k, v in os.environ.items() if k not in ("OPENAI_BASE_URL", "OPENAI_API_KEY")
        }
        # A local default applies only where the environment leaves its setting unset.
        values: dict[str, Any] = {
            k: v for k, v in LOCAL_DEFAULTS.items() if not env.get(ENV_VARS.get(k, ""), "").strip()
        }
        values["model"] = server.model_name
        values.update({k: v for k, v in (overrides or {}).items() if v is not None})
        values["base_url"] = server.base_url
        values["api_key"] = "local"
        yield Settings.from_env(env=env, **values)


def _wait_until_ready(server: LocalServer, console: Console) -> None:
    deadline = time.monotonic() + _STARTUP_SECONDS
    with console.status(f"starting the local model server on {server.base_url} ..."):
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise LocalModelError(
                    "server",
                    f"exited with code {server.process.returncode}:\n{_tail(server.log_path)}",
                )
            if _answers(server.base_url):
                return
            time.sleep(0.5)
    raise LocalModelError(
        "server", f"did not answer within {_STARTUP_SECONDS:.0f} s:\n{_tail(server.log_path)}"
    )


def _watch(server: LocalServer, stopping: threading.Event, report: Callable[[str], None]) -> None:
    """Call `report` if the server exits before `stopping` is set."""

    def wait() -> None:
        server.process.wait()
        if not stopping.is_set():
            report(server.exit_report())

    threading.Thread(target=wait, name="local-server-watch", daemon=True).start()


def _exit_code(code: int) -> str:
    """'-11 (SIGSEGV)' for a process killed by a signal, else the code."""
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"{code} ({signal.Signals(-code).name})"
    return str(code)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no server log)"


def status_lines() -> list[str]:
    """Human-readable lines saying what the local model needs and what is present."""
    installed = importlib.util.find_spec("llama_cpp") is not None
    model = cache_dir() / DEFAULT_MODEL.filename
    package = "installed" if installed else "missing: pip install -e '.[local]'"
    fetched = "verified" if is_verified(model) else "not fetched yet (extractor local fetch)"
    lines = [
        f"server package (llama-cpp-python): {package}",
        f"model: {DEFAULT_MODEL.name}",
        f"cache: {model.parent}",
        f"model file: {fetched}",
    ]
    return [*lines, _weights_line()] if installed else lines


def _weights_line() -> str:
    """How the server will hold the model's weights on this machine (`llama_server.py`)."""
    try:
        plain = llama_server.weights_kept_plain()
    except Exception as exc:  # a broken install: say so; status itself must not fail
        return f"weights: unknown (llama.cpp's library did not load: {type(exc).__name__})"
    if plain:
        return (
            "weights: plain CPU buffers (this CPU and this llama.cpp build have AMX; "
            "repacked for AMX they crashed the server, see README)"
        )
    return "weights: llama.cpp's default buffers (repacked where the build and CPU allow)"
