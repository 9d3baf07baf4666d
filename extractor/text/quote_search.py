"""Find a model's evidence quote in the article and compute its offsets.

Four tiers, tried in order, the first that succeeds wins:

1. exact: the quote occurs verbatim;
2. normalized: it occurs once whitespace runs, curly quotes, dashes and case are normalised;
3. elided: it occurs normalised except for one aside the model left out, an aside set off by
   commas, brackets or dashes within one sentence ("X, which serves the borough, was rated
   good" quoted as "X was rated good"); dropping an aside cannot change what is stated;
4. fuzzy: a bounded approximate alignment (rapidfuzz) scores at least `FUZZY_MIN_SCORE`.

The returned `Evidence.quote` is always the article's own text between `start` and `end`,
so every offset in a record points at the characters it claims to.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import fuzz

from extractor.schema import Evidence

__all__ = [
    "FUZZY_MIN_SCORE",
    "locate",
    "normalize_with_map",
    "widen",
    "widen_to_quotation",
    "widen_to_sentence",
]

FUZZY_MIN_SCORE = 90.0
"""Lowest rapidfuzz partial-ratio accepted as the same passage."""
_FUZZY_MIN_CHARS = 15
_FUZZY_MAX_CHARS = 600

_CHAR_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2022": "*",
    }
)
_EDGE_JUNK = " \t\r\n\"'\u2018\u2019\u201c\u201d.,;:\u2026"
_WORD = re.compile(r"\w")


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """Return text with quote marks, dashes, case and whitespace normalised.

    The second value maps each character of the normalised text to its offset in `text`.
    """
    out: list[str] = []
    positions: list[int] = []
    previous_space = True
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            out.append(" ")
            positions.append(index)
            previous_space = True
            continue
        mapped = char.translate(_CHAR_MAP)
        if mapped == " ":
            if previous_space:
                continue
            previous_space = True
        else:
            previous_space = False
        lowered = mapped.lower()
        out.append(lowered[0] if lowered else mapped)
        positions.append(index)
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


def _normalize(text: str) -> str:
    return normalize_with_map(text)[0]


def _trim_quote(quote: str) -> str:
    """Strip surrounding quote marks, ellipses and whitespace the model often adds."""
    trimmed = quote.strip(_EDGE_JUNK)
    return trimmed if trimmed else quote.strip()


def _evidence(article: str, start: int, end: int, match: str, score: float) -> Evidence:
    return Evidence(
        quote=article[start:end],
        start=start,
        end=end,
        match=match,  # type: ignore[arg-type]
        score=round(score, 1),
    )


def _widen_to_words(article: str, start: int, end: int) -> tuple[int, int]:
    """Extend a span to whole words at both ends, without surrounding whitespace."""
    while start < end and article[start].isspace():
        start += 1
    while end > start and article[end - 1].isspace():
        end -= 1
    while start > 0 and _WORD.match(article[start - 1]) and _WORD.match(article[start]):
        start -= 1
    while end < len(article) and _WORD.match(article[end - 1]) and _WORD.match(article[end]):
        end += 1
    return start, end


def locate(
    quote: str | None,
    article: str,
    *,
    normalized_article: tuple[str, list[int]] | Callable[[], tuple[str, list[int]]] | None = None,
) -> Evidence | None:
    """Find `quote` in `article`; return its evidence span or None when it is not there.

    `normalized_article` may carry a precomputed `normalize_with_map(article)`, or a function
    returning it, so that grounding many quotes against one article normalises it at most
    once, and only when an exact match fails.
    """
    if quote is None or not quote.strip():
        return None
    raw = quote.strip()
    position = article.find(raw)
    if position >= 0:
        return _evidence(article, position, position + len(raw), "exact", 100.0)
    trimmed = _trim_quote(raw)
    position = article.find(trimmed)
    if position >= 0 and len(trimmed) >= 3:
        return _evidence(article, position, position + len(trimmed), "exact", 100.0)

    if callable(normalized_article):
        normalized_article = normalized_article()
    norm_article, positions = normalized_article or normalize_with_map(article)
    norm_quote = _normalize(trimmed)
    if not norm_quote:
        return None
    position = norm_article.find(norm_quote)
    if position >= 0:
        start = positions[position]
        end = positions[position + len(norm_quote) - 1] + 1
        return _evidence(article, start, end, "normalized", 100.0)

    elided = _locate_elided(norm_quote, norm_article)
    if elided is not None:
        start, end = positions[elided[0]], positions[elided[1] - 1] + 1
        return _evidence(article, start, end, "elided", 100.0)

    if not _FUZZY_MIN_CHARS <= len(norm_quote) <= _FUZZY_MAX_CHARS:
        return None
    alignment = fuzz.partial_ratio_alignment(norm_quote, norm_article, score_cutoff=FUZZY_MIN_SCORE)
    if alignment is None or alignment.dest_end <= alignment.dest_start:
        return None
    start = positions[alignment.dest_start]
    end = positions[alignment.dest_end - 1] + 1
    start, end = _widen_to_words(article, start, end)
    return _evidence(article, start, end, "fuzzy", alignment.score)


_ASIDE_OPENERS = ",(-"
_ASIDE_CLOSERS = ",)-"
_MAX_ASIDE_CHARS = 200
_MIN_ELIDED_PART_CHARS = 10


def _locate_elided(norm_quote: str, norm_article: str) -> tuple[int, int] | None:
    """Span in `norm_article` of `norm_quote` with one aside left out, or None.

    The quote is split at a word boundary into a head and a tail, each found verbatim
    (normalised); between them the article may hold only an aside: text that opens with a
    comma, bracket or dash, closes with one, and holds no sentence end.
    """
    words = norm_quote.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if min(len(head), len(tail)) < _MIN_ELIDED_PART_CHARS:
            continue
        found = norm_article.find(head)
        while found >= 0:
            after_head = found + len(head)
            tail_at = norm_article.find(tail, after_head, after_head + _MAX_ASIDE_CHARS + len(tail))
            if tail_at > after_head and _is_aside(norm_article[after_head:tail_at]):
                return found, tail_at + len(tail)
            found = norm_article.find(head, found + 1)
    return None


def _is_aside(gap: str) -> bool:
    aside = gap.strip()
    return (
        len(aside) >= 2
        and aside[0] in _ASIDE_OPENERS
        and aside[-1] in _ASIDE_CLOSERS
        and ". " not in aside
        and len(aside) <= _MAX_ASIDE_CHARS
    )


_SENTENCE_END = re.compile(
    r"(?<!\bSt)(?<!\bDr)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bProf)\."  # not "St. Helens"
    r"[\"'\u2019\u201d]?(?=\s)|[!?][\"'\u2019\u201d]?(?=\s)|\n[ \t]*\n|\n(?=[ \t]*[*\u2022-])"
)
_MAX_SENTENCE_CHARS = 500
_BULLET_OR_SPACE = " \t\r\n*\u2022-"
_OPENING_MARKS = '\u201c"\u2018'
_REOPENING = {mark: re.compile(rf"(?<=\s){mark}(?=\w)") for mark in _OPENING_MARKS}
_CLOSING_PUNCTUATION = ".,;!?\u2026"
_CLOSING_FOR = {"\u201c": '\u201d"', '"': '"\u201d', "\u2018": "\u2019'"}


_PARAGRAPH = re.compile(r"[^\n](?:.|\n(?![ \t]*\n))*")
_WRAPPED_LINE_CHARS = 60
_SENTENCE_FINAL = ".!?:;\"'\u2019\u201d"


def _is_hard_wrapped(lines: list[str]) -> bool:
    """Whether a paragraph's single line breaks fall inside sentences (wrapped prose).

    Wrapped prose either continues mostly in lower case after a break, or runs every line
    but the last to a similar width, in words, without ending it. A table, a list of names,
    a URL or a headline over a paragraph does neither, and each of its lines is a sentence.
    """
    breaks = lines[:-1]
    continued = sum(1 for line in lines[1:] if line.lstrip()[:1].islower())
    if 2 * continued >= len(breaks):
        return True
    wide = all(len(line.strip()) >= _WRAPPED_LINE_CHARS and " " in line.strip() for line in breaks)
    ended = sum(1 for line in breaks if line.rstrip().endswith(tuple(_SENTENCE_FINAL)))
    return wide and 2 * ended < len(breaks)


def _line_breaks_ending_sentences(article: str) -> list[int]:
    """Offsets of single line breaks that end a sentence: those of paragraphs not wrapped."""
    offsets: list[int] = []
    for paragraph in _PARAGRAPH.finditer(article):
        lines = paragraph.group().rstrip("\n").split("\n")  # the last one may end the text
        if len(lines) < 2 or _is_hard_wrapped(lines):
            continue
        position = paragraph.start()
        for line in lines[:-1]:
            position += len(line)
            offsets.append(position)
            position += 1
    return offsets


@lru_cache(maxsize=64)
def _sentence_boundaries(article: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[bool, ...]]:
    """Starts, ends and "is a line break" of every sentence boundary, computed once per text.

    Boundaries are sentence-final punctuation, paragraph breaks, a line opening a bullet,
    and the single line breaks of a paragraph that is not hard-wrapped prose (a headline
    line, a table row such as "Cancer - Good", a list of names, one line each).
    """
    found = {
        m.start(): (m.end(), m.group().startswith("\n")) for m in _SENTENCE_END.finditer(article)
    }
    covered = {offset for start, (end, _) in found.items() for offset in range(start, end)}
    for offset in _line_breaks_ending_sentences(article):
        if offset not in covered:
            found[offset] = (offset + 1, True)
    ordered = sorted(found.items())
    return (
        tuple(start for start, _ in ordered),
        tuple(end for _, (end, _) in ordered),
        tuple(is_break for _, (_, is_break) in ordered),
    )


def widen_to_sentence(article: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to the sentence (or bullet point) that contains it.

    Paragraph breaks, bullets and sentence-final punctuation bound a sentence; a single
    line break does not (press releases are often hard-wrapped mid-sentence).
    """
    starts, ends, line_breaks = _sentence_boundaries(article)
    before = bisect_right(ends, start) - 1
    sentence_start = ends[before] if before >= 0 else 0
    after = bisect_left(starts, max(end - 1, start))
    if after < len(starts):
        sentence_end = starts[after] if line_breaks[after] else ends[after]
    else:
        sentence_end = len(article)
    while sentence_start < start and article[sentence_start] in _BULLET_OR_SPACE:
        sentence_start += 1
    while sentence_end > end and article[sentence_end - 1].isspace():
        sentence_end -= 1
    if sentence_end - sentence_start > _MAX_SENTENCE_CHARS:
        return start, end
    return sentence_start, sentence_end


