"""Read numbers: digits, number words, scale words, units and qualifiers, into candidates.

Private: :mod:`summarizer.ground.normalize` is the public module; it re-exports
:class:`Quantity`, :func:`parse_quantities` and :func:`parse_quantity`, and its docstring
lists the rules. This module reads text; deciding a statistic's value (text, model or
ambiguous) is :mod:`summarizer.ground.normalize`'s job.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Final

from summarizer.ground._periods import date_end, is_year_context
from summarizer.ground._units import (
    PLURALS,
    SCALE_RE,
    SCALE_WORDS,
    TRANSLATE,
    compile_ascii,
    counted_noun,
    currency_before,
    prev_word,
    rate_after,
    scale_exp,
    unit_after,
    word_set,
)
from summarizer.ground._words import word_numbers
from summarizer.records import Qualifier

__all__ = ["MAX_MAGNITUDE", "Quantity", "parse_quantities", "parse_quantity"]

MAX_MAGNITUDE: Final = 1e16  # no news number is larger; anything above is a parsing accident

# --------------------------------------------------------------------------- regexes

_SUPERSCRIPT: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

_CORE_RE: Final = compile_ascii(
    r"(?=[\d.])"  # every number starts so; checked first, the search is several times faster
    r"(?:(?P<fi>\d{1,3}) (?P<fn>\d{1,2})/(?P<fd>\d{1,2})(?![\d/])"  # 10 1/2
    r"|(?<![\d/])(?P<qn>[1-9])/(?P<qd>[2-8])(?=\s?[a-z])"  # 1/4 mile
    r"|(?:(?P<sp>(?<![\d,.])\d{1,3}(?: \d{3}){2,}(?![\d,.]|\s\d))"  # 1 414 021 100
    r"|(?P<n>\d{1,2}(?:,\d{2})+,\d{3}(?!\d)(?:\.\d+)?"  # Indian grouping: 12,34,567
    r"|\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+))"
    r"(?:[eE](?P<e>[+-]?\d{1,9})(?![A-Za-z\d]))?)"
)
_TRANSLATED_RE: Final = re.compile("[" + re.escape("".join(map(chr, TRANSLATE))) + "]")
_FRACTION_RE: Final = compile_ascii(
    r"[\s-]+(?i:halves|thirds|fifths|sixths|sevenths|eighths|ninths|tenths|twelfths|twentieths"
    r"|hundredths|thousandths|millionths|billionths|trillionths)\b"
)
_AND_HALF_RE: Final = compile_ascii(rf"\s+and\s+an?\s+(half|quarter)\b(?!\s+{SCALE_WORDS})")
_DOZEN_RE: Final = compile_ascii(r"\s+(?i:dozens?)\b")
# "5ft 2in", "6 feet 1 inch": a height in two units, read in feet.
_INCHES_RE: Final = compile_ascii(
    r"\s*(?:and\s+)?(\d{1,2}(?:\.\d+)?)\s?(?:in|inch|inches|\")(?![A-Za-z])"
)
_DURATIONS: Final = word_set("years months weeks days hours minutes seconds")
_VULGAR: Final = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3}
_QUAL_LAST_WORDS: Final = word_set(
    "than over above least of topped tops topping exceed exceeds exceeded exceeding surpass "
    "surpasses surpassed surpassing the under below nearly almost most as to near neared nearing "
    "nears about around some approximately approx roughly circa estimated at by be will would could"
)
_QUAL_VERB_STEMS: Final = (
    "reach", "hit", "top", "exceed", "total", "surpass", "grow", "rise", "fall", "climb",
    "increas", "decreas", "declin", "drop", "expand", "shrink", "jump", "doubl", "soar",
    "amount", "stand", "pass", "cross",
)  # fmt: skip

_WSTART_RE: Final = compile_ascii(r"\b[A-Za-z]|[~≈<>≤≥]")
_POW_RE: Final = compile_ascii(
    r"\s?(?:\^|\*\*)\s?(?P<p>[+-]?\d{1,6})|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)"
    r"|\s?[x×]\s?10\s?(?:\^|\*\*)\s?(?P<sci>[+-]?\d{1,6})"
)

_SPORT_RE: Final = compile_ascii(
    r"\s+(?:race|races|hurdles|relay|freestyle|breaststroke|backstroke|butterfly|medley|sprint|"
    r"dash|finals?|heats?|title|record|events?|champion|indoor|outdoor|gold|silver|bronze|"
    r"steeplechase|behind|in\s+\d)\b|\s+(?:world|european|british)\s+(?:record|title)"
)
_SPORT_BEFORE_RE: Final = compile_ascii(r"(?:men|women)[’']s\s+\Z")
# After "508m": words that make it a length, or a speed ("17m per second").
_METRE_AFTER_RE: Final = compile_ascii(
    r"(?:[\s-]+(?:tall|high|long|deep|wide|thick|away|above|below|across|taller|higher|longer"
    r"|deeper|wider|shorter|in\s+(?:diameter|length|height|width|depth|circumference)"
    r"|high-rise|underground|underwater|below\s+sea|above\s+sea|offshore|track|course|shaft"
    r"|tower|spire|cliff|wave|waves|mast|walls?|fence|pipeline|tunnel|bridge|runway|yacht)\b"
    r"|\s*\(\s*[\d.,]+\s?(?:ft|feet|foot|in|inches|yards|yd|miles)\b"
    r"|\s+(?:per|a)\s+(?:second|minute)\b|/(?:s|min)\b)"
)
# After "5m": words that make it a million ("5m people" is decided by the counted noun).
_MILLION_AFTER_RE: Final = compile_ascii(
    r"\s*(?:\(|\s(?:of\s+(?:shares|people|users|pounds|dollars|euros)|a\s+year|annually"
    r"|in\s+(?:funding|revenue|sales|profit|losses|cash|aid|compensation|damages)|deal|contract"
    r"|loss|profit|debt|budget|fund|investment|bid|fine|salary|bonus|transfer)\b)"
)
_RANGE_SEP_RE: Final = compile_ascii(r"\s*(?:-|to|and|or)\s*")
_RANGE_SPAN: Final = 10.0  # a range's first end is at most this many times its second
_BRACKET_RE: Final = compile_ascii(r"\s*[(\[]")

_PRE_QUAL_RE: Final = compile_ascii(
    r"(?i:(?P<projected>\b(?:(?:projected|expected|forecast(?:ed)?|predicted|estimated|set|poised"
    r"|on\s+track|likely|anticipated|tipped|slated|due)\s+to|will|would|could|is\s+to|are\s+to)"
    r"\s+(?:(?:reach|hit|top|be|exceed|total|surpass|grow|rise|fall|climb|increase|decrease"
    r"|decline|drop|expand|shrink|jump|double|soar|amount|stand|pass|cross)\w*\s+(?:(?:by|to|at)\s+)?)?"
    r"(?:(?:more\s+than|over|about|around|nearly|almost|some|roughly|approximately|at\s+least"
    r"|up\s+to|less\s+than|fewer\s+than|under|below)\s+)?|\b(?:projected|forecast)\s+at\s+)"
    r"|(?P<at_least>\b(?:(?:(?:just|well|slightly|comfortably)\s+)?(?:more\s+than|over|above)"
    r"|at\s+least|in\s+excess\s+of|upwards\s+of|greater\s+than|no\s+(?:fewer|less)\s+than"
    r"|not\s+less\s+than|a\s+minimum\s+of|north\s+of)\s+"
    r"|\b(?:topped|tops|topping|exceed(?:s|ed|ing)?|surpass(?:es|ed|ing)?)\s+(?:the\s+)?|(?:>=?|≥)\s*)"
    r"|(?P<at_most>\b(?:(?:(?:just|slightly|a\s+little|well)\s+)?(?:under|below|short\s+of"
    r"|shy\s+of|less\s+than|fewer\s+than)|nearly|almost|no\s+more\s+than|not\s+more\s+than"
    r"|at\s+most|a\s+maximum\s+of|as\s+(?:many|much)\s+as)\s+"
    r"|(?<!went\s)(?<!gone\s)(?<!goes\s)(?<!rose\s)(?<!going\s)\bup\s+to\s+"
    r"|\bnear(?:ed|ing|s)?\s+(?:the\s+)?|(?:<=?|≤)\s*)"
    r"|(?P<approximate>\b(?:about|around|some|approximately|approx\.|roughly|circa|an?\s+estimated"
    r"|estimated\s+at|close\s+to|in\s+the\s+region\s+of|(?:of|on)\s+the\s+order\s+of)\s+"
    r"|(?:~|≈)\s*))"
)
_POST_QUAL_RE: Final = compile_ascii(
    r"(?P<at_least>\+|-plus\b)|(?:[ \t]+[a-z]+)?,?\s+(?i:(?P<at_least2>or\s+more|or\s+above"
    r"|and\s+(?:above|over|up))|(?P<at_most>or\s+(?:less|fewer|under|below))"
    r"|(?P<approximate>or\s+so))\b"
)

# --------------------------------------------------------------------------- quantities


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text, at full magnitude.

    ``text`` is ``input[start:end]``: sign, currency, number, scale word and a
    currency, percent or measurement unit, but neither the qualifier nor a counted
    noun (``users`` is the unit of ``2.05 billion users`` but not part of ``text``).
    """

    value: float
    unit: str | None
    qualifier: Qualifier | None
    text: str
    start: int
    end: int


