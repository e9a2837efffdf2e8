"""``report.html``: one self-contained page (inline CSS, JS and SVG; nothing from the network).

Each article's text is shown with its records highlighted at their evidence offsets. The
text is cut into segments at every span boundary, and each segment that some span covers
is a ``<mark>`` listing the covering records in ``data-rids`` (so overlapping spans need
no nesting: a record's span is the concatenation of the marks naming it). A record is
highlighted only when ``text[start:end] == evidence.text``; otherwise it is listed as
"offsets do not match the text". Clicking a record (or a source link elsewhere in the
page) opens its article, scrolls to its span and flashes it; checkboxes filter by type.

Large folders: at most ``max_articles`` articles (default 300) are shown, in the order
given, and only those are read (with their texts); each brief section shows its first
items (:data:`_CAPS`). The page says what was left out; the CSV files have every record.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import html
import importlib.resources
import itertools
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FunctionLoader
from jinja2.bccache import Bucket
from markupsafe import Markup

from summarizer.corpus.models import (
    BriefCounts,
    BriefReader,
    ConflictHead,
    Series,
    SeriesHead,
    SeriesPoint,
    Source,
    SpeakerHead,
)
from summarizer.outputs._stream import open_atomic
from summarizer.outputs._walk import SHOWN_SOURCES, SourceDigest, Taps, walk
from summarizer.records import RECORD_TYPES, ArticleResult, Milestone, Quote, RunFailure, Statistic

__all__ = [
    "DEFAULT_MAX_ARTICLES",
    "ReportViews",
    "count",
    "format_value",
    "highlight",
    "render_report_html",
    "svg_chart",
    "write_report_html",
]

DEFAULT_MAX_ARTICLES = 300
# The page stays a few megabytes however large the folder: each section shows its first
# items (the CSV files and brief.json have all of them).
_CAPS = {"documents": 500, "series": 60, "points": 60, "conflicts": 200, "values": 20,
         "timeline": 500, "speakers": 150, "quotes": 20}  # fmt: skip
_MAX_LINKS = SHOWN_SOURCES  # source links per record
_MAX_LEFT_OUT = 300  # failed (and skipped) articles listed; run.json has them all
TextSource = Mapping[str, str] | Callable[[str], str | None]

_KINDS = tuple(kind.name for kind in RECORD_TYPES.values())
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass
class _Record:
    rid: str
    kind: str
    label: str
    detail: str
    evidence: str
    start: int | None
    end: int | None
    flags: list[str] = field(default_factory=list)


@dataclass
class _Article:
    anchor: str
    doc_id: str
    title: str
    note: str
    summary: str
    body: Markup
    records: list[_Record]
    counts: dict[str, int]


def count(n: int, word: str, plural: str | None = None) -> str:
    """``1 conflict``, ``2 conflicts``."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _clip(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def highlight(text: str, spans: Sequence[tuple[str, str, int, int]]) -> Markup:
    """``text`` as escaped HTML with ``<mark>`` segments for ``(rid, kind, start, end)`` spans."""
    cuts = {0, len(text)}
    for _, _, start, end in spans:
        cuts.update((start, end))
    bounds = sorted(cuts)
    starting: dict[int, list[tuple[str, str]]] = {}
    ending: dict[int, list[tuple[str, str]]] = {}
    for rid, kind, start, end in spans:
        starting.setdefault(start, []).append((rid, kind))
        ending.setdefault(end, []).append((rid, kind))
    active: dict[str, str] = {}
    parts: list[str] = []
    for a, b in itertools.pairwise(bounds):
        for rid, _ in ending.get(a, ()):
            active.pop(rid, None)
        for rid, kind in starting.get(a, ()):
            active[rid] = kind
        chunk = _esc(text[a:b])
        if not active:
            parts.append(chunk)
            continue
        kinds = sorted(set(active.values()))
        cls = " ".join(f"t-{k}" for k in kinds) + (" multi" if len(active) > 1 else "")
        parts.append(
            f'<mark class="{cls}" data-rids="{_esc(" ".join(active))}" '
            f'data-types="{" ".join(kinds)}">{chunk}</mark>'
        )
    return Markup("".join(parts))


