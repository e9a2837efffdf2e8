"""Find candidates in an article with exact offsets: quantities, quotes, dates, sentences.

The scanner is code, not a model: every candidate's ``text`` is ``article[start:end]``.
The ``rules`` extractor turns candidates into records, the recall cross-check
(:mod:`summarizer.ground.coverage`) lists the ones an extraction left out, and
candidate-guided extraction numbers them for a model to label.

* **Sentences**: one paragraph per line; a full stop after an abbreviation (``Mr.``,
  ``Jan.``), an initial or ``U.S.`` does not end a sentence; a news-agency dateline
  (``BEIJING, July 14 (Xinhua) —``) is not part of the first sentence; a line with no
  sentence punctuation is a heading. Site furniture and the headline are masked out
  first (:func:`content_mask`).
* **Quantities**: :func:`summarizer.ground.normalize.parse_quantities`, plus the metric
  the number measures (:mod:`summarizer.ground._metric`), the sentence, a period phrase
  in that sentence or carried over from earlier sentences of the paragraph, and the
  amount a bracketed conversion restates.
* **Quotes**: :mod:`summarizer.ground._quotes` (speaker attribution rules there).
* **Dates**: full dates, month and year, a month or day with the reference date,
  a year after ``in``/``since``/``by``/..., relative phrases (``last year``, ``earlier
  this month``, ``two days ago``) and weekdays, resolved with
  :func:`summarizer.ground.normalize.parse_period` and ``reference_date``.
"""

from __future__ import annotations

import datetime as _dt
import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from summarizer.ground._metric import metric_for
from summarizer.ground._people import People, Person
from summarizer.ground._quotes import attribute, classify, find_passages
from summarizer.ground._text import Sentence, content_mask, paragraphs, split_sentences
from summarizer.ground.normalize import Quantity, parse_period, parse_quantities
from summarizer.records import Qualifier

__all__ = [
    "Candidates",
    "DateCandidate",
    "Person",
    "QuantityCandidate",
    "QuoteCandidate",
    "Sentence",
    "content_mask",
    "scan",
    "scan_reusing",
    "split_sentences",
]


@dataclass(frozen=True, slots=True)
class QuantityCandidate:
    """A number as written (``text``), what it measures, and where it is said."""

    start: int
    end: int
    text: str
    value: float
    unit: str | None  # currency code, "percent", a measure, or the counted noun
    qualifier: Qualifier | None
    metric: str | None  # the noun phrase the number counts or measures
    sentence: Sentence
    period: str | None = None  # partial ISO date of the period phrase nearest the number
    period_text: str | None = None
    in_quote: bool = False
    equivalent_of: int | None = None  # index of the amount a bracketed conversion restates


@dataclass(frozen=True, slots=True)
class QuoteCandidate:
    """Quoted words (``text``, no marks, no trailing comma) and who said them."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_role: str | None
    attribution: str | None  # "after", "before", "according", "pronoun", "inherited"
    kind: str  # "quote"; scare quotes, titles and terms are not returned
    continued: bool  # a multi-paragraph quote whose paragraph ends without a closing mark
    sentence: Sentence


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date phrase (``text``) and the partial ISO date it names, when it can be resolved."""

    start: int
    end: int
    text: str
    date: str | None
    kind: str  # "full", "month_year", "month_day", "month", "year", "relative", "weekday"
    preposition: str | None  # lower-cased word before it: "in", "since", "as of", ...
    sentence: Sentence
    in_quote: bool = False


@dataclass(frozen=True, slots=True)
class Candidates:
    """Everything :func:`scan` finds in one article, each list in text order."""

    sentences: list[Sentence]
    quantities: list[QuantityCandidate]
    quotes: list[QuoteCandidate]
    dates: list[DateCandidate]
    persons: list[Person]  # people introduced as such, by the fullest name the text gives


