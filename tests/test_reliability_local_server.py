"""The embedded model's server listens on loopback only (checked on its command line; the
real server is never started in tests)."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from extractor.local.server import HOST, LLAMA_SERVER_SCRIPT, free_port, server_command


def test_server_command_binds_to_127_0_0_1_only(tmp_path: Path) -> None:
    command = server_command(tmp_path / "model.gguf", 8089, "qwen-local")

    assert command[:2] == [sys.executable, str(LLAMA_SERVER_SCRIPT)]
    assert LLAMA_SERVER_SCRIPT.is_file()
    assert command.count("--host") == 1
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert not any(arg in ("0.0.0.0", "::", "localhost") for arg in command)
    assert command[command.index("--port") + 1] == "8089"
    assert command[command.index("--model") + 1] == str(tmp_path / "model.gguf")
    assert HOST == "127.0.0.1"


def test_free_port_is_a_loopback_port_nothing_listens_on() -> None:
    port = free_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))  # free: binding it succeeds


def test_server_command_keeps_the_logits_of_the_last_position_only(tmp_path: Path) -> None:
    # llama-cpp-python's server keeps logits for every position unless told otherwise: at
    # n_ctx 8192 a buffer of about 5 GB that no request here reads (same answers without it).
    command = server_command(tmp_path / "model.gguf", 8089, "qwen-local")
    assert command[command.index("--logits_all") + 1] == "false"


def test_extra_server_options_come_after_the_products_own(tmp_path: Path) -> None:
    command = server_command(tmp_path / "m.gguf", 8089, "q", ["--flash_attn", "true"])
    assert command[-2:] == ["--flash_attn", "true"]
    assert command[command.index("--host") + 1] == "127.0.0.1"  # still loopback only