@dataclass(slots=True)
class Cand:
    start: int
    end: int
    value: float | None  # None: out of range, so no quantity
    unit: str | None = None
    kind: str | None = None  # "currency", "percent", "measure", "count"
    scaled: bool = False
    qualifier: Qualifier | None = None
    mant: str = ""
    exp: int = 0
    ambiguous: bool = False  # a bare "508m": metres or million, the words do not say


def _value(mant: str, exp10: int, power: int | None, sci: int) -> float | None:
    try:
        v = float(mant) ** power * 10.0**exp10 if power is not None else float(f"{mant}e{exp10}")
        if sci:
            v *= 10.0**sci
    except (OverflowError, ValueError, ZeroDivisionError):
        return None
    return v if math.isfinite(v) and abs(v) <= MAX_MAGNITUDE else None


def _qualifier_before(text: str, start: int) -> Qualifier | None:
    word, _ = prev_word(text, start, " \t\n(.")
    if not word:
        # Only the symbols (~5%, >50%) qualify without a word.
        sym = text[max(0, start - 8) : start].rstrip()[-1:]
        if not sym or sym not in "~≈<>≤≥=":
            return None
    elif word.lower() not in _QUAL_LAST_WORDS and not word.lower().startswith(_QUAL_VERB_STEMS):
        return None  # the common case, decided without a regex
    # Try each word start in the last few words, leftmost first, so that "expected to
    # reach more than" is read whole before "more than".
    for w in _WSTART_RE.finditer(text, max(0, start - 48), start):
        m = _PRE_QUAL_RE.fullmatch(text, w.start(), start)
        if m is not None:
            return m.lastgroup  # type: ignore[return-value]
    return None