# --------------------------------------------------------------------------- dates

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
_WEEKDAYS: Final = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_PREP = (
    r"(?P<prep>as\s+of|in|on|at|since|by|until|till|from|during|before|after|through|of|"
    r"(?:by\s+|at\s+|until\s+)?the\s+(?:end|start|beginning|middle)\s+of|early|late|mid)"
)
_DATE_RE: Final = re.compile(
    rf"(?:\b{_PREP}[\s-]+(?:(?:early|late|mid)[\s-]+)?)?(?:"
    rf"(?P<full>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}(?:st|nd|rd|th)?\s+"
    rf"(?:of\s+)?{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<month_year>{_MONTH},?\s+(?:of\s+)?\d{{4}})"
    rf"|(?P<month_day>{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})"
    rf"|(?P<year>(?<=\s)(?:1[89]|20)\d\d)"
    rf"|(?P<month>(?<=\s){_MONTH})"
    rf"|(?P<relative>(?:(?:earlier|later)\s+)?(?:last|this|next)\s+(?:week|month|year|weekend)"
    rf"|(?:yesterday|today|tomorrow)|(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)"
    rf"\s+(?:day|week|month|year)s?\s+ago)"
    rf"|(?P<weekday>(?:(?:last|next|this)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    rf"Saturday|Sunday))"
    rf")(?![\w%])(?!\s+(?:per\s*cent|percent|million|billion|people)\b)",
    re.IGNORECASE,
)
_NEED_PREP: Final = frozenset({"year", "month"})
# Every match of _DATE_RE holds an anchor (a digit, a month, a weekday, a relative word:
# _ANCHOR_RE), and before the first one only words of _LEAD_WORDS (at most 7: "by the end
# of", "early", "earlier this"). The regex is tried only from the first of those words
# before each anchor, not at every position of a sentence, which is what took the time.
# The anchors are searched in a folded copy of the text (_folded): lower case, and the
# letters IGNORECASE matches to ASCII ones ("ſ", "K") made ASCII, same length.
_ANCHOR_RE: Final = re.compile(
    r"(?=[\dadfjmnostwy])"  # the first characters, checked first: twice as fast
    r"(?:\d|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow"
    r"|(?:week(?:end)?|month|year|day)s?)(?!\w))"
)
_LEAD_WORDS: Final = frozenset(
    "as of in on at since by until till from during before after through the end start "  # noqa: SIM905
    "beginning middle early late mid earlier later last this next a an one two three four "
    "five six seven eight nine ten".split()
)
_LEAD_SUFFIXES: Final = tuple(sorted(_LEAD_WORDS))
_LEAD_MAX: Final = 8  # 7 at most, one to spare
_FOLD: Final = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "\u212a": "k"})
_FOLDED_RE: Final = re.compile("[ıİſ\u212a]")


def _lead_start(text: str, low: str, anchor: int, floor: int) -> int:
    """Where a date phrase holding the anchor at ``anchor`` can start, not before ``floor``.

    Walks back over the words of _LEAD_WORDS separated by spaces or hyphens (the
    ``[\\s-]+`` of _DATE_RE). The first word of a phrase may end a longer word (the
    relative phrases have no ``\\b``): then the phrase may start anywhere in it.
    """
    i = anchor
    for _ in range(_LEAD_MAX):
        j = i
        while j > floor and (text[j - 1].isspace() or text[j - 1] == "-"):
            j -= 1
        if j == i:
            return i
        k = j
        while k > floor and text[k - 1].isalpha():
            k -= 1
        word = low[k:j]
        if word not in _LEAD_WORDS:
            return k if word.endswith(_LEAD_SUFFIXES) else i
        i = k
    return i


