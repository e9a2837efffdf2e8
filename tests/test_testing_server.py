"""summarizer.testing: the fake OpenAI endpoint, driven over real HTTP by openai and instructor."""

from __future__ import annotations

import hashlib
import http.client
import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import instructor
import openai
import pytest
from instructor.core import IncompleteOutputException
from pydantic import BaseModel

import summarizer.testing
from summarizer.records import Extraction
from summarizer.testing import (
    FakeOpenAIServer,
    FaultPlan,
    Outcome,
    article_text,
    chat_completion,
    extractive_responder,
)
from summarizer.testing.__main__ import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


class City(BaseModel):
    name: str
    population: int


PARIS = {"name": "Paris", "population": 2_102_650}


def user(content: str) -> Any:
    """One user message (typed ``Any``: openai's message TypedDicts add nothing here)."""
    return [{"role": "user", "content": content}]


def evidences(extraction: Extraction) -> list[str]:
    records = [*extraction.milestones, *extraction.statistics, *extraction.quotes]
    return [record.evidence for record in records]  # type: ignore[attr-defined]


def prompt(article: str) -> str:
    return f"Extract the records of this article.\n<article>\n{article}\n</article>\n"


@pytest.fixture(scope="module")
def shared_server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as running:
        yield running


@pytest.fixture
def server(shared_server: FakeOpenAIServer) -> FakeOpenAIServer:
    """The module's server, as new: default responder, no faults, no latency, nothing queued."""
    shared_server.responder = extractive_responder
    shared_server.faults = FaultPlan()
    shared_server.latency = 0.0
    shared_server.reset()
    return shared_server


@pytest.fixture(scope="module")
def client(shared_server: FakeOpenAIServer) -> Iterator[openai.OpenAI]:
    with openai.OpenAI(base_url=shared_server.base_url, api_key="x", max_retries=0) as c:
        yield c


