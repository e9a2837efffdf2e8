"""The fake endpoint's reading rules: sentences, dates, names, figures and quotes.

Simple, deterministic heuristics, independent of the package's own scanner, so the
fake model and the pipeline under test do not share their mistakes.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from summarizer.records import is_partial_iso_date

__all__ = [
    "MAX_ITEMS",
    "QUOTED",
    "STAT",
    "first_date",
    "following_words",
    "line_bounds",
    "names",
    "preceding_words",
    "quotes",
    "sentence_spans",
    "speaker",
    "statistic",
    "statistics",
]

MAX_ITEMS = 12


# --------------------------------------------------------------------------- sentences


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ABBREVIATIONS = _words(
    "mr mrs ms dr st jr sr prof gen gov sen rep inc ltd co corp vs no mt ft col lt sgt capt "
    "jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k e.g i.e etc"
)
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of sentences; paragraph breaks always end a sentence."""
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        start = para.start()
        for boundary in _BOUNDARY.finditer(text, para.start(), para.end()):
            word = _LAST_WORD.search(text, max(start, boundary.start() - 24), boundary.start() + 1)
            token = word.group(1).lower().rstrip(".") if word else ""
            if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
                continue  # "Mr. Smith", "J. Smith": not the end of a sentence
            spans.append((start, boundary.end()))
            start = boundary.end()
        spans.append((start, para.end()))
    stripped: list[tuple[int, int]] = []
    for start, end in spans:
        chunk = text[start:end]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk) - len(chunk.rstrip())
        if end - trail > start + lead:
            stripped.append((start + lead, end - trail))
    return stripped


# --------------------------------------------------------------------------- dates

_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
_MONTH_NAMES = list(_MONTHS)
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_YEAR = r"(?:19|20)\d{2}"
_DATE = re.compile(
    rf"(?<![\w$£€.,])(?:"
    rf"(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH})\.?,?\s+(?P<y1>{_YEAR})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?:(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+)?(?P<y2>{_YEAR})"
    rf"|(?P<y3>{_YEAR})"
    rf")(?![\w%]|[.,]\d)"
)


def first_date(sentence: str) -> str | None:
    """The first date in a sentence as partial ISO (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``)."""
    m = _DATE.search(sentence)
    if not m:
        return None
    year = m.group("y1") or m.group("y2") or m.group("y3")
    month_name = m.group("m1") or m.group("m2")
    day = m.group("d1") or m.group("d2")
    if not month_name:
        return year
    iso = f"{year}-{_MONTHS[month_name.lower()]:02d}"
    if day and is_partial_iso_date(f"{iso}-{int(day):02d}"):
        return f"{iso}-{int(day):02d}"
    return iso


# --------------------------------------------------------------------------- names

_NAME = re.compile(r"[A-Z][\w’'.-]*(?:\s+(?:(?:de|van|von)\s+)?[A-Z][\w’'.-]*)*")
_POSSESSIVE = re.compile(r"(?:[’']s|[’'])$")
_NOT_NAMES = _words(
    "the a an in on at but and or during after before with as by for from since when while "
    "this that these those it he she they we i his her their our its moreover additionally "
    "however meanwhile also yet so if there here then now mr mrs ms dr "
    "monday tuesday wednesday thursday friday saturday sunday"
) | frozenset(_MONTH_NAMES)


def names(text: str, *, skip_first_word: bool = True) -> list[str]:
    """Capitalised word runs that look like names of people, places or organisations."""
    found: list[str] = []
    for m in _NAME.finditer(text):
        run = m.group(0).rstrip(".")
        possessive = bool(_POSSESSIVE.search(run))
        words = _POSSESSIVE.sub("", run).split()
        if skip_first_word and m.start() == 0 and len(words) == 1 and not possessive:
            continue  # a lone capitalised first word is usually just the sentence start
        while words and words[0].lower().rstrip(".") in _NOT_NAMES:
            words.pop(0)
        name = " ".join(words)
        if len(name) > 1 and name not in found:
            found.append(name)
    return found


# --------------------------------------------------------------------------- statistics

_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_CURRENCY_SYMBOLS = {"$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "pounds": "GBP",
    "euros": "EUR",
    "euro": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "yen": "JPY",
    "rupees": "INR",
}
STAT = re.compile(
    r"(?<![\w.,])(?P<cur>[$£€¥])?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?P<pct>%|\s?per\s?cent\b|\s?percent\b)"
    r"|\s?(?P<scale>hundred|thousand|million|billion|trillion|bn|mn|tn|m|k)\b)?"
    r"(?:\s(?P<curword>dollars?|pounds|euros?|yuan|renminbi|yen|rupees)\b)?"
)
_FUNCTION_WORDS = _words(
    "in of for by to from at on and or the a an with as than this that which who per over "
    "since after before during into about around nearly almost some more less is was are were "
    "be been had has have reach reached rose fell hit totalled totaled worth up down its their"
)
_WORD = re.compile(r"[A-Za-z][\w’'-]*")


def following_words(text: str, limit: int = 3) -> list[str]:
    words: list[str] = []
    for m in re.finditer(r"\S+", text):
        word = _WORD.fullmatch(m.group(0).rstrip(',.;:!?)”’"'))
        if not word or word.group(0).lower() in _FUNCTION_WORDS:
            break
        words.append(word.group(0))
        if len(words) == limit or m.group(0)[-1] in ",.;:!?)":
            break
    return words


