"""Consolidate many articles' records into one brief, streaming.

:class:`Consolidator` takes one :class:`~summarizer.records.ArticleResult` at a time and
keeps only consolidated records (never whole results), then :meth:`Consolidator.finish`
returns a :class:`Brief`. Every rule is deterministic; the thresholds are module constants.

**Statistics.** A metric phrase becomes a *canonical key* (:func:`metric_key`): NFKC and
case folding; text in brackets dropped; possessives and hyphens inside words removed;
synonyms ("netizens", "internet population", "online population", "web users" ->
"internet user"); a trailing clause introduced by who / which / that / whose / using
dropped ("netizens who use the internet to study" -> "netizens"); demonyms to countries
("Chinese" -> "china"); stopwords and filler words ("number", "total", "value", "size",
"scale", "national", "annual", ...) dropped; plurals made singular; tokens sorted. Units
fall into classes (:func:`unit_class`): percent, percentage point, a currency (ISO code,
"yuan" -> CNY), a physical or time unit (km, kg, minute, ...), else *count* (users,
netizens, people and shoppers are all counts; the metric says what is counted). Two
statistics have the same metric when their unit classes are equal and their keys are
equal or have a rapidfuzz ``ratio`` >= :data:`METRIC_THRESHOLD` (on sorted tokens, i.e.
``token_sort_ratio``; ``token_set_ratio`` is not used because it scores 100 whenever one
key's words are a subset of the other's: "increase in internet users" would join
"internet users"). Within one metric, records with values within
:data:`VALUE_REL_TOL` (0.5 %) and compatible periods (equal, one a prefix of the other,
or one missing) are the same statistic, listed once with all sources. A metric with two
or more distinct records is a time *series* (sorted by period, undated points last).
Two records at the same, non-null period whose values disagree are a *conflict*, unless
a qualifier reconciles them (``at_least``/``at_most`` bounds hold, ``approximate`` within
5 %).

**Milestones.** Same date at the common precision ("2015" ~ "2015-12"; undated only with
undated) and alike events: content-token ``token_sort_ratio`` or ``token_set_ratio``
>= :data:`EVENT_THRESHOLD` (the set ratio only when the shorter event has at least 5
content tokens). The timeline is sorted by date; partial dates sort by their start.

**Quotes.** Speakers are reduced to name tokens (titles such as President or General
Secretary dropped). A name whose tokens are a subset of exactly one fuller name's
("Xi" of "Xi Jinping") is merged into it; the speaker is shown by the fullest name. Quotes
of one speaker whose normalised texts have ``ratio`` >= :data:`QUOTE_THRESHOLD` are one.

Records whose evidence has ``match == "none"`` are counted and left out unless
``keep_ungrounded=True``. A result whose document has ``duplicate_of`` adds its document
as a further source of every record of the original, and no records of its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from .records import (
    Amount,
    ArticleResult,
    MatchKind,
    Milestone,
    Qualifier,
    Quote,
    Statistic,
)

__all__ = [
    "EVENT_THRESHOLD",
    "METRIC_THRESHOLD",
    "QUOTE_THRESHOLD",
    "VALUE_REL_TOL",
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
    "metric_key",
    "unit_class",
]

METRIC_THRESHOLD = 90.0
VALUE_REL_TOL = 0.005
APPROX_REL_TOL = 0.05
EVENT_THRESHOLD = 80.0
QUOTE_THRESHOLD = 90.0
_MAX_CANDIDATES = 200
_M = TypeVar("_M", bound="BaseModel")
_Record = Statistic | Milestone | Quote

# --------------------------------------------------------------------------- models


class Source(BaseModel):
    """Where one article states a consolidated record."""

    doc_id: str
    start: int | None = None
    end: int | None = None
    text: str
    match: MatchKind = "exact"


class _Value(BaseModel):
    value: float | None
    unit: str | None = None
    value_text: str
    qualifier: Qualifier | None = None
    period: str | None = None


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


class ConsolidatedMilestone(BaseModel):
    """One event of the timeline."""

    id: str
    date: str | None
    event: str
    actors: list[str] = Field(default_factory=list)
    grounded: bool = True
    sources: list[Source]


class ConsolidatedQuote(BaseModel):
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


class DocumentInfo(BaseModel):
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


# --------------------------------------------------------------------------- text rules

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_POSSESSIVE = re.compile(r"(\w)'s\b")
_INNER_HYPHEN = re.compile(r"(?<=\w)[-\u2010-\u2015](?=\w)")
_TOKEN = re.compile(r"[^\W_]+")
_NETIZENS = r"\b(?:netizens?|internet population|online population|web users?)\b"
_SYNONYMS = ((re.compile(_NETIZENS), "internet user"), (re.compile(r"\bper cent\b"), "percent"))
_CLAUSE_WORDS = frozenset({"who", "which", "that", "whose", "using"})
_DEMONYMS = dict(
    pair.split(":")
    for pair in "chinese:china american:usa us:usa indian:india japanese:japan british:uk "  # noqa: SIM905
    "german:germany french:france russian:russia korean:korea european:europe".split()
)
_STOPWORDS = frozenset(
    "a an the of in on at for to by from with and or as its their his her this these those "  # noqa: SIM905
    "is are was were be been".split()
)
_FILLER = frozenset(
    "number total amount value size scale overall national nationwide annual yearly count "  # noqa: SIM905
    "figure".split()
)
_KEEP_S = ("ss", "us", "is", "ics")


def _singular(token: str) -> str:
    if len(token) <= 3 or token.endswith(_KEEP_S) or not token.endswith("s"):
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    return token[:-1]


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _POSSESSIVE.sub(r"\1", text)
    return _INNER_HYPHEN.sub("", text)


def _content_tokens(text: str) -> list[str]:
    """Lower-case singular words without stopwords: the comparable part of a phrase."""
    return [_singular(t) for t in _TOKEN.findall(_plain(text)) if t not in _STOPWORDS]


def metric_key(metric: str) -> str:
    """The canonical key of a metric phrase (see the module docstring): sorted tokens."""
    text = _plain(_BRACKETS.sub(" ", metric))
    for pattern, repl in _SYNONYMS:
        text = pattern.sub(repl, text)
    tokens = _TOKEN.findall(text)
    for i, tok in enumerate(tokens):
        if i > 0 and tok in _CLAUSE_WORDS:
            tokens = tokens[:i]
            break
    out = []
    for tok in tokens:
        tok = _DEMONYMS.get(tok, tok)
        if tok not in _STOPWORDS and tok not in _FILLER:
            out.append(_singular(tok))
    return " ".join(sorted(out))


_UNIT_CLASSES = {
    **dict.fromkeys(("%", "percent", "per cent", "pct", "percentage"), "percent"),
    **dict.fromkeys(("pp", "percentage point", "percentage points"), "percentage point"),
    **dict.fromkeys(("yuan", "rmb", "renminbi", "cny"), "CNY"),
    **dict.fromkeys(("$", "us$", "dollar", "us dollar", "u.s. dollar", "usd"), "USD"),
    **dict.fromkeys(("€", "euro", "eur"), "EUR"),
    **dict.fromkeys(("£", "pound", "pound sterling", "gbp"), "GBP"),
    **dict.fromkeys(("yen", "jpy"), "JPY"),
    **dict.fromkeys(("km", "kilometer", "kilometre"), "km"),
    **dict.fromkeys(("m", "meter", "metre"), "m"),
    **dict.fromkeys(("kg", "kilogram"), "kg"),
    **dict.fromkeys(("t", "ton", "tonne", "metric ton"), "t"),
    **dict.fromkeys(("s", "sec", "second"), "second"),
    **dict.fromkeys(("min", "minute"), "minute"),
    **dict.fromkeys(("h", "hr", "hour"), "hour"),
    **{u: u for u in ("day", "week", "month", "year", "kwh", "mw", "gw", "gb", "tb", "mbps")},
}


def unit_class(unit: str | None) -> str:
    """The comparable class of a unit: 'percent', an ISO currency, a physical unit, or 'count'."""
    u = " ".join((unit or "").casefold().split())
    if not u:
        return "none"
    if re.fullmatch(r"[a-z]{3}", u) and unit and unit.strip().isupper():
        return u.upper()
    for cand in (u, _singular(u), u.split()[-1], _singular(u.split()[-1])):
        if cand in _UNIT_CLASSES:
            return _UNIT_CLASSES[cand]
    return "count"


def _period_key(period: str | None) -> tuple[int, str]:
    """Sort key: partial ISO dates by their start, undated last."""
    return (1, "") if not period else (0, period)


def _dates_agree(a: str | None, b: str | None, *, undated: bool) -> bool:
    """Equal at the common precision ("2015" ~ "2015-12"); ``undated``: what None gives."""
    if a is None or b is None:
        return undated or (a is None and b is None)
    return a.startswith(b) or b.startswith(a)


def _close(a: float | None, b: float | None, tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(abs(a), abs(b))


def _reconciled(a: _Stat, b: _Stat) -> bool:
    """True when a qualifier makes two different values consistent."""
    for x, y in ((a, b), (b, a)):
        if x.value is None or y.value is None:
            return False
        if (
            (x.qualifier == "at_least" and y.value >= x.value * (1 - VALUE_REL_TOL))
            or (x.qualifier == "at_most" and y.value <= x.value * (1 + VALUE_REL_TOL))
            or (x.qualifier == "approximate" and _close(x.value, y.value, APPROX_REL_TOL))
        ):
            return True
    return False


def _events_alike(a: list[str], b: list[str]) -> bool:
    sa, sb = " ".join(a), " ".join(b)
    if fuzz.token_sort_ratio(sa, sb) >= EVENT_THRESHOLD:
        return True
    return min(len(a), len(b)) >= 5 and fuzz.token_set_ratio(sa, sb) >= EVENT_THRESHOLD


_TITLES = frozenset(
    "president vice general secretary prime minister premier chairman chairwoman chair "  # noqa: SIM905
    "chairperson mr mrs ms miss mx dr prof professor sir dame lord lady governor senator "
    "ambassador chancellor spokesman spokeswoman spokesperson ceo head director the a an "
    "of state".split()
)
_PRONOUNS = frozenset("he she they him her them it i we you".split())  # noqa: SIM905


def _speaker_name(speaker: str) -> tuple[str, ...]:
    """Name tokens of a speaker, titles dropped; () for a pronoun or a bare role."""
    plain = unicodedata.normalize("NFKD", speaker.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return tuple(t for t in _TOKEN.findall(plain) if t not in _TITLES | _PRONOUNS)


def _quote_norm(text: str) -> str:
    return " ".join(_TOKEN.findall(_plain(text)))


# --------------------------------------------------------------------------- internals


class _Blocker:
    """An inverted index: items sharing one of a query's two rarest tokens are candidates."""

    def __init__(self) -> None:
        self._post: dict[str, list[int]] = {}

    def add(self, item: int, tokens: Iterable[str]) -> None:
        for tok in set(tokens):
            self._post.setdefault(tok, []).append(item)

    def candidates(self, tokens: Iterable[str]) -> dict[int, None]:
        toks = sorted(set(tokens), key=lambda t: (len(self._post.get(t, ())), t))
        return {i: None for t in toks[:2] for i in self._post.get(t, ())[-_MAX_CANDIDATES:]}


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
    equivalents: list[Amount]
    sources: list[Src]


