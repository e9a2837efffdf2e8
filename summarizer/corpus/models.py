"""The brief's records: what :mod:`summarizer.corpus.consolidate` produces.

The many small records are slotted Pydantic dataclasses: validated and serialised like
models, at a seventh of a BaseModel's memory (144 bytes for a :class:`Source`, not 1 KB).

Two things read a brief: the in-memory :class:`Brief` (a Pydantic model, for small folders
and the Python API) and the SQLite-backed :class:`~summarizer.corpus.stored.StoredBrief`
that a streaming run produces. Both offer the same reading methods (:class:`BriefReader`:
``iter_*`` and :meth:`Brief.counts`), which is all the writers in
:mod:`summarizer.outputs` use, so they never need the whole brief in memory. The
``*_streamed`` methods go further and hand each record's sources over as an iterator
(:data:`Sourced`): one record of a large folder can have tens of thousands of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol, TypeAlias, TypeVar

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as dataclass_

from summarizer.records import Amount, MatchKind, Qualifier

__all__ = [
    "Brief",
    "BriefCounts",
    "BriefReader",
    "Conflict",
    "ConflictHead",
    "ConflictValue",
    "ConsolidatedMilestone",
    "ConsolidatedQuote",
    "ConsolidatedStatistic",
    "DocumentInfo",
    "Series",
    "SeriesHead",
    "SeriesPoint",
    "Source",
    "Sourced",
    "SpeakerHead",
    "SpeakerQuotes",
]


@dataclass_(slots=True, kw_only=True)
class Source:
    """Where one article states a consolidated record."""

    doc_id: str
    start: int | None = None
    end: int | None = None
    text: str
    match: MatchKind = "exact"


@dataclass_(slots=True, kw_only=True)
class _Value:
    value: float | None
    unit: str | None = None
    value_text: str
    qualifier: Qualifier | None = None
    period: str | None = None


@dataclass_(slots=True, kw_only=True)
class ConsolidatedStatistic(_Value):
    """One statistic, stated by one or more articles."""

    id: str
    metric: str
    metric_key: str
    equivalents: list[Amount] = Field(default_factory=list)
    series: str | None = Field(default=None, description="Its series' name in Brief.series.")
    conflict: bool = False
    grounded: bool = True
    sources: list[Source]


@dataclass_(slots=True, kw_only=True)
class SeriesPoint(_Value):
    """One value of a series."""

    statistic_id: str
    conflict: bool = False
    sources: list[Source]


class Series(BaseModel):
    """Values of one metric at different periods, sorted by period (undated last)."""

    metric: str
    metric_key: str
    unit: str | None
    points: list[SeriesPoint]


@dataclass_(slots=True, kw_only=True)
class ConflictValue(_Value):
    """One of the disagreeing values of a conflict."""

    statistic_id: str
    sources: list[Source]


class Conflict(BaseModel):
    """Different values for the same metric and period."""

    metric: str
    metric_key: str
    period: str
    unit: str | None
    values: list[ConflictValue]


@dataclass_(slots=True, kw_only=True)
class ConsolidatedMilestone:
    """One event of the timeline."""

    id: str
    date: str | None
    event: str
    actors: list[str] = Field(default_factory=list)
    grounded: bool = True
    sources: list[Source]


@dataclass_(slots=True, kw_only=True)
class ConsolidatedQuote:
    """One quote, reported by one or more articles."""

    id: str
    speaker: str
    speaker_role: str | None = None
    text: str
    grounded: bool = True
    sources: list[Source]


class SpeakerQuotes(BaseModel):
    """Everything one speaker said, under every name the articles gave them."""

    speaker: str
    aliases: list[str]
    roles: list[str] = Field(default_factory=list)
    quotes: list[ConsolidatedQuote]


@dataclass_(slots=True, kw_only=True)
class DocumentInfo:
    """One input document and how many records it gave."""

    id: str
    title: str | None = None
    path: str
    chars: int
    duplicate_of: str | None = None
    near_duplicates: list[str] = Field(default_factory=list)
    statistics: int = 0
    milestones: int = 0
    quotes: int = 0
    ungrounded: int = 0


@dataclass(frozen=True, slots=True)
class BriefCounts:
    """How many of each thing a brief holds (what a header line says)."""

    documents: int
    exact_duplicates: int
    statistics: int
    series: int
    conflicts: int
    milestones: int
    quotes: int
    speakers: int
    ungrounded: int
    near_duplicate_groups: int


@dataclass(frozen=True, slots=True)
class SeriesHead:
    """A series without its points (they follow as an iterator)."""

    name: str
    metric: str
    metric_key: str
    unit: str | None
    points: int


@dataclass(frozen=True, slots=True)
class ConflictHead:
    """A conflict without its values (they follow as an iterator)."""

    metric: str
    metric_key: str
    period: str
    unit: str | None
    values: int


_R = TypeVar("_R")
Sourced: TypeAlias = tuple[_R, Iterator[Source]]
"""A record and its sources, in order (sorted by document id, then offsets, then text).

