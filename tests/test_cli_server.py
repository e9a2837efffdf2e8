"""The core against a real HTTP server on 127.0.0.1: the CLI in a subprocess and the API.

Covers the cache rules, retries (429 with Retry-After, 500), re-asks, exit codes,
bad input, and that the API key leaks nowhere.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import ArticleResult, Summarizer
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.extract.prompts import load_prompt
from summarizer.testing import FakeOpenAIServer

from .conftest import API_KEY, SEEDS, cli_env

VALID = {
    "summary": "China has many internet users. The number keeps growing.",
    "milestones": [],
    "statistics": [
        {
            "metric": "internet users in China",
            "value": 1079000000,
            "unit": "users",
            "value_text": "1.079 billion",
            "period": "2023-06",
            "evidence": "With a staggering 1.079 billion internet users, China holds the top spot worldwide.",
        }
    ],
    "quotes": [],
}


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer.cli", *args],
        capture_output=True,
        text=True,
        env=env or cli_env(),
        timeout=timeout,
        check=False,
    )


def one_article(folder: Path, name: str = "a.txt", seed: str = "000_7f9170a9a539a144.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text((SEEDS / seed).read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def read_run(out: Path) -> dict[str, Any]:
    return json.loads((out / "run.json").read_text())


@pytest.mark.parametrize("mode", ["tools", "json"])
def test_cli_runs_seeds_in_every_mode(server: FakeOpenAIServer, tmp_path: Path, mode: str) -> None:
    out = tmp_path / "out"
    proc = run_cli(
        str(SEEDS),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--mode",
        mode,
        "--cache-dir",
        str(tmp_path / "cache"),
    )
    assert proc.returncode == 0, proc.stderr
    run = read_run(out)
    assert run["documents"] == 5 and run["succeeded"] == 5 and run["failed"] == []
    assert run["llm_calls"] == 5 == len(server.history)
    assert run["prompt_tokens"] > 0 and run["completion_tokens"] > 0
    lines = (out / "records.jsonl").read_text().splitlines()
    assert [json.loads(line)["document"]["id"] for line in lines] == sorted(
        p.stem for p in SEEDS.glob("*.txt")
    )
    one = ArticleResult.model_validate_json(
        (out / "articles" / "001_4641404722756e64.json").read_text()
    )
    assert one.provenance.mode == mode and one.provenance.endpoint == f"127.0.0.1:{server.port}"
    assert one.provenance.cache_hit is False and one.provenance.llm_calls == 1
    assert any(q.evidence.match == "exact" for q in one.quotes)


def test_cache_rules(server: FakeOpenAIServer, tmp_path: Path) -> None:
    articles = one_article(tmp_path / "in")
    cache = str(tmp_path / "cache")
    common = ["--base-url", server.base_url, "--api-key", API_KEY, "--cache-dir", cache, "-q"]

    first = run_cli(str(articles), "-o", str(tmp_path / "o1"), *common)
    assert first.returncode == 0, first.stderr
    assert len(server.history) == 1
    again = run_cli(str(articles), "-o", str(tmp_path / "o2"), *common)
    assert again.returncode == 0
    assert len(server.history) == 1, "a rerun must not call the model"
    assert read_run(tmp_path / "o2")["cache_hits"] == 1
    hit = json.loads((tmp_path / "o2" / "articles" / "a.json").read_text())
    assert hit["provenance"]["cache_hit"] is True
    assert {k: v for k, v in hit.items() if k != "provenance"} == {
        k: v
        for k, v in json.loads((tmp_path / "o1" / "articles" / "a.json").read_text()).items()
        if k != "provenance"
    }

    def calls_after(**options: Any) -> int:
        settings = dict(base_url=server.base_url, api_key=API_KEY, cache_dir=Path(cache)) | options
        with Summarizer(**settings) as s:
            s.summarize_folder(articles)
        return len(server.history)

    # Same text at another path: a hit (and within one run, sent once).
    (articles / "sub").mkdir()
    (articles / "sub" / "copy.txt").write_text((articles / "a.txt").read_text())
    assert calls_after() == 1
    # A different model, prompt, mode or sampling misses; each then hits.
    assert calls_after(model="other") == 2
    assert calls_after(model="other") == 2
    prompt = tmp_path / "p.toml"
    original = (Path(__file__).parent.parent / "prompts" / "extract.toml").read_text()
    current = load_prompt().version
    prompt.write_text(original.replace(f'version = "{current}"', 'version = "extract-test"'))
    assert calls_after(prompt=str(prompt)) == 3
    assert calls_after(mode="json") == 4
    assert calls_after(temperature=0.7) == 5
    # refresh asks again; use_cache=False neither reads nor writes.
    assert calls_after(refresh=True) == 6
    assert calls_after(use_cache=False) == 7
    assert calls_after() == 7


def test_schema_change_misses(
    server: FakeOpenAIServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.extract.llm as llm

    articles = one_article(tmp_path / "in")
    with Summarizer(base_url=server.base_url, api_key=API_KEY) as s:
        s.summarize_folder(articles)
    monkeypatch.setattr(llm, "schema_fingerprint", lambda: "a different schema")
    with Summarizer(base_url=server.base_url, api_key=API_KEY) as s:
        s.summarize_folder(articles)
    assert len(server.history) == 2


@pytest.mark.parametrize("mode", ["json_schema", "md_json"])
def test_api_in_other_modes(server: FakeOpenAIServer, mode: str) -> None:
    with Summarizer(base_url=server.base_url, api_key=API_KEY, mode=mode) as s:
        result = s.summarize_folder(SEEDS)
    assert result.run.succeeded == 5 and result.run.llm_calls == 5
    body = server.history[0]
    if mode == "json_schema":
        assert body["response_format"]["type"] == "json_schema"
    else:
        assert "tools" not in body and "response_format" not in body
    assert all(a.provenance.mode == mode for a in result.articles)


def test_other_endpoint_misses(tmp_path: Path) -> None:
    articles = one_article(tmp_path / "in")
    with FakeOpenAIServer() as a, FakeOpenAIServer() as b:
        for srv in (a, b, a):
            with Summarizer(base_url=srv.base_url, api_key=API_KEY, cache_dir=tmp_path / "c") as s:
                s.summarize_folder(articles)
        assert (len(a.history), len(b.history)) == (1, 1)


def test_retries_on_429_with_retry_after_and_on_500(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    articles = one_article(tmp_path / "in")
    server.enqueue_faults("429", "500", "ok")
    out = tmp_path / "out"
    proc = run_cli(
        str(articles), "-o", str(out), "--base-url", server.base_url, "--api-key", API_KEY
    )
    assert proc.returncode == 0, proc.stderr
    run = read_run(out)
    assert (run["llm_calls"], run["retries"]) == (3, 2)
    assert server.stats.counts["429"] == 1 and server.stats.counts["500"] == 1
    article = json.loads((out / "articles" / "a.json").read_text())
    assert article["provenance"]["retries"] == 2


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    from summarizer.testing import FaultPlan

    articles = one_article(tmp_path / "in")
    with FakeOpenAIServer(faults=FaultPlan(retry_after=1.0)) as srv:
        srv.enqueue_faults("429", "ok")
        with Summarizer(base_url=srv.base_url, api_key=API_KEY, use_cache=False) as s:
            s.summarize_folder(articles)
        times = [r.time for r in srv.stats.log]
    assert times[1] - times[0] >= 0.95, "the client must wait what Retry-After asks"


def test_gives_up_within_bounds(server: FakeOpenAIServer, tmp_path: Path) -> None:
    articles = one_article(tmp_path / "in")
    server.enqueue_faults(*["500"] * 10)
    out = tmp_path / "out"
    proc = run_cli(
        str(articles),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--max-retries",
        "2",
    )
    assert proc.returncode == 1
    run = read_run(out)
    assert len(server.history) == 3 and run["llm_calls"] == 3
    assert "HTTP 500" in run["failed"][0]["reason"]


def test_period_in_words_is_resolved_without_a_reask(server: FakeOpenAIServer) -> None:
    words = {**VALID, "statistics": [{**VALID["statistics"][0], "period": "June 2023"}]}
    server.enqueue(words)
    with Summarizer(base_url=server.base_url, api_key=API_KEY, strategy="generate") as s:
        result = s.summarize_text((SEEDS / "000_7f9170a9a539a144.txt").read_text())
    assert result.provenance.reasks == 0 and result.provenance.attempts == 1
    assert result.statistics[0].period == "2023-06"


def test_reask_on_unusable_answer(server: FakeOpenAIServer, tmp_path: Path) -> None:
    unusable = {"summary": "", "statistics": [{"value": 3, "unit": "users"}]}
    server.enqueue(unusable, VALID)
    with Summarizer(base_url=server.base_url, api_key=API_KEY, strategy="generate") as s:
        result = s.summarize_text((SEEDS / "000_7f9170a9a539a144.txt").read_text())
    assert result.provenance.reasks == 1 and result.provenance.attempts == 2
    assert len(result.statistics) == len(VALID["statistics"])
    reask = json.dumps(server.history[1]["messages"])
    assert "no record could be used" in reask and "statistics[0] metric" in reask


def test_invalid_answers_exhaust_reasks_and_fail_that_article(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    articles = one_article(tmp_path / "in")
    one_article(articles, "b.txt", "003_54e975f5c95d2ef2.txt")
    bad = {"summary": "", "milestones": [{"date": "someday"}]}
    server.enqueue(bad, bad, bad)  # the first article asked gets three unusable answers
    out = tmp_path / "out"
    proc = run_cli(
        str(articles),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--concurrency",
        "1",
        "--strategy",
        "generate",  # the scripted answers are Extractions
    )
    assert proc.returncode == 1
    run = read_run(out)
    assert run["succeeded"] == 1 and len(run["failed"]) == 1
    assert "failed validation after 3 attempts" in run["failed"][0]["reason"]
    assert (out / "articles" / "b.json").exists()


@pytest.mark.parametrize("strategy", ["candidates", "generate"])
def test_article_braces_reach_the_model_untouched(server: FakeOpenAIServer, strategy: str) -> None:
    text = (
        "Template {{ article }} and {% if x %}braces{% endif %} and {# c #} stay. 5 million users."
    )
    with Summarizer(base_url=server.base_url, api_key=API_KEY, strategy=strategy) as s:
        s.summarize_text(text)
    sent = server.history[0]["messages"][-1]["content"]
    # candidates marks each candidate in the article ("[N1]5 million"); nothing else changes.
    assert text in re.sub(r"\[[NQD]\d+\]", "", sent)
    assert ("[N1]5 million" in sent) == (strategy == "candidates")


def test_exit_2_for_usage_and_configuration(tmp_path: Path) -> None:
    missing = run_cli(
        str(tmp_path / "nope"), "-o", str(tmp_path / "o"), "--base-url", "http://127.0.0.1:9/v1"
    )
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    (tmp_path / "empty").mkdir()
    empty = run_cli(
        str(tmp_path / "empty"), "-o", str(tmp_path / "o"), "--base-url", "http://127.0.0.1:9/v1"
    )
    assert empty.returncode == 2 and "no files matching" in empty.stderr
    no_endpoint = run_cli(str(SEEDS), "-o", str(tmp_path / "o"), "--provider", "openai")
    assert no_endpoint.returncode == 2
    for way in ("OPENAI_API_KEY", "--base-url", "--replay"):
        assert way in no_endpoint.stderr
    assert run_cli("--bogus-flag").returncode == 2
    with pytest.raises(ConfigError):
        Summarizer(Settings(provider="openai"))


def test_unreachable_endpoint_fails_articles_with_reason(tmp_path: Path) -> None:
    articles = one_article(tmp_path / "in")
    out = tmp_path / "out"
    proc = run_cli(
        str(articles),
        "-o",
        str(out),
        "--base-url",
        "http://127.0.0.1:9/v1",
        "--max-retries",
        "1",
    )
    # An endpoint that never answered stops the run (exit 2, as a refused key does)
    # instead of every article waiting out the same retries.
    assert proc.returncode == 2
    assert "cannot reach 127.0.0.1:9" in proc.stderr and "--base-url" in proc.stderr
    assert "cannot reach 127.0.0.1:9" in read_run(out)["failed"][0]["reason"]


def test_bad_inputs_each_get_a_status_and_the_run_goes_on(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    folder = one_article(tmp_path / "in")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG" * 50)
    (folder / "latin1.txt").write_bytes(
        "Le café coûte 3 euros à Paris, dit le président.".encode("latin-1")
    )
    (folder / "huge.txt").write_text("word " * 50_000)
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    out = tmp_path / "out"
    proc = run_cli(
        str(folder),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--api-key",
        API_KEY,
        "--max-chars",
        "100000",
    )
    assert proc.returncode == 1  # the broken link failed
    run = read_run(out)
    reasons = {f["id"]: f["reason"] for f in run["failed"] + run["skipped"]}
    assert reasons["empty"] == "empty file"
    assert reasons["binary"].startswith("binary file")
    assert "over --max-chars" in reasons["huge"]
    assert reasons["broken"].startswith("broken link")
    assert run["succeeded"] == 2
    latin = json.loads((out / "articles" / "latin1.json").read_text())
    assert any("decoded as" in w for w in latin["warnings"])
    assert latin["document"]["encoding"] != "utf-8"


def test_api_key_leaks_nowhere(server: FakeOpenAIServer, tmp_path: Path) -> None:
    articles = one_article(tmp_path / "in")
    out, rec, cache = tmp_path / "out", tmp_path / "rec", tmp_path / "cache"
    proc = run_cli(
        str(articles),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--record",
        str(rec),
        "--cache-dir",
        str(cache),
        "--verbose",
        env=cli_env(OPENAI_API_KEY=API_KEY),
    )
    assert proc.returncode == 0, proc.stderr
    assert server.history, "the key must have been used"
    needle = API_KEY.encode()
    files = [p for d in (out, rec, cache) for p in d.rglob("*") if p.is_file()]
    assert len(files) >= 5
    for path in files:
        assert needle not in path.read_bytes(), f"API key found in {path}"
    assert API_KEY not in proc.stdout + proc.stderr


def test_python_api_text_and_folder(server: FakeOpenAIServer, tmp_path: Path) -> None:
    import summarizer

    result = summarizer.summarize_text(
        (SEEDS / "003_54e975f5c95d2ef2.txt").read_text(),
        id="x",
        base_url=server.base_url,
        api_key=API_KEY,
    )
    assert isinstance(result, ArticleResult) and result.document.id == "x"
    assert any(s.value == 989_000_000 for s in result.statistics)
    folder = summarizer.summarize_folder(SEEDS, base_url=server.base_url, api_key=API_KEY)
    assert folder.run.succeeded == 5 and len(folder.articles) == 5


def test_cached_records_are_regrounded_for_a_different_full_text(
    server: FakeOpenAIServer, tmp_path: Path
) -> None:
    body = (SEEDS / "003_54e975f5c95d2ef2.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(body)
    (folder / "b.txt").write_text("Home » News » China\n" + body)  # the same text for the model
    for _ in range(2):  # the second run is served from the cache
        with Summarizer(base_url=server.base_url, api_key=API_KEY, cache_dir=tmp_path / "c") as s:
            result = s.summarize_folder(folder)
        assert len(server.history) == 1
        a, b = result.articles
        assert a.statistics and len(a.statistics) == len(b.statistics)
        for sa, sb in zip(a.statistics, b.statistics, strict=True):
            assert sa.evidence.start is not None and sb.evidence.start is not None
            assert sb.evidence.start == sa.evidence.start + len("Home » News » China\n")
            assert body[sa.evidence.start : sa.evidence.end] == sa.evidence.text
