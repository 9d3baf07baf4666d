"""`python -m eval` end to end through click: replay, JSON and HTML reports, the baseline gate,
missing and stale recordings, usage errors. Everything replays recordings: no network, no key.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import eval.recording
from eval.__main__ import _progress_line, main
from eval.recording import DEFAULT_RECORDED_MODEL, cassette_dir
from eval.report import load_gold
from eval.runner import ARTICLES, Run
from eval.scoring import FACT_TYPES, score_document
from eval.sets import SET_NAMES, doc_ids_of
from extractor.model.prompts import prompts_dir
from extractor.schema import Evidence, Metric, PromptInfo, Record
from extractor.settings import Settings
from tests.conftest import cli_env

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "eval" / "baseline.json"
SAMPLE_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))
DOC_IDS = sorted(doc for name in SET_NAMES for doc in doc_ids_of(name))  # every gold set
DEFAULT_PROMPT = Settings.from_env(env={}).prompt
MICRO_F1 = re.compile(r"micro-F1 (\d+\.\d{3})\b")


def _clean_env(**extra: str) -> dict[str, str | None]:
    """No OpenAI or extractor settings from the caller (None unsets), a wide terminal."""
    env: dict[str, str | None] = {
        name: None for name in os.environ if name.startswith(("OPENAI_", "EXTRACTOR_"))
    }
    env["COLUMNS"] = "200"
    env.update(extra)
    return env


def _no_network(*args: object, **kwargs: object) -> None:
    raise AssertionError("the eval tried to open a network connection during a replay")


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to connect anywhere fails the test."""
    monkeypatch.setattr(socket.socket, "connect", _no_network)
    monkeypatch.setattr(socket.socket, "connect_ex", _no_network)
    for name in list(os.environ):
        if name.startswith(("OPENAI_", "EXTRACTOR_")):
            monkeypatch.delenv(name)


def _invoke(args: list[str], **env: str) -> Result:
    return CliRunner().invoke(main, args, env=_clean_env(**env), catch_exceptions=False)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _printed_f1(result: Result) -> float:
    found = MICRO_F1.findall(result.output)
    assert len(found) == 1, result.output
    return float(found[0])


def _table_rows(output: str) -> dict[str, list[str]]:
    """Rows of the rich tables, keyed by their first cell (markup is already stripped)."""
    rows = {}
    for line in output.splitlines():
        if line.startswith("│"):
            cells = [cell.strip() for cell in line.strip().strip("│").split("│")]
            rows[cells[0]] = cells[1:]
    return rows


def _baseline_run(data: Mapping[str, Any], prompt: str) -> dict[str, Any]:
    runs = [r for r in data["runs"] if r["prompt"] == prompt]
    assert runs, f"{BASELINE} has no run of the default prompt {prompt}"
    run: dict[str, Any] = runs[0]
    return run


@dataclass
class Replayed:
    result: Result
    report: dict[str, Any]
    html: str


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replayed]:
    """One default replay, with JSON and HTML reports, shared by several tests."""
    folder = tmp_path_factory.mktemp("replay")
    json_path, html_path = folder / "run.json", folder / "run.html"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", _no_network)
        patch.setattr(socket.socket, "connect_ex", _no_network)
        for name in list(os.environ):
            if name.startswith(("OPENAI_", "EXTRACTOR_")):
                patch.delenv(name)
        result = _invoke(["--json", str(json_path), "--html", str(html_path)])
    report = json.loads(json_path.read_text(encoding="utf-8")) if json_path.exists() else {}
    html = html_path.read_text(encoding="utf-8") if html_path.exists() else ""
    yield Replayed(result, report, html)


