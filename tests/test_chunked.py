"""A long article is split, extracted per chunk, mapped back and de-duplicated."""

from __future__ import annotations

from summarizer import Summarizer
from summarizer.testing import FakeOpenAIServer

from .conftest import API_KEY, SEEDS


def test_long_article_is_chunked_and_offsets_index_the_whole_text(server: FakeOpenAIServer) -> None:
    text = "\n\n".join(
        (SEEDS / name).read_text(encoding="utf-8")
        for name in (
            "001_4641404722756e64.txt",
            "003_54e975f5c95d2ef2.txt",
            "004_777a6af17b3ba81c.txt",
        )
    )
    with Summarizer(base_url=server.base_url, api_key=API_KEY, max_input_tokens=900) as s:
        result = s.summarize_text(text, id="long")
    assert result.provenance.chunks == len(server.history) >= 3
    assert "article split into" in result.warnings[0]
    records = [*result.milestones, *result.statistics, *result.quotes]
    assert records
    for record in records:
        ev = record.evidence
        assert ev.start is not None and ev.end is not None
        assert text[ev.start : ev.end] == ev.text
    # Records from the overlap between chunks appear once.
    keys = [(r.evidence.start, r.evidence.end, getattr(r, "value", None)) for r in records]
    assert len(keys) == len(set(keys))
    # The article's last statistic, only in the last chunk, is found at its place.
    late = [
        s for s in result.statistics if s.evidence.start and s.evidence.start > len(text) - 2500
    ]
    assert late
    assert len(result.summary.split(". ")) <= 8


def test_short_article_is_one_chunk(server: FakeOpenAIServer) -> None:
    with Summarizer(base_url=server.base_url, api_key=API_KEY) as s:
        result = s.summarize_text((SEEDS / "003_54e975f5c95d2ef2.txt").read_text(encoding="utf-8"))
    assert result.provenance.chunks == 1 == len(server.history)
