"""Candidate-guided extraction: code finds and builds the records, the labels choose."""

from __future__ import annotations

import re

import pytest

from summarizer.extract.candidates import (
    CandidateSet,
    Labels,
    build_extraction,
    find_candidates,
    render,
)
from summarizer.extract.salvage import collecting, lenient
from summarizer.ground.align import locate

TEXT = (
    "Harbourton, a port town, said on Tuesday that it had 48,000 residents, up 3 percent.\n"
    "The council approved a new ferry terminal in March 2019.\n"
    "“We will keep the harbour open all winter,” said Mayor Ilse Varga.\n"
    "The terminal cost 12 million euros, and its 2 cranes lift 40 tonnes each.\n"
)


@pytest.fixture
def cands() -> CandidateSet:
    return find_candidates(TEXT)


def test_render_marks_every_candidate_in_the_article(cands: CandidateSet) -> None:
    shown = render(cands)
    article = shown.split("</article>")[0]
    assert len(re.findall(r"\[N\d+\]", article)) == len(cands.numbers) > 0
    assert len(re.findall(r"\[Q\d+\]", article)) == len(cands.quotes) == 1
    assert len(re.findall(r"\[D\d+\]", article)) == len(cands.events) > 0
    # Removing the marks gives the article back.
    assert re.sub(r"\[[NQD]\d+\]", "", article.removeprefix("<article>\n")).strip() == TEXT.strip()
    for i, q in enumerate(cands.numbers, 1):
        assert f"[N{i}]{q.text}" in article


def test_no_labels_keeps_the_proposals_and_everything_is_grounded(cands: CandidateSet) -> None:
    ex, notes = build_extraction(cands, Labels(summary="S."))
    assert notes == []
    values = {s.value_text for s in ex.statistics}
    assert {"48,000", "3 percent", "12 million euros"} <= values
    assert [q.speaker for q in ex.quotes] == ["Ilse Varga"]
    for s in ex.statistics:
        found = locate(s.evidence, TEXT)
        assert found is not None and found.match == "exact"
        assert s.value_text in s.evidence
    for q in ex.quotes:
        assert q.text in TEXT


def test_labels_drop_relabel_and_promote(cands: CandidateSet) -> None:
    n = {q.text: i for i, q in enumerate(cands.numbers, 1)}
    d_march = next(i for i, e in enumerate(cands.events, 1) if "2019" in e.date.text)
    labels = Labels.model_validate(
        {
            "summary": "A port town grows.",
            "statistics": [
                {"id": f"N{n['48,000']}", "keep": True, "metric": "residents of Harbourton"},
                {"id": str(n["3 percent"]), "keep": "no"},
                {"id": "N99", "metric": "nothing"},
            ],
            "quotes": [{"id": "Q1", "speaker": "Ilse Varga, the mayor"}],
            "milestones": [{"id": d_march, "keep": True, "event": "Terminal approved."}],
        }
    )
    ex, notes = build_extraction(cands, labels)
    by_text = {s.value_text: s for s in ex.statistics}
    assert by_text["48,000"].metric == "residents of Harbourton"
    assert "3 percent" not in by_text
    assert ex.quotes[0].speaker == "Ilse Varga, the mayor"
    march = [m for m in ex.milestones if m.event == "Terminal approved."]
    assert march and march[0].date == "2019-03"
    assert notes and "N99" in notes[0]


def test_labels_are_read_leniently() -> None:
    model = lenient(Labels)
    with collecting(reasks=0) as notes:
        labels = model.model_validate_json(
            'Sure!\n{"summary": "S.", "statistics": [{"id": "[N2]", "keep": "yes"}, {"metric": "x"}]'
        )
    assert [(s.id, s.keep) for s in labels.statistics] == [(2, True)]
    assert any("statistics[1]" in n and "id" in n for n in notes)


def test_an_article_without_candidates_still_gets_its_summary() -> None:
    cands = find_candidates("Nothing is counted or dated here, and nobody is quoted.")
    assert cands.empty
    ex, _ = build_extraction(cands, Labels(summary="Quiet day."))
    assert ex.summary == "Quiet day." and not ex.statistics


def test_labels_that_list_every_date_blindly_change_nothing(cands: CandidateSet) -> None:
    # What a 1.5B model wrote for a seed: one entry per date, no keep, the phrase as event.
    blind = Labels.model_validate(
        {
            "milestones": [
                {"id": f"D{i}", "event": e.date.text} for i, e in enumerate(cands.events, 1)
            ]
        }
    )
    guessed, _ = build_extraction(cands, Labels())
    ex, _ = build_extraction(cands, blind)
    assert [m.evidence for m in ex.milestones] == [m.evidence for m in guessed.milestones]
    assert all(m.event == m.evidence for m in ex.milestones)


def test_a_metric_alone_keeps_a_number_the_code_dropped() -> None:
    cands = find_candidates("The group said 5 is too many. Its budget is 9 million euros.")
    dropped = [i for i in range(1, len(cands.numbers) + 1) if i not in cands.proposed_numbers]
    assert dropped, "the code keeps every number here: pick a text with a dropped one"
    labels = Labels.model_validate(
        {"statistics": [{"id": i, "metric": "a thing worth counting"} for i in dropped]}
    )
    base, _ = build_extraction(cands, Labels())
    ex, _ = build_extraction(cands, labels)
    added = [s for s in ex.statistics if s.metric == "a thing worth counting"]
    assert added and len(ex.statistics) == len(base.statistics) + len(added)


def test_a_metric_that_is_only_the_number_keeps_the_code_metric(cands: CandidateSet) -> None:
    i = next(i for i, q in enumerate(cands.numbers, 1) if q.text == "48,000")
    ex, _ = build_extraction(
        cands, Labels.model_validate({"statistics": [{"id": i, "metric": "48,000"}]})
    )
    stat = next(s for s in ex.statistics if s.value_text == "48,000")
    assert stat.metric == cands.numbers[i - 1].metric


@pytest.mark.parametrize("placeholder", ["...", "?", "—", "N/A 1"])
def test_a_speaker_with_no_word_is_a_placeholder(cands: CandidateSet, placeholder: str) -> None:
    # The 0.5B wrote "..." as the speaker of seed 002's president.
    labels = Labels.model_validate({"quotes": [{"id": 1, "speaker": placeholder}]})
    ex, _ = build_extraction(cands, labels)
    expected = placeholder if placeholder == "N/A 1" else "Ilse Varga"
    assert [q.speaker for q in ex.quotes] == [expected]


def test_candidate_marks_copied_into_the_summary_are_removed(cands: CandidateSet) -> None:
    # The 0.5B wrote "received a special guest [D1]earlier this month".
    summary = "Harbourton had [N1]48,000 residents [N1], up 3 percent [N2]. A [D1]terminal [Q1]."
    ex, _ = build_extraction(cands, Labels(summary=summary))
    assert ex.summary == "Harbourton had 48,000 residents, up 3 percent. A terminal."
    kept = "Figures [1] and [x2] and [N] stay."
    assert build_extraction(cands, Labels(summary=kept))[0].summary == kept
