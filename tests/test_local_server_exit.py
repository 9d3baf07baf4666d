"""A local model server that exits while in use (a crash, the out-of-memory killer) is
reported at once with its exit code and the end of its log; `extractor extract --local` then
stops, writes nothing half-done and says how to go on.

The server is the fake of `test_local_server` (a tiny HTTP server answering `/v1/models`);
llama-cpp-python and the real model are never used.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from rich.console import Console

from extractor.local.server import running_server
from extractor.settings import ENV_VARS
from tests.test_local_server import FAKE_SERVER, Fake, _gone, _install, _pythonpath, _reaped

_WAIT_SECONDS = 10.0


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No settings from the caller's environment; the model cache in tmp_path."""
    for variable in ENV_VARS.values():
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("EXTRACTOR_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: Path) -> Fake:
    """The fake server in place of llama-cpp-python's."""
    return _install(tmp_path, monkeypatch, FAKE_SERVER)


class Reports:
    """What `running_server` reported through `on_exit`, and a way to wait for it."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._reported = threading.Event()

    def __call__(self, how: str) -> None:
        self.seen.append(how)
        self._reported.set()

    def wait(self) -> bool:
        return self._reported.wait(_WAIT_SECONDS)


def test_a_server_that_dies_in_use_is_reported_at_once_with_its_code_and_log(
    fake: Fake,
) -> None:
    reports = Reports()
    with _reaped(fake.pid_file), running_server(model_path=fake.model, on_exit=reports):
        os.kill(fake.pid(), signal.SIGKILL)
        assert reports.wait(), "the server's death was not reported"

    assert len(reports.seen) == 1
    assert reports.seen[0].startswith("exited with code -9 (SIGKILL) while in use; its log (")
    assert "fake server listening" in reports.seen[0]  # the end of the server's own log


def test_a_server_that_exits_on_its_own_gives_its_exit_code(fake: Fake) -> None:
    fake.script.write_text(FAKE_SERVER.replace("serve_forever()", "handle_request()"))
    reports = Reports()
    with _reaped(fake.pid_file), running_server(model_path=fake.model, on_exit=reports):
        # the readiness check was its one request: it has returned, and exits with 0
        assert reports.wait()

    assert reports.seen[0].startswith("exited with code 0 while in use")


def test_a_server_stopped_at_the_end_of_its_block_is_not_reported(fake: Fake) -> None:
    reports = Reports()
    with _reaped(fake.pid_file):
        with running_server(model_path=fake.model, on_exit=reports):
            pid = fake.pid()
        time.sleep(0.5)  # the watcher has seen the exit by now

    assert reports.seen == []
    assert _gone(pid)


def test_without_a_handler_a_dying_server_is_printed_as_a_warning(fake: Fake) -> None:
    output = io.StringIO()
    console = Console(file=output, width=200)
    with _reaped(fake.pid_file), running_server(model_path=fake.model, console=console):
        os.kill(fake.pid(), signal.SIGKILL)
        deadline = time.monotonic() + _WAIT_SECONDS
        while "exited" not in output.getvalue() and time.monotonic() < deadline:
            time.sleep(0.05)

    assert "local model server exited with code -9 (SIGKILL) while in use" in output.getvalue()


# A fake server that answers the readiness check and dies at the first chat request, as the
# real one did with weights repacked for AMX (BENCHMARKS.md).
DIES_AT_FIRST_REQUEST = FAKE_SERVER.replace(
    "    def log_message(self, *args):",
    "    def do_POST(self):\n"
    "        print('crashing at the first request', flush=True)\n"
    "        os._exit(7)\n"
    "\n"
    "    def log_message(self, *args):",
)
assert DIES_AT_FIRST_REQUEST != FAKE_SERVER

CLI_WITH_FAKE_SERVER = textwrap.dedent(
    """\
    import sys
    from extractor.local import server
    from extractor.cli import main

    fake_script, pid_file = sys.argv[1:3]
    server._require_server_package = lambda: None
    server.server_command = lambda path, port, name, extra=(): [
        sys.executable, fake_script, str(port), pid_file
    ]
    main(sys.argv[3:], prog_name="extractor")
    """
)


def test_extract_local_stops_when_the_server_dies_and_says_how_to_go_on(
    tmp_path: Path, cache: Path
) -> None:
    fake = Fake(tmp_path, DIES_AT_FIRST_REQUEST)
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("a.txt", "b.txt"):
        (articles / name).write_text("NHS Riverside CCG has been rated good overall.\n")
    out = tmp_path / "out.jsonl"
    runner = tmp_path / "run_cli.py"
    runner.write_text(CLI_WITH_FAKE_SERVER)

    with _reaped(fake.pid_file):
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, str(runner), str(fake.script), str(fake.pid_file),
             "extract", str(articles), "--local", "--model-path", str(fake.model),
             "--out", str(out)],
            env={**os.environ, "EXTRACTOR_CACHE": str(cache), "PYTHONPATH": _pythonpath()},
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
        seconds = time.monotonic() - started

    stderr = result.stderr
    assert result.returncode == 1, stderr
    assert "error: the local model server exited with code 7 while in use" in stderr
    assert "crashing at the first request" in stderr  # the end of its log
    assert "run again with --resume" in stderr
    assert "stopped (the local model server exited): 0 ok, 0 error" in stderr
    assert out.read_text() == ""  # nothing half-done is written; --resume redoes both
    assert seconds < 60  # no round of retries against a dead port for every document


def test_local_serve_says_how_a_server_that_exits_on_its_own_ended(fake: Fake) -> None:
    from click.testing import CliRunner

    from extractor.cli import main

    fake.script.write_text(FAKE_SERVER.replace("serve_forever()", "handle_request()"))
    with _reaped(fake.pid_file):
        result = CliRunner().invoke(main, ["local", "serve", "--model-path", str(fake.model)])

    assert result.exit_code == 1  # it exited 0 before, as if stopped on purpose
    assert "serving" in result.output
    assert "the local model server exited with code 0 while in use" in result.output
    assert "fake server listening" in result.output  # the end of its log
