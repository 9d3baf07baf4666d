"""The same recorded requests sent to the local model in two orders, side by side: article by
article (as the pipeline sends them today), and question kind by question kind across the
articles (every quotation question of the batch, then every figure question, then every
ratings question). Issue 16, lever 2: each kind of narrow question starts with the same
instructions for every article, and the server reuses the longest prefix the previous
request shares with the next; asked kind by kind, a question's instructions are evaluated
once per batch instead of once per request.

The requests are the recorded ones (`cassettes/<prompt>/<model>/<doc>.yaml`, every
interaction, in order), sent as they are to a fresh server per order, so both orders ask
exactly the same things. For each order: prompt tokens reused from the cache and evaluated
anew, tokens generated, wall time, the server's peak RSS, and how many answers are
byte-identical to the recorded ones (reusing a different prefix changes the arithmetic, so
greedy decoding may take another path; an order that changes answers needs its F1 measured
on every set). No pipeline change is needed to measure this; the pipeline does not yet ask
kind by kind.

    python -m bench.request_order                  # the five samples, prompt v23
    python -m bench.request_order --set dev --order "kind by kind"
    python -m bench.request_order --prompt v24 --doc 000_78c055c3b7e0ff81 --doc 004_32f130facc50a81a
"""

from __future__ import annotations

import argparse
import difflib
import json
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from bench.machine import describe
from bench.serving_settings import Turn, parse_turns, peak_rss_gb
from eval.recording import cassette_dir
from eval.sets import SET_NAMES, doc_ids_of
from extractor.local import running_server
from extractor.model.client import answer_json


@dataclass(frozen=True)
class RecordedRequest:
    """One recorded request: its article, its kind (the system message), its body, and the
    answer the recording got."""

    doc_id: str
    kind: str
    body: dict[str, object]
    recorded_answer: str


def _answer_text(response_body: str) -> str:
    return str(json.loads(response_body)["choices"][0]["message"].get("content") or "")


def same_values(answer: str, other: str) -> bool:
    """Whether two answers hold the same JSON (inside or outside a ```json fence), whatever
    their layout; answers that are not JSON must be equal as text."""

    def parsed(text: str) -> object:
        try:
            return json.loads(answer_json(text))
        except ValueError:
            return text

    return parsed(answer) == parsed(other)


def recorded_requests(folder: Path, doc_ids: list[str]) -> list[RecordedRequest]:
    """Every recorded chat request of `doc_ids`, article by article, in recorded order."""
    requests = []
    for doc_id in doc_ids:
        path = folder / f"{doc_id}.yaml"
        if not path.is_file():
            raise SystemExit(f"no recording for {doc_id}: {path}")
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            body = json.loads(interaction["request"]["body"])
            messages = body["messages"]
            kind = messages[0]["content"] if messages[0]["role"] == "system" else ""
            answer = _answer_text(interaction["response"]["body"]["string"])
            requests.append(RecordedRequest(doc_id, kind, body, answer))
    return requests


def kind_by_kind(requests: list[RecordedRequest]) -> list[RecordedRequest]:
    """The same requests grouped by kind (kinds in order of first appearance), each group in
    article order: what a pipeline asking kind by kind across a batch would send."""
    first_seen = {request.kind: None for request in requests}
    rank = {kind: index for index, kind in enumerate(first_seen)}
    return sorted(requests, key=lambda request: rank[request.kind])  # sorted() is stable


ORDERS = ("article by article", "kind by kind")


@dataclass
class OrderRun:
    """One order on its own fresh server."""

    turns: list[Turn]
    same_answers: int
    same_values: int
    """Answers holding the same JSON as the recorded one, whatever their layout."""
    changed: list[tuple[RecordedRequest, str]]
    """The requests whose answer differs from the recorded one, with the new answer."""
    wall: float
    peak_rss_gb: float


def send_in_order(requests: list[RecordedRequest]) -> OrderRun:
    """Send `requests` one after another to a fresh local server and time them."""
    with running_server(console=Console(stderr=True)) as server:
        turns: list[Turn] = []
        same = 0
        same_json = 0
        changed = []
        started = time.perf_counter()
        for request in requests:
            offset = len(server.log_path.read_text(errors="replace"))
            body = json.dumps({**request.body, "model": server.model_name}).encode()
            post = urllib.request.Request(
                f"{server.base_url}/chat/completions",
                data=body,
                headers={"Content-Type": "application/json"},
            )
            with urllib.request.urlopen(post, timeout=1800) as reply:
                answer = _answer_text(reply.read().decode("utf-8"))
            same += answer == request.recorded_answer
            same_json += same_values(answer, request.recorded_answer)
            if answer != request.recorded_answer:
                changed.append((request, answer))
            time.sleep(0.3)  # let the server flush its timing lines
            turns += parse_turns(server.log_path.read_text(errors="replace")[offset:])
        wall = time.perf_counter() - started
        return OrderRun(turns, same, same_json, changed, wall, peak_rss_gb(server.process.pid))


def main() -> None:
    """Send the recorded requests in both orders and print them side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default="v23")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b-instruct")
    parser.add_argument("--set", default="samples", choices=SET_NAMES, help="eval set")
    parser.add_argument("--doc", action="append", help="doc id of that set (repeatable)")
    parser.add_argument(
        "--order", action="append", choices=ORDERS, help="only this order (repeatable)"
    )
    args = parser.parse_args()
    docs = args.doc or doc_ids_of(args.set)
    requests = recorded_requests(cassette_dir(args.prompt, args.model), docs)
    console = Console(width=140)
    console.print(describe())
    kinds = len({request.kind for request in requests})
    table = Table(
        title=f"prompt {args.prompt}: {len(requests)} recorded requests of {len(docs)} "
        f"articles, {kinds} kinds, one fresh server per order"
    )
    for column in ("order", "wall s", "s per article", "reused tok", "new tok", "prompt s",
                   "generated", "generation s", "same answers", "same JSON",
                   "peak RSS GB"):  # fmt: skip
        table.add_column(column, justify="left" if column == "order" else "right")
    orders = {"article by article": requests, "kind by kind": kind_by_kind(requests)}
    changes = []
    for name, ordered in orders.items():
        if args.order and name not in args.order:
            continue
        run = send_in_order(ordered)
        changes += [(name, request, answer) for request, answer in run.changed]
        table.add_row(
            name, f"{run.wall:.1f}", f"{run.wall / len(docs):.1f}",
            str(sum(t.cached for t in run.turns)), str(sum(t.evaluated for t in run.turns)),
            f"{sum(t.prompt_seconds for t in run.turns):.1f}",
            str(sum(t.generated for t in run.turns)),
            f"{sum(t.generation_seconds for t in run.turns):.1f}",
            f"{run.same_answers} of {len(ordered)}", f"{run.same_values} of {len(ordered)}",
            f"{run.peak_rss_gb:.2f}",
        )  # fmt: skip
    console.print(table)
    for name, request, answer in changes:
        console.print(f"\n{name}: {request.doc_id}, a different answer to: {request.kind[:60]}...")
        diff = difflib.unified_diff(
            request.recorded_answer.splitlines(), answer.splitlines(), "recorded", name, lineterm=""
        )
        console.print("\n".join(diff), markup=False, highlight=False)


if __name__ == "__main__":
    main()
