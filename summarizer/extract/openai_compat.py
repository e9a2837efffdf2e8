"""Call the model: instructor over the openai client over our own transport.

Layers, from the top::

    instructor (validation, re-asks on a ValidationError, at most max_reasks)
      -> openai.AsyncOpenAI (max_retries=0: no retries of its own)
        -> RecordingTransport (with --record)
          -> RetryTransport (tenacity: 429/5xx/timeouts, Retry-After)
            -> ProtocolTransport (refusals that no retry changes end the request;
               json_schema -> json_object fallback for llama-cpp-python)
              -> the network: aiohttp (``_aiohttp``; --http-client aiohttp, the
                 default) or httpx2.AsyncHTTPTransport (--http-client httpx)
    or, with --replay, ReplayTransport in place of the network stack.

Every request carries ``max_tokens`` and a timeout sized to the text and to the
server (:mod:`summarizer.extract.server_protocol`): a small local model that loops
stops at its budget, and a slow one is given the time its budget needs. A
cut-off answer raises :class:`ExtractionError` with the raw text in ``partial``.

openai and instructor are imported here and only when a model is really called, so
``summarize --help`` and a fully cached rerun never pay for importing them.

Per call, instructor and openai redo work whose result never changes (about half
of the client's CPU per request); the shortcuts of :mod:`summarizer.extract._fastpath`
skip it without changing a byte of any request.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx2

from summarizer.config import Settings
from summarizer.errors import EndpointError, ExtractionError, SummarizerError
from summarizer.extract._fastpath import (
    LEAVES_MESSAGES,
    keep_json_schema,
    lean_create,
    memoize_async_validator_check,
)
from summarizer.extract.chunking import estimate_tokens
from summarizer.extract.prompts import Prompt
from summarizer.extract.server_protocol import (
    PROMPT_OVERHEAD_TOKENS,
    ProtocolTransport,
    ServerRefusedError,
    answer_budget,
    detect_context_window,
    input_budget,
    is_local_host,
    refusal_error,
    request_timeout,
)
from summarizer.extract.transport import MalformedAnswer, RetryPolicy, RetryTransport
from summarizer.records import Extraction

if TYPE_CHECKING:
    from summarizer.extract.replay import ReplayTransport

__all__ = ["ModelAnswer", "ModelClient", "import_llm_libraries"]

log = logging.getLogger(__name__)

# Only for requests sent without their own timeout; extract() always sets one.
_DEFAULT_TIMEOUT = 120.0

# Per-task count of answers parsed, fed by instructor's hooks.
_attempts: ContextVar[list[int] | None] = ContextVar("summarizer_attempts", default=None)


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """A validated extraction and what it took to get it."""

    extraction: Any  # an Extraction, or the response model the caller asked for
    attempts: int


class ModelClient:
    """An async client that turns an article into a validated :class:`Extraction`."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.replay: ReplayTransport | None = None
        self.protocol: ProtocolTransport | None = None
        self._custom_transport = transport
        if transport is not None:
            self.protocol = ProtocolTransport(transport, adapt=settings.replay is None)
            self._transport: httpx2.AsyncBaseTransport = RetryTransport(self.protocol)
        else:
            self._transport = self._build_transport(settings)
        self.context_window: int | None = settings.context_window
        """The server's context in tokens: given, reported by the server, or learned."""
        self._detected: asyncio.Future[None] | None = None
        self._refused: ServerRefusedError | None = None
        self._instructor: Any = None
        self._response_model: Any = None
        self._wrapped: dict[type[Any], Any] = {}
        self._http: httpx2.AsyncClient | None = None
        self._imported: asyncio.Future[None] | None = None

    def prepare(self) -> None:
        """Start importing openai and instructor in a thread, if not begun (needs a running loop).

        Importing them takes one to two seconds of CPU; in a thread, the event loop
        keeps serving cache hits and writing results meanwhile, and the server's
        context window is asked for at the same time (:meth:`detect`).
        """
        if self._imported is None:
            self._imported = asyncio.ensure_future(asyncio.to_thread(import_llm_libraries))

    async def _import_stack(self) -> None:
        self.prepare()
        assert self._imported is not None
        await asyncio.shield(self._imported)

    def _build_transport(self, settings: Settings) -> httpx2.AsyncBaseTransport:
        # A request to a local server whose timeout we sized (to the whole answer) and
        # which still did not finish is not sent again: a retry would only queue behind
        # the abandoned answer, which llama-cpp-python keeps generating. A --timeout the
        # user chose is retried like any other fault.
        policy = RetryPolicy(
            max_attempts=settings.max_retries + 1,
            max_seconds=settings.max_retry_seconds,
            max_retry_wait=settings.max_retry_wait,
            retry_read_timeouts=not (self.local and settings.timeout is None),
        )
        if settings.replay is not None:
            from summarizer.extract.replay import ReplayTransport

            # Wrapped like the network so that calls and recorded tokens are counted;
            # refusals are recognised, but requests are never rewritten: the
            # recordings hold them as they were first sent.
            self.replay = ReplayTransport(settings.replay)
            self.protocol = ProtocolTransport(self.replay, adapt=False)
            return RetryTransport(self.protocol, policy)
        limits = httpx2.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        )
        self.protocol = ProtocolTransport(_network(settings.http_client, limits))
        inner: httpx2.AsyncBaseTransport = RetryTransport(self.protocol, policy)
        if settings.record is not None:
            from summarizer.extract.replay import RecordingTransport

            inner = RecordingTransport(inner, settings.record, model=settings.model)
        return inner

    def _client(self) -> Any:
        if self._instructor is None:
            import instructor
            import openai

            s = self.settings
            # The timeout is set per request (see extract); this one only covers
            # anything sent without it.
            self._http = httpx2.AsyncClient(transport=self._transport, timeout=_DEFAULT_TIMEOUT)
            client = openai.AsyncOpenAI(
                api_key=s.api_key or "no-key",  # local servers take any key
                base_url=s.effective_base_url,
                max_retries=0,
                timeout=_DEFAULT_TIMEOUT,
                http_client=self._http,
            )
            mode = {
                "tools": instructor.Mode.TOOLS,
                "json": instructor.Mode.JSON,
                "json_schema": instructor.Mode.JSON_SCHEMA,
                "md_json": instructor.Mode.MD_JSON,
            }[s.mode]
            memoize_async_validator_check()
            completions: Any = client.chat.completions
            # Before instructor patches it: instructor then calls the lean create.
            completions.create = lean_create(completions.create)
            self._instructor = instructor.from_openai(client, mode=mode)
            self._response_model = self._wrap(Extraction)
            self._instructor.on("completion:response", _count_attempt)
        return self._instructor

    @cached_property
    def local(self) -> bool:
        """Whether the endpoint is on this machine or a private network (likely a slow model)."""
        # Cached: the settings are frozen, and every request's timeout asks.
        return self.settings.replay is None and is_local_host(
            urlsplit(self.settings.effective_base_url).hostname
        )

    async def detect(self) -> int | None:
        """The server's context window: ``--context-window``, else what the server reports.

        Asked once per client, and never of OpenAI's own API or in replay.
        """
        s = self.settings
        if self.context_window is not None or s.replay is not None:
            return self.context_window
        if urlsplit(s.effective_base_url).hostname == "api.openai.com":
            return None
        if self._detected is None:
            self._detected = asyncio.ensure_future(self._detect())
        await asyncio.shield(self._detected)
        return self.context_window

    async def _detect(self) -> None:
        found = await detect_context_window(
            self.settings.effective_base_url,
            transport=self._custom_transport,
            api_key=self.settings.api_key,
        )
        if found is not None and self.context_window is None:
            log.info("the server reports a context window of %d tokens", found)
            self.context_window = found

    async def max_input_tokens(self) -> int:
        """Chunk size (estimated tokens) for this server: ``--max-input-tokens``, or less
        when the context window is known, so that prompt + chunk + answer fit it."""
        window = await self.detect()
        limit = self.settings.max_input_tokens
        if window is None:
            return limit
        return min(limit, input_budget(window, max_tokens=self.settings.max_tokens))

    def budget(self, text: str, *, max_tokens: int | None = None) -> tuple[int, float]:
        """``(max_tokens, timeout)`` for a request about ``text``.

        ``max_tokens`` (a strategy's own budget) overrides the automatic size; the
        user's ``--max-tokens`` overrides both; the context window caps it.
        """
        s = self.settings
        tokens = estimate_tokens(text)
        answer = answer_budget(
            tokens,
            max_tokens=s.max_tokens if s.max_tokens is not None else max_tokens,
            context_window=self.context_window,
        )
        timeout = request_timeout(
            s.timeout,
            local=self.local,
            prompt_tokens=tokens + PROMPT_OVERHEAD_TOKENS,
            max_tokens=answer,
        )
        return answer, timeout

    async def extract(
        self,
        prompt: Prompt,
        text: str,
        *,
        max_tokens: int | None = None,
        response_model: type[Any] | None = None,
    ) -> ModelAnswer:
        """Ask the model for an :class:`Extraction` of ``text``.

        Validation errors go back to the model as re-asks (instructor's). ``max_tokens``
        sizes the answer for strategies whose answers are not one-shot records
        (default: grown with ``text``, see :func:`answer_budget`).
        ``response_model`` replaces :class:`Extraction` (a strategy's own answer shape).

        Raises :class:`ExtractionError` (``partial`` holds a cut-off answer's text),
        :class:`EndpointError`, or :class:`ServerRefusedError` when the server
        refuses this kind of request for good (later calls then fail at once).
        """
        if self._refused is not None:
            raise refusal_error(self._refused.refusal)
        await self._import_stack()
        await self.detect()
        client = self._client()
        answer_tokens, timeout = self.budget(text, max_tokens=max_tokens)
        if self.settings.mode in LEAVES_MESSAGES:
            # Rendered here, each template compiled once; instructor skips its templating.
            messages, context = prompt.render(text), None
        else:
            # instructor appends the schema to the system message, then renders and
            # dedents the whole of it: only it makes that text.
            messages, context = prompt.messages(), {"article": text}
        for _ in range(2):  # a second time only with an answer budget that now fits
            counter = [0]
            token = _attempts.set(counter)
            try:
                extraction = await client.chat.completions.create(
                    model=self.settings.model,
                    messages=messages,
                    response_model=self._wrap(response_model),
                    context=context,
                    max_retries=self.settings.max_reasks,
                    strict=False,
                    timeout=timeout,
                    **{**self.settings.sampling(), "max_tokens": answer_tokens},
                )
            except Exception as exc:
                error = _explain(exc, self.settings, counter[0], answer_tokens)
                if not isinstance(error, ServerRefusedError):
                    raise error from exc
                if error.kind != "context":
                    self._refused = error
                    raise error from exc
                smaller = self._learn_window(error, answer_tokens)
                if smaller is None:
                    raise error from exc
                answer_tokens = smaller
                continue
            finally:
                _attempts.reset(token)
            return ModelAnswer(extraction=extraction, attempts=counter[0])
        raise AssertionError("unreachable")  # pragma: no cover

    def _wrap(self, model: type[Any] | None) -> Any:
        """``model`` wrapped for instructor once (default: the Extraction).

        instructor otherwise derives a new class on every call, which defeats its
        schema cache (about 35 ms of CPU per request); the wrapped class also keeps
        its JSON Schema (see :func:`keep_json_schema`).
        """
        if model is None:
            return self._response_model
        if model not in self._wrapped:
            import instructor

            self._wrapped[model] = keep_json_schema(instructor.response_schema(model))
        return self._wrapped[model]

    def _learn_window(self, error: ServerRefusedError, answer_tokens: int) -> int | None:
        """Remember the window a context refusal names; a smaller answer budget if that fits.

        vLLM and OpenAI refuse when prompt + ``max_tokens`` exceed the window, even
        if the prompt alone fits: then the same request with less room for the answer
        is safe. A prompt that alone overflows needs smaller chunks (``--context-window``).
        """
        window = error.context_window
        if window is None:
            return None
        if self.context_window is None or window < self.context_window:
            self.context_window = window
        prompt_tokens = error.refusal.prompt_tokens
        if prompt_tokens is None:
            return None
        room = window - prompt_tokens - 16
        return room if 256 <= room < answer_tokens else None

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._http is not None:
            await self._http.aclose()
        else:
            await self._transport.aclose()


