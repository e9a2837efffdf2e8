"""The Ray Data executor: the same folder run, spread over a Ray cluster.

``summarize FOLDER -o OUT --executor ray [--ray-address ADDRESS]`` (extra ``ray``).

* The file list becomes a Ray dataset of paths (``ray.data.from_items``); nothing
  else is shipped to the cluster, so every node must see FOLDER at the same path
  (a shared or network file system, or the same copy on each node).
* :class:`EngineActor` is the ``map_batches`` callable class: one
  :class:`~summarizer.engine.Engine` per actor (its own HTTP connections and cache
  handle), created in the actor's event loop; each batch's articles run
  concurrently, at most ``in_flight`` at a time per actor. An actor returns plain
  rows: the outcome as JSON, the text's sha256 and the text the model read.
* The driver streams the result rows (``iter_batches``, in file order: the dataset
  preserves order so exact duplicates name the same first copy as a local run),
  appends each outcome to a JSONL shard in ``OUT/shards/`` as it arrives, and hands
  it to the same :class:`~summarizer.run.local.FolderRun` as the local executor,
  which writes ``articles/<id>.json`` and builds the brief. The driver holds one
  batch at a time.
* Resume: a rerun into the same OUT first reads the shards, counts the articles
  that finished (``done`` or ``cached``) and only sends the others to the cluster.

The cache: each actor opens the cache folder the settings name (``--cache-dir``,
else the user cache folder) on the node it runs on. The cache is SQLite, safe
between processes of one machine but not over NFS, so on a cluster it is per node
unless every node mounts the same *local* disk path; re-running on a cluster is
cheap only where the same node sees its own earlier answers. The resume shards
(on the driver) are what make a rerun skip finished articles anywhere.

Ray is imported only here, and this module only when ``--executor ray`` is used.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from summarizer.errors import ConfigError, FatalEndpointError, SummarizerError
from summarizer.load.documents import Article, LoadProblem, document_id, load_article
from summarizer.records import ArticleOutcome

if TYPE_CHECKING:
    from summarizer.config import Settings
    from summarizer.engine import Engine
    from summarizer.run.local import FolderRun

__all__ = ["EngineActor", "ShardLog", "run_on_ray"]

log = logging.getLogger("summarizer")

SHARDS = "shards"
#: Blocks of the path dataset, at most (a block holds one or more batches).
MAX_BLOCKS = 4096
INSTALL_HINT = "the Ray executor needs Ray: pip install 'summarizer[ray]'"


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise ConfigError(INSTALL_HINT) from exc
    return ray


# ---------------------------------------------------------------------- on the actors


class EngineActor:
    """``map_batches`` callable class: one engine per actor, a batch of paths at a time."""

    def __init__(self, settings: Settings, root: str, in_flight: int) -> None:
        self.settings = settings
        self.root = Path(root)
        self.in_flight = max(1, in_flight)
        # Built on the first call, inside the event loop Ray runs async UDFs on:
        # the engine's HTTP connections belong to that loop.
        self._engine: Engine | None = None
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        """Process every path of ``batch``; one output row per input row, same order."""
        if self._engine is None:
            from summarizer.engine import Engine

            self._engine = Engine(self.settings)
            self._slots = asyncio.Semaphore(self.in_flight)
        pairs = zip(batch["path"], batch["id"], strict=True)
        rows = await asyncio.gather(*(self._one(str(p), str(i)) for p, i in pairs))
        return {
            "id": [r[0].id for r in rows],
            "outcome": [r[0].model_dump_json() for r in rows],
            "sha256": [r[1] for r in rows],
            "model_text": [r[2] for r in rows],
            "fatal": [r[3] for r in rows],
        }

    async def _one(self, path: str, doc_id: str) -> tuple[ArticleOutcome, str, str, bool]:
        """The outcome, the text's sha256 and model text, and whether the run must stop."""
        assert self._engine is not None and self._slots is not None
        loaded = load_article(
            Path(path),
            self.root,
            max_chars=self.settings.max_chars,
            follow_symlinks=self.settings.follow_symlinks,
            doc_id=doc_id,
        )
        if isinstance(loaded, LoadProblem):
            from summarizer.run.local import load_outcome

            return load_outcome(loaded), "", "", False
        async with self._slots:
            try:
                outcome = await self._engine.process(loaded)
            except SummarizerError as exc:  # one that stops a run: a refused key, say
                failed = ArticleOutcome(
                    id=loaded.id, path=loaded.path, status="failed", reason=str(exc)
                )
                return failed, loaded.sha256, loaded.model_text, True
        return outcome, loaded.sha256, loaded.model_text, False


