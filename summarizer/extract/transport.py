"""The one transport layer between the openai client and the network.

The openai client is built with ``max_retries=0``; every retry happens here, in
:class:`RetryTransport`, an httpx2 transport that wraps the real one with tenacity:

* retried: HTTP 408, 409, 429 and 5xx, timeouts, connection and protocol errors,
  and a 200 whose JSON body is cut or malformed;
* waits: exponential backoff with full jitter, or what the server asks for in
  ``retry-after-ms`` / ``Retry-After`` (seconds or an HTTP date);
* bounds: at most ``max_attempts`` requests and ``max_seconds`` in all; a wait the
  budget cannot afford ends the retries at once; a server that asks for a wait
  longer than ``max_retry_wait`` (``Retry-After: 3600``) is not obeyed: that request
  fails at once with :class:`RetryWaitTooLong`, which says how long it asked for;
* fatal answers (a refused key, an unknown model or path, an HTML page where JSON
  was expected) raise :class:`~summarizer.errors.FatalEndpointError` at once: no
  retry or other article would change them, and a folder run stops on them;
* a deadline per attempt: the request's timeout (``--timeout``) bounds the whole
  exchange, headers *and* body, so a server that trickles one byte a second cannot
  hold a request open (httpx's own timeouts only bound each read).

Each request and retry is counted in the :class:`CallStats` of the current task
(a context variable the pipeline sets per article), and so is token usage.
Validation re-asks are instructor's business, not this layer's.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx2
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    retry_if_result,
    stop_after_attempt,
    stop_after_delay,
)

from summarizer.config import redact
from summarizer.errors import FatalEndpointError

__all__ = [
    "RETRY_STATUSES",
    "CallStats",
    "MalformedAnswer",
    "RetryPolicy",
    "RetryTransport",
    "RetryWaitTooLong",
    "current_stats",
    "track_calls",
]

RETRY_STATUSES = frozenset({408, 409, 429, *range(500, 600)})
RETRY_EXCEPTIONS = (httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError)
# Waits longer than this are said out loud in the log.
_ANNOUNCE_WAIT = 5.0

log = logging.getLogger("summarizer")


@dataclass
class CallStats:
    """What one article cost at the HTTP layer."""

    llm_calls: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    faults: dict[str, int] = field(default_factory=dict)

    def fault(self, kind: str) -> None:
        """Count one transient failure of ``kind`` (``"429"``, ``"timeout"``, ...)."""
        self.faults[kind] = self.faults.get(kind, 0) + 1


current_stats: ContextVar[CallStats | None] = ContextVar("summarizer_call_stats", default=None)


@contextmanager
def track_calls() -> Iterator[CallStats]:
    """Count the HTTP calls made inside the ``with`` block (in this task)."""
    stats = CallStats()
    token = current_stats.set(stats)
    try:
        yield stats
    finally:
        current_stats.reset(token)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds and pacing of retries."""

    max_attempts: int = 6
    max_seconds: float = 180.0
    initial_wait: float = 0.5
    max_wait: float = 30.0
    max_retry_wait: float = 60.0  # longest server-asked wait (Retry-After) we obey
    request_timeout: float | None = None  # deadline per attempt; None: the request's own
    # Send again a request whose answer did not come in time? Not to a local server:
    # llama.cpp and friends go on generating the abandoned answer, and the new request
    # would wait behind it (a connection that could not be made is still retried).
    retry_read_timeouts: bool = True

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.max_retry_wait < 0:
            raise ValueError("max_retry_wait must not be negative")


class RetryWaitTooLong(FatalEndpointError):
    """The server asked for a wait (``Retry-After``) longer than the policy allows."""

    def __init__(self, host: str, status: int, asked: float, allowed: float) -> None:
        super().__init__(
            f"{host} answered HTTP {status} and asked to wait {_duration(asked)} before "
            f"retrying, more than --max-retry-wait {allowed:g}s; try again later (finished "
            f"articles are cached) or raise --max-retry-wait"
        )
        self.asked = asked
        self.allowed = allowed


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h ({seconds:.0f}s)"
    if seconds >= 90:
        return f"{seconds / 60:.0f} min ({seconds:.0f}s)"
    return f"{seconds:.0f}s"