def post_raw(
    server: FakeOpenAIServer, body: bytes, path: str = "/v1/chat/completions"
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --------------------------------------------------------------------------- basics


def test_public_api_is_sorted_and_importable() -> None:
    assert summarizer.testing.__all__ == sorted(summarizer.testing.__all__)
    for name in summarizer.testing.__all__:
        assert hasattr(summarizer.testing, name)


def test_module_docstring_example_runs() -> None:
    doc = summarizer.testing.__doc__ or ""
    example = doc.split("::\n\n", 1)[1].split("\n\nWhat it answers", 1)[0]
    exec(textwrap.dedent(example), {})


def test_base_url_and_models(server: FakeOpenAIServer, client: openai.OpenAI) -> None:
    assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
    assert [m.id for m in client.models.list()] == ["fake-model"]


def test_base_url_needs_a_running_server() -> None:
    with pytest.raises(RuntimeError, match="start"):
        _ = FakeOpenAIServer().base_url


def test_wire_format_of_a_forced_tool_call(server: FakeOpenAIServer, client: openai.OpenAI) -> None:
    server.enqueue(PARIS)
    messages = user("x" * 400)
    tools: Any = [
        {"type": "function", "function": {"name": "Other", "parameters": {}}},
        {"type": "function", "function": {"name": "City", "parameters": {}}},
    ]
    reply = client.chat.completions.create(
        model="gpt-test",
        messages=messages,
        tools=tools,
        tool_choice={"type": "function", "function": {"name": "City"}},
    )
    assert reply.object == "chat.completion"
    assert reply.model == "gpt-test"
    assert reply.id.startswith("chatcmpl-")
    choice = reply.choices[0]
    assert choice.index == 0
    assert choice.finish_reason == "tool_calls"
    assert choice.message.role == "assistant"
    assert choice.message.content is None
    (call,) = choice.message.tool_calls or []
    assert call.type == "function"
    assert call.function.name == "City"
    assert json.loads(call.function.arguments) == PARIS
    usage = reply.usage
    assert usage is not None
    assert usage.prompt_tokens == 100  # 400 characters, ~4 per token
    assert usage.completion_tokens == -(-len(call.function.arguments) // 4)
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


@pytest.mark.parametrize(
    ("response_format", "fenced"),
    [
        ({"type": "json_object"}, False),
        ({"type": "json_schema", "json_schema": {"name": "C"}}, False),
        (None, True),
    ],
)
def test_wire_format_of_text_answers(
    client: openai.OpenAI, server: FakeOpenAIServer, response_format: Any, fenced: bool
) -> None:
    server.enqueue(PARIS)
    extra = {"response_format": response_format} if response_format else {}
    reply = client.chat.completions.create(model="m", messages=user("hi"), **extra)
    choice = reply.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.tool_calls is None
    content = choice.message.content or ""
    if fenced:
        assert content.startswith("```json\n") and content.endswith("\n```")
        content = content.removeprefix("```json\n").removesuffix("\n```")
    assert json.loads(content) == PARIS


def test_string_answers_are_sent_as_is(client: openai.OpenAI, server: FakeOpenAIServer) -> None:
    server.enqueue('{"name": "Par', "plain words")
    first = client.chat.completions.create(
        model="m", messages=user("a"), response_format={"type": "json_object"}
    )
    second = client.chat.completions.create(model="m", messages=user("b"))
    assert first.choices[0].message.content == '{"name": "Par'
    assert second.choices[0].message.content == "plain words"  # no fence around a raw string


def test_chat_completion_builds_the_same_body_offline() -> None:
    body = chat_completion({"messages": user("hi"), "model": "m"}, PARIS, truncated=True)
    assert body["choices"][0]["finish_reason"] == "length"
    assert body["choices"][0]["message"]["content"].startswith("```json\n{")
    assert not body["choices"][0]["message"]["content"].endswith("```")


# --------------------------------------------------------------------------- instructor


@pytest.mark.parametrize(
    "mode",
    [
        instructor.Mode.TOOLS,
        instructor.Mode.JSON,
        instructor.Mode.MD_JSON,
        instructor.Mode.JSON_SCHEMA,
    ],
)
def test_instructor_modes_round_trip(
    client: openai.OpenAI, server: FakeOpenAIServer, mode: instructor.Mode
) -> None:
    patched = instructor.from_openai(client, mode=mode)
    server.enqueue(PARIS)
    city, completion = patched.chat.completions.create_with_completion(
        model="m", response_model=City, messages=user("Tell me about Paris.")
    )
    assert city.model_dump() == PARIS
    request = server.history[-1]
    message = completion.choices[0].message
    if mode is instructor.Mode.TOOLS:
        assert request["tool_choice"]["function"]["name"] == "City"
        assert message.tool_calls[0].function.name == "City"
    elif mode is instructor.Mode.MD_JSON:
        assert "tools" not in request and "response_format" not in request
        assert message.content.startswith("```json")
    else:
        assert request["response_format"]["type"] in ("json_object", "json_schema")
        assert json.loads(message.content) == PARIS


@pytest.mark.parametrize("mode", [instructor.Mode.TOOLS, instructor.Mode.MD_JSON])
def test_instructor_fills_extraction_from_the_default_responder(
    client: openai.OpenAI, server: FakeOpenAIServer, mode: instructor.Mode
) -> None:
    article = SEEDS[0].read_text(encoding="utf-8")
    patched = instructor.from_openai(client, mode=mode)
    extraction = patched.chat.completions.create(
        model="m", response_model=Extraction, messages=user(prompt(article)), max_retries=1
    )
    assert extraction.summary.startswith("In a recent report as of June 2023")
    assert any(
        s.value == 1.079e9 and s.value_text == "1.079 billion" for s in extraction.statistics
    )
    assert any(m.date == "2014" for m in extraction.milestones)
    for evidence in evidences(extraction):
        assert evidence in article


def test_instructor_reask_is_answered_from_the_queue(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    server.enqueue({"name": "Paris", "population": "many"}, PARIS)
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    city = patched.chat.completions.create(
        model="m", response_model=City, messages=user("hi"), max_retries=2
    )
    assert city.population == PARIS["population"]
    assert len(server.history) == 2
    assert server.history[1]["messages"][-1]["role"] == "tool"  # the re-ask carries the error


# --------------------------------------------------------------------------- enqueue, history, stats


def test_enqueue_is_fifo_then_falls_back_to_the_responder(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    server.responder = lambda request: {"n": len(request["messages"])}
    server.enqueue({"n": "first"}, {"n": "second"})
    answers = []
    for i in range(3):
        reply = client.chat.completions.create(
            model="m", messages=user(str(i)), response_format={"type": "json_object"}
        )
        answers.append(json.loads(reply.choices[0].message.content or "")["n"])
    assert answers == ["first", "second", 1]
    assert [r["messages"][0]["content"] for r in server.history] == ["0", "1", "2"]


def test_history_and_log_cover_faulted_requests(server: FakeOpenAIServer) -> None:
    bodies = [json.dumps({"model": "m", "messages": user(str(i))}).encode() for i in range(3)]
    server.enqueue_faults("500", "ok", "429")
    statuses = [post_raw(server, body)[0] for body in bodies]
    assert statuses == [500, 200, 429]
    assert [r["messages"][0]["content"] for r in server.history] == ["0", "1", "2"]
    stats = server.stats
    assert stats.requests == 3
    assert stats.counts["500"] == stats.counts["ok"] == stats.counts["429"] == 1
    assert [r.outcome for r in stats.log] == ["500", "ok", "429"]
    assert [r.sha256 for r in stats.log] == [hashlib.sha256(b).hexdigest() for b in bodies]
    assert [r.index for r in stats.log] == [0, 1, 2]
    assert stats.log[0].time <= stats.log[1].time <= stats.log[2].time
    assert stats.completion_tokens == stats.log[1].completion_tokens > 0
    assert json.loads(json.dumps(stats.to_dict()))["counts"]["ok"] == 1
    server.reset()
    assert server.history == [] and server.stats.requests == 0


def test_bad_requests_get_openai_errors(server: FakeOpenAIServer, client: openai.OpenAI) -> None:
    status, body = post_raw(server, b"{not json")
    assert status == 400 and json.loads(body)["error"]["type"] == "invalid_request_error"
    status, body = post_raw(server, b"{}", path="/v1/embeddings")
    assert status == 404 and "chat/completions" in json.loads(body)["error"]["message"]
    with pytest.raises(openai.BadRequestError, match="stream"):
        client.chat.completions.create(model="m", messages=user("hi"), stream=True)
    assert server.stats.counts["bad_request"] == 2  # the 404 is not a chat request


def test_chunked_request_bodies_are_read(server: FakeOpenAIServer) -> None:
    server.enqueue(PARIS)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    parts = [b'{"model": "m", ', b'"messages": [{"role": "user", "content": "hi"}]}']
    conn.request("POST", "/v1/chat/completions", body=iter(parts), encode_chunked=True)
    response = conn.getresponse()
    assert response.status == 200
    assert "Paris" in json.loads(response.read())["choices"][0]["message"]["content"]
    conn.close()


def test_a_failing_responder_is_a_500_naming_the_error(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    def broken(request: dict[str, Any]) -> dict[str, Any]:
        raise KeyError("summary")

    server.responder = broken
    with pytest.raises(openai.InternalServerError, match="KeyError"):
        client.chat.completions.create(model="m", messages=user("hi"))
    assert server.stats.counts["error"] == 1


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize(
    ("header", "expected"),
    [("retry-after", {"retry-after": "1.5"}), ("retry-after-ms", {"retry-after-ms": "1500"})],
)
def test_429_carries_retry_after(
    client: openai.OpenAI, server: FakeOpenAIServer, header: Any, expected: dict[str, str]
) -> None:
    server.faults = FaultPlan(retry_after=1.5, retry_after_header=header)
    server.enqueue_faults("429")
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError) as caught:
        client.chat.completions.create(model="m", messages=user("hi"))
    assert time.monotonic() - started < 1.0  # a 429 skips the latency... and there is none
    assert caught.value.status_code == 429
    for name, value in expected.items():
        assert caught.value.response.headers[name] == value
    assert caught.value.code == "rate_limit_exceeded"


def test_429_is_immediate_but_other_answers_wait_for_latency(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    server.latency = 0.3
    server.enqueue_faults("429", "ok")
    started = time.monotonic()
    with pytest.raises(openai.RateLimitError):
        client.chat.completions.create(model="m", messages=user("hi"))
    middle = time.monotonic()
    client.chat.completions.create(model="m", messages=user("hi"))
    assert middle - started < 0.25 <= time.monotonic() - middle


def test_500_is_an_internal_server_error(client: openai.OpenAI, server: FakeOpenAIServer) -> None:
    server.enqueue_faults("500")
    with pytest.raises(openai.InternalServerError) as caught:
        client.chat.completions.create(model="m", messages=user("hi"))
    assert caught.value.status_code == 500


def test_a_hang_times_the_client_out_and_stop_wakes_it() -> None:
    server = FakeOpenAIServer(faults=FaultPlan(hang_seconds=30)).start()
    try:
        c = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0, timeout=0.2)
        server.enqueue_faults("timeout")
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            c.chat.completions.create(model="m", messages=user("hi"))
        assert time.monotonic() - started < 2
    finally:
        started = time.monotonic()
        server.stop()
        assert time.monotonic() - started < 2  # the 30-second hang was cut short
    assert server.stats.counts["timeout"] == 1


def test_malformed_body_is_not_json(client: openai.OpenAI, server: FakeOpenAIServer) -> None:
    server.enqueue_faults("malformed")
    with pytest.raises(json.JSONDecodeError):
        client.chat.completions.create(model="m", messages=user("hi"))
    server.enqueue_faults("malformed")
    status, body = post_raw(server, b'{"messages": []}')
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)


@pytest.mark.parametrize("tools", [True, False])
def test_truncated_answer_stops_for_length(
    client: openai.OpenAI, server: FakeOpenAIServer, tools: bool
) -> None:
    server.enqueue(PARIS)
    server.enqueue_faults("truncated")
    extra: dict[str, Any] = {"response_format": {"type": "json_object"}}
    if tools:
        extra = {"tools": [{"type": "function", "function": {"name": "City", "parameters": {}}}]}
    choice = client.chat.completions.create(model="m", messages=user("hi"), **extra).choices[0]
    assert choice.finish_reason == "length"
    text = choice.message.tool_calls[0].function.arguments if tools else choice.message.content
    assert text and json.dumps(PARIS).startswith(text)
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)


def test_instructor_sees_truncation_as_incomplete_output(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    server.enqueue_faults("truncated")
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    with pytest.raises(IncompleteOutputException):
        patched.chat.completions.create(
            model="m", response_model=City, messages=user("hi"), max_retries=1
        )


def test_openai_retries_get_fresh_draws_and_counts_match_the_client() -> None:
    seen: Counter[int] = Counter()

    def count(response: httpx2.Response) -> None:
        seen[response.status_code] += 1

    # 429s name their own (tiny) delay; the one 500 costs a client backoff of ~0.5 s.
    plan = FaultPlan(rate_429=0.4, retry_after=0.001, seed=7)
    with (
        FakeOpenAIServer(lambda r: PARIS, faults=plan) as server,
        httpx2.Client(event_hooks={"response": [count]}) as http,
    ):
        c = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=20, http_client=http)
        server.enqueue_faults("500")
        for i in range(15):
            reply = c.chat.completions.create(
                model="m", messages=user(f"request {i}"), response_format={"type": "json_object"}
            )
            assert json.loads(reply.choices[0].message.content or "") == PARIS
        stats = server.stats
    assert stats.counts["ok"] == seen[200] == 15
    assert stats.counts["429"] == seen[429] > 0
    assert stats.counts["500"] == seen[500] == 1
    assert stats.requests == sum(seen.values())


def outcomes_for(seed: int, n: int = 40) -> list[str]:
    plan = FaultPlan(rate_429=0.2, rate_500=0.2, rate_malformed=0.2, rate_truncated=0.1, seed=seed)
    with FakeOpenAIServer(lambda r: PARIS, faults=plan) as server:
        for i in range(n):
            post_raw(server, json.dumps({"model": "m", "messages": user(str(i))}).encode())
        return [r.outcome for r in server.stats.log]


def test_fault_sequence_is_deterministic_for_a_seed() -> None:
    first = outcomes_for(seed=1)
    assert first == outcomes_for(seed=1)
    assert first != outcomes_for(seed=2)
    assert {"ok", "429", "500", "malformed", "truncated"} <= set(first)


def test_draws_follow_the_rates_and_repeats_draw_afresh() -> None:
    plan = FaultPlan(
        rate_429=0.2, rate_500=0.1, rate_timeout=0.05, rate_malformed=0.05, rate_truncated=0.02
    )
    draws = Counter(
        plan.draw(hashlib.sha256(str(i).encode()).hexdigest(), 0) for i in range(20_000)
    )
    expected: list[tuple[Outcome, float]] = [
        ("429", 0.2),
        ("500", 0.1),
        ("timeout", 0.05),
        ("malformed", 0.05),
        ("truncated", 0.02),
        ("ok", 0.58),
    ]
    for outcome, rate in expected:
        assert abs(draws[outcome] / 20_000 - rate) < 0.015, outcome
    retries = {plan.draw("same body", repeat) for repeat in range(50)}
    assert "ok" in retries and len(retries) > 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rate_429": 1.5},
        {"rate_500": -0.1},
        {"rate_429": 0.6, "rate_500": 0.6},
        {"retry_after": -1.0},
    ],
)
def test_fault_plan_rejects_impossible_rates(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FaultPlan(**kwargs)  # type: ignore[arg-type]


def test_enqueue_faults_rejects_unknown_outcomes(server: FakeOpenAIServer) -> None:
    with pytest.raises(ValueError, match="cannot script"):
        server.enqueue_faults("418")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- concurrency


def test_latency_overlaps_across_32_openai_requests(
    client: openai.OpenAI, server: FakeOpenAIServer
) -> None:
    server.latency = 0.3
    started = time.monotonic()
    with ThreadPoolExecutor(32) as pool:
        replies = list(
            pool.map(
                lambda i: client.chat.completions.create(model="m", messages=user(str(i))),
                range(32),
            )
        )
    elapsed = time.monotonic() - started
    assert len(replies) == 32
    assert elapsed < 2.0, f"32 requests at 0.3 s took {elapsed:.2f} s: latency is serialising"
    assert server.stats.counts["ok"] == 32


def test_64_connections_at_once(server: FakeOpenAIServer) -> None:
    server.latency = 0.3
    body = json.dumps({"model": "m", "messages": user("hi")}).encode()
    barrier = threading.Barrier(64)

    def one(_: int) -> int:
        barrier.wait()
        return post_raw(server, body)[0]

    started = time.monotonic()
    with ThreadPoolExecutor(64) as pool:
        statuses = list(pool.map(one, range(64)))
    assert statuses == [200] * 64
    assert time.monotonic() - started < 2.0


def test_stop_is_prompt_with_idle_keep_alive_connections() -> None:
    server = FakeOpenAIServer().start()
    c = openai.OpenAI(base_url=server.base_url, api_key="x", max_retries=0)
    c.chat.completions.create(model="m", messages=user("hi"))  # leaves a pooled connection
    started = time.monotonic()
    server.stop()
    server.stop()
    assert time.monotonic() - started < 1.0
    c.close()


# --------------------------------------------------------------------------- extractive responder


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        (user("Read this.\n<article>\nBody text.\n</article>\nThanks."), "Body text."),
        (user("inline <article>Body</article> end"), "Body"),
        (user("no markers at all"), "no markers at all"),
        # A re-ask appends messages without the article: keep the one that has it.
        (
            [
                *user("<article>\nThe article.\n</article>"),
                {"role": "assistant", "content": "{}"},
                *user("Fix it."),
            ],
            "The article.",
        ),
        ([{"role": "user", "content": [{"type": "text", "text": "parts"}]}], "parts"),
        ([{"role": "system", "content": "only system"}], ""),
    ],
)
def test_article_text(messages: list[dict[str, Any]], expected: str) -> None:
    assert article_text({"messages": messages}) == expected


