"""The streaming folder run: id order whatever the arrival order, records lines, writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer._atomic import FILE_MODE, write_text_atomic
from summarizer.load.files import FileList
from summarizer.outputs.files import OutputWriter
from summarizer.records import ArticleResult
from summarizer.run.local import _FirstCopies, _IdOrder

ROOT = Path(__file__).resolve().parent.parent
GOLD = sorted((ROOT / "fixtures" / "gold").glob("*.json"))


def test_paths_round_trip_compactly(tmp_path: Path) -> None:
    names = ["a.txt", "sub/b c.md", "é.txt", os.fsdecode(b"odd\xff.txt")]
    paths = [tmp_path / n for n in names]
    compact = FileList(paths)
    assert len(compact) == 4
    assert list(compact) == paths
    assert compact[-1] == paths[-1]
    assert compact[1:3] == paths[1:3]
    outside = FileList([tmp_path / "a.txt", Path("/elsewhere/x.txt")])
    assert list(outside) == [tmp_path / "a.txt", Path("/elsewhere/x.txt")]


def test_id_order_releases_in_id_order_whatever_the_arrival(tmp_path: Path) -> None:
    # File order and id order differ ("a-b.txt" sorts before "a.txt" as a file name).
    paths = [tmp_path / n for n in ("a-b.txt", "a.txt", "c/d.txt", "c.txt")]
    order = _IdOrder(FileList(paths), tmp_path)
    released: list[str] = []
    for doc_id in ("c/d", "a-b", "c", "a"):
        released += order.arrive(doc_id, doc_id)
        assert released == sorted(released)
    assert released == ["a", "a-b", "c", "c/d"]
    assert list(order.drain()) == []


def test_id_order_hands_back_what_is_held_when_a_run_stops(tmp_path: Path) -> None:
    paths = [tmp_path / n for n in ("a.txt", "b.txt", "c.txt")]
    order = _IdOrder(FileList(paths), tmp_path)
    assert order.arrive("c", "c") == []
    assert order.arrive("b", "b") == []
    assert list(order.drain()) == ["b", "c"]  # "a" never came


def test_first_copies_names_the_first_id() -> None:
    first = _FirstCopies()
    sha = "ab" * 32
    assert first.setdefault(sha, "x") == "x"
    assert first.setdefault(sha, "y") == "x"
    assert first.setdefault("cd" * 32, "y") == "y"
    first.close()


@pytest.mark.parametrize("value", [1e-05, 3.3e-05, 0.0001, 1e16, -2.5e-07, 1.5e22, 12.00001, 0.5])
def test_a_records_line_is_the_article_file_re_encoded(tmp_path: Path, value: float) -> None:
    result = ArticleResult.model_validate_json(GOLD[0].read_text(encoding="utf-8"))
    assert result.statistics, "the gold file needs a statistic"
    result.statistics[0].value = value
    result.statistics[0].value_text = 'é \u2028 \x01 "q" 1e5 0.00001'
    writer = OutputWriter(tmp_path / "out")
    line = writer.write_article(result.document.id, result)
    text = (tmp_path / "out" / "articles" / f"{result.document.id}.json").read_text("utf-8")
    assert line == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def test_a_records_line_skips_json_when_no_number_needs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hex digests ("...3e9...") and words like "5e" in text are no exponents: no re-encoding."""
    import summarizer.outputs.files as files

    result = ArticleResult.model_validate_json(GOLD[0].read_text(encoding="utf-8"))
    result.document.sha256 = "3e" * 32
    result.statistics[0].value = 12.5
    result.statistics[0].value_text = "1e5 apples, 0.00001 pears"
    monkeypatch.setattr(files, "_compact_one", lambda text: pytest.fail("re-encoded"))
    line = OutputWriter(tmp_path / "out").write_article(result.document.id, result)
    text = (tmp_path / "out" / "articles" / f"{result.document.id}.json").read_text("utf-8")
    assert line == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def test_records_jsonl_adds_near_duplicate_links(tmp_path: Path) -> None:
    result = ArticleResult.model_validate_json(GOLD[0].read_text(encoding="utf-8"))
    writer = OutputWriter(tmp_path / "out")
    for doc_id in ("a", "b\tc"):
        result.document.id = doc_id
        writer.append_record(doc_id, writer.write_article(doc_id, result))
    writer.commit(2)
    path = writer.write_records_jsonl(near_duplicates={"b\tc": ["a"]})
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    assert [x["document"]["id"] for x in lines] == ["a", "b\tc"]
    assert [x["document"]["near_duplicates"] for x in lines] == [[], ["a"]]
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".tmp")]


def test_atomic_write_creates_folders_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "x" / "y" / "f.json"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two")
    assert target.read_text(encoding="utf-8") == "two"
    assert oct(target.stat().st_mode & 0o777) == oct(FILE_MODE)  # as open() would, by umask
    assert [p.name for p in target.parent.iterdir()] == ["f.json"]


def test_outputs_get_the_mode_the_umask_gives(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .conftest import SEEDS, cli_env

    out = tmp_path / "out"
    # umask 022, as on most systems: rw-r--r--, readable by the group and others.
    code = (
        "import os, sys; os.umask(0o022); from summarizer.cli import main; "
        "sys.exit(main(sys.argv[1:]))"
    )
    args = [str(SEEDS), "-o", str(out), "--provider", "rules", "--no-cache", "-q"]
    subprocess.run([sys.executable, "-c", code, *args], env=cli_env(), check=True)
    modes = {
        p.relative_to(out).as_posix(): p.stat().st_mode & 0o777
        for p in out.rglob("*")
        if p.is_file()
    }
    assert "report.html" in modes and "records.jsonl" in modes and "brief.json" in modes
    assert set(modes.values()) == {0o644}, modes
