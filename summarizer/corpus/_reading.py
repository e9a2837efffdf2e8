"""Reading a finished brief from its working store: :class:`StoredBrief`.

:func:`summarizer.corpus.stored.finish_store` wrote the final order of every record into
the ``f*`` tables. Each record type is read with two cursors running side by side: one
over the records in order, one over all their sources in the same order (a copy per
exact duplicate), so a record's sources stream from the store as the writer asks for
them: one query per record type, not one per record, and nothing held but the current
row, however many sources a record has.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from summarizer.corpus._store import KIND_MILESTONE, KIND_QUOTE, KIND_STATISTIC, Store
from summarizer.corpus.models import (
    Brief,
    BriefCounts,
    Conflict,
    ConflictHead,
    ConflictValue,
    ConsolidatedMilestone,
    ConsolidatedQuote,
    ConsolidatedStatistic,
    DocumentInfo,
    Series,
    SeriesHead,
    SeriesPoint,
    Source,
    Sourced,
    SpeakerHead,
    SpeakerQuotes,
)
from summarizer.corpus.rules import (
    APPROX_REL_TOL,
    EVENT_THRESHOLD,
    METRIC_THRESHOLD,
    QUOTE_THRESHOLD,
    VALUE_REL_TOL,
)
from summarizer.records import Amount

__all__ = ["RULES", "StoredBrief"]

RULES = {
    "metric_threshold": METRIC_THRESHOLD,
    "value_rel_tol": VALUE_REL_TOL,
    "approx_rel_tol": APPROX_REL_TOL,
    "event_threshold": EVENT_THRESHOLD,
    "quote_threshold": QUOTE_THRESHOLD,
}


# A record's sources, in brief.json's order. The last three columns break the ties of the
# first four, so that equal rows (the same source through two merged records or an exact
# duplicate) are adjacent and dropped as they stream past.
_SRC_ORDER = (
    'x.doc_id, coalesce(x.start, 0), coalesce(x."end", 0), x.text, x.start, x."end", x."match"'
)
_GROUNDED = "EXISTS(SELECT 1 FROM src WHERE kind = {kind} AND rec = {rec} AND \"match\" != 'none')"


class _Runs:
    """Rows of one query sorted by their first ``width`` columns (a record's key), handed
    out a run at a time: :meth:`of` yields the rest of each row whose key is ``key``.

    Keys are asked for in the query's order; rows of keys never asked for are skipped,
    and so are those a reader did not finish. So one cursor feeds every record of a
    kind, and nothing but the current row is held.
    """

    def __init__(self, rows: Iterator[tuple[Any, ...]], width: int) -> None:
        self._rows = rows
        self._width = width
        self._row = next(rows, None)

    def of(self, key: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """The rows (without their key) of ``key``."""
        w, key = self._width, tuple(key)
        while self._row is not None and self._row[:w] < key:
            self._row = next(self._rows, None)
        while (row := self._row) is not None and row[:w] == key:
            self._row = next(self._rows, None)
            yield row[w:]

    def sources(self, key: Sequence[Any]) -> Iterator[Source]:
        """The sources of ``key``, from (doc_id, start, end, text, match) rows, equal rows once."""
        w, key, last = self._width, tuple(key), None
        while self._row is not None and self._row[:w] < key:
            self._row = next(self._rows, None)
        while (row := self._row) is not None and row[:w] == key:
            self._row = next(self._rows, None)
            if row != last:
                yield Source(
                    doc_id=row[w],
                    start=row[w + 1],
                    end=row[w + 2],
                    text=row[w + 3],
                    match=row[w + 4],
                )
                last = row


class StoredBrief:
    """A finished brief in its working store: the :class:`BriefReader` of a streaming run.

    Writers read it one record at a time (``iter_*``), and the ``*_streamed`` methods
    hand each record's sources over as they come from one ordered query per record type
    (a record can have tens of thousands). :meth:`to_brief` builds the whole
    :class:`Brief` in memory (and the attributes named like :class:`Brief`'s fields use
    it, for small folders and tests). :meth:`close` removes the working file.
    """

    def __init__(self, store: Store, *, ungrounded: int, near_duplicates: list[list[str]]) -> None:
        """Read the finished ``store`` (see :func:`finish_store`)."""
        self._store = store
        self.ungrounded = ungrounded
        self.near_duplicates = near_duplicates
        self.rules = dict(RULES)
        self._has_dups = store.one("SELECT 1 FROM dup LIMIT 1") is not None

    def close(self) -> None:
        """Remove the working file; the brief cannot be read afterwards."""
        self._store.close()

    def detach(self, *, owner: int | None = None) -> Path:
        """Leave the working file for process ``owner`` to adopt (:class:`Store`); its folder."""
        return self._store.detach(owner=owner)

    def __enter__(self) -> StoredBrief:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self) -> BriefCounts:
        """How many of each thing the brief holds."""
        n = self._count
        return BriefCounts(
            documents=n("SELECT count(*) FROM doc"),
            exact_duplicates=n("SELECT count(*) FROM doc WHERE duplicate_of IS NOT NULL"),
            statistics=n("SELECT count(*) FROM fstat"),
            series=n("SELECT count(*) FROM fseries"),
            conflicts=n("SELECT count(*) FROM fconf"),
            milestones=n("SELECT count(*) FROM fmile"),
            quotes=n("SELECT count(*) FROM fquote"),
            speakers=n("SELECT count(*) FROM fgroup"),
            ungrounded=self.ungrounded,
            near_duplicate_groups=len(self.near_duplicates),
        )

    def _count(self, sql: str) -> int:
        return int(self._store.one(sql)[0])

    def _source_runs(
        self, kind: int, keys: Sequence[str], records: str, rec: str, where: str = ""
    ) -> _Runs:
        """Every source of a record type in one query, sorted by the records' ``keys``.

        ``records`` is the FROM clause of the records (``keys`` is their order), ``rec``
        the column naming each one's ``src`` record. An exact duplicate's document gets a
        copy of its original's sources. Each record's sources are looked up by the
        ``src_rec`` index, then all are sorted at once.
        """
        # CROSS JOIN keeps SQLite's join order: without statistics it would rather scan
        # the records once per source than look the sources up by ``src_rec``.
        src = f"CROSS JOIN src s ON s.kind = {kind} AND s.rec = {rec}"
        cols = ", ".join(f"{k} AS k{i}" for i, k in enumerate(keys))
        sql = f'SELECT {cols}, s.doc_id, s.start, s."end", s.text, s."match" FROM {records} {src} {where}'
        if self._has_dups:
            sql += (
                f' UNION ALL SELECT {cols}, d.dup, s.start, s."end", s.text, s."match"'
                f" FROM {records} {src} CROSS JOIN dup d ON d.orig = s.doc_id {where}"
            )
        order = ", ".join(f"k{i}" for i in range(len(keys)))
        sql = f"SELECT * FROM ({sql}) x ORDER BY {order}, {_SRC_ORDER}"
        return _Runs(self._store.db.execute(sql), len(keys))

    # -- statistics (also the series' points and the conflicts' values)

    # A statistic's columns (after a query's own key columns) and where they come from.
    _STAT = (
        "f.ord, f.stat, f.metric, f.metric_key, f.series, f.conflict, s.value, s.unit,"
        " s.value_text, s.qualifier, s.period, s.equivalents,"
        f" {_GROUNDED.format(kind=KIND_STATISTIC, rec='f.stat')} FROM fstat f"
        " JOIN stat s ON s.id = f.stat"
    )

    @staticmethod
    def _statistic(row: Sequence[Any], sources: list[Source]) -> ConsolidatedStatistic:
        equivalents = [Amount(**a) for a in json.loads(row[11])] if row[11] else []
        return ConsolidatedStatistic(
            id=f"S{row[0]}",
            metric=row[2],
            metric_key=row[3],
            series=row[4],
            conflict=bool(row[5]),
            value=row[6],
            unit=row[7],
            value_text=row[8],
            qualifier=row[9],
            period=row[10],
            equivalents=equivalents,
            grounded=bool(row[12]),
            sources=sources,
        )

    @staticmethod
    def _values(row: Sequence[Any]) -> dict[str, Any]:
        """A statistic row's fields of a series point or a conflict value."""
        return {
            "statistic_id": f"S{row[0]}",
            "value": row[6],
            "unit": row[7],
            "value_text": row[8],
            "qualifier": row[9],
            "period": row[10],
            "sources": [],
        }

    def iter_statistics_streamed(self) -> Iterator[Sourced[ConsolidatedStatistic]]:
        """Statistics in id order (S1, S2, ...), each with its sources as an iterator."""
        runs = self._source_runs(KIND_STATISTIC, ["f.ord"], "fstat f", "f.stat")
        for row in self._store.db.execute(f"SELECT {self._STAT} ORDER BY f.ord"):
            yield self._statistic(row, []), runs.sources((row[0],))

    def iter_statistics(self) -> Iterator[ConsolidatedStatistic]:
        """Statistics in id order (S1, S2, ...)."""
        for s, sources in self.iter_statistics_streamed():
            yield dataclasses.replace(s, sources=list(sources))

    def iter_series_streamed(
        self,
    ) -> Iterator[tuple[SeriesHead, Iterator[Sourced[SeriesPoint]]]]:
        """Each series' head and its points; read the points before the next series."""
        keys = ["f.series_ord", "f.ord"]
        where = "WHERE f.series_ord IS NOT NULL"
        runs = self._source_runs(KIND_STATISTIC, keys, "fstat f", "f.stat", where)
        points = _Runs(
            self._store.db.execute(
                f"SELECT f.series_ord, {self._STAT} WHERE f.series_ord IS NOT NULL"
                " ORDER BY f.series_ord, f.ord"
            ),
            1,
        )
        heads = self._store.db.execute(
            "SELECT ord, name, metric, metric_key, unit,"
            " (SELECT count(*) FROM fstat WHERE series_ord = fseries.ord) FROM fseries ORDER BY ord"
        )
        for ord_, name, metric, key, unit, n in heads:
            yield SeriesHead(name, metric, key, unit, n), self._points(ord_, points, runs)

    def _points(self, ord_: int, points: _Runs, runs: _Runs) -> Iterator[Sourced[SeriesPoint]]:
        for row in points.of((ord_,)):
            point = SeriesPoint(conflict=bool(row[5]), **self._values(row))
            yield point, runs.sources((ord_, row[0]))

    def iter_series(self) -> Iterator[tuple[str, Series]]:
        """(name, series) in brief order (each series whole)."""
        for head, points in self.iter_series_streamed():
            whole = [dataclasses.replace(p, sources=list(src)) for p, src in points]
            yield (
                head.name,
                Series(
                    metric=head.metric, metric_key=head.metric_key, unit=head.unit, points=whole
                ),
            )

    def iter_conflicts_streamed(
        self,
    ) -> Iterator[tuple[ConflictHead, Iterator[Sourced[ConflictValue]]]]:
        """Each conflict's head and its values; read the values before the next conflict."""
        records = "fconf_val v JOIN fstat f ON f.ord = v.fstat"
        runs = self._source_runs(KIND_STATISTIC, ["v.conf", "f.ord"], records, "f.stat")
        values = _Runs(
            self._store.db.execute(
                f"SELECT v.conf, {self._STAT} JOIN fconf_val v ON v.fstat = f.ord"
                " ORDER BY v.conf, f.ord"
            ),
            1,
        )
        heads = self._store.db.execute(
            "SELECT ord, metric, metric_key, period, unit,"
            " (SELECT count(*) FROM fconf_val WHERE conf = fconf.ord) FROM fconf ORDER BY ord"
        )
        for ord_, metric, key, period, unit, n in heads:
            head = ConflictHead(metric, key, period, unit, n)
            yield head, self._conflict_values(ord_, values, runs)

    def _conflict_values(
        self, ord_: int, values: _Runs, runs: _Runs
    ) -> Iterator[Sourced[ConflictValue]]:
        for row in values.of((ord_,)):
            yield ConflictValue(**self._values(row)), runs.sources((ord_, row[0]))

    def iter_conflicts(self) -> Iterator[Conflict]:
        """Conflicts in brief order (each whole)."""
        for head, values in self.iter_conflicts_streamed():
            whole = [dataclasses.replace(v, sources=list(src)) for v, src in values]
            yield Conflict(
                metric=head.metric,
                metric_key=head.metric_key,
                period=head.period,
                unit=head.unit,
                values=whole,
            )

    # -- timeline

    def iter_timeline_streamed(self) -> Iterator[Sourced[ConsolidatedMilestone]]:
        """Milestones by date (undated last), each with its sources as an iterator."""
        runs = self._source_runs(KIND_MILESTONE, ["f.ord"], "fmile f", "f.mile")
        rows = self._store.db.execute(
            "SELECT f.ord, m.date, m.event, m.actors,"
            f" {_GROUNDED.format(kind=KIND_MILESTONE, rec='f.mile')} FROM fmile f"
            " JOIN mile m ON m.id = f.mile ORDER BY f.ord"
        )
        for ord_, date, event, actors, grounded in rows:
            milestone = ConsolidatedMilestone(
                id=f"M{ord_}",
                date=date,
                event=event,
                actors=json.loads(actors),
                grounded=bool(grounded),
                sources=[],
            )
            yield milestone, runs.sources((ord_,))

    def iter_timeline(self) -> Iterator[ConsolidatedMilestone]:
        """Milestones by date (undated last)."""
        for m, sources in self.iter_timeline_streamed():
            yield dataclasses.replace(m, sources=list(sources))

    # -- quotes

    # Speakers most quoted first: a speaker's sort key, three columns.
    _GROUP_KEY = ("-g.n", "casefold(g.speaker)", "g.ord")

    def iter_speakers_streamed(
        self,
    ) -> Iterator[tuple[SpeakerHead, Iterator[Sourced[ConsolidatedQuote]]]]:
        """Speakers, most quoted first, and their quotes, numbered Q1, Q2, ... in that order.

        Read each speaker's quotes before the next speaker (the numbering runs on).
        """
        records = "fgroup g JOIN fquote q ON q.grp = g.ord, json_each(q.members) m"
        keys = [*self._GROUP_KEY, "q.rowid"]
        runs = self._source_runs(KIND_QUOTE, keys, records, "m.value")
        grounded = (
            "EXISTS(SELECT 1 FROM json_each(q.members) m CROSS JOIN src s"
            f" ON s.kind = {KIND_QUOTE} AND s.rec = m.value WHERE s.\"match\" != 'none')"
        )
        quotes = _Runs(
            self._store.db.execute(
                f"SELECT {', '.join(keys)}, q.role, t.text, {grounded} FROM fgroup g"
                " JOIN fquote q ON q.grp = g.ord JOIN quote t ON t.id = q.rep"
                " ORDER BY 1, 2, 3, 4"
            ),
            3,
        )
        groups = self._store.db.execute(
            f"SELECT {', '.join(self._GROUP_KEY)}, g.speaker, g.aliases, g.roles, g.n FROM fgroup g"
            " ORDER BY 1, 2, 3"
        )
        first = 1
        for *key, speaker, aliases, roles, n in groups:
            head = SpeakerHead(speaker, json.loads(aliases), json.loads(roles), n)
            yield head, self._quotes(key, speaker, first, quotes, runs)
            first += n

    def _quotes(
        self, key: list[Any], speaker: str, first: int, quotes: _Runs, runs: _Runs
    ) -> Iterator[Sourced[ConsolidatedQuote]]:
        for number, (rowid, role, text, grounded) in enumerate(quotes.of(key), first):
            quote = ConsolidatedQuote(
                id=f"Q{number}",
                speaker=speaker,
                speaker_role=role,
                text=text,
                grounded=bool(grounded),
                sources=[],
            )
            yield quote, runs.sources((*key, rowid))

    def iter_quotes_by_speaker(self) -> Iterator[SpeakerQuotes]:
        """Speakers, most quoted first (each speaker whole)."""
        for head, quotes in self.iter_speakers_streamed():
            whole = [dataclasses.replace(q, sources=list(src)) for q, src in quotes]
            yield SpeakerQuotes(
                speaker=head.speaker, aliases=head.aliases, roles=head.roles, quotes=whole
            )

    # -- documents and warnings

    def iter_documents(self) -> Iterator[DocumentInfo]:
        """Documents by id."""
        for row in self._store.db.execute("SELECT * FROM doc ORDER BY id"):
            yield DocumentInfo(
                id=row[0],
                title=row[1],
                path=row[2],
                chars=row[3],
                duplicate_of=row[4],
                near_duplicates=json.loads(row[5]),
                statistics=row[6],
                milestones=row[7],
                quotes=row[8],
                ungrounded=row[9],
            )

    def iter_warnings(self) -> Iterator[tuple[str, list[str]]]:
        """(document id, its warnings) by id."""
        current: str | None = None
        texts: list[str] = []
        for doc_id, text in self._store.db.execute(
            "SELECT doc_id, text FROM warning ORDER BY doc_id, rowid"
        ):
            if doc_id != current:
                if current is not None:
                    yield current, texts
                current, texts = doc_id, []
            texts.append(text)
        if current is not None:
            yield current, texts

    def to_brief(self) -> Brief:
        """The whole brief in memory (for small folders: it grows with the folder)."""
        return self._brief

    @cached_property
    def _brief(self) -> Brief:
        return Brief(
            documents=list(self.iter_documents()),
            near_duplicates=self.near_duplicates,
            statistics=list(self.iter_statistics()),
            series=dict(self.iter_series()),
            conflicts=list(self.iter_conflicts()),
            timeline=list(self.iter_timeline()),
            quotes_by_speaker=list(self.iter_quotes_by_speaker()),
            warnings=dict(self.iter_warnings()),
            ungrounded=self.ungrounded,
            rules=self.rules,
        )

    # Brief's fields, for code written against the in-memory Brief (loads it whole).
    documents = property(lambda self: self._brief.documents)
    statistics = property(lambda self: self._brief.statistics)
    series = property(lambda self: self._brief.series)
    conflicts = property(lambda self: self._brief.conflicts)
    timeline = property(lambda self: self._brief.timeline)
    quotes_by_speaker = property(lambda self: self._brief.quotes_by_speaker)
    warnings = property(lambda self: self._brief.warnings)
