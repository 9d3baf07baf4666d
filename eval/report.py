"""Score runs against gold and render the results: terminal tables, JSON, comparisons."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from eval.runner import Run
from eval.scoring import FACT_TYPES, DocumentScore, Tally, invented_ccgs, score_document, total
from eval.sets import article_path, load_gold, set_of
from extractor.schema import Record

__all__ = ["ScoredRun", "load_gold", "render", "render_comparison", "score_run", "to_json"]


@dataclass
class ScoredRun:
    """A run with its per-document scores and side figures."""

    run: Run
    documents: list[DocumentScore] = field(default_factory=list)
    records: dict[str, Record] = field(default_factory=dict)
    invented: dict[str, list[str]] = field(default_factory=dict)

    @property
    def by_type(self) -> dict[str, Tally]:
        """Micro-averaged tallies per fact type across documents."""
        return {name: total(d.by_type[name] for d in self.documents) for name in FACT_TYPES}

    @property
    def overall(self) -> Tally:
        """Everything together: the micro-F1 that decides."""
        return total(d.overall for d in self.documents)

    def by_set(self) -> dict[str, ScoredRun]:
        """The same run cut into one `ScoredRun` per gold set it scored documents of."""
        parts: dict[str, ScoredRun] = {}
        for score in self.documents:
            part = parts.setdefault(set_of(score.doc_id), ScoredRun(run=self.run))
            part.documents.append(score)
            part.records[score.doc_id] = self.records[score.doc_id]
            part.invented[score.doc_id] = self.invented[score.doc_id]
        return parts

    @property
    def label(self) -> str:
        """ "prompt x model" for headings."""
        return f"{self.run.prompt} x {self.run.model}"


def score_run(run: Run) -> ScoredRun:
    """Score every record of `run` against its gold file."""
    scored = ScoredRun(run=run)
    for record in run.records:
        gold = load_gold(record.doc_id)
        article = article_path(record.doc_id).read_text(encoding="utf-8")
        scored.documents.append(score_document(record.doc_id, gold, record.extraction))
        scored.records[record.doc_id] = record
        scored.invented[record.doc_id] = invented_ccgs(record.extraction, article)
    return scored


def _f(value: float) -> str:
    return f"{value:.2f}"


def render(scored: ScoredRun, console: Console) -> None:
    """Per fact type, per document and overall tables for one run."""
    run = scored.run
    console.print(f"\n[bold]{scored.label}[/bold] ({run.mode}, {len(run.records)} documents)")
    for problem in run.problems:
        console.print(
            f"[yellow]{problem.kind} recording[/yellow] {problem.doc_id}: {problem.detail}"
        )
    if not scored.documents:
        console.print("[red]no documents scored[/red]: nothing to report for this run")
        return
    types = Table("fact type", "P", "R", "F1", "TP", "FP", "FN", title="per fact type")
    for name, tally in scored.by_type.items():
        types.add_row(name, *_prf(tally))
    overall = scored.overall
    types.add_row("[bold]all (micro)[/bold]", *_prf(overall), end_section=True)
    console.print(types)
    documents = Table(
        "document",
        "status",
        "CCGs",
        "F1",
        "invented",
        "dropped",
        "tokens",
        "s",
        title="per document",
    )
    for score in scored.documents:
        record = scored.records[score.doc_id]
        found = score.by_type["ccg"]
        documents.add_row(
            score.doc_id,
            record.status
            if record.status == "ok"
            else f"error: {record.error.type if record.error else ''}",
            f"{len(found.tp) + len(found.fp)}/{len(found.tp) + len(found.fn)}",
            _f(score.overall.f1),
            str(len(scored.invented[score.doc_id])),
            str(record.dropped_facts),
            f"{record.usage.prompt_tokens}+{record.usage.completion_tokens}",
            f"{record.seconds or 0:.1f}" if run.mode != "replay" else "-",
        )
    console.print(documents)
    parts = scored.by_set()
    if len(parts) > 1:
        _render_sets(parts, overall, console)
    scores = f"P {overall.precision:.3f}, R {overall.recall:.3f}"
    console.print(f"[bold]micro-F1 {overall.f1:.3f}[/bold]  ({scores})")


def _render_sets(parts: dict[str, ScoredRun], overall: Tally, console: Console) -> None:
    """Each gold set apart and all together: micro P/R/F1 and every fact type's recall."""
    table = Table("set", "docs", "P", "R", "F1", *[f"R {n}" for n in FACT_TYPES], title="per set")
    for name, part in parts.items():
        tally = part.overall
        recalls = [_f(part.by_type[n].recall) for n in FACT_TYPES]
        table.add_row(name, str(len(part.documents)), *_prf(tally)[:3], *recalls)
    table.add_row("[bold]all[/bold]", "", *_prf(overall)[:3], *["" for _ in FACT_TYPES])
    console.print(table)


