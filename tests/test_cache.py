"""The disk cache: JSON only, never unpickles, private folder, keys without secrets."""

from __future__ import annotations

import pickle
import sqlite3
import stat
from pathlib import Path

from summarizer.engine.cache import JSONCache, cache_key


def test_roundtrip_and_miss(tmp_path: Path) -> None:
    cache = JSONCache(tmp_path / "c")
    cache.set("k", {"a": [1, 2], "b": "ü"})
    assert cache.get("k") == {"a": [1, 2], "b": "ü"}
    assert cache.get("other") is None
    assert len(cache) == 1


def test_new_folder_is_private_existing_one_keeps_its_mode(tmp_path: Path) -> None:
    JSONCache(tmp_path / "new" / "c")
    assert stat.S_IMODE((tmp_path / "new" / "c").stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    JSONCache(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777


def test_a_planted_pickle_is_never_loaded(tmp_path: Path) -> None:
    cache = JSONCache(tmp_path / "c")
    cache.set("k", {"ok": True})
    cache.close()

    class Boom:
        def __reduce__(self) -> tuple[object, ...]:
            return (exec, ("raise SystemExit('unpickled!')",))

    db = sqlite3.connect(tmp_path / "c" / "cache.db")
    # MODE_PICKLE is 4 in diskcache: an attacker rewrites the row to hold a pickle.
    db.execute("UPDATE Cache SET mode = 4, value = ?", (pickle.dumps(Boom()),))
    db.commit()
    db.close()
    assert JSONCache(tmp_path / "c").get("k") is None  # a miss, not code execution


def test_key_changes_with_every_part_and_is_stable() -> None:
    parts = dict(model="m", base_url="u", mode="tools", prompt="p", schema="s", text="t")
    base = cache_key(**parts)
    assert base == cache_key(**dict(reversed(list(parts.items()))))
    for name in parts:
        assert cache_key(**{**parts, name: parts[name] + "x"}) != base
