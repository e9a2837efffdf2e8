"""The engine with an in-process fake extractor: cache policy, failures, coalescing, sums."""

from __future__ import annotations

import asyncio
import pickle
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.config import Settings
from summarizer.engine import Engine
from summarizer.errors import EndpointError
from summarizer.extract.fake import FakeExtractor
from summarizer.load.documents import Article, make_article
from summarizer.records import (
    ArticleOutcome,
    CallCounts,
    ExtractedQuote,
    ExtractedStatistic,
    Extraction,
    RunReport,
)

TEXT = (
    "LONDON, March 3 -- Sales rose to 5 million units in 2020, the company said.\n\n"
    '"We are very pleased with these results," said Jane Doe, the chief executive.\n'
)


def article(text: str = TEXT, id: str = "a") -> Article:
    loaded = make_article(text, id=id, path=f"{id}.txt")
    assert isinstance(loaded, Article)
    return loaded


def answer() -> Extraction:
    return Extraction(
        summary="Sales rose.",
        statistics=[
            ExtractedStatistic(
                metric="units sold",
                value=5_000_000,
                unit="units",
                value_text="5 million units",
                period="2020",
                evidence="Sales rose to 5 million units in 2020, the company said.",
            )
        ],
        quotes=[
            ExtractedQuote(
                speaker="Jane Doe",
                text="We are very pleased with these results,",
                evidence='"We are very pleased with these results," said Jane Doe, the chief executive.',
            )
        ],
    )


def settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(cache_dir=tmp_path / "cache", **kw)  # type: ignore[arg-type]


