"""Consolidate many articles' records into one brief, streaming.

:class:`Consolidator` takes one :class:`~summarizer.records.ArticleResult` at a time and
keeps only consolidated records (never whole results), then :meth:`Consolidator.finish`
returns a :class:`Brief`. When two records say the same thing is decided by the rules in
:mod:`summarizer.consolidate_rules` (canonical metric keys, unit classes, thresholds).

* **Statistics**: records of one metric whose values agree within 0.5 % and whose
  periods agree (or one is missing) are one statistic with all their sources. A metric
  with two or more distinct records is a time *series* (sorted by period, undated last).
  Records at the same, non-null period whose values disagree, with no qualifier to
  reconcile them, are a *conflict*.
* **Milestones**: alike events on the same date are merged (the more precise date wins);
  the timeline is sorted by date, partial dates by their start, undated last.
* **Quotes**: a speaker name whose tokens are a subset of exactly one fuller name's ("Xi"
  of "Xi Jinping") is merged into it and shown by the fullest name; alike quotes of one
  speaker are listed once with all their sources.

Records whose evidence has ``match == "none"`` are counted and left out unless
``keep_ungrounded=True``. A result whose document has ``duplicate_of`` adds its document
as a further source of every record of the original, and no records of its own.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, Field
from pydantic.dataclasses import dataclass as dataclass_
from rapidfuzz import fuzz, process

from summarizer.corpus.rules import (
    APPROX_REL_TOL,
    EVENT_THRESHOLD,
    METRIC_THRESHOLD,
    QUOTE_THRESHOLD,
    VALUE_REL_TOL,
    Blocker,
    alike_event,
    content_tokens,
    dates_agree,
    display_name,
    metric_key,
    period_key,
    quote_norm,
    speaker_name,
    unit_class,
    values_close,
)
from summarizer.records import (
    Amount,
    ArticleResult,
    MatchKind,
    Milestone,
    Qualifier,
    Quote,
    Statistic,
)

__all__ = [
    "Brief",
    "Conflict",
    "ConflictValue",
    "ConsolidatedMilestone",
    "ConsolidatedQuote",
    "ConsolidatedStatistic",
    "Consolidator",
    "DocumentInfo",
    "Series",
    "SeriesPoint",
    "Source",
    "SpeakerQuotes",
    "Src",
    "consolidate",
]

_M = TypeVar("_M")
_Record = Statistic | Milestone | Quote

# --------------------------------------------------------------------------- models
# The many small records are slotted Pydantic dataclasses: validated and serialised like
# models, at a seventh of a BaseModel's memory (144 bytes for a Source, not 1 KB).


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


def _reconciled(a: _Stat, b: _Stat) -> bool:
    """True when a qualifier makes two different values consistent."""
    for x, y in ((a, b), (b, a)):
        if x.value is None or y.value is None:
            return False
        if (
            (x.qualifier == "at_least" and y.value >= x.value * (1 - VALUE_REL_TOL))
            or (x.qualifier == "at_most" and y.value <= x.value * (1 + VALUE_REL_TOL))
            or (x.qualifier == "approximate" and values_close(x.value, y.value, APPROX_REL_TOL))
        ):
            return True
    return False


# --------------------------------------------------------------------------- internals


class Src(NamedTuple):
    """A source as kept while streaming (a tuple is a fraction of a model's size)."""

    doc_id: str
    start: int | None
    end: int | None
    text: str
    match: MatchKind


@dataclass(slots=True)
class _Stat:
    value: float | None
    unit: str | None
    value_text: str
    qualifier: Qualifier | None
    period: str | None
    equivalents: list[Amount] | tuple[()]
    sources: list[Src]


@dataclass(slots=True)
class _Metric:
    key: str
    unit_class: str
    names: list[str] = field(default_factory=list)  # one per record (a list is smaller)
    units: list[str] = field(default_factory=list)
    stats: list[_Stat] = field(default_factory=list)


@dataclass(slots=True)
class _Milestone:
    date: str | None
    event: str
    key: str  # content tokens, sorted, space-separated
    actors: list[str]
    sources: list[Src]


@dataclass(slots=True)
class _Quote:
    norm: str
    text: str
    speakers: list[str]  # as each source names the speaker
    roles: list[str]
    sources: list[Src]

    @classmethod
    def of(cls, q: Quote, src: Src) -> _Quote:
        roles = [q.speaker_role] if q.speaker_role else []
        return cls(quote_norm(q.text), q.text, [q.speaker], roles, [src])


class _Quotes:
    """Quotes deduplicated by normalised text ratio."""

    def __init__(self) -> None:
        self.items: list[_Quote] = []
        self._blocker = Blocker()

    def add(self, quote: _Quote) -> None:
        tokens = quote.norm.split()
        choices = {c: self.items[c].norm for c in self._blocker.candidates(tokens)}
        best = process.extractOne(
            quote.norm, choices, scorer=fuzz.ratio, score_cutoff=QUOTE_THRESHOLD
        )
        if best is not None:
            known = self.items[best[2]]
            known.sources.extend(quote.sources)
            known.speakers.extend(quote.speakers)
            known.roles.extend(quote.roles)
            return
        self._blocker.add(len(self.items), tokens)
        self.items.append(quote)


@dataclass(slots=True)
class _Doc:
    id: str
    title: str | None
    path: str
    chars: int
    duplicate_of: str | None
    near_duplicates: list[str]
    statistics: int = 0
    milestones: int = 0
    quotes: int = 0
    ungrounded: int = 0


def _most_common(counter: Counter[str]) -> str:
    """The most frequent string; ties go to the shortest, then the first alphabetically."""
    return min(counter.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0]


def _components(links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (of two or more ids) of an undirected graph, sorted."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x] = parent[parent[x]]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


# --------------------------------------------------------------------------- consolidator


class Consolidator:
    """Streams :class:`ArticleResult` objects in and a :class:`Brief` out.

    Call :meth:`add` for each result, then :meth:`finish` once.
    """

    def __init__(self, *, keep_ungrounded: bool = False) -> None:
        """``keep_ungrounded``: keep records whose evidence was not found in the article."""
        self.keep_ungrounded = keep_ungrounded
        self._docs: dict[str, _Doc] = {}
        self._dups: dict[str, list[str]] = {}
        self._warnings: dict[str, list[str]] = {}
        self._ungrounded = 0
        self._metrics: list[_Metric] = []
        self._metric_ids: dict[str, int] = {}
        self._metric_blockers: dict[str, Blocker] = {}
        self._milestones: list[_Milestone] = []
        self._milestone_blockers: dict[str, Blocker] = {}
        self._speakers: dict[tuple[str, ...], _Quotes] = {}

    def add(self, result: ArticleResult) -> None:
        """Fold one article's records in. Raises ``ValueError`` for a document id seen before."""
        d = result.document
        if d.id in self._docs:
            raise ValueError(f"document {d.id!r} was already added to the consolidator")
        doc = _Doc(d.id, d.title, d.path, d.chars, d.duplicate_of, list(d.near_duplicates))
        self._docs[d.id] = doc
        if result.warnings:
            self._warnings[d.id] = list(result.warnings)
        if d.duplicate_of:
            self._dups.setdefault(d.duplicate_of, []).append(d.id)
            return
        records: list[_Record] = [*result.statistics, *result.milestones, *result.quotes]
        for record in records:
            ev = record.evidence
            if ev.match == "none":
                doc.ungrounded += 1
                self._ungrounded += 1
                if not self.keep_ungrounded:
                    continue
            src = Src(d.id, ev.start, ev.end, ev.text, ev.match)
            if isinstance(record, Statistic):
                doc.statistics += 1
                self._add_statistic(record, src)
            elif isinstance(record, Milestone):
                doc.milestones += 1
                self._add_milestone(record, src)
            else:
                doc.quotes += 1
                name = speaker_name(record.speaker) or ("~" + quote_norm(record.speaker),)
                self._speakers.setdefault(name, _Quotes()).add(_Quote.of(record, src))

    def _metric_for(self, metric: str, unit: str | None) -> _Metric:
        key, uclass = metric_key(metric), unit_class(unit)
        idx = self._metric_ids.get(f"{uclass}|{key}")
        if idx is None:
            blocker = self._metric_blockers.setdefault(uclass, Blocker())
            choices = {c: self._metrics[c].key for c in blocker.candidates(key.split())}
            best = process.extractOne(
                key, choices, scorer=fuzz.ratio, score_cutoff=METRIC_THRESHOLD
            )
            if key and best is not None:
                idx = int(best[2])
            else:
                idx = len(self._metrics)
                self._metrics.append(_Metric(key, uclass))
                blocker.add(idx, key.split())
            self._metric_ids[f"{uclass}|{key}"] = idx
        return self._metrics[idx]

    def _add_statistic(self, s: Statistic, src: Src) -> None:
        metric = self._metric_for(s.metric, s.unit)
        metric.names.append(s.metric)
        if s.unit:
            metric.units.append(s.unit)
        text = " ".join(s.value_text.casefold().split())
        for st in metric.stats:
            if s.value is None:
                same = st.value is None and " ".join(st.value_text.casefold().split()) == text
            else:
                same = values_close(st.value, s.value, VALUE_REL_TOL)
            if same and dates_agree(st.period, s.period, undated=True):
                st.sources.append(src)
                if s.period and (st.period is None or len(s.period) > len(st.period)):
                    st.period = s.period
                return
        metric.stats.append(
            _Stat(s.value, s.unit, s.value_text, s.qualifier, s.period, s.equivalents or (), [src])
        )

    def _add_milestone(self, m: Milestone, src: Src) -> None:
        tokens = content_tokens(m.event)
        key = " ".join(sorted(tokens))
        blocker = self._milestone_blockers.setdefault((m.date or "")[:4], Blocker())
        choices = {
            c: self._milestones[c].key
            for c in blocker.candidates(tokens)
            if dates_agree(self._milestones[c].date, m.date, undated=False)
        }
        found = alike_event(key, choices)
        if found is not None:
            ms = self._milestones[found]
            ms.sources.append(src)
            ms.actors.extend(a for a in m.actors if a not in ms.actors)
            if m.date and ms.date and len(m.date) > len(ms.date):
                ms.date = m.date
            return
        blocker.add(len(self._milestones), tokens)
        self._milestones.append(_Milestone(m.date, m.event, key, list(m.actors), [src]))

    # -- finish

    def _build(self, cls: type[_M], record: Any, **extra: Any) -> _M:
        """A model from an internal record's like-named attributes, sources and ``extra``.

        Each source is followed by copies for the exact duplicates of its document.
        """
        names = [f.name for f in dataclasses.fields(cls)]  # type: ignore[arg-type]
        data = {f: getattr(record, f) for f in names if hasattr(record, f)}
        sources: dict[Src, None] = {}
        for src in record.sources:
            sources[src] = None
            for dup in self._dups.get(src.doc_id, ()):
                sources[src._replace(doc_id=dup)] = None
        ordered = sorted(sources, key=lambda s: (s.doc_id, s.start or 0, s.end or 0, s.text))
        data["sources"] = [Source(**s._asdict()) for s in ordered]
        data["grounded"] = any(s.match != "none" for s in sources)
        return cls(**(data | extra))

    def finish(self, *, near_duplicates: Mapping[str, Iterable[str]] | None = None) -> Brief:
        """Build the :class:`Brief`.

        ``near_duplicates`` adds links such as :meth:`NearDuplicateIndex.groups` returns, to
        those already in the documents' ``near_duplicates``.
        """
        extra = near_duplicates or {}
        documents = []
        for doc_id in sorted(self._docs):
            d = self._docs[doc_id]
            d.near_duplicates = sorted(set(d.near_duplicates) | set(extra.get(doc_id, ())))
            documents.append(DocumentInfo(**{f: getattr(d, f) for f in d.__slots__}))
        links = [(d.id, o) for d in documents for o in d.near_duplicates]
        statistics, series, conflicts = self._finish_statistics()
        return Brief(
            documents=documents,
            near_duplicates=_components(links),
            statistics=statistics,
            series=series,
            conflicts=conflicts,
            timeline=self._finish_timeline(),
            quotes_by_speaker=self._finish_quotes(),
            warnings=dict(sorted(self._warnings.items())),
            ungrounded=self._ungrounded,
            rules=_RULES,
        )

    def _finish_statistics(
        self,
    ) -> tuple[list[ConsolidatedStatistic], dict[str, Series], list[Conflict]]:
        statistics: list[ConsolidatedStatistic] = []
        series: dict[str, Series] = {}
        conflicts: list[Conflict] = []
        named = sorted(
            ((_most_common(Counter(m.names)), m) for m in self._metrics if m.stats),
            key=lambda nm: (nm[0].casefold(), nm[1].unit_class, nm[1].key),
        )
        for name, metric in named:
            unit = _most_common(Counter(metric.units)) if metric.units else None
            stats = sorted(metric.stats, key=lambda st: (period_key(st.period), st.value or 0.0))
            conflicted = _conflicted(stats)
            series_name = None
            if len(stats) > 1:
                series_name = name if name not in series else f"{name} ({unit or 'no unit'})"
            records = []
            for i, st in enumerate(stats):
                extra: dict[str, Any] = {"metric": name, "metric_key": metric.key}
                extra.update(series=series_name, conflict=i in conflicted)
                statistics.append(
                    self._build(ConsolidatedStatistic, st, id=f"S{len(statistics) + 1}", **extra)
                )
                records.append(statistics[-1])
            if series_name:
                points = [SeriesPoint(statistic_id=r.id, **_attrs(r, _POINT)) for r in records]
                series[series_name] = Series(
                    metric=name, metric_key=metric.key, unit=unit, points=points
                )
            by_period: dict[str, list[ConflictValue]] = {}
            for r in records:
                if r.conflict and r.period:
                    value = ConflictValue(statistic_id=r.id, **_attrs(r, _CONFLICT))
                    by_period.setdefault(r.period, []).append(value)
            conflicts.extend(
                Conflict(metric=name, metric_key=metric.key, period=p, unit=unit, values=v)
                for p, v in by_period.items()
            )
        return statistics, series, conflicts

    def _finish_timeline(self) -> list[ConsolidatedMilestone]:
        ordered = sorted(
            self._milestones, key=lambda m: (period_key(m.date), m.sources[0][:2], m.event)
        )
        return [self._build(ConsolidatedMilestone, m, id=f"M{i}") for i, m in enumerate(ordered, 1)]

    def _speaker_groups(self) -> list[list[tuple[str, ...]]]:
        """Speaker names merged by the alias rule, each group's fullest name first."""
        sets = {k: frozenset(k) for k in self._speakers if not k[0].startswith("~")}
        posting: dict[str, set[frozenset[str]]] = {}
        for fs in set(sets.values()):
            for tok in fs:
                posting.setdefault(tok, set()).add(fs)
        target: dict[frozenset[str], frozenset[str]] = {}
        for fs in set(sets.values()):
            lists = sorted((posting[t] for t in fs), key=len)
            supers = {c for c in lists[0] if c > fs and all(c in p for p in lists[1:])}
            maximal = {c for c in supers if not any(c < d for d in supers)}
            target[fs] = next(iter(maximal)) if len(maximal) == 1 else fs
        groups: dict[frozenset[str], list[tuple[str, ...]]] = {}
        for name, fs in sets.items():
            groups.setdefault(target[fs], []).append(name)
        out = [sorted(g, key=lambda n: (-len(set(n)), n)) for g in groups.values()]
        return out + [[k] for k in self._speakers if k[0].startswith("~")]

    def _finish_quotes(self) -> list[SpeakerQuotes]:
        result: list[SpeakerQuotes] = []
        for group in self._speaker_groups():
            merged = self._speakers[group[0]]
            if len(group) > 1:
                merged = _Quotes()
                for name in group:
                    for q in self._speakers[name].items:
                        merged.add(q)
            aliases: Counter[str] = Counter(s for q in merged.items for s in q.speakers)
            roles: Counter[str] = Counter(r for q in merged.items for r in q.roles)
            full = set(group[0])
            fullest = Counter(
                {display_name(r): n for r, n in aliases.items() if set(speaker_name(r)) == full}
            )
            display = _most_common(fullest or aliases)
            quotes = [
                self._build(
                    ConsolidatedQuote,
                    q,
                    id="",
                    speaker=display,
                    speaker_role=_most_common(Counter(q.roles)) if q.roles else None,
                )
                for q in sorted(merged.items, key=lambda q: q.sources[0][:2])
            ]
            ranked_roles = sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))
            result.append(
                SpeakerQuotes(
                    speaker=display,
                    aliases=sorted(aliases),
                    roles=[r for r, _ in ranked_roles],
                    quotes=quotes,
                )
            )
        result.sort(key=lambda sq: (-len(sq.quotes), sq.speaker.casefold()))
        for n, cq in enumerate((cq for sq in result for cq in sq.quotes), 1):
            cq.id = f"Q{n}"
        return result


