"""Record and replay endpoint exchanges at the HTTP boundary.

``--record DIR`` wraps the live transport in :class:`RecordingTransport`: every
successful exchange is saved as one JSON file. ``--replay DIR`` swaps the network
for :class:`ReplayTransport`, which answers from those files, so the openai client,
instructor's parsing, validation and re-asks all run for real.

A recording file::

    {"key": sha256 of the canonical request body,
     "conversation": sha256 of the request cut before its first assistant message,
     "turn": number of assistant messages in the request (0 first ask, 1 first re-ask),
     "label": {"document": id, "chunk": 0, "mode": "tools"},
     "source": "recorded" (a live answer) | "authored" (written by hand),
     "recorded_with": {"model": ..., "endpoint": host, "date": YYYY-MM-DD, ...},
     "request": {...}, "response": {"status": 200, "headers": {...}, "body": {...}}}

Lookup is by ``key``; failing that by ``(conversation, turn)``, so a re-ask whose
error text differs between library versions still gets the next recorded answer.
Authorization headers and API keys are never written.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2

from summarizer._atomic import write_json_atomic
from summarizer.errors import ConfigError, ReplayMissError

__all__ = [
    "RecordingTransport",
    "RefreshReport",
    "ReplayTransport",
    "canonical_json",
    "current_label",
    "request_keys",
    "request_strategy",
]

KEPT_HEADERS = ("content-type", "x-request-id", "openai-model", "openai-processing-ms")

# Set by the pipeline around each model call: which document and chunk is asking.
current_label: ContextVar[dict[str, Any] | None] = ContextVar("summarizer_label", default=None)


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 kept: the form the keys hash."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()


def request_keys(body: dict[str, Any]) -> tuple[str, str, int]:
    """``(key, conversation, turn)`` for a chat-completions request body."""
    messages = body.get("messages") or []
    turn = sum(1 for m in messages if isinstance(m, dict) and m.get("role") == "assistant")
    first = next(
        (i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "assistant"),
        len(messages),
    )
    return _sha(body), _sha({**body, "messages": messages[:first]}), turn


_SLUG_CHARS = 80


def _file_name(label: dict[str, Any] | None, key: str, turn: int) -> str:
    """A recording's file name: readable, unique per document id, under 255 bytes.

    The document id is slugged for reading (``a/b`` -> ``a__b``) and cut to
    ``_SLUG_CHARS``; a hash of the exact id follows, so ``a/b`` and ``a__b``, or two
    long ids that share a beginning, never share a file.
    """
    if not label:
        return f"{key[:16]}.json"
    document = str(label.get("document", "doc"))
    slug = re.sub(r"[^A-Za-z0-9_.-]+", "__", document)[:_SLUG_CHARS].strip(".") or "doc"
    tag = hashlib.sha256(document.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    mode = re.sub(r"[^A-Za-z0-9_]+", "_", str(label.get("mode", "tools")))[:20]
    chunk = int(label.get("chunk", 0))
    return f"{slug}-{tag}.{mode}.c{chunk}.t{turn}.json"


class RecordingTransport(httpx2.AsyncBaseTransport):
    """Pass requests to ``inner`` and save each successful exchange under ``directory``."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, directory: Path, *, model: str) -> None:
        self._inner = inner
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._model = model

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self._inner.handle_async_request(request)
        body = await response.aread()
        if 200 <= response.status_code < 300:
            self._save(request, response, body)
        return response

    def _save(self, request: httpx2.Request, response: httpx2.Response, body: bytes) -> None:
        try:
            req = json.loads(request.content)
            resp: Any = json.loads(body)
        except ValueError:
            return
        key, conversation, turn = request_keys(req)
        label = current_label.get()
        record = {
            "key": key,
            "conversation": conversation,
            "turn": turn,
            "label": label,
            # A live answer: never to be mistaken for an authored one.
            "source": "recorded",
            "recorded_with": {
                "model": resp.get("model", self._model) if isinstance(resp, dict) else self._model,
                "endpoint": request.url.host,
                "date": _dt.date.today().isoformat(),
            },
            "request": req,
            "response": {
                "status": response.status_code,
                "headers": {h: response.headers[h] for h in KEPT_HEADERS if h in response.headers},
                "body": resp,
            },
        }
        path = self.directory / _file_name(label, key, turn)
        try:
            write_json_atomic(path, record)
        except OSError as exc:
            # Raised inside the transport, a plain OSError would read as "cannot
            # reach the server"; say what really failed.
            raise ConfigError(
                f"cannot write the recording {path}: {exc.strerror or exc}; "
                "check that the --record folder is writable"
            ) from exc

    async def aclose(self) -> None:
        await self._inner.aclose()


@dataclass
class _Recording:
    path: Path
    data: dict[str, Any]
    used: bool = False


