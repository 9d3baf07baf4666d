"""Finding the CCGs an article names, on made-up sentences of each shape."""

from __future__ import annotations

import pytest

from extractor.names.mentions import ccgs_in, find_ccg_mentions


def _codes(article: str) -> list[str | None]:
    return [ccg.ods_code for ccg in ccgs_in(article)]


def _names(article: str) -> list[str]:
    return [ccg.name for ccg in ccgs_in(article)]


@pytest.mark.parametrize(
    ("article", "codes"),
    [
        # several names sharing one suffix, one of them holding "and"
        (
            "NHS Fareham and Gosport and NHS South Eastern Hampshire clinical commissioning "
            "groups were both judged to need improvement.",
            ["10K", "10V"],
        ),
        # names holding commas and "and", split on the table, not on commas
        (
            "The Dartford, Gravesham and Swanley, Swale and Medway CCGs have all been rated good.",
            ["09J", "10D", "09W"],
        ),
        (
            "Verdicts for the Airedale, Wharfedale and Craven and Bradford City CCGs came out.",
            ["02N", "02W"],
        ),
        # each name with its own suffix
        ("Bury CCG and Oldham Clinical Commissioning Group were rated.", ["00V", "00Y"]),
    ],
)
def test_names_before_a_shared_suffix_are_each_found(article: str, codes: list[str]) -> None:
    assert _codes(article) == codes


@pytest.mark.parametrize(
    "article",
    [
        "The groups rated inadequate were NHS Barnet, NHS Bury and NHS Calderdale.",
        "Inadequate: NHS Barnet, NHS Bury, NHS Calderdale.",
        "NHS England singled out NHS Barnet, while NHS Bury and NHS Calderdale did better.",
    ],
)
def test_names_after_nhs_are_found(article: str) -> None:
    assert _codes(article) == ["07M", "00V", "02T"]


@pytest.mark.parametrize(
    "article",
    [
        "Rated outstanding\n\u2022 Barnet\n\u2022 Bury\n\u2022 Calderdale\n",
        "Barnet CCG | Good\nBury CCG | Inadequate\nCalderdale CCG | Good\n",
        "- Barnet: good\n- Bury: requires improvement\n- Calderdale - outstanding\n",
    ],
)
def test_names_on_lines_of_lists_and_tables_are_found(article: str) -> None:
    assert _codes(article) == ["07M", "00V", "02T"]


@pytest.mark.parametrize(
    "article",
    [
        "Five London groups - Barnet, Brent, Harrow, Ealing and Hounslow - require improvement.",
        "Of the CCGs in the area, Barnet, Brent, Harrow, Ealing and Hounslow require improvement.",
        "Barnet, Brent, Harrow, Ealing and Hounslow were the London commissioners rated good.",
    ],
)
def test_bare_names_listed_in_a_sentence_about_ccgs_are_found(article: str) -> None:
    assert _codes(article) == ["07M", "07P", "08E", "07W", "07Y"]


@pytest.mark.parametrize(
    ("article", "written"),
    [
        ("NHS Leeds North CCG was rated good.", "NHS Leeds North CCG"),
        ("Meanwhile South Reading CCG kept its rating.", "South Reading CCG"),
        (
            "Inspectors said Newcastle West Clinical Commissioning Group improved.",
            "Newcastle West Clinical Commissioning Group",
        ),
    ],
)
def test_a_name_outside_the_table_is_kept_as_written(article: str, written: str) -> None:
    (ccg,) = ccgs_in(article)
    assert ccg.as_written == written
    assert ccg.ods_code is None


