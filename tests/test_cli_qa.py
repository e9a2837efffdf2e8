"""QA's CLI findings: the single-file and stdin path, option checks, eval's output errors.

The real CLI runs in a subprocess with the built-in rules extractor (no endpoint), so
every answer is deterministic and no server is needed. The oracle for a single article
is the folder run: the same file must give the same document and records either way.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import pickle
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.errors import ConfigError, SummarizerError

from .conftest import GOLD, RECORDINGS, SEEDS, cli_env

SEED = "000_7f9170a9a539a144"
HTML_PAGE = """<!DOCTYPE html><html><head><title>Widget sales jump</title>
<script>var x = "Sales rose 99% in 1999";</script></head>
<body><nav>Home | News | Sport</nav><article><h1>Widget sales jump</h1>
<p>Widget Corp said on Tuesday that sales rose 12% to $4.5 billion in 2020.</p>
<p>Profit climbed 8% to 300 million dollars, and the firm hired 1,200 people.</p>
<p>"We had a strong year," said chief executive Ann Lee.</p></article>
<footer>Copyright 2021</footer></body></html>
"""
FRONT_MATTER = """---
title: Front matter title
date: 2020-05-01
author: "Sales rose 50% to 9bn"
---
# Heading in body

Shipments rose 8% to 20,000 units last year, the firm said on Monday.
"""


def run_cli(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    """The CLI in a subprocess, as a user runs it (bytes in and out)."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer.cli", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=cli_env(),
        cwd=cwd,
        timeout=timeout,
        check=False,
    )


def err(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stderr.decode("utf-8", "replace")


def folder_article(tmp_path: Path, src: Path) -> dict[str, Any]:
    """The article JSON a folder run writes for ``src`` (alone in a folder of its own)."""
    folder = tmp_path / f"folder-of-{src.name}"
    folder.mkdir()
    shutil.copy(src, folder / src.name)
    out = tmp_path / f"out-of-{src.name}"
    proc = run_cli(str(folder), "-o", str(out), "-q")
    assert proc.returncode == 0, err(proc)
    data: dict[str, Any] = json.loads(
        (out / "articles" / f"{src.stem}.json").read_text(encoding="utf-8")
    )
    return data


def comparable(result: dict[str, Any]) -> dict[str, Any]:
    """What a single-file run and a folder run must agree on (not timings)."""
    return {k: result[k] for k in ("document", "summary", "statistics", "quotes", "milestones")}


# ---------------------------------------------------------------- B: one file, the folder's loader


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "utf16.txt",
            codecs.BOM_UTF16_LE + (SEEDS / f"{SEED}.txt").read_text().encode("utf-16-le"),
        ),
        ("latin1.txt", "Café sales rose 5% to 3 million euros in 2020.\n".encode("latin-1")),
        ("page.html", HTML_PAGE.encode()),
        ("fm.md", FRONT_MATTER.encode()),
        (f"{SEED}.txt", (SEEDS / f"{SEED}.txt").read_bytes()),
    ],
)
def test_single_file_is_loaded_as_in_a_folder(tmp_path: Path, name: str, content: bytes) -> None:
    src = tmp_path / "in" / name
    src.parent.mkdir()
    src.write_bytes(content)
    proc = run_cli(str(src), "-q")
    assert proc.returncode == 0, err(proc)
    single = json.loads(proc.stdout)
    folder = folder_article(tmp_path, src)
    assert single["document"]["path"] == str(src)
    # A folder run names the file by its path under the folder; otherwise they agree.
    folder["document"]["path"] = str(src)
    assert comparable(single) == comparable(folder)


def test_single_html_file_is_not_raw_markup(tmp_path: Path) -> None:
    src = tmp_path / "page.html"
    src.write_text(HTML_PAGE, encoding="utf-8")
    proc = run_cli(str(src), "-q")
    assert proc.returncode == 0, err(proc)
    result = json.loads(proc.stdout)
    assert result["document"]["title"] == "Widget sales jump"
    assert result["statistics"], "the page's numbers were found"
    assert all("1999" not in s["evidence"]["text"] for s in result["statistics"])


