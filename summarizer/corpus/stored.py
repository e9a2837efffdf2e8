"""Finish a streaming consolidation and read the brief back from its working store.

:func:`finish_store` orders and numbers every record in SQL (statistics by metric name
and period, the timeline by date, speakers by how often they are quoted) and writes the
final order into ``f*`` tables; :class:`StoredBrief` (:mod:`summarizer.corpus._reading`)
then yields one record at a time, and each record's sources as they come, so writing
``brief.json`` or a CSV of a 100,000-article folder holds one source in memory, not a
record's thousands or the folder. In memory at finish: one metric's statistics, one speaker
group's quotes, the set of distinct speaker names and the near-duplicate links.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from summarizer.corpus._reading import RULES, StoredBrief
from summarizer.corpus._store import READING_CACHE_KIB, Store
from summarizer.corpus.rules import (
    APPROX_REL_TOL,
    QUOTE_THRESHOLD,
    VALUE_REL_TOL,
    Blocker,
    display_name,
    most_common,
    period_key,
    speaker_name,
    values_close,
)

__all__ = ["RULES", "StoredBrief", "finish_store"]

_SEP = "\x1f"

_FINAL = """
CREATE INDEX src_rec ON src(kind, rec);
CREATE INDEX dup_orig ON dup(orig);
CREATE INDEX quote_name_quote ON quote_name(quote);
CREATE INDEX quote_speaker ON quote(speaker, id);
CREATE INDEX warning_doc ON warning(doc_id);
CREATE TABLE fstat(ord INTEGER PRIMARY KEY, stat INT, metric TEXT, metric_key TEXT,
  series TEXT, series_ord INT, conflict INT);
CREATE INDEX fstat_series ON fstat(series_ord);
CREATE TABLE fseries(ord INTEGER PRIMARY KEY, name TEXT, metric TEXT, metric_key TEXT, unit TEXT);
CREATE TABLE fconf(ord INTEGER PRIMARY KEY, metric TEXT, metric_key TEXT, period TEXT, unit TEXT);
CREATE TABLE fconf_val(conf INT, fstat INT);
CREATE INDEX fconf_val_conf ON fconf_val(conf);
CREATE TABLE fmile(ord INTEGER PRIMARY KEY, mile INT);
CREATE TABLE fgroup(ord INTEGER PRIMARY KEY, n INT, speaker TEXT, aliases TEXT, roles TEXT);
CREATE TABLE fquote(grp INT, rep INT, role TEXT, members TEXT);
CREATE INDEX fquote_grp ON fquote(grp);
"""

# --------------------------------------------------------------------------- finishing


def finish_store(
    store: Store, *, ungrounded: int, near_duplicates: dict[str, list[str]]
) -> StoredBrief:
    """Write the final order of every record into ``store``; return the brief reading it."""
    store.db.execute(f"PRAGMA cache_size=-{READING_CACHE_KIB}")
    store.db.executescript(_FINAL)
    _name_metrics(store)
    _finish_statistics(store)
    store.db.execute(
        "INSERT INTO fmile(mile) SELECT id FROM mile"
        " ORDER BY coalesce(date, '') = '', date, first_doc, first_start, event"
    )
    _finish_quotes(store)
    groups = _finish_documents(store, near_duplicates)
    return StoredBrief(store, ungrounded=ungrounded, near_duplicates=groups)


def _name_metrics(store: Store) -> None:
    """Each metric's display name and unit: the ones its articles used most."""
    for table, column in (("metric_name", "name"), ("metric_unit", "unit")):
        current, counter = None, Counter[str]()
        updates: list[tuple[str, int]] = []
        rows = store.db.execute(f"SELECT metric, {column}, n FROM {table} ORDER BY metric")
        for metric, value, n in [*rows, (None, "", 0)]:
            if metric != current:
                if current is not None:
                    updates.append((most_common(counter), current))
                current, counter = metric, Counter()
            counter[value] = n
        store.db.executemany(f"UPDATE metric SET {column} = ? WHERE id = ?", updates)


def _reconciled(a: Sequence[Any], b: Sequence[Any]) -> bool:
    """True when a qualifier makes two different values consistent (rows: value, qualifier)."""
    for (xv, xq), (yv, _) in ((a, b), (b, a)):
        if xv is None or yv is None:
            return False
        if (
            (xq == "at_least" and yv >= xv * (1 - VALUE_REL_TOL))
            or (xq == "at_most" and yv <= xv * (1 + VALUE_REL_TOL))
            or (xq == "approximate" and values_close(xv, yv, APPROX_REL_TOL))
        ):
            return True
    return False


def _conflicted(stats: list[tuple[Any, ...]]) -> set[int]:
    """Indexes of (id, value, qualifier, period) rows, sorted by period, that disagree."""
    out: set[int] = set()
    for i, a in enumerate(stats):
        for j in range(i + 1, len(stats)):
            b = stats[j]
            if a[3] is None or b[3] != a[3]:
                break
            if not values_close(a[1], b[1], VALUE_REL_TOL) and not _reconciled(a[1:3], b[1:3]):
                out.update((i, j))
    return out


