"""The sentences that can speak of each CCG: what the model is shown when asked about it.

For each CCG the article names (`names.mentions`), in article order:

- its **own** sentences, those that name it;
- the sentences that **follow** one of them in the same paragraph, until one names another
  CCG ("It was rated good for cancer." after "NHS Bury CCG was rated good.");
- the **heading** over a list line that names it without a rating ("Rated outstanding" over
  "• Barnet");
- **group** sentences that name no CCG but rate every member of a group ("All six CCGs were
  rated green", "four of the five", "both groups");
- in an article that names one CCG only, every sentence.

Only sentences that state a rating or speak of money are kept, at most `MAX_CONTEXT` per
CCG, own sentences first. The relation is kept too: the proof of a fact asks whether the
sentence it rests on speaks of the CCG.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractor.names.groups import add_groups
from extractor.names.mentions import CcgMention, find_ccg_mentions
from extractor.names.reference_table import normalize_ccg
from extractor.schema import CCG
from extractor.text.injection import within_instructions
from extractor.text.rating_terms import item_spans, rating_terms, speaks_of_money
from extractor.text.sentences import Sentence, split_sentences

__all__ = ["MAX_CONTEXT", "CcgContext", "ccg_contexts", "ccg_key"]

MAX_CONTEXT = 12
_FOLLOW_ON = 4
_HEADING_REACH = 60
_LIST_REACH = 12
_SECTION_NUMBER = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})*\.?\s*$")
_RELATION_ORDER = ("own", "only", "follow", "heading", "group")


def ccg_key(ccg: CCG) -> str:
    """One key per CCG: its ODS code, else its name in lower case."""
    return ccg.ods_code or ccg.name.lower()


@dataclass
class CcgContext:
    """One CCG and the sentences that can speak of it."""

    ccg: CCG
    mentions: list[CcgMention] = field(default_factory=list)
    relations: dict[int, str] = field(default_factory=dict)
    """Sentence number -> how it speaks of the CCG (own, follow, heading, group, only)."""

    def sentence_numbers(self) -> list[int]:
        """The sentences shown to the model, own ones first, at most `MAX_CONTEXT`, in order."""
        ranked = sorted(self.relations, key=lambda n: (_RELATION_ORDER.index(self.relations[n]), n))
        return sorted(ranked[:MAX_CONTEXT])


def _relevant(sentence: Sentence) -> bool:
    return bool(rating_terms(sentence.text)) or speaks_of_money(sentence.text)


def _sentence_of(sentences: tuple[Sentence, ...], position: int) -> Sentence | None:
    for sentence in sentences:
        if sentence.start <= position < sentence.end:
            return sentence
    return None


def ccg_contexts(article: str) -> list[CcgContext]:
    """Every CCG the article names, with the sentences that can speak of it."""
    sentences = split_sentences(article)
    contexts: dict[str, CcgContext] = {}
    named_in: dict[int, set[str]] = {}
    named_at: dict[int, list[tuple[int, str]]] = {}
    """Sentence number -> (position in the sentence, CCG key) of each name it writes."""
    mentions = find_ccg_mentions(article)
    for mention in mentions + _short_mentions(article, mentions):
        ccg = normalize_ccg(mention.written)
        key = ccg_key(ccg) if mention.reference is None else mention.reference.ods_code
        context = contexts.setdefault(key, CcgContext(ccg=ccg))
        context.mentions.append(mention)
        sentence = _sentence_of(sentences, mention.start)
        if sentence is not None:
            named_in.setdefault(sentence.number, set()).add(key)
            named_at.setdefault(sentence.number, []).append((mention.start - sentence.start, key))
    for key, context in contexts.items():
        own = sorted(n for n, keys in named_in.items() if key in keys)
        for number in own:
            context.relations[number] = "own"
            _add_follow_on(context, sentences, named_in, number)
            if _is_list_line(sentences[number - 1]):
                _add_heading(context, sentences, named_in, number)
        if len(contexts) == 1:
            for sentence in sentences:
                context.relations.setdefault(sentence.number, "only")
        else:
            add_groups(context.relations, key, sentences, named_in, named_at)
            _add_sole_stretch(context, sentences, named_in, key)
            _add_the_ccg(context, sentences, named_in, key)
    for context in contexts.values():
        context.relations = {
            n: relation
            for n, relation in context.relations.items()
            if (relation == "own" or _relevant(sentences[n - 1]))
            and not within_instructions(article, sentences[n - 1].start, sentences[n - 1].end)
        }  # words addressed to AI systems speak of no CCG (possible prompt injection)
    return [context for context in contexts.values() if context.relations]


_INITIALS_AFTER = re.compile(
    r"(?:\s+(?:CCG|clinical\s+commissioning\s+group))?\s*\(([A-Z][A-Za-z]{1,7})\)", re.IGNORECASE
)


_NOT_INITIALS = frozenset({"CCG", "CCGS", "NHS"})


def _short_mentions(article: str, mentions: list[CcgMention]) -> list[CcgMention]:
    """Later mentions of a CCG already named, by its name without "NHS" or "CCG" ("Ipswich
    and East Suffolk holds on to ..." after "Ipswich and East Suffolk CCG")."""
    taken = [(m.start, m.end) for m in mentions]
    found: list[CcgMention] = []
    names: dict[str, CcgMention] = {}
    for mention in mentions:
        short = normalize_ccg(mention.written).name if mention.reference is None else None
        for name in filter(None, (short, mention.reference.name if mention.reference else None)):
            if len(name) >= 4:
                names.setdefault(name, mention)
        initials = _INITIALS_AFTER.match(article, mention.end)
        if initials is not None and initials.group(1).upper() not in _NOT_INITIALS:
            # "Herefordshire Clinical Commissioning Group (HCCG)"
            names.setdefault(initials.group(1), mention)
            taken.append(initials.span(1))  # the definition itself is no second mention
    for name, mention in names.items():
        pattern = r"\s+".join(re.escape(word) for word in name.split())
        for match in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", article):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            taken.append(match.span())
            found.append(CcgMention(match.start(), match.end(), mention.written, mention.reference))
    return found


def _add_follow_on(
    context: CcgContext,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    number: int,
) -> None:
    key = ccg_key(context.ccg)
    own = sentences[number - 1]
    paragraphs = {own.paragraph}
    section = _is_section_heading(own, sentences)  # a heading speaks for its whole section
    reach = number + (_LIST_REACH if section else _FOLLOW_ON)
    if own.text.rstrip().endswith(":"):  # "For Warrington, the ratings are:" over a list
        paragraphs.add(own.paragraph + 1)
        reach = number + _LIST_REACH
    elif _is_heading(own) and not rating_terms(own.text):  # "North Durham CCG" over its table
        reach = number + _LIST_REACH
    elif (rows := _rows_below(own, sentences)) is not None:
        # "The CCG's area ratings are set out below." over rows, or "X CCG - overall rating:
        # Good" over its bullets
        paragraphs.add(rows)
        reach = number + _LIST_REACH
    for sentence in sentences[number:]:
        if sentence.number > reach or named_in.get(sentence.number, {key}) != {key}:
            break
        if sentence.paragraph not in paragraphs:
            new_section = _is_section_heading(
                sentence, sentences
            ) and not sentence.text.rstrip().endswith(":")
            if not section or new_section:
                break
            paragraphs.add(sentence.paragraph)
        context.relations.setdefault(sentence.number, "follow")
        if sentence.text.rstrip().endswith(":"):  # "Its ratings were:" over a list
            paragraphs.add(sentence.paragraph + 1)
            reach = max(reach, sentence.number + _LIST_REACH)


def _rows_below(own: Sentence, sentences: tuple[Sentence, ...]) -> int | None:
    """The rest of the sentence's paragraph, or the next paragraph when it ends its own, is
    item rows, short lines without a full stop, two or more of which rate their item
    ("Cancer \u2013 Good", "Dementia: Requires improvement"; "Delegated functions \u2013 Fully
    assured" among them): a table or list of the CCG's items under the sentence naming it.
    Returns the rows' paragraph, or None."""
    after = [s for s in sentences if s.number > own.number]
    if not after or after[0].paragraph not in (own.paragraph, own.paragraph + 1):
        return None
    rows = [s.text.strip() for s in after if s.paragraph == after[0].paragraph]
    shaped = all(len(row) < 90 and not row.endswith((".", "!", "?")) for row in rows)
    rated = [row for row in rows if item_spans(row) and rating_terms(row)]
    if shaped and len(rated) >= 2 and all(item_spans(row) for row in rows):
        return after[0].paragraph
    return None


_SEVERAL_CCGS = re.compile(
    r"\b(?:CCGs|clinical commissioning groups|groups|commissioners)\b|\bCCGs[\u2019']", re.I
)


def _add_sole_stretch(
    context: CcgContext, sentences: tuple[Sentence, ...], named_in: dict[int, set[str]], key: str
) -> None:
    """While the article has named this CCG alone, every sentence speaks of it, unless it
    speaks of CCGs in the plural: the opening of a piece about one CCG that names others
    only near its end."""
    named_so_far: set[str] = set()
    for sentence in sentences:
        named_so_far |= named_in.get(sentence.number, set())
        if named_so_far - {key}:
            return
        if named_so_far and not _SEVERAL_CCGS.search(sentence.text):
            context.relations.setdefault(sentence.number, "follow")


_THE_CCG = re.compile(r"\bthe\s+(?:CCG|clinical\s+commissioning\s+group)\b(?!s)", re.I)
_THE_CCG_REACH = 6


def _add_the_ccg(
    context: CcgContext, sentences: tuple[Sentence, ...], named_in: dict[int, set[str]], key: str
) -> None:
    """A sentence naming no CCG that speaks of "the CCG" speaks of the CCG that the nearest
    sentence before it naming a CCG names, when that sentence names this CCG alone."""
    for sentence in sentences:
        if sentence.number in named_in or not _THE_CCG.search(sentence.text):
            continue
        if _SEVERAL_CCGS.search(sentence.text):
            continue
        earlier = range(sentence.number - 1, max(0, sentence.number - _THE_CCG_REACH) - 1, -1)
        last = next((n for n in earlier if n in named_in), None)
        if last is not None and named_in[last] == {key}:
            context.relations.setdefault(sentence.number, "follow")


def _is_section_heading(sentence: Sentence, sentences: tuple[Sentence, ...]) -> bool:
    """A line that is a paragraph of its own and ends no sentence: a section's heading."""
    alone = [
        s
        for s in sentences
        if s.paragraph == sentence.paragraph and not _SECTION_NUMBER.match(s.text)
    ] == [sentence]
    return alone and _is_heading(sentence)


def _is_list_line(sentence: Sentence) -> bool:
    """A short line that ends no sentence and states no rating of this year: an item of a
    list ("Bury (2016/17: requires improvement)" gives only last year's)."""
    text = sentence.text.strip()
    return (
        len(text) < 90
        and not text.endswith((".", "!", "?"))
        and not rating_terms(_EARLIER_IN_BRACKETS.sub("", text))
    )


_EARLIER_IN_BRACKETS = re.compile(
    r"\([^()]*(?:(?:19|20)\d\d|last\s+year|previous|prior|before)[^()]*\)", re.IGNORECASE
)
"""A rating in brackets with an earlier year ("(2016/17: good)", "(last year: inadequate)")."""


def _is_heading(sentence: Sentence) -> bool:
    """A line over a list: short and ending without a full stop, or ending with a colon."""
    text = sentence.text.strip()
    return text.endswith(":") or (len(text) < 120 and not text.endswith((".", "!", "?")))


def _heads_a_list(sentence: Sentence, sentences: tuple[Sentence, ...]) -> bool:
    """A heading line, or any sentence that ends its paragraph right above a paragraph of
    list lines ("The inadequate CCGs include the following, with ... in brackets.")."""
    if _is_heading(sentence):
        return True
    below = [s for s in sentences if s.paragraph == sentence.paragraph + 1]
    last = max(s.number for s in sentences if s.paragraph == sentence.paragraph)
    return sentence.number == last and len(below) >= 2 and all(map(_is_list_line, below))


def _under_a_name_line(
    sentence: Sentence, sentences: tuple[Sentence, ...], named_in: dict[int, set[str]]
) -> bool:
    """Whether the line just before `sentence`, in its paragraph, is a list line that names
    a CCG: `sentence` is that CCG's rating line, not a heading over the names below."""
    if sentence.number < 2:
        return False
    before = sentences[sentence.number - 2]
    return (
        before.paragraph == sentence.paragraph
        and _is_list_line(before)
        and before.number in named_in
    )


def _add_heading(
    context: CcgContext,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    number: int,
) -> None:
    """The nearest earlier sentence that states a rating and names no CCG, over list lines."""
    for sentence in reversed(sentences[max(0, number - 1 - _HEADING_REACH) : number - 1]):
        if sentence.number in named_in:
            if rating_terms(_EARLIER_IN_BRACKETS.sub("", sentence.text)):
                return  # a line that rates its own CCG: the list has no heading above here
            continue
        if rating_terms(sentence.text) and _heads_a_list(sentence, sentences):
            # "Planning: Good" is a row, not a heading; a rating line right under a name
            # line ("NHS Bolton CCG" over "Requires improvement") is that name's
            if not item_spans(sentence.text) and not _under_a_name_line(
                sentence, sentences, named_in
            ):
                context.relations.setdefault(sentence.number, "heading")
            return
        if not _is_list_line(sentence):
            return  # a line of the list whose name links to no CCG is passed over