@pytest.mark.parametrize(
    "article",
    [
        "Sheffield Teaching Hospitals was praised by the regulator.",
        "However, the CCG said each CCG in the region faces pressure.",
        "Dr Jo Bloggs, chair of the CCG, said: 'We are pleased.'",
        "Across the West Midlands, most CCGs improved.",
        # a place before "CCG" after a quantifier says what kind of CCG, not which
        "It was the only London CCG rated outstanding.",
        "Every Kent CCG must make savings, and a Yorkshire CCG was rated good.",
        "No Cornish CCG has ever been rated inadequate.",
        "The three Manchester CCGs merged into one in 2017.",
        "Both Bradford CCGs work as one system.",
        "All 12 Kent CCGs were rated.",
        # so does a compass word in lower case: a name capitalises its own
        "Assessors said the south London CCG had met its plan.",
        "The north-east Essex CCG was marked down for urgent care.",
        "A spokesman for the western Cornwall CCG declined to comment.",
        "Two trusts and the inner London CCG signed the plan.",
    ],
)
def test_a_bare_place_or_a_back_reference_is_no_mention(article: str) -> None:
    assert ccgs_in(article) == []


@pytest.mark.parametrize(
    ("article", "written"),
    [
        ("NHS Central Manchester CCG was rated good.", "NHS Central Manchester CCG"),
        ("Inspectors praised Leeds North CCG.", "Leeds North CCG"),
        ("NHS South Manchester CCG improved.", "NHS South Manchester CCG"),
        ("Inspectors praised South Reading CCG.", "South Reading CCG"),
    ],
)
def test_a_table_name_ending_a_longer_name_is_not_that_ccg(article: str, written: str) -> None:
    (ccg,) = ccgs_in(article)
    assert ccg.as_written == written
    assert ccg.ods_code is None


@pytest.mark.parametrize(
    "article",
    [
        "NHS Vale of York Clinical Commissioning Group (VoY CCG) was rated. VoY CCG said so.",
        "NHS Heywood, Middleton and Rochdale CCG (HMR) improved; HMR CCG thanked staff.",
        "Harrogate and Rural District CCG (HaRD) and its chair were praised.",
    ],
)
def test_a_short_form_in_brackets_is_the_same_ccg(article: str) -> None:
    assert len(ccgs_in(article)) == 1
    assert ccgs_in(article)[0].ods_code is not None


def test_abbreviated_and_misspelt_names_link() -> None:
    article = (
        "East Staffs CCG was rated good, NHS Sheffeild CCG inadequate and Cambs & Peterborough "
        "Clinical Comissioning Group requires improvement."
    )
    assert _names(article) == [
        "East Staffordshire",
        "Sheffield",
        "Cambridgeshire and Peterborough",
    ]


def test_mentions_point_at_the_article_text() -> None:
    article = "Today NHS Barnet CCG and Bury CCG were rated."
    for mention in find_ccg_mentions(article):
        assert article[mention.start : mention.end] == mention.written


@pytest.mark.parametrize(
    ("article", "names"),
    [
        ("The CCG verdicts are in. Barnet's rating was unchanged at good.", ["Barnet"]),
        ("Ratings of CCGs: Oldham\u2019s grade rose to outstanding.", ["Oldham"]),
        ("CCG results. Bury lost its good rating and Salford's overall verdict is inadequate.",
         ["Bury", "Salford"]),
    ],
)  # fmt: skip
def test_a_bare_name_whose_rating_is_the_subject_is_found(article: str, names: list[str]) -> None:
    assert _names(article) == names


@pytest.mark.parametrize(
    ("article", "names"),
    [
        # a list of bare names as a sentence's subject, before a past tense
        (
            "The CCG ratings are out. Over in the east, Luton and Bedfordshire slipped to "
            "requires improvement.",
            ["Luton", "Bedfordshire"],
        ),
        # before a relative pronoun, and before an irregular past tense
        (
            "Clinical commissioning groups in the region did well. Oldham, which improved "
            "last year, kept its good rating, and Salford rose to outstanding.",
            ["Oldham", "Salford"],
        ),
        # a list that a new clause follows after a comma
        (
            "CCG ratings: Salford was rated good alongside Oldham and Bury, with NHS England "
            "praising all three.",
            ["Salford", "Oldham", "Bury"],
        ),
        # after a function word, with "and" inside a name; a present tense before a particle
        (
            "Both Walsall and Sandwell and West Birmingham held on to good, the CCGs said. "
            "In the league table of CCGs, Bury moves up to outstanding.",
            ["Walsall", "Sandwell and West Birmingham", "Bury"],
        ),
    ],
)
def test_bare_names_standing_as_the_subject_of_a_rating_are_found(
    article: str, names: list[str]
) -> None:
    assert _names(article) == names


