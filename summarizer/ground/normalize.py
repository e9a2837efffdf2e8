"""Normalise numbers, units and dates in code, so that no number is taken on trust.

The model copies a statistic's words (``value_text``) and also states a value; the
pipeline parses the words here and lets them win. Everything is stdlib regex, compiled
at import, and no public function raises on any ``str`` input.

Import everything from here: this module reads numbers and qualifiers and puts a
statistic together, and re-exports the public names of the private modules that hold
the unit tables (:mod:`summarizer._units`) and the period parser
(:mod:`summarizer._periods`).

Rules worth knowing (the tests in ``tests/data/normalize/`` pin each of them):

* **Numbers.** Digits with comma grouping (``718,000``) and decimals; scale words and
  abbreviations (``thousand million billion trillion``, ``k m mn bn tn``, ``lakh crore``,
  ``万 亿``), attached, spaced or hyphenated (``£3.5bn``, ``5 million``, ``2.05-billion``);
  ``a``/``one``..``ninety``/``half a`` only before a scale word or ``percent``; a
  range's first number takes the second's scale and unit (``10-15bn``, ``8 to 9%``).
  ``b`` means billion only after a currency symbol. ``m`` is million, except metres in
  athletics wording (``the 60m hurdles``, ``the men's 1500m``). Full-width digits
  (``１２３``) read as ASCII; other scripts' digits and CJK numerals (``十亿``) are not
  numbers. Values above 1e16, ``1e400`` and ``10^40`` give no quantity.
* **Not quantities.** Years (a bare 1800..2199 integer after a date word such as ``in``,
  ``by``, ``the``, or before punctuation, a stop word or a capital; ``2000 jobs`` and
  ``about 2000`` are counts, and so is a whole input ``"2022"``), calendar dates and
  times, ordinals (``20th``), and numbers glued to letters (``5G``, ``COVID-19``).
* **Units.** Currency to ISO 4217 (``$`` is USD, ``¥`` is JPY, ``kronor`` is SEK, bare
  ``kroner`` and ``pesos`` stay words; ``real``, ``won`` and ``rand`` count as currency
  after a number only with a scale word); ``pence`` becomes GBP/100; percent is a number
  of percent (``70.4 percent`` is 70.4, unit ``"percent"``); ``percentage points`` stays
  apart from ``percent``. Otherwise a known measure (``km``, ``kg``, ``MW``, ``minutes``)
  or the counted noun: of up to three words after the number, the last plural
  (``internet users`` -> ``users``), else a lower-case first word (``people``).
  The tables and :func:`normalize_unit` live in :mod:`summarizer._units`.
* **Qualifiers.** Before the number, or ``or more``/``or so``/``-plus`` after it.
  ``close to`` is ``approximate`` (it does not say which side); ``nearly``, ``almost``,
  ``neared`` and ``as many as`` are ``at_most``; ``went up to`` is no bound; ``topped
  845 million`` and ``surpassed the 50 trillion`` are ``at_least``; ``expected to reach
  more than`` is ``projected`` (the future wins over the bound).
* **Periods.** The first date phrase decides: a relative one that cannot be resolved
  (no reference date) gives None rather than a later, less relevant date. Quarters,
  halves and fiscal years give their year (``Q3 2022`` -> ``2022``); a season span
  ``2019-20`` gives its first year; a date without a year takes the year that puts it
  nearest the reference date; ``12/16/2015`` gives only its year (day and month order
  is ambiguous); decades and weekdays give nothing.
  The date patterns and :func:`parse_period` live in :mod:`summarizer._periods`,
  which also decides when a 4-digit number is a year.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Final

from summarizer.ground._periods import date_end, is_year_context, parse_period
from summarizer.ground._units import (
    SCALE_RE,
    SCALES,
    TRANSLATE,
    WORD_NUMBERS,
    compile_ascii,
    counted_noun,
    currency_before,
    normalize_unit,
    prev_word,
    unit_after,
    word_set,
)
from summarizer.records import Amount, ExtractedStatistic, Qualifier, is_partial_iso_date

__all__ = [
    "MAX_MAGNITUDE",
    "NormalizedStatistic",
    "Quantity",
    "normalize_statistic",
    "normalize_unit",
    "parse_period",
    "parse_quantities",
    "parse_quantity",
]

MAX_MAGNITUDE: Final = 1e16  # no news number is larger; anything above is a parsing accident
_AGREE: Final = 0.005  # relative gap under which the model's value and the text agree

# --------------------------------------------------------------------------- regexes

_SUPERSCRIPT: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")

_CORE_RE: Final = compile_ascii(
    r"(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE]([+-]?\d{1,9})(?![A-Za-z\d]))?"
)
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
_RANGE_SEP_RE: Final = compile_ascii(r"\s*(?:-|to|and|or)\s*")
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
class _Cand:
    start: int
    end: int
    value: float | None  # None: out of range, so no quantity
    unit: str | None = None
    kind: str | None = None  # "currency", "percent", "measure", "count"
    scaled: bool = False
    qualifier: Qualifier | None = None
    mant: str = ""
    exp: int = 0


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


def _candidate(text: str, start: int, pos: int, mant: str, exp10: int) -> _Cand | None:
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
    negative = before == "-" and (start < 2 or text[start - 2] in " \t\n([")
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
    scaled = False
    if (sc := SCALE_RE.match(text, pos)) is not None:
        letter = sc.group("a")
        if letter in ("b", "B") and unit is None:
            sc = None
        elif (
            letter in ("m", "M")
            and unit is None
            and (
                _SPORT_RE.match(text, sc.end())
                or _SPORT_BEFORE_RE.search(text, max(0, start - 12), start)
            )
        ):
            return _Cand(
                start, sc.end(), _value(mant, exp10, power, sci), "m", "measure", mant=mant
            )
    if sc is not None:
        exp10 += SCALES[(sc.group("w") or sc.group("a") or sc.group("c")).lower()]
        pos, scaled = sc.end(), True
    unit, kind, shift, pos = unit_after(text, pos, unit, scaled)
    if pos < len(text) and (
        text[pos].isalnum() or (text[pos] == "." and text[pos + 1 : pos + 2].isdigit())
    ):
        return None  # 5G, 20th, 1.2.3
    value = _value(("-" if negative else "") + mant, exp10 + shift, power, sci)
    cand = _Cand(start, pos, value, unit, kind, scaled, None, mant, exp10 + shift)
    cand.qualifier = _qualifier_before(text, start) or _qualifier_after(text, pos)
    plain = kind is None and not scaled and power is None and not sci and not negative
    year_like = plain and len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2199
    whole = text.strip() == digits  # "2022" alone is a number; "in 2022" is a year
    if year_like and not whole and cand.qualifier is None and is_year_context(text, start, pos):
        return None
    if kind is None and (noun := counted_noun(text, pos)) is not None:
        cand.unit, cand.kind = noun[0], "count"
        cand.qualifier = cand.qualifier or _qualifier_after(text, noun[1])
    return cand


def _apply_ranges(text: str, cands: list[_Cand]) -> None:
    """Let the two ends of a range share a scale and a unit: "10-15bn", "$2-3m", "8 to 9%"."""
    for a, b in itertools.pairwise(cands):
        if a.value is None or b.value is None or not _RANGE_SEP_RE.fullmatch(text, a.end, b.start):
            continue
        if (
            not a.scaled
            and b.scaled
            and (a.kind in (None, "count") or b.kind in (None, "count", a.kind))
        ):
            a.value = _value(("-" if a.value < 0 else "") + a.mant, a.exp + b.exp, None, 0)
            a.scaled = True
        if a.kind in (None, "count") and b.kind in ("currency", "percent", "measure"):
            a.unit, a.kind = b.unit, b.kind
        if a.kind == "currency" and b.kind in (None, "count"):
            b.unit, b.kind = a.unit, a.kind


def _word_numbers(text: str) -> list[tuple[int, int, str, int]]:
    """Number words before a scale word or percent: "a billion", "half a million", "ten percent"."""
    low = text.lower()
    out: list[tuple[int, int, str, int]] = []
    for key in ("thousand", "million", "billion", "trillion", "percent", "per cent"):
        i = low.find(key)
        while i >= 0:
            if low[i + len(key) : i + len(key) + 1].isalpha():  # "millions"
                i = low.find(key, i + 1)
                continue
            word, j = prev_word(text, i, " \t\n-")
            end = j + len(word)
            pair = f"{prev_word(text, j, ' ')[0]} {word}".lower()
            if pair in WORD_NUMBERS:
                out.append((prev_word(text, j, " ")[1], end, WORD_NUMBERS[pair], 0))
            elif word.lower() in WORD_NUMBERS and end < i:
                out.append((j, end, WORD_NUMBERS[word.lower()], 0))
            i = low.find(key, i + 1)
    return out


def _scan(text: str) -> list[_Cand]:
    if not text:
        return []
    t = text if text.isascii() else text.translate(TRANSLATE)
    found = [
        (m.start(), m.end(), m.group(1).replace(",", ""), int(m.group(2) or 0))
        for m in _CORE_RE.finditer(t)
    ]
    if word_numbers := _word_numbers(t):
        found = sorted(found + word_numbers)
    cands: list[_Cand] = []
    skip_to = 0
    for start, end, mant, exp10 in found:
        # "10^40" and "1.5 x 10^9" are one number; "Dec. 16, 2015" is no number at all.
        if start < skip_to or (cands and start < cands[-1].end):
            continue
        if (end_of_date := date_end(t, start)) >= 0:
            skip_to = end_of_date
        elif (c := _candidate(t, start, end, mant, exp10)) is not None:
            cands.append(c)
    _apply_ranges(t, cands)
    return cands


def _quantity(text: str, c: _Cand) -> Quantity | None:
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
    return [q for c in _scan(text) if (q := _quantity(text, c)) is not None]


def parse_quantity(text: str) -> Quantity | None:
    """The first quantity in ``text``, e.g. ``"more than 2.05 billion users"``.

    None when there is no number, or when the first number is out of range
    (``"1e400"``, ``"10^40"``, anything above 1e16).
    """
    cands = _scan(text)
    return _quantity(text, cands[0]) if cands else None


def _conversions(text: str, cands: list[_Cand]) -> list[list[int]]:
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


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True, slots=True)
class NormalizedStatistic:
    """A statistic's value, unit, qualifier and period as the code reads them."""

    value: float | None
    unit: str | None
    qualifier: Qualifier | None
    period: str | None
    equivalents: list[Amount] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _close(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) / scale <= _AGREE


