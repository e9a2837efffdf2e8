"""Read what real models answer: lenient JSON, per-record salvage, cut-off answers.

Small local models get the shape mostly right and a detail wrong: a fence around the
JSON, a sentence after it, a trailing comma, a field named ``quote`` instead of
``text``, one record without a ``metric``, or an answer cut off by ``max_tokens``
halfway through a record. None of that should cost the article. This module

* parses the answer leniently (:func:`load_json`): the first JSON object in the text,
  trailing commas removed, a cut-off answer closed after its last complete value;
* validates each record on its own (:func:`salvage`): a record that cannot be
  repaired is dropped with a note naming the field, the rest are kept;
* wraps a response model (:func:`lenient`) so that instructor does all this for every
  answer, and asks again, saying exactly what was wrong, only when nothing usable
  came back.

Notes for the article's warnings are gathered per request with :func:`collecting`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast, get_args, get_origin

from pydantic import BaseModel, ValidationError, ValidatorFunctionWrapHandler, model_validator

from summarizer.records import Extraction

__all__ = [
    "Salvage",
    "UnusableAnswer",
    "collecting",
    "lenient",
    "load_json",
    "salvage",
    "salvage_text",
]

M = TypeVar("M", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?")
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")

# Names small models use for our fields, per record type; the first is ours.
_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "milestones": {
        "event": ("description", "title", "what", "name", "milestone"),
        "date": ("when", "period", "time", "year"),
        "actors": ("actor", "people", "who", "participants"),
        "evidence": ("sentence", "source", "quote", "text"),
    },
    "statistics": {
        "metric": ("name", "description", "label", "measure", "what", "statistic"),
        "value_text": ("text", "raw", "raw_value", "as_written", "written", "number"),
        "period": ("date", "year", "when", "time"),
        "evidence": ("sentence", "source", "context"),
    },
    "quotes": {
        "text": ("quote", "content", "words", "statement", "quotation"),
        "speaker": ("name", "person", "who", "author", "by", "said_by", "source"),
        "speaker_role": ("role", "title", "position"),
    },
}
_LIST_ALIASES: dict[str, tuple[str, ...]] = {
    "milestones": ("milestone", "events", "event", "timeline"),
    "statistics": ("statistic", "stats", "numbers", "figures", "quantities"),
    "quotes": ("quote", "quotations", "citations"),
}


def _record_fields(model: type[BaseModel]) -> dict[str, type[BaseModel]]:
    """The list-of-records fields of ``model``: name -> record model."""
    out: dict[str, type[BaseModel]] = {}
    for name, info in model.model_fields.items():
        if get_origin(info.annotation) is list:
            (item,) = get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, BaseModel):
                out[name] = item
    return out


class UnusableAnswer(ValueError):
    """The answer holds no JSON object at all (a ValueError: instructor re-asks)."""


# --------------------------------------------------------------------------- JSON


def load_json(text: str) -> tuple[Any, list[str]]:
    """The first JSON object in ``text``, and notes on what had to be repaired.

    Accepts a Markdown fence or prose around the object, text after it, and trailing
    commas. A cut-off object is closed after its last complete value (so a record
    cut in half is left out, and the ones before it are kept). Raises
    :class:`UnusableAnswer` when there is no object to be had.
    """
    notes: list[str] = []
    body = _FENCE.sub("", text)
    start = body.find("{")
    if start < 0:
        raise UnusableAnswer(f"the answer holds no JSON object: {_clip(text)!r}")
    body = body[start:]
    decoder = json.JSONDecoder()
    for candidate in (body, _TRAILING_COMMA.sub(r"\1", body)):
        try:
            value, _ = decoder.raw_decode(candidate)
            return value, notes
        except json.JSONDecodeError:
            continue
    closed = _close_truncated(_TRAILING_COMMA.sub(r"\1", body))
    if closed is not None:
        try:
            value, _ = decoder.raw_decode(closed)
        except json.JSONDecodeError:
            pass
        else:
            notes.append("the answer was incomplete JSON; kept what came before the break")
            return value, notes
    raise UnusableAnswer(f"the answer is not valid JSON: {_clip(body)!r}")


def _close_truncated(text: str) -> str | None:
    """Cut ``text`` after its last complete value and close the open brackets."""
    stack: list[str] = []
    expect_key: list[bool] = []
    in_string = escape = False
    string_is_key = False
    best: tuple[int, str] | None = None
    for i, ch in enumerate(text):
        if in_string:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_string = False
                if not string_is_key and len(stack) == 1:
                    # A complete top-level string (the summary); inside a record a
                    # string is no safe cut: the record would lose its later fields.
                    best = (i + 1, _closers(stack))
            continue
        if ch == '"':
            in_string = True
            string_is_key = bool(stack) and stack[-1] == "{" and expect_key[-1]
        elif ch in "{[":
            stack.append(ch)
            expect_key.append(ch == "{")
        elif ch in "}]":
            if not stack:
                break
            stack.pop()
            expect_key.pop()
            if not stack:
                return text[: i + 1]
            best = (i + 1, _closers(stack))
        elif ch == ":" and stack and stack[-1] == "{":
            expect_key[-1] = False
        elif ch == "," and stack and stack[-1] == "{":
            expect_key[-1] = True
    if best is None:
        return None
    cut, closers = best
    return text[:cut] + closers


def _closers(stack: list[str]) -> str:
    return "".join("}" if c == "{" else "]" for c in reversed(stack))


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- records


@dataclass
class Salvage:
    """What salvage did to one answer: notes for the warnings, and the drops."""

    notes: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    kept: int = 0


def _unwrap(data: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """``{"Extraction": {...}}`` or an echoed schema's ``properties`` -> the object."""
    known = set(model.model_fields)
    if known & data.keys():
        return data
    for value in data.values():
        if isinstance(value, dict) and known & value.keys():
            return value
    return data


