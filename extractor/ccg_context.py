"""The sentences that can speak of each CCG: what the model is shown when asked about it.

For each CCG the article names (`ccg_mentions`), in article order:

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

from extractor.ccg_mentions import CcgMention, find_ccg_mentions
from extractor.ccg_names import normalize_ccg
from extractor.injection import within_instructions
from extractor.normalize import count_of
from extractor.rating_terms import (
    clause_around,
    item_spans,
    others_counted,
    rating_terms,
    speaks_of_money,
)
from extractor.schema import CCG
from extractor.sentences import Sentence, split_sentences

__all__ = [
    "MAX_CONTEXT",
    "CcgContext",
    "ccg_contexts",
    "ccg_key",
    "counted_span",
    "group_rated",
    "group_size",
    "members_rated",
]

MAX_CONTEXT = 12
_FOLLOW_ON = 4
_HEADING_REACH = 60
_LIST_REACH = 12
_SECTION_NUMBER = re.compile(r"\s*\d{1,2}(?:\.\d{1,2})*\.?\s*$")
_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
_DISTRIBUTIVE = re.compile(
    rf"\b(?:both|all|each|every|neither|none)\b|\b{_NUMBER}\s+of\s+the\b|"
    rf"\bthe\s+{_NUMBER}\s+(?:\w+\s+){{0,3}}(?:CCGs|clinical commissioning groups|groups)\b",
    re.IGNORECASE,
)
"""A sentence about a group that rates each member: "all six CCGs", "both", "four of the
five", "the three clinical commissioning groups"."""
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
            _add_groups(context, sentences, named_in, named_at)
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
    """A short line that ends no sentence and states no rating: an item of a list."""
    text = sentence.text.strip()
    return len(text) < 90 and not text.endswith((".", "!", "?")) and not rating_terms(text)


def _is_heading(sentence: Sentence) -> bool:
    """A line over a list: short and ending without a full stop, or ending with a colon."""
    text = sentence.text.strip()
    return text.endswith(":") or (len(text) < 120 and not text.endswith((".", "!", "?")))


def _add_heading(
    context: CcgContext,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    number: int,
) -> None:
    """The nearest earlier sentence that states a rating and names no CCG, over list lines."""
    for sentence in reversed(sentences[max(0, number - 1 - _HEADING_REACH) : number - 1]):
        if sentence.number in named_in:
            if rating_terms(sentence.text):
                return  # a line that rates its own CCG: the list has no heading above here
            continue
        if rating_terms(sentence.text) and _is_heading(sentence):
            if not item_spans(sentence.text):  # "Planning: Good" is a row, not a heading
                context.relations.setdefault(sentence.number, "heading")
            return
        if not _is_list_line(sentence):
            return  # a line of the list whose name links to no CCG is passed over


def _add_groups(
    context: CcgContext,
    sentences: tuple[Sentence, ...],
    named_in: dict[int, set[str]],
    named_at: dict[int, list[tuple[int, str]]],
) -> None:
    key = ccg_key(context.ccg)
    for sentence in sentences:
        text = sentence.text
        if not rating_terms(text):
            continue
        if sentence.number in named_in:
            if key in _the_others(sentence, named_in, named_at.get(sentence.number, [])):
                context.relations.setdefault(sentence.number, "group")
            continue
        if not _speaks_of_a_group(text) or len(_overall_ratings(text)) >= 3:
            continue  # not about a group, or about the scale ("one of four ratings: ...")
        members = _members(sentence, sentences, named_in)
        if members is None or key in members:
            context.relations.setdefault(sentence.number, "group")


_PART = re.compile(rf"\b({_NUMBER})\s+of\s+the\s+({_NUMBER})\b", re.IGNORECASE)
_NONE = re.compile(r"\b(?:neither|none|nor|only)\b", re.IGNORECASE)