@pytest.mark.parametrize(
    ("article", "names"),
    [
        ("The CCG results are out. South Tees requires improvement, as before.", ["South Tees"]),
        ("CCGs in the region: Bury was rated good, while Wigan Borough still needs improvement.",
         ["Bury", "Wigan Borough"]),
        ("Three CCGs were assessed. Oldham now requires improvement after a poor winter.",
         ["Oldham"]),
    ],
)  # fmt: skip
def test_a_bare_name_before_requires_improvement_is_its_subject(
    article: str, names: list[str]
) -> None:
    assert _names(article) == names


def test_a_name_ending_a_place_before_requires_improvement_is_no_mention() -> None:
    article = "Seven of the eight CCGs in Kent and Medway require improvement, NHS England says."
    assert _names(article) == []


@pytest.mark.parametrize(
    "article",
    [
        # a place name that qualifies a noun
        "Bury CCG was rated good. Stockport residents were told their care is good.",
        "Wigan CCG was rated good. The Bolton hospital trust was rated inadequate.",
        # part of a longer name that is not a CCG's
        "Oldham CCG was rated good and Greater Manchester did well with outstanding results.",
        # a place after a preposition
        "Wigan CCG was rated good. Health leaders on the Isle of Wight were rated inadequate.",
        "Wigan CCG was rated good. Services in Bolton were rated outstanding by inspectors.",
        # a sentence that states no rating
        "Barnet CCG was rated good. Later Bury hosted the regional meeting.",
        # initials and capitals only
        "Barnet CCG was rated good. GP leaders said WE were rated outstanding by patients.",
        # a possessive before a noun
        "Barnet CCG was rated good. Bolton's hospital was rated inadequate.",
    ],
)
def test_a_bare_place_that_is_no_subject_of_a_rating_is_no_mention(article: str) -> None:
    assert len(ccgs_in(article)) == 1


def test_bare_names_count_only_in_an_article_that_speaks_of_ccgs() -> None:
    assert ccgs_in("Bolton was rated good by the inspectors, and Bury outstanding.") == []


@pytest.mark.parametrize(
    "article",
    [
        "Kent's CCG ratings: a county of two halves\n\nThe ratings are out.",
        "Devon\u2019s clinical commissioning groups were all rated good this year.",
        "Across the county, Cumbria's CCG was said to be improving.",
    ],
)
def test_a_place_in_the_possessive_before_ccg_names_no_ccg(article: str) -> None:
    assert find_ccg_mentions(article) == []


def test_a_ccg_named_in_the_possessive_after_its_suffix_is_still_found() -> None:
    found = find_ccg_mentions("Kernow CCG\u2019s rating was good.")
    assert [(m.written, m.reference.ods_code if m.reference else None) for m in found] == [
        ("Kernow", "11N")
    ]


@pytest.mark.parametrize(
    ("article", "names"),
    [
        ("Verdicts on the CCGs: St Helens was rated good.", ["St Helens"]),
        ("CCG ratings by area. Knowsley and St Helens both kept their ratings of good.",
         ["Knowsley", "St Helens"]),
        ("The CCGs' grades: St Helens requires improvement.", ["St Helens"]),
    ],
)  # fmt: skip
def test_a_short_word_before_another_is_part_of_a_bare_name(article: str, names: list[str]) -> None:
    assert _names(article) == names


def test_one_short_word_alone_is_no_bare_name() -> None:
    assert _names("NHS Bury CCG was rated good. We were rated good by patients too.") == ["Bury"]


