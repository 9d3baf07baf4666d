"""Prompts must stay general: no text of a gold article may leak into any prompt file.

Few-shot examples are written from made-up articles. This test fails if any run of eight
consecutive words of a gold article (after normalising case, quote marks and spacing) occurs
in a prompt, which catches copied sentences as well as lightly edited ones.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractor.text.quote_search import normalize_with_map
from tests.conftest import ARTICLES, ROOT

SHINGLE = 8
PROMPT_FILES = sorted(p for p in (ROOT / "prompts").rglob("*") if p.is_file())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9£%]+", normalize_with_map(text)[0])


def _shingles(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


ARTICLE_SHINGLES = {
    path.stem: _shingles(_words(path.read_text(encoding="utf-8")))
    for path in sorted(ARTICLES.glob("*.txt"))
}


def test_there_are_prompts_and_articles_to_compare() -> None:
    assert PROMPT_FILES and len(ARTICLE_SHINGLES) == 5


@pytest.mark.parametrize("prompt_file", PROMPT_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_gold_article_text_in_prompt(prompt_file: Path) -> None:
    prompt = " ".join(_words(prompt_file.read_text(encoding="utf-8")))
    for doc_id, shingles in ARTICLE_SHINGLES.items():
        leaked = sorted(s for s in shingles if s in prompt)
        assert not leaked, f"{prompt_file.name} contains text of {doc_id}: {leaked[:3]}"


def test_the_check_catches_a_copied_sentence(tmp_path: Path) -> None:
    article = (ARTICLES / "000_78c055c3b7e0ff81.txt").read_text(encoding="utf-8")
    sentence = article.split("\n")[0]
    prompt = " ".join(_words("Example: " + sentence.upper()))
    assert any(s in prompt for s in ARTICLE_SHINGLES["000_78c055c3b7e0ff81"])
