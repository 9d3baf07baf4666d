"""Keep the usable part of an answer that does not fit the schema as a whole.

Three things go wrong with small models, above all without constrained decoding (instructor's
`md_json` mode, or servers that ignore the schema): the answer runs on until `max_tokens`
and its JSON ends mid-value, one item breaks the schema (an area called "better health"), or
a string holds a raw line break, which JSON forbids (read as a space). A fourth: an answer
that is only the list its schema holds, a bare JSON array where the schema wants an object
with one list (`{"quotes": [...]}`), is read as that list.
Rather than lose the whole article, the JSON is parsed (partially if it was cut short) and
every item that is complete and valid is kept; a value that breaks its field (a rating
outside the schema) is emptied when the field may be empty, else its item is removed; each
value or item removed is reported by its path.
What is kept still goes through grounding like any other answer, so nothing unproven survives.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import from_json

__all__ = ["Salvaged", "salvage"]

_MISSING = object()
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1f]")
"""JSON forbids them inside strings, where sampling models sometimes write a raw line break;
outside strings they can only be whitespace, so a space keeps the JSON's meaning."""


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


@dataclass
class Salvaged:
    """What was kept, where items were removed, and whether the JSON was cut short."""

    answer: BaseModel
    removed: list[str] = field(default_factory=list)
    truncated: bool = False


def _prune(
    model: type[BaseModel], data: Any, path: str = "", removed: list[str] | None = None
) -> dict[str, Any] | None:
    """`data` reduced to what validates as `model`, or None if even that does not.

    Paths of removed list items are appended to `removed`.
    """
    removed = [] if removed is None else removed
    prepare = getattr(model, "prepare_raw", None)
    if callable(prepare):
        data = prepare(data)  # the model's own clean-up of raw answers, as in validation
    if not isinstance(data, dict):
        return None
    kept: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        value = data.get(name, _MISSING)
        inner = _model_in(annotation)
        if _is_list(annotation):
            items = value if isinstance(value, list) else []
            if inner is None:
                kept[name] = items
            else:
                kept[name] = []
                for index, item in enumerate(items):
                    item_path = f"{path}{name}[{index}]"
                    pruned = _prune(inner, item, item_path + ".", removed)
                    if pruned is None:
                        removed.append(item_path)
                    else:
                        kept[name].append(pruned)
        elif value is _MISSING or value is None:
            if not _allows_none(annotation):
                return None
            kept[name] = None
        elif inner is not None:
            sub = _prune(inner, value, f"{path}{name}.", removed)
            if sub is None:
                if not _allows_none(annotation):
                    return None
                removed.append(f"{path}{name}")
            kept[name] = sub
        else:
            kept[name] = value
    return _without_bad_values(model, kept, path, removed)


def _without_bad_values(
    model: type[BaseModel], kept: dict[str, Any], path: str, removed: list[str]
) -> dict[str, Any] | None:
    """`kept` valid as `model`: a value that breaks its field is dropped (the field set to
    None and its path reported) when the field may be empty ("overall": "assured with
    support" loses that rating, not the CCG); None when the rest is still not valid."""
    for _ in range(len(model.model_fields) + 1):
        try:
            model.model_validate(kept)
        except ValidationError as invalid:
            fields = {
                error["loc"][0]
                for error in invalid.errors()
                if error["loc"] and error["loc"][0] in model.model_fields
            }
            emptiable = [
                name
                for name in fields
                if isinstance(name, str)
                and kept.get(name) is not None
                and _allows_none(model.model_fields[name].annotation)
            ]
            if not emptiable:
                return None
            for name in emptiable:
                kept[name] = None
                removed.append(f"{path}{name}")
        else:
            return kept
    return None


def _list_as_object(model: type[BaseModel], data: Any) -> Any:
    """A bare JSON array as the object `model` is when `model` holds one list: that list."""
    if not isinstance(data, list):
        return data
    lists = [name for name, info in model.model_fields.items() if _is_list(info.annotation)]
    return {lists[0]: data} if len(lists) == 1 else data


def salvage(model: type[BaseModel], text: str) -> Salvaged | None:
    """The valid part of a JSON answer, with what was removed, or None.

    A salvage that keeps no fact at all is None, so a broken answer never passes for "the
    article reports nothing".
    """
    truncated = False
    text = _CONTROL_CHARACTER.sub(" ", text)
    try:
        data = from_json(text)
    except ValueError:
        truncated = True
        try:
            data = from_json(text, allow_partial=True)
        except ValueError:
            return None
    removed: list[str] = []
    pruned = _prune(model, _list_as_object(model, data), "", removed)
    if pruned is None or not any(
        value for value in pruned.values() if isinstance(value, (list, dict))
    ):
        return None
    return Salvaged(model.model_validate(pruned), removed, truncated)
