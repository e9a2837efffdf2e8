"""The ``rules`` extractor: records from the candidate scanner, no model, no network.

Every record's evidence is a sentence of the article, verbatim, and every quote's text
is the quoted words, verbatim, so grounding is exact by construction. Rules:

* **Statistics**: each quantity the scanner finds with a metric and a unit, except a bracketed
  conversion (it becomes an equivalent of the amount it restates) and a value and unit
  already taken (the same figure stated twice is one statistic).
* **Quotes**: each quoted passage with a speaker.
* **Milestones**: a sentence with a date phrase that places an event (``in 2014``,
  ``in October 2021``, ``earlier this month``, ``on Monday``), one per sentence, dated by
  its first such phrase. Not a milestone: a sentence that reports a figure (money,
  percent or a count; a distance or duration does not count), a state since or until a
  date (``since``, ``by``, ``as of``, ``until``), a date inside a quote, and a source
  being released ("data released by the MIIT on Jan. 26"). ``event`` is the sentence,
  ``actors`` the names in it (people by the fullest name the article gives).
* **Summary**: the first two or three sentences of the body (headline, furniture,
  datelines and headings skipped).
"""

from __future__ import annotations

import re
from typing import Final

from summarizer.ground.scan import Candidates, DateCandidate, QuantityCandidate, Sentence, scan
from summarizer.records import (
    ExtractedMilestone,
    ExtractedQuote,
    ExtractedStatistic,
    Extraction,
    is_partial_iso_date,
)

__all__ = ["rules_extraction"]

_MAX_EVENT = 400
_NOT_EVENT_PREPS: Final = frozenset(
    {
        "since",
        "by",
        "until",
        "till",
        "as of",
        "through",
        "from",
        "by the end of",
        "until the end of",
    }
)
_SOURCE_RE: Final = re.compile(
    r"\b(?:released|published|issued|report|reports|survey|data|statistics|figures|poll|census)"
    r"\b[^.;]{0,30}$",
    re.IGNORECASE,
)
_VERB_UNITS: Final = frozenset("said says say told were was are is had have did".split())  # noqa: SIM905
_FIGURE_KINDS: Final = ("currency", "percent", "count")
_NAME_RE: Final = re.compile(
    r"[A-Z][\w’'-]*(?:[ \t]+(?:(?:of|for)[ \t]+(?:the[ \t]+)?)?[A-Z][\w’'-]*)*"
)
_NOT_ACTOR: Final = frozenset(
    "The A An In On At By For From With But And Or If When While After Before Since As Of To "  # noqa: SIM905
    "This That These Those It Its He She They We I His Her Their There Here During Under "
    "Over Through Also Last Next Earlier Later Meanwhile However Shortly Addressing Delivering "
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep "
    "Sept Oct Nov Dec".split()
)


def _unit_kind(unit: str | None, value_text: str) -> str:
    if unit is None:
        return "none"
    if unit.startswith("percent") or unit == "percentage points":
        return "percent"
    if re.fullmatch(r"[A-Z]{3}(?:/100)?(?: per \w+)?", unit):
        return "currency"
    return "measure" if unit.split()[0].rstrip("s") in value_text else "count"


def _statistics(c: Candidates) -> list[ExtractedStatistic]:
    out: list[ExtractedStatistic] = []
    seen: set[tuple[float, str | None]] = set()
    for q in c.quantities:
        if q.equivalent_of is not None or not q.metric or q.unit is None:
            continue  # a number with no unit says too little to be a record
        if q.unit in _VERB_UNITS:
            continue  # "34 said": a count read off a verb is no unit
        key = (q.value, q.unit)
        if key in seen:
            continue
        seen.add(key)
        period = q.period if q.period and is_partial_iso_date(q.period) else None
        out.append(
            ExtractedStatistic(
                metric=q.metric,
                value=q.value,
                unit=q.unit,
                value_text=q.text,
                period=period,
                evidence=q.sentence.text,
            )
        )
    return out


def _quotes(c: Candidates) -> list[ExtractedQuote]:
    return [
        ExtractedQuote(
            speaker=q.speaker, speaker_role=q.speaker_role, text=q.text, evidence=q.sentence.text
        )
        for q in c.quotes
        if q.speaker
    ]


def _event_date(
    s: Sentence, quantities: list[QuantityCandidate], dates: list[DateCandidate], text: str
) -> DateCandidate | None:
    """The date phrase that makes sentence ``s`` a milestone, or None when it is not one.

    ``quantities`` and ``dates``: the candidates found in ``s``.
    """
    if s.heading:
        return None
    figures = [
        q
        for q in quantities
        if q.equivalent_of is None and _unit_kind(q.unit, q.text) in _FIGURE_KINDS
    ]
    if figures:
        return None
    for d in dates:
        if d.in_quote or d.preposition in _NOT_EVENT_PREPS:
            continue
        if _SOURCE_RE.search(text, s.start, d.start):
            continue
        return d
    return None


def _actors(sentence: str, c: Candidates) -> list[str]:
    out: list[str] = []
    for m in _NAME_RE.finditer(sentence):
        words = m.group(0).split()
        while words and words[0] in _NOT_ACTOR:
            words = words[1:]
        if not words:
            continue
        name = " ".join(words)
        keys = set(words)
        person = next((p for p in c.persons if keys <= set(p.keys)), None)
        if person is not None:
            name = person.name
        elif len(words) == 1 and m.start() == 0:
            continue  # a sentence's first word is capitalised anyway
        if name not in out:
            out.append(name)
    return out


def _milestones(c: Candidates, text: str) -> list[ExtractedMilestone]:
    out: list[ExtractedMilestone] = []
    # Each sentence's candidates, grouped once (sentences do not overlap: by start).
    quantities: dict[int, list[QuantityCandidate]] = {}
    for q in c.quantities:
        quantities.setdefault(q.sentence.start, []).append(q)
    dates: dict[int, list[DateCandidate]] = {}
    for found in c.dates:
        dates.setdefault(found.sentence.start, []).append(found)
    for s in c.sentences:
        d = _event_date(s, quantities.get(s.start, []), dates.get(s.start, []), text)
        if d is None:
            continue
        date = d.date if d.date and is_partial_iso_date(d.date) else None
        event = s.text if len(s.text) <= _MAX_EVENT else s.text[: _MAX_EVENT - 1] + "…"
        out.append(
            ExtractedMilestone(date=date, event=event, actors=_actors(s.text, c), evidence=s.text)
        )
    return out


def _summary(c: Candidates) -> str:
    picked: list[str] = []
    for s in c.sentences:
        if s.heading or len(s.text.split()) < 6:
            continue
        picked.append(s.text)
        if len(picked) == 3 or (len(picked) == 2 and sum(map(len, picked)) > 400):
            break
    return " ".join(picked)


def rules_extraction(
    text: str, *, reference_date: str | None = None, title: str | None = None
) -> Extraction:
    """Records of one article from the candidate scanner alone (see the module docstring).

    ``reference_date`` (the article's date, ISO) resolves relative dates; ``title`` is
    the headline line, whose figures are not records. Never raises on any ``str``.
    """
    c = scan(text, reference_date=reference_date, title=title)
    return Extraction(
        summary=_summary(c),
        milestones=_milestones(c, text),
        statistics=_statistics(c),
        quotes=_quotes(c),
    )
