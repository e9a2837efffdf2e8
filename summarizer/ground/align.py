"""Grounding: find where a span the model quoted sits in the article text.

:func:`locate` tries three stages, cheapest first, and stops at the first hit:

1. **exact**: ``text.find(span)``.
2. **exact up to typography**: both strings are normalised (case; runs of
   whitespace, including newlines, tabs, NBSP and thin spaces, become one space;
   zero-width characters and soft hyphens are dropped; curly quotes, primes and
   guillemets become ``'`` or ``"``; hyphen and dash variants and the minus sign
   become ``-``; ``…`` becomes ``...``) and searched again. An index map built
   while normalising takes the offsets back to the original text. This is
   reported as ``match="exact"`` with score 100: the same characters, typeset
   differently.
3. **fuzzy**: :func:`rapidfuzz.fuzz.partial_ratio_alignment` on the normalised
   strings finds the best window (near ``start_hint`` first, then anywhere),
   whose edges are then moved to word or punctuation boundaries to maximise
   :func:`rapidfuzz.fuzz.ratio` against the span, so a dropped or added word is
   covered whole. Accepted when that ratio is at least ``threshold``, which is
   also the reported score.

The normalised text of the last few articles is cached, so grounding every
record of one article normalises it once, and only when some record is not
found verbatim.

Whatever the stage, offsets index the original text: ``text[s.start:s.end]``
is the stretch of the article that was matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from rapidfuzz import fuzz

__all__ = [
    "DEFAULT_THRESHOLD",
    "MAX_FUZZY_CHARS",
    "MIN_FUZZY_CHARS",
    "Span",
    "find_all",
    "locate",
]

DEFAULT_THRESHOLD = 90.0
"""Lowest fuzzy score accepted. 90 lets through a dropped or changed word in a
typical 100 to 250 character evidence sentence (scores 93 to 98), while an
invented sentence on the same topic scores 50 to 75."""

MIN_FUZZY_CHARS = 20
"""Shorter spans (names, numbers, short quotes) must match up to typography:
one changed character in them changes the meaning and still scores about 90."""

MAX_FUZZY_CHARS = 500
"""Longer spans are not matched fuzzily, which bounds the search: it costs about
len(text) * len(span) plus a term that grows with the cube of len(span). For a
200,000-character article a 100-character span takes about 2 ms and a
500-character one about 15 ms. Evidence is a sentence, not a page."""

_HINT_WINDOW = 2_000
"""With a ``start_hint``, fuzzy search first looks this far either side of it."""

_SINGLE_QUOTES = "‘’‚‛′‵‹›"
_DOUBLE_QUOTES = "“”„‟″‶«»"
_DASHES = "‐‑‒–—―−⁃﹘﹣－"
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


def _build_replacements() -> tuple[tuple[str, str], ...]:
    pairs = [(c, "'") for c in _SINGLE_QUOTES]
    pairs += [(c, '"') for c in _DOUBLE_QUOTES]
    pairs += [(c, "-") for c in _DASHES]
    # Every character for which str.isspace() holds is below U+3001.
    pairs += [(chr(i), " ") for i in range(0x3001) if chr(i).isspace() and i != 0x20]
    # "İ".lower() is two code points; mapping it first keeps lower() one-to-one.
    pairs.append(("İ", "I"))
    return tuple(pairs)


# One-to-one replacements. A chain of C-level `in` and `replace` calls is about
# twenty times faster than str.translate with a dict on non-ASCII text.
_REPLACEMENTS = _build_replacements()
_ASCII_REPLACEMENTS = tuple((old, new) for old, new in _REPLACEMENTS if old.isascii())
# Then the steps that change lengths: runs of spaces (and invisible characters)
# collapse to one space, lone invisible characters go, the ellipsis grows to three.
_RESHAPE = re.compile(f"[ {_INVISIBLE}]{{2,}}|[{_INVISIBLE}]|…")
_RESHAPED = _INVISIBLE + "…"
_SPACE_RUN = re.compile("  +")  # the common case, searched by literal prefix
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a span was found: ``text[start:end]`` in the original text."""

    start: int
    end: int
    match: Literal["exact", "fuzzy"]
    score: float


