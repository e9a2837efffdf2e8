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
from collections.abc import Sequence
from dataclasses import dataclass

from summarizer.ground.align import locate
from summarizer.ground.normalize import normalize_statistic, parse_period
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    Extraction,
    Milestone,
    Provenance,
    Quote,
    Statistic,
    is_partial_iso_date,
)

__all__ = ["ExtractedPart", "build_result"]

_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“‘'(])")


@dataclass(frozen=True, slots=True)
class ExtractedPart:
    """One chunk's extraction and where the chunk starts in the article."""

    start: int
    extraction: Extraction


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


def _resolve_date(phrase: str | None, reference_date: str | None) -> str | None:
    """A partial ISO date for the model's words ("June 2023", "last year"), or None.

    The model-facing schema keeps dates as text: code resolves them, relative ones
    against the article's date, rather than rejecting the record.
    """
    if phrase is None:
        return None
    phrase = phrase.strip()
    if is_partial_iso_date(phrase):
        return phrase
    return parse_period(phrase, reference_date=reference_date)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_result(
    document: Document,
    text: str,
    parts: Sequence[ExtractedPart],
    provenance: Provenance,
    *,
    warnings: Sequence[str] = (),
    reference_date: str | None = None,
) -> ArticleResult:
    """Ground and normalise ``parts`` against ``text`` into an :class:`ArticleResult`.

    ``reference_date`` (the article's publication date, ISO) resolves relative dates
    and periods such as "last year".
    """
    notes = list(warnings)
    milestones: dict[tuple[object, ...], Milestone] = {}
    statistics: dict[tuple[object, ...], Statistic] = {}
    quotes: dict[tuple[object, ...], Quote] = {}

    key: tuple[object, ...]
    for part in parts:
        ex = part.extraction
        for m in ex.milestones:
            # No evidence given: the event's own words may still be the article's.
            ev = _evidence(m.evidence or m.event, text, part.start)
            if ev.match == "none":
                notes.append(f"milestone {_short(m.event)!r}: evidence not found in the article")
            date = _resolve_date(m.date, reference_date)
            if m.date and date is None:
                notes.append(f"milestone {_short(m.event)!r}: date {m.date!r} left null")
            key = ("m", date, ev.start, ev.end) if ev.start is not None else ("m", date, m.event)
            milestones.setdefault(
                key, Milestone(date=date, event=m.event, actors=m.actors, evidence=ev)
            )

        for s in ex.statistics:
            # A period in words is resolved here; the evidence is read when it is not.
            if s.period and (period := _resolve_date(s.period, reference_date)) != s.period:
                s = s.model_copy(update={"period": period})
            ev = _evidence(s.evidence or s.value_text, text, part.start)
            norm = normalize_statistic(
                s,
                evidence=ev.text if ev.match != "none" else s.evidence,
                reference_date=reference_date,
                context=text,
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
