"""Tests of `extractor.names.reference_table`: comparison keys, canonical names and ODS codes."""

from __future__ import annotations

import re

import pytest

from extractor.names.reference_table import canonical_key, normalize_ccg, reference_table


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ST HELENS Clinical Commissioning Group (CCG)", "st helens"),
        ("NHS St. Helens CCG", "st helens"),
        ("Stoke-on-Trent CCG", "stoke on trent"),
        ("NHS Bath & North East Somerset CCG", "bath and north east somerset"),
        ("NHS Airedale, Wharfedale and Craven CCG", "airedale wharfedale and craven"),
        ("the  Vale of York CCGs", "vale of york"),
    ],
)
def test_canonical_key(name: str, key: str) -> None:
    assert canonical_key(name) == key


def test_canonical_key_keeps_affix_words_inside_other_words() -> None:
    # "nhs", "ccg" and "the" are removed only as whole words.
    assert canonical_key("Theale Nhsville") == "theale nhsville"


@pytest.mark.parametrize(
    ("as_written", "name", "ods_code"),
    [
        ("ST HELENS Clinical Commissioning Group (CCG)", "St Helens", "01X"),
        ("NHS Eastern Cheshire CCG", "Eastern Cheshire", "01C"),
        ("Stoke-on-Trent CCG", "Stoke on Trent", "05W"),
        ("Hull Clinical Commissioning Group", "Hull", "03F"),
    ],
)
def test_normalize_ccg_known(as_written: str, name: str, ods_code: str) -> None:
    ccg = normalize_ccg(as_written)
    assert ccg.name == name
    assert ccg.ods_code == ods_code
    assert ccg.as_written == as_written


def test_normalize_ccg_tidies_whitespace_of_as_written() -> None:
    ccg = normalize_ccg("  NHS Eastern\n  Cheshire CCG ")
    assert ccg.as_written == "NHS Eastern Cheshire CCG"
    assert ccg.ods_code == "01C"


@pytest.mark.parametrize(
    ("as_written", "name"),
    [
        ("NHS Cheshire CCG", "Cheshire"),  # formed by a 2020 merger: not in the 2018 table
        ("NHS CHESHIRE CLINICAL COMMISSIONING GROUP", "Cheshire"),
        ("Riverside Clinical Commissioning Group (CCG)", "Riverside"),
    ],
)
def test_normalize_ccg_unknown_is_kept_as_written_without_code(as_written: str, name: str) -> None:
    ccg = normalize_ccg(as_written)
    assert ccg.name == name
    assert ccg.ods_code is None
    assert ccg.as_written == as_written


def test_reference_table_has_the_195_ccgs_of_april_2018() -> None:
    table = reference_table()
    assert len(table) == 195
    assert len({row.ods_code for row in table.values()}) == 195
    for key, row in table.items():
        assert key == canonical_key(row.name)
        assert re.fullmatch(r"[0-9][0-9A-Z]{2}", row.ods_code), row
        assert re.fullmatch(r"E38\d{6}", row.ons_code), row
        assert "NHS" not in row.name.split() and "CCG" not in row.name.split(), row


def test_every_reference_ccg_is_found_from_its_official_name() -> None:
    for row in reference_table().values():
        ccg = normalize_ccg(f"NHS {row.name} CCG")
        assert (ccg.name, ccg.ods_code) == (row.name, row.ods_code)


@pytest.mark.parametrize(
    ("as_written", "ods_code"),
    [
        ("Northern, Eastern and Western Devon (NEW Devon)", "99P"),
        ("NHS Heywood, Middleton and Rochdale CCG (HMR)", "01D"),
        ("Hammersmith & Fulham (H&F)", "08C"),
    ],
)
def test_a_short_form_in_brackets_after_the_name_still_links(
    as_written: str, ods_code: str
) -> None:
    assert normalize_ccg(as_written).ods_code == ods_code


def test_a_name_that_holds_brackets_links_whole() -> None:
    assert normalize_ccg("Central London (Westminster)").ods_code == "09A"