def _renamed(item: dict[str, Any], kind: str) -> dict[str, Any]:
    out = dict(item)
    aliases = _ALIASES.get(kind, {})
    for ours, theirs in aliases.items():
        if ours in out:
            continue
        for name in theirs:
            if name in out and name not in aliases:
                out[ours] = out.pop(name)
                break
    return out


def _repair(item: dict[str, Any], kind: str) -> dict[str, Any]:
    """Fill what code can: a statistic's ``value_text`` from its value, a quote's speaker."""
    out = dict(item)
    if kind == "statistics" and not out.get("value_text") and out.get("value") is not None:
        value = out["value"]
        out["value_text"] = f"{value:g}" if isinstance(value, float) else str(value)
    if kind == "milestones" and not out.get("event") and isinstance(out.get("evidence"), str):
        out["event"] = out["evidence"]
    return out


def _describe(error: ValidationError) -> str:
    parts = []
    for err in error.errors():
        where = ".".join(str(x) for x in err["loc"]) or "record"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def salvage(
    data: Any, report: Salvage | None = None, *, model: type[BaseModel] = Extraction
) -> dict[str, Any]:
    """A dict that ``model`` accepts, built record by record.

    Unknown field names that small models use are mapped to ours, a record that
    still fails is dropped with a note (``statistics[2] dropped: metric: Field
    required``), and anything that is not a list of objects is left out.
    """
    report = report if report is not None else Salvage()
    if not isinstance(data, dict):
        raise UnusableAnswer(
            f"the answer is a JSON {type(data).__name__}, not an object with "
            "summary, milestones, statistics and quotes"
        )
    data = _unwrap(data, model)
    out: dict[str, Any] = {}
    if "summary" in model.model_fields:
        summary = data.get("summary")
        if isinstance(summary, list):
            summary = " ".join(str(s) for s in summary if isinstance(s, str))
        out["summary"] = summary if isinstance(summary, str) else ""
    for kind, record in _record_fields(model).items():
        items = data.get(kind)
        if items is None:
            items = next((data[a] for a in _LIST_ALIASES.get(kind, ()) if a in data), None)
        if items is None:
            out[kind] = []
            continue
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list):
            report.dropped.append(f"{kind}: expected a list, got {type(items).__name__}")
            out[kind] = []
            continue
        kept: list[dict[str, Any]] = []
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                report.dropped.append(f"{kind}[{i}]: expected an object, got {_clip(repr(item))}")
                continue
            candidate = _repair(_renamed(item, kind), kind)
            try:
                record.model_validate(candidate)
            except ValidationError as exc:
                report.dropped.append(f"{kind}[{i}] {_describe(exc)}")
                continue
            kept.append(candidate)
        out[kind] = kept
        report.kept += len(kept)
    report.notes.extend(f"dropped {d}" for d in report.dropped)
    return out