def counted_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the clause that counts part of a group ("Seven of the eight CCGs
    require improvement", up to its comma), or None."""
    match = _PART.search(text)
    if match is None:
        return None
    clause = clause_around(text, match.start())
    start = text.find(clause)
    return start, start + len(clause)


def members_rated(text: str) -> tuple[int, int] | None:
    """(N, M) of a group sentence rating "N of the M" CCGs; (0, 0) when it rates none
    ("neither", "none of", "only one of"); None when it rates every member ("all three", "both")."""
    if _NONE.search(text):
        return (0, 0)
    match = _PART.search(text)
    if match is None:
        return None
    part, whole = (count_of(match.group(i)) for i in (1, 2))
    return (part, whole) if 0 < part < whole else (0, 0)


def _overall_ratings(text: str) -> set[str]:
    """The four overall ratings the sentence names (not green, amber or red)."""
    return {r for _, _, r in rating_terms(text)} - {"green", "amber", "red"}


_RATED_GROUP = re.compile(
    r"\b(?:the|those)\s+(?:\w+\s+)?(?:CCGs|clinical commissioning groups|groups|ones)\s+"
    r"(?:(?:that|which)\s+(?:were|are|have\s+been)\s+)?(?:rated|judged|graded|given)\s+"
    r"(?:as\s+)?['\"\u2018\u201c]?",
    re.IGNORECASE,
)


def group_rated(text: str) -> str | None:
    """The rating by which a sentence names a group ("the CCGs rated as inadequate", "the
    four inadequate ratings"), or None: the sentence speaks of the CCGs with that rating."""
    match = _RATED_GROUP.search(text)
    if match is not None:
        term = next((t for t in rating_terms(text) if t[0] == match.end()), None)
        return term[2] if term else None
    for start, end, rating in rating_terms(text):
        if _THE_RATINGS.match(text, end) and _THE_BEFORE.search(text[:start]):
            return rating  # "behind the four inadequate ratings"
    return None


_THE_RATINGS = re.compile(r"['\u2019\u201d]?\s+(?:ratings|grades|verdicts)\b", re.IGNORECASE)
_THE_BEFORE = re.compile(rf"\bthe\s+(?:{_NUMBER}\s+)?['\u2018\u201c]?$", re.IGNORECASE)


def _speaks_of_a_group(text: str) -> bool:
    """A distributive word about CCGs, or a group named by its rating ("the CCGs rated as
    inadequate"); not a distributive word whose subject is the rated items named before it
    ("finance and performance were both rated ...", "all three components were ...")."""
    if group_rated(text) is not None:
        return True
    for match in _DISTRIBUTIVE.finditer(text):
        items_before = [end for _, end, _ in item_spans(text) if end <= match.start()]
        if items_before and not _CLAUSE_BREAK.search(text, max(items_before), match.start()):
            continue
        if _ITEM_NOUN.match(text, match.end()):
            continue
        return True
    return False


_ITEM_NOUN = re.compile(
    r"(?:\s+(?:of\s+)?(?:the\s+|its\s+|their\s+)?)?(?:\w+\s+){0,2}?"
    r"(?:components|domains|areas|indicators|categories|measures)\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[;:.]|,\s|\b(?:while|whereas|but)\b", re.IGNORECASE)
_GROUP_SIZE = re.compile(
    r"\b(?:(both)|(?:the|all|all\s+the|these|those)\s+"
    r"(two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?:\w+\s+){0,3}?(?:CCGs|clinical commissioning groups|groups))\b",
    re.IGNORECASE,
)


def _the_others(
    sentence: Sentence, named_in: dict[int, set[str]], named_at: list[tuple[int, str]]
) -> set[str]:
    """The CCGs a sentence naming some calls "its two partners" or "the other three", or
    counts apart from those it names ("Two of the three were rated ...; the third, Bury,
    ..."): those of the nearest sentence, within three either side, that names the named
    ones and exactly that many more; else every other CCG the article names, when there are
    exactly that many ("Seven of the eight ..., and the eighth, West Kent, ...")."""
    count = others_counted(sentence.text)
    named = named_in.get(sentence.number, set())
    share = members_rated(sentence.text)
    span = counted_span(sentence.text)
    if count is None and share is not None and span is not None:
        # the CCGs named apart from the count's clause ("..., and the eighth, West Kent, ...")
        apart = {key for at, key in named_at if not span[0] <= at < span[1]}
        if share[1] - share[0] == len(apart) > 0:
            count, named = share[0], apart  # "two of the three", the third named
    if not count:
        return set()
    for distance in (1, -1, 2, -2, 3, -3):
        keys = named_in.get(sentence.number + distance, set())
        if named <= keys and len(keys - named) == count:
            return keys - named
    everyone = set().union(*named_in.values())
    if len(everyone - named) == count:  # the article names the whole group, over sentences
        return everyone - named
    return set()


def group_size(text: str) -> int | None:
    """How many CCGs a group sentence speaks of ("both": 2, "all six CCGs": 6); None when
    it does not say."""
    match = _GROUP_SIZE.search(text)
    if match is None:
        return None
    return 2 if match.group(1) else count_of(match.group(2))


def _members(
    group: Sentence, sentences: tuple[Sentence, ...], named_in: dict[int, set[str]]
) -> set[str] | None:
    """The CCGs a group sentence of a stated size speaks of ("the three CCGs", "both"): those
    of the nearest sentence, within two on either side, that names exactly that many; None
    when the size is not stated or no such sentence is near (every CCG may be a member)."""
    size = group_size(group.text)
    if size is None:
        return None
    for distance in (1, -1, 2, -2):
        keys = named_in.get(group.number + distance, set())
        if len(keys) == size:
            return keys
    return None
