"""On-disk cache of model answers, so a rerun costs nothing.

Built on ``diskcache`` (SQLite), with two rules of our own:

* Values are JSON text and reading never unpickles: diskcache pickles by default,
  and loading a pickle from a cache folder someone else can write runs their code.
  :class:`JSONOnlyDisk` refuses any row that is not plain text or bytes.
* A folder it creates is private to the user (mode 0700); an existing folder is
  used as it is, never chmodded (a shared 1777 folder keeps its mode).
* A damaged cache never fails an article: a row or database that cannot be read
  is a miss (one warning per cache object), a write that fails is skipped. Only a
  cache that cannot be opened at all is an error (:class:`ConfigError`), raised
  when the run starts.

The key (:func:`cache_key`) is a sha256 over everything that changes the answer:
model, endpoint base URL, mode, sampling parameters, prompt version and text, the
model-facing schema, chunking settings and the article text. Never the API key.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import Any, cast

import diskcache
from diskcache.core import MODE_PICKLE

from summarizer.errors import ConfigError

__all__ = ["JSONCache", "JSONOnlyDisk", "cache_key", "default_cache_dir"]

CACHE_FORMAT = 1
_CACHE_PAGES = 512  # SQLite pages (4 KiB) of page cache per connection

log = logging.getLogger("summarizer")

# What a damaged or vanished database raises from diskcache's SQLite calls.
_DAMAGE = (sqlite3.Error, OSError, ValueError)


def default_cache_dir() -> Path:
    """``$SUMMARIZER_CACHE_DIR``, else the user cache folder (e.g. ``~/.cache/summarizer``)."""
    env = os.environ.get("SUMMARIZER_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("summarizer", appauthor=False))


def cache_key(**parts: Any) -> str:
    """sha256 hex over the JSON of ``parts`` (sorted keys); the caller never passes secrets."""
    blob = json.dumps({"format": CACHE_FORMAT, **parts}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class JSONOnlyDisk(diskcache.Disk):  # type: ignore[misc]
    """A diskcache ``Disk`` that never unpickles what it reads."""

    def get(self, key: Any, raw: bool) -> Any:
        if not raw:
            raise ValueError("refusing to unpickle a cache key")
        return super().get(key, raw)

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == MODE_PICKLE:
            raise ValueError("refusing to unpickle a cache value")
        return super().fetch(mode, filename, value, read)


class JSONCache:
    """A JSON-valued cache in a private folder. Safe across threads and processes."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory).expanduser()
        self._warned = False
        advice = "delete it, or pass another --cache-dir, or --no-cache"
        try:
            _make_private_folder(self.directory)
        except OSError as exc:
            raise ConfigError(
                f"cannot use cache folder {self.directory}: {exc.strerror or exc}; "
                "pass --cache-dir or --no-cache"
            ) from exc
        try:
            self._cache = diskcache.Cache(
                str(self.directory),
                disk=JSONOnlyDisk,
                # diskcache's defaults (a 32 MB page cache and a 64 MB memory map per
                # connection) grow a run's memory with the cache's size; a run reads each
                # key once, so the OS's file cache serves as well.
                sqlite_cache_size=_CACHE_PAGES,
                sqlite_mmap_size=0,
            )
        except _DAMAGE as exc:
            raise ConfigError(
                f"cannot open the cache in {self.directory} ({_reason(exc)}); {advice}"
            ) from exc

    def _damaged(self, exc: BaseException) -> None:
        if not self._warned:
            self._warned = True
            log.warning(
                "the cache in %s is damaged (%s): treating it as empty; delete the folder "
                "to rebuild it",
                self.directory,
                _reason(exc),
            )

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored value, or None when missing or unreadable (treated as a miss)."""
        try:
            text = self._cache.get(key, default=None)
        except ValueError:
            return None  # a row that is not JSON text (JSONOnlyDisk refused it)
        except _DAMAGE as exc:
            self._damaged(exc)
            return None
        if not isinstance(text, str):
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return None
        return cast(dict[str, Any], value) if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``; a damaged cache skips it."""
        try:
            self._cache.set(key, json.dumps(value, ensure_ascii=False))
        except _DAMAGE as exc:
            self._damaged(exc)

    def __len__(self) -> int:
        try:
            return len(self._cache)
        except _DAMAGE as exc:
            self._damaged(exc)
            return 0

    def close(self) -> None:
        """Close the underlying SQLite connection."""
        with contextlib.suppress(*_DAMAGE):
            self._cache.close()


def _make_private_folder(directory: Path) -> None:
    """Create ``directory`` mode 0700 when missing; leave an existing one alone."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    try:
        directory.mkdir(mode=0o700)
    except FileExistsError:
        if not directory.is_dir():
            raise NotADirectoryError(20, "not a folder", str(directory)) from None
        return
    # mkdir's mode is filtered by the umask; the folder is ours, so set it exactly.
    directory.chmod(0o700)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
