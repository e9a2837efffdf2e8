"""Answers for the fake endpoint: the article and schema a request asks about, answered by rules.

An ``Extraction`` request (``--strategy generate``) gets records; a ``Labels`` request
(``--strategy candidates``) gets labels for the numbered candidates it shows.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from summarizer.testing import _rules as rules

__all__ = [
    "Responder",
    "article_text",
    "extractive_responder",
    "labels_responder",
    "message_text",
    "requested_schema",
]

Responder = Callable[[dict[str, Any]], dict[str, Any] | str]
"""Receives the parsed request body; returns the answer as a dict (sent as JSON) or a raw string."""

# The prompt puts the article between lines holding only these markers; the loose
# form is a fallback for prompts that inline them.
_ARTICLE_LINES = re.compile(r"^[ \t]*<article>[ \t]*\n(.*?)\n[ \t]*</article>[ \t]*$", re.M | re.S)
_ARTICLE_INLINE = re.compile(r"<article>(.*?)</article>", re.S)


def message_text(message: Mapping[str, Any]) -> str:
    """The text of one chat message, whether ``content`` is a string or a list of parts."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, Mapping) and part.get("type") == "text"
        )
    return ""


def _article_message(request: Mapping[str, Any]) -> str:
    """The latest user message holding ``<article>`` (a re-ask appends messages without
    it), else the last user message, else ``""``."""
    messages = request.get("messages")
    if not isinstance(messages, list):
        return ""
    user_texts = [
        message_text(m) for m in messages if isinstance(m, Mapping) and m.get("role") == "user"
    ]
    for text in reversed(user_texts):
        if _ARTICLE_LINES.search(text) or _ARTICLE_INLINE.search(text):
            return text
    return user_texts[-1] if user_texts else ""


def article_text(request: Mapping[str, Any]) -> str:
    """The article a chat request is about.

    The text between the ``<article>`` and ``</article>`` lines of the latest user
    message that has them (a re-ask appends messages without the article), else
    the whole last user message, else ``""``.
    """
    text = _article_message(request)
    match = _ARTICLE_LINES.search(text) or _ARTICLE_INLINE.search(text)
    return match.group(1).strip("\n") if match else text


# --------------------------------------------------------------------------- schema

# The answer schemas of the two strategies (summarizer.records.Extraction and
# summarizer.extract.candidates.Labels); a test checks the names still match.
EXTRACTION_SCHEMA = "Extraction"
LABELS_SCHEMA = "Labels"
_SCHEMA_TITLE = re.compile(r'"title"\s*:\s*"([^"\\]+)"')


def tool_name(request: Mapping[str, Any]) -> str | None:
    """The function a request forces (``tool_choice``), else its first tool, else ``None``."""
    choice = request.get("tool_choice")
    if isinstance(choice, Mapping):
        function = choice.get("function")
        if isinstance(function, Mapping) and function.get("name"):
            return str(function["name"])
        if choice.get("name"):
            return str(choice["name"])
    for tool in request.get("tools") or []:
        if isinstance(tool, Mapping):
            function = tool.get("function")
            if isinstance(function, Mapping) and function.get("name"):
                return str(function["name"])
            if tool.get("name"):
                return str(tool["name"])
    return None


def requested_schema(request: Mapping[str, Any]) -> str | None:
    """The name of the answer schema a request asks for, or ``None`` when it names none.

    The forced tool's name (instructor ``Mode.TOOLS``), the ``json_schema`` name
    (``Mode.JSON_SCHEMA``), else the title of the schema instructor writes into the
    system prompt (``Mode.JSON``, ``Mode.MD_JSON``): the last one, since a JSON Schema
    lists its ``$defs`` before its own title.
    """
    if request.get("tools"):
        return tool_name(request)
    response_format = request.get("response_format")
    if isinstance(response_format, Mapping) and response_format.get("type") == "json_schema":
        spec = response_format.get("json_schema")
        if isinstance(spec, Mapping) and spec.get("name"):
            return str(spec["name"])
    messages = request.get("messages")
    if not isinstance(messages, list):
        return None
    for message in messages:
        if isinstance(message, Mapping) and message.get("role") == "system":
            titles = _SCHEMA_TITLE.findall(message_text(message))
            if titles:
                return str(titles[-1])
    return None


