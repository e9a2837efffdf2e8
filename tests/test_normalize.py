"""Tests for summarizer.normalize: table-driven, with the tables in tests/data/normalize/."""

from __future__ import annotations

import csv
import dataclasses
import json
import math
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import summarizer.ground.normalize as normalize
from summarizer.ground.normalize import (
    NormalizedStatistic,
    Quantity,
    normalize_statistic,
    normalize_unit,
    parse_period,
    parse_quantities,
    parse_quantity,
)
from summarizer.records import Amount, ExtractedStatistic, is_partial_iso_date

DATA = Path(__file__).parent / "data" / "normalize"
SEEDS = Path(__file__).parent.parent / "seeds"


def _none(cell: str) -> str | None:
    return None if cell == "-" else cell


def _table(name: str) -> list[list[str]]:
    """Rows of a TSV table, without its header and ``#`` comments."""
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    body = [r for r in rows if r and not r[0].startswith("#")]
    return body[1:]


QUANTITIES = _table("quantities.tsv")
NO_QUANTITY = _table("no_quantity.tsv")
UNITS = _table("units.tsv")
PERIODS = _table("periods.tsv")
QUANTITY_LISTS: list[dict[str, Any]] = json.loads(
    (DATA / "quantity_lists.json").read_text(encoding="utf-8")
)
STATISTICS: list[dict[str, Any]] = json.loads(
    (DATA / "statistics.json").read_text(encoding="utf-8")
)


def test_tables_are_big_enough() -> None:
    assert len(QUANTITIES) >= 100
    assert len(PERIODS) >= 40
    assert all(len(r) == 5 for r in QUANTITIES), [r for r in QUANTITIES if len(r) != 5]
    assert all(len(r) == 3 for r in PERIODS), [r for r in PERIODS if len(r) != 3]


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(("phrase", "value", "unit", "qualifier", "text"), QUANTITIES)
def test_parse_quantity(phrase: str, value: str, unit: str, qualifier: str, text: str) -> None:
    q = parse_quantity(phrase)
    assert q is not None, phrase
    assert q.value == pytest.approx(float(value), rel=1e-12)
    assert (q.unit, q.qualifier, q.text) == (_none(unit), _none(qualifier), text)
    assert phrase[q.start : q.end] == q.text


@pytest.mark.parametrize(("phrase", "why"), NO_QUANTITY)
def test_no_quantity(phrase: str, why: str) -> None:
    assert parse_quantity(phrase) is None, why


@pytest.mark.parametrize("case", QUANTITY_LISTS, ids=lambda c: str(c["text"])[:40])
def test_parse_quantities(case: dict[str, Any]) -> None:
    got = parse_quantities(case["text"])
    assert [(q.unit, q.qualifier, q.text) for q in got] == [
        (u, ql, t) for _, u, ql, t in case["expect"]
    ]
    assert [q.value for q in got] == pytest.approx([v for v, *_ in case["expect"]])
    assert all(case["text"][q.start : q.end] == q.text for q in got)


def test_parse_quantity_stops_at_an_out_of_range_first_number() -> None:
    assert parse_quantity("10^40 users and 5 cats") is None
    assert [q.value for q in parse_quantities("10^40 users and 5 cats")] == [5.0]


def test_quantity_is_frozen() -> None:
    q = parse_quantity("£3.5bn")
    assert q == Quantity(3.5e9, "GBP", None, "£3.5bn", 0, 6)
    with pytest.raises(dataclasses.FrozenInstanceError):
        q.value = 1.0  # type: ignore[misc]


def test_seed_articles_yield_no_years_or_dates_as_quantities() -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for q in parse_quantities(text):
            assert text[q.start : q.end] == q.text
            bare_year = q.text.isdigit() and len(q.text) == 4 and q.unit is None
            assert not bare_year, (path.name, q)


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(("raw", "expected"), UNITS)
def test_normalize_unit(raw: str, expected: str) -> None:
    assert normalize_unit(raw) == _none(expected)


def test_normalize_unit_none() -> None:
    assert normalize_unit(None) is None


# --------------------------------------------------------------------------- periods


@pytest.mark.parametrize(("phrase", "reference_date", "expected"), PERIODS)
def test_parse_period(phrase: str, reference_date: str, expected: str) -> None:
    got = parse_period(phrase, reference_date=_none(reference_date))
    assert got == _none(expected)
    assert got is None or is_partial_iso_date(got)


# --------------------------------------------------------------------------- statistics


def _stat(raw: dict[str, Any]) -> ExtractedStatistic:
    return ExtractedStatistic(**raw)


