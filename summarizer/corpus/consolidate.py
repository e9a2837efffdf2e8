"""Consolidate many articles' records into one brief, streaming, in flat memory.

:class:`Consolidator` takes one :class:`~summarizer.records.ArticleResult` at a time (call
:meth:`Consolidator.add` as each article finishes) and keeps what it learns in an on-disk
working store (:mod:`summarizer.corpus._store`), never in Python objects, so memory does
not grow with the folder. :meth:`Consolidator.finish` returns a
:class:`~summarizer.corpus.stored.StoredBrief` that the writers read one record at a time;
:func:`consolidate` returns the whole :class:`~summarizer.corpus.models.Brief` in memory,
for small folders. When two records say the same thing is decided by the rules in
:mod:`summarizer.corpus.rules` (canonical metric keys, unit classes, thresholds).

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

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from summarizer.corpus._store import KIND, Store
from summarizer.corpus.models import Brief, BriefReader
from summarizer.corpus.rules import (
    METRIC_THRESHOLD,
    QUOTE_THRESHOLD,
    VALUE_REL_TOL,
    Blocker,
    alike_event,
    content_tokens,
    dates_agree,
    metric_key,
    quote_norm,
    speaker_name,
    unit_class,
    values_close,
)
from summarizer.corpus.stored import StoredBrief, finish_store
from summarizer.records import RECORD_TYPES, ArticleResult, Milestone, Quote, RecordField, Statistic

# The records themselves are in summarizer.corpus.models.
__all__ = ["Brief", "BriefReader", "Consolidator", "StoredBrief", "consolidate"]

_ALIAS_CACHE = 4096
_SEP = "\x1f"  # joins a speaker's name tokens into one column
_SrcRow = tuple[int, int, str, int | None, int | None, str, str]


class Consolidator:
    """Streams :class:`ArticleResult` objects in and a :class:`StoredBrief` out.

    Call :meth:`add` for each result as it is ready (nothing of it is kept but rows in
    the working store), then :meth:`finish` once. The working file is removed when the
    brief returned by :meth:`finish` is closed or garbage-collected.
    """

    def __init__(self, *, keep_ungrounded: bool = False, workdir: Path | None = None) -> None:
        """``keep_ungrounded``: keep records whose evidence was not found in the article.

        ``workdir``: where the temporary working file goes (default: the system's).
        """
        self.keep_ungrounded = keep_ungrounded
        self._store = Store(workdir)
        self._ungrounded = 0
        self._finished = False
        self._aliases: dict[str, int] = {}
        self._names: list[tuple[int, str]] = []  # this article's (metric, name), then unit
        self._units: list[tuple[int, str]] = []
        # One adder per record type (records.RECORD_TYPES): a new type adds one here.
        self._adders: dict[RecordField, Callable[[Any, str, int | None], int]] = {
            "milestones": self._add_milestone,
            "statistics": self._add_statistic,
            "quotes": self._add_quote,
        }
        assert self._adders.keys() == RECORD_TYPES.keys()

    def add(self, result: ArticleResult) -> None:
        """Fold one article's records in. Raises ``ValueError`` for a document id seen before."""
        if self._finished:
            raise ValueError("the consolidator is finished; start a new one")
        db, d = self._store, result.document
        if db.one("SELECT 1 FROM doc WHERE id = ?", (d.id,)):
            raise ValueError(f"document {d.id!r} was already added to the consolidator")
        db.db.executemany("INSERT INTO warning VALUES (?, ?)", [(d.id, w) for w in result.warnings])
        counts = dict.fromkeys(RECORD_TYPES, 0)
        ungrounded = 0
        sources: list[_SrcRow] = []
        if d.duplicate_of:
            db.insert("INSERT INTO dup VALUES (?, ?)", (d.duplicate_of, d.id))
        else:
            for field, adder in self._adders.items():
                kind = KIND[field]
                for record in getattr(result, field):
                    ev = record.evidence
                    if ev.match == "none":
                        ungrounded += 1
                        if not self.keep_ungrounded:
                            continue
                    counts[field] += 1
                    rec = adder(record, d.id, ev.start)
                    sources.append((kind, rec, d.id, ev.start, ev.end, ev.text, ev.match))
        db.db.executemany("INSERT INTO src VALUES (?, ?, ?, ?, ?, ?, ?)", sources)
        for table, rows in (("metric_name", self._names), ("metric_unit", self._units)):
            db.db.executemany(
                f"INSERT INTO {table} VALUES (?, ?, 1) ON CONFLICT DO UPDATE SET n = n + 1", rows
            )
            rows.clear()
        self._ungrounded += ungrounded
        db.insert(
            "INSERT INTO doc VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.id,
                d.title,
                d.path,
                d.chars,
                d.duplicate_of,
                json.dumps(list(d.near_duplicates)),
                counts["statistics"],
                counts["milestones"],
                counts["quotes"],
                ungrounded,
            ),
        )

    # -- statistics

    def _metric_for(self, metric: str, unit: str | None) -> int:
        db = self._store
        key, uclass = metric_key(metric), unit_class(unit)
        alias = f"{uclass}|{key}"
        known = self._aliases.get(alias)
        if known is not None:
            return known
        row = db.one("SELECT metric FROM metric_alias WHERE k = ?", (alias,))
        if row is not None:
            return self._remember(alias, int(row[0]))
        scope = "s" + uclass
        anchors = Blocker.anchors(key.split())
        choices = {c: k for c, (k,) in db.candidates([scope], anchors, "metric", "key").items()}
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=METRIC_THRESHOLD)
        if key and best is not None:
            idx = int(best[2])
        else:
            idx = db.insert("INSERT INTO metric(key, uclass) VALUES (?, ?)", (key, uclass))
            db.anchor([scope], idx, anchors)
        db.insert("INSERT INTO metric_alias VALUES (?, ?)", (alias, idx))
        return self._remember(alias, idx)

    def _remember(self, alias: str, metric: int) -> int:
        # A bounded cache of the metric lookups: articles repeat the same phrases.
        if len(self._aliases) >= _ALIAS_CACHE:
            self._aliases.clear()
        self._aliases[alias] = metric
        return metric

    def _add_statistic(self, s: Statistic, _doc_id: str, _start: int | None) -> int:
        db = self._store
        metric = self._metric_for(s.metric, s.unit)
        self._names.append((metric, s.metric))
        if s.unit:
            self._units.append((metric, s.unit))
        vt = " ".join(s.value_text.casefold().split())
        if s.value is None:
            rows = db.all(
                "SELECT id, period FROM stat WHERE metric = ? AND value IS NULL AND vt = ?"
                " ORDER BY id",
                (metric, vt),
            )
        else:
            # A superset of the values within VALUE_REL_TOL; values_close decides.
            slack = abs(s.value) * VALUE_REL_TOL / (1 - VALUE_REL_TOL) * 1.000001
            rows = db.all(
                "SELECT id, period, value FROM stat WHERE metric = ? AND value BETWEEN ? AND ?"
                " ORDER BY id",
                (metric, s.value - slack, s.value + slack),
            )
            rows = [r for r in rows if values_close(r[2], s.value, VALUE_REL_TOL)]
        for row in rows:
            if dates_agree(row[1], s.period, undated=True):
                if s.period and (row[1] is None or len(s.period) > len(row[1])):
                    db.db.execute("UPDATE stat SET period = ? WHERE id = ?", (s.period, row[0]))
                return int(row[0])
        equivalents = json.dumps([a.model_dump() for a in s.equivalents]) if s.equivalents else None
        return db.insert(
            "INSERT INTO stat VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            (metric, s.value, s.unit, s.value_text, vt, s.qualifier, s.period, equivalents),
        )

    # -- milestones and quotes

    def _add_milestone(self, m: Milestone, doc_id: str, start: int | None) -> int:
        db = self._store
        tokens = content_tokens(m.event)
        key = " ".join(sorted(tokens))
        anchors = Blocker.anchors(tokens)
        found = db.candidates(_date_scopes(m.date), anchors, "mile", "key, date, actors")
        choices = {
            c: k for c, (k, date, _) in found.items() if dates_agree(date, m.date, undated=False)
        }
        best = alike_event(key, choices)
        if best is not None:
            _, date, actors_json = found[best]
            actors: list[str] = json.loads(actors_json)
            known = len(actors)
            actors.extend(a for a in m.actors if a not in actors)
            longer = m.date and date and len(m.date) > len(date)
            if len(actors) > known or longer:
                db.db.execute(
                    "UPDATE mile SET actors = ?, date = ? WHERE id = ?",
                    (json.dumps(actors), m.date if longer else date, best),
                )
            return best
        rec = db.insert(
            "INSERT INTO mile VALUES (NULL, ?, ?, ?, ?, ?, ?)",
            (m.date, m.event, key, json.dumps(list(m.actors)), doc_id, start),
        )
        db.anchor(_date_homes(m.date), rec, anchors)
        return rec

    def _add_quote(self, q: Quote, doc_id: str, start: int | None) -> int:
        db = self._store
        name = speaker_name(q.speaker) or ("~" + quote_norm(q.speaker),)
        scope = "q" + _SEP.join(name)
        norm = quote_norm(q.text)
        tokens = norm.split()
        anchors = Blocker.anchors(tokens)
        choices = {c: n for c, (n,) in db.candidates([scope], anchors, "quote", "norm").items()}
        best = process.extractOne(norm, choices, scorer=fuzz.ratio, score_cutoff=QUOTE_THRESHOLD)
        if best is not None:
            rec = int(best[2])
        else:
            rec = db.insert(
                "INSERT INTO quote VALUES (NULL, ?, ?, ?, ?, ?)",
                (_SEP.join(name), norm, q.text, doc_id, start),
            )
            db.anchor([scope], rec, anchors)
        names = [(rec, 0, q.speaker)] + ([(rec, 1, q.speaker_role)] if q.speaker_role else [])
        db.db.executemany("INSERT INTO quote_name VALUES (?, ?, ?)", names)
        return rec

    # -- finish

    def finish(self, *, near_duplicates: Mapping[str, Iterable[str]] | None = None) -> StoredBrief:
        """Order and number every record; return the brief, read from the working store.

        ``near_duplicates`` adds links such as :meth:`NearDuplicateIndex.groups` returns, to
        those already in the documents' ``near_duplicates``. Call once.
        """
        if self._finished:
            raise ValueError("finish() was already called")
        self._finished = True
        extra = {k: list(v) for k, v in (near_duplicates or {}).items()}
        return finish_store(self._store, ungrounded=self._ungrounded, near_duplicates=extra)


# Milestones are blocked by date so that candidates are dated alike (dates_agree with
# undated=False): a milestone is filed under its own date ("m2001-03-12") and inside each
# less precise date ("m~2001", "m~2001-03"); a lookup reads its own date, the dates it is
# inside of, and what is filed inside it.


def _date_homes(date: str | None) -> list[str]:
    if not date:
        return ["m"]
    return ["m" + date] + ["m~" + date[:n] for n in (4, 7) if n < len(date)]


def _date_scopes(date: str | None) -> list[str]:
    if not date:
        return ["m"]
    return ["m" + date, "m~" + date] + ["m" + date[:n] for n in (4, 7) if n < len(date)]


def consolidate(results: Iterable[ArticleResult], *, keep_ungrounded: bool = False) -> Brief:
    """Consolidate ``results`` into a whole :class:`Brief` in memory, in one call."""
    c = Consolidator(keep_ungrounded=keep_ungrounded)
    for result in results:
        c.add(result)
    stored = c.finish()
    try:
        return stored.to_brief()
    finally:
        stored.close()
