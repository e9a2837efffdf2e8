"""Tests for summarizer.evaluate: hand-made records, exact numbers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from summarizer.errors import InputError
from summarizer.evaluate import (
    EvalReport,
    MatchRules,
    Scores,
    evaluate,
    evaluate_paths,
    load_results,
    render_table,
    speakers_agree,
)
from summarizer.evaluate._match import _assign
from summarizer.records import (
    ArticleResult,
    Document,
    Evidence,
    MatchKind,
    Milestone,
    Provenance,
    Quote,
    Statistic,
)

# --------------------------------------------------------------------------- builders


def ev(text: str = "", start: int | None = None, match: MatchKind = "exact") -> Evidence:
    end = None if start is None else start + len(text)
    return Evidence(text=text, start=start, end=end, match=match)


def ms(date: str | None, event: str, evidence: Evidence | None = None) -> Milestone:
    return Milestone(date=date, event=event, evidence=evidence or ev())


def st(
    metric: str, value: float | None, unit: str | None, evidence: Evidence | None = None
) -> Statistic:
    return Statistic(
        metric=metric, value=value, unit=unit, value_text=str(value), evidence=evidence or ev()
    )


def qt(speaker: str, text: str, evidence: Evidence | None = None) -> Quote:
    return Quote(speaker=speaker, text=text, evidence=evidence or ev())


def art(
    doc_id: str,
    milestones: list[Milestone] | None = None,
    statistics: list[Statistic] | None = None,
    quotes: list[Quote] | None = None,
) -> ArticleResult:
    return ArticleResult(
        document=Document(id=doc_id, path=f"{doc_id}.txt", sha256="0" * 64, chars=100),
        summary="s",
        milestones=milestones or [],
        statistics=statistics or [],
        quotes=quotes or [],
        provenance=Provenance(model="m", endpoint=None, mode="json", prompt_version="1"),
    )


def run(pred: ArticleResult, gold: ArticleResult) -> EvalReport:
    return evaluate({pred.document.id: pred}, {gold.document.id: gold})


def counts(s: Scores) -> tuple[int, int, int]:
    return (s.tp, s.fp, s.fn)


# --------------------------------------------------------------------------- scores


@pytest.mark.parametrize(
    ("tp", "fp", "fn", "p", "r", "f1"),
    [
        (0, 0, 0, 1.0, 1.0, 1.0),  # both empty
        (0, 0, 3, 0.0, 0.0, 0.0),  # no predictions, gold exists
        (0, 2, 0, 0.0, 0.0, 0.0),  # predictions, no gold
        (2, 1, 1, 2 / 3, 2 / 3, 2 / 3),
        (3, 1, 0, 0.75, 1.0, 6 / 7),
    ],
)
def test_scores_conventions(tp: int, fp: int, fn: int, p: float, r: float, f1: float) -> None:
    s = Scores.of(tp, fp, fn)
    assert (s.precision, s.recall, s.f1) == pytest.approx((p, r, f1))


# --------------------------------------------------------------------------- speakers


@pytest.mark.parametrize(
    ("a", "b", "agree"),
    [
        ("Xi", "Xi Jinping", True),
        ("President Xi Jinping", "General Secretary Xi Jinping", True),
        ("Xi", "General Secretary Xi Jinping", True),
        ("Song", "Song Chunjiao", True),
        ("Mr. Song", "Song Chunjiao", True),
        ("Dr Zhang", "zhang", True),
        ("Prime Minister Li Qiang", "Premier Li Qiang", True),
        ("he", "Xi Jinping", False),
        ("he", "he", False),
        ("the President", "Xi Jinping", False),
        ("a spokesperson", "Spokesperson", True),
        ("Xi Jinping", "Li Qiang", False),
        ("Song Chunjiao", "Song Wei", False),
    ],
)
def test_speakers_agree(a: str, b: str, agree: bool) -> None:
    assert speakers_agree(a, b) is agree
    assert speakers_agree(b, a) is agree


# --------------------------------------------------------------------------- pair rules


@pytest.mark.parametrize(
    ("pred_date", "gold_date", "tp"),
    [
        ("2023", "2023-07", 1),
        ("2023-07-01", "2023-07", 1),
        ("2023-07", "2023-08", 0),
        ("2022", "2023", 0),
        (None, None, 1),
        (None, "2023", 0),
        ("2023", None, 0),
    ],
)
def test_milestone_dates_at_common_precision(
    pred_date: str | None, gold_date: str | None, tp: int
) -> None:
    event = "China opened the Tiangong space station"
    report = run(art("d", milestones=[ms(pred_date, event)]), art("d", [ms(gold_date, event)]))
    assert counts(report.micro["milestones"]) == (tp, 1 - tp, 1 - tp)


@pytest.mark.parametrize(
    ("pred", "gold", "tp"),
    [
        # unlike events, but the same evidence span
        (
            ms("2014", "Xi led the group", ev("In 2014 the group met.", 10)),
            ms("2014", "Cyber power strategy set", ev("In 2014 the group met.", 10)),
            1,
        ),
        # unlike events, disjoint spans
        (
            ms("2014", "Xi led the group", ev("In 2014 the group met.", 10)),
            ms("2014", "Cyber power strategy set", ev("In 2014 the group met.", 90)),
            0,
        ),
        # no offsets: evidence texts compared
        (
            ms("2014", "Xi led the group", ev("In 2014, the group met")),
            ms("2014", "Cyber power strategy set", ev("in 2014 the group met.")),
            1,
        ),
        (ms("2014", "Xi led the group"), ms("2014", "Cyber power strategy set"), 0),
    ],
)
def test_milestone_event_or_evidence(pred: Milestone, gold: Milestone, tp: int) -> None:
    report = run(art("d", milestones=[pred]), art("d", milestones=[gold]))
    assert report.micro["milestones"].tp == tp


@pytest.mark.parametrize(
    ("pred", "gold", "tp"),
    [
        (st("internet users", 1.079e9, None), st("internet users in China", 1.079e9, None), 1),
        (st("internet users", 100.4, "people"), st("internet users", 100.0, "people"), 1),
        (st("internet users", 101.0, "people"), st("internet users", 100.0, "people"), 0),
        (st("coverage rate", 100, "%"), st("coverage rate", 100, "per cent"), 1),
        (st("coverage rate", 100, "Percent"), st("coverage rate", 100, "percent"), 1),
        (st("sales", 15.4e12, "USD"), st("sales", 15.4e12, "CNY"), 0),
        (st("sales", 15.4e12, "yuan"), st("sales", 15.4e12, "CNY"), 1),
        (st("sales", 5, None), st("sales", 5, "percent"), 0),
        (st("graduates", 1e4, "college graduates"), st("graduates", 1e4, "graduates"), 1),
        (st("online shoppers", 8.45e8, "people"), st("online shoppers", 8.45e8, "shoppers"), 0),
        (st("growth", 2, "percentage points"), st("growth", 2, "percent"), 0),
        (st("growth", 2, "pp"), st("growth", 2, "Percentage point"), 1),
        (st("a majority of users", None, None), st("majority of users", None, None), 1),
        (st("share", None, None), st("share", 3, None), 0),
        (st("GDP growth", 5.2, "percent"), st("steel output", 5.2, "percent"), 0),
        # unlike metrics rescued by the same evidence span
        (
            st("GDP growth", 5.2, "percent", ev("GDP grew 5.2%.", 0)),
            st("economic expansion", 5.2, "percent", ev("GDP grew 5.2%.", 0)),
            1,
        ),
    ],
)
def test_statistic_rules(pred: Statistic, gold: Statistic, tp: int) -> None:
    report = run(art("d", statistics=[pred]), art("d", statistics=[gold]))
    assert report.micro["statistics"].tp == tp


@pytest.mark.parametrize(
    ("pred", "gold", "tp"),
    [
        (
            qt("Xi", "We must build a cyber power."),
            qt("General Secretary Xi Jinping", "we must build a cyber power"),
            1,
        ),
        (
            qt("Song", "It’s a new era — for all of us"),
            qt("Song Chunjiao", '"It\'s a new era - for all of us."'),
            1,
        ),
        (
            qt("he", "We must build a cyber power."),
            qt("Xi Jinping", "We must build a cyber power"),
            0,
        ),
        (
            qt("Li Qiang", "We must build a cyber power."),
            qt("Xi", "We must build a cyber power"),
            0,
        ),
        (qt("Xi", "We must build a strong navy."), qt("Xi", "We must build a cyber power."), 0),
    ],
)
def test_quote_rules(pred: Quote, gold: Quote, tp: int) -> None:
    report = run(art("d", quotes=[pred]), art("d", quotes=[gold]))
    assert report.micro["quotes"].tp == tp


# --------------------------------------------------------------------------- assignment


@pytest.mark.parametrize(
    ("n", "m", "sims", "expected"),
    [
        # duplicates in pred, one gold: the earliest pred wins
        (2, 1, {(0, 0): 1.0, (1, 0): 1.0}, [(0, 0)]),
        # one pred, duplicate gold: the earliest gold wins
        (1, 2, {(0, 0): 1.0, (0, 1): 1.0}, [(0, 0)]),
        # all tied: pair in order, never crossed
        (2, 2, {(i, j): 0.8 for i in range(2) for j in range(2)}, [(0, 0), (1, 1)]),
        # more matches beat one very similar match
        (2, 2, {(0, 0): 1.0, (0, 1): 0.4, (1, 0): 0.4}, [(0, 1), (1, 0)]),
        # with equal counts, higher similarity wins over order
        (2, 2, {(0, 0): 0.5, (0, 1): 0.9, (1, 0): 0.9, (1, 1): 0.5}, [(0, 1), (1, 0)]),
        (0, 3, {}, []),
    ],
)
def test_assignment(
    n: int, m: int, sims: dict[tuple[int, int], float], expected: list[tuple[int, int]]
) -> None:
    found = _assign(range(n), range(m), lambda i, j: sims.get((i, j)))
    assert [(i, j) for i, j, _ in found] == expected


def test_duplicate_prediction_is_a_false_positive() -> None:
    users = st("internet users", 1.079e9, None)
    report = run(art("d", statistics=[users, users]), art("d", statistics=[users]))
    assert counts(report.micro["statistics"]) == (1, 1, 0)
    [spurious] = report.articles[0].spurious
    assert (spurious.type, spurious.index) == ("statistics", 1)
    assert report.micro["statistics"].precision == 0.5


# --------------------------------------------------------------------------- planted faults


def test_wrong_magnitude_is_a_value_error() -> None:
    pred = art("d", statistics=[st("online retail sales", 15.4e15, "CNY")])
    gold = art("d", statistics=[st("national online retail sales", 15.4e12, "CNY")])
    report = run(pred, gold)
    assert counts(report.micro["statistics"]) == (0, 1, 1)
    [err] = report.value_errors
    assert (err.doc_id, err.metric, err.pred_value, err.gold_value) == (
        "d",
        "national online retail sales",
        15.4e15,
        15.4e12,
    )
    assert err.ratio == pytest.approx(1000.0)
    [spurious] = report.articles[0].spurious
    assert spurious.hint is not None and "x1000" in spurious.hint
    assert "value errors: 1" in render_table(report)


def test_unit_mismatch_is_noted_not_a_value_error() -> None:
    pred = art("d", statistics=[st("online retail sales", 15.4e12, "USD")])
    gold = art("d", statistics=[st("online retail sales", 15.4e12, "CNY")])
    report = run(pred, gold)
    assert counts(report.micro["statistics"]) == (0, 1, 1)
    assert report.value_errors == []
    [missed] = report.articles[0].missed
    assert missed.hint == "unit 'CNY' vs pred statistics[0] 'USD'"
    assert missed.description.startswith("statistic 'online retail sales'")


def test_mixed_article_numbers_and_names() -> None:
    gold = art(
        "china/web",
        milestones=[ms("2014", "Leading group on cyber security founded"), ms("2023-06", "Report")],
        statistics=[st("internet users", 1.079e9, None), st("coverage rate", 100, "percent")],
        quotes=[qt("Xi Jinping", "Build a cyber power")],
    )
    pred = art(
        "china/web",
        milestones=[ms("2014-02", "Cyber security leading group founded"), ms("2019", "Other")],
        statistics=[st("Internet users in China", 1.079e9, None)],
        quotes=[qt("President Xi", "build a cyber power!"), qt("he", "Build a cyber power")],
    )
    report = run(pred, gold)
    assert counts(report.micro["milestones"]) == (1, 1, 1)
    assert counts(report.micro["statistics"]) == (1, 0, 1)
    assert counts(report.micro["quotes"]) == (1, 1, 0)
    assert counts(report.overall) == (3, 2, 2)
    assert report.overall.f1 == pytest.approx(0.6)
    article = report.articles[0]
    assert [(n.type, n.index) for n in article.missed] == [("milestones", 1), ("statistics", 1)]
    assert [(n.type, n.index) for n in article.spurious] == [("milestones", 1), ("quotes", 1)]
    assert article.spurious[1].description == "quote by he: “Build a cyber power”"
    assert article.scores["quotes"].precision == 0.5


# --------------------------------------------------------------------------- empty and missing


def test_empty_predictions_empty_gold_and_both() -> None:
    users = st("internet users", 1.079e9, None)
    no_pred = run(art("d"), art("d", statistics=[users]))
    assert counts(no_pred.micro["statistics"]) == (0, 0, 1)
    assert no_pred.micro["statistics"].precision == 0.0
    assert no_pred.micro["milestones"].f1 == 1.0  # nothing on either side
    no_gold = run(art("d", statistics=[users]), art("d"))
    assert counts(no_gold.micro["statistics"]) == (0, 1, 0)
    assert (no_gold.micro["statistics"].precision, no_gold.micro["statistics"].f1) == (0.0, 0.0)
    both = evaluate({}, {})
    assert both.overall.f1 == 1.0 and both.passes(1.0)
    assert both.grounding["all"].rate is None


def test_missing_and_extra_articles() -> None:
    users = st("internet users", 1.079e9, None, ev("x", match="none"))
    gold = {"a": art("a", statistics=[users]), "b": art("b", quotes=[qt("Xi", "Hi there")])}
    pred = {"a": art("a", statistics=[users]), "c": art("c", statistics=[users, users])}
    report = evaluate(pred, gold)
    assert report.missing_in_pred == ["b"]
    assert report.extra_in_pred == ["c"]
    assert counts(report.micro["statistics"]) == (1, 0, 0)  # c is ignored
    assert counts(report.micro["quotes"]) == (0, 0, 1)
    assert report.articles[1].in_pred is False
    assert report.articles[1].missed[0].description == "quote by Xi: “Hi there”"
    assert (report.grounding["all"].grounded, report.grounding["all"].total) == (0, 1)
    assert "extra in pred (not scored): c" in render_table(report)


def test_grounding_and_passes() -> None:
    pred = art(
        "d",
        statistics=[
            st("a", 1, None, ev("a", match="exact")),
            st("b", 2, None, ev("b", match="fuzzy")),
            st("c", 3, None, ev("c", match="none")),
        ],
        quotes=[qt("Xi", "Hello", ev("Hello", match="none"))],
    )
    gold = art("d", statistics=[st("a", 1, None), st("b", 2, None), st("c", 3, None)])
    report = run(pred, gold)
    assert report.grounding["statistics"].rate == pytest.approx(2 / 3)
    assert report.grounding["quotes"].rate == 0.0
    assert report.grounding["milestones"].rate is None
    assert report.grounding["all"].rate == 0.5
    assert report.failures(0.5) == ["quotes"]
    assert not report.passes(0.5)
    assert report.passes(0.0)


# --------------------------------------------------------------------------- loading and output


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


HAND_GOLD = {
    "statistics": [{"metric": "internet users", "value": 1.079e9, "evidence": "1.079 billion"}],
    "quotes": [{"speaker": "Xi Jinping", "text": "Build a cyber power"}],
}


def test_load_hand_written_gold_folder(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "china" / "web.json", HAND_GOLD)  # id from the path
    write(tmp_path / "gold" / "other.json", {"document": {"id": "x/y"}, "summary": "s"})
    results = load_results(tmp_path / "gold")
    assert sorted(results) == ["china/web", "x/y"]
    stat = results["china/web"].statistics[0]
    assert (stat.unit, stat.value_text, stat.evidence.text) == (
        None,
        "1079000000.0",
        "1.079 billion",
    )


def test_load_run_folder_and_jsonl(tmp_path: Path) -> None:
    one, two = art("a", statistics=[st("x", 1, None)]), art("b/c")
    write(tmp_path / "out" / "run.json", {"documents": 2})  # not an article: skipped
    write(tmp_path / "out" / "articles" / "a.json", one.model_dump(mode="json"))
    write(tmp_path / "out" / "articles" / "b" / "c.json", two.model_dump(mode="json"))
    (tmp_path / "records.jsonl").write_text(
        one.model_dump_json() + "\n\n" + two.model_dump_json() + "\n", encoding="utf-8"
    )
    assert load_results(tmp_path / "out") == {"a": one, "b/c": two}
    assert load_results(tmp_path / "records.jsonl") == {"a": one, "b/c": two}


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.json", "{not json", "bad.json: not valid JSON"),
        ("list.json", "[1, 2]", "list.json: not a valid article result"),
        ("extra.json", json.dumps({**HAND_GOLD, "notes": "x"}), "extra.json: not a valid"),
        ("stat.json", json.dumps({"statistics": [{"value": 3}]}), "statistics.0.metric"),
        ("recs.jsonl", '{"document": {"id": "a"}}\n{oops\n', "recs.jsonl:2: not valid JSON"),
        ("nodoc.jsonl", "{}\n", "nodoc.jsonl:1: not a valid article result \\(document: Field"),
    ],
)
def test_invalid_inputs_name_the_file(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message.replace(".", r"\.")):
        load_results(tmp_path / name)


def test_duplicate_ids_and_empty_folder(tmp_path: Path) -> None:
    write(tmp_path / "g" / "a.json", {"document": {"id": "same"}})
    write(tmp_path / "g" / "b.json", {"document": {"id": "same"}})
    with pytest.raises(InputError, match="'same' already given by"):
        load_results(tmp_path / "g")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article JSON files"):
        load_results(tmp_path / "empty")
    with pytest.raises(InputError, match="no such file or folder"):
        load_results(tmp_path / "nope")


def test_evaluate_paths_json_and_table(tmp_path: Path) -> None:
    write(tmp_path / "gold" / "china" / "web.json", HAND_GOLD)
    pred = art(
        "china/web",
        statistics=[st("internet users", 1.079e6, None, ev("1.079 billion", 10))],
        quotes=[qt("General Secretary Xi Jinping", "build a cyber power.")],
    )
    write(tmp_path / "pred" / "china" / "web.json", pred.model_dump(mode="json"))
    report = evaluate_paths(tmp_path / "pred", tmp_path / "gold")
    assert counts(report.micro["quotes"]) == (1, 0, 0)
    assert counts(report.micro["statistics"]) == (0, 1, 1)
    assert report.value_errors[0].ratio == pytest.approx(0.001)
    data = json.loads(report.model_dump_json())
    assert set(data) == {
        "pred_source",
        "gold_source",
        "rules",
        "micro",
        "overall",
        "grounding",
        "value_errors",
        "articles",
        "missing_in_pred",
        "extra_in_pred",
    }
    assert data["grounding"]["all"] == {"grounded": 2, "total": 2, "rate": 1.0}
    assert data["micro"]["quotes"]["f1"] == 1.0
    assert data["rules"] == MatchRules().model_dump()
    assert EvalReport.model_validate_json(report.model_dump_json()) == report
    table = render_table(report).splitlines()
    assert table[0] == f"pred: {tmp_path / 'pred'}   gold: {tmp_path / 'gold'}"
    assert table[3].split() == ["type", "P", "R", "F1", "TP", "FP", "FN", "grounded"]
    assert table[5].split() == ["statistics", "0.000", "0.000", "0.000", "0", "1", "1", "100.0%"]
    assert table[6].split() == ["quotes", "1.000", "1.000", "1.000", "1", "0", "0", "100.0%"]
    assert (
        "  china/web  statistics[0]  statistic 'internet users' = 1.079e+06 (text '1079000.0')  <- value 1.079e+06 vs gold statistics[0] 1.079e+09 (x0.001)"
        in "\n".join(table)
    )
