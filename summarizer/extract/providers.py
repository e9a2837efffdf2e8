"""Choose an extractor from settings: ``--provider`` or, when unset, what is configured.

``openai`` (any OpenAI-compatible endpoint, also replay), ``rules`` (built in: no model,
no network). With no provider named, an endpoint option (``--base-url``, an API key,
``--replay``) selects ``openai``; otherwise the run uses ``rules`` and says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from summarizer.config import PROVIDERS, Settings
from summarizer.errors import ConfigError
from summarizer.extract.base import Extracted
from summarizer.ground.assemble import ExtractedPart
from summarizer.records import CallCounts

if TYPE_CHECKING:
    from summarizer.extract.base import Extractor
    from summarizer.load.documents import Article

__all__ = ["make_extractor"]


def make_extractor(settings: Settings, *, transport: Any = None) -> Extractor:
    """The extractor ``settings`` ask for (``transport``: an httpx2 transport for tests)."""
    provider = settings.effective_provider
    if provider == "rules":
        return RulesExtractor(settings)
    if provider == "openai":
        settings.check_endpoint()
        from summarizer.extract.llm import LLMExtractor

        return LLMExtractor(settings, transport=transport)
    raise ConfigError(f"unknown provider {provider!r}; choose one of {', '.join(PROVIDERS)}")


class RulesExtractor:
    """The built-in extractor: records found by code (:mod:`summarizer.extract.rules`).

    No model, no network, no key; every record is grounded exactly by construction.
    Its answers are not cached: computing them is cheaper than reading them back.
    """

    name = "rules"
    cacheable = False

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def fingerprint(self) -> dict[str, Any]:
        """Nothing but the code shapes the answer."""
        return {"rules": 1}

    def describe(self) -> dict[str, Any]:
        """Provenance: the rules extractor, no model or endpoint."""
        return {
            "provider": self.name,
            "model": "rules",
            "endpoint": None,
            "mode": "rules",
            "prompt_version": "none",
        }

    async def extract(self, article: Article) -> Extracted:
        """Scan ``article`` for statistics, quotes and dated events; summarise its lead."""
        from summarizer.extract.rules import rules_extraction

        extraction = rules_extraction(
            article.model_text or article.text,
            reference_date=article.published,
            title=article.title,
        )
        return Extracted([ExtractedPart(0, extraction)], [], CallCounts(attempts=1, chunks=1))

    async def aclose(self) -> None:
        """Nothing to release."""
