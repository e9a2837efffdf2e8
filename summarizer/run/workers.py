"""Worker processes: every core of one machine, one engine and event loop per process.

The parent keeps doing what the local runner does (discover, load, note exact
duplicates, write, consolidate); only :meth:`Engine.process` moves out, to ``size``
processes forked from a fork server that has imported the engine and the LLM stack
once (``spawn`` where fork is unsafe); neither inherits the parent's event loop,
SQLite connections or thread locks. Each worker builds its own
:class:`~summarizer.engine.Engine` from the settings, so its own HTTP connections and
its own handle on the cache: the cache is diskcache over SQLite, which is safe to
share between processes on one machine.

Messages are pickled over one pipe per worker: the parent sends loaded articles,
the worker answers with :class:`~summarizer.records.ArticleOutcome` objects (plain
data) as they finish. ``concurrency`` stays the total number of articles in flight;
it is split evenly across the workers.

With the parent's engine (:func:`run_with_workers`), cache hits are answered in the
parent, and the processes start at the first miss: a fully cached rerun is one
process, exactly as fast as ``--workers 1``.

Identical texts go to the same worker while one of them is in flight, so the
engine's in-process coalescing still sends each distinct text to the model once;
once answered, the shared cache serves the copies wherever they land (without a
cache, routing stays sticky for the whole run).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from summarizer.errors import SummarizerError
from summarizer.records import ArticleOutcome

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from summarizer.config import Settings
    from summarizer.engine import Engine
    from summarizer.load.documents import Article
    from summarizer.run.local import FolderRun

__all__ = [
    "WorkerError",
    "WorkerPool",
    "cached_outcome",
    "default_workers",
    "run_with_workers",
]

log = logging.getLogger("summarizer")

#: Below this many files a run is over before extra processes pay for their start-up.
MIN_FILES = 200
#: More processes than this rarely help: the endpoint, not the client, is then the limit.
MAX_DEFAULT_WORKERS = 4


class WorkerError(SummarizerError):
    """A worker process could not start or died."""


def default_workers(settings: Settings, files: int) -> int:
    """How many processes to use when ``--workers`` is not given.

    One process drives an LLM endpoint at about 10-20 ms of client CPU per call
    (instructor, openai, grounding), so with many articles and a slow endpoint one
    core is the limit: use up to ``min(cores, 4)`` processes. They start only at the
    first cache miss, so a fully cached rerun stays one process. The built-in rules
    and small folders stay in one process: starting a worker (a fresh interpreter and
    its imports) costs more than it saves there.
    """
    if settings.effective_provider != "openai":
        return 1
    if files < MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_DEFAULT_WORKERS))


def split_concurrency(total: int, size: int) -> list[int]:
    """``total`` in-flight slots shared as evenly as possible by ``size`` workers (each >= 1)."""
    base, extra = divmod(max(total, size), size)
    return [base + (1 if i < extra else 0) for i in range(size)]


# ---------------------------------------------------------------------- the worker side


@dataclass(frozen=True)
class _Raised:
    """An error :meth:`Engine.process` raised in a worker, as plain data.

    Exceptions do not always pickle (``original`` may hold an SDK object), so the
    worker sends the class name and message, and the parent raises it again.
    """

    kind: str
    message: str
    calls: object | None

    def error(self) -> SummarizerError:
        from summarizer import errors

        cls = getattr(errors, self.kind, None)
        try:
            exc = cls(self.message) if isinstance(cls, type) else None
        except TypeError:  # a constructor that wants more than a message
            exc = None
        if not isinstance(exc, SummarizerError):
            exc = SummarizerError(self.message)
        exc.calls = self.calls
        return exc


def _log_setup() -> dict[str, Any]:
    """The parent's logging levels and format, to repeat in a worker (spawn starts bare)."""
    root = logging.getLogger()
    fmt = None
    for handler in root.handlers:
        if handler.formatter is not None:
            fmt = handler.formatter._fmt
            break
    return {
        "levels": {
            name: logging.getLogger(name).level for name in ("", "summarizer", "instructor")
        },
        "format": fmt,
    }


