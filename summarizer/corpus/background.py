"""A :class:`~summarizer.corpus.consolidate.Consolidator` in a process of its own.

Consolidating is the largest cost of a folder run's main process (about 40% of a fully
cached rerun: blocking lookups in SQLite and fuzzy matching). :class:`BackgroundConsolidator`
has the same ``add``/``finish`` interface, but ``add`` only writes the result's compact
JSON onto a pipe and returns (:meth:`~BackgroundConsolidator.add_json` takes the JSON a
caller already has); a child process folds it in, on another core, while
the parent goes on loading, writing and asking. ``finish`` waits for the child to
order the records, then reads the working store the child leaves behind (one SQLite
file: the child detaches it, the parent adopts it and removes it when the brief is
closed). The brief is the same, byte for byte: the child runs the same code on the
same results in the same order (the pipe keeps it).

The pipe is the back-pressure: when the child falls behind, ``add`` waits for room.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import signal
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from summarizer.corpus._store import Store
from summarizer.corpus.stored import StoredBrief
from summarizer.errors import SummarizerError
from summarizer.records import ArticleResult

__all__ = ["BackgroundConsolidator"]


class BackgroundConsolidator:
    """Streams results to a consolidating child process; :meth:`finish` returns the brief."""

    def __init__(self, *, keep_ungrounded: bool = False, workdir: Path | None = None) -> None:
        """Start the child (``spawn``: it shares nothing with this process but the pipe)."""
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe(duplex=True)
        self._process = ctx.Process(
            target=_serve,
            args=(child, keep_ungrounded, workdir),
            name="summarizer-consolidator",
            daemon=True,
        )
        with _sigint_ignored():  # inherited through exec, so the child never sees ^C
            self._process.start()
        child.close()
        self._finished = False
        self._stop = weakref.finalize(self, _stop, self._conn, self._process)

    def add(self, result: ArticleResult) -> None:
        """Hand one article's result to the child (in the order the brief must see them)."""
        self.add_json(result.model_dump_json())

    def add_json(self, line: str) -> None:
        """:meth:`add` for a result already dumped to JSON (``model_dump_json()``).

        JSON rather than a pickle: pydantic writes it and reads it back in the child in
        about a third of pickle's time both ways (0.02 + 0.08 ms against 0.07 + 0.16 ms
        an article), and a caller writing records.jsonl has it anyway. The results'
        numbers are finite (the normaliser rejects the rest), so nothing is lost.
        """
        if self._finished:
            raise ValueError("the consolidator is finished; start a new one")
        try:
            self._conn.send_bytes(line.encode("utf-8"))
        except OSError as exc:
            raise self._stopped(exc) from None

    def finish(self, *, near_duplicates: Mapping[str, Iterable[str]] | None = None) -> StoredBrief:
        """Wait for every result to be folded in; the brief, read from the child's store.

        Raises ``ValueError`` if the child refused a result (a document id added twice),
        as :meth:`Consolidator.add` would have.
        """
        if self._finished:
            raise ValueError("finish() was already called")
        self._finished = True
        extra = {k: list(v) for k, v in (near_duplicates or {}).items()}
        try:
            self._conn.send(("finish", extra))
            reply = self._conn.recv()
        except (OSError, EOFError) as exc:
            raise self._stopped(exc) from None
        finally:
            self._stop()
        if reply[0] == "error":
            raise ValueError(reply[1])
        _, folder, ungrounded, groups = reply
        return StoredBrief(Store(adopt=folder), ungrounded=ungrounded, near_duplicates=groups)

    def close(self) -> None:
        """Stop the child without a brief (its working file is removed)."""
        self._finished = True
        self._stop()

    def _stopped(self, exc: BaseException) -> SummarizerError:
        self._stop()
        code = self._process.exitcode
        return SummarizerError(
            "the consolidating process stopped"
            + (f" (exit code {code})" if code is not None else "")
            + f": {type(exc).__name__}"
        )


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """SIGINT ignored meanwhile (main thread only: elsewhere the child ignores it itself)."""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:
        yield
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop(conn: Connection, process: multiprocessing.process.BaseProcess) -> None:
    conn.close()  # the child reads EOF and exits, removing a store it did not hand over
    process.join(30)
    if process.is_alive():
        process.terminate()
        process.join(5)


def _serve(conn: Connection, keep_ungrounded: bool, workdir: Path | None) -> None:
    """The child: fold results in until told to finish, then hand the store over."""
    from summarizer.corpus.consolidate import Consolidator

    # ^C at a terminal reaches the whole process group: the parent handles it and
    # closes the pipe, which ends this process (and removes its working file). Usually
    # ignored from the start already (see _sigint_ignored).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    consolidator = Consolidator(keep_ungrounded=keep_ungrounded, workdir=workdir)
    error: str | None = None
    try:
        while True:
            data = conn.recv_bytes()
            if data[:1] == b"{":  # a result's JSON (add_json); anything else is a pickle
                if error is None:
                    try:
                        consolidator.add(ArticleResult.model_validate_json(data))
                    except ValueError as exc:  # reported at finish, as the parent expects
                        error = str(exc)
                continue
            _, near_duplicates = _message(data)  # ("finish", near_duplicates)
            if error is not None:
                conn.send(("error", error))
                return
            brief = consolidator.finish(near_duplicates=near_duplicates)
            folder = brief.detach(owner=os.getppid())
            conn.send(("done", folder, brief.ungrounded, brief.near_duplicates))
            return
    except EOFError:  # the parent went away without finishing
        return
    finally:
        conn.close()


def _message(data: bytes) -> tuple[str, Any]:
    message: tuple[str, Any] = pickle.loads(data)  # from the parent, over our own pipe
    return message
