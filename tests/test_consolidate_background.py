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


def test_closing_without_a_brief_leaves_nothing(tmp_path: Path) -> None:
    c = BackgroundConsolidator(workdir=tmp_path)
    c.add(_synthetic(1))
    c.close()
    assert not list(tmp_path.iterdir())
    with pytest.raises(ValueError, match="finished"):
        c.add(_synthetic(2))


def test_a_killed_child_is_a_clear_error() -> None:
    c = BackgroundConsolidator()
    c.add(_synthetic(1))
    pid = c._process.pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    c._process.join(10)
    with pytest.raises(SummarizerError, match="consolidating process stopped"):
        for i in range(2, 200):  # the pipe may take a few before it notices
            c.add(_synthetic(i))
        c.finish()
