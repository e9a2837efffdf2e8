"""The metric of a number: the noun phrase it counts or measures, read from nearby words.

Private: :mod:`summarizer.ground.scan` is the public module. In order of preference:

1. **Growth**: ``up 10.9 percent``, ``an increase of 85.4 million`` -> "increase in"
   the metric of the figure before it in the sentence, whose unit a bare count takes.
2. **The noun after the number**: ``1.079 billion internet users``, ``600,000 5G base
   stations``, ``users of Internet of Things smart devices``; a share for ``60 percent
   of the respondents``; what a measure or amount is of (``900,000 kg of local fruits``);
   a hyphenated measure describes the noun after it (``the 30-minute surgery``).
3. **The subject before the verb**: ``the number of online shoppers in China topped
   845 million`` -> "online shoppers in China" (``the number of`` dropped).

A number that is not currency, percent or a measure takes its unit from the head noun
of the metric ("online shoppers in China" -> "shoppers").
"""

from __future__ import annotations

import re
from typing import Final

from summarizer.ground.normalize import Quantity

__all__ = ["metric_for"]

_TOKEN_RE: Final = re.compile(r"[^\W_][\w’'.-]*[^\W_]|[^\W_]|[“”\"‘]|[^\w\s]")


def _words(s: str) -> frozenset[str]:
    return frozenset(s.split())


_NP_STOP_BASE: Final = _words(
    "is are was were be been being has have had will would could should may might can did does "
    "do to that which who whom whose while when where because although though if and or but nor "
    "than as after before since until so for from by with without against a an the this these "
    "those it they he she we you i its their his her our your annually each every per apiece "
    "respectively alone only just also still already now then there here according compared "
    "more less over under about around nearly almost some up down away ago last next year years "
    "month months week weeks day days time"
)
_PREPS: Final = _words("of in for on at from with by to among between across within under into")
_NP_STOP: Final = _NP_STOP_BASE | _PREPS
_QUAL_WORDS: Final = _words(
    "more than over nearly almost some about around roughly approximately up to at least a total "
    "of the just only under below above by as many much an estimated record high low fewer less "
    "close well slightly another further additional extra"
)
_CHAIN_VERBS: Final = _words(
    "is are was were be been being has have had will would could should may might can did does "
    "do reach reached reaches reaching hit hits topped tops top total totaled totalled totals "
    "totaling totalling surpassed surpass surpasses exceeded exceed exceeds neared nears rose rise "
    "rises risen fell fall falls fallen grew grow grows grown increased increase decreased declined "
    "dropped jumped climbed soared stood stands stand amounted amounts amount came comes made make "
    "makes earned earn earns paid pay pays cost costs raised raise projected expected forecast "
    "estimated set valued worth sold sell sells bought buy spent spend spends lost lose won win "
    "polled employs employed brought bring brings boosted cut reduced saw see sees recorded posted "
    "reported generated attracted drew received receive receives got get gets took take takes "
    "gave give gives needs need needed holds hold held has reaching slumped slid plunged gained "
    "gains rising falling growing"
)
_CHAIN: Final = _CHAIN_VERBS | _words("to at by around about from")
_RISE: Final = _words(
    "rose rise rises risen rising jumped jump jumps grew grow grows grown growing increased "
    "increase increases climbed climbs soared soars gained gains up surged surges boosted"
)
_FALL: Final = _words(
    "fell fall falls fallen falling declined declines dropped drops slumped slumps slid slides "
    "plunged plunges down decreased decreases shrank shrinks cut lost"
)
_MONEY_NOUNS: Final = _words(
    "profit profits loss losses deal deals contract bid investment fine fines debt debts budget "
    "revenue revenues sales bonus bonuses salary takeover loan loans package fund stake offer "
    "payment payments settlement surplus deficit turnover funding subsidy subsidies grant grants "
    "tax taxes charge charges compensation spending savings costs price prices income earnings "
    "bill bills merger acquisition sale"
)
_BOUNDARY: Final = (
    _words(
        "that which who whom whose while when where because although though if and but or nor with "
        "without as after before since than said says say show showed shows shown indicate indicated "
        "found find finds suggest suggested suggests meaning means mean leaving left making bringing "
        "including showing suggesting indicating saying revealing given despite amid"
    )
    | _CHAIN_VERBS
)
_DETERMINERS: Final = _words("the a an its their his her our this that these those some all")
_GROWTH_NOUNS: Final = _words(
    "increase rise growth jump gain decline fall drop decrease rebound surge slump climb"
)
_MEASURE_KINDS: Final = {
    "km": "distance", "miles": "distance", "m": "distance", "metres": "distance",
    "meters": "distance", "kg": "weight", "tonnes": "weight", "tons": "weight", "g": "weight",
    "minutes": "duration", "hours": "duration", "seconds": "duration", "days": "duration",
    "weeks": "duration", "months": "duration", "years": "duration",
}  # fmt: skip
_NUMBER_OF_RE: Final = re.compile(
    r"^(?:the\s+|a\s+)?(?:(?:total|overall|combined|annual)\s+)?(?:number|total|count|amount|tally)"
    r"\s+of\s+",
    re.IGNORECASE,
)
_PRONOUN_NP: Final = _words("they it he she we you i this that these those them there one")


