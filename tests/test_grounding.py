"""Grounding: planted-span oracle cases over the seed articles, plus properties."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from summarizer.ground import align as grounding
from summarizer.ground.align import DEFAULT_THRESHOLD, Span, find_all, locate

SEEDS = Path(__file__).parent.parent / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


@cache
def seed(prefix: str) -> str:
    """The seed article whose file name starts with ``prefix``, as loaded (``\\n`` line ends)."""
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return path.read_text(encoding="utf-8")


def norm(s: str) -> str:
    return grounding._normalise(s).text.strip(" ")


def both_copies() -> str:
    """Seeds 001 and 002 carry the same story: most sentences occur twice, far apart."""
    return seed("001") + "\n\n" + seed("002")


# A sentence of seed 001 (and 002) used by several cases.
VISIT = (
    "President Xi Jinping visited its 6G comprehensive lab and other facilities during an "
    "inspection tour and was delighted to learn that the research team had realized "
    "self-reliance in some key technologies."
)


@dataclass(frozen=True)
class Case:
    """Look for ``span`` in ``text``; expect the ``occurrence``-th ``expected`` (or None)."""

    id: str
    text: Callable[[], str]
    span: str
    expected: str | None
    match: str = "exact"
    occurrence: int = 0
    start_hint: Callable[[str], int] | None = None


def nth(text: str, sub: str, n: int) -> int:
    i = text.find(sub)
    for _ in range(n):
        i = text.find(sub, i + 1)
    assert i >= 0, f"the case is wrong: {sub!r} does not occur {n + 1} times"
    return i


def s001() -> str:
    return seed("001")


def s002() -> str:
    return seed("002")


def s003() -> str:
    return seed("003")


def s000() -> str:
    return seed("000")


CASES = [
    Case("verbatim", s001, VISIT, VISIT),
    Case(
        "whitespace changed",
        s001,
        VISIT.replace(" visited its", "  visited\nits").replace(" and was", "\tand  was"),
        VISIT,
    ),
    Case(
        "straight double quotes for curly",
        s001,
        '"You must seize the opportunity, make new achievements, and focus wholeheartedly '
        'on doing this well," Xi encouraged those in the lab.',
        "“You must seize the opportunity, make new achievements, and focus wholeheartedly "
        "on doing this well,” Xi encouraged those in the lab.",
    ),
    Case(
        "straight apostrophe for curly",
        s001,
        "the growth of the country's internet sector and information technology",
        "the growth of the country’s internet sector and information technology",
    ),
    Case(
        "hyphen for em dash",
        s001,
        "BEIJING, July 14 (Xinhua) - The Purple Mountain Laboratories",
        "BEIJING, July 14 (Xinhua) — The Purple Mountain Laboratories",
    ),
    Case(
        "hyphen for en dash",
        s002,
        "LiveTradingNews.com - For The Traders, By The Traders - All Right Reserved.",
        "LiveTradingNews.com – For The Traders, By The Traders – All Right Reserved.",
    ),
    Case(
        "en dash for hyphen",
        s002,
        "with cell phones as our new farm tools and live–streaming as new farmwork",
        "with cell phones as our new farm tools and live-streaming as new farmwork",
    ),
    Case(
        "NBSP in the span",
        s002,
        "the villagers are expecting a more prosperous life,” Song\u00a0said.",
        "the villagers are expecting a more prosperous life,” Song said.",
    ),
    Case(
        "across NBSP-only lines in the text",
        s003,
        "the resumption of business and manufacturing. China has built the world’s largest 5G network",
        "the resumption of business and manufacturing.\n\n\u00a0\n\n\u00a0\n\nChina has built "
        "the world’s largest 5G network",
    ),
    Case(
        "thin and zero-width spaces in the span",
        s001,
        "President Xi\u2009Jinping visited its 6G\u200b comprehensive lab",
        "President Xi Jinping visited its 6G comprehensive lab",
    ),
    Case(
        "case changed",
        s001,
        "Beijing, July 14 (XINHUA) — the Purple Mountain Laboratories",
        "BEIJING, July 14 (Xinhua) — The Purple Mountain Laboratories",
    ),
    Case(
        "three dots for an ellipsis in the text",
        lambda: seed("001").replace("earlier this month.", "earlier this month…", 1),
        "received a special guest earlier this month...",
        "received a special guest earlier this month…",
    ),
    Case(
        "dropped word (fuzzy)",
        s001,
        VISIT.replace(" comprehensive", ""),
        VISIT,
        match="fuzzy",
    ),
    Case(
        "changed word (fuzzy)",
        s001,
        VISIT.replace("delighted", "pleased"),
        VISIT,
        match="fuzzy",
    ),
    Case(
        "dropped word and straight quotes (fuzzy)",
        s001,
        "Noting that China had the world's largest number of internet users, Xi called for "
        "boosting the strength in cyberspace.",
        "Noting that China had the world’s largest number of internet users, Xi called for "
        "boosting the country’s strength in cyberspace.",
        match="fuzzy",
    ),
    Case(
        "fabricated sentence",
        s001,
        "The Purple Mountain Laboratories will send a manned mission to Mars in 2031.",
        None,
    ),
    Case(
        "fabricated sentence, unrelated",
        s003,
        "Local bakers reported record sourdough sales during the spring festival weekend.",
        None,
    ),
    Case(
        "short span with a changed number is not fuzzy",
        s003,
        "hit 998 million",
        None,
    ),
    Case(
        "repeated, no hint: first",
        s000,
        "When the wind is good, it is time to set sail",
        "When the wind is good, it is time to set sail",
    ),
    Case(
        "repeated, hint near the second",
        s000,
        "When the wind is good, it is time to set sail",
        "When the wind is good, it is time to set sail",
        occurrence=1,
        start_hint=lambda t: nth(t, "Light of the Internet", 1) + 10,
    ),
    Case(
        "repeated, normalised, hint near the second",
        s000,
        "when the wind is good,  it is time to set sail",
        "When the wind is good, it is time to set sail",
        occurrence=1,
        start_hint=lambda t: nth(t, "Light of the Internet", 1),
    ),
    Case(
        "repeated, normalised, hint near the first",
        s000,
        "when the wind is good,  it is time to set sail",
        "When the wind is good, it is time to set sail",
        start_hint=lambda t: 3,
    ),
    Case(
        "repeated far apart, fuzzy, hint near the second",
        both_copies,
        VISIT.replace(" comprehensive", ""),
        VISIT,
        match="fuzzy",
        occurrence=1,
        start_hint=lambda t: len(seed("001")) + 100,
    ),
    Case(
        "repeated far apart, fuzzy, no hint: a copy is found",
        both_copies,
        VISIT.replace("delighted", "pleased"),
        VISIT,
        match="fuzzy",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_locate_planted(case: Case) -> None:
    text = case.text()
    hint = case.start_hint(text) if case.start_hint else None
    found = locate(case.span, text, start_hint=hint)
    if case.expected is None:
        assert found is None
        return
    assert found is not None
    if case.id.endswith("no hint: a copy is found"):
        assert text[found.start : found.end] == case.expected
    else:
        start = nth(text, case.expected, case.occurrence)
        assert (found.start, found.end) == (start, start + len(case.expected))
        assert text[found.start : found.end] == case.expected
    assert found.match == case.match
    if case.match == "exact":
        assert found.score == 100.0
        assert norm(text[found.start : found.end]) == norm(case.span)
    else:
        assert DEFAULT_THRESHOLD <= found.score < 100.0


@pytest.mark.parametrize(
    ("span", "text"),
    [("", "abc"), ("abc", ""), ("   \n\t\u00a0", "a b c"), ("\u200b", "abc"), ("", "")],
)
def test_nothing_to_find(span: str, text: str) -> None:
    assert locate(span, text) is None
    assert find_all(span, text) == []


def test_threshold_decides_fuzzy() -> None:
    span = VISIT.replace("delighted", "pleased")
    found = locate(span, seed("001"))
    assert found is not None and found.match == "fuzzy"
    assert locate(span, seed("001"), threshold=found.score + 0.01) is None
    assert locate(span, seed("001"), threshold=found.score) == found


def test_exact_beats_a_nearer_normalised_occurrence() -> None:
    text = "Growth slowed. " + "x" * 50 + " growth slowed."
    assert locate("growth slowed", text, start_hint=0) == Span(66, 79, "exact", 100.0)


def test_hint_out_of_range_is_clamped() -> None:
    text = seed("000")
    span = "When the wind is good, it is time to set sail"
    first = nth(text, span, 0)
    second = nth(text, span, 1)
    assert locate(span, text, start_hint=-100) == Span(first, first + len(span), "exact", 100.0)
    found = locate(span, text, start_hint=10**9)
    assert found == Span(second, second + len(span), "exact", 100.0)
    assert locate(span.upper(), text, start_hint=10**9) == found


def test_find_all() -> None:
    text = seed("000")
    span = "when the wind is good, it is time to set sail"
    expected = "When the wind is good, it is time to set sail"
    found = find_all(span, text)
    assert [text[s.start : s.end] for s in found] == [expected, expected]
    assert [s.start for s in found] == [nth(text, expected, 0), nth(text, expected, 1)]


def test_span_cut_inside_an_ellipsis_is_not_a_normalised_match() -> None:
    text = "He paused… then spoke again about the plan for the railway."
    assert locate("paused..", text) is None
    assert locate("paused...", text) == Span(3, 10, "exact", 100.0)


def test_long_text_offsets() -> None:
    """A 200,000-character article: every stage still points at the right characters."""
    filler = "\n\n".join(seed(p[:3]) for p in (f.name for f in SEED_FILES))
    text = (filler * (200_000 // len(filler) + 1))[:190_000]
    text += "\n\nA planted closing line says the railway – finished in 2031 – cost “a fortune”."
    planted = "the railway – finished in 2031 – cost “a fortune”."
    start = text.index(planted)
    for span, match in [
        (planted, "exact"),
        ('The railway - finished in 2031 - cost "a fortune".', "exact"),
        ("the railway - finished in 2031 - cost a fortune.", "fuzzy"),
    ]:
        found = locate(span, text)
        assert found is not None and found.match == match
        assert (found.start, found.end) == (start, start + len(planted))


# --------------------------------------------------------------------------- properties

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEED_FILES]
PROPERTY = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@st.composite
def seed_slices(draw: st.DrawFn) -> tuple[str, int, int]:
    text = draw(st.sampled_from(SEED_TEXTS))
    i = draw(st.integers(0, len(text) - 1))
    j = draw(st.integers(i + 1, min(len(text), i + 400)))
    return text, i, j


@PROPERTY
@given(seed_slices())
def test_random_substrings_are_found_exactly(case: tuple[str, int, int]) -> None:
    text, i, j = case
    sub = text[i:j]
    assume(sub.strip())
    found = locate(sub, text)
    assert found is not None and found.match == "exact"
    assert text[found.start : found.end] == sub
    assert found.start == text.find(sub) <= i


_RESPACE = ["  ", "\n", "\t", "\u00a0", " \u200b", "\u2009"]
_RETYPE = {"’": "'", "‘": "'", "“": '"', "”": '"', "—": "-", "–": "-", "-": "–"}


@PROPERTY
@given(seed_slices(), st.sampled_from(_RESPACE), st.booleans(), st.booleans())
def test_retypeset_substrings_are_found_up_to_typography(
    case: tuple[str, int, int], space: str, retype: bool, upper: bool
) -> None:
    text, i, j = case
    sub = text[i:j]
    assume(sub.strip() and not sub[0].isspace() and not sub[-1].isspace())
    span = sub.replace(" ", space)
    if retype:
        span = "".join(_RETYPE.get(c, c) for c in span)
    if upper:
        span = span.upper()
    found = locate(span, text)
    assert found is not None and found.match == "exact"
    assert norm(text[found.start : found.end]) == norm(sub)
    # A verbatim occurrence of the retypeset span, anywhere, wins over typography.
    assert found.start == text.find(span) if span in text else found.start <= i


_TRICKY = list(" \n\t\u00a0\u2009\u200b\u00ad…'\"’“”-–—.,aAbBİıΣσς中文")


@PROPERTY
@given(
    st.text(st.sampled_from(_TRICKY), max_size=60) | st.text(max_size=60),
    st.text(st.sampled_from(_TRICKY), max_size=200) | st.text(max_size=200),
    st.none() | st.integers(-10, 300),
    st.floats(allow_nan=True),
)
def test_never_raises_and_offsets_are_sound(
    span: str, text: str, hint: int | None, threshold: float
) -> None:
    for found in (locate(span, text, start_hint=hint), locate(span, text, threshold=threshold)):
        if found is None:
            continue
        assert 0 <= found.start < found.end <= len(text)
        if found.match == "exact":
            assert norm(text[found.start : found.end]) == norm(span)
    for found in find_all(span, text):
        assert norm(text[found.start : found.end]) == norm(span)


def test_surrogates_do_not_raise() -> None:
    assert locate("\ud800abc", "xx\ud800abcx") == Span(2, 6, "exact", 100.0)
    assert locate("\ud800 abc def ghi jkl mno pqr", "xx\ud800 abc def ghi jkl mno pqr.") is not None
