"""Two normaliser bugs QA found: a percent taking the next number's scale, and a number
matching the start of a longer one ("3" read from "3.5 litre", "5" from "5,000")."""

from __future__ import annotations

import pytest

from summarizer import Summarizer
from summarizer.extract.fake import FakeExtractor
from summarizer.ground.normalize import normalize_statistic, parse_quantities
from summarizer.records import ExtractedStatistic, Extraction

# Two numbers joined by "to", "and", "or" or "-" but of different kinds: a change and a
# level, a percent beside an amount. Neither end takes the other's scale or unit.
SEQUENCES = [
    ("Its sales rose 3.5% to 2.7 million units.", [(3.5, "percent"), (2.7e6, "units")]),
    ("Output fell 0.2% to 1.4 million.", [(0.2, "percent"), (1.4e6, None)]),
    ("Sales rose 20 per cent to 3 million.", [(20.0, "percent"), (3e6, None)]),
    ("a cut of 2.5% or 3 million people", [(2.5, "percent"), (3e6, "people")]),
    ("revenue of 11.9m and 49.2%", [(11.9e6, None), (49.2, "percent")]),
    ("profit rose 5% to £3m", [(5.0, "percent"), (3e6, "GBP")]),
    ("a stake of 12% - 40 million shares", [(12.0, "percent"), (40e6, "shares")]),
    ("turnover rose 4.5% to 5bn.", [(4.5, "percent"), (5e9, None)]),
    ("traffic grew 3 percent to 120 million", [(3.0, "percent"), (120e6, None)]),
    ("a 2.5m or 3% stake", [(2.5e6, None), (3.0, "percent")]),
    # A change and the level it led to: the change is written in full.
    ("unemployment rose 32,000 to 1.41 million", [(32000.0, None), (1.41e6, None)]),
    ("its audience fell by 600,000 to 5.9 million", [(6e5, None), (5.9e6, None)]),
    ("up 80,000 barrels a day to 84 million barrels a day", [(8e4, "bpd"), (84e6, "bpd")]),
    # An amount, then a count of something else.
    (
        "shareholders lost $180bn and 20,000 workers lost their jobs",
        [(180e9, "USD"), (20000.0, "workers")],
    ),
    ("from £808m to 8,177 cases", [(808e6, "GBP"), (8177.0, "cases")]),
    # A bare m beside metres: the first end was 800 million metres.
    ("the Olympic 800m and 1500m champion", [(800.0, "m"), (1500.0, "m")]),
    ("winning 1500m and 800m gold", [(1500.0, "m"), (800.0, "m")]),
    ("the 100m and 200m events", [(100.0, "m"), (200.0, "m")]),
]

# Ranges: the first end takes the second's scale and unit. These must not move.
RANGES = [
    ("between 2 and 3 million", [(2e6, None), (3e6, None)]),
    ("2-3 million", [(2e6, None), (3e6, None)]),
    ("2 to 3 million", [(2e6, None), (3e6, None)]),
    ("£2m-£3m", [(2e6, "GBP"), (3e6, "GBP")]),
    ("£2-£3m", [(2e6, "GBP"), (3e6, "GBP")]),
    ("10 to 20%", [(10.0, "percent"), (20.0, "percent")]),
    ("between 10 and 20%", [(10.0, "percent"), (20.0, "percent")]),
    ("10-15bn", [(10e9, None), (15e9, None)]),
    ("$2-3m", [(2e6, "USD"), (3e6, "USD")]),
    ("8 to 9%", [(8.0, "percent"), (9.0, "percent")]),
    ("75 -300mm", [(75.0, "mm"), (300.0, "mm")]),
    ("2 or 3 million people", [(2e6, None), (3e6, "people")]),
    ("between 5 and 10 million euros", [(5e6, "EUR"), (10e6, "EUR")]),
    ("damage at $1.3 to $1.5bn", [(1.3e9, "USD"), (1.5e9, "USD")]),
    ("fell from 5 to 3 million", [(5e6, None), (3e6, None)]),
    ("test the $40-40.25 range", [(40.0, "USD"), (40.25, "USD")]),
    ("between 200 and 250 million users", [(200e6, None), (250e6, "users")]),
    ("between $10-25m to make", [(10e6, "USD"), (25e6, "USD")]),
]


@pytest.mark.parametrize(("text", "expected"), SEQUENCES + RANGES)
def test_range_ends_share_scale_and_unit_only_when_they_are_one_kind(
    text: str, expected: list[tuple[float, str | None]]
) -> None:
    got = [(round(q.value, 6), q.unit) for q in parse_quantities(text)]
    assert got == expected, text


