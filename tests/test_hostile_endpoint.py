"""Hostile endpoints: slow bodies, long Retry-After, fatal errors; keys, caches, recordings."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.errors import ConfigError
from summarizer.testing import FakeOpenAIServer

from ._hostile import Reply, ScriptedServer, articles, completion, openai_error, read_json, run_cli
from ._hostile import timed as _timed
from .conftest import API_KEY, cli_env

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------------- hangs


def test_a_body_that_trickles_in_is_cut_at_the_timeout(tmp_path: Path) -> None:
    def slow(method: str, path: str, body: bytes) -> Reply:
        good = completion(method, path, body)
        if not path.endswith("/chat/completions"):
            return good  # the start-up probes (/models, /props) answer at once
        return Reply(200, good.body, trickle=0.5)  # a byte every half second: never idle

    folder = articles(tmp_path / "in")
    out = tmp_path / "out"
    with ScriptedServer(slow) as srv, _timed() as took:
        proc = run_cli(
            str(folder),
            "-o",
            str(out),
            "--base-url",
            f"{srv.url}/v1",
            "--api-key",
            API_KEY,
            "--timeout",
            "2",
            "--max-retries",
            "1",
            timeout=60,
        )
    assert took[0] < 30, "the timeout must bound the whole request"
    assert proc.returncode == 1, proc.stderr
    reason = read_json(out / "run.json")["failed"][0]["reason"]
    assert "--timeout" in reason


@pytest.mark.parametrize(
    ("retry_after", "flags", "shown"),
    [("3600", [], "1.0 h"), ("5", ["--max-retry-wait", "1"], "5s")],
)
def test_a_long_retry_after_is_not_obeyed_blindly(
    tmp_path: Path, retry_after: str, flags: list[str], shown: str
) -> None:
    def busy(method: str, path: str, body: bytes) -> Reply:
        reply = openai_error(429, "slow down", "rate_limit_exceeded")
        reply.headers["retry-after"] = retry_after
        return reply

    folder = articles(tmp_path / "in")
    out = tmp_path / "out"
    with ScriptedServer(busy) as srv, _timed() as took:
        proc = run_cli(
            str(folder),
            "-o",
            str(out),
            "--base-url",
            f"{srv.url}/v1",
            "--api-key",
            API_KEY,
            *flags,
            timeout=60,
        )
    assert took[0] < 20
    assert proc.returncode in (1, 2), proc.stderr
    text = proc.stderr + json.dumps(read_json(out / "run.json") if out.exists() else {})
    assert f"asked to wait {shown}" in text and "--max-retry-wait" in text


# ---------------------------------------------------------------------- fatal errors


def _not_found_html(method: str, path: str, body: bytes) -> Reply:
    return Reply(
        404, b"<html><body><h1>404 Not Found</h1></body></html>", {"content-type": "text/html"}
    )


FATAL = {
    "key": (
        lambda m, p, b: openai_error(401, "Incorrect API key provided", "invalid_api_key"),
        "/v1",
        "API key",
    ),
    "model": (
        lambda m, p, b: openai_error(404, "The model `nope` does not exist", "model_not_found"),
        "/v1",
        "--model",
    ),
    "html": (
        lambda m, p, b: Reply(
            200, b"<!doctype html><html><body>Sign in</body></html>", {"content-type": "text/html"}
        ),
        "/v1",
        "HTML",
    ),
    "no-v1": (
        lambda m, p, b: completion(m, p, b) if p.startswith("/v1/") else _not_found_html(m, p, b),
        "",
        "/v1",
    ),
}


@pytest.mark.parametrize("case", sorted(FATAL))
def test_fatal_endpoint_errors_stop_the_run_early(tmp_path: Path, case: str) -> None:
    handler, suffix, advice = FATAL[case]
    folder = articles(tmp_path / "in", 30)
    out = tmp_path / "out"
    with ScriptedServer(handler) as srv:
        proc = run_cli(
            str(folder),
            "-o",
            str(out),
            "--base-url",
            f"{srv.url}{suffix}",
            "--api-key",
            API_KEY,
            "--concurrency",
            "2",
            timeout=120,
        )
        requests = sum(1 for method, _, _ in srv.requests if method == "POST")
    assert proc.returncode == 2, proc.stderr
    assert requests <= 4, f"{requests} requests for an error that will not change"
    errors = [line for line in proc.stderr.splitlines() if line.startswith("summarize: error")]
    assert len(errors) == 1, proc.stderr
    assert advice in errors[0]
    assert "Traceback" not in proc.stderr


def test_transient_errors_still_retry_per_article(tmp_path: Path) -> None:
    calls = {"n": 0}

    def flaky(method: str, path: str, body: bytes) -> Reply:
        calls["n"] += 1
        return openai_error(503, "overloaded") if calls["n"] % 2 else completion(method, path, body)

    folder = articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    with ScriptedServer(flaky) as srv:
        proc = run_cli(
            str(folder),
            "-o",
            str(out),
            "--base-url",
            f"{srv.url}/v1",
            "--api-key",
            API_KEY,
            "--concurrency",
            "1",
        )
    assert proc.returncode == 0, proc.stderr
    assert read_json(out / "run.json")["retries"] == 3


# ---------------------------------------------------------------------- keys


def test_api_key_from_a_file_or_the_environment(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(API_KEY + "\n")
    key_file.chmod(0o600)
    folder = articles(tmp_path / "in")
    with ScriptedServer(completion) as srv:
        base = ["--base-url", f"{srv.url}/v1", "--no-cache"]
        proc = run_cli(
            str(folder), "-o", str(tmp_path / "o1"), *base, "--api-key-file", str(key_file)
        )
        assert proc.returncode == 0, proc.stderr
        proc = run_cli(
            str(folder),
            "-o",
            str(tmp_path / "o2"),
            *base,
            env=cli_env(SUMMARIZER_API_KEY_FILE=str(key_file)),
        )
        assert proc.returncode == 0, proc.stderr
        auth = [
            headers.get("authorization")
            for _, path, headers in srv.requests
            if path.endswith("/chat/completions")
        ]
    assert auth == [f"Bearer {API_KEY}"] * 2
    for out in (tmp_path / "o1", tmp_path / "o2"):
        for path in out.rglob("*"):
            assert not path.is_file() or API_KEY.encode() not in path.read_bytes()
    missing = run_cli(
        str(folder), "-o", str(tmp_path / "o3"), "--api-key-file", str(tmp_path / "nope")
    )
    assert missing.returncode == 2 and "API key file" in missing.stderr


def test_passwords_in_base_urls_are_redacted(server: FakeOpenAIServer, tmp_path: Path) -> None:
    from summarizer.config import Settings, redact

    assert redact("at http://bob:pa55@h:1/v1 now") == "at http://***@h:1/v1 now"
    url = server.base_url.replace("http://", "http://bob:pa55word@")
    folder = articles(tmp_path / "in")
    out = tmp_path / "out"
    proc = run_cli(str(folder), "-o", str(out), "--base-url", url, "--api-key", API_KEY, "-v")
    assert proc.returncode == 0, proc.stderr
    assert "pa55word" not in proc.stderr + proc.stdout
    for path in out.rglob("*"):
        assert not path.is_file() or b"pa55word" not in path.read_bytes(), path
    dead = run_cli(
        str(folder),
        "-o",
        str(tmp_path / "o2"),
        "--base-url",
        "http://bob:pa55word@127.0.0.1:9/v1",
        "--max-retries",
        "0",
        "--no-cache",
        "-v",
    )
    assert dead.returncode != 0
    assert "pa55word" not in dead.stderr + json.dumps(
        read_json(tmp_path / "o2" / "run-failed.json")
        if (tmp_path / "o2" / "run-failed.json").exists()
        else {}
    )
    assert Settings(base_url=url).shown_base_url.startswith("http://***@")


# ---------------------------------------------------------------------- cache


def _cli_with_cache(
    server: FakeOpenAIServer, folder: Path, out: Path, cache: Path
) -> subprocess.CompletedProcess[str]:
    return run_cli(
        str(folder),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--cache-dir",
        str(cache),
    )


def test_an_existing_cache_folder_keeps_its_mode(server: FakeOpenAIServer, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    folder = articles(tmp_path / "in")
    assert _cli_with_cache(server, folder, tmp_path / "o", shared).returncode == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    fresh = tmp_path / "fresh" / "cache"
    assert _cli_with_cache(server, folder, tmp_path / "o2", fresh).returncode == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o700


def test_a_garbage_cache_stops_with_a_clear_message(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "cache.db").write_bytes(os.urandom(8192))
    proc = _cli_with_cache(server, articles(tmp_path / "in", 3), tmp_path / "out", cache)
    assert proc.returncode == 2, proc.stderr
    assert "cannot open the cache" in proc.stderr and "--no-cache" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert server.history == []


def test_a_damaged_cache_is_a_miss_with_one_warning(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = articles(tmp_path / "in", 5)
    cache = tmp_path / "cache"
    assert _cli_with_cache(server, folder, tmp_path / "o1", cache).returncode == 0
    db = cache / "cache.db"
    with sqlite3.connect(db) as con:  # make it big enough to damage only its tail
        con.execute("CREATE TABLE pad(x)")
        con.executemany("INSERT INTO pad VALUES (?)", [("x" * 4000,)] * 300)
    data = bytearray(db.read_bytes())
    data[len(data) // 2 :] = b"\0" * (len(data) - len(data) // 2)
    db.write_bytes(bytes(data))
    server.reset()
    proc = _cli_with_cache(server, folder, tmp_path / "o2", cache)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("cache") >= 1 and proc.stderr.count("is damaged") == 1
    assert read_json(tmp_path / "o2" / "run.json")["succeeded"] == 5


def test_an_unreadable_cache_stops_with_a_clear_message(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    folder = articles(tmp_path / "in")
    assert _cli_with_cache(server, folder, tmp_path / "o1", cache).returncode == 0
    cache.chmod(0)
    cmd = [
        sys.executable,
        "-m",
        "summarizer.cli",
        str(folder),
        "-o",
        str(tmp_path / "o2"),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--cache-dir",
        str(cache),
    ]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv is missing")
        cmd = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *cmd]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, env=cli_env(), timeout=120)
    finally:
        cache.chmod(0o700)
    assert proc.returncode == 2, proc.stderr
    assert "cache" in proc.stderr and "Traceback" not in proc.stderr


def test_cache_errors_are_config_errors(tmp_path: Path) -> None:
    from summarizer.engine.cache import JSONCache

    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "cache.db").write_bytes(b"not a database" * 100)
    with pytest.raises(ConfigError, match="cannot open the cache"):
        JSONCache(tmp_path / "c")


# ---------------------------------------------------------------------- recordings


def test_recording_names_never_collide_and_fit(server: FakeOpenAIServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    seeds = articles(tmp_path / "src", 3)
    deep = folder / ("d" * 120) / ("e" * 120) / "a"
    for target, source in (
        (folder / "a" / "b.txt", "a0"),
        (folder / "a__b.txt", "a1"),
        (deep / ("f" * 100 + ".txt"), "a2"),
    ):
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((seeds / f"{source}.txt").read_text())
    rec = tmp_path / "rec"
    proc = run_cli(
        str(folder),
        "-o",
        str(tmp_path / "out"),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--record",
        str(rec),
        "--no-cache",
    )
    assert proc.returncode == 0, proc.stderr
    files = sorted(rec.glob("*.json"))
    assert len(files) == 3 == len(server.history)
    assert all(len(p.name.encode()) <= 255 for p in files)
    labels = sorted(read_json(p)["label"]["document"] for p in files)
    assert labels == sorted(["a/b", "a__b", f"{'d' * 120}/{'e' * 120}/a/{'f' * 100}"])
    # And they replay: every article answered from its own recording.
    proc = run_cli(str(folder), "-o", str(tmp_path / "again"), "--replay", str(rec))
    assert proc.returncode == 0, proc.stderr
    assert read_json(tmp_path / "again" / "run.json")["succeeded"] == 3