The record's own ``sources`` may be empty (a :class:`~summarizer.corpus.stored.StoredBrief`
leaves them in the store): read them from the iterator, before the next record (a reader
may stop early). A streaming run's record can have tens of thousands of sources.
"""


@dataclass(frozen=True, slots=True)
class SpeakerHead:
    """A speaker without their quotes (they follow as an iterator)."""

    speaker: str
    aliases: list[str]
    roles: list[str]
    quotes: int


class BriefReader(Protocol):
    """What the writers read from a brief: counts and one pass over each part, in order."""

    near_duplicates: list[list[str]]
    ungrounded: int
    rules: dict[str, float]

    def counts(self) -> BriefCounts:
        """How many of each thing."""
        ...

    def iter_documents(self) -> Iterator[DocumentInfo]:
        """Documents by id."""
        ...

    def iter_statistics(self) -> Iterator[ConsolidatedStatistic]:
        """Statistics in id order (S1, S2, ...)."""
        ...

    def iter_series(self) -> Iterator[tuple[str, Series]]:
        """(name, series) in brief order."""
        ...

    def iter_statistics_streamed(self) -> Iterator[Sourced[ConsolidatedStatistic]]:
        """Statistics in id order, each with its sources as an iterator."""
        ...

    def iter_series_streamed(
        self,
    ) -> Iterator[tuple[SeriesHead, Iterator[Sourced[SeriesPoint]]]]:
        """Each series' head and its points; read the points before the next series."""
        ...

    def iter_conflicts_streamed(
        self,
    ) -> Iterator[tuple[ConflictHead, Iterator[Sourced[ConflictValue]]]]:
        """Each conflict's head and its values; read the values before the next conflict."""
        ...

    def iter_timeline_streamed(self) -> Iterator[Sourced[ConsolidatedMilestone]]:
        """Milestones by date (undated last), each with its sources as an iterator."""
        ...

    def iter_speakers_streamed(
        self,
    ) -> Iterator[tuple[SpeakerHead, Iterator[Sourced[ConsolidatedQuote]]]]:
        """Each speaker's head and quotes; read the quotes before the next speaker."""
        ...

    def iter_conflicts(self) -> Iterator[Conflict]:
        """Conflicts in brief order."""
        ...

    def iter_timeline(self) -> Iterator[ConsolidatedMilestone]:
        """Milestones by date (undated last)."""
        ...

    def iter_quotes_by_speaker(self) -> Iterator[SpeakerQuotes]:
        """Speakers, most quoted first."""
        ...

    def iter_warnings(self) -> Iterator[tuple[str, list[str]]]:
        """(document id, its warnings) by id."""
        ...


