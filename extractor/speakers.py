"""Tidy who said a quotation: unnamed spokespeople, titles and surnames, names in the article.

Small models write a spokesperson's description as a name ("A spokeswoman for the CCG"), and
a later mention's short form ("Professor O'Brien") where the article first gave the full name
("Professor Sarah O'Brien"). The dataset wants one form per person: the full name, and null
for an unnamed spokesperson, with the description as the role.
"""

from __future__ import annotations

import re

__all__ = ["is_pronoun", "speaker_in_article", "tidy_speaker"]

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
    O'Brien" becomes "Professor Sarah O'Brien" when the article writes that full name.
    """
    if speaker is None or not speaker.strip():
        return None, role
    speaker = " ".join(speaker.split())
    spokesperson = _SPOKESPERSON.search(speaker)
    if spokesperson is not None:
        said = spokesperson.group(0).lower()  # the article's own word wins over the model's
        return None, said if role is None or _SPOKESPERSON.search(role) else role
    bare = _TITLE.sub("", speaker)
    if " " in bare or not bare:
        return speaker, role
    plain = article.replace("\u2019", "'")
    surname = re.escape(bare.replace("\u2019", "'"))
    full = re.search(rf"(?:{_TITLES}\s+)?{_NAME_WORD}\s+{surname}\b", plain)
    if full is None:
        return speaker, role
    return " ".join(full.group(0).split()), role


def is_pronoun(speaker: str | None) -> bool:
    """True for a speaker given only as a pronoun ("He added"): it names nobody."""
    return speaker is not None and _PRONOUN.match(speaker.strip()) is not None


def speaker_in_article(speaker: str, article: str) -> bool:
    """True when the speaker's name, titles aside, is written in the article."""
    bare = _TITLE.sub("", speaker).strip()
    normalised = article.replace("\u2019", "'")
    return bool(bare) and bare.replace("\u2019", "'") in normalised
