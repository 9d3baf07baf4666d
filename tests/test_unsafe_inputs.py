"""Inputs that cannot be read safely: refused before they are read, each with an error
document; and HTML decoded with the charset it declares."""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import pytest

from extractor.inputs.documents import declared_charset, iter_documents


def _only(inputs: list[str | Path], **limits: int) -> tuple[str | None, str | None]:
    (document,) = list(iter_documents(inputs, **limits))
    return document.text, (document.error.message if document.error else None)


def test_a_fifo_given_as_a_path_is_refused_and_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result: list[tuple[str | None, str | None]] = []
    reader = threading.Thread(target=lambda: result.append(_only([fifo])), daemon=True)
    reader.start()
    reader.join(timeout=5)
    assert not reader.is_alive(), "reading the FIFO blocked: it was opened"
    text, error = result[0]
    assert text is None
    assert error is not None and "is a FIFO" in error and "never read" in error


def test_a_device_given_as_a_path_is_refused() -> None:
    text, error = _only(["/dev/zero"])  # read, it would never end
    assert text is None
    assert error is not None and "is a device" in error


def test_a_socket_given_as_a_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.txt"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        text, error = _only([path])
    assert text is None
    assert error is not None and "is a socket" in error


@pytest.mark.parametrize(("name", "size", "refused"), [("a.txt", 41, True), ("b.txt", 40, False)])
def test_a_file_too_large_for_the_character_limit_is_refused_from_its_size(
    tmp_path: Path, name: str, size: int, refused: bool
) -> None:
    path = tmp_path / name
    path.write_text("x" * size, encoding="utf-8")  # 10 characters are at most 40 bytes
    text, error = _only([path], max_chars=10)
    if refused:
        assert text is None
        assert error is not None and "41 bytes" in error and "refused from its size" in error
    else:
        assert error is None and text == "x" * 40  # read; the pipeline then counts characters


@pytest.mark.parametrize(
    ("declaration", "encoding", "words"),
    [
        ('<meta charset="windows-1251">', "windows-1251", "Оценка: хорошо"),
        (
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-7">',
            "iso-8859-7",
            "Βαθμολογία: καλή",
        ),
        ("<meta charset=koi8-r>", "koi8-r", "Рейтинг: отлично"),
    ],
)
def test_html_is_decoded_with_its_declared_charset(
    tmp_path: Path, declaration: str, encoding: str, words: str
) -> None:
    page = (
        f"<html><head>{declaration}<title>t</title></head><body><article><p>NHS Bury CCG. "
        f"{words}.</p></article></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(page.encode(encoding))
    text, error = _only([path])
    assert error is None
    assert text is not None and words in text


def test_a_page_that_says_latin_1_is_read_as_windows_1252() -> None:
    assert declared_charset(b'<meta charset="ISO-8859-1">') == "cp1252"
    assert declared_charset(b"<p>no declaration</p>") is None
    assert declared_charset(b'<meta charset="no-such-codec">') is None