def _date_matches(text: str, low: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_DATE_RE.finditer(text, start, end)``, tried only where a phrase can start.

    ``low`` is ``_folded(text)``. A match at ``p`` holds an anchor at or after ``p`` with
    only lead words between, so none starts before the lead of the first anchor, and
    none starts between that lead and the anchor unless one is found there.
    """
    pos = start
    while pos < end:
        anchor = _ANCHOR_RE.search(low, pos, end)
        if anchor is None:
            return
        a = anchor.start()
        for p in range(_lead_start(text, low, a, pos), a + 1):
            m = _DATE_RE.match(text, p, end)
            if m is not None:
                yield m
                pos = m.end()
                break
        else:
            pos = a + 1


def _folded(text: str) -> str:
    """``text`` lower-cased, same length, with the letters IGNORECASE folds (see _FOLD)."""
    if text.isascii() or _FOLDED_RE.search(text) is None:
        return text.lower()
    return text.translate(_FOLD).lower()


def _weekday(phrase: str, reference_date: str | None) -> str | None:
    """The weekday on or before the reference day (news tells the past), or after it with "next"."""
    try:
        ref = _dt.date.fromisoformat(reference_date or "")
    except ValueError:
        return None
    low = phrase.lower()
    target = next(i for i, d in enumerate(_WEEKDAYS) if d in low)
    back = (ref.weekday() - target) % 7
    if low.startswith("next"):
        day = ref + _dt.timedelta(days=(target - ref.weekday()) % 7 or 7)
    else:
        day = ref - _dt.timedelta(days=back or (7 if low.startswith("last") else 0))
    return day.isoformat()


def _dates(
    text: str,
    sentences: list[Sentence],
    reference_date: str | None,
    quote_spans: list[tuple[int, int]],
) -> list[DateCandidate]:
    out: list[DateCandidate] = []
    quotes = _Spans(quote_spans)
    low = _folded(text)
    for s in sentences:
        for m in _date_matches(text, low, s.start, s.end):
            kind = m.lastgroup or ""
            prep = " ".join(m.group("prep").lower().split()) if m.group("prep") else None
            if kind in _NEED_PREP and prep is None:
                continue  # a bare "2014" or "May" is too often not a date
            if kind == "month" and m.group(kind)[0].islower():
                continue
            if kind == "weekday" and not m.group(kind)[0].isupper():
                continue
            phrase = m.group(kind)
            date = (
                _weekday(phrase, reference_date)
                if kind == "weekday"
                else parse_period(m.group(0), reference_date=reference_date)
            )
            if kind == "year" and date is None:
                continue  # a count such as "in 2000 cases"
            in_quote = m.start() in quotes
            out.append(DateCandidate(m.start(), m.end(), m.group(0), date, kind, prep, s, in_quote))
    return out


# --------------------------------------------------------------------------- quantities


def _sentence_at(sentences: list[Sentence], pos: int) -> Sentence | None:
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].end <= pos:
            lo = mid + 1
        else:
            hi = mid
    return sentences[lo] if lo < len(sentences) and sentences[lo].start <= pos else None


class _Spans:
    """``pos in spans``: whether any span ``[a, b)`` holds ``pos``, by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []  # the union, as disjoint spans in order
        for a, b in sorted(spans):
            if a >= b:
                continue
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self._starts = [a for a, _ in merged]
        self._ends = [b for _, b in merged]

    def __contains__(self, pos: int) -> bool:
        i = bisect_right(self._starts, pos) - 1
        return i >= 0 and pos < self._ends[i]


class _Periods:
    """The dates a number's period can come from, by sentence and by paragraph.

    ``since`` phrases date a start, not a period, so they are left out.
    """

    def __init__(self, dates: list[DateCandidate]) -> None:
        self.by_sentence: dict[int, list[DateCandidate]] = {}  # by sentence start
        self.by_paragraph: dict[int, list[DateCandidate]] = {}
        for d in dates:
            if d.preposition != "since":
                self.by_sentence.setdefault(d.sentence.start, []).append(d)
                self.by_paragraph.setdefault(d.sentence.paragraph, []).append(d)

    def nearest(self, q: Quantity, s: Sentence) -> DateCandidate | None:
        """The date phrase of the number's sentence nearest it (after first), else carried over."""
        own = self.by_sentence.get(s.start)
        if own:
            after = [d for d in own if d.start >= q.end]
            return min(after or own, key=lambda d: abs(d.start - q.end))
        earlier = [d for d in self.by_paragraph.get(s.paragraph, ()) if d.end <= s.start]
        return earlier[-1] if earlier else None


_VAGUE_RE: Final = re.compile(
    r"(?i)(?:tens\s+of\s+|hundreds\s+of\s+)?(?:dozens|hundreds|thousands|millions|billions|trillions)"
)
_SPAN_UNITS: Final = frozenset({"decades", "years", "months", "weeks", "days", "centuries"})
_SPAN_BEFORE_RE: Final = re.compile(
    r"\b(?:past|last|next|coming|previous|recent)\s+$", re.IGNORECASE
)
_SCORE_RE: Final = re.compile(
    r"(?<![\d.,])\d{1,3}\s?[-–]\s?\d{1,3}(?![\d.,%]|\s?(?:per\s?cent|percent))"
)


def _is_score(text: str, q: Quantity) -> bool:
    """``2-0``, ``3-1``: a score or a bare pair, not a quantity (``2-3%`` is a range)."""
    lo = max(0, q.start - 4)
    return any(
        m.start() <= q.start < m.end()
        for m in _SCORE_RE.finditer(text, lo, min(len(text), q.end + 4))
    )


_BRACKET_RE: Final = re.compile(r"\s*[(\[]\s*(?:about|around|approximately|roughly|some|or)?\s*$")


def _quantities(
    text: str,
    sentences: list[Sentence],
    dates: list[DateCandidate],
    quote_spans: list[tuple[int, int]],
) -> list[QuantityCandidate]:
    out: list[QuantityCandidate] = []
    found = parse_quantities(text)
    periods = _Periods(dates)
    quotes = _Spans(quote_spans)
    last_in: dict[int, QuantityCandidate] = {}  # by sentence start: the figure a growth follows
    for i, q in enumerate(found):
        s = _sentence_at(sentences, q.start)
        if s is None or s.heading or _VAGUE_RE.fullmatch(q.text) or _is_score(text, q):
            continue
        if q.unit in _SPAN_UNITS and _SPAN_BEFORE_RE.search(text, max(0, q.start - 12), q.start):
            continue  # "in the past two decades" locates events; it measures nothing
        equivalent_of = None
        if i and q.unit and found[i - 1].unit and found[i - 1].unit != q.unit:
            prev = found[i - 1]
            if prev.end <= q.start and _BRACKET_RE.fullmatch(text, prev.end, q.start):
                equivalent_of = len(out) - 1 if out and out[-1].start == prev.start else None
        last = last_in.get(s.start)
        before = (last.metric, last.unit) if last is not None else None
        metric, unit = metric_for(text, q, s.start, s.end, before)
        period = periods.nearest(q, s)
        out.append(
            QuantityCandidate(
                start=q.start,
                end=q.end,
                text=q.text,
                value=q.value,
                unit=unit,
                qualifier=q.qualifier,
                metric=metric,
                sentence=s,
                period=period.date if period else None,
                period_text=period.text if period else None,
                in_quote=q.start in quotes,
                equivalent_of=equivalent_of,
            )
        )
        if equivalent_of is None:
            last_in[s.start] = out[-1]
    return out


# --------------------------------------------------------------------------- scan


_Key = tuple[str, str | None, str | None]  # text, reference_date, title


class _Recent:
    """The last scans, bounded in number and in characters (memory stays flat in a worker)."""

    def __init__(self, entries: int, chars: int) -> None:
        self._items: OrderedDict[_Key, Candidates] = OrderedDict()
        self._entries, self._max_chars, self._chars = entries, chars, 0
        self._lock = threading.Lock()  # the library may be called from threads

    def get(self, key: _Key) -> Candidates | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: _Key, found: Candidates) -> None:
        if len(key[0]) > self._max_chars // 16:
            return  # a very long text would push out many others
        with self._lock:
            if key not in self._items:
                self._items[key] = found
                self._chars += len(key[0])
            while len(self._items) > self._entries or self._chars > self._max_chars:
                old, _ = self._items.popitem(last=False)
                self._chars -= len(old[0])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._chars = 0

    def __len__(self) -> int:
        return len(self._items)