_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|will|would|could|may|might|rose|fell|grew|hit|reached|"
    r"totalled|totaled|stood|stands|amounted|increased|decreased|dropped|jumped|climbed)\b"
)


def preceding_words(text: str, limit: int = 4) -> list[str]:
    """The subject before a number: the last words before its verb, in the same clause."""
    clause = re.split(r"[,;:(]", text)[-1]
    verbs = list(_VERB.finditer(clause))
    if verbs:
        clause = clause[: verbs[-1].start()]
    words = re.findall(r"(?<![\w$£€])[A-Za-z][\w’'-]*", clause)[-limit:]
    while words and words[-1].lower() in _FUNCTION_WORDS:
        words.pop()
    while words and words[0].lower() in _FUNCTION_WORDS:
        words.pop(0)
    return words


def statistics(sentence: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for m in STAT.finditer(sentence):
        one = statistic(sentence, m)
        if one is not None:
            found.append(one)
    return found


def statistic(sentence: str, m: re.Match[str]) -> dict[str, Any] | None:
    """The statistic the number matched at ``m`` states, or ``None`` for a bare number."""
    cur, pct, scale, curword = m.group("cur", "pct", "scale", "curword")
    if not (cur or pct or scale):
        return None  # a bare number: a year, an ordinal, a count without a scale word
    number = float(m.group("num").replace(",", ""))
    value = number if pct else number * _SCALES.get((scale or "").lower(), 1.0)
    after = sentence[m.end() :]
    following = following_words(after)
    if pct:
        unit: str | None = "percent"
        share_of = re.match(r"\s+of\s+", after)
        tail = following_words(after[share_of.end() :]) if share_of else []
        metric_words = ["share", "of", *tail] if tail else []
    elif cur or curword:
        unit = _CURRENCY_SYMBOLS.get(cur or "") or _CURRENCY_WORDS.get((curword or "").lower())
        metric_words = following
    else:
        unit = " ".join(following) or None
        metric_words = following
    if not metric_words:
        metric_words = preceding_words(sentence[: m.start()])
    return {
        "metric": " ".join(metric_words) or "figure",
        "value": value,
        "unit": unit,
        "value_text": m.group(0).strip(),
        "period": first_date(sentence),
        "evidence": sentence,
    }


# --------------------------------------------------------------------------- quotes

QUOTED = re.compile(r"“(?P<curly>[^”\n]{2,}?)”|\"(?P<straight>[^\"\n]{2,}?)\"")
_SAID = re.compile(r"\b(?:said|says)\b")
_SAID_WINDOW = 120
_SPEAKER_BEFORE = re.compile(
    r"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s+(?:has\s+|had\s+|also\s+)?(?:said|says)\b"
)
_SPEAKER_AFTER = re.compile(
    r"\b(?:said|says)\s+(?:the\s+)?(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})"
)
_ROLE = re.compile(r",\s+(?P<role>(?:the\s+|a\s+|an\s+)?[a-z][^,.;“”\"]{2,60})[,.;]")


def line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (line) around ``text[start:end]``."""
    line_end = text.find("\n", end)
    return text.rfind("\n", 0, start) + 1, len(text) if line_end < 0 else line_end


def speaker(article: str, q_start: int, q_end: int, evidence_start: int) -> tuple[str, str | None]:
    """Who said the quote at ``article[q_start:q_end]``, and their role if an apposition gives it."""
    line_start, line_end = line_bounds(article, q_start, q_end)
    lo, hi = max(line_start, q_start - _SAID_WINDOW), min(line_end, q_end + _SAID_WINDOW)
    candidates: list[re.Match[str]] = []
    # '"...", said Jane Doe' or '"...", Jane Doe said' first, then 'Jane Doe said "..."'.
    after = _SPEAKER_AFTER.search(article, q_end, hi) or _SPEAKER_BEFORE.search(article, q_end, hi)
    if after:
        candidates.append(after)
    candidates.extend(list(_SPEAKER_BEFORE.finditer(article, lo, q_start))[-1:])
    for m in candidates:
        named = names(m.group("name"), skip_first_word=False)
        if named:
            role = _ROLE.match(article, m.end("name"), line_end)
            return named[0], (role.group("role").strip() if role else None)
    before = names(article[evidence_start:q_start])
    return (before[-1] if before else "unnamed source"), None


def quotes(article: str, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    starts = [s for s, _ in spans]
    found: list[dict[str, Any]] = []
    for m in QUOTED.finditer(article):
        q_start, q_end = m.span()
        line_start, line_end = line_bounds(article, q_start, q_end)
        window = article[
            max(line_start, q_start - _SAID_WINDOW) : min(line_end, q_end + _SAID_WINDOW)
        ]
        if not _SAID.search(window):
            continue
        first = max(bisect.bisect_right(starts, q_start) - 1, 0)
        last = max(bisect.bisect_right(starts, q_end - 1) - 1, 0)
        evidence = (spans[first][0], spans[last][1])
        who, role = speaker(article, q_start, q_end, evidence[0])
        found.append(
            {
                "speaker": who,
                "speaker_role": role,
                "text": (m.group("curly") or m.group("straight")).strip(),
                "evidence": article[evidence[0] : evidence[1]],
            }
        )
        if len(found) == MAX_ITEMS:
            break
    return found