def test_process_grounds_and_caches(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    engine = Engine(settings(tmp_path), extractor=fake)

    first = asyncio.run(engine.process(article()))
    assert first.status == "done" and first.result is not None
    stat = first.result.statistics[0]
    assert stat.value == 5_000_000 and stat.evidence.match == "exact"
    assert TEXT[stat.evidence.start : stat.evidence.end] == stat.evidence.text  # type: ignore[misc]
    assert first.result.provenance.provider == "fake"
    coverage = first.result.coverage  # the recall cross-check: both candidates are covered
    assert coverage is not None and coverage.count == 0
    assert coverage.scanned_quantities >= 1 and coverage.scanned_quotes == 1
    assert first.calls.llm_calls == 1

    again = asyncio.run(Engine(settings(tmp_path), extractor=fake).process(article()))
    assert again.status == "cached" and again.calls == CallCounts()
    assert len(fake.history) == 1  # the second engine read the cache, not the extractor
    assert again.result is not None and again.result.provenance.cache_hit
    assert again.result.statistics == first.result.statistics

    # The same text under another id is the same cache entry.
    other = asyncio.run(Engine(settings(tmp_path), extractor=fake).process(article(id="b")))
    assert other.status == "cached" and other.result is not None
    assert other.result.document.id == "b"


def test_refresh_and_no_cache_ask_again(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    asyncio.run(Engine(settings(tmp_path), extractor=fake).process(article()))
    asyncio.run(Engine(settings(tmp_path, refresh=True), extractor=fake).process(article()))
    asyncio.run(Engine(settings(tmp_path, use_cache=False), extractor=fake).process(article()))
    assert len(fake.history) == 3


def test_a_failure_is_an_outcome_not_an_exception(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    error = EndpointError("server said no")
    error.calls = CallCounts(llm_calls=3, retries=2)
    fake.enqueue(error)
    engine = Engine(settings(tmp_path), extractor=fake)
    failed = asyncio.run(engine.process(article()))
    assert failed.status == "failed" and failed.reason == "server said no"
    assert failed.result is None and failed.calls.llm_calls == 3
    with pytest.raises(EndpointError):
        fake.enqueue(EndpointError("again"))
        asyncio.run(engine.process(article(), raise_errors=True))
    # Nothing was cached for the failures: the next call asks and succeeds.
    assert asyncio.run(engine.process(article())).status == "done"


def test_an_internal_error_fails_only_that_article(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    fake.enqueue(RuntimeError("bug"))
    engine = Engine(settings(tmp_path), extractor=fake)
    outcome = asyncio.run(engine.process(article()))
    assert outcome.status == "failed" and "internal error: RuntimeError: bug" in (
        outcome.reason or ""
    )


def test_identical_texts_in_flight_are_extracted_once(tmp_path: Path) -> None:
    class Slow(FakeExtractor):
        async def extract(self, art: Article):  # type: ignore[no-untyped-def]
            await asyncio.sleep(0.05)
            return await super().extract(art)

    for use_cache in (True, False):
        fake = Slow(answer())
        engine = Engine(settings(tmp_path / str(use_cache), use_cache=use_cache), extractor=fake)

        async def both(engine: Engine = engine) -> list[ArticleOutcome]:
            return list(
                await asyncio.gather(
                    engine.process(article(id="x")), engine.process(article(id="y"))
                )
            )

        outcomes = asyncio.run(both())
        assert len(fake.history) == 1
        assert [o.status for o in outcomes] == ["done", "done"]
        assert sum(o.calls.llm_calls for o in outcomes) == 1
        assert {o.result.document.id for o in outcomes if o.result} == {"x", "y"}
        # With caching the copy says cache_hit whichever finished first (as a later copy,
        # served by the cache, would); without caching neither does (as on a rerun).
        hits = sorted(o.result.provenance.cache_hit for o in outcomes if o.result)
        assert hits == ([False, True] if use_cache else [False, False])


def test_outcomes_pickle_and_sum_into_the_run_report(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    fake.enqueue(answer(), EndpointError("no"))
    engine = Engine(settings(tmp_path, use_cache=False), extractor=fake)
    done = asyncio.run(engine.process(article()))
    failed = asyncio.run(engine.process(article(TEXT + "More.\n", id="b")))
    skipped = ArticleOutcome(id="c", path="c.txt", status="skipped", reason="empty file")
    report = RunReport()
    for outcome in (done, failed, skipped):
        copy = pickle.loads(pickle.dumps(outcome))
        assert copy == outcome
        report.add(copy)
    assert (report.succeeded, len(report.failed), len(report.skipped)) == (1, 1, 1)
    assert report.llm_calls == 1 and report.failed[0].reason == "no"


def test_summarizer_takes_any_extractor(tmp_path: Path) -> None:
    fake = FakeExtractor(answer())
    with Summarizer(settings(tmp_path), extractor=fake) as s:
        result = s.summarize_text(TEXT, id="t")
    assert result.quotes[0].speaker == "Jane Doe"
    assert result.quotes[0].evidence.match == "exact"


def test_default_provider_is_rules_without_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().effective_provider == "rules"
    assert Settings(base_url="http://127.0.0.1:9/v1").effective_provider == "openai"
    monkeypatch.setenv("SUMMARIZER_MODEL", "my-model")
    assert Settings().with_env().model == "my-model"


def test_coverage_lists_what_the_extractor_skipped(tmp_path: Path) -> None:
    skipped_quote = answer().model_copy(update={"quotes": []})
    engine = Engine(settings(tmp_path), extractor=FakeExtractor(skipped_quote))
    outcome = asyncio.run(engine.process(article()))
    assert outcome.result is not None and outcome.result.coverage is not None
    (left,) = outcome.result.coverage.quotes
    assert TEXT[left.start : left.end] == left.text and "very pleased" in left.text
    report = RunReport()
    report.add(outcome)
    assert report.uncovered == 1


def test_periods_resolve_against_the_articles_own_date(tmp_path: Path) -> None:
    dated = "Published: 3 March 2021\n\n" + TEXT.replace("in 2020", "last year")
    loaded = article(dated)
    assert loaded.published == "2021-03-03"
    stat = (
        answer()
        .statistics[0]
        .model_copy(
            update={
                "period": "last year",
                "evidence": "Sales rose to 5 million units last year, the company said.",
            }
        )
    )
    fake = FakeExtractor(answer().model_copy(update={"statistics": [stat]}))
    outcome = asyncio.run(Engine(settings(tmp_path), extractor=fake).process(loaded))
    assert outcome.result is not None
    assert outcome.result.statistics[0].period == "2020"


def test_without_a_cache_the_kept_answers_are_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Copies reuse a recent answer; the store of answers never outgrows its bound."""
    import summarizer.engine as engine_module

    monkeypatch.setattr(engine_module, "KEPT_ANSWERS", 3)
    fake = FakeExtractor(answer())
    engine = Engine(settings(tmp_path, use_cache=False), extractor=fake)
    texts = [f"{TEXT}\nStory {n}.\n" for n in range(5)]

    async def run() -> list[str]:
        statuses = []
        for n, text in enumerate([*texts, texts[4], texts[0]]):
            outcome = await engine.process(article(text, id=f"a{n}"))
            statuses.append(outcome.status)
            assert len(engine._answers) <= 3
        return statuses

    assert asyncio.run(run()) == ["done"] * 7
    asked = [a.id for a in fake.history]
    # the copy of the newest text was answered from memory; the oldest had been let go
    assert asked == ["a0", "a1", "a2", "a3", "a4", "a6"]
