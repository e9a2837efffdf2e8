"""Chunking: coverage, overlap and offsets over the seed articles, plus properties."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from summarizer.extract.chunking import Chunk, estimate_tokens, split_text

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_TEXTS = {p.stem[:3]: p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))}


def check_invariants(text: str, chunks: list[Chunk], max_chars: int, overlap_chars: int) -> None:
    """What every split promises, whatever the text."""
    assert chunks, "there is always at least one chunk"
    assert chunks[0].start == 0
    assert chunks[-1].end == len(text)
    for n, c in enumerate(chunks):
        assert c.index == n
        assert c.text == text[c.start : c.end]
        assert 0 < c.end - c.start <= max_chars or len(text) == 0
    for a, b in pairwise(chunks):
        assert a.start < b.start <= a.end, "in order, no gap"
        assert a.end - b.start <= overlap_chars


@pytest.mark.parametrize("name", sorted(SEED_TEXTS))
@pytest.mark.parametrize(("max_chars", "overlap_chars"), [(500, 0), (800, 200), (1500, 100)])
def test_seed_splits(name: str, max_chars: int, overlap_chars: int) -> None:
    text = SEED_TEXTS[name]
    chunks = split_text(text, max_chars=max_chars, overlap_chars=overlap_chars)
    check_invariants(text, chunks, max_chars, overlap_chars)
    assert len(chunks) > 1
    for a, b in pairwise(chunks):
        assert text[a.end - 1].isspace(), "prose is cut after whitespace, never mid-word"
        assert b.start == a.end or text[b.start - 1].isspace(), "overlap starts at a word"
        if overlap_chars:
            assert b.start < a.end, "consecutive chunks overlap"


def test_packs_paragraphs() -> None:
    paragraphs = [f"Paragraph {n} says something short but complete." for n in range(40)]
    text = "\n\n".join(paragraphs)
    chunks = split_text(text, max_chars=500, overlap_chars=0)
    check_invariants(text, chunks, 500, 0)
    for c in chunks[:-1]:
        assert c.text.endswith(".\n\n")
        assert c.end - c.start > 500 - len(paragraphs[0]) - 2, "packed nearly full"
    assert "".join(c.text for c in chunks) == text


def test_prefers_blank_lines_to_line_breaks() -> None:
    # Seed 004 separates paragraphs by single newlines; a blank line planted in
    # the second half of the window must be chosen over the later line breaks.
    text = SEED_TEXTS["004"]
    cut = text.index("\n", 700) + 1
    planted = text[:cut] + "\n" + text[cut:]
    chunks = split_text(planted, max_chars=1200, overlap_chars=0)
    assert chunks[0].end == cut + 1
    assert chunks[0].text.endswith(".\n\n")


def test_overlap_snaps_to_the_first_sentence_start_in_reach() -> None:
    text = SEED_TEXTS["001"]
    starts = [m.end() for m in re.finditer(r"\n\s*|[.!?][”’\"']*\s+", text)]
    chunks = split_text(text, max_chars=1000, overlap_chars=200)
    snapped = 0
    for a, b in pairwise(chunks):
        assert 0 < a.end - b.start <= 200
        in_reach = [p for p in starts if a.end - 200 <= p < a.end]
        if in_reach:
            assert b.start == in_reach[0]
            snapped += 1
        else:  # one long sentence fills the stretch: start at a word
            assert text[b.start - 1] == " "
    assert snapped >= len(chunks) // 2


def test_long_single_paragraph_splits_at_sentences() -> None:
    sentences = [
        f"Sentence number {n} reports that growth was {n}.5 percent in 2023." for n in range(80)
    ]
    text = " ".join(sentences)
    chunks = split_text(text, max_chars=1000, overlap_chars=150)
    check_invariants(text, chunks, 1000, 150)
    for a, b in pairwise(chunks):
        assert a.text.endswith(". ")
        assert text[b.start :].startswith("Sentence number ")


def test_text_without_breaks_is_hard_split() -> None:
    text = "x" * 2500
    chunks = split_text(text, max_chars=1000, overlap_chars=100)
    assert [(c.start, c.end) for c in chunks] == [(0, 1000), (900, 1900), (1800, 2500)]


def test_cjk_text_splits_after_full_stops() -> None:
    text = "中国互联网发展迅速。" * 200
    chunks = split_text(text, max_chars=300, overlap_chars=50)
    check_invariants(text, chunks, 300, 50)
    for a, b in pairwise(chunks):
        assert a.text.endswith("。")
        assert text[b.start - 1] == "。"


@pytest.mark.parametrize("text", ["", "short", SEED_TEXTS["003"]])
def test_text_that_fits_is_one_chunk(text: str) -> None:
    assert split_text(text, max_chars=len(SEED_TEXTS["003"])) == [Chunk(0, 0, len(text), text)]


@pytest.mark.parametrize(
    ("max_chars", "overlap_chars", "message"),
    [
        (0, 0, "max_chars must be at least 1"),
        (-10, 0, "max_chars must be at least 1"),
        (100, -1, "overlap_chars must not be negative"),
        (400, 200, r"max_chars \(400\) must be more than twice overlap_chars \(200\)"),
        (10, 5, "more than twice"),
    ],
)
def test_bad_arguments(max_chars: int, overlap_chars: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        split_text("some text", max_chars=max_chars, overlap_chars=overlap_chars)


def test_tiny_max_chars_with_default_overlap_says_what_to_do() -> None:
    with pytest.raises(ValueError, match="pass a smaller overlap_chars"):
        split_text("some text", max_chars=100)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("", 0),
        ("a", 1),
        ("abcd", 1),
        ("abcde", 2),
        ("中文", 2),
        ("China’s", 3),  # six ASCII characters (2 tokens) and one curly quote
        ("x" * 4000, 1000),
    ],
)
def test_estimate_tokens(text: str, tokens: int) -> None:
    assert estimate_tokens(text) == tokens


def test_estimate_tokens_on_english_news() -> None:
    text = SEED_TEXTS["004"]
    assert len(text) / 4 <= estimate_tokens(text) <= len(text) / 3.5


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(st.sampled_from(list("ab .!?\n\n  \u00a0。")), max_size=600) | st.text(max_size=600),
    st.integers(1, 300),
    st.integers(0, 150),
)
def test_split_invariants_hold_for_any_text(text: str, max_chars: int, overlap_chars: int) -> None:
    if max_chars <= 2 * overlap_chars:
        with pytest.raises(ValueError):
            split_text(text, max_chars=max_chars, overlap_chars=overlap_chars)
        return
    chunks = split_text(text, max_chars=max_chars, overlap_chars=overlap_chars)
    check_invariants(text, chunks, max_chars, overlap_chars)