def extract(article: str) -> Extraction:
    return Extraction.model_validate(extractive_responder({"messages": user(prompt(article))}))


@pytest.mark.parametrize(
    ("sentence", "value_text", "value", "unit", "period"),
    [
        (
            "China had 1.079 billion internet users in June 2023.",
            "1.079 billion",
            1.079e9,
            "internet users",
            "2023-06",
        ),
        (
            "Sales may reach 15.4 trillion yuan in 2023.",
            "15.4 trillion yuan",
            15.4e12,
            "CNY",
            "2023",
        ),
        ("He amassed a fortune of $24m from his sales.", "$24m", 24e6, "USD", None),
        ("Spam makes up at least 60% of all e-mails sent.", "60%", 60.0, "percent", None),
        (
            "The firm hired 2,500 people and 3 thousand contractors.",
            "3 thousand",
            3000.0,
            "contractors",
            None,
        ),
    ],
)
def test_statistics_rules(
    sentence: str, value_text: str, value: float, unit: str, period: str | None
) -> None:
    (stat,) = [s for s in extract(sentence).statistics if s.value_text == value_text]
    assert (stat.value, stat.unit, stat.period, stat.evidence) == (value, unit, period, sentence)


@pytest.mark.parametrize(
    ("sentence", "date"),
    [
        ("The network opened in 2014.", "2014"),
        ("Xi Jinping visited the laboratory in July 2023.", "2023-07"),
        ("The deal was signed on 16 December 2015 in Paris.", "2015-12-16"),
        ("It was announced on March 3, 2021 by the board.", "2021-03-03"),
        ("A date that cannot be, February 30, 2020, keeps its month.", "2020-02"),
    ],
)
def test_milestone_dates(sentence: str, date: str) -> None:
    (milestone,) = extract(sentence).milestones
    assert milestone.date == date and milestone.evidence == sentence