@pytest.mark.parametrize(
    ("article", "code"),
    [
        ("Heywood, Middleton and Rochdale (HMR) CCG was rated good.", "01D"),
        ("Ratings came out today, and Stoke on Trent (SoT) CCG was judged inadequate.", "05W"),
        ("The board of Airedale, Wharfedale and Craven (AWC) Clinical Commissioning Group met.",
         "02N"),
    ],
)  # fmt: skip
def test_initials_in_brackets_before_the_suffix_keep_the_name(article: str, code: str) -> None:
    assert [ccg.ods_code for ccg in ccgs_in(article)] == [code]


@pytest.mark.parametrize(
    ("article", "names"),
    [
        ("CCG verdicts. Gloucestershire was rated outstanding and Swindon inadequate.",
         ["Gloucestershire", "Swindon"]),
        ("CCG ratings. Bury was judged outstanding, Oldham good and Salford requires improvement.",
         ["Bury", "Oldham", "Salford"]),
        ("The CCG grades: Bolton came out good, and Stockport inadequate, the region heard.",
         ["Bolton", "Stockport"]),
    ],
)  # fmt: skip
def test_a_later_member_of_a_list_whose_verb_is_left_out_is_found(
    article: str, names: list[str]
) -> None:
    assert _names(article) == names


@pytest.mark.parametrize(
    "article",
    [
        "NHS Bury CCG was rated good and Stockport good practice was praised.",
        "Seven of the eight CCGs in Kent and Medway require improvement, NHS England says.",
    ],
)
def test_a_place_before_a_rating_word_with_no_rated_clause_before_is_no_mention(
    article: str,
) -> None:
    assert "Stockport" not in _names(article) and "Medway" not in _names(article)


@pytest.mark.parametrize(
    ("article", "names"),
    [
        ("The outstanding CCGs include Hull, Sunderland, Leeds North and East Staffs.",
         ["Hull", "Sunderland", "East Staffordshire"]),
        ("Three groups, Bury, Central Manchester and Oldham, were rated good.",
         ["Bury", "Oldham"]),
        ("The inadequate CCGs are Swale, Medway, South Kent, Thanet and Dartford, Gravesham "
         "and Swanley.", ["Swale", "Medway", "Thanet", "Dartford, Gravesham and Swanley"]),
    ],
)  # fmt: skip
def test_a_listed_name_outside_the_table_does_not_hide_the_names_before_it(
    article: str, names: list[str]
) -> None:
    assert _names(article) == names


@pytest.mark.parametrize(
    ("article", "written"),
    [
        (
            "This report covers Bexley CCG, Greenwich CCG, Lewisham CCG and Bromley CCG, the "
            "four CCGs of south east London.",
            ["Bexley CCG", "Greenwich CCG", "Lewisham CCG", "Bromley CCG"],
        ),
        (
            "The county is served by Redditch and Bromsgrove Clinical Commissioning Group, Wyre "
            "Forest Clinical Commissioning Group and South Worcestershire Clinical Commissioning "
            "Group.",
            [
                "Redditch and Bromsgrove Clinical Commissioning Group",
                "Wyre Forest Clinical Commissioning Group",
                "South Worcestershire Clinical Commissioning Group",
            ],
        ),
        (
            "Among the CCGs judged were Halton CCG, Knowsley CCG, St Helens CCG.",
            ["Halton CCG", "Knowsley CCG", "St Helens CCG"],
        ),
    ],
)
def test_a_suffix_after_a_comma_ends_the_name_before_it(article: str, written: list[str]) -> None:
    """In a list where every name has its own suffix, the suffix belongs to the name before
    it: no name is written as "CCG, Greenwich" or "CCG and Bromley CCG"."""
    assert [ccg.as_written for ccg in ccgs_in(article)] == written


@pytest.mark.parametrize(
    ("article", "written"),
    [
        ("Members met the chair of NHS Bolton CCG. She described it as fair.", "NHS Bolton"),
        ("The rating went to NHS Salford CCG.\nIt was expected.", "NHS Salford"),
        ("Last came NHS Bury Clinical Commissioning Group. Then the rest.", "NHS Bury"),
    ],
)
def test_a_name_after_nhs_ends_before_the_full_stop(article: str, written: str) -> None:
    assert [ccg.as_written for ccg in ccgs_in(article)] == [written]


