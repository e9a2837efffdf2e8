"""The outputs people read: CSV tables, a Markdown brief, ``brief.json`` and one HTML report.

:func:`write_brief_outputs` is the entry point; each writer is usable alone. Every writer
reads the brief through :class:`~summarizer.corpus.models.BriefReader` (a
:class:`~summarizer.corpus.models.Brief` in memory, or the
:class:`~summarizer.corpus.stored.StoredBrief` of a streaming run) in one pass
(:func:`~summarizer.outputs._walk.walk`), one record at a time with its sources streamed,
so writing holds neither the folder nor a record's thousands of sources.
Every file is written atomically (a temporary file in the same folder, then ``os.replace``).

* ``statistics.csv``, ``milestones.csv``, ``quotes.csv``: one row per consolidated record,
  UTF-8 with a header row, loadable by ``csv``, pandas and spreadsheets as they are. The
  ``sources`` column lists ``doc_id:start-end`` separated by ``"; "`` (``doc_id:?`` when a
  kept record has no offsets), cut at 32,000 characters with ``… and N more (see
  brief.json)`` (spreadsheets cut a cell at 32,767); ``source_count`` counts them all.
  A text cell that a spreadsheet would run as a formula (it starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return, and is not a plain number) gets a leading
  ``'`` (OWASP's advice for CSV injection); ``brief.json`` keeps every value exact.
* ``summary.md``: what the folder covers, the timeline, the key statistics and their
  series, quotes by speaker, conflicts and warnings. Long lists are cut, and say so. Text
  from articles, models and file names is escaped, so no raw HTML or Markdown gets in.
* ``report.html``: see :mod:`summarizer.outputs.html`.
* ``brief.json``: the brief, byte for byte what ``Brief.model_dump_json(indent=2)`` gives.
"""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from summarizer.corpus.models import BriefCounts, BriefReader, Source
from summarizer.outputs._markdown import (
    SummaryLines,
    md_code,
    md_text,
    write_summary_md,
)
from summarizer.outputs._stream import open_atomic
from summarizer.outputs._walk import SourceDigest, Taps, walk
from summarizer.outputs.html import (
    DEFAULT_MAX_ARTICLES,
    ReportViews,
    format_value,
    write_report_html,
)
from summarizer.records import ArticleResult, RunFailure

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


def write_brief_json(brief: BriefReader, out: Path) -> Path:
    """Stream ``brief.json`` under ``out``, one record (and one source) at a time.

    The bytes are those of ``Brief.model_dump_json(indent=2)`` plus a newline.
    """
    path = Path(out) / "brief.json"
    with open_atomic(path) as fh:
        walk(brief, Taps(), fh)
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


def sources_cell(sources: Iterable[Source]) -> str:
    """``doc_id:start-end; doc_id:start-end`` for a CSV cell (cut at ``_walk.CELL_CHARS``)."""
    return SourceDigest(sources).cell()


def _num(value: float | None) -> str:
    return "" if value is None else format(value, ".15g")


_STAT_HEADER = ["id", "metric", "value", "unit", "value_text", "qualifier", "period", "series",
                "conflict", "grounded", "source_count", "sources", "evidence", "metric_key"]  # fmt: skip
_MILE_HEADER = ["id", "date", "event", "actors", "grounded", "source_count", "sources", "evidence"]
_QUOTE_HEADER = ["id", "speaker", "speaker_role", "text", "aliases", "grounded", "source_count",
                 "sources"]  # fmt: skip
_NAMES = ("statistics.csv", "milestones.csv", "quotes.csv")
_HEADERS = (_STAT_HEADER, _MILE_HEADER, _QUOTE_HEADER)


def _stat_row(s: Any, src: SourceDigest) -> list[object]:
    return [s.id, s.metric, _num(s.value), s.unit, s.value_text, s.qualifier, s.period,
            s.series, s.conflict, s.grounded, src.count, src.cell(), src.evidence,
            s.metric_key]  # fmt: skip


def _mile_row(m: Any, src: SourceDigest) -> list[object]:
    return [m.id, m.date, m.event, "; ".join(m.actors), m.grounded, src.count, src.cell(),
            src.evidence]  # fmt: skip


def _quote_row(q: Any, aliases: Sequence[str], src: SourceDigest) -> list[object]:
    return [q.id, q.speaker, q.speaker_role, q.text, "; ".join(aliases), q.grounded,
            src.count, src.cell()]  # fmt: skip


def _csv_row(writer: Any, row: Sequence[object]) -> None:
    # csv_cell only for the cells it can change (the rows are most of the CSV time).
    writer.writerow(
        [
            csv_cell(v) if v is None or (type(v) is str and v.startswith(_FORMULA_START)) else v
            for v in row
        ]
    )