def salvage_text(
    text: str,
    *,
    model: type[M] = Extraction,  # type: ignore[assignment]
) -> tuple[M, list[str]]:
    """The usable part of a raw answer (a cut-off one included) as ``model``, with notes.

    Raises :class:`UnusableAnswer` when nothing can be read from it.
    """
    data, notes = load_json(text)
    report = Salvage(notes=notes)
    cleaned = salvage(data, report, model=model)
    if not report.kept and not cleaned.get("summary"):
        raise UnusableAnswer("nothing usable in the answer: " + "; ".join(report.dropped[:6]))
    return model.model_validate(cleaned), report.notes


# --------------------------------------------------------------------------- instructor


@dataclass
class _Request:
    reasks_left: int
    notes: list[str] = field(default_factory=list)


_request: ContextVar[_Request | None] = ContextVar("summarizer_salvage", default=None)


@contextmanager
def collecting(reasks: int) -> Iterator[list[str]]:
    """Gather the salvage notes of one request (all its attempts); yields the final notes.

    ``reasks`` is how many times an unusable answer may be sent back; after that the
    last answer is taken for whatever it holds, and fails only when it holds nothing.
    """
    state = _Request(reasks)
    token = _request.set(state)
    final: list[str] = []
    try:
        yield final
    finally:
        final.extend(state.notes)
        _request.reset(token)


def _nothing_usable(data: dict[str, Any], report: Salvage) -> str | None:
    """Why an answer is unusable, or None. Records sent and all dropped is unusable."""
    if report.kept:
        return None
    if report.dropped:
        return "no record could be used: " + "; ".join(report.dropped[:6])
    if not data.get("summary"):
        return "the answer has no summary and no records"
    return None


class _Lenient(BaseModel):
    """Mixin: lenient JSON, per-record salvage, re-ask only for nothing usable."""

    @classmethod
    def model_validate_json(
        cls,
        json_data: str | bytes | bytearray,
        *,
        strict: bool | None = None,
        extra: Any = None,
        context: Any | None = None,
        by_alias: bool | None = None,
        by_name: bool | None = None,
    ) -> Any:
        """Parse leniently, then validate (instructor calls this for every answer)."""
        text = (
            json_data if isinstance(json_data, str) else bytes(json_data).decode("utf-8", "replace")
        )
        return cls.model_validate(text, strict=strict, context=context)

    @model_validator(mode="wrap")
    @classmethod
    def _salvage(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if isinstance(data, BaseModel):
            return handler(data)
        state = _request.get()
        report = Salvage()
        cleaned: dict[str, Any] = {}
        try:
            if isinstance(data, str):
                data, report.notes = load_json(data)
            cleaned = salvage(data, report, model=cls)
            problem = _nothing_usable(cleaned, report)
        except UnusableAnswer as exc:
            problem = str(exc)
        if problem is not None:
            last = state is None or state.reasks_left <= 0
            if not last and state is not None:
                state.reasks_left -= 1
            # On the last attempt a summary alone is still something; nothing is not.
            if not last or not cleaned.get("summary"):
                raise ValueError(
                    f"{problem}. Answer again with one JSON object that follows the schema; "
                    "every record needs its required fields."
                )
        if state is not None:
            state.notes = report.notes
        return handler(cleaned)


def lenient(model: type[M]) -> type[M]:
    """``model`` with lenient parsing: same name, fields and schema (the request is unchanged)."""
    namespace = {
        "__module__": model.__module__,
        "__qualname__": model.__qualname__,
        "__doc__": model.__doc__,
    }
    return cast(type[M], type(model.__name__, (_Lenient, model), namespace))
