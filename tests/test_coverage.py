"""Tests for the recall cross-check: what the scanner finds that no record covers."""

from __future__ import annotations

from pathlib import Path

from summarizer.evaluate import load_results
from summarizer.ground.coverage import uncovered
from summarizer.load.documents import Article, load_article
from summarizer.records import ArticleResult, Document, Evidence, Provenance, Quote, Statistic

ROOT = Path(__file__).resolve().parent.parent

TEXT = (
    "By the end of 2022, the number of online shoppers in China topped 845 million, while a "
    "total of 363 million people had access to internet-based medical services.\n\n"
    "The scale of the digital economy surpassed 50 trillion yuan (around 7 trillion U.S. "
    "dollars) in 2022.\n\n"
    "“Now, with cell phones as our new farm tools, the villagers are expecting more,” Song said.\n\n"
    "Song sold the fruit to millions of “very happy customers” across the country."
)


def _span(text: str, part: str) -> Evidence:
    start = TEXT.index(part)
    return Evidence(text=part, start=start, end=start + len(part), match="exact", score=100.0)


def _result(statistics: list[Statistic], quotes: list[Quote]) -> ArticleResult:
    doc = Document(id="a", path="a.txt", sha256="0" * 64, chars=len(TEXT))
    prov = Provenance(model="m", endpoint=None, mode="tools", prompt_version="1")
    return ArticleResult(
        document=doc, summary="", statistics=statistics, quotes=quotes, provenance=prov
    )


def test_lists_what_no_record_covers() -> None:
    first = TEXT.split("\n\n")[0]
    shoppers = Statistic(
        metric="online shoppers in China", value=845e6, unit="shoppers",
        value_text="845 million", evidence=_span(TEXT, first),
    )  # fmt: skip
    coverage = uncovered(TEXT, _result([shoppers], []))
    # Both numbers of the first sentence are covered by its evidence; the conversion in
    # brackets is not a candidate of its own; the scare quote is no quote.
    assert [(u.kind, u.text) for u in coverage.quantities] == [("quantity", "50 trillion yuan")]
    assert [(u.text, u.hint) for u in coverage.quotes] == [
        ("Now, with cell phones as our new farm tools, the villagers are expecting more", "Song")
    ]
    assert (coverage.scanned_quantities, coverage.scanned_quotes, coverage.count) == (3, 1, 2)
    for u in [*coverage.quantities, *coverage.quotes]:
        assert TEXT[u.start : u.end] == u.text
        assert u.text in u.sentence


def test_a_quote_with_partial_evidence_is_covered() -> None:
    quote_words = "the villagers are expecting more"
    q = Quote(speaker="Song", text=quote_words, evidence=_span(TEXT, quote_words))
    coverage = uncovered(TEXT, _result([], [q]))
    assert coverage.quotes == []


def test_evidence_without_offsets_covers_nothing() -> None:
    lost = Statistic(
        metric="m", value=50e12, unit="CNY", value_text="50 trillion yuan",
        evidence=Evidence(text="not in the article", match="none"),
    )  # fmt: skip
    coverage = uncovered(TEXT, _result([lost], []))
    assert "50 trillion yuan" in [u.text for u in coverage.quantities]


def test_the_gold_covers_every_seed_candidate() -> None:
    # The gold annotates every figure and quote of the seeds, so the scanner finds
    # nothing beyond it: a scanner false positive on news wording would show here.
    gold = load_results(ROOT / "fixtures" / "gold")
    for doc_id, result in gold.items():
        article = load_article(ROOT / "seeds" / f"{doc_id}.txt", ROOT / "seeds")
        assert isinstance(article, Article)
        coverage = uncovered(article.text, result, title=article.title)
        assert coverage.count == 0, (doc_id, coverage)
        assert coverage.scanned_quantities == len(result.statistics)
        assert coverage.scanned_quotes == len(result.quotes)
