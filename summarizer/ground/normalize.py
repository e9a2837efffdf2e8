"""Normalise numbers, units and dates in code, so that no number is taken on trust.

The model copies a statistic's words (``value_text``) and also states a value; the
pipeline reads the words here. The words win when they are clear; when they allow two
readings the model's value is kept and the statistic is marked (``value_source``). No
public function raises on any ``str`` input.

Import everything from here. This module decides a statistic; the private modules read
text: :mod:`~summarizer.ground._numbers` (digits, scale words, qualifiers),
:mod:`~summarizer.ground._words` (numbers in words, through ``text2num``),
:mod:`~summarizer.ground._units` (unit tables, :func:`normalize_unit`) and
:mod:`~summarizer.ground._periods` (:func:`parse_period`, and which digits are a year).

Rules worth knowing (the tables in ``tests/data/normalize/`` pin each of them):

* **Who decides the value** (``value_source``). ``"text"``: code read the number and
  the model agrees (within 0.5%), gave none, or is corrected for a clear reason: a gap
  under 1,000-fold (``0.704`` for ``70.4 percent``), or the same digits with a scale word
  or unit the model misread (``1.079 billion`` read as 1,079,000; ``508m tall`` read as
  508 million). A 1,000-fold change needs that reason: otherwise (``2,000`` in the text,
  2,000,000 from the model, no scale anywhere) the model's value is kept, ``"ambiguous"``,
  with a warning. ``"model"``: the words hold no number code can read; the model's value
  is kept with a warning. The evidence sentence is read too: ``5`` in ``value_text`` and
  ``5 million`` in the evidence give 5,000,000 (but ``5`` is not the start of ``5,000``
  or ``5.5``).
* **A bare ``m``.** ``£5m`` is a million (currency), ``508m tall``, ``382m track``,
  ``the 60m hurdles`` and ``17m per second`` are metres (the words after it), ``5m
  people`` is a million (a counted plural). Otherwise, in a statistic, the model's unit
  (``m``, ``metres`` vs ``GBP``, ``people``), then the metric (``height`` vs ``profit``),
  then the article's own usage (every unambiguous ``5m`` in it one way) decide; if none
  does, the statistic is ``"ambiguous"`` and keeps the model's value. Outside a
  statistic (:func:`parse_quantities`) a bare ``38m`` reads as a million.
* **Numbers.** Digits with comma, Indian (``12,34,567``) or space grouping of three or
  more groups (``1 414 021 100``); digit fractions (``10 1/2``, ``1/4 mile``, ``2½``);
  scale words and abbreviations (``hundred thousand million billion trillion``, ``k m mn
  bn tn``, ``lakh crore``, ``lakh crore`` together, ``万 亿``), attached, spaced or
  hyphenated; ``3 million and a half``; ``three dozen``. Numbers in words through
  ``text2num`` (``Twenty-one million``, ``two hundred and two thousand``) plus hand rules
  for ``a million``, ``half (a) million``, ``a quarter of a million``, ``two thirds of a
  million``, ``a dozen``; a number in words counts only before a scale word, a unit or a
  counted plural, or as the whole text (``one of the five best`` has none). A range's
  first number takes the second's scale and unit (``10-15bn``, ``75 -300mm``; neither is
  negative), but a change and a level are no range: a percent takes no scale (``rose
  3.5% to 2.7 million``), nor does a first number the scale would make over ten times
  the second (``rose 32,000 to 1.41 million``), and a counted plural keeps its noun
  (``$180bn and 20,000 workers``). ``b`` is billion only after a currency symbol. Full-width digits read as
  ASCII; other scripts' digits and CJK numerals are not numbers. Values above 1e16 give
  no quantity.
* **Not quantities.** Years (a bare 1800..2199 integer after a date word, or before
  punctuation, a stop word or a capital; ``2000 jobs`` is a count), dates and times,
  ordinals (``20th``, ``twenty-first``), decades (``nineteen-eighties``), fractions in
  words (``three fifths``), numbers glued to letters (``5G``, ``COVID-19``).
* **Units.** Currency to ISO 4217 (``$`` is USD, ``C$`` CAD, ``Mex$`` MXN, a symbol after
  the number ``10 €``, a code with a scale word after it ``75 USD million``, ``30
  MUSD``; bare ``francs``, ``kroner`` and ``pesos`` stay words; ``real``, ``won``, ``rand``
  need a scale word); ``pence`` become GBP/100. ``pounds`` is weight (``lb``) next to
  weight words (``weighed``, ``overloaded by 700 pounds (320kg)``, ``drop 25 pounds``) or
  when the model says ``lb``, else GBP. Percent is a number of percent (``70.4 percent``
  is 70.4); ``percentage points`` stays apart. Measures get a canonical symbol
  (``km``, ``m2``, ``km2``, ``ft3``, ``mph``, ``km/h`` for ``kph`` and ``km per hour``,
  ``m/s``); ``5 ft 2 in`` is 5.17 ft. A rate keeps its denominator, canonically ``X per
  Y``: ``$50 a barrel`` is ``USD per barrel``, ``5% a year`` ``percent per year``, ``£20
  per head`` ``GBP per head`` (``$133m a year ago`` is no rate). Otherwise the counted
  noun: of up to three words after the number, the last plural, else a lower-case first
  word.
* **Qualifiers.** Before the number, or ``or more``/``or so``/``-plus`` after it.
  ``close to`` is ``approximate``; ``nearly``, ``almost``, ``as many as`` are
  ``at_most``; ``topped 845 million`` is ``at_least``; ``expected to reach more than``
  is ``projected``.
* **Periods.** The first date phrase decides; a relative one without a reference date
  (the article's date, see :func:`summarizer.load.dates.find_article_date`) gives None.
  A written year always wins (``in April of 1987``, ``4th of July of 1995``, ``28 June in
  2020``); ``June next year`` is that June; a date without a year takes the year that
  puts it nearest the reference; a bare weekday (``on Monday``) is the latest one on or
  before the reference (news reports the past), the coming one in the future tense
  (``will play on Sunday``), ``next Monday`` the first after it, and it decides only
  when no other date phrase is there (``said on Tuesday ... since 1989`` is 1989);
  ``Wednesday of next week``, ``first Tuesday of October``, ``last day of October 2015``,
  ``20th of next month``, ``the day after tomorrow`` resolve to a day; ``three weeks
  ago`` gives its month and ``two years ago`` its year. A money figure before a month is
  not a day (``$12 December 27`` is 27 December). Quarters, halves and fiscal years
  give their year; ``2019-20`` its first year; ``12/16/2015`` only its year; lower-case
  ``march`` and ``may`` are verbs.

Libraries: ``text2num`` reads number words (measured in :mod:`~summarizer.ground._words`).
``dateparser`` and ``pint`` were measured and not adopted: on the peer date set
(``benchmarks/bench_normalize_peer.py``) ``dateparser`` got 67 of 186 right, as
here, about 4 ms a phrase after a 0.9 s cold start, and in running text its
``search_dates`` read ``5% in the three months`` as a date; ``pint`` costs about 1.5 s to
import and build a registry, and its names (``meter ** 2``) are not what users group on.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Final

from summarizer.ground._numbers import (
    MAX_MAGNITUDE,
    Cand,
    Quantity,
    conversions,
    parse_quantities,
    parse_quantity,
    scan,
)
from summarizer.ground._periods import parse_period
from summarizer.ground._units import MEASURE_UNITS, normalize_unit
from summarizer.records import (
    Amount,
    ExtractedStatistic,
    Qualifier,
    ValueSource,
    is_partial_iso_date,
)

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

_AGREE: Final = 0.005  # relative gap under which the model's value and the text agree
_FAR: Final = 1000.0  # a factor this big is a scale word, never a rounding: it needs a reason
_LENGTHS: Final = frozenset({"m", "km", "cm", "mm", "ft", "miles", "yards", "m/s", "km/h", "mph"})
_MILLION_METRIC_RE: Final = re.compile(
    r"(?i:\b(?:loss|losses|profits?|revenues?|sales|costs?|price|deal|funds?|funding|budget|debts?"
    r"|spending|investment|turnover|earnings|income|value|worth|fine|bill|people|users"
    r"|viewers|customers|subscribers|visitors|population|shares|copies|jobs|votes)\b)"
)
# After a number's last digit, more of the same number: "3.5", "5,000", "10 1/2",
# "1 414 021" (the groupings _numbers reads as one number).
_NUMBER_GOES_ON_RE: Final = re.compile(r"[.,]\d| \d{1,2}/\d|(?: \d{3}){2}(?!\d)")
_LENGTH_METRIC_RE: Final = re.compile(
    r"(?i:\b(?:height|tall|length|long|depth|deep|width|wide|distance|altitude|elevation"
    r"|diameter|span|radius|speed|high|metres?|meters?)\b)"
)

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
    value_source: ValueSource = "text"


def _close(a: float, b: float) -> bool:
    scale = max(abs(a), abs(b))
    return scale == 0 or abs(a - b) / scale <= _AGREE


def _equivalents(text: str, cands: list[Cand], index: int) -> list[Amount]:
    for group in conversions(text, cands):
        if index in group:
            return [
                Amount(value=v, unit=c.unit or "", value_text=text[c.start : c.end])
                for j in group
                if j != index and (v := (c := cands[j]).value) is not None
            ]
    return []


def _find(cands: list[Cand], text: str, q: Cand, q_text: str) -> int | None:
    """Index of the candidate in another text that states the same number as ``q``."""
    # "508m" in value_text is "508m tall" in the evidence, where the words decide it.
    same = [
        i for i, c in enumerate(cands) if c.value is not None and _extends(text, c.start, q_text)
    ]
    close = [i for i, c in enumerate(cands) if c.value is not None and q.value is not None
             and _close(c.value, q.value) and c.unit == q.unit]  # fmt: skip
    return next(iter(same or close), None)


def _extends(text: str, start: int, prefix: str) -> bool:
    """True when ``text[start:]`` starts with ``prefix`` as whole words ("17m" in "17m per").

    The number must end where ``prefix`` ends: "3" is not the start of "3.5 litre",
    "5" not of "5,000 people", "10" not of "10 1/2 miles".
    """
    end = start + len(prefix)
    return (
        bool(prefix)
        and text.startswith(prefix, start)
        and not text[end : end + 1].isalnum()
        and not (prefix[-1].isdigit() and _NUMBER_GOES_ON_RE.match(text, end))
    )


def _primary(
    stat: ExtractedStatistic, ev: str, label: str, warnings: list[str]
) -> tuple[str, list[Cand], int | None]:
    """The text the value is read from, its candidates, and the primary one's index."""
    vt = stat.value_text or ""
    if vt_cands := scan(vt):
        # Several numbers in value_text: the one the model's value matches, else the first.
        near = [i for i, c in enumerate(vt_cands) if _agrees(stat.value, c)]
        return vt, vt_cands, next(iter(near), 0)
    ev_cands = scan(ev)
    valid = [i for i, c in enumerate(ev_cands) if c.value is not None]
    # Without a number in value_text, prefer the evidence number that the model's value matches.
    near = [i for i in valid if _agrees(stat.value, ev_cands[i])]
    idx = next(iter(near or valid), None)
    if idx is not None:
        found = ev[ev_cands[idx].start : ev_cands[idx].end]
        warnings.append(
            f"{label}: value_text {vt!r} has no number; using {found!r} from the evidence"
        )
    return ev, ev_cands, idx