def _kind(q: Quantity) -> str:
    unit = q.unit or ""
    if not unit:
        return "none"
    if unit.startswith("percent") or unit == "percentage points":
        return "percent"
    if re.fullmatch(r"[A-Z]{3}(?:/100)?", unit):
        return "currency"
    return "measure" if unit.rstrip("s") in q.text or unit in _MEASURE_KINDS else "count"


def _tokens(text: str, start: int, end: int) -> list[re.Match[str]]:
    return list(_TOKEN_RE.finditer(text, start, end))


def _join(text: str, toks: list[re.Match[str]]) -> str:
    if not toks:
        return ""
    return " ".join(text[toks[0].start() : toks[-1].end()].split())


def _noun_after(text: str, toks: list[re.Match[str]], count_unit: str | None) -> tuple[int, int]:
    """Token range ``[0, n)`` of the noun phrase right after the number, and its head index."""
    i, head = 0, -1
    words = 0
    while i < len(toks) and words < 5:
        t = toks[i].group()
        if t in '“"‘':  # a quoted term is a modifier: "1,100 “5G plus” projects"
            j = next((k for k in range(i + 1, len(toks)) if toks[k].group() in '”"’'), -1)
            if j < 0 or j - i > 7:
                break
            i = j + 1
            continue
        if not t[0].isalnum():
            break
        if any(c.isdigit() for c in t):  # "5G"
            i += 1
            continue
        if t.lower() in _NP_STOP or t.lower().endswith("ly"):
            break
        head = i
        i += 1
        words += 1
        if count_unit is not None and t.lower() == count_unit:
            break
    return head + 1, head


def _of_phrase(text: str, toks: list[re.Match[str]], i: int) -> int:
    """End index of an ``of`` phrase, or ``in`` + a name, at token ``i`` (``i`` when none)."""
    if i >= len(toks) or toks[i].group().lower() not in ("of", "in"):
        return i
    if toks[i].group().lower() == "in":
        k = i + 1
        while k < len(toks) and toks[k].group().lower() in _DETERMINERS:
            k += 1
        if k >= len(toks) or not toks[k].group()[0].isupper():
            return i  # "in China" is part of the metric, "in the fourth quarter" is not
    j, words = i + 1, 0
    while j < len(toks) and words < 7:
        t = toks[j].group()
        if not t[0].isalnum() and t not in "’'":
            break
        low = t.lower()
        if (
            low in _NP_STOP - {"the", "a", "an", "its", "their", "his", "her", "our"}
            and low != "of"
        ):
            break
        if t.islower() and low.endswith(("ed", "ly")) and j > i + 1:
            break  # a verb or an adverb ends the phrase: "of the respondents indicated"
        if any(c.isdigit() for c in t) and not t.isalpha():
            break
        j += 1
        words += 1
    while j > i + 1 and toks[j - 1].group().lower() in _PREPS | _DETERMINERS:
        j -= 1
    return j if j > i + 1 else i


