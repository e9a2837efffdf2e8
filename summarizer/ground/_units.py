"""Units after a number: currency, percent, measure and scale tables, and :func:`normalize_unit`.

Private: :mod:`summarizer.normalize` is the public module and re-exports
:func:`normalize_unit`. This is the bottom of the three normalisation modules (it imports
neither :mod:`summarizer._periods` nor :mod:`summarizer.normalize`), so it also holds the
small text helpers they share. The unit rules themselves are described in the
:mod:`summarizer.normalize` docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# --------------------------------------------------------------------------- text helpers


def compile_ascii(pattern: str) -> re.Pattern[str]:
    """``re.compile`` with ``re.ASCII``."""
    # ASCII: "١٢٣" and other scripts' digits must not match \d.
    return re.compile(pattern, re.ASCII)


def alternation(words: Iterable[str], *, spaces: bool = True) -> str:
    """Regex alternation of ``words``, longest first, spaces matching any whitespace."""
    items = sorted(set(words), key=len, reverse=True)
    out = (re.escape(w) for w in items)
    return "|".join(o.replace(r"\ ", r"\s+") if spaces else o for o in out)


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())


def prev_word(text: str, i: int, skip: str) -> tuple[str, int]:
    """The word before ``text[i]`` (past any ``skip`` characters) and where it starts."""
    while i > 0 and text[i - 1] in skip:
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j:i], j


# Full-width forms and dashes map one character to one, so offsets survive translation.
TRANSLATE: Final = str.maketrans(
    "０１２３４５６７８９．，％＄￡￥−–\u00a0\u202f\u2009",
    "0123456789.,%$£¥--   ",
)
STOPWORDS: Final = word_set(
    "a an the of in on at to for from by with and or but nor is are was were be been being has "
    "have had will would could should may might can must that which who whom whose this these "
    "those than as per its their his her it they we he she you our your up down more less over "
    "under after before during while when where so also only just each every annually alone "
    "respectively according between against into through about around almost nearly new last "
    "next since until compared apiece there then if not all plus"
)
WORD_RE: Final = compile_ascii(r"(?:[ \t]+|-)(?P<w>[A-Za-z][A-Za-z'’]*(?:-[a-z]+)*)")


# --------------------------------------------------------------------------- tables

_CURRENCY_NAMES: Final = {
    "USD": "usd|dollar|dollars|us dollar|us dollars|u.s. dollar|u.s. dollars|american dollars",
    "CNY": "cny|rmb|yuan|renminbi|chinese yuan|yuan renminbi|元|人民币",
    "GBP": "gbp|pound|pounds|pounds sterling|sterling|british pounds",
    "EUR": "eur|euro|euros",
    "JPY": "jpy|yen|japanese yen",
    "SEK": "sek|krona|kronor|swedish krona|swedish kronor",
    "NOK": "nok|norwegian krone|norwegian kroner",
    "DKK": "dkk|danish krone|danish kroner",
    "INR": "inr|rupee|rupees|indian rupees",
    "PKR": "pkr|pakistani rupees",
    "RUB": "rub|rouble|roubles|ruble|rubles|russian roubles|russian rubles",
    "CHF": "chf|swiss franc|swiss francs",  # bare "francs" may be French, Belgian, CFA
    "AUD": "aud|australian dollar|australian dollars",
    "CAD": "cad|canadian dollar|canadian dollars",
    "HKD": "hkd|hong kong dollar|hong kong dollars",
    "NZD": "nzd|new zealand dollars",
    "SGD": "sgd|singapore dollars",
    "TWD": "twd|taiwan dollars|new taiwan dollars",
    "KRW": "krw|won|south korean won|korean won",
    "BRL": "brl|real|reais|brazilian real|brazilian reais",
    "ZAR": "zar|rand|south african rand",
    "MXN": "mxn|mexican pesos",
    "ARS": "ars|argentine pesos",
    "PHP": "php|philippine pesos",
    "TRY": "try|lira|turkish lira",
    "IDR": "idr|rupiah",
    "MYR": "myr|ringgit",
    "THB": "thb|baht",
    "VND": "vnd|vietnamese dong",
    "PLN": "pln|zloty|zlotys",
    "HUF": "huf|forint",
    "CZK": "czk|czech koruna",
    "ILS": "ils|shekel|shekels",
    "NGN": "ngn|naira",
    "EGP": "egp|egyptian pounds",
    "AED": "aed|dirham|dirhams",
    "SAR": "sar|riyal|riyals|saudi riyals",
    "UAH": "uah|hryvnia|hryvnias",
    "BTC": "btc|bitcoin|bitcoins",
}
_CURRENCY: Final = {n: code for code, ns in _CURRENCY_NAMES.items() for n in ns.split("|")}
_CODES: Final = frozenset(_CURRENCY_NAMES) | {"RMB"}
_SYMBOLS: Final = {
    "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "HK$": "HKD", "NZ$": "NZD", "S$": "SGD", "NT$": "TWD", "R$": "BRL", "MX$": "MXN",
    "CN¥": "CNY", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₩": "KRW", "₺": "TRY", "₪": "ILS", "₦": "NGN", "₱": "PHP", "฿": "THB", "₫": "VND",
    "Rs": "INR", "Rs.": "INR", "Mex$": "MXN", "MEX$": "MXN", "US $": "USD", "USD$": "USD", "MXN$": "MXN", "AUD$": "AUD",
    "CAD$": "CAD", "NZD$": "NZD", "HKD$": "HKD", "SGD$": "SGD", "₡": "CRC", "₾": "GEL", "₭": "LAK",
    "₿": "BTC",
}  # fmt: skip
# After a number these words need a scale word or symbol first: "5 real reasons".
_AMBIGUOUS_CURRENCY: Final = frozenset({"real", "won", "rand"})

_PERCENT: Final = {"%": "percent", "percent": "percent", "per cent": "percent", "pct": "percent",
                   "pc": "percent", "percentage": "percent", "percentage point": "percentage points",
                   "percentage points": "percentage points", "pp": "percentage points",
                   "ppt": "percentage points", "ppts": "percentage points"}  # fmt: skip
_MEASURES: Final = {
    "km": "km|kms|kilometre|kilometres|kilometer|kilometers",
    "m": "metre|metres|meter|meters",
    "cm": "cm|centimetres|centimeters", "mm": "mm|millimetres|millimeters",
    "miles": "mile|miles|mi", "ft": "ft|foot|feet", "in": "inch|inches", "yards": "yard|yards|yd",
    "kg": "kg|kgs|kilo|kilos|kilogram|kilograms|kilogramme|kilogrammes",
    "tonnes": "tonne|tonnes|ton|tons|metric ton|metric tons", "g": "gram|grams|gramme|grammes",
    "lb": "lb|lbs", "oz": "oz|ounce|ounces", "litres": "litre|litres|liter|liters", "ml": "ml|millilitre|millilitres|milliliter|milliliters",
    "gallons": "gallon|gallons", "barrels": "barrel|barrels",
    "bpd": "bpd|barrels per day|barrels a day", "hectares": "ha|hectare|hectares",
    "acres": "acre|acres",
    "km2": "km2|km²|sq km|sq. km|square kilometre|square kilometres|square kilometer|square kilometers",
    "m2": "m2|m²|sq m|square metre|square metres|square meter|square meters",
    "ft2": "sq ft|sq. ft|sqft|square foot|square feet",
    "mi2": "sq mi|square mile|square miles",
    "m3": "m3|m³|cubic metre|cubic metres|cubic meter|cubic meters",
    "ft3": "cubic foot|cubic feet|cu ft",
    "kW": "kw|kilowatt|kilowatts", "MW": "mw|megawatt|megawatts", "GW": "gw|gigawatt|gigawatts",
    "kWh": "kwh", "MWh": "mwh", "GWh": "gwh", "TWh": "twh", "MB": "mb|megabytes",
    "GB": "gb|gigabyte|gigabytes", "TB": "tb|terabyte|terabytes",
    "mph": "mph|miles per hour|miles an hour|miles a hour",
    "km/h": "km/h|kmh|kph|km/hr|km per hour|kilometres per hour|kilometers per hour"
    "|kilometres an hour|kilometers an hour",
    "m/s": "m/s|metres per second|meters per second|metres a second|meters a second",
    "knots": "knot|knots", "°C": "°c|ºc|degrees celsius|degrees centigrade",
    "°F": "°f|ºf|degrees fahrenheit",
    "years": "year|years", "months": "month|months", "weeks": "week|weeks", "days": "day|days",
    "hours": "hour|hours", "minutes": "minute|minutes", "seconds": "second|seconds",
    "basis points": "basis point|basis points|bps",
}  # fmt: skip
# A measure followed by "per second" or "an hour" is a speed with its own name.
_SPEEDS: Final = {("m", "second"): "m/s", ("km", "hour"): "km/h", ("miles", "hour"): "mph",
                  ("km", "second"): "km/s"}  # fmt: skip
MEASURE_UNITS: Final = frozenset(_MEASURES) | frozenset(_SPEEDS.values())
# The denominators of a rate ("per cent a year", "$50 a barrel", "£20 per head"), canonical.
_PER: Final = {"second": "second", "sec": "second", "minute": "minute", "min": "minute",
               "hour": "hour", "hr": "hour", "day": "day", "week": "week", "month": "month",
               "year": "year", "annum": "year", "head": "head", "person": "head",
               "capita": "head", "barrel": "barrel", "tonne": "tonne", "ton": "tonne",
               "kg": "kg", "kilo": "kg", "share": "share", "litre": "litre", "liter": "litre",
               "gallon": "gallon", "household": "household", "pupil": "pupil",
               "passenger": "passenger", "employee": "employee", "worker": "worker"}  # fmt: skip
_MEASURE: Final = {n: canon for canon, ns in _MEASURES.items() for n in ns.split("|")}
_UNITS: Final = {
    **_MEASURE,
    **_PERCENT,
    **_CURRENCY,
    **{s.casefold(): c for s, c in _SYMBOLS.items()},
}

SCALES: Final = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12, "quadrillion": 15,
                  "lakh": 5, "lakhs": 5, "crore": 7, "crores": 7, "mn": 6, "mln": 6, "bn": 9,
                  "bln": 9, "tn": 12, "trn": 12, "m": 6, "k": 3, "b": 9,
                  "万": 4, "萬": 4, "亿": 8, "億": 8}  # fmt: skip
WORD_NUMBERS: Final = {
    "a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "a hundred": "100", "one hundred": "100", "half a": "0.5", "a half": "0.5",
}  # fmt: skip
PLURALS: Final = word_set(
    "people children men women staff police cattle sheep fish personnel aircraft"
)


def scale_exp(word: str) -> int:
    """Power of ten of a scale word: ``"bn"`` -> 9, ``"lakh crore"`` -> 12."""
    return sum(SCALES[w] for w in word.lower().split())


# --------------------------------------------------------------------------- regexes

SCALE_WORDS = (
    r"(?i:hundred|thousand|million|billion|trillion|quadrillion|lakhs?\s+crores?|lakhs?|crores?"
    r"|mn|mln|bn|bln|tn|trn)"
)
_SYM_ALT = alternation(_SYMBOLS, spaces=False)
_CODE_ALT = "|".join(sorted(_CODES))
_PREFIX_RE: Final = compile_ascii(rf"(?:{_SYM_ALT}|{_CODE_ALT})\s?\Z")
SCALE_RE: Final = compile_ascii(
    rf"(?:(?:\s+|-)?(?P<w>{SCALE_WORDS})|(?P<a>[mMkKbB])(?![\d²³/])|(?P<c>[万萬亿億]))(?![A-Za-z])"
)
_PERCENT_RE: Final = compile_ascii(
    r"\s?%|(?:\s+|-)?(?i:(?P<pp>percentage\s+points?|pp|ppts?)|per\s?cent|percent|pct)(?![A-Za-z])"
    r"|pc(?![A-Za-z])"
)
_CUR_WORDS = [n for n in _CURRENCY if n.upper() not in _CODES]
_SUFFIX_SYMBOLS = "".join(s for s in _SYMBOLS if len(s) == 1)
_CUR_SUFFIX_RE: Final = compile_ascii(
    rf"(?:\s+|-)?(?P<w>(?i:{alternation([*_CUR_WORDS, 'pence'])}))(?![A-Za-z])"
    rf"|\s?(?P<mcode>M)?(?P<code>{_CODE_ALT})(?![A-Za-z])"
    # "10 €", "20$": a symbol after the number, as some styles write it.
    rf"|\s?(?P<sym>[{re.escape(_SUFFIX_SYMBOLS)}])(?![\dA-Za-z])"
)
_MEASURE_RE: Final = compile_ascii(rf"(?:\s+|-)?(?P<w>(?i:{alternation(_MEASURE)}))(?![A-Za-z0-9])")


# --------------------------------------------------------------------------- reading a unit


def currency_before(text: str, start: int) -> tuple[str, int] | None:
    """The currency of a symbol or code just before a number, and where it starts.

    ``"HK$5"`` -> ``("HKD", 0)``, ``"EUR 5"`` -> ``("EUR", 0)``; None when there is none.
    """
    last = text[max(0, start - 2) : start].rstrip()[-1:]  # a symbol or code ends here
    if not ((last and not last.islower()) or last == "s"):
        return None
    pm = _PREFIX_RE.search(text, max(0, start - 7), start)
    if pm is None or (pm.start() and text[pm.start() - 1].isalpha()):
        return None
    pre = pm.group().strip()
    return _SYMBOLS.get(pre) or ("CNY" if pre == "RMB" else pre), pm.start()


_RATE_RE: Final = compile_ascii(
    rf"(?:\s+(?i:per|an?|each)\s+|\s?/\s?)(?P<d>(?i:{alternation(_PER)}))(?![A-Za-z])"
    r"(?!\s+(?i:ago|earlier|before|later|after|previously|prior|back|on|from|in\s+advance)\b)"
)
_SCALE_AFTER_CODE_RE: Final = compile_ascii(rf"\s+(?P<w>{SCALE_WORDS})(?![A-Za-z])")
_CUR_SCALES: Final = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12, "mn": 6,
                      "mln": 6, "bn": 9, "bln": 9, "tn": 12, "trn": 12}  # fmt: skip
# "pounds" after a number is weight, not sterling, next to these words.
_WEIGHT_BEFORE_RE: Final = compile_ascii(
    r"(?i:(?:\bweigh\w*|\bheavier|\blighter|\boverweight|\boverloaded)[^.;]{0,40}"
    r"|\b(?:lose|loses|lost|losing|shed|sheds|shedding|drop|dropped|gain|gained|put\s+on)"
    r"\s+(?:about\s+|around\s+|some\s+|over\s+|nearly\s+)?)\Z"
)
_WEIGHT_AFTER_RE: Final = compile_ascii(
    r"\s*\(\s*[\d.,]+\s?(?i:kg|kilos?|kilograms?|tonnes?|g)\b"
    r"|\s+(?i:heavier|lighter|in\s+weight|overweight)\b"
    r"|\s+of\s+(?i:cocaine|heroin|cannabis|drugs|explosives?|meat|beef|fish|food|rice|sugar"
    r"|flour|potatoes|fruit|butter|cheese|fat|weight|muscle|gold|silver|metal|steel|rubbish"
    r"|waste|plastic|paper|ice|salt)\b"
)


def rate_after(text: str, pos: int, unit: str) -> tuple[str, int] | None:
    """A rate's unit and end when ``text[pos:]`` says per what: ``"an hour"`` after ``miles``.

    ``("mph", end)`` for miles an hour, ``("USD per barrel", end)`` for ``$50 a barrel``,
    ``("percent per year", end)`` for ``5% a year``; None when no rate follows, and for
    ``a year ago``/``a year earlier``, which date the number rather than divide it.
    """
    m = _RATE_RE.match(text, pos)
    if m is None:
        return None
    per = _PER[m.group("d").lower()]
    if unit == per or (unit.endswith("s") and unit[:-1] == per):
        return None  # "5 years a year" is no rate
    return _SPEEDS.get((unit, per)) or f"{unit} per {per}", m.end()


def _is_weight(text: str, start: int, end: int) -> bool:
    return bool(
        _WEIGHT_BEFORE_RE.search(text, max(0, start - 48), start)
        or _WEIGHT_AFTER_RE.match(text, end)
    )


def unit_after(
    text: str, pos: int, unit: str | None, scaled: bool, start: int = 0
) -> tuple[str | None, str | None, int, int]:
    """Unit after a number: ``(unit, kind, exponent shift, end)``; kind None when none.

    ``start`` is where the number starts, for the words before it (``weighing 300 pounds``).
    """
    got = _unit_after(text, pos, unit, scaled, start)
    u, kind, _, end = got
    if u is not None and kind is not None and (rate := rate_after(text, end, u)) is not None:
        return rate[0], kind, got[2], rate[1]
    return got


def _unit_after(
    text: str, pos: int, unit: str | None, scaled: bool, start: int
) -> tuple[str | None, str | None, int, int]:
    if (pc := _PERCENT_RE.match(text, pos)) is not None:
        return ("percentage points" if pc.group("pp") else "percent"), "percent", 0, pc.end()
    if (cu := _CUR_SUFFIX_RE.match(text, pos)) is not None:
        name = " ".join((cu.group("w") or "").lower().split())
        if name == "pence":
            return "GBP", "currency", -2, cu.end()
        if name in ("pound", "pounds") and unit is None and _is_weight(text, start, cu.end()):
            return "lb", "measure", 0, cu.end()
        if (sym := cu.group("sym")) is not None:
            if unit is not None:
                return unit, "currency", 0, pos  # "$10 $": the symbol before the number decides
            return _SYMBOLS[sym], "currency", 0, cu.end()
        if cu.group("mcode") and not scaled:  # "30 MUSD", "120 MEUR": millions
            return cu.group("code"), "currency", 6, cu.end()
        if cu.group("mcode"):
            return unit, ("currency" if unit else None), 0, pos
        if name not in _AMBIGUOUS_CURRENCY or scaled or unit is not None:
            code = cu.group("code")
            suffix = ("CNY" if code == "RMB" else code) if code else _CURRENCY[name]
            shift, end = 0, cu.end()
            # "75 USD million": the scale word may follow a code.
            if not scaled and (sc := _SCALE_AFTER_CODE_RE.match(text, end)) is not None:
                shift, end = _CUR_SCALES.get(sc.group("w").lower(), 0), sc.end()
                end = end if shift else cu.end()
            return (suffix if unit in (None, "USD") else unit), "currency", shift, end
    if unit is None and (ms := _MEASURE_RE.match(text, pos)) is not None:
        return _MEASURE[" ".join(ms.group("w").lower().split())], "measure", 0, ms.end()
    return unit, ("currency" if unit else None), 0, pos


def unit_follows(text: str, pos: int) -> bool:
    """True when a scale word, percent, currency or measure starts at ``text[pos]``."""
    return any(r.match(text, pos) for r in (SCALE_RE, _PERCENT_RE, _CUR_SUFFIX_RE, _MEASURE_RE))


def counted_noun(text: str, pos: int) -> tuple[str, int] | None:
    """The thing counted after a number, and where it ends: "internet users" -> "users".

    Up to three words before a function word; the last plural wins, else the first
    word when it is lower-case ("people"), else nothing.
    """
    words: list[tuple[str, int]] = []
    while len(words) < 3 and (w := WORD_RE.match(text, pos)) is not None:
        word = w.group("w")
        if word.lower() in STOPWORDS:
            break
        words.append((word, w.end()))
        pos = w.end()
    for word, end in reversed(words):
        low = word.lower()
        if low in PLURALS or (
            low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s"))
        ):
            return low, end
    return words[0] if words and words[0][0].islower() else None


# --------------------------------------------------------------------------- the model's unit


def normalize_unit(unit: str | None) -> str | None:
    """Canonical form of a unit the model gave.

    Percent spellings give ``"percent"``; currency words, codes and symbols give ISO
    4217 codes (``"U.S. dollars"`` -> ``"USD"``, ``"renminbi"`` -> ``"CNY"``); known
    measures their symbol (``"kilometres"`` -> ``"km"``); anything else is the counted
    thing, lower-cased with whitespace collapsed (``"Users"`` -> ``"users"``). A
    leading or trailing scale word is dropped (``"billion yuan"`` -> ``"CNY"``).
    """
    if not unit:
        return None
    key = " ".join(unit.split()).casefold()
    if not key:
        return None
    words = key.split(" ")
    # Spelled scale words only: "m per minute" keeps its metre.
    while len(words) > 1 and (
        (len(words[0]) > 1 and words[0] in SCALES) or words[0] in ("billions", "millions")
    ):
        words.pop(0)
    while len(words) > 1 and len(words[-1]) > 1 and words[-1].strip("()") in SCALES:
        words.pop()
    key = " ".join(words)
    if key in _UNITS:
        return _UNITS[key]
    # A rate: "US dollars a barrel" -> "USD per barrel", "metres per second" -> "m/s".
    rate = re.fullmatch(r"(.+?)\s*(?:\bper\b|\ban?\b|/)\s*(\w+)", key)
    if rate is not None and rate.group(2) in _PER and rate.group(1) != key:
        base = normalize_unit(rate.group(1)) or rate.group(1)
        per = _PER[rate.group(2)]
        return _SPEEDS.get((base, per)) or f"{base} per {per}"
    if key.upper() in _CODES:
        return _UNITS[key]
    for prefix in ("%", "percent ", "per cent ", "percentage of "):
        if key.startswith(prefix):
            return "percent"
    return key
