"""The local folder runner: schedule engines over a file list, add up outcomes, write.

Articles stream through ``concurrency`` tasks on one event loop; each outcome is
written as soon as it is ready (so memory stays flat and a killed run loses only
what was in flight) and counted into the :class:`~summarizer.records.RunReport`.
Results are also consolidated as they arrive, in document-id order: an
:class:`_IdOrder` holds back a result until every earlier id has finished, so the
brief is the one an id-ordered consolidation gives (the consolidator's merges
depend on the order), and ``records.jsonl`` is spooled in that order too. At the
end only what needs the whole folder is left: near-duplicate links (added to the
articles they concern), the brief's ordering, and the folder outputs
(``records.jsonl``, ``run.json``, ``summary.md``, the CSVs, ``report.html``).

The run stops early, keeping what it wrote, on an error that every further article
would meet alike: a :class:`~summarizer.errors.FatalEndpointError` (a refused key, an
unknown model) or an :class:`~summarizer.errors.OutputError` (a full disk). A run
that stopped, or in which no article succeeded, does not replace the folder-level
outputs of an earlier run (see :mod:`summarizer.outputs.files` for the policy).
"""

from __future__ import annotations

import asyncio
import collections
import itertools
import json
import logging
import os
import pickle
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarizer.corpus.dedupe import NearDuplicateIndex
from summarizer.engine import Engine
from summarizer.errors import FatalEndpointError, OutputError, SummarizerError
from summarizer.load.documents import Article, LoadProblem, document_id, load_article
from summarizer.load.files import FileList, file_list, private_db
from summarizer.outputs.files import OutputWriter, article_path, output_error, write_json_atomic
from summarizer.records import ArticleOutcome, ArticleResult, CallCounts, RunReport

__all__ = ["FolderResult", "FolderRun", "ProgressCallback", "ProgressEvent"]

log = logging.getLogger("summarizer")