_AMOUNT_RE: Final = re.compile(r"[%$£€¥()]|\d[\d.,]*(?:bn|m|mn|k|tn|%)?", re.IGNORECASE)


def _is_amount(tok: str) -> bool:
    """A number or money sign ("76", "$", "1.13bn"), not a name with digits ("5G")."""
    return _AMOUNT_RE.fullmatch(tok) is not None


def _subject_before(text: str, toks: list[re.Match[str]]) -> tuple[str, str | None]:
    """The noun phrase before the verb that leads to the number, and its change word.

    The change word is "increase"/"decrease" for ``up``/``down`` and rise/fall verbs
    (``jumped 76%``), or the growth noun of ``an increase of``; None for a level.
    """
    last = len(toks) - 1
    # "up 10.9 percent", "a year-on-year increase of 31.1 percent"
    if last >= 0 and toks[last].group().lower() in ("up", "down"):
        return "", "increase" if toks[last].group().lower() == "up" else "decrease"
    i = last
    while i >= 0 and toks[i].group().lower() in _QUAL_WORDS:
        i -= 1
    if last >= 1 and toks[last].group().lower() == "of":
        noun = toks[last - 1].group().lower()
        if noun in _GROWTH_NOUNS:
            return "", noun
    chain_end = i
    while i >= 0 and (
        toks[i].group().lower() in _CHAIN | _QUAL_WORDS or _is_amount(toks[i].group())
    ):
        i -= 1
    chain = {t.group().lower() for t in toks[i + 1 : chain_end + 1]}
    end = i
    while i >= 0:
        t = toks[i].group()
        low = t.lower()
        if t in ",;:()[]—–" or low in _BOUNDARY or (t[0].isalpha() and end - i >= 12):
            break
        if i < end and t.islower() and low.endswith(("ed", "ly")) and len(low) > 4:
            break  # "successfully removed the gallbladder": a verb or adverb is no subject
        i -= 1
    phrase = toks[i + 1 : end + 1]
    while phrase and phrase[0].group().lower() in _DETERMINERS | _PREPS:
        phrase = phrase[1:]
    change = "increase" if chain & _RISE else "decrease" if chain & _FALL else None
    if not phrase or phrase[0].group().lower() in _PRONOUN_NP:
        # "they can make more than 5,000 yuan": the verb says what the amount is.
        verbs = [t for t in toks[end + 1 :] if t.group().lower() not in _QUAL_WORDS]
        return _join(text, phrase + verbs) if verbs else "", None
    return _join(text, phrase), change


def _possessor(text: str, toks: list[re.Match[str]]) -> str | None:
    """``"country"`` when the number follows ``"the country’s"`` (past qualifier words)."""
    i = len(toks) - 1
    while i >= 0 and toks[i].group().lower() in _QUAL_WORDS - {"the"}:
        i -= 1
    if i < 0 or not re.search(r"['’]s$", toks[i].group()):
        return None
    start = i
    while start > 0 and start > i - 3 and toks[start - 1].group()[0].isalnum():
        if toks[start - 1].group().lower() in _BOUNDARY | _PREPS:
            break
        start -= 1
    return re.sub(r"['’]s$", "", _join(text, toks[start : i + 1]))