def _network(http_client: str, limits: httpx2.Limits) -> httpx2.AsyncBaseTransport:
    """The innermost transport: aiohttp (the default: less CPU per call) or httpx2's own."""
    if http_client == "aiohttp":
        from summarizer.extract._aiohttp import AiohttpTransport

        return AiohttpTransport(limits)
    return httpx2.AsyncHTTPTransport(limits=limits)


def import_llm_libraries() -> None:
    """Import everything the first call needs (openai, instructor, jinja2, the transport).

    For a process about to make calls: :meth:`ModelClient.prepare` runs it in a thread,
    and the worker processes' fork server runs it once for all of them.
    """
    # All that the first call imports, so that none of it blocks the event loop:
    # ``client.chat`` imports every openai resource (half a second), instructor
    # imports its openai provider on first use, the prompt is rendered with Jinja.
    import instructor
    import jinja2.sandbox  # noqa: F401
    import openai
    import openai.resources.chat  # noqa: F401

    instructor.from_openai  # noqa: B018 (instructor imports its providers lazily)
    import summarizer.extract._aiohttp  # noqa: F401 (aiohttp itself)


def _count_attempt(*_: Any, **__: Any) -> None:
    counter = _attempts.get()
    if counter is not None:
        counter[0] += 1


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    node: BaseException | None = exc
    while node is not None and node not in seen:
        seen.append(node)
        node = node.__cause__ or node.__context__
    return seen


