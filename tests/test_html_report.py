"""The HTML report: both columns show the article, spans are marked exactly, markup is sound."""

from __future__ import annotations

import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eval import sets as eval_sets
from eval.html_report import render_html, write_html
from eval.report import ScoredRun
from eval.runner import Run
from eval.scoring import score_document
from extractor.schema import (
    CCG,
    Area,
    AreaRating,
    Assessment,
    ErrorInfo,
    Evidence,
    Extraction,
    Metric,
    PromptInfo,
    Quote,
    Rating,
    Record,
)

TEXT = (
    "Acme CCG news\n"
    "Acme CCG has been rated 'good' overall for 2016/17.\n\n"
    "It was rated 'outstanding' for cancer <script>alert(1)</script> & more.\n\n"
    'The chair said: "We treated 85 per cent of patients within 62 days."\n\n'
    "Last year it was rated 'requires improvement', before its deficit was cleared.\n"
)
OVERALL = "Acme CCG has been rated 'good' overall for 2016/17."
CANCER = "It was rated 'outstanding' for cancer <script>alert(1)</script> & more."
SPEECH = "We treated 85 per cent of patients within 62 days."
FIGURE = "85 per cent of patients"
LAST_YEAR = "Last year it was rated 'requires improvement', before its deficit was cleared."
VOID = {"meta", "br", "hr", "img", "input", "link"}


def _ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def _assessment(overall: Rating, evidence: str, cancer: Rating | None = None) -> Assessment:
    areas = [AreaRating(area=Area.cancer, rating=cancer, evidence=_ev(CANCER))] if cancer else []
    return Assessment(
        ccg=CCG(name="Acme", as_written="Acme CCG"),
        year="2016/17",
        overall=overall,
        areas=areas,
        evidence=_ev(evidence),
    )


GOLD = Extraction(
    assessments=[_assessment(Rating.good, OVERALL, Rating.outstanding)],
    metrics=[Metric(name="patients treated in 62 days", value=85, unit="%", evidence=_ev(SPEECH))],
    quotes=[Quote(speaker="Jo Chair", text=SPEECH, evidence=_ev(SPEECH))],
)
# Right overall; wrong cancer rating; a wrong metric whose span overlaps the quote's span and
# starts inside it; a quote by a speaker whose name looks like markup.
PREDICTED = Extraction(
    assessments=[_assessment(Rating.good, OVERALL, Rating.inadequate)],
    metrics=[Metric(name="patients treated", value=58, unit="%", evidence=_ev(FIGURE))],
    quotes=[Quote(speaker="<b>Jo</b>", text=SPEECH, evidence=_ev(SPEECH + '"\n'))],
)


def _record(doc_id: str, extraction: Extraction | None, error: ErrorInfo | None = None) -> Record:
    return Record(
        doc_id=doc_id,
        source=f"{doc_id}.txt",
        status="ok" if error is None else "error",
        error=error,
        prompt=PromptInfo(name="v1", sha256="0" * 64),
        model="m",
        extraction=extraction,
    )


def _scored(*records: Record) -> ScoredRun:
    scored = ScoredRun(run=Run(prompt="v1", model="m", mode="replay", records=list(records)))
    for record in records:
        scored.documents.append(score_document(record.doc_id, GOLD, record.extraction))
        scored.records[record.doc_id] = record
    return scored


def _render(*records: Record) -> str:
    return render_html([_scored(*records)], article=lambda _: TEXT, gold=lambda _: GOLD)


