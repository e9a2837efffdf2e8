"""Candidate-guided extraction: code finds the records, the model labels them.

Small models are poor at copying numbers and sentences out of an article and good
at judging what they are shown. So the scanner (:func:`summarizer.ground.scan.scan`)
finds every quantity, quoted passage and dated sentence with exact offsets, the
rules (:func:`summarizer.extract.rules.rules_extraction`) propose which of them are
records, and the model sees them numbered in the article (``[N3]``, ``[Q1]``,
``[D2]``) and answers only what code cannot know: keep or drop, what a number
measures, who is speaking, what the dated event is, and the summary.

Every record is then built by code from its candidate: the value and unit parsed
from the text, the evidence the candidate's sentence verbatim, so grounding is
exact by construction. Recall is bounded by the scanner; a candidate the model does
not mention keeps the rules' proposal, so a lazy answer loses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import Field, field_validator

from summarizer.extract.rules import rules_extraction
from summarizer.ground.scan import Candidates, DateCandidate, QuantityCandidate, scan
from summarizer.records import (
    AnswerBase,
    ExtractedMilestone,
    ExtractedQuote,
    ExtractedStatistic,
    Extraction,
    ModelFacing,
    is_partial_iso_date,
)

__all__ = [
    "CandidateSet",
    "DateLabel",
    "Labels",
    "NumberLabel",
    "QuoteLabel",
    "build_extraction",
    "find_candidates",
    "render",
]

_ID = re.compile(r"\d+")
_QUOTE_PREVIEW = 70


def _id(value: Any) -> Any:
    """``"N3"``, ``"[N3]"``, ``3`` and ``"3"`` all mean candidate 3."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    m = _ID.search(str(value))
    return int(m.group(0)) if m else value


def _flag(value: Any) -> Any:
    """``"yes"``/``"drop"``/``0``: what small models write for a boolean."""
    if isinstance(value, str):
        word = value.strip().lower()
        if word in {"true", "yes", "keep", "y", "1"}:
            return True
        if word in {"false", "no", "drop", "n", "0", "none", "null"}:
            return False
    return value


class _Label(ModelFacing):
    id: int = Field(description="The candidate's number: N3 is 3.")
    # None: the model did not say; the code's guess stands (small models often list
    # every candidate and leave keep out, which must not turn every guess over).
    keep: bool | None = Field(default=None, description="true to keep it, false to drop it.")

    _ids = field_validator("id", mode="before")(_id)
    _keep = field_validator("keep", mode="before")(_flag)


class NumberLabel(_Label):
    """A label for a number [N#]."""

    metric: str | None = Field(
        default=None, description="What the number measures, with who or where."
    )


class QuoteLabel(_Label):
    """A label for a quote [Q#]."""

    speaker: str | None = Field(default=None, description="Who said it, by name.")


class DateLabel(_Label):
    """A label for a date [D#]."""

    event: str | None = Field(default=None, description="What happened then, one sentence.")


class Labels(AnswerBase):
    """The model's labels for the numbered candidates of one article."""

    summary: str = Field(default="", description="2 to 4 sentences on the main facts.")
    statistics: list[NumberLabel] = Field(default_factory=list)
    quotes: list[QuoteLabel] = Field(default_factory=list)
    milestones: list[DateLabel] = Field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Event:
    """A sentence with a date phrase: a milestone candidate."""

    date: DateCandidate
    proposed: bool
    actors: tuple[str, ...] = ()


@dataclass
class CandidateSet:
    """The numbered candidates of one article (numbers start at 1)."""

    text: str
    numbers: list[QuantityCandidate] = field(default_factory=list)
    proposed_numbers: set[int] = field(default_factory=set)
    quotes: list[ExtractedQuote] = field(default_factory=list)
    events: list[_Event] = field(default_factory=list)
    scanned: Candidates | None = None

    @property
    def empty(self) -> bool:
        """Whether there is nothing to label (the model then writes only the summary)."""
        return not (self.numbers or self.quotes or self.events)


