"""Streaming a file atomically: written piece by piece to a temporary name, then moved.

The temporary name is this process's (see :mod:`summarizer._atomic`), so a rerun knows it
as a leftover of ours; nothing half-written is ever visible under the real name.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from summarizer._atomic import publishable, tmp_prefix

__all__ = ["open_atomic"]


@contextmanager
def open_atomic(path: Path) -> Iterator[IO[str]]:
    """A UTF-8 text file (no newline translation) that appears at ``path`` only when complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=tmp_prefix(), suffix=".tmp")
    try:
        publishable(fd)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