def _qualifier_after(text: str, end: int) -> Qualifier | None:
    m = _POST_QUAL_RE.match(text, end)
    if m is None:
        return None
    return "at_least" if m.lastgroup == "at_least2" else m.lastgroup  # type: ignore[return-value]


def _candidate(text: str, start: int, pos: int, mant: str, exp10: int) -> Cand | None:
    """The quantity whose digits (or number word) span ``text[start:pos]``, if it is one."""
    digits = text[start:pos]
    unit: str | None = None
    if (prefix := currency_before(text, start)) is not None:
        unit, start = prefix
    before = text[start - 1] if start else " "
    if (
        before.isalnum()
        or before == "_"
        or (before == "." and text[start - 2 : start - 1].isdigit())
    ):
        return None
    if before == "-" and text[start - 2 : start - 1].isalpha() and unit is None:
        return None  # COVID-19, Su-27
    # "-5", "(-5": negative; "75 -300mm" and "10 - 15" are ranges.
    negative = before == "-" and (start < 2 or text[start - 2] in " \t\n([")
    negative = negative and not text[: start - 1].rstrip()[-1:].isdigit()
    if negative:
        start -= 1
    elif text.endswith("minus ", max(0, start - 6), start):
        negative = True
    power: int | None = None
    sci = 0
    if mant[-1].isdigit() and (pw := _POW_RE.match(text, pos)) is not None:
        pos = pw.end()
        if pw.group("sci") is not None:
            sci = int(pw.group("sci"))
        else:
            power = int((pw.group("p") or pw.group("sup")).translate(_SUPERSCRIPT) or "1")
    scaled = ambiguous = False
    if (sc := SCALE_RE.match(text, pos)) is not None:
        letter = sc.group("a")
        if letter in ("b", "B") and unit is None:
            sc = None
        elif letter == "m" and unit is None:
            reading = _m_reading(text, start, sc.end())
            if reading == "metres":
                end = sc.end()
                m_unit = "m"
                if (rate := rate_after(text, end, "m")) is not None:
                    m_unit, end = rate
                cand = Cand(start, end, _value(mant, exp10, power, sci), m_unit, "measure")
                cand.mant, cand.qualifier = mant, _qualifier_before(text, start)
                return cand
            ambiguous = reading is None
    if sc is not None:
        exp10 += scale_exp(sc.group("w") or sc.group("a") or sc.group("c"))
        pos, scaled = sc.end(), True
        if (half := _AND_HALF_RE.match(text, pos)) is not None:  # "3 million and a half"
            mant = repr(float(mant) + (0.5 if half.group(1).lower() == "half" else 0.25))
            pos = half.end()
    elif (dozen := _DOZEN_RE.match(text, pos)) is not None:  # "three dozen": 36
        mant, pos = repr(float(mant) * 12), dozen.end()
    unit, kind, shift, pos = unit_after(text, pos, unit, scaled, start)
    if unit == "ft" and (inches := _INCHES_RE.match(text, pos)) is not None:
        mant, pos = repr(float(mant) + float(inches.group(1)) / 12), inches.end()
    if pos < len(text) and (
        text[pos].isalnum() or (text[pos] == "." and text[pos + 1 : pos + 2].isdigit())
    ):
        return None  # 5G, 20th, 1.2.3
    if kind is None and _FRACTION_RE.match(text, pos):
        return None  # "a hundred thousand trillionths", "three fifths": a fraction in words
    value = _value(("-" if negative else "") + mant, exp10 + shift, power, sci)
    cand = Cand(start, pos, value, unit, kind, scaled or shift > 0, None, mant, exp10 + shift)
    cand.ambiguous = ambiguous and kind is None
    cand.qualifier = _qualifier_before(text, start) or _qualifier_after(text, pos)
    plain = kind is None and not scaled and power is None and not sci and not negative
    year_like = plain and len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2199
    whole = text.strip() == digits  # "2022" alone is a number; "in 2022" is a year
    if year_like and not whole and cand.qualifier is None and is_year_context(text, start, pos):
        return None
    if kind is None and (noun := counted_noun(text, pos)) is not None:
        cand.unit, cand.kind = noun[0], "count"
        cand.qualifier = cand.qualifier or _qualifier_after(text, noun[1])
        # "5m people": a plural after the number makes m a million.
        cand.ambiguous = cand.ambiguous and not (noun[0].endswith("s") or noun[0] in PLURALS)
    return cand


