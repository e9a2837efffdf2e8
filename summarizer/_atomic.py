"""Atomic file writes, shared by every stage that writes a file.

A file is written to a temporary name in the same folder and moved into place with
``os.replace``, so a reader (or a rerun after ``kill -9``) never sees half a file.
Temporary names carry this process's tag (``.summarizer-<tag>-*.tmp``), so a rerun
can tell its own leftovers from anybody else's ``*.tmp``.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = ["PROCESS_TAG", "TMP_PREFIX", "tmp_prefix", "write_json_atomic", "write_text_atomic"]

# This process's temporary files: ".summarizer-<tag>-<random>.tmp".
TMP_PREFIX = ".summarizer-"
PROCESS_TAG = f"{os.getpid()}x{secrets.token_hex(4)}"


def tmp_prefix(tag: str = PROCESS_TAG) -> str:
    """The start of the temporary file names of the process tagged ``tag`` (this one)."""
    return f"{TMP_PREFIX}{tag}-"


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that no partial file is ever visible.

    The temporary name does not include ``path``'s, so a name near the 255-byte
    limit still works.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=tmp_prefix(), suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path: Path, value: Any) -> None:
    """Write ``value`` as indented JSON, atomically."""
    if isinstance(value, BaseModel):
        text = value.model_dump_json(indent=2)
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
    write_text_atomic(path, text + "\n")
