"""Name linking: a CCG name as an article writes it links to its reference-table row, or to
nothing. Made-up variants of real names: abbreviations, typos, "&", initials, affixes."""

from __future__ import annotations

import pytest

from extractor.names.reference_table import link_ccg, normalize_ccg

LINKED = [
    # "NHS ... CCG" and "Clinical Commissioning Group" variants
    ("NHS Barnet CCG", "07M"),
    ("Barnet Clinical Commissioning Group", "07M"),
    ("barnet ccg", "07M"),
    ("NHS BARNET CLINICAL COMMISSIONING GROUP", "07M"),
    ("The NHS Bury CCG", "00V"),
    ("Bury CCG (CCG)", "00V"),
    ("NHS Dudley Clinical Commisioning Group", "05C"),
    ("Dudley Clinical Comissioning Group", "05C"),
    ("Dudley Clincal Commissioning Groups", "05C"),
    # "&" and missing connecting words
    ("Barking & Dagenham CCG", "07L"),
    ("NHS Brighton & Hove CCG", "09D"),
    ("Hammersmith & Fulham CCG", "08C"),
    ("Heywood Middleton Rochdale CCG", "01D"),
    ("Blackburn & Darwen CCG", "00Q"),
    ("Airedale Wharfedale and Craven CCG", "02N"),
    ("Hambleton, Richmondshire & Whitby CCG", "03D"),
    ("NHS Tameside & Glossop CCG", "01Y"),
    # punctuation and case
    ("Stoke-on-Trent CCG", "05W"),
    ("Hartlepool and Stockton on Tees CCG", "00K"),
    ("St. Helens CCG", "01X"),
    ("ST HELENS CCG", "01X"),
    ("Isle-of-Wight CCG", "10L"),
    # county and compass abbreviations
    ("East Staffs CCG", "05D"),
    ("N Staffs CCG", "05G"),
    ("South East Staffs and Seisdon Peninsula CCG", "05Q"),
    ("S Warks CCG", "05R"),
    ("Warks North CCG", "05H"),
    ("Glos CCG", "11M"),
    ("NHS Herts Valleys CCG", "06N"),
    ("East & North Herts CCG", "06K"),
    ("Cambs and Peterborough CCG", "06H"),
    ("Lincs West CCG", "04D"),
    ("South West Lincs CCG", "04Q"),
    ("N E Lincs CCG", "03H"),
    ("West Leics CCG", "04V"),
    ("East Leics and Rutland CCG", "03W"),
    ("Bucks CCG", "14Y"),
    ("Beds CCG", "06F"),
    ("Oxon CCG", "10Q"),
    ("Wilts CCG", "99N"),
    ("South Worcs CCG", "05T"),
    ("North Derbys CCG", "04J"),
    ("Southern Derbys CCG", "04R"),
    ("West Lancs CCG", "02G"),
    ("East Lancs CCG", "01A"),
    ("North East Hants and Farnham CCG", "99M"),
    ("East Riding of Yorks CCG", "02Y"),
    ("Gt Yarmouth and Waveney CCG", "06M"),
    ("Notts City CCG", "04K"),
    ("Notts North & East CCG", "04L"),
    # town abbreviations
    ("Nottm North & East CCG", "04L"),
    ("NHS Nottm City CCG", "04K"),
    ("NHS Soton CCG", "10X"),
    # a long name cut short
    ("SE Staffs & Seisdon CCG", "05Q"),
    ("NHS South East Staffordshire and Seisdon CCG", "05Q"),
    ("Durham Dales, Easington CCG", "00D"),
    # compass points joined by "&"
    ("E&N Herts CCG", "06K"),
    ("NHS E&N Hertfordshire CCG", "06K"),
    ("Cambs & Pboro CCG", "06H"),
    ("Cambs & P'boro CCG", "06H"),
    ("NHS Cambridgeshire & P\u2019boro CCG", "06H"),
    ("Staffs and Surrounds CCG", "05V"),
    # typos in the place name
    ("NHS Sheffeild CCG", "03N"),
    ("Wolverhamton CCG", "06A"),
    ("Knowlsey CCG", "01J"),
    ("Barnsely CCG", "02P"),
    ("Rotheram CCG", "03L"),
    ("Wirrall CCG", "12F"),
    ("Shropshre CCG", "05N"),
    ("North Lincolnshre CCG", "03K"),
    ("Durham Dales, Easington and Sedgfield CCG", "00D"),
    ("Northumberand CCG", "00L"),
    ("Calderdael CCG", "02T"),
    ("Warrinton CCG", "02E"),
    # initials, alone or in brackets after the name
    ("BaNES CCG", "11E"),
    ("HMR", "01D"),
    ("B&NES CCG", "11E"),
    ("H&F CCG", "08C"),
    ("NHS B&NES Clinical Commissioning Group", "11E"),
    ("HaRD CCG", "03E"),
    ("VoY", "03Q"),
    ("Vale of York Clinical Commissioning Group (VoY CCG)", "03Q"),
    ("NHS Heywood, Middleton and Rochdale CCG (HMR)", "01D"),
    ("NHS Northern, Eastern and Western Devon CCG (NEW Devon CCG)", "99P"),
    ("Central London (Westminster) CCG", "09A"),
    # a possessive before the suffix: no table name holds one
    ("Oldham's clinical commissioning group", "00Y"),
    ("NHS Calderdale\u2019s CCG", "02T"),
    ("Stoke-on-Trent's Clinical Commissioning Group", "05W"),
    ("East Staffs's CCG", "05D"),
]

NOT_LINKED = [
    "NHS Leeds North CCG",  # merged into Leeds CCG in 2018: not a row of the table
    "Leeds West CCG",
    "South Reading CCG",
    "Newcastle West CCG",
    "Solihull CCG",  # part of Birmingham and Solihull, not the same CCG
    "Bristol CCG",  # part of Bristol, North Somerset and South Gloucestershire
    "South Glos CCG",  # not "South Worcestershire", one word apart
    "Wigan CCG",  # "Wigan Borough" has a word more
    "Bradford CCG",  # Bradford City or Bradford Districts: no single row
    "Mid Notts CCG",
    "Lakeshire CCG",
    "NHS CCG",
    "",
]


@pytest.mark.parametrize(("written", "code"), LINKED)
def test_a_variant_links_to_its_row(written: str, code: str) -> None:
    row = link_ccg(written)
    assert row is not None, written
    assert row.ods_code == code


def test_there_are_at_least_fifty_variants() -> None:
    assert len(LINKED) >= 50


@pytest.mark.parametrize("written", NOT_LINKED)
def test_a_name_no_single_row_fits_links_to_nothing(written: str) -> None:
    assert link_ccg(written) is None


@pytest.mark.parametrize("written", NOT_LINKED[:-3])
def test_an_unlinked_name_is_kept_as_written_without_a_code(written: str) -> None:
    ccg = normalize_ccg(written)
    assert ccg.ods_code is None
    assert ccg.as_written == written
    assert ccg.name.lower() in written.lower()


def test_a_linked_name_takes_the_reference_name_and_keeps_how_it_was_written() -> None:
    ccg = normalize_ccg("Cambs &  Peterborough\nCCG")
    assert (ccg.name, ccg.ods_code) == ("Cambridgeshire and Peterborough", "06H")
    assert ccg.as_written == "Cambs & Peterborough CCG"
