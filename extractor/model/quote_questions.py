"""Ask the model who said each quotation code finds, a few quotations at a time.

Code finds the direct speech of an article by its marks (`find_quotations`): a quotation
that opens a paragraph, follows a colon, or ends its words with punctuation inside the
marks ("...," said a spokesman) is speech; a phrase in marks inside the reporter's sentence
('"stronger leadership"') is not. For each quotation the model is shown its paragraph (and
the one before, where a speech runs on) and says who spoke, in what role, for which
organisation. Its answers become quotes of the first answer's kind, so they are grounded,
tidied and checked exactly like those (`proof.quotes.grounded_quotes`: the speaker must be
named in the article, the role and organisation written beside the speech).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.answer.article import AnswerQuote
from extractor.answer.quotes import SpeakersAnswer
from extractor.model.client import ModelClient
from extractor.model.narrow_questions import ask_each
from extractor.model.prompts import Preamble
from extractor.schema import Usage
from extractor.text.injection import within_instructions
from extractor.text.quote_search import widen_to_quotation

__all__ = ["BATCH_QUOTES", "Quotation", "Speakers", "ask_who_said", "find_quotations"]

BATCH_QUOTES = 5
_OPENING = re.compile(r"(?:(?<=^)|(?<=[\s(:\u2014\u2013-]))[\u201c\"\u2018'](?=\w)", re.MULTILINE)
_MIN_WORDS = 5
_ENDS_SPEECH = ".!?,\u2026"


@dataclass(frozen=True, slots=True)
class Quotation:
    """One passage of direct speech: its words (without marks) and what surrounds it."""

    start: int
    end: int
    text: str
    context: str
    """The quotation's paragraph, after the paragraph before it when the speech runs on."""


def _paragraph(article: str, at: int) -> tuple[int, int]:
    start = article.rfind("\n\n", 0, at)
    start = 0 if start < 0 else start + 2
    end = article.find("\n\n", at)
    return start, len(article) if end < 0 else end


def _is_speech(article: str, mark: int, start: int, end: int) -> bool:
    paragraph_start, paragraph_end = _paragraph(article, mark)
    words = article[start:end].split()
    if len(words) < _MIN_WORDS:
        return False
    opens_paragraph = not article[paragraph_start:mark].strip()
    after_colon = article[paragraph_start:mark].rstrip().endswith(":")
    ends_speech = article[start:end].rstrip()[-1:] in _ENDS_SPEECH or end >= paragraph_end - 1
    return opens_paragraph or after_colon or ends_speech


def find_quotations(article: str) -> list[Quotation]:
    """Every passage of direct speech, in article order, once each."""
    found: list[Quotation] = []
    for match in _OPENING.finditer(article):
        if found and match.start() < found[-1].end:
            continue
        start, end = widen_to_quotation(article, match.end(), match.end() + 1)
        if start != match.end() or not _is_speech(article, match.start(), start, end):
            continue
        if within_instructions(article, start, end):
            continue  # words addressed to AI systems are nobody's quotation
        paragraph_start, paragraph_end = _paragraph(article, match.start())
        context = article[paragraph_start:paragraph_end]
        if not article[paragraph_start : match.start()].strip() and paragraph_start > 0:
            before_start, _ = _paragraph(article, paragraph_start - 2)
            context = article[before_start:paragraph_end]
        found.append(Quotation(start, end, article[start:end], " ".join(context.split())))
    return found


@dataclass
class Speakers:
    """The quotes the answers attribute, with what asking cost."""

    quotes: list[AnswerQuote] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def render_question(template: str, batch: list[tuple[int, Quotation]]) -> str:
    """The question for one batch: each quotation, numbered, in its paragraph."""
    listed = "\n\n".join(
        f"[{number}] Quotation: \u201c{' '.join(q.text.split())}\u201d\nIn: {q.context}"
        for number, q in batch
    )
    return template.replace("{{quotations}}", listed)


async def ask_who_said(
    client: ModelClient,
    preamble: Preamble,
    template: str,
    article: str,
    *,
    doc_id: str,
) -> Speakers:
    """Ask who said each quotation, `BATCH_QUOTES` at a time; a failed batch costs itself."""
    numbered = list(enumerate(find_quotations(article), start=1))
    groups = [numbered[i : i + BATCH_QUOTES] for i in range(0, len(numbered), BATCH_QUOTES)]
    questions = [render_question(template, batch) for batch in groups]
    asked = await ask_each(
        client,
        preamble,
        questions,
        SpeakersAnswer,
        doc_id=doc_id,
        label="speakers batch",
    )
    speakers = Speakers(usage=asked.usage, removed=asked.removed, failed=asked.failed)
    for index, answer in sorted(asked.answers.items()):
        quotations = dict(groups[index])
        for said in answer.quotes:
            quotation = quotations.get(said.quote)
            if quotation is None or (said.speaker is None and said.role is None):
                continue
            speakers.quotes.append(
                AnswerQuote(
                    speaker=said.speaker,
                    role=said.role,
                    organisation=said.organisation,
                    text=quotation.text,
                )
            )
    return speakers