def _agrees(model: float | None, c: Cand) -> bool:
    if model is None or c.value is None:
        return False
    return _close(model, c.value) or (c.ambiguous and _close(model, _metres(c)))


def _metres(c: Cand) -> float:
    """The metres reading of an ambiguous ``508m`` (read as 508 million by default)."""
    return (c.value or 0.0) / 1e6


def _far(a: float, b: float) -> bool:
    """True when ``a`` and ``b`` differ by a factor of 1,000 or more (or one is 0)."""
    lo, hi = sorted((abs(a), abs(b)))
    return hi > 0 and (lo == 0 or hi / lo >= _FAR)


def _same_digits(model: float, mant: str) -> bool:
    """True when ``model`` is ``mant`` times a power of ten: the same figure, scaled."""
    try:
        m = abs(float(mant))
    except ValueError:
        return False
    if m == 0 or model == 0:
        return False
    shift = round(math.log10(abs(model) / m))
    return _close(abs(model), m * 10.0**shift)


def _m_context(stat: ExtractedStatistic, context: str | None) -> str | None:
    """How the statistic's surroundings read a bare ``m``: ``"metres"``, ``"million"``, None."""
    unit = normalize_unit(stat.unit)
    if unit in _LENGTHS:
        return "metres"
    if unit is not None and (unit.isupper() or (unit.endswith("s") and unit not in _LENGTHS)):
        return "million"  # a currency code or a counted plural
    if _LENGTH_METRIC_RE.search(stat.metric):
        return "metres"
    if _MILLION_METRIC_RE.search(stat.metric):
        return "million"
    if not context:
        return None
    # The article's own usage: only when every unambiguous "5m" in it reads one way.
    kinds = {
        "metres" if c.unit == "m" else "million"
        for c in scan(context)
        if not c.ambiguous
        and c.value is not None
        and context[c.start : c.end].rstrip().endswith("m")
        and (c.unit == "m" or c.scaled)
    }
    return kinds.pop() if len(kinds) == 1 else None