def widen_to_quotation(article: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to the quoted speech around it, without the quotation marks.

    Looks back within the paragraph for an opening mark and forward for its closing mark
    (or the paragraph's end, as multi-paragraph quotes leave the mark open). A quote left
    unclosed ends at a line break when a later line opens another with the same mark
    (articles with one paragraph a line). Falls back to the sentence when no quotation open at the
    span's start precedes it in the paragraph.
    """
    paragraph_start = article.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    opening = -1
    for index in range(min(start, len(article) - 1), paragraph_start - 1, -1):
        char = article[index]
        before = article[index - 1] if index > 0 else " "
        if char not in _OPENING_MARKS or before.isalnum():
            continue
        if char == '"' and before in _CLOSING_PUNCTUATION:
            continue  # the closing mark of '"Good," he said'
        if _closing_mark(article, index, index + 1, start) >= 0:
            continue  # a quotation that closes before the span starts
        opening = index
        break
    if opening < 0:
        return widen_to_sentence(article, start, end)
    paragraph_end = article.find("\n\n", end)
    paragraph_end = len(article) if paragraph_end < 0 else paragraph_end
    close = _closing_mark(article, opening, max(end - 1, opening + 1), paragraph_end)
    reopened = _REOPENING[article[opening]].search(
        article, end, paragraph_end if close < 0 else close
    )
    line_break = article.rfind("\n", end, reopened.start()) if reopened else -1
    if line_break >= 0:  # left unclosed: the same mark opens another quotation on a later line
        close = line_break
    if close < 0:
        close = paragraph_end
    text_start = opening + 1
    while text_start < close and article[text_start].isspace():
        text_start += 1
    while close > text_start and article[close - 1].isspace():
        close -= 1
    return text_start, close


def _closing_mark(article: str, opening: int, begin: int, stop: int) -> int:
    """Offset of the first mark in `begin:stop` closing the quotation opened at `opening`."""
    closers = _CLOSING_FOR[article[opening]]
    for index in range(begin, stop):
        char = article[index]
        nxt = article[index + 1] if index + 1 < len(article) else " "
        if char in closers and not nxt.isalnum():
            return index
    return -1


def widen(article: str, evidence: Evidence, to: str) -> Evidence:
    """Return `evidence` widened `to` "sentence" or "quotation" (or unchanged for "span")."""
    if to == "sentence":
        start, end = widen_to_sentence(article, evidence.start, evidence.end)
    elif to == "quotation":
        start, end = widen_to_quotation(article, evidence.start, evidence.end)
    else:
        return evidence
    return evidence.model_copy(update={"quote": article[start:end], "start": start, "end": end})
