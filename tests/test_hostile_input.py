"""Hostile input folders: links out, odd encodings, front matter, byte names, -o inside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from summarizer.errors import InputError
from summarizer.load.documents import Article, LoadProblem, discover, load_article
from summarizer.testing import FakeOpenAIServer

from ._hostile import articles, read_json, run_cli
from .conftest import API_KEY

SECRET = "root:x:0:0:TOP-SECRET-LINE-4242:/root:/bin/bash"


def _endpoint(server: FakeOpenAIServer, tmp_path: Path) -> list[str]:
    return ["--base-url", server.base_url, "--api-key", API_KEY, "--cache-dir", str(tmp_path / "c")]


def _sent(server: FakeOpenAIServer) -> str:
    return json.dumps(server.history)


def test_links_out_of_the_input_folder_are_not_followed(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "passwd").write_text(f"{SECRET}\n" * 20)
    folder = articles(tmp_path / "in")
    (folder / "passwd.txt").symlink_to(outside / "passwd")
    (folder / "linked-dir").symlink_to(outside, target_is_directory=True)
    (outside / "also.txt").write_text(f"{SECRET}\n" * 20)
    (folder / "inside.txt").symlink_to(folder / "a0.txt")  # a link within the folder is fine
    out, rec = tmp_path / "out", tmp_path / "rec"
    proc = run_cli(str(folder), "-o", str(out), "--record", str(rec), *_endpoint(server, tmp_path))
    assert proc.returncode == 0, proc.stderr
    run = read_json(out / "run.json")
    assert run["succeeded"] == 2
    skipped = {s["id"]: s["reason"] for s in run["skipped"]}
    assert "outside the input folder" in skipped["passwd"]
    assert "--follow-symlinks" in skipped["passwd"]
    assert "outside the input folder" in skipped["linked-dir"]
    assert "skipped passwd" in proc.stderr
    assert "TOP-SECRET" not in _sent(server)
    for path in [*out.rglob("*"), *rec.rglob("*")]:
        if path.is_file():
            assert b"TOP-SECRET" not in path.read_bytes(), path

    # Asked for, the link is read.
    out2 = tmp_path / "out2"
    proc = run_cli(
        str(folder),
        "-o",
        str(out2),
        "--follow-symlinks",
        "--no-cache",
        *_endpoint(server, tmp_path),
    )
    assert proc.returncode == 0, proc.stderr
    assert read_json(out2 / "run.json")["succeeded"] == 4  # a0, inside, passwd, linked-dir/also
    assert "TOP-SECRET" in _sent(server)


def test_a_link_loop_ends_when_following_links(tmp_path: Path) -> None:
    folder = articles(tmp_path / "in")
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to(folder, target_is_directory=True)
    assert [p.name for p in discover(folder, follow_symlinks=True)] == ["a0.txt"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path: Path, codec: str) -> None:
    text = "Le président a dit: 1,2 million de personnes — «un record».\n\nSuite du texte.\n"
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}.get(codec, b"")
    (tmp_path / "doc.txt").write_bytes(bom + text.encode(codec))
    got = load_article(tmp_path / "doc.txt", tmp_path)
    assert isinstance(got, Article), got
    assert got.text == text
    assert got.encoding.startswith(codec[:6])


def test_utf16_article_goes_through_the_cli(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = articles(tmp_path / "in")
    body = (folder / "a0.txt").read_text(encoding="utf-8")
    (folder / "wide.txt").write_bytes(body.replace("Edition 0", "Edition W").encode("utf-16"))
    out = tmp_path / "out"
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server, tmp_path))
    assert proc.returncode == 0, proc.stderr
    wide = read_json(out / "articles" / "wide.json")
    assert wide["document"]["encoding"] == "utf-16"
    assert read_json(out / "run.json")["skipped"] == []


FRONT = """---
title: "The Real Headline"
date: 2024-03-05
layout: post-layout-marker
tags: [economy]
---