# An LLM run scans each article up to three times: the candidates strategy for its
# candidates and for the rules' proposals, then the coverage check after the answer,
# with --concurrency other articles in between. 256 covers the default concurrency
# (64) with room; at about 8 bytes per character of text, 2 million characters is
# ~16 MB at most.
_RECENT: Final = _Recent(256, 2_000_000)


def scan(text: str, *, reference_date: str | None = None, title: str | None = None) -> Candidates:
    """Every candidate in ``text``, with offsets into ``text`` itself.

    ``reference_date`` (the article's date, ISO) resolves relative dates; ``title``
    (the headline line, as :func:`summarizer.load.documents.guess_title` finds it) is
    masked with the site furniture so that its figures are not candidates.

    The result is shared with later calls with the same arguments (the last few hundred
    are kept): treat it as read-only.
    """
    key = (text, reference_date, title)
    found = _RECENT.get(key)
    if found is None:
        found = _scan(text, reference_date, title)
        _RECENT.put(key, found)
    return found


def scan_reusing(
    text: str,
    model_text: str | None,
    *,
    reference_date: str | None = None,
    title: str | None = None,
) -> Candidates:
    """``scan(text)``, or the recent scan of ``model_text`` when it is the same scan.

    The candidates strategy scans the text the model reads
    (:attr:`summarizer.load.documents.Article.model_text`), which for most files is the
    article without its final newline. When ``text`` is ``model_text`` followed by
    spaces and newlines only, and the same lines are masked in both (the furniture rules
    look at the text's length), the two scans are equal, offsets included: the recent
    one is returned rather than scanning again.
    """
    if (
        model_text
        and model_text != text
        and text.startswith(model_text)
        and not text[len(model_text) :].strip(" \t\n")
    ):
        found = _RECENT.get((model_text, reference_date, title))
        if found is not None:
            masked = content_mask(text, title=title)[: len(model_text)]
            if masked == content_mask(model_text, title=title):
                return found
    return scan(text, reference_date=reference_date, title=title)