def _equivalents(text: str, cands: list[_Cand], index: int) -> list[Amount]:
    for group in _conversions(text, cands):
        if index in group:
            return [
                Amount(value=v, unit=c.unit or "", value_text=text[c.start : c.end])
                for j in group
                if j != index and (v := (c := cands[j]).value) is not None
            ]
    return []


def _find(cands: list[_Cand], text: str, q: _Cand, q_text: str) -> int | None:
    """Index of the candidate in another text that states the same number as ``q``."""
    same = [
        i for i, c in enumerate(cands) if c.value is not None and text[c.start : c.end] == q_text
    ]
    close = [i for i, c in enumerate(cands) if c.value is not None and q.value is not None
             and _close(c.value, q.value) and c.unit == q.unit]  # fmt: skip
    return next(iter(same or close), None)


def _primary(
    stat: ExtractedStatistic, ev: str, label: str, warnings: list[str]
) -> tuple[str, list[_Cand], int | None]:
    """The text the value is read from, its candidates, and the primary one's index."""
    vt = stat.value_text or ""
    if vt_cands := _scan(vt):
        return vt, vt_cands, 0
    ev_cands = _scan(ev)
    valid = [i for i, c in enumerate(ev_cands) if c.value is not None]
    # Without a number in value_text, prefer the evidence number that the model's value matches.
    near = [
        i for i in valid if stat.value is not None and _close(ev_cands[i].value or 0.0, stat.value)
    ]
    idx = next(iter(near or valid), None)
    if idx is not None:
        found = ev[ev_cands[idx].start : ev_cands[idx].end]
        warnings.append(
            f"{label}: value_text {vt!r} has no number; using {found!r} from the evidence"
        )
    return ev, ev_cands, idx


