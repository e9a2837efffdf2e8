"""Worker processes: each runs its own engine; outcomes equal one engine's, duplicates asked once."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.engine import Engine
from summarizer.load.documents import DEFAULT_GLOBS, Article, discover, load_article
from summarizer.records import ArticleOutcome
from summarizer.run.workers import WorkerPool, default_workers, split_concurrency
from summarizer.testing import FakeOpenAIServer

from .conftest import API_KEY


def _articles(folder: Path) -> list[Article]:
    loaded = [load_article(p, folder) for p in discover(folder, DEFAULT_GLOBS)]
    articles = [a for a in loaded if isinstance(a, Article)]
    assert len(articles) == len(loaded)
    return articles


def _settings(server: FakeOpenAIServer, tmp_path: Path, **options: object) -> Settings:
    return Settings(
        base_url=server.base_url, api_key=API_KEY, cache_dir=tmp_path / "cache", **options
    )


async def _in_pool(settings: Settings, articles: list[Article], size: int) -> list[ArticleOutcome]:
    async with WorkerPool(settings, size) as pool:
        assert len({pid for pid in pool.pids}) == size
        assert os.getpid() not in pool.pids
        return list(await asyncio.gather(*(pool.process(a) for a in articles)))


@pytest.mark.parametrize("use_cache", [True, False])
def test_identical_texts_reach_the_model_once_across_workers(
    server: FakeOpenAIServer, seeds: Path, tmp_path: Path, use_cache: bool
) -> None:
    # Three more copies of one seed: sent once, whichever worker each copy lands on.
    first = sorted(seeds.glob("*.txt"))[0]
    for n in range(3):
        shutil.copy(first, seeds / f"copy{n}.txt")
    articles = _articles(seeds)
    distinct = len({a.model_text for a in articles})
    assert distinct == len(articles) - 3
    settings = _settings(server, tmp_path, use_cache=use_cache, concurrency=4)
    outcomes = asyncio.run(_in_pool(settings, articles, 2))
    assert all(o.status in ("done", "cached") for o in outcomes)
    assert server.stats.requests == distinct
    assert sum(o.calls.llm_calls for o in outcomes) == distinct
    by_id = {o.id: o for o in outcomes}
    copies = [by_id[f"copy{n}"] for n in range(3)]
    original = by_id[first.stem]
    assert all(c.result is not None for c in copies)
    assert {c.result.summary for c in copies if c.result} == {original.result.summary}  # type: ignore[union-attr]


def test_a_dead_worker_does_not_stop_the_run(
    server: FakeOpenAIServer, seeds: Path, tmp_path: Path
) -> None:
    articles = _articles(seeds)
    settings = _settings(server, tmp_path)

    async def go() -> list[ArticleOutcome]:
        async with WorkerPool(settings, 2) as pool:
            victim = pool.pids[0]
            assert victim is not None
            os.kill(victim, signal.SIGKILL)
            for _ in range(500):  # until the pool has noticed (seconds on a loaded machine)
                if not pool._workers[0].alive:
                    break
                await asyncio.sleep(0.02)
            return list(await asyncio.gather(*(pool.process(a) for a in articles)))

    outcomes = asyncio.run(go())
    assert [o.status for o in outcomes] == ["done"] * len(articles)


def test_every_worker_dead_fails_articles_with_a_reason(seeds: Path, tmp_path: Path) -> None:
    articles = _articles(seeds)[:2]
    settings = Settings(provider="rules", cache_dir=tmp_path / "cache")

    async def go() -> list[ArticleOutcome]:
        async with WorkerPool(settings, 1) as pool:
            victim = pool.pids[0]
            assert victim is not None
            os.kill(victim, signal.SIGKILL)
            for _ in range(200):
                if not pool._workers[0].alive:
                    break
                await asyncio.sleep(0.02)
            return list(await asyncio.gather(*(pool.process(a) for a in articles)))

    outcomes = asyncio.run(go())
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert all("worker process" in (o.reason or "") for o in outcomes)


def test_concurrency_is_shared_not_multiplied() -> None:
    assert split_concurrency(64, 2) == [32, 32]
    assert split_concurrency(8, 3) == [3, 3, 2]
    assert split_concurrency(1, 2) == [1, 1]  # every worker gets at least one slot


def test_default_workers() -> None:
    cores = len(os.sched_getaffinity(0))
    llm = Settings(base_url="http://127.0.0.1:9/v1", api_key="k")
    assert default_workers(Settings(provider="rules"), 100_000) == 1
    assert default_workers(llm, 199) == 1
    assert default_workers(llm, 200) == max(1, min(cores, 4))
    assert default_workers(llm, 100_000) == max(1, min(cores, 4))


def _files(out: Path) -> dict[str, bytes]:
    """Every output file but run.json (wall time) and the hidden manifest (a run id)."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != "run.json" and not p.name.startswith(".")
    }


