"""The gold sets: where each set's articles and gold files are, and which set a document is in.

- `samples`: five real articles (`eval/articles/`, `eval/gold/`), the worked examples;
- `dev`: made-up articles of the patterns real articles show, for development
  (`eval/dev/articles/`, `eval/dev/gold/`);
- `test`: made-up articles written apart, measured only when a version is finished
  (`eval/test/articles/`, `eval/test/gold/`).

Document ids are file stems and unique across sets, so one cassette folder per prompt and
model holds the recordings of every set.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from extractor.inputs.documents import Document
from extractor.schema import Extraction

__all__ = [
    "EVAL_DIR",
    "SET_NAMES",
    "article_path",
    "chosen_sets",
    "doc_ids_of",
    "gold_path",
    "load_gold",
    "resolve_doc_ids",
    "set_doc_ids",
    "set_documents",
    "set_of",
]

EVAL_DIR = Path(__file__).resolve().parent
SET_NAMES = ("samples", "dev", "test")
_FOLDERS = {"samples": EVAL_DIR, "dev": EVAL_DIR / "dev", "test": EVAL_DIR / "test"}


def chosen_sets(choice: str) -> tuple[str, ...]:
    """The set names a `--set` value means: one set, or `all` of them."""
    if choice == "all":
        return SET_NAMES
    if choice not in _FOLDERS:
        raise ValueError(f"unknown set {choice!r}: choose from {', '.join(SET_NAMES)} or all")
    return (choice,)


def doc_ids_of(set_name: str) -> list[str]:
    """The document ids of one set, in order (empty when the set has no articles yet)."""
    return sorted(path.stem for path in (_FOLDERS[set_name] / "articles").glob("*.txt"))


@lru_cache(maxsize=1)
def _set_by_doc_id() -> dict[str, str]:
    return {doc_id: name for name in SET_NAMES for doc_id in doc_ids_of(name)}


def set_of(doc_id: str) -> str:
    """The set holding `doc_id`; `samples` for an id no set holds."""
    return _set_by_doc_id().get(doc_id, "samples")


def article_path(doc_id: str) -> Path:
    """The article file of a document."""
    return _FOLDERS[set_of(doc_id)] / "articles" / f"{doc_id}.txt"


def gold_path(doc_id: str) -> Path:
    """The gold file of a document."""
    return _FOLDERS[set_of(doc_id)] / "gold" / f"{doc_id}.json"


def load_gold(doc_id: str) -> Extraction:
    """The gold extraction of one article."""
    return Extraction.model_validate_json(gold_path(doc_id).read_text(encoding="utf-8"))


def set_doc_ids(sets: tuple[str, ...], doc_ids: list[str] | None = None) -> list[str]:
    """The document ids of `sets`, in order, optionally only `doc_ids` (no article is read)."""
    return [d for name in sets for d in doc_ids_of(name) if not doc_ids or d in doc_ids]


def resolve_doc_ids(sets: tuple[str, ...], wanted: list[str]) -> list[str]:
    """Each of `wanted` as a document id of `sets`: the id itself, or the one id it begins
    (`dev_33` for `dev_33_healthwatch-mental-health`; a number is read whole, so `dev_10` is
    `dev_10_...`, not `dev_100_...`). Raises ValueError naming a value that matches no
    document or several, so a mistyped id is never a run of nothing."""
    ids = set_doc_ids(sets)
    resolved = []
    for want in wanted:
        begun = [d for d in ids if d.startswith(want)]
        whole = [d for d in begun if not (want[-1:].isdigit() and d[len(want) :][:1].isdigit())]
        matches = [want] if want in ids else (whole or begun)
        if not matches:
            raise ValueError(f"no document {want!r} in the {'/'.join(sets)} set")
        if len(matches) > 1:
            shown = ", ".join(matches[:3]) + (", ..." if len(matches) > 3 else "")
            raise ValueError(f"{want!r} begins {len(matches)} document ids ({shown})")
        resolved.append(matches[0])
    return resolved


def set_documents(sets: tuple[str, ...], doc_ids: list[str] | None = None) -> list[Document]:
    """The articles of `sets` as documents (doc id = file stem), optionally only `doc_ids`."""
    documents = []
    for doc_id in set_doc_ids(sets, doc_ids):
        path = article_path(doc_id)
        source = path.relative_to(EVAL_DIR.parent).as_posix()
        documents.append(
            Document(doc_id=doc_id, source=source, text=path.read_text(encoding="utf-8"))
        )
    return documents