def find_candidates(
    text: str, *, reference_date: str | None = None, title: str | None = None
) -> CandidateSet:
    """Scan ``text`` and number what a model should label, with the rules' proposals."""
    scanned = scan(text, reference_date=reference_date, title=title)
    proposal = rules_extraction(text, reference_date=reference_date, title=title)
    out = CandidateSet(text=text, scanned=scanned)
    proposed_stats = {(s.value_text, s.evidence) for s in proposal.statistics}
    for q in scanned.quantities:
        if q.equivalent_of is not None:
            continue  # a bracketed conversion is an equivalent of the amount before it
        out.numbers.append(q)
        if (q.text, q.sentence.text) in proposed_stats:
            out.proposed_numbers.add(len(out.numbers))
    out.quotes = list(proposal.quotes)
    proposed_events = {m.evidence: tuple(m.actors) for m in proposal.milestones}
    seen: set[int] = set()
    for d in scanned.dates:
        if d.in_quote or d.sentence.start in seen or d.sentence.heading:
            continue
        seen.add(d.sentence.start)
        actors = proposed_events.get(d.sentence.text)
        out.events.append(_Event(d, actors is not None, actors or ()))
    return out


def render(cands: CandidateSet) -> str:
    """The article with ``[N#]``/``[Q#]``/``[D#]`` before each candidate, and the lists.

    Marks go into the article so the model reads each candidate in its sentence;
    the lists repeat only what code proposes (metric, speaker, milestone or not).
    """
    marks: list[tuple[int, str]] = []
    for i, q in enumerate(cands.numbers, 1):
        marks.append((q.start, f"[N{i}]"))
    quote_starts = _quote_starts(cands)
    for i, start in enumerate(quote_starts, 1):
        if start is not None:
            marks.append((start, f"[Q{i}]"))
    for i, e in enumerate(cands.events, 1):
        marks.append((e.date.start, f"[D{i}]"))
    text = cands.text
    pieces: list[str] = []
    last = 0
    for pos, mark in sorted(marks):
        pieces.append(text[last:pos])
        pieces.append(mark)
        last = pos
    pieces.append(text[last:])
    lines = ["<article>", "".join(pieces).strip(), "</article>", ""]
    if cands.numbers:
        lines.append("Numbers:")
        for i, q in enumerate(cands.numbers, 1):
            guess = "keep" if i in cands.proposed_numbers else "drop"
            lines.append(f"N{i} {q.text}: {guess}, metric: {q.metric or '?'}")
    if cands.quotes:
        lines.append("Quotes:")
        for i, quote in enumerate(cands.quotes, 1):
            preview = quote.text[:_QUOTE_PREVIEW] + (
                "…" if len(quote.text) > _QUOTE_PREVIEW else ""
            )
            lines.append(f"Q{i} “{preview}”: speaker: {quote.speaker or '?'}")
    if cands.events:
        lines.append("Dates:")
        for i, e in enumerate(cands.events, 1):
            guess = "milestone" if e.proposed else "not a milestone"
            lines.append(f"D{i} {e.date.text}: {guess}")
    return "\n".join(lines)


def _quote_starts(cands: CandidateSet) -> list[int | None]:
    starts: list[int | None] = []
    for quote in cands.quotes:
        pos = cands.text.find(quote.text)
        # Mark before the opening quotation mark when there is one.
        starts.append(pos - 1 if pos > 0 and not cands.text[pos - 1].isalnum() else pos)
    return [s if s is not None and s >= 0 else None for s in starts]


def _by_id(labels: list[Any], count: int) -> dict[int, Any]:
    out: dict[int, Any] = {}
    for label in labels:
        if 1 <= label.id <= count and label.id not in out:
            out[label.id] = label
    return out