def test_default_replay_reproduces_the_baseline(replayed: Replayed) -> None:
    assert replayed.result.exit_code == 0, replayed.result.output
    assert "recording" not in replayed.result.output  # no missing or stale recording
    expected = _baseline_run(json.loads(BASELINE.read_text(encoding="utf-8")), DEFAULT_PROMPT)
    printed = _printed_f1(replayed.result)
    assert printed == pytest.approx(expected["overall"]["f1"], abs=0.0005 + 1e-9)
    run = replayed.report["runs"][0]
    assert (run["prompt"], run["model"], run["mode"]) == (
        DEFAULT_PROMPT,
        DEFAULT_RECORDED_MODEL,
        "replay",
    )
    assert run["overall"] == expected["overall"]
    assert run["by_type"] == expected["by_type"]


def _document_row(rows: dict[str, list[str]], doc_id: str) -> list[str]:
    """The printed row of a document; a long id is printed cut short ("dev_01_fareham-s…")."""
    if doc_id in rows:
        return rows[doc_id]
    [row] = [
        row
        for name, row in rows.items()
        if name.endswith("\u2026") and doc_id.startswith(name[:-1])
    ]
    return row


def test_json_report_agrees_with_the_printed_tables(replayed: Replayed) -> None:
    assert replayed.result.exit_code == 0, replayed.result.output
    runs = replayed.report["runs"]
    assert len(runs) == 1
    run = runs[0]
    assert run["problems"] == []
    rows = _table_rows(replayed.result.output)

    # per fact type: P, R, F1, TP, FP, FN as printed
    for name in [*FACT_TYPES, "all (micro)"]:
        figures = run["overall"] if name == "all (micro)" else run["by_type"][name]
        p, r, f1, tp, fp, fn = rows[name][:6]
        assert (int(tp), int(fp), int(fn)) == (figures["tp"], figures["fp"], figures["fn"]), name
        for printed, key in ((p, "precision"), (r, "recall"), (f1, "f1")):
            assert float(printed) == pytest.approx(figures[key], abs=0.005 + 1e-9), (name, key)
    # the table rounds to 2 places, the summary line to 3: they differ by up to 0.0055
    assert float(rows["all (micro)"][2]) == pytest.approx(_printed_f1(replayed.result), abs=0.0055)

    # per document: status, CCGs found/gold, F1 as printed
    documents = run["documents"]
    assert sorted(documents) == DOC_IDS
    for doc_id, figures in documents.items():
        status, ccgs, f1 = _document_row(rows, doc_id)[:3]
        assert status == figures["status"], doc_id
        found = figures["by_type"]["ccg"]
        assert ccgs == f"{found['tp'] + found['fp']}/{found['tp'] + found['fn']}", doc_id
        assert float(f1) == pytest.approx(figures["f1"], abs=0.005 + 1e-9), doc_id

    # the run's figures are the sums of the documents' (micro-averaging), by type and overall
    for name in FACT_TYPES:
        for count in ("tp", "fp", "fn"):
            summed = sum(d["by_type"][name][count] for d in documents.values())
            assert run["by_type"][name][count] == summed, (name, count)
    for count in ("tp", "fp", "fn"):
        assert run["overall"][count] == sum(t[count] for t in run["by_type"].values())
        assert run["overall"][count] == sum(d[count] for d in documents.values())
        for doc_id, figures in documents.items():
            assert len(figures["facts"][count]) == figures[count], (doc_id, count)


def test_html_report_names_every_document(replayed: Replayed) -> None:
    assert replayed.result.exit_code == 0, replayed.result.output
    assert replayed.html.lstrip().lower().startswith("<!doctype html")
    for doc_id in DOC_IDS:
        assert doc_id in replayed.html


def _doctored_baseline(tmp_path: Path, f1: float) -> Path:
    data = json.loads(BASELINE.read_text(encoding="utf-8"))
    for run in data["runs"]:
        run["overall"]["f1"] = f1
        for part in run.get("sets", {}).values():
            part["overall"]["f1"] = f1
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_baseline_far_above_current_is_a_regression(replayed: Replayed, tmp_path: Path) -> None:
    now = replayed.report["runs"][0]["overall"]["f1"]
    baseline = _doctored_baseline(tmp_path, now + 0.2)
    result = _invoke(["--baseline", str(baseline), "--max-drop", "0.05"])
    assert result.exit_code == 1, result.output
    assert "regression" in result.output
    assert f"baseline {now + 0.2:.3f}" in result.output


