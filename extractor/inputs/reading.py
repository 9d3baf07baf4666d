"""What an article says before any question is asked of it, read once per document.

The pipeline reads each document's text once (`read_article`) before the model is asked
anything, and hands the reading to the model turns and the proof, which check the model's
answers against it instead of reading the article again:

- `national_sentences`: the sentences with figures for many CCGs, in article order
  (`text.signposts.national_figure_sentences`);
- `national_figures`: the shares, counts and number assessed that the national sentences
  write (`national_figures.read_national_figures`).

None of it depends on what the model answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractor.inputs.national_figures import NationalFigures, read_national_figures
from extractor.text.signposts import national_figure_sentences

__all__ = ["ArticleReading", "read_article"]


@dataclass(frozen=True)
class ArticleReading:
    """One article as read before any question: its national sentences and figures."""

    national_sentences: tuple[str, ...]
    national_figures: NationalFigures


def read_article(article: str) -> ArticleReading:
    """Read `article` once: the sentences with figures for many CCGs and the national
    figures they write."""
    return ArticleReading(
        national_sentences=tuple(national_figure_sentences(article)),
        national_figures=read_national_figures(article),
    )
