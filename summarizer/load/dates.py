"""The date an article was published, read from its page or its first lines.

:func:`find_article_date` gives the reference date that relative phrases ("last year",
"on Monday", "July 14") are resolved against. It looks, in order of trust:

1. **HTML metadata** (when the page is given): ``article:published_time`` and the other
   publication ``<meta>`` tags, JSON-LD ``datePublished``, ``itemprop="datePublished"``,
   then the first ``<time datetime>``.
2. **A date line** near the top: ``Published: 3 March 2015``, ``Updated 12:30 GMT,
   Monday, 2 May 2005``, or a line that is only a date (``14 July 2023``).
3. **A dateline**: ``BEIJING, July 14 (Xinhua) --``. A dateline carries no year, so it
   gives a date only with a year nearby (in its own line or the lines above it); else
   None, rather than a guessed year.

Only a day (``YYYY-MM-DD``) or a month (``YYYY-MM``) is returned: a year alone is too
coarse to resolve "last month". Stdlib regex only: this module sits below
:mod:`summarizer.ground` (which resolves phrases against the date found here), so it
reads the few absolute forms a page header uses itself: ``3 March 2015``, ``March 3,
2015``, ``2015-03-03``, ``Mon, 02 May 2005 12:30:00 GMT``.
"""

from __future__ import annotations

import datetime as _dt
import html as _html
import re
from typing import Final

__all__ = ["find_article_date"]

_HEAD_CHARS: Final = 1500  # the date of a page sits above its first paragraphs
_HEAD_LINES: Final = 12

_ATTR = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""
# Publication <meta> names and properties, most specific first.
_META_NAMES: Final = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "publishdate",
    "publish-date",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
    "date",
)
_META_RE: Final = re.compile(rf"<meta\b{_ATTR}>", re.IGNORECASE)
_ATTR_RE: Final = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
_JSONLD_RE: Final = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_TIME_RE: Final = re.compile(rf"<time\b{_ATTR}>", re.IGNORECASE)
_ISO_RE: Final = re.compile(r"\s*(\d{4})-(\d{2})(?:-(\d{2}))?")

_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE_LINE_RE: Final = re.compile(
    r"^\s*(?:(?:first\s+)?published|updated|last\s+updated|posted|date|released|issued)"
    r"(?:\s+(?:on|at))?\s*[:\-–—]?\s*(?P<rest>.{4,80})$",
    re.IGNORECASE,
)
_BARE_DATE_RE: Final = re.compile(
    rf"^[\s|,]*(?:[\d:.]+\s*(?:[AaPp]\.?[Mm]\.?|GMT|BST|UTC|[A-Z]{{3}})?,?\s*)?"
    rf"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?,?\s+)?"
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MON},?\s+\d{{4}}|{_MON}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}})(?:[\sT,]+[\d:.]+\s*(?:[AaPp]\.?[Mm]\.?|GMT|BST|UTC|[A-Z]{{3}})?)?"
    r"[\s|]*$"
)
_DATELINE_RE: Final = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z.'’-]*\s?){{1,4}},\s+(?P<date>{_MON}\s+\d{{1,2}}|\d{{1,2}}\s+{_MON})"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d))?\s*(?:\((?P<agency>[^)]{1,30})\))?\s*[-–—:]"
)
_YEAR_RE: Final = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20\d\d)(?![\d%])")
_MONTHS: Final = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}  # fmt: skip
_ABS_RE: Final = re.compile(
    rf"(?P<iso>(?<!\d)(?P<iy>\d{{4}})-(?P<im>\d{{2}})(?:-(?P<id>\d{{2}}))?(?!\d))"
    rf"|(?P<dmy>(?<![\d$£€])(?P<dd>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MON}),?\s+(?P<dy>\d{{4}}))"
    rf"|(?P<mdy>(?P<mm>{_MON})\s+(?P<md>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<my>\d{{4}}))"
    rf"|(?P<my2>(?P<m2>{_MON}),?\s+(?P<y2>\d{{4}}))"
)


