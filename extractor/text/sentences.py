"""An article as numbered sentences, each with its offsets and its paragraph.

Sentence boundaries are `text.quote_search.widen_to_sentence`'s (sentence-final punctuation, blank
lines, bullets, the lines of a table or list), so a sentence cited by number is exactly the
span written as evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractor.schema import Evidence
from extractor.text.quote_search import widen_to_sentence

__all__ = ["Sentence", "split_sentences"]

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
_ROUGH_END = re.compile(r"[.!?](?=\s)|(?=\n)")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or heading, bullet, table line) of an article."""

    number: int
    """1-based, in article order: the number the model cites."""
    start: int
    end: int
    text: str
    paragraph: int
    """0-based index of its paragraph (blocks between blank lines)."""

    @property
    def evidence(self) -> Evidence:
        """The sentence as verbatim evidence."""
        return Evidence(quote=self.text, start=self.start, end=self.end)

    @property
    def one_line(self) -> str:
        """The text with its line breaks as spaces, for a prompt."""
        return " ".join(self.text.split())


def _is_bullet(article: str, position: int) -> bool:
    """A bullet marker: "-", "*" or "•" opening a line, followed by a space."""
    line_start = position == 0 or article[position - 1] in "\n\t "
    return (
        article[position] in "-*\u2022"
        and line_start
        and article[position + 1 : position + 2] in (" ", "\t")
    )


@lru_cache(maxsize=16)
def split_sentences(article: str) -> tuple[Sentence, ...]:
    """Every sentence of `article`, in order, none empty."""
    breaks = [m.end() for m in _PARAGRAPH_BREAK.finditer(article)]
    sentences: list[Sentence] = []
    position = 0
    while position < len(article):
        while position < len(article) and (
            article[position].isspace() or _is_bullet(article, position)
        ):
            position += 1
        if position >= len(article):
            break
        start, end = widen_to_sentence(article, position, position + 1)
        if end - start <= 1:  # over the length limit: to its next full stop or line end
            stop = _ROUGH_END.search(article, position + 1)
            start, end = position, stop.end() if stop else len(article)
        text = article[start:end]
        if text.strip():
            paragraph = sum(1 for b in breaks if b <= start)
            sentences.append(Sentence(len(sentences) + 1, start, end, text, paragraph))
        position = max(end, position + 1)
    return tuple(sentences)
