"""The fake endpoint: a threaded HTTP/1.1 server speaking OpenAI chat completions."""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import logging
import math
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, NamedTuple, cast
from urllib.parse import urlsplit

from summarizer.testing._faults import (
    SCRIPTABLE,
    FaultPlan,
    Outcome,
    RequestRecord,
    ServerStats,
    StatsRecorder,
)
from summarizer.testing._responders import (
    Responder,
    extractive_responder,
    message_text,
    tool_name,
)

__all__ = ["FakeOpenAIServer", "chat_completion"]

log = logging.getLogger("summarizer.testing")

Answer = dict[str, Any] | str
Shape = Literal["tools", "json", "markdown"]

_CHAT_PATHS = frozenset({"/v1/chat/completions", "/chat/completions"})
_MODEL_PATHS = frozenset({"/v1/models", "/models"})
# A completion cut off while the object is still open: what a dying upstream or a
# broken proxy leaves behind.
_MALFORMED_BODY = (
    b'{"id":"chatcmpl-malformed","object":"chat.completion","choices":[{"index":0,'
    b'"message":{"role":"assistant","content":"{\\"summ'
)


Dialect = Literal["openai", "llama-cpp-python", "llama-server", "vllm"]
# llama-cpp-python 0.3.36 (python -m llama_cpp.server) answers a json_schema
# response_format with this HTTP 500, verbatim but for the install path.
LLAMA_CPP_PYTHON_JSON_SCHEMA_ERROR = (
    "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', "
    "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', "
    "'ctx': {'expected': \"'text' or 'json_object'\"}}\n\n  File \"/usr/local/lib/python3.11/"
    'site-packages/llama_cpp/server/app.py", line 376, in create_chat_completion\n'
    "    POST /v1/chat/completions"
)


def _context_error(window: int, prompt: int, completion: int | None) -> bytes:
    """The 400 that llama-cpp-python, vLLM and OpenAI send for a request over the window."""
    message = (
        f"This model's maximum context length is {window} tokens. However, you requested "
        f"{prompt + (completion or 0)} tokens ({prompt} in the messages, {completion} in the "
        "completion). Please reduce the length of the messages or completion."
    )
    error = {
        "message": message,
        "type": "invalid_request_error",
        "param": "messages",
        "code": "context_length_exceeded",
    }
    return json.dumps({"error": error}).encode()


def _tokens(chars: int) -> int:
    """Rough token count: about four characters per token."""
    return math.ceil(chars / 4)


def _prompt_chars(request: dict[str, Any]) -> int:
    total = 0
    for message in request.get("messages") or []:
        if not isinstance(message, dict):
            continue
        total += len(message_text(message))
        for call in message.get("tool_calls") or []:
            if isinstance(call, dict) and isinstance(call.get("function"), dict):
                total += len(str(call["function"].get("arguments", "")))
    return total


def _shape(request: dict[str, Any]) -> Shape:
    """How the request asks to be answered: a forced tool call, JSON text, or fenced JSON."""
    if request.get("tools"):
        return "tools"
    response_format = request.get("response_format")
    if isinstance(response_format, dict) and response_format.get("type") in (
        "json_object",
        "json_schema",
    ):
        return "json"
    return "markdown"