def _checked_value(
    stat: ExtractedStatistic, q: _Cand | None, q_text: str, label: str, warnings: list[str]
) -> float | None:
    if q is None:
        if stat.value is not None:
            warnings.append(
                f"{label}: model said {stat.value!r} but the text has no number; value set to null"
            )
        return None
    if q.value is None:
        warnings.append(
            f"{label}: text {q_text!r} is out of range (over {MAX_MAGNITUDE:g}); value set to null"
        )
    elif stat.value is not None and not _close(stat.value, q.value):
        warnings.append(
            f"{label}: model said {stat.value!r}, text {q_text!r} gives {q.value!r}; using the parsed value"
        )
    return q.value


def _checked_unit(
    stat: ExtractedStatistic, q: _Cand | None, label: str, warnings: list[str]
) -> str | None:
    model_unit = normalize_unit(stat.unit)
    if q is not None and q.kind in ("currency", "percent"):
        if model_unit is not None and model_unit != q.unit:
            warnings.append(
                f"{label}: model unit {stat.unit!r} but the text says {q.unit}; using {q.unit}"
            )
        return q.unit
    if model_unit is None and q is not None and q.kind == "measure":
        return q.unit
    return model_unit


def normalize_statistic(
    stat: ExtractedStatistic, *, evidence: str | None = None, reference_date: str | None = None
) -> NormalizedStatistic:
    """Value, unit, qualifier, period and equivalents of one statistic, read from its text.

    ``stat.value_text`` is parsed (the ``evidence`` sentence, default ``stat.evidence``,
    when it has no number); the parsed value wins over ``stat.value`` when they differ by
    more than 0.5%, with a warning naming both. A currency or percent in the text wins
    over the model's unit, a measure (km, MW) fills in a missing one, and otherwise the
    model's unit is normalised. The qualifier comes from ``value_text`` or else from the
    words around the same number in the evidence; the period is the model's when it is a
    partial ISO date, else :func:`parse_period` over the evidence with ``reference_date``
    (the article's date). A bracketed conversion, in ``value_text`` or around the number
    in the evidence, gives ``equivalents``.
    """
    label = f"statistic {stat.metric!r}"
    ev = stat.evidence if evidence is None else evidence
    warnings: list[str] = []
    src, cands, idx = _primary(stat, ev, label, warnings)
    q = cands[idx] if idx is not None else None
    q_text = src[q.start : q.end] if q is not None else ""
    value = _checked_value(stat, q, q_text, label, warnings)
    unit = _checked_unit(stat, q, label, warnings)
    # The same number in the evidence carries the words around it: "topped 845 million".
    ev_cands = cands if src is ev else _scan(ev)
    ev_idx = idx if src is ev else (None if q is None else _find(ev_cands, ev, q, q_text))
    qualifier = q.qualifier if q is not None else None
    if qualifier is None and ev_idx is not None:
        qualifier = ev_cands[ev_idx].qualifier
    period = stat.period if stat.period and is_partial_iso_date(stat.period) else None
    if period is None:
        if stat.period:
            warnings.append(
                f"{label}: period {stat.period!r} is not a partial ISO date; reading the evidence"
            )
        period = parse_period(ev, reference_date=reference_date)
    equivalents: list[Amount] = []
    if idx is not None and value is not None:
        equivalents = _equivalents(src, cands, idx)
        if not equivalents and ev_idx is not None and src is not ev:
            equivalents = _equivalents(ev, ev_cands, ev_idx)
    return NormalizedStatistic(value, unit, qualifier, period, equivalents, warnings)
