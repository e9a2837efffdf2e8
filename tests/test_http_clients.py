"""The two network transports under the openai client behave alike.

``--http-client aiohttp`` (the default) and ``--http-client httpx`` must raise the same
httpx2 exception classes for the same failure, since the retry policy and the run's
fault counts read them, and must send the same requests.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import Awaitable, Callable

import httpx2
import pytest

from summarizer.config import Settings
from summarizer.errors import ConfigError
from summarizer.extract._aiohttp import AiohttpTransport

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
LIMITS = httpx2.Limits(max_connections=4, max_keepalive_connections=4)


def _transports() -> list[Callable[[], httpx2.AsyncBaseTransport]]:
    return [lambda: AiohttpTransport(LIMITS), lambda: httpx2.AsyncHTTPTransport(limits=LIMITS)]


async def _read_request(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    return head + (await reader.readexactly(length) if length else b"")


class _Server:
    """A raw TCP server on loopback whose every connection runs ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[bytes] = []
        self.url = ""
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> _Server:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            try:
                await self.handler(reader, writer)
            except (ConnectionError, asyncio.IncompleteReadError):
                pass
            finally:
                writer.close()

        self._server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/v1/chat/completions"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()


async def _send(
    make: Callable[[], httpx2.AsyncBaseTransport], url: str, *, read_timeout: float = 5.0
) -> httpx2.Response:
    transport = make()
    try:
        async with httpx2.AsyncClient(transport=transport) as client:
            response = await client.post(
                url,
                json={"model": "m", "messages": [{"role": "user", "content": "hé"}]},
                headers={"Authorization": "Bearer k"},
                timeout=httpx2.Timeout(5.0, read=read_timeout),
            )
            await response.aread()
            return response
    finally:
        await transport.aclose()


def _outcome(make: Callable[[], httpx2.AsyncBaseTransport], handler: Handler, **kw: float) -> str:
    async def go() -> str:
        async with _Server(handler) as server:
            try:
                response = await _send(make, server.url, **kw)
            except httpx2.HTTPError as exc:
                return type(exc).__name__
            return f"{response.status_code} {response.text}"

    return asyncio.run(go())


async def _hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)  # then close without a word


async def _cut_body(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{"
    )
    await writer.drain()


async def _stall(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    await asyncio.sleep(3)


async def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    writer.write(b"this is not HTTP at all\r\n\r\n")
    await writer.drain()


async def _gzip_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await _read_request(reader)
    body = gzip.compress(b'{"ok": true}')
    writer.write(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    await writer.drain()


@pytest.mark.parametrize(
    ("handler", "kw", "expected"),
    [
        (_hang_up, {}, "RemoteProtocolError"),
        (_cut_body, {}, "RemoteProtocolError"),
        (_stall, {"read_timeout": 0.3}, "ReadTimeout"),
        (_garbage, {}, "RemoteProtocolError"),
        (_gzip_ok, {}, '201 {"ok": true}'),
    ],
    ids=["hang-up", "cut-body", "stall", "not-http", "gzip"],
)
def test_both_transports_report_a_failure_alike(
    handler: Handler, kw: dict[str, float], expected: str
) -> None:
    aiohttp_outcome, httpx_outcome = (_outcome(make, handler, **kw) for make in _transports())
    assert aiohttp_outcome == httpx_outcome == expected


def test_a_closed_port_is_a_connect_error_with_both() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again before the request: nobody listens

    async def go(make: Callable[[], httpx2.AsyncBaseTransport]) -> str:
        try:
            await _send(make, f"http://127.0.0.1:{port}/v1/x")
        except httpx2.HTTPError as exc:
            return type(exc).__name__
        return "answered"

    assert [asyncio.run(go(make)) for make in _transports()] == ["ConnectError"] * 2


def test_both_transports_send_the_same_request() -> None:
    seen: list[bytes] = []

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen.append(await _read_request(reader))
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        await writer.drain()

    for make in _transports():
        assert _outcome(make, echo).startswith("200")
    assert len(seen) == 2

    def parts(raw: bytes) -> tuple[bytes, dict[bytes, bytes], bytes]:
        head, _, body = raw.partition(b"\r\n\r\n")
        line, *fields = head.split(b"\r\n")
        headers = dict(f.lower().split(b": ", 1) for f in fields)
        return line, headers, body

    (line_a, head_a, body_a), (line_b, head_b, body_b) = map(parts, seen)
    assert line_a == line_b == b"POST /v1/chat/completions HTTP/1.1"
    assert body_a == body_b and "hé".encode() in body_a
    for name in (b"authorization", b"content-type", b"content-length", b"user-agent"):
        assert head_a[name] == head_b[name], name


def test_unknown_http_client_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown HTTP client 'curl'"):
        Settings(http_client="curl")
