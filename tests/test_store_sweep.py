"""Working folders of killed runs are removed by the next run; nothing else is touched."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from summarizer.corpus import _store
from summarizer.corpus._store import Store
from summarizer.corpus.background import BackgroundConsolidator

from .test_consolidate import _synthetic


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def _folders(parent: Path) -> set[str]:
    return {p.name for p in parent.iterdir()}


def test_a_dead_process_s_folder_is_removed_and_nothing_else(tmp_path: Path) -> None:
    host = _store._HOST
    dead = f"summarizer-brief-{_dead_pid()}.{host}-abc"
    kept = {
        f"summarizer-brief-{os.getpid()}.{host}-abc",  # a live process's
        f"summarizer-brief-{_dead_pid()}.0000beef-abc",  # another host's
        "summarizer-brief-k3j4h5",  # no owner in the name
        f"my-brief-{_dead_pid()}.{host}-abc",  # not ours
    }
    for name in (dead, *kept):
        (tmp_path / name).mkdir()
        (tmp_path / name / "brief.sqlite").write_bytes(b"x")
    a_file = f"summarizer-brief-{_dead_pid()}.{host}-file"
    (tmp_path / a_file).write_bytes(b"x")
    store = Store(tmp_path)
    assert _folders(tmp_path) == kept | {a_file, store.folder.name}
    assert store.folder.name.startswith(f"summarizer-brief-{os.getpid()}.{host}-")
    store.close()
    assert _folders(tmp_path) == kept | {a_file}


def test_a_killed_consolidator_s_store_is_swept_by_the_next_run(tmp_path: Path) -> None:
    c = BackgroundConsolidator(workdir=tmp_path)
    c.add(_synthetic(1))
    c.add(_synthetic(2))
    pid = c._process.pid
    assert pid is not None
    for _ in range(200):  # until the child has made its store
        if list(tmp_path.iterdir()):
            break
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    c._process.join(10)
    left = _folders(tmp_path)
    assert [n for n in left if n.startswith(f"summarizer-brief-{pid}.")], left
    _store._swept.discard(str(tmp_path))  # as in a new process
    Store(tmp_path).close()
    assert _folders(tmp_path) == set()
    c.close()


def test_a_handed_over_store_is_named_for_its_new_owner(tmp_path: Path) -> None:
    c = BackgroundConsolidator(workdir=tmp_path)
    c.add(_synthetic(1))
    with c.finish() as brief:
        (folder,) = tmp_path.iterdir()
        assert folder.name.startswith(f"summarizer-brief-{os.getpid()}.{_store._HOST}-")
        _store._swept.discard(str(tmp_path))
        Store(tmp_path).close()  # another run starting now leaves it alone
        assert brief.counts().documents == 1
    assert _folders(tmp_path) == set()
