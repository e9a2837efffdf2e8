"""Tests for summarizer.consolidate: hand-made results that mirror the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from summarizer.corpus.consolidate import Brief, Consolidator, consolidate
from summarizer.corpus.rules import metric_key, unit_class
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    MatchKind,
    Milestone,
    Provenance,
    Qualifier,
    Quote,
    Statistic,
)

GOLD = Path(__file__).parent.parent / "fixtures" / "gold"
S000, S001, S002, S003, S004 = "000", "001", "002", "003", "004"

# --------------------------------------------------------------------------- builders


def ev(text: str, start: int | None = 0, match: MatchKind = "exact") -> Evidence:
    if match == "none":
        return Evidence(text=text, match="none")
    assert start is not None
    return Evidence(text=text, start=start, end=start + len(text), match=match)


def stat(
    metric: str,
    value: float | None,
    unit: str | None,
    period: str | None = None,
    *,
    at: int = 0,
    qualifier: Qualifier | None = None,
    value_text: str | None = None,
    match: MatchKind = "exact",
) -> Statistic:
    text = f"{metric} was {value_text or value}."
    return Statistic(
        metric=metric,
        value=value,
        unit=unit,
        value_text=value_text or str(value),
        period=period,
        qualifier=qualifier,
        evidence=ev(text, at, match),
    )


def mile(date: str | None, event: str, *, at: int = 0, match: MatchKind = "exact") -> Milestone:
    return Milestone(date=date, event=event, evidence=ev(event, at, match))


def quote(speaker: str, text: str, *, at: int = 0, role: str | None = None) -> Quote:
    return Quote(speaker=speaker, speaker_role=role, text=text, evidence=ev(text, at))


def result(
    doc_id: str,
    *records: Statistic | Milestone | Quote,
    duplicate_of: str | None = None,
    near: list[str] | None = None,
    warnings: list[str] | None = None,
) -> ArticleResult:
    return ArticleResult(
        document=Document(
            id=doc_id,
            path=f"{doc_id}.txt",
            sha256="0" * 64,
            chars=1000,
            title=f"Title {doc_id}",
            duplicate_of=duplicate_of,
            near_duplicates=near or [],
        ),
        summary="A summary.",
        statistics=[r for r in records if isinstance(r, Statistic)],
        milestones=[r for r in records if isinstance(r, Milestone)],
        quotes=[r for r in records if isinstance(r, Quote)],
        warnings=warnings or [],
        provenance=Provenance(model="test", endpoint=None, mode="test", prompt_version="t"),
    )


def seeds_like(period_004: str | None = None) -> list[ArticleResult]:
    """The internet-user and online-retail statistics as the seeds state them."""
    return [
        result(
            S000,
            stat("internet users in China", 1.079e9, "users", "2023-06", at=373),
            stat(
                "national online retail sales in China (projected)",
                15.4e12,
                "CNY",
                "2023",
                at=457,
                qualifier="projected",
            ),
        ),
        result(
            S003,
            stat("internet users in China", 989e6, "users", "2020", at=45),
            stat("increase in internet users in China since March 2020", 85.4e6, "users", "2020"),
            stat("e-learning users in China", 342e6, "users", "2020-12", at=398),
            stat("annual online retail sales in China", 11.76e12, "CNY", "2020", at=1706),
            stat("year-on-year growth of online retail sales in China", 10.9, "percent", "2020"),
            stat("new 5G base stations built in China", 600e3, "base stations", "2020"),
            stat("total 5G base stations in China", 718e3, "base stations", "2020"),
        ),
        result(
            S004,
            stat("online retail sales in China", 3.9e12, "yuan", period_004, at=732),
            stat(
                "Chinese netizens who use the Internet to study, work and access public services",
                700e6,
                "netizens",
                period_004,
                at=844,
            ),
        ),
    ]


def series_values(brief: Brief, name: str) -> list[tuple[str | None, float | None, list[str]]]:
    return [(p.period, p.value, [s.doc_id for s in p.sources]) for p in brief.series[name].points]


# --------------------------------------------------------------------------- statistics


def test_internet_users_form_one_series_of_three_points() -> None:
    brief = consolidate(seeds_like())
    assert series_values(brief, "internet users in China") == [
        ("2020", 989e6, [S003]),
        ("2023-06", 1.079e9, [S000]),
        (None, 700e6, [S004]),  # undated points come last
    ]
    assert brief.series["internet users in China"].unit == "users"


def test_online_retail_sales_form_another_series() -> None:
    brief = consolidate(seeds_like(period_004="2015"))
    name = next(n for n in brief.series if "online retail" in n)
    assert series_values(brief, name) == [
        ("2015", 3.9e12, [S004]),
        ("2020", 11.76e12, [S003]),
        ("2023", 15.4e12, [S000]),
    ]
    assert brief.series[name].points[2].qualifier == "projected"
    assert series_values(brief, "internet users in China")[0] == ("2015", 700e6, [S004])


def test_related_but_different_metrics_stay_apart() -> None:
    brief = consolidate(seeds_like())
    assert set(brief.series) == {"internet users in China", "online retail sales in China"}
    assert brief.conflicts == []
    metrics = {s.metric for s in brief.statistics}
    for separate in (
        "increase in internet users in China since March 2020",
        "e-learning users in China",
        "year-on-year growth of online retail sales in China",
        "new 5G base stations built in China",
        "total 5G base stations in China",
    ):
        assert separate in metrics


def test_same_statistic_in_two_articles_is_one_record_with_both_sources() -> None:
    brief = consolidate(
        [
            result(S001, stat("population of China", 1.4e9, "people", at=4754)),
            result(S002, stat("China's population", 1.404e9, "people", at=4648)),  # +0.29 %
        ]
    )
    (record,) = brief.statistics
    assert [(s.doc_id, s.start) for s in record.sources] == [(S001, 4754), (S002, 4648)]
    assert record.series is None and not brief.series


def test_values_beyond_the_tolerance_are_different_statistics() -> None:
    brief = consolidate(
        [
            result(S001, stat("population of China", 1.4e9, "people")),
            result(S002, stat("population of China", 1.41e9, "people")),  # +0.71 %
        ]
    )
    assert len(brief.statistics) == 2


def test_different_values_for_the_same_period_are_a_conflict() -> None:
    brief = consolidate(
        [
            result(S003, stat("internet users in China", 989e6, "users", "2020", at=45)),
            result("005", stat("number of internet users in China", 900e6, "users", "2020", at=9)),
            result("006", stat("internet users in China", 1.0e9, "users", "2021")),
        ]
    )
    (conflict,) = brief.conflicts
    assert conflict.period == "2020"
    assert sorted((v.value, v.sources[0].doc_id) for v in conflict.values) == [
        (900e6, "005"),
        (989e6, S003),
    ]
    points = brief.series["internet users in China"].points
    assert [(p.period, p.conflict) for p in points] == [
        ("2020", True),
        ("2020", True),
        ("2021", False),
    ]


def test_a_qualifier_can_reconcile_two_values() -> None:
    brief = consolidate(
        [
            result(
                S001,
                stat("online shoppers in China", 845e6, "people", "2022", qualifier="at_least"),
            ),
            result(S002, stat("online shoppers in China", 850e6, "shoppers", "2022")),
        ]
    )
    assert brief.conflicts == []
    assert len(brief.series["online shoppers in China"].points) == 2


def test_a_missing_period_takes_the_known_one() -> None:
    brief = consolidate(
        [
            result(S001, stat("online retail sales in China", 3.9e12, "CNY")),
            result(S002, stat("online retail sales in China", 3.9e12, "CNY", "2015")),
        ]
    )
    (record,) = brief.statistics
    assert record.period == "2015" and len(record.sources) == 2


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("internet users in China", "China's internet users", True),
        ("internet users in China", "number of internet users in China", True),
        ("internet users in China", "Chinese netizens", True),
        ("internet users in China", "China's internet population", True),
        ("internet users in China", "Chinese netizens using the Internet to study", True),
        ("online retail sales in China", "national online retail sales in China (projected)", True),
        ("online retail sales in China", "annual online retail sales in China", True),
        ("scale of China's digital economy", "size of China's digital economy", True),
        ("online shoppers in China", "number of online shoppers in China", True),
        ("internet users in China", "internet users in India", False),
        ("internet users in China", "increase in internet users in China", False),
        ("internet users in China", "e-learning users in China", False),
        ("total 5G base stations in China", "new 5G base stations built in China", False),
    ],
)
def test_metric_key(a: str, b: str, same: bool) -> None:
    assert (metric_key(a) == metric_key(b)) is same, (metric_key(a), metric_key(b))


@pytest.mark.parametrize(
    ("unit", "cls"),
    [
        ("percent", "percent"),
        ("%", "percent"),
        ("CNY", "CNY"),
        ("yuan", "CNY"),
        ("US dollars", "USD"),
        ("users", "count"),
        ("netizens", "count"),
        ("base stations", "count"),
        ("km", "km"),
        ("kilometres", "km"),
        ("minutes", "minutes"),
        ("min", "minutes"),
        ("RMB", "CNY"),
        ("metric tons", "tonnes"),
        (None, "none"),
    ],
)
def test_unit_class(unit: str | None, cls: str) -> None:
    assert unit_class(unit) == cls


def test_units_of_different_classes_never_merge() -> None:
    brief = consolidate(
        [
            result(S001, stat("online retail sales in China", 10.9, "percent", "2020")),
            result(S002, stat("online retail sales in China", 11.76e12, "CNY", "2020")),
        ]
    )
    assert len(brief.statistics) == 2 and not brief.series and not brief.conflicts


# --------------------------------------------------------------------------- milestones


def test_timeline_is_sorted_and_the_same_event_is_merged() -> None:
    brief = consolidate(
        [
            result(
                S001,
                mile(
                    "2014",
                    "Xi Jinping convened the first meeting of the Central Leading Group for Cyberspace Affairs.",
                ),
                mile(
                    "2015-12",
                    "Xi Jinping delivered a keynote speech at the second World Internet Conference.",
                ),
                mile(None, "A surgeon in Zhejiang removed a gallbladder of a patient in Xinjiang."),
                mile("2012", "Xi asserted that humanity had entered the age of the internet."),
            ),
            result(
                S002,
                mile(
                    "2014",
                    "Xi convened the first meeting of the Central Leading Group for Cyberspace Affairs.",
                ),
                mile(
                    "2015", "Xi delivered a keynote speech at the second World Internet Conference."
                ),
            ),
            result(
                S000, mile("2014", "China celebrated the 20th anniversary of full internet access.")
            ),
        ]
    )
    got = [(m.date, sorted({s.doc_id for s in m.sources})) for m in brief.timeline]
    assert got == [
        ("2012", [S001]),
        ("2014", [S000]),  # same date: ordered by first source
        ("2014", [S001, S002]),
        ("2015-12", [S001, S002]),  # the more precise date wins
        (None, [S001]),
    ]
    assert [m.id for m in brief.timeline] == ["M1", "M2", "M3", "M4", "M5"]


def test_dated_and_undated_events_do_not_merge() -> None:
    text = "Xi Jinping visited the Purple Mountain Laboratories in Nanjing."
    brief = consolidate([result(S001, mile(None, text)), result(S002, mile("2023-07", text))])
    assert [m.date for m in brief.timeline] == ["2023-07", None]


# --------------------------------------------------------------------------- quotes

SEIZE = "You must seize the opportunity, make new achievements, and focus wholeheartedly on doing this well"


def test_speaker_aliases_merge_and_the_same_quote_is_listed_once() -> None:
    brief = consolidate(
        [
            result(S001, quote("Xi", SEIZE, at=441)),
            result(S002, quote("Xi Jinping", SEIZE + ".", at=395, role="President")),
            result(S000, quote("General Secretary Xi Jinping", "overtaking around corners")),
            result(
                "005",
                quote(
                    "President Xi Jinping",
                    "Cyberspace is the common space of activities for mankind",
                ),
            ),
        ]
    )
    (xi,) = brief.quotes_by_speaker
    assert xi.speaker == "Xi Jinping"
    assert xi.aliases == [
        "General Secretary Xi Jinping",
        "President Xi Jinping",
        "Xi",
        "Xi Jinping",
    ]
    seize = next(q for q in xi.quotes if q.text.startswith("You must"))
    assert [(s.doc_id, s.start) for s in seize.sources] == [(S001, 441), (S002, 395)]
    assert len(xi.quotes) == 3
    assert seize.speaker == "Xi Jinping" and seize.speaker_role == "President"


def test_an_ambiguous_short_name_is_not_merged() -> None:
    brief = consolidate(
        [
            result(S001, quote("John Smith", "We will build it.")),
            result(S002, quote("Jane Smith", "We will not.")),
            result(S003, quote("Smith", "Maybe.")),
            result(S004, quote("he", "Who knows.")),
        ]
    )
    assert sorted(sq.speaker for sq in brief.quotes_by_speaker) == [
        "Jane Smith",
        "John Smith",
        "Smith",
        "he",
    ]


def test_different_quotes_of_one_speaker_stay_apart() -> None:
    brief = consolidate(
        [
            result(
                S001,
                quote("Xi", "It is no easy job."),
                quote("Xi", "It must be done no matter how hard it is."),
            )
        ]
    )
    assert len(brief.quotes_by_speaker[0].quotes) == 2


# --------------------------------------------------------------------------- grounding, duplicates


def test_ungrounded_records_are_counted_and_left_out_unless_kept() -> None:
    results = [
        result(
            S001,
            stat("population of China", 1.4e9, "people", match="none"),
            stat("online shoppers in China", 845e6, "people", "2022"),
            mile("2014", "Something happened.", match="none"),
        )
    ]
    brief = consolidate(results)
    assert brief.ungrounded == 2
    assert [s.metric for s in brief.statistics] == ["online shoppers in China"]
    assert brief.timeline == []
    assert brief.documents[0].ungrounded == 2 and brief.documents[0].statistics == 1

    kept = consolidate(results, keep_ungrounded=True)
    assert kept.ungrounded == 2
    population = next(s for s in kept.statistics if s.metric == "population of China")
    assert population.grounded is False and population.sources[0].start is None
    assert kept.timeline[0].grounded is False


def test_exact_duplicates_add_a_source_but_no_records() -> None:
    c = Consolidator()
    c.add(
        result(S001, stat("population of China", 1.4e9, "people", at=10), quote("Xi", SEIZE, at=50))
    )
    c.add(
        result(
            "001-copy",
            stat("something else entirely", 5.0, "units"),
            duplicate_of=S001,
        )
    )
    brief = c.finish()
    assert [d.id for d in brief.documents] == [S001, "001-copy"]
    assert brief.documents[1].duplicate_of == S001
    (record,) = brief.statistics
    assert [(s.doc_id, s.start) for s in record.sources] == [(S001, 10), ("001-copy", 10)]
    assert [s.doc_id for s in brief.quotes_by_speaker[0].quotes[0].sources] == [S001, "001-copy"]


def test_near_duplicates_warnings_and_documents() -> None:
    c = Consolidator()
    c.add(result(S001, near=[S002], warnings=["chunked into 2 parts"]))
    c.add(result(S002, near=[S001]))
    c.add(result(S003))
    with pytest.raises(ValueError, match="already added"):
        c.add(result(S001))
    brief = c.finish(near_duplicates={S003: ["007"]})
    assert brief.near_duplicates == [["001", "002"], ["003", "007"]]
    assert brief.warnings == {S001: ["chunked into 2 parts"]}
    assert [d.title for d in brief.documents] == ["Title 001", "Title 002", "Title 003"]
    assert brief.documents[2].near_duplicates == ["007"]
    with pytest.raises(ValueError, match="finished"):
        c.add(result("005"))


def test_brief_round_trips_through_json() -> None:
    brief = consolidate(seeds_like())
    again = Brief.model_validate_json(brief.model_dump_json())
    assert again == brief
    assert json.loads(brief.model_dump_json())["rules"]["value_rel_tol"] == 0.005


@pytest.mark.skipif(not GOLD.is_dir(), reason="no gold annotations")
def test_gold_annotations_give_the_two_series() -> None:
    results = [
        ArticleResult.model_validate_json(p.read_text()) for p in sorted(GOLD.glob("*.json"))
    ]
    brief = consolidate(results)
    users = brief.series["internet users in China"]
    assert [p.value for p in users.points][:2] == [989e6, 1.079e9]
    assert {p.value for p in users.points} == {989e6, 1.079e9, 700e6}
    retail = next(s for n, s in brief.series.items() if "online retail sales" in n)
    assert {p.value for p in retail.points} == {3.9e12, 11.76e12, 15.4e12}
    # 001 and 002 are one story on two sites: their records merge, two sources each.
    population = next(s for s in brief.statistics if s.metric == "population of China")
    assert len(population.sources) == 2
    assert brief.conflicts == []


_WORDS = [a + b for a in ("ka", "lo", "mi", "ne", "su", "ta", "vo", "ri") for b in "bdfgklmnprst"]


def _synthetic(i: int) -> ArticleResult:
    import random

    rng = random.Random(i)

    def words() -> str:
        return " ".join(rng.sample(_WORDS, 8))

    return result(
        f"doc{i:05d}",
        stat(f"exports of region {i % 40}", 1000.0 + i, "USD", str(2000 + i % 20), at=i),
        mile(f"{2000 + i % 20}-0{1 + i % 9}", words()),
        quote(f"Person Number{i % 30}", words()),
    )


def test_memory_does_not_grow_with_the_articles() -> None:
    import gc
    import tracemalloc

    c = Consolidator()
    for i in range(300):
        c.add(_synthetic(i))
    tracemalloc.start()
    try:
        gc.collect()
        before, _ = tracemalloc.get_traced_memory()
        for i in range(300, 2300):
            c.add(_synthetic(i))
        gc.collect()  # garbage cycles are not held
        after, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # 2,000 articles and 6,000 records later, the Python heap holds no more than a few
    # small caches: everything is in the working store on disk.
    assert after - before < 200_000, f"{(after - before) / 2000:.0f} bytes per article"
    with c.finish() as brief:
        counts = brief.counts()
    assert counts.documents == 2300 and min(counts.milestones, counts.quotes) > 2200


def test_near_duplicate_groups_are_whole_components() -> None:
    # 07 is linked to 02 and 04, which reach 00, 01 and 06: one group of six. (A
    # chained assignment in the union-find once cut 07 loose.)
    links = [("01", "06"), ("02", "07"), ("04", "00"), ("02", "01"), ("04", "07")]
    c = Consolidator()
    for doc in sorted({x for pair in links for x in pair}):
        c.add(result(doc))
    extra: dict[str, list[str]] = {}
    for a, b in links:
        extra.setdefault(a, []).append(b)
    with c.finish(near_duplicates=extra) as brief:
        assert brief.near_duplicates == [["00", "01", "02", "04", "06", "07"]]
