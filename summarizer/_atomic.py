"""Atomic file writes, shared by every stage that writes a file.

A file is written to a temporary name in the same folder and moved into place with
``os.replace``, so a reader (or a rerun after ``kill -9``) never sees half a file.
Temporary names carry this process's tag (``.summarizer-<tag>-*.tmp``), so a rerun
can tell its own leftovers from anybody else's ``*.tmp``.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import secrets
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = [
    "FILE_MODE",
    "PROCESS_TAG",
    "TMP_PREFIX",
    "publishable",
    "tmp_prefix",
    "write_json_atomic",
    "write_text_atomic",
]

# This process's temporary files: ".summarizer-<tag>-<random>.tmp".
TMP_PREFIX = ".summarizer-"
PROCESS_TAG = f"{os.getpid()}x{secrets.token_hex(4)}"
# Temporary names are this process's tag and a counter: unique without mkstemp's random
# names (O_EXCL still refuses a name that exists).
_serial = itertools.count()
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _file_mode() -> int:
    """What the umask leaves of rw-rw-rw- (what ``open(path, "w")`` would create)."""
    mask = os.umask(0o022)  # reading the umask means setting it; put back at once
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()
"""Permissions of the files a run writes: those of any new file, by the umask."""


def publishable(fd: int) -> None:
    """Give a temporary file made by ``mkstemp`` (0600) the mode :data:`FILE_MODE`."""
    if hasattr(os, "fchmod"):
        os.fchmod(fd, FILE_MODE)


def tmp_prefix(tag: str = PROCESS_TAG) -> str:
    """The start of the temporary file names of the process tagged ``tag`` (this one)."""
    return f"{TMP_PREFIX}{tag}-"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that no partial file is ever visible.

    The temporary name does not include ``path``'s, so a name near the 255-byte
    limit still works. No fsync: the rename makes the file whole or absent, which is
    all a rerun needs (an interrupted run's answers are in the cache; a power cut may
    lose the last files, not corrupt them into half-written ones that look complete).
    """
    data = text.encode("utf-8")
    fd, tmp = _create_tmp(path.parent)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _create_tmp(folder: Path) -> tuple[int, str]:
    """Open a new temporary file of this process in ``folder`` (created when missing)."""
    for _ in range(100):
        tmp = os.path.join(folder, f"{tmp_prefix()}{next(_serial)}.tmp")
        try:
            # The umask decides, as for any new file: report.html and the CSVs are
            # for reading by others too, where the folder allows it.
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileNotFoundError:
            folder.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a forked copy of this process took the name: next one
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def write_json_atomic(path: Path, value: Any) -> None:
    """Write ``value`` as indented JSON, atomically."""
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    write_text_atomic(path, text + "\n")
