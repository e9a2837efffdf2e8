"""Numbers written in words: "Twenty-one million", "two hundred and two thousand", "half a".

Private: :mod:`summarizer.ground.normalize` calls :func:`word_numbers` and treats each
span like digits, so the scale word after it (``million``) and the unit are read by the
same code as for ``21 million``.

The spelled-out number itself is read by ``text2num`` (its ``find_numbers``, a small
compiled library, about 9 ms to import, imported on first use). Measured on
``tests/data/normalize/number_words.tsv`` (57 news-style phrases), the reader built on
``text2num`` plus the hand rules below gets 57 right; the hand-written table it replaced
(``one``..``ninety``, ``a``/``half a`` before a scale word) got 27 right, because it had
no compounds (``twenty-one``, ``two hundred and two``, ``sixty-five``). So the library
reads the words, and hand-written code stays only where ``text2num`` 3.1 does worse:

* ``a``/``an`` before a scale word is 1 (``a million``, ``a hundred``): text2num reads the
  scale word alone.
* ``half a million`` is 0.5 million and ``two and a half million`` 2.5 million: text2num
  reads them as a million and as 2 then a million.
* A scale word after digits (``1.5 million``) is the digit reader's; text2num would read
  ``million`` as 1,000,000 on its own.
* Ordinals (``twenty-first``) and decade words (``nineteen-eighties``) are not numbers.
* ``trillion`` is unknown to its English reader: it is passed as ``billion`` and scaled back.

Without ``text2num`` installed, only the hand rules work (``a million``, ``half a
billion``); the reader never raises.
"""

from __future__ import annotations

import itertools
import operator
import re
from functools import lru_cache
from typing import Any, Final

__all__ = ["word_numbers"]