def _folder_run(settings: Settings, folder: Path, out: Path, workers: int) -> dict[str, object]:
    result = Summarizer(settings, workers=workers).summarize_folder(folder, out)
    report = result.run.model_dump(exclude={"wall_seconds"})
    report["extra"].pop("worker_processes", None)  # how the work was spread, not what it produced
    return report


def test_outputs_with_workers_equal_one_process(
    server: FakeOpenAIServer, seeds: Path, tmp_path: Path
) -> None:
    # An exact copy (duplicate_of), an empty file (skipped) and a near-copy in the folder.
    first = sorted(seeds.glob("*.txt"))[0]
    shutil.copy(first, seeds / "zz_copy.txt")
    (seeds / "empty.txt").write_text("", encoding="utf-8")
    settings = _settings(server, tmp_path, use_cache=False)
    one = _folder_run(settings, seeds, tmp_path / "one", 1)
    two = _folder_run(settings, seeds, tmp_path / "two", 2)
    ran = json.loads((tmp_path / "two" / "run.json").read_text(encoding="utf-8"))
    assert ran["extra"]["worker_processes"] == 2
    assert one == two
    assert one["duplicates"] == 1 and len(one["skipped"]) == 1  # type: ignore[arg-type]
    files = _files(tmp_path / "one")
    assert any(name.startswith("articles/") for name in files)
    assert files == _files(tmp_path / "two")


def test_help_imports_neither_ray_nor_the_pool() -> None:
    code = (
        "import sys\n"
        "from summarizer.cli import main\n"
        "try:\n"
        "    main(['run', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m == 'ray' or m.startswith(('ray.', 'summarizer.run'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert "--executor" in done.stdout and "--workers" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_cache_hits_are_answered_without_starting_a_worker(
    server: FakeOpenAIServer, seeds: Path, tmp_path: Path
) -> None:
    articles = _articles(seeds)
    settings = _settings(server, tmp_path)

    async def go() -> tuple[list[ArticleOutcome], list[int | None]]:
        engine = Engine(settings)
        try:
            async with WorkerPool(settings, 2, engine=engine) as pool:
                outcomes = list(await asyncio.gather(*(pool.process(a) for a in articles)))
                return outcomes, pool.pids
        finally:
            await engine.aclose()

    cold, pids = asyncio.run(go())
    assert [o.status for o in cold] == ["done"] * len(articles) and len(pids) == 2
    warm, pids = asyncio.run(go())
    assert [o.status for o in warm] == ["cached"] * len(articles)
    assert pids == []  # no process was started
    assert server.stats.requests == len(articles)
    for c, w in zip(cold, warm, strict=True):
        assert c.result is not None and w.result is not None
        assert c.result.model_dump(exclude={"provenance"}) == w.result.model_dump(
            exclude={"provenance"}
        )


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux only")
def test_workers_fork_from_one_server_that_stops_with_the_pool(
    server: FakeOpenAIServer, seeds: Path, tmp_path: Path
) -> None:
    settings = _settings(server, tmp_path, concurrency=2)

    def fork_servers() -> set[int]:
        path = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
        found = set()
        for pid in path.read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except FileNotFoundError:  # exited meanwhile
                continue
            if b"forkserver" in cmdline:
                found.add(int(pid))
        return found

    async def go() -> tuple[set[int], list[int], set[int]]:
        async with WorkerPool(settings, 2) as pool:
            during = fork_servers()
            parents = [int(Path(f"/proc/{pid}/stat").read_text().split()[3]) for pid in pool.pids]
            outcomes = await asyncio.gather(*(pool.process(a) for a in _articles(seeds)))
            assert all(o.status == "done" for o in outcomes)
        return during, parents, fork_servers()

    before = fork_servers()
    during, parents, after = asyncio.run(go())
    # The workers are children of one fork server (a child of ours), not of this process.
    (fork_server,) = during - before
    assert parents == [fork_server, fork_server]
    # Closing the pool stopped and reaped it: nothing of the run is left behind.
    assert after == before
    assert not Path(f"/proc/{fork_server}").exists()
