"""The public surface: sorted exports, docstrings, exported schemas, start-up cost."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

import summarizer
from summarizer.schemas import render_schemas

from .conftest import ROOT

PUBLIC_MODULES = [
    "summarizer",
    "summarizer.records",
    "summarizer.errors",
    "summarizer.config",
    "summarizer.api",
    "summarizer.load.documents",
    "summarizer.engine.cache",
    "summarizer.extract.transport",
    "summarizer.extract.replay",
    "summarizer.ground.align",
    "summarizer.ground.normalize",
    "summarizer.extract.chunking",
    "summarizer.evaluate",
    "summarizer.testing",
]


def _isort_key(name: str) -> tuple[int, str]:
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_documented(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    # isort style, as ruff sorts it: CONSTANTS, then Classes, then functions.
    assert exported == sorted(exported, key=_isort_key), f"{name}.__all__ is not sorted"
    assert module.__doc__, f"{name} has no module docstring"
    for attr in exported:
        obj = getattr(module, attr)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert obj.__doc__, f"{name}.{attr} has no docstring"


def test_top_level_api() -> None:
    for name in (
        "Summarizer",
        "summarize_text",
        "summarize_folder",
        "asummarize_text",
        "asummarize_folder",
    ):
        assert callable(getattr(summarizer, name))
    assert issubclass(summarizer.ExtractionError, summarizer.SummarizerError)
    assert issubclass(summarizer.ConfigError, summarizer.SummarizerError)
    with pytest.raises(AttributeError):
        summarizer.nothing_here  # noqa: B018


def test_checked_in_schemas_are_current() -> None:
    for name, text in render_schemas().items():
        path = ROOT / "schemas" / name
        assert path.read_text(encoding="utf-8") == text, f"{name} is stale: run `summarize schemas`"


def test_help_does_not_import_openai() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from summarizer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try: main(['--help'])\n"
        "    except SystemExit: pass\n"
        "    try: main(['run', '--help'])\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in ('openai', 'instructor', 'pydantic', 'rich') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
