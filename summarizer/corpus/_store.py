"""The on-disk working store of a streaming consolidation (one SQLite file).

Everything a :class:`~summarizer.corpus.consolidate.Consolidator` learns is a row here,
never a Python object, so its memory does not grow with the folder: SQLite keeps at most
:data:`_CACHE_KIB` of pages in memory and the rest on disk. The file lives in a private
temporary folder that is removed when the store is closed or garbage-collected (or,
after a kill -9, by the next run that makes a store there: see :func:`_sweep_stale`).

Tables (``rowid`` order is insertion order): ``doc``, ``warning``, ``dup`` (exact
duplicate -> original), ``metric`` + ``metric_alias`` (``unit class|key`` -> metric) +
``metric_name``/``metric_unit`` (counts of the names and units articles used), ``stat``,
``mile``, ``quote`` + ``quote_name`` (speaker names and roles as given), ``anchor`` (the
blocking postings, see :class:`~summarizer.corpus.rules.Blocker`) and ``src`` (one row per
source of every record). :mod:`summarizer.corpus.stored` adds the final ``f*`` tables.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
import socket
import sqlite3
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from summarizer.corpus.rules import MAX_CANDIDATES
from summarizer.records import RECORD_TYPES

__all__ = ["KIND", "KIND_MILESTONE", "KIND_QUOTE", "KIND_STATISTIC", "READING_CACHE_KIB", "Store"]

KIND: dict[str, int] = {field: i for i, field in enumerate(RECORD_TYPES)}
"""The ``kind`` column of ``src``: a record type's position in RECORD_TYPES."""
KIND_MILESTONE, KIND_STATISTIC, KIND_QUOTE = KIND["milestones"], KIND["statistics"], KIND["quotes"]
_CACHE_KIB = 16 * 1024
# Once the brief is built it is only read, in order: a smaller page cache costs little
# time there and keeps the end of a large run's memory down (the index builds of
# finish_store also size their sort buffers by it).
READING_CACHE_KIB = 4 * 1024

_SCHEMA = """
CREATE TABLE doc(id TEXT PRIMARY KEY, title TEXT, path TEXT, chars INT, duplicate_of TEXT,
  near TEXT, statistics INT, milestones INT, quotes INT, ungrounded INT);
CREATE TABLE warning(doc_id TEXT, text TEXT);
CREATE TABLE dup(orig TEXT, dup TEXT);
CREATE TABLE metric(id INTEGER PRIMARY KEY, key TEXT, uclass TEXT, name TEXT, unit TEXT);
CREATE TABLE metric_alias(k TEXT PRIMARY KEY, metric INT) WITHOUT ROWID;
CREATE TABLE metric_name(metric INT, name TEXT, n INT, PRIMARY KEY(metric, name)) WITHOUT ROWID;
CREATE TABLE metric_unit(metric INT, unit TEXT, n INT, PRIMARY KEY(metric, unit)) WITHOUT ROWID;
CREATE TABLE stat(id INTEGER PRIMARY KEY, metric INT, value REAL, unit TEXT, value_text TEXT,
  vt TEXT, qualifier TEXT, period TEXT, equivalents TEXT);
CREATE INDEX stat_metric ON stat(metric, value);
CREATE TABLE mile(id INTEGER PRIMARY KEY, date TEXT, event TEXT, key TEXT, actors TEXT,
  first_doc TEXT, first_start INT);
CREATE TABLE quote(id INTEGER PRIMARY KEY, speaker TEXT, norm TEXT, text TEXT,
  first_doc TEXT, first_start INT);
CREATE TABLE quote_name(quote INT, role INT, name TEXT);
CREATE TABLE anchor(scope TEXT, token TEXT, item INT);
CREATE INDEX anchor_token ON anchor(scope, token, item);
CREATE TABLE src(kind INT, rec INT, doc_id TEXT, start INT, "end" INT, text TEXT, "match" TEXT);
"""


def _cleanup(db: sqlite3.Connection, folder: str) -> None:
    db.close()
    shutil.rmtree(folder, ignore_errors=True)


# Working folders are named for the process that owns them ("summarizer-brief-<pid>.<host>-
# <random>"), so that a run can remove those of killed runs (kill -9 leaves the folder,
# which for a large folder run is hundreds of megabytes): see _sweep_stale.
_PREFIX = "summarizer-brief-"
_HOST = hashlib.sha1(socket.gethostname().encode()).hexdigest()[:8]
_swept: set[str] = set()


def _owner_prefix(pid: int) -> str:
    return f"{_PREFIX}{pid}.{_HOST}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _sweep_stale(parent: str) -> None:
    """Remove the working folders under ``parent`` whose process (on this host) is gone.

    Once per folder and process. Only names this module gives are looked at; a folder of
    a live process, of another host sharing the folder, or of another user is left alone.
    """
    if parent in _swept:
        return
    _swept.add(parent)
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for entry in entries:
        owner, dot, rest = entry.name.removeprefix(_PREFIX).partition(".")
        if (
            entry.name.startswith(_PREFIX)
            and dot
            and owner.isdigit()
            and rest.startswith(_HOST + "-")
            and not _alive(int(owner))
            and entry.is_dir(follow_symlinks=False)
        ):
            shutil.rmtree(entry.path, ignore_errors=True)


