"""Shared fixtures: every user folder points into tmp_path; no real endpoint is reachable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RECORDINGS = ROOT / "fixtures" / "recordings"
GOLD = ROOT / "fixtures" / "gold"
API_KEY = "sk-test-SECRET-do-not-leak-0123456789abcdef"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's cache, keys or endpoint."""
    monkeypatch.setenv("SUMMARIZER_CACHE_DIR", str(tmp_path / "user-cache"))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SUMMARIZER_MODEL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """A private copy of seeds/ (tests may add files to it)."""
    dest = tmp_path / "seeds"
    shutil.copytree(SEEDS, dest)
    return dest


@pytest.fixture
def server() -> Iterator[object]:
    """A real OpenAI-compatible HTTP server on 127.0.0.1."""
    from summarizer.testing import FakeOpenAIServer

    with FakeOpenAIServer() as srv:
        yield srv


def cli_env(**extra: str) -> dict[str, str]:
    """Environment for running the CLI in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.update(extra)
    return env