def _describe(rec: Statistic | Milestone | Quote) -> tuple[str, str, str]:
    """(kind, label, detail) of a record for the per-article list."""
    if isinstance(rec, Statistic):
        detail = f"period {rec.period or '—'}, unit {rec.unit or '—'}"
        return "statistic", f"{rec.metric}: {rec.value_text}", detail
    if isinstance(rec, Milestone):
        return "milestone", f"{rec.date or 'undated'}: {rec.event}", ", ".join(rec.actors)
    return "quote", f"{rec.speaker}: “{_clip(rec.text, 90)}”", rec.speaker_role or ""


def _article(index: int, result: ArticleResult, text: str | None) -> _Article:
    """The view of one shown article (its "conflict" flags are added by the caller)."""
    doc = result.document
    anchor = f"a{index}"
    records: list[_Record] = []
    spans: list[tuple[str, str, int, int]] = []
    numbers = {kind[0]: 0 for kind in _KINDS}
    items: list[Statistic | Milestone | Quote] = [
        record for field in RECORD_TYPES for record in getattr(result, field)
    ]
    for rec in items:
        ev = rec.evidence
        kind, label, detail = _describe(rec)
        numbers[kind[0]] += 1
        rid = f"{anchor}-{kind[0]}{numbers[kind[0]]}"
        r = _Record(rid, kind, label, detail, ev.text, ev.start, ev.end)
        if ev.match == "none" or ev.start is None or ev.end is None:
            r.flags.append("ungrounded")
        elif (
            text is None
            or not 0 <= ev.start <= ev.end <= len(text)
            or text[ev.start : ev.end] != ev.text
        ):
            r.flags.append("mismatch")
        else:
            spans.append((r.rid, kind, ev.start, ev.end))
            if ev.match == "fuzzy":
                r.flags.append("fuzzy")
        records.append(r)
    if doc.duplicate_of:
        note = f"Exact duplicate of {doc.duplicate_of}."
    elif text is None:
        note = "The article text could not be read; records are listed without highlights."
    else:
        note = ""
    if doc.near_duplicates:
        note += " Near-duplicate of " + ", ".join(doc.near_duplicates) + "."
    counts = {k: sum(1 for r in records if r.kind == k) for k in _KINDS}
    body = highlight(text, spans) if text is not None and not doc.duplicate_of else Markup("")
    title = doc.title or doc.id
    return _Article(anchor, doc.id, title, note.strip(), result.summary, body, records, counts)


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def format_value(value: float | None, unit: str | None, value_text: str = "") -> str:
    """A readable value: ``1.079 billion users``, ``70.4%``, ``15.4 trillion CNY``."""
    if value is None or not math.isfinite(value):
        return " ".join(p for p in (value_text, unit or "") if p) or "?"
    if unit and unit.casefold() in {"percent", "%", "per cent", "percentage"}:
        return f"{value:g}%"
    number = f"{value:,.15g}" if abs(value) < 1e6 else ""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            number = f"{value / scale:.4g} {word}"
            break
    if abs(value) < 1e6 and value != int(value):
        number = f"{value:,.4g}" if abs(value) >= 1 else f"{value:.4g}"
    return f"{number} {unit}" if unit else number


# --------------------------------------------------------------------------- charts


def _x_of(period: str) -> float | None:
    m = _PERIOD.match(period)
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
    return year + (month - 1) / 12 + (day - 1) / 365


def _short(value: float) -> str:
    for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return f"{value / scale:.3g}{word}"
    return f"{value:.3g}"