def _checked_value(
    stat: ExtractedStatistic,
    q: Cand | None,
    q_text: str,
    evidence: list[Cand],
    context: str | None,
    label: str,
    warnings: list[str],
) -> tuple[float | None, str | None, ValueSource]:
    """The value, a unit the reading implies (metres), and who decided the value."""
    if q is None:
        if stat.value is not None:
            warnings.append(
                f"{label}: model said {stat.value!r} but code reads no number in the text; "
                "keeping the model's value"
            )
        return stat.value, None, "model"
    if q.value is None:
        warnings.append(
            f"{label}: text {q_text!r} is out of range (over {MAX_MAGNITUDE:g}); value set to null"
        )
        return None, None, "text"
    if q.ambiguous:
        return _checked_m(stat, q, q_text, context, label, warnings)
    if stat.value is None or _close(stat.value, q.value):
        return q.value, None, "text"
    if _far(stat.value, q.value):
        # A 1,000-fold gap needs a reason: the text states the model's digits with a scale
        # word or unit the model misread ("1.079 billion" read as 1,079,000; "508m tall").
        explicit = q.scaled or q.kind not in (None, "count")
        if not (explicit and _same_digits(stat.value, q.mant)):
            # "5" in value_text, "5 million" in the evidence: the evidence's reading is the text's.
            same = [c for c in evidence if c.value is not None and _close(c.value, stat.value)
                    and c.mant == q.mant]  # fmt: skip
            if same:
                return same[0].value, None, "text"
            warnings.append(
                f"{label}: model said {stat.value!r}, text {q_text!r} gives {q.value!r}; they "
                "differ 1,000-fold or more and the words do not say why; keeping the model's value"
            )
            return stat.value, None, "ambiguous"
    warnings.append(
        f"{label}: model said {stat.value!r}, text {q_text!r} gives {q.value!r}; using the parsed value"
    )
    return q.value, None, "text"