# value_text's number, the evidence sentence, the model's value and unit: the
# evidence has a longer number that starts with the same digits before the real one.
PREFIXES = [
    ("3", "The new model has a 3.5 litre engine with 3 doors, priced at £20,000.", 3, "doors"),
    ("5", "The plant employs 5,000 people and runs 5 assembly lines in the north.", 5, "lines"),
    ("1", "The Mini Cooper 1.6 depreciates slower than the BMW 1 Series 116i SE.", 1, "series"),
    ("10", "It is 10.5 miles long and has 10 stations.", 10, "stations"),
    ("2", "Shares rose 2,500 points on day 2 of trading.", 2, None),
    ("10", "The trail is 10 1/2 miles long, with 10 stations.", 10, "stations"),
    ("1", "It has 1 414 021 100 people and 1 capital.", 1, "capital"),
    ("2", "They ate 2½ pies in 2 hours.", 2, "hours"),
]


@pytest.mark.parametrize(("value_text", "evidence", "model", "unit"), PREFIXES)
def test_a_number_does_not_match_the_start_of_a_longer_number(
    value_text: str, evidence: str, model: float, unit: str | None
) -> None:
    stat = ExtractedStatistic(
        metric="m", value=model, unit=unit, value_text=value_text, evidence=evidence
    )
    got = normalize_statistic(stat)
    assert (got.value, got.value_source, got.warnings) == (model, "text", [])


def test_the_evidence_still_gives_the_words_around_the_same_number() -> None:
    # The rule _extends exists for: "508m" in value_text is "508m tall" in the evidence,
    # and "5" in value_text is "5 million" in the evidence.
    tall = ExtractedStatistic(
        metric="x", value=508, unit=None, value_text="508m", evidence="The tower is 508m tall."
    )
    assert (normalize_statistic(tall).value, normalize_statistic(tall).unit) == (508, "m")
    scaled = ExtractedStatistic(
        metric="buyers", value=5e6, unit=None, value_text="5", evidence="It has 5 million buyers."
    )
    assert normalize_statistic(scaled).value == 5e6


def _pipeline(text: str, *stats: ExtractedStatistic) -> dict[str, tuple[float | None, str]]:
    fake = FakeExtractor(Extraction(summary="s", statistics=list(stats)))
    with Summarizer(extractor=fake, use_cache=False) as s:
        result = s.summarize_text(text)
    assert not [w for w in result.warnings if "parsed value" in w or "1,000-fold" in w]
    return {st.metric: (st.value, st.value_source) for st in result.statistics}


def test_pipeline_keeps_a_percent_before_a_scaled_number() -> None:
    text = "Its sales rose 3.5% to 2.7 million units."
    got = _pipeline(
        text,
        ExtractedStatistic(
            metric="sales growth", value=3.5, unit="percent", value_text="3.5%", evidence=text
        ),
        ExtractedStatistic(
            metric="units sold", value=2.7e6, unit="units", value_text="2.7 million units",
            evidence=text,
        ),
    )  # fmt: skip
    assert got == {"sales growth": (3.5, "text"), "units sold": (2.7e6, "text")}


def test_pipeline_reads_the_number_not_a_longer_one_starting_with_it() -> None:
    text = "The plant employs 5,000 people and runs 5 assembly lines in the north."
    got = _pipeline(
        text,
        ExtractedStatistic(
            metric="assembly lines", value=5, unit="lines", value_text="5", evidence=text
        ),
    )
    assert got == {"assembly lines": (5, "text")}


def test_rules_provider_reads_1_series_as_1() -> None:
    text = "The Mini Cooper 1.6 depreciates slower than the BMW 1 Series 116i SE."
    with Summarizer(provider="rules", use_cache=False) as s:
        result = s.summarize_text(text)
    values = {st.value_text: st.value for st in result.statistics}
    assert values["1"] == 1
    assert values["1.6"] == 1.6
    assert not [w for w in result.warnings if "parsed value" in w]


def test_a_change_after_a_percent_change_is_no_percentage() -> None:
    # BBC politics/047: "rose by 17% ..., up 23,600 to 27,700" stored 23,600 percent.
    from summarizer.extract.rules import rules_extraction

    text = (
        "Applications from England and Wales rose by 17% between January 2005 and the "
        "previous year, up 23,600 to 27,700."
    )
    units = {s.value_text: s.unit for s in rules_extraction(text).statistics}
    assert units.get("17%") == "percent"
    assert units.get("23,600") != "percent"
