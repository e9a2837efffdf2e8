"""The output folder: only our own files, reruns that do not mix or destroy, early checks."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.testing import FakeOpenAIServer

from ._hostile import articles, read_json, run_cli
from .conftest import API_KEY, cli_env


def _endpoint(server: FakeOpenAIServer, *more: str) -> list[str]:
    return ["--base-url", server.base_url, "--api-key", API_KEY, *more]


def _snapshot(out: Path) -> dict[str, bytes]:
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != ".summarizer-manifest.json"
    }


def test_cleanup_removes_only_this_tools_leftovers(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    cache = ["--cache-dir", str(tmp_path / "c")]
    assert run_cli(str(folder), "-o", str(out), *_endpoint(server, *cache)).returncode == 0
    # Files of the user's that look temporary, and the leftover of a killed run of ours.
    theirs = [out / ".notes.tmp", out / "articles" / ".a0.json.x1y2.tmp", out / "keep" / ".b.tmp"]
    for path in theirs:
        path.parent.mkdir(exist_ok=True)
        path.write_text("mine")
    manifest = read_json(out / ".summarizer-manifest.json")
    dead = "999999999xdeadbeef"
    manifest.update(state="running", run=dead, pid=999_999_999)
    (out / ".summarizer-manifest.json").write_text(json.dumps(manifest))
    leftover = out / "articles" / f".summarizer-{dead}-abc123.tmp"
    leftover.write_text("half a file")
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server, *cache))
    assert proc.returncode == 0, proc.stderr
    assert not leftover.exists()
    assert all(p.read_text() == "mine" for p in theirs)
    assert not list(out.rglob(".summarizer-*.tmp"))


def test_a_foreign_folder_is_refused_unless_forced(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in")
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes")
    (out / "summary.md").write_text("my own summary")
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server))
    assert proc.returncode == 2
    assert "not empty" in proc.stderr and "--force" in proc.stderr
    assert server.history == []
    assert (out / "summary.md").read_text() == "my own summary"
    proc = run_cli(str(folder), "-o", str(out), "--force", *_endpoint(server))
    assert proc.returncode == 0, proc.stderr
    assert (out / "summary.md").read_text() != "my own summary"
    assert (out / "notes.txt").read_text() == "my notes"
    # Ours now: a rerun needs no --force, and still leaves the notes alone.
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server))
    assert proc.returncode == 0, proc.stderr
    assert (out / "notes.txt").read_text() == "my notes"


def test_a_rerun_removes_its_stale_articles_and_nothing_else(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 3)
    (folder / "sub").mkdir()
    shutil.move(folder / "a2.txt", folder / "sub" / "a2.txt")
    out = tmp_path / "out"
    assert run_cli(str(folder), "-o", str(out), *_endpoint(server)).returncode == 0
    assert (out / "articles" / "sub" / "a2.json").is_file()
    (out / "mine.txt").write_text("keep me")
    (out / "articles" / "hand-made.json").write_text("{}")
    (folder / "sub" / "a2.txt").unlink()
    proc = run_cli(str(folder), "-o", str(out), *_endpoint(server))
    assert proc.returncode == 0, proc.stderr
    assert not (out / "articles" / "sub").exists()
    assert sorted(p.name for p in (out / "articles").iterdir()) == [
        "a0.json",
        "a1.json",
        "hand-made.json",
    ]
    assert len((out / "records.jsonl").read_text().splitlines()) == 2
    assert (out / "mine.txt").read_text() == "keep me"


def test_a_run_where_everything_fails_keeps_the_earlier_results(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 2)
    out = tmp_path / "out"
    assert run_cli(str(folder), "-o", str(out), *_endpoint(server)).returncode == 0
    before = _snapshot(out)
    assert "records.jsonl" in before and "summary.md" in before
    proc = run_cli(
        str(folder),
        "-o",
        str(out),
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--max-retries",
        "0",
        "--no-cache",
    )
    # An endpoint never reached stops the run (exit 2), and nothing earlier is lost.
    assert proc.returncode == 2 and "cannot reach 127.0.0.1:9" in proc.stderr
    assert "earlier results" in proc.stderr
    after = _snapshot(out)
    failed = json.loads(after.pop("run-failed.json"))
    assert failed["succeeded"] == 0 and len(failed["failed"]) >= 1
    assert after == before
    # The next good run replaces them and clears the failed report.
    assert run_cli(str(folder), "-o", str(out), *_endpoint(server)).returncode == 0
    assert not (out / "run-failed.json").exists()


def test_an_unwritable_output_is_found_before_any_model_call(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in")
    a_file = tmp_path / "out.txt"
    a_file.write_text("not a folder")
    proc = run_cli(str(folder), "-o", str(a_file), *_endpoint(server))
    assert proc.returncode == 2 and "is a file" in proc.stderr
    proc = run_cli(str(folder), "-o", str(a_file / "sub"), *_endpoint(server))
    assert proc.returncode == 2, proc.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    cmd = [sys.executable, "-m", "summarizer.cli", str(folder), "-o", str(locked / "out")]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv is missing")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    proc = subprocess.run(
        [*cmd, *_endpoint(server)], capture_output=True, text=True, env=cli_env(), timeout=120
    )
    assert proc.returncode == 2, proc.stderr
    assert "Permission denied" in proc.stderr and "Traceback" not in proc.stderr
    assert server.history == []


def test_a_full_disk_mid_run_ends_cleanly(server: FakeOpenAIServer, tmp_path: Path) -> None:
    """The output folder is a 64 KiB tmpfs (in a private mount namespace): it fills up."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to mount a small tmpfs")
    folder = articles(tmp_path / "in", 40)
    out, saved = tmp_path / "out", tmp_path / "saved"
    out.mkdir()
    saved.mkdir()
    script = (
        f'mount -t tmpfs -o size=64k tmpfs "{out}" || exit 99\n'
        f'"{sys.executable}" -m summarizer.cli "{folder}" -o "{out}" --concurrency 2 '
        f"--base-url {server.base_url} --api-key {API_KEY} --no-cache -q\n"
        f'rc=$?\ncp -a "{out}/." "{saved}/"\nexit $rc\n'
    )
    proc = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=cli_env(),
        timeout=180,
    )
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr}")
    assert proc.returncode == 1, proc.stderr
    assert "disk is full" in proc.stderr
    assert "Traceback" not in proc.stderr
    written = list((saved / "articles").glob("*.json"))
    assert 0 < len(written) < 40
    for path in written:
        json.loads(path.read_text())  # every file kept is whole
    # It stopped asking the model soon after the disk filled up.
    assert len(server.history) < 40
