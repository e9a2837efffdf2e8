"""The outputs people read: CSV tables, a Markdown brief, ``brief.json`` and one HTML report.

:func:`write_brief_outputs` is the entry point; each writer is usable alone. Every writer
reads the brief through :class:`~summarizer.corpus.models.BriefReader` (a
:class:`~summarizer.corpus.models.Brief` in memory, or the
:class:`~summarizer.corpus.stored.StoredBrief` of a streaming run) one record at a time
and streams its file to disk, so writing holds one record in memory, not the folder.
Every file is written atomically (a temporary file in the same folder, then ``os.replace``).

* ``statistics.csv``, ``milestones.csv``, ``quotes.csv``: one row per consolidated record,
  UTF-8 with a header row, loadable by ``csv``, pandas and spreadsheets as they are. The
  ``sources`` column lists ``doc_id:start-end`` separated by ``"; "`` (``doc_id:?`` when a
  kept record has no offsets); ``source_count`` counts them. A text cell that a
  spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return, and is not a plain number) gets a leading ``'`` (OWASP's advice for
  CSV injection); ``brief.json`` keeps every value exact.
* ``summary.md``: what the folder covers, the timeline, the key statistics and their
  series, quotes by speaker, conflicts and warnings. Long lists are cut, and say so. Text
  from articles, models and file names is escaped, so no raw HTML or Markdown gets in.
* ``report.html``: see :mod:`summarizer.outputs.html`.
* ``brief.json``: the brief, byte for byte what ``Brief.model_dump_json(indent=2)`` gives.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any, TypeVar

from pydantic_core import to_json

from summarizer.corpus.models import BriefCounts, BriefReader, SeriesHead, Source, SpeakerHead
from summarizer.outputs._markdown import (
    SummaryLines,
    md_code,
    md_text,
    write_summary_md,
)
from summarizer.outputs._stream import open_atomic
from summarizer.outputs.html import format_value, write_report_html
from summarizer.records import ArticleResult

__all__ = [
    "csv_cell",
    "format_value",
    "md_code",
    "md_text",
    "sources_cell",
    "write_brief_json",
    "write_brief_outputs",
    "write_csvs",
    "write_report_html",
    "write_summary_md",
]


# --------------------------------------------------------------------------- brief.json


def _json(value: Any, indent: str) -> str:
    """``value`` as pydantic's indented JSON, its lines after the first indented by ``indent``."""
    return to_json(value, indent=2).decode("utf-8").replace("\n", "\n" + indent)


def _json_list(fh: IO[str], items: Iterable[Any], indent: str = "  ") -> None:
    """A JSON list whose items sit one level below ``indent``."""
    first = True
    for item in items:
        fh.write(f"[\n{indent}  " if first else f",\n{indent}  ")
        fh.write(_json(item, indent + "  "))
        first = False
    fh.write("[]" if first else f"\n{indent}]")


def _json_dict(fh: IO[str], items: Iterable[tuple[str, Any]]) -> None:
    first = True
    for key, value in items:
        fh.write("{\n    " if first else ",\n    ")
        fh.write(f"{_json(key, '')}: ")
        if callable(value):
            value(fh)
        else:
            fh.write(_json(value, "    "))
        first = False
    fh.write("{}" if first else "\n  }")


def _json_object(fh: IO[str], fields: dict[str, Any], stream: str, items: Iterable[Any]) -> None:
    """An object at depth 2 whose last field, ``stream``, is a list written item by item."""
    fh.write("{")
    for key, value in fields.items():
        fh.write(f"\n      {_json(key, '')}: {_json(value, '      ')},")
    fh.write(f'\n      "{stream}": ')
    _json_list(fh, items, "      ")
    fh.write("\n    }")


class _Taps:
    """What :func:`write_brief_json` hands on, record by record, as it writes them.

    The other folder outputs are made of the same records: written in the same pass
    (:func:`write_brief_outputs`), each record is read from the store and built once.
    """

    def document(self, d: Any) -> None:
        """A document."""

    def statistic(self, s: Any) -> None:
        """A statistic."""

    def series(self, head: SeriesHead) -> None:
        """A series; its points follow."""

    def point(self, p: Any) -> None:
        """A point of the current series."""

    def conflict(self, c: Any) -> None:
        """A conflict."""

    def milestone(self, m: Any) -> None:
        """A milestone of the timeline."""

    def speaker(self, head: SpeakerHead) -> None:
        """A speaker; their quotes follow."""

    def quote(self, q: Any) -> None:
        """A quote of the current speaker."""

    def warning(self, item: tuple[str, list[str]]) -> None:
        """A document's warnings."""


