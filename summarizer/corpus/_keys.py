"""Strings numbered in the order they are added, kept on disk rather than in memory.

A run of 100,000 articles would otherwise hold 100,000 ids (and a dict or set entry
for each) for its whole length, in several places: the near-duplicate index, the list
of files written. :class:`DiskKeys` keeps them in a private temporary SQLite file
whose page cache is bounded, so memory stays flat in the folder's size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from summarizer.load.files import private_db

__all__ = ["DiskKeys"]

_CACHE_KIB = 1024


class DiskKeys:
    """Distinct strings, numbered 0, 1, 2, ... as they are added."""

    def __init__(self) -> None:
        """Create the (empty) private file; it is deleted when the object is closed or freed."""
        self._db = private_db(_CACHE_KIB)
        self._db.execute("CREATE TABLE k(row INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)")
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.row(key) is not None

    def add(self, key: str) -> int | None:
        """Number ``key``; its row, or None when it was added before (nothing changes)."""
        try:
            self._db.execute("INSERT INTO k VALUES (?, ?)", (self._n, key))
        except sqlite3.IntegrityError:
            return None
        self._n += 1
        return self._n - 1

    def row(self, key: str) -> int | None:
        """The row of ``key``, or None."""
        found = self._db.execute("SELECT row FROM k WHERE key = ?", (key,)).fetchone()
        return None if found is None else int(found[0])

    def key(self, row: int) -> str:
        """The string at ``row`` (``IndexError`` when there is none)."""
        found = self._db.execute("SELECT key FROM k WHERE row = ?", (row,)).fetchone()
        if found is None:
            raise IndexError(row)
        return str(found[0])

    def sorted(self, prefix: str = "", suffix: str = "") -> Iterator[str]:
        """``prefix + key + suffix`` for every key, in Python's string order.

        SQLite compares TEXT as UTF-8 bytes, which orders as code points do.
        """
        rows = self._db.execute("SELECT ? || key || ? AS x FROM k ORDER BY x", (prefix, suffix))
        for (text,) in rows:
            yield text

    def close(self) -> None:
        """Delete the file."""
        self._db.close()
