"""The extractor interface: what the engine needs from anything that fills records.

An extractor turns one loaded :class:`~summarizer.load.documents.Article` into
model-facing :class:`~summarizer.records.Extraction` parts. It knows nothing of the
cache, grounding or output files; the engine (:mod:`summarizer.engine`) does those the
same way whichever extractor ran. Implementations:

* :class:`summarizer.extract.llm.LLMExtractor` -- any OpenAI-compatible endpoint
  through instructor (also replays recordings and records exchanges);
* :class:`summarizer.extract.rules.RulesExtractor` -- deterministic, no model, no network;
* :class:`summarizer.extract.fake.FakeExtractor` -- in-process answers for tests.

To add a provider, implement :class:`Extractor` and register it in
:func:`summarizer.extract.providers.make_extractor`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from summarizer.ground.assemble import ExtractedPart
from summarizer.load.documents import Article
from summarizer.records import CallCounts

__all__ = ["Extracted", "Extractor"]


@dataclass
class Extracted:
    """An extractor's answer for one article, before grounding."""

    parts: list[ExtractedPart]
    warnings: list[str] = field(default_factory=list)
    calls: CallCounts = field(default_factory=CallCounts)


@runtime_checkable
class Extractor(Protocol):
    """Fills the model-facing records for one article at a time."""

    #: Short provider name written to provenance and ``run.json`` (``"openai"``, ``"rules"``).
    name: str
    #: Whether answers may be stored in the disk cache (live model answers: yes;
    #: replayed or deterministic ones: no, they cost nothing and must not pass for live ones).
    cacheable: bool

    def fingerprint(self) -> dict[str, Any]:
        """Everything that shapes the answer (model, endpoint, prompt, schema...): the cache key.

        Never a secret.
        """
        ...

    def describe(self) -> dict[str, Any]:
        """Provenance fields: ``provider``, ``model``, ``endpoint``, ``mode``, ``prompt_version``."""
        ...

    async def extract(self, article: Article) -> Extracted:
        """Extract records from ``article``; raise a :class:`~summarizer.errors.SummarizerError`."""
        ...

    async def aclose(self) -> None:
        """Release connections (may be called more than once)."""
        ...
