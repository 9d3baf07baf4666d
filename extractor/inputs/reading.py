"""What an article says before any question is asked of it, read once per document.

The pipeline reads each document's text once (`read_article`) before the model is asked
anything, and hands the reading to the model turns and the proof, which check the model's
answers against it instead of reading the article again:

- `national_sentences`: the sentences with figures for many CCGs, in article order
  (`text.signposts.national_figure_sentences`);
- `national_figures`: the shares, counts and number assessed that the national sentences
  write (`national_figures.read_national_figures`);
- `ccg_contexts`: every CCG the article names, with the sentences that can speak of it
  (`names.context.ccg_contexts`), read the first time it is asked for (the narrow questions
  and figure questions ask; a first answer alone does not) and then shared by them.

None of it depends on what the model answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from extractor.inputs.national_figures import NationalFigures, read_national_figures
from extractor.names.context import CcgContext, ccg_contexts
from extractor.text.signposts import national_figure_sentences

__all__ = ["ArticleReading", "read_article"]


@dataclass(frozen=True)
class ArticleReading:
    """One article as read before any question: its national sentences and figures, and the
    CCGs it names with their sentences."""

    national_sentences: tuple[str, ...]
    national_figures: NationalFigures
    article: str = field(repr=False)

    @cached_property
    def ccg_contexts(self) -> list[CcgContext]:
        """Every CCG the article names, with the sentences that can speak of it; read once,
        when first asked for, and shared by every question after: never changed."""
        return ccg_contexts(self.article)


def read_article(article: str) -> ArticleReading:
    """Read `article` once: the sentences with figures for many CCGs and the national
    figures they write."""
    return ArticleReading(
        national_sentences=tuple(national_figure_sentences(article)),
        national_figures=read_national_figures(article),
        article=article,
    )
