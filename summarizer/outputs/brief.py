"""The outputs people read: CSV tables, a Markdown brief and one HTML report.

:func:`write_brief_outputs` is the entry point; each writer is usable alone. Every file is
written atomically (a temporary file in the same folder, then ``os.replace``).

* ``statistics.csv``, ``milestones.csv``, ``quotes.csv``: one row per consolidated record,
  UTF-8 with a header row, loadable by ``csv``, pandas and spreadsheets as they are. The
  ``sources`` column lists ``doc_id:start-end`` separated by ``"; "`` (``doc_id:?`` when a
  kept record has no offsets); ``source_count`` counts them.
* ``summary.md``: what the folder covers, the timeline, the key statistics and their
  series, quotes by speaker, conflicts and warnings. Long lists are cut, and say so.
* ``report.html``: see :mod:`summarizer.report_html`.
* ``brief.json``: the :class:`~summarizer.consolidate.Brief` itself.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from summarizer.corpus.consolidate import Brief, Source
from summarizer.outputs.files import write_text_atomic
from summarizer.outputs.html import count, format_value, write_report_html
from summarizer.records import ArticleResult

__all__ = [
    "format_value",
    "sources_cell",
    "write_brief_outputs",
    "write_csvs",
    "write_report_html",
    "write_summary_md",
]

_MD_CAP = 50  # items per list in summary.md


def sources_cell(sources: Sequence[Source]) -> str:
    """``doc_id:start-end; doc_id:start-end`` for a CSV cell."""
    return "; ".join(
        f"{s.doc_id}:{s.start}-{s.end}" if s.start is not None else f"{s.doc_id}:?" for s in sources
    )


def _num(value: float | None) -> str:
    return "" if value is None else format(value, ".15g")


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buf.getvalue()


def write_csvs(brief: Brief, out: Path) -> list[Path]:
    """Write ``statistics.csv``, ``milestones.csv`` and ``quotes.csv`` under ``out``."""
    out = Path(out)
    stats = _csv_text(
        ["id", "metric", "value", "unit", "value_text", "qualifier", "period", "series",
         "conflict", "grounded", "source_count", "sources", "evidence", "metric_key"],
        (
            [s.id, s.metric, _num(s.value), s.unit, s.value_text, s.qualifier, s.period,
             s.series, s.conflict, s.grounded, len(s.sources), sources_cell(s.sources),
             s.sources[0].text if s.sources else "", s.metric_key]
            for s in brief.statistics
        ),
    )  # fmt: skip
    miles = _csv_text(
        ["id", "date", "event", "actors", "grounded", "source_count", "sources", "evidence"],
        (
            [m.id, m.date, m.event, "; ".join(m.actors), m.grounded, len(m.sources),
             sources_cell(m.sources), m.sources[0].text if m.sources else ""]
            for m in brief.timeline
        ),
    )  # fmt: skip
    quotes = _csv_text(
        ["id", "speaker", "speaker_role", "text", "aliases", "grounded", "source_count",
         "sources"],
        (
            [q.id, q.speaker, q.speaker_role, q.text, "; ".join(sq.aliases), q.grounded,
             len(q.sources), sources_cell(q.sources)]
            for sq in brief.quotes_by_speaker
            for q in sq.quotes
        ),
    )  # fmt: skip
    paths = [out / "statistics.csv", out / "milestones.csv", out / "quotes.csv"]
    for path, text in zip(paths, (stats, miles, quotes), strict=True):
        write_text_atomic(path, text)
    return paths


# --------------------------------------------------------------------------- summary.md

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text: str) -> str:
    """Article text made inert in Markdown: one line, special characters escaped."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def _docs(sources: Sequence[Source]) -> str:
    ids = list(dict.fromkeys(s.doc_id for s in sources))
    return ", ".join(f"`{i}`" for i in ids)


def _cut(lines: list[str], total: int, what: str) -> list[str]:
    if total > len(lines):
        lines.append(f"- … and {total - len(lines)} more {what} (see the CSV files)")
    return lines


