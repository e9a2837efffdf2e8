"""Write results to disk, atomically.

Every file is written to a temporary name in the same folder and moved into place
with ``os.replace``, so a reader (or a rerun after ``kill -9``) never sees half a
file. Per-article files are written as each article finishes, so memory stays flat
however large the folder; ``records.jsonl`` is assembled from them at the end, in
document-id order, so two runs over the same input give the same file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

__all__ = [
    "OutputWriter",
    "article_path",
    "write_json_atomic",
    "write_text_atomic",
]


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that no partial file is ever visible."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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


def article_path(out: Path, doc_id: str) -> Path:
    """``OUT/articles/<id>.json``; ids may hold ``/`` for subfolders."""
    return out / "articles" / f"{doc_id}.json"


class OutputWriter:
    """Writes one run's outputs under ``out``."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self._ids: list[str] = []
        # A run killed mid-write leaves hidden temporary files; never real ones.
        for stale in self.out.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)

    def write_article(self, doc_id: str, result: BaseModel) -> Path:
        """Write one article's JSON and remember it for ``records.jsonl``."""
        path = article_path(self.out, doc_id)
        write_json_atomic(path, result)
        self._ids.append(doc_id)
        return path

    @property
    def written_ids(self) -> list[str]:
        """Ids of the articles written in this run, sorted."""
        return sorted(self._ids)

    def iter_articles(self) -> Iterator[str]:
        """The JSON text of each article written in this run, in id order."""
        for doc_id in self.written_ids:
            yield article_path(self.out, doc_id).read_text(encoding="utf-8")

    def write_records_jsonl(self) -> Path:
        """Assemble ``records.jsonl`` (one article per line) from the article files."""
        return self.write_lines("records.jsonl", _compact(self.iter_articles()))

    def write_lines(self, name: str, lines: Iterable[str]) -> Path:
        """Stream ``lines`` into ``OUT/name`` atomically."""
        path = self.out / name
        fd, tmp = tempfile.mkstemp(dir=self.out, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                for line in lines:
                    fh.write(line)
                    fh.write("\n")
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def _compact(texts: Iterable[str]) -> Iterator[str]:
    for text in texts:
        yield json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
