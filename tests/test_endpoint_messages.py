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
