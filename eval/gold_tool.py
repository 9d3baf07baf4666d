"""Write and check gold annotations: `python -m eval.gold_tool fill|check`.

An annotator writes a draft gold file by reading the article (see `eval/GUIDELINES.md`): the
facts, and for each fact the sentence that states it, copied from the article. `fill` turns
the draft into a gold file: it finds each quoted sentence in the article and writes its
offsets, fills a CCG's reference name from its ODS code, writes every field out and formats
the file canonically. `check` lists every way a gold file breaks the guidelines' mechanical
rules. Neither decides a fact: both only do what is tedious and easy to get wrong by hand.

In a draft, an evidence may be the quoted text alone (`"evidence": "The CCG was rated
good."`) or `{"quote": ..., "occurrence": 2}` for the second time the text occurs; a quote
entry may leave out its evidence (its `text` is the evidence); a CCG may give `ods_code`
and leave out `name`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from extractor.names.reference_table import canonical_key, reference_table
from extractor.schema import Evidence, Extraction
from extractor.text.quote_search import widen_to_sentence

__all__ = ["check_gold", "evidence_spans", "fill_draft", "gold_json"]

_QUOTE_MARKS = "\"'\u2018\u2019\u201c\u201d"
_EVIDENCE_KEYS = ("evidence", "previous_evidence", "financial_evidence", "published_evidence")


def _offsets(article: str, quote: str, occurrence: int) -> tuple[int, int]:
    position = -1
    for _ in range(occurrence):
        position = article.find(quote, position + 1)
        if position < 0:
            raise ValueError(f"not in the article (occurrence {occurrence}): {quote[:80]!r}")
    return position, position + len(quote)


def _evidence(article: str, value: Any) -> Any:
    """A draft evidence (text, or {quote, occurrence}) as a full evidence object."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"quote": value}
    quote = value["quote"].strip()
    start, end = _offsets(article, quote, int(value.get("occurrence", 1)))
    return {"quote": quote, "start": start, "end": end, "match": "exact", "score": 100.0}


def _fill_ccg(ccg: dict[str, Any]) -> dict[str, Any]:
    code = ccg.get("ods_code")
    if code:
        by_code = {row.ods_code: row.name for row in reference_table().values()}
        if code not in by_code:
            raise ValueError(f"ODS code {code!r} is not in the reference table")
        ccg = {**ccg, "name": ccg.get("name") or by_code[code]}
    return {"name": ccg["name"], "as_written": ccg["as_written"], "ods_code": code or None}


def fill_draft(draft: dict[str, Any], article: str) -> Extraction:
    """The gold `Extraction` a draft describes, with offsets found in `article`."""
    data = json.loads(json.dumps(draft))
    for key in _EVIDENCE_KEYS:
        if key in data:
            data[key] = _evidence(article, data[key])
    for assessment in data.get("assessments", []):
        assessment["ccg"] = _fill_ccg(assessment["ccg"])
        for key in _EVIDENCE_KEYS:
            if key in assessment:
                assessment[key] = _evidence(article, assessment[key])
        for item in assessment.get("areas", []) + assessment.get("indicators", []):
            item["evidence"] = _evidence(article, item["evidence"])
    national = data.get("national")
    if national:
        national["evidence"] = _evidence(article, national["evidence"])
        national["further_evidence"] = [
            _evidence(article, e) for e in national.get("further_evidence", [])
        ]
    for metric in data.get("metrics", []):
        metric["evidence"] = _evidence(article, metric["evidence"])
    for quote in data.get("quotes", []):
        quote["evidence"] = _evidence(article, quote.get("evidence") or quote["text"])
    return Extraction.model_validate(data)


def gold_json(extraction: Extraction) -> str:
    """The canonical text of a gold file: every field, 2-space indent, UTF-8 as is."""
    data = extraction.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def evidence_spans(extraction: Extraction) -> Iterator[tuple[str, Evidence]]:
    """Every evidence of an extraction with its path, e.g. ("assessments[0].areas[1]", ...)."""
    for i, assessment in enumerate(extraction.assessments):
        if assessment.evidence is not None:
            yield f"assessments[{i}]", assessment.evidence
        if assessment.previous_evidence is not None:
            yield f"assessments[{i}].previous_overall", assessment.previous_evidence
        if assessment.financial_evidence is not None:
            yield f"assessments[{i}].financial_concerns", assessment.financial_evidence
        for j, area in enumerate(assessment.areas):
            yield f"assessments[{i}].areas[{j}]", area.evidence
        for j, indicator in enumerate(assessment.indicators):
            yield f"assessments[{i}].indicators[{j}]", indicator.evidence
    if extraction.published_evidence is not None:
        yield "published", extraction.published_evidence
    if extraction.national is not None:
        yield "national", extraction.national.evidence
        for j, further in enumerate(extraction.national.further_evidence):
            yield f"national.further_evidence[{j}]", further
    for i, metric in enumerate(extraction.metrics):
        yield f"metrics[{i}]", metric.evidence
    for i, quote in enumerate(extraction.quotes):
        yield f"quotes[{i}]", quote.evidence