def _summary_lines(brief: Brief) -> list[str]:
    docs = brief.documents
    n_dup = sum(1 for d in docs if d.duplicate_of)
    multi = [s for s in brief.statistics if len({x.doc_id for x in s.sources}) > 1]
    n_quotes = sum(len(sq.quotes) for sq in brief.quotes_by_speaker)
    lines = [
        f"# Brief: {count(len(docs), 'document')}",
        "",
        f"{count(len(brief.statistics), 'statistic')} ({len(multi)} stated by several "
        f"articles, {count(len(brief.series), 'time series', 'time series')}, "
        f"{count(len(brief.conflicts), 'conflict')}), "
        f"{count(len(brief.timeline), 'milestone')}, {count(n_quotes, 'quote')} by "
        f"{count(len(brief.quotes_by_speaker), 'speaker')}. "
        f"{count(len(brief.near_duplicates), 'near-duplicate group')}, "
        f"{count(n_dup, 'exact duplicate')}, {count(brief.ungrounded, 'record')} without "
        "evidence in the text.",
        "",
        "## Documents",
        "",
    ]
    doc_lines = []
    for d in docs[:_MD_CAP]:
        title = _md(d.title) if d.title else "_(no title)_"
        counts = ", ".join(
            count(n, w)
            for n, w in (
                (d.statistics, "statistic"),
                (d.milestones, "milestone"),
                (d.quotes, "quote"),
            )
        )
        line = f"- `{d.id}`: {title} ({counts})"
        if d.duplicate_of:
            line += f"; exact duplicate of `{d.duplicate_of}`"
        if d.near_duplicates:
            line += "; near-duplicate of " + ", ".join(f"`{x}`" for x in d.near_duplicates)
        doc_lines.append(line)
    lines += _cut(doc_lines, len(docs), "documents")
    if brief.near_duplicates:
        lines += ["", "Near-duplicate groups (the same story on several sites):", ""]
        lines += [f"- {', '.join(f'`{i}`' for i in g)}" for g in brief.near_duplicates]
    lines += ["", "## Timeline", ""]
    timeline = [
        f"- **{m.date or 'undated'}**: {_md(m.event)} ({_docs(m.sources)})"
        for m in brief.timeline[:_MD_CAP]
    ]
    lines += _cut(timeline, len(brief.timeline), "milestones") or ["_No milestones._"]
    lines += ["", "## Key statistics", ""]
    if brief.series:
        lines += ["Time series (a metric at several periods):", ""]
    for name, series in list(brief.series.items())[:_MD_CAP]:
        points = " → ".join(
            f"{format_value(p.value, p.unit, p.value_text)} ({p.period or 'undated'}"
            f"{', projected' if p.qualifier == 'projected' else ''}; {_docs(p.sources)})"
            + (" **conflict**" if p.conflict else "")
            for p in series.points
        )
        lines.append(f"- **{_md(name)}**: {points}")
    singles = [s for s in multi if s.series is None]
    if singles:
        lines += ["", "Stated by several articles:", ""]
        rows = [
            f"- {_md(s.metric)}: {format_value(s.value, s.unit, s.value_text)}"
            f"{f' ({s.period})' if s.period else ''} ({_docs(s.sources)})"
            for s in singles[:_MD_CAP]
        ]
        lines += _cut(rows, len(singles), "statistics")
    if not brief.series and not singles:
        lines.append("_No statistic is stated by more than one article or at several periods._")
    lines += ["", "## Quotes by speaker", ""]
    for sq in brief.quotes_by_speaker[:_MD_CAP]:
        also = [a for a in sq.aliases if a != sq.speaker]
        lines.append(
            f"### {_md(sq.speaker)}" + (f" (also: {_md(', '.join(also))})" if also else "")
        )
        lines.append("")
        for q in sq.quotes[:10]:
            lines.append(f"> “{_md(q.text)}” ({_docs(q.sources)})")
            lines.append("")
        if len(sq.quotes) > 10:
            lines += [f"… and {len(sq.quotes) - 10} more quotes (see quotes.csv)", ""]
    if not brief.quotes_by_speaker:
        lines += ["_No quotes._", ""]
    lines += ["## Conflicts", ""]
    for c in brief.conflicts:
        values = " vs ".join(
            f"{format_value(v.value, c.unit, v.value_text)} ({_docs(v.sources)})" for v in c.values
        )
        lines.append(f"- **{_md(c.metric)}** ({c.period}): {values}")
    if not brief.conflicts:
        lines.append("_No conflicting values._")
    lines += ["", "## Warnings", ""]
    for doc_id, warnings in brief.warnings.items():
        lines += [f"- `{doc_id}`: {_md(w)}" for w in warnings]
    if not brief.warnings:
        lines.append("_No warnings._")
    return lines


def write_summary_md(brief: Brief, out: Path) -> Path:
    """Write ``summary.md``, a readable brief of the folder, under ``out``."""
    path = Path(out) / "summary.md"
    write_text_atomic(path, "\n".join(_summary_lines(brief)) + "\n")
    return path


def write_brief_outputs(
    brief: Brief,
    out: Path,
    *,
    articles: Callable[[], Iterable[ArticleResult]],
    text_for: Callable[[str], str | None],
    max_articles: int | None = None,
) -> list[Path]:
    """Write every folder-level output under ``out`` and return their paths.

    ``articles`` is called once and may stream results from disk; ``text_for`` returns an
    article's text (as loaded) by document id, or None when it cannot.
    """
    out = Path(out)
    brief_json = out / "brief.json"
    write_text_atomic(brief_json, brief.model_dump_json(indent=2) + "\n")
    paths = [brief_json, *write_csvs(brief, out), write_summary_md(brief, out)]
    kwargs = {} if max_articles is None else {"max_articles": max_articles}
    paths.append(write_report_html(brief, articles(), text_for, out, **kwargs))
    return paths
