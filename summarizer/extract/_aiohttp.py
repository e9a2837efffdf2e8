"""The network under the openai client: aiohttp, behind httpx2's transport interface.

openai 3.x speaks through an ``httpx2.AsyncClient``; what that client does with a
request is up to its transport. With httpx2's own (httpcore over anyio streams) the
whole extraction path cost 4.1 ms of CPU per call; with aiohttp's C-accelerated
HTTP/1.1 client, 2.6 ms (``benchmarks/bench_client_overhead.py``). openai ships the same idea as ``DefaultAioHttpClient`` (the
``openai[aiohttp]`` extra, a vendored ``httpx-aiohttp``); this adapter exists because
that one maps aiohttp's errors loosely (a server that hangs up becomes a *connect
timeout*), and the retry policy and the run's fault counts depend on telling a timeout
from a dropped connection. Its mapping follows httpcore's, so
:class:`~summarizer.extract.transport.RetryTransport` sees the same exception classes
whichever transport is below it.

The whole body is read here (every caller reads it at once anyway), so the connection
is back in the pool before the response is handed up. httpx2 still decodes any
``Content-Encoding``. Proxies from the environment are not used, as with httpx2 under
a custom transport.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import httpx2

__all__ = ["AiohttpTransport"]


class AiohttpTransport(httpx2.AsyncBaseTransport):
    """Send httpx2 requests with one aiohttp session (created on first use, per event loop)."""

    def __init__(self, limits: httpx2.Limits) -> None:
        """``limits``: the connection pool's size (``max_connections``) and keep-alive."""
        self._limits = limits
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            connector = aiohttp.TCPConnector(
                limit=self._limits.max_connections or 0,
                keepalive_timeout=self._limits.keepalive_expiry or 15.0,
                # The same trust store as httpx2 (certifi, SSL_CERT_FILE, SSL_CERT_DIR).
                ssl=httpx2.create_ssl_context(),
            )
            # auto_decompress off: httpx2 decodes the body, as with its own transport.
            self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, trust_env=False
            )
            self._loop = loop
        return self._session

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        """Send ``request``, read the whole answer, and return it as an httpx2 response."""
        timeout = request.extensions.get("timeout") or {}
        session = self._get_session()
        headers = [
            (k, v) for k, v in request.headers.multi_items() if k.lower() != "content-length"
        ]
        body = await request.aread()
        # The credentials of http://user:pass@host are not part of a request target
        # (httpx2 turned them into a header already); aiohttp refuses them next to one.
        url = request.url.copy_with(userinfo=b"") if request.url.userinfo else request.url
        try:
            async with session.request(
                request.method,
                str(url),
                headers=headers,
                data=body or None,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(
                    total=None,
                    connect=timeout.get("pool"),
                    sock_connect=timeout.get("connect"),
                    sock_read=timeout.get("read"),
                ),
            ) as answer:
                content = await answer.read()
        except Exception as exc:
            raise _mapped(exc, request) from exc
        extensions: dict[str, Any] = {"http_version": b"HTTP/1.1"}
        if answer.reason:
            extensions["reason_phrase"] = answer.reason.encode("latin-1", "replace")
        return httpx2.Response(
            status_code=answer.status,
            headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in answer.raw_headers],
            stream=httpx2.ByteStream(content),
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        """Close the session and its connections."""
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


def _mapped(exc: Exception, request: httpx2.Request) -> Exception:
    """The httpx2 exception httpcore raises for the same failure (``exc`` itself if none)."""
    message = str(exc) or type(exc).__name__
    kind: type[httpx2.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        kind = httpx2.ConnectTimeout
    elif isinstance(exc, aiohttp.ServerTimeoutError | asyncio.TimeoutError):
        kind = httpx2.ReadTimeout
    elif isinstance(exc, aiohttp.ClientConnectorError):
        kind = httpx2.ConnectError
    elif isinstance(
        exc,
        aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError | aiohttp.ClientResponseError,
    ):
        kind = httpx2.RemoteProtocolError  # hung up, cut the body short, or spoke no HTTP
    elif isinstance(exc, aiohttp.InvalidURL):
        kind = httpx2.UnsupportedProtocol
    elif isinstance(exc, aiohttp.ClientOSError | aiohttp.ClientConnectionError):
        kind = httpx2.ReadError  # e.g. connection reset while reading
    elif isinstance(exc, aiohttp.ClientError):
        kind = httpx2.NetworkError
    else:
        return exc
    return kind(message, request=request)
