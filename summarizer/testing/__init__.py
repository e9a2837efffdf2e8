r"""A fake OpenAI-compatible endpoint for testing pipelines offline.

:class:`FakeOpenAIServer` is a real HTTP/1.1 server on 127.0.0.1 (a free port,
one daemon thread per connection, keep-alive) that speaks the chat-completions
protocol, so tests exercise the real ``openai`` client and ``instructor``, not
patched internals::

    import instructor
    import openai

    from summarizer.records import Extraction
    from summarizer.testing import FakeOpenAIServer, FaultPlan

    with FakeOpenAIServer(faults=FaultPlan(rate_429=0.2, seed=1), latency=0.1) as server:
        client = openai.OpenAI(base_url=server.base_url, api_key="test")
        extract = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
        article = "Acme was founded in March 2014. It sold 2.5 million widgets."
        result = extract.chat.completions.create(
            model="fake-model",
            response_model=Extraction,
            messages=[{"role": "user", "content": f"<article>\n{article}\n</article>"}],
        )
        assert result.milestones[0].date == "2014-03"
        assert result.statistics[0].value == 2_500_000

        server.enqueue({"summary": "Scripted.", "milestones": [], "statistics": [], "quotes": []})
        server.enqueue_faults("429")  # the next request is refused once; the client retries
        assert extract.chat.completions.create(
            model="fake-model", response_model=Extraction, messages=[{"role": "user", "content": "?"}]
        ).summary == "Scripted."
        print(server.stats.counts, len(server.history))

What it answers:

* :meth:`FakeOpenAIServer.enqueue` queues answers (first in, first out); when the
  queue is empty the ``responder`` builds one from the request body. The default,
  :func:`extractive_responder`, answers by simple rules from the article between the
  ``<article>`` and ``</article>`` lines: an :class:`summarizer.records.Extraction`,
  or, for a ``--strategy candidates`` request (schema ``Labels``), labels for its
  numbered candidates (:func:`labels_responder`), sized to the request's ``max_tokens``.
  An answer is a dict (sent as JSON) or a string (sent as-is, e.g. broken JSON).
* The answer takes the shape the request asks for (see :func:`chat_completion`):
  a forced tool call if it has ``tools`` (instructor ``Mode.TOOLS``), JSON content
  for ``response_format`` ``json_object``/``json_schema`` (``Mode.JSON``,
  ``Mode.JSON_SCHEMA``), fenced ```` ```json ```` content otherwise (``Mode.MD_JSON``).

How it misbehaves: a :class:`FaultPlan` gives rates for 429 (with ``Retry-After``),
500, hangs (the client times out), malformed JSON and truncated completions
(``finish_reason`` ``"length"``); :meth:`FakeOpenAIServer.enqueue_faults` scripts
outcomes request by request. :attr:`FakeOpenAIServer.stats` counts what happened,
to compare with the client's own counters.

For benchmarks, ``python -m summarizer.testing --latency 0.5 --rate-429 0.2 --seed 1
--stats stats.json`` prints the base URL on its first line and serves until killed.
"""

from __future__ import annotations

from summarizer.testing._faults import FaultPlan, Outcome, RequestRecord, ServerStats
from summarizer.testing._responders import (
    Responder,
    article_text,
    extractive_responder,
    labels_responder,
    message_text,
    requested_schema,
)
from summarizer.testing._server import FakeOpenAIServer, chat_completion

__all__ = [
    "FakeOpenAIServer",
    "FaultPlan",
    "Outcome",
    "RequestRecord",
    "Responder",
    "ServerStats",
    "article_text",
    "chat_completion",
    "extractive_responder",
    "labels_responder",
    "message_text",
    "requested_schema",
]