def chat_completion(
    request: dict[str, Any],
    answer: Answer,
    *,
    truncated: bool = False,
    model: str | None = None,
) -> dict[str, Any]:
    """Build an OpenAI ``chat.completion`` object answering ``request`` with ``answer``.

    ``answer`` is a dict (serialised to JSON) or a string (sent as-is). The reply
    takes the shape the request asks for: a ``tool_calls`` entry naming the forced
    function if it has ``tools``; plain JSON content if its ``response_format`` is
    ``json_object`` or ``json_schema``; otherwise JSON in a fenced ```` ```json ````
    block (strings are never fenced). ``truncated`` cuts the text mid-JSON and sets
    ``finish_reason`` to ``"length"``, as does an answer longer than the request's
    ``max_tokens`` (cut there, at about four characters per token). Also usable in
    an ``httpx.MockTransport``.
    """
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    if truncated:
        text = text[: max(1, len(text) // 2)]
    budget = request.get("max_tokens")
    if isinstance(budget, int) and budget > 0 and _tokens(len(text)) > budget:
        # Like a real server: the answer stops at max_tokens, wherever that falls.
        text, truncated = text[: budget * 4], True
    shape = _shape(request)
    message: dict[str, Any] = {"role": "assistant", "content": None, "refusal": None}
    if shape == "tools":
        message["tool_calls"] = [
            {
                "id": f"call_{uuid.uuid4().hex[:24]}",
                "type": "function",
                "function": {"name": tool_name(request) or "answer", "arguments": text},
            }
        ]
        finish_reason = "tool_calls"
    else:
        fenced = shape == "markdown" and not isinstance(answer, str)
        if fenced:
            text = f"```json\n{text}" + ("" if truncated else "\n```")
        message["content"] = text
        finish_reason = "stop"
    prompt_tokens = _tokens(_prompt_chars(request))
    completion_tokens = _tokens(len(text))
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model or str(request.get("model") or "fake-model"),
        "system_fingerprint": "fp_fake",
        "choices": [
            {
                "index": 0,
                "message": message,
                "logprobs": None,
                "finish_reason": "length" if truncated else finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _error_body(message: str, type_: str, code: str | None = None) -> bytes:
    error = {"message": message, "type": type_, "param": None, "code": code}
    return json.dumps({"error": error}).encode()


class _Reply(NamedTuple):
    outcome: Outcome
    status: int | None
    """``None``: close the connection without answering."""
    body: bytes = b""
    headers: dict[str, str] = {}  # noqa: RUF012 - never mutated
    prompt_tokens: int = 0
    completion_tokens: int = 0


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    # Keep-alive handler threads live as long as the client's connection pool;
    # joining them on close would hang ``stop()``.
    block_on_close = False
    # 64 clients connecting at once must not overflow the listen backlog (default 5):
    # a dropped SYN costs the client a one-second retransmit.
    request_queue_size = 1024

    def __init__(self, address: tuple[str, int], app: FakeOpenAIServer) -> None:
        self.app = app
        super().__init__(address, _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # the client hung up (after its timeout, or at shutdown)
        log.exception("FakeOpenAIServer: error while handling a request from %s", client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1"
    sys_version = ""
    # Head and body go out in one segment: buffered writes (flushed once per
    # request) and no Nagle, so keep-alive requests never wait on a delayed ACK.
    wbufsize = -1
    disable_nagle_algorithm = True

    @property
    def app(self) -> FakeOpenAIServer:
        return cast(_HTTPServer, self.server).app

    def setup(self) -> None:
        super().setup()
        self.app._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.app._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def read_body(self) -> bytes:
        """The request body, by ``Content-Length`` or chunked transfer coding."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        """Write one complete response; a client that has gone away is not an error."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True

    def do_GET(self) -> None:
        self.read_body()
        if urlsplit(self.path).path.rstrip("/") in _MODEL_PATHS:
            model: dict[str, Any] = {
                "id": self.app.model,
                "object": "model",
                "created": 0,
                "owned_by": "summarizer",
            }
            if self.app.dialect == "vllm" and self.app.n_ctx:
                model["max_model_len"] = self.app.n_ctx
            self.send(200, json.dumps({"object": "list", "data": [model]}).encode())
        elif urlsplit(self.path).path == "/props" and self.app.dialect == "llama-server":
            props = {"default_generation_settings": {"n_ctx": self.app.n_ctx or 4096}}
            self.send(200, json.dumps(props).encode())
        else:
            self._not_found()

    def do_POST(self) -> None:
        body = self.read_body()
        if urlsplit(self.path).path.rstrip("/") in _CHAT_PATHS:
            self.app._handle_chat(self, body)
        else:
            self._not_found()

    def _not_found(self) -> None:
        message = f"Unknown request URL: {self.command} {self.path}. FakeOpenAIServer serves POST /v1/chat/completions and GET /v1/models."
        self.send(404, _error_body(message, "invalid_request_error", "unknown_url"))


class FakeOpenAIServer:
    """An OpenAI-compatible chat-completions endpoint on 127.0.0.1, for tests and benchmarks.

    Answers come from :meth:`enqueue` (first in, first out) and, when that queue
    is empty, from ``responder`` (default :func:`extractive_responder`). Faults come
    from :meth:`enqueue_faults` and, when that queue is empty, from ``faults``.
    ``latency`` seconds pass before every answer except a 429; requests wait in
    parallel, one thread per connection.

    ``dialect`` mimics a real server's protocol: ``"llama-cpp-python"`` refuses
    ``response_format`` ``json_schema`` with that server's HTTP 500 (it takes
    ``json_object``, with or without a ``schema``) and does not report its window;
    ``"vllm"`` reports ``n_ctx`` as ``max_model_len`` in ``/v1/models``;
    ``"llama-server"`` (llama.cpp's own, without ``--jinja``) refuses ``tools`` with
    HTTP 400 and reports ``n_ctx`` at ``/props``. With
    ``n_ctx``, a request over the window gets the usual HTTP 400
    ``context_length_exceeded``: llama-cpp-python counts the prompt only (an answer
    that does not fit stops at the window, ``finish_reason`` ``"length"``); the others
    count the prompt plus ``max_tokens``. Prompt tokens are estimated at four
    characters per token of the messages and tool or schema definitions.

    ``responder``, ``faults`` and ``latency`` may be reassigned while it runs.
    ``keep_history=False`` stops :attr:`history` from growing in long benchmark runs.
    """

    def __init__(
        self,
        responder: Responder | None = None,
        *,
        faults: FaultPlan | None = None,
        latency: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        model: str = "fake-model",
        keep_history: bool = True,
        dialect: Dialect = "openai",
        n_ctx: int | None = None,
    ) -> None:
        self.responder: Responder = responder or extractive_responder
        self.dialect: Dialect = dialect
        self.n_ctx = n_ctx
        self.faults = faults or FaultPlan()
        self.latency = latency
        self.model = model
        self.keep_history = keep_history
        self._address = (host, port)
        self._lock = threading.Lock()
        self._answers: collections.deque[Answer] = collections.deque()
        self._scripted: collections.deque[Outcome] = collections.deque()
        self._history: list[dict[str, Any]] = []
        self._stats = StatsRecorder()
        self._connections: set[socket.socket] = set()
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> FakeOpenAIServer:
        """Bind a free port (unless one was given) and serve in a daemon thread."""
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _HTTPServer(self._address, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeOpenAIServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake sleeping requests and close every connection. Idempotent."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join()

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port."""
        if self._httpd is None:
            raise RuntimeError("FakeOpenAIServer is not running: call start() or use `with`")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT/v1``, what ``openai.OpenAI(base_url=...)`` takes."""
        host = self._address[0]
        return f"http://{host}:{self.port}/v1"

    # ----------------------------------------------------------------- scripting

    def enqueue(self, *answers: Answer) -> None:
        """Queue answers for the next requests that are answered (not faulted)."""
        with self._lock:
            self._answers.extend(answers)

    def enqueue_faults(self, *outcomes: Outcome) -> None:
        """Queue outcomes (``"429"``, ``"ok"``, ...) for the next requests, before ``faults``."""
        for outcome in outcomes:
            if outcome not in SCRIPTABLE:
                raise ValueError(f"cannot script outcome {outcome!r}; use one of {SCRIPTABLE}")
        with self._lock:
            self._scripted.extend(outcomes)

    @property
    def history(self) -> list[dict[str, Any]]:
        """Every parsed chat-completion request body received, in arrival order (a copy)."""
        with self._lock:
            return list(self._history)

    @property
    def stats(self) -> ServerStats:
        """Counts per outcome, token totals and the per-request log (a snapshot)."""
        return self._stats.snapshot()

    def reset(self) -> None:
        """Forget history, statistics and both queues."""
        with self._lock:
            self._answers.clear()
            self._scripted.clear()
            self._history.clear()
        self._stats.reset()

    # ----------------------------------------------------------------- serving

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _next_answer(self, request: dict[str, Any]) -> Answer:
        with self._lock:
            if self._answers:
                return self._answers.popleft()
        return self.responder(request)

    def _handle_chat(self, handler: _Handler, raw: bytes) -> None:
        started, clock = time.time(), time.monotonic()
        digest = hashlib.sha256(raw).hexdigest()
        index, repeat = self._stats.arrive(digest)
        reply = self._reply(raw, digest, repeat)
        # Record before answering, so a client holding its answer reads settled stats.
        self._stats.record(
            RequestRecord(
                index=index,
                time=started,
                outcome=reply.outcome,
                sha256=digest,
                duration=time.monotonic() - clock,
                prompt_tokens=reply.prompt_tokens,
                completion_tokens=reply.completion_tokens,
            )
        )
        if reply.status is None:
            handler.close_connection = True  # hang up without a word
        else:
            headers = {"x-request-id": f"req_{index:08d}", **reply.headers}
            handler.send(reply.status, reply.body, headers)

    def _reply(self, raw: bytes, digest: str, repeat: int) -> _Reply:
        """Decide the outcome of one chat request, wait as it requires, build the answer."""
        try:
            request = json.loads(raw)
            if not isinstance(request, dict) or not isinstance(request.get("messages"), list):
                raise ValueError("the body must be a JSON object with a 'messages' list")
        except ValueError as exc:
            message = f"Could not parse the request body: {exc}"
            return _Reply("bad_request", 400, _error_body(message, "invalid_request_error"))
        with self._lock:
            if self.keep_history:
                self._history.append(request)
            scripted = None
            if self._scripted and not request.get("stream"):
                scripted = self._scripted.popleft()
        if request.get("stream"):
            message = "stream=true is not supported by FakeOpenAIServer; send stream=false"
            return _Reply("bad_request", 400, _error_body(message, "invalid_request_error"))
        refused = self._protocol_refusal(request)
        if refused is not None:
            return refused
        outcome = scripted or self.faults.draw(digest, repeat)
        if outcome == "429":
            message = (
                f"Rate limit reached for {request.get('model')} (injected by FakeOpenAIServer)."
            )
            body = _error_body(message, "requests", "rate_limit_exceeded")
            return _Reply("429", 429, body, self.faults.retry_after_headers())
        if outcome == "timeout":
            self._stopping.wait(self.faults.hang_seconds)
            return _Reply("timeout", None)
        self._stopping.wait(self.latency)
        if outcome == "500":
            message = "The server had an error while processing your request (injected fault)."
            return _Reply("500", 500, _error_body(message, "server_error"))
        if outcome == "malformed":
            return _Reply("malformed", 200, _MALFORMED_BODY)
        if self.n_ctx and self.dialect == "llama-cpp-python":
            # The answer stops where the window ends, whatever max_tokens says.
            room = max(1, self.n_ctx - _request_tokens(request))
            asked = request.get("max_tokens")
            request = {
                **request,
                "max_tokens": min(room, asked) if isinstance(asked, int) else room,
            }
        try:
            answer = self._next_answer(request)
            completion = chat_completion(request, answer, truncated=outcome == "truncated")
        except Exception as exc:
            log.exception("FakeOpenAIServer: the responder failed")
            message = f"FakeOpenAIServer responder raised {exc!r}"
            return _Reply("error", 500, _error_body(message, "server_error"))
        usage = completion["usage"]
        return _Reply(
            outcome,
            200,
            json.dumps(completion, ensure_ascii=False).encode(),
            prompt_tokens=usage["prompt_tokens"],
            completion_tokens=usage["completion_tokens"],
        )

    def _protocol_refusal(self, request: dict[str, Any]) -> _Reply | None:
        """What the mimicked server refuses before generating anything."""
        response_format = request.get("response_format")
        if (
            self.dialect == "llama-cpp-python"
            and isinstance(response_format, dict)
            and response_format.get("type") == "json_schema"
        ):
            body = _error_body(LLAMA_CPP_PYTHON_JSON_SCHEMA_ERROR, "internal_server_error")
            return _Reply("error", 500, body)
        if self.dialect == "llama-server" and request.get("tools"):
            # llama.cpp's llama-server started without --jinja.
            body = _error_body("tools param requires --jinja flag", "invalid_request_error")
            return _Reply("bad_request", 400, body)
        if self.n_ctx:
            prompt = _request_tokens(request)
            asked = request.get("max_tokens")
            completion = asked if isinstance(asked, int) else None
            counted = prompt if self.dialect == "llama-cpp-python" else prompt + (completion or 0)
            if counted > self.n_ctx:
                return _Reply("bad_request", 400, _context_error(self.n_ctx, prompt, completion))
        return None


def _request_tokens(request: dict[str, Any]) -> int:
    """Prompt tokens of a request: messages plus tool and schema definitions."""
    extra = sum(
        len(json.dumps(request.get(k))) for k in ("tools", "response_format") if request.get(k)
    )
    return _tokens(_prompt_chars(request) + extra)
