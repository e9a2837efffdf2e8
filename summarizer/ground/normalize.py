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
    """True when ``text[start:]`` starts with ``prefix`` as whole words ("17m" in "17m per")."""
    end = start + len(prefix)
    return bool(prefix) and text.startswith(prefix, start) and not text[end : end + 1].isalnum()


def _primary(
    stat: ExtractedStatistic, ev: str, label: str, warnings: list[str]
) -> tuple[str, list[Cand], int | None]:
    """The text the value is read from, its candidates, and the primary one's index."""
    vt = stat.value_text or ""
    if vt_cands := scan(vt, all_words=True):
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
