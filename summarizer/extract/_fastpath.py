"""Shortcuts around instructor 1.17 and openai for work they redo on every request.

A request's body is built the same way every time but for the article, yet per call
instructor compiles the prompt's Jinja template, walks the response model for async
validators up to seven times, has pydantic build its JSON Schema afresh (json,
json_schema and md_json modes), and openai walks every parameter against its
TypedDicts. Together that was about half of the client's CPU per request. Each
shortcut here skips one of them without changing a byte of any request: the
recordings are keyed by the body, and ``tests/test_client_fastpath.py`` compares
with instructor's and openai's own path in every mode, re-asks included.

* :data:`LEAVES_MESSAGES`: modes whose messages :class:`~summarizer.extract.prompts.Prompt`
  renders itself (public: no ``context`` given to instructor);
* :func:`keep_json_schema`: a response model of ours keeps its schema (public pydantic);
* :func:`lean_create`: openai's ``create`` with the parameters in ``extra_body`` (public);
* :func:`memoize_async_validator_check`: the one wrapped instructor internal.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

__all__ = [
    "LEAVES_MESSAGES",
    "keep_json_schema",
    "lean_create",
    "memoize_async_validator_check",
]

# Modes whose instructor request handler leaves the message texts as they are (it adds
# ``tools`` or ``response_format``): their messages can be rendered before instructor
# sees them. json and md_json append the schema to the system message first.
LEAVES_MESSAGES = frozenset({"tools", "json_schema"})


def keep_json_schema(model: type[Any]) -> type[Any]:
    """``model`` (our own class, just wrapped by instructor) with its JSON Schema built once.

    instructor's json, json_schema and md_json modes call ``model_json_schema()`` on
    every request, and pydantic builds the schema afresh each time (about 3 ms of CPU
    for an Extraction). A copy of the first result is handed out instead: callers may
    change what they get. Calls with arguments still go to pydantic.
    """
    build: Any = model.model_json_schema
    kept: list[str] = []  # built on first use: the tools mode never asks

    def model_json_schema(cls: type[Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        if args or kwargs or cls is not model:
            schema: dict[str, Any] = build.__func__(cls, *args, **kwargs)
            return schema
        if not kept:
            kept.append(json.dumps(build()))
        fresh: dict[str, Any] = json.loads(kept[0])
        return fresh

    target: Any = model
    target.model_json_schema = classmethod(model_json_schema)
    return model


# Parameters of openai's ``create`` that are not keys of the JSON body.
_NOT_BODY = frozenset({"extra_headers", "extra_query", "extra_body", "timeout"})


def lean_create(create: Any) -> Any:
    """openai's ``chat.completions.create`` without its walk over the request.

    openai passes every parameter through ``async_maybe_transform``, which walks the
    messages and the tools against its TypedDicts (about 1.5 ms of CPU per call) to
    rename aliased keys and drop omitted ones, none of which our requests have. Here
    the parameters go as ``extra_body``, which openai merges unchanged into the body it
    built from ``messages`` (an empty list, replaced in place) and ``model``: the keys
    in openai's parameter order, so the JSON is the same byte for byte (a test compares
    the two). Anything unexpected (streaming, extra headers) takes openai's own path.
    """
    params = inspect.signature(create).parameters
    order = tuple(
        name
        for name, p in params.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and name not in _NOT_BODY
    )
    lean = order[:2] == ("messages", "model")
    accepted = frozenset({*order, "timeout"})

    async def lean_create(**kwargs: Any) -> Any:
        if (
            not lean
            or kwargs.get("stream")
            or "messages" not in kwargs
            or "model" not in kwargs
            or not accepted.issuperset(kwargs)
        ):
            return await create(**kwargs)
        call = {
            "messages": [],  # the body's first key; extra_body's value takes its place
            "model": kwargs["model"],
            "extra_body": {name: kwargs[name] for name in order if name in kwargs},
        }
        if "timeout" in kwargs:
            call["timeout"] = kwargs["timeout"]
        return await create(**call)

    return lean_create


def memoize_async_validator_check() -> bool:
    """Make instructor's check for async validators run once per response model.

    instructor 1.17 walks the whole response model (every class of its MRO and every
    field) looking for ``@async_field_validator`` markers up to seven times per
    request (``reject_async_validators``; 3% of a worker's CPU), though a class does not
    change. This wraps that one internal function: a model that passed is not walked
    again; one with async validators still raises every time. Returns whether the
    wrapper is in place; a test fails if instructor moves or renames the function.
    """
    try:
        from instructor.v2.core import patch as _patch
        from instructor.v2.validation import async_validators as _validators
    except ImportError:  # another instructor layout: its own check runs, only slower
        return False
    core_patch: Any = _patch
    async_validators: Any = _validators
    original = getattr(async_validators, "reject_async_validators", None)
    if original is None:
        return False
    if getattr(original, "_summarizer_memo", False):
        return True
    passed: dict[Any, None] = {}

    def reject_async_validators(response_model: Any) -> None:
        try:
            if response_model in passed:
                return
        except TypeError:  # unhashable: not remembered
            original(response_model)
            return
        original(response_model)  # raises for a model with async validators
        if len(passed) < 4096:
            passed[response_model] = None

    reject_async_validators._summarizer_memo = True  # type: ignore[attr-defined]
    async_validators.reject_async_validators = reject_async_validators
    # patch.py imported the function by name; the other callers import it when called.
    if getattr(core_patch, "reject_async_validators", None) is original:
        core_patch.reject_async_validators = reject_async_validators
    return True