_RULES = {
    "metric_threshold": METRIC_THRESHOLD,
    "value_rel_tol": VALUE_REL_TOL,
    "approx_rel_tol": APPROX_REL_TOL,
    "event_threshold": EVENT_THRESHOLD,
    "quote_threshold": QUOTE_THRESHOLD,
}
_CONFLICT = ("value", "unit", "value_text", "qualifier", "period", "sources")
_POINT = (*_CONFLICT, "conflict")


def _attrs(model: object, names: Iterable[str]) -> dict[str, Any]:
    """Fields by reference (a ``model_dump`` would copy every source)."""
    return {name: getattr(model, name) for name in names}


def _conflicted(stats: list[_Stat]) -> set[int]:
    """Indexes of records (sorted by period) that disagree with another at the same period."""
    out: set[int] = set()
    for i, a in enumerate(stats):
        for j in range(i + 1, len(stats)):
            b = stats[j]
            if a.period is None or b.period != a.period:
                break
            if not values_close(a.value, b.value, VALUE_REL_TOL) and not _reconciled(a, b):
                out.update((i, j))
    return out


def consolidate(results: Iterable[ArticleResult], *, keep_ungrounded: bool = False) -> Brief:
    """Consolidate ``results`` into a :class:`Brief` in one call."""
    c = Consolidator(keep_ungrounded=keep_ungrounded)
    for result in results:
        c.add(result)
    return c.finish()