"""


def test_markdown_front_matter_is_metadata(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = (articles(tmp_path / "src") / "a0.txt").read_text(encoding="utf-8")
    (folder / "post.md").write_text(FRONT + body, encoding="utf-8")
    got = load_article(folder / "post.md", folder)
    assert isinstance(got, Article)
    assert (got.title, got.published) == ("The Real Headline", "2024-03-05")
    assert "post-layout-marker" not in got.model_text
    assert got.text.startswith("---\n")  # offsets still index the file
    out = tmp_path / "out"
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server, tmp_path))
    assert proc.returncode == 0, proc.stderr
    record = read_json(out / "articles" / "post.json")
    assert record["document"]["title"] == "The Real Headline"
    assert "post-layout-marker" not in _sent(server)
    assert all(m["date"] != "2024-03-05" for m in record["milestones"])


def test_a_file_name_that_is_not_utf8(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = articles(tmp_path / "in")
    name = os.fsdecode(b"caf\xe9-\xff.txt")
    (folder / name).write_text((folder / "a0.txt").read_text() + "\nOther.\n")
    out = tmp_path / "out"
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server, tmp_path))
    assert proc.returncode == 0, proc.stderr
    run = read_json(out / "run.json")
    assert run["succeeded"] == 2
    ids = [json.loads(line)["document"]["id"] for line in (out / "records.jsonl").open()]
    assert ids == ["a0", "caf\\xe9-\\xff"]
    assert (out / "articles" / "caf\\xe9-\\xff.json").is_file()


def test_outputs_inside_the_input_folder_are_never_read(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 2)
    out = folder / "results"
    for _ in range(2):
        proc = run_cli(str(folder), "-o", str(out), *_endpoint(server, tmp_path))
        assert proc.returncode == 0, proc.stderr
        run = read_json(out / "run.json")
        assert run["documents"] == 2 and run["skipped"] == [], run
    assert (out / "summary.md").is_file()
    # An earlier run's output folder elsewhere under the input is not read either.
    proc = run_cli(str(folder), "-o", str(tmp_path / "elsewhere"), *_endpoint(server, tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert read_json(tmp_path / "elsewhere" / "run.json")["documents"] == 2
    # The input folder itself cannot be the output folder.
    proc = run_cli(str(folder), "-o", str(folder), *_endpoint(server, tmp_path))
    assert proc.returncode == 2 and "output folder is the input folder" in proc.stderr
    with pytest.raises(InputError):
        discover(folder, exclude=[folder])


def test_a_link_out_is_a_skip_not_a_read(tmp_path: Path) -> None:
    (tmp_path / "secret").write_text(SECRET)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "x.txt").symlink_to(tmp_path / "secret")
    got = load_article(folder / "x.txt", folder)
    assert isinstance(got, LoadProblem) and got.status == "skipped"
    got = load_article(folder / "x.txt", folder, follow_symlinks=True)
    assert isinstance(got, Article) and "TOP-SECRET" in got.text


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_called_txt_is_skipped_not_waited_for(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "pipe.txt")  # opened for reading, it would wait for a writer
    (folder / "real.txt").write_text("Prices rose 5% in 2020, officials said.", encoding="utf-8")
    loaded = load_article(folder / "pipe.txt", folder)
    assert isinstance(loaded, LoadProblem)
    assert loaded.reason == "a named pipe, not a file" and loaded.status == "skipped"
    assert [p.name for p in discover(folder)] == ["pipe.txt", "real.txt"]
    assert isinstance(load_article(folder / "real.txt", folder), Article)


@pytest.mark.parametrize(
    ("text", "codec", "found"),
    [
        ("The club paid £15.8m for the striker on Tuesday, officials said.", "cp1252", "cp1252"),
        ("Die Zahl der Arbeitslosen ist im März um 3% gestiegen. " * 4, "latin-1", "cp1252"),
        ("Число безработных выросло на 3% в марте, сказал министр. " * 4, "cp1251", "cp1251"),
    ],
)
def test_a_legacy_code_page_is_read_right(
    tmp_path: Path, text: str, codec: str, found: str
) -> None:
    # A lone £ is too little for a detector (it guessed cp932: "｣15.8m"); mostly-ASCII
    # text is read as Windows-1252, the rest is left to the detector.
    (tmp_path / "a.txt").write_bytes(text.encode(codec))
    loaded = load_article(tmp_path / "a.txt", tmp_path)
    assert isinstance(loaded, Article)
    assert loaded.text.strip() == text.strip()
    assert f"not UTF-8: decoded as {found}" in loaded.warnings
