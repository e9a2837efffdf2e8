"""``summary.md``: the folder's brief as Markdown people read (see :mod:`summarizer.outputs.brief`).

Every list is cut to its first :data:`_MD_CAP` items, and says so; text from articles,
models and file names is escaped (:func:`md_text`, :func:`md_code`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from summarizer.corpus.models import BriefCounts, BriefReader, Source
from summarizer.outputs._stream import open_atomic
from summarizer.outputs.html import count, format_value

__all__ = ["md_code", "md_text", "write_summary_md"]

_MD_CAP = 50  # items per list in summary.md
_MD_DOCS = 10  # document ids per item
_MD_POINTS = 12  # values per series line


# --------------------------------------------------------------------------- summary.md

# Characters that start Markdown syntax or raw HTML anywhere in a line (CommonMark lets
# any ASCII punctuation be backslash-escaped). Line-start syntax (#, -, +, 1.) cannot
# occur: every line starts with our own prefix.
_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#&!~"})
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def _visible(text: str) -> str:
    """Control characters as ``\\xNN``: a file name may hold a newline or an escape."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def md_text(text: str) -> str:
    """Text from an article, a model or a file name, inert in Markdown: one line, escaped."""
    return " ".join(_visible(text).split()).translate(_MD_SPECIAL)