def _prf(tally: Tally) -> list[str]:
    return [
        _f(tally.precision),
        _f(tally.recall),
        _f(tally.f1),
        str(len(tally.tp)),
        str(len(tally.fp)),
        str(len(tally.fn)),
    ]


def render_comparison(runs: list[ScoredRun], console: Console) -> None:
    """Runs side by side per fact type, then the facts each later run gained or lost."""
    runs = [r for r in runs if r.documents]
    if len(runs) < 2:
        console.print(
            "[yellow]fewer than two runs scored any document: nothing to compare[/yellow]"
        )
        return
    table = Table("fact type", *[r.label for r in runs], title="F1 side by side")
    for name in FACT_TYPES:
        table.add_row(name, *[_f(r.by_type[name].f1) for r in runs])
    table.add_row("[bold]micro-F1[/bold]", *[f"[bold]{r.overall.f1:.3f}[/bold]" for r in runs])
    console.print(table)
    base = runs[0]
    for other in runs[1:]:
        console.print(f"\n[bold]{base.label} → {other.label}[/bold]")
        for doc_id in sorted(set(_docs(base)) | set(_docs(other))):
            gained, lost, new_wrong, fixed_wrong = _changes(base, other, doc_id)
            if not (gained or lost or new_wrong or fixed_wrong):
                continue
            console.print(f"  {doc_id}")
            for label in gained:
                console.print(f"    [green]+ found[/green] {label}")
            for label in lost:
                console.print(f"    [red]- lost[/red]  {label}")
            for label in new_wrong:
                console.print(f"    [red]+ wrong[/red] {label}")
            for label in fixed_wrong:
                console.print(f"    [green]- wrong[/green] {label}")


def _docs(scored: ScoredRun) -> dict[str, DocumentScore]:
    return {d.doc_id: d for d in scored.documents}


def _labels(score: DocumentScore | None, kind: str) -> set[str]:
    if score is None:
        return set()
    return {f"{f.type}: {f.label}" for t in score.by_type.values() for f in getattr(t, kind)}


def _changes(base: ScoredRun, other: ScoredRun, doc_id: str) -> tuple[list[str], ...]:
    a, b = _docs(base).get(doc_id), _docs(other).get(doc_id)
    tp_a, tp_b = _labels(a, "tp"), _labels(b, "tp")
    fp_a, fp_b = _labels(a, "fp"), _labels(b, "fp")
    return (
        sorted(tp_b - tp_a),
        sorted(tp_a - tp_b),
        sorted(fp_b - fp_a),
        sorted(fp_a - fp_b),
    )


def _tally_json(tally: Tally) -> dict[str, Any]:
    return {
        "precision": round(tally.precision, 4),
        "recall": round(tally.recall, 4),
        "f1": round(tally.f1, 4),
        "tp": len(tally.tp),
        "fp": len(tally.fp),
        "fn": len(tally.fn),
    }


def to_json(runs: list[ScoredRun]) -> dict[str, Any]:
    """Machine-readable results: the format of `--json` files and baselines."""
    out = []
    for scored in runs:
        documents = {}
        for score in scored.documents:
            record = scored.records[score.doc_id]
            documents[score.doc_id] = {
                "status": record.status,
                "error": record.error.model_dump() if record.error else None,
                **_tally_json(score.overall),
                "by_type": {n: _tally_json(t) for n, t in score.by_type.items()},
                "facts": {
                    kind: sorted(
                        f"{f.type}: {f.label}"
                        for t in score.by_type.values()
                        for f in getattr(t, kind)
                    )
                    for kind in ("tp", "fp", "fn")
                },
                "invented_ccgs": scored.invented[score.doc_id],
                "dropped_facts": record.dropped_facts,
                "prompt_tokens": record.usage.prompt_tokens,
                "completion_tokens": record.usage.completion_tokens,
                "attempts": record.usage.attempts,
                "seconds": record.seconds,
            }
        out.append(
            {
                "prompt": scored.run.prompt,
                "model": scored.run.model,
                "mode": scored.run.mode,
                "seconds": round(scored.run.seconds, 3),
                "overall": _tally_json(scored.overall),
                "by_type": {n: _tally_json(t) for n, t in scored.by_type.items()},
                "sets": {
                    name: {
                        "documents": len(part.documents),
                        "overall": _tally_json(part.overall),
                        "by_type": {n: _tally_json(t) for n, t in part.by_type.items()},
                    }
                    for name, part in scored.by_set().items()
                },
                "documents": documents,
                "problems": [p.__dict__ for p in scored.run.problems],
            }
        )
    return {"runs": out}


def write_json(runs: list[ScoredRun], path: Path) -> None:
    """Write `to_json(runs)` to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(to_json(runs), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
