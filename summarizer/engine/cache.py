"""On-disk cache of model answers, so a rerun costs nothing.

Built on ``diskcache`` (SQLite), with two rules of our own:

* Values are JSON text and reading never unpickles: diskcache pickles by default,
  and loading a pickle from a cache folder someone else can write runs their code.
  :class:`JSONOnlyDisk` refuses any row that is not plain text or bytes.
* The folder is created private to the user (mode 0700).

The key (:func:`cache_key`) is a sha256 over everything that changes the answer:
model, endpoint base URL, mode, sampling parameters, prompt version and text, the
model-facing schema, chunking settings and the article text. Never the API key.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any, cast

import diskcache
from diskcache.core import MODE_PICKLE

from summarizer.errors import ConfigError

__all__ = ["JSONCache", "JSONOnlyDisk", "cache_key", "default_cache_dir"]

CACHE_FORMAT = 1


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
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            mode = stat.S_IMODE(self.directory.stat().st_mode)
            if mode & 0o077:
                self.directory.chmod(0o700)
            self._cache = diskcache.Cache(str(self.directory), disk=JSONOnlyDisk)
        except OSError as exc:
            raise ConfigError(
                f"cannot use cache folder {self.directory}: {exc.strerror or exc}; "
                "pass --cache-dir or --no-cache"
            ) from exc

    def get(self, key: str) -> dict[str, Any] | None:
        """The stored value, or None when missing or unreadable (treated as a miss)."""
        try:
            text = self._cache.get(key, default=None)
        except (ValueError, OSError):
            return None
        if not isinstance(text, str):
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return None
        return cast(dict[str, Any], value) if isinstance(value, dict) else None

    def set(self, key: str, value: dict[str, Any]) -> None:
        """Store ``value`` (JSON-serialisable) under ``key``."""
        self._cache.set(key, json.dumps(value, ensure_ascii=False))

    def __len__(self) -> int:
        return len(self._cache)

    def close(self) -> None:
        """Close the underlying SQLite connection."""
        self._cache.close()