class _Normalised(NamedTuple):
    """Normalised text and a piecewise map back to the original.

    Segment k starts at ``norm[k]`` in the normalised text and at ``orig[k]`` in
    the original; a copied segment (``copied[k]``) advances both together, any
    other (a collapsed space run, an expanded ellipsis) maps all its characters
    to the one original character ``orig[k]``. No segments means identity.
    """

    text: str
    norm: list[int]
    orig: list[int]
    copied: list[bool]

    def to_orig(self, i: int) -> int:
        if not self.norm:
            return i
        k = bisect_right(self.norm, i) - 1
        return self.orig[k] + (i - self.norm[k]) * self.copied[k]

    def to_norm(self, offset: int) -> int:
        """The first normalised offset whose original offset is at least ``offset``."""
        if not self.norm:
            return offset
        k = bisect_right(self.orig, offset) - 1
        if k < 0:
            return 0
        if offset == self.orig[k]:
            return self.norm[k]
        seg_end = self.norm[k + 1] if k + 1 < len(self.norm) else len(self.text)
        if self.copied[k]:
            return min(self.norm[k] + offset - self.orig[k], seg_end)
        return seg_end

    def span(self, start: int, end: int, match: Literal["exact", "fuzzy"], score: float) -> Span:
        return Span(self.to_orig(start), self.to_orig(end - 1) + 1, match, score)

    def whole(self, start: int, end: int) -> bool:
        """True unless [start, end) cuts through the expansion of one character."""
        if not self.norm:
            return True
        return (start == 0 or self.to_orig(start - 1) != self.to_orig(start)) and (
            end == len(self.text) or self.to_orig(end) != self.to_orig(end - 1)
        )


def _normalise(s: str) -> _Normalised:
    """Normalise typography in linear time, keeping a map back to ``s``."""
    t = s
    for old, new in _ASCII_REPLACEMENTS if s.isascii() else _REPLACEMENTS:
        if old in t:
            t = t.replace(old, new)
    t = t.lower()
    if "ς" in t:  # lower() picks the final sigma by context; a cut span has none.
        t = t.replace("ς", "σ")
    reshape = _RESHAPE if not t.isascii() and any(c in t for c in _RESHAPED) else _SPACE_RUN
    pieces: list[str] = []
    norm: list[int] = []
    orig: list[int] = []
    copied: list[bool] = []
    size = pos = 0
    for m in reshape.finditer(t):
        a, b = m.span()
        if a > pos:
            norm.append(size)
            orig.append(pos)
            copied.append(True)
            pieces.append(t[pos:a])
            size += a - pos
        g = m.group()
        new = "..." if g == "…" else " " if " " in g else ""
        if new:
            norm.append(size)
            orig.append(a + g.find(" ") if new == " " else a)
            copied.append(False)
            pieces.append(new)
            size += len(new)
        pos = b
    if not norm and pos == 0:
        return _Normalised(t, [], [], [])
    if pos < len(t):
        norm.append(size)
        orig.append(pos)
        copied.append(True)
        pieces.append(t[pos:])
    return _Normalised("".join(pieces), norm, orig, copied)


# Records of one article are grounded one after another against the same text.
_normalised_text = lru_cache(maxsize=4)(_normalise)


def _nearest_exact(span: str, text: str, hint: int | None) -> int:
    """Offset of the occurrence of ``span`` nearest ``hint`` (the first if None), or -1."""
    if hint is None:
        return text.find(span)
    hint = min(max(hint, 0), len(text))
    before = text.rfind(span, 0, hint + len(span))
    after = text.find(span, hint + 1)
    if before < 0 or (after >= 0 and after - hint < hint - before):
        return after
    return before


def _occurrences(norm: _Normalised, needle: str, start: int, step: int) -> int:
    """First whole occurrence at or after ``start`` (step 1) or at or before it (step -1)."""
    text = norm.text
    while 0 <= start <= len(text):
        i = text.find(needle, start) if step > 0 else text.rfind(needle, 0, start + len(needle))
        if i < 0 or norm.whole(i, i + len(needle)):
            return i
        start = i + step
    return -1


def _nearest_normalised(norm: _Normalised, needle: str, hint: int | None) -> Span | None:
    if hint is None:
        i = _occurrences(norm, needle, 0, 1)
        return None if i < 0 else norm.span(i, i + len(needle), "exact", 100.0)
    hint = max(hint, 0)
    h = norm.to_norm(hint)
    spans = [
        norm.span(i, i + len(needle), "exact", 100.0)
        for i in (_occurrences(norm, needle, h, -1), _occurrences(norm, needle, h + 1, 1))
        if i >= 0
    ]
    return min(spans, key=lambda s: (abs(s.start - hint), s.start), default=None)


