"""The search slots a prompt may hold, and how each is filled from the article.

A prompt's `user.md` may hold slots (`SLOTS`); each is filled with what a search of
`text/signposts.py` finds in the article (or, for `{{ccgs}}`, the CCG names it writes):

- `{{ccgs}}`: the CCGs the article names (`names/prompt_list.py`);
- `{{area_sentences}}`: sentences that name a clinical area and state a rating word;
- `{{indicator_sentences}}`: sentences that state a rating beside a traffic light or a
  domain of the assessment framework ("better health", "well led", "leadership");
- `{{national_sentences}}`: sentences with figures for many CCGs (a count of CCGs, or a
  percentage beside a rating word);
- `{{figure_sentences}}`: other sentences with a figure (a number that is not a year or date);
- `{{quotations}}`: sentences where someone is quoted (a quotation mark after "said",
  "added" or a colon);
- `{{published_sentences}}`: sentences saying when something was published or announced.

A follow-up may also hold one per-sentence slot (`EACH_SLOTS`); it is then asked once for
each sentence that slot's search finds, with the sentence in the slot:

- `{{group_rating_sentence}}`: a sentence that rates a clinical area or an indicator of a
  group of CCGs ("all six CCGs were rated green for patient engagement").
- `{{area_sentence}}`: a sentence that names a clinical area and states a rating word.
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.names.prompt_list import render_ccg_list
from extractor.text.signposts import (
    area_rating_sentences,
    figure_sentences,
    group_rating_sentences,
    indicator_sentences,
    national_figure_sentences,
    published_sentences,
    quotation_sentences,
)

__all__ = ["EACH_SLOTS", "NOTHING_FOUND", "SLOTS", "fill_slots", "slots_in"]

NOTHING_FOUND = "none"
"""What a list slot holds when the search found nothing."""


def _listed(search: Callable[[str], list[str]]) -> Callable[[str], str]:
    def render(article: str) -> str:
        return "\n".join(f"- {sentence}" for sentence in search(article)) or NOTHING_FOUND

    return render


SLOTS: dict[str, Callable[[str], str]] = {
    "{{ccgs}}": render_ccg_list,
    "{{area_sentences}}": _listed(area_rating_sentences),
    "{{indicator_sentences}}": _listed(indicator_sentences),
    "{{national_sentences}}": _listed(national_figure_sentences),
    "{{figure_sentences}}": _listed(figure_sentences),
    "{{quotations}}": _listed(quotation_sentences),
    "{{published_sentences}}": _listed(published_sentences),
}
"""Template slots a prompt's user.md may hold, and how each is filled from the article."""


EACH_SLOTS: dict[str, Callable[[str], list[str]]] = {
    "{{group_rating_sentence}}": group_rating_sentences,
    "{{area_sentence}}": area_rating_sentences,
}
"""Per-sentence slots a follow-up may hold: the follow-up is asked once per sentence found."""


def slots_in(template: str) -> list[str]:
    """The search slots `template` holds, in `SLOTS` order."""
    return [slot for slot in SLOTS if slot in template]


def fill_slots(template: str, article: str) -> str:
    """Fill every slot of `SLOTS` that `template` holds (the article slot is not one)."""
    for slot, render in SLOTS.items():
        if slot in template:
            template = template.replace(slot, render(article))
    return template