# ---------------------------------------------------------------------- on the driver


class ShardLog:
    """JSONL shards of finished outcomes under ``OUT/shards/``: written as they arrive.

    Each run appends to a new shard (``part-00000.jsonl``, ``part-00001.jsonl``...),
    one line per outcome: ``{"sha256": ..., "outcome": {...}}``.
    """

    def __init__(self, out: Path) -> None:
        self.folder = out / SHARDS
        self.folder.mkdir(parents=True, exist_ok=True)
        self._file: Any = None

    def finished(self) -> dict[str, tuple[ArticleOutcome, str]]:
        """Outcomes that need no rerun (``done``/``cached``) by id, with their text's sha256."""
        found: dict[str, tuple[ArticleOutcome, str]] = {}
        for shard in sorted(self.folder.glob("part-*.jsonl")):
            with shard.open(encoding="utf-8") as lines:
                for line in lines:
                    try:
                        row = json.loads(line)
                        outcome = ArticleOutcome.model_validate(row["outcome"])
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by a kill: that article runs again
                    if outcome.status in ("done", "cached"):
                        found[outcome.id] = (outcome, str(row.get("sha256", "")))
                    else:
                        found.pop(outcome.id, None)
        return found

    def write(self, outcome_json: str, sha256: str) -> None:
        """Append one outcome (flushed by :meth:`flush`)."""
        if self._file is None:
            taken = len(list(self.folder.glob("part-*.jsonl")))
            self._file = (self.folder / f"part-{taken:05d}.jsonl").open("a", encoding="utf-8")
        self._file.write(f'{{"sha256": {json.dumps(sha256)}, "outcome": {outcome_json}}}\n')

    def flush(self) -> None:
        """Push what was written to the disk, so a killed driver resumes from here."""
        if self._file is not None:
            self._file.flush()
            os.fsync(self._file.fileno())

    def close(self) -> None:
        """Flush and close the current shard."""
        if self._file is not None:
            self.flush()
            self._file.close()
            self._file = None


def _stub(outcome: ArticleOutcome, sha256: str, model_text: str) -> Article:
    """What :meth:`FolderRun.add` reads of an article: id, path, sha256, model text."""
    return Article(id=outcome.id, path=outcome.path, text="", sha256=sha256, model_text=model_text)


def _cluster_cpus(ray: Any) -> int:
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def run_on_ray(
    run: FolderRun,
    *,
    address: str | None = None,
    actors: int | None = None,
    num_cpus: int | None = None,
) -> None:
    """Run ``run`` (a prepared :class:`FolderRun`) on Ray; then call ``run.finish()``.

    ``address``: a running cluster (``ray://host:10001`` or ``auto``); without it a
    local Ray is started in this process (``num_cpus`` caps it). ``actors``: engine
    actors (default: the cluster's CPUs). ``run.settings.concurrency`` articles are
    in flight in all, split across the actors.
    """
    ray = _import_ray()
    quiet = not log.isEnabledFor(logging.INFO)  # Ray's own INFO lines only with -v
    if quiet:
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.ERROR)
    started = False
    if not ray.is_initialized():
        kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": not quiet}
        if quiet:
            kwargs["logging_level"] = logging.ERROR
        if address is None:
            kwargs["num_cpus"] = num_cpus
        ray.init(address=address, **kwargs)
        started = True
    try:
        _run(ray, run, actors=actors)
    finally:
        if started:
            ray.shutdown()


