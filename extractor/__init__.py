"""ccg-extractor: NHS CCG annual-assessment ratings from press releases, with verbatim evidence.

from extractor import extract
record = extract(article_text, doc_id="st-helens")
for assessment in record.extraction.assessments:
    print(assessment.ccg.name, assessment.overall, assessment.evidence.quote)

with extractor.local_model() as settings:   # the embedded local model, no second terminal
    record = extract(article_text, settings=settings)
"""

import contextlib
from pathlib import Path
from typing import Any

from extractor.errors import (
    ConfigurationError,
    ExtractionFailed,
    ExtractorError,
    InputError,
    LocalModelError,
    ModelCallError,
)
from extractor.inputs.documents import Document, iter_documents
from extractor.pipeline import Extractor, aextract, extract, extract_many
from extractor.schema import Assessment, Evidence, Extraction, Rating, Record
from extractor.settings import Settings


def local_model(
    model_path: Path | None = None, **overrides: Any
) -> contextlib.AbstractContextManager[Settings]:
    """Serve the embedded local model for a `with` block and yield settings that point at it:
    `with extractor.local_model() as settings: extract(text, settings=settings)`.

    The first use fetches and verifies the model (about 1.1 GB, once); the server is stopped
    when the block ends, an exception included. Needs the `[local]` extra (llama-cpp-python);
    without it, entering the block raises `LocalModelError` naming the install command.
    `overrides` are settings (`concurrency=2`, `prompt="v21"`, ...) over the local defaults.
    """
    from extractor.local import local_settings  # the server's imports only when it is used

    return local_settings(overrides or None, model_path=model_path)


__all__ = [
    "Assessment",
    "ConfigurationError",
    "Document",
    "Evidence",
    "Extraction",
    "ExtractionFailed",
    "Extractor",
    "ExtractorError",
    "InputError",
    "LocalModelError",
    "ModelCallError",
    "Rating",
    "Record",
    "Settings",
    "aextract",
    "extract",
    "extract_many",
    "iter_documents",
    "local_model",
]
