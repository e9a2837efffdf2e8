"""The Ray Data executor against a Ray started in this process: same records as the local run.

Skipped when Ray is not installed (``pip install 'summarizer[ray]'``).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.config import Settings

ray = pytest.importorskip("ray")

# Ray Data warns about its own deprecated settings when it copies its context.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One in-process Ray for the module (starting one takes seconds)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture
def folder(seeds: Path) -> Path:
    """The seeds plus an exact copy (duplicate_of), an empty file (skipped), and a file
    whose name makes the same id as a seed's (``<seed>.md``: it gets ``<seed>.txt``)."""
    texts = sorted(seeds.glob("*.txt"))
    shutil.copy(texts[0], seeds / "zz_copy.txt")
    other = texts[3].read_text(encoding="utf-8") + "\n\nOfficials said 120 people came."
    texts[0].with_suffix(".md").write_text(other, encoding="utf-8")
    (seeds / "empty.txt").write_text("", encoding="utf-8")
    return seeds


def _settings(tmp_path: Path) -> Settings:
    return Settings(provider="rules", cache_dir=tmp_path / "cache", concurrency=4)


def _run(settings: Settings, folder: Path, out: Path, executor: str) -> dict[str, Any]:
    result = Summarizer(settings, executor=executor).summarize_folder(folder, out)
    report = result.run.model_dump(exclude={"wall_seconds"})
    report["extra"].pop("ray_actors", None)  # how the work was spread, not what it produced
    return report


def _files(out: Path) -> dict[str, bytes]:
    """The run's outputs, without run.json (wall time), the manifest (a run id) and shards."""
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and p.name != "run.json"
        and not p.name.startswith(".")
        and p.relative_to(out).parts[0] != "shards"
    }


def _shard_ids(out: Path, name: str) -> list[str]:
    lines = (out / "shards" / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["outcome"]["id"] for line in lines]


def test_ray_outputs_equal_local(local_ray: None, folder: Path, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    local = _run(settings, folder, tmp_path / "local", "local")
    on_ray = _run(settings, folder, tmp_path / "ray", "ray")
    assert local == on_ray
    assert local["duplicates"] == 1 and len(local["skipped"]) == 1
    files = _files(tmp_path / "local")
    assert sum(name.startswith("articles/") for name in files) == local["succeeded"]
    assert sum(name.endswith(".txt.json") for name in files) == 1  # the clash
    assert files == _files(tmp_path / "ray")
    # Every file's outcome is in the shard, in file order.
    ids = _shard_ids(tmp_path / "ray", "part-00000.jsonl")
    assert sorted(ids) == ids and len(ids) == local["documents"]


def test_ray_resumes_without_repeating_finished_articles(
    local_ray: None, folder: Path, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    out = tmp_path / "ray"
    full = _run(settings, folder, out, "ray")
    expected = _files(out)
    # As if the driver had been killed: two articles never written, the last line cut short.
    shard = out / "shards" / "part-00000.jsonl"
    lines = shard.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, lost = lines[:-3], lines[-3:]
    shard.write_text("".join(kept) + lost[0][:40], encoding="utf-8")
    lost_ids = [json.loads(line)["outcome"]["id"] for line in lost]

    again = _run(settings, folder, out, "ray")
    assert _shard_ids(out, "part-00001.jsonl") == lost_ids  # only those ran again
    assert again == full
    assert _files(out) == expected
