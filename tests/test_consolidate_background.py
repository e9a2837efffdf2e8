"""The consolidator in its own process gives the same brief as the one in this process."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from summarizer.corpus.background import BackgroundConsolidator
from summarizer.corpus.consolidate import Consolidator
from summarizer.errors import SummarizerError
from summarizer.records import ArticleResult

from .test_consolidate import _synthetic, mile, result


def _results(n: int) -> list[ArticleResult]:
    out = [_synthetic(i) for i in range(n)]
    dup = _synthetic(3).model_copy(deep=True)
    dup.document.id, dup.document.duplicate_of = "doc99999", "doc00003"
    return [*out, dup]


def test_same_brief_as_in_process(tmp_path: Path) -> None:
    results = _results(400)
    near = {"doc00001": ["doc00002"]}
    plain, background = Consolidator(), BackgroundConsolidator(workdir=tmp_path)
    for r in results:
        plain.add(r)
        background.add(r)
    with plain.finish(near_duplicates=near) as a, background.finish(near_duplicates=near) as b:
        assert a.to_brief().model_dump_json() == b.to_brief().model_dump_json()
        assert b.counts().documents == 401 and b.counts().milestones > 300
        assert list(tmp_path.iterdir())  # the adopted working file, until closed
    assert not list(tmp_path.iterdir())


def test_a_refused_result_is_reported_at_finish() -> None:
    c = BackgroundConsolidator()
    c.add(result("a", mile("2001", "the treaty was signed")))
    c.add(result("a", mile("2002", "the treaty was signed again")))
    with pytest.raises(ValueError, match="'a' was already added"):
        c.finish()


def test_results_given_as_json_make_the_same_brief() -> None:
    results = _results(60)
    plain, background = Consolidator(), BackgroundConsolidator()
    for i, r in enumerate(results):
        plain.add(r)
        if i % 2:
            background.add_json(r.model_dump_json())
        else:
            background.add(r)
    with plain.finish() as a, background.finish() as b:
        assert a.to_brief().model_dump_json() == b.to_brief().model_dump_json()


def test_json_that_is_no_result_is_reported_at_finish() -> None:
    c = BackgroundConsolidator()
    c.add(_synthetic(1))
    c.add_json('{"document": {"id": "x"}}')
    with pytest.raises(ValueError, match="validation error"):
        c.finish()


def test_closing_without_a_brief_leaves_nothing(tmp_path: Path) -> None:
    c = BackgroundConsolidator(workdir=tmp_path)
    c.add(_synthetic(1))
    c.close()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="finished"):
        c.add(_synthetic(2))


def _signalled_after_one(sig: signal.Signals) -> BackgroundConsolidator:
    """A consolidator given one result, whose child was then sent ``sig``."""
    c = BackgroundConsolidator()
    c.add(_synthetic(1))
    pid = c._process.pid
    assert pid is not None
    os.kill(pid, sig)
    return c


def test_a_killed_child_is_a_clear_error() -> None:
    c = _signalled_after_one(signal.SIGKILL)
    c._process.join(10)
    with pytest.raises(SummarizerError, match="consolidating process stopped"):
        for i in range(2, 200):  # the pipe may take a few before it notices
            c.add(_synthetic(i))
        c.finish()


def _folder_of(seeds: Path, n: int) -> Path:
    """``n`` distinct articles made from the seeds (each with its own figures and dates)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds.glob("*.txt"))]
    folder = seeds.parent / "many"
    folder.mkdir()
    for i in range(n):
        extra = f"\n\nIn {1990 + i % 30}, {100 + i} people attended, officials said on {i % 28 + 1} May."
        (folder / f"a{i:04d}.txt").write_text(texts[i % len(texts)] + extra, encoding="utf-8")
    return folder


def test_a_large_folder_is_consolidated_in_the_background_with_the_same_outputs(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.corpus.background as background
    import summarizer.run.local as local
    from summarizer import Summarizer

    n = local._BACKGROUND_FROM + 10
    folder = _folder_of(seeds, n)
    started: list[int] = []
    real_init = background.BackgroundConsolidator.__init__

    def spy(self: background.BackgroundConsolidator, **kw: object) -> None:
        real_init(self, **kw)  # type: ignore[arg-type]
        started.append(1)

    monkeypatch.setattr(background.BackgroundConsolidator, "__init__", spy)
    outs = {}
    for name, threshold in (("background", n), ("here", n + 1)):
        monkeypatch.setattr(local, "_BACKGROUND_FROM", threshold)
        with Summarizer(provider="rules", use_cache=False) as s:
            result = s.summarize_folder(folder, tmp_path / name)
        assert result.run.succeeded == n
        outs[name] = tmp_path / name
    assert started == [1]  # only the first run used the child process
    for file in ("brief.json", "records.jsonl", "statistics.csv", "milestones.csv", "summary.md"):
        assert (outs["background"] / file).read_bytes() == (outs["here"] / file).read_bytes(), file


def test_ctrl_c_is_left_to_the_parent() -> None:
    # ^C at a terminal reaches the child too; it must not end the brief under the parent.
    c = _signalled_after_one(signal.SIGINT)
    for i in range(2, 40):
        c.add(_synthetic(i))
    with c.finish() as brief:
        assert brief.counts().documents == 39
