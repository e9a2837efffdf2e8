"""Write results to disk, atomically, and only where this tool may.

Every file is written to a temporary name in the same folder and moved into place
with ``os.replace``, so a reader (or a rerun after ``kill -9``) never sees half a
file. Temporary names carry this process's tag (``.summarizer-<tag>-*.tmp``): a
rerun removes only the leftovers of a run its manifest names, never any other
``*.tmp``. Per-article files are written as each article finishes, so memory stays
flat however large the folder; their one-line forms are spooled, in document-id order
(the runner's), into a temporary file that becomes ``records.jsonl`` at the end, so
two runs over the same input give the same file and no article file is read again.

Reruns into the same folder (the policy the README states):

* An output folder holds a manifest, ``.summarizer-manifest.json``: the files this
  tool wrote there and the run that wrote them. Only those files are ever replaced
  or removed; anything else in the folder is left alone.
* A folder that is not empty and has no manifest was not written by this tool: the
  run refuses to start (``--force`` writes into it anyway, replacing same-named
  files). The checks run before the first model call, as does a test write, so a
  read-only ``-o`` or one that is a file costs nothing.
* When at least one article succeeds, the run's results replace the earlier run's:
  files the earlier run wrote that this one did not (``articles/*.json`` of inputs
  since removed, or of articles that failed this time) are deleted, so the folder
  never mixes runs. Their answers stay in the cache; a rerun restores them cheaply.
* When no article succeeds (a refused key, an endpoint that is down), the earlier
  results are kept untouched and this run's report goes to ``run-failed.json``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import heapq
import json
import os
import re
import socket
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel

from summarizer._atomic import (
    PROCESS_TAG,
    publishable,
    tmp_prefix,
    write_json_atomic,
    write_text_atomic,
)
from summarizer.corpus._keys import DiskKeys
from summarizer.errors import ConfigError, OutputError
from summarizer.load.documents import OUTPUT_MARKER
from summarizer.outputs._stream import open_atomic

__all__ = [
    "MANIFEST_NAME",
    "OutputWriter",
    "article_path",
    "output_error",
    "write_json_atomic",
    "write_text_atomic",
]

MANIFEST_NAME = OUTPUT_MARKER
FAILED_REPORT = "run-failed.json"
_MANIFEST_FORMAT = 1
# Temporary files are named by the writer in summarizer._atomic: ".summarizer-<tag>-*.tmp".
_TAG = PROCESS_TAG
# A number with an exponent, or a plain one under 1e-4, where compact JSON puts numbers
# (after ':', ',' or '['). Text inside strings can match too: those lines take the slow
# path, which is always right. (Not any digit before an 'e': every sha256 has one.)
_MAYBE_EXPONENT = re.compile(r"[:,\[]-?(?:\d+(?:\.\d+)?[eE]|0\.0000)")


def article_path(out: Path, doc_id: str) -> Path:
    """``OUT/articles/<id>.json``; ids may hold ``/`` for subfolders."""
    return out / "articles" / f"{doc_id}.json"


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


class OutputWriter:
    """Writes one run's outputs under ``out``, keeping the folder's manifest.

    Construct it before any model call: it checks that ``out`` can be written and
    may be written (see the module docstring), and raises :class:`ConfigError`
    otherwise. A write that fails mid-run (a full disk) raises :class:`OutputError`.
    At the end the runner calls :meth:`commit` with the number of articles that
    succeeded; it says whether to write the folder-level outputs.
    """

    def __init__(self, out: Path, *, force: bool = False) -> None:
        self.out = Path(out)
        self.run_id = _TAG
        self._spool: IO[str] | None = None  # records.jsonl in the making
        self._spool_path: Path | None = None
        self._files: set[str] = set()  # written in this run, relative to out (not articles)
        self._articles = DiskKeys()  # ids of the articles written in this run (on disk)
        self._published: bool | None = None
        self._earlier = self._open(force)
        self._clean_leftovers()
        try:
            # Also the test write: a read-only folder fails here, before any model call.
            self._save_manifest(state="running")
        except OutputError as exc:
            raise ConfigError(f"-o {self.out} cannot be written: {exc}") from None

    # ------------------------------------------------------------------ start

    def _open(self, force: bool) -> dict[str, Any]:
        out = self.out
        if out.exists() and not out.is_dir():
            raise ConfigError(f"-o {out} is a file, not a folder; choose a folder")
        try:
            out.mkdir(parents=True, exist_ok=True)
            entries = {p.name for p in out.iterdir()}
        except OSError as exc:
            raise ConfigError(f"cannot create or read -o {out}: {exc.strerror or exc}") from None
        manifest = self._read_manifest()
        if manifest is None and entries and not force:
            raise ConfigError(
                f"-o {out} is not empty and was not written by summarize; choose a new or "
                "empty folder, or pass --force to write into it (same-named files are "
                "replaced, nothing else is touched)"
            )
        if manifest is not None:
            self._refuse_concurrent(manifest)
        return manifest or {}

    def _read_manifest(self) -> dict[str, Any] | None:
        path = self.out / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # Ours by name but unreadable: treat the folder as ours, with no file list.
            return {}
        return data if isinstance(data, dict) else {}

    def _refuse_concurrent(self, manifest: dict[str, Any]) -> None:
        if manifest.get("state") != "running" or manifest.get("host") != socket.gethostname():
            return
        pid = manifest.get("pid")
        if not isinstance(pid, int) or pid == os.getpid():
            return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return  # that run died; its leftovers are cleaned below
        except PermissionError:
            pass
        raise ConfigError(
            f"another summarize run (process {pid}) is writing into {self.out}; "
            "wait for it or choose another -o"
        )

    def _clean_leftovers(self) -> None:
        """Remove temporary files of the earlier run the manifest names, if it died."""
        earlier = self._earlier
        tag = earlier.get("run")
        if earlier.get("state") != "running" or not isinstance(tag, str) or tag == _TAG:
            return
        prefix = tmp_prefix(tag)
        folders = {self.out, self.out / "articles"}
        for rel in earlier.get("files") or []:
            path = self._inside(rel)
            if path is not None:
                folders.add(path.parent)
        for folder in folders:
            with contextlib.suppress(OSError):
                for entry in folder.iterdir():
                    if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                        entry.unlink(missing_ok=True)

    def _inside(self, rel: Any) -> Path | None:
        """``out / rel`` when ``rel`` (from a manifest) names a place inside ``out``."""
        if not isinstance(rel, str) or not rel or os.path.isabs(rel):
            return None
        path = self.out / rel
        base = os.path.realpath(self.out)
        real = os.path.realpath(path.parent)
        if os.path.commonpath([base, real]) != base or ".." in Path(rel).parts:
            return None
        return path

    # ------------------------------------------------------------------ manifest

    def _manifest_files(self) -> Iterator[str]:
        """This run's files (and the earlier run's, until replaced), sorted, each once."""
        files = set(self._files)
        if not self._published:
            # Until this run's results replace them, the earlier run's files stay ours.
            files.update(f for f in self._earlier.get("files") or [] if isinstance(f, str))
        last = None
        articles = self._articles.sorted(prefix="articles/", suffix=".json")
        for rel in heapq.merge(sorted(files), articles):
            if rel != last:
                yield rel
                last = rel

    def _save_manifest(self, *, state: str) -> None:
        manifest: dict[str, Any] = {
            "format": _MANIFEST_FORMAT,
            "tool": "summarizer",
            "run": self.run_id,
            "state": state,
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "updated": _now(),
            "published_run": self.run_id if self._published else self._earlier.get("published_run"),
            "files": [],
        }
        # The text json.dumps(manifest, indent=2) gives, with the file list streamed in.
        head = json.dumps(manifest, indent=2)
        assert head.endswith("[]\n}")
        path = self.out / MANIFEST_NAME
        try:
            with open_atomic(path) as fh:
                fh.write(head[: -len("[]\n}")])
                first = True
                for rel in self._manifest_files():
                    fh.write("[\n    " if first else ",\n    ")
                    fh.write(json.dumps(rel))
                    first = False
                fh.write("[]\n}\n" if first else "\n  ]\n}\n")
        except OSError as exc:
            raise output_error(path, exc) from exc

    # ------------------------------------------------------------------ writes

    def _write(self, path: Path, text: str, *, track: bool = True) -> Path:
        try:
            write_text_atomic(path, text)
        except OSError as exc:
            raise output_error(path, exc) from exc
        if track:
            self._track(path)
        return path

    def _track(self, path: Path) -> None:
        try:
            rel = Path(path).relative_to(self.out).as_posix()
        except ValueError:
            return
        self._files.add(rel)

    def track(self, paths: Iterable[Path]) -> None:
        """Record files written under ``out`` by other code (the brief) as this run's."""
        for path in paths:
            self._track(path)
        self._save_manifest(state="done" if self._published is not None else "running")

    def write_article(self, doc_id: str, result: BaseModel) -> str:
        """Write one article's JSON; return its one-line form for :meth:`append_record`."""
        text = result.model_dump_json(indent=2)
        self._write(article_path(self.out, doc_id), text + "\n", track=False)
        self._articles.add(doc_id)
        # The line is the article file's JSON as Python's json module writes it. pydantic's
        # compact dump is the same text (same escapes, same shortest float digits) except
        # for floats Python writes with an exponent (below 1e-4, from 1e16): pydantic
        # writes those "0.00001" or "1e16". A line that may hold one goes through json.
        line = result.model_dump_json()
        return _compact_one(text) if _MAYBE_EXPONENT.search(line) else line

    def write_json(self, name: str, value: Any) -> Path:
        """Write ``OUT/name`` as indented JSON, atomically, as one of this run's files."""
        if isinstance(value, BaseModel):
            text = value.model_dump_json(indent=2)
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False)
        path = self._write(self.out / name, text + "\n")
        if self._published is not None:
            self._save_manifest(state="done")
        return path

    def append_record(self, doc_id: str, line: str) -> None:
        """Add an article's line (from :meth:`write_article`) to ``records.jsonl``.

        Call in document-id order; the file appears at :meth:`write_records_jsonl`.
        """
        if self._spool is None:
            try:
                fd, tmp = tempfile.mkstemp(dir=self.out, prefix=tmp_prefix(), suffix=".tmp")
            except OSError as exc:
                raise output_error(self.out / "records.jsonl", exc) from exc
            self._spool = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
            self._spool_path = Path(tmp)
        # The id, JSON-quoted (no raw tab in it), before a tab: links are added by id.
        self._spool.write(f"{json.dumps(doc_id)}\t{line}\n")

    def write_records_jsonl(
        self, *, near_duplicates: Mapping[str, list[str]] | None = None
    ) -> Path:
        """Write ``records.jsonl`` (one article per line) from the appended records.

        ``near_duplicates`` (id -> ids) is set into the lines of those documents, as
        it was into their article files.
        """
        lines: Iterable[str] = ()
        if self._spool is not None:
            assert self._spool_path is not None
            self._spool.close()
            lines = _spooled(self._spool_path, near_duplicates or {})
        try:
            return self.write_lines("records.jsonl", lines)
        finally:
            if self._spool_path is not None:
                self._spool_path.unlink(missing_ok=True)
            self._spool = self._spool_path = None

    def write_lines(self, name: str, lines: Iterable[str]) -> Path:
        """Stream ``lines`` into ``OUT/name`` atomically."""
        path = self.out / name
        try:
            fd, tmp = tempfile.mkstemp(dir=self.out, prefix=tmp_prefix(), suffix=".tmp")
        except OSError as exc:
            raise output_error(path, exc) from exc
        try:
            publishable(fd)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                for line in lines:
                    fh.write(line)
                    fh.write("\n")
            os.replace(tmp, path)
        except OSError as exc:
            Path(tmp).unlink(missing_ok=True)
            raise output_error(path, exc) from exc
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._track(path)
        return path

    # ------------------------------------------------------------------ the end

    def commit(self, succeeded: int) -> bool:
        """Settle the run: True when its results replace the earlier ones.

        With ``succeeded`` > 0 the files of the earlier run that this run did not
        write are removed and True is returned: write the folder-level outputs now
        (through :meth:`write_json`, :meth:`write_records_jsonl`, :meth:`track`).
        With nothing succeeded the earlier results stay as they are and False is
        returned: write the report with :meth:`write_failed_report` only.
        """
        self._published = succeeded > 0 or not self._earlier.get("files")
        if self._published:
            for rel in self._earlier.get("files") or []:
                if rel in self._files or rel == MANIFEST_NAME or self._wrote_article(rel):
                    continue
                path = self._inside(rel)
                if path is not None and not path.is_symlink() and path.is_file():
                    with contextlib.suppress(OSError):
                        path.unlink()
                        _prune_empty(path.parent, self.out)
            with contextlib.suppress(OSError):
                (self.out / FAILED_REPORT).unlink(missing_ok=True)
        self._save_manifest(state="done")
        return self._published

    def _wrote_article(self, rel: str) -> bool:
        """Whether ``rel`` is ``articles/<id>.json`` of an article this run wrote."""
        head, tail = "articles/", ".json"
        if not (rel.startswith(head) and rel.endswith(tail)):
            return False
        return rel[len(head) : -len(tail)] in self._articles

    def abandon(self) -> None:
        """The run was stopped (^C, SIGTERM) before its end: drop the records spool.

        The articles written stay, and so does the earlier run's brief; the manifest
        still says "running", so the next run cleans up anything else left.
        """
        if self._spool is not None:
            with contextlib.suppress(OSError):
                self._spool.close()
        if self._spool_path is not None:
            self._spool_path.unlink(missing_ok=True)
        self._spool = self._spool_path = None

    def write_failed_report(self, report: Any) -> Path:
        """Write the report of a run that replaced nothing to ``OUT/run-failed.json``."""
        return self.write_json(FAILED_REPORT, report)


def _prune_empty(folder: Path, top: Path) -> None:
    """Remove ``folder`` and its parents up to ``top`` (exclusive) while empty."""
    while folder != top and top in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def output_error(path: Path, exc: OSError) -> OutputError:
    """An :class:`OutputError` for a failed write at ``path``; a full disk says so."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(
            f"the disk is full: cannot write {path}; free some space and rerun "
            "(answers already received are cached)"
        )
    return OutputError(f"cannot write {path}: {exc.strerror or exc}")


def _compact_one(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def _spooled(path: Path, near_duplicates: Mapping[str, list[str]]) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="\n") as fh:
        for raw in fh:
            key, _, line = raw.rstrip("\n").partition("\t")
            others = near_duplicates.get(json.loads(key)) if near_duplicates else None
            if others is not None:
                data = json.loads(line)
                data["document"]["near_duplicates"] = others
                line = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            yield line
