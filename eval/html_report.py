"""One self-contained HTML page for eyeballing runs: every article twice, gold against predicted.

For each run (prompt x model) and each document the article is shown side by side, the gold
evidence spans highlighted on the left and the predicted ones on the right. Each highlight is
a `<mark>` whose tooltip names the facts the span supports; its colour says the fact kind
(rating, metric, quote, national) and its underline whether the scorer matched the fact
(found / true positive: solid green; missed / false positive: dashed red; none when a span
carries both, or when duplicate facts make the pairing ambiguous). Overlapping spans are
handled by cutting the text at every span boundary, so the markup is flat and never nested.
Above the columns a table lists the document's found, missed and wrong facts; the page opens
with a per-run summary (micro P/R/F1 and F1 per fact type). No scripts, no external assets.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from eval.report import ScoredRun, load_gold
from eval.scoring import FACT_TYPES, DocumentScore, Fact, Tally, facts_of
from eval.sets import article_path
from extractor.schema import Evidence, Extraction, Record

__all__ = ["ArticleLoader", "GoldLoader", "render_html", "write_html"]

ArticleLoader = Callable[[str], str]
GoldLoader = Callable[[str], Extraction]

_CSS = """
body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.4em 0}
th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
ul{margin:0;padding-left:1.2em}
summary{cursor:pointer;font-weight:600;margin:.6em 0}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:1em}
.article{white-space:pre-wrap;font:13px/1.55 Georgia,serif;border:1px solid #ddd;
 padding:.6em;background:#fcfcfc;overflow-wrap:anywhere}
.error{white-space:pre-wrap;background:#ffebe9;border:1px solid #cf222e;padding:.4em;
 margin-bottom:.4em}
.note{color:#666;font-size:12px}
mark{color:inherit;border-radius:2px;padding:0}
.k-rating{background:#cfe3ff}.k-metric{background:#d3f4d3}.k-quote{background:#eadbff}
.k-national{background:#ffe0bd}.k-mixed{background:#f3ea9a}
mark.multi{outline:1px solid #0003}
.s-hit{border-bottom:2px solid #1a7f37}.s-miss{border-bottom:2px dashed #cf222e}
"""
_WORDS = {"gold": ("found", "missed"), "predicted": ("TP", "FP")}


@dataclass(frozen=True)
class _Span:
    """An evidence span and the facts it supports."""

    start: int
    end: int
    kind: str
    facts: tuple[Fact, ...]


def _spans(extraction: Extraction) -> list[_Span]:
    """Every evidence span of an extraction, with its facts built exactly as the scorer does."""
    spans: list[_Span] = []

    def add(evidence: Evidence, kind: str, facts: list[Fact]) -> None:
        spans.append(_Span(evidence.start, evidence.end, kind, tuple(facts)))

    for assessment in extraction.assessments:
        cleared: dict[str, object] = {
            "areas": [],
            "indicators": [],
            "previous_overall": None,
            "financial_concerns": None,
        }
        bare = assessment.model_copy(update=cleared)
        if assessment.evidence is not None:
            own = facts_of(Extraction(assessments=[bare]))
            add(assessment.evidence, "rating", own["overall"] or own["ccg"])
        for fact, proof in (
            ("previous_overall", assessment.previous_evidence),
            ("financial_concerns", assessment.financial_evidence),
        ):
            if proof is not None:
                one = bare.model_copy(update={"overall": None, fact: getattr(assessment, fact)})
                add(proof, "rating", facts_of(Extraction(assessments=[one]))[fact])
        for area in assessment.areas:
            one = bare.model_copy(update={"overall": None, "areas": [area]})
            add(area.evidence, "rating", facts_of(Extraction(assessments=[one]))["area"])
        for indicator in assessment.indicators:
            one = bare.model_copy(update={"overall": None, "indicators": [indicator]})
            facts = facts_of(Extraction(assessments=[one]))["indicator"]
            add(indicator.evidence, "rating", facts)
    if extraction.published_evidence is not None:
        dated = Extraction(published=extraction.published)
        add(extraction.published_evidence, "national", facts_of(dated)["published"])
    for metric in extraction.metrics:
        add(metric.evidence, "metric", facts_of(Extraction(metrics=[metric]))["metric"])
    for quote in extraction.quotes:
        add(quote.evidence, "quote", facts_of(Extraction(quotes=[quote]))["quote"])
    if extraction.national is not None:
        national = extraction.national
        figures = facts_of(Extraction(national=national))["national"]
        for sentence in [national.evidence, *national.further_evidence]:
            add(sentence, "national", figures)  # each sentence is marked with every figure
    return spans


def _ident(fact: Fact) -> tuple[str, str, str]:
    # The scorer keeps one quote fact per speaker, compared case-insensitively.
    value = fact.value.lower() if fact.type == "quote" else fact.value
    return fact.type, fact.key, value


def _status(fact: Fact, side: list[Fact], wrong: list[Fact]) -> str:
    """`hit` when the scorer matched this fact, `miss` when not, `unsure` when duplicates
    of it were partly matched (so which one a span stands for cannot be told)."""
    key = _ident(fact)
    n_side = sum(_ident(f) == key for f in side)
    n_wrong = sum(_ident(f) == key for f in wrong)
    if n_side and not n_wrong:
        return "hit"
    return "miss" if n_side and n_wrong >= n_side else "unsure"


def _mark(active: list[_Span], statuses: dict[Fact, str], words: tuple[str, str]) -> str:
    kinds = {s.kind for s in active}
    facts = list(dict.fromkeys(f for s in active for f in s.facts))
    found = {statuses[f] for f in facts}
    status = found.pop() if len(found) == 1 else "unsure"
    names = {"hit": words[0], "miss": words[1], "unsure": "?"}
    lines = [f"{f.type}: {f.label} [{names[statuses[f]]}]" for f in facts]
    lines = lines or [f"{kind} (no scored fact)" for kind in sorted(kinds)]
    classes = [f"k-{kinds.pop() if len(kinds) == 1 else 'mixed'}", f"s-{status}"]
    if len(active) > 1:
        classes.append("multi")
    title = html.escape("\n".join(lines))
    return f'<mark class="{" ".join(classes)}" title="{title}">'


def _highlight(text: str, spans: list[_Span], side: list[Fact], wrong: list[Fact], col: str) -> str:
    """The escaped article with every span marked; text is cut at every span boundary."""
    inside = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    statuses = {f: _status(f, side, wrong) for s in inside for f in s.facts}
    bounds = sorted({0, len(text), *(s.start for s in inside), *(s.end for s in inside)})
    out = []
    for a, b in itertools.pairwise(bounds):
        piece = html.escape(text[a:b])
        active = [s for s in inside if s.start <= a and b <= s.end]
        out.append(f"{_mark(active, statuses, _WORDS[col])}{piece}</mark>" if active else piece)
    note = ""
    if len(inside) < len(spans):
        note = f'<p class="note">{len(spans) - len(inside)} span(s) outside the article</p>'
    return f'{note}<div class="article">{"".join(out)}</div>'


def _all(facts: dict[str, list[Fact]]) -> list[Fact]:
    return [f for name in FACT_TYPES for f in facts.get(name, [])]


def _items(facts: list[Fact]) -> str:
    items = "".join(f"<li>{html.escape(f'{f.type}: {f.label}')}</li>" for f in facts)
    return f"<ul>{items}</ul>"


def _prf(tally: Tally) -> str:
    return "".join(f'<td class="n">{v:.2f}</td>' for v in (tally.precision, tally.recall, tally.f1))


def _document(
    score: DocumentScore, record: Record | None, text: str, gold: Extraction, anchor: str
) -> str:
    tally = score.overall
    predicted = record.extraction if record is not None else None
    status = "missing record" if record is None else record.status
    head = (
        f"{html.escape(score.doc_id)} \u2014 {html.escape(status)} \u2014 F1 {tally.f1:.2f} "
        f"(TP {len(tally.tp)}, FN {len(tally.fn)}, FP {len(tally.fp)})"
    )
    facts = (
        "<table><tr><th>found (TP)</th><th>missed (FN)</th><th>wrong (FP)</th>"
        "<th>P</th><th>R</th><th>F1</th></tr>"
        f"<tr><td>{_items(tally.tp)}</td><td>{_items(tally.fn)}</td>"
        f"<td>{_items(tally.fp)}</td>{_prf(tally)}</tr></table>"
    )
    note = ""
    if record is not None and record.dropped_facts:
        items = "".join(f"<li>{html.escape(f'{d.path}: {d.reason}')}</li>" for d in record.dropped)
        note = (
            f'<details class="note"><summary>{record.dropped_facts} fact(s) dropped as '
            f"ungrounded</summary><ul>{items}</ul></details>"
        )
    left = _highlight(text, _spans(gold), _all(facts_of(gold)), tally.fn, "gold")
    right = ""
    if record is not None and record.error is not None:
        error = f"{record.error.type}: {record.error.message}"
        right = f'<div class="error">error {html.escape(error)}</div>'
    elif predicted is None:
        right = '<div class="error">no extraction</div>'
    spans = _spans(predicted) if predicted is not None else []
    right += _highlight(text, spans, _all(facts_of(predicted)), tally.fp, "predicted")
    opened = "" if tally.f1 == 1.0 and status == "ok" else " open"
    return (
        f'<details id="{html.escape(anchor)}"{opened}><summary>{head}</summary>{facts}{note}'
        f'<div class="cols"><div><h4>gold</h4>{left}</div>'
        f"<div><h4>predicted</h4>{right}</div></div></details>"
    )


def _summary(runs: list[ScoredRun]) -> str:
    head = "".join(f"<th>{html.escape(name)}</th>" for name in FACT_TYPES)
    rows = []
    for i, scored in enumerate(runs):
        errors = sum(r.status == "error" for r in scored.records.values())
        per_type = "".join(f'<td class="n">{t.f1:.2f}</td>' for t in scored.by_type.values())
        rows.append(
            f'<tr><td><a href="#run-{i}">{html.escape(scored.label)}</a></td>'
            f'<td>{html.escape(scored.run.mode)}</td><td class="n">{len(scored.documents)}</td>'
            f'<td class="n">{errors}</td>{_prf(scored.overall)}{per_type}</tr>'
        )
    return (
        "<table><tr><th>run</th><th>mode</th><th>docs</th><th>errors</th><th>P</th><th>R</th>"
        f"<th>F1</th>{head}</tr>{''.join(rows)}</table>"
        '<p class="note">Micro-averaged P/R/F1, then F1 per fact type. Highlights: '
        '<mark class="k-rating">rating</mark> <mark class="k-metric">metric</mark> '
        '<mark class="k-quote">quote</mark> <mark class="k-national">national, date</mark> '
        '<mark class="k-mixed">several kinds</mark>; <mark class="k-rating s-hit">found / TP'
        '</mark> <mark class="k-rating s-miss">missed / FP</mark>; hover for the facts.</p>'
    )


def _read_article(doc_id: str) -> str:
    return article_path(doc_id).read_text(encoding="utf-8")


def render_html(
    runs: list[ScoredRun], *, article: ArticleLoader | None = None, gold: GoldLoader | None = None
) -> str:
    """The whole report page as a string. `article` and `gold` map a doc id to the article text
    and the gold extraction; they default to the files under `eval/articles` and `eval/gold`."""
    read_article, read_gold = article or _read_article, gold or load_gold
    texts: dict[str, str] = {}
    golds: dict[str, Extraction] = {}
    sections = []
    for i, scored in enumerate(runs):
        parts = [f'<h2 id="run-{i}">{html.escape(scored.label)}</h2>']
        for problem in scored.run.problems:
            detail = f"{problem.kind} recording {problem.doc_id}: {problem.detail}"
            parts.append(f'<p class="note">{html.escape(detail)}</p>')
        for score in scored.documents:
            doc_id = score.doc_id
            if doc_id not in texts:
                texts[doc_id], golds[doc_id] = read_article(doc_id), read_gold(doc_id)
            record = scored.records.get(doc_id)
            anchor = f"run-{i}-{doc_id}"
            parts.append(_document(score, record, texts[doc_id], golds[doc_id], anchor))
        sections.append("<section>" + "".join(parts) + "</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>ccg-extractor eval</title><style>{_CSS}</style></head><body>"
        f"<h1>ccg-extractor eval</h1>{_summary(runs)}{''.join(sections)}</body></html>\n"
    )


def write_html(runs: list[ScoredRun], path: Path) -> None:
    """Write `render_html(runs)` to `path` (UTF-8), creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(runs), encoding="utf-8")
