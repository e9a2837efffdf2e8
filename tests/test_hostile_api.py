"""The Python API used the ways people do: many loops, async with, notebooks, wrong types."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import summarizer
from summarizer import ArticleResult, Summarizer
from summarizer.errors import InputError
from summarizer.testing import FakeOpenAIServer

from .conftest import API_KEY, SEEDS

TEXT = (SEEDS / "003_54e975f5c95d2ef2.txt").read_text(encoding="utf-8")


def _options(server: FakeOpenAIServer, **more: Any) -> dict[str, Any]:
    return {"base_url": server.base_url, "api_key": API_KEY, "use_cache": False, **more}


def test_one_summarizer_serves_two_event_loops(server: FakeOpenAIServer) -> None:
    s = Summarizer(**_options(server))
    first = asyncio.run(s.asummarize_text("Call one.\n\n" + TEXT, id="one"))
    second = asyncio.run(s.asummarize_text("Call two.\n\n" + TEXT, id="two"))
    assert (first.document.id, second.document.id) == ("one", "two")
    assert len(server.history) == 2
    # And the sync API after the async one, and the other way round.
    assert s.summarize_text("Call three.\n\n" + TEXT, id="three").document.id == "three"
    assert asyncio.run(s.asummarize_text("Call 4.\n\n" + TEXT, id="four")).document.id == "four"
    assert len(server.history) == 4
    s.close()


def test_async_with(server: FakeOpenAIServer, tmp_path: Path) -> None:
    async def main() -> ArticleResult:
        async with Summarizer(**_options(server)) as s:
            return await s.asummarize_text(TEXT)

    assert isinstance(asyncio.run(main()), ArticleResult)


def test_the_sync_api_works_inside_a_running_loop(server: FakeOpenAIServer, tmp_path: Path) -> None:
    """As in a Jupyter cell: a loop is running in this thread."""

    async def cell() -> tuple[ArticleResult, ArticleResult, int]:
        with Summarizer(**_options(server)) as s:
            one = s.summarize_text(TEXT, id="nb")
            folder = s.summarize_folder(SEEDS, tmp_path / "out")
        two = summarizer.summarize_text(TEXT, id="module", **_options(server))
        return one, two, folder.run.succeeded

    one, two, succeeded = asyncio.run(cell())
    assert (one.document.id, two.document.id, succeeded) == ("nb", "module", 5)
    assert (tmp_path / "out" / "records.jsonl").is_file()


@pytest.mark.parametrize("bad", [b"bytes of an article", None, 42])
def test_text_that_is_not_a_str_raises_our_error(server: FakeOpenAIServer, bad: Any) -> None:
    with Summarizer(**_options(server)) as s:
        with pytest.raises(InputError, match="must be a str"):
            s.summarize_text(bad)
        with pytest.raises(InputError, match="must be a str"):
            asyncio.run(s.asummarize_text(bad))
    assert server.history == []