def _is_word(c: str) -> bool:
    return c.isalnum() or c == "_"


def _refine(text: str, needle: str, start: int, end: int) -> tuple[int, int, float]:
    """Move the edges of ``text[start:end]`` to word boundaries, maximising the ratio."""
    slack = len(needle) // 4 + 8
    lo, hi = max(0, start - slack), min(len(text), end + slack)
    starts: list[int] = []
    ends: list[int] = []
    for m in _TOKEN.finditer(text, lo, hi):
        a, b = m.span()
        if a == 0 or not (_is_word(text[a - 1]) and _is_word(text[a])):
            starts.append(a)
        if b == len(text) or not (_is_word(text[b - 1]) and _is_word(text[b])):
            ends.append(b)
    starts = starts or [start]  # text without spaces, e.g. Chinese: keep the window
    ends = ends or [end]
    s = min(starts, key=lambda c: abs(c - start))
    e = min((c for c in ends if c > s), key=lambda c: abs(c - end), default=max(end, s + 1))
    best = fuzz.ratio(needle, text[s:e])
    for _ in range(3):  # coordinate ascent: a few rounds settle both edges
        moved = False
        for c in starts:
            if c < e and (score := fuzz.ratio(needle, text[c:e], score_cutoff=best)) > best:
                s, best, moved = c, score, True
        for c in ends:
            if c > s and (score := fuzz.ratio(needle, text[s:c], score_cutoff=best)) > best:
                e, best, moved = c, score, True
        if not moved:
            break
    return s, e, best


def _fuzzy(norm: _Normalised, needle: str, hint: int | None, threshold: float) -> Span | None:
    if not MIN_FUZZY_CHARS <= len(needle) <= MAX_FUZZY_CHARS or not threshold <= 100:
        return None
    text = norm.text
    regions = [(0, len(text))]
    if hint is not None and len(text) > len(needle) + 2 * _HINT_WINDOW:
        h = norm.to_norm(max(hint, 0))
        regions.insert(
            0, (max(0, h - _HINT_WINDOW), min(len(text), h + len(needle) + _HINT_WINDOW))
        )
    cutoff = max(0.0, threshold - 10)  # the window score is a first cut; the refined ratio decides
    for lo, hi in regions:
        al = fuzz.partial_ratio_alignment(needle, text[lo:hi], score_cutoff=cutoff)
        if al is None:
            continue
        s, e, score = _refine(text, needle, lo + al.dest_start, lo + al.dest_end)
        if score >= threshold:
            return norm.span(s, e, "fuzzy", score)
    return None


def locate(
    span: str,
    text: str,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    start_hint: int | None = None,
) -> Span | None:
    """Find ``span`` in ``text``: exactly, up to typography, then fuzzily.

    When the span occurs several times, the occurrence nearest ``start_hint`` wins
    (the first one without a hint); an exact occurrence anywhere beats a
    normalised one, which beats a fuzzy one. Fuzzy matching needs a span of
    :data:`MIN_FUZZY_CHARS` to :data:`MAX_FUZZY_CHARS` characters and a score of
    at least ``threshold`` (0 to 100); with a hint it searches near the hint first.
    Returns None for an empty or blank span or text, or when nothing is good enough.
    """
    if not span or not text or span.isspace():
        return None
    i = _nearest_exact(span, text, start_hint)
    if i >= 0:
        return Span(i, i + len(span), "exact", 100.0)
    needle = _normalise(span).text.strip(" ")
    if not needle:
        return None
    norm = _normalised_text(text)
    found = _nearest_normalised(norm, needle, start_hint)
    if found is not None:
        return found
    return _fuzzy(norm, needle, start_hint, threshold)


def find_all(span: str, text: str) -> list[Span]:
    """Every non-overlapping occurrence of ``span`` in ``text``, up to typography, in order."""
    if not span or not text or span.isspace():
        return []
    needle = _normalise(span).text.strip(" ")
    if not needle:
        return []
    norm = _normalised_text(text)
    found: list[Span] = []
    i = _occurrences(norm, needle, 0, 1)
    while i >= 0:
        found.append(norm.span(i, i + len(needle), "exact", 100.0))
        i = _occurrences(norm, needle, i + len(needle), 1)
    return found
