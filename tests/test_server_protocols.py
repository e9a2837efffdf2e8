"""Real servers' protocols, against a real HTTP server on 127.0.0.1 that mimics them.

The fake endpoint plays llama-cpp-python (refuses ``json_schema`` with its HTTP 500,
counts only the prompt against ``n_ctx``) and vLLM (reports ``max_model_len``). The
bodies in the table tests are the ones these servers really send.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx2
import pytest

from summarizer.config import Settings
from summarizer.errors import ExtractionError
from summarizer.extract.chunking import estimate_tokens
from summarizer.extract.openai_compat import ModelClient
from summarizer.extract.prompts import load_prompt
from summarizer.extract.server_protocol import (
    DEFAULT_ANSWER_TOKENS,
    MIN_ANSWER_TOKENS,
    PROMPT_OVERHEAD_TOKENS,
    ProtocolTransport,
    ServerRefusedError,
    answer_budget,
    classify,
    input_budget,
    is_local_host,
    request_timeout,
)
from summarizer.extract.transport import RetryPolicy, RetryTransport
from summarizer.records import Extraction
from summarizer.testing import FakeOpenAIServer
from summarizer.testing._server import LLAMA_CPP_PYTHON_JSON_SCHEMA_ERROR

from .conftest import API_KEY, SEEDS

SHORT = (SEEDS / "004_777a6af17b3ba81c.txt").read_text(encoding="utf-8")
LONG = (SEEDS / "002_8b8e5aa601a30fad.txt").read_text(encoding="utf-8")
EMPTY = {"summary": "Nothing.", "milestones": [], "statistics": [], "quotes": []}


def settings(server: FakeOpenAIServer, **options: Any) -> Settings:
    return Settings(base_url=server.base_url, api_key=API_KEY, max_retries=3, **options)


def extract(s: Settings, text: str = SHORT, **kwargs: Any) -> tuple[Extraction, ModelClient]:
    async def go() -> tuple[Extraction, ModelClient]:
        client = ModelClient(s)
        try:
            answer = await client.extract(load_prompt(), text, **kwargs)
        finally:
            await client.aclose()
        return answer.extraction, client

    return asyncio.run(go())


def chat_requests(server: FakeOpenAIServer) -> list[dict[str, Any]]:
    return server.history


# --------------------------------------------------------------------------- output budget


def test_every_request_carries_a_budget_sized_to_the_article() -> None:
    with FakeOpenAIServer() as server:
        extract(settings(server), SHORT)
        extract(settings(server), LONG)
        short, long = (r["max_tokens"] for r in chat_requests(server))
    assert MIN_ANSWER_TOKENS <= short < long <= DEFAULT_ANSWER_TOKENS
    assert short == answer_budget(estimate_tokens(SHORT))


def test_max_tokens_option_and_a_strategys_budget() -> None:
    with FakeOpenAIServer() as server:
        server.enqueue(EMPTY, EMPTY)
        extract(settings(server), SHORT, max_tokens=300)  # a strategy's own budget
        extract(settings(server, max_tokens=2000), SHORT, max_tokens=300)  # the user's wins
        assert [r["max_tokens"] for r in chat_requests(server)] == [300, 2000]


def test_a_cut_off_answer_keeps_its_text_in_partial() -> None:
    long_answer = {
        **EMPTY,
        "statistics": [
            {
                "metric": f"figure {i}",
                "value": i,
                "unit": "units",
                "value_text": str(i),
                "period": None,
                "evidence": SHORT[:200],
            }
            for i in range(40)
        ],
    }
    with FakeOpenAIServer() as server:
        server.enqueue(long_answer)
        with pytest.raises(ExtractionError) as caught:
            extract(settings(server, max_tokens=300), SHORT)
        assert len(chat_requests(server)) == 1  # not asked again with the same budget
    assert "cut off" in str(caught.value) and "300" in str(caught.value)
    partial = caught.value.partial
    assert partial is not None and 1000 <= len(partial) <= 1200
    assert json.dumps(long_answer).startswith(partial)


# --------------------------------------------------------------------------- json_schema


def test_json_schema_falls_back_to_json_object_with_schema_on_llama_cpp_python() -> None:
    with FakeOpenAIServer(dialect="llama-cpp-python") as server:
        s = settings(server, mode="json_schema")
        first, _ = extract(s, SHORT)
        formats = [r["response_format"] for r in chat_requests(server)]
    assert first.summary
    # Refused once (HTTP 500, not retried), then the same schema as json_object.
    assert [f["type"] for f in formats] == ["json_schema", "json_object"]
    assert formats[1]["schema"] == formats[0]["json_schema"]["schema"]


def test_fallback_is_remembered_for_later_requests() -> None:
    async def go(server: FakeOpenAIServer) -> None:
        client = ModelClient(settings(server, mode="json_schema"))
        try:
            for text in (SHORT, LONG):
                await client.extract(load_prompt(), text)
        finally:
            await client.aclose()

    with FakeOpenAIServer(dialect="llama-cpp-python") as server:
        asyncio.run(go(server))
        types = [r["response_format"]["type"] for r in chat_requests(server)]
    assert types == ["json_schema", "json_object", "json_object"]


def test_a_permanent_500_is_not_retried() -> None:
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "hi"}],
        "response_format": {"type": "json_schema", "json_schema": {"name": "x", "schema": {}}},
    }

    async def post(transport: httpx2.AsyncBaseTransport, url: str) -> int:
        async with httpx2.AsyncClient(transport=transport) as client:
            return (await client.post(url, json=body)).status_code

    policy = RetryPolicy(max_attempts=4, initial_wait=0.0, max_wait=0.0)
    with FakeOpenAIServer(dialect="llama-cpp-python") as server:
        url = f"{server.base_url}/chat/completions"
        plain = RetryTransport(httpx2.AsyncHTTPTransport(), policy)
        assert asyncio.run(post(plain, url)) == 500
        assert server.stats.requests == 4  # the retry layer alone tries it four times
        server.reset()
        guarded = RetryTransport(
            ProtocolTransport(httpx2.AsyncHTTPTransport(), adapt=False), policy
        )
        with pytest.raises(ServerRefusedError) as caught:
            asyncio.run(post(guarded, url))
        assert server.stats.requests == 1
    assert caught.value.kind == "response_format"
    assert "use --mode json or --mode tools" in str(caught.value)


# --------------------------------------------------------------------------- context window


def test_context_overflow_names_the_window_and_is_sent_once() -> None:
    with FakeOpenAIServer(dialect="llama-cpp-python", n_ctx=1200) as server:
        with pytest.raises(ServerRefusedError) as caught:
            extract(settings(server), LONG)
        assert len(chat_requests(server)) == 1
    assert caught.value.kind == "context"
    assert caught.value.context_window == 1200
    assert "--context-window 1200" in str(caught.value)


def test_later_articles_fail_at_once_after_a_mode_refusal() -> None:
    async def go(server: FakeOpenAIServer) -> list[str]:
        # In replay-like (non-adapting) use, a refusal is final: the second article
        # does not reach the server.
        client = ModelClient(settings(server, mode="json_schema"))
        assert client.protocol is not None
        client.protocol.adapt = False
        errors = []
        try:
            for text in (SHORT, LONG):
                with pytest.raises(ServerRefusedError) as caught:
                    await client.extract(load_prompt(), text)
                errors.append(str(caught.value))
        finally:
            await client.aclose()
        return errors

    with FakeOpenAIServer(dialect="llama-cpp-python") as server:
        errors = asyncio.run(go(server))
        assert len(chat_requests(server)) == 1
    assert errors[0] == errors[1]


def test_budget_fits_a_given_context_window() -> None:
    with FakeOpenAIServer(dialect="llama-cpp-python", n_ctx=4096) as server:
        s = settings(server, context_window=4096)
        extract(s, SHORT)
        (request,) = chat_requests(server)
    prompt = estimate_tokens(SHORT) + PROMPT_OVERHEAD_TOKENS
    assert request["max_tokens"] <= 4096 - prompt


def test_vllm_window_is_detected_and_shapes_chunks() -> None:
    async def go(server: FakeOpenAIServer) -> tuple[int | None, int]:
        client = ModelClient(settings(server))
        try:
            return await client.detect(), await client.max_input_tokens()
        finally:
            await client.aclose()

    with FakeOpenAIServer(dialect="vllm", n_ctx=4096) as server:
        window, chunk = asyncio.run(go(server))
    assert window == 4096
    assert chunk == input_budget(4096) < Settings().max_input_tokens


def test_an_answer_budget_over_the_window_is_shrunk_once() -> None:
    # OpenAI-style servers count prompt + max_tokens: the refusal says how much the
    # prompt took, so a smaller budget that fits is safe to send.
    with FakeOpenAIServer(n_ctx=2400) as server:
        extraction, client = extract(settings(server), SHORT)
        budgets = [r["max_tokens"] for r in chat_requests(server)]
    assert extraction.summary
    assert len(budgets) == 2 and budgets[1] < budgets[0]
    assert client.context_window == 2400


# --------------------------------------------------------------------------- tables


LLAMA_CPP_PYTHON_CONTEXT = (
    b'{"error":{"message":"This model\'s maximum context length is 8192 tokens. However, you '
    b"requested 9130 tokens (9030 in the messages, 100 in the completion). Please reduce the "
    b'length of the messages or completion.","type":"invalid_request_error","param":"messages",'
    b'"code":"context_length_exceeded"}}'
)
LLAMA_SERVER_CONTEXT = (
    b'{"error":{"code":400,"message":"the request exceeds the available context size, try '
    b'increasing it","type":"exceed_context_size_error","n_prompt_tokens":9030,"n_ctx":4096}}'
)
VLLM_TOOL_CHOICE = (
    b'{"object":"error","message":"\\"auto\\" tool choice requires --enable-auto-tool-choice '
    b'and --tool-call-parser to be set","type":"BadRequestError","param":null,"code":400}'
)
LLAMA_SERVER_TOOLS = (
    b'{"error":{"code":500,"message":"tools param requires --jinja flag","type":"server_error"}}'
)
TRANSIENT_500 = b'{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}'
SCHEMA_REQUEST = {"response_format": {"type": "json_schema", "json_schema": {"schema": {}}}}
TOOLS_REQUEST = {"tools": [{"type": "function", "function": {"name": "Extraction"}}]}


@pytest.mark.parametrize(
    ("status", "body", "request_body", "kind", "window", "words"),
    [
        (
            500,
            json.dumps({"error": {"message": LLAMA_CPP_PYTHON_JSON_SCHEMA_ERROR}}).encode(),
            SCHEMA_REQUEST,
            "response_format",
            None,
            "does not accept response_format json_schema",
        ),
        (400, LLAMA_CPP_PYTHON_CONTEXT, {}, "context", 8192, "--context-window 8192"),
        (400, LLAMA_SERVER_CONTEXT, {}, "context", 4096, "--context-window 4096"),
        (400, VLLM_TOOL_CHOICE, TOOLS_REQUEST, "tools", None, "--mode json"),
        (500, LLAMA_SERVER_TOOLS, TOOLS_REQUEST, "tools", None, "--jinja"),
        (500, TRANSIENT_500, SCHEMA_REQUEST, None, None, ""),
        (429, b'{"error":{"message":"Rate limit"}}', {}, None, None, ""),
        (503, b"<html>Service Unavailable</html>", TOOLS_REQUEST, None, None, ""),
    ],
)
def test_classify_real_error_bodies(
    status: int,
    body: bytes,
    request_body: dict[str, Any],
    kind: str | None,
    window: int | None,
    words: str,
) -> None:
    refusal = classify(status, body, request_body)
    if kind is None:
        assert refusal is None
        return
    assert refusal is not None
    assert (refusal.kind, refusal.context_window) == (kind, window)
    assert words in refusal.message


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("192.168.1.20", True),
        ("::1", True),
        ("ollama", True),
        ("gpu-box.local", True),
        ("api.openai.com", False),
        ("8.8.8.8", False),
        (None, False),
    ],
)
def test_local_hosts(host: str | None, local: bool) -> None:
    assert is_local_host(host) is local


def test_timeouts_are_sized_for_slow_local_models() -> None:
    slow = request_timeout(None, local=True, prompt_tokens=3000, max_tokens=4096)
    assert slow >= 4096 / 5  # the whole budget at 5 tokens/s
    assert request_timeout(None, local=False, prompt_tokens=3000, max_tokens=1024) == 120
    assert request_timeout(30.0, local=True, prompt_tokens=3000, max_tokens=4096) == 30.0
    # The smallest local timeout outlasts the retry budget: a request timed out on a
    # local server is not sent again to queue behind the answer it abandoned.
    shortest = request_timeout(None, local=True, prompt_tokens=0, max_tokens=MIN_ANSWER_TOKENS)
    assert shortest > Settings().max_retry_seconds


@pytest.mark.parametrize("window", [2048, 4096, 8192, 32768])
def test_chunk_and_answer_fit_the_window(window: int) -> None:
    chunk = input_budget(window)
    answer = answer_budget(chunk, context_window=window)
    assert int(chunk * 1.15) + PROMPT_OVERHEAD_TOKENS + answer <= window + 256
    assert answer >= 256


def test_cli_reports_the_fix_for_a_context_overflow(tmp_path: Path) -> None:
    from .test_cli_server import read_run, run_cli

    with FakeOpenAIServer(dialect="llama-cpp-python", n_ctx=1200) as server:
        out = tmp_path / "out"
        run_cli(
            str(SEEDS),
            "-o",
            str(out),
            "--base-url",
            server.base_url,
            "--api-key",
            API_KEY,
            "--no-cache",
            "--max-retries",
            "3",
        )
        sent = len(chat_requests(server))
    run = read_run(out)
    reasons = [f["reason"] for f in run["failed"]]
    assert reasons and all("--context-window 1200" in r for r in reasons)
    assert sent == len(reasons) + run["succeeded"]  # one request per article, no retries


def test_llama_server_window_is_read_from_props() -> None:
    async def go(server: FakeOpenAIServer) -> int | None:
        client = ModelClient(settings(server))
        try:
            return await client.detect()
        finally:
            await client.aclose()

    with FakeOpenAIServer(dialect="llama-server", n_ctx=6144) as server:
        assert asyncio.run(go(server)) == 6144


def test_cli_stops_at_the_first_article_a_server_cannot_serve_in_this_mode(
    tmp_path: Path,
) -> None:
    from .test_cli_server import run_cli

    with FakeOpenAIServer(dialect="llama-server") as server:
        proc = run_cli(
            str(SEEDS),
            "-o",
            str(tmp_path / "out"),
            "--base-url",
            server.base_url,
            "--api-key",
            API_KEY,
            "--no-cache",
            "--mode",
            "tools",
            "--concurrency",
            "1",
        )
        sent = len(chat_requests(server))
    assert proc.returncode == 2
    assert "does not accept forced tool calls" in proc.stderr
    assert "--mode json" in proc.stderr and "--jinja" in proc.stderr
    assert sent == 1


def test_cli_context_window_splits_what_would_overflow(tmp_path: Path) -> None:
    from .test_cli_server import read_run, run_cli

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "long.txt").write_text(LONG, encoding="utf-8")
    with FakeOpenAIServer(dialect="llama-cpp-python", n_ctx=2600) as server:
        common = ["--base-url", server.base_url, "--api-key", API_KEY, "--no-cache"]
        run_cli(str(folder), "-o", str(tmp_path / "a"), *common)
        run_cli(str(folder), "-o", str(tmp_path / "b"), *common, "--context-window", "2600")
    without, within = read_run(tmp_path / "a"), read_run(tmp_path / "b")
    assert "--context-window 2600" in without["failed"][0]["reason"]
    assert within["succeeded"] == 1 and not within["failed"]
    article = json.loads(next((tmp_path / "b" / "articles").glob("*.json")).read_text())
    assert article["provenance"]["chunks"] > 1