@dataclass
class RefreshReport:
    """What ``summarize recordings refresh`` found."""

    matched: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every request had an up-to-date recording."""
        return not (self.stale or self.missing)


class ReplayTransport(httpx2.AsyncBaseTransport):
    """Answer requests from recording files instead of the network.

    With ``refresh=True``, a request whose key no longer matches (because the prompt
    or schema changed) is paired with the recording for the same document, chunk,
    mode and turn; :meth:`save_refreshed` then rewrites those files' request side.
    """

    def __init__(self, directory: Path, *, refresh: bool = False) -> None:
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise ConfigError(f"replay folder {self.directory} does not exist")
        self.refresh = refresh
        self._lock = threading.Lock()
        self._by_key: dict[str, _Recording] = {}
        self._by_turn: dict[tuple[str, int], _Recording] = {}
        self._by_label: dict[tuple[str, str, int, int], _Recording] = {}
        self.report = RefreshReport()
        self._recordings: list[_Recording] = []
        for path in sorted(self.directory.rglob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise ConfigError(f"recording {path} is not valid JSON: {exc}") from None
            if not isinstance(data, dict) or "response" not in data:
                continue
            rec = _Recording(path, data)
            self._recordings.append(rec)
            self._index(rec)
        if not self._recordings:
            raise ConfigError(f"replay folder {self.directory} holds no recordings")

    def _index(self, rec: _Recording) -> None:
        data = rec.data
        if data.get("key"):
            self._by_key[data["key"]] = rec
        if data.get("conversation"):
            self._by_turn[(data["conversation"], int(data.get("turn", 0)))] = rec
        label = data.get("label") or {}
        if label.get("document") is not None:
            lk = (
                str(label["document"]),
                str(label.get("mode", "tools")),
                int(label.get("chunk", 0)),
                int(data.get("turn", 0)),
            )
            self._by_label[lk] = rec

    def _miss_hint(self, body: dict[str, Any]) -> str:
        """Why a request may have no recording: it asks for another strategy's answer."""
        asked = request_strategy(body)
        made = {request_strategy(rec.data.get("request")) for rec in self._recordings}
        made.discard(None)
        if asked is None or not made or asked in made:
            return ""
        answered = " / ".join(sorted(str(m) for m in made))
        return (
            f" (this run asks with --strategy {asked}; the recordings answer "
            f"--strategy {answered}: add --strategy {answered})"
        )

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(await request.aread())
        key, conversation, turn = request_keys(body)
        with self._lock:
            rec = self._by_key.get(key) or self._by_turn.get((conversation, turn))
            if rec is not None:
                self.report.matched.append(rec.path.name)
            elif self.refresh:
                rec = self._refresh(body, key, conversation, turn)
            if rec is None:
                self.report.missing.append(key)
                raise ReplayMissError(key, str(self.directory), hint=self._miss_hint(body))
            rec.used = True
        resp = rec.data["response"]
        headers = dict(resp.get("headers") or {})
        headers.setdefault("content-type", "application/json")
        return httpx2.Response(
            int(resp.get("status", 200)),
            headers=headers,
            content=json.dumps(resp["body"]).encode("utf-8"),
            request=request,
        )

    def _refresh(
        self, body: dict[str, Any], key: str, conversation: str, turn: int
    ) -> _Recording | None:
        label = current_label.get() or {}
        lk = (
            str(label.get("document")),
            str(label.get("mode", "tools")),
            int(label.get("chunk", 0)),
            turn,
        )
        rec = self._by_label.get(lk)
        if rec is None:
            return None
        rec.data.update(key=key, conversation=conversation, turn=turn, request=body)
        self._index(rec)
        self.report.stale.append(rec.path.name)
        return rec

    def save_refreshed(self) -> list[Path]:
        """Rewrite the recordings whose request side was refreshed; returns their paths."""
        written = []
        for rec in self._recordings:
            if rec.path.name in self.report.stale:
                write_json_atomic(rec.path, rec.data)
                written.append(rec.path)
        return written

    def finish_report(self) -> RefreshReport:
        """The report, with the recordings no request used."""
        self.report.unused = sorted(r.path.name for r in self._recordings if not r.used)
        return self.report


def request_strategy(request: Any) -> str | None:
    """The strategy whose answer schema a request body asks for, if it names one.

    ``candidates`` for the ``Labels`` schema, ``generate`` for ``Extraction``, from the
    tool name, the ``json_schema`` name, or (JSON and MD_JSON modes) the schema's title
    in the system prompt.
    """
    from summarizer.extract.candidates import Labels
    from summarizer.records import Extraction

    if not isinstance(request, dict):
        return None
    name: Any = None
    tools = request.get("tools")
    response_format = request.get("response_format")
    if isinstance(tools, list) and tools and isinstance(tools[0], dict):
        name = (tools[0].get("function") or {}).get("name")
    elif isinstance(response_format, dict) and response_format.get("type") == "json_schema":
        name = (response_format.get("json_schema") or {}).get("name")
    else:
        # JSON and MD_JSON modes put the schema in the system prompt; its own title is
        # the last one (a JSON Schema lists its $defs first).
        for message in request.get("messages") or []:
            if isinstance(message, dict) and message.get("role") == "system":
                titles = _SCHEMA_TITLE.findall(str(message.get("content") or ""))
                name = titles[-1] if titles else name
    return {Labels.__name__: "candidates", Extraction.__name__: "generate"}.get(str(name))


_SCHEMA_TITLE = re.compile(r'"title"\s*:\s*"([^"\\]+)"')