@dataclass(slots=True)
class _Metric:
    key: str
    unit_class: str
    names: Counter[str] = field(default_factory=Counter)
    units: Counter[str] = field(default_factory=Counter)
    stats: list[_Stat] = field(default_factory=list)


@dataclass(slots=True)
class _Milestone:
    date: str | None
    event: str
    tokens: list[str]
    actors: list[str]
    sources: list[Src]


@dataclass(slots=True)
class _Quote:
    norm: str
    text: str
    speakers: Counter[str]
    roles: Counter[str]
    sources: list[Src]

    @classmethod
    def of(cls, q: Quote, src: Src) -> _Quote:
        roles = Counter([q.speaker_role] if q.speaker_role else [])
        return cls(_quote_norm(q.text), q.text, Counter([q.speaker]), roles, [src])


class _Quotes:
    """Quotes deduplicated by normalised text ratio."""

    def __init__(self) -> None:
        self.items: list[_Quote] = []
        self._blocker = _Blocker()

    def add(self, quote: _Quote) -> None:
        for cand in self._blocker.candidates(quote.norm.split()):
            known = self.items[cand]
            if fuzz.ratio(known.norm, quote.norm) >= QUOTE_THRESHOLD:
                known.sources.extend(quote.sources)
                known.speakers.update(quote.speakers)
                known.roles.update(quote.roles)
                return
        self._blocker.add(len(self.items), quote.norm.split())
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


