"""Ground the facts about the whole article: its date, national figures, metrics, quotes.

Each function takes the model's words and a `Grounder`, keeps what the article proves and
lists the rest as dropped.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from extractor.answer.article import ArticleAnswer
from extractor.names.mentions import find_ccg_mentions
from extractor.names.reference_table import normalize_ccg
from extractor.proof.grounder import Grounder
from extractor.proof.metric_units import unit_and_name
from extractor.proof.speakers import (
    attribution_context,
    is_pronoun,
    is_writer,
    named_after,
    named_beside,
    pronoun_antecedent,
    speaker_in_article,
    spokesperson_before,
    tidy_speaker,
    written_in,
)
from extractor.schema import Evidence, Metric, Quote
from extractor.text.dates_and_numbers import (
    date_in_article,
    dates_written,
    in_figures,
    number_forms,
    parse_date,
)
from extractor.text.injection import evidence_sentences
from extractor.text.sentences import split_sentences

__all__ = [
    "grounded_metrics",
    "grounded_published",
    "grounded_quotes",
    "mentions_number",
]

_PUBLISHED = re.compile(r"\b(?:published|announced|released|issued)\b", re.IGNORECASE)
_OF_RATINGS = re.compile(
    r"\b(?:ratings?|results?|outcomes?|assessments?|rated|verdicts?)\b", re.IGNORECASE
)
_PEOPLE = re.compile(
    r"(?:people|persons|residents|patients|population|inhabitants|staff|members)", re.IGNORECASE
)
_UNATTRIBUTED = "not written beside the quotation or the speaker's name"
_CCG_WORDS = r"ccgs?|clinical commissioning groups?"
_A_CCG = re.compile(rf"\b(?:{_CCG_WORDS})\b", re.IGNORECASE)
_NOT_A_PLACE = re.compile(rf"\bnhs\b|\b(?:{_CCG_WORDS})\b|[()]", re.IGNORECASE)
_COUNT_OF_CCGS = re.compile(rf"\s*({_CCG_WORDS})\s*", re.IGNORECASE)


def grounded_published(
    written: str | None, grounder: Grounder, default_year: int | None
) -> tuple[date | None, Evidence | None]:
    """The date the ratings were published and its proof: the first sentence that writes the
    date and says something was published, announced or released (a year left out is
    `default_year`). A date the article does not write that way is dropped; then, or when
    the model gives none, the first sentence that says the ratings or results were published
    and writes a date gives it."""
    parsed = parse_date(written, default_year=default_year)
    found = date_in_article(parsed, grounder.article, default_year)
    if parsed is not None and found is None:
        grounder.drop("published", written, "date not in the article")
    elif found is not None:
        proven = _publication_sentence(grounder.article, found)
        if proven is not None:
            return found, proven
        reason = "no sentence writing this date says it is a publication"
        grounder.drop("published", written, reason)
    return _published_as_written(grounder.article, default_year)


def _publication_sentence(article: str, found: date) -> Evidence | None:
    """The first sentence that writes the date right after saying something was published
    ("published on 12 July"; a dateline's date before it says nothing of the ratings)."""
    for start, end in evidence_sentences(article, dates_written(article, found.day, found.month)):
        sentence = article[start:end]
        for published in _PUBLISHED.finditer(sentence):
            after = sentence[published.end() : published.end() + 100]
            if dates_written(after, found.day, found.month):
                return Evidence(quote=sentence, start=start, end=end)
    return None


def _published_as_written(
    article: str, default_year: int | None
) -> tuple[date | None, Evidence | None]:
    """The date written right after "published" (announced, released, issued) in the first
    sentence that says so of the ratings, results or assessment (or follows one that speaks
    of them)."""
    sentences = split_sentences(article)
    for index, sentence in enumerate(sentences):
        text = sentence.text
        published = _PUBLISHED.search(text)
        before = sentences[index - 1].text if index else ""
        if published is None or not (_OF_RATINGS.search(text) or _OF_RATINGS.search(before)):
            continue
        after = text[published.end() : published.end() + 100]  # "published on 12 July", not
        parsed = parse_date(after, default_year=default_year)  # a dateline's date before it
        found = date_in_article(parsed, article, default_year)
        relative = _RELATIVE_DAY.match(after) or _RELATIVE_BEFORE.search(text[: published.start()])
        if found is None and relative is not None:
            found = _relative_to_dateline(article, relative.group(1), default_year)
        if found is not None:
            return found, sentence.evidence
    return None, None


_RELATIVE_DAY = re.compile(r"^\W{0,3}(?:on\s+)?(today|yesterday|this\s+morning)\b", re.IGNORECASE)
_RELATIVE_BEFORE = re.compile(r"\b(today|yesterday|this\s+morning)\s+(?:\w+\s+)?$", re.IGNORECASE)
"""A day said relative to the dateline, after the verb ("published today", "released this
morning") or before it ("NHS England today published")."""
_DATELINE_REACH = 400
_DATELINE_PREFIX = re.compile(r"^(.{3,60}?)\s+[\u2013\u2014-]{1,2}\s")
"""A dateline that opens a paragraph: the place and date before a dash ("WORCESTER, 21 July
2016 \u2013 NHS England today published ...")."""


_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d.])")


