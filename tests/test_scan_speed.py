"""The scanner's shortcuts find exactly what the plain versions find (no timing here).

Each shortcut is checked against the code it replaces on generated text built from the
words that matter to it (date words, lead words, digits, odd case-folding letters).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from summarizer.extract.candidates import find_candidates
from summarizer.ground import _words
from summarizer.ground import scan as scan_module
from summarizer.ground.coverage import uncovered
from summarizer.ground.scan import Candidates
from summarizer.load.documents import Article, make_article
from summarizer.records import ArticleResult, Document, Provenance

_DATE_TOKENS = [
    *"in on at as of by since until from during before after through the end start beginning "  # noqa: SIM905
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
    *"one two three twenty twenty-one hundred thousand million trillion and a half point "  # noqa: SIM905
    "first second zero dozen people cars At this the - -- _ 5 1.5 , . ( ) ' ’".split(),
    "\u00a0",
    "\x1c",
    "\u2009",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(_NUMBER_TOKENS), max_size=30), st.lists(st.sampled_from(_SEPARATORS))
)
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


# --------------------------------------------------------------------------- one scan per text


_NEWS = (
    "Tesco profits rise\n\n"
    "Tesco's profits rose 12% to £1.2bn in the year to February, the retailer said on "
    "Tuesday.\n\n"
    "\u201cWe have had a very good year,\u201d chief executive Terry Leahy said. Sales grew "
    "by 8.5% to £33bn, while 2,000 new jobs were created last year.\n"
)


def _seed() -> Article:
    """A plain text file as loaded: the model reads it without its final newline."""
    article = make_article(_NEWS, id="a", path="a.txt", published="2005-04-12")
    assert isinstance(article, Article)
    return article


def _result(article: Article) -> ArticleResult:
    doc = Document(id="a", path="a.txt", sha256="0" * 64, chars=len(article.text))
    prov = Provenance(model="m", endpoint=None, mode="tools", prompt_version="1")
    return ArticleResult(document=doc, summary="", provenance=prov)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts the scanner really scans (not served from its recent scans)."""
    scan_module._RECENT.clear()
    texts: list[str] = []
    real = scan_module._scan

    def counting(text: str, reference_date: str | None, title: str | None) -> Candidates:
        texts.append(text)
        return real(text, reference_date, title)

    monkeypatch.setattr(scan_module, "_scan", counting)
    return texts


def test_an_llm_article_is_scanned_once(counted: list[str]) -> None:
    """Candidates, the rules' proposals and the coverage check share one scan."""
    a = _seed()
    assert a.model_text != a.text and a.text.startswith(a.model_text)
    cands = find_candidates(a.model_text, reference_date=a.published, title=a.title)
    shared = uncovered(
        a.text, _result(a), reference_date=a.published, title=a.title, model_text=a.model_text
    )
    assert counted == [a.model_text]
    assert cands.scanned is scan_module.scan(
        a.model_text, reference_date=a.published, title=a.title
    )
    # The same coverage as a check that scans the article itself.
    scan_module._RECENT.clear()
    alone = uncovered(a.text, _result(a), reference_date=a.published, title=a.title)
    assert counted == [a.model_text, a.text]
    assert shared == alone
    assert shared.scanned_quantities > 0


def test_another_text_is_scanned_again(counted: list[str]) -> None:
    a = _seed()
    scan_module.scan(a.model_text, reference_date=a.published, title=a.title)
    # Not a prefix of the article, or another date or title: no reuse.
    scan_module.scan_reusing(a.text, a.model_text[1:], reference_date=a.published, title=a.title)
    scan_module.scan_reusing(a.text, a.model_text, reference_date="2001-01-01", title=a.title)
    scan_module.scan_reusing(a.text, a.model_text, reference_date=a.published, title=None)
    assert counted == [a.model_text, a.text, a.text, a.text]


def test_recent_scans_are_bounded() -> None:
    recent = scan_module._Recent(3, 1600)
    found = scan_module.scan("Sales rose 5% in 2004.")
    for i in range(5):
        recent.put((f"text {i}", None, None), found)
    assert len(recent) == 3
    assert recent.get(("text 0", None, None)) is None
    assert recent.get(("text 4", None, None)) is found
    recent.put(("x" * 101, None, None), found)  # over 1/16 of the characters: not kept
    assert recent.get(("x" * 101, None, None)) is None
    for i in range(3):
        recent.put((f"{i}" * 99, None, None), found)  # 297 characters, then 1,600 at most
    assert len(recent) == 3
    many = scan_module._Recent(100, 1600)
    for i in range(40):
        many.put((f"{i:02d}" * 50, None, None), found)  # 100 characters each
    assert len(many) == 16


@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8),
    st.integers(-1, 61),
)
def test_spans_hold_what_any_span_holds(spans: list[tuple[int, int]], pos: int) -> None:
    """Quote spans may overlap or be empty: membership is still that of any one span."""
    assert (pos in scan_module._Spans(spans)) == any(a <= pos < b for a, b in spans)