# --------------------------------------------------------------------------- extraction


def extractive_responder(request: dict[str, Any]) -> dict[str, Any]:
    """Answer a request with what its schema asks for, built by rules from the article.

    A request for ``Labels`` (``--strategy candidates``) is answered by
    :func:`labels_responder`; any other with an :class:`~summarizer.records.Extraction`.
    The article is found by :func:`article_text`. Deterministic and cheap:

    * ``summary``: the first two sentences that end in ``.``, ``!`` or ``?``;
    * ``statistics``: numbers with a scale word, a percent sign or a currency;
    * ``quotes``: text in curly or straight double quotes with "said" nearby;
    * ``milestones``: sentences naming a year (dated to the month or day when given).

    Every ``evidence`` is a sentence copied from the article.
    """
    if requested_schema(request) == LABELS_SCHEMA:
        return labels_responder(request)
    # Retries and re-asks resend the same article: extract once, hand out fresh copies.
    parsed: dict[str, Any] = json.loads(_extract(article_text(request)))
    return parsed


def _lead(sentences: list[str], count: int = 2) -> str:
    """The first ``count`` complete sentences (ending in ``.``, ``!`` or ``?``)."""
    complete = [s for s in sentences if s.rstrip("\"”’')]").endswith((".", "!", "?"))]
    return " ".join((complete or sentences)[:count])


@functools.lru_cache(maxsize=512)
def _extract(article: str) -> str:
    spans = rules.sentence_spans(article)
    sentences = [article[s:e] for s, e in spans]
    statistics: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    for sentence in sentences:
        if len(statistics) < rules.MAX_ITEMS:
            statistics.extend(rules.statistics(sentence)[: rules.MAX_ITEMS - len(statistics)])
        date = rules.first_date(sentence)
        if date and len(milestones) < rules.MAX_ITEMS:
            milestones.append(
                {
                    "date": date,
                    "event": sentence,
                    "actors": rules.names(sentence)[:4],
                    "evidence": sentence,
                }
            )
    extraction = {
        "summary": _lead(sentences),
        "milestones": milestones,
        "statistics": statistics,
        "quotes": rules.quotes(article, spans),
    }
    return json.dumps(extraction, ensure_ascii=False)


# --------------------------------------------------------------------------- labels

# What extract.candidates.render writes: a mark before each candidate in the article,
# and the code's guess for each one after it.
_MARK = re.compile(r"\[([NQD])(\d+)\]")
_NUMBER_GUESS = re.compile(r"^N(\d+) .*?: (keep|drop), metric: (.*)$", re.M)
_QUOTE_GUESS = re.compile(r"^Q(\d+) “.*”: speaker: (.*)$", re.M)
_DATE_GUESS = re.compile(r"^D(\d+) .*: (milestone|not a milestone)$", re.M)
_UNKNOWN = "?"


def labels_responder(request: dict[str, Any]) -> dict[str, Any]:
    """Answer a candidates request (``Labels``) as a careful model would, by rules.

    The article comes with ``[N#]``, ``[Q#]`` and ``[D#]`` marks before its numbered
    candidates and, below it, the code's guess for each. The answer labels every
    candidate: numbers keep the guess (kept when there is none) with a metric, the
    guessed one or the words around the number; quotes get their speaker, guessed or
    found near the quote; dates stay milestones or not as guessed (without a guess, a
    sentence naming a year is one, with that sentence as its event). The summary is
    the article's first two sentences. Labels are left off the end, and then the
    summary shortened, until the answer fits the request's ``max_tokens`` (at about
    four characters per token), as a model writing to a budget would.
    """
    budget = request.get("max_tokens")
    limit = budget * 4 if isinstance(budget, int) and budget > 0 else None
    parsed: dict[str, Any] = json.loads(_labels(_article_message(request), limit))
    return parsed


