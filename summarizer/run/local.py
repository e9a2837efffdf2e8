"""The local folder runner: schedule engines over a file list, add up outcomes, write.

Articles stream through ``concurrency`` tasks on one event loop; each outcome is
written as soon as it is ready (so memory stays flat and a killed run loses only
what was in flight) and counted into the :class:`~summarizer.records.RunReport`.
At the end: near-duplicate links are added to the articles they concern,
``records.jsonl`` and ``run.json`` are written, and the articles are consolidated
into the brief (``summary.md``, the CSVs, ``report.html``).

The run stops early, keeping what it wrote, on an error that every further article
would meet alike: a :class:`~summarizer.errors.FatalEndpointError` (a refused key, an
unknown model) or an :class:`~summarizer.errors.OutputError` (a full disk). A run
that stopped, or in which no article succeeded, does not replace the folder-level
outputs of an earlier run (see :mod:`summarizer.outputs.files` for the policy).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from summarizer.corpus.dedupe import NearDuplicateIndex
from summarizer.engine import Engine
from summarizer.errors import FatalEndpointError, OutputError, SummarizerError
from summarizer.load.documents import Article, LoadProblem, load_article
from summarizer.outputs.files import OutputWriter, article_path, output_error, write_json_atomic
from summarizer.records import ArticleOutcome, ArticleResult, CallCounts, RunReport

__all__ = ["FolderResult", "FolderRun", "ProgressCallback", "ProgressEvent"]

log = logging.getLogger("summarizer")


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
    ) -> None:
        self.started = time.perf_counter()
        self.engine = engine
        self.settings = engine.settings
        self.root = root
        self.paths = list(paths)
        # Both checked before any model call: a cache that cannot be opened, an
        # output folder that cannot (or may not) be written.
        engine.open_cache()
        self.writer = OutputWriter(out, force=self.settings.force) if out is not None else None
        self.stopped: SummarizerError | None = None
        self.keep = keep_articles
        self.kept: list[ArticleResult] = []
        self.on_progress = on_progress
        self.near = NearDuplicateIndex()
        self.where: dict[str, Path] = {}
        self.first_of: dict[str, str] = {}  # sha256 of the full text -> first id
        self.report = RunReport(documents=len(self.paths), **_describe(engine))

    # ------------------------------------------------------------------ the run

    async def run(self, process: Process | None = None) -> None:
        """Process every file with ``concurrency`` tasks.

        ``process`` stands in for ``engine.process`` (a worker pool's: the same run,
        with the engines in other processes).
        """
        queue = iter(self.paths)
        self._process = process or self.engine.process
        workers = [
            asyncio.create_task(self._worker(queue)) for _ in range(self.settings.concurrency)
        ]
        await asyncio.gather(*workers)

    async def _worker(self, queue: Iterator[Path]) -> None:
        for path in queue:
            if self.stopped is not None:
                return
            loaded = self._load(path)
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
                    outcome, article=loaded, duplicate_of=first if first != loaded.id else None
                )
                if outcome.result is not None:
                    self.where[loaded.id] = path  # the real name (Article.path may be escaped)
            except (FatalEndpointError, OutputError) as exc:
                if self.stopped is None:
                    self.stopped = exc
                return

    def _load(self, path: Path) -> Article | LoadProblem:
        return load_article(
            path,
            self.root,
            max_chars=self.settings.max_chars,
            follow_symlinks=self.settings.follow_symlinks,
        )

    def add(
        self,
        outcome: ArticleOutcome,
        *,
        article: Article | None = None,
        duplicate_of: str | None = None,
    ) -> None:
        """Write one outcome, count it, and report progress."""
        result = outcome.result
        if result is not None:
            if duplicate_of is not None:
                result.document.duplicate_of = duplicate_of
            elif article is not None:
                self.near.add(article.id, article.model_text)
            if article is not None:
                self.where[outcome.id] = Path(article.path)
            if self.writer is not None:
                self.writer.write_article(outcome.id, result)
            if self.keep:
                self.kept.append(result)
        self.report.add(outcome)
        if self.on_progress is not None:
            self.on_progress(
                ProgressEvent(outcome.status, outcome.id, self.report, len(self.paths))
            )

    # ------------------------------------------------------------------ the end

    def finish(self) -> FolderResult:
        """Link near-duplicates, consolidate, write the folder outputs; return the result."""
        from summarizer.corpus.consolidate import Consolidator

        groups = self.near.groups()
        try:
            self._link_near_duplicates(groups)
        except OSError as exc:  # only when writing (a full disk)
            self.stopped = self.stopped or output_error(Path("articles"), exc)
        consolidator = Consolidator(keep_ungrounded=self.settings.keep_ungrounded)
        for article in self._results():
            consolidator.add(article)
        brief = consolidator.finish()
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
                result.published = self._write_folder_outputs(brief)
            except OutputError as exc:
                self.stopped = self.stopped or exc
                result.published = False
            except OSError as exc:
                self.stopped = self.stopped or output_error(result.out, exc)
                result.published = False
        else:
            report.wall_seconds = round(time.perf_counter() - self.started, 3)
        return result

    def _write_folder_outputs(self, brief: Any) -> bool:
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
        writer.write_records_jsonl()
        try:
            paths = write_brief_outputs(
                brief, writer.out, articles=self._results, text_for=self._text_for
            )
        except OSError as exc:
            raise output_error(writer.out, exc) from exc
        writer.track(paths)
        report.wall_seconds = round(time.perf_counter() - self.started, 3)
        writer.write_json("run.json", report)
        return True

    def _results(self) -> Iterator[ArticleResult]:
        """This run's results in id order: from disk when written there (memory stays flat)."""
        if self.writer is None:
            yield from sorted(self.kept, key=lambda r: r.document.id)
            return
        for text in self.writer.iter_articles():
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

    def _text_for(self, doc_id: str) -> str | None:
        path = self.where.get(doc_id)
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