def test_drop_within_max_drop_passes(replayed: Replayed, tmp_path: Path) -> None:
    now = replayed.report["runs"][0]["overall"]["f1"]
    baseline = _doctored_baseline(tmp_path, now + 0.2)
    result = _invoke(["--baseline", str(baseline), "--max-drop", "0.5"])
    assert result.exit_code == 0, result.output
    assert "regression" not in result.output
    assert "baseline ok" in result.output


def test_unrecorded_prompt_exits_2_and_names_the_record_command() -> None:
    result = _invoke(["--prompt", "nosuchprompt"])
    assert result.exit_code == 2, result.output
    output = _flat(result.output)
    assert "missing recording" in output
    assert "python -m eval --local --record --prompt nosuchprompt" in output
    assert "micro-F1" not in output


def _copy_recordings(tmp_path: Path, edit: str) -> tuple[Path, Path]:
    """The default prompt (with `edit` appended to its first system message: system.md, or
    ratings_system.md in a prompt of narrow questions only) and its recordings, copied."""
    prompts = tmp_path / "prompts"
    shutil.copytree(prompts_dir() / DEFAULT_PROMPT, prompts / DEFAULT_PROMPT)
    system = prompts / DEFAULT_PROMPT / "system.md"
    if not system.exists():
        system = prompts / DEFAULT_PROMPT / "ratings_system.md"
    system.write_text(system.read_text(encoding="utf-8") + edit, encoding="utf-8")
    cassettes = tmp_path / "cassettes"
    source = cassette_dir(DEFAULT_PROMPT)
    target = cassettes / source.relative_to(eval.recording.CASSETTES)
    shutil.copytree(source, target)
    return prompts, cassettes


def test_copied_recordings_replay_from_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control for the stale test: the copies alone change nothing."""
    prompts, cassettes = _copy_recordings(tmp_path, edit="")
    monkeypatch.setattr(eval.recording, "CASSETTES", cassettes)
    result = _invoke(["--doc", DOC_IDS[0]], EXTRACTOR_PROMPTS_DIR=str(prompts))
    assert result.exit_code == 0, result.output
    assert "stale" not in result.output


def test_edited_prompt_makes_recordings_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prompts, cassettes = _copy_recordings(tmp_path, edit="\n13. Be brief.\n")
    monkeypatch.setattr(eval.recording, "CASSETTES", cassettes)
    result = _invoke([], EXTRACTOR_PROMPTS_DIR=str(prompts))
    assert result.exit_code == 2, result.output
    output = _flat(result.output)
    for doc_id in SAMPLE_IDS:  # every sample asks the model something
        assert f"stale recording {doc_id}" in output
    assert f"re-record: python -m eval --local --record --prompt {DEFAULT_PROMPT}" in output


def test_record_without_live_or_local_is_a_usage_error() -> None:
    result = _invoke(["--record"])
    assert result.exit_code == 2, result.output
    assert "--record needs --live or --local" in result.output


def test_baseline_written_by_the_same_run_is_no_regression(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--json` rounds F1 to 4 decimals; a baseline that rounded up must not fail its own run.

    The run is made up (gold plus m invented metrics) so that its F1 rounds up.
    """
    doc_id = DOC_IDS[-1]
    gold = load_gold(doc_id)
    evidence = Evidence(quote="x", start=0, end=1)
    for m in range(1, 60):
        predicted = gold.model_copy(deep=True)
        predicted.metrics += [
            Metric(name=f"made-up figure {i}", value=1000 + i, unit="zz", evidence=evidence)
            for i in range(m)
        ]
        f1 = score_document(doc_id, gold, predicted).overall.f1
        if round(f1, 4) > f1 + 1e-9:
            break
    else:
        pytest.fail("no made-up run whose F1 rounds up")
    record = Record(
        doc_id=doc_id,
        source=f"eval/articles/{doc_id}.txt",
        status="ok",
        prompt=PromptInfo(name=DEFAULT_PROMPT, sha256="0" * 64),
        model=DEFAULT_RECORDED_MODEL,
        extraction=predicted,
    )

    def fake_replay(
        prompt: str, model: str, doc_ids: list[str] | None = None, sets: tuple[str, ...] = ()
    ) -> Run:
        return Run(prompt=prompt, model=model, mode="replay", sets=sets, records=[record])

    monkeypatch.setattr("eval.__main__.replay", fake_replay)
    written = tmp_path / "run.json"
    assert _invoke(["--json", str(written)]).exit_code == 0
    assert json.loads(written.read_text(encoding="utf-8"))["runs"][0]["overall"]["f1"] > f1

    result = _invoke(["--baseline", str(written)])
    assert result.exit_code == 0, result.output
    assert "baseline ok" in result.output

    # a real drop, however small, still fails at --max-drop 0
    data = json.loads(written.read_text(encoding="utf-8"))
    data["runs"][0]["overall"]["f1"] = round(f1, 4) + 0.0002
    for part in data["runs"][0].get("sets", {}).values():
        part["overall"]["f1"] = round(f1, 4) + 0.0002
    written.write_text(json.dumps(data), encoding="utf-8")
    result = _invoke(["--baseline", str(written)])
    assert result.exit_code == 1, result.output
    assert "regression" in result.output