def _context() -> multiprocessing.context.ForkServerContext | multiprocessing.context.SpawnContext:
    """How workers start: forked from a fork server where it is safe, else spawned.

    The fork server is a fresh interpreter (no event loop, SQLite connection or
    thread of the parent's) that imports :mod:`summarizer.run._preload` once; each
    worker is a fork of it, so it starts with the engine and the LLM stack imported
    instead of importing them itself. Linux only: macOS's system libraries are not
    fork-safe, and Windows has no fork.
    """
    if sys.platform == "linux" and "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["summarizer.run._preload"])
        return ctx
    return multiprocessing.get_context("spawn")


def _stop_fork_server() -> None:
    # multiprocessing has no public way to stop its fork server; _stop() is what
    # CPython's own tests use, and does nothing when no server runs. Without it, the
    # server lives until this process exits.
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError):
            stop()


def _apply_log_setup(setup: dict[str, Any]) -> None:
    from summarizer.config import RedactingFilter

    logging.basicConfig(format=setup["format"] or logging.BASIC_FORMAT)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())
    for name, level in setup["levels"].items():
        logging.getLogger(name or None).setLevel(level)


def _serve(conn: Connection, settings: Settings, log_setup: dict[str, Any]) -> None:
    """Entry point of a worker process: answer articles until the parent says stop."""
    _apply_log_setup(log_setup)
    try:
        asyncio.run(_serve_async(conn, settings))
    except KeyboardInterrupt:  # the parent handles ^C; exit quietly
        pass
    finally:
        conn.close()


async def _serve_async(conn: Connection, settings: Settings) -> None:
    from summarizer.engine import Engine

    loop = asyncio.get_running_loop()
    inbox: asyncio.Queue[Any] = asyncio.Queue()

    def read() -> None:
        # Blocking reads in a thread; the event loop only ever sees whole messages.
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = None
            loop.call_soon_threadsafe(inbox.put_nowait, message)
            if message is None:
                return

    engine = Engine(settings)
    threading.Thread(target=read, name="summarizer-worker-inbox", daemon=True).start()
    conn.send(("ready", os.getpid()))
    tasks: set[asyncio.Task[None]] = set()

    async def one(seq: int, article: Article) -> None:
        try:
            # Raises only for what stops a whole run (a refused key, a full disk):
            # the parent raises it again from WorkerPool.process.
            answer: ArticleOutcome | _Raised = await engine.process(article)
        except SummarizerError as exc:
            answer = _Raised(type(exc).__name__, str(exc), exc.calls)
        except Exception as exc:  # a bug in the worker: that article fails, the run goes on
            log.exception("internal error on %s", article.id)
            reason = f"internal error: {type(exc).__name__}: {exc}"
            answer = ArticleOutcome(
                id=article.id, path=article.path, status="failed", reason=reason
            )
        conn.send((seq, answer))

    try:
        while (message := await inbox.get()) is not None:
            seq, article = message
            task = asyncio.create_task(one(seq, article))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        await asyncio.gather(*tasks)
    finally:
        await engine.aclose()


# ---------------------------------------------------------------------- the parent side


@dataclass
class _Worker:
    """The parent's handle on one worker process."""

    index: int
    process: BaseProcess
    conn: Connection
    slots: asyncio.Semaphore
    capacity: int
    pending: dict[int, asyncio.Future[ArticleOutcome]] = field(default_factory=dict)
    alive: bool = True

    @property
    def load(self) -> float:
        return len(self.pending) / self.capacity