_T = TypeVar("_T")


def _tap(items: Iterable[_T], tap: Callable[[_T], None]) -> Iterator[_T]:
    for item in items:
        tap(item)
        yield item


def _series(brief: BriefReader, taps: _Taps) -> Iterator[tuple[str, Callable[[IO[str]], None]]]:
    for head, points in brief.iter_series_streamed():
        taps.series(head)
        fields = {"metric": head.metric, "metric_key": head.metric_key, "unit": head.unit}
        items = _tap(points, taps.point)
        yield head.name, partial(_json_object, fields=fields, stream="points", items=items)


def _speakers(fh: IO[str], brief: BriefReader, taps: _Taps) -> None:
    first = True
    for head, quotes in brief.iter_speakers_streamed():
        taps.speaker(head)
        fh.write("[\n    " if first else ",\n    ")
        fields = {"speaker": head.speaker, "aliases": head.aliases, "roles": head.roles}
        _json_object(fh, fields, "quotes", _tap(quotes, taps.quote))
        first = False
    fh.write("[]" if first else "\n  ]")


def write_brief_json(brief: BriefReader, out: Path, *, taps: _Taps | None = None) -> Path:
    """Stream ``brief.json`` under ``out``, one record at a time.

    The bytes are those of ``Brief.model_dump_json(indent=2)`` plus a newline.
    """
    path = Path(out) / "brief.json"
    t = taps or _Taps()
    parts: list[tuple[str, Callable[[IO[str]], object]]] = [
        ("documents", lambda fh: _json_list(fh, _tap(brief.iter_documents(), t.document))),
        ("near_duplicates", lambda fh: _json_list(fh, brief.near_duplicates)),
        ("statistics", lambda fh: _json_list(fh, _tap(brief.iter_statistics(), t.statistic))),
        ("series", lambda fh: _json_dict(fh, _series(brief, t))),
        ("conflicts", lambda fh: _json_list(fh, _tap(brief.iter_conflicts(), t.conflict))),
        ("timeline", lambda fh: _json_list(fh, _tap(brief.iter_timeline(), t.milestone))),
        ("quotes_by_speaker", lambda fh: _speakers(fh, brief, t)),
        ("warnings", lambda fh: _json_dict(fh, _tap(brief.iter_warnings(), t.warning))),
        ("ungrounded", lambda fh: fh.write(_json(brief.ungrounded, "  "))),
        ("rules", lambda fh: fh.write(_json(brief.rules, "  "))),
    ]
    with open_atomic(path) as fh:
        for i, (name, write) in enumerate(parts):
            fh.write("{\n  " if i == 0 else ",\n  ")
            fh.write(f'"{name}": ')
            write(fh)
        fh.write("\n}\n")
    return path


# --------------------------------------------------------------------------- CSV

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A cell a spreadsheet shows as text: ``'`` before a would-be formula (None -> "")."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)  # a plain number ("-5") is no formula: keep it numeric
        except ValueError:
            return "'" + value
    return value


def sources_cell(sources: Sequence[Source]) -> str:
    """``doc_id:start-end; doc_id:start-end`` for a CSV cell."""
    return "; ".join(
        f"{s.doc_id}:{s.start}-{s.end}" if s.start is not None else f"{s.doc_id}:?" for s in sources
    )


def _num(value: float | None) -> str:
    return "" if value is None else format(value, ".15g")


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with open_atomic(path) as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_cell(v) for v in row])
    return path


_STAT_HEADER = ["id", "metric", "value", "unit", "value_text", "qualifier", "period", "series",
                "conflict", "grounded", "source_count", "sources", "evidence", "metric_key"]  # fmt: skip
_MILE_HEADER = ["id", "date", "event", "actors", "grounded", "source_count", "sources", "evidence"]
_QUOTE_HEADER = ["id", "speaker", "speaker_role", "text", "aliases", "grounded", "source_count",
                 "sources"]  # fmt: skip


