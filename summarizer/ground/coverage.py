"""The recall cross-check: what the scanner finds in an article that no record covers.

An LLM run can skip a figure or a quote without any error. The scanner
(:func:`summarizer.ground.scan.scan`) finds the quantities and quoted passages with
exact offsets; :func:`uncovered` lists those that no record's evidence covers, so a
user sees what the model left out.

* A **quantity** counts when it has a unit (a bare number says too little) and is not a
  bracketed conversion of another amount. It is covered when a statistic's evidence
  span contains it.
* A **quoted passage** counts when it is speech (not a scare quote, title or term). It
  is covered when a quote's evidence span overlaps it.

Records without offsets (evidence not found) cover nothing.
"""

from __future__ import annotations

from summarizer.ground.scan import scan_reusing
from summarizer.records import ArticleResult, Coverage, Evidence, Uncovered

__all__ = ["Coverage", "Uncovered", "uncovered"]


def _spans(evidence: list[Evidence]) -> list[tuple[int, int]]:
    return [(e.start, e.end) for e in evidence if e.start is not None and e.end is not None]


def uncovered(
    text: str,
    result: ArticleResult,
    *,
    reference_date: str | None = None,
    title: str | None = None,
    model_text: str | None = None,
) -> Coverage:
    """Quantities and quoted passages in ``text`` that no record of ``result`` covers.

    ``text`` is the article as loaded (the text ``result``'s offsets index); ``title``
    defaults to ``result.document.title`` (the headline's figures are not candidates).
    ``model_text`` (the text the model read) lets the check reuse the candidates
    strategy's scan of it when that is the same scan (:func:`scan_reusing`).
    """
    found = scan_reusing(
        text,
        model_text,
        reference_date=reference_date,
        title=title if title is not None else result.document.title,
    )
    stats = _spans([s.evidence for s in result.statistics])
    quotes = _spans([q.evidence for q in result.quotes])
    coverage = Coverage()
    for q in found.quantities:
        if q.unit is None or q.equivalent_of is not None:
            continue
        coverage.scanned_quantities += 1
        if not any(a <= q.start and q.end <= b for a, b in stats):
            coverage.quantities.append(
                Uncovered(
                    kind="quantity",
                    start=q.start,
                    end=q.end,
                    text=q.text,
                    hint=q.metric,
                    sentence=q.sentence.text,
                )
            )
    for p in found.quotes:
        coverage.scanned_quotes += 1
        if not any(a < p.end and p.start < b for a, b in quotes):
            coverage.quotes.append(
                Uncovered(
                    kind="quote",
                    start=p.start,
                    end=p.end,
                    text=p.text,
                    hint=p.speaker,
                    sentence=p.sentence.text,
                )
            )
    return coverage