def test_no_milestones_or_statistics_without_years_or_scales() -> None:
    extraction = extract("It cost $2000 in total. The 11th meeting had 40 people.")
    assert extraction.milestones == []
    assert [s.value_text for s in extraction.statistics] == ["$2000"]


QUOTES_ARTICLE = (
    "Markets fell on Monday.\n"
    "“We are delighted with the result,” said Jane Doe, the chief executive of Acme. Shares rose.\n"
    'Prosecutors said Jaynes was "a snake oil salesman in a new format", using the internet.\n'
    "He stressed “overtaking around corners” without any attribution."
)


def test_quote_rules() -> None:
    quotes = extract(QUOTES_ARTICLE).quotes
    assert [(q.speaker, q.speaker_role, q.text) for q in quotes] == [
        ("Jane Doe", "the chief executive of Acme", "We are delighted with the result,"),
        ("Prosecutors", None, "a snake oil salesman in a new format"),
    ]
    assert (
        quotes[0].evidence
        == "“We are delighted with the result,” said Jane Doe, the chief executive of Acme."
    )
    assert all(q.evidence in QUOTES_ARTICLE for q in quotes)


def test_summary_is_the_first_two_full_sentences() -> None:
    article = (
        "A Headline Without A Full Stop\n\nFirst sentence here. Mr. Smith spoke second! Third one."
    )
    assert extract(article).summary == "First sentence here. Mr. Smith spoke second!"


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_extractive_responder_is_valid_and_grounded_on_seeds(path: Path) -> None:
    article = path.read_text(encoding="utf-8")
    raw = extractive_responder({"messages": user(prompt(article))})
    assert raw == extractive_responder({"messages": user(prompt(article))})
    extraction = Extraction.model_validate(raw)
    assert extraction.summary
    for evidence in evidences(extraction):
        assert evidence in article