def _m_reading(text: str, start: int, end: int) -> str | None:
    """How the words around ``5m`` read it: ``"metres"``, ``"million"`` or None (undecided)."""
    if (
        _SPORT_RE.match(text, end)
        or _SPORT_BEFORE_RE.search(text, max(0, start - 12), start)
        or _METRE_AFTER_RE.match(text, end)
    ):
        return "metres"
    return "million" if _MILLION_AFTER_RE.match(text, end) else None


def _apply_ranges(text: str, cands: list[Cand]) -> None:
    """Let the two ends of a range share a scale and a unit: "10-15bn", "$2-3m", "8 to 9%".

    "to", "-", "and" and "or" also join two figures that are no range: a change and the
    level it led to ("rose 3.5% to 2.7 million", "rose 32,000 to 1.41 million"), or two
    different things ("11.9m and 49.2%", "$180bn and 20,000 workers"). So an end takes
    only what it lacks and can be: a percent takes no scale word and a scaled number is
    no percent, a scale makes the first end the second's order of magnitude, and a
    counted noun says what the second end counts.
    """
    for a, b in itertools.pairwise(cands):
        if a.value is None or b.value is None or not _RANGE_SEP_RE.fullmatch(text, a.end, b.start):
            continue
        if a.ambiguous and b.kind == "measure" and b.unit == "m" and not b.scaled:
            # "the 800m and 1500m champion": a bare m beside metres is metres.
            a.value = _value(("-" if a.value < 0 else "") + a.mant, a.exp - 6, None, 0)
            a.exp, a.unit, a.kind, a.scaled, a.ambiguous = a.exp - 6, "m", "measure", False, False
            continue
        if "percent" in (a.kind, b.kind) and (a.scaled or b.scaled):
            continue
        if not a.scaled and b.scaled and _scale_shared(a, b):
            scaled = _value(("-" if a.value < 0 else "") + a.mant, a.exp + b.exp, None, 0)
            # "2 to 3 million" is 2 million; "32,000 to 1.41 million" is not 32 billion.
            if scaled is not None and abs(scaled) <= _RANGE_SPAN * abs(b.value):
                a.value, a.scaled = scaled, True
        if a.kind in (None, "count") and b.kind in ("currency", "percent", "measure"):
            a.unit, a.kind = b.unit, b.kind
        if a.kind == "currency" and (b.kind is None or (b.kind == "count" and not _plural(b))):
            b.unit, b.kind = a.unit, a.kind


def _scale_shared(a: Cand, b: Cand) -> bool:
    """True when ``a`` may take ``b``'s scale: it has no unit, or ``b`` has none or the same."""
    return a.kind in (None, "count") or b.kind in (None, "count") or a.unit == b.unit


