"""Optimisations proposed for the per-document overhead, imitated by monkeypatching.

`python -m bench.overhead --what-if` and `python -m bench.throughput --what-if` time the
library as if each were made; nothing is edited on disk:

    lazy-normalize     the grounder's normalised article built only when a quote needs it
    article-key-once   `canonical_key(article)` computed once per article, not per CCG
    assemble-once      the validator's `assemble` result handed to the pipeline
    no-templating      instructor given no Jinja `context` (the messages passed as they are)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import extractor.names.reference_table as reference_table_module
import extractor.pipeline as pipeline_module
import extractor.proof.assemble as assemble_module
import extractor.proof.sentence_tools as sentence_tools_module
from extractor.answer.article import ArticleAnswer
from extractor.names.reference_table import canonical_key
from extractor.text.quote_search import normalize_with_map

__all__ = ["WHAT_IFS", "what_if_patches"]


class _LazyNormalized:
    """Stands in for `normalize_with_map(article)`: computed only when first unpacked."""

    def __init__(self, article: str) -> None:
        self.article = article
        self.value: tuple[str, list[int]] | None = None

    def __bool__(self) -> bool:
        return True

    def __iter__(self) -> Any:
        if self.value is None:
            self.value = normalize_with_map(self.article)
        return iter(self.value)


def _assemble_once() -> Callable[[ArticleAnswer, str], Any]:
    """`assemble` that hands the validator's result to the pipeline instead of redoing it."""
    real = assemble_module.assemble
    kept: dict[tuple[int, str], tuple[ArticleAnswer, Any]] = {}

    def once(answer: ArticleAnswer, article: str) -> Any:
        key = (id(answer), article)
        if key in kept and kept[key][0] is answer:
            return kept.pop(key)[1]
        result = real(answer, article)
        if len(kept) > 1000:
            kept.clear()
        kept[key] = (answer, result)
        return result

    return once


def what_if_patches(name: str) -> list[Any]:
    """Monkeypatches that imitate one proposed optimisation (nothing is edited on disk)."""
    if name == "lazy-normalize":
        return [mock.patch.object(sentence_tools_module, "normalize_with_map", _LazyNormalized)]
    if name == "article-key-once":
        cached = functools.lru_cache(maxsize=64)(canonical_key)
        return [
            mock.patch.object(assemble_module, "canonical_key", cached),
            mock.patch.object(sentence_tools_module, "canonical_key", cached),
            mock.patch.object(reference_table_module, "canonical_key", cached),
        ]
    if name == "assemble-once":
        once = _assemble_once()
        return [
            mock.patch.object(assemble_module, "assemble", once),
            mock.patch.object(pipeline_module, "assemble", once),
        ]
    if name == "no-templating":
        import instructor.v2.core.patch as instructor_patch

        return [mock.patch.object(instructor_patch, "handle_templating", _without_jinja)]
    raise ValueError(name)


_PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")


def _without_jinja(
    kwargs: dict[str, Any], *args: Any, context: dict[str, Any] | None = None, **_: Any
) -> dict[str, Any]:
    """What the request holds when instructor is given no `context` and renders nothing.

    The client hands instructor each message as a "{{ message_N }}" placeholder plus the text
    as a variable (so Jinja cannot alter it); here the placeholder is filled directly, as if
    the messages had been passed as they are, without Jinja.
    """
    if not context or "messages" not in kwargs:
        return kwargs
    messages = []
    for message in kwargs["messages"]:
        content = message.get("content")
        if isinstance(content, str):
            content = _PLACEHOLDER.sub(lambda m: str(context.get(m.group(1), m.group(0))), content)
        messages.append({**message, "content": content})
    return {**kwargs, "messages": messages}


WHAT_IFS = ("lazy-normalize", "article-key-once", "assemble-once", "no-templating")
