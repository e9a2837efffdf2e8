"""Call the model: instructor over the openai client over our own transport.

Layers, from the top::

    instructor (validation, re-asks on a ValidationError, at most max_reasks)
      -> openai.AsyncOpenAI (max_retries=0: no retries of its own)
        -> RecordingTransport (with --record)
          -> RetryTransport (tenacity: 429/5xx/timeouts, Retry-After)
            -> httpx2.AsyncHTTPTransport (the network)
    or, with --replay, ReplayTransport in place of the network stack.

openai and instructor are imported here and only when a model is really called, so
``summarize --help`` and a fully cached rerun never pay for importing them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx2

from summarizer.config import Settings
from summarizer.errors import EndpointError, ExtractionError, SummarizerError
from summarizer.extract.prompts import Prompt
from summarizer.extract.transport import RetryPolicy, RetryTransport
from summarizer.records import Extraction

if TYPE_CHECKING:
    from summarizer.extract.replay import ReplayTransport

__all__ = ["ModelAnswer", "ModelClient"]

# Per-task count of answers parsed, fed by instructor's hooks.
_attempts: ContextVar[list[int] | None] = ContextVar("summarizer_attempts", default=None)


@dataclass(frozen=True, slots=True)
class ModelAnswer:
    """A validated extraction and what it took to get it."""

    extraction: Extraction
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
        self._transport = (
            RetryTransport(transport) if transport is not None else self._build_transport(settings)
        )
        self._instructor: Any = None
        self._response_model: Any = Extraction
        self._http: httpx2.AsyncClient | None = None
        self._imported: asyncio.Future[None] | None = None

    async def _import_stack(self) -> None:
        # Importing openai takes about two seconds; do it in a thread, once, so the
        # event loop keeps serving cache hits and writing results meanwhile.
        if self._imported is None:
            self._imported = asyncio.ensure_future(asyncio.to_thread(_import_llm_libraries))
        await asyncio.shield(self._imported)

    def _build_transport(self, settings: Settings) -> httpx2.AsyncBaseTransport:
        policy = RetryPolicy(
            max_attempts=settings.max_retries + 1,
            max_seconds=settings.max_retry_seconds,
            max_retry_wait=settings.max_retry_wait,
        )
        if settings.replay is not None:
            from summarizer.extract.replay import ReplayTransport

            # Wrapped like the network so that calls and recorded tokens are counted.
            self.replay = ReplayTransport(settings.replay)
            return RetryTransport(self.replay, policy)
        limits = httpx2.Limits(
            max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency
        )
        inner: httpx2.AsyncBaseTransport = RetryTransport(
            httpx2.AsyncHTTPTransport(limits=limits), policy
        )
        if settings.record is not None:
            from summarizer.extract.replay import RecordingTransport

            inner = RecordingTransport(inner, settings.record, model=settings.model)
        return inner

    def _client(self) -> Any:
        if self._instructor is None:
            import instructor
            import openai

            s = self.settings
            self._http = httpx2.AsyncClient(transport=self._transport, timeout=s.timeout)
            client = openai.AsyncOpenAI(
                api_key=s.api_key or "no-key",  # local servers take any key
                base_url=s.effective_base_url,
                max_retries=0,
                timeout=s.timeout,
                http_client=self._http,
            )
            mode = {
                "tools": instructor.Mode.TOOLS,
                "json": instructor.Mode.JSON,
                "json_schema": instructor.Mode.JSON_SCHEMA,
                "md_json": instructor.Mode.MD_JSON,
            }[s.mode]
            self._instructor = instructor.from_openai(client, mode=mode)
            # Wrapped once: instructor otherwise derives a new class on every call,
            # which defeats its schema cache (about 35 ms of CPU per request).
            self._response_model = instructor.response_schema(Extraction)
            self._instructor.on("completion:response", _count_attempt)
        return self._instructor

    async def extract(
        self,
        prompt: Prompt,
        text: str,
        *,
        check: Callable[[Extraction], None] | None = None,
    ) -> ModelAnswer:
        """Ask the model for an :class:`Extraction` of ``text``.

        ``check`` runs inside validation (instructor's validation context); a
        ``ValueError`` it raises goes back to the model as a re-ask.
        """
        await self._import_stack()
        client = self._client()
        counter = [0]
        token = _attempts.set(counter)
        try:
            extraction = await client.chat.completions.create(
                model=self.settings.model,
                messages=prompt.messages(),
                response_model=self._response_model,
                context={"article": text, "check": check},
                max_retries=self.settings.max_reasks,
                strict=False,
                **self.settings.sampling(),
            )
        except Exception as exc:
            raise _explain(exc, self.settings, counter[0]) from exc
        finally:
            _attempts.reset(token)
        return ModelAnswer(extraction=extraction, attempts=counter[0])

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._http is not None:
            await self._http.aclose()
        else:
            await self._transport.aclose()


def _import_llm_libraries() -> None:
    import instructor  # noqa: F401
    import openai  # noqa: F401


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


def _explain(exc: Exception, settings: Settings, attempts: int) -> SummarizerError:
    """Turn whatever instructor or openai raised into one of our errors, with advice."""
    import openai
    from instructor.core.exceptions import IncompleteOutputException
    from pydantic import ValidationError

    chain = _chain(exc)
    for err in chain:
        if isinstance(err, SummarizerError):
            return err
    host = settings.endpoint_host
    for err in chain:
        if isinstance(err, IncompleteOutputException):
            return ExtractionError(
                "the model's answer was cut off (finish_reason=length); "
                "raise --max-tokens or use a model with a longer output",
                original=exc,
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
            return EndpointError(
                f"{host} did not answer within --timeout {settings.timeout:g}s (after retries)",
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
    return ExtractionError(f"model call failed: {_short(str(exc))}", original=exc)


def _short(message: str, limit: int = 300) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