def _display_name(raw: str) -> str:
    words = re.findall(r"[^\W_]+(?:['’.-][^\W_]+)*", raw)
    return " ".join(w for w in words if w.casefold() not in _TITLES | _PRONOUNS) or raw.strip()


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
        self._metric_ids: dict[tuple[str, str], int] = {}
        self._metric_blockers: dict[str, _Blocker] = {}
        self._milestones: list[_Milestone] = []
        self._milestone_blockers: dict[str, _Blocker] = {}
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
                name = _speaker_name(record.speaker) or ("~" + _quote_norm(record.speaker),)
                self._speakers.setdefault(name, _Quotes()).add(_Quote.of(record, src))

    def _metric_for(self, metric: str, unit: str | None) -> _Metric:
        key, uclass = metric_key(metric), unit_class(unit)
        idx = self._metric_ids.get((uclass, key))
        if idx is None:
            blocker = self._metric_blockers.setdefault(uclass, _Blocker())
            scored = [
                (fuzz.ratio(key, self._metrics[c].key), -c) for c in blocker.candidates(key.split())
            ]
            best = max(scored, default=(0.0, 0))
            if key and best[0] >= METRIC_THRESHOLD:
                idx = -best[1]
            else:
                idx = len(self._metrics)
                self._metrics.append(_Metric(key, uclass))
                blocker.add(idx, key.split())
            self._metric_ids[(uclass, key)] = idx
        return self._metrics[idx]

    def _add_statistic(self, s: Statistic, src: Src) -> None:
        metric = self._metric_for(s.metric, s.unit)
        metric.names[s.metric] += 1
        if s.unit:
            metric.units[s.unit] += 1
        text = " ".join(s.value_text.casefold().split())
        for st in metric.stats:
            if s.value is None:
                same = st.value is None and " ".join(st.value_text.casefold().split()) == text
            else:
                same = _close(st.value, s.value, VALUE_REL_TOL)
            if same and _dates_agree(st.period, s.period, undated=True):
                st.sources.append(src)
                if s.period and (st.period is None or len(s.period) > len(st.period)):
                    st.period = s.period
                return
        metric.stats.append(
            _Stat(s.value, s.unit, s.value_text, s.qualifier, s.period, s.equivalents, [src])
        )

    def _add_milestone(self, m: Milestone, src: Src) -> None:
        tokens = _content_tokens(m.event)
        blocker = self._milestone_blockers.setdefault((m.date or "")[:4], _Blocker())
        for cand in blocker.candidates(tokens):
            ms = self._milestones[cand]
            if _dates_agree(ms.date, m.date, undated=False) and _events_alike(ms.tokens, tokens):
                ms.sources.append(src)
                ms.actors.extend(a for a in m.actors if a not in ms.actors)
                if m.date and ms.date and len(m.date) > len(ms.date):
                    ms.date = m.date
                return
        blocker.add(len(self._milestones), tokens)
        self._milestones.append(_Milestone(m.date, m.event, tokens, list(m.actors), [src]))

    # -- finish

    def _build(self, cls: type[_M], record: Any, **extra: Any) -> _M:
        """A model from an internal record's like-named attributes, sources and ``extra``.

        Each source is followed by copies for the exact duplicates of its document.
        """
        data = {f: getattr(record, f) for f in cls.model_fields if hasattr(record, f)}
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
            documents.append(DocumentInfo.model_validate(d, from_attributes=True))
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
            ((_most_common(m.names), m) for m in self._metrics if m.stats),
            key=lambda nm: (nm[0].casefold(), nm[1].unit_class, nm[1].key),
        )
        for name, metric in named:
            unit = _most_common(metric.units) if metric.units else None
            stats = sorted(metric.stats, key=lambda st: (_period_key(st.period), st.value or 0.0))
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
                points = [
                    SeriesPoint(statistic_id=r.id, **r.model_dump(include=_POINT)) for r in records
                ]
                series[series_name] = Series(
                    metric=name, metric_key=metric.key, unit=unit, points=points
                )
            by_period: dict[str, list[ConflictValue]] = {}
            for r in records:
                if r.conflict and r.period:
                    value = ConflictValue(statistic_id=r.id, **r.model_dump(include=_CONFLICT))
                    by_period.setdefault(r.period, []).append(value)
            conflicts.extend(
                Conflict(metric=name, metric_key=metric.key, period=p, unit=unit, values=v)
                for p, v in by_period.items()
            )
        return statistics, series, conflicts

    def _finish_timeline(self) -> list[ConsolidatedMilestone]:
        ordered = sorted(
            self._milestones, key=lambda m: (_period_key(m.date), m.sources[0][:2], m.event)
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
            aliases: Counter[str] = Counter()
            roles: Counter[str] = Counter()
            for q in merged.items:
                aliases.update(q.speakers)
                roles.update(q.roles)
            full = set(group[0])
            fullest = Counter(
                {_display_name(r): n for r, n in aliases.items() if set(_speaker_name(r)) == full}
            )
            display = _most_common(fullest or aliases)
            quotes = [
                self._build(
                    ConsolidatedQuote,
                    q,
                    id="",
                    speaker=display,
                    speaker_role=_most_common(q.roles) if q.roles else None,
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
_POINT = {"period", "value", "unit", "value_text", "qualifier", "conflict", "sources"}
_CONFLICT = {"value", "unit", "value_text", "qualifier", "period", "sources"}


def _conflicted(stats: list[_Stat]) -> set[int]:
    """Indexes of records (sorted by period) that disagree with another at the same period."""
    out: set[int] = set()
    for i, a in enumerate(stats):
        for j in range(i + 1, len(stats)):
            b = stats[j]
            if a.period is None or b.period != a.period:
                break
            if not _close(a.value, b.value, VALUE_REL_TOL) and not _reconciled(a, b):
                out.update((i, j))
    return out


def consolidate(results: Iterable[ArticleResult], *, keep_ungrounded: bool = False) -> Brief:
    """Consolidate ``results`` into a :class:`Brief` in one call."""
    c = Consolidator(keep_ungrounded=keep_ungrounded)
    for result in results:
        c.add(result)
    return c.finish()