_SCALE_EXP: Final = {"hundred": 2, "thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_TOKEN_RE: Final = re.compile(r"[A-Za-z]+|\d+|[^\w\s]|\s+", re.ASCII)
_WORD_HINT_RE: Final = re.compile(
    r"\b(?=[otfsenhmbdOTFSENHMBD])"  # the first letters, checked first: twice as fast
    r"(?i:\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety|hundred|thousand|million|billion|trillion|dozen)\b)",
    re.ASCII,
)
_HALF_RE: Final = re.compile(
    r"(?i:(?P<half>\bhalf(?:\s+an?)?\s+)|(?P<and_half>\s+and\s+a\s+half\s+)"
    r"|(?P<quarter>\b(?:a\s+)?quarter(?:\s+of\s+an?)?\s+)"
    r"|(?P<tq>\bthree[\s-]quarters(?:\s+of\s+an?)?\s+)"
    r"|(?P<third>\b(?:a|one)[\s-]third(?:\s+of\s+an?)?\s+)"
    r"|(?P<tt>\btwo[\s-]thirds(?:\s+of\s+an?)?\s+)|(?P<a>\ban?\s+))\Z",
    re.ASCII,
)
# After a number word: a decade ("-eighties") or a fraction ("three-quarters of a million"),
# which the hand rules read; "six-mile" is a number.
_DECADE_RE: Final = re.compile(
    r"(?i:-[a-z]*(?:ies|somethings?|ish)\b|[\s-](?:quarters?|thirds?|fifths?|eighths?|halves)\b)",
    re.ASCII,
)


class _Tok(str):
    """A token as ``text2num.find_numbers`` wants it.

    A ``str`` whose ``text()`` is the C-level ``str.__str__``: an article has about a
    thousand tokens, and building and reading them was most of the reader's time.
    """

    __slots__ = ()

    text = str.__str__

    def nt_separated(self, previous: Any) -> bool:
        return False

    # Called for every token: bool() is False, without a Python frame.
    not_a_number_part = staticmethod(bool)


_TRILLION_RE: Final = re.compile(r"trillion", re.ASCII | re.IGNORECASE)


# A token and the spaces and hyphens before it. find_numbers skips a token of spaces or a
# "-" without a trace (not even as the previous token), so leaving them out changes
# nothing but the token numbers, which the offsets below map back.
_SPACED_TOKEN_RE: Final = re.compile(r"([\s-]*)([A-Za-z]+|\d+|[^\w\s-])", re.ASCII)


def _tokens(text: str) -> tuple[list[_Tok], list[int], list[int]]:
    """The tokens of ``text`` but spaces and hyphens, their start and end offsets."""
    if "_" in text:  # the one character no token holds: offsets from the matches
        spans = [m.span() for m in _TOKEN_RE.finditer(text) if not _skipped(m.group())]
        pieces = [text[a:b] for a, b in spans]
        starts, ends = [a for a, _ in spans], [b for _, b in spans]
    elif pairs := _SPACED_TOKEN_RE.findall(text):  # these tile the text up to the last token
        seps, words = zip(*pairs, strict=True)
        pieces = list(words)
        lengths = list(map(len, pieces))
        ends = list(itertools.accumulate(map(operator.add, map(len, seps), lengths)))
        starts = list(map(operator.sub, ends, lengths))
    else:
        return [], [], []
    if _TRILLION_RE.search(text):
        # text2num 3.1 has no English "trillion": it reads "billion" there, scaled back later.
        pieces = ["billion" if p.lower() == "trillion" else p for p in pieces]
    return list(map(_Tok, pieces)), starts, ends


def _skipped(token: str) -> bool:
    return token == "-" or token[0] in " \t\n\r\f\v"  # a "-" or a run of ASCII spaces


@lru_cache(maxsize=1)
def _lib() -> Any:
    """The ``text_to_num`` module, imported on first use; None when it is not installed."""
    try:
        import text_to_num  # type: ignore[import-untyped]
    except ImportError:  # the hand rules still read "a million", "half a billion"
        return None
    return text_to_num


def _trillions(words: str, value: float) -> float:
    """``twenty-one trillion three hundred``: read each side of ``trillion`` on its own."""
    left, _, right = words.lower().partition("trillion")
    rest = right.strip(" -")
    rest = rest[4:] if rest.startswith("and ") else rest
    try:
        high = float(_lib().text2num(left.strip(" -"), "en"))
        return high * 1e12 + (float(_lib().text2num(rest, "en")) if rest else 0.0)
    except ValueError:
        return value


# Every word text2num may read as (part of) a number, plural and ordinal forms too
# ("Millions", "firsts", "O2"'s "O"), between letters only: what a stretch must not miss.
_CARDINALS: Final = (  # noqa: SIM905
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred thousand million billion trillion"
).split()
_ORDINALS: Final = (  # noqa: SIM905
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth "
    "thirtieth fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth "
    "thousandth millionth billionth trillionth"
).split()
_OTHERS: Final = "zero nought naught point dozen o oh".split()  # noqa: SIM905
_NUMBER_WORD_RE: Final = re.compile(
    r"(?<![A-Za-z])(?i:(?:"
    + "|".join(sorted(_CARDINALS + _ORDINALS + _OTHERS, key=len, reverse=True))
    + r")s?)(?![A-Za-z])",
    re.ASCII,
)
_WINDOW: Final = 24  # characters of context kept on each side of a number word


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of ``text`` around its number words, cut between tokens, merged if close.

    text2num reads a number from consecutive number words ("two hundred and five"), so
    a stretch that keeps a few words of context on each side reads every number in it
    as the whole text would; the rest of the article is never tokenised.
    """
    spans: list[tuple[int, int]] = []
    size = len(text)
    for m in _NUMBER_WORD_RE.finditer(text):
        a, b = max(0, m.start() - _WINDOW), min(size, m.end() + _WINDOW)
        while a > 0 and not text[a - 1].isspace():  # back to the start of a token
            a -= 1
        while b < size and not text[b].isspace():  # on to the end of one
            b += 1
        if spans and a <= spans[-1][1]:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _occurrences(text: str) -> list[tuple[int, int, Any]]:
    """``(start, end, occurrence)`` of each number text2num finds, offsets in ``text``."""
    lib = _lib()
    if lib is None:
        return []
    found = []
    for a, b in _windows(text):
        toks, starts, ends = _tokens(text[a:b])
        # threshold 0: "two pounds", "one mile" are numbers; the caller keeps only a
        # number before a unit, a scale word or a counted plural.
        for occ in lib.find_numbers(toks, "en", 0.0):
            found.append((a + starts[occ.start], a + ends[occ.end - 1], occ))
    return found


def _fmt(v: float) -> str:
    return repr(float(v)) if v != int(v) else str(int(v))


def word_numbers(text: str) -> list[tuple[int, int, str]]:
    """Spans of numbers in words and their mantissa, without a trailing scale word.

    ``"Twenty-one million people"`` gives ``[(0, 10, "21")]`` (the reader then takes
    ``million`` as the scale), ``"half a billion"`` gives ``[(0, 6, "0.5")]``,
    ``"two hundred and two thousand"`` gives ``[(0, 19, "202")]``. Ordinals, decades
    (``nineteen-eighties``) and numbers below three on their own are skipped.
    """
    if not _WORD_HINT_RE.search(text):
        return _dozens(text)
    out: list[tuple[int, int, str]] = []
    taken = 0
    for start, end, occ in _occurrences(text):
        words = text[start:end]
        if occ.is_ordinal or not words[:1].isalpha() or start < taken:
            continue
        if _DECADE_RE.match(text, end):
            continue  # "nineteen-eighties", "twenty-somethings"; "six-mile" is a number
        value = float(occ.value)
        if " trillion" in f" {words.lower()}" and not words.lower().rstrip().endswith("trillion"):
            value = _trillions(words, value)
        last = words.rsplit(None, 1)[-1].lower().rsplit("-", 1)[-1]
        exp = _SCALE_EXP.get(last, 0) if last != "hundred" or " " not in words else 0
        if exp and words.lower() == last:
            # A scale word on its own: "1.5 million" is the digit reader's, "a million" and
            # "half a million" are read by the hand rules.
            if text[max(0, start - 12) : start].rstrip()[-1:].isdigit():
                continue
            lead = _HALF_RE.search(text, max(0, start - 40), start)
            if lead is None:
                continue
            kind = lead.lastgroup
            if kind == "and_half":
                prev = [o for o in out if o[1] == lead.start()]
                if prev:
                    out.remove(prev[-1])
                    value, lead_start = float(prev[-1][2]) + 0.5, prev[-1][0]
                else:  # text2num skips "one" and "two" alone: "two and a half million"
                    word = re.search(r"(?i:\b(one|two))\Z", text[: lead.start()])
                    if word is None:
                        continue
                    value = 1.5 if word.group(1).lower() == "one" else 2.5
                    lead_start = word.start()
            else:
                factor = {"half": 0.5, "a": 1.0, "quarter": 0.25, "tq": 0.75, "third": 1 / 3,
                          "tt": 2 / 3}[kind or "a"]  # fmt: skip
                value, lead_start = factor, lead.start()
            if exp == 2:
                out.append((lead_start, end, _fmt(value * 100)))
            else:
                out.append((lead_start, len(text[:start].rstrip()), _fmt(value)))
            taken = end
            continue
        if exp > 2:
            # Leave the scale word to the digit reader: "21" then "million".
            cut = text.rfind(last, start, end)
            while cut > start and text[cut - 1] in " \t-":
                cut -= 1
            out.append((start, cut, _fmt(value / 10 ** min(exp, 9))))
        else:
            out.append((start, end, _fmt(value)))
        taken = end
    return sorted(out + _dozens(text))


_DOZEN_WORDS_RE: Final = re.compile(
    r"(?i:\b(half\s+)?an?\s+dozen\b)(?!\s+(?:or\s+)?(?:more|dozen))", re.ASCII
)

_DOZEN_HINT_RE: Final = re.compile(r"dozen", re.ASCII | re.IGNORECASE)


def _dozens(text: str) -> list[tuple[int, int, str]]:
    """``a dozen`` is 12, ``half a dozen`` 6; ``three dozen`` is read after the digits."""
    if _DOZEN_HINT_RE.search(text) is None:  # a literal search, much faster than the regex
        return []
    return [
        (m.start(), m.end(), "6" if m.group(1) else "12") for m in _DOZEN_WORDS_RE.finditer(text)
    ]
