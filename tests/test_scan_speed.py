"""The scanner's shortcuts find exactly what the plain versions find (no timing here).

Each shortcut is checked against the code it replaces on generated text built from the
words that matter to it (date words, lead words, digits, odd case-folding letters).
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.ground import _words
from summarizer.ground import scan as scan_module

_DATE_TOKENS = [
    *"in on at as of by since until from during before after through the end start beginning "
    "middle early late mid earlier later last this next a an one two ten days weeks months "
    "years ago yesterday today tomorrow weekend week month year day Monday Sunday sunday "
    "ſunday January Jan Jan. Sept Sept. March mar may May Dec decade market holiday weekday "
    "xthis xlast ina 4th 1st 2004 1999 2,500 15 3 per cent percent million people said".split(),
    "\u212aey",  # Kelvin sign: IGNORECASE folds it to "k"
    "İn",
]
_SEPARATORS = [" ", "  ", "-", " - ", ", ", ". ", "\u00a0", "\t", "", "%", "'"]


@st.composite
def _date_text(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_DATE_TOKENS), max_size=25))
    out = []
    for t in tokens:
        out.append(t)
        out.append(draw(st.sampled_from(_SEPARATORS)))
    return "".join(out)


def _spans(matches: list[re.Match[str]]) -> list[tuple[int, int, str | None]]:
    return [(m.start(), m.end(), m.lastgroup) for m in matches]


@settings(max_examples=1500, deadline=None)
@given(_date_text(), st.data())
def test_date_matches_equal_a_plain_finditer(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    low = scan_module._folded(text)
    assert len(low) == len(text)
    fast = list(scan_module._date_matches(text, low, start, end))
    plain = list(scan_module._DATE_RE.finditer(text, start, end))
    assert _spans(fast) == _spans(plain)


def test_date_matches_on_news_wording() -> None:
    text = (
        "By the end of early-2004 sales fell; earlier this week, two days ago and on "
        "Sunday (not ſunday), in the middle of March 2003 and xthis week."
    )
    fast = list(scan_module._date_matches(text, scan_module._folded(text), 0, len(text)))
    assert [m.group(0) for m in fast] == [
        m.group(0) for m in scan_module._DATE_RE.finditer(text, 0, len(text))
    ]
    # A lead of three words, and a phrase that starts inside a word (no \b in the regex).
    assert {"the middle of March 2003", "this week"} <= {m.group(0) for m in fast}


_NUMBER_TOKENS = [
    *"one two three twenty twenty-one hundred thousand million trillion and a half point "
    "first second zero dozen people cars At this the - -- _ 5 1.5 , . ( ) ' ’".split(),
    "\u00a0",
    "\x1c",
    "\u2009",
]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(_NUMBER_TOKENS), max_size=30), st.lists(st.sampled_from(_SEPARATORS)))
def test_number_tokens_give_what_every_token_gives(words: list[str], seps: list[str]) -> None:
    text = "".join(w + (seps[i % len(seps)] if seps else " ") for i, w in enumerate(words))
    lib = _words._lib()
    # The plain way: every token, spaces and hyphens too.
    spans = [m.span() for m in _words._TOKEN_RE.finditer(text)]
    plain_toks = [
        _words._Tok("billion" if text[a:b].lower() == "trillion" else text[a:b]) for a, b in spans
    ]
    plain = [
        (spans[o.start][0], spans[o.end - 1][1], o.value, o.is_ordinal)
        for o in lib.find_numbers(plain_toks, "en", 0.0)
    ]
    toks, starts, ends = _words._tokens(text)
    fast = [
        (starts[o.start], ends[o.end - 1], o.value, o.is_ordinal)
        for o in lib.find_numbers(toks, "en", 0.0)
    ]
    assert fast == plain