def _numeric_date(dateline: str) -> date | None:
    """A dateline's date written in figures, day first as in Britain ("Nottingham,
    12.07.18", "21/07/2016")."""
    match = _NUMERIC_DATE.search(dateline)
    if match is None:
        return None
    day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    try:
        return date(year if year > 99 else 2000 + year, month, day)
    except ValueError:
        return None


def _relative_to_dateline(article: str, relative: str, default_year: int | None) -> date | None:
    """The date "published today" (or "yesterday") means: the dateline's date, the first
    date written in the opening lines ("Wigan, 21 July 2016") or before the dash that opens
    a paragraph ("BOOTLE, 21 July 2016 \u2013 ..."), or the day before it."""
    for line in article[:_DATELINE_REACH].splitlines():
        prefix = _DATELINE_PREFIX.match(line)
        written = line if len(line) < 80 else prefix.group(1) if prefix else ""
        dated = (
            (parse_date(written, default_year=default_year) or _numeric_date(written))
            if written
            else None
        )
        if dated is not None:
            return dated - timedelta(days=1) if relative.lower() == "yesterday" else dated
    return None


_OF_RATINGS_COUNT = re.compile(
    r"\b(?:ratings?|rated|outstanding|inadequate|requires improvement|tally|ccgs|"
    r"commissioning groups|framework)\b",
    re.IGNORECASE,
)


def grounded_metrics(answer: ArticleAnswer, grounder: Grounder) -> list[Metric]:
    """Quoted figures whose evidence writes the value, minus counts and national figures."""
    metrics: list[Metric] = []
    seen: set[tuple[float, int]] = set()
    for i, raw in enumerate(answer.metrics):
        path = f"metrics[{i}]"
        evidence = grounder.find(raw.evidence, path)
        if evidence is None:
            continue
        unit, name = unit_and_name(raw.value, raw.unit, raw.name.strip(), evidence.quote)
        raw = raw.model_copy(update={"unit": unit, "name": name})
        if _COUNT_OF_CCGS.search(raw.unit or "") or _COUNT_OF_CCGS.fullmatch(raw.name.strip()):
            grounder.drop(path, raw.evidence, "a count of CCGs is a national figure, not a metric")
            continue
        if (
            not (raw.unit or "").strip()
            and raw.value.is_integer()
            and _OF_RATINGS_COUNT.search(raw.name)
        ):
            grounder.drop(path, raw.evidence, "a count of ratings or CCGs is no metric")
            continue
        if _PEOPLE.fullmatch((raw.unit or "").strip()):
            grounder.drop(path, raw.evidence, "a count of people measures no performance")
            continue
        national = " ".join(evidence.quote.split()) in grounder.national_sentences
        if national and _counts_rated_ccgs(evidence.quote, raw.value):
            grounder.drop(path, raw.evidence, "a figure for all CCGs is a national figure")
            continue
        if not mentions_number(evidence.quote, raw.value):
            grounder.drop(path, raw.evidence, f"value {raw.value:g} is not in its evidence")
            continue
        if (raw.value, evidence.start) in seen:
            continue
        seen.add((raw.value, evidence.start))
        ccg = normalize_ccg(raw.ccg).name if raw.ccg and raw.ccg.strip() else None
        if ccg is not None and raw.ccg is not None and not grounder.names_ccg(raw.ccg):
            grounder.drop(f"{path}.ccg", raw.ccg, "CCG not named in the article")
            ccg = None
        metrics.append(
            Metric(
                name=raw.name.strip(), value=raw.value, unit=raw.unit, ccg=ccg, evidence=evidence
            )
        )
    return metrics


