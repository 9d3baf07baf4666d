"""Prove the quotations: who said them, in what role, for which organisation.

- A quotation is found in the article and widened to the whole quotation; one found twice
  is kept once.
- Its speaker is the person the article names for it: the name written right after it
  ('"...," said Dr Jo Bloggs'), the name beside the role the model gave ("Our chair, Jo
  Bloggs, said"), the person a pronoun stands for ("She said:"), or, for the writer ("I
  asked the CCG and a spokesperson said"), the spokesperson named before it; a speaker
  must be named in the article (the speaker rules are in `text/speakers.py`).
- A role or organisation must be written beside the quotation or the speaker's name, not
  inside the quotation; "the CCG" becomes the CCG named before the quotation.
- A quotation given to nobody right after another (a new paragraph opening with a
  quotation mark) is the same speaker's; an unnamed spokesperson's organisation carries
  over to the same role's next quotation.
"""

from __future__ import annotations

import re

from extractor.answer.article import ArticleAnswer
from extractor.names.mentions import find_ccg_mentions
from extractor.names.reference_table import normalize_ccg
from extractor.proof.sentence_tools import Grounder
from extractor.schema import Quote
from extractor.text.phrases import CCG_WORDS
from extractor.text.speakers import (
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

__all__ = ["grounded_quotes"]

_UNATTRIBUTED = "not written beside the quotation or the speaker's name"
_A_CCG = re.compile(rf"\b(?:{CCG_WORDS})\b", re.IGNORECASE)
_NOT_A_PLACE = re.compile(rf"\bnhs\b|\b(?:{CCG_WORDS})\b|[()]", re.IGNORECASE)


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