class WorkerPool:
    """``size`` worker processes, each running an engine; use as an async context manager.

    >>> async with WorkerPool(settings, 2) as pool:          # doctest: +SKIP
    ...     outcome = await pool.process(article)

    :meth:`process` has the signature of :meth:`Engine.process`, so a folder runner
    schedules the pool exactly as it would schedule one engine.
    """

    def __init__(
        self,
        settings: Settings,
        size: int,
        *,
        concurrency: int | None = None,
        engine: Engine | None = None,
    ) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one process")
        self.settings = settings
        self.size = size
        self.concurrency = concurrency or settings.concurrency
        # With this process's engine: cache hits are answered here (a fully cached
        # rerun never starts a worker), and the workers start on the first miss.
        self.engine = engine
        self._started = False
        self._starting = asyncio.Lock()
        self._workers: list[_Worker] = []
        self._seq = 0
        # Text key -> worker, while an article with that text is in flight there
        # (for the whole run when there is no cache to serve later copies).
        self._route: dict[str, tuple[int, int]] = {}  # key -> (worker index, articles in flight)
        self._sticky = not settings.use_cache
        self._readers: list[threading.Thread] = []

    @property
    def pids(self) -> list[int | None]:
        """Process ids of the workers (None for one that has not started)."""
        return [w.process.pid for w in self._workers]

    async def __aenter__(self) -> WorkerPool:
        if self.engine is None:
            await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def start(self) -> None:
        """Start the processes and wait until each has built its engine (once)."""
        async with self._starting:
            if not self._started:
                await self._start()
                self._started = True

    async def _start(self) -> None:
        ctx = _context()
        loop = asyncio.get_running_loop()
        ready: list[asyncio.Future[Any]] = []
        for index, capacity in enumerate(split_concurrency(self.concurrency, self.size)):
            parent_end, child_end = ctx.Pipe(duplex=True)
            process = ctx.Process(
                target=_serve,
                args=(child_end, self.settings, _log_setup()),
                name=f"summarizer-worker-{index}",
                daemon=True,
            )
            process.start()
            child_end.close()
            worker = _Worker(index, process, parent_end, asyncio.Semaphore(capacity), capacity)
            self._workers.append(worker)
            first: asyncio.Future[Any] = loop.create_future()
            ready.append(first)
            reader = threading.Thread(
                target=self._read, args=(worker, loop, first), name=f"summarizer-pool-{index}"
            )
            reader.daemon = True
            reader.start()
            self._readers.append(reader)
        try:
            await asyncio.gather(*ready)
        except BaseException:
            await self.aclose()
            raise

    def _read(
        self, worker: _Worker, loop: asyncio.AbstractEventLoop, first: asyncio.Future[Any]
    ) -> None:
        """Reader thread: hand each outcome to the future waiting for it, on the loop."""
        conn = worker.conn
        try:
            hello = conn.recv()
            loop.call_soon_threadsafe(_settle, first, hello, None)
            while True:
                seq, outcome = conn.recv()
                loop.call_soon_threadsafe(self._deliver, worker, seq, outcome)
        except (EOFError, OSError) as exc:
            code = worker.process.exitcode
            error = WorkerError(
                f"worker process {worker.index} stopped"
                + (f" (exit code {code})" if code is not None else "")
                + f": {type(exc).__name__}"
            )
            with contextlib.suppress(RuntimeError):  # a closed loop: the run is over anyway
                loop.call_soon_threadsafe(_settle, first, None, error)
                loop.call_soon_threadsafe(self._lost, worker)
        except RuntimeError:
            pass

    def _deliver(self, worker: _Worker, seq: int, answer: ArticleOutcome | _Raised) -> None:
        future = worker.pending.pop(seq, None)
        if future is None or future.done():
            return
        if isinstance(answer, _Raised):
            future.set_exception(answer.error())
        else:
            future.set_result(answer)

    def _lost(self, worker: _Worker) -> None:
        """A worker died: its articles in flight fail; later ones go to the others."""
        if not worker.alive:
            return
        worker.alive = False
        for future in worker.pending.values():
            if not future.done():
                future.set_exception(WorkerError(f"worker process {worker.index} died"))
        worker.pending.clear()

    def _pick(self, key: str) -> _Worker:
        routed = self._route.get(key)
        if routed is not None and self._workers[routed[0]].alive:
            return self._workers[routed[0]]
        live = [w for w in self._workers if w.alive]
        if not live:
            raise WorkerError("every worker process has stopped")
        return min(live, key=lambda w: (w.load, w.index))

    async def process(self, article: Article) -> ArticleOutcome:
        """Process ``article`` in a worker; the outcome of :meth:`Engine.process`.

        Like the engine it never raises for one article: a worker that dies takes
        only its articles in flight with it (they fail, saying so).
        """
        if self.engine is not None:
            hit = cached_outcome(self.engine, article)
            if hit is not None:
                return hit
            if not self._started:
                try:
                    await self.start()
                except WorkerError as exc:
                    # No worker could start: this process does the work, as with --workers 1.
                    log.warning("%s; running in this process instead", exc)
                    self._workers.clear()
                    self._started = True
            if not self._workers:
                return await self.engine.process(article)
        key = hashlib.sha256(article.model_text.encode("utf-8")).hexdigest()
        try:
            worker = self._pick(key)
        except WorkerError as exc:
            return _failed(article, exc)
        _, count = self._route.get(key, (worker.index, 0))
        self._route[key] = (worker.index, count + 1)
        try:
            async with worker.slots:
                return await self._send(worker, article)
        except WorkerError as exc:
            return _failed(article, exc)
        finally:
            self._release(key)

    async def _send(self, worker: _Worker, article: Article) -> ArticleOutcome:
        if not worker.alive:
            raise WorkerError(f"worker process {worker.index} died")
        self._seq += 1
        seq = self._seq
        future: asyncio.Future[ArticleOutcome] = asyncio.get_running_loop().create_future()
        worker.pending[seq] = future
        try:
            worker.conn.send((seq, article))
        except OSError as exc:
            worker.pending.pop(seq, None)
            self._lost(worker)
            raise WorkerError(f"worker process {worker.index} died: {exc}") from exc
        return await future

    def _release(self, key: str) -> None:
        routed = self._route.get(key)
        if routed is None:
            return
        index, count = routed
        if count > 1 or self._sticky:
            self._route[key] = (index, max(count - 1, 0))
        else:
            del self._route[key]

    async def aclose(self) -> None:
        """Ask every worker to finish and wait for the processes to exit."""
        for worker in self._workers:
            if worker.alive:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        loop = asyncio.get_running_loop()
        for worker in self._workers:
            await loop.run_in_executor(None, worker.process.join, 30.0)
            if worker.process.is_alive():
                worker.process.terminate()
                await loop.run_in_executor(None, worker.process.join, 5.0)
            worker.conn.close()
        if self._workers:
            # The fork server (if _context used one) would outlive the run: it exits only
            # when this process does. Stopped here, it reaps the workers, so their CPU and
            # memory are counted as this process's children, as spawned workers' are.
            await loop.run_in_executor(None, _stop_fork_server)
        self._workers.clear()


def _failed(article: Article, exc: WorkerError) -> ArticleOutcome:
    return ArticleOutcome(id=article.id, path=article.path, status="failed", reason=str(exc))


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


def cached_outcome(engine: Engine, article: Article) -> ArticleOutcome | None:
    """``engine``'s answer for ``article`` when its cache has one, else None (no extraction).

    The cache-hit half of :meth:`Engine.process`, run in the parent so that a cached
    article costs no round trip to a worker.
    """
    return engine.cached(article)


async def run_with_workers(run: FolderRun, size: int) -> None:
    """Run ``run`` (a prepared :class:`FolderRun`) with its engine work in ``size`` processes.

    Loading, exact-duplicate links, writing and the brief stay in this process, so
    the outputs are those of ``run.run()``; ``run.settings.concurrency`` articles are
    in flight in all.
    """
    async with WorkerPool(run.settings, size, engine=run.engine) as pool:
        try:
            await run.run(process=pool.process)
        finally:
            # How many processes really ran (none when every article was cached).
            run.report.extra["worker_processes"] = len(pool.pids)
