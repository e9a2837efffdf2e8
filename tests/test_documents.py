"""Loading articles: ids, decoding, titles, boilerplate, and every kind of bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.load.documents import (
    Article,
    LoadProblem,
    discover,
    document_id,
    load_article,
    make_article,
    strip_boilerplate,
)

from .conftest import SEEDS


def _load(tmp_path: Path, name: str, data: bytes, **kw: int) -> Article | LoadProblem:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return load_article(path, tmp_path, **kw)


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        ("business/001.txt", "business/001"),
        ("a.md", "a"),
        ("x/y/z.html", "x/y/z"),
        ("noext", "noext"),
    ],
)
def test_document_id(tmp_path: Path, rel: str, expected: str) -> None:
    assert document_id(tmp_path / rel, tmp_path) == expected


def test_discover_recurses_sorted_and_filters(tmp_path: Path) -> None:
    for rel in ("b/2.txt", "a.md", "c.html", "skip.pdf", "b/1.htm"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    names = [p.relative_to(tmp_path).as_posix() for p in discover(tmp_path)]
    assert names == ["a.md", "b/1.htm", "b/2.txt", "c.html"]
    assert [p.name for p in discover(tmp_path, ["*.pdf"])] == ["skip.pdf"]


def test_discover_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        discover(tmp_path / "missing")
    with pytest.raises(InputError, match="no files matching"):
        discover(tmp_path)


def test_seed_loads_with_crlf_normalised(tmp_path: Path) -> None:
    art = _load(tmp_path, "a.txt", b"Headline here\r\n\r\nBody one.\rBody two.\r\n")
    assert isinstance(art, Article)
    assert art.text == "Headline here\n\nBody one.\nBody two.\n"
    assert art.title == "Headline here"
    assert art.chars == len(art.text)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"   \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ],
)
def test_bad_bytes_are_skipped_with_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    got = _load(tmp_path, "bad.txt", data)
    assert isinstance(got, LoadProblem)
    assert reason in got.reason
    assert got.status == "skipped"


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (
            "Le président a déclaré à la presse que l’économie française allait mieux, très bien même.",
            "latin-1",
        ),
        ("中国互联网络信息中心发布的报告显示，截至2023年6月，我国网民规模达10.79亿人。" * 3, "gbk"),
    ],
)
def test_non_utf8_is_detected_and_said(tmp_path: Path, text: str, codec: str) -> None:
    art = _load(tmp_path, "enc.txt", text.replace("’", "'").encode(codec, errors="replace"))
    assert isinstance(art, Article)
    assert "not UTF-8: decoded as" in art.warnings[0]
    assert art.text.startswith(text.replace("’", "'")[:10])


def test_too_long_is_skipped(tmp_path: Path) -> None:
    got = _load(tmp_path, "long.txt", b"word " * 100, max_chars=100)
    assert isinstance(got, LoadProblem)
    assert "over --max-chars 100" in got.reason


def test_broken_link_and_unreadable_fail(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    got = load_article(link, tmp_path)
    assert isinstance(got, LoadProblem) and got.status == "failed"
    assert "broken link" in got.reason
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    got = load_article(folder, tmp_path)
    assert isinstance(got, LoadProblem) and got.status == "failed"
    assert got.reason.startswith("unreadable")


def test_unreadable_file_fails_with_permission_denied(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("secret words")
    locked.chmod(0)
    code = (
        "from pathlib import Path; from summarizer.load.documents import load_article;"
        f"p = load_article(Path({str(locked)!r}), Path({str(tmp_path)!r}));"
        "print(p.status, p.reason)"
    )
    cmd = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        # Root reads everything; without these capabilities it obeys file modes.
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv is missing")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "failed unreadable: permission denied"


def test_html_gives_main_text_and_title(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Big news</title><script>var x=1;</script></head><body>"
        "<nav>Home | World</nav><article><h1>Big news</h1>"
        + "".join(
            f"<p>Paragraph {i} says that 1.079 billion people use the internet.</p>"
            for i in range(5)
        )
        + "</article><footer>© 2023 Site</footer></body></html>"
    )
    art = _load(tmp_path, "page.html", html.encode())
    assert isinstance(art, Article)
    assert "1.079 billion" in art.text
    assert "var x" not in art.text
    assert art.title == "Big news"


def test_boilerplate_is_masked_not_cut() -> None:
    text = (SEEDS / "002_8b8e5aa601a30fad.txt").read_text(encoding="utf-8")
    art = make_article(text)
    assert isinstance(art, Article)
    assert art.text == text  # offsets index the text as loaded
    assert "Knightsbridge" in text and "Knightsbridge" not in art.model_text
    assert "You may also like" not in art.model_text
    assert "Song said." in art.model_text


def test_boilerplate_rules_keep_early_mentions() -> None:
    body = "You may also like\n" + "Real sentence about the economy.\n" * 20
    assert strip_boilerplate(body).startswith("You may also like")
    seed0 = (SEEDS / "000_7f9170a9a539a144.txt").read_text(encoding="utf-8")
    cleaned = strip_boilerplate(seed0)
    for junk in ("Home »", "by admin", "See also", "uses cookies", "Akismet", "Privacy & Cookies"):
        assert junk not in cleaned
    assert "1.079 billion internet users" in cleaned