class _CsvRows(Taps):
    """The rows of the three CSV files, written as the records pass."""

    def __init__(self, stats: Any, miles: Any, quotes: Any) -> None:
        self.csv = (stats, miles, quotes)
        self._aliases: Sequence[str] = ()

    def statistic(self, s: Any, src: SourceDigest) -> None:
        """A statistic's row."""
        _csv_row(self.csv[0], _stat_row(s, src))

    def milestone(self, m: Any, src: SourceDigest) -> None:
        """A milestone's row."""
        _csv_row(self.csv[1], _mile_row(m, src))

    def speaker(self, head: Any) -> None:
        """A speaker: their aliases go on each of their quotes' rows."""
        self._aliases = head.aliases

    def quote(self, q: Any, src: SourceDigest) -> None:
        """A quote's row (with the speaker's aliases)."""
        _csv_row(self.csv[2], _quote_row(q, self._aliases, src))


class _Fanout(Taps):
    """Several taps fed by one walk."""

    def __init__(self, *taps: Taps) -> None:
        self.taps = taps

    def document(self, d: Any) -> None:
        """A document."""
        for t in self.taps:
            t.document(d)

    def statistic(self, s: Any, src: SourceDigest) -> None:
        """A statistic."""
        for t in self.taps:
            t.statistic(s, src)

    def series(self, head: Any) -> None:
        """A series."""
        for t in self.taps:
            t.series(head)

    def point(self, p: Any, src: SourceDigest) -> None:
        """A point."""
        for t in self.taps:
            t.point(p, src)

    def conflict(self, head: Any) -> None:
        """A conflict."""
        for t in self.taps:
            t.conflict(head)

    def value_source(self, s: Source) -> None:
        """A source of a conflict's value."""
        for t in self.taps:
            t.value_source(s)

    def value(self, v: Any, src: SourceDigest) -> None:
        """A value of a conflict."""
        for t in self.taps:
            t.value(v, src)

    def milestone(self, m: Any, src: SourceDigest) -> None:
        """A milestone."""
        for t in self.taps:
            t.milestone(m, src)

    def speaker(self, head: Any) -> None:
        """A speaker."""
        for t in self.taps:
            t.speaker(head)

    def quote(self, q: Any, src: SourceDigest) -> None:
        """A quote."""
        for t in self.taps:
            t.quote(q, src)

    def warning(self, item: tuple[str, list[str]]) -> None:
        """A document's warnings."""
        for t in self.taps:
            t.warning(item)


@contextlib.contextmanager
def _csv_files(out: Path) -> Any:
    """The three CSV writers, headers written; the files appear when the block ends."""
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open_atomic(out / name)) for name in _NAMES]
        writers = [csv.writer(fh, lineterminator="\r\n") for fh in files]
        for writer, header in zip(writers, _HEADERS, strict=True):
            writer.writerow(header)
        yield writers


def write_csvs(brief: BriefReader, out: Path) -> list[Path]:
    """Write ``statistics.csv``, ``milestones.csv`` and ``quotes.csv`` under ``out``."""
    out = Path(out)
    with _csv_files(out) as writers:
        walk(brief, _CsvRows(*writers))
    return [out / name for name in _NAMES]


def write_brief_outputs(
    brief: BriefReader,
    out: Path,
    *,
    articles: Callable[[], Iterable[ArticleResult]],
    text_for: Callable[[str], str | None],
    max_articles: int | None = None,
    failed: Sequence[RunFailure] = (),
    skipped: Sequence[RunFailure] = (),
) -> list[Path]:
    """Write every folder-level output under ``out`` and return their paths.

    All of them are made in one pass over the brief (each record, and each of its
    sources, is read from the store once): ``brief.json`` as it goes, the CSV rows,
    and the lines of ``summary.md`` and the sections of ``report.html``, which keep
    their first items only. ``articles`` is called once, first, and may stream results
    from disk, in document-id order: the report reads only the first ``max_articles``
    of them (default 300), and ``text_for`` (an article's text as loaded, by id, or
    None) only for those. ``failed`` and ``skipped`` (a run report's) are the articles
    that are not in the brief: summary.md and report.html list them with their reasons.
    """
    out = Path(out)
    counts: BriefCounts = brief.counts()
    report = ReportViews(
        counts,
        articles(),
        text_for,
        max_articles=DEFAULT_MAX_ARTICLES if max_articles is None else max_articles,
        failed=failed,
        skipped=skipped,
    )
    summary = SummaryLines(counts, failed=failed, skipped=skipped)
    with _csv_files(out) as writers, open_atomic(out / "brief.json") as fh:
        walk(brief, _Fanout(_CsvRows(*writers), summary, report), fh)
    paths = [out / "brief.json", *(out / name for name in _NAMES)]
    with open_atomic(out / "summary.md") as md:
        for line in summary.lines(brief.near_duplicates):
            md.write(line + "\n")
    paths.append(out / "summary.md")
    paths.append(report.write(out))
    return paths
