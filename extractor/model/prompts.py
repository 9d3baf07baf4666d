"""Load a prompt version by name, render its messages and hash it.

A prompt is a folder: `prompts/<name>/system.md` (instructions, shared by every article, sent
first so a server can cache it), optionally `user.md`, a template holding `{{article}}` and,
optionally, search slots such as `{{ccgs}}`, filled with what a literal search finds in the
article (`prompt_slots.SLOTS`), and optionally follow-up turns `model.follow_up.md`, `followup_*.md`
(asked in name order after the first answer, which goes back with each, so the cached prefix
is reused; see `follow_up.py`). A follow-up may hold search slots too; one whose every slot
found nothing in an article is not asked for that article. A follow-up holding a
per-sentence slot (`prompt_slots.EACH_SLOTS`) is asked once per sentence found, at most
`MAX_TURNS_PER_FOLLOWUP` times. An optional `recheck.md` is asked after grounding, for a CCG
whose rating a sentence of its own contradicts (see `recheck.recheck_ratings`). A prompt with
`ratings.md` and `ratings_system.md` asks for the CCGs' ratings apart, a few CCGs at a time,
with only the sentences that speak of them (see `model.ccg_questions`); its first answer then
gives no assessments. A prompt with `quotes.md` and `quotes_system.md` also asks who said
each quotation code finds (see `quote_questions`). An optional `options.toml` sets how the
prompt is sent: `answer_schema = "outline"` when its narrow questions state their answer's
JSON themselves (see `answer_outline`), `ratings_sentence_numbers = false` when its ratings
questions do not ask for sentence numbers. A narrow question may also be taught by an example
exchange, sent before each question as a user turn and the model's answer
(`<kind>_example.md` and `<kind>_example_answer.md`, kind being ratings, quotes or figures): a
model copies the layout of an answer it has already given more closely than one described.
The sha256 recorded in every record covers every file of the folder and the JSON schema the
model is asked to fill, so any change to either gives a new hash (and stale recordings fail).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import ConfigurationError
from extractor.model.prompt_slots import EACH_SLOTS, NOTHING_FOUND, SLOTS, fill_slots, slots_in
from extractor.schema import PromptInfo

__all__ = [
    "ARTICLE_SLOT",
    "MAX_TURNS_PER_FOLLOWUP",
    "FigurePrompts",
    "Preamble",
    "Prompt",
    "QuotePrompts",
    "RatingPrompts",
    "available_prompts",
    "load_prompt",
    "prompts_dir",
]

ARTICLE_SLOT = "{{article}}"
_DEFAULT_USER = "Article:\n\n" + ARTICLE_SLOT
_PROMPTS_ENV = "EXTRACTOR_PROMPTS_DIR"
_ANSWER_SCHEMAS = ("full", "outline")
_OPTIONS = ("answer_schema", "ratings_sentence_numbers")
RATINGS_SENTENCE_NUMBERS = frozenset(
    {"overall_sentence", "last_year_sentence", "finances_sentence", "sentence"}
)
"""The ratings answers' sentence numbers (`ratings_sentence_numbers = false` leaves them out)."""
MAX_TURNS_PER_FOLLOWUP = 3
"""A follow-up with a per-sentence slot is asked for the first this-many sentences found."""


@dataclass(frozen=True, slots=True)
class Preamble:
    """What every narrow question of one kind starts with, and how its answer is shown."""

    messages: tuple[dict[str, str], ...]
    """The instructions (system), then the example exchange when the prompt has one."""
    outline: bool = False
    """The instructions state the answer's JSON (`ModelClient.ask_for`)."""
    left_out: frozenset[str] = frozenset()
    """Fields of the answer the request's schema leaves out (`ModelClient.ask_for`)."""


@dataclass(frozen=True, slots=True)
class RatingPrompts:
    """The texts of a prompt that asks for the CCGs' ratings apart (`model.ccg_questions`)."""

    system: str
    """`ratings_system.md`: the instructions of every rating question."""
    question: str
    """`ratings.md`: one batch of CCGs; slots `{{sentences}}` and `{{ccgs}}`."""
    year: str | None = None
    """`ratings_year.md`: asked after the first answer, in its conversation, for the
    assessment year; slot `{{years}}` (the years the article writes)."""
    example: tuple[str, str] | None = None
    """`ratings_example.md` and `ratings_example_answer.md`: an example question and answer."""


@dataclass(frozen=True, slots=True)
class QuotePrompts:
    """The texts of a prompt that asks who said each quotation apart (`quote_questions`)."""

    system: str
    """`quotes_system.md`: the instructions of every question."""
    question: str
    """`quotes.md`: one batch of quotations; slot `{{quotations}}`."""
    example: tuple[str, str] | None = None
    """`quotes_example.md` and `quotes_example_answer.md`: an example question and answer."""


