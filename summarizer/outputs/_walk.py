"""One pass over a brief that writes ``brief.json`` and hands every record to the other writers.

:func:`walk` reads a :class:`~summarizer.corpus.models.BriefReader` in brief.json's order
(documents, statistics, series with their points, conflicts with their values, timeline,
speakers with their quotes, warnings) and calls a :class:`Taps` for each record once its
sources went past. A record's sources are streamed: into ``brief.json`` one by one (the
bytes of ``Brief.model_dump_json(indent=2)``), and into a :class:`SourceDigest`, which is
all the CSV files, ``summary.md`` and ``report.html`` show of them (a count, the first
few, the distinct documents, the CSV cell). So a record with 30,000 sources is written
without ever holding them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, TypeVar

from pydantic_core import to_json

from summarizer.corpus.models import BriefReader, ConflictHead, SeriesHead, Source, SpeakerHead

__all__ = ["CELL_CHARS", "SHOWN_DOCS", "SHOWN_SOURCES", "SourceDigest", "Taps", "walk"]

SHOWN_SOURCES = 12  # sources a record lists in report.html
SHOWN_DOCS = 10  # document ids a record lists in summary.md
CELL_CHARS = 32_000
"""Longest ``sources`` cell of the CSV files: spreadsheets cut a cell at 32,767 characters.

A longer list keeps its first entries and ends with ``… and N more (see brief.json)``."""

_T = TypeVar("_T")


def source_entry(s: Source) -> str:
    """One source in a CSV ``sources`` cell: ``doc_id:start-end`` (``doc_id:?`` without offsets)."""
    return f"{s.doc_id}:{s.start}-{s.end}" if s.start is not None else f"{s.doc_id}:?"


class SourceDigest:
    """What the outputs besides ``brief.json`` show of one record's sources, gathered as they pass.

    The number of sources, the first :data:`SHOWN_SOURCES`, the first :data:`SHOWN_DOCS`
    distinct documents and how many there are, and the CSV cell (at most
    :data:`CELL_CHARS` characters). Distinct documents are counted as runs: a record's
    sources come sorted by document id (:data:`~summarizer.corpus.models.Sourced`).
    """

    __slots__ = (
        "_cell",
        "_cell_chars",
        "_cell_full",
        "_last_doc",
        "count",
        "doc_count",
        "docs",
        "first",
    )

    def __init__(self, sources: Iterable[Source] = ()) -> None:
        """A digest of ``sources`` (none: feed it with :meth:`add`)."""
        self.count = 0
        self.first: list[Source] = []
        self.docs: list[str] = []
        self.doc_count = 0
        self._last_doc: str | None = None
        self._cell: list[str] = []
        self._cell_chars = 0
        self._cell_full = False
        for s in sources:
            self.add(s)

    def add(self, s: Source) -> None:
        """Count one more source."""
        self.count += 1
        if len(self.first) < SHOWN_SOURCES:
            self.first.append(s)
        if s.doc_id != self._last_doc:
            self._last_doc = s.doc_id
            self.doc_count += 1
            if len(self.docs) < SHOWN_DOCS:
                self.docs.append(s.doc_id)
        if not self._cell_full:
            entry = source_entry(s)
            chars = self._cell_chars + len(entry) + (2 if self._cell else 0)
            if chars > CELL_CHARS:
                self._cell_full = True
            else:
                self._cell.append(entry)
                self._cell_chars = chars

    @property
    def evidence(self) -> str:
        """The first source's text ("" without sources)."""
        return self.first[0].text if self.first else ""

    def cell(self) -> str:
        """The CSV ``sources`` cell: ``doc_id:start-end; ...``, cut at :data:`CELL_CHARS`."""
        text = "; ".join(self._cell)
        left = self.count - len(self._cell)
        return f"{text}; … and {left} more (see brief.json)" if left else text