@pytest.mark.parametrize("case", STATISTICS, ids=lambda c: str(c["id"]))
def test_normalize_statistic(case: dict[str, Any]) -> None:
    got = normalize_statistic(
        _stat(case["stat"]),
        evidence=case.get("evidence"),
        reference_date=case.get("reference_date"),
    )
    want = case["expect"]
    assert isinstance(got, NormalizedStatistic)
    if want["value"] is None:
        assert got.value is None
    else:
        assert got.value == pytest.approx(want["value"], rel=1e-12)
    assert (got.unit, got.qualifier, got.period, got.value_source) == (
        want["unit"],
        want["qualifier"],
        want["period"],
        want.get("value_source", "text"),
    )
    assert [(a.unit, a.value_text) for a in got.equivalents] == [
        (u, t) for _, u, t in want["equivalents"]
    ]
    assert [a.value for a in got.equivalents] == pytest.approx([v for v, *_ in want["equivalents"]])
    assert len(got.warnings) == len(want["warnings"]), got.warnings
    for fragment, warning in zip(want["warnings"], got.warnings, strict=True):
        assert fragment in warning


def test_magnitude_warning_names_both_numbers() -> None:
    stat = _stat(STATISTICS[0]["stat"])
    got = normalize_statistic(stat)
    assert got.warnings == [
        "statistic 'internet users in China': model said 1079000.0, text '1.079 billion' "
        "gives 1079000000.0; using the parsed value"
    ]
    assert got.equivalents == [] and isinstance(got.equivalents, list)


def test_invalid_model_period_falls_back_to_evidence() -> None:
    # model_construct skips the validator, as a caller holding raw model output might.
    stat = ExtractedStatistic.model_construct(
        metric="internet users",
        value=1.079e9,
        unit="users",
        value_text="1.079 billion",
        period="June 2023",
        evidence="In a recent report as of June 2023, China had 1.079 billion internet users.",
    )
    got = normalize_statistic(stat)
    assert got.period == "2023-06"
    assert len(got.warnings) == 1 and "'June 2023' is not a partial ISO date" in got.warnings[0]


def test_equivalents_are_amount_records() -> None:
    got = normalize_statistic(_stat(STATISTICS[3]["stat"]))
    assert got.equivalents == [
        Amount(value=1.82e12, unit="USD", value_text="1.82 trillion U.S. dollars")
    ]


# --------------------------------------------------------------------------- robustness


@settings(max_examples=100, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    for q in parse_quantities(text):
        assert text[q.start : q.end] == q.text
        assert math.isfinite(q.value) and abs(q.value) <= normalize.MAX_MAGNITUDE
    first = parse_quantity(text)
    assert first is None or isinstance(first, Quantity)
    period = parse_period(text, reference_date="2021-02-03")
    assert period is None or is_partial_iso_date(period)
    unit = normalize_unit(text)
    assert unit is None or unit == unit.strip()


_NEWSY = st.lists(
    st.sampled_from(
        [" ", "more than ", "about ", "$", "£", "1", "0", "5", ",", ".", "000", " million",
         "bn", "m", "%", " per cent", " yuan", " (", ")", ";", "-", " to ", "2022", "in ",
         "Dec. ", "16", "Q3 ", "last year", " users", "e", "^", "x", "１", "十", "¥"]
    ),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(_NEWSY, st.one_of(st.none(), st.text(max_size=12), st.just("2021-02-03")))
def test_never_raises_on_number_like_text(text: str, reference_date: str | None) -> None:
    for q in parse_quantities(text):
        assert text[q.start : q.end] == q.text
    period = parse_period(text, reference_date=reference_date)
    assert period is None or is_partial_iso_date(period)


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_grouped_integers_round_trip(n: int) -> None:
    q = parse_quantity(f"a total of {n:,} units")
    assert q is not None and q.value == n and q.text == f"{n:,}"


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value=0, max_value=999, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([("million", 1e6), ("bn", 1e9), ("trillion", 1e12), ("k", 1e3)]),
)
def test_scaled_currency_round_trip(mantissa: Any, scale: tuple[str, float]) -> None:
    word, factor = scale
    sep = " " if len(word) > 2 else ""
    q = parse_quantity(f"revenue of £{mantissa}{sep}{word}")
    assert q is not None and q.unit == "GBP"
    assert q.value == pytest.approx(float(mantissa) * factor, rel=1e-12)


def test_fast_enough_for_every_statistic() -> None:
    sentence = STATISTICS[3]["stat"]["evidence"]
    start = time.perf_counter()
    for _ in range(200):
        parse_quantities(sentence)
        parse_period(sentence, reference_date="2021-02-03")
    # About 0.3 ms a round here; the budget leaves room for a slow, busy CI machine.
    assert time.perf_counter() - start < 1.0


def test_public_api_is_sorted_and_exported() -> None:
    assert normalize.__all__ == sorted(normalize.__all__)
    for name in normalize.__all__:
        assert getattr(normalize, name).__doc__, name
