"""What OpenAI-compatible servers accept, and how to tell when they refuse for good.

Local servers speak "OpenAI-compatible" with accents. What was tried for real
(llama-cpp-python 0.3.36, ``python -m llama_cpp.server``):

* ``response_format`` ``json_schema`` -> **HTTP 500**, a pydantic validation error
  ("Input should be 'text' or 'json_object'", ``loc ('body', 'response_format',
  'type')``). It takes ``{"type": "json_object", "schema": {...}}`` instead and
  enforces that schema as a grammar, which is what ``json_schema`` means.
* ``json_object`` without a schema, forced ``tool_choice`` and plain text work.
* A prompt longer than ``--n_ctx`` -> HTTP 400 ``context_length_exceeded``, "This
  model's maximum context length is 8192 tokens...". A prompt that fits with a
  ``max_tokens`` that does not is accepted: the answer stops at the window
  (``finish_reason`` ``length``). ``/v1/models`` does not report ``n_ctx``.
* A request whose client has gone keeps generating; ``/v1/models`` waits for it.

Other servers report their window: vLLM's ``/v1/models`` has ``max_model_len``;
llama.cpp's own ``llama-server`` has ``/props`` -> ``default_generation_settings.n_ctx``.

:func:`classify` reads an error answer (status and body) and says whether it is a
refusal that will not change on retry; :class:`ProtocolTransport` sits under the
retry layer, so such a refusal ends the request at once as a :class:`ServerRefusedError`
naming the fix, instead of five retries of the same HTTP 500. It also falls back,
where that is safe, from ``json_schema`` to llama-cpp-python's ``json_object`` with
the schema. :func:`answer_budget`, :func:`input_budget` and :func:`request_timeout`
size ``max_tokens``, chunks and the per-request timeout.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx2

from summarizer.errors import EndpointError, FatalEndpointError

__all__ = [
    "DEFAULT_ANSWER_TOKENS",
    "ProtocolTransport",
    "Refusal",
    "ServerRefusedError",
    "UnsupportedByServerError",
    "answer_budget",
    "classify",
    "detect_context_window",
    "input_budget",
    "is_local_host",
    "refusal_error",
    "request_timeout",
]

log = logging.getLogger(__name__)

RefusalKind = Literal["response_format", "tools", "context", "request"]

# Output budget: a one-shot extraction quotes evidence sentences back, so its answer
# grows with the article; measured on the authored seed answers at 1-3 answer tokens
# per article token. The floor leaves room for a short article's summary and records,
# the ceiling stops a model that loops (it would otherwise run to the window's end).
ANSWER_BASE_TOKENS = 512
ANSWER_TOKENS_PER_INPUT_TOKEN = 2.0
MIN_ANSWER_TOKENS = 1024
DEFAULT_ANSWER_TOKENS = 4096
"""The ceiling of the automatic ``max_tokens`` (and its value with no text to size it)."""

# What a request costs beyond the article: system prompt, schema (or tool
# definition, which llama-cpp-python renders into the prompt) and chat template.
# The prompt and schema are about 450 tokens at 4 characters per token; JSON
# tokenises denser and chat templates add their own text, so this is about twice that.
PROMPT_OVERHEAD_TOKENS = 1000
# Our token estimate is 4 characters per token; real tokenizers vary around that.
ESTIMATE_MARGIN = 1.15

# Timeouts with no --timeout: remote APIs generate at 30+ tokens/s; a local model on
# a laptop CPU at 5-10 (1.5B) and reads the prompt at ~80. The local allowance is for
# the slowest of those, so a slow model that is still working is not cut off and
# asked again (llama-cpp-python would keep generating the abandoned answer).
REMOTE_TIMEOUT = 120.0
LOCAL_TOKENS_PER_SECOND = 4.0
LOCAL_PROMPT_TOKENS_PER_SECOND = 20.0
LOCAL_TIMEOUT_BASE = 60.0

_LLAMA_CPP_PYTHON_FORMATS = "Input should be 'text' or 'json_object'"
_CONTEXT_PATTERNS = (
    re.compile(r"maximum context length is (\d+)"),  # OpenAI, vLLM, llama-cpp-python
    re.compile(r"context window of (\d+)"),  # llama-cpp-python's own wording
    re.compile(r"available context size \((\d+)"),  # llama.cpp llama-server
    re.compile(r"\bn_ctx\b\D{0,12}(\d+)"),
)
_CONTEXT_WORDS = ("context length", "context window", "context size", "n_ctx", "too long")
_VALIDATION_WORDS = (
    "validation error",
    "input should be",
    "not supported",
    "unsupported",
    "not allowed",
    "invalid",
    "unknown",
    "unrecognized",
    "requires",
    "must be",
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """An error answer that will be the same on every retry, and what to do about it."""

    kind: RefusalKind
    message: str
    context_window: int | None = None
    prompt_tokens: int | None = None
    """For a context refusal: the prompt's size, when the server says it."""
    llama_cpp_python: bool = False
    """The body is llama-cpp-python's own validation error (it takes ``json_object`` + schema)."""


