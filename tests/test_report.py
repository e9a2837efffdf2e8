"""Tests for summarizer.report and summarizer.report_html (no browser: see test_report_browser)."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from summarizer.corpus.consolidate import Brief, Consolidator, consolidate
from summarizer.outputs.brief import (
    format_value,
    write_brief_outputs,
    write_csvs,
    write_report_html,
    write_summary_md,
)
from summarizer.outputs.html import highlight
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    Milestone,
    Provenance,
    Quote,
    RunFailure,
    Statistic,
)

SEEDS = Path(__file__).parent.parent / "seeds"
IDS = {
    "000": "000_7f9170a9a539a144",
    "001": "001_4641404722756e64",
    "003": "003_54e975f5c95d2ef2",
    "004": "004_777a6af17b3ba81c",
}


def seed(short: str) -> str:
    return (SEEDS / f"{IDS[short]}.txt").read_text(encoding="utf-8")


def span(text: str, needle: str) -> Evidence:
    start = text.index(needle)
    return Evidence(text=needle, start=start, end=start + len(needle), match="exact")


def article(short: str, *records: Statistic | Milestone | Quote, **doc: object) -> ArticleResult:
    text = seed(short)
    return ArticleResult(
        document=Document(
            id=IDS[short],
            path=f"seeds/{IDS[short]}.txt",
            sha256="0" * 64,
            chars=len(text),
            title=text.splitlines()[0][:60],
            **doc,  # type: ignore[arg-type]
        ),
        summary=f"Summary of {short}.",
        statistics=[r for r in records if isinstance(r, Statistic)],
        milestones=[r for r in records if isinstance(r, Milestone)],
        quotes=[r for r in records if isinstance(r, Quote)],
        provenance=Provenance(model="test", endpoint=None, mode="test", prompt_version="t"),
    )


def seed_results() -> list[ArticleResult]:
    """Hand-made records with real offsets into the seeds, overlaps included."""
    t0, t1, t3, t4 = seed("000"), seed("001"), seed("003"), seed("004")
    users_1079 = (
        "With a staggering 1.079 billion internet users, China holds the top spot worldwide."
    )
    xi_quote = "You must seize the opportunity, make new achievements, and focus wholeheartedly on doing this well"
    return [
        article(
            "000",
            Statistic(
                metric="internet users in China",
                value=1.079e9,
                unit="users",
                value_text="1.079 billion",
                period="2023-06",
                evidence=span(t0, users_1079),
            ),
            Statistic(
                metric="national online retail sales in China",
                value=15.4e12,
                unit="CNY",
                value_text="15.4 trillion yuan",
                period="2023",
                qualifier="projected",
                evidence=span(
                    t0,
                    "national online retail sales are projected to reach 15.4 trillion yuan in 2023",
                ),
            ),
            # Overlaps the statistic above: the milestone covers a part of the same sentence.
            Milestone(
                date="2023",
                event="Online retail sales projected to reach 15.4 trillion yuan.",
                evidence=span(
                    t0, "projected to reach 15.4 trillion yuan in 2023, maintaining its position"
                ),
            ),
            Statistic(
                metric="telemedicine coverage",
                value=100,
                unit="percent",
                value_text="100%",
                evidence=Evidence(text="not in the article", match="none"),
            ),
        ),
        article(
            "001",
            Quote(speaker="Xi", text=xi_quote, evidence=span(t1, xi_quote)),
            Milestone(
                date="2014",
                event="Xi convened the first meeting of the Central Leading Group.",
                evidence=span(
                    t1,
                    "In 2014, Xi convened the first meeting of the Central Leading Group for Cyberspace Affairs.",
                ),
            ),
        ),
        article(
            "003",
            Statistic(
                metric="internet users in China",
                value=989e6,
                unit="users",
                value_text="989 million",
                period="2020",
                evidence=span(
                    t3,
                    "The number of China’s internet users hit 989 million by the end of last year",
                ),
            ),
            Statistic(
                metric="online retail sales in China",
                value=11.76e12,
                unit="CNY",
                value_text="11.76 trillion yuan",
                period="2020",
                evidence=span(t3, "saw its annual online retail sales total 11.76 trillion yuan"),
            ),
            # Nested inside the statistic above.
            Statistic(
                metric="online retail sales in China (USD)",
                value=1.82e12,
                unit="USD",
                value_text="1.82 trillion U.S. dollars",
                period="2020",
                evidence=span(t3, "11.76 trillion yuan (about 1.82 trillion U.S. dollars)"),
            ),
        ),
        article(
            "004",
            Statistic(
                metric="online retail sales in China",
                value=3.9e12,
                unit="yuan",
                value_text="3.9 trillion yuan",
                period="2015",
                evidence=span(t4, "online retail sales totalling 3.9 trillion yuan"),
            ),
            Statistic(
                metric="Chinese netizens who use the Internet",
                value=700e6,
                unit="netizens",
                value_text="700 million",
                period=None,
                evidence=span(
                    t4,
                    "700 million Chinese netizens use the Internet to study, work, and access public services",
                ),
            ),
            # Same period as 003's 989 million: a planted conflict.
            Statistic(
                metric="internet users in China",
                value=900e6,
                unit="users",
                value_text="900 million",
                period="2020",
                evidence=span(t4, "making China home to the world's largest online population"),
            ),
        ),
    ]


def texts() -> dict[str, str]:
    return {IDS[s]: seed(s) for s in IDS}


@pytest.fixture
def brief() -> Brief:
    return consolidate(seed_results())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (1.079e9, "users", "1.079 billion users"),
        (15.4e12, "CNY", "15.4 trillion CNY"),
        (700e6, None, "700 million"),
        (70.4, "percent", "70.4%"),
        (718000, "base stations", "718,000 base stations"),
        (5000, "km", "5,000 km"),
        (0.25, "kg", "0.25 kg"),
        (None, "users", "? users"),
    ],
)
def test_format_value(value: float | None, unit: str | None, text: str) -> None:
    assert format_value(value, unit, "?") == text


# --------------------------------------------------------------------------- CSV


def test_csvs_have_one_row_per_record_with_sources(brief: Brief, tmp_path: Path) -> None:
    paths = write_csvs(brief, tmp_path)
    assert [p.name for p in paths] == ["statistics.csv", "milestones.csv", "quotes.csv"]
    stats = read_csv(tmp_path / "statistics.csv")
    assert len(stats) == len(brief.statistics)
    assert list(stats[0])[:4] == ["id", "metric", "value", "unit"]
    users = [r for r in stats if r["metric"] == "internet users in China"]
    assert [(r["period"], r["value"], r["conflict"]) for r in users] == [
        ("2020", "900000000", "True"),
        ("2020", "989000000", "True"),
        ("2023-06", "1079000000", "False"),
        ("", "700000000", "False"),
    ]
    t3 = seed("003")
    needle = "The number of China’s internet users hit 989 million by the end of last year"
    start, end = t3.index(needle), t3.index(needle) + len(needle)
    row = next(r for r in users if r["value"] == "989000000")
    assert row["sources"] == f"{IDS['003']}:{start}-{end}"
    assert row["source_count"] == "1"
    assert row["evidence"] == t3[start:end]
    assert float(row["value"]) == 989e6
    milestones = read_csv(tmp_path / "milestones.csv")
    assert [r["date"] for r in milestones] == ["2014", "2023"]
    (quote,) = read_csv(tmp_path / "quotes.csv")
    assert quote["speaker"] == "Xi" and quote["source_count"] == "1"
    assert not list(tmp_path.glob(".*.tmp")), "no temporary files are left behind"


def test_csv_cells_with_commas_quotes_and_newlines_round_trip(tmp_path: Path) -> None:
    tricky = 'He said, "no"\nand left; twice: 1,000 times — café'
    c = Consolidator()
    c.add(
        ArticleResult(
            document=Document(id="x/a:b", path="x.txt", sha256="0" * 64, chars=len(tricky)),
            summary="s",
            quotes=[Quote(speaker="Ann", text=tricky, evidence=Evidence(text=tricky, start=0, end=len(tricky), match="exact"))],
            provenance=Provenance(model="t", endpoint=None, mode="t", prompt_version="t"),
        )
    )  # fmt: skip
    write_csvs(c.finish(), tmp_path)
    (row,) = read_csv(tmp_path / "quotes.csv")
    assert row["text"] == tricky
    assert row["sources"] == f"x/a:b:0-{len(tricky)}"


# --------------------------------------------------------------------------- summary.md


def test_summary_md_has_the_series_lines(brief: Brief, tmp_path: Path) -> None:
    text = write_summary_md(brief, tmp_path).read_text(encoding="utf-8")
    assert "# Brief: 4 documents" in text
    assert (
        f"- **internet users in China**: 900 million users (2020; `{IDS['004']}`) **conflict** → "
        f"989 million users (2020; `{IDS['003']}`) **conflict** → "
        f"1.079 billion users (2023-06; `{IDS['000']}`) → "
        f"700 million netizens (undated; `{IDS['004']}`)"
    ) in text
    assert (
        f"- **online retail sales in China**: 3.9 trillion yuan (2015; `{IDS['004']}`) → "
        f"11.76 trillion CNY (2020; `{IDS['003']}`) → "
        f"15.4 trillion CNY (2023, projected; `{IDS['000']}`)"
    ) in text
    assert "## Timeline" in text and "- **2014**: Xi convened" in text
    assert "### Xi" in text and "> “You must seize the opportunity" in text
    assert "## Conflicts" in text and "- **internet users in China** (2020): " in text
    assert "1 record without evidence" in text


def test_summary_md_escapes_markdown_in_article_text(tmp_path: Path) -> None:
    c = Consolidator()
    c.add(
        ArticleResult(
            document=Document(id="a", path="a.txt", sha256="0" * 64, chars=1, title="<b>*bold*</b> | pipe"),
            summary="s",
            provenance=Provenance(model="t", endpoint=None, mode="t", prompt_version="t"),
        )
    )  # fmt: skip
    text = write_summary_md(c.finish(), tmp_path).read_text(encoding="utf-8")
    assert r"\<b\>\*bold\*\</b\> \| pipe" in text


# --------------------------------------------------------------------------- HTML


class MarkCollector(HTMLParser):
    """Rebuilds each record's highlighted text from the marks that name it."""

    def __init__(self) -> None:
        super().__init__()
        self.by_rid: dict[str, str] = {}
        self.plain: list[str] = []
        self._rids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self._rids = (dict(attrs).get("data-rids") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._rids = []

    def handle_data(self, data: str) -> None:
        self.plain.append(data)
        for rid in self._rids:
            self.by_rid[rid] = self.by_rid.get(rid, "") + data


@pytest.mark.parametrize(
    "spans",
    [
        [],
        [("a", "statistic", 0, 5)],
        [("a", "statistic", 2, 9), ("b", "quote", 5, 14)],  # overlapping
        [("a", "statistic", 0, 20), ("b", "quote", 4, 8)],  # nested
        [("a", "statistic", 3, 9), ("b", "milestone", 3, 9)],  # identical
        [("a", "statistic", 0, 4), ("b", "quote", 4, 8), ("c", "milestone", 8, 20)],  # adjacent
    ],
)
def test_highlight_puts_every_span_at_its_offsets(spans: list[tuple[str, str, int, int]]) -> None:
    text = 'A <b>&"x"</b> & y’s “quote” end.'
    collector = MarkCollector()
    collector.feed(str(highlight(text, spans)))
    assert "".join(collector.plain) == text  # escaping loses nothing
    for rid, _, start, end in spans:
        assert collector.by_rid[rid] == text[start:end]


def test_report_html_is_self_contained_escaped_and_highlighted(
    brief: Brief, tmp_path: Path
) -> None:
    results = seed_results()
    path = write_report_html(brief, results, texts(), tmp_path)
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page
    assert "<mark" in page and "<svg" in page
    # The article text appears escaped, never as markup.
    assert "&lt;script" not in page or "<script>alert" not in page
    collector = MarkCollector()
    collector.feed(page)
    for i, result in enumerate(results, 1):
        text = texts()[result.document.id]
        records = [*result.statistics, *result.milestones, *result.quotes]
        counters = {"s": 0, "m": 0, "q": 0}
        for rec in records:
            letter = {"Statistic": "s", "Milestone": "m", "Quote": "q"}[type(rec).__name__]
            counters[letter] += 1
            rid = f"a{i}-{letter}{counters[letter]}"
            ev = rec.evidence
            if ev.start is None or ev.end is None:
                assert rid not in collector.by_rid
            else:
                assert collector.by_rid[rid] == text[ev.start : ev.end]
    assert "ungrounded" in page and "conflict" in page


def test_report_html_escapes_hostile_article_text(tmp_path: Path) -> None:
    text = "Intro. <script>alert(1)</script> & “quoted” </mark> end."
    needle = "<script>alert(1)</script>"
    start = text.index(needle)
    result = ArticleResult(
        document=Document(id="evil", path="evil.html", sha256="0" * 64, chars=len(text), title="<i>t</i>"),
        summary="<img src=x onerror=alert(1)>",
        quotes=[Quote(speaker="<b>x</b>", text=needle, evidence=Evidence(text=needle, start=start, end=start + len(needle), match="exact"))],
        provenance=Provenance(model="t", endpoint=None, mode="t", prompt_version="t"),
    )  # fmt: skip
    brief = consolidate([result])
    page = write_report_html(brief, [result], {"evil": text}, tmp_path).read_text(encoding="utf-8")
    assert "<script>alert" not in page and "<img src=x" not in page and "<i>t</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    collector = MarkCollector()
    collector.feed(page)
    assert collector.by_rid["a1-q1"] == needle


def test_records_whose_offsets_do_not_match_the_text_are_flagged(
    brief: Brief, tmp_path: Path
) -> None:
    results = seed_results()
    changed = texts()
    changed[IDS["003"]] = "The text changed on disk since the run."
    page = write_report_html(brief, results, changed.get, tmp_path).read_text(encoding="utf-8")
    assert "offsets do not match the text" in page
    missing = write_report_html(brief, results, lambda _id: None, tmp_path).read_text(
        encoding="utf-8"
    )
    assert "could not be read" in missing and "<mark" not in missing


def test_large_folders_are_capped_and_say_so(brief: Brief, tmp_path: Path) -> None:
    page = write_report_html(brief, seed_results(), texts(), tmp_path, max_articles=2)
    text = page.read_text(encoding="utf-8")
    assert "Showing the first 2 of 4 articles" in text
    assert text.count('<details class="article"') == 2


def test_write_brief_outputs_writes_everything(brief: Brief, tmp_path: Path) -> None:
    calls = []

    def articles() -> list[ArticleResult]:
        calls.append(1)
        return seed_results()

    paths = write_brief_outputs(brief, tmp_path, articles=articles, text_for=texts().get)
    assert [p.name for p in paths] == [
        "brief.json",
        "statistics.csv",
        "milestones.csv",
        "quotes.csv",
        "summary.md",
        "report.html",
    ]
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    assert calls == [1]
    assert Brief.model_validate_json((tmp_path / "brief.json").read_text()) == brief
    # The one-pass summary.md (fed by brief.json's writer) equals the one made from the
    # brief alone: both fill the same SummaryLines.
    alone = write_summary_md(brief, tmp_path / "alone")
    assert alone.read_text() == (tmp_path / "summary.md").read_text()


def test_failed_and_skipped_articles_are_listed(brief: Brief, tmp_path: Path) -> None:
    failed = [
        RunFailure(
            id=f"bad/{i:02d}", path=f"/in/bad/{i:02d}.txt", reason="the model <b>refused</b>"
        )
        for i in range(55)
    ]
    skipped = [RunFailure(id="empty", path="/in/empty.txt", reason="empty file")]
    write_brief_outputs(
        brief,
        tmp_path,
        articles=seed_results,
        text_for=texts().get,
        failed=failed,
        skipped=skipped,
    )
    md = (tmp_path / "summary.md").read_text()
    section = md.split("## Not in this brief", 1)[1].split("\n## ", 1)[0]
    assert "55 articles failed and 1 file was skipped" in section
    assert "- `bad/00`: the model \\<b\\>refused\\</b\\>" in section  # escaped, not markup
    assert "- `bad/49`" in section and "`bad/50`" not in section  # the first 50
    assert "- … and 5 more failed articles (see run.json)" in section
    assert "- `empty`: empty file" in section.split("Skipped:", 1)[1]
    page = (tmp_path / "report.html").read_text()
    assert 'href="#left-out">55 articles failed, 1 file skipped</a>' in page
    left = page.split('<section id="left-out">', 1)[1].split("</section>", 1)[0]
    assert left.count("<tr><td><code>") == 56
    assert "the model &lt;b&gt;refused&lt;/b&gt;" in left
    # A run with nothing left out has no such section.
    write_brief_outputs(brief, tmp_path / "clean", articles=seed_results, text_for=texts().get)
    assert "Not in this brief" not in (tmp_path / "clean" / "summary.md").read_text()
    assert 'id="left-out"' not in (tmp_path / "clean" / "report.html").read_text()