@dataclass(frozen=True, slots=True)
class FigurePrompts:
    """The texts of a prompt that asks for the figures apart (`figure_questions`)."""

    system: str
    """`figures_system.md`: the instructions of every question."""
    question: str
    """`figures.md`: one batch of sentences; slots `{{sentences}}` and `{{ccgs}}`."""
    example: tuple[str, str] | None = None
    """`figures_example.md` and `figures_example_answer.md`: an example question and answer."""


@dataclass(frozen=True, slots=True)
class Prompt:
    """A loaded prompt version."""

    name: str
    system: str
    user_template: str
    sha256: str
    followups: tuple[str, ...] = ()
    """`followup*.md` templates: later turns asking for what the first answer left out."""
    recheck: str | None = None
    """`recheck.md`: asked after grounding about a CCG whose own sentence states another
    rating than the one the model gave; slots `{{ccg}}` and `{{ccg_sentences}}`."""
    ratings: RatingPrompts | None = None
    """The CCG rating questions, when the prompt asks them apart (`ratings.md`)."""
    quotes: QuotePrompts | None = None
    """Who said each quotation, when the prompt asks it apart (`quotes.md`)."""
    figures: FigurePrompts | None = None
    """The figures of the sentences that hold one, when the prompt asks them apart."""
    outline_answers: bool = False
    """`answer_schema = "outline"` in `options.toml`: the narrow questions state their answer's
    JSON, so a text-mode request shows only its outline (`answer_outline`)."""
    ratings_sentence_numbers: bool = True
    """`ratings_sentence_numbers = false` in `options.toml`: the ratings questions' schema
    leaves the sentence numbers out (`answer_outline.without_fields`)."""

    @property
    def first_answer(self) -> bool:
        """Whether the article is first sent whole for one answer (`system.md`); a prompt
        of narrow questions only has none."""
        return bool(self.system)

    @property
    def info(self) -> PromptInfo:
        """The `{name, sha256}` stamp written into each record."""
        return PromptInfo(name=self.name, sha256=self.sha256)

    def preamble(self, questions: RatingPrompts | QuotePrompts | FigurePrompts) -> Preamble:
        """The messages each of a kind of narrow `questions` starts with: the instructions,
        then the example question and its answer when the prompt has them."""
        messages = [{"role": "system", "content": questions.system}]
        if questions.example is not None:
            example, answer = questions.example
            messages += [
                {"role": "user", "content": example},
                {"role": "assistant", "content": answer},
            ]
        left_out: frozenset[str] = frozenset()
        if isinstance(questions, RatingPrompts) and not self.ratings_sentence_numbers:
            left_out = RATINGS_SENTENCE_NUMBERS
        return Preamble(tuple(messages), outline=self.outline_answers, left_out=left_out)

    def messages(self, article: str) -> list[dict[str, str]]:
        """Chat messages for one article: the shared instructions first, the article last."""
        # The search slots are filled before the article, so an article's own braces stay text.
        user = fill_slots(self.user_template, article)
        return [
            {"role": "system", "content": self.system},
            {"role": "user", "content": user.replace(ARTICLE_SLOT, article)},
        ]

    def followup_turns(self, article: str) -> list[str]:
        """The follow-up texts to ask for one article, slots filled, in order.

        A follow-up whose slots all came back empty ("none") has nothing to point the model
        at in this article and is skipped. A follow-up with a per-sentence slot becomes one
        turn per sentence its search finds (none when it finds none).
        """
        turns = []
        for template in self.followups:
            found = {slot: SLOTS[slot](article) for slot in slots_in(template)}
            if found and all(text == NOTHING_FOUND for text in found.values()):
                continue
            for slot, text in found.items():
                template = template.replace(slot, text)
            each = [slot for slot in EACH_SLOTS if slot in template]
            if not each:
                turns.append(template)
                continue
            sentences = EACH_SLOTS[each[0]](article)[:MAX_TURNS_PER_FOLLOWUP]
            turns += [template.replace(each[0], sentence) for sentence in sentences]
        return turns


def prompts_dir() -> Path:
    """Where prompt folders live.

    `EXTRACTOR_PROMPTS_DIR` wins; else the copy installed inside the package (wheels); else
    the `prompts/` folder of a source checkout.
    """
    override = os.environ.get(_PROMPTS_ENV)
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent.parent / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent.parent / "prompts"


def available_prompts() -> list[str]:
    """Names of the prompt versions found in `prompts_dir()`."""
    root = prompts_dir()
    if not root.is_dir():
        return []
    names = [p.name for p in root.iterdir() if _is_prompt(p)]
    return sorted(names, key=_version_order)


def _is_prompt(folder: Path) -> bool:
    """A prompt folder holds a first answer's `system.md`, or narrow questions only."""
    return (folder / "system.md").is_file() or (folder / "ratings.md").is_file()


