"""Ask the model for the figures of the sentences that hold one, a few sentences at a time.

Code picks the sentences that write a figure other than a year or a date and are no
national round-up sentence (those are read by `national_figures`); the model says, for each
figure about a CCG's or an area's performance or finances, its name, value, unit and CCG,
citing the sentence by number. The answers become metrics of the first answer's kind, so
they are checked exactly like those (`proof.metrics.grounded_metrics`: the value must be
written in the sentence, a count of CCGs or a national figure is no metric, the CCG must be
named in the article).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.answer.article import AnswerMetric
from extractor.answer.figures import FiguresAnswer
from extractor.inputs.reading import ArticleReading
from extractor.model.client import ModelClient
from extractor.model.narrow_questions import ask_each
from extractor.model.prompts import Preamble
from extractor.proof.metrics import figure_sentences
from extractor.schema import Usage
from extractor.text.sentences import Sentence

__all__ = ["BATCH_FIGURE_SENTENCES", "Figures", "ask_for_figures"]

BATCH_FIGURE_SENTENCES = 6


@dataclass
class Figures:
    """The metrics the answers give, with what asking cost."""

    metrics: list[AnswerMetric] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    """The number of the sentence each metric was read from."""
    usage: Usage = field(default_factory=Usage)
    removed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def render_question(template: str, batch: list[Sentence], ccgs: list[str]) -> str:
    """The question for one batch: its sentences, numbered, and the CCGs the article names."""
    listed = "\n".join(f"[{s.number}] {s.one_line}" for s in batch)
    return template.replace("{{sentences}}", listed).replace("{{ccgs}}", ", ".join(ccgs) or "none")


async def ask_for_figures(
    client: ModelClient,
    preamble: Preamble,
    template: str,
    article: str,
    ccgs: list[str],
    *,
    doc_id: str,
    reading: ArticleReading | None = None,
) -> Figures:
    """Ask for the figures of every figure sentence, `BATCH_FIGURE_SENTENCES` at a time
    (`reading`: the article's, read before; read here when not given)."""
    sentences = figure_sentences(article, reading=reading)
    step = BATCH_FIGURE_SENTENCES
    groups = [sentences[i : i + step] for i in range(0, len(sentences), step)]
    questions = [render_question(template, batch, ccgs) for batch in groups]
    asked = await ask_each(
        client,
        preamble,
        questions,
        FiguresAnswer,
        doc_id=doc_id,
        label="figures batch",
    )
    figures = Figures(usage=asked.usage, removed=asked.removed, failed=asked.failed)
    for index, answer in sorted(asked.answers.items()):
        by_number = {s.number: s for s in groups[index]}
        for item in answer.metrics:
            sentence = by_number.get(item.sentence)
            if sentence is not None:
                figures.sentences.append(sentence.number)
                figures.metrics.append(
                    AnswerMetric(
                        evidence=sentence.text,
                        name=item.name,
                        value=item.value,
                        unit=item.unit,
                        ccg=item.ccg,
                    )
                )
    return figures
