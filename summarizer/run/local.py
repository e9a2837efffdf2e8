"""One folder run: workers, identical-text coalescing, and the folder-level outputs.

Articles stream through ``concurrency`` workers; each result is written as soon as
it is ready (so memory stays flat and a killed run loses only what was in flight).
At the end: near-duplicate links are added to the articles they concern,
``records.jsonl`` and ``run.json`` are written, and the articles are consolidated
into the brief (``summary.md``, the CSVs, ``report.html``).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import SummarizerError
from summarizer.extract.transport import track_calls
from summarizer.load.documents import Article, LoadProblem, discover, load_article
from summarizer.outputs.files import OutputWriter, article_path, write_json_atomic
from summarizer.records import ArticleResult, RunFailure, RunReport

if TYPE_CHECKING:
    from summarizer.api import FolderResult, ProgressCallback, Summarizer, _Outcome

__all__ = ["FolderRun"]

log = logging.getLogger("summarizer")


class FolderRun:
    """State of one folder run. Use :meth:`run`, then :meth:`finish`."""

    def __init__(
        self,
        owner: Summarizer,
        root: Path,
        *,
        globs: Sequence[str],
        out: Path | None,
        keep_articles: bool,
        on_progress: ProgressCallback | None,
    ) -> None:
        from summarizer.corpus.dedupe import NearDuplicateIndex

        self.started = time.perf_counter()
        self.owner = owner
        self.root = root
        self.paths = discover(root, globs)
        self.writer = OutputWriter(out) if out is not None else None
        self.keep = keep_articles
        self.kept: list[ArticleResult] = []
        self.on_progress = on_progress
        self.near = NearDuplicateIndex()
        self.where: dict[str, Path] = {}
        # Identical texts: in flight (a future to wait on) or done (the first id).
        self.by_text: dict[str, asyncio.Future[tuple[_Outcome, bool, Article]]] = {}
        self.first_of: dict[str, tuple[str, str]] = {}  # -> (id, sha256 of full text)
        settings = owner.settings
        self.report = RunReport(
            documents=len(self.paths),
            model=settings.model,
            endpoint=settings.endpoint_host,
            mode=settings.mode,
            prompt_version=owner.prompt.version,
        )

    # ------------------------------------------------------------------ the run

    async def run(self) -> None:
        """Process every file with ``concurrency`` workers."""
        queue = iter(self.paths)
        workers = [
            asyncio.create_task(self._worker(queue)) for _ in range(self.owner.settings.concurrency)
        ]
        await asyncio.gather(*workers)

    async def _worker(self, queue: Iterator[Path]) -> None:
        for path in queue:
            await self._one(path)

    def _emit(self, kind: str, doc_id: str) -> None:
        if self.on_progress is not None:
            from summarizer.api import ProgressEvent

            self.on_progress(ProgressEvent(kind, doc_id, self.report, len(self.paths)))

    async def _one(self, path: Path) -> None:
        loaded = load_article(path, self.root, max_chars=self.owner.settings.max_chars)
        if isinstance(loaded, LoadProblem):
            entry = RunFailure(id=loaded.id, path=loaded.path, reason=loaded.reason)
            if loaded.status == "failed":
                self.report.failed.append(entry)
            else:
                self.report.skipped.append(entry)
            self._emit(loaded.status, loaded.id)
            return
        article = loaded
        try:
            outcome, hit, first = await self._coalesced(article)
            result = self.owner._result(article, outcome, cache_hit=hit)
            if first is not None:
                result.document.duplicate_of = first
                self.report.duplicates += 1
            else:
                self.near.add(article.id, article.model_text)
            self.where[article.id] = path
            if self.writer is not None:
                self.writer.write_article(article.id, result)
        except SummarizerError as exc:
            self._fail(article, str(exc))
            return
        except Exception as exc:  # one broken article never stops the run
            log.exception("internal error on %s", article.id)
            self._fail(article, f"internal error: {type(exc).__name__}: {exc}")
            return
        self.report.succeeded += 1
        if self.keep:
            self.kept.append(result)
        self._emit("cached" if hit else "done", article.id)

    async def _coalesced(self, article: Article) -> tuple[_Outcome, bool, str | None]:
        """Ask once per distinct model input; later copies wait for (or reread) the first.

        Returns the outcome, whether it came from the cache, and the id of an earlier
        article with the very same text (None when this one is the first).
        """
        key = hashlib.sha256(article.model_text.encode("utf-8")).hexdigest()
        pending = self.by_text.get(key)
        if pending is not None:
            outcome, hit, first = await asyncio.shield(pending)
            return outcome, hit, first.id if first.sha256 == article.sha256 else None
        done = self.first_of.get(key)
        if done is not None:
            # Answered earlier in this run and cached since: read it back rather
            # than keeping every answer in memory.
            outcome, _ = await self.owner._outcome(article)
            first_id, first_sha = done
            return outcome, True, first_id if first_sha == article.sha256 else None
        future: asyncio.Future[tuple[_Outcome, bool, Article]] = (
            asyncio.get_running_loop().create_future()
        )
        self.by_text[key] = future
        r = self.report
        with track_calls() as stats:
            try:
                outcome, hit = await self.owner._outcome(article)
            except BaseException as exc:
                future.set_exception(exc)
                future.exception()  # mark retrieved: duplicates may never await it
                raise
            finally:
                # Failed articles cost calls too: count what went over the wire.
                r.llm_calls += stats.llm_calls
                r.retries += stats.retries
                r.prompt_tokens += stats.prompt_tokens
                r.completion_tokens += stats.completion_tokens
        if hit:
            r.cache_hits += 1
        else:
            r.reasks += outcome.provenance.reasks
        future.set_result((outcome, hit, article))
        if self.owner.settings.caching:
            self.first_of[key] = (article.id, article.sha256)
            del self.by_text[key]  # waiting copies hold the future
        return outcome, hit, None

    def _fail(self, article: Article, reason: str) -> None:
        self.report.failed.append(RunFailure(id=article.id, path=article.path, reason=reason))
        self._emit("failed", article.id)

    # ------------------------------------------------------------------ the end

    def finish(self) -> FolderResult:
        """Link near-duplicates, consolidate, write the folder outputs; return the result."""
        from summarizer.api import FolderResult
        from summarizer.corpus.consolidate import Consolidator

        groups = self.near.groups()
        self._link_near_duplicates(groups)
        consolidator = Consolidator(keep_ungrounded=self.owner.settings.keep_ungrounded)
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
        if self.writer is not None:
            from summarizer.outputs.brief import write_brief_outputs

            out = self.writer.out
            self.writer.write_records_jsonl()
            write_brief_outputs(brief, out, articles=self._results, text_for=self._text_for)
            report.wall_seconds = round(time.perf_counter() - self.started, 3)
            write_json_atomic(out / "run.json", report)
            result.out = out
        else:
            report.wall_seconds = round(time.perf_counter() - self.started, 3)
        return result

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
        loaded = load_article(path, self.root, max_chars=self.owner.settings.max_chars)
        return loaded.text if isinstance(loaded, Article) else None