def test_single_markdown_front_matter_is_metadata(tmp_path: Path) -> None:
    src = tmp_path / "fm.md"
    src.write_text(FRONT_MATTER, encoding="utf-8")
    proc = run_cli(str(src), "-q")
    assert proc.returncode == 0, err(proc)
    result = json.loads(proc.stdout)
    assert result["document"]["title"] == "Front matter title"
    assert all("9bn" not in s["value_text"] for s in result["statistics"])


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x00\x01\x02binary\x00" * 50, "binary file"),
        (b"  \n\n ", "empty file"),
    ],
)
def test_single_file_load_problem_is_named(tmp_path: Path, content: bytes, reason: str) -> None:
    src = tmp_path / "empty.txt"
    src.write_bytes(content)
    proc = run_cli(str(src), "-q")
    assert proc.returncode == 2
    assert proc.stdout == b""
    message = err(proc)
    assert reason in message and str(src) in message
    assert "Traceback" not in message and "codec" not in message
    assert "empty: empty" not in message


# ---------------------------------------------------------------- C: standard input


def test_stdin_is_decoded_like_a_file() -> None:
    proc = run_cli("-", "-q", stdin="Café sales rose 5% in 2020.\n".encode("cp1252"))
    assert proc.returncode == 0, err(proc)
    result = json.loads(proc.stdout)
    assert result["document"]["id"] == "stdin"
    assert result["document"]["path"] == "-"
    assert result["document"]["encoding"] != "utf-8"
    assert [s["value"] for s in result["statistics"]] == [5.0]


def test_stdin_utf16_with_bom() -> None:
    text = (SEEDS / f"{SEED}.txt").read_text(encoding="utf-8")
    proc = run_cli("-", "-q", stdin=codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert proc.returncode == 0, err(proc)
    assert json.loads(proc.stdout)["document"]["chars"] == len(text.replace("\r\n", "\n"))


def test_empty_stdin_says_so() -> None:
    proc = run_cli("-", "-q", stdin=b"\n  \n")
    assert proc.returncode == 2
    assert "standard input" in err(proc) and "empty" in err(proc)
    assert "Traceback" not in err(proc)


# ---------------------------------------------------------------- A: stdin with -o


def test_stdin_into_a_folder_summarize_did_not_write_is_refused(tmp_path: Path) -> None:
    precious = tmp_path / "m" / "articles" / "stdin.json"
    precious.parent.mkdir(parents=True)
    precious.write_text("precious\n")
    seed = (SEEDS / f"{SEED}.txt").read_bytes()
    proc = run_cli("-", "-o", str(tmp_path / "m"), "-q", stdin=seed)
    assert proc.returncode == 2
    assert "--force" in err(proc)
    assert precious.read_text() == "precious\n"


def test_stdin_with_out_writes_a_folder_run(tmp_path: Path) -> None:
    out = tmp_path / "m"
    seed = (SEEDS / f"{SEED}.txt").read_bytes()
    proc = run_cli("-", "-o", str(out), "-q", stdin=seed)
    assert proc.returncode == 0, err(proc)
    assert (out / ".summarizer-manifest.json").is_file()
    assert (out / "records.jsonl").is_file() and (out / "run.json").is_file()
    article = json.loads((out / "articles" / "stdin.json").read_text(encoding="utf-8"))
    assert article["document"]["path"] == "-"
    # A second run replaces its own outputs without --force.
    again = run_cli("-", "-o", str(out), "-q", stdin=seed)
    assert again.returncode == 0, err(again)
    assert not list(out.rglob("*.tmp"))


# ---------------------------------------------------------------- D: option values


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--max-input-tokens", "5"], "max-input-tokens"),
        (["--max-tokens", "0"], "max-tokens"),
        (["--max-tokens", "-5"], "max-tokens"),
        (["--temperature", "-3"], "temperature"),
        (["--temperature", "nan"], "temperature"),
        (["--context-window", "10"], "context window"),
        (["--replay", "nodir"], "nodir"),
        (["--replay", "afile"], "afile"),
        (["--record", "afile"], "afile"),
        (["--record", "afile/sub"], "afile"),
    ],
)
def test_bad_option_values_stop_up_front(tmp_path: Path, option: list[str], message: str) -> None:
    (tmp_path / "afile").write_text("x\n")
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    endpoint = [] if "--replay" in option else ["--base-url", "http://127.0.0.1:9/v1"]
    proc = run_cli("seeds", "-o", "out", *endpoint, *option, cwd=tmp_path)
    assert proc.returncode == 2, err(proc)
    text = err(proc)
    assert "Traceback" not in text
    assert message in text
    assert text.count("summarize: error") == 1
    assert not (tmp_path / "out" / "articles").exists()


