"""A record's sources stream from the brief store into the writers (issue 13).

The StoredBrief hands each record's sources over as an iterator fed by one ordered query
per record type; the writers (brief.json, the CSV files, summary.md, report.html) take
them as they come. Checked here: the bytes are still ``Brief.model_dump_json(indent=2)``
(duplicates, records without sources or offsets, both readers), the order and the
``grounded`` flag come from SQL as before, the CSV cell is cut for spreadsheets, and
writing a record with thousands of sources holds none of them.
"""

from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

import pytest

from summarizer.corpus.consolidate import Brief, Consolidator
from summarizer.corpus.models import BriefReader, ConsolidatedMilestone, Source
from summarizer.corpus.stored import StoredBrief
from summarizer.outputs._walk import CELL_CHARS
from summarizer.outputs.brief import (
    sources_cell,
    write_brief_json,
    write_brief_outputs,
    write_csvs,
    write_summary_md,
)
from summarizer.records import ArticleResult, Milestone
from tests.test_consolidate import ev, mile, quote, result, stat


def _stored(results: list[ArticleResult], *, keep_ungrounded: bool = False) -> StoredBrief:
    c = Consolidator(keep_ungrounded=keep_ungrounded)
    for r in results:
        c.add(r)
    return c.finish()


def _mixed() -> list[ArticleResult]:
    """Merged records across articles, an exact duplicate, offsets missing, a conflict."""
    return [
        result(
            "b",
            stat("population of China", 1.4e9, "people", "2020", at=40),
            stat("online shoppers in China", 845e6, "people", "2022", at=5),
            mile("2014-03", "The market opened to foreign banks.", at=7),
            quote("Xi Jinping", "We must seize the opportunity.", at=90),
        ),
        result(
            "a",
            stat("population of China", 1.4e9, "people", "2020", at=12),
            stat("online shoppers in China", 900e6, "people", "2022", at=3),
            stat("online shoppers in China", 700e6, "people", "2019", at=60),
            mile("2014-03", "The market opened to foreign banks.", at=7),
            mile(None, "Nothing is dated here.", match="none"),
            quote("Xi", "We must seize the opportunity.", at=30),
        ),
        result("c", stat("GDP growth", 6.1, "percent", "2019"), duplicate_of="a"),
        result("d", stat("number of provinces", 34.0, "provinces", match="none")),
    ]


@pytest.mark.parametrize("keep", [False, True])
def test_brief_json_is_the_models_bytes_for_both_readers(tmp_path: Path, keep: bool) -> None:
    stored = _stored(_mixed(), keep_ungrounded=keep)
    whole = stored.to_brief()
    expected = whole.model_dump_json(indent=2) + "\n"
    assert whole.counts().conflicts == 1 and whole.counts().exact_duplicates == 1
    (tmp_path / "s").mkdir()
    (tmp_path / "m").mkdir()
    assert write_brief_json(stored, tmp_path / "s").read_text() == expected
    assert write_brief_json(whole, tmp_path / "m").read_text() == expected
    # Every other output is the same from either reader.
    for reader, out in ((stored, tmp_path / "s"), (whole, tmp_path / "m")):
        write_brief_outputs(reader, out, articles=lambda: iter(()), text_for=lambda _: None)
    for name in ("statistics.csv", "milestones.csv", "quotes.csv", "summary.md", "report.html"):
        assert (tmp_path / "s" / name).read_bytes() == (tmp_path / "m" / name).read_bytes(), name
    stored.close()


def test_sources_come_in_order_with_a_copy_per_duplicate_and_grounded_from_sql() -> None:
    stored = _stored(_mixed(), keep_ungrounded=True)
    population = next(s for s in stored.iter_statistics() if s.period == "2020")
    # a (12) before b (40); the copy of a's source for its exact duplicate c sits at "c".
    assert [(s.doc_id, s.start) for s in population.sources] == [("a", 12), ("b", 40), ("c", 12)]
    undated = next(s for s in stored.iter_statistics() if s.period is None)
    assert undated.grounded is False and undated.sources[0].start is None
    assert population.grounded is True
    (opened, nothing) = stored.iter_timeline()
    assert [s.doc_id for s in opened.sources] == ["a", "b", "c"]
    assert nothing.grounded is False
    (speaker,) = stored.iter_quotes_by_speaker()
    assert [(s.doc_id, s.start) for s in speaker.quotes[0].sources] == [
        ("a", 30),
        ("b", 90),
        ("c", 30),
    ]
    stored.close()