def _head_unit(metric: str) -> str | None:
    """``"online shoppers in China"`` -> ``"shoppers"``: the last word before a preposition."""
    words = re.findall(r"[\w’'-]+", _NUMBER_OF_RE.sub("", metric))
    cut: list[str] = []
    for w in words:
        low = w.lower()
        if cut and (low in _PREPS or low.endswith("ing") or low in ("who", "that", "which")):
            break
        cut.append(w)
    head = cut[-1] if cut else ""
    if not head.isalpha() or len(head) < 3 or head.lower() in _PRONOUN_NP:
        return None
    if head.lower().endswith("s") or head.lower() in ("people", "staff", "children", "personnel"):
        return head.lower()
    return None


def metric_for(
    text: str, q: Quantity, s_start: int, s_end: int, prev: tuple[str | None, str | None] | None
) -> tuple[str | None, str | None]:
    """``(metric, unit)`` for quantity ``q`` in the sentence ``text[s_start:s_end]``.

    ``prev`` is the ``(metric, unit)`` of the figure before it in the same sentence,
    which a growth figure refers to. The unit is ``q.unit`` unless ``q`` has none and
    the metric's head noun gives one.
    """
    kind = _kind(q)
    after = _tokens(text, q.end, s_end)
    before = _tokens(text, s_start, q.start)
    unit = q.unit
    metric: str | None = None

    subject, growth = _subject_before(text, before)
    by = bool(before) and before[-1].group().lower() == "by"
    direct = bool(before) and before[-1].group().lower() in ("up", "down", "of")
    if growth is not None and (direct or kind == "percent" or by):
        base, base_unit = prev if prev is not None else (None, None)
        if base and base.startswith(("increase in ", "decrease in ")):
            # A change of a change: read the subject instead, and not the unit of the
            # change before ("rose by 17% ... up 23,600" is no percentage).
            base, base_unit = None, None
        base = base or (subject if not direct else None)
        metric = f"{growth} in {base}" if base else growth
        if unit is None and base_unit is not None:
            unit = base_unit
        return metric, unit

    n, head = _noun_after(text, after, q.unit if kind == "count" else None)
    noun = _join(text, after[:n]) if n else ""
    if kind in ("count", "none") and noun:
        end = _of_phrase(text, after, n)
        metric = _join(text, after[:end])
        if end == n and (owner := _possessor(text, before)):
            metric = f"{metric} of {owner}"  # "the country’s 1.4 billion people"
        if unit is None:
            unit = after[head].group().lower() if _head_unit(noun) else None
    elif kind in ("percent", "currency", "measure"):
        start = n if kind == "measure" and n and text[q.end - 1].isalpha() is False else 0
        end = _of_phrase(text, after, start)
        if end > start:
            of_np = _join(text, after[start + 1 : end])
            metric = f"share of {of_np}" if kind == "percent" else of_np
        elif kind == "measure" and "-" in q.text and noun:
            measure = _MEASURE_KINDS.get(q.unit or "", "size")
            metric = f"{measure} of {noun}"
        elif kind == "currency" and noun and after[head].group().lower() in _MONEY_NOUNS:
            metric = noun  # "£2.5bn profit"
    if metric is None and subject:
        metric = _NUMBER_OF_RE.sub("", subject)
        if unit is None:
            unit = _head_unit(metric)
    if metric is None and noun:
        metric = noun
    if metric and kind == "measure" and q.unit in _MEASURE_KINDS:
        kind_word = _MEASURE_KINDS[q.unit or ""]
        if not metric.startswith(kind_word):
            metric = f"{kind_word}: {metric}" if "-" not in q.text else metric
    return _clean(metric), unit


def _clean(metric: str | None) -> str | None:
    """Drop numbers and dangling function words; None when no content word is left."""
    if not metric:
        return None
    words = [w for w in metric.split() if not _is_amount(w.strip("$£€¥(),"))]
    while words and (words[-1].lower().strip(",-") in _NP_STOP | _DETERMINERS or words[-1] in "-,"):
        words.pop()
    while words and words[0].lower() in _DETERMINERS | _PREPS:
        words.pop(0)
    content = [w for w in words if len(w) >= 3 and w.lower() not in _NP_STOP]
    return " ".join(words) if content else None
