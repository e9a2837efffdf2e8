"""The normaliser never turns a right model value into a wrong one (issue 10).

Every table case that states the right value is replayed as a model answer: code may
agree, refine (a unit, a qualifier) or mark it ambiguous, but it never replaces it by a
value 1,000-fold away. Number words are checked against their own table.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.ground.normalize import normalize_statistic, parse_quantity
from summarizer.records import ExtractedStatistic

DATA = Path(__file__).parent / "data" / "normalize"


def _rows(name: str) -> list[list[str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    return [r for r in rows if r and not r[0].startswith("#")][1:]


def _far(a: float, b: float) -> bool:
    lo, hi = sorted((abs(a), abs(b)))
    return hi > 0 and (lo == 0 or hi / lo >= 1000)


def _right_model_answers() -> list[tuple[str, ExtractedStatistic]]:
    """(id, statistic) for every table case whose model value is the right one."""
    out: list[tuple[str, ExtractedStatistic]] = []
    for phrase, value, _unit, _qual, text in _rows("quantities.tsv"):
        for vt in (text, phrase):  # the span as written, and the whole sentence
            stat = ExtractedStatistic(
                metric="figure", value=float(value), unit=None, value_text=vt,
                period=None, evidence=phrase,
            )  # fmt: skip
            out.append((f"q:{phrase[:40]}:{vt == phrase}", stat))
    for case in json.loads((DATA / "statistics.json").read_text(encoding="utf-8")):
        want, raw = case["expect"]["value"], case["stat"]
        if (
            raw["value"] is not None
            and want is not None
            and abs(raw["value"] - want) <= 1e-9 * abs(want)
        ):
            out.append((f"s:{case['id']}", ExtractedStatistic(**raw)))
    return out


RIGHT = _right_model_answers()


def test_enough_right_answers() -> None:
    assert len(RIGHT) >= 300


@pytest.mark.parametrize(("case_id", "stat"), RIGHT, ids=[c for c, _ in RIGHT])
def test_no_thousandfold_override_of_a_right_value(case_id: str, stat: ExtractedStatistic) -> None:
    got = normalize_statistic(stat)
    assert stat.value is not None
    assert got.value is not None, (case_id, got.warnings)
    assert not _far(got.value, stat.value), (case_id, got.value, got.warnings)


@pytest.mark.parametrize(
    ("model", "value_text", "evidence", "source"),
    [
        # A bare "508m" with a model that says 508 metres and words that do not decide.
        (508.0, "508m", "the 508m TFC 101 Tower in Taipei", "ambiguous"),
        (508e6, "508m", "the 508m TFC 101 Tower in Taipei", "ambiguous"),
        # Digits with no scale against a model that adds one: the model is kept, flagged.
        (2e6, "2,000", "the campaign set a target of recruiting 2,000 volunteers", "ambiguous"),
    ],
)
def test_undecidable_cases_keep_the_model_value(
    model: float, value_text: str, evidence: str, source: str
) -> None:
    stat = ExtractedStatistic(
        metric="figure", value=model, unit=None, value_text=value_text, period=None,
        evidence=evidence,
    )  # fmt: skip
    got = normalize_statistic(stat)
    assert got.value == model
    assert got.value_source == source


@pytest.mark.parametrize(("phrase", "value"), _rows("number_words.tsv"))
def test_number_words(phrase: str, value: str) -> None:
    q = parse_quantity(phrase)
    assert q is not None, phrase
    assert q.value == pytest.approx(float(value), rel=1e-12)


def test_number_words_table_is_big_enough() -> None:
    rows: list[Any] = _rows("number_words.tsv")
    assert len(rows) >= 50
