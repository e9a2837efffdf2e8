"""What a failed article says when the endpoint answered, but not usefully."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from summarizer import Summarizer
from summarizer.testing import FakeOpenAIServer
from summarizer.testing._faults import FaultPlan

from .conftest import API_KEY, SEEDS

TEXT = (SEEDS / "000_7f9170a9a539a144.txt").read_text(encoding="utf-8")


def _reason(base_url: str, tmp_path: Path) -> str:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    with Summarizer(
        provider="openai", base_url=base_url, api_key=API_KEY, use_cache=False, max_retries=1
    ) as s:
        result = s.summarize_folder(folder, tmp_path / "out")
    assert len(result.run.failed) == 1
    reason = result.run.failed[0].reason
    assert reason is not None
    return reason


def test_a_body_that_is_not_json_is_not_called_unreachable(tmp_path: Path) -> None:
    with FakeOpenAIServer(faults=FaultPlan(rate_malformed=1.0)) as server:
        reason = _reason(server.base_url, tmp_path)
    assert "answered, but its body was not JSON" in reason
    assert "cannot reach" not in reason


class _EmptyAnswers(http.server.BaseHTTPRequestHandler):
    """200 with an empty body and no content type, to every request."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def empty_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _EmptyAnswers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_without_choices_says_so_plainly(empty_server: str, tmp_path: Path) -> None:
    reason = _reason(empty_server, tmp_path)
    assert "No choices" in reason and "attempts" in reason
    assert "<failed_attempts>" not in reason


def test_a_local_server_that_does_not_answer_in_time_is_not_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import summarizer.extract.openai_compat as openai_compat

    # The timeout sized for the answer, made short: the server hangs past it.
    monkeypatch.setattr(openai_compat, "request_timeout", lambda timeout, **_: timeout or 1.0)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    plan = FaultPlan(rate_timeout=1.0, hang_seconds=30)
    with (
        FakeOpenAIServer(faults=plan) as server,
        Summarizer(
            provider="openai",
            base_url=server.base_url,
            api_key=API_KEY,
            use_cache=False,
            max_retries=3,
        ) as s,
    ):
        result = s.summarize_folder(folder, tmp_path / "out")
        asked = len(server.history)
    assert result.run.llm_calls == 1 and result.run.retries == 0
    assert asked == 1
    reason = result.run.failed[0].reason or ""
    assert "not asked again" in reason and "sized" in reason


@pytest.mark.parametrize(("retry", "attempts"), [(True, 2), (False, 1)])
def test_read_timeouts_are_retried_only_when_the_policy_says(retry: bool, attempts: int) -> None:
    import asyncio

    import httpx2

    from summarizer.extract.transport import RetryPolicy, RetryTransport

    class Slow(httpx2.AsyncBaseTransport):
        calls = 0

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            Slow.calls += 1
            raise httpx2.ReadTimeout("no answer", request=request)

    policy = RetryPolicy(max_attempts=2, initial_wait=0, max_wait=0, retry_read_timeouts=retry)
    transport = RetryTransport(Slow(), policy)

    async def send() -> None:
        async with httpx2.AsyncClient(transport=transport) as client:
            await client.post("http://127.0.0.1:1/v1/chat/completions", json={})

    with pytest.raises(httpx2.ReadTimeout):
        asyncio.run(send())
    assert Slow.calls == attempts


def test_a_server_that_answered_once_is_not_given_up_for_a_refused_connection() -> None:
    import asyncio

    import httpx2

    from summarizer.errors import FatalEndpointError
    from summarizer.extract.transport import RetryPolicy, RetryTransport

    class Flaky(httpx2.AsyncBaseTransport):
        up = False

        async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
            if not Flaky.up:
                raise httpx2.ConnectError("refused", request=request)
            return httpx2.Response(200, json={}, request=request)

    transport = RetryTransport(Flaky(), RetryPolicy(max_attempts=1))

    async def send() -> None:
        async with httpx2.AsyncClient(transport=transport) as client:
            await client.post("http://127.0.0.1:1/v1/chat/completions", json={})

    with pytest.raises(FatalEndpointError, match=r"cannot reach 127\.0\.0\.1:1"):
        asyncio.run(send())  # never answered: the run stops
    Flaky.up = True
    asyncio.run(send())
    Flaky.up = False
    with pytest.raises(httpx2.ConnectError):
        asyncio.run(send())  # it answered before: this article's failure only
