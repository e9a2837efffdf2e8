"""Flat memory: what a run keeps per file lives on disk, and held-back results spill there."""

from __future__ import annotations

import os
import random
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from summarizer.load.documents import discover
from summarizer.load.files import FileList
from summarizer.run import local
from summarizer.run.local import _IdOrder


def _python_bytes_kept(make: Callable[[], object]) -> int:
    """Bytes of Python objects still allocated after ``make()`` returns (its result kept)."""
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        kept = make()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert kept is not None
    return sum(stat.size_diff for stat in after.compare_to(before, "filename"))


def test_a_file_list_keeps_no_python_object_per_file(tmp_path: Path) -> None:
    few = [tmp_path / f"dir{i % 7}" / f"{i:06d}.txt" for i in range(1_000)]
    many = [tmp_path / f"dir{i % 7}" / f"{i:06d}.txt" for i in range(20_000)]
    for path in few + many:
        str(path)  # a Path caches its string form the first time: not the list's doing
    small = _python_bytes_kept(lambda: FileList(few, sort=True))
    large = _python_bytes_kept(lambda: FileList(many, sort=True))
    # A list of the paths keeps ~8 MB more for the 19,000 extra files, a blob of
    # their names ~0.5 MB; the file list keeps the same few objects whatever the size.
    assert large - small < 50_000, (small, large)


def test_a_file_list_sorts_by_the_bytes_of_the_names(tmp_path: Path) -> None:
    names = ["b.txt", "a-b.txt", "a.txt", "a/b.txt", "é.txt", os.fsdecode(b"odd\xff.txt"), "Z.md"]
    paths = [tmp_path / n for n in names]
    files = FileList(paths, sort=True)
    assert list(files) == sorted(paths, key=os.fsencode)
    assert files[0] == sorted(paths, key=os.fsencode)[0]
    assert files[-1] == sorted(paths, key=os.fsencode)[-1]
    assert list(FileList(paths)) == paths  # unsorted: the order given
    assert list(files.names(5)) == [os.fsencode(p) for p in sorted(paths, key=os.fsencode)[5:]]


def test_discover_gives_a_file_list_in_name_order(tmp_path: Path) -> None:
    for rel in ("b/x.txt", "a.txt", "a-b.txt", "b.txt", "a/z.md", "c.pdf"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("text", encoding="utf-8")
    found = discover(tmp_path)
    assert isinstance(found, FileList)
    expected = [tmp_path / r for r in ("a-b.txt", "a.txt", "a/z.md", "b.txt", "b/x.txt")]
    assert list(found) == sorted(expected, key=os.fsencode) == expected


def test_held_back_results_past_the_bound_wait_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "_HELD_IN_MEMORY", 5)
    # Clashing names too (010.md and 010.txt): the later one has its own id, "010.txt".
    names = sorted([f"{i:03d}.txt" for i in range(60)] + ["010.md", "020.md"])
    order = _IdOrder(FileList(tmp_path / n for n in names), tmp_path)
    ids = [order.renamed(pos) or n.split(".")[0] for pos, n in enumerate(names)]
    assert sorted(set(ids)) == sorted(ids) and "010.txt" in ids and "020.txt" in ids
    arrivals = [i for i in ids if i != "000"]
    random.Random(3).shuffle(arrivals)
    released: list[tuple[str, int]] = []
    peak_memory = peak_disk = 0
    for k, doc_id in enumerate(arrivals):
        released += order.arrive(doc_id, (doc_id, k))
        in_memory, on_disk = order.held
        peak_memory, peak_disk = max(peak_memory, in_memory), max(peak_disk, on_disk)
    assert released == []  # "000" has not come: everything waits
    assert peak_memory == 5 and peak_disk == len(arrivals) - 5
    released = order.arrive("000", ("000", -1))
    assert [r[0] for r in released] == sorted(ids)
    assert order.held == (0, 0)


def test_a_stopped_run_drains_memory_and_disk_in_id_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local, "_HELD_IN_MEMORY", 3)
    names = [f"{i:02d}.txt" for i in range(20)]
    order = _IdOrder(FileList(tmp_path / n for n in names), tmp_path)
    arrivals = [f"{i:02d}" for i in range(1, 20)]
    random.Random(5).shuffle(arrivals)
    for doc_id in arrivals:
        assert order.arrive(doc_id, doc_id) == []
    assert order.held == (3, 16)
    assert list(order.drain()) == sorted(arrivals)  # "00" never came
    assert order.held == (0, 0)
    order.close()


def test_checking_a_large_cluster_of_near_duplicate_candidates_stays_small() -> None:
    from summarizer.corpus.dedupe import NearDuplicateIndex

    rng = random.Random(11)
    words = [f"w{i}" for i in range(5_000)]
    index = NearDuplicateIndex()
    for i in range(2_100):
        index.add(f"d{i}", " ".join(rng.choices(words, k=60)))
    rows = np.arange(2_100, dtype=np.int64)
    tracemalloc.start()
    try:
        pairs = index._verify_block(rows)  # as for one cluster of 2,100 rows
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert pairs == []  # unrelated texts
    # The signatures of the first 2,000 rows (1 MB) and one chunk (0.5 MB), plus the
    # comparison of a few rows with the chunk; 64 rows at once took 8 MB more.
    assert peak < 3_000_000, peak


def test_the_report_keeps_one_article_result_at_a_time(tmp_path: Path) -> None:
    import gc

    from summarizer.corpus.consolidate import consolidate
    from summarizer.outputs.html import write_report_html
    from summarizer.records import ArticleResult

    gold = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "gold").glob("*.json"))
    texts = [p.read_text(encoding="utf-8") for p in gold]
    brief = consolidate(ArticleResult.model_validate_json(t) for t in texts)

    def live() -> int:
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, ArticleResult))

    before = live()
    most = 0

    def results() -> Iterator[ArticleResult]:
        nonlocal most
        for text in texts:
            most = max(most, live() - before)  # the ones handed out earlier, still held
            yield ArticleResult.model_validate_json(text)

    page = write_report_html(brief, results(), lambda _id: None, tmp_path).read_text("utf-8")
    for text in texts:
        assert ArticleResult.model_validate_json(text).document.id in page
    # The loop's variable holds the previous result while the next is read; a list of
    # them (as before) held every earlier one.
    assert most <= 1, f"{most} earlier results were still held"