class MalformedAnswer(Exception):
    """A 2xx answer whose JSON body does not parse (retried like a network fault)."""


def retry_after_seconds(headers: httpx2.Headers) -> float | None:
    """Seconds the server asked us to wait, from ``retry-after-ms`` or ``Retry-After``."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryTransport(httpx2.AsyncBaseTransport):
    """Retry transient failures of ``inner`` with tenacity; count calls and tokens."""

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport,
        policy: RetryPolicy | None = None,
        *,
        rng: random.Random | None = None,
    ) -> None:
        self._inner = inner
        self.policy = policy or RetryPolicy()
        self._rng = rng or random.Random()
        self._answered = False  # has the endpoint answered anything yet?

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        try:
            return await self._with_retries(request)
        except httpx2.ConnectError as exc:
            if self._answered:
                raise  # it did answer before: a passing outage, one article's failure
            # Never reached, even after the retries: a server that is not running or a
            # wrong --base-url; every other article would wait out the same retries.
            url = request.url
            host = f"{url.host}:{url.port}" if url.port else url.host
            raise FatalEndpointError(
                f"cannot reach {host} ({exc or type(exc).__name__}); is the server running "
                "and --base-url right?"
            ) from exc

    async def _with_retries(self, request: httpx2.Request) -> httpx2.Response:
        policy = self.policy
        retrying = AsyncRetrying(
            stop=stop_after_attempt(policy.max_attempts) | stop_after_delay(policy.max_seconds),
            wait=self._wait,
            retry=retry_if_exception(self._retryable)
            | retry_if_result(lambda r: r.status_code in RETRY_STATUSES),
            retry_error_callback=_give_up,
            reraise=True,
            sleep=asyncio.sleep,
        )
        sent = [0]
        response: httpx2.Response = await retrying(self._send_once, request, sent)
        return response

    def _retryable(self, exc: BaseException) -> bool:
        if isinstance(exc, httpx2.ReadTimeout | httpx2.WriteTimeout):
            return self.policy.retry_read_timeouts
        return isinstance(exc, (*RETRY_EXCEPTIONS, MalformedAnswer))

    async def _send_once(self, request: httpx2.Request, sent: list[int]) -> httpx2.Response:
        stats = current_stats.get()
        if stats is not None:
            stats.llm_calls += 1
            stats.retries += 1 if sent[0] else 0
        sent[0] += 1
        try:
            response, body = await self._exchange(request)
            self._answered = True
        except RETRY_EXCEPTIONS as exc:
            if stats is not None:
                stats.fault("timeout" if isinstance(exc, httpx2.TimeoutException) else "network")
            raise
        if response.status_code in RETRY_STATUSES:
            if stats is not None:
                stats.fault(str(response.status_code))
            asked = retry_after_seconds(response.headers)
            if asked is not None and asked > self.policy.max_retry_wait:
                raise RetryWaitTooLong(
                    request.url.host, response.status_code, asked, self.policy.max_retry_wait
                )
            return response
        fatal = _fatal(request, response, body)
        if fatal is not None:
            if stats is not None:
                stats.fault(str(response.status_code))
            raise fatal
        if 200 <= response.status_code < 300 and _is_json(response):
            try:
                payload = json.loads(body)
            except ValueError:
                if stats is not None:
                    stats.fault("malformed")
                raise MalformedAnswer(f"malformed JSON from {redact(str(request.url))}") from None
            if stats is not None:
                _add_usage(stats, payload)
        return response

    def _deadline(self, request: httpx2.Request) -> float | None:
        if self.policy.request_timeout is not None:
            return self.policy.request_timeout
        timeout = request.extensions.get("timeout")
        if isinstance(timeout, dict):
            values = [v for v in timeout.values() if isinstance(v, int | float)]
            return max(values) if values else None
        return None

    async def _exchange(self, request: httpx2.Request) -> tuple[httpx2.Response, bytes]:
        """Send ``request`` and read the whole body within one deadline."""
        deadline = self._deadline(request)
        response: httpx2.Response | None = None
        try:
            async with asyncio.timeout(deadline):
                response = await self._inner.handle_async_request(request)
                body = await response.aread()
        except TimeoutError:
            if response is not None:
                await response.aclose()
            raise httpx2.ReadTimeout(
                f"no complete answer within {deadline:g}s", request=request
            ) from None
        return response, body

    def _wait(self, state: RetryCallState) -> float:
        policy = self.policy
        asked: float | None = None
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            asked = retry_after_seconds(outcome.result().headers)
        if asked is None:
            ceiling = min(policy.max_wait, policy.initial_wait * 2 ** (state.attempt_number - 1))
            asked = self._rng.uniform(0, ceiling)
        elif asked > _ANNOUNCE_WAIT:
            log.warning("the endpoint asked to wait %.0fs (Retry-After); waiting", asked)
        remaining = policy.max_seconds - (time.monotonic() - state.start_time)
        # A wait beyond the budget would only delay the same failure.
        return max(0.0, min(asked, remaining))

    async def aclose(self) -> None:
        await self._inner.aclose()


def _is_json(response: httpx2.Response) -> bool:
    return "json" in response.headers.get("content-type", "")


def _is_html(response: httpx2.Response, body: bytes) -> bool:
    if "html" in response.headers.get("content-type", ""):
        return True
    return body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))


def _server_message(body: bytes) -> str:
    """The ``error.message`` of an OpenAI-style error body, else the start of the text."""
    try:
        payload = json.loads(body)
    except ValueError:
        payload = None
    if isinstance(payload, dict):
        error = payload.get("error")
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, str) and message:
            return " ".join(message.split())[:200]
    text = re.sub(rb"<[^>]*>", b" ", body[:2000]).decode("utf-8", "replace")
    return " ".join(text.split())[:200]


def _fatal(
    request: httpx2.Request, response: httpx2.Response, body: bytes
) -> FatalEndpointError | None:
    """The error to stop on when ``response`` will be the same for every request."""
    status = response.status_code
    if status < 400 and not _is_html(response, body):
        return None  # the common case: an answer, not worth reading for a message
    url = request.url
    host = f"{url.host}:{url.port}" if url.port else url.host
    said = _server_message(body)
    if status in (401, 403):
        what = "refused the API key" if status == 401 else "refused access"
        return FatalEndpointError(
            f"{host} {what} (HTTP {status}: {said}); check the key in --api-key-file, "
            "$SUMMARIZER_API_KEY_FILE or $OPENAI_API_KEY"
        )
    if status == 404:
        path = url.path
        if "/v1/" not in path and path.endswith("/chat/completions"):
            base = redact(str(url.copy_with(query=None))).removesuffix("/chat/completions")
            return FatalEndpointError(
                f"{host} has no {path} (HTTP 404); OpenAI-compatible base URLs usually end "
                f"in /v1: try --base-url {base}/v1"
            )
        if "model" in said.lower():
            return FatalEndpointError(
                f"{host} does not know the model (HTTP 404: {said}); check --model"
            )
        return FatalEndpointError(
            f"{host} answered HTTP 404 for {path} ({said}); check --base-url and --model"
        )
    if status < 500 and _is_html(response, body):
        return FatalEndpointError(
            f"{host} answered HTTP {status} with an HTML page, not the JSON of an API "
            f"({said[:80]}); check --base-url (OpenAI-compatible servers usually answer "
            "under /v1)"
        )
    return None


def _add_usage(stats: CallStats, payload: Any) -> None:
    usage = payload.get("usage") if isinstance(payload, dict) else None
    if isinstance(usage, dict):
        stats.prompt_tokens += int(usage.get("prompt_tokens") or 0)
        stats.completion_tokens += int(usage.get("completion_tokens") or 0)


def _give_up(state: RetryCallState) -> Any:
    # Out of attempts: hand the last response (a 429 or 500) to the openai client,
    # which turns it into its own error; re-raise the last exception otherwise.
    assert state.outcome is not None
    return state.outcome.result()
