"""The default strategy is ``candidates``; the fake endpoint answers it; recordings keep theirs.

Real local models score higher with candidates (README, BENCHMARKS.md "Real models"),
so it is the default of :class:`Settings`, the CLI and the API. The fake endpoint
(``summarizer.testing``) must then answer a candidates request with valid labels in
every mode, and the authored recordings, written for ``generate``, keep being checked
under the strategy they answer.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from summarizer import ArticleResult, Summarizer
from summarizer.api import check_recordings, recorded_strategy
from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.extract.candidates import Labels, find_candidates, render
from summarizer.records import Extraction
from summarizer.testing import FakeOpenAIServer, labels_responder, requested_schema
from summarizer.testing._responders import EXTRACTION_SCHEMA, LABELS_SCHEMA

from .conftest import API_KEY, RECORDINGS, ROOT, SEEDS, cli_env

REAL = RECORDINGS.parent / "recordings-real" / "qwen2.5-coder-0.5b"
MODES = ["tools", "json", "json_schema", "md_json"]
# What salvage says about a bad answer (extract/salvage.py, extract/candidates.py).
SALVAGE_NOTES = ("dropped ", "cut off", "incomplete JSON", "unknown candidates", "no JSON")


def salvaged(warnings: list[str]) -> list[str]:
    return [w for w in warnings if any(note in w for note in SALVAGE_NOTES)]


def test_the_default_is_candidates_in_settings_and_the_cli_help() -> None:
    assert Settings().strategy == "candidates"
    proc = subprocess.run(
        [sys.executable, "-m", "summarizer.cli", "run", "--help"],
        capture_output=True,
        text=True,
        env=cli_env(COLUMNS="200"),
        timeout=60,
        check=True,
    )
    assert "(default candidates)" in " ".join(proc.stdout.split())


def test_the_fake_endpoint_knows_both_schemas_by_name() -> None:
    # The fake picks its answer by the schema's name: a rename must be noticed here.
    assert (Labels.__name__, Extraction.__name__) == (LABELS_SCHEMA, EXTRACTION_SCHEMA)


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_gets_valid_labels_and_grounded_records(mode: str) -> None:
    text = (SEEDS / "001_4641404722756e64.txt").read_text(encoding="utf-8")
    with (
        FakeOpenAIServer() as server,
        Summarizer(base_url=server.base_url, api_key=API_KEY, mode=mode, use_cache=False) as s,
    ):
        result = s.summarize_text(text, id="001")
        request = server.history[0]
    assert requested_schema(request) == LABELS_SCHEMA
    assert server.stats.counts["ok"] == 1 and server.stats.counts["truncated"] == 0
    # A valid answer: no record dropped, nothing cut off, no re-ask.
    assert salvaged(result.warnings) == [] and result.provenance.reasks == 0
    assert result.provenance.prompt_version.startswith("candidates")
    assert result.statistics and result.quotes and result.milestones
    evidences = [r.evidence for r in result.statistics]
    evidences += [r.evidence for r in result.quotes] + [r.evidence for r in result.milestones]
    for evidence in evidences:
        assert evidence.match == "exact"
        assert text[evidence.start : evidence.end] == evidence.text


def _labels_request(text: str, **extra: Any) -> dict[str, Any]:
    cands = find_candidates(text)
    return {"messages": [{"role": "user", "content": render(cands)}], **extra}


def test_labels_follow_the_marks_and_the_guesses() -> None:
    text = (SEEDS / "001_4641404722756e64.txt").read_text(encoding="utf-8")
    cands = find_candidates(text)
    answer = Labels.model_validate(labels_responder(_labels_request(text)))
    assert [label.id for label in answer.statistics] == list(range(1, len(cands.numbers) + 1))
    kept = {label.id for label in answer.statistics if label.keep}
    assert cands.proposed_numbers and kept == cands.proposed_numbers
    assert all(label.metric for label in answer.statistics if label.keep)
    assert {label.id for label in answer.quotes} <= set(range(1, len(cands.quotes) + 1))
    first = answer.summary.split(". ")[0]
    assert first and first in text


def test_labels_without_guesses_keep_every_number_with_a_metric() -> None:
    article = (
        "Lakeview opened a new library in March 2024. It holds 85,000 books and cost "
        "4 million euros."
    )
    marked = "<article>\nLakeview opened a new library [D1]in March 2024. It holds [N1]85,000 "
    marked += "books and cost [N2]4 million euros.\n</article>"
    answer = labels_responder({"messages": [{"role": "user", "content": marked}]})
    labels = Labels.model_validate(answer)
    assert [(n.id, n.keep) for n in labels.statistics] == [(1, True), (2, True)]
    # The words after the number, else the ones before it (no metric was guessed).
    assert labels.statistics[0].metric == "books"
    assert "cost" in (labels.statistics[1].metric or "")
    event = labels.milestones[0].event
    assert labels.milestones[0].keep and event is not None and event in article


def test_labels_fit_the_requests_budget() -> None:
    text = (SEEDS / "001_4641404722756e64.txt").read_text(encoding="utf-8")
    full = json.dumps(labels_responder(_labels_request(text)), ensure_ascii=False)
    budget = len(full) // 4 // 2
    cut = labels_responder(_labels_request(text, max_tokens=budget))
    assert len(json.dumps(cut, ensure_ascii=False)) <= budget * 4 < len(full)
    assert Labels.model_validate(cut).summary  # still a whole, valid answer


def test_requested_schema_in_every_mode() -> None:
    schema = json.dumps(Labels.model_json_schema())
    assert requested_schema({"tools": [{"type": "function", "function": {"name": "Labels"}}]}) == (
        "Labels"
    )
    rf = {"type": "json_schema", "json_schema": {"name": "Labels", "schema": {}}}
    assert requested_schema({"response_format": rf, "messages": []}) == "Labels"
    system = {"role": "system", "content": f"Answer with JSON matching:\n{schema}\n"}
    assert requested_schema({"messages": [system]}) == "Labels"
    assert requested_schema({"messages": [{"role": "user", "content": "hi"}]}) is None


@pytest.mark.timeout(120)
def test_default_cli_run_against_the_fake_endpoint_process(tmp_path: Path) -> None:
    """What the benchmarks do: ``python -m summarizer.testing``, then the CLI, no --strategy."""
    server = subprocess.Popen(
        [sys.executable, "-m", "summarizer.testing", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        out = tmp_path / "out"
        proc = subprocess.run(
            [
                *(sys.executable, "-m", "summarizer.cli", str(SEEDS), "-o", str(out)),
                *("--base-url", url, "--api-key", API_KEY, "--no-cache", "-q"),
            ],
            capture_output=True,
            text=True,
            env=cli_env(),
            timeout=100,
            check=False,
        )
    finally:
        server.send_signal(signal.SIGTERM)
        server.communicate(timeout=10)
    assert proc.returncode == 0, proc.stderr
    run = json.loads((out / "run.json").read_text())
    assert run["succeeded"] == 5 and run["failed"] == [] and run["reasks"] == 0
    statistics = 0
    for path in sorted((out / "articles").glob("*.json")):
        article = ArticleResult.model_validate_json(path.read_text())
        assert article.provenance.prompt_version.startswith("candidates")
        assert salvaged(article.warnings) == []
        assert all(s.evidence.match == "exact" and s.value is not None for s in article.statistics)
        statistics += len(article.statistics)
    assert statistics >= 5


# --------------------------------------------------------------------------- recordings


def test_recordings_say_which_strategy_they_answer(tmp_path: Path) -> None:
    assert recorded_strategy(RECORDINGS) == "generate"  # authored: their requests ask Extraction
    assert recorded_strategy(REAL) == "candidates"  # recorded_with.strategy
    mixed = tmp_path / "mixed"
    shutil.copytree(RECORDINGS, mixed)
    shutil.copy(next(REAL.glob("*.json")), mixed)
    with pytest.raises(ConfigError, match="mix strategies"):
        recorded_strategy(mixed)


def test_checking_recordings_under_another_strategy_finds_them_stale(tmp_path: Path) -> None:
    copy = tmp_path / "rec"
    shutil.copytree(RECORDINGS, copy)
    before = {p.name: p.read_bytes() for p in copy.glob("*.json")}
    assert check_recordings(SEEDS, copy).report.ok  # the set's own strategy: generate
    wrong = check_recordings(SEEDS, copy, strategy="candidates")
    assert wrong.report.stale and not wrong.report.ok
    assert {p.name: p.read_bytes() for p in copy.glob("*.json")} == before  # no --write


def test_rewriting_recordings_that_do_not_say_their_strategy_needs_it_named(
    tmp_path: Path,
) -> None:
    # What fixtures/build_recordings.py leaves: answers with an empty request side.
    copy = tmp_path / "rec"
    shutil.copytree(RECORDINGS, copy)
    for path in copy.glob("*.json"):
        data = json.loads(path.read_text())
        path.write_text(json.dumps({**data, "key": None, "conversation": None, "request": None}))
    assert recorded_strategy(copy) is None
    with pytest.raises(ConfigError, match="--strategy"):
        check_recordings(SEEDS, copy, write=True)
    written = check_recordings(SEEDS, copy, strategy="generate", write=True)
    assert len(written.rewritten) == 6  # the md_json one answers another mode
    assert recorded_strategy(copy) == "generate"
    assert check_recordings(SEEDS, copy).report.ok
