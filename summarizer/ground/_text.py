"""Text layout for the scanner: content mask, paragraphs, datelines and sentences.

Private: :mod:`summarizer.ground.scan` is the public module. Everything here works on
the article text as loaded and returns offsets into it, so a span's text is always
``text[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from summarizer.load.documents import strip_boilerplate

__all__ = ["Sentence", "content_mask", "dateline_end", "paragraphs", "split_sentences"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence (or a heading line) of the article: ``text == article[start:end]``."""

    start: int
    end: int
    text: str
    paragraph: int  # index of the paragraph (line) it belongs to
    heading: bool = False  # a line with no sentence-final punctuation: a headline or heading


def content_mask(text: str, *, title: str | None = None) -> str:
    """``text`` with site furniture and the headline blanked to spaces, offsets unchanged.

    The furniture is what :func:`summarizer.load.documents.strip_boilerplate` drops
    (breadcrumbs, "See also", cookie banners, the tail after "You may also like",
    legal disclaimers): the lines it keeps are a subsequence of the text's lines, so
    walking both in order tells which lines to blank. The headline (``title``, its
    first occurrence as a whole line) is blanked too: it restates the body.
    """
    kept = strip_boilerplate(text).split("\n")
    out: list[str] = []
    k = 0
    title_done = title is None or not title.strip()
    for line in text.split("\n"):
        keep = k < len(kept) and line == kept[k]
        if keep:
            k += 1
        if keep and not title_done and line.strip() == (title or "").strip():
            keep, title_done = False, True
        out.append(line if keep else " " * len(line))
    return "\n".join(out)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the non-blank lines, whitespace trimmed (a line is a paragraph in news text)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        pos += len(line) + 1
    return spans


# "BEIJING, July 14 (Xinhua) —", "LONDON (Reuters) -", "WASHINGTON, Dec. 3 --"
_DATELINE_RE: Final = re.compile(
    r"[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z]{1,9}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"(?:\s*\([A-Za-z][\w .'’-]{0,30}\))?\s*(?:—|–|--|-)\s+"
)


def dateline_end(text: str, start: int, end: int) -> int:
    """Where a paragraph's body starts after a news-agency dateline, else ``start``."""
    m = _DATELINE_RE.match(text, start, end)
    if m is None:
        return start
    head = text[start : m.end()]
    # An agency in brackets or a date makes it a dateline; a bare capitalised word and a
    # dash could be a sentence ("UN - the body ...") only when it is not all capitals.
    caps = head.split(",")[0].split("(")[0].strip(" —–-")
    if "(" in head or "," in head or (caps.isupper() and len(caps) > 2):
        return m.end()
    return start


# Words after which a full stop does not end a sentence.
_ABBREVIATIONS: Final = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "rev",
        "gov",
        "sen",
        "rep",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vs",
        "v",
        "inc",
        "ltd",
        "co",
        "corp",
        "bros",
        "dept",
        "est",
        "approx",
        "fig",
        "cf",
        "al",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "mt",
        "ft",
    ]
)
_BOUNDARY_RE: Final = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘'(\[]?[A-Z0-9])")
_WORD_BEFORE_RE: Final = re.compile(r"([A-Za-z][A-Za-z.]*)$")


def _ends_sentence(text: str, dot: int) -> bool:
    """True unless the ``.`` at ``dot`` closes an abbreviation or an initial."""
    if text[dot] != ".":
        return True
    m = _WORD_BEFORE_RE.search(text, max(0, dot - 12), dot)
    if m is None:
        return True
    word = m.group(1)
    low = word.lower()
    if low in _ABBREVIATIONS or low.rstrip(".") in _ABBREVIATIONS:
        return False
    # "J. K. Rowling" and "U.S." (letters with inner dots) are not ends.
    return not ((len(word) == 1 and word.isupper()) or "." in word)


_TERMINAL: Final = tuple(".!?\"'”’:;)")


def split_sentences(text: str, spans: list[tuple[int, int]] | None = None) -> list[Sentence]:
    """Sentences of every paragraph, in order, with exact offsets.

    A full stop after an abbreviation (``Mr.``, ``Dr.``, ``Jan.``), an initial or a
    dotted acronym (``U.S.``) does not end a sentence. A paragraph that does not end
    with sentence punctuation and has a single segment is a heading.
    """
    out: list[Sentence] = []
    for index, (p_start, p_end) in enumerate(paragraphs(text) if spans is None else spans):
        start = dateline_end(text, p_start, p_end)
        pieces: list[tuple[int, int]] = []
        for m in _BOUNDARY_RE.finditer(text, start, p_end):
            first = m.start()
            last_punct = first
            while last_punct + 1 < m.end() and text[last_punct + 1] in ".!?":
                last_punct += 1
            if not _ends_sentence(text, last_punct):
                continue
            pieces.append((start, m.end()))
            start = m.end()
            while start < p_end and text[start].isspace():
                start += 1
        if start < p_end:
            pieces.append((start, p_end))
        heading = len(pieces) == 1 and not text[p_start:p_end].rstrip().endswith(_TERMINAL)
        for s, e in pieces:
            out.append(Sentence(s, e, text[s:e], index, heading))
    return out