class Brief(BaseModel):
    """What a folder of articles says, consolidated across articles."""

    documents: list[DocumentInfo]
    near_duplicates: list[list[str]] = Field(default_factory=list, description="Id groups.")
    statistics: list[ConsolidatedStatistic]
    series: dict[str, Series] = Field(description="Metric name -> its series.")
    conflicts: list[Conflict]
    timeline: list[ConsolidatedMilestone]
    quotes_by_speaker: list[SpeakerQuotes]
    warnings: dict[str, list[str]] = Field(description="Document id -> its warnings.")
    ungrounded: int = Field(description="Records whose evidence was not found in the text.")
    rules: dict[str, float] = Field(default_factory=dict, description="Thresholds used.")

    def counts(self) -> BriefCounts:
        """How many of each thing this brief holds."""
        return BriefCounts(
            documents=len(self.documents),
            exact_duplicates=sum(1 for d in self.documents if d.duplicate_of),
            statistics=len(self.statistics),
            series=len(self.series),
            conflicts=len(self.conflicts),
            milestones=len(self.timeline),
            quotes=sum(len(sq.quotes) for sq in self.quotes_by_speaker),
            speakers=len(self.quotes_by_speaker),
            ungrounded=self.ungrounded,
            near_duplicate_groups=len(self.near_duplicates),
        )

    def iter_documents(self) -> Iterator[DocumentInfo]:
        """Documents by id."""
        return iter(self.documents)

    def iter_statistics(self) -> Iterator[ConsolidatedStatistic]:
        """Statistics in id order."""
        return iter(self.statistics)

    def iter_series(self) -> Iterator[tuple[str, Series]]:
        """(name, series) in brief order."""
        return iter(self.series.items())

    def iter_statistics_streamed(self) -> Iterator[Sourced[ConsolidatedStatistic]]:
        """Statistics in id order, each with its sources."""
        return ((s, iter(s.sources)) for s in self.statistics)

    def iter_series_streamed(
        self,
    ) -> Iterator[tuple[SeriesHead, Iterator[Sourced[SeriesPoint]]]]:
        """Each series' head and its points."""
        for name, s in self.series.items():
            head = SeriesHead(name, s.metric, s.metric_key, s.unit, len(s.points))
            yield head, ((p, iter(p.sources)) for p in s.points)

    def iter_conflicts_streamed(
        self,
    ) -> Iterator[tuple[ConflictHead, Iterator[Sourced[ConflictValue]]]]:
        """Each conflict's head and its values."""
        for c in self.conflicts:
            head = ConflictHead(c.metric, c.metric_key, c.period, c.unit, len(c.values))
            yield head, ((v, iter(v.sources)) for v in c.values)

    def iter_timeline_streamed(self) -> Iterator[Sourced[ConsolidatedMilestone]]:
        """Milestones by date (undated last), each with its sources."""
        return ((m, iter(m.sources)) for m in self.timeline)

    def iter_speakers_streamed(
        self,
    ) -> Iterator[tuple[SpeakerHead, Iterator[Sourced[ConsolidatedQuote]]]]:
        """Each speaker's head and quotes."""
        for sq in self.quotes_by_speaker:
            head = SpeakerHead(sq.speaker, sq.aliases, sq.roles, len(sq.quotes))
            yield head, ((q, iter(q.sources)) for q in sq.quotes)

    def iter_conflicts(self) -> Iterator[Conflict]:
        """Conflicts in brief order."""
        return iter(self.conflicts)

    def iter_timeline(self) -> Iterator[ConsolidatedMilestone]:
        """Milestones by date (undated last)."""
        return iter(self.timeline)

    def iter_quotes_by_speaker(self) -> Iterator[SpeakerQuotes]:
        """Speakers, most quoted first."""
        return iter(self.quotes_by_speaker)

    def iter_warnings(self) -> Iterator[tuple[str, list[str]]]:
        """(document id, its warnings) by id."""
        return iter(self.warnings.items())