def _span_problems(extraction: Extraction, article: str) -> Iterator[str]:
    for path, evidence in evidence_spans(extraction):
        if article[evidence.start : evidence.end] != evidence.quote or not evidence.quote:
            yield f"{path}: the quote is not the article's text at its offsets"
            continue
        if evidence.quote != evidence.quote.strip():
            yield f"{path}: surrounding whitespace"
        if (evidence.match, evidence.score) != ("exact", 100.0):
            yield f"{path}: gold evidence is exact, score 100"
        if path.startswith("quotes"):
            if evidence.quote[0] in _QUOTE_MARKS or evidence.quote[-1] in _QUOTE_MARKS:
                yield f"{path}: a quote's text goes without its quotation marks"
        elif widen_to_sentence(article, evidence.start, evidence.start + 1) != (
            evidence.start,
            evidence.end,
        ):
            start, end = widen_to_sentence(article, evidence.start, evidence.start + 1)
            yield f"{path}: not one whole sentence; the sentence is {article[start:end]!r}"


def _ccg_problems(extraction: Extraction, article: str) -> Iterator[str]:
    table = reference_table()
    rows = {(row.name, row.ods_code) for row in table.values()}
    seen: set[str] = set()
    for i, assessment in enumerate(extraction.assessments):
        ccg = assessment.ccg
        if ccg.as_written not in article:
            yield f"assessments[{i}]: as_written {ccg.as_written!r} is not in the article"
        if ccg.ods_code is not None and (ccg.name, ccg.ods_code) not in rows:
            yield f"assessments[{i}]: {ccg.name!r} / {ccg.ods_code} is not a reference-table row"
        if ccg.ods_code is None and canonical_key(ccg.name) in table:
            yield f"assessments[{i}]: {ccg.name!r} is in the reference table; give its ODS code"
        key = ccg.ods_code or canonical_key(ccg.name)
        if key in seen:
            yield f"assessments[{i}]: a second assessment of {ccg.name!r} (one per CCG)"
        seen.add(key)
        pairs = {
            "overall": (assessment.overall, assessment.evidence),
            "previous_overall": (assessment.previous_overall, assessment.previous_evidence),
            "financial_concerns": (assessment.financial_concerns, assessment.financial_evidence),
        }
        for name, (fact, evidence) in pairs.items():
            if (fact is None) != (evidence is None):
                yield f"assessments[{i}].{name}: a fact has evidence exactly when it is set"
        if not (assessment.overall or assessment.areas or assessment.indicators):
            yield f"assessments[{i}]: no rating at all (an assessment reports a result)"


def check_gold(extraction: Extraction, article: str) -> list[str]:
    """Every mechanical rule of `eval/GUIDELINES.md` the gold file breaks (empty if none)."""
    from extractor.text.dates_and_numbers import mentions_number

    problems = [*_span_problems(extraction, article), *_ccg_problems(extraction, article)]
    if (extraction.published is None) != (extraction.published_evidence is None):
        problems.append("published: a date has evidence exactly when it is set")
    for i, quote in enumerate(extraction.quotes):
        if quote.text != quote.evidence.quote:
            problems.append(f"quotes[{i}]: text and evidence differ")
    national = extraction.national
    if national is not None:
        sentences = [national.evidence.quote] + [e.quote for e in national.further_evidence]
        figures = [(f"share {r}", v) for r, v in national.share_by_rating.items()]
        figures += [(f"count {r}", float(v)) for r, v in national.count_by_rating.items()]
        if national.ccgs_assessed is not None:
            figures.append(("assessed", float(national.ccgs_assessed)))
        for label, value in figures:
            if not any(mentions_number(sentence, value) for sentence in sentences):
                problems.append(f"national {label}: {value:g} is in none of its sentences")
    return problems


@click.group()
def main() -> None:
    """Write gold files from drafts and check them (see eval/GUIDELINES.md)."""


@main.command()
@click.argument("draft", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--article", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              required=True, help="The article the draft annotates.")  # fmt: skip
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
def fill(draft: Path, article: Path, out: Path) -> None:
    """Turn a DRAFT into a gold file: offsets, reference names, every field; then check it."""
    text = article.read_text(encoding="utf-8")
    try:
        extraction = fill_draft(json.loads(draft.read_text(encoding="utf-8")), text)
    except (ValueError, KeyError) as exc:
        raise click.ClickException(f"{draft}: {exc}") from exc
    out.write_text(gold_json(extraction), encoding="utf-8")
    problems = check_gold(extraction, text)
    for problem in problems:
        click.echo(f"{out}: {problem}", err=True)
    sys.exit(1 if problems else 0)


@main.command()
@click.argument("folders", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
def check(folders: tuple[Path, ...]) -> None:
    """Check every gold file of each set FOLDER (holding articles/ and gold/)."""
    failed = 0
    for folder in folders:
        for gold_file in sorted((folder / "gold").glob("*.json")):
            article_file = folder / "articles" / f"{gold_file.stem}.txt"
            if not article_file.exists():
                click.echo(f"{gold_file}: no article {article_file}")
                failed += 1
                continue
            text = gold_file.read_text(encoding="utf-8")
            extraction = Extraction.model_validate_json(text)
            problems = check_gold(extraction, article_file.read_text(encoding="utf-8"))
            if text != gold_json(extraction) and json.loads(text) != json.loads(
                gold_json(extraction)
            ):
                problems.append("not every field written out (re-run fill)")
            for problem in problems:
                click.echo(f"{gold_file}: {problem}")
            failed += bool(problems)
    click.echo(f"{failed} file(s) with problems")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