def _checked_m(
    stat: ExtractedStatistic,
    q: Cand,
    q_text: str,
    context: str | None,
    label: str,
    warnings: list[str],
) -> tuple[float | None, str | None, ValueSource]:
    """A bare ``508m``: metres or million, decided by the unit, metric, article or model."""
    model_unit = normalize_unit(stat.unit)
    metre_unit = model_unit if model_unit in _LENGTHS else "m"
    readings = {"million": (q.value, q.unit), "metres": (_metres(q), metre_unit)}
    model = stat.value
    reading = _m_context(stat, context)
    if reading is not None:
        value, unit = readings[reading]
        if model is None or value is None or not _far(model, value):
            if model is not None and value is not None and not _close(model, value):
                warnings.append(
                    f"{label}: model said {model!r}, text {q_text!r} gives {value!r}; "
                    "using the parsed value"
                )
            return value, unit, "text"
    if model is not None:
        fits = [r for r, (v, _) in readings.items() if v is not None and _close(model, v)]
        unit = readings[fits[0]][1] if fits else None
        warnings.append(
            f"{label}: {q_text!r} reads as {_metres(q):g} metres or {_metres(q):g} million and "
            f"the words do not say which; keeping the model's value {model!r}"
        )
        return model, unit, "ambiguous"
    warnings.append(
        f"{label}: {q_text!r} reads as {_metres(q):g} metres or {_metres(q):g} million and "
        "the words do not say which; value set to null"
    )
    return None, None, "ambiguous"