def _run(ray: Any, run: FolderRun, *, actors: int | None) -> None:
    settings = run.settings
    if run.writer is None:
        raise ConfigError("the Ray executor writes its shards into an output folder; pass -o OUT")
    shards = ShardLog(run.writer.out)
    done = shards.finished()
    todo: list[dict[str, str]] = []
    for path, renamed in run.entries():
        doc_id = renamed or document_id(path, run.root)
        kept = done.get(doc_id)
        if kept is None:
            todo.append({"path": str(path), "id": doc_id})
            continue
        # Finished in an earlier run: count it again, do not recompute it.
        outcome, sha256 = kept
        _add(run, outcome, sha256, _model_text(run, path))
    if not todo:
        return
    size = actors or min(_cluster_cpus(ray), math.ceil(len(todo) / 16))
    run.report.extra["ray_actors"] = size
    in_flight = max(1, settings.concurrency // size)
    batch_size = max(1, min(in_flight, math.ceil(len(todo) / size)))
    # File order (so exact duplicates name the same first copy as locally) and no
    # progress bars of Ray's own: set for this dataset, restored afterwards.
    context = ray.data.DataContext.get_current()
    saved = (context.execution_options.preserve_order, context.enable_progress_bars)
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    try:
        dataset = ray.data.from_items(
            todo,
            override_num_blocks=min(MAX_BLOCKS, math.ceil(len(todo) / batch_size)),
        )
        results = dataset.map_batches(
            EngineActor,
            fn_constructor_kwargs={
                "settings": settings,
                "root": str(run.root),
                "in_flight": in_flight,
            },
            batch_size=batch_size,
            compute=ray.data.ActorPoolStrategy(size=size),
            num_cpus=1,
        )
        _drain(run, results, shards)
    finally:
        context.execution_options.preserve_order, context.enable_progress_bars = saved


def _drain(run: FolderRun, results: Any, shards: ShardLog) -> None:
    """Write and add each outcome as it arrives; stop at an error every article would meet."""
    try:
        for rows in _stream(results):
            for doc_id, outcome_json, sha256, model_text, fatal in rows:
                outcome = ArticleOutcome.model_validate_json(outcome_json)
                if outcome.id != doc_id:
                    raise RuntimeError(f"row for {doc_id} carries the outcome of {outcome.id}")
                shards.write(outcome_json, sha256)
                _add(run, outcome, sha256, model_text)
                if fatal:
                    # Every other article would meet it too: stop, as the local runner does.
                    run.stopped = FatalEndpointError(outcome.reason or "the endpoint refused")
                    return
            shards.flush()
    finally:
        shards.close()


_COLUMNS = ("id", "outcome", "sha256", "model_text", "fatal")


def _stream(results: Any) -> Iterator[list[tuple[str, str, str, str, bool]]]:
    for batch in results.iter_batches(batch_size=None, batch_format="pyarrow"):
        columns = [batch.column(name).to_pylist() for name in _COLUMNS]
        yield list(zip(*columns, strict=True))


def _add(run: FolderRun, outcome: ArticleOutcome, sha256: str, model_text: str | None) -> None:
    """Hand one outcome to the folder run, naming the first copy of an identical text."""
    if not sha256:  # never loaded: nothing to link
        run.add(outcome)
        return
    first = run.first_of.setdefault(sha256, outcome.id)
    article = _stub(outcome, sha256, model_text or "") if model_text is not None else None
    run.add(outcome, article=article, duplicate_of=first if first != outcome.id else None)


def _model_text(run: FolderRun, path: Path) -> str | None:
    """The model text of an article finished in an earlier run (read again for near-duplicates)."""
    loaded = load_article(
        path,
        run.root,
        max_chars=run.settings.max_chars,
        follow_symlinks=run.settings.follow_symlinks,
    )
    return loaded.model_text if isinstance(loaded, Article) else None