def test_extractive_responder_on_empty_input() -> None:
    assert extract("") == Extraction(summary="")


# --------------------------------------------------------------------------- CLI


def start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer.testing", "--port", "0", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


@pytest.mark.timeout(30)
def test_cli_serves_until_sigterm_and_writes_stats(tmp_path: Path) -> None:
    stats_file = tmp_path / "stats.json"
    proc, url = start_cli(
        "--latency", "0", "--rate-429", "0", "--seed", "1", "--stats", str(stats_file)
    )
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v1")
        c = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
        reply = c.chat.completions.create(
            model="m",
            messages=user(prompt("It opened in 2014.")),
            tools=[{"type": "function", "function": {"name": "Extraction", "parameters": {}}}],
        )
        arguments = reply.choices[0].message.tool_calls[0].function.arguments  # type: ignore[index,union-attr]
        assert Extraction.model_validate_json(arguments).milestones[0].date == "2014"
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    stats = json.loads(stats_file.read_text())
    assert stats["requests"] == 1 and stats["counts"]["ok"] == 1
    assert len(stats["log"][0]["sha256"]) == 64
    assert "served 1 chat requests" in err


@pytest.mark.timeout(30)
def test_cli_duration_and_faults(tmp_path: Path) -> None:
    stats_file = tmp_path / "stats.json"
    proc, url = start_cli("--rate-500", "1", "--duration", "0.8", "--stats", str(stats_file))
    c = openai.OpenAI(base_url=url, api_key="x", max_retries=0)
    with pytest.raises(openai.InternalServerError):
        c.chat.completions.create(model="m", messages=user("hi"))
    assert proc.wait(timeout=10) == 0
    assert json.loads(stats_file.read_text())["counts"]["500"] == 1


def test_cli_rejects_impossible_rates(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_main(["--rate-429", "0.9", "--rate-500", "0.9"])
    assert exited.value.code == 2
    assert "at most 1" in capsys.readouterr().err