class Store:
    """One SQLite working file in a private temporary folder (under ``workdir`` if given)."""

    def __init__(self, workdir: Path | None = None, *, adopt: Path | None = None) -> None:
        """Create the file and its tables (in a new folder under ``workdir``).

        ``adopt``: instead, take over the folder of a store another process
        :meth:`detach`-ed; it is removed when this store is closed.
        """
        fresh = adopt is None
        if fresh:
            parent = str(workdir) if workdir is not None else tempfile.gettempdir()
            _sweep_stale(parent)
            folder = tempfile.mkdtemp(prefix=_owner_prefix(os.getpid()), dir=parent)
        else:
            folder = str(adopt)
        self.folder = Path(folder)
        self.db = sqlite3.connect(
            self.folder / "brief.sqlite", isolation_level=None, check_same_thread=False
        )
        self._finalizer = weakref.finalize(self, _cleanup, self.db, folder)
        # A scratch file: durability buys nothing (a killed run starts it again).
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "locking_mode=EXCLUSIVE",
            "temp_store=FILE",
            f"cache_size=-{_CACHE_KIB if fresh else READING_CACHE_KIB}",
        ):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.create_function("casefold", 1, _casefold, deterministic=True)
        if fresh:
            self.db.executescript(_SCHEMA)
            self.db.execute("BEGIN")
        self._candidate_sql: dict[tuple[int, str, str], str] = {}

    def close(self) -> None:
        """Remove the working file (also done when the store is garbage-collected)."""
        self._finalizer()

    def detach(self, *, owner: int | None = None) -> Path:
        """Commit and close, leaving the file for another process to adopt; its folder.

        ``owner``: the pid of the process that will adopt it; the folder is renamed for
        it, so that a sweep never takes it for a dead process's.
        """
        if self.db.in_transaction:
            self.db.execute("COMMIT")
        self._finalizer.detach()
        self.db.close()
        if owner is not None:
            target = tempfile.mkdtemp(prefix=_owner_prefix(owner), dir=self.folder.parent)
            os.replace(self.folder, target)  # onto the new, empty folder: atomic
            self.folder = Path(target)
        return self.folder

    def one(self, sql: str, args: Sequence[Any] = ()) -> Any:
        """The first row of a query, or None."""
        return self.db.execute(sql, args).fetchone()

    def all(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        """Every row of a query."""
        return self.db.execute(sql, args).fetchall()

    def insert(self, sql: str, args: Sequence[Any]) -> int:
        """Run an INSERT and return the new row's id."""
        rowid = self.db.execute(sql, args).lastrowid
        assert rowid is not None
        return rowid

    # -- blocking: Blocker's postings as rows

    def anchor(self, scopes: Sequence[str], item: int, anchors: Sequence[str]) -> None:
        """Index ``item`` under ``anchors`` (:meth:`Blocker.anchors` of its tokens) in each scope."""
        self.db.executemany(
            "INSERT INTO anchor VALUES (?, ?, ?)",
            [(scope, tok, item) for scope in scopes for tok in anchors],
        )

    def candidates(
        self, scopes: Sequence[str], anchors: Sequence[str], table: str, cols: str
    ) -> dict[int, tuple[Any, ...]]:
        """``{item: (cols...)}`` for items filed under one of ``anchors`` in one of ``scopes``.

        Like :meth:`Blocker.candidates`: each anchor of each scope gives its latest
        MAX_CANDIDATES items, oldest first; anchors in order, then scopes.
        """
        if not anchors:
            return {}
        n = len(anchors) * len(scopes)
        key = (n, table, cols)
        sql = self._candidate_sql.get(key)
        if sql is None:
            one = (
                "SELECT * FROM (SELECT ? AS n, item FROM anchor WHERE scope = ? AND token = ?"
                f" ORDER BY item DESC LIMIT {MAX_CANDIDATES})"
            )
            # Each item once, at its first anchor (its smallest n): SQLite drops the
            # repeats, not Python.
            sql = (
                f"SELECT t.id, {cols} FROM (SELECT item, min(n) AS n FROM"
                f" ({' UNION ALL '.join([one] * n)}) GROUP BY item) a"
                f" JOIN {table} t ON t.id = a.item ORDER BY a.n, t.id"
            )
            self._candidate_sql[key] = sql
        params = [
            x
            for i, (tok, scope) in enumerate(itertools.product(anchors, scopes))
            for x in (i, scope, tok)
        ]
        return {row[0]: row[1:] for row in self.db.execute(sql, params)}


def _casefold(text: str | None) -> str | None:
    return None if text is None else text.casefold()