_RATED_OR_CCGS = re.compile(
    rf"[^\d;]{{0,40}}?\b(?:{_CCG_WORDS}|groups|outstanding|good|requires? improvement|"
    r"inadequate)\b",
    re.IGNORECASE,
)


_RATED_BEFORE = re.compile(
    rf"\b(?:{_CCG_WORDS}|groups|outstanding|good|requires? improvement|inadequate)\b"
    r"[^\d,;.]{0,30}$",
    re.IGNORECASE,
)


def _counts_rated_ccgs(sentence: str, value: float) -> bool:
    """The sentence writes `value` as a count or share of CCGs: followed, with no other
    number between, by a CCG word or a rating ("191 CCGs", "12% were rated outstanding",
    "that is 21 outstanding CCGs"), or right after one in its clause ("the proportion rated
    'inadequate' is down 4%"); not a CCG's own figure in a sentence that also rates it
    ("requires improvement, ..., with 62.1 per cent of people ... receiving a diagnosis")."""
    lowered = sentence.lower()
    for form in number_forms(value):
        pattern = in_figures(form) + r"\s*(?:%|per ?cent)?"
        for match in re.finditer(pattern, lowered):
            before = lowered[max(0, match.start() - 40) : match.start()]
            if _RATED_OR_CCGS.match(lowered, match.end()) or _RATED_BEFORE.search(before):
                return True
    return False


_UNIT_WORDS = "one|two|three|four|five|six|seven|eight|nine"


def mentions_number(text: str, value: float) -> bool:
    """True when `text` writes `value`, as a number or word or ordinal ("sixth"), but not as
    part of a longer number ("9" in "9.5" or "1,234") or word ("ten" in "often")."""
    lowered = text.lower()
    return any(
        re.search(
            rf"\b{re.escape(form)}(?:th|h)?\b(?!-[a-z])(?! (?:{_UNIT_WORDS})\b)"
            if form[0].isalpha()
            else in_figures(form),
            lowered,
        )
        for form in number_forms(value)
    )


def _same_person(speaker: str | None, stated: str) -> bool:
    words = re.findall(r"[A-Za-z]+", speaker or "")
    return bool(words) and written_in(words[-1], stated)


