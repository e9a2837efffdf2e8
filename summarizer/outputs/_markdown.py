"""``summary.md``: the folder's brief as Markdown people read (see :mod:`summarizer.outputs.brief`).

Every list is cut to its first :data:`_MD_CAP` items, and says so; text from articles,
models and file names is escaped (:func:`md_text`, :func:`md_code`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from summarizer.corpus.models import BriefCounts, BriefReader, ConflictHead, SeriesHead, SpeakerHead
from summarizer.outputs._stream import open_atomic
from summarizer.outputs._walk import SHOWN_DOCS, SourceDigest, Taps, walk
from summarizer.outputs.html import count, format_value
from summarizer.records import RunFailure

__all__ = ["SummaryLines", "md_code", "md_text", "write_summary_md"]

_MD_CAP = 50  # items per list in summary.md
_MD_DOCS = SHOWN_DOCS  # document ids per item
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


def _docs(src: SourceDigest) -> str:
    shown = ", ".join(md_code(i) for i in src.docs[:_MD_DOCS])
    more = src.doc_count - _MD_DOCS
    return shown + (f" and {more} more" if more > 0 else "")


def _value(value: float | None, unit: str | None, value_text: str) -> str:
    return md_text(format_value(value, unit, value_text))


def _cut(lines: list[str], total: int, what: str, where: str = "the CSV files") -> list[str]:
    if total > len(lines):
        lines.append(f"- … and {total - len(lines)} more {what} (see {where})")
    return lines


def _capped(items: Iterable[str], cap: int, what: str, where: str = "the CSV files") -> list[str]:
    lines: list[str] = []
    total = 0
    for line in items:
        total += 1
        if total <= cap:
            lines.append(line)
    return _cut(lines, total, what, where)


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


def _point_text(p: Any, src: SourceDigest) -> str:
    return (
        f"{_value(p.value, p.unit, p.value_text)} ({md_text(p.period or 'undated')}"
        f"{', projected' if p.qualifier == 'projected' else ''}; {_docs(src)})"
        + (" **conflict**" if p.conflict else "")
    )


def _series_line(name: str, points: Iterable[str], total: int) -> str:
    shown = " → ".join(points)
    more = f" → … and {total - _MD_POINTS} more (see statistics.csv)" if total > _MD_POINTS else ""
    return f"- **{md_text(name)}**: {shown}{more}"


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


def _left_out(failed: Sequence[RunFailure], skipped: Sequence[RunFailure]) -> list[str]:
    """The section on the articles that are not in the brief (none: no section)."""
    if not failed and not skipped:
        return []
    lines = ["", "## Not in this brief", ""]
    were = "was" if len(skipped) == 1 else "were"
    lines.append(
        f"{count(len(failed), 'article')} failed and {count(len(skipped), 'file')} {were} "
        "skipped; run.json has every reason, and a rerun retries the failed ones."
    )
    for what, items in (("Failed", failed), ("Skipped", skipped)):
        if items:
            lines += ["", f"{what}:", ""]
            rows = (f"- {md_code(f.id or f.path)}: {md_text(f.reason)}" for f in items)
            lines += _capped(rows, _MD_CAP, f"{what.lower()} articles", "run.json")
    return lines


class SummaryLines(Taps):
    """Collects the lines of ``summary.md`` from the brief's records, one at a time.

    Fed by :func:`~summarizer.outputs._walk.walk` in the order brief.json lists them
    (documents, statistics, series with their points, conflicts, timeline, speakers with
    their quotes, warnings): alone in :func:`write_summary_md`, or with the other writers
    in :func:`~summarizer.outputs.brief.write_brief_outputs`. Each section keeps its
    first items only, so this holds a few hundred lines, not the folder.
    """

    def __init__(
        self,
        n: BriefCounts,
        *,
        failed: Sequence[RunFailure] = (),
        skipped: Sequence[RunFailure] = (),
    ) -> None:
        self.n = n
        self.failed = failed
        self.skipped = skipped
        self.docs: list[str] = []
        self.docs_total = 0
        self.multi = self.singles = 0
        self.single_rows: list[str] = []
        self.series_lines: list[str] = []
        self._series: tuple[SeriesHead, list[str]] | None = None
        self._conflict: tuple[ConflictHead, list[str]] | None = None
        self.conflicts: list[str] = []
        self.conflicts_total = 0
        self.timeline: list[str] = []
        self.timeline_total = 0
        self.quote_lines: list[str] = []
        self._speaker: SpeakerHead | None = None
        self._speakers = 0
        self._quotes = 0
        self.warnings: list[str] = []
        self.warnings_total = 0

    def document(self, d: Any) -> None:
        """A document."""
        self.docs_total += 1
        if self.docs_total <= _MD_CAP:
            self.docs.append(_document_line(d))

    def statistic(self, s: Any, src: SourceDigest) -> None:
        """A statistic: listed when several articles state it outside a series."""
        if src.doc_count > 1:
            self.multi += 1
            self.singles += s.series is None
            if s.series is None and len(self.single_rows) < _MD_CAP:
                period = f" ({md_text(s.period)})" if s.period else ""
                self.single_rows.append(
                    f"- {md_text(s.metric)}: {_value(s.value, s.unit, s.value_text)}{period}"
                    f" ({_docs(src)})"
                )

    def series(self, head: SeriesHead) -> None:
        """A series; its points follow."""
        self._end_series()
        if len(self.series_lines) < _MD_CAP:
            self._series = (head, [])

    def point(self, p: Any, src: SourceDigest) -> None:
        """A point of the current series."""
        if self._series is not None and len(self._series[1]) < _MD_POINTS:
            self._series[1].append(_point_text(p, src))

    def _end_series(self) -> None:
        if self._series is not None:
            head, points = self._series
            self.series_lines.append(_series_line(head.name, points, head.points))
            self._series = None

    def conflict(self, head: ConflictHead) -> None:
        """A conflict; its values follow."""
        self._end_series()
        self._end_conflict()
        self.conflicts_total += 1
        if self.conflicts_total <= _MD_CAP:
            self._conflict = (head, [])

    def value(self, v: Any, src: SourceDigest) -> None:
        """A value of the current conflict (the line lists every value)."""
        if self._conflict is not None:
            head, values = self._conflict
            values.append(f"{_value(v.value, head.unit, v.value_text)} ({_docs(src)})")

    def _end_conflict(self) -> None:
        if self._conflict is not None:
            head, values = self._conflict
            line = f"- **{md_text(head.metric)}** ({md_text(head.period)}): "
            self.conflicts.append(line + " vs ".join(values))
            self._conflict = None

    def milestone(self, m: Any, src: SourceDigest) -> None:
        """A milestone of the timeline."""
        self._end_series()
        self._end_conflict()
        self.timeline_total += 1
        if self.timeline_total <= _MD_CAP:
            self.timeline.append(
                f"- **{md_text(m.date or 'undated')}**: {md_text(m.event)} ({_docs(src)})"
            )

    def speaker(self, head: SpeakerHead) -> None:
        """A speaker; their quotes follow."""
        self._end_series()
        self._end_conflict()
        self._end_speaker()
        self._speaker, self._quotes = head, 0
        if self._speakers < _MD_CAP:
            also = [a for a in head.aliases if a != head.speaker]
            self.quote_lines.append(
                f"### {md_text(head.speaker)}"
                + (f" (also: {md_text(', '.join(also))})" if also else "")
            )
            self.quote_lines.append("")
        elif self._speakers == _MD_CAP:
            self.quote_lines += [
                f"… and {self.n.speakers - _MD_CAP} more speakers (see quotes.csv)",
                "",
            ]
        self._speakers += 1

    def quote(self, q: Any, src: SourceDigest) -> None:
        """A quote of the current speaker."""
        self._quotes += 1
        if self._speakers <= _MD_CAP and self._quotes <= 10:
            self.quote_lines += [f"> “{md_text(q.text)}” ({_docs(src)})", ""]

    def _end_speaker(self) -> None:
        head = self._speaker
        if head is not None and self._speakers <= _MD_CAP and head.quotes > 10:
            self.quote_lines += [f"… and {head.quotes - 10} more quotes (see quotes.csv)", ""]
        self._speaker = None

    def warning(self, item: tuple[str, list[str]]) -> None:
        """A document's warnings."""
        self._end_series()
        self._end_conflict()
        self._end_speaker()
        doc_id, texts = item
        for w in texts:
            self.warnings_total += 1
            if self.warnings_total <= _MD_CAP:
                self.warnings.append(f"- {md_code(doc_id)}: {md_text(w)}")

    def lines(self, near_duplicates: Sequence[Sequence[str]]) -> list[str]:
        """The lines of ``summary.md`` (once every record was fed)."""
        self._end_series()
        self._end_conflict()
        self._end_speaker()
        n = self.n
        lines = _summary_head(n, self.multi)
        lines += _cut(self.docs, self.docs_total, "documents")
        lines += _left_out(self.failed, self.skipped)
        if near_duplicates:
            lines += ["", "Near-duplicate groups (the same story on several sites):", ""]
            groups = (f"- {', '.join(md_code(i) for i in g)}" for g in near_duplicates)
            lines += _capped(groups, _MD_CAP, "groups")
        lines += ["", "## Timeline", ""]
        lines += _cut(self.timeline, self.timeline_total, "milestones") or ["_No milestones._"]
        lines += ["", "## Key statistics", ""]
        if n.series:
            lines += ["Time series (a metric at several periods):", ""]
        lines += _cut(self.series_lines, n.series, "series")
        singles = _cut(self.single_rows, self.singles, "statistics")
        if singles:
            lines += ["", "Stated by several articles:", ""]
            lines += singles
        if not n.series and not singles:
            lines.append("_No statistic is stated by more than one article or at several periods._")
        lines += ["", "## Quotes by speaker", ""]
        lines += self.quote_lines
        if not n.speakers:
            lines += ["_No quotes._", ""]
        lines += ["## Conflicts", ""]
        lines += _cut(self.conflicts, self.conflicts_total, "conflicts") or [
            "_No conflicting values._"
        ]
        lines += ["", "## Warnings", ""]
        lines += _cut(self.warnings, self.warnings_total, "warnings") or ["_No warnings._"]
        return lines


def _summary_lines(brief: BriefReader) -> list[str]:
    """The lines of ``summary.md`` of ``brief``."""
    md = SummaryLines(brief.counts())
    walk(brief, md)
    return md.lines(brief.near_duplicates)


def write_summary_md(brief: BriefReader, out: Path) -> Path:
    """Write ``summary.md``, a readable brief of the folder, under ``out``."""
    path = Path(out) / "summary.md"
    with open_atomic(path) as fh:
        for line in _summary_lines(brief):
            fh.write(line + "\n")
    return path
