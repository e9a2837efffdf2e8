"""A run's file list, kept in a private SQLite file rather than in memory.

A list of :class:`~pathlib.Path` objects costs about 400 bytes a file (a run of 100,000
files held 40 MB of them from discovery to the end), a blob of names about 30; a
:class:`FileList` keeps the names on disk and reads them back a chunk at a time, so a
run's memory does not grow with the number of files. Names are stored as the bytes
``os.fsencode`` gives, so any name Linux allows comes back as the same ``Path``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import overload

__all__ = ["FileList", "file_list", "private_db"]

_CACHE_KIB = 512
_CHUNK = 512  # rows read at once when iterating


def private_db(cache_kib: int = _CACHE_KIB) -> sqlite3.Connection:
    """A private temporary SQLite database with a bounded page cache.

    ``""`` opens a file that SQLite deletes when the connection closes; pages beyond
    the cache go to that file, so the memory it holds is at most ``cache_kib``.
    """
    db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{cache_kib}"):
        db.execute(f"PRAGMA {pragma}")
    return db


class FileList(Sequence[Path]):
    """Paths numbered 0, 1, 2, ... in the order given (or sorted by name), on disk.

    >>> files = FileList([Path("b.txt"), Path("a.txt")], sort=True)
    >>> list(files), files[0], len(files)
    ([PosixPath('a.txt'), PosixPath('b.txt')], PosixPath('a.txt'), 2)

    ``sort=True`` orders them by ``os.fsencode(path)`` (bytes order, as
    :func:`~summarizer.load.documents.discover` promises); SQLite sorts on disk, in
    bounded memory.
    """

    def __init__(self, paths: Iterable[Path] = (), *, sort: bool = False) -> None:
        """Store ``paths`` (any iterable: it is read once, a batch at a time)."""
        self._db = private_db()
        self._db.execute("CREATE TABLE f(pos INTEGER PRIMARY KEY, name BLOB NOT NULL)")
        self._db.execute("BEGIN")
        target = "raw" if sort else "f(name)"
        if sort:
            self._db.execute("CREATE TABLE raw(name BLOB NOT NULL)")
        batch: list[tuple[bytes]] = []
        for path in paths:
            batch.append((os.fsencode(path),))
            if len(batch) == _CHUNK:
                self._db.executemany(f"INSERT INTO {target} VALUES (?)", batch)
                batch.clear()
        self._db.executemany(f"INSERT INTO {target} VALUES (?)", batch)
        if sort:
            # BLOBs compare with memcmp: the order of sorted(key=os.fsencode).
            self._db.execute("INSERT INTO f(name) SELECT name FROM raw ORDER BY name")
            self._db.execute("DROP TABLE raw")
        self._db.execute("COMMIT")
        found = self._db.execute("SELECT count(*) FROM f").fetchone()
        self._len = int(found[0])

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError("file list index out of range")
        (name,) = self._db.execute("SELECT name FROM f WHERE pos = ?", (index + 1,)).fetchone()
        return Path(os.fsdecode(name))

    def __iter__(self) -> Iterator[Path]:
        return (Path(os.fsdecode(name)) for name in self.names())

    def names(self, start: int = 0) -> Iterator[bytes]:
        """The names as bytes, from position ``start`` on, a chunk of rows at a time.

        Each chunk is its own query, so the iterator can stay open while the
        connection does other work (or sits idle for as long as a run lasts).
        """
        pos = start  # rowids are positions + 1
        while True:
            rows = self._db.execute(
                "SELECT pos, name FROM f WHERE pos > ? ORDER BY pos LIMIT ?", (pos, _CHUNK)
            ).fetchall()
            if not rows:
                return
            pos = rows[-1][0]
            for _, name in rows:
                yield name

    def close(self) -> None:
        """Delete the file (also done when the list is garbage-collected)."""
        self._db.close()

    def __repr__(self) -> str:
        return f"FileList({self._len} files)"


def file_list(paths: Sequence[Path]) -> FileList:
    """``paths`` as a :class:`FileList` (itself when it is one already)."""
    return paths if isinstance(paths, FileList) else FileList(paths)