def test_a_reader_may_stop_early_and_skip_records() -> None:
    stored = _stored(_mixed())
    firsts = [next(sources).doc_id for _, sources in stored.iter_statistics_streamed()]
    assert firsts == [s.sources[0].doc_id for s in stored.to_brief().statistics]
    untouched = [m.id for m, _ in stored.iter_timeline_streamed()]
    assert untouched == [m.id for m in stored.to_brief().timeline]
    stored.close()


def test_records_without_sources_or_offsets_keep_their_bytes(tmp_path: Path) -> None:
    brief = Brief(
        documents=[],
        statistics=[],
        series={},
        conflicts=[],
        timeline=[
            ConsolidatedMilestone(id="M1", date=None, event="No source.", sources=[]),
            ConsolidatedMilestone(
                id="M2",
                date="2020",
                event='Quoted "text"\nwith a line break.',
                sources=[Source(doc_id="x", text="é \u2028 \x1f", match="none")],
            ),
        ],
        quotes_by_speaker=[],
        warnings={"x": ["a warning"]},
        ungrounded=1,
    )
    assert write_brief_json(brief, tmp_path).read_text() == brief.model_dump_json(indent=2) + "\n"
    write_csvs(brief, tmp_path)
    with (tmp_path / "milestones.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["source_count"], r["sources"], r["evidence"]) for r in rows] == [
        ("0", "", ""),
        ("1", "x:?", "é \u2028 \x1f"),
    ]


def _one_record_with(n: int) -> list[ArticleResult]:
    """One article stating one event ``n`` times (one record, ``n`` sources)."""
    event = "The central bank cut its main interest rate again."
    records = [Milestone(date="2015", event=event, evidence=ev(event, i * 60)) for i in range(n)]
    return [result("doc", *records), result("doc-copy", duplicate_of="doc")]


def test_the_csv_cell_is_cut_for_spreadsheets_and_brief_json_keeps_every_source(
    tmp_path: Path,
) -> None:
    stored = _stored(_one_record_with(2_000))
    write_csvs(stored, tmp_path)
    with (tmp_path / "milestones.csv").open(newline="", encoding="utf-8") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["source_count"] == "4000"
    assert len(row["sources"]) <= CELL_CHARS + 40 < 32_767
    listed = row["sources"].split("; ")
    assert listed[0] == "doc:0-50" and listed[1] == "doc:60-110"
    assert listed[-1] == f"… and {4000 - len(listed) + 1} more (see brief.json)"
    assert sources_cell(stored.to_brief().timeline[0].sources) == row["sources"]
    write_brief_json(stored, tmp_path)
    written = (tmp_path / "brief.json").read_text()
    assert written.count('"doc_id": "doc-copy"') == 2_000
    assert written == stored.to_brief().model_dump_json(indent=2) + "\n"
    write_summary_md(stored, tmp_path)
    assert "`doc`, `doc-copy` (" not in (tmp_path / "summary.md").read_text()
    assert "(`doc`, `doc-copy`)" in (tmp_path / "summary.md").read_text()
    stored.close()


def _write_peak(stored: StoredBrief, out: Path) -> int:
    tracemalloc.start()
    try:
        write_brief_outputs(stored, out, articles=lambda: iter(()), text_for=lambda _: None)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_writing_a_record_with_thousands_of_sources_holds_none_of_them(tmp_path: Path) -> None:
    small, large = _stored(_one_record_with(300)), _stored(_one_record_with(6_000))
    _write_peak(small, tmp_path / "warm")  # imports, templates, caches
    peak_small = _write_peak(small, tmp_path / "small")
    peak_large = _write_peak(large, tmp_path / "large")
    # Built whole, 11,400 more sources weigh ~7 MB (0.65 KB each); streamed, the large
    # record costs its longer CSV cell (capped at 32,000 characters) and little else.
    assert peak_large - peak_small < 400_000, (peak_small, peak_large)
    assert (tmp_path / "large" / "brief.json").stat().st_size > 2_000_000
    small.close()
    large.close()


def _both_are_readers(brief: Brief, stored: StoredBrief) -> list[BriefReader]:
    # mypy checks that both satisfy the protocol the writers take.
    return [brief, stored]
