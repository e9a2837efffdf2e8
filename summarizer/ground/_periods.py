"""Periods: the partial ISO date a time phrase names, and :func:`parse_period`.

Private: :mod:`summarizer.normalize` is the public module and re-exports
:func:`parse_period`; the period rules are described in its docstring. This module also
tells the number reader which digits are a year or part of a date
(:func:`is_year_context`, :func:`date_end`), so that ``in 2022`` and ``Dec. 16, 2015``
give no quantity. It imports from :mod:`summarizer._units`, never from
:mod:`summarizer.normalize`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from typing import Final

from summarizer.ground._units import (
    SCALE_WORDS,
    STOPWORDS,
    TRANSLATE,
    WORD_NUMBERS,
    WORD_RE,
    alternation,
    compile_ascii,
    prev_word,
    unit_follows,
    word_set,
)
from summarizer.records import is_partial_iso_date

# --------------------------------------------------------------------------- tables

_YEAR_PREPS: Final = word_set(
    "in by since until till of from during before after through between and end early late mid "
    "the fiscal year as for summer spring autumn winter circa its their his her our this that"
)
_MONTHS: Final = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
                  "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
                  "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
                  "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}


def _month_alts() -> str:
    # "may", "march" and "mar" are verbs too: only their capitalised forms are months.
    forms: list[str] = []
    for name in _MONTHS:
        forms += [name.title(), name.upper()]
        if name not in {"may", "march", "mar"}:
            forms.append(name)
    return alternation(forms)


# --------------------------------------------------------------------------- regexes

_MON = rf"(?:{_month_alts()})(?![A-Za-z])\.?"
# Between a day or month and its year: "July 4, 1995", "April of 1987", "28 June in 2020".
_TO_YEAR = r"(?:,?\s+|\s+(?:of|in)\s+)"
# "on 5 May in 2000 people" is a count of people: a year is followed by a function word.
# "on 5 May in 2000 people" is a count of people, "3 January 2005 across" a date: the
# check applies only after "in"/"of", the new ways of joining a year.
_YEAR_END = (
    r"(?!\d)(?!(?<=\s(?:of|in)\s\d\d\d\d)\s+(?!(?:has|was|is|as|its|his|this|does|says)\b)"
    r"(?:people|children|men|women|staff|police|[a-z]+s)\b)"
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_WD = f"{_WEEKDAYS}|{_WEEKDAYS.lower()}"  # "sun" and "sat" are words: full names only
_DATE_DIGIT_PATTERNS = [
    r"(?P<iso>(?<![\d.])(?P<iso_y>\d{4})[-/](?P<iso_m>\d{1,2})[-/](?P<iso_d>\d{1,2})(?![\d.]))",
    rf"(?P<mdy>(?P<mdy_m>{_MON})\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?{_TO_YEAR}(?P<mdy_y>\d{{4}}){_YEAR_END})",
    rf"(?P<dmy>(?<![\d.,$£€¥])(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>{_MON}){_TO_YEAR}(?P<dmy_y>\d{{4}}){_YEAR_END})",
    rf"(?P<my>(?P<my_m>{_MON}){_TO_YEAR}(?P<my_y>\d{{4}}){_YEAR_END})",
    rf"(?P<md>(?P<md_m>{_MON})\s+(?:the\s+(?=\d{{1,2}}(?:st|nd|rd|th)))?(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d%]|[.,]\d|(?:\s+|-){SCALE_WORDS}\b))",
    rf"(?P<dm>(?<![\d.,$£€¥])(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MON}))",
    r"(?P<qy>(?:\b[QH][1-4]|\b(?i:first|second|third|fourth|final|last)[\s-]+(?i:quarter|half))"
    r"(?:\s+of)?[\s,]+(?:(?i:fiscal|financial)\s+(?:year\s+)?|FY\s?)?(?P<qy_y>\d{4})(?!\d))",
    r"(?P<yq>\b(?P<yq_y>\d{4})\s*[QH][1-4]\b)",
    r"(?P<fy>\b(?i:fiscal|financial)\s+(?:year\s+)?(?P<fy_y>\d{4})(?!\d)|\bFY\s?(?P<fy_y2>\d{4}|\d{2})\b)",
    r"(?P<span>(?<![\d,.])(?P<span_y>\d{4})\s?[-/]\s?(?:\d{4}|\d{2})(?![\d%]))",
]
_TIME_PATTERN = (
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?i:am|pm|a\.m\.|p\.m\.)(?![A-Za-z])"
    r"|\b\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?|\b\d{4}\s*(?:GMT|BST|UTC|EST|EDT|CET)\b"
)
_MASK_RE: Final = compile_ascii("|".join([*_DATE_DIGIT_PATTERNS, _TIME_PATTERN]))
_WORD_COUNT = r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}"
_DATE_RE: Final = compile_ascii(
    "|".join(
        [
            rf"(?P<time>{_TIME_PATTERN})",
            *_DATE_DIGIT_PATTERNS,
            rf"(?P<nth>\b(?P<nth_o>(?i:first|second|third|fourth|last))\s+(?P<nth_d>{_WD})\s+(?i:of|in)"
            rf"\s+(?:(?P<nth_rel>(?i:this|next|last|the))\s+(?i:month)\b|(?P<nth_m>{_MON})"
            r"(?:,?\s+(?P<nth_y>\d{4})(?!\d))?))",
            rf"(?P<nd>\b(?P<nd_o>(?i:first|second|third|last)|\d{{1,2}}(?:st|nd|rd|th))\s+(?i:day)\s+"
            rf"(?i:of|in)\s+(?P<nd_m>{_MON})(?:,?\s+(?P<nd_y>\d{{4}})(?!\d))?)",
            r"(?P<q>\b(?:Q(?P<q_q>[1-4])|(?P<q_w>(?i:first|second|third|fourth))[\s-]+(?i:quarter))\b"
            r"(?:\s+of\s+(?P<q_rel>(?i:last|this|next))\s+year)?)",
            r"(?P<rel>\b(?P<rel_w>(?i:last|this|next))\s+(?P<rel_u>(?i:year|month|week))\b)",
            rf"(?P<ago>\b(?P<ago_n>(?i:{_WORD_COUNT}))\s+(?P<ago_u>(?i:year|month|week|day))s?\s+(?i:ago)\b)",
            r"(?P<day2>\b(?i:day)\s+(?P<day2_w>(?i:after\s+tomorrow|before\s+yesterday))\b)",
            r"(?P<day>\b(?i:yesterday|today|tomorrow)\b(?!['’]))",
            rf"(?P<ahead>\b(?P<ahead_n>(?i:{_WORD_COUNT}))\s+(?P<ahead_u>(?i:year|month|week|day))s?"
            r"\s+(?i:from\s+(?:now|today)|hence)\b)",
            rf"(?P<wdw>\b(?P<wdw_d>{_WD})\s+(?:of\s+)?(?P<wdw_w>(?i:last|this|next))\s+(?i:week)\b)",
            rf"(?P<wdn>\b(?:{_WD}),?\s+(?:the\s+)?(?P<wdn_d>\d{{1,2}})(?:st|nd|rd|th)\b(?!\s+(?:of\b|{_MON})))",
            r"(?P<onth>\b(?i:on)\s+the\s+(?P<onth_d>\d{1,2})(?:st|nd|rd|th)\b(?!\s+[A-Za-z]))",
            r"(?P<dom>(?<![\d.,])(?P<dom_d>\d{1,2})(?:st|nd|rd|th)?\s+(?:(?i:day)\s+)?(?i:of)\s+(?:the\s+)?"
            r"(?P<dom_w>(?i:next|this|current|last|previous))\s+(?i:month)\b)",
            r"(?P<cur>\b(?i:current)\s+(?P<cur_u>(?i:year|month))\b)",
            rf"(?P<mrel>(?P<mrel_m>{_MON})\s+(?P<mrel_w>(?i:last|this|next))\s+(?i:year)\b)",
            r"(?P<mon>\b(?P<mon_w>(?i:in|since|by|until|till|from|during|through|of|as\s+of|early"
            r"|late|mid|end\s+of|last|this|next|before|after))[\s-]+(?:(?i:early|late|mid)[\s-]+)?"
            rf"(?P<mon_m>{_MON})(?!\s*\d|{_TO_YEAR}\d{{4}}|\s+(?i:last|this|next)\s+(?i:year)\b))",
            rf"(?P<wd>\b(?:(?P<wd_w>(?i:last|next|this))\s+)?(?P<wd_d>{_WD})\b"
            rf"(?!['’]s|,?\s+(?:\d|{_MON})))",
            r"(?P<year>(?<![\d,.$£€¥#])(?P<year_y>1[89]\d\d|2[01]\d\d)(?![\d%A-Za-z]|[.,]\d))",
        ]
    )
)
_TOKEN_RE: Final = compile_ascii(r"[A-Za-z]+|\d+")
_DATE_OPENERS: Final = frozenset(_MONTHS) | word_set(
    "q h fy first second third fourth final last this next fiscal financial a an one two three four "
    "five six seven eight nine ten yesterday today tomorrow in since by until till from during "
    "through of as early late mid end before after monday tuesday wednesday thursday friday "
    "saturday sunday day current on"
)
_REF_RE: Final = compile_ascii(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_YEAR_MONTH_RE: Final = compile_ascii(r"\d{4}-\d{2}")


# --------------------------------------------------------------------------- years in numbers


def is_year_context(text: str, start: int, end: int) -> bool:
    """True when a bare 4-digit number reads as a year rather than a count."""
    if prev_word(text, start, " \t\n-")[0].lower() in _YEAR_PREPS:
        return True
    nxt = WORD_RE.match(text, end)
    if nxt is None or text[end] == "-":
        return True
    word = nxt.group("w")
    return not word.islower() or word in STOPWORDS


def date_end(text: str, start: int) -> int:
    """End of the date or time that the number at ``start`` belongs to, else -1."""
    m = _MASK_RE.match(text, start)
    if m is None:
        word, j = prev_word(text, start, " ,.\t")
        m = _MASK_RE.match(text, j) if word.lower() in _MONTHS else None
    return m.end() if m is not None and m.end() > start else -1


# --------------------------------------------------------------------------- periods


def _reference(reference_date: str | None) -> tuple[int, int | None, int | None] | None:
    m = _REF_RE.match(reference_date or "")
    if m is None:
        return None
    y, mo, d = (int(g) if g else None for g in m.groups())
    iso = m.group(0).strip()
    if y is None or not is_partial_iso_date(iso):
        return None
    return y, mo, d


def _iso(y: int, mo: int | None = None, d: int | None = None) -> str:
    if mo is None:
        return f"{y:04d}"
    return f"{y:04d}-{mo:02d}" if d is None else f"{y:04d}-{mo:02d}-{d:02d}"


def _valid(y: int, mo: int, d: int) -> bool:
    try:
        _dt.date(y, mo, d)
    except ValueError:
        return False
    return True


def _nearest_day(ref: tuple[int, int | None, int | None], mo: int, d: int) -> str | None:
    ry, rm, rd = ref
    if rm is None:
        return _iso(ry, mo, d) if _valid(ry, mo, d) else None
    r = _dt.date(ry, rm, rd or 15)
    best: tuple[int, int] | None = None
    for y in (ry - 1, ry, ry + 1):
        if _valid(y, mo, d):
            gap = abs((_dt.date(y, mo, d) - r).days)
            if best is None or gap < best[0]:
                best = (gap, y)
    return _iso(best[1], mo, d) if best else None


def _nearest_month(ref: tuple[int, int | None, int | None], mo: int, how: str) -> str:
    ry, rm, _ = ref
    if rm is None or how == "this":
        return _iso(ry, mo)
    if how == "last":
        return _iso(ry if mo < rm else ry - 1, mo)
    if how == "next":
        return _iso(ry if mo > rm else ry + 1, mo)
    years = sorted((ry - 1, ry, ry + 1), key=lambda y: (abs(y * 12 + mo - ry * 12 - rm), y))
    return _iso(years[0], mo)


def _shift(
    ref: tuple[int, int | None, int | None], days: int, months: int, unit: str
) -> str | None:
    ry, rm, rd = ref
    if unit == "year":
        return _iso(ry + months // 12)
    if rm is None:
        return None
    if unit == "month":
        total = ry * 12 + rm - 1 + months
        return _iso(total // 12, total % 12 + 1)
    if rd is None:
        return None
    day = _dt.date(ry, rm, rd) + _dt.timedelta(days=days)
    return _iso(day.year, day.month, day.day if unit == "day" else None)


_FUTURE_RE: Final = compile_ascii(
    r"(?i:\b(?:will|shall|won't|is|are|was|were)\s+(?:(?:due|set|expected|scheduled|poised|going)"
    r"\s+to\b|to\s+be\b)|\bwill\b|['’]ll\b|\bplans?\s+to\b|\bnext\s+week\b)[^.;]*\Z"
)
_WEEKDAY_NUM: Final = {d.lower(): i for i, d in enumerate(_WEEKDAYS.split("|"))}


def _weekday(ref: tuple[int, int | None, int | None], wd: int, how: str) -> str | None:
    """``on Monday`` against the article's date: the latest one on or before it (news reports
    the past); ``next Monday`` the first after it, ``last Monday`` the one before that."""
    ry, rm, rd = ref
    if rm is None or rd is None:
        return None
    r = _dt.date(ry, rm, rd)
    back = (r.weekday() - wd) % 7
    if how == "next":
        day = r + _dt.timedelta(days=(wd - r.weekday()) % 7 or 7)
    elif how == "coming":
        day = r + _dt.timedelta(days=(wd - r.weekday()) % 7)
    else:
        day = r - _dt.timedelta(days=back + (7 if how == "last" and back == 0 else 0))
    return _iso(day.year, day.month, day.day)


def _nth_weekday(ref: tuple[int, int | None, int | None], m: re.Match[str]) -> str | None:
    """``first Monday of October``, ``last Friday in March 2014``, ``first Monday of this month``."""
    g = m.group
    ry, rm, _ = ref
    if g("nth_m"):
        mo = _MONTHS[g("nth_m").rstrip(".").lower()]
        y = int(g("nth_y")) if g("nth_y") else int(_nearest_month(ref, mo, "in")[:4])
    else:
        if rm is None:
            return None
        step = {"this": 0, "the": 0, "next": 1, "last": -1}[g("nth_rel").lower()]
        total = ry * 12 + rm - 1 + step
        y, mo = total // 12, total % 12 + 1
    wd = _WEEKDAY_NUM[g("nth_d").lower()]
    days = [
        d for d in range(1, calendar.monthrange(y, mo)[1] + 1) if _dt.date(y, mo, d).weekday() == wd
    ]
    o = g("nth_o").lower()
    return _iso(y, mo, days[-1] if o == "last" else days[_ORDINALS[o] - 1])


_SKIP: Final = "skip"


def _resolve(
    text: str, m: re.Match[str], ref: tuple[int, int | None, int | None] | None
) -> str | None:
    """The date a phrase names, None if it needs a missing reference, _SKIP if not a date."""
    kind, g = m.lastgroup, m.group
    if kind == "time":
        return _SKIP
    if kind in ("iso", "mdy", "dmy"):
        y, d = int(g(f"{kind}_y")), int(g(f"{kind}_d"))
        mo = int(g("iso_m")) if kind == "iso" else _MONTHS[g(f"{kind}_m").rstrip(".").lower()]
        return _iso(y, mo, d) if _valid(y, mo, d) else _SKIP
    if kind == "my":
        return _iso(int(g("my_y")), _MONTHS[g("my_m").rstrip(".").lower()])
    if kind in ("qy", "yq", "fy", "span"):
        ys: str = g(f"{kind}_y") or g("fy_y2")
        return _iso(int(ys) + (2000 if len(ys) == 2 else 0))
    if kind == "year":
        s, e = m.span()
        if unit_follows(text, e) or not is_year_context(text, s, e):
            return _SKIP
        return g("year_y")
    if ref is None:
        return None
    ry, rm, rd = ref
    if kind in ("md", "dm"):
        return _nearest_day(ref, _MONTHS[g(f"{kind}_m").rstrip(".").lower()], int(g(f"{kind}_d")))
    if kind == "mrel":
        step = {"last": -1, "this": 0, "next": 1}[g("mrel_w").lower()]
        return _iso(ry + step, _MONTHS[g("mrel_m").rstrip(".").lower()])
    if kind == "wd":
        how = (g("wd_w") or "").lower()
        if not how and _FUTURE_RE.search(text, max(0, m.start() - 80), m.start()):
            how = "coming"  # "will play ... on Sunday": the next Sunday, or today
        return _weekday(ref, _WEEKDAY_NUM[g("wd_d").lower()], how)
    if kind == "mon":
        how = g("mon_w").lower()
        return _nearest_month(ref, _MONTHS[g("mon_m").rstrip(".").lower()], how)
    if kind == "q":
        if g("q_rel"):
            return _iso(ry + {"last": -1, "this": 0, "next": 1}[g("q_rel").lower()])
        q = int(g("q_q")) if g("q_q") else _ORDINALS[g("q_w").lower()]
        return _iso(ry if rm is None or rm > 3 * (q - 1) else ry - 1)
    if kind == "rel":
        step = {"last": -1, "this": 0, "next": 1}[g("rel_w").lower()]
        unit = g("rel_u").lower()
        return _shift(ref, 7 * step, 12 * step if unit == "year" else step, unit)
    if kind in ("ago", "ahead"):
        n = g(f"{kind}_n").lower()
        k = int(n) if n.isdigit() else int(WORD_NUMBERS.get(n, "0"))
        k = -k if kind == "ago" else k
        unit = g(f"{kind}_u").lower()
        # "three weeks ago" is a week, given as the month it falls in.
        return _shift(
            ref, k * (7 if unit == "week" else 1), k * (12 if unit == "year" else 1), unit
        )
    if kind == "wdw":
        if rd is None or rm is None:
            return None
        r = _dt.date(ry, rm, rd)
        step = {"last": -1, "this": 0, "next": 1}[g("wdw_w").lower()]
        monday = r - _dt.timedelta(days=r.weekday()) + _dt.timedelta(weeks=step)
        day = monday + _dt.timedelta(days=_WEEKDAY_NUM[g("wdw_d").lower()])
        return _iso(day.year, day.month, day.day)
    if kind in ("wdn", "onth"):
        if rm is None:
            return None
        d = int(g(f"{kind}_d"))
        return _nearest_day(ref, rm, d) if 1 <= d <= 31 else _SKIP
    if kind == "dom":
        if rm is None:
            return None
        step = {"next": 1, "this": 0, "current": 0, "last": -1, "previous": -1}[g("dom_w").lower()]
        total = ry * 12 + rm - 1 + step
        y, mo, d = total // 12, total % 12 + 1, int(g("dom_d"))
        return _iso(y, mo, d) if _valid(y, mo, d) else _SKIP
    if kind == "day2":
        return _shift(ref, 2 if g("day2_w").lower().startswith("after") else -2, 0, "day")
    if kind == "cur":
        return _iso(ry) if g("cur_u").lower() == "year" else (_iso(ry, rm) if rm else None)
    if kind == "nth":
        return _nth_weekday(ref, m)
    if kind == "nd":
        mo = _MONTHS[g("nd_m").rstrip(".").lower()]
        y = int(g("nd_y")) if g("nd_y") else int(_nearest_month(ref, mo, "in")[:4])
        o = g("nd_o").lower()
        last = calendar.monthrange(y, mo)[1]
        d = last if o == "last" else _ORDINALS.get(o) or int(o[:-2])
        return _iso(y, mo, d) if _valid(y, mo, d) else _SKIP
    if kind == "day":
        step = {"yesterday": -1, "today": 0, "tomorrow": 1}[g("day").lower()]
        return _shift(ref, step, 0, "day")
    return _SKIP


def parse_period(text: str, *, reference_date: str | None = None) -> str | None:
    """The partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) of a time phrase.

    ``"as of June 2023"`` -> ``"2023-06"``, ``"Dec. 16, 2015"`` -> ``"2015-12-16"``,
    ``"by the end of 2022"`` -> ``"2022"``. Relative phrases (``"last year"``,
    ``"earlier this month"``, ``"July 14"``) need ``reference_date`` (the article's
    date, ISO) and give None without it. The first date phrase in ``text`` decides, except
    a weekday (``on Tuesday``), which decides only when no other date phrase is there.
    """
    if not text:
        return None
    t = text if text.isascii() else text.translate(TRANSLATE)
    if _YEAR_MONTH_RE.fullmatch(t.strip()) and is_partial_iso_date(t.strip()):
        return t.strip()
    ref = _reference(reference_date)
    skip_to = 0
    weekday: str | None = None
    # Only tokens that can open a date phrase are tried: far cheaper than a search.
    for tok in _TOKEN_RE.finditer(t):
        word = tok.group()
        if tok.start() < skip_to or not (word[0].isdigit() or word.lower() in _DATE_OPENERS):
            continue
        m = _DATE_RE.match(t, tok.start())
        if m is not None:
            found = _resolve(t, m, ref)
            if found != _SKIP and m.lastgroup == "wd":
                # "said on Tuesday" dates the telling: a year or month in the same text
                # dates the figure better, so a weekday decides only when nothing else does.
                weekday = weekday or found
            elif found != _SKIP:
                return found
            skip_to = m.end()
    return weekday
