"""Ask the model again about a CCG whose rating a sentence of its own contradicts.

A small model often gives every CCG of an article the rating of its group ("five of the six
CCGs were rated inadequate"), including the one CCG a later sentence rates otherwise ("East
Riverside CCG retained its good rating"). Grounding drops such a rating (`assemble`). A prompt
with a `recheck.md` then asks once more for each such CCG, showing the model the sentences
that name it and nothing of its first rating: the model, not code, reads the new rating, and
its answer is grounded like any other. Each recheck branches from the first answer, like a
follow-up, so a server's prompt cache is reused. A failed recheck keeps what grounding kept.
"""

from __future__ import annotations

import re

from extractor.answer.article import ArticleAnswer
from extractor.errors import ExtractorError
from extractor.inputs.reading import ArticleReading
from extractor.model.client import CallOutcome, ModelClient
from extractor.model.follow_up import added_usage
from extractor.names.reference_table import canonical_key
from extractor.proof.assemble import Assembled, assemble
from extractor.proof.overall import CONTRADICTED
from extractor.schema import DroppedFact, Usage

__all__ = ["MAX_RECHECKS", "recheck_ratings", "recheck_turn", "with_rechecked"]

MAX_RECHECKS = 3
"""At most this many CCGs of one article are asked about again."""
_SLOT = re.compile(r"\{\{(ccg|ccg_sentences)\}\}")
"""The two slots of `recheck.md`."""
_FIRST_ANSWER = "(first answer) "
_ASKED_AGAIN = "; asked again with the sentences naming the CCG"


def recheck_turn(template: str, ccg: str, sentences: tuple[str, ...]) -> str:
    """`template` with `{{ccg}}` (the name as the model wrote it) and `{{ccg_sentences}}`
    (one "- sentence" line each) filled in one pass, so neither value is read as a slot."""
    values = {"ccg": ccg, "ccg_sentences": "\n".join(f"- {s}" for s in sentences)}
    return _SLOT.sub(lambda match: values[match.group(1)], template)


def with_rechecked(answer: ArticleAnswer, ccg: str, later: ArticleAnswer) -> ArticleAnswer:
    """`answer` with the overall rating, previous rating, financial concerns and evidence of
    `ccg` taken from the later answer's assessment of the same CCG (its year too, if given);
    its area ratings and indicators are kept. Unchanged when the later answer has none."""
    key = canonical_key(ccg)
    again = next((a for a in later.assessments if canonical_key(a.ccg) == key), None)
    if again is None:
        return answer
    assessments = []
    for assessment in answer.assessments:
        if canonical_key(assessment.ccg) == key:
            assessment = assessment.model_copy(
                update={
                    "year": again.year or assessment.year,
                    "evidence": again.evidence,
                    "overall": again.overall,
                    "previous_overall": again.previous_overall,
                    "financial_concerns": again.financial_concerns,
                }
            )
        assessments.append(assessment)
    # A new model, not model_copy: the old answer's cached grounding must not carry over.
    return ArticleAnswer.model_validate(
        {**answer.model_dump(), "assessments": [a.model_dump() for a in assessments]}
    )


async def recheck_ratings(
    client: ModelClient,
    messages: list[dict[str, str]],
    outcome: CallOutcome,
    assembled: Assembled,
    template: str,
    article: str,
    *,
    doc_id: str,
    reading: ArticleReading | None = None,
) -> tuple[CallOutcome, Assembled]:
    """Ask `template` about each contradicted CCG (at most `MAX_RECHECKS`), then ground the
    answer again (against the article's `reading`, `inputs.reading`). The first answer's
    dropped ratings stay listed, marked as asked again."""
    contradicted = assembled.contradicted
    if not contradicted:
        return outcome, assembled
    first = outcome.first_answer or outcome.answer
    prefix = [*messages, {"role": "assistant", "content": first.model_dump_json()}]
    answer, usage, removed = outcome.answer, outcome.usage, list(outcome.removed)
    error, validated, asked = outcome.followup_error, outcome.validated, []
    for ccg, sentences in list(contradicted.items())[:MAX_RECHECKS]:
        turn = {"role": "user", "content": recheck_turn(template, ccg, sentences)}
        try:
            later = await client.ask([*prefix, turn], article, doc_id=doc_id, reading=reading)
        except ExtractorError as exc:
            error = error or f"(recheck) {exc.message}"
            spent = getattr(exc, "usage", None)
            if isinstance(spent, Usage):
                usage = added_usage(usage, spent)
            continue
        usage = added_usage(usage, later.usage)
        validated = validated and later.validated
        removed += [f"(recheck) {path}" for path in later.removed]
        answer = with_rechecked(answer, ccg, later.answer)
        asked.append(canonical_key(ccg))
    regrounded = assemble(answer, article, reading)
    paths = {
        f"assessments[{i}].overall"
        for i, assessment in enumerate(outcome.answer.assessments)
        if canonical_key(assessment.ccg) in asked
    }
    earlier = [
        DroppedFact(path=_FIRST_ANSWER + d.path, quote=d.quote, reason=d.reason + _ASKED_AGAIN)
        for d in assembled.dropped
        if d.path in paths and d.reason == CONTRADICTED
    ]
    regrounded.dropped[:0] = earlier
    rechecked = CallOutcome(
        answer=answer,
        usage=usage,
        validated=validated,
        last_problem=outcome.last_problem,
        cut_short=outcome.cut_short,
        removed=removed,
        followup_error=error,
        first_answer=first,
    )
    return rechecked, regrounded