class ServerRefusedError(EndpointError):
    """The server refused the request in a way no retry changes (mode, tools, window).

    A context-length refusal belongs to one article (a shorter one may fit); the
    others are :class:`UnsupportedByServerError`.
    """

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.message)
        self.refusal = refusal
        self.kind = refusal.kind
        self.context_window = refusal.context_window


class UnsupportedByServerError(ServerRefusedError, FatalEndpointError):
    """The server does not support what this mode sends: every article would fail alike,
    so a folder run stops at the first one (CLI exit 2) with the fix."""


def refusal_error(refusal: Refusal) -> ServerRefusedError:
    """The exception for ``refusal``: fatal for the run unless it is about one request's size."""
    if refusal.kind == "context":
        return ServerRefusedError(refusal)
    return UnsupportedByServerError(refusal)


def _error_text(body: bytes) -> tuple[str, dict[str, Any]]:
    """The error message of an OpenAI-style error body, and the error object."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace"), {}
    error = data.get("error", data) if isinstance(data, dict) else data
    if isinstance(error, dict):
        message = error.get("message") or error.get("detail") or json.dumps(error)
        return str(message), error
    return str(error), {}


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def classify(status: int, body: bytes, request: dict[str, Any]) -> Refusal | None:
    """A :class:`Refusal` if the error answer ``status``/``body`` to ``request`` is permanent.

    Rate limits (429), timeouts (408), conflicts (409) and 5xx answers that do not
    name the request as the problem are transient: ``None``, the retry layer's business.
    """
    if status < 400 or status in (408, 409, 429):
        return None
    message, error = _error_text(body)
    lowered = message.lower()
    code = str(error.get("code") or "")
    kind_of_error = str(error.get("type") or "")
    window = _context_window_in(message, error)
    if (
        code == "context_length_exceeded"
        or kind_of_error == "exceed_context_size_error"
        or ((status < 500 or window) and any(w in lowered for w in _CONTEXT_WORDS))
    ):
        size = f" of {window} tokens" if window else ""
        return Refusal(
            "context",
            f"the request does not fit the server's context window{size} "
            f"({_short(message, 160)}); pass --context-window "
            f"{window or 'N'} so that chunks and the answer budget are sized to it, "
            "or start the server with a larger context (llama.cpp: --n_ctx / -c)",
            context_window=window,
            prompt_tokens=_prompt_tokens_in(message, error),
        )
    validation = any(w in lowered for w in _VALIDATION_WORDS)
    if status >= 500 and not validation:
        return None
    response_format = request.get("response_format")
    fmt = response_format.get("type") if isinstance(response_format, dict) else None
    if (fmt and "response_format" in lowered) or (
        fmt == "json_schema" and "json_schema" in lowered
    ):
        fix = "use --mode json or --mode tools" if fmt == "json_schema" else "use --mode tools"
        return Refusal(
            "response_format",
            f"this server does not accept response_format {fmt} "
            f"(HTTP {status}: {_short(message)}); {fix}",
            llama_cpp_python=_LLAMA_CPP_PYTHON_FORMATS in message,
        )
    if request.get("tools") and any(w in lowered for w in ("tool", "function", "--jinja")):
        return Refusal(
            "tools",
            f"this server does not accept forced tool calls (tools/tool_choice; HTTP {status}: "
            f"{_short(message)}); use --mode json, or start llama.cpp's llama-server with "
            "--jinja, or vLLM with --enable-auto-tool-choice --tool-call-parser",
        )
    if status >= 500 and ("'loc': ('body'" in message or "validation error" in lowered):
        return Refusal(
            "request",
            f"the server rejects the request itself (HTTP {status}: {_short(message)}); "
            "retrying will not help: check --mode, --max-tokens and --temperature",
        )
    return None


_PROMPT_TOKENS = re.compile(r"\((\d+) in the messages")


def _prompt_tokens_in(message: str, error: dict[str, Any]) -> int | None:
    value = error.get("n_prompt_tokens")
    if isinstance(value, int) and value > 0:
        return value
    found = _PROMPT_TOKENS.search(message)
    return int(found.group(1)) if found else None


def _context_window_in(message: str, error: dict[str, Any]) -> int | None:
    for key in ("n_ctx", "context_window", "max_model_len"):
        value = error.get(key)
        if isinstance(value, int) and value > 0:
            return value
    for pattern in _CONTEXT_PATTERNS:
        found = pattern.search(message)
        if found:
            return int(found.group(1))
    return None


class ProtocolTransport(httpx2.AsyncBaseTransport):
    """Under the retry layer: turn permanent refusals into :class:`ServerRefusedError`.

    With ``adapt=True`` (live endpoints, not replay), a ``json_schema`` request that
    llama-cpp-python refuses is sent again as ``json_object`` with the same schema,
    which that server enforces as a grammar; later requests are rewritten before they
    go out. Other servers that refuse ``json_schema`` get no fallback: ``json_object``
    without their support for ``schema`` would drop the constraint silently.
    """

    def __init__(self, inner: httpx2.AsyncBaseTransport, *, adapt: bool = True) -> None:
        self._inner = inner
        self.adapt = adapt
        self.schema_as_json_object = False

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if self.schema_as_json_object:
            request = _as_json_object(request) or request
        response = await self._inner.handle_async_request(request)
        if response.status_code < 400:
            return response
        body = await response.aread()
        try:
            sent = json.loads(request.content or b"{}")
        except ValueError:
            return response
        refusal = classify(response.status_code, body, sent if isinstance(sent, dict) else {})
        if refusal is None:
            return response
        await response.aclose()
        if refusal.kind == "response_format" and refusal.llama_cpp_python and self.adapt:
            fallback = _as_json_object(request)
            if fallback is not None:
                if not self.schema_as_json_object:
                    log.warning(
                        "the server does not accept response_format json_schema "
                        "(llama-cpp-python); sending json_object with the schema, "
                        "which it enforces as a grammar"
                    )
                self.schema_as_json_object = True
                return await self._inner.handle_async_request(fallback)
        raise refusal_error(refusal)

    async def aclose(self) -> None:
        await self._inner.aclose()


def _as_json_object(request: httpx2.Request) -> httpx2.Request | None:
    """``request`` with ``response_format`` json_schema rewritten as json_object + schema."""
    try:
        body = json.loads(request.content)
    except ValueError:
        return None
    fmt = body.get("response_format") if isinstance(body, dict) else None
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
        return None
    schema = (fmt.get("json_schema") or {}).get("schema")
    body["response_format"] = {"type": "json_object", **({"schema": schema} if schema else {})}
    headers = [(k, v) for k, v in request.headers.items() if k.lower() != "content-length"]
    return httpx2.Request(
        request.method,
        request.url,
        headers=headers,
        content=json.dumps(body).encode("utf-8"),
        extensions=request.extensions,
    )


# --------------------------------------------------------------------------- budgets


def is_local_host(host: str | None) -> bool:
    """Whether ``host`` is this machine or a private network (a local model, likely slow)."""
    if not host:
        return False
    if host == "localhost" or host.endswith((".local", ".localhost", ".internal")):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return "." not in host  # a bare name: a container or a machine on the LAN
    return ip.is_loopback or ip.is_private or ip.is_link_local


def answer_budget(
    input_tokens: int,
    *,
    max_tokens: int | None = None,
    context_window: int | None = None,
    prompt_tokens: int | None = None,
) -> int:
    """``max_tokens`` for one request whose article (chunk) is ``input_tokens`` long.

    ``max_tokens`` (the user's ``--max-tokens``) wins; otherwise the automatic budget
    grows with the input between :data:`MIN_ANSWER_TOKENS` and
    :data:`DEFAULT_ANSWER_TOKENS`. Either way, with a known ``context_window`` the
    budget shrinks to what is left after the prompt (``prompt_tokens``, else the
    input plus :data:`PROMPT_OVERHEAD_TOKENS`), but never below 256.
    """
    if max_tokens is not None:
        budget = max_tokens
    else:
        grown = ANSWER_BASE_TOKENS + ANSWER_TOKENS_PER_INPUT_TOKEN * input_tokens
        budget = int(min(DEFAULT_ANSWER_TOKENS, max(MIN_ANSWER_TOKENS, grown)))
    if context_window:
        used = prompt_tokens or int(input_tokens * ESTIMATE_MARGIN) + PROMPT_OVERHEAD_TOKENS
        budget = min(budget, max(256, context_window - used))
    return budget


_MIN_ROOM = 512  # tokens of a window left for an article and its answer, at the least


def input_budget(context_window: int, *, max_tokens: int | None = None) -> int:
    """Chunk size in (estimated) tokens so that prompt + chunk + answer fit ``context_window``.

    The window left after :data:`PROMPT_OVERHEAD_TOKENS` holds the chunk (with the
    estimate's margin) and its answer, sized by the same rule as :func:`answer_budget`:
    the largest chunk for which both fit.
    """
    room = context_window - PROMPT_OVERHEAD_TOKENS
    if room < _MIN_ROOM:
        from summarizer.errors import ConfigError

        raise ConfigError(
            f"a context window of {context_window} tokens leaves no room for an article "
            f"after the prompt (about {PROMPT_OVERHEAD_TOKENS} tokens); use a window of "
            f"at least {PROMPT_OVERHEAD_TOKENS + _MIN_ROOM} tokens"
        )

    def fits(chunk: int) -> bool:
        return int(chunk * ESTIMATE_MARGIN) + answer_budget(chunk, max_tokens=max_tokens) <= room

    low, high = 0, room  # the largest chunk that fits, by bisection (fits is monotonic)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(middle) else (low, middle - 1)
    return max(256, low)


def request_timeout(
    timeout: float | None, *, local: bool, prompt_tokens: int, max_tokens: int
) -> float:
    """Seconds one request may take: ``timeout`` if given, else sized to the work.

    Local servers: :data:`LOCAL_TIMEOUT_BASE` plus the prompt at
    :data:`LOCAL_PROMPT_TOKENS_PER_SECOND` plus the whole answer budget at
    :data:`LOCAL_TOKENS_PER_SECOND`; remote APIs: :data:`REMOTE_TIMEOUT`, more for a
    large budget.
    """
    if timeout is not None:
        return timeout
    if local:
        return round(
            LOCAL_TIMEOUT_BASE
            + prompt_tokens / LOCAL_PROMPT_TOKENS_PER_SECOND
            + max_tokens / LOCAL_TOKENS_PER_SECOND
        )
    return max(REMOTE_TIMEOUT, 30.0 + max_tokens / 20.0)


# --------------------------------------------------------------------------- detection


async def detect_context_window(
    base_url: str, *, transport: httpx2.AsyncBaseTransport | None = None, api_key: str | None
) -> int | None:
    """The context window the server reports, or ``None`` (not every server says).

    Asks ``{base_url}/models`` (vLLM: ``max_model_len``) and ``{root}/props``
    (llama.cpp's llama-server: ``default_generation_settings.n_ctx``), a few seconds
    each; any failure means "unknown". llama-cpp-python reports neither: its window is
    learned from the first context-length refusal, or given with ``--context-window``.
    """
    parts = urlsplit(base_url)
    root = f"{parts.scheme}://{parts.netloc}"
    headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
    async with httpx2.AsyncClient(transport=transport, timeout=5.0, headers=headers) as client:
        for url, read in (
            (f"{base_url}/models", _window_from_models),
            (f"{root}/props", _window_from_props),
        ):
            try:
                # A deadline for the whole probe: httpx's timeout bounds each read only,
                # and a body trickling in a byte at a time would never trip it.
                async with asyncio.timeout(5.0):
                    response = await client.get(url)
                if response.status_code == 200:
                    found = read(response.json())
                    if found:
                        return found
            except (httpx2.HTTPError, ValueError, OSError, TimeoutError):
                continue
    return None


def _window_from_models(data: Any) -> int | None:
    models = data.get("data") if isinstance(data, dict) else None
    for model in models if isinstance(models, list) else []:
        if not isinstance(model, dict):
            continue
        for key in ("max_model_len", "context_length", "context_window", "n_ctx"):
            value = model.get(key)
            if isinstance(value, int) and value > 0:
                return value
    return None


def _window_from_props(data: Any) -> int | None:
    if not isinstance(data, dict):
        return None
    settings = data.get("default_generation_settings")
    value = settings.get("n_ctx") if isinstance(settings, dict) else data.get("n_ctx")
    return value if isinstance(value, int) and value > 0 else None