def svg_chart(series: Series, jump: Mapping[tuple[str, int | None], str]) -> Markup:
    """An inline SVG line chart of a series' dated points; undated ones are not drawn."""
    pts = [
        (x, p) for p in series.points if p.period and p.value is not None
        for x in [_x_of(p.period)] if x is not None
    ]  # fmt: skip
    if not pts:
        return Markup('<p class="muted">No dated values to chart.</p>')
    w, h, left, right, top, bottom = 560, 210, 64, 24, 18, 40
    xs = [x for x, _ in pts]
    ys = [p.value for _, p in pts if p.value is not None]
    x0, x1 = min(xs), max(xs)
    pad = max(x1 - x0, 1.0) * 0.08  # keep end points and their labels off the axis
    x0, x1 = x0 - pad, x1 + pad
    y0 = min(0.0, min(ys))
    y1 = max(ys) * 1.15 if max(ys) > 0 else 1.0

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (w - left - right)

    def sy(y: float) -> float:
        return top + (1 - (y - y0) / (y1 - y0)) * (h - top - bottom)

    out = [
        f'<svg class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        f'aria-label="{_esc(series.metric)}">'
    ]
    for i in range(5):
        yv = y0 + (y1 - y0) * i / 4
        out.append(
            f'<line class="grid" x1="{left}" x2="{w - right}" y1="{sy(yv):.1f}" y2="{sy(yv):.1f}"/>'
            f'<text class="ytick" x="{left - 6}" y="{sy(yv) + 4:.1f}">{_short(yv)}</text>'
        )
    line = " ".join(f"{sx(x):.1f},{sy(p.value or 0):.1f}" for x, p in pts)
    out.append(f'<polyline class="line" points="{line}"/>')
    # Several values at one period (a conflict): the highest is labelled above its point,
    # the others below, stacked.
    rank: dict[int, int] = {}
    for x in set(xs):
        same = sorted(
            (i for i, (px, _) in enumerate(pts) if px == x), key=lambda i: -(pts[i][1].value or 0)
        )
        rank.update((i, n) for n, i in enumerate(same))
    for i, (x, p) in enumerate(pts):
        label_dy = -10 if rank[i] == 0 else 6 + 13 * rank[i]
        cls = "pt conflict" if p.conflict else "pt"
        src = p.sources[0] if p.sources else None
        rid = jump.get((src.doc_id, src.start)) if src else None
        attr = f' data-jump="{_esc(rid)}"' if rid else ""
        tip = f"{p.period}: {p.value_text} {p.unit or ''}".strip()
        out.append(
            f'<g class="{cls}"{attr}><title>{_esc(tip)}</title>'
            f'<circle cx="{sx(x):.1f}" cy="{sy(p.value or 0):.1f}" r="5"/>'
            f'<text class="vlabel" x="{sx(x):.1f}" y="{sy(p.value or 0) + label_dy:.1f}">'
            f"{_short(p.value or 0)}</text>"
            f'<text class="xtick" x="{sx(x):.1f}" y="{h - bottom + 18}">{_esc(p.period or "")}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))


# --------------------------------------------------------------------------- page


def _text_getter(texts: TextSource) -> Callable[[str], str | None]:
    if isinstance(texts, Mapping):
        return texts.get
    return texts


def _template() -> str:
    ref = importlib.resources.files("summarizer.outputs") / "templates" / "report.html"
    return ref.read_text(encoding="utf-8")


class _CompiledTemplates(FileSystemBytecodeCache):
    """Jinja's per-user cache of compiled templates (in the temporary folder, private).

    Compiling report.html costs ~0.1 s, in every run; loading it compiled, a few ms.
    Jinja keys an entry by the template's source and the Python version. A cache that
    cannot be written is skipped, never an error of the report.
    """

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep a compiled template, if the folder can take it."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


@functools.cache
def _environment() -> Environment:
    try:
        cache: FileSystemBytecodeCache | None = _CompiledTemplates()
    except (OSError, RuntimeError):  # no private temporary folder to be had
        cache = None
    env = Environment(
        loader=FunctionLoader(lambda name: _template() if name == "report.html" else None),
        bytecode_cache=cache,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(count=count)
    return env


def render_report_html(
    brief: BriefReader,
    articles: Iterable[ArticleResult],
    texts: TextSource,
    *,
    max_articles: int = DEFAULT_MAX_ARTICLES,
) -> str:
    """The report page as a string (see the module docstring)."""
    views = ReportViews(brief.counts(), articles, texts, max_articles=max_articles)
    walk(brief, views)
    return "".join(views.render())


class ReportViews(Taps):
    """What report.html shows, gathered from one :func:`~summarizer.outputs._walk.walk`.

    Made first from the articles to show: only the first ``max_articles`` of them are
    read (with their texts), and only their views kept (300 whole results of a model
    run weighed ~10 MB). The walk then hands over the brief's records; each section
    keeps its first items (:data:`_CAPS`) with their first sources, and the conflicts'
    sources flag the shown articles' statistics. :meth:`render` makes the page.
    """

    def __init__(
        self,
        n: BriefCounts,
        articles: Iterable[ArticleResult],
        texts: TextSource,
        *,
        max_articles: int = DEFAULT_MAX_ARTICLES,
        failed: Sequence[RunFailure] = (),
        skipped: Sequence[RunFailure] = (),
    ) -> None:
        """Read the shown articles (see the class docstring)."""
        text_for = _text_getter(texts)
        self.n = n
        # The articles a run left out of the brief, and why (its report's failed/skipped).
        self.left_out = {
            "failed": list(failed[:_MAX_LEFT_OUT]),
            "skipped": list(skipped[:_MAX_LEFT_OUT]),
            "failed_total": len(failed),
            "skipped_total": len(skipped),
        }
        self.max_articles = max_articles
        self.shown: list[_Article] = []
        for result in itertools.islice(articles, max_articles):
            text = None if result.document.duplicate_of else text_for(result.document.id)
            self.shown.append(_article(len(self.shown) + 1, result, text))
        self._shown_ids = {art.doc_id for art in self.shown}
        self._conflicted: set[tuple[str, int | None]] = set()
        self.jump: dict[tuple[str, int | None], str] = {}
        for art in self.shown:
            for r in art.records:
                if "ungrounded" not in r.flags and "mismatch" not in r.flags:
                    self.jump.setdefault((art.doc_id, r.start), r.rid)
        self.documents: list[Any] = []
        self._listed: set[str] = set()
        self.warnings: dict[str, list[str]] = {}
        self.series_views: list[dict[str, Any]] = []
        self._series: tuple[SeriesHead, list[dict[str, Any]], list[SeriesPoint]] | None = None
        self.conflicts: list[dict[str, Any]] = []
        self._conflict: tuple[ConflictHead, list[dict[str, Any]]] | None = None
        self.timeline: list[dict[str, Any]] = []
        self.speakers: list[dict[str, Any]] = []
        self._speaker: dict[str, Any] | None = None

    def links(self, src: SourceDigest) -> Markup:
        """A record's first sources, each a link to its span when its article is shown."""
        links = []
        for s in src.first[:_MAX_LINKS]:
            rid = self.jump.get((s.doc_id, s.start))
            label = _esc(s.doc_id)
            links.append(
                f'<a href="#" class="src" data-jump="{_esc(rid)}">{label}</a>'
                if rid
                else f'<span class="src">{label}</span>'
            )
        if src.count > _MAX_LINKS:
            links.append(f'<span class="muted">and {src.count - _MAX_LINKS} more</span>')
        return Markup(", ".join(links))

    def document(self, d: Any) -> None:
        """A document: the first ones are listed."""
        if len(self.documents) < _CAPS["documents"]:
            self.documents.append(d)
            self._listed.add(d.id)

    def series(self, head: SeriesHead) -> None:
        """A series: the first ones are charted and listed."""
        self._end_series()
        if len(self.series_views) < _CAPS["series"]:
            self._series = (head, [], [])

    def point(self, p: Any, src: SourceDigest) -> None:
        """A point of the current series (each kept with its first source, for the chart)."""
        if self._series is None or len(self._series[1]) >= _CAPS["points"]:
            return
        self._series[1].append(
            {
                "period": p.period,
                "value": format_value(p.value, p.unit, p.value_text),
                "qualifier": p.qualifier,
                "conflict": p.conflict,
                "links": self.links(src),
            }
        )
        self._series[2].append(dataclasses.replace(p, sources=src.first[:1]))

    def _end_series(self) -> None:
        if self._series is None:
            return
        head, rows, kept = self._series
        series = Series(metric=head.metric, metric_key=head.metric_key, unit=head.unit, points=kept)
        self.series_views.append(
            {
                "name": head.name,
                "unit": head.unit,
                "chart": svg_chart(series, self.jump),
                "points": rows,
                "more": head.points - len(rows),
                "undated": any(r["period"] is None for r in rows),
            }
        )
        self._series = None

    def conflict(self, head: ConflictHead) -> None:
        """A conflict: the first ones are listed."""
        self._end_series()
        self._end_conflict()
        if len(self.conflicts) < _CAPS["conflicts"]:
            self._conflict = (head, [])

    def value_source(self, s: Source) -> None:
        """A source of a conflict's value: flags a shown article's statistic."""
        if s.doc_id in self._shown_ids:
            self._conflicted.add((s.doc_id, s.start))

    def value(self, v: Any, src: SourceDigest) -> None:
        """A value of the current conflict."""
        if self._conflict is not None and len(self._conflict[1]) < _CAPS["values"]:
            head, amounts = self._conflict
            value = format_value(v.value, head.unit, v.value_text)
            amounts.append({"value": value, "links": self.links(src)})

    def _end_conflict(self) -> None:
        if self._conflict is None:
            return
        head, amounts = self._conflict
        self.conflicts.append(
            {
                "metric": head.metric,
                "period": head.period,
                "amounts": amounts,
                "more": max(0, head.values - _CAPS["values"]),
            }
        )
        self._conflict = None

    def milestone(self, m: Any, src: SourceDigest) -> None:
        """A milestone: the first ones are listed."""
        self._end_series()
        self._end_conflict()
        if len(self.timeline) < _CAPS["timeline"]:
            view = {"date": m.date, "event": m.event, "grounded": m.grounded}
            self.timeline.append({**view, "links": self.links(src)})

    def speaker(self, head: SpeakerHead) -> None:
        """A speaker: the first ones are listed, with their first quotes."""
        self._end_series()
        self._end_conflict()
        self._speaker = None
        if len(self.speakers) < _CAPS["speakers"]:
            self._speaker = {
                "speaker": head.speaker,
                "roles": head.roles[:10],
                "also": [a for a in head.aliases if a != head.speaker][:20],
                "quotes": [],
                "more": max(0, head.quotes - _CAPS["quotes"]),
            }
            self.speakers.append(self._speaker)

    def quote(self, q: Any, src: SourceDigest) -> None:
        """A quote of the current speaker."""
        if self._speaker is not None and len(self._speaker["quotes"]) < _CAPS["quotes"]:
            view = {"text": q.text, "grounded": q.grounded, "links": self.links(src)}
            self._speaker["quotes"].append(view)

    def warning(self, item: tuple[str, list[str]]) -> None:
        """A document's warnings, when the document is listed."""
        self._end_series()
        self._end_conflict()
        if item[0] in self._listed:
            self.warnings[item[0]] = item[1]

    def render(self) -> Iterator[str]:
        """The page, piece by piece (once the walk is done)."""
        self._end_series()
        self._end_conflict()
        for art in self.shown:
            for r in art.records:
                if r.kind == "statistic" and (art.doc_id, r.start) in self._conflicted:
                    r.flags.append("conflict")
        return (
            _environment()
            .get_template("report.html")
            .generate(
                n=self.n,
                documents=self.documents,
                warnings=self.warnings,
                series=self.series_views,
                conflicts=self.conflicts,
                timeline=self.timeline,
                speakers=self.speakers,
                articles=self.shown,
                total_articles=max(self.n.documents, len(self.shown)),
                max_articles=self.max_articles,
                open_all=len(self.shown) <= 12,
                left_out=self.left_out,
            )
        )

    def write(self, out: Path) -> Path:
        """Write ``report.html`` under ``out`` (once the walk is done); its path."""
        path = Path(out) / "report.html"
        with open_atomic(path) as fh:
            for piece in self.render():
                fh.write(piece)
        return path


def write_report_html(
    brief: BriefReader,
    articles: Iterable[ArticleResult],
    texts: TextSource,
    out: Path,
    *,
    max_articles: int = DEFAULT_MAX_ARTICLES,
    failed: Sequence[RunFailure] = (),
    skipped: Sequence[RunFailure] = (),
) -> Path:
    """Write ``report.html`` under ``out`` and return its path.

    ``texts`` maps a document id to its text as loaded, or is a callable returning it
    (None when it cannot be read: that article's records are listed without highlights).
    ``failed`` and ``skipped`` (a run report's) are listed in a section of their own.
    """
    views = ReportViews(
        brief.counts(),
        articles,
        texts,
        max_articles=max_articles,
        failed=failed,
        skipped=skipped,
    )
    walk(brief, views)
    return views.write(out)
