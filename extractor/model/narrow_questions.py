"""Narrow questions to the model, asked one after another: the CCG ratings of a few CCGs,
who said a few quotations, the figures of a few sentences.

Each question is a short conversation of its own (its instructions, then the question), so
it carries no article: only what code picked for it. An answer that fits nothing costs only
its question; an endpoint that keeps failing fails the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from extractor.errors import ExtractionFailed
from extractor.model.client import ModelClient
from extractor.model.follow_up import added_usage
from extractor.model.prompts import Preamble
from extractor.schema import Usage

__all__ = ["Asked", "ask_each"]

AnswerT = TypeVar("AnswerT", bound=BaseModel)


@dataclass
class Asked(Generic[AnswerT]):
    """The answers to a list of questions (by the question's index), and what they cost."""

    answers: dict[int, AnswerT] = field(default_factory=dict)
    usage: Usage = field(default_factory=Usage)
    removed: list[str] = field(default_factory=list)
    """Paths of answer items removed because they broke the answer's model."""
    failed: list[str] = field(default_factory=list)
    """Why a question got no answer, one line each."""


async def ask_each(
    client: ModelClient,
    preamble: Preamble,
    questions: list[str],
    model: type[AnswerT],
    *,
    doc_id: str,
    label: str,
) -> Asked[AnswerT]:
    """Ask each question after `preamble`; `label` names them in `removed` and `failed`.

    A question whose answer fits nothing of `model` is listed in `failed` and the others
    are kept; an endpoint that keeps failing (`ModelCallError`) fails the document, so it is
    an error record to do again, not a record that silently lacks the model's answers."""
    asked: Asked[AnswerT] = Asked()
    for index, question in enumerate(questions):
        messages = [*preamble.messages, {"role": "user", "content": question}]
        try:
            reply = await client.ask_for(
                messages, model, doc_id=doc_id, outline=preamble.outline, left_out=preamble.left_out
            )
        except ExtractionFailed as exc:  # an answer that fits nothing; the endpoint failing
            usage = getattr(exc, "usage", None)
            if isinstance(usage, Usage):
                asked.usage = added_usage(asked.usage, usage)
            asked.failed.append(f"{label} {index + 1}: {exc.message}")
            continue
        asked.usage = added_usage(asked.usage, reply.usage)
        asked.removed += [f"({label} {index + 1}) {path}" for path in reply.removed]
        if isinstance(reply.answer, model):
            asked.answers[index] = reply.answer
    return asked
