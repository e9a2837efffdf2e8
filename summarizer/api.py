"""The public Python API: :class:`Summarizer`, ``summarize_text``, ``summarize_folder``.

A :class:`Summarizer` holds one :class:`~summarizer.engine.Engine` (an extractor and
a cache policy). One article goes through :meth:`Engine.process`; a folder goes
through the local runner (:mod:`summarizer.run.local`), which streams articles
through the engine, writes each result as it finishes, sends identical texts to the
extractor once, and never lets one bad article stop the others.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import shutil
import tempfile
from collections.abc import Coroutine, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from summarizer.config import DEFAULT_MODEL, STRATEGIES, Mode, Settings
from summarizer.engine import Engine
from summarizer.errors import ConfigError, ExtractionError, InputError, OutputError
from summarizer.extract.base import Extractor
from summarizer.load.documents import (
    DEFAULT_GLOBS,
    Article,
    LoadProblem,
    discover,
    load_article,
    make_article,
)
from summarizer.records import ArticleResult, RunFailure
from summarizer.run.local import FolderResult, FolderRun, ProgressCallback, ProgressEvent

if TYPE_CHECKING:
    from summarizer.extract.replay import RefreshReport

__all__ = [
    "FolderResult",
    "ProgressEvent",
    "RecordingsCheck",
    "Summarizer",
    "asummarize_folder",
    "asummarize_text",
    "check_recordings",
    "recorded_strategy",
    "summarize_folder",
    "summarize_text",
]


T = TypeVar("T")


def _run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to the end from synchronous code, even inside a running loop.

    Plain scripts get ``asyncio.run``. Where a loop already runs in this thread (a
    Jupyter cell), ``asyncio.run`` would refuse, so the coroutine runs on its own loop
    in a worker thread while this thread waits; in async code, awaiting the ``a...``
    method is better.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="summarizer") as pool:
        return pool.submit(asyncio.run, coro).result()


class Summarizer:
    """Summarise articles with one extractor configuration.

    >>> s = Summarizer(model="gpt-4o-mini")            # doctest: +SKIP
    >>> result = s.summarize_text("BEIJING, July 14 ...")  # doctest: +SKIP
    >>> result.statistics[0].value                      # doctest: +SKIP

    Options are those of :class:`summarizer.config.Settings` (the CLI's flags). With no
    endpoint configured and no ``provider`` named, the built-in ``rules`` extractor runs.
    Pass ``extractor=`` to use your own (see :class:`summarizer.extract.base.Extractor`).
    Use it as a context manager (``with`` or ``async with``), or call :meth:`close`,
    to release connections. One object serves any number of ``asyncio.run`` calls, and
    the synchronous methods also work where a loop is running (Jupyter).
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        extractor: Extractor | None = None,
        transport: Any = None,
        **options: Any,
    ) -> None:
        base = settings or Settings()
        self.settings = replace(base, **options).with_env() if options else base.with_env()
        # Checked here, before any article: a bad value would otherwise fail every
        # article alike, one traceback or "does not exist" each.
        self.settings.check_paths()
        _check_sizes(self.settings)
        # Worker processes and Ray actors rebuild the extractor from the settings;
        # one passed in (or a test transport) runs in this process only.
        self._from_settings = extractor is None and transport is None
        if extractor is None:
            from summarizer.extract.providers import make_extractor

            extractor = make_extractor(self.settings, transport=transport)
        self.engine = Engine(self.settings, extractor=extractor)

    @property
    def extractor(self) -> Extractor:
        """The extractor this summarizer runs."""
        return self.engine.extractor

    async def aclose(self) -> None:
        """Release HTTP connections and the cache (the object stays usable)."""
        await self.engine.aclose()

    def close(self) -> None:
        """Synchronous :meth:`aclose`."""
        _run_sync(self.aclose())

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Summarizer:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ one article

    async def asummarize_article(self, article: Article) -> ArticleResult:
        """Summarise an already loaded :class:`~summarizer.load.documents.Article`."""
        outcome = await self.engine.process(article, raise_errors=True)
        if outcome.result is None:  # pragma: no cover - raise_errors raised already
            raise ExtractionError(f"{article.id}: {outcome.reason}")
        return outcome.result

    async def asummarize_text(
        self, text: str, *, id: str = "text", title: str | None = None
    ) -> ArticleResult:
        """Summarise one article given as a string."""
        article = make_article(text, id=id, title=title, max_chars=self.settings.max_chars)
        if isinstance(article, LoadProblem):
            raise InputError(f"{id}: {article.reason}")
        return await self.asummarize_article(article)

    def summarize_text(
        self, text: str, *, id: str = "text", title: str | None = None
    ) -> ArticleResult:
        """Synchronous :meth:`asummarize_text`."""
        result: ArticleResult = _run_sync(
            self._once(self.asummarize_text(text, id=id, title=title))
        )
        return result

    async def asummarize_file(self, path: Path | str) -> ArticleResult:
        """Summarise one article file, loaded exactly as a folder run loads it.

        The same decoding (UTF-16 with a BOM, other encodings detected), HTML text
        extraction, Markdown front matter, id (the file name without extension) and
        path as ``summarize_folder(path)``; a file that is not an article (empty,
        binary, too long) is an :class:`InputError` naming it and why.
        """
        path = Path(path)
        if not path.is_file():
            what = "is a folder; use summarize_folder" if path.is_dir() else "does not exist"
            raise InputError(f"{path} {what}")
        return await self._load_and_summarize(path, path.parent, shown=None)

    def summarize_file(self, path: Path | str) -> ArticleResult:
        """Synchronous :meth:`asummarize_file`."""
        result: ArticleResult = _run_sync(self._once(self.asummarize_file(path)))
        return result

    async def asummarize_stream(self, stream: BinaryIO | bytes) -> ArticleResult:
        """Summarise one article given as bytes (standard input), decoded like a file.

        The bytes are read as a ``.txt`` file would be (:meth:`asummarize_file`): the
        article's id is ``stdin`` and its path ``-``.
        """
        with _spooled(stream) as path:
            return await self._load_and_summarize(path, path.parent, shown=STDIN_PATH)

    def summarize_stream(self, stream: BinaryIO | bytes) -> ArticleResult:
        """Synchronous :meth:`asummarize_stream`."""
        result: ArticleResult = _run_sync(self._once(self.asummarize_stream(stream)))
        return result

    async def _load_and_summarize(
        self, path: Path, root: Path, *, shown: str | None
    ) -> ArticleResult:
        s = self.settings
        loaded = load_article(path, root, max_chars=s.max_chars, follow_symlinks=s.follow_symlinks)
        if shown is not None:
            loaded = replace(loaded, path=shown)
        if isinstance(loaded, LoadProblem):
            where = "standard input" if shown == STDIN_PATH else loaded.path
            raise InputError(f"{where}: {loaded.reason}")
        return await self.asummarize_article(loaded)

    async def _once(self, coro: Any) -> Any:
        # asyncio.run makes a new loop each call; connections belong to the old one.
        try:
            return await coro
        finally:
            await self.aclose()

    # ------------------------------------------------------------------ a folder

    async def asummarize_folder(
        self,
        folder: Path | str,
        out: Path | str | None = None,
        *,
        globs: Sequence[str] = DEFAULT_GLOBS,
        keep_articles: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Summarise every matching file under ``folder`` (or the one file ``folder`` names).

        With ``out``, writes ``articles/<id>.json``, ``records.jsonl``, ``run.json``
        and the folder brief there as results arrive. Articles are kept in memory
        and returned when ``keep_articles`` is true (default: only without ``out``).
        """
        root = Path(folder)
        paths: Sequence[Path]  # from discover(): a FileList, kept on disk
        if root.is_file():
            root, paths = root.parent, [root]
        else:
            paths = discover(
                root,
                globs,
                follow_symlinks=self.settings.follow_symlinks,
                exclude=[Path(out)] if out is not None else [],
            )
        run = FolderRun(
            self.engine,
            root,
            paths,
            out=Path(out) if out is not None else None,
            keep_articles=(out is None) if keep_articles is None else keep_articles,
            on_progress=on_progress,
        )
        return await self._complete(run, self._execute(run))

    async def _complete(self, run: FolderRun, work: Coroutine[Any, Any, None]) -> FolderResult:
        """Await ``work`` (``run``'s articles), then finish ``run`` (see :meth:`_settle`)."""
        try:
            await work
        except BaseException:
            run.abandon()  # ^C or SIGTERM: nothing half-made left behind
            raise
        finally:
            await self.aclose()
        return self._settle(run)

    @staticmethod
    def _settle(run: FolderRun) -> FolderResult:
        """Finish ``run``; raise what stopped it, saying what was kept."""
        result = run.finish()
        stopped = run.stopped
        if isinstance(stopped, OutputError) and result.out is not None:
            raise OutputError(
                f"{stopped} (the run stopped; the {result.run.succeeded} articles written "
                f"before are kept in {result.out})"
            ) from stopped
        if stopped is not None:
            raise stopped
        return result

    async def asummarize_stream_to(
        self,
        stream: BinaryIO | bytes,
        out: Path | str,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Summarise one article given as bytes into the output folder ``out``.

        The folder run of one file (:meth:`asummarize_folder`): the same output-folder
        rules (a folder summarize did not write is refused unless ``force``; a
        manifest; atomic writes) and outputs, for an article with id ``stdin`` and
        path ``-``. It runs in this process whatever ``workers`` and ``executor`` say.
        """
        with _spooled(stream) as path:
            run = FolderRun(
                self.engine,
                path.parent,
                [path],
                out=Path(out),
                keep_articles=False,
                on_progress=on_progress,
                shown_path=STDIN_PATH,
            )
            return await self._complete(run, run.run())

    def summarize_stream_to(
        self,
        stream: BinaryIO | bytes,
        out: Path | str,
        *,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Synchronous :meth:`asummarize_stream_to`."""
        return _run_sync(self.asummarize_stream_to(stream, out, on_progress=on_progress))

    async def _execute(self, run: FolderRun) -> None:
        """Run on this event loop, in worker processes, or on Ray (``settings.executor``)."""
        s = self.settings
        if s.executor == "ray":
            if not self._from_settings:
                raise ConfigError(
                    "--executor ray builds its extractor from the settings; "
                    "an extractor object passed in runs locally only"
                )
            from summarizer.run.ray import run_on_ray

            await asyncio.to_thread(run_on_ray, run, address=s.ray_address, actors=s.workers)
            return
        from summarizer.run.workers import default_workers, run_with_workers

        workers = s.workers if s.workers is not None else default_workers(s, len(run.paths))
        if workers > 1 and self._from_settings:
            await run_with_workers(run, workers)
        else:
            await run.run()

    def summarize_folder(
        self,
        folder: Path | str,
        out: Path | str | None = None,
        *,
        globs: Sequence[str] = DEFAULT_GLOBS,
        keep_articles: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Synchronous :meth:`asummarize_folder`."""
        return _run_sync(
            self.asummarize_folder(
                folder, out, globs=globs, keep_articles=keep_articles, on_progress=on_progress
            )
        )


STDIN_PATH = "-"  # Article.path of an article read from standard input
_STDIN_NAME = "stdin.txt"  # read as a .txt file: its id is "stdin"


@contextlib.contextmanager
def _spooled(stream: BinaryIO | bytes) -> Iterator[Path]:
    """``stream`` copied into a private temporary file, for the file loader to read.

    The loader decodes files (BOMs, detected encodings), so standard input goes
    through a file rather than a second copy of that logic.
    """
    with tempfile.TemporaryDirectory(prefix="summarizer-stdin-") as tmp:
        path = Path(tmp) / _STDIN_NAME
        try:
            with path.open("wb") as fh:
                if isinstance(stream, bytes | bytearray):
                    fh.write(stream)
                else:
                    shutil.copyfileobj(stream, fh)
        except OSError as exc:
            raise InputError(
                f"cannot read standard input into {tmp}: {exc.strerror or exc} "
                "(TMPDIR names where it goes)"
            ) from None
        yield path


def _check_sizes(settings: Settings) -> None:
    """Raise :class:`ConfigError` for a chunk size or context window nothing fits in.

    The rules are the chunker's and the budget's own, asked directly, so that the
    check and the run cannot disagree.
    """
    from summarizer.extract.chunking import CHARS_PER_TOKEN, split_text

    try:
        split_text(
            "",
            max_chars=settings.max_input_tokens * CHARS_PER_TOKEN,
            overlap_chars=settings.chunk_overlap_chars,
        )
    except ValueError:
        smallest = 2 * settings.chunk_overlap_chars // CHARS_PER_TOKEN + 1
        raise ConfigError(
            f"max-input-tokens {settings.max_input_tokens} is too small: chunks overlap by "
            f"{settings.chunk_overlap_chars} characters, so it must be at least {smallest}"
        ) from None
    if settings.context_window is not None:
        from summarizer.extract.server_protocol import input_budget

        input_budget(settings.context_window, max_tokens=settings.max_tokens)


@dataclass(frozen=True)
class RecordingsCheck:
    """What :func:`check_recordings` found."""

    report: RefreshReport
    failed: list[RunFailure]
    rewritten: list[Path]


def check_recordings(
    folder: Path | str,
    recordings: Path | str,
    *,
    model: str = DEFAULT_MODEL,
    mode: Mode = "tools",
    prompt: str = "extract",
    strategy: str | None = None,
    write: bool = False,
    globs: Sequence[str] = DEFAULT_GLOBS,
) -> RecordingsCheck:
    """Replay ``folder`` against ``recordings`` and list stale, missing and unused ones.

    ``strategy`` is the one the recordings answer (``candidates`` or ``generate``); by
    default the set's own (:func:`recorded_strategy`), else the :class:`Settings`
    default. With ``write``, rewrite the request side of the stale recordings (their
    answers are kept) so that they match the current prompt and schema; that needs
    the strategy named or recorded, since a guess would pair answers with requests of
    the other strategy. ``globs`` picks the articles in ``folder``, as for the run
    that made the recordings.
    """
    from summarizer.extract.replay import ReplayTransport

    strategy = strategy or recorded_strategy(recordings)
    if strategy is None and write:
        raise ConfigError(
            f"the recordings in {recordings} do not say which strategy they answer; "
            "name it with --strategy candidates or --strategy generate"
        )
    transport = ReplayTransport(Path(recordings), refresh=True)
    settings = Settings(
        provider="openai",
        model=model,
        mode=mode,
        replay=Path(recordings),
        prompt=prompt,
        strategy=strategy or Settings().strategy,
    )
    result = Summarizer(settings, transport=transport).summarize_folder(folder, globs=globs)
    report = transport.finish_report()
    rewritten = transport.save_refreshed() if report.stale and write else []
    return RecordingsCheck(report, list(result.run.failed), rewritten)


def recorded_strategy(recordings: Path | str) -> str | None:
    """The strategy a folder of recordings was made with, or ``None`` if it does not say.

    Each recording's ``recorded_with.strategy`` when it has one, else the answer schema
    its request asks for (``Labels``: candidates; ``Extraction``: generate). Checking
    or rewriting recordings under another strategy would pair every answer with a
    request it was never given, so a folder that mixes strategies is a
    :class:`ConfigError` (check each strategy's recordings on their own).
    """
    from summarizer.extract.replay import request_strategy

    found: dict[str, str] = {}
    for path in sorted(Path(recordings).rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # ReplayTransport names unreadable files
        if not isinstance(data, dict) or "response" not in data:
            continue
        made_with = data.get("recorded_with")
        named = made_with.get("strategy") if isinstance(made_with, dict) else None
        strategy = named if named in STRATEGIES else request_strategy(data.get("request"))
        if strategy is not None:
            found.setdefault(strategy, path.name)
    if len(found) > 1:
        examples = ", ".join(f"{name} ({s})" for s, name in sorted(found.items()))
        raise ConfigError(
            f"the recordings in {recordings} mix strategies: {examples}; "
            "keep each strategy's recordings in a folder of its own"
        )
    return next(iter(found), None)


# ---------------------------------------------------------------------- module-level helpers


async def asummarize_text(text: str, *, id: str = "text", **options: Any) -> ArticleResult:
    """Summarise one text with a one-off :class:`Summarizer` built from ``options``."""
    summarizer = Summarizer(**options)
    try:
        return await summarizer.asummarize_text(text, id=id)
    finally:
        await summarizer.aclose()


def summarize_text(text: str, *, id: str = "text", **options: Any) -> ArticleResult:
    """Synchronous :func:`asummarize_text`."""
    return _run_sync(asummarize_text(text, id=id, **options))


async def asummarize_folder(
    folder: Path | str, out: Path | str | None = None, **options: Any
) -> FolderResult:
    """Summarise a folder with a one-off :class:`Summarizer` built from ``options``."""
    globs = options.pop("globs", DEFAULT_GLOBS)
    return await Summarizer(**options).asummarize_folder(folder, out, globs=globs)


def summarize_folder(
    folder: Path | str, out: Path | str | None = None, **options: Any
) -> FolderResult:
    """Synchronous :func:`asummarize_folder`."""
    return _run_sync(asummarize_folder(folder, out, **options))