#: Folders from this many files are consolidated in a process of their own (where a
#: second core exists): below it, starting the process costs more than it saves.
_BACKGROUND_FROM = 200
#: Results held back (see :class:`_IdOrder`) in memory; more wait on disk.
_HELD_IN_MEMORY = 256


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One article finished (``done``, ``cached``, ``failed`` or ``skipped``)."""

    kind: str
    doc_id: str
    report: RunReport
    total: int


ProgressCallback = Callable[[ProgressEvent], None]
Process = Callable[[Article], Awaitable[ArticleOutcome]]


@dataclass(repr=False)
class FolderResult:
    """What a folder run produced."""

    run: RunReport
    articles: list[ArticleResult] = field(default_factory=list)
    brief: Any = None  # summarizer.corpus.consolidate.Brief
    out: Path | None = None
    published: bool = True  # False: the earlier results in ``out`` were kept

    def __repr__(self) -> str:
        # Short on purpose: asyncio may repr a finished task's result, and the
        # full brief of a large folder takes seconds to print.
        r = self.run
        return (
            f"FolderResult(documents={r.documents}, succeeded={r.succeeded}, "
            f"failed={len(r.failed)}, out={self.out!s})"
        )


def load_outcome(problem: LoadProblem) -> ArticleOutcome:
    """The outcome of a file that could not be loaded."""
    return ArticleOutcome(
        id=problem.id,
        path=problem.path,
        status="failed" if problem.status == "failed" else "skipped",
        reason=problem.reason,
    )


class _IdOrder:
    """Hands back items in document-id order, whatever order they arrive in.

    Items are held only until every earlier id has arrived, so with ``concurrency``
    articles in flight about that many wait here, not the folder. The ids, in order,
    are a table in a private SQLite file, read a chunk at a time; held items beyond
    the first :data:`_HELD_IN_MEMORY` are pickled into the same file (one slow
    article while thousands finish after it must not hold thousands of results).
    """

    def __init__(self, paths: FileList, root: Path) -> None:
        self._db = private_db()
        db = self._db
        db.execute("BEGIN")
        db.execute("CREATE TABLE raw(id TEXT, pos INT)")
        rows = ((document_id(path, root), pos) for pos, path in enumerate(paths))
        for chunk in iter(lambda: list(itertools.islice(rows, 512)), []):
            db.executemany("INSERT INTO raw VALUES (?, ?)", chunk)
        db.execute("CREATE INDEX raw_id ON raw(id, pos)")
        self.renames = self._rename_clashes(paths)
        # k numbers the ids in order.
        db.execute("CREATE TABLE ids(k INTEGER PRIMARY KEY, id TEXT)")
        db.execute(
            "INSERT INTO ids(id) SELECT coalesce(r.id, raw.id) AS i FROM raw"
            " LEFT JOIN renamed r ON r.pos = raw.pos ORDER BY i, raw.pos"
        )
        db.execute("DROP TABLE raw")
        db.execute("CREATE TABLE held(seq INTEGER PRIMARY KEY, id TEXT, item BLOB)")
        db.execute("CREATE INDEX held_id ON held(id, seq)")
        db.execute("COMMIT")
        self._ahead: collections.deque[str] = collections.deque()  # the next ids, read ahead
        self._read = 0  # ids read into _ahead so far
        self._want = self._next_id()
        self._waiting: dict[str, list[tuple[int, Any]]] = {}  # id -> (seq, item), in memory
        self._in_memory = 0
        self._on_disk = 0
        self._seq = 0

    def _rename_clashes(self, paths: FileList) -> int:
        """Give each file whose id an earlier file (by name) has another; how many.

        ``a.md`` and ``a.txt`` both make ``a``: the first keeps it, the other becomes
        ``a.txt`` (its id with its extension), or ``a.txt~2``, ``~3``, ... if that is
        taken too. Without this the second would overwrite the first's outputs.
        """
        db = self._db
        db.execute("CREATE TABLE renamed(pos INTEGER PRIMARY KEY, id TEXT UNIQUE)")
        clashing = db.execute(
            "SELECT id, pos FROM raw WHERE id IN (SELECT id FROM raw GROUP BY id"
            " HAVING count(*) > 1) ORDER BY id, pos"
        )
        renames, last = 0, None
        for doc_id, pos in clashing:
            if doc_id != last:  # the first file of the id keeps it
                last = doc_id
                continue
            base = candidate = doc_id + paths[pos].suffix
            n = 2
            while db.execute(
                "SELECT 1 FROM raw WHERE id = ?1 UNION ALL SELECT 1 FROM renamed WHERE id = ?1",
                (candidate,),
            ).fetchone():
                candidate, n = f"{base}~{n}", n + 1
            db.execute("INSERT INTO renamed VALUES (?, ?)", (pos, candidate))
            renames += 1
        return renames

    def renamed(self, pos: int) -> str | None:
        """The id of file ``pos`` when it is not its :func:`document_id` (a clash), else None."""
        if not self.renames:
            return None
        row = self._db.execute("SELECT id FROM renamed WHERE pos = ?", (pos,)).fetchone()
        return None if row is None else str(row[0])

    def _next_id(self) -> str | None:
        if not self._ahead:
            rows = self._db.execute(
                "SELECT id FROM ids WHERE k > ? ORDER BY k LIMIT 512", (self._read,)
            ).fetchall()
            self._read += len(rows)
            self._ahead.extend(row[0] for row in rows)
        return self._ahead.popleft() if self._ahead else None

    @property
    def held(self) -> tuple[int, int]:
        """How many items are held (in memory, on disk)."""
        return self._in_memory, self._on_disk

    def arrive(self, doc_id: str, item: Any) -> list[Any]:
        """Note ``doc_id`` finished (with ``item``); return the items now due, in order."""
        if doc_id != self._want:
            self._hold(doc_id, item)
            return []
        due = [item]
        self._want = self._next_id()
        while self._want is not None and (found := self._take(self._want)) is not None:
            due.append(found[1])
            self._want = self._next_id()
        return due

    def _hold(self, doc_id: str, item: Any) -> None:
        self._seq += 1
        if self._in_memory < _HELD_IN_MEMORY:
            self._waiting.setdefault(doc_id, []).append((self._seq, item))
            self._in_memory += 1
            return
        blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        self._db.execute("INSERT INTO held VALUES (?, ?, ?)", (self._seq, doc_id, blob))
        self._on_disk += 1

    def _take(self, doc_id: str) -> tuple[int, Any] | None:
        """The earliest-arrived item held for ``doc_id`` (removed), or None."""
        waiting = self._waiting.get(doc_id)
        row = None
        if self._on_disk:
            row = self._db.execute(
                "SELECT seq, item FROM held WHERE id = ? ORDER BY seq LIMIT 1", (doc_id,)
            ).fetchone()
        if waiting is not None and (row is None or waiting[0][0] < row[0]):
            found = waiting.pop(0)
            if not waiting:
                del self._waiting[doc_id]
            self._in_memory -= 1
            return found
        if row is None:
            return None
        self._db.execute("DELETE FROM held WHERE seq = ?", (row[0],))
        self._on_disk -= 1
        return row[0], pickle.loads(row[1])

    def drain(self) -> Iterator[Any]:
        """Every item still held (its earlier ids never came: a stopped run), in id order.

        One at a time: those on disk are read back as they are handed out.
        """
        in_memory = sorted(self._waiting)  # at most _HELD_IN_MEMORY ids
        i = 0
        while True:
            while i < len(in_memory) and in_memory[i] not in self._waiting:
                i += 1
            first = [in_memory[i]] if i < len(in_memory) else []
            if self._on_disk:
                first += self._db.execute("SELECT min(id) FROM held").fetchone()
            if not first:
                return
            doc_id = min(first)
            while (found := self._take(doc_id)) is not None:
                yield found[1]

    def close(self) -> None:
        """Delete the file."""
        self._db.close()


class _FirstCopies:
    """sha256 of a text -> the id of the first article with it, in a private SQLite file.

    A dict would keep two strings a file for the whole run; this keeps them on disk
    (SQLite holds a bounded page cache), so memory stays flat in the folder's size.
    """

    def __init__(self) -> None:
        self._db = private_db(2048)
        self._db.execute("CREATE TABLE first(sha BLOB PRIMARY KEY, id TEXT) WITHOUT ROWID")

    def setdefault(self, sha256: str, doc_id: str) -> str:
        """The first id seen with ``sha256``; ``doc_id`` becomes it when none was."""
        key = bytes.fromhex(sha256)
        row = self._db.execute("SELECT id FROM first WHERE sha = ?", (key,)).fetchone()
        if row is not None:
            return str(row[0])
        self._db.execute("INSERT INTO first VALUES (?, ?)", (key, doc_id))
        return doc_id

    def close(self) -> None:
        """Remove the file."""
        self._db.close()


class FolderRun:
    """State of one folder run. Use :meth:`run`, then :meth:`finish`."""

    def __init__(
        self,
        engine: Engine,
        root: Path,
        paths: Sequence[Path],
        *,
        out: Path | None,
        keep_articles: bool,
        on_progress: ProgressCallback | None,
        shown_path: str | None = None,
    ) -> None:
        """Prepare a run of ``paths`` (files under ``root``); nothing is read yet.

        ``shown_path``: the path every article reports (its ``document.path``) instead
        of its file's, e.g. ``"-"`` for an article spooled from standard input.
        """
        from summarizer.corpus.background import BackgroundConsolidator
        from summarizer.corpus.consolidate import Consolidator

        self.started = time.perf_counter()
        self.engine = engine
        self.settings = engine.settings
        self.root = root
        self.shown_path = shown_path
        # On disk (a FileList from discover() is used as it is), read a chunk at a time.
        self.paths: FileList = file_list(paths)
        # Both checked before any model call: a cache that cannot be opened, an
        # output folder that cannot (or may not) be written.
        engine.open_cache()
        self.writer = OutputWriter(out, force=self.settings.force) if out is not None else None
        self.stopped: SummarizerError | None = None
        self.keep = keep_articles
        self.kept: list[ArticleResult] = []
        self.on_progress = on_progress
        self.near = NearDuplicateIndex()
        self.first_of = _FirstCopies()
        self.report = RunReport(documents=len(self.paths), **_describe(engine))
        # Fed in id order as results arrive (see the module docstring).
        self._order = _IdOrder(self.paths, root)
        self._consolidator: Consolidator | BackgroundConsolidator
        if len(self.paths) >= _BACKGROUND_FROM and (os.cpu_count() or 1) > 1:
            # Consolidating is the main process's largest cost: on another core it
            # overlaps loading, writing and asking (the same brief; corpus.background).
            self._consolidator = BackgroundConsolidator(
                keep_ungrounded=self.settings.keep_ungrounded
            )
        else:
            self._consolidator = Consolidator(keep_ungrounded=self.settings.keep_ungrounded)
        self._add_json: Callable[[str], None] | None = None
        if isinstance(self._consolidator, BackgroundConsolidator):
            self._add_json = self._consolidator.add_json
        # The first articles by id, with their files: the ones report.html shows.
        self._shown: list[tuple[str, Path]] = []
        self._show = 0
        if self.writer is not None:
            from summarizer.outputs.html import DEFAULT_MAX_ARTICLES

            self._show = DEFAULT_MAX_ARTICLES

    # ------------------------------------------------------------------ the run

    async def run(self, process: Process | None = None) -> None:
        """Process every file with ``concurrency`` tasks.

        ``process`` stands in for ``engine.process`` (a worker pool's: the same run,
        with the engines in other processes).
        """
        queue = self.entries()
        self._process = process or self.engine.process
        workers = [
            asyncio.create_task(self._worker(queue)) for _ in range(self.settings.concurrency)
        ]
        await asyncio.gather(*workers)

    def entries(self) -> Iterator[tuple[Path, str | None]]:
        """Each file, in order, with its id when that is not its ``document_id`` (a clash)."""
        for pos, path in enumerate(self.paths):
            yield path, self._order.renamed(pos)

    async def _worker(self, queue: Iterator[tuple[Path, str | None]]) -> None:
        for path, doc_id in queue:
            # A cache hit or the rules provider never waits: without this the first
            # task would run the whole folder in one step, and ^C (a cancellation,
            # delivered at the next suspension) would only land at the end.
            await asyncio.sleep(0)
            if self.stopped is not None:
                return
            loaded = self._load(path, doc_id)
            try:
                if isinstance(loaded, LoadProblem):
                    self.add(load_outcome(loaded))
                    continue
                first = self.first_of.setdefault(loaded.sha256, loaded.id)
                try:
                    outcome = await self._process(loaded)
                except FatalEndpointError as exc:
                    calls = exc.calls if isinstance(exc.calls, CallCounts) else CallCounts()
                    failed = ArticleOutcome(
                        id=loaded.id,
                        path=loaded.path,
                        status="failed",
                        reason=str(exc),
                        calls=calls,
                    )
                    self.add(failed)
                    raise
                self.add(
                    outcome,
                    article=loaded,
                    duplicate_of=first if first != loaded.id else None,
                    source=path,  # the real name (Article.path may be escaped)
                )
            except (FatalEndpointError, OutputError) as exc:
                if self.stopped is None:
                    self.stopped = exc
                return

    def _load(self, path: Path, doc_id: str | None = None) -> Article | LoadProblem:
        loaded = load_article(
            path,
            self.root,
            max_chars=self.settings.max_chars,
            follow_symlinks=self.settings.follow_symlinks,
            doc_id=doc_id,
        )
        return loaded if self.shown_path is None else replace(loaded, path=self.shown_path)

    def add(
        self,
        outcome: ArticleOutcome,
        *,
        article: Article | None = None,
        duplicate_of: str | None = None,
        source: Path | None = None,
    ) -> None:
        """Write one outcome, count it, consolidate it (in id order), and report progress.

        ``source``: the file it was read from (default: ``article.path``).
        """
        result = outcome.result
        line: str | None = None
        if result is not None:
            if duplicate_of is not None:
                result.document.duplicate_of = duplicate_of
            elif article is not None:
                self.near.add(article.id, article.model_text)
            if self.writer is not None:
                line = self.writer.write_article(outcome.id, result)
            if self.keep:
                self.kept.append(result)
            if source is None and article is not None:
                source = Path(article.path)
        item = (outcome.id, result, line, source) if result is not None else None
        for due in self._order.arrive(outcome.id, item):
            self._consolidate(due)
        self.report.add(outcome)
        if self.on_progress is not None:
            self.on_progress(
                ProgressEvent(outcome.status, outcome.id, self.report, len(self.paths))
            )

    def _consolidate(self, item: tuple[str, ArticleResult, str | None, Path | None] | None) -> None:
        """Fold one result into the brief and ``records.jsonl``; called in id order."""
        if item is None:
            return
        doc_id, result, line, source = item
        if line is not None and self._add_json is not None:
            self._add_json(line)  # the records.jsonl line: the result is dumped once
        else:
            self._consolidator.add(result)
        if self.writer is not None and line is not None:
            self.writer.append_record(doc_id, line)
        if len(self._shown) < self._show and source is not None:
            self._shown.append((doc_id, source))

    # ------------------------------------------------------------------ the end

    def abandon(self) -> None:
        """The run was stopped before its end (^C, SIGTERM): drop what only finish uses.

        The article files written stay; the brief is not built.
        """
        if self.writer is not None:
            self.writer.abandon()

    def finish(self) -> FolderResult:
        """Link near-duplicates, consolidate, write the folder outputs; return the result."""
        try:
            for item in self._order.drain():
                self._consolidate(item)
        except OSError as exc:  # only when writing (a full disk)
            self.stopped = self.stopped or output_error(Path("records.jsonl"), exc)
        self._order.close()
        self.first_of.close()
        groups = self.near.groups()
        try:
            self._link_near_duplicates(groups)
        except OSError as exc:  # only when writing (a full disk)
            self.stopped = self.stopped or output_error(Path("articles"), exc)
        brief = self._consolidator.finish(near_duplicates=groups)
        report = self.report
        report.extra["near_duplicate_groups"] = len(brief.near_duplicates)
        result = FolderResult(
            run=report,
            articles=sorted(self.kept, key=lambda r: r.document.id),
            brief=brief,
        )
        if self.stopped is not None:
            report.extra["stopped"] = str(self.stopped)
        if self.writer is not None:
            result.out = self.writer.out
            try:
                result.published = self._write_folder_outputs(brief, groups)
            except OutputError as exc:
                self.stopped = self.stopped or exc
                result.published = False
            except OSError as exc:
                self.stopped = self.stopped or output_error(result.out, exc)
                result.published = False
        else:
            report.wall_seconds = round(time.perf_counter() - self.started, 3)
        return result

    def _write_folder_outputs(self, brief: Any, groups: dict[str, list[str]]) -> bool:
        """Write records, brief and run.json, unless this run must not replace the earlier."""
        from summarizer.outputs.brief import write_brief_outputs

        assert self.writer is not None
        writer, report = self.writer, self.report
        succeeded = 0 if self.stopped is not None else report.succeeded
        if not writer.commit(succeeded):
            report.wall_seconds = round(time.perf_counter() - self.started, 3)
            writer.write_failed_report(report)
            log.warning(
                "%s: the earlier results in %s are kept; this run's report is in %s",
                "the run stopped early" if self.stopped else "no article succeeded",
                writer.out,
                writer.out / "run-failed.json",
            )
            return False
        writer.write_records_jsonl(near_duplicates=groups)
        texts = {doc_id: path for doc_id, path in self._shown}
        try:
            paths = write_brief_outputs(
                brief,
                writer.out,
                articles=self._shown_results,
                text_for=lambda doc_id: self._text_of(texts.get(doc_id)),
                max_articles=self._show,
                failed=report.failed,
                skipped=report.skipped,
            )
        except OSError as exc:
            raise output_error(writer.out, exc) from exc
        writer.track(paths)
        report.wall_seconds = round(time.perf_counter() - self.started, 3)
        writer.write_json("run.json", report)
        return True

    def _shown_results(self) -> Iterator[ArticleResult]:
        """The results report.html shows (the first by id), read back from their files."""
        assert self.writer is not None
        for doc_id, _ in self._shown:
            text = article_path(self.writer.out, doc_id).read_text(encoding="utf-8")
            yield ArticleResult.model_validate_json(text)

    def _link_near_duplicates(self, groups: dict[str, list[str]]) -> None:
        if not groups:
            return
        for result in self.kept:
            result.document.near_duplicates = groups.get(result.document.id, [])
        if self.writer is None:
            return
        for doc_id, others in groups.items():
            path = article_path(self.writer.out, doc_id)
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            data["document"]["near_duplicates"] = others
            write_json_atomic(path, data)

    def _text_of(self, path: Path | None) -> str | None:
        if path is None:
            return None
        loaded = self._load(path)
        return loaded.text if isinstance(loaded, Article) else None


def _describe(engine: Engine) -> dict[str, Any]:
    d = engine.extractor.describe()
    return {
        "provider": d.get("provider", ""),
        "model": d.get("model") or "",
        "endpoint": d.get("endpoint"),
        "mode": d.get("mode") or "",
        "prompt_version": d.get("prompt_version") or "",
    }
