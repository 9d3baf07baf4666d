"""Tokens per sample article for each recorded prompt version, and the fixed overhead.

Reads the usage the server reported in every recorded response under `cassettes/<prompt>/`
(all attempts of a document added up) and prints prompt and completion tokens per article.
The fixed overhead is what every request carries besides the article (instructions, examples,
the tool's JSON schema, the chat template): the first request's prompt tokens minus the
article's own tokens. Counting the article's tokens needs the model's tokenizer, loaded
vocabulary-only from the local model when it is in the cache (`extractor local fetch`);
without it the overhead column says n/a. Run: `python -m bench.cost`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from statistics import mean
from typing import Any

import yaml

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"
ARTICLES = ROOT / "eval" / "articles"


def _usages(cassette: Path) -> list[dict[str, int]]:
    data = yaml.safe_load(cassette.read_text(encoding="utf-8"))
    usages = []
    for interaction in data.get("interactions", []):
        body = interaction["response"]["body"]["string"]
        try:
            usage = json.loads(body).get("usage") or {}
        except (ValueError, AttributeError):
            continue
        usages.append(usage)
    return usages


def model_tokenizer() -> Any:
    """The local model's tokenizer (vocabulary only), or None without the [local] extra or
    the model in the cache."""
    try:
        from llama_cpp import Llama

        from extractor.local import DEFAULT_MODEL, cache_dir, is_verified
    except ImportError:
        return None
    path = cache_dir() / DEFAULT_MODEL.filename
    if not is_verified(path):
        return None
    return Llama(model_path=str(path), vocab_only=True, verbose=False)


def token_counter() -> Callable[[str], int] | None:
    """How many tokens the local model's tokenizer makes of a text (special tokens such as
    the chat template's read as one each), or None where `model_tokenizer` is None."""
    tokenizer = model_tokenizer()
    if tokenizer is None:
        return None

    def count(text: str) -> int:
        return len(tokenizer.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    return count


def main() -> None:
    """Print a table of tokens per article for every prompt with recordings."""
    import argparse

    parser = argparse.ArgumentParser(description="tokens per article per recorded prompt")
    parser.add_argument("--cassettes", type=Path, default=CASSETTES)
    cassettes_root = parser.parse_args().cassettes
    print(describe())
    tokenizer = model_tokenizer()
    print(f"{'prompt':<8} {'model':<30} {'docs':>4} {'prompt tok':>10} {'completion tok':>14} "
          f"{'fixed overhead':>14}")  # fmt: skip
    for folder in sorted(p for p in cassettes_root.glob("*/*") if p.is_dir()):
        cassettes = sorted(folder.glob("*.yaml"))
        if not cassettes:
            continue
        prompt_tokens, completion_tokens, overheads = [], [], []
        for cassette in cassettes:
            usages = _usages(cassette)
            if not usages:
                continue
            prompt_tokens.append(sum(u.get("prompt_tokens", 0) for u in usages))
            completion_tokens.append(sum(u.get("completion_tokens", 0) for u in usages))
            article = ARTICLES / f"{cassette.stem}.txt"
            if tokenizer is not None and article.exists():
                text = article.read_text(encoding="utf-8").encode()
                article_tokens = len(tokenizer.tokenize(text, add_bos=False))
                overheads.append(usages[0].get("prompt_tokens", 0) - article_tokens)
        overhead = f"{mean(overheads):.0f}" if overheads else "n/a"
        print(
            f"{folder.parent.name:<8} {folder.name:<30} {len(prompt_tokens):>4} "
            f"{mean(prompt_tokens):>10.0f} {mean(completion_tokens):>14.0f} {overhead:>14}"
        )


if __name__ == "__main__":
    main()
