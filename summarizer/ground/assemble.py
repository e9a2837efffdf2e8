"""Turn the model's extraction into checkable records: ground, normalise, warn.

This is the stage after validation. For every record it finds the evidence in the
article (:func:`summarizer.grounding.locate`), replaces the model's numbers by the
ones code parses from the text (:func:`summarizer.normalize.normalize_statistic`),
merges the duplicates that chunk overlaps produce, and says in ``warnings``
whatever does not hold up. It is deterministic: the same extraction and text give
the same result, whether the extraction came from the model or the cache.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from summarizer.ground.align import locate
from summarizer.ground.normalize import normalize_statistic
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    Extraction,
    Milestone,
    Provenance,
    Quote,
    Statistic,
)

__all__ = ["ExtractedPart", "build_result", "quote_check"]

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")


@dataclass(frozen=True, slots=True)
class ExtractedPart:
    """One chunk's extraction and where the chunk starts in the article."""

    start: int
    extraction: Extraction


def quote_check(article: str, *, reasks: int = 1) -> Callable[[Extraction], None]:
    """A validation-context check: quotes must be verbatim in ``article``.

    The first ``reasks`` times it finds a quote that is not (up to typography), it
    raises ``ValueError`` naming the quotes, which instructor sends back to the
    model; after that it lets the answer through, and grounding flags the quote.
    """
    failures = [0]

    def check(extraction: Extraction) -> None:
        bad = []
        for i, quote in enumerate(extraction.quotes, 1):
            found = locate(quote.text, article)
            if found is None or found.match != "exact":
                bad.append(f"quote {i} (speaker {quote.speaker!r}): {quote.text[:80]!r}")
        if bad and failures[0] < reasks:
            failures[0] += 1
            raise ValueError(
                "these quotes are not verbatim in the article: "
                + "; ".join(bad)
                + ". Copy the quoted words exactly as the article writes them, or drop the quote."
            )

    return check


def _evidence(span_text: str, article: str, hint: int) -> Evidence:
    found = locate(span_text, article, start_hint=hint)
    if found is None:
        return Evidence(text=span_text, match="none")
    return Evidence(
        text=article[found.start : found.end],
        start=found.start,
        end=found.end,
        match=found.match,
        score=round(found.score, 1),
    )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_result(
    document: Document,
    text: str,
    parts: Sequence[ExtractedPart],
    provenance: Provenance,
    *,
    warnings: Sequence[str] = (),
) -> ArticleResult:
    """Ground and normalise ``parts`` against ``text`` into an :class:`ArticleResult`."""
    notes = list(warnings)
    milestones: dict[tuple[object, ...], Milestone] = {}
    statistics: dict[tuple[object, ...], Statistic] = {}
    quotes: dict[tuple[object, ...], Quote] = {}

    key: tuple[object, ...]
    for part in parts:
        ex = part.extraction
        for m in ex.milestones:
            ev = _evidence(m.evidence, text, part.start)
            if ev.match == "none":
                notes.append(f"milestone {_short(m.event)!r}: evidence not found in the article")
            key = (
                ("m", m.date, ev.start, ev.end) if ev.start is not None else ("m", m.date, m.event)
            )
            milestones.setdefault(
                key, Milestone(date=m.date, event=m.event, actors=m.actors, evidence=ev)
            )

        for s in ex.statistics:
            ev = _evidence(s.evidence, text, part.start)
            norm = normalize_statistic(
                s, evidence=ev.text if ev.match != "none" else s.evidence, context=text
            )
            notes.extend(norm.warnings)
            if ev.match == "none":
                notes.append(f"statistic {_short(s.metric)!r}: evidence not found in the article")
            elif s.value_text and s.value_text not in ev.text and s.value_text not in text:
                notes.append(
                    f"statistic {_short(s.metric)!r}: value_text {s.value_text!r} "
                    "does not occur in the article"
                )
            key = (
                ("s", ev.start, ev.end, norm.value, norm.unit)
                if ev.start is not None
                else ("s", s.metric, s.value_text)
            )
            statistics.setdefault(
                key,
                Statistic(
                    metric=s.metric,
                    value=norm.value,
                    unit=norm.unit,
                    value_text=s.value_text,
                    qualifier=norm.qualifier,
                    period=norm.period,
                    equivalents=list(norm.equivalents),
                    value_source=norm.value_source,
                    evidence=ev,
                ),
            )

        for q in ex.quotes:
            ev = _evidence(q.text, text, part.start)
            if ev.match == "none":
                notes.append(
                    f"quote by {q.speaker}: {_short(q.text)!r} is not in the article "
                    "(paraphrased or invented)"
                )
            elif ev.match == "fuzzy":
                notes.append(
                    f"quote by {q.speaker}: {_short(q.text)!r} is not verbatim "
                    f"(fuzzy match, score {ev.score})"
                )
            key = ("q", ev.start, ev.end) if ev.start is not None else ("q", q.speaker, q.text)
            quotes.setdefault(
                key,
                Quote(speaker=q.speaker, speaker_role=q.speaker_role, text=q.text, evidence=ev),
            )

    return ArticleResult(
        document=document,
        summary=_merge_summaries([p.extraction.summary for p in parts]),
        milestones=list(milestones.values()),
        statistics=list(statistics.values()),
        quotes=list(quotes.values()),
        warnings=list(dict.fromkeys(notes)),
        provenance=provenance,
    )


def _merge_summaries(summaries: Sequence[str]) -> str:
    """One chunk: its summary. Several: the first sentence of each, at most four."""
    cleaned = [s.strip() for s in summaries if s.strip()]
    if len(cleaned) <= 1:
        return cleaned[0] if cleaned else ""
    firsts = [_SENTENCE_SPLIT.split(s, maxsplit=1)[0] for s in cleaned]
    return " ".join(firsts[:4])
