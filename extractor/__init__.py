"""ccg-extractor: NHS CCG annual-assessment ratings from press releases, with verbatim evidence.

from extractor import extract
record = extract(article_text, doc_id="st-helens")
for assessment in record.extraction.assessments:
    print(assessment.ccg.name, assessment.overall, assessment.evidence.quote)
"""

from extractor.documents import Document, iter_documents
from extractor.errors import (
    ConfigurationError,
    ExtractionFailed,
    ExtractorError,
    InputError,
    LocalModelError,
    ModelCallError,
)
from extractor.pipeline import Extractor, aextract, extract, extract_many
from extractor.schema import Assessment, Evidence, Extraction, Rating, Record
from extractor.settings import Settings

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
]