def _finish_statistics(store: Store) -> None:
    db = store.db
    metrics = db.execute(
        "SELECT id, key, name, unit FROM metric WHERE id IN (SELECT metric FROM stat)"
        " ORDER BY casefold(name), uclass, key"
    )
    series_names: set[str] = set()
    for metric_id, key, name, unit in metrics:
        stats = store.all(
            "SELECT id, value, qualifier, period FROM stat WHERE metric = ? ORDER BY id",
            (metric_id,),
        )
        stats.sort(key=lambda st: (period_key(st[3]), st[1] or 0.0))
        conflicted = _conflicted(stats)
        series, series_ord = None, None
        if len(stats) > 1:
            series = name if name not in series_names else f"{name} ({unit or 'no unit'})"
            n = 2
            while series in series_names:  # two metrics of one name and unit stay apart
                series, n = f"{name} ({unit or 'no unit'} #{n})", n + 1
            series_names.add(series)
            series_ord = store.insert(
                "INSERT INTO fseries VALUES (NULL, ?, ?, ?, ?)", (series, name, key, unit)
            )
        by_period: dict[str, list[int]] = {}
        for i, st in enumerate(stats):
            ord_ = store.insert(
                "INSERT INTO fstat VALUES (NULL, ?, ?, ?, ?, ?, ?)",
                (st[0], name, key, series, series_ord, i in conflicted),
            )
            if i in conflicted and st[3]:
                by_period.setdefault(st[3], []).append(ord_)
        for period, ords in by_period.items():
            conf = store.insert(
                "INSERT INTO fconf VALUES (NULL, ?, ?, ?, ?)", (name, key, period, unit)
            )
            db.executemany("INSERT INTO fconf_val VALUES (?, ?)", [(conf, o) for o in ords])


def _speaker_groups(speakers: list[tuple[str, ...]]) -> list[list[tuple[str, ...]]]:
    """Speaker names merged by the alias rule, each group's fullest name first."""
    sets = {k: frozenset(k) for k in speakers if not k[0].startswith("~")}
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
    return out + [[k] for k in speakers if k[0].startswith("~")]


def _merged_quotes(store: Store, group: list[tuple[str, ...]]) -> list[list[Any]]:
    """The group's quotes as [rep id, first_doc, first_start, member ids...], deduplicated."""
    from rapidfuzz import fuzz, process

    items: list[list[Any]] = []
    norms: list[str] = []
    blocker = Blocker()
    for name in group:
        rows = store.all(
            "SELECT id, norm, first_doc, first_start FROM quote WHERE speaker = ? ORDER BY id",
            (_SEP.join(name),),
        )
        for qid, norm, first_doc, first_start in rows:
            if len(group) > 1:
                tokens = norm.split()
                choices = {c: norms[c] for c in blocker.candidates(tokens)}
                best = process.extractOne(
                    norm, choices, scorer=fuzz.ratio, score_cutoff=QUOTE_THRESHOLD
                )
                if best is not None:
                    items[best[2]].append(qid)
                    continue
                blocker.add(len(items), tokens)
            items.append([qid, first_doc, first_start, qid])
            norms.append(norm)
    return items


def _finish_quotes(store: Store) -> None:
    speakers = [
        tuple(k.split(_SEP))
        for (k,) in store.all("SELECT speaker FROM quote GROUP BY speaker ORDER BY MIN(id)")
    ]
    for group in _speaker_groups(speakers):
        items = _merged_quotes(store, group)
        aliases: Counter[str] = Counter()
        roles: Counter[str] = Counter()
        item_roles: list[Counter[str]] = []
        for item in items:
            mine: Counter[str] = Counter()
            members = item[3:]
            marks = ",".join("?" * len(members))
            for role, name in store.all(
                f"SELECT role, name FROM quote_name WHERE quote IN ({marks})", members
            ):
                (mine if role else aliases)[name] += 1
            roles.update(mine)
            item_roles.append(mine)
        full = set(group[0])
        fullest: Counter[str] = Counter()
        for raw, n in aliases.items():
            if set(speaker_name(raw)) == full:
                fullest[display_name(raw)] += n
        display = most_common(fullest or aliases)
        ranked_roles = [r for r, _ in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))]
        grp = store.insert(
            "INSERT INTO fgroup VALUES (NULL, ?, ?, ?, ?)",
            (len(items), display, json.dumps(sorted(aliases)), json.dumps(ranked_roles)),
        )
        order = sorted(range(len(items)), key=lambda i: (items[i][1], items[i][2] or 0))
        store.db.executemany(
            "INSERT INTO fquote VALUES (?, ?, ?, ?)",
            [
                (
                    grp,
                    items[i][0],
                    most_common(item_roles[i]) if item_roles[i] else None,
                    json.dumps(items[i][3:]),
                )
                for i in order
            ],
        )


def _components(links: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Connected components (of two or more ids) of an undirected graph, sorted."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]  # path halving (not "x = parent[x] = ...":
            x = parent[x]  # that assigns x first and cuts the grandparent loose)
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(x)
    return sorted(sorted(g) for g in groups.values() if len(g) > 1)


def _finish_documents(store: Store, extra: dict[str, list[str]]) -> list[list[str]]:
    """Merge ``extra`` near-duplicate links into the documents; return the link groups."""
    updates: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    for doc_id, near in store.all("SELECT id, near FROM doc WHERE near != '[]'"):
        others = sorted(set(json.loads(near)) | set(extra.get(doc_id, ())))
        updates.append((json.dumps(others), doc_id))
        links += [(doc_id, o) for o in others]
    for doc_id, others in extra.items():
        row = store.one("SELECT near FROM doc WHERE id = ?", (doc_id,))
        if row is not None and row[0] == "[]":
            merged = sorted(set(others))
            updates.append((json.dumps(merged), doc_id))
            links += [(doc_id, o) for o in merged]
    store.db.executemany("UPDATE doc SET near = ? WHERE id = ?", updates)
    return _components(links)
