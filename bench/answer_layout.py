"""How many of the tokens the model generates are layout: its recorded answers as written,
the same JSON on one line, on one line without the fields that are null, and as written with
every key cut to one or two letters (`SHORT_KEYS`).

Generation is most of the local model's time per article (BENCHMARKS.md, "Asking kind by
kind across articles"), so the tokens an answer spends on indentation, line breaks and
`"key": null` are time a more compact answer would not spend. This re-encodes every recorded
answer of a prompt and counts tokens with the model's own tokenizer (loaded vocabulary-only
from the cache, `extractor local fetch`); it sends nothing to a model, so it says what a
compact answer would cost if the model wrote the same values, not whether it would.

Run: `python -m bench.answer_layout [--prompt v23] [--set samples|dev|test]...`
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from bench.cost import token_counter
from bench.machine import describe
from bench.request_order import recorded_requests
from eval.recording import cassette_dir
from eval.sets import SET_NAMES, doc_ids_of
from extractor.model.client import answer_json

__all__ = [
    "SHORT_KEYS",
    "LayoutCount",
    "count_layouts",
    "recording_options",
    "with_short_keys",
    "without_nulls",
]

SHORT_KEYS = {
    "ccgs": "c", "ccg": "n", "overall": "o", "overall_sentence": "os", "last_year": "l",
    "last_year_sentence": "ls", "finances": "f", "finances_sentence": "fs", "items": "i",
    "item": "a", "rating": "r", "sentence": "s", "metrics": "m", "name": "n", "value": "v",
    "unit": "u", "quotes": "q", "quote": "k", "speaker": "p", "role": "r", "organisation": "g",
}  # fmt: skip
"""The narrow answers' keys cut short (a key within one object keeps its own letter)."""
_KEY = re.compile(r'"([a-z_]+)"(\s*:)')


def without_nulls(value: object) -> object:
    """`value` with every null field of every object left out (list items are kept)."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def with_short_keys(answer: str) -> str:
    """`answer` as written, with each key of `SHORT_KEYS` replaced by its short form."""
    return _KEY.sub(lambda m: f'"{SHORT_KEYS.get(m.group(1), m.group(1))}"{m.group(2)}', answer)


@dataclass
class LayoutCount:
    """Tokens of one kind's answers in four layouts (answers that are no JSON left out)."""

    answers: int = 0
    as_written: int = 0
    one_line: int = 0
    one_line_no_nulls: int = 0
    short_keys: int = 0


def count_layouts(answers: list[str], count: Callable[[str], int]) -> LayoutCount:
    """Count the tokens of `answers` as written and re-encoded, each in its ```json fence."""
    total = LayoutCount()
    for answer in answers:
        try:
            data = json.loads(answer_json(answer))
        except ValueError:
            continue
        total.answers += 1
        total.as_written += count(answer)
        total.one_line += count(_fenced(json.dumps(data, ensure_ascii=False)))
        compact = json.dumps(without_nulls(data), ensure_ascii=False, separators=(",", ":"))
        total.one_line_no_nulls += count(_fenced(compact))
        total.short_keys += count(with_short_keys(answer))
    return total


def _fenced(text: str) -> str:
    return f"```json\n{text}\n```"


def _kind_label(system_message: str) -> str:
    """The kind's task in a few words: the start of the system message's second sentence
    (the first says what the model reads, the same for every kind)."""
    sentences = system_message.split(". ", 1)
    words = sentences[-1].split()
    return " ".join(words[:8]) + (" ..." if len(words) > 8 else "")


def recording_options(description: str) -> argparse.Namespace:
    """The options of a bench that reads one prompt's recordings: --prompt, --model and
    --set (repeatable; every set by default)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--prompt", default="v23")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    parser.add_argument("--set", dest="sets", action="append", choices=SET_NAMES)
    return parser.parse_args()


def main() -> None:
    """Print, per set and kind of question, the answers' tokens in each layout."""
    args = recording_options(__doc__.splitlines()[0])
    count = token_counter()
    if count is None:
        raise SystemExit("needs the local model's tokenizer: pip install -e '.[local]' and "
                         "extractor local fetch")  # fmt: skip

    console = Console(width=140)
    console.print(describe())
    table = Table(title=f"prompt {args.prompt}: tokens of the recorded answers, by layout")
    for column in ("set", "kind of question", "answers", "as written", "one line",
                   "one line, no nulls", "short keys"):  # fmt: skip
        left = column in ("set", "kind of question")
        table.add_column(column, justify="left" if left else "right")
    for set_name in args.sets or list(SET_NAMES):
        requests = recorded_requests(cassette_dir(args.prompt, args.model), doc_ids_of(set_name))
        by_kind: dict[str, list[str]] = {}
        for request in requests:
            by_kind.setdefault(request.kind, []).append(request.recorded_answer)
        counts = {kind: count_layouts(answers, count) for kind, answers in by_kind.items()}
        for kind, tally in [*counts.items(), ("all", _summed(counts.values()))]:
            table.add_row(
                set_name, _kind_label(kind) if kind != "all" else "all", str(tally.answers),
                f"{tally.as_written:,}", _share(tally.one_line, tally.as_written),
                _share(tally.one_line_no_nulls, tally.as_written),
                _share(tally.short_keys, tally.as_written),
            )  # fmt: skip
    console.print(table)


def _summed(counts: Iterable[LayoutCount]) -> LayoutCount:
    total = LayoutCount()
    for tally in counts:
        total.answers += tally.answers
        total.as_written += tally.as_written
        total.one_line += tally.one_line
        total.one_line_no_nulls += tally.one_line_no_nulls
        total.short_keys += tally.short_keys
    return total


def _share(tokens: int, of: int) -> str:
    return f"{tokens:,} ({(tokens - of) / of:+.0%})" if of else "0"


if __name__ == "__main__":
    main()
