"""Where recorded model traffic lives and how it is replayed, shared by tests and the eval.

One cassette per (prompt, model, document): `cassettes/<prompt>/<model>/<doc_id>.yaml`,
recorded from a real model through real HTTP. Beside them, `settings.json` keeps the settings
that shape the request body (model, temperature, max_tokens, extra body fields, mode, re-ask
bound) so a replay sends byte-for-byte the same requests. Requests match on method, path and
JSON body: a changed prompt or schema fails loudly as a mismatch instead of replaying a stale
answer. Authorization and API-key headers are never written.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.settings import Settings

if TYPE_CHECKING:
    from vcr.cassette import Cassette

__all__ = [
    "CASSETTES",
    "DEFAULT_RECORDED_MODEL",
    "FILTERED_HEADERS",
    "VCR_CONFIG",
    "cassette_dir",
    "load_recorded_settings",
    "model_slug",
    "save_interactions",
    "save_recorded_settings",
]

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
DEFAULT_RECORDED_MODEL = "qwen2.5-coder-1.5b-instruct"
FILTERED_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
]
_RECORDED_FIELDS = ("model", "mode", "temperature", "max_tokens", "max_reasks", "extra_body")
_REPLAY_BASE_URL = "http://127.0.0.1:9/v1"  # never contacted: replays are served by vcrpy


def _drop_response_headers(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers") or {}
    for name in list(headers):
        if name.lower() in FILTERED_HEADERS:
            del headers[name]
    return response


VCR_CONFIG: dict[str, Any] = {
    "filter_headers": FILTERED_HEADERS,
    "filter_query_parameters": ["api_key", "key"],
    "match_on": ["method", "path", "body"],
    "decode_compressed_response": True,
    "before_record_response": _drop_response_headers,
}
"""vcrpy settings used by pytest-recording (tests) and by `python -m eval` alike."""


def model_slug(model: str) -> str:
    """A folder-safe form of a model name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"


def cassette_dir(prompt: str, model: str = DEFAULT_RECORDED_MODEL) -> Path:
    """The folder holding one prompt x model's recordings."""
    return CASSETTES / prompt / model_slug(model)


def save_recorded_settings(settings: Settings, folder: Path) -> None:
    """Remember the request-shaping settings a recording was made with."""
    folder.mkdir(parents=True, exist_ok=True)
    values = {name: getattr(settings, name) for name in _RECORDED_FIELDS}
    (folder / "settings.json").write_text(json.dumps(values, indent=2, sort_keys=True) + "\n")


def load_recorded_settings(folder: Path, **overrides: Any) -> Settings:
    """Settings that reproduce the recorded requests exactly, pointed at no real server."""
    path = folder / "settings.json"
    if not path.exists():
        raise FileNotFoundError(f"no recordings in {folder} (missing settings.json)")
    values = json.loads(path.read_text())
    values = {k: v for k, v in values.items() if k in _RECORDED_FIELDS}
    values.update(
        {"base_url": _REPLAY_BASE_URL, "api_key": "replay", "max_retries": 0, "concurrency": 1}
    )
    values.update(overrides)
    return Settings.from_env(env={}, **values)


def save_interactions(cassette: Cassette, indices: list[int], path: Path) -> None:
    """Write the interactions of `cassette` at `indices`, in that order, as a cassette of
    their own (the format vcrpy writes)."""
    from vcr.persisters.filesystem import FilesystemPersister
    from vcr.serializers import yamlserializer

    chosen = [cassette.data[index] for index in indices]
    FilesystemPersister.save_cassette(
        path,
        {"requests": [r for r, _ in chosen], "responses": [r for _, r in chosen]},
        serializer=yamlserializer,
    )