class _Page(HTMLParser):
    """Checks that tags balance and collects every <mark> with its column and text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.columns = 0
        self.marks: list[tuple[int, dict[str, str], str]] = []
        self._mark: tuple[dict[str, str], list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "div" and values.get("class") == "article":
            self.columns += 1
        if tag == "mark":
            if self._mark is not None:
                self.problems.append("nested <mark>")
            self._mark = (values, [])
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()
        if tag == "mark" and self._mark is not None:
            self.marks.append((self.columns, self._mark[0], "".join(self._mark[1])))
            self._mark = None

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self._mark[1].append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    assert parser.problems == []
    assert parser.stack == []
    return parser


def test_article_appears_escaped_once_per_column() -> None:
    page = _render(_record("doc", PREDICTED))
    plain = re.sub(r"</?mark[^>]*>", "", page)
    assert plain.count(html.escape(TEXT)) == 2
    assert _parse(page).columns == 2


def test_gold_and_predicted_spans_are_marked_exactly() -> None:
    marks = _parse(_render(_record("doc", PREDICTED))).marks
    gold = {text: attrs for column, attrs, text in marks if column == 1}
    predicted = {text: attrs for column, attrs, text in marks if column == 2}
    assert "overall: acme overall=good [found]" in gold[OVERALL]["title"]
    assert "area: acme cancer=outstanding [missed]" in gold[CANCER]["title"]
    assert "s-hit" in predicted[OVERALL]["class"].split()
    assert "k-rating" in predicted[OVERALL]["class"].split()
    assert "overall=good [TP]" in predicted[OVERALL]["title"]
    assert "s-miss" in predicted[CANCER]["class"].split()
    assert "cancer=inadequate [FP]" in predicted[CANCER]["title"]


def test_last_years_rating_and_financial_concerns_are_marked_with_their_facts() -> None:
    unquoted = {
        "previous_overall": Rating.requires_improvement,
        "previous_evidence": _ev(LAST_YEAR),
        "financial_concerns": False,
        "financial_evidence": _ev(LAST_YEAR),
    }
    [acme] = PREDICTED.assessments
    predicted = PREDICTED.model_copy(update={"assessments": [acme.model_copy(update=unquoted)]})
    marks = _parse(_render(_record("doc", predicted))).marks
    [title] = [attrs["title"] for column, attrs, text in marks if column == 2 and text == LAST_YEAR]
    assert "previous_overall: acme previous=requires_improvement [FP]" in title
    assert "financial_concerns: acme financial_concerns=false [FP]" in title


def test_the_publication_sentence_is_marked_with_the_date() -> None:
    dated = PREDICTED.model_copy(
        update={"published": date(2017, 7, 19), "published_evidence": _ev(LAST_YEAR)}
    )
    marks = _parse(_render(_record("doc", dated))).marks
    [title] = [attrs["title"] for column, attrs, text in marks if column == 2 and text == LAST_YEAR]
    assert "published: 2017-07-19 [FP]" in title


def test_overlapping_spans_are_split_into_flat_well_formed_marks() -> None:
    page = _render(_record("doc", PREDICTED))
    marks = [(attrs, text) for column, attrs, text in _parse(page).marks if column == 2]
    quote_start = TEXT.index(SPEECH)
    figure_start = TEXT.index(FIGURE)
    quote_end = quote_start + len(SPEECH) + 2
    pieces = [text for _, text in marks]
    # The quote span is cut where the metric span starts and ends.
    assert pieces[-3:] == [
        TEXT[quote_start:figure_start],
        FIGURE,
        TEXT[figure_start + len(FIGURE) : quote_end],
    ]
    middle = marks[-2][0]
    assert "metric: (system) patients treated: 58 % [FP]" in middle["title"]
    assert "quote: <b>Jo</b>" in middle["title"]  # unescaped by the parser: it was escaped
    assert "k-mixed" in middle["class"].split()
    assert "<b>Jo</b>" not in page
    assert "&lt;b&gt;Jo&lt;/b&gt;" in page


def test_script_in_article_is_escaped() -> None:
    page = _render(_record("doc", PREDICTED))
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more." in page


def test_error_record_shows_its_error_and_the_plain_article() -> None:
    error = ErrorInfo(type="ExtractionFailed", message="no answer fitted <the schema>")
    page = _render(_record("doc", PREDICTED), _record("bad", None, error))
    parsed = _parse(page)
    assert "ExtractionFailed: no answer fitted &lt;the schema&gt;" in page
    assert parsed.columns == 4
    assert all(column != 4 for column, _, _ in parsed.marks)  # nothing predicted, no marks
    assert re.sub(r"</?mark[^>]*>", "", page).count(html.escape(TEXT)) == 4


def test_duplicate_facts_with_one_match_are_marked_neutral() -> None:
    twice = _assessment(Rating.good, OVERALL)
    twice.evidence = _ev(OVERALL.split(" overall")[0])  # a second, shorter span
    predicted = PREDICTED.model_copy(update={"assessments": [*PREDICTED.assessments, twice]})
    marks = _parse(_render(_record("doc", predicted))).marks
    classes = [attrs["class"].split() for column, attrs, _ in marks if column == 2]
    assert "s-unsure" in classes[0]  # one TP and one FP with the same label: cannot tell which


def test_summary_lists_micro_and_per_type_scores() -> None:
    page = _render(_record("doc", PREDICTED))
    summary = page[: page.index("<section>")]
    assert "v1 x m" in summary
    assert "<th>quote</th>" in summary and "<th>metric</th>" in summary


def test_write_html_reads_articles_and_gold_from_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "articles" / "doc.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "gold" / "doc.json").write_text(GOLD.model_dump_json(), encoding="utf-8")
    monkeypatch.setitem(eval_sets._FOLDERS, "samples", tmp_path)
    eval_sets._set_by_doc_id.cache_clear()
    out = tmp_path / "out" / "report.html"
    write_html([_scored(_record("doc", PREDICTED))], out)
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count('<div class="article">') == 2
    assert "&lt;script&gt;" in page
