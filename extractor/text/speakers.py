"""Tidy who said a quotation: unnamed spokespeople, titles and surnames, names in the article.

Small models write a spokesperson's description as a name ("A spokeswoman for the CCG"), and
a later mention's short form ("Professor O'Brien") where the article first gave the full name
("Professor Sarah O'Brien"). The dataset wants one form per person: the full name, and null
for an unnamed spokesperson, with the description as the role.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from extractor.text.sentences import split_sentences

__all__ = [
    "Antecedent",
    "attribution_context",
    "is_pronoun",
    "is_writer",
    "named_after",
    "named_beside",
    "pronoun_antecedent",
    "speaker_in_article",
    "spokesperson_before",
    "tidy_speaker",
    "written_in",
]

_SPOKESPERSON = re.compile(r"\bspokes(?:wo)?(?:man|person)\b", re.IGNORECASE)
_TITLES = r"(?:Professor|Prof|Dr|Mr|Mrs|Ms|Miss|Sir|Dame|Cllr|Councillor)\.?"
_TITLE = re.compile(rf"^{_TITLES}(?:\s+|$)", re.IGNORECASE)
_PRONOUN = re.compile(r"(?:he|she|they|it|we)\b", re.IGNORECASE)
_NAME_WORD = r"[A-Z][\w'\u2019-]+"


def tidy_speaker(
    speaker: str | None, role: str | None, article: str
) -> tuple[str | None, str | None]:
    """The speaker's full name as the article gives it (or None) and the role.

    "A spokeswoman for the CCG" becomes no speaker with role "spokeswoman"; "Professor
    O'Brien" becomes "Professor Sarah O'Brien" when the article writes that full name; "Dr
    Jo Bloggs, Clinical Chair" becomes "Dr Jo Bloggs" with that role, unless one was given.
    """
    if speaker is None or not speaker.strip():
        return None, role
    speaker = " ".join(speaker.split())
    name, comma, rest = speaker.partition(",")
    if comma and len(name.split()) >= 2 and rest.strip():
        # "Dr Cath Briggs, GP Clinical Chair": the name, then the role
        speaker, role = name.strip(), role or rest.strip()
    spokesperson = _SPOKESPERSON.search(speaker)
    if spokesperson is not None:
        said = spokesperson.group(0).lower()  # the article's own word wins over the model's
        return None, said if role is None or _SPOKESPERSON.search(role) else role
    described = _described_only(speaker, article)
    if described is not None:  # "Service user", "A young man from Gainsborough"
        return None, described
    bare = _TITLE.sub("", speaker)
    if " " in bare or not bare:
        return speaker, role
    plain = article.replace("\u2019", "'")
    surname = re.escape(bare.replace("\u2019", "'"))
    full = re.search(rf"(?:{_TITLES}\s+)?{_NAME_WORD}\s+{surname}\b", plain)
    if full is None:
        return speaker, role
    return " ".join(full.group(0).split()), role


_LEADING_ARTICLE = re.compile(r"^(?:a|an|the|one)\s+", re.IGNORECASE)


def _described_only(speaker: str, article: str) -> str | None:
    """The description of a speaker the article does not name ("Service user, Boston",
    "A young man from Gainsborough", "Carer"), or None for a name: after its article, the
    description's words past the first are in lower case, or its one word is written in
    lower case elsewhere in the article (a noun, not a surname)."""
    if _TITLE.match(speaker) or is_pronoun(speaker):
        return None
    core = re.split(r",|\s+from\s+|\s+in\s+", speaker, maxsplit=1)[0].strip()
    core = _LEADING_ARTICLE.sub("", core)
    words = core.split()
    if not words or not words[0][:1].isalpha():
        return None
    if len(words) > 1:
        return core if all(word.islower() for word in words[1:]) else None
    word = words[0]
    lower_elsewhere = re.search(rf"\b{re.escape(word.lower())}", article) is not None
    return core if word[0].isupper() and lower_elsewhere else (core if word.islower() else None)


def is_pronoun(speaker: str | None) -> bool:
    """True for a speaker given only as a pronoun ("He added"): it names nobody."""
    return speaker is not None and _PRONOUN.match(speaker.strip()) is not None


_REPORTING = re.compile(
    r"\b(?:said|says|told|added|adds|explained|commented|warned|stated|admitted|insisted)\b"
)
_PERSON = re.compile(rf"(?:{_TITLES}\s+)?(?:{_NAME_WORD}\s+)+{_NAME_WORD}|{_TITLES}\s+{_NAME_WORD}")
_NOT_A_PERSON = re.compile(
    r"\b(?:NHS|CCGs?|Clinical|Commissioning|Group|Council|Trust|England|Healthwatch|Hospital)\b"
)
_ANTECEDENT_REACH = 700


def pronoun_antecedent(article: str, quote_start: int) -> Antecedent | None:
    """Who "He said:" or "She added:" before a quotation stands for, with the sentence that
    names them: the subject of the nearest earlier sentence that reports speech, within
    `_ANTECEDENT_REACH` characters ("Jo Bloggs, chief officer of the CCG, said ..." or "A
    spokeswoman for the CCG said ..."), when that subject is a person or a spokesperson.
    Subjects that are themselves pronouns are passed over; any other subject ends the search.
    """
    start = max(0, quote_start - _ANTECEDENT_REACH)
    window = article[start:quote_start]
    for sentence in reversed(split_sentences(window)[:-1]):
        verb = _REPORTING.search(sentence.text)
        if verb is None:
            continue
        subject = sentence.text[: verb.start()].strip(" ,")
        tail = subject.split(",")[-1].strip()
        if _PRONOUN.fullmatch(tail or "x"):
            continue
        spokesperson = _SPOKESPERSON.search(subject)
        if spokesperson is not None:
            body = _BODY_AFTER.match(subject, spokesperson.end())
            return Antecedent(spokesperson.group(0), sentence.text, body and body.group(1))
        for person in _PERSON.finditer(subject):
            if not _NOT_A_PERSON.search(person.group(0)):
                return Antecedent(subject[person.start() :], sentence.text, None)
        return None
    return None


_SAID_AFTER = re.compile(
    r"[\s,.!?'\"\u2019\u201d]{0,4}\s*(?:said|says|added|adds|explained|commented)\s+"
    r"(?P<who>[^.;:!?\n\"\u201c\u2018]+)"
)


def named_after(article: str, quote_end: int) -> str | None:
    """The speaker a quotation names right after it ('"...," said Dr Jo Bloggs, the CCG's
    chair.'), as written with the role after the name, or None when no person or
    spokesperson is named there."""
    said = _SAID_AFTER.match(article, quote_end)
    if said is None:
        return None
    who = said.group("who").strip()
    if _SPOKESPERSON.search(who.split(",")[0]):
        return who
    person = _PERSON.match(who)
    if person is None or _NOT_A_PERSON.search(person.group(0)):
        return None
    name, _, rest = who.partition(",")
    if re.match(r"\s*(?:who|which|whose)\b", rest):
        return name.strip()  # "said Cllr Tom Hale, who chairs ...": the name only
    return who


_BODY_AFTER = re.compile(
    r"\s+(?:for|at|from)\s+(?:the\s+)?"
    r"([^;]*?\b(?:CCG|Clinical Commissioning Group)(?![\w'\u2019])|[^,;]+?)\s*(?:,|$)"
)


class Antecedent(NamedTuple):
    """The speaker a pronoun stands for, as written, with the sentence that names them."""

    speaker: str
    sentence: str
    organisation: str | None


_REPORTING_TAIL = re.compile(
    r"[\s,]*\b(?:said|says|added|adds|told|explained|commented)\b.*$", re.IGNORECASE
)


def named_beside(article: str, speaker: str | None) -> str | None:
    """The person a role the model gave as the speaker names in the article ("Our chair" in
    "Our chair, Trevor Blakeley, said"), or the person inside the model's words when they
    start with the role ("Our chair, Trevor Blakeley, said"), with the role after the name;
    None when the speaker starts with a name, or the role has no name beside it."""
    if not speaker or _SPOKESPERSON.search(speaker):
        return None
    speaker = _REPORTING_TAIL.sub("", speaker).strip(" ,")
    person = next(
        (p for p in _PERSON.finditer(speaker) if not _NOT_A_PERSON.search(p.group())), None
    )
    if person is not None:  # "Our chair, Trevor Blakeley, said": the name, then the role
        role = (speaker[: person.start()] + speaker[person.end() :]).strip(" ,")
        return f"{person.group()}, {role}" if person.start() > 0 and role else None
    words = r"\s+".join(re.escape(word) for word in speaker.split())
    beside = re.search(rf"\b{words},\s+(?P<name>{_PERSON.pattern}),", article)
    if beside is None or _NOT_A_PERSON.search(beside.group("name")):
        return None
    return f"{beside.group('name')}, {speaker}"


def is_writer(speaker: str | None) -> bool:
    """True for "I", "me", "I asked the CCG" or "We asked the CCG": the article's writer,
    who asked rather than spoke."""
    return speaker is not None and _WRITER.match(speaker.strip()) is not None


_WRITER = re.compile(
    r"(?:I|me|myself)\b(?!\.)|we\s+(?:asked|put|spoke|contacted|approached)\b", re.IGNORECASE
)


def spokesperson_before(article: str, quote_start: int) -> str | None:
    """The spokesman, spokeswoman or spokesperson written in the 200 characters before a
    quotation, in the article's word ("... and a spokeswoman sent me this: '...'")."""
    found = list(_SPOKESPERSON.finditer(article, max(0, quote_start - 200), quote_start))
    return found[-1].group(0).lower() if found else None


def speaker_in_article(speaker: str, article: str) -> bool:
    """True when the speaker's name, titles aside, is written in the article."""
    bare = _TITLE.sub("", speaker).strip()
    normalised = article.replace("\u2019", "'")
    return bool(bare) and bare.replace("\u2019", "'") in normalised


_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
_OPENS_WITH_QUOTATION = re.compile("^\\s*[\"'\u201c\u2018]")
_MAX_SPEECH_PARAGRAPHS = 8


def attribution_context(article: str, quote_start: int, speaker: str | None) -> str:
    """The text that can say who a quotation's speaker is: its paragraph, the paragraphs
    of the same speech before it (back to the one that does not open with a quotation
    mark, "The spokesman added: ..."), and every paragraph that names the speaker."""
    paragraphs = _paragraphs(article)
    at = max((i for i, (start, _, _) in enumerate(paragraphs) if start <= quote_start), default=0)
    chosen = {at}
    while (
        at > 0
        and len(chosen) < _MAX_SPEECH_PARAGRAPHS
        and _OPENS_WITH_QUOTATION.match(paragraphs[at][1])
    ):
        at -= 1
        chosen.add(at)
    surname = _words(_TITLE.sub("", speaker or "")).split()[-1:]
    if surname:
        chosen |= {i for i, (_, _, words) in enumerate(paragraphs) if f" {surname[0]} " in words}
    return "\n\n".join(paragraphs[i][1] for i in sorted(chosen) if i < len(paragraphs))


@lru_cache(maxsize=64)
def _paragraphs(article: str) -> tuple[tuple[int, str, str], ...]:
    """(start, text, " words ") of every paragraph, computed once per article."""
    return tuple(
        (m.start(), m.group(0), f" {_words(m.group(0))} ") for m in _PARAGRAPH.finditer(article)
    )


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'").replace("'", "")))


def written_in(words: str, text: str) -> bool:
    """True when `words` appear in `text` as whole words, ignoring case and punctuation."""
    wanted = _words(words)
    return bool(wanted) and f" {wanted} " in f" {_words(text)} "