def grounded_quotes(answer: ArticleAnswer, grounder: Grounder) -> list[Quote]:
    """Quotations found in the article, widened to the whole quote, with a named speaker."""
    quotes: list[Quote] = []
    seen: set[int] = set()
    for i, raw in enumerate(answer.quotes):
        evidence = grounder.find(raw.text, f"quotes[{i}]", to="quotation")
        if evidence is None or evidence.start in seen:
            continue
        said_by, named_in, role, organisation = raw.speaker, "", raw.role, raw.organisation
        stated = named_after(grounder.article, evidence.end)
        beside = named_beside(grounder.article, raw.speaker)
        if stated is not None and not _same_person(raw.speaker, stated):
            said_by, role = stated, None  # '"...," said Dr Jo Bloggs, its chair.' wins
        elif beside is not None:
            said_by, role = beside, None  # "Our chair" of "Our chair, Jo Bloggs, said"
        elif is_writer(raw.speaker):  # "I asked the CCG and a spokesperson said: ..."
            said_by = spokesperson_before(grounder.article, evidence.start)
            if said_by is None:
                grounder.drop(f"quotes[{i}].speaker", raw.speaker, "the writer, not a speaker")
                continue
            asked = grounder.article[max(0, evidence.start - 200) : evidence.start]
            if _THE_CCG_ASKED.search(asked):  # "I asked the CCG ...": its spokesperson
                organisation = "the CCG"
        elif is_pronoun(raw.speaker):  # "She said:" after "Jo Bloggs, its chair, said ..."
            antecedent = pronoun_antecedent(grounder.article, evidence.start)
            if antecedent is None:
                reason = "speaker given only as a pronoun"
                grounder.drop(f"quotes[{i}].speaker", raw.speaker, reason)
                continue
            said_by, named_in, role = antecedent.speaker, antecedent.sentence, None
            organisation = antecedent.organisation or organisation
        speaker, role = tidy_speaker(said_by, role, grounder.article)
        if speaker is not None and not speaker_in_article(speaker, grounder.article):
            grounder.drop(f"quotes[{i}].speaker", speaker, "speaker not named in the article")
            continue
        seen.add(evidence.start)
        context = attribution_context(grounder.article, evidence.start, speaker) + named_in
        if speaker is None and raw.role and raw.role != role and written_in(raw.role, context):
            role = raw.role  # "a spokeswoman for the CCG" beside it, over a description
        if role and not written_in(role, context):
            grounder.drop(f"quotes[{i}].role", role, _UNATTRIBUTED)
            role = None
        outside = context.replace(evidence.quote, " ")  # not the words of the quotation itself
        if organisation and not _organisation_stated(organisation, outside, grounder):
            grounder.drop(f"quotes[{i}].organisation", organisation, _UNATTRIBUTED)
            organisation = None
        if organisation and _THE_CCG.fullmatch(organisation.strip()):
            organisation = _ccg_named_before(grounder.article, evidence.start) or organisation
        quote = Quote(
            speaker=speaker,
            role=role,
            organisation=organisation,
            text=evidence.quote,
            evidence=evidence,
        )
        if speaker is None and role is None and quotes:
            quote = _speech_continued(quotes[-1], quote, grounder.article)
        if speaker is None and role and organisation is None:  # "The spokesman added: ..."
            same = [q for q in quotes if q.speaker is None and q.role == role and q.organisation]
            quote = (
                quote.model_copy(update={"organisation": same[-1].organisation}) if same else quote
            )
        quotes.append(quote)
    return quotes


def _speech_continued(before: Quote, quote: Quote, article: str) -> Quote:
    """A quotation given to nobody that continues the quotation before it (the paragraph
    after it opens with a quotation mark, nothing written between) is the same speaker's."""
    assert before.evidence is not None and quote.evidence is not None
    between = article[before.evidence.end : quote.evidence.start]
    if before.evidence.end <= quote.evidence.start and _ONLY_QUOTE_MARKS.fullmatch(between):
        update = {"speaker": before.speaker, "role": before.role}
        return quote.model_copy(update={**update, "organisation": before.organisation})
    return quote


_ONLY_QUOTE_MARKS = re.compile(r"[\s\"'\u2018\u2019\u201c\u201d.,]*")


_THE_CCG = re.compile(r"(?:the\s+)?(?:CCG|clinical commissioning group)", re.IGNORECASE)


_THE_CCG_ASKED = re.compile(r"\b(?:asked|contacted|approached)\s+the\s+CCG\b", re.I)


def _ccg_named_before(article: str, at: int) -> str | None:
    """The CCG "the CCG" stands for: the last one named before `at` ("South Reading CCG")."""
    before = [m for m in find_ccg_mentions(article) if m.end <= at]
    return f"{normalize_ccg(before[-1].written).name} CCG" if before else None


def _organisation_stated(organisation: str, context: str, grounder: Grounder) -> bool:
    """True when the organisation is written beside the quotation or the speaker's name, or
    is a CCG (or group of CCGs) the article names: a CCG's own release says "the CCG" where
    it quotes its staff."""
    if written_in(organisation, context):
        return True
    if not _A_CCG.search(organisation):
        return False
    place = " ".join(_NOT_A_PLACE.sub(" ", organisation).split())
    return written_in(place, grounder.article)