class Taps:
    """What :func:`walk` hands on, record by record, once each record's sources went past.

    Every method does nothing here: a writer overrides those it needs.
    """

    def document(self, d: Any) -> None:
        """A document."""

    def statistic(self, s: Any, src: SourceDigest) -> None:
        """A statistic (its own ``sources`` may be empty: ``src`` has them)."""

    def series(self, head: SeriesHead) -> None:
        """A series; its points follow."""

    def point(self, p: Any, src: SourceDigest) -> None:
        """A point of the current series."""

    def conflict(self, head: ConflictHead) -> None:
        """A conflict; its values follow."""

    def value_source(self, s: Source) -> None:
        """Each source of a conflict's value, as it passes (before :meth:`value`)."""

    def value(self, v: Any, src: SourceDigest) -> None:
        """A value of the current conflict."""

    def milestone(self, m: Any, src: SourceDigest) -> None:
        """A milestone of the timeline."""

    def speaker(self, head: SpeakerHead) -> None:
        """A speaker; their quotes follow."""

    def quote(self, q: Any, src: SourceDigest) -> None:
        """A quote of the current speaker."""

    def warning(self, item: tuple[str, list[str]]) -> None:
        """A document's warnings."""


# --------------------------------------------------------------------------- JSON pieces


class _Null:
    """A file that drops what is written: :func:`walk` without ``brief.json``."""

    def write(self, _text: str) -> int:
        return 0


def _json(value: Any, indent: str, exclude: set[str] | None = None) -> str:
    """``value`` as pydantic's indented JSON, its lines after the first indented by ``indent``."""
    return to_json(value, indent=2, exclude=exclude).decode("utf-8").replace("\n", "\n" + indent)


_NO_SOURCES = {"sources"}
_CHUNK = 256  # sources serialised together


class _Writer:
    """brief.json's pieces, written to ``fh`` (or, when ``on`` is false, only walked)."""

    def __init__(self, fh: IO[str] | _Null, *, on: bool) -> None:
        self.fh = fh
        self.on = on

    def list(
        self, items: Iterable[_T], indent: str, item: Callable[[_T, str], None] | None = None
    ) -> None:
        """A JSON list whose items sit one level below ``indent`` (``item`` writes one)."""
        fh, first = self.fh, True
        for x in items:
            fh.write(f"[\n{indent}  " if first else f",\n{indent}  ")
            if item is not None:
                item(x, indent + "  ")
            elif self.on:
                fh.write(_json(x, indent + "  "))
            first = False
        fh.write("[]" if first else f"\n{indent}]")

    def sourced(self, record: Any, sources: Iterator[Source], indent: str) -> SourceDigest:
        """A record whose last field, ``sources``, is streamed; the digest of its sources."""
        digest = SourceDigest()
        if not self.on:
            for s in sources:
                digest.add(s)
            return digest
        fh = self.fh
        head = _json(record, indent, _NO_SOURCES)  # ends with "\n" + indent + "}"
        fh.write(head[: -len(indent) - 2])
        fh.write(f',\n{indent}  "sources": ')
        # The list is serialised a chunk at a time: one to_json call per source would
        # cost more than the whole record's did when it was built whole.
        inner, cut = indent + "  ", -len(indent) - 4
        opening, chunk = "[", []
        for s in sources:
            digest.add(s)
            chunk.append(s)
            if len(chunk) == _CHUNK:
                fh.write(opening + _json(chunk, inner)[1:cut])
                opening, chunk = ",", []
        if chunk:
            fh.write(opening + _json(chunk, inner)[1:cut])
            opening = ","
        fh.write("[]" if opening == "[" else f"\n{inner}]")
        fh.write(f"\n{indent}}}")
        return digest

    def head(self, fields: dict[str, Any], stream: str) -> None:
        """The start of an object at depth 2 whose last field, ``stream``, is a list."""
        self.fh.write("{")
        if self.on:
            for key, value in fields.items():
                self.fh.write(f"\n      {_json(key, '')}: {_json(value, '      ')},")
        self.fh.write(f'\n      "{stream}": ')