def _version_order(name: str) -> tuple[str, int, str]:
    """v2 before v10: the leading letters, then the number, then the rest."""
    match = re.fullmatch(r"([^\d]*)(\d+)(.*)", name)
    return (match.group(1), int(match.group(2)), match.group(3)) if match else (name, -1, "")


def load_prompt(name: str, response_schema: dict[str, Any] | None = None) -> Prompt:
    """Load the prompt called `name` (or the folder at path `name`).

    `response_schema` is the JSON schema the model fills; it is hashed with the files.
    """
    folder = Path(name)
    if not _is_prompt(folder):
        folder = prompts_dir() / name
    system_file = folder / "system.md"
    if not _is_prompt(folder):
        known = ", ".join(available_prompts()) or "none found"
        raise ConfigurationError(f"unknown prompt {name!r}: no {system_file} (available: {known})")
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    if response_schema is not None:
        digest.update(json.dumps(response_schema, sort_keys=True).encode())
    user_file = folder / "user.md"
    user_template = user_file.read_text(encoding="utf-8") if user_file.is_file() else _DEFAULT_USER
    if ARTICLE_SLOT not in user_template:
        raise ConfigurationError(f"{user_file} must contain {ARTICLE_SLOT}")
    followups: list[str] = []
    for path in sorted(folder.glob("followup*.md")):
        followups.append(path.read_text(encoding="utf-8").strip())
        each = [slot for slot in EACH_SLOTS if slot in followups[-1]]
        if len(each) > 1:
            raise ConfigurationError(f"{path} holds {len(each)} per-sentence slots; at most one")
    recheck_file = folder / "recheck.md"
    recheck = recheck_file.read_text(encoding="utf-8").strip() if recheck_file.is_file() else None
    ratings = None
    if (folder / "ratings.md").is_file():
        system = folder / "ratings_system.md"
        if not system.is_file():
            raise ConfigurationError(f"{folder / 'ratings.md'} needs {system} beside it")
        year_file = folder / "ratings_year.md"
        ratings = RatingPrompts(
            system=system.read_text(encoding="utf-8").strip(),
            question=(folder / "ratings.md").read_text(encoding="utf-8").strip(),
            year=year_file.read_text(encoding="utf-8").strip() if year_file.is_file() else None,
            example=_example(folder, "ratings"),
        )
    quotes = None
    if (folder / "quotes.md").is_file():
        quotes_system = folder / "quotes_system.md"
        if not quotes_system.is_file():
            raise ConfigurationError(f"{folder / 'quotes.md'} needs {quotes_system} beside it")
        quotes = QuotePrompts(
            system=quotes_system.read_text(encoding="utf-8").strip(),
            question=(folder / "quotes.md").read_text(encoding="utf-8").strip(),
            example=_example(folder, "quotes"),
        )
    figures = None
    if (folder / "figures.md").is_file():
        figures = FigurePrompts(
            system=(folder / "figures_system.md").read_text(encoding="utf-8").strip(),
            question=(folder / "figures.md").read_text(encoding="utf-8").strip(),
            example=_example(folder, "figures"),
        )
    options = _options(folder / "options.toml")
    return Prompt(
        name=folder.name,
        system=system_file.read_text(encoding="utf-8").strip() if system_file.is_file() else "",
        user_template=user_template,
        sha256=digest.hexdigest(),
        followups=tuple(followups),
        recheck=recheck,
        ratings=ratings,
        quotes=quotes,
        figures=figures,
        outline_answers=options.get("answer_schema", "full") == "outline",
        ratings_sentence_numbers=options.get("ratings_sentence_numbers", True),
    )


def _example(folder: Path, kind: str) -> tuple[str, str] | None:
    """The example question and answer of one kind of narrow question: both files or none."""
    question, answer = folder / f"{kind}_example.md", folder / f"{kind}_example_answer.md"
    if not question.is_file() and not answer.is_file():
        return None
    if not (question.is_file() and answer.is_file()):
        present, missing = (question, answer) if question.is_file() else (answer, question)
        raise ConfigurationError(f"{present} needs {missing} beside it")
    return (
        question.read_text(encoding="utf-8").strip(),
        answer.read_text(encoding="utf-8").strip(),
    )


def _options(path: Path) -> dict[str, Any]:
    """A prompt's `options.toml` (none: every option at its default); unknown keys or values
    are a configuration error, never silently ignored."""
    if not path.is_file():
        return {}
    try:
        options = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"{path}: {exc}") from None
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise ConfigurationError(f"{path}: unknown option(s) {', '.join(unknown)}")
    if options.get("answer_schema", "full") not in _ANSWER_SCHEMAS:
        raise ConfigurationError(
            f"{path}: answer_schema must be one of {', '.join(_ANSWER_SCHEMAS)}, "
            f"not {options['answer_schema']!r}"
        )
    if not isinstance(options.get("ratings_sentence_numbers", True), bool):
        raise ConfigurationError(f"{path}: ratings_sentence_numbers must be true or false")
    return options