def test_prompts_and_models_form_a_matrix(tmp_path: Path) -> None:
    """Two prompts x two models: four runs, the unrecorded model reported as missing."""
    out = tmp_path / "matrix.json"
    result = _invoke(
        ["--prompt", "v3", "--prompt", "v5", "--model", "qwen2.5-coder-1.5b-instruct",
         "--model", "no-such-model", "--json", str(out)]
    )  # fmt: skip
    assert result.exit_code == 2  # recordings missing for no-such-model
    runs = json.loads(out.read_text(encoding="utf-8"))["runs"]
    assert [(r["prompt"], r["model"]) for r in runs] == [
        ("v3", "qwen2.5-coder-1.5b-instruct"),
        ("v3", "no-such-model"),
        ("v5", "qwen2.5-coder-1.5b-instruct"),
        ("v5", "no-such-model"),
    ]
    assert [len(r["documents"]) for r in runs] == [5, 0, 5, 0]
    assert all(p["kind"] == "missing" for p in runs[1]["problems"])


def test_saved_records_are_scored_the_last_per_document(tmp_path: Path) -> None:
    """`--records` scores a results file: the gold itself scores 1.0, and a later record of
    the same document (a retry) replaces the earlier one."""
    lines = []
    for doc_id in DOC_IDS[:2]:
        empty = Record(doc_id=doc_id, source="x", status="ok", model="m",
                       prompt=PromptInfo(name="p", sha256="0"), extraction=None)  # fmt: skip
        lines.append(empty.model_dump_json())
        lines.append(empty.model_copy(update={"extraction": load_gold(doc_id)}).model_dump_json())
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "report.json"
    result = _invoke(["--records", str(path), "--set", "samples", "--json", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))["runs"][0]
    assert report["overall"]["f1"] == 1.0
    assert sorted(report["documents"]) == DOC_IDS[:2]
    assert result.exit_code == 2  # the other sample documents have no record: reported missing
    assert "no record in" in _flat(result.output)


