"""Tests of `extractor.inputs.documents`: decoding, HTML, directories, JSONL and bad inputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.inputs.documents import Document, decode_bytes, iter_documents

HTML_PAGE = """<!DOCTYPE html>
<html><head><title>News - Riverside CCG</title></head>
<body>
<nav><ul>
<li><a href="/">Home</a></li><li><a href="/about">About us</a></li>
<li><a href="/contact">Contact the press office</a></li>
</ul></nav>
<main><article>
<h1>Riverside CCG rated good</h1>
<p>NHS Riverside CCG has been rated good in its annual assessment by NHS England for
2017/18, the organisation announced today.</p>
<p>The clinical commissioning group was praised for its work on cancer services and for
improving mental health care across the borough.</p>
<p>Chief officer Jane Doe said the result reflected the hard work of staff and partners
across the local health economy.</p>
</article></main>
<footer><p>Copyright 2018 Riverside CCG. All rights reserved. Cookie policy.</p></footer>
</body></html>
"""
SEFTON = (
    "Sefton CCG was rated \u201cgood\u201d \u2013 its \u00a33m surplus was praised. "
    "Caf\u00e9 staff agreed, na\u00efvely."
)


def only(documents: list[Document]) -> Document:
    assert len(documents) == 1, documents
    return documents[0]


def read_one(path: Path) -> Document:
    return only(list(iter_documents([path])))


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# Decoding


def test_utf8_file(tmp_path: Path) -> None:
    text = "St Helens CCG was rated \u201cgood\u201d \u2013 caf\u00e9 \u00a325m."
    document = read_one(write(tmp_path / "article.txt", text.encode("utf-8")))
    assert document.error is None
    assert document.text == text
    assert document.doc_id == "article"
    assert document.source == str(tmp_path / "article.txt")


def test_utf8_with_bom_loses_the_bom(tmp_path: Path) -> None:
    text = "\u201cGood\u201d \u2013 rated"
    document = read_one(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + text.encode("utf-8")))
    assert document.text == text


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"\x93quoted\x94 \x96 dash", "\u201cquoted\u201d \u2013 dash"),
        (
            b"The CCG\x92s deficit was \xa325m this year.",
            "The CCG\u2019s deficit was \u00a325m this year.",
        ),
        (SEFTON.encode("cp1252"), SEFTON),
    ],
)
def test_cp1252_bytes_are_decoded_properly(tmp_path: Path, data: bytes, text: str) -> None:
    assert decode_bytes(data, name="x") == text
    document = read_one(write(tmp_path / "legacy.txt", data))
    assert document.error is None
    assert document.text == text


def test_nul_bytes_are_an_error_document(tmp_path: Path) -> None:
    document = read_one(write(tmp_path / "image.txt", b"GIF89a\x00\x01\x02 rated good"))
    assert document.text is None
    assert isinstance(document.error, InputError)
    assert "binary" in document.error.message
    with pytest.raises(InputError):
        decode_bytes(b"abc\x00def", name="x")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  "])
def test_empty_or_whitespace_file_is_an_error_document(tmp_path: Path, data: bytes) -> None:
    document = read_one(write(tmp_path / "blank.txt", data))
    assert document.text is None
    assert isinstance(document.error, InputError)
    assert "empty" in document.error.message


# HTML


def test_html_file_becomes_article_text_without_boilerplate(tmp_path: Path) -> None:
    document = read_one(write(tmp_path / "page.html", HTML_PAGE))
    assert document.error is None
    assert document.text is not None
    assert "NHS Riverside CCG has been rated good" in document.text
    assert "Jane Doe said the result" in document.text
    for boilerplate in ("About us", "Contact the press office", "Copyright", "Cookie policy"):
        assert boilerplate not in document.text
    assert "<p>" not in document.text
    assert "\n\n" in document.text  # paragraphs stay apart


def test_text_file_holding_html_is_treated_as_html(tmp_path: Path) -> None:
    document = read_one(write(tmp_path / "page.txt", HTML_PAGE))
    assert document.text is not None
    assert "NHS Riverside CCG has been rated good" in document.text
    assert "<article>" not in document.text
    assert "Contact the press office" not in document.text


# Directories


def test_directory_is_read_recursively_in_sorted_order_with_unique_ids(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "b.txt", "Bee CCG was rated good.")
    write(root / "a.txt", "Aye CCG was rated good.")
    write(root / "sub" / "a.txt", "Another Aye CCG was rated good.")
    write(root / "sub" / "deeper" / "c.md", "Sea CCG was rated good.")
    write(root / ".hidden.txt", "hidden")
    write(root / "notes.csv", "not,an,article")
    documents = list(iter_documents([root]))
    assert [d.source for d in documents] == [
        str(root / "a.txt"),
        str(root / "b.txt"),
        str(root / "sub" / "a.txt"),
        str(root / "sub" / "deeper" / "c.md"),
    ]
    assert [d.doc_id for d in documents] == ["a", "b", "sub/a", "c"]
    assert documents[2].text == "Another Aye CCG was rated good."


def test_same_stem_files_given_separately_get_unique_ids(tmp_path: Path) -> None:
    first = write(tmp_path / "one" / "report.txt", "One CCG was rated good.")
    second = write(tmp_path / "two" / "report.txt", "Two CCG was rated good.")
    documents = list(iter_documents([first, second]))
    assert len(documents) == 2
    assert documents[0].doc_id == "report"
    assert documents[1].doc_id != "report"
    assert documents[1].text == "Two CCG was rated good."


# JSONL


def test_jsonl_lines_with_a_malformed_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "batch.jsonl",
        "\n".join(
            [
                json.dumps({"id": "one", "text": "First CCG was rated good."}),
                '{"id": "broken", "text": ',
                json.dumps({"id": "two", "text": "Second CCG was rated good."}),
                json.dumps({"text": "A line without an id."}),
                "",
                json.dumps({"id": "number", "text": 5}),
                json.dumps(["not", "an", "object"]),
                json.dumps({"id": "three", "text": "Third CCG was rated good."}),
            ]
        )
        + "\n",
    )
    documents = list(iter_documents([path]))
    by_id = {d.doc_id: d for d in documents}
    assert [d.doc_id for d in documents] == [
        "one",
        "batch:2",
        "two",
        "batch:4",
        "batch:6",
        "batch:7",
        "three",
    ]
    assert by_id["one"].text == "First CCG was rated good."
    assert by_id["two"].text == "Second CCG was rated good."
    assert by_id["three"].text == "Third CCG was rated good."
    assert by_id["batch:4"].text == "A line without an id."
    for bad in ("batch:2", "batch:6", "batch:7"):
        assert by_id[bad].text is None
        assert isinstance(by_id[bad].error, InputError)
    assert by_id["batch:2"].source == f"{path}:2"


def test_jsonl_duplicate_ids_are_made_unique(tmp_path: Path) -> None:
    path = write(
        tmp_path / "batch.jsonl",
        json.dumps({"id": "x", "text": "First."})
        + "\n"
        + json.dumps({"id": "x", "text": "Second."}),
    )
    documents = list(iter_documents([path]))
    assert [d.text for d in documents] == ["First.", "Second."]
    assert len({d.doc_id for d in documents}) == 2
    assert documents[0].doc_id == "x"


def test_jsonl_line_with_empty_text_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.jsonl", json.dumps({"id": "blank", "text": "  "}) + "\n")
    document = read_one(path)
    assert document.doc_id == "blank"
    assert document.text is None
    assert isinstance(document.error, InputError)


# Unreadable inputs


def test_missing_path_is_an_error_document(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    document = read_one(missing)
    assert document.doc_id == "nowhere"
    assert document.text is None
    assert isinstance(document.error, InputError)
    assert "no such file" in document.error.message


def test_unreadable_file_is_an_error_document(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", "Locked CCG was rated good.")
    path.chmod(0)
    try:
        try:
            path.read_bytes()
        except PermissionError:
            pass
        else:
            pytest.skip("this user can read a chmod 000 file (running as root)")
        document = read_one(path)
    finally:
        os.chmod(path, 0o600)
    assert document.doc_id == "locked"
    assert document.text is None
    assert isinstance(document.error, InputError)
    assert "cannot read" in document.error.message