def md_code(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds (HTML in it stays text)."""
    text = " ".join(_visible(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _docs(sources: Sequence[Source]) -> str:
    ids = list(dict.fromkeys(s.doc_id for s in sources))
    shown = ", ".join(md_code(i) for i in ids[:_MD_DOCS])
    return shown + (f" and {len(ids) - _MD_DOCS} more" if len(ids) > _MD_DOCS else "")


def _value(value: float | None, unit: str | None, value_text: str) -> str:
    return md_text(format_value(value, unit, value_text))


def _cut(lines: list[str], total: int, what: str) -> list[str]:
    if total > len(lines):
        lines.append(f"- … and {total - len(lines)} more {what} (see the CSV files)")
    return lines


def _capped(items: Iterable[str], cap: int, what: str) -> list[str]:
    lines: list[str] = []
    total = 0
    for line in items:
        total += 1
        if total <= cap:
            lines.append(line)
    return _cut(lines, total, what)


def _document_line(d: Any) -> str:
    title = md_text(d.title) if d.title else "_(no title)_"
    counts = ", ".join(
        count(n, w)
        for n, w in ((d.statistics, "statistic"), (d.milestones, "milestone"), (d.quotes, "quote"))
    )
    line = f"- {md_code(d.id)}: {title} ({counts})"
    if d.duplicate_of:
        line += f"; exact duplicate of {md_code(d.duplicate_of)}"
    if d.near_duplicates:
        line += "; near-duplicate of " + ", ".join(md_code(x) for x in d.near_duplicates)
    return line


def _statistics_lines(brief: BriefReader) -> tuple[int, list[str]]:
    """(statistics stated by several articles, lines for the first of those not in a series)."""
    multi, singles, rows = 0, 0, list[str]()
    for s in brief.iter_statistics():
        if len({x.doc_id for x in s.sources}) > 1:
            multi += 1
            singles += s.series is None
            if s.series is None and len(rows) < _MD_CAP:
                period = f" ({md_text(s.period)})" if s.period else ""
                rows.append(
                    f"- {md_text(s.metric)}: {_value(s.value, s.unit, s.value_text)}{period}"
                    f" ({_docs(s.sources)})"
                )
    return multi, _cut(rows, singles, "statistics")


def _series_line(name: str, points: Iterable[Any], total: int) -> str:
    shown = " → ".join(
        f"{_value(p.value, p.unit, p.value_text)} ({md_text(p.period or 'undated')}"
        f"{', projected' if p.qualifier == 'projected' else ''}; {_docs(p.sources)})"
        + (" **conflict**" if p.conflict else "")
        for p in itertools.islice(points, _MD_POINTS)
    )
    more = f" → … and {total - _MD_POINTS} more (see statistics.csv)" if total > _MD_POINTS else ""
    return f"- **{md_text(name)}**: {shown}{more}"


def _conflict_line(c: Any) -> str:
    return f"- **{md_text(c.metric)}** ({md_text(c.period)}): " + " vs ".join(
        f"{_value(v.value, c.unit, v.value_text)} ({_docs(v.sources)})" for v in c.values
    )


def _summary_head(n: BriefCounts, multi: int) -> list[str]:
    return [
        f"# Brief: {count(n.documents, 'document')}",
        "",
        f"{count(n.statistics, 'statistic')} ({multi} stated by several "
        f"articles, {count(n.series, 'time series', 'time series')}, "
        f"{count(n.conflicts, 'conflict')}), "
        f"{count(n.milestones, 'milestone')}, {count(n.quotes, 'quote')} by "
        f"{count(n.speakers, 'speaker')}. "
        f"{count(n.near_duplicate_groups, 'near-duplicate group')}, "
        f"{count(n.exact_duplicates, 'exact duplicate')}, {count(n.ungrounded, 'record')} "
        "without evidence in the text.",
        "",
        "## Documents",
        "",
    ]


def _summary_lines(brief: BriefReader) -> list[str]:
    n = brief.counts()
    multi, singles = _statistics_lines(brief)
    lines = _summary_head(n, multi)
    lines += _capped(map(_document_line, brief.iter_documents()), _MD_CAP, "documents")
    if brief.near_duplicates:
        lines += ["", "Near-duplicate groups (the same story on several sites):", ""]
        groups = (f"- {', '.join(md_code(i) for i in g)}" for g in brief.near_duplicates)
        lines += _capped(groups, _MD_CAP, "groups")
    lines += ["", "## Timeline", ""]
    timeline = (
        f"- **{md_text(m.date or 'undated')}**: {md_text(m.event)} ({_docs(m.sources)})"
        for m in brief.iter_timeline()
    )
    lines += _capped(timeline, _MD_CAP, "milestones") or ["_No milestones._"]
    lines += ["", "## Key statistics", ""]
    if n.series:
        lines += ["Time series (a metric at several periods):", ""]
    series = (
        _series_line(head.name, points, head.points)
        for head, points in brief.iter_series_streamed()
    )
    lines += _cut(list(itertools.islice(series, _MD_CAP)), n.series, "series")
    if singles:
        lines += ["", "Stated by several articles:", ""]
        lines += singles
    if not n.series and not singles:
        lines.append("_No statistic is stated by more than one article or at several periods._")
    lines += ["", "## Quotes by speaker", ""]
    for i, sq in enumerate(brief.iter_quotes_by_speaker()):
        if i == _MD_CAP:
            lines += [f"… and {n.speakers - _MD_CAP} more speakers (see quotes.csv)", ""]
            break
        also = [a for a in sq.aliases if a != sq.speaker]
        lines.append(
            f"### {md_text(sq.speaker)}" + (f" (also: {md_text(', '.join(also))})" if also else "")
        )
        lines.append("")
        for q in sq.quotes[:10]:
            lines.append(f"> “{md_text(q.text)}” ({_docs(q.sources)})")
            lines.append("")
        if len(sq.quotes) > 10:
            lines += [f"… and {len(sq.quotes) - 10} more quotes (see quotes.csv)", ""]
    if not n.speakers:
        lines += ["_No quotes._", ""]
    lines += ["## Conflicts", ""]
    conflicts = map(_conflict_line, brief.iter_conflicts())
    lines += _capped(conflicts, _MD_CAP, "conflicts") or ["_No conflicting values._"]
    lines += ["", "## Warnings", ""]
    warnings = (
        f"- {md_code(doc_id)}: {md_text(w)}"
        for doc_id, texts in brief.iter_warnings()
        for w in texts
    )
    lines += _capped(warnings, _MD_CAP, "warnings") or ["_No warnings._"]
    return lines


def write_summary_md(brief: BriefReader, out: Path) -> Path:
    """Write ``summary.md``, a readable brief of the folder, under ``out``."""
    path = Path(out) / "summary.md"
    with open_atomic(path) as fh:
        for line in _summary_lines(brief):
            fh.write(line + "\n")
    return path