def test_a_live_run_prints_a_line_as_each_document_is_done(
    capsys: pytest.CaptureFixture[str],
) -> None:
    show = _progress_line(2)
    long_id = "dev_03_north-central-london-four-of-five-with-a-name-longer-than-a-terminal"
    for doc_id, status in ((DOC_IDS[0], "ok"), (long_id, "error")):
        record = Record(doc_id=doc_id, source="x", status=status, model="m", seconds=81.6,
                        prompt=PromptInfo(name="p", sha256="0"), extraction=None)  # fmt: skip
        record.usage.prompt_tokens, record.usage.completion_tokens = 5312, 749
        show(record)
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"  1/2 {DOC_IDS[0]}: ok, 82 s, 5,312+749 tokens",
        f"  2/2 {long_id}: error, 82 s, 5,312+749 tokens",  # one line, never wrapped
    ]


def _without_vcrpy(tmp_path: Path) -> dict[str, str]:
    """An environment where `import vcr` fails, as in a venv without the dev extra."""
    blocker = tmp_path / "blocker" / "vcr"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text("raise ImportError(\"No module named 'vcr'\")\n")
    return cli_env(PYTHONPATH=str(blocker.parent))


def test_saved_records_are_scored_without_vcrpy_and_a_replay_says_what_it_needs(
    tmp_path: Path,
) -> None:
    doc_id = DOC_IDS[0]
    gold = Record(doc_id=doc_id, source="x", status="ok", model="m", extraction=load_gold(doc_id),
                  prompt=PromptInfo(name="p", sha256="0"))  # fmt: skip
    records = tmp_path / "results.jsonl"
    records.write_text(gold.model_dump_json() + "\n", encoding="utf-8")
    env = _without_vcrpy(tmp_path)
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "eval", "--set", "samples", "--doc", doc_id]

    scored = subprocess.run(
        [*command, "--records", str(records)], env=env, cwd=root, capture_output=True, text=True
    )
    replayed = subprocess.run(command, env=env, cwd=root, capture_output=True, text=True)

    assert scored.returncode == 0, scored.stderr
    assert "micro-F1 1.000" in scored.stdout
    assert replayed.returncode == 2
    assert "Traceback" not in replayed.stderr + replayed.stdout
    said = _flat(replayed.stdout)
    assert "needs vcrpy" in said and "pip install -e '.[dev]'" in said  # [dev] is no markup


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ("dev_99_not-an-article", "no document 'dev_99_not-an-article' in the dev set"),
        ("000_78c055c3b7e0ff81", "no document '000_78c055c3b7e0ff81' in the dev set"),
        ("dev_1", "'dev_1' begins"),
    ],
)
def test_a_doc_matching_no_document_or_several_is_a_usage_error(doc: str, message: str) -> None:
    result = _invoke(["--set", "dev", "--doc", doc])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_a_doc_may_be_the_start_of_one_id() -> None:
    from eval.sets import resolve_doc_ids

    assert resolve_doc_ids(("dev",), ["dev_33", "dev_04_north"]) == [
        "dev_33_healthwatch-mental-health",
        "dev_04_north-kent-three-ccgs",
    ]
    assert resolve_doc_ids(("samples",), ["000_78c055c3b7e0ff81"]) == ["000_78c055c3b7e0ff81"]


def test_a_number_in_a_doc_is_read_whole() -> None:
    """`dev_10` is dev_10's id, not also dev_100's; `dev_1` begins all of dev_10 to dev_19 and
    dev_100 and dev_101, and names none of them."""
    from eval.sets import resolve_doc_ids, set_doc_ids

    ids = set_doc_ids(("dev",))
    assert resolve_doc_ids(("dev",), ["dev_10", "dev_100", "dev_101_lincs"]) == [
        next(d for d in ids if d.startswith(prefix))
        for prefix in ("dev_10_", "dev_100_", "dev_101_")
    ]
    with pytest.raises(
        ValueError, match=f"'dev_1' begins {sum(d.startswith('dev_1') for d in ids)} "
    ):
        resolve_doc_ids(("dev",), ["dev_1"])
