"""Two files whose names make one id (a.txt and a.md) are two documents, not a crash."""

from __future__ import annotations

import json
from pathlib import Path

from summarizer import Summarizer
from summarizer.load.documents import discover
from summarizer.run.local import _IdOrder

from .conftest import SEEDS


def _seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def test_the_later_file_of_a_clash_gets_its_extension(tmp_path: Path) -> None:
    for name in ("a.txt", "a.md", "a.txt.md", "b.txt", "sub/c.txt", "sub/c.html"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    files = discover(tmp_path)
    order = _IdOrder(files, tmp_path)
    ids = {files[pos].relative_to(tmp_path).as_posix(): order.renamed(pos) for pos in range(6)}
    # By name: a.md < a.txt; "a.txt" is a.txt.md's own id, so a.txt is "a.txt~2".
    assert ids == {
        "a.md": None,
        "a.txt": "a.txt~2",
        "a.txt.md": None,
        "b.txt": None,
        "sub/c.html": None,
        "sub/c.txt": "sub/c.txt",
    }
    assert order.renames == 2
    expected = sorted(["a", "a.txt~2", "a.txt", "b", "sub/c", "sub/c.txt"])
    assert list(order.arrive(expected[0], 0)) == [0]  # the first id due is the smallest
    order.close()
    files.close()


def test_a_folder_with_a_txt_and_a_md_gives_two_documents(tmp_path: Path) -> None:
    texts = _seed_texts()
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(texts[0], encoding="utf-8")
    (folder / "a.md").write_text(texts[3], encoding="utf-8")
    out = tmp_path / "out"
    with Summarizer(provider="rules", use_cache=False) as s:
        result = s.summarize_folder(folder, out)
    assert result.run.succeeded == 2 and not result.run.failed
    files = sorted(p.name for p in (out / "articles").iterdir())
    assert files == ["a.json", "a.txt.json"]
    by_id = {
        json.loads(line)["document"]["id"]: Path(json.loads(line)["document"]["path"]).name
        for line in (out / "records.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert by_id == {"a": "a.md", "a.txt": "a.txt"}
    brief = json.loads((out / "brief.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in brief["documents"]] == ["a", "a.txt"]
