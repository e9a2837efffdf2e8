"""Table-driven tests for summarizer.load.dates.find_article_date."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.load.dates import find_article_date
from summarizer.records import is_partial_iso_date

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "normalize" / "article_dates.json").read_text("utf-8")
)
SEEDS = Path(__file__).parent.parent / "seeds"


@pytest.mark.parametrize("case", CASES, ids=lambda c: str(c["id"]))
def test_find_article_date(case: dict[str, Any]) -> None:
    assert find_article_date(case["text"], html=case.get("html")) == case["expect"]


def test_xinhua_seed_has_no_year_so_no_date() -> None:
    text = next(SEEDS.glob("001_*.txt")).read_text(encoding="utf-8")
    assert "BEIJING, July 14 (Xinhua)" in text
    assert find_article_date(text) is None


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.one_of(st.none(), st.text(max_size=200)))
def test_never_raises(text: str, page: str | None) -> None:
    found = find_article_date(text, html=page)
    assert found is None or (is_partial_iso_date(found) and len(found) >= 7)
