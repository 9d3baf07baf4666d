"""Read input documents: text and HTML files, directories, stdin and JSONL batches.

Documents are yielded lazily (a directory of thousands of files is never held in memory)
and every input yields exactly one `Document`: one that cannot be read carries its
`InputError` instead of text, so it becomes an error record and is never silently lost.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from charset_normalizer import from_bytes

from extractor.errors import InputError

__all__ = [
    "HTML_SUFFIXES",
    "TEXT_SUFFIXES",
    "Document",
    "declared_charset",
    "decode_bytes",
    "html_to_text",
    "iter_documents",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_LOOKS_LIKE_HTML = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<article)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Document:
    """One input: its id, where it came from, and its text or the reason it has none."""

    doc_id: str
    source: str
    text: str | None = None
    error: InputError | None = None

    @property
    def text_sha256(self) -> str | None:
        """sha256 of the text (UTF-8), or None when the input has no text."""
        if self.text is None:
            return None
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def decode_bytes(data: bytes, *, name: str) -> str:
    """Decode bytes as UTF-8, else cp1252, else the detected legacy encoding.

    Raises `InputError` for binary data.
    """
    if b"\x00" in data[:8192]:
        raise InputError(f"{name} looks binary (it contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # English press releases: cp1252 is the usual legacy encoding, and detection
        # guesses wrong on short texts (cp932 or cp775 for "\x92s \xa325m").
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is not None and best.encoding:
        return str(best)
    raise InputError(f"{name} is neither UTF-8 nor a known text encoding")


def html_to_text(html: str, *, name: str) -> str:
    """Reduce an HTML page to its article text (trafilatura), paragraphs blank-line separated."""
    import trafilatura  # heavy import, only needed for HTML

    text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    if not text or not text.strip():
        text = trafilatura.html2txt(html)
    if not text or not text.strip():
        raise InputError(f"{name}: no article text found in the HTML")
    return re.sub(r"\n+", "\n\n", text.strip())


def _text_document(doc_id: str, source: str, text: str, *, is_html: bool) -> Document:
    try:
        if is_html or _LOOKS_LIKE_HTML.match(text):
            text = html_to_text(text, name=source)
        if not text.strip():
            raise InputError(f"{source} is empty (no text to extract from)")
    except InputError as exc:
        return Document(doc_id=doc_id, source=source, error=exc)
    return Document(doc_id=doc_id, source=source, text=text)


MAX_HTML_BYTES = 20 * 1024 * 1024
"""The largest HTML file read: markup makes a page many times its text, so its size says
little about its article's length, but a page this large is no press release."""


