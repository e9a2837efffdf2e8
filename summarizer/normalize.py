"""Normalise numbers, units and dates in code, so that no number is taken on trust.

The model copies a statistic's words (``value_text``) and also states a value; the
pipeline parses the words here and lets them win. Everything is stdlib regex, compiled
at import, and no public function raises on any ``str`` input.

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
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

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

# --------------------------------------------------------------------------- tables


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
    "CHF": "chf|franc|francs|swiss franc|swiss francs",
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
}
_CURRENCY: Final = {n: code for code, ns in _CURRENCY_NAMES.items() for n in ns.split("|")}
_CODES: Final = frozenset(_CURRENCY_NAMES) | {"RMB"}
_SYMBOLS: Final = {
    "US$": "USD", "U.S.$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD",
    "HK$": "HKD", "NZ$": "NZD", "S$": "SGD", "NT$": "TWD", "R$": "BRL", "MX$": "MXN",
    "CN¥": "CNY", "$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB",
    "₩": "KRW", "₺": "TRY", "₪": "ILS", "₦": "NGN", "₱": "PHP", "฿": "THB", "₫": "VND",
    "Rs": "INR", "Rs.": "INR",
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
    "miles": "mile|miles", "kg": "kg|kgs|kilo|kilos|kilogram|kilograms|kilogramme|kilogrammes",
    "tonnes": "tonne|tonnes|ton|tons|metric ton|metric tons", "g": "gram|grams|gramme|grammes",
    "lb": "lb|lbs", "litres": "litre|litres|liter|liters", "barrels": "barrel|barrels",
    "bpd": "bpd|barrels per day|barrels a day", "hectares": "ha|hectare|hectares",
    "acres": "acre|acres", "km2": "km2|km²|sq km|square kilometres|square kilometers",
    "kW": "kw|kilowatt|kilowatts", "MW": "mw|megawatt|megawatts", "GW": "gw|gigawatt|gigawatts",
    "kWh": "kwh", "MWh": "mwh", "GWh": "gwh", "TWh": "twh", "MB": "mb|megabytes",
    "GB": "gb|gigabyte|gigabytes", "TB": "tb|terabyte|terabytes", "mph": "mph", "km/h": "km/h|kmh",
    "years": "year|years", "months": "month|months", "weeks": "week|weeks", "days": "day|days",
    "hours": "hour|hours", "minutes": "minute|minutes", "seconds": "second|seconds",
    "basis points": "basis point|basis points|bps",
}  # fmt: skip
_MEASURE: Final = {n: canon for canon, ns in _MEASURES.items() for n in ns.split("|")}
_UNITS: Final = {
    **_MEASURE,
    **_PERCENT,
    **_CURRENCY,
    **{s.casefold(): c for s, c in _SYMBOLS.items()},
}

_SCALES: Final = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12, "quadrillion": 15,
                  "lakh": 5, "lakhs": 5, "crore": 7, "crores": 7, "mn": 6, "mln": 6, "bn": 9,
                  "bln": 9, "tn": 12, "trn": 12, "m": 6, "k": 3, "b": 9,
                  "万": 4, "萬": 4, "亿": 8, "億": 8}  # fmt: skip
_WORD_NUMBERS: Final = {
    "a": "1", "an": "1", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11",
    "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40",
    "fifty": "50", "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
    "a hundred": "100", "one hundred": "100", "half a": "0.5", "a half": "0.5",
}  # fmt: skip
_STOPWORDS: Final = _words(
    "a an the of in on at to for from by with and or but nor is are was were be been being has "
    "have had will would could should may might can must that which who whom whose this these "
    "those than as per its their his her it they we he she you our your up down more less over "
    "under after before during while when where so also only just each every annually alone "
    "respectively according between against into through about around almost nearly new last "
    "next since until compared apiece there then if not all plus"
)
_PLURALS: Final = _words(
    "people children men women staff police cattle sheep fish personnel aircraft"
)
_YEAR_PREPS: Final = _words(
    "in by since until till of from during before after through between and end early late mid "
    "the fiscal year as for summer spring autumn winter circa its their his her our this that"
)
_MONTHS: Final = {"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
                  "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
                  "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
                  "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}  # fmt: skip
_ORDINALS: Final = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "last": 4}

# Full-width forms and dashes map one character to one, so offsets survive translation.
_TRANSLATE: Final = str.maketrans(
    "０１２３４５６７８９．，％＄￡￥−–\u00a0\u202f\u2009",
    "0123456789.,%$£¥--   ",
)
_SUPERSCRIPT: Final = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


# --------------------------------------------------------------------------- regexes


def _compile(pattern: str) -> re.Pattern[str]:
    # ASCII: "١٢٣" and other scripts' digits must not match \d.
    return re.compile(pattern, re.ASCII)


def _alts(words: Iterable[str], *, spaces: bool = True) -> str:
    """Regex alternation of ``words``, longest first, spaces matching any whitespace."""
    items = sorted(set(words), key=len, reverse=True)
    out = (re.escape(w) for w in items)
    return "|".join(o.replace(r"\ ", r"\s+") if spaces else o for o in out)


def _month_alts() -> str:
    # "may", "march" and "mar" are verbs too: only their capitalised forms are months.
    forms: list[str] = []
    for name in _MONTHS:
        forms += [name.title(), name.upper()]
        if name not in {"may", "march", "mar"}:
            forms.append(name)
    return _alts(forms)


_MON = rf"(?:{_month_alts()})(?![A-Za-z])\.?"
_SCALE_WORDS = (
    r"(?i:thousand|million|billion|trillion|quadrillion|lakhs?|crores?|mn|mln|bn|bln|tn|trn)"
)
_SYM_ALT = _alts(_SYMBOLS, spaces=False)
_CODE_ALT = "|".join(sorted(_CODES))

_CORE_RE: Final = _compile(
    r"(\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?:[eE]([+-]?\d{1,9})(?![A-Za-z\d]))?"
)
_QUAL_LAST_WORDS: Final = _words(
    "than over above least of topped tops topping exceed exceeds exceeded exceeding surpass "
    "surpasses surpassed surpassing the under below nearly almost most as to near neared nearing "
    "nears about around some approximately approx roughly circa estimated at by be will would could"
)
_QUAL_VERB_STEMS: Final = (
    "reach", "hit", "top", "exceed", "total", "surpass", "grow", "rise", "fall", "climb",
    "increas", "decreas", "declin", "drop", "expand", "shrink", "jump", "doubl", "soar",
    "amount", "stand", "pass", "cross",
)  # fmt: skip
_PREFIX_RE: Final = _compile(rf"(?:{_SYM_ALT}|{_CODE_ALT})\s?\Z")
_WSTART_RE: Final = _compile(r"\b[A-Za-z]|[~≈<>≤≥]")
_POW_RE: Final = _compile(
    r"\s?(?:\^|\*\*)\s?(?P<p>[+-]?\d{1,6})|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)"
    r"|\s?[x×]\s?10\s?(?:\^|\*\*)\s?(?P<sci>[+-]?\d{1,6})"
)
_SCALE_RE: Final = _compile(
    rf"(?:(?:\s+|-)?(?P<w>{_SCALE_WORDS})|(?P<a>[mMkKbB])|(?P<c>[万萬亿億]))(?![A-Za-z])"
)
_PERCENT_RE: Final = _compile(
    r"\s?%|(?:\s+|-)?(?i:(?P<pp>percentage\s+points?|pp|ppts?)|per\s?cent|percent|pct)(?![A-Za-z])"
    r"|pc(?![A-Za-z])"
)
_CUR_WORDS = [n for n in _CURRENCY if n.upper() not in _CODES]
_CUR_SUFFIX_RE: Final = _compile(
    rf"(?:\s+|-)?(?P<w>(?i:{_alts([*_CUR_WORDS, 'pence'])}))(?![A-Za-z])"
    rf"|\s?(?P<code>{_CODE_ALT})(?![A-Za-z])"
)
_MEASURE_RE: Final = _compile(rf"(?:\s+|-)?(?P<w>(?i:{_alts(_MEASURE)}))(?![A-Za-z0-9])")
_WORD_RE: Final = _compile(r"(?:[ \t]+|-)(?P<w>[A-Za-z][A-Za-z'’]*(?:-[a-z]+)*)")
_SPORT_RE: Final = _compile(
    r"\s+(?:race|races|hurdles|relay|freestyle|breaststroke|backstroke|butterfly|medley|sprint|"
    r"dash|finals?|heats?|title|record|events?|champion|indoor|outdoor|gold|silver|bronze|"
    r"steeplechase|behind|in\s+\d)\b|\s+(?:world|european|british)\s+(?:record|title)"
)
_SPORT_BEFORE_RE: Final = _compile(r"(?:men|women)[’']s\s+\Z")
_RANGE_SEP_RE: Final = _compile(r"\s*(?:-|to|and|or)\s*")
_BRACKET_RE: Final = _compile(r"\s*[(\[]")

_PRE_QUAL_RE: Final = _compile(
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
_POST_QUAL_RE: Final = _compile(
    r"(?P<at_least>\+|-plus\b)|(?:[ \t]+[a-z]+)?,?\s+(?i:(?P<at_least2>or\s+more|or\s+above"
    r"|and\s+(?:above|over|up))|(?P<at_most>or\s+(?:less|fewer|under|below))"
    r"|(?P<approximate>or\s+so))\b"
)

_DATE_DIGIT_PATTERNS = [
    r"(?P<iso>(?<![\d.])(?P<iso_y>\d{4})[-/](?P<iso_m>\d{1,2})[-/](?P<iso_d>\d{1,2})(?![\d.]))",
    rf"(?P<mdy>(?P<mdy_m>{_MON})\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{{4}})(?!\d))",
    rf"(?P<dmy>(?<![\d.,])(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dmy_m>{_MON}),?\s+(?P<dmy_y>\d{{4}})(?!\d))",
    rf"(?P<my>(?P<my_m>{_MON}),?\s+(?:of\s+)?(?P<my_y>\d{{4}})(?!\d))",
    rf"(?P<md>(?P<md_m>{_MON})\s+(?P<md_d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d%]|[.,]\d|(?:\s+|-){_SCALE_WORDS}\b))",
    rf"(?P<dm>(?<![\d.,])(?P<dm_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm_m>{_MON}))",
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
_MASK_RE: Final = _compile("|".join([*_DATE_DIGIT_PATTERNS, _TIME_PATTERN]))
_WORD_COUNT = r"a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2}"
_DATE_RE: Final = _compile(
    "|".join(
        [
            rf"(?P<time>{_TIME_PATTERN})",
            *_DATE_DIGIT_PATTERNS,
            r"(?P<q>\b(?:Q(?P<q_q>[1-4])|(?P<q_w>(?i:first|second|third|fourth))[\s-]+(?i:quarter))\b"
            r"(?:\s+of\s+(?P<q_rel>(?i:last|this|next))\s+year)?)",
            r"(?P<rel>\b(?P<rel_w>(?i:last|this|next))\s+(?P<rel_u>(?i:year|month|week))\b)",
            rf"(?P<ago>\b(?P<ago_n>(?i:{_WORD_COUNT}))\s+(?P<ago_u>(?i:year|month|week|day))s?\s+(?i:ago)\b)",
            r"(?P<day>\b(?i:yesterday|today|tomorrow)\b(?!['’]))",
            r"(?P<mon>\b(?P<mon_w>(?i:in|since|by|until|till|from|during|through|of|as\s+of|early"
            r"|late|mid|end\s+of|last|this|next|before|after))[\s-]+(?:(?i:early|late|mid)[\s-]+)?"
            rf"(?P<mon_m>{_MON})(?!\s*\d))",
            r"(?P<year>(?<![\d,.$£€¥#])(?P<year_y>1[89]\d\d|2[01]\d\d)(?![\d%A-Za-z]|[.,]\d))",
        ]
    )
)
_TOKEN_RE: Final = _compile(r"[A-Za-z]+|\d+")
_DATE_OPENERS: Final = frozenset(_MONTHS) | _words(
    "q h fy first second third fourth final last this next fiscal financial a an one two three four "
    "five six seven eight nine ten yesterday today tomorrow in since by until till from during "
    "through of as early late mid end before after"
)
_REF_RE: Final = _compile(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_YEAR_MONTH_RE: Final = _compile(r"\d{4}-\d{2}")


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
    word, _ = _prev_word(text, start, " \t\n(.")
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


def _prev_word(text: str, i: int, skip: str) -> tuple[str, int]:
    """The word before ``text[i]`` (past any ``skip`` characters) and where it starts."""
    while i > 0 and text[i - 1] in skip:
        i -= 1
    j = i
    while j > 0 and text[j - 1].isalpha():
        j -= 1
    return text[j:i], j


def _is_year_context(text: str, start: int, end: int) -> bool:
    """True when a bare 4-digit number reads as a year rather than a count."""
    if _prev_word(text, start, " \t\n-")[0].lower() in _YEAR_PREPS:
        return True
    nxt = _WORD_RE.match(text, end)
    if nxt is None or text[end] == "-":
        return True
    word = nxt.group("w")
    return not word.islower() or word in _STOPWORDS


def _date_end(text: str, start: int) -> int:
    """End of the date or time that the number at ``start`` belongs to, else -1."""
    m = _MASK_RE.match(text, start)
    if m is None:
        word, j = _prev_word(text, start, " ,.\t")
        m = _MASK_RE.match(text, j) if word.lower() in _MONTHS else None
    return m.end() if m is not None and m.end() > start else -1


def _suffix(
    text: str, pos: int, unit: str | None, scaled: bool
) -> tuple[str | None, str | None, int, int]:
    """Unit after a number: ``(unit, kind, exponent shift, end)``; kind None when none."""
    if (pc := _PERCENT_RE.match(text, pos)) is not None:
        return ("percentage points" if pc.group("pp") else "percent"), "percent", 0, pc.end()
    if (cu := _CUR_SUFFIX_RE.match(text, pos)) is not None:
        name = " ".join((cu.group("w") or "").lower().split())
        if name == "pence":
            return "GBP", "currency", -2, cu.end()
        if name not in _AMBIGUOUS_CURRENCY or scaled or unit is not None:
            code = cu.group("code")
            suffix = ("CNY" if code == "RMB" else code) if code else _CURRENCY[name]
            return (suffix if unit in (None, "USD") else unit), "currency", 0, cu.end()
    if unit is None and (ms := _MEASURE_RE.match(text, pos)) is not None:
        return _MEASURE[" ".join(ms.group("w").lower().split())], "measure", 0, ms.end()
    return unit, ("currency" if unit else None), 0, pos


def _candidate(text: str, start: int, pos: int, mant: str, exp10: int) -> _Cand | None:
    """The quantity whose digits (or number word) span ``text[start:pos]``, if it is one."""
    digits = text[start:pos]
    unit: str | None = None
    last = text[max(0, start - 2) : start].rstrip()[-1:]  # a symbol or code ends here
    pm = (
        _PREFIX_RE.search(text, max(0, start - 7), start)
        if (last and not last.islower()) or last == "s"
        else None
    )
    if pm is not None and not (pm.start() and text[pm.start() - 1].isalpha()):
        pre = pm.group().strip()
        unit, start = _SYMBOLS.get(pre) or ("CNY" if pre == "RMB" else pre), pm.start()
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
    if (sc := _SCALE_RE.match(text, pos)) is not None:
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
        exp10 += _SCALES[(sc.group("w") or sc.group("a") or sc.group("c")).lower()]
        pos, scaled = sc.end(), True
    unit, kind, shift, pos = _suffix(text, pos, unit, scaled)
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
    if year_like and not whole and cand.qualifier is None and _is_year_context(text, start, pos):
        return None
    if kind is None and (noun := _counted_noun(text, pos)) is not None:
        cand.unit, cand.kind = noun[0], "count"
        cand.qualifier = cand.qualifier or _qualifier_after(text, noun[1])
    return cand


def _counted_noun(text: str, pos: int) -> tuple[str, int] | None:
    """The thing counted after a number, and where it ends: "internet users" -> "users".

    Up to three words before a function word; the last plural wins, else the first
    word when it is lower-case ("people"), else nothing.
    """
    words: list[tuple[str, int]] = []
    while len(words) < 3 and (w := _WORD_RE.match(text, pos)) is not None:
        word = w.group("w")
        if word.lower() in _STOPWORDS:
            break
        words.append((word, w.end()))
        pos = w.end()
    for word, end in reversed(words):
        low = word.lower()
        if low in _PLURALS or (
            low.endswith("s") and not low.endswith(("ss", "us", "is", "'s", "’s"))
        ):
            return low, end
    return words[0] if words and words[0][0].islower() else None


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
            word, j = _prev_word(text, i, " \t\n-")
            end = j + len(word)
            pair = f"{_prev_word(text, j, ' ')[0]} {word}".lower()
            if pair in _WORD_NUMBERS:
                out.append((_prev_word(text, j, " ")[1], end, _WORD_NUMBERS[pair], 0))
            elif word.lower() in _WORD_NUMBERS and end < i:
                out.append((j, end, _WORD_NUMBERS[word.lower()], 0))
            i = low.find(key, i + 1)
    return out


def _scan(text: str) -> list[_Cand]:
    if not text:
        return []
    t = text if text.isascii() else text.translate(_TRANSLATE)
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
        if (date_end := _date_end(t, start)) >= 0:
            skip_to = date_end
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


# --------------------------------------------------------------------------- units


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
    while len(words) > 1 and (words[0] in _SCALES or words[0] in ("billions", "millions")):
        words.pop(0)
    while len(words) > 1 and words[-1].strip("()") in _SCALES:
        words.pop()
    key = " ".join(words)
    if key in _UNITS:
        return _UNITS[key]
    if key.upper() in _CODES:
        return _UNITS[key]
    for prefix in ("%", "percent ", "per cent ", "percentage of "):
        if key.startswith(prefix):
            return "percent"
    return key


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
        follows = (_SCALE_RE, _PERCENT_RE, _CUR_SUFFIX_RE, _MEASURE_RE)
        if any(r.match(text, e) for r in follows) or not _is_year_context(text, s, e):
            return _SKIP
        return g("year_y")
    if ref is None:
        return None
    ry, rm, _ = ref
    if kind in ("md", "dm"):
        return _nearest_day(ref, _MONTHS[g(f"{kind}_m").rstrip(".").lower()], int(g(f"{kind}_d")))
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
    if kind == "ago":
        n = g("ago_n").lower()
        k = int(n) if n.isdigit() else int(_WORD_NUMBERS.get(n, "0"))
        unit = g("ago_u").lower()
        days = -k * (7 if unit == "week" else 1)
        return _shift(
            ref, days, -k * (12 if unit == "year" else 1), "month" if unit == "week" else unit
        )
    if kind == "day":
        step = {"yesterday": -1, "today": 0, "tomorrow": 1}[g("day").lower()]
        return _shift(ref, step, 0, "day")
    return _SKIP


def parse_period(text: str, *, reference_date: str | None = None) -> str | None:
    """The partial ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) of a time phrase.

    ``"as of June 2023"`` -> ``"2023-06"``, ``"Dec. 16, 2015"`` -> ``"2015-12-16"``,
    ``"by the end of 2022"`` -> ``"2022"``. Relative phrases (``"last year"``,
    ``"earlier this month"``, ``"July 14"``) need ``reference_date`` (the article's
    date, ISO) and give None without it. The first date phrase in ``text`` decides.
    """
    if not text:
        return None
    t = text if text.isascii() else text.translate(_TRANSLATE)
    if _YEAR_MONTH_RE.fullmatch(t.strip()) and is_partial_iso_date(t.strip()):
        return t.strip()
    ref = _reference(reference_date)
    skip_to = 0
    # Only tokens that can open a date phrase are tried: far cheaper than a search.
    for tok in _TOKEN_RE.finditer(t):
        word = tok.group()
        if tok.start() < skip_to or not (word[0].isdigit() or word.lower() in _DATE_OPENERS):
            continue
        m = _DATE_RE.match(t, tok.start())
        if m is not None:
            found = _resolve(t, m, ref)
            if found != _SKIP:
                return found
            skip_to = m.end()
    return None


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
