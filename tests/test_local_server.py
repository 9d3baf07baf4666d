"""Unit tests for `extractor.local.server`: starting, waiting for and stopping the local model
server (the settings that point at it: `test_local_settings.py`; `status_lines`:
`test_local_status.py`).

llama-cpp-python and the real model are never used: `server_command` is replaced by a tiny
Python HTTP server (written to tmp_path) that answers `GET /v1/models` on 127.0.0.1, and the
model is a dummy file. One test SIGKILLs a real parent process to check that its server dies
with it (Linux only).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from extractor.errors import LocalModelError
from extractor.local import server as server_mod
from extractor.local.server import (
    free_port,
    running_server,
)
from extractor.settings import ENV_VARS

FAKE_SERVER = textwrap.dedent(
    """\
    import json, os, sys
    from http.server import BaseHTTPRequestHandler, HTTPServer

    port, pid_file = int(sys.argv[1]), sys.argv[2]
    with open(pid_file, "w") as handle:
        handle.write(str(os.getpid()))

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/v1/models":
                self.send_error(404)
                return
            body = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    print("fake server listening", flush=True)
    HTTPServer(("127.0.0.1", port), Handler).serve_forever()
    """
)
EXITS_AT_START = textwrap.dedent(
    """\
    import os, sys
    with open(sys.argv[2], "w") as handle:
        handle.write(str(os.getpid()))
    print("error loading model: fake-model.gguf is not a GGUF file", file=sys.stderr)
    sys.exit(3)
    """
)
NEVER_ANSWERS = textwrap.dedent(
    """\
    import os, sys, time
    with open(sys.argv[2], "w") as handle:
        handle.write(str(os.getpid()))
    print("loading a very slow model", flush=True)
    time.sleep(120)
    """
)


class Fake:
    """The fake server's script, the dummy model and what `server_command` was called with."""

    def __init__(self, tmp_path: Path, script: str) -> None:
        self.script = tmp_path / "fake_server.py"
        self.script.write_text(script)
        self.model = tmp_path / "dummy-model.gguf"
        self.model.write_bytes(b"GGUF not really")
        self.pid_file = tmp_path / "server.pid"
        self.calls: list[tuple[Path, int, str]] = []

    def command(
        self, model_path: Path, port: int, model_name: str, extra_args: Sequence[str] = ()
    ) -> list[str]:
        self.calls.append((model_path, port, model_name))
        return [sys.executable, str(self.script), str(port), str(self.pid_file)]

    def pid(self) -> int:
        return int(self.pid_file.read_text())


@pytest.fixture
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No settings or proxies from the caller's environment; the cache in tmp_path."""
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv("EXTRACTOR_CACHE", str(cache))
    return cache


def _install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Fake:
    fake = Fake(tmp_path, script)
    monkeypatch.setattr(server_mod, "server_command", fake.command)
    monkeypatch.setattr(server_mod, "_require_server_package", lambda: None)

    def no_fetch(**kwargs: Any) -> Path:
        raise AssertionError("the model must not be fetched when model_path is given")

    monkeypatch.setattr(server_mod, "ensure_model", no_fetch)
    return fake


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path) -> Fake:
    return _install(tmp_path, monkeypatch, FAKE_SERVER)


