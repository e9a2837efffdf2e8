"""Numbers in words are read from stretches around number words, as from the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.ground import _words

WORDS = (  # noqa: SIM905
    "one two three twenty Twenty-one hundred thousand Millions billion trillion and a an half "
    "point five zero nought O O2 One2One OS firsts first second third quarter dozen people "
    "the of said per cent , . - ' ( ) 1.5 2004 x_y"
).split()


def _whole_text(text: str) -> list[tuple[int, int, float, bool]]:
    """What text2num finds when it is given every token of ``text`` (the oracle)."""
    toks, starts, ends = _words._tokens(text)
    lib = _words._lib()
    return [
        (starts[o.start], ends[o.end - 1], float(o.value), bool(o.is_ordinal))
        for o in lib.find_numbers(toks, "en", 0.0)
    ]


def _windowed(text: str) -> list[tuple[int, int, float, bool]]:
    return [(a, b, float(o.value), bool(o.is_ordinal)) for a, b, o in _words._occurrences(text)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), max_size=60), st.lists(st.sampled_from(" \n-"), max_size=60)
)
def test_stretches_read_what_the_whole_text_reads(words: list[str], seps: list[str]) -> None:
    text = "".join(w + (seps[i] if i < len(seps) else " ") for i, w in enumerate(words))
    assert _windowed(text) == _whole_text(text)


def test_a_long_article_is_read_only_around_its_number_words() -> None:
    filler = "The committee met again and talked at length about the plans. " * 40
    text = filler + "Some two hundred and five thousand people came. " + filler + "O2 rose."
    stretches = _words._windows(text)
    assert len(stretches) == 2
    assert sum(b - a for a, b in stretches) < len(text) / 20
    assert _windowed(text) == _whole_text(text)
    # "O" of "O2" is text2num's zero, as before; the scanner drops it later (no unit).
    assert [(text[a:b], v) for a, b, v in _words.word_numbers(text)] == [
        ("two hundred and five", "205"),
        ("O", "0"),
    ]