def _explain(
    exc: Exception, settings: Settings, attempts: int, max_tokens: int | None = None
) -> SummarizerError:
    """Turn whatever instructor or openai raised into one of our errors, with advice."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException
    from pydantic import ValidationError

    chain = _chain(exc)
    for err in chain:
        if isinstance(err, SummarizerError):
            return err
    host = settings.endpoint_host
    if any(isinstance(err, MalformedAnswer) for err in chain):
        # Raised inside the transport, so openai wraps it as a connection error.
        return EndpointError(
            f"{host} answered, but its body was not JSON (after {settings.max_retries + 1} "
            "attempts at most); is --base-url an OpenAI-compatible endpoint?",
            original=exc,
        )
    for err in chain:
        if isinstance(err, IncompleteOutputException):
            budget = f" of {max_tokens} tokens" if max_tokens else ""
            return ExtractionError(
                f"the model's answer was cut off at its budget{budget} (finish_reason=length); "
                "raise --max-tokens, or use a model that answers more briefly",
                original=exc,
                partial=_completion_text(getattr(err, "last_completion", None)),
            )
        if isinstance(err, openai.AuthenticationError):
            return EndpointError(
                f"{host} refused the API key (HTTP 401); check OPENAI_API_KEY or --api-key",
                original=exc,
            )
        if isinstance(err, openai.APIStatusError):
            return EndpointError(
                f"{host} answered HTTP {err.status_code} after {settings.max_retries + 1} "
                f"attempts at most: {_short(err.message)}",
                original=exc,
            )
        if isinstance(err, openai.APITimeoutError):
            local = is_local_host(urlsplit(settings.effective_base_url).hostname)
            if local and settings.timeout is None:
                return EndpointError(
                    f"{host} did not answer in the time sized to the whole answer, and a "
                    "local server is not asked again (it would still be working on this "
                    "answer); check the server, or set --timeout if the model is that slow",
                    original=exc,
                )
            return EndpointError(
                f"{host} did not answer in time (after retries); raise --timeout "
                "(default: 120 s, more for a large answer budget)",
                original=exc,
            )
        if isinstance(err, openai.APIConnectionError):
            return EndpointError(
                f"cannot reach {host}; is the server running and --base-url right?",
                original=exc,
            )
    for err in chain:
        if isinstance(err, ValidationError):
            return ExtractionError(
                f"the model's answer failed validation after {max(attempts, 1)} attempts: "
                f"{_short(str(err))}",
                original=exc,
            )
    for err in chain:
        tried = getattr(err, "failed_attempts", None)  # instructor's retries, each kept
        if isinstance(tried, list) and tried:
            last = getattr(tried[-1], "exception", None) or err
            return ExtractionError(
                f"model call failed after {len(tried)} attempts: {_short(str(last))}",
                original=exc,
            )
    return ExtractionError(f"model call failed: {_short(str(exc))}", original=exc)


def _completion_text(completion: Any) -> str | None:
    """The raw text of a chat completion: its tool call's arguments, else its content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    for call in getattr(message, "tool_calls", None) or []:
        arguments = getattr(getattr(call, "function", None), "arguments", None)
        if isinstance(arguments, str) and arguments:
            return arguments
    content = getattr(message, "content", None)
    return content if isinstance(content, str) else None


def _short(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