def parse_period(text: str) -> str | None:
    """The first absolute date in ``text``: ``YYYY-MM-DD`` or ``YYYY-MM``, else None."""
    m = _ABS_RE.search(text)
    if m is None:
        return None
    if m.group("iso"):
        y, mo, d = m.group("iy"), int(m.group("im")), m.group("id")
        parts = (int(y), mo, int(d) if d else None)
    elif m.group("dmy"):
        parts = (int(m.group("dy")), _month(m.group("dm")), int(m.group("dd")))
    elif m.group("mdy"):
        parts = (int(m.group("my")), _month(m.group("mm")), int(m.group("md")))
    else:
        parts = (int(m.group("y2")), _month(m.group("m2")), None)
    y, mo, d = parts
    try:
        _dt.date(y, mo, d or 1)
    except ValueError:
        return None
    return f"{y:04d}-{mo:02d}" + (f"-{d:02d}" if d else "")


def _month(name: str) -> int:
    return _MONTHS[name.rstrip(".").lower()[:3]]


def _precise(found: str | None) -> str | None:
    """``found`` when it names a month or a day, else None."""
    return found if found is not None and len(found) >= 7 else None


def _iso(value: str) -> str | None:
    value = _html.unescape(value).strip()
    m = _ISO_RE.match(value)
    if m is not None:
        y, mo, d = m.groups()
        got = f"{y}-{mo}" + (f"-{d}" if d else "")
        return _precise(parse_period(got))
    return _precise(parse_period(value))


def _attrs(tag: str) -> dict[str, str]:
    return {k.lower(): a or b or c for k, a, b, c in _ATTR_RE.findall(tag)}


def _from_html(page: str) -> str | None:
    metas: dict[str, str] = {}
    for tag in _META_RE.findall(page):
        attrs = _attrs(tag)
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and "content" in attrs:
            metas.setdefault(key, attrs["content"])
    for name in _META_NAMES[:-1]:
        if name in metas and (found := _iso(metas[name])) is not None:
            return found
    for value in _JSONLD_RE.findall(page):
        if (found := _iso(value)) is not None:
            return found
    tags = _TIME_RE.findall(page)
    # A <time> marked as the publication date first, then the first <time> of the page.
    tags.sort(key=lambda tag: not re.search(r"\bpubdate\b|datePublished", tag))
    for attrs in map(_attrs, tags):
        if "datetime" in attrs and (found := _iso(attrs["datetime"])) is not None:
            return found
    if "date" in metas:
        return _iso(metas["date"])
    return None


def _from_text(text: str) -> str | None:
    lines = text[:_HEAD_CHARS].splitlines()[:_HEAD_LINES]
    for line in lines:
        m = _DATE_LINE_RE.match(line)
        if m is not None and (found := _precise(parse_period(m.group("rest")))) is not None:
            return found
        bare = len(line) <= 80 and _BARE_DATE_RE.match(line) is not None
        if bare and (found := _precise(parse_period(line))) is not None:
            return found
    for i, line in enumerate(lines):
        m = _DATELINE_RE.match(line)
        if m is None:
            continue
        year = m.group("year")
        if year is None:
            # A year nearby: the dateline's own line, or a line above it.
            above = " ".join([*lines[:i], line])
            years = _YEAR_RE.findall(above)
            year = years[-1] if years else None
        if year is None:
            return None
        return _precise(parse_period(f"{m.group('date')} {year}"))
    return None


def find_article_date(text: str, *, html: str | None = None) -> str | None:
    """The article's publication date as ``YYYY-MM-DD`` (or ``YYYY-MM``), else None.

    ``html`` is the page the text came from, when there is one: its metadata is trusted
    before the text. ``"BEIJING, July 14 (Xinhua) --"`` has no year and gives None unless
    a year is written nearby; ``"Published: 3 March 2015"`` gives ``"2015-03-03"``.
    """
    if html and (found := _from_html(html)) is not None:
        return found
    return _from_text(text or "")