def _scan(text: str, reference_date: str | None, title: str | None) -> Candidates:
    masked = content_mask(text, title=title)
    paras = paragraphs(masked)
    sentences = split_sentences(masked, paras)
    passages = find_passages(masked, paras)
    spans = [(p.start, p.end) for p in passages]
    # Scare quotes, titles and terms are words of the sentence, not speech: they take
    # no part in attribution (nor pass a speaker on).
    # A short quoted term counts only when the text says who said it.
    kinds = {p.open: classify(masked, p) for p in passages}
    passages = [p for p in passages if kinds[p.open] in ("quote", "term")]
    people = People(masked, skip=spans)
    bounds = [(s.start, s.end) for s in sentences]
    who = attribute(masked, passages, bounds, paras, people)
    quotes: list[QuoteCandidate] = []
    for p, a in zip(passages, who, strict=True):
        s = _sentence_at(sentences, p.start)
        direct = a.how in ("after", "before", "according", "pronoun")
        if s is None or (kinds[p.open] == "term" and not direct):
            continue
        quotes.append(
            QuoteCandidate(
                p.start,
                p.end,
                masked[p.start : p.end],
                a.speaker,
                a.role,
                a.how,
                "quote",
                p.close is None,
                s,
            )
        )
    # Masked and original text agree wherever a candidate can be, so offsets and texts
    # found in the masked text hold for the article.
    dates = _dates(masked, sentences, reference_date, spans)
    quantities = _quantities(masked, sentences, dates, spans)
    persons = [p for p in people.persons if p.strong]
    return Candidates(sentences, quantities, quotes, dates, persons)