def build_extraction(cands: CandidateSet, labels: Labels) -> tuple[Extraction, list[str]]:
    """Records built by code from the candidates the labels keep, and notes.

    A candidate without a label keeps the rules' proposal; a label with an unknown
    number is ignored with a note.
    """
    notes: list[str] = []
    unknown = [
        f"{kind}{label.id}"
        for kind, items, count in (
            ("N", labels.statistics, len(cands.numbers)),
            ("Q", labels.quotes, len(cands.quotes)),
            ("D", labels.milestones, len(cands.events)),
        )
        for label in items
        if not 1 <= label.id <= count
    ]
    if unknown:
        notes.append(f"labels for unknown candidates ignored: {', '.join(unknown[:10])}")

    statistics: list[ExtractedStatistic] = []
    seen: set[tuple[float, str | None]] = set()
    for i, q in _kept(cands.numbers, _by_id(labels.statistics, len(cands.numbers)),
                      cands.proposed_numbers):  # fmt: skip
        label = _by_id(labels.statistics, len(cands.numbers)).get(i)
        named = label.metric if label is not None else None
        # A "metric" with no word in it ("600,000") is the number copied back, not a label.
        metric = (named if named and _WORD.search(named) else None) or q.metric
        if not metric or (q.value, q.unit) in seen:
            continue
        seen.add((q.value, q.unit))
        statistics.append(
            ExtractedStatistic(
                metric=metric,
                value=q.value,
                unit=q.unit,
                value_text=q.text,
                period=q.period if q.period and is_partial_iso_date(q.period) else q.period_text,
                evidence=q.sentence.text,
            )
        )

    quote_labels = _by_id(labels.quotes, len(cands.quotes))
    quotes: list[ExtractedQuote] = []
    for i, quote in enumerate(cands.quotes, 1):
        label = quote_labels.get(i)
        if label is not None and label.keep is False:
            continue
        named = label.speaker if label is not None else None
        # A "speaker" with no word in it ("...", "?") is a placeholder, not a name.
        speaker = (named if named and _WORD.search(named) else None) or quote.speaker
        if speaker:
            quotes.append(quote.model_copy(update={"speaker": speaker}))

    event_labels = _by_id(labels.milestones, len(cands.events))
    milestones: list[ExtractedMilestone] = []
    for i, e in enumerate(cands.events, 1):
        if not _keeps_event(event_labels.get(i), e):
            continue
        label = event_labels.get(i)
        sentence = e.date.sentence.text
        given: str | None = label.event if label is not None else None
        event = given if given and _says_something(given, e.date.text) else sentence
        milestones.append(
            ExtractedMilestone(
                date=e.date.date if e.date.date else e.date.text,
                event=event,
                actors=list(e.actors),
                evidence=sentence,
            )
        )
    extraction = Extraction(
        summary=_unmarked(labels.summary),
        milestones=milestones,
        statistics=statistics,
        quotes=quotes,
    )
    return extraction, notes


def _kept(
    numbers: list[QuantityCandidate], labels: dict[int, NumberLabel], proposed: set[int]
) -> list[tuple[int, QuantityCandidate]]:
    """Numbers to keep: the label's say, a metric given for it, else the code's guess."""
    out = []
    for i, q in enumerate(numbers, 1):
        label = labels.get(i)
        if label is None or (label.keep is None and not label.metric):
            keep = i in proposed
        else:
            keep = label.keep is not False
        if keep:
            out.append((i, q))
    return out


def _keeps_event(label: DateLabel | None, e: _Event) -> bool:
    """Whether a dated sentence is a milestone.

    A guessed milestone stays unless the label says ``keep: false``; a date the code
    did not guess becomes one only with ``keep: true`` and an event in words, not the
    date phrase copied back (what a model writes when it labels every date blindly).
    """
    if label is None or label.keep is None:
        return e.proposed
    if not label.keep:
        return False
    if e.proposed:
        return True
    return _says_something(label.event, e.date.text)


_WORD = re.compile(r"[^\W\d_]+")
# A candidate mark ("[D1]") copied into the summary, with the space before it when
# what follows is a space, a punctuation mark or the end ("in 2020 [N3].").
_MARK_SPACED = re.compile(r"\s\[[NQD]\d+\](?=[\s.,;:!?)\]]|$)")
_MARK = re.compile(r"\[[NQD]\d+\]")


def _unmarked(summary: str) -> str:
    """The summary without the candidate marks the model copied from the article."""
    return _MARK.sub("", _MARK_SPACED.sub("", summary))


_DATE_WORD_TEXT = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec year month day week in on at of as by "
    "the since until end start early late mid this last next earlier later"
)
_DATE_WORDS = frozenset(_DATE_WORD_TEXT.split())


def _says_something(event: str | None, date_text: str) -> bool:
    """Whether ``event`` names an event, not just the date phrase (or dates) again."""
    phrase = {w.lower() for w in _WORD.findall(date_text)}
    words = [w for w in _WORD.findall(event or "") if w.lower() not in phrase | _DATE_WORDS]
    return len(words) >= 2
