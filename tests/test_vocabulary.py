"""One matching vocabulary for consolidation and evaluation, and one table of record types."""

from __future__ import annotations

import typing

import pytest

from summarizer.corpus import rules
from summarizer.corpus.consolidate import Consolidator
from summarizer.evaluate import _match
from summarizer.evaluate import evaluate as run_evaluate
from summarizer.ground._units import normalize_unit
from summarizer.records import (
    RECORD_TYPES,
    ArticleResult,
    Document,
    Evidence,
    Extraction,
    Milestone,
    Provenance,
    Quote,
    Statistic,
)

# --------------------------------------------------------------------------- units

SPELLINGS = [
    ["%", "percent", "per cent", "pct", "Percent"],
    ["yuan", "RMB", "renminbi", "CNY", "billion yuan"],
    ["$", "US$", "US dollars", "usd", "dollar"],
    ["£", "pounds", "GBP", "pound sterling"],
    ["km", "kilometres", "kilometers", "Km"],
    ["minutes", "minute", "min", "mins"],
    ["tonnes", "metric tons", "t", "ton"],
    ["percentage points", "pp", "percentage point"],
]


@pytest.mark.parametrize("names", SPELLINGS, ids=lambda names: names[0])
def test_one_unit_canonicalisation_for_both(names: list[str]) -> None:
    classes = {rules.unit_class(n) for n in names}
    assert len(classes) == 1, classes
    assert classes != {"count"}
    for a in names:
        for b in names:
            assert rules.units_agree(a, b), (a, b)


def test_unit_classes_follow_normalize_unit() -> None:
    for unit in ("USD", "CNY", "percent", "km", "kg", "GW", "km/h", "percentage points"):
        assert rules.unit_class(unit) == normalize_unit(unit)
    assert rules.unit_class("users") == rules.unit_class("netizens") == "count"
    assert rules.unit_class(None) == rules.unit_class("  ") == "none"
    assert not rules.units_agree("CNY", "USD")
    assert rules.units_agree("graduates", "college graduates")
    assert not rules.units_agree(None, "users") and rules.units_agree(None, None)


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("President Xi Jinping", "Xi Jinping"),
        ("Secretary of State John Kerry", "John Kerry"),
        ("Spokesperson Hua Chunying", "Hua Chunying"),
        ("CEO Tim Cook", "Mr Tim Cook"),
        ("Director Zhang Wei", "Dr. Zhang Wei"),
    ],
)
def test_titles_are_one_list(a: str, b: str) -> None:
    # Consolidation merges these speakers, and evaluation matches them: same rule.
    assert rules.speaker_name(a) == rules.speaker_name(b) != ()
    assert rules.speakers_agree(a, b)


@pytest.mark.parametrize("pronoun", sorted(rules.PRONOUNS))
def test_pronouns_name_nobody_for_both(pronoun: str) -> None:
    assert rules.speaker_name(pronoun) == ()
    assert not rules.speakers_agree(pronoun, pronoun)
    assert not rules.speakers_agree(pronoun, "Xi Jinping")


def test_evaluation_uses_the_shared_rules() -> None:
    # No private copies: the names evaluation calls are the corpus rules themselves.
    for name in ("values_close", "units_agree", "dates_agree", "speakers_agree", "norm_text"):
        assert getattr(_match, name) is getattr(rules, name), name


# --------------------------------------------------------------------------- dates, values, text


@pytest.mark.parametrize(
    ("a", "b", "undated", "agree"),
    [
        ("2015", "2015-12", False, True),
        ("2015-12", "2015-12-16", False, True),
        ("2015-12", "2015-11", False, False),
        ("2023-1", "2023-12", False, False),
        ("2023-7", "2023-07", False, True),
        ("2016", "2015-12", False, False),
        (None, None, False, True),
        (None, "2020", False, False),
        (None, "2020", True, True),
        ("Q3 2020", "q3 2020", False, True),
    ],
)
def test_dates_agree(a: str | None, b: str | None, undated: bool, agree: bool) -> None:
    assert rules.dates_agree(a, b, undated=undated) is agree
    assert rules.dates_agree(b, a, undated=undated) is agree


@pytest.mark.parametrize(
    ("a", "b", "tol", "close"),
    [(100.0, 100.4, 0.005, True), (100.0, 101.0, 0.005, False), (None, None, 0.0, True),
     (None, 1.0, 1.0, False), (0.0, 0.0, 0.0, True), (-5.0, 5.0, 0.5, False)],
)  # fmt: skip
def test_values_close(a: float | None, b: float | None, tol: float, close: bool) -> None:
    assert rules.values_close(a, b, tol) is close


def test_norm_text() -> None:
    assert rules.norm_text("  “Hello” – World…  ") == 'hello" - world'
    assert rules.norm_text("‘It’s’") == "it's"


# --------------------------------------------------------------------------- record types


def _list_fields(model: type) -> set[str]:
    hints = typing.get_type_hints(model)
    return {
        name
        for name, hint in hints.items()
        if typing.get_origin(hint) is list
        and name in ArticleResult.model_fields
        and name not in {"warnings"}
    }


def test_record_types_cover_the_models() -> None:
    assert set(RECORD_TYPES) == _list_fields(ArticleResult)
    for field, kind in RECORD_TYPES.items():
        assert kind.field == field
        assert ArticleResult.model_fields[field].annotation == list[kind.model]  # type: ignore[name-defined]
        assert Extraction.model_fields[field].annotation == list[kind.extracted]  # type: ignore[name-defined]
    assert [k.prefix for k in RECORD_TYPES.values()] == ["M", "S", "Q"]


def _one_of_each() -> ArticleResult:
    ev = Evidence(text="t", start=0, end=1, match="exact")
    return ArticleResult(
        document=Document(id="a", path="a.txt", sha256="0", chars=1),
        summary="",
        milestones=[Milestone(date="2020", event="an event happened", evidence=ev)],
        statistics=[Statistic(metric="m", value=1.0, unit="percent", value_text="1%", evidence=ev)],
        quotes=[Quote(speaker="Xi", text="words", evidence=ev)],
        provenance=Provenance(model="", endpoint=None, mode="", prompt_version=""),
    )


def test_every_consumer_iterates_the_table() -> None:
    result = _one_of_each()
    descriptions = [
        kind.describe(getattr(result, field)[0]) for field, kind in RECORD_TYPES.items()
    ]
    assert descriptions == [
        "milestone 2020: an event happened",
        "statistic 'm' = 1 percent (text '1%')",
        "quote by Xi: “words”",
    ]
    report = run_evaluate({"a": result}, {"a": result})
    assert list(report.micro) == list(RECORD_TYPES)
    assert all(s.f1 == 1.0 for s in report.micro.values())
    c = Consolidator()
    c.add(result)
    with c.finish() as brief:
        counts = brief.counts()
        (doc,) = brief.iter_documents()
    assert (counts.milestones, counts.statistics, counts.quotes) == (1, 1, 1)
    assert (doc.milestones, doc.statistics, doc.quotes) == (1, 1, 1)