def _plural(c: Cand) -> bool:
    """True when ``c`` counts a plural noun ("20,000 workers"), a unit of its own."""
    return (c.unit or "").endswith("s") or c.unit in PLURALS


def _mantissa(m: re.Match[str]) -> str:
    if m.group("qn") is not None:
        return repr(int(m.group("qn")) / int(m.group("qd")))
    if m.group("fi") is not None:
        den = int(m.group("fd"))
        if den == 0:
            return m.group("fi")
        return repr(int(m.group("fi")) + int(m.group("fn")) / den)
    return (m.group("sp") or m.group("n")).replace(",", "").replace(" ", "")


def scan(text: str) -> list[Cand]:
    """Every number candidate in ``text``, in order (out-of-range ones with value None)."""
    if not text:
        return []
    # translate() is slow on long text; most text has none of the characters it maps.
    t = text if text.isascii() or not _TRANSLATED_RE.search(text) else text.translate(TRANSLATE)
    found = [(m.start(), m.end(), _mantissa(m), int(m.group("e") or 0), False)
             for m in _CORE_RE.finditer(t)]  # fmt: skip
    if words := word_numbers(t):
        found = sorted(found + [(a, b, mant, 0, True) for a, b, mant in words])
    cands: list[Cand] = []
    skip_to = 0
    for start, end, mant, exp10, is_word in found:
        # "10^40" and "1.5 x 10^9" are one number; "Dec. 16, 2015" is no number at all.
        if start < skip_to or (cands and start < cands[-1].end):
            continue
        if not is_word and t[end : end + 1] in _VULGAR:
            mant, end = repr(float(mant) + _VULGAR[t[end]]), end + 1
        if not is_word and (end_of_date := date_end(t, start)) >= 0:
            skip_to = end_of_date
        elif (c := _candidate(t, start, end, mant, exp10)) is not None and (
            not is_word or _word_counts(t, c, start, c.end)
        ):
            cands.append(c)
    _apply_ranges(t, cands)
    return cands


def _word_counts(text: str, c: Cand, start: int, end: int) -> bool:
    """A number in words is a quantity before a scale word or a unit, or as the whole text.

    Before a counted plural only from ten up ("nineteen people"): "the two men", "three
    films" and "No one agrees" are how news writes small numbers in passing.
    """
    if c.scaled or c.kind in ("currency", "percent"):
        return True
    if c.kind == "measure":  # "three months to December" dates the figure after it
        return c.unit not in _DURATIONS
    if text.strip() == text[start:end].strip() or "dozen" in text[start:end].lower():
        return True  # the whole text is the number ("one hundred and sixteen"); "a dozen"
    plural = (c.kind == "count" and (c.unit or "").endswith("s")) or c.unit in PLURALS
    return plural and abs(c.value or 0.0) >= 10


def _quantity(text: str, c: Cand) -> Quantity | None:
    if c.value is None:
        return None
    return Quantity(c.value, c.unit, c.qualifier, text[c.start : c.end], c.start, c.end)


def parse_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text``, in order.

    This is the way to get both amounts of a bracketed conversion:
    ``"11.76 trillion yuan (about 1.82 trillion U.S. dollars)"`` gives
    ``[11.76e12 CNY, 1.82e12 USD approximate]``. Years, dates and numbers glued to
    letters are skipped; out-of-range numbers are dropped.
    """
    return [q for c in scan(text) if (q := _quantity(text, c)) is not None]


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text``, e.g. ``"more than 2.05 billion users"``.

    None when there is no number, or when the first number is out of range
    (``"1e400"``, ``"10^40"``, anything above 1e16).
    """
    cands = scan(text)
    return _quantity(text, cands[0]) if cands else None


def conversions(text: str, cands: list[Cand]) -> list[list[int]]:
    """Index groups ``[amount, *bracketed equivalents]``: ``£75m ($141m)``, ``70m euros (£53m; $100m)``."""
    groups: list[list[int]] = []
    for i, c in enumerate(cands):
        if c.value is None or c.kind not in ("currency", "measure"):
            continue
        br = _BRACKET_RE.match(text, c.end)
        if br is None:
            continue
        close = text.find(")" if text[br.end() - 1] == "(" else "]", br.end())
        close = len(text) if close < 0 else close
        group = [i]
        for j in range(i + 1, len(cands)):
            d = cands[j]
            if d.start >= close:
                break
            if d.value is not None and d.kind == c.kind and d.unit != c.unit:
                group.append(j)
        if len(group) > 1:
            groups.append(group)
    return groups