def _stat_row(s: Any) -> list[object]:
    return [s.id, s.metric, _num(s.value), s.unit, s.value_text, s.qualifier, s.period,
            s.series, s.conflict, s.grounded, len(s.sources), sources_cell(s.sources),
            s.sources[0].text if s.sources else "", s.metric_key]  # fmt: skip


def _mile_row(m: Any) -> list[object]:
    return [m.id, m.date, m.event, "; ".join(m.actors), m.grounded, len(m.sources),
            sources_cell(m.sources), m.sources[0].text if m.sources else ""]  # fmt: skip


def _quote_row(q: Any, aliases: Sequence[str]) -> list[object]:
    return [q.id, q.speaker, q.speaker_role, q.text, "; ".join(aliases), q.grounded,
            len(q.sources), sources_cell(q.sources)]  # fmt: skip


def write_csvs(brief: BriefReader, out: Path) -> list[Path]:
    """Write ``statistics.csv``, ``milestones.csv`` and ``quotes.csv`` under ``out``."""
    out = Path(out)
    stats = _write_csv(
        out / "statistics.csv", _STAT_HEADER, map(_stat_row, brief.iter_statistics())
    )
    miles = _write_csv(out / "milestones.csv", _MILE_HEADER, map(_mile_row, brief.iter_timeline()))
    quotes = _write_csv(
        out / "quotes.csv",
        _QUOTE_HEADER,
        (
            _quote_row(q, sq.aliases)
            for sq, quotes in brief.iter_speakers_streamed()
            for q in quotes
        ),
    )
    return [stats, miles, quotes]


class _OnePass(SummaryLines, _Taps):
    """The CSV rows and ``summary.md`` lines of the records brief.json writes."""

    def __init__(self, n: BriefCounts, stats: Any, miles: Any, quotes: Any) -> None:
        super().__init__(n)
        self.csv = (stats, miles, quotes)

    def statistic(self, s: Any) -> None:
        """A statistic: its CSV row and its Markdown line."""
        _csv_row(self.csv[0], _stat_row(s))
        super().statistic(s)

    def milestone(self, m: Any) -> None:
        """A milestone: its CSV row and its Markdown line."""
        _csv_row(self.csv[1], _mile_row(m))
        super().milestone(m)

    def quote(self, q: Any) -> None:
        """A quote: its CSV row (with the speaker's aliases) and its Markdown line."""
        assert self._speaker is not None
        _csv_row(self.csv[2], _quote_row(q, self._speaker.aliases))
        super().quote(q)


def _csv_row(writer: Any, row: Sequence[object]) -> None:
    writer.writerow([csv_cell(v) for v in row])


def write_brief_outputs(
    brief: BriefReader,
    out: Path,
    *,
    articles: Callable[[], Iterable[ArticleResult]],
    text_for: Callable[[str], str | None],
    max_articles: int | None = None,
) -> list[Path]:
    """Write every folder-level output under ``out`` and return their paths.

    ``brief.json``, the CSV files and ``summary.md`` are written in one pass over the
    brief (each record is read and built once). ``articles`` is called once and may
    stream results from disk, in document-id order: the report reads only the first
    ``max_articles`` of them (default 300), and ``text_for`` (an article's text as
    loaded, by id, or None) only for those.
    """
    out = Path(out)
    names = ("statistics.csv", "milestones.csv", "quotes.csv")
    headers = (_STAT_HEADER, _MILE_HEADER, _QUOTE_HEADER)
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open_atomic(out / name)) for name in names]
        writers = [csv.writer(fh, lineterminator="\r\n") for fh in files]
        for writer, header in zip(writers, headers, strict=True):
            writer.writerow(header)
        taps = _OnePass(brief.counts(), *writers)
        paths = [write_brief_json(brief, out, taps=taps), *(out / name for name in names)]
    with open_atomic(out / "summary.md") as fh:
        for line in taps.lines(brief.near_duplicates):
            fh.write(line + "\n")
    paths.append(out / "summary.md")
    kwargs = {} if max_articles is None else {"max_articles": max_articles}
    paths.append(write_report_html(brief, articles(), text_for, out, **kwargs))
    return paths
