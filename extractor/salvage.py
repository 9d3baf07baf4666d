"""Keep the complete part of an answer that was cut short.

A small model sometimes runs on until `max_tokens`, and the JSON it produced then ends in the
middle of a value. Rather than lose the whole article, the answer is parsed as partial JSON
and every object that is complete and valid is kept; the unfinished tail is dropped. What is
kept still goes through grounding like any other answer, so nothing unproven survives.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

__all__ = ["salvage"]

_MISSING = object()


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is list:
        return True
    if origin in (Union, types.UnionType):
        return any(_is_list(arg) for arg in get_args(annotation))
    return False


def _allows_none(annotation: Any) -> bool:
    return annotation is None or type(None) in get_args(annotation)


def _prune(model: type[BaseModel], data: Any) -> dict[str, Any] | None:
    """`data` reduced to what validates as `model`, or None if even that does not."""
    if not isinstance(data, dict):
        return None
    kept: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        value = data.get(name, _MISSING)
        inner = _model_in(annotation)
        if _is_list(annotation):
            items = value if isinstance(value, list) else []
            if inner is None:
                kept[name] = items
            else:
                pruned = (_prune(inner, item) for item in items)
                kept[name] = [item for item in pruned if item is not None]
        elif value is _MISSING or value is None:
            if not _allows_none(annotation):
                return None
            kept[name] = None
        elif inner is not None:
            sub = _prune(inner, value)
            if sub is None and not _allows_none(annotation):
                return None
            kept[name] = sub
        else:
            kept[name] = value
    try:
        model.model_validate(kept)
    except ValidationError:
        return None
    return kept


def salvage(model: type[BaseModel], text: str) -> BaseModel | None:
    """The complete, valid part of a JSON answer cut short, or None.

    Only truncated JSON is salvaged: complete JSON that breaks the schema is a wrong answer,
    not a short one. A salvage that keeps no fact at all is None too, so a cut answer never
    passes for "the article reports nothing".
    """
    try:
        from_json(text)
    except ValueError:
        pass
    else:
        return None  # complete JSON: nothing was cut
    try:
        data = from_json(text, allow_partial=True)
    except ValueError:
        return None
    pruned = _prune(model, data)
    if pruned is None or not any(
        value for value in pruned.values() if isinstance(value, (list, dict))
    ):
        return None
    return model.model_validate(pruned)
