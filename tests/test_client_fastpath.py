"""The client's shortcuts around instructor and openai send the same bytes as their own path.

:class:`ModelClient` renders the prompt itself (tools, json_schema), keeps each
response model's JSON Schema, hands openai the request past its parameter walk
(``extra_body``) and remembers which models passed instructor's async-validator
check. None of it may change a byte of a request: the recordings are keyed by the
body. Each test compares with instructor's and openai's own path on a real HTTP
server, and fails loudly when a new instructor or openai moves what is relied on.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx2
import pytest
from pydantic import BaseModel

from summarizer.config import Settings
from summarizer.extract._fastpath import keep_json_schema, memoize_async_validator_check
from summarizer.extract.candidates import Labels
from summarizer.extract.openai_compat import ModelClient
from summarizer.extract.prompts import load_prompt, render_template
from summarizer.extract.salvage import collecting, lenient
from summarizer.records import Extraction
from summarizer.testing import FakeOpenAIServer

from .conftest import SEEDS

# Jinja syntax, whitespace-only lines, indentation and tabs: what a dedent or a
# template engine would change if the article were handled differently.
HOSTILE = (
    "  Indented {{ not_a_variable }} and {% if x %} and {# comment #}\n\n   \n"
    "\tTabbed line, 45% up to £3.2bn, “curly quotes”.\n    last line  \n"
)
UNUSABLE = "this is not json at all"  # forces one re-ask


class _Capture(httpx2.AsyncBaseTransport):
    """Keeps the raw body of every chat request on its way to the network."""

    def __init__(self) -> None:
        self.inner = httpx2.AsyncHTTPTransport()
        self.bodies: list[bytes] = []

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        if request.url.path.endswith("/chat/completions"):
            self.bodies.append(request.content)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


def _masked(bodies: list[bytes]) -> list[bytes]:
    # The fake server names each tool call at random; a re-ask quotes that name.
    return [re.sub(rb"call_[0-9a-f]+", b"call_X", body) for body in bodies]


async def _ours(s: Settings, model: type[Any], text: str, server: FakeOpenAIServer) -> list[bytes]:
    capture = _Capture()
    client = ModelClient(s, transport=capture)
    server.enqueue(UNUSABLE)
    with collecting(s.max_reasks):
        await client.extract(load_prompt("extract"), text, response_model=model)
    await client.aclose()
    return capture.bodies


async def _theirs(
    s: Settings, model: type[Any], text: str, server: FakeOpenAIServer, budget: tuple[int, float]
) -> list[bytes]:
    import instructor
    import openai

    capture = _Capture()
    http = httpx2.AsyncClient(transport=capture)
    raw = openai.AsyncOpenAI(
        api_key="x", base_url=s.effective_base_url, max_retries=0, http_client=http
    )
    mode = {
        "tools": instructor.Mode.TOOLS,
        "json": instructor.Mode.JSON,
        "json_schema": instructor.Mode.JSON_SCHEMA,
        "md_json": instructor.Mode.MD_JSON,
    }[s.mode]
    client = instructor.from_openai(raw, mode=mode)
    server.enqueue(UNUSABLE)
    answer_tokens, timeout = budget
    with collecting(s.max_reasks):
        await client.chat.completions.create(
            model=s.model,
            messages=load_prompt("extract").messages(),
            response_model=instructor.response_schema(model),
            context={"article": text},
            max_retries=s.max_reasks,
            strict=False,
            timeout=timeout,
            **{**s.sampling(), "max_tokens": answer_tokens},
        )
    await http.aclose()
    return capture.bodies


@pytest.mark.parametrize("mode", ["tools", "json_schema", "json", "md_json"])
@pytest.mark.parametrize("model", [lenient(Extraction), lenient(Labels)], ids=["record", "labels"])
@pytest.mark.parametrize("source", ["hostile", "seed"])
def test_requests_are_byte_identical_to_instructors_own_path(
    mode: str, model: type[Any], source: str
) -> None:
    text = HOSTILE if source == "hostile" else sorted(SEEDS.glob("*.txt"))[0].read_text()
    with FakeOpenAIServer() as server:
        s = Settings(base_url=server.base_url, api_key="x", mode=mode, context_window=32_000)  # type: ignore[arg-type]
        budget = ModelClient(s).budget(text)
        ours = asyncio.run(_ours(s, model, text, server))
        theirs = asyncio.run(_theirs(s, model, text, server, budget))
    assert len(ours) == 2  # the first ask and one re-ask
    assert _masked(ours) == _masked(theirs)


@pytest.mark.parametrize(
    "source",
    [
        "<article>\n{{ article }}\n</article>",
        "    indented {{ article }}\n    lines\n",
        "no variable at all\n\n  \n",
        load_prompt("extract").system,
        load_prompt("candidates").user,
    ],
)
@pytest.mark.parametrize("article", [HOSTILE, "", "  \n\t\n", "{{ article }}"])
def test_render_matches_instructors_apply_template(source: str, article: str) -> None:
    from instructor.v2.core.templating import apply_template

    context = {"article": article}
    assert render_template(source, context) == apply_template(source, context)


class _Plain(BaseModel):
    x: int


def test_the_async_validator_check_is_remembered_and_still_rejects() -> None:
    from instructor.v2.core import patch as core_patch
    from instructor.v2.validation import async_validators
    from instructor.v2.validation.async_validators import async_field_validator

    class Checked(BaseModel):
        x: int

        @async_field_validator("x")
        async def check_x(self, value: int) -> int:
            return value

    assert memoize_async_validator_check() is True
    check = async_validators.reject_async_validators
    # Every caller reaches the wrapper: patch.py through the name it imported.
    assert getattr(check, "_summarizer_memo", False)
    assert core_patch.reject_async_validators is check
    assert memoize_async_validator_check() is True  # idempotent
    assert async_validators.reject_async_validators is check
    for _ in range(2):
        check(_Plain)
        with pytest.raises(ValueError, match="async validators"):
            check(Checked)


def test_a_kept_json_schema_is_a_fresh_copy_of_pydantics() -> None:
    import instructor

    wrapped = keep_json_schema(instructor.response_schema(Extraction))
    reference = instructor.response_schema(Extraction)
    first = wrapped.model_json_schema()
    assert first == reference.model_json_schema()
    first["properties"] = {}
    assert wrapped.model_json_schema() == reference.model_json_schema()
    assert wrapped.model_json_schema(by_alias=False) == reference.model_json_schema(by_alias=False)
