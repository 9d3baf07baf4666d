"""The outline of a narrow answer's JSON schema, for prompts that state the answer's JSON.

In the text modes (`md_json`, `json`) instructor writes the answer model's whole JSON schema,
indented, into the system message of every request: 350 to 720 tokens for a narrow question,
more than its own instructions, evaluated again for every question. A prompt whose narrow
questions state their answer's JSON themselves (its keys, what each holds, an example answer)
can ask for the outline instead (`answer_schema = "outline"` in its `options.toml`): the
request then shows only the answer's top-level keys and their types. The answer is validated
against the whole model exactly as before; only the text the model reads changes. In the
modes where the schema is a request parameter (`tools`, `json_schema`) the whole schema is
always sent, since a server may constrain the answer with it.

A prompt may also leave some of an answer's fields out of what the model is asked for
(`without_fields`; `ratings_sentence_numbers = false` in `options.toml` leaves out the
ratings answers' sentence numbers, which the proof does not need): the schema sent, in every
mode, no longer names them, and an answer that gives them anyway is still read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

__all__ = ["outline_schema", "outlined", "without_fields"]


def outline_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s JSON schema cut to its top-level keys, each with its type where it has one."""
    full = model.model_json_schema()
    properties: dict[str, Any] = {}
    for key, schema in full.get("properties", {}).items():
        properties[key] = {"type": schema["type"]} if "type" in schema else {}
    outline: dict[str, Any] = {"properties": properties, "type": "object"}
    if full.get("required"):
        outline["required"] = list(full["required"])
    return outline


@cache
def outlined(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of `model` (same fields and validators) whose JSON schema is its outline."""
    return _showing(model, outline_schema(model))


@cache
def without_fields(model: type[BaseModel], names: frozenset[str]) -> type[BaseModel]:
    """A subclass of `model` (same fields and validators) whose JSON schema leaves out the
    optional fields called `names`, in `model` and in every model it holds."""
    schema = model.model_json_schema()
    for part in [schema, *schema.get("$defs", {}).values()]:
        properties = part.get("properties", {})
        if names & set(part.get("required", ())):
            raise ValueError(f"{model.__name__}: a required field cannot be left out")
        for name in names & set(properties):
            del properties[name]
    return _showing(model, schema)


def _showing(model: type[BaseModel], schema: dict[str, Any]) -> type[BaseModel]:
    """A subclass of `model` (same name, fields and validators) whose JSON schema is `schema`."""

    def model_json_schema(cls: type[BaseModel], *args: Any, **kwargs: Any) -> dict[str, Any]:
        return schema

    namespace = {
        "__module__": model.__module__,
        "__doc__": model.__doc__,
        "model_json_schema": classmethod(model_json_schema),
    }
    return type(model.__name__, (model,), namespace)