def walk(brief: BriefReader, taps: Taps, fh: IO[str] | None = None) -> None:
    """Read ``brief`` once, in brief.json's order, handing each record to ``taps``.

    With ``fh``, write ``brief.json`` there as it goes: the bytes of
    ``Brief.model_dump_json(indent=2)`` plus a newline.
    """
    w = _Writer(fh if fh is not None else _Null(), on=fh is not None)
    out = w.fh
    t = taps

    def statistic(item: Any, indent: str) -> None:
        s, sources = item
        t.statistic(s, w.sourced(s, sources, indent))

    def point(item: Any, indent: str) -> None:
        p, sources = item
        t.point(p, w.sourced(p, sources, indent))

    def value(item: Any, indent: str) -> None:
        v, sources = item
        t.value(v, w.sourced(v, _tapped(sources, t.value_source), indent))

    def milestone(item: Any, indent: str) -> None:
        m, sources = item
        t.milestone(m, w.sourced(m, sources, indent))

    def quote(item: Any, indent: str) -> None:
        q, sources = item
        t.quote(q, w.sourced(q, sources, indent))

    def series(_fh: IO[str] | _Null) -> None:
        first = True
        for head, points in brief.iter_series_streamed():
            t.series(head)
            out.write("{\n    " if first else ",\n    ")
            if w.on:
                out.write(f"{_json(head.name, '')}: ")
            fields = {"metric": head.metric, "metric_key": head.metric_key, "unit": head.unit}
            w.head(fields, "points")
            w.list(points, "      ", point)
            out.write("\n    }")
            first = False
        out.write("{}" if first else "\n  }")

    def conflict(item: Any, indent: str) -> None:
        head, values = item
        t.conflict(head)
        fields = {"metric": head.metric, "metric_key": head.metric_key}
        w.head({**fields, "period": head.period, "unit": head.unit}, "values")
        w.list(values, indent + "  ", value)
        out.write(f"\n{indent}}}")

    def speaker(item: Any, indent: str) -> None:
        head, quotes = item
        t.speaker(head)
        w.head({"speaker": head.speaker, "aliases": head.aliases, "roles": head.roles}, "quotes")
        w.list(quotes, indent + "  ", quote)
        out.write(f"\n{indent}}}")

    def warnings(_fh: IO[str] | _Null) -> None:
        first = True
        for item in brief.iter_warnings():
            t.warning(item)
            out.write("{\n    " if first else ",\n    ")
            if w.on:
                out.write(f"{_json(item[0], '')}: {_json(item[1], '    ')}")
            first = False
        out.write("{}" if first else "\n  }")

    parts: list[tuple[str, Callable[[Any], object]]] = [
        ("documents", lambda _: w.list(_tapped(brief.iter_documents(), t.document), "  ")),
        ("near_duplicates", lambda _: w.list(brief.near_duplicates, "  ")),
        ("statistics", lambda _: w.list(brief.iter_statistics_streamed(), "  ", statistic)),
        ("series", series),
        ("conflicts", lambda _: w.list(brief.iter_conflicts_streamed(), "  ", conflict)),
        ("timeline", lambda _: w.list(brief.iter_timeline_streamed(), "  ", milestone)),
        ("quotes_by_speaker", lambda _: w.list(brief.iter_speakers_streamed(), "  ", speaker)),
        ("warnings", warnings),
        ("ungrounded", lambda _: w.on and out.write(_json(brief.ungrounded, "  "))),
        ("rules", lambda _: w.on and out.write(_json(brief.rules, "  "))),
    ]
    for i, (name, write) in enumerate(parts):
        out.write("{\n  " if i == 0 else ",\n  ")
        out.write(f'"{name}": ')
        write(out)
    out.write("\n}\n")


def _tapped(items: Iterable[_T], tap: Callable[[_T], None]) -> Iterator[_T]:
    for item in items:
        tap(item)
        yield item