def _refused_unread(path: Path, *, is_html: bool, max_chars: int | None) -> str | None:
    """Why a file is refused before a byte of it is read, or None: it is not a regular file
    (a FIFO or a device would block or never end), or it is too large for its text to fit
    `max_chars` (a character is at most 4 bytes in UTF-8)."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a FIFO" if stat.S_ISFIFO(info.st_mode)
            else "a socket" if stat.S_ISSOCK(info.st_mode)
            else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
            else "not a regular file"
        )  # fmt: skip
        return f"{path} is {kind}, not a file of text: refused, never read"
    size = info.st_size
    if is_html and size > max(MAX_HTML_BYTES, 4 * (max_chars or 0)):
        return f"{path} has {size:,} bytes, more than the {MAX_HTML_BYTES:,} read of an HTML page"
    if not is_html and max_chars is not None and size > 4 * max_chars:
        return (
            f"{path} has {size:,} bytes: over 4 bytes for each of the EXTRACTOR_MAX_CHARS="
            f"{max_chars:,} characters ({4 * max_chars:,} bytes), so refused from its size, "
            "never read"
        )
    return None


def _file_document(path: Path, doc_id: str, max_chars: int | None = None) -> Document:
    source = str(path)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    try:
        refused = _refused_unread(path, is_html=is_html, max_chars=max_chars)
        if refused is not None:
            return Document(doc_id=doc_id, source=source, error=InputError(refused))
        data = path.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return Document(
            doc_id=doc_id, source=source, error=InputError(f"cannot read {source}: {reason}")
        )
    try:
        declared = declared_charset(data) if is_html else None
        text = _decoded_as(data, declared) if declared else None
        if text is None:
            text = decode_bytes(data, name=source)
    except InputError as exc:
        return Document(doc_id=doc_id, source=source, error=exc)
    return _text_document(doc_id, source, text, is_html=is_html)


_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)


def declared_charset(html: bytes) -> str | None:
    """The encoding an HTML page declares in a `<meta>` within its first 2,048 bytes
    (`<meta charset=...>` or `http-equiv="Content-Type" content="...; charset=..."`), as a
    Python codec name; a page that says ISO-8859-1 or ASCII is read as windows-1252, as
    browsers do. None when it declares none, or one Python does not know."""
    found = _META_CHARSET.search(html[:2048])
    if found is None:
        return None
    name = found.group(1).decode("ascii", errors="ignore").lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _decoded_as(data: bytes, encoding: str) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return data.decode("utf-8-sig", errors="replace")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None  # the declaration is wrong: decode as for any file


def _jsonl_documents(path: Path) -> Iterator[Document]:
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield Document(
            doc_id=path.stem,
            source=source,
            error=InputError(f"cannot read {source}: {exc.strerror}"),
        )
        return
    with handle:
        for number, raw in _numbered_lines(handle):
            line_source = f"{source}:{number}"
            fallback_id = f"{path.stem}:{number}"
            if isinstance(raw, OSError):  # the rest of the file is lost, and says so
                reason = raw.strerror or type(raw).__name__
                error = InputError(f"cannot read {source} from line {number} on: {reason}")
                yield Document(doc_id=fallback_id, source=line_source, error=error)
                return
            if not raw.strip():
                continue
            try:
                item = json.loads(decode_bytes(raw, name=line_source))
                if not isinstance(item, dict):
                    raise ValueError("a line must be a JSON object")
                doc_id = str(item.get("id") or fallback_id)
                text = item.get("text")
                if not isinstance(text, str):
                    raise ValueError('"text" must be a string')
            except (ValueError, InputError) as exc:
                error = InputError(f"{line_source}: not a valid {{id, text}} line: {exc}")
                yield Document(doc_id=fallback_id, source=line_source, error=error)
                continue
            yield _text_document(doc_id, line_source, text, is_html=False)


def _numbered_lines(handle: IO[bytes]) -> Iterator[tuple[int, bytes | OSError]]:
    """`(number, line)` pairs; a read error ends them with `(number, error)`, not a raise."""
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):
            yield number, raw
    except OSError as exc:
        yield number + 1, exc


def _directory_files(folder: Path) -> Iterator[Path]:
    suffixes = TEXT_SUFFIXES | HTML_SUFFIXES | _JSONL_SUFFIXES
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in suffixes or path.name.startswith("."):
            continue
        # A dangling symlink is an input that cannot be read: it gets an error record rather
        # than vanishing from the batch. Directories, FIFOs and devices are not inputs.
        if path.is_file() or (path.is_symlink() and not path.exists()):
            yield path


def iter_documents(
    inputs: Iterable[str | Path], *, max_chars: int | None = None
) -> Iterator[Document]:
    """Yield one `Document` per input file, JSONL line or stdin; ids are made unique.

    With `max_chars`, a file too large to hold an article of at most that many characters is
    refused from its size, before it is read (an error document)."""
    seen: set[str] = set()

    def unique(document: Document, alternative: str) -> Document:
        doc_id = document.doc_id
        if doc_id in seen:
            doc_id = alternative
            counter = 2
            while doc_id in seen:
                doc_id, counter = f"{alternative}#{counter}", counter + 1
        seen.add(doc_id)
        if doc_id == document.doc_id:
            return document
        return Document(
            doc_id=doc_id, source=document.source, text=document.text, error=document.error
        )

    for item in inputs:
        if str(item) == "-":
            try:
                data = sys.stdin.buffer.read()
                document = _text_document(
                    "stdin", "<stdin>", decode_bytes(data, name="<stdin>"), is_html=False
                )
            except InputError as exc:
                document = Document(doc_id="stdin", source="<stdin>", error=exc)
            except OSError as exc:
                error = InputError(f"cannot read <stdin>: {exc.strerror or type(exc).__name__}")
                document = Document(doc_id="stdin", source="<stdin>", error=error)
            yield unique(document, "stdin")
            continue
        path = Path(item)
        try:
            yield from _path_documents(path, unique, max_chars)
        except OSError as exc:
            # Checking or listing the path failed (permissions on a parent, I/O errors): one
            # error record for what is left of it, and the rest of the batch goes on.
            reason = exc.strerror or type(exc).__name__
            error = InputError(f"cannot read {path}: {reason}")
            yield unique(
                Document(doc_id=path.stem or str(path), source=str(path), error=error), str(path)
            )


def _path_documents(
    path: Path, unique: Callable[[Document, str], Document], max_chars: int | None
) -> Iterator[Document]:
    if path.is_dir():
        for file in _directory_files(path):
            yield from _expand(file, unique, base=path, max_chars=max_chars)
    elif path.exists():
        yield from _expand(path, unique, base=path.parent, max_chars=max_chars)
    else:
        error = InputError(f"no such file or directory: {path}")
        yield unique(
            Document(doc_id=path.stem or str(path), source=str(path), error=error), str(path)
        )


def _expand(
    path: Path,
    unique: Callable[[Document, str], Document],
    base: Path,
    max_chars: int | None = None,
) -> Iterator[Document]:
    relative = (
        path.relative_to(base).with_suffix("").as_posix() if base in path.parents else str(path)
    )
    if path.suffix.lower() in _JSONL_SUFFIXES:
        for document in _jsonl_documents(path):
            yield unique(document, f"{relative}:{document.doc_id}")
    else:
        yield unique(_file_document(path, path.stem, max_chars), relative)