def test_smallest_chunk_size_is_accepted(tmp_path: Path) -> None:
    proc = run_cli(str(SEEDS / f"{SEED}.txt"), "-q", "--max-input-tokens", "201")
    assert proc.returncode == 0, err(proc)


def test_api_unknown_option_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"no_cache.*use_cache"):
        Summarizer(no_cache=True)
    with pytest.raises(ConfigError, match=r"max_token\b.*max_tokens"):
        Summarizer(max_token=5)


def test_settings_unknown_field_is_a_config_error() -> None:
    # The dataclass's own TypeError would name no valid field; replace() goes the same way.
    with pytest.raises(ConfigError, match=r"'concurency'; did you mean concurrency\?"):
        Settings(concurency=3)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"'workrs'; did you mean workers\?"):
        dataclasses.replace(Settings(), workrs=2)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"unknown option 'zzz' \(the options"):
        Settings(zzz=1)  # type: ignore[call-arg]
    # Valid fields, copies and pickles (how workers get their settings) still work.
    s = Settings(model="m", workers=2)
    assert pickle.loads(pickle.dumps(s)) == s
    assert dataclasses.replace(s, workers=3).workers == 3


def test_api_bad_values_are_summarizer_errors() -> None:
    for options in ({"max_tokens": 0}, {"temperature": -1.0}, {"max_input_tokens": 5}):
        with pytest.raises(SummarizerError):
            Summarizer(**options)
    with pytest.raises(ConfigError, match="max_chars"):
        Settings(max_chars="many")  # type: ignore[arg-type]


# ---------------------------------------------------------------- E: eval


@pytest.fixture
def scored(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    proc = run_cli(str(SEEDS), "-o", str(out), "-q")
    assert proc.returncode == 0, err(proc)
    return out


def test_eval_into_a_closed_pipe_is_quiet(scored: Path) -> None:
    # `true` exits without reading: every write of the table meets a closed pipe.
    shell = f"{sys.executable} -m summarizer.cli eval {scored} {GOLD} | true"
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell],
        capture_output=True,
        env=cli_env(),
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in proc.stderr and b"BrokenPipe" not in proc.stderr, proc.stderr


def test_eval_json_into_a_file_path_is_a_clear_error(scored: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x\n")
    proc = run_cli("eval", str(scored), str(GOLD), "--json", str(tmp_path / "afile" / "ev.json"))
    assert proc.returncode == 2
    assert "Traceback" not in err(proc) and "afile" in err(proc)


def test_eval_with_no_common_article_fails(scored: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for path in (scored / "articles").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["document"]["id"] = "x-" + data["document"]["id"]
        (other / path.name).write_text(json.dumps(data), encoding="utf-8")
    proc = run_cli("eval", str(other), str(GOLD))
    assert proc.returncode != 0
    assert "no article" in err(proc)


@pytest.mark.parametrize("value", ["1.5", "-0.1", "nan"])
def test_eval_min_f1_must_be_a_fraction(scored: Path, value: str) -> None:
    proc = run_cli("eval", str(scored), str(GOLD), "--min-f1", value)
    assert proc.returncode == 2
    assert "--min-f1" in err(proc)


# ---------------------------------------------------------------- F: messages


def test_missing_input_says_it_does_not_exist(tmp_path: Path) -> None:
    proc = run_cli("nonexist.txt", cwd=tmp_path)
    assert proc.returncode == 2
    assert "nonexist.txt does not exist" in err(proc)
    assert "folder" not in err(proc)


def test_recordings_takes_the_glob_its_message_suggests(tmp_path: Path) -> None:
    (tmp_path / "arts").mkdir()
    shutil.copy(SEEDS / f"{SEED}.txt", tmp_path / "arts" / "a.text")
    proc = run_cli("recordings", str(tmp_path / "arts"), str(RECORDINGS))
    assert proc.returncode == 2
    assert "use --glob" in err(proc)
    proc = run_cli("recordings", str(tmp_path / "arts"), str(RECORDINGS), "--glob", "*.text")
    # The seed's text under another name: read, and its recording found.
    assert proc.stdout.startswith(b"1 requests matched a recording"), err(proc)
