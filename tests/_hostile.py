"""Helpers for the hostile-conditions tests: the CLI in a subprocess, odd HTTP servers."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from .conftest import SEEDS, cli_env

SEED = "000_7f9170a9a539a144.txt"


def run_cli(
    *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The CLI in a subprocess, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "summarizer.cli", *args],
        capture_output=True,
        text=True,
        env=env or cli_env(),
        timeout=timeout,
        check=False,
    )


def articles(folder: Path, count: int = 1) -> Path:
    """``count`` distinct seed articles in ``folder`` (``a0.txt``, ``a1.txt``, ...)."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(count):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"a{i}.txt").write_text(f"{text}\n\nEdition {i}.\n", encoding="utf-8")
    return folder


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass
class Reply:
    """What a :class:`ScriptedServer` sends: status, headers, body, and how fast."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    trickle: float = 0.0  # seconds between body bytes (0: all at once)


Handler = Callable[[str, str, bytes], Reply]


class ScriptedServer:
    """A real HTTP server on 127.0.0.1 whose every answer comes from ``handler``.

    ``handler(method, path, body) -> Reply``. ``requests`` lists ``(method, path,
    headers)`` in arrival order.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._stop = threading.Event()
        outer = self

        class _H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                outer.requests.append((self.command, self.path, headers))
                reply = outer.handler(self.command, self.path, body)
                try:
                    self.send_response(reply.status)
                    sent = {"content-type": "application/json", **reply.headers}
                    for name, value in sent.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(reply.body)))
                    self.end_headers()
                    if not reply.trickle:
                        self.wfile.write(reply.body)
                        return
                    for byte in reply.body:
                        if outer._stop.wait(reply.trickle):
                            return
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                except OSError:
                    return

            do_GET = _serve
            do_POST = _serve

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _H)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (no path)."""
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def timed() -> Iterator[list[float]]:
    """``with timed() as t: ...`` then ``t[0]`` is the elapsed seconds."""
    box: list[float] = []
    start = time.monotonic()
    try:
        yield box
    finally:
        box.append(time.monotonic() - start)


def completion(method: str, path: str, body: bytes) -> Reply:
    """A good chat completion for ``body`` (the fake server's extractive answer)."""
    from summarizer.testing import chat_completion, extractive_responder

    if method != "POST":
        return openai_error(404, f"no route {path}")
    request = json.loads(body)
    return Reply(200, json.dumps(chat_completion(request, extractive_responder(request))).encode())


def openai_error(status: int, message: str, code: str | None = None) -> Reply:
    """An OpenAI-style JSON error answer."""
    payload = {"error": {"message": message, "type": "invalid_request_error", "code": code}}
    return Reply(status, json.dumps(payload).encode())
