"""The benchmark scripts' own logic (`bench/`): what they read from a server log, how they
take their options, in which order they send recorded requests. The benches themselves need
the local model and are run by hand."""

from __future__ import annotations

import json
from itertools import pairwise

import pytest


def test_the_speed_bench_reads_each_requests_timing_from_the_server_log() -> None:
    from bench.serving_settings import parse_turns

    log = (
        "llama_perf_context_print: prompt eval time =    8693.18 ms /   741 tokens (...)\n"
        "llama_perf_context_print:        eval time =    2202.17 ms /    52 runs   (...)\n"
        "Llama.generate: 700 prefix-match hit, remaining 125 prompt tokens to eval\n"
        "llama_perf_context_print: prompt eval time =    1500.00 ms /   125 tokens (...)\n"
        "llama_perf_context_print:        eval time =   20000.00 ms /   400 runs   (...)\n"
    )
    first, second = parse_turns(log)
    assert (first.cached, first.evaluated, first.generated) == (0, 741, 52)
    assert (second.cached, second.evaluated, second.generated) == (700, 125, 400)
    assert second.generation_seconds == 20.0


def test_a_speed_bench_variant_may_name_its_own_prompt() -> None:
    from bench.serving_settings import split_prompt

    assert split_prompt(["--prompt", "v24", "--n_batch", "1024"], "v23") == (
        ["--n_batch", "1024"],
        "v24",
    )
    assert split_prompt(["--flash_attn", "true"], "v23") == (["--flash_attn", "true"], "v23")
    with pytest.raises(SystemExit):
        split_prompt(["--prompt"], "v23")


def test_the_request_order_bench_sends_the_recorded_requests_kind_by_kind() -> None:
    from bench.request_order import kind_by_kind, recorded_requests, same_values
    from eval.recording import cassette_dir

    docs = ["000_78c055c3b7e0ff81", "004_32f130facc50a81a"]
    requests = recorded_requests(cassette_dir("v23", "qwen2.5-coder-1.5b-instruct"), docs)
    assert [r.doc_id for r in requests] == [docs[0]] * 4 + [docs[1]] * 3  # as recorded
    assert all(r.recorded_answer.startswith("```json") for r in requests)
    first = requests[0].recorded_answer
    assert same_values(first, "".join(first.split("\n")))  # the same JSON on one line
    assert not same_values(first, requests[1].recorded_answer)
    ordered = kind_by_kind(requests)
    assert sorted(map(id, ordered)) == sorted(map(id, requests))  # the same requests
    kinds = [r.kind for r in ordered]
    changes = sum(a != b for a, b in pairwise(kinds))
    assert changes == len(set(kinds)) - 1  # each kind asked in one run
    for kind in set(kinds):  # within a kind, in article order
        in_kind = [r.doc_id for r in ordered if r.kind == kind]
        assert in_kind == sorted(in_kind)
    assert [r.doc_id for r in ordered if r.kind == kinds[0]] == [docs[0], docs[0], docs[1]]


def test_the_layout_bench_counts_each_answer_as_written_on_one_line_and_without_nulls() -> None:
    from bench.answer_layout import count_layouts, with_short_keys, without_nulls

    pretty = '```json\n{\n  "ccg": "Wyre",\n  "last_year": null,\n  "items": [null, 2]\n}\n```'
    tally = count_layouts([pretty, "no JSON here", "```json\n[]\n```"], len)
    assert tally.answers == 2  # the answer that is no JSON is left out
    assert tally.as_written == len(pretty) + len("```json\n[]\n```")
    one_line = '```json\n{"ccg": "Wyre", "last_year": null, "items": [null, 2]}\n```'
    assert tally.one_line == len(one_line) + len("```json\n[]\n```")
    compact = '```json\n{"ccg":"Wyre","items":[null,2]}\n```'
    assert tally.one_line_no_nulls == len(compact) + len("```json\n[]\n```")
    assert without_nulls({"a": {"b": None, "c": [{"d": None}]}}) == {"a": {"c": [{}]}}
    short = '```json\n{\n  "n": "Wyre",\n  "l": null,\n  "i": [null, 2]\n}\n```'
    assert tally.short_keys == len(short) + len("```json\n[]\n```")
    # only keys are cut: a value that is also a key's name stays as written
    cut = with_short_keys('{"item": "overall", "rating" :"good"}')
    assert cut == '{"a": "overall", "r" :"good"}'


def test_the_sentence_numbers_bench_cuts_only_the_ratings_numbers_and_restores_the_reader() -> None:
    from bench.without_sentence_numbers import ratings_numbers_ignored, without_ratings_numbers
    from extractor.answer.ccgs import CcgAnswer

    answer = (
        '{"ccgs": [{"ccg": "Wyre", "overall": "good", "overall_sentence": 2, '
        '"last_year": null, "last_year_sentence": null, "finances": "problem", '
        '"finances_sentence": "[7]", "items": [{"item": "cancer", "rating": "good", '
        '"sentence": "4"}]}]}'
    )
    cut = without_ratings_numbers(answer)
    assert json.loads(cut) == {
        "ccgs": [
            {"ccg": "Wyre", "overall": "good", "last_year": None, "finances": "problem",
             "items": [{"item": "cancer", "rating": "good"}]}
        ]
    }  # fmt: skip
    given = {"ccg": "Wyre", "overall": "good", "overall_sentence": 2,
             "items": [{"item": "cancer", "rating": "good", "sentence": 4}]}  # fmt: skip
    with ratings_numbers_ignored():
        ignored = CcgAnswer.model_validate(given)
    assert ignored.overall_sentence is None and ignored.items[0].sentence is None
    assert ignored.overall == "good"  # only the numbers go
    read = CcgAnswer.model_validate(given)
    assert read.overall_sentence == 2 and read.items[0].sentence == 4