def _answers(base_url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(base_url + "/models", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _gone(pid: int) -> bool:
    """True when `pid` no longer runs (a zombie awaiting its reaper counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state in ("Z", "X")
    return False


@contextlib.contextmanager
def _reaped(pid_file: Path) -> Iterator[None]:
    """Kill the process named in `pid_file` after the test if the code under test did not."""
    try:
        yield
    finally:
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text())
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)


def test_running_server_answers_on_loopback_and_stops_after_the_block(fake: Fake) -> None:
    port = free_port()
    with _reaped(fake.pid_file), running_server(model_path=fake.model, port=port) as server:
        parsed = urlparse(server.base_url)
        assert parsed.hostname == "127.0.0.1"
        assert parsed.port == port
        assert parsed.path == "/v1"
        assert _answers(server.base_url)
        assert server.process.poll() is None
        assert server.model_name == "dummy-model"
        assert fake.calls == [(fake.model, port, "dummy-model")]
        assert server.log_path.parent == Path(os.environ["EXTRACTOR_CACHE"])

    assert server.process.poll() is not None
    assert _gone(fake.pid())
    assert not _answers(server.base_url)
    assert "fake server listening" in server.log_path.read_text()


def test_running_server_picks_a_free_port_when_none_is_given(fake: Fake) -> None:
    with _reaped(fake.pid_file), running_server(model_path=fake.model) as server:
        assert urlparse(server.base_url).port == fake.calls[0][1]
        assert _answers(server.base_url)
    assert server.process.poll() is not None


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_an_exception_inside_the_block_still_stops_the_server(
    fake: Fake, error: type[BaseException]
) -> None:
    started: list[server_mod.LocalServer] = []
    with (
        _reaped(fake.pid_file),
        pytest.raises(error),
        running_server(model_path=fake.model) as server,
    ):
        started.append(server)
        raise error("boom")

    (server,) = started
    assert server.process.poll() is not None
    assert _gone(fake.pid())
    assert not _answers(server.base_url)


def test_a_server_that_exits_at_start_raises_with_its_log_tail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    fake = _install(tmp_path, monkeypatch, EXITS_AT_START)

    with (
        _reaped(fake.pid_file),
        pytest.raises(LocalModelError) as caught,
        running_server(model_path=fake.model),
    ):
        raise AssertionError("the block must not run")

    assert caught.value.step == "server"
    assert "exited with code 3" in str(caught.value)
    assert "fake-model.gguf is not a GGUF file" in str(caught.value)


def test_a_server_that_never_answers_times_out_and_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clean_env: Path
) -> None:
    fake = _install(tmp_path, monkeypatch, NEVER_ANSWERS)
    monkeypatch.setattr(server_mod, "_STARTUP_SECONDS", 1.0)

    started = time.monotonic()
    with (
        _reaped(fake.pid_file),
        pytest.raises(LocalModelError) as caught,
        running_server(model_path=fake.model),
    ):
        raise AssertionError("the block must not run")

    assert time.monotonic() - started < 10
    assert caught.value.step == "server"
    assert "did not answer within" in str(caught.value)
    assert "loading a very slow model" in str(caught.value)
    assert _gone(fake.pid())


def test_readiness_check_ignores_an_http_proxy(fake: Fake, monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy in the environment must not stand between us and our own loopback server."""
    dead = free_port()  # nothing listens there: a proxy that refuses every connection
    for variable in ("http_proxy", "HTTP_PROXY", "all_proxy"):
        monkeypatch.setenv(variable, f"http://127.0.0.1:{dead}")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setattr(server_mod, "_STARTUP_SECONDS", 5.0)
    monkeypatch.setattr(urllib.request, "_opener", None)  # urlopen caches its proxy settings

    with _reaped(fake.pid_file), running_server(model_path=fake.model) as server:
        assert _answers(server.base_url)


ORPHAN_PARENT = textwrap.dedent(
    """\
    import json, sys, time
    from pathlib import Path

    from extractor.local import server

    fake_script, model, pid_file, info = sys.argv[1:5]
    server._require_server_package = lambda: None
    server.server_command = lambda path, port, name, extra=(): [
        sys.executable, fake_script, str(port), pid_file
    ]
    with server.running_server(model_path=Path(model)) as running:
        Path(info + ".tmp").write_text(json.dumps({"base_url": running.base_url}))
        Path(info + ".tmp").replace(info)  # the test polls for `info`: never half-written
        time.sleep(120)
    """
)


def _pythonpath() -> str:
    """PYTHONPATH for a child that must import this checkout's `extractor`."""
    root = str(Path(server_mod.__file__).resolve().parents[2])
    return os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_server_dies_with_a_sigkilled_parent(tmp_path: Path, clean_env: Path) -> None:
    fake = Fake(tmp_path, FAKE_SERVER)
    parent_script = tmp_path / "parent.py"
    parent_script.write_text(ORPHAN_PARENT)
    info = tmp_path / "info.json"
    parent = subprocess.Popen(
        [sys.executable, str(parent_script), str(fake.script), str(fake.model),
         str(fake.pid_file), str(info)],
        env={**os.environ, "EXTRACTOR_CACHE": str(clean_env), "PYTHONPATH": _pythonpath()},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    with _reaped(fake.pid_file):
        deadline = time.monotonic() + 15
        while not info.exists():
            if parent.poll() is not None or time.monotonic() > deadline:
                parent.kill()
                output = parent.communicate()[0].decode(errors="replace")
                pytest.fail(f"the parent never served (code {parent.returncode}):\n{output}")
            time.sleep(0.05)
        base_url = json.loads(info.read_text())["base_url"]
        child = fake.pid()
        assert _answers(base_url)

        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=5)
        assert parent.stdout is not None
        parent.stdout.close()

        deadline = time.monotonic() + 5
        while not _gone(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(child), "the server outlived its SIGKILLed parent"
        assert not _answers(base_url)


def test_the_library_context_manager_serves_the_local_model_for_a_block(fake: Fake) -> None:
    import extractor

    with _reaped(fake.pid_file), extractor.local_model(fake.model, concurrency=2) as settings:
        assert settings.base_url is not None and _answers(settings.base_url)
        assert settings.concurrency == 2 and settings.mode == "md_json"
        url = settings.base_url
    assert not _answers(url)  # stopped when the block ends
