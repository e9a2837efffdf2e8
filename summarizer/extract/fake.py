"""An in-process extractor for tests: answers you queue, and a history of what it saw.

    >>> fake = FakeExtractor()
    >>> fake.enqueue(Extraction(summary="One."))
    >>> engine = Engine(settings, extractor=fake)          # doctest: +SKIP

With nothing queued it answers with ``default`` (an empty extraction unless given).
An exception queued instead of an answer is raised for that article.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from summarizer.extract.base import Extracted
from summarizer.ground.assemble import ExtractedPart
from summarizer.load.documents import Article
from summarizer.records import CallCounts, Extraction

__all__ = ["FakeExtractor"]


class FakeExtractor:
    """Answers from a queue, counting one call per article, recording what it was asked."""

    name = "fake"

    def __init__(self, default: Extraction | None = None, *, cacheable: bool = True) -> None:
        self.cacheable = cacheable
        self.default = default or Extraction(summary="")
        self.queue: deque[Extraction | BaseException] = deque()
        self.history: list[Article] = []

    def enqueue(self, *answers: Extraction | BaseException) -> None:
        """Queue answers (or exceptions to raise), used in order."""
        self.queue.extend(answers)

    def fingerprint(self) -> dict[str, Any]:
        """Fixed: the fake's answers do not depend on settings."""
        return {"fake": 1}

    def describe(self) -> dict[str, Any]:
        """Provenance fields naming the fake."""
        return {
            "provider": self.name,
            "model": "fake",
            "endpoint": None,
            "mode": "fake",
            "prompt_version": "fake",
        }

    async def extract(self, article: Article) -> Extracted:
        """The next queued answer for ``article``."""
        self.history.append(article)
        answer = self.queue.popleft() if self.queue else self.default
        if isinstance(answer, BaseException):
            raise answer
        calls = CallCounts(llm_calls=1, attempts=1, chunks=1)
        return Extracted([ExtractedPart(0, answer)], [], calls)

    async def aclose(self) -> None:
        """Nothing to release."""