@pytest.mark.parametrize(
    ("article", "written"),
    [
        (
            "The board heard about its two neighbours, NHS Halton\nCCG and NHS Knowsley CCG.\n\n"
            "Both were rated good.",
            ["NHS Halton", "NHS Knowsley"],
        ),
        (
            "This covers the ratings of NHS Salford CCG, NHS Trafford\nand NHS Wigan Borough.\n\n"
            "All three improved.",
            ["NHS Salford", "NHS Trafford", "NHS Wigan Borough"],
        ),
        (
            "Members asked about NHS Bury\nClinical Commissioning Group and NHS Oldham CCG.\n\n"
            "Both replied.",
            ["NHS Bury", "NHS Oldham"],
        ),
    ],
)
def test_a_sentence_wrapped_onto_a_new_line_is_no_name_line(
    article: str, written: list[str]
) -> None:
    """A line that starts with a suffix word or "and" is the rest of a wrapped sentence, not
    a line of a list: its names are read as prose, without the words before them."""
    assert [ccg.as_written for ccg in ccgs_in(article)] == written


@pytest.mark.parametrize(
    ("article", "written"),
    [
        ("The inadequate list ended with NHS Swindon.", ["NHS Swindon"]),
        (
            "Good ratings went to NHS Medway and NHS Airedale, Wharfedale and Craven.",
            ["NHS Medway", "NHS Airedale, Wharfedale and Craven"],
        ),
        (
            "Three groups improved: NHS Bury, NHS Oldham and NHS Salford. The rest did not.",
            ["NHS Bury", "NHS Oldham", "NHS Salford"],
        ),
    ],
)
def test_a_name_after_nhs_ending_a_sentence_leaves_out_the_full_stop(
    article: str, written: list[str]
) -> None:
    assert [ccg.as_written for ccg in ccgs_in(article)] == written


@pytest.mark.parametrize(
    ("article", "written"),
    [
        (
            "NHS Central London (Westminster) CCG was rated good.",
            ["NHS Central London (Westminster)"],
        ),
        (
            "- Central London (Westminster) CCG: good, as before\n- Brent CCG: inadequate\n",
            ["Central London (Westminster)", "Brent CCG"],
        ),
        (
            "The ratings of Central London (Westminster) and West London CCGs came out today.",
            ["Central London (Westminster)", "West London CCGs"],
        ),
        ("CENTRAL LONDON ( WESTMINSTER ) CCG | Good\n", ["CENTRAL LONDON ( WESTMINSTER )"]),
    ],
)
def test_a_table_name_holding_brackets_is_found_whole(article: str, written: list[str]) -> None:
    assert [ccg.as_written for ccg in ccgs_in(article)] == written
    assert ccgs_in(article)[0].ods_code == "09A"


@pytest.mark.parametrize(
    ("article", "names"),
    [
        (
            "The region did well this year, with Bury, Oldham and Salford all rated good, "
            "its CCG leaders said.",
            ["Bury", "Oldham", "Salford"],
        ),
        (
            "It was a strong year for CCGs in the north east, with Sunderland judged "
            "outstanding for the third time.",
            ["Sunderland"],
        ),
        (
            "Kent's CCGs had a mixed year, with Medway deemed inadequate for a second year.",
            ["Medway"],
        ),
    ],
)
def test_names_after_with_that_a_rating_verb_follows_are_subjects(
    article: str, names: list[str]
) -> None:
    assert [ccg.as_written for ccg in ccgs_in(article)][: len(names)] == names


@pytest.mark.parametrize(
    "article",
    [
        "Our CCG, rated good this year, shares its chief officer with Bury.",
        "The CCG was rated good; it merged with Salford based on a shared plan.",
        "Rated good again, the CCG worked with Oldham in drawing up the plan.",
    ],
)
def test_a_name_after_with_and_no_rating_verb_is_no_subject(article: str) -> None:
    assert ccgs_in(article) == []
