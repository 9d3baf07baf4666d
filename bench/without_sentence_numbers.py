"""What the sentence numbers of the ratings answers are worth: every set replayed twice, as
recorded and with the numbers the model gave in its ratings answers taken out
(`overall_sentence`, `last_year_sentence`, `finances_sentence` and each item's `sentence`),
then scored; and the tokens those numbers cost, counted with the model's tokenizer.

The proof checks each rating against the CCG's own sentences whether or not the model names
one (`proof.sentence_tools.Prover.first_passing`), so a number the model gives only says
where to look first. If the scores do not move without them, a prompt that does not ask for
them saves their tokens, the largest part of the generated text (issue 16, lever 1); whether
the model then gives the same ratings only a recorded prompt version can say. Nothing is
sent to a model.

Run: `python -m bench.without_sentence_numbers [--prompt v23] [--set samples|dev|test]...`
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator

from rich.console import Console
from rich.table import Table

import extractor.answer.ccgs as ccg_answers
from bench.answer_layout import recording_options
from bench.cost import token_counter
from bench.machine import describe
from bench.request_order import recorded_requests
from eval.recording import cassette_dir
from eval.report import score_run
from eval.runner import Run, replay
from eval.scoring import DocumentScore
from eval.sets import SET_NAMES, doc_ids_of
from extractor.model.prompts import RATINGS_SENTENCE_NUMBERS
from extractor.schema import Record

__all__ = ["RATINGS_NUMBER", "ratings_numbers_ignored", "without_ratings_numbers"]

RATINGS_NUMBER = re.compile(
    rf',?\s*"(?:{"|".join(sorted(RATINGS_SENTENCE_NUMBERS))})"\s*:\s*(?:null|"?\[?\d+\]?"?)'
)
"""One sentence-number field of a ratings answer as written, with the comma before it."""


def without_ratings_numbers(answer: str) -> str:
    """A ratings answer as written with its sentence-number fields cut out."""
    return RATINGS_NUMBER.sub("", answer)


@contextlib.contextmanager
def ratings_numbers_ignored() -> Iterator[None]:
    """While inside, every ratings answer is read as if it gave no sentence numbers."""
    reader = ccg_answers._sentence_number
    ccg_answers._sentence_number = lambda value: None
    try:
        yield
    finally:
        ccg_answers._sentence_number = reader


def _replayed(prompt: str, model: str, set_name: str) -> Run:
    run = replay(prompt, model, sets=(set_name,))
    if run.problems:
        raise SystemExit(f"{set_name}: {len(run.problems)} recordings missing or stale")
    return run


def main() -> None:
    """Print, per set, micro-F1 with and without the numbers and the tokens they cost."""
    args = recording_options(__doc__.splitlines()[0])
    count = token_counter()
    console = Console(width=140)
    console.print(describe())
    table = Table(title=f"prompt {args.prompt}: the ratings answers' sentence numbers")
    for column in ("set", "articles", "micro-F1 as recorded", "without numbers",
                   "articles scored differently", "extractions differing", "ratings answer tokens",
                   "without numbers "):  # fmt: skip
        table.add_column(column, justify="left" if column == "set" else "right")
    for set_name in args.sets or list(SET_NAMES):
        recorded = _replayed(args.prompt, args.model, set_name)
        with ratings_numbers_ignored():
            without = _replayed(args.prompt, args.model, set_name)
        scored, scored_without = score_run(recorded), score_run(without)
        scores = {d.doc_id: d for d in scored.documents}
        moved = sum(_counts(d) != _counts(scores[d.doc_id]) for d in scored_without.documents)
        records = {r.doc_id: _comparable(r) for r in recorded.records}
        differing = sum(_comparable(r) != records[r.doc_id] for r in without.records)
        tokens = cut = "-"
        if count is not None:
            answers = [
                request.recorded_answer
                for request in recorded_requests(
                    cassette_dir(args.prompt, args.model), doc_ids_of(set_name)
                )
                if '"ccgs"' in request.recorded_answer
            ]

            written = sum(count(a) for a in answers)
            shorter = sum(count(without_ratings_numbers(a)) for a in answers)
            tokens = f"{written:,}"
            cut = f"{shorter:,} ({(shorter - written) / written:+.0%})" if written else "0"
        table.add_row(
            set_name, str(len(recorded.records)), f"{scored.overall.f1:.4f}",
            f"{scored_without.overall.f1:.4f}", str(moved), str(differing), tokens, cut,
        )  # fmt: skip
    console.print(table)


def _counts(score: DocumentScore) -> str:
    """A document's true/false positives and false negatives per fact type."""
    tallies = {kind: (len(t.tp), len(t.fp), len(t.fn)) for kind, t in score.by_type.items()}
    return json.dumps(tallies, sort_keys=True)


def _comparable(record: Record) -> str:
    """A record's extraction (its facts and the evidence proving each)."""
    extraction = record.extraction
    return json.dumps(extraction.model_dump(mode="json") if extraction else None, sort_keys=True)


if __name__ == "__main__":
    main()
