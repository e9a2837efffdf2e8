"""Lenient reading of real models' answers: one bad record never costs the article."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from summarizer.extract.salvage import (
    Salvage,
    UnusableAnswer,
    collecting,
    lenient,
    load_json,
    salvage,
    salvage_text,
)
from summarizer.records import Extraction

STAT = {"metric": "wind farms in the region", "value_text": "12", "evidence": "It has 12."}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', {"a": 1}),
        ('Here you go:\n```json\n{"a": 1}\n```\nHope it helps.', {"a": 1}),
        ('{"a": [1, 2,], }', {"a": [1, 2]}),
        ('{"a": 1} {"b": 2}', {"a": 1}),
        (
            '{"s": "x", "l": [{"k": 1}, {"k": 2}, {"k": 3, "j": "cut he',
            {"s": "x", "l": [{"k": 1}, {"k": 2}]},
        ),
        ('{"s": "done", "l": [', {"s": "done"}),
        (
            '{"s": "a \\"quoted\\" word", "l": [{"k": "}"}, {"k": "x',
            {"s": 'a "quoted" word', "l": [{"k": "}"}]},
        ),
    ],
)
def test_load_json_is_lenient(text: str, expected: dict[str, Any]) -> None:
    value, _ = load_json(text)
    assert value == expected


@pytest.mark.parametrize("text", ["", "I cannot help with that.", '{"summary": "never closed'])
def test_load_json_without_an_object_raises(text: str) -> None:
    with pytest.raises(UnusableAnswer):
        load_json(text)


def test_one_bad_record_is_dropped_by_name_and_the_rest_kept() -> None:
    report = Salvage()
    data = salvage(
        {
            "summary": "S.",
            "statistics": [STAT, {"value_text": "7"}, "not a record", {**STAT, "value": "1,5"}],
            "quotes": [{"quote": "We will build it.", "name": "A. Person"}],
            "milestones": [{"description": "Opened the plant.", "when": "June 2023"}],
        },
        report,
    )
    ex = Extraction.model_validate(data)
    assert [s.value_text for s in ex.statistics] == ["12", "12"]
    assert ex.statistics[1].value == 15.0  # "1,5": commas are thousands separators
    assert (ex.quotes[0].text, ex.quotes[0].speaker) == ("We will build it.", "A. Person")
    assert (ex.milestones[0].event, ex.milestones[0].date) == ("Opened the plant.", "June 2023")
    assert report.kept == 4
    assert any("statistics[1]" in d and "metric" in d for d in report.dropped)
    assert any("statistics[2]" in d for d in report.dropped)


def test_coercions_keep_records_small_models_write() -> None:
    ex = Extraction.model_validate(
        salvage(
            {
                "summary": None,
                "statistics": [
                    {"metric": "m", "value": "n/a", "value_text": 1200, "period": 2021, "unit": ""},
                    {"metric": "m", "value": 5, "period": "last year"},  # value_text from value
                ],
                "milestones": {"event": "E.", "actors": "One Body", "date": "unknown"},
            }
        )
    )
    first, second = ex.statistics
    assert (first.value, first.value_text, first.period, first.unit) == (None, "1200", "2021", None)
    assert (second.value_text, second.period) == ("5", "last year")
    assert ex.milestones[0].actors == ["One Body"] and ex.milestones[0].date is None
    assert ex.summary == ""


def test_wrapped_object_and_list_aliases() -> None:
    data = salvage({"Extraction": {"summary": "S.", "stats": [STAT]}})
    assert data["summary"] == "S." and len(data["statistics"]) == 1


def test_salvage_text_of_a_cut_off_answer() -> None:
    full = {"summary": "S.", "statistics": [STAT, STAT, STAT]}
    text = json.dumps(full)
    cut = text[: text.rindex('"evidence"') + 14]  # the third record is cut in half
    ex, notes = salvage_text(cut)
    assert ex.summary == "S." and len(ex.statistics) == 2
    assert any("incomplete" in n for n in notes)


def test_lenient_model_has_the_same_schema_and_name() -> None:
    model = lenient(Extraction)
    assert model.__name__ == "Extraction"
    assert model.model_json_schema() == Extraction.model_json_schema()


def test_lenient_model_reasks_only_when_nothing_is_usable() -> None:
    model = lenient(Extraction)
    with collecting(reasks=1) as notes:
        ex = model.model_validate_json(
            '```json\n{"summary": "S.", "statistics": [' + json.dumps(STAT) + ', {"value": 3}]}'
        )
    assert len(ex.statistics) == 1  # {"value": 3} gets value_text "3" but has no metric
    assert any("dropped statistics[1]" in n and "metric" in n for n in notes)
    with collecting(reasks=1), pytest.raises(ValidationError) as info:
        model.model_validate_json('{"summary": "", "statistics": [{"value_text": "3"}]}')
    message = str(info.value)
    assert "no record could be used" in message and "statistics[0] metric" in message


def test_last_attempt_keeps_a_summary_and_fails_only_on_nothing() -> None:
    model = lenient(Extraction)
    bad = '{"summary": "Only this.", "statistics": [{"value_text": "3"}]}'
    with collecting(reasks=1), pytest.raises(ValidationError):
        model.model_validate_json(bad)  # first attempt: asked again
    with collecting(reasks=0) as notes:
        ex = model.model_validate_json(bad)  # last attempt: the summary is something
    assert ex.summary == "Only this." and ex.statistics == []
    assert any("statistics[0]" in n for n in notes)
    with collecting(reasks=0), pytest.raises(ValidationError, match="no JSON object"):
        model.model_validate_json("Sorry, I cannot.")


# --------------------------------------------------------------------------- through the pipeline

ARTICLE = (
    "Lakeview opened a new library on Monday. It holds 85,000 books and cost 4 million euros.\n"
    "“Reading is for everyone,” said librarian Tomas Reyes.\n"
)
GOOD_STAT = {
    "metric": "books in the new library",
    "value_text": "85,000",
    "evidence": "It holds 85,000 books and cost 4 million euros.",
}


def _summarize(server: Any, **options: Any) -> Any:
    from summarizer import Summarizer

    from .conftest import API_KEY

    # The answers below are Extractions: what the generate strategy asks for.
    settings = {
        "base_url": server.base_url,
        "api_key": API_KEY,
        "use_cache": False,
        "strategy": "generate",
        **options,
    }
    with Summarizer(**settings) as s:
        return s.summarize_text(ARTICLE, id="lib")


def test_pipeline_keeps_the_good_records_of_an_answer_with_a_bad_one(server: Any) -> None:
    server.enqueue(
        'Here is the JSON:\n```json\n{"summary": "A library opened.", "statistics": ['
        + json.dumps(GOOD_STAT)
        + ', {"value": "4 million", "unit": "EUR"}], "quotes": [{"quote": "Reading is for '
        'everyone", "speaker": "Tomas Reyes"}], "milestones": []}\n```'
    )
    result = _summarize(server, mode="json")
    assert result.provenance.llm_calls == 1 and result.provenance.reasks == 0
    assert [s.value for s in result.statistics] == [85_000]
    assert result.statistics[0].evidence.match == "exact"
    assert result.quotes[0].evidence.match == "exact"
    assert any("dropped statistics[1]" in w and "metric" in w for w in result.warnings)


def test_pipeline_reasks_once_for_nothing_usable_and_counts_it(server: Any) -> None:
    server.enqueue(
        "I am sorry, I cannot produce JSON.",
        {"summary": "A library opened.", "statistics": [GOOD_STAT]},
    )
    result = _summarize(server, mode="json")
    assert (result.provenance.llm_calls, result.provenance.reasks) == (2, 1)
    reask = server.history[1]["messages"][-1]["content"]
    assert "holds no JSON object" in reask
    assert [s.value for s in result.statistics] == [85_000]


def test_pipeline_keeps_the_complete_records_of_a_cut_off_answer(server: Any) -> None:
    answer = {"summary": "A library opened.", "statistics": [GOOD_STAT] * 3 + [GOOD_STAT]}
    text = json.dumps(answer)
    budget = (
        len(json.dumps({"summary": "A library opened.", "statistics": [GOOD_STAT] * 2})) + 40
    ) // 4
    server.enqueue(answer)
    result = _summarize(server, mode="json", max_tokens=budget)
    assert len(text) > budget * 4  # the server really cut it
    assert result.summary == "A library opened."
    assert [s.value for s in result.statistics] == [85_000]  # duplicates merge in grounding
    assert any("cut off" in w for w in result.warnings)


def test_an_article_fails_only_after_the_reasks_and_they_are_counted(
    server: Any, tmp_path: Any
) -> None:
    from summarizer import Summarizer

    from .conftest import API_KEY

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "lib.txt").write_text(ARTICLE)
    server.enqueue("No.", "Still no.", '{"statistics": [{"value": 3}]}')
    with Summarizer(
        base_url=server.base_url,
        api_key=API_KEY,
        mode="json",
        use_cache=False,
        max_reasks=2,
        strategy="generate",
    ) as s:
        result = s.summarize_folder(folder, tmp_path / "out")
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert result.run.succeeded == 0 and len(run["failed"]) == 1
    assert (run["llm_calls"], run["reasks"]) == (3, 2)
    assert "no record could be used" in run["failed"][0]["reason"]