@functools.lru_cache(maxsize=512)
def _labels(message: str, limit: int | None) -> str:
    match = _ARTICLE_LINES.search(message) or _ARTICLE_INLINE.search(message)
    marked = match.group(1).strip("\n") if match else message
    guesses = message[match.end() :] if match else ""
    # The article without its marks, and where each mark stood in it.
    pieces: list[str] = []
    marks: dict[str, dict[int, int]] = {"N": {}, "Q": {}, "D": {}}
    last = removed = 0
    for m in _MARK.finditer(marked):
        pieces.append(marked[last : m.start()])
        marks[m.group(1)].setdefault(int(m.group(2)), m.start() - removed)
        removed += m.end() - m.start()
        last = m.end()
    pieces.append(marked[last:])
    text = "".join(pieces)
    spans = rules.sentence_spans(text)
    starts = [s for s, _ in spans]

    def sentence_at(pos: int) -> tuple[int, int]:
        i = max(bisect.bisect_right(starts, pos) - 1, 0)
        return spans[i] if spans else (0, len(text))

    numbers = {
        int(i): (keep == "keep", metric) for i, keep, metric in _NUMBER_GUESS.findall(guesses)
    }
    speakers = {int(i): who for i, who in _QUOTE_GUESS.findall(guesses)}
    dates = {int(i): kind == "milestone" for i, kind in _DATE_GUESS.findall(guesses)}

    statistics: list[dict[str, Any]] = []
    for i, pos in sorted(marks["N"].items()):
        keep, guessed = numbers.get(i, (True, _UNKNOWN))
        label: dict[str, Any] = {"id": i, "keep": keep}
        if keep:
            label["metric"] = (
                guessed if guessed != _UNKNOWN else _metric_at(text, pos, sentence_at(pos))
            )
        statistics.append(label)
    quotes: list[dict[str, Any]] = []
    for i, pos in sorted(marks["Q"].items()):
        who = speakers.get(i, _UNKNOWN)
        if who == _UNKNOWN:
            who = _speaker_at(text, pos, sentence_at(pos)[0]) or _UNKNOWN
        if who != _UNKNOWN:
            quotes.append({"id": i, "speaker": who})
    milestones: list[dict[str, Any]] = []
    for i, pos in sorted(marks["D"].items()):
        start, end = sentence_at(pos)
        if i in dates:
            # The code takes the sentence as the event of a guessed milestone.
            milestones.append({"id": i, "keep": dates[i]})
        elif rules.first_date(text[start:end]):
            milestones.append({"id": i, "keep": True, "event": text[start:end]})
        else:
            milestones.append({"id": i, "keep": False})
    sentences = [text[s:e] for s, e in spans]
    answer: dict[str, Any] = {
        "summary": _lead(sentences),
        "statistics": statistics,
        "quotes": quotes,
        "milestones": milestones,
    }
    return _fit(answer, limit, sentences)


def _metric_at(text: str, pos: int, sentence: tuple[int, int]) -> str:
    """What the number at ``text[pos]`` measures, read from the words around it."""
    start, end = sentence
    words = text[start:end]
    m = rules.STAT.match(words, pos - start)
    found = rules.statistic(words, m) if m is not None else None
    if found is not None:
        return str(found["metric"])
    after = words[m.end() if m is not None else pos - start :]
    near = rules.following_words(after) or rules.preceding_words(words[: pos - start])
    return " ".join(near) or "figure"


def _speaker_at(text: str, pos: int, sentence_start: int) -> str | None:
    """Who says the quotation that opens at (or just after) ``text[pos]``."""
    m = rules.QUOTED.search(text, pos, min(len(text), pos + 400))
    if m is None or m.start() > pos + 2:
        return None
    who, _ = rules.speaker(text, m.start(), m.end(), min(sentence_start, m.start()))
    return None if who == "unnamed source" else who


def _fit(answer: dict[str, Any], limit: int | None, sentences: list[str]) -> str:
    """``answer`` as JSON, with labels left off the end until it fits ``limit`` characters."""
    text = json.dumps(answer, ensure_ascii=False)
    if limit is None:
        return text
    for key in ("milestones", "quotes", "statistics"):
        while len(text) > limit and answer[key]:
            answer[key].pop()
            text = json.dumps(answer, ensure_ascii=False)
    if len(text) > limit:
        answer["summary"] = _lead(sentences, 1)
        text = json.dumps(answer, ensure_ascii=False)
    while len(text) > limit and answer["summary"]:
        # Escapes make the JSON longer than the text: cut by the excess, then check.
        cut = max(1, len(text) - limit)
        answer["summary"] = answer["summary"][:-cut].rstrip()
        text = json.dumps(answer, ensure_ascii=False)
    return text
