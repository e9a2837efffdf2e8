"""Chunking: split a long article into overlapping pieces that fit one request.

Each :class:`Chunk` keeps its offsets in the article, so a record found in a
chunk is grounded against the whole article with ``start_hint=chunk.start``.

A chunk ends at the best break in the second half of its ``max_chars`` window,
trying in turn a blank line, a line break, the end of a sentence and any
whitespace, and cutting mid-word only when there is none. The next chunk starts
up to ``overlap_chars`` earlier, at the first sentence or paragraph start in that
stretch (else the first word start), so a record that straddles the cut is seen
whole by one of the two requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["CHARS_PER_TOKEN", "DEFAULT_OVERLAP_CHARS", "Chunk", "estimate_tokens", "split_text"]

DEFAULT_OVERLAP_CHARS = 200
"""About one sentence of news prose."""

CHARS_PER_TOKEN = 4
"""English averages about four characters per token in GPT-style BPE vocabularies."""

_PARAGRAPH = re.compile(r"\n[^\S\n]*\n\s*")
_LINE = re.compile(r"\n\s*")
# A sentence end: terminal punctuation, closing quotes or brackets, then
# whitespace; CJK full stops need no whitespace after them.
_SENTENCE = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|[。！？]+[」』”’)]*\s*")
_SPACE = re.compile(r"\s+")
_CHUNK_ENDS = (_PARAGRAPH, _LINE, _SENTENCE, _SPACE)
_LOOK_BACK = 8
_OVERLAP_STARTS = (re.compile(f"{_LINE.pattern}|{_SENTENCE.pattern}"), _SPACE)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of an article: ``text == article[start:end]``."""

    index: int
    start: int
    end: int
    text: str


def estimate_tokens(text: str) -> int:
    """Estimate tokens from characters, without a tokenizer.

    ASCII counts :data:`CHARS_PER_TOKEN` characters per token; every other
    character counts one token, since CJK text runs about one token per
    character and this errs on the safe (high) side for accented Latin letters,
    curly quotes and other scripts.
    """
    if not text:
        return 0
    ascii_chars = len(text) if text.isascii() else len(text.encode("ascii", "ignore"))
    return -(-ascii_chars // CHARS_PER_TOKEN) + (len(text) - ascii_chars)


def _last_break(text: str, pattern: re.Pattern[str], lo: int, hi: int) -> int | None:
    """The end of the last match of ``pattern`` inside ``text[lo:hi]``, if any."""
    end = None
    for m in pattern.finditer(text, lo, hi):
        end = m.end()
    return end


def _chunk_end(text: str, start: int, max_chars: int) -> int:
    hi = start + max_chars
    # Breaks only in the second half keep chunks at least half full.
    lo = start + max_chars // 2
    for pattern in _CHUNK_ENDS:
        end = _last_break(text, pattern, lo, hi)
        if end is not None and end > lo:
            return end
    return hi


def _next_start(text: str, start: int, end: int, overlap_chars: int) -> int:
    if overlap_chars == 0:
        return end
    lo = max(start + 1, end - overlap_chars)
    # Look a little before lo too, so that a break ending exactly at lo is seen.
    for pattern in _OVERLAP_STARTS:
        for m in pattern.finditer(text, max(start, lo - _LOOK_BACK), end):
            if lo <= m.end() < end:
                return m.end()
    return lo


def split_text(
    text: str, *, max_chars: int, overlap_chars: int = DEFAULT_OVERLAP_CHARS
) -> list[Chunk]:
    """Split ``text`` into chunks of at most ``max_chars`` characters.

    Chunks are in order, cover every character, and each starts after the one
    before it and at most ``overlap_chars`` before that one's end. Text of up to
    ``max_chars`` characters (including empty text) gives one chunk. Raises
    ValueError unless ``max_chars`` is positive and more than twice
    ``overlap_chars``, which must not be negative (each chunk then moves on by
    at least half its window less the overlap).
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be at least 1, got {max_chars}")
    if overlap_chars < 0:
        raise ValueError(f"overlap_chars must not be negative, got {overlap_chars}")
    if max_chars <= 2 * overlap_chars:
        raise ValueError(
            f"max_chars ({max_chars}) must be more than twice overlap_chars ({overlap_chars}); "
            "raise max_chars or pass a smaller overlap_chars"
        )
    chunks: list[Chunk] = []
    start = 0
    while True:
        if len(text) - start <= max_chars:
            chunks.append(Chunk(len(chunks), start, len(text), text[start:]))
            return chunks
        end = _chunk_end(text, start, max_chars)
        chunks.append(Chunk(len(chunks), start, end, text[start:end]))
        start = _next_start(text, start, end, overlap_chars)
