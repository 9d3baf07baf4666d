"""The embedded local model: fetch and verify the GGUF file, serve it on 127.0.0.1.

Needs the optional extra: `pip install -e '.[local]'` (llama-cpp-python's server).
"""

from extractor.local.model import DEFAULT_MODEL, cache_dir, ensure_model, is_verified
from extractor.local.server import (
    LOCAL_DEFAULTS,
    LocalServer,
    local_settings,
    running_server,
    status_lines,
)

__all__ = [
    "DEFAULT_MODEL",
    "LOCAL_DEFAULTS",
    "LocalServer",
    "cache_dir",
    "ensure_model",
    "is_verified",
    "local_settings",
    "running_server",
    "status_lines",
]