def _checked_unit(
    stat: ExtractedStatistic, q: Cand | None, q_text: str, label: str, warnings: list[str]
) -> str | None:
    model_unit = normalize_unit(stat.unit)
    if q is None or q.kind not in ("currency", "percent", "measure"):
        return model_unit
    if (
        q.kind == "measure"
        and model_unit is not None
        and model_unit not in MEASURE_UNITS
        and not (len(model_unit) == 3 and model_unit.isupper())  # "pounds" read as GBP
    ):
        return model_unit  # the model names what is measured: "kilometres of road"
    if q.unit == "GBP" and model_unit == "lb" and "£" not in q_text:
        return "lb"  # "700 pounds" of weight: the model's unit decides
    if model_unit is not None and _base(model_unit) != _base(q.unit):
        warnings.append(
            f"{label}: model unit {stat.unit!r} but the text says {q.unit}; using {q.unit}"
        )
    return q.unit


def _base(unit: str | None) -> str:
    return (unit or "").split(" per ")[0]


def normalize_statistic(
    stat: ExtractedStatistic,
    *,
    evidence: str | None = None,
    reference_date: str | None = None,
    context: str | None = None,
) -> NormalizedStatistic:
    """Value, unit, qualifier, period and equivalents of one statistic, read from its text.

    ``stat.value_text`` is parsed (the number in it that the model's value matches, else
    the first); the same number in the ``evidence`` sentence (default ``stat.evidence``)
    gives the words around it (``508m tall``, ``700 pounds (320kg)``) and is used when
    ``value_text`` has no number. The model's value and unit are evidence: the parsed
    value wins when they agree or the gap has a clear reason, otherwise the model's value
    is kept and ``value_source`` says ``"ambiguous"`` (see the module docstring). A
    currency or percent in the text wins over the model's unit, a measure fills in a
    missing one, and otherwise the model's unit is normalised. ``context`` is the whole
    article, read only for how it uses a bare ``m``. The period is the model's when it is
    a partial ISO date, else :func:`parse_period` over the evidence with
    ``reference_date`` (the article's date, e.g. from
    :func:`summarizer.load.dates.find_article_date`). A bracketed conversion gives
    ``equivalents``.
    """
    label = f"statistic {stat.metric!r}"
    ev = stat.evidence if evidence is None else evidence
    warnings: list[str] = []
    src, cands, idx = _primary(stat, ev, label, warnings)
    q = cands[idx] if idx is not None else None
    q_text = src[q.start : q.end] if q is not None else ""
    # The same number in the evidence carries the words around it: "topped 845 million",
    # "508m tall".
    ev_cands = cands if src is ev else scan(ev)
    ev_idx = idx if src is ev else (None if q is None else _find(ev_cands, ev, q, q_text))
    if q is not None and ev_idx is not None and src is not ev:
        # The same words read in the evidence have more context: "700 pounds (320kg)".
        e = ev_cands[ev_idx]
        if e.value is not None and not e.ambiguous and _extends(ev, e.start, q_text):
            src, cands, idx, q = ev, ev_cands, ev_idx, e
    value, implied, source = _checked_value(stat, q, q_text, ev_cands, context, label, warnings)
    unit = implied or _checked_unit(stat, q, q_text, label, warnings)
    if ev_idx is None and value is not None:  # "five" in value_text, "five million" in evidence
        ev_idx = next((i for i, c in enumerate(ev_cands)
                       if c.value is not None and _close(c.value, value)), None)  # fmt: skip
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
    return NormalizedStatistic(value, unit, qualifier, period, equivalents, warnings, source)
