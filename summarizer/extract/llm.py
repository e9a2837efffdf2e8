"""The OpenAI-compatible extractor: any chat-completions endpoint, through instructor.

It splits long articles into chunks, asks the model for each, and counts what that
cost. The HTTP stack (retries, record, replay) is
:class:`summarizer.extract.openai_compat.ModelClient`'s. Two strategies
(``Settings.strategy``):

* ``candidates``: code finds the numbers, quotes and dates of the chunk, the model
  labels them (:mod:`summarizer.extract.candidates`, prompt ``prompts/candidates.toml``);
* ``generate``: the model writes every record (``prompts/extract.toml``).

Either way answers are read leniently (:mod:`summarizer.extract.salvage`): a bad
record is dropped with a warning, a re-ask happens only when nothing usable came
back, and the complete records of an answer cut off at ``max_tokens`` are kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from contextlib import nullcontext
from functools import cache
from pathlib import Path
from typing import Any

from summarizer.config import Settings
from summarizer.errors import ExtractionError, SummarizerError
from summarizer.extract.base import Extracted
from summarizer.extract.candidates import Labels, build_extraction, find_candidates, render
from summarizer.extract.chunking import estimate_tokens, split_text
from summarizer.extract.openai_compat import ModelClient
from summarizer.extract.prompts import DEFAULT_PROMPT, Prompt, load_prompt
from summarizer.extract.replay import current_label
from summarizer.extract.salvage import UnusableAnswer, collecting, lenient, salvage_text
from summarizer.extract.transport import CallStats, current_stats, track_calls
from summarizer.ground.assemble import ExtractedPart
from summarizer.load.documents import Article
from summarizer.records import CallCounts, Extraction

__all__ = ["LLMExtractor", "schema_fingerprint"]


_LENIENT_EXTRACTION = lenient(Extraction)
_LENIENT_LABELS = lenient(Labels)
# Output budget of a candidates answer: the summary and a few corrections (a cut-off
# answer keeps its complete labels).
_LABELS_BASE_TOKENS = 320
_LABEL_TOKENS = 12
_LABELS_MAX_TOKENS = 3072


@cache
def schema_fingerprint() -> str:
    """The model-facing JSON Schema, as hashed into cache keys (cached answers are Extractions)."""
    return json.dumps(Extraction.model_json_schema(), sort_keys=True)


@cache
def labels_fingerprint() -> str:
    """What shapes a candidates answer besides the model: its schema and the code.

    The cache holds the records built from the labels, so the scanner, the rules'
    guesses and the record building (their source files) are part of the key.
    """
    from summarizer.extract import candidates, rules
    from summarizer.ground import scan

    h = hashlib.sha256(json.dumps(Labels.model_json_schema(), sort_keys=True).encode())
    folder = Path(str(scan.__file__)).parent
    for path in [
        Path(str(candidates.__file__)),
        Path(str(rules.__file__)),
        *sorted(folder.glob("*.py")),
    ]:
        h.update(path.read_bytes())
    return h.hexdigest()


def strategy_prompt(settings: Settings) -> Prompt:
    """The prompt of the settings' strategy: ``--prompt`` when given, else the strategy's own."""
    if settings.strategy == "candidates" and settings.prompt == DEFAULT_PROMPT:
        return load_prompt("candidates")
    return load_prompt(settings.prompt)


def _counts(stats: CallStats, attempts: int, reasks: int, chunks: int) -> CallCounts:
    return CallCounts(
        llm_calls=stats.llm_calls,
        retries=stats.retries,
        attempts=attempts,
        reasks=reasks,
        chunks=chunks,
        prompt_tokens=stats.prompt_tokens,
        completion_tokens=stats.completion_tokens,
    )


class LLMExtractor:
    """Extract through an OpenAI-compatible endpoint (or its recordings, with ``replay``)."""

    name = "openai"

    def __init__(self, settings: Settings, *, transport: Any = None) -> None:
        self.settings = settings
        self.prompt: Prompt = strategy_prompt(settings)
        self.cacheable = settings.replay is None
        self._transport = transport
        self._client: ModelClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def client(self) -> ModelClient:
        """The model client of the running loop, created on first use (importing openai then).

        Connections belong to the loop that opened them, and each ``asyncio.run`` makes
        a new loop: a client left from another loop is dropped, not reused (reusing it
        fails with a false "cannot reach").
        """
        try:
            loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if self._client is not None and loop is not None and self._loop is not loop:
            self._client = None
        if self._client is None:
            self._client = ModelClient(self.settings, transport=self._transport)
            self._loop = loop
        return self._client

    def fingerprint(self) -> dict[str, Any]:
        """Model, endpoint, mode, sampling, prompt, schema, chunking and re-asks."""
        s = self.settings
        return {
            "model": s.model,
            "base_url": s.effective_base_url,
            "mode": s.mode,
            "sampling": s.sampling(),
            "prompt": self.prompt.fingerprint,
            "strategy": s.strategy,
            "schema": schema_fingerprint(),
            "labels": labels_fingerprint() if s.strategy == "candidates" else None,
            "chunking": [s.max_input_tokens, s.chunk_overlap_chars, s.context_window],
            "max_reasks": s.max_reasks,
        }

    def describe(self) -> dict[str, Any]:
        """Provenance: provider, model, endpoint host (or replay folder), mode, prompt version."""
        s = self.settings
        return {
            "provider": self.name,
            "model": s.model,
            "endpoint": s.endpoint_host,
            "mode": s.mode,
            "prompt_version": self.prompt.version,
            "strategy": s.strategy,
        }

    async def extract(self, article: Article) -> Extracted:
        """Ask the model about each chunk of ``article``."""
        s = self.settings
        text = article.model_text or article.text
        pieces = [(0, text)]
        # The client library is imported while the server is asked for its window.
        self.client.prepare()
        # --max-input-tokens, or less when the server's context window is known.
        limit = await self.client.max_input_tokens()
        if estimate_tokens(text) > limit:
            chunks = split_text(text, max_chars=limit * 4, overlap_chars=s.chunk_overlap_chars)
            pieces = [(c.index, c.text) for c in chunks] or pieces
        parts: list[ExtractedPart] = []
        warnings: list[str] = []
        attempts = 0
        outer = current_stats.get()
        with nullcontext(outer) if outer is not None else track_calls() as stats:
            try:
                for index, piece in pieces:
                    label = current_label.set(
                        {"document": article.id, "chunk": index, "mode": s.mode}
                    )
                    try:
                        extraction, used, notes = await self._ask(article, piece)
                    finally:
                        current_label.reset(label)
                    attempts += used
                    start = article.text.find(piece[:200]) if len(pieces) > 1 else 0
                    parts.append(ExtractedPart(max(start, 0), extraction))
                    where = f"chunk {index}: " if len(pieces) > 1 else ""
                    warnings.extend(where + note for note in notes)
            except SummarizerError as exc:
                # A failed article cost calls too, re-asks included: count what went out.
                answered = stats.llm_calls - stats.retries
                exc.calls = _counts(stats, answered, max(0, answered - len(parts) - 1), len(pieces))
                raise
            calls = _counts(stats, attempts, max(0, attempts - len(pieces)), len(pieces))
        if len(pieces) > 1:
            warnings.insert(0, f"article split into {len(pieces)} chunks")
        return Extracted(parts, warnings, calls)

    async def _ask(self, article: Article, piece: str) -> tuple[Extraction, int, list[str]]:
        """One chunk's extraction, the answers it took, and salvage notes."""
        s = self.settings
        if s.strategy == "candidates":
            cands = find_candidates(piece, reference_date=article.published, title=article.title)
            count = len(cands.numbers) + len(cands.quotes) + len(cands.events)
            budget = min(_LABELS_MAX_TOKENS, _LABELS_BASE_TOKENS + _LABEL_TOKENS * count)
            labels, used, notes = await self._call(
                render(cands), _LENIENT_LABELS, max_tokens=budget, salvage_as=Labels
            )
            extraction, more = build_extraction(cands, labels)
            return extraction, used, [*notes, *more]
        # No quote re-ask: a quote that is not verbatim is one bad record, which grounding
        # flags ("paraphrased or invented"); asking a slow local model again for it costs
        # a whole answer. Re-asks are for answers with nothing usable (salvage).
        return await self._call(piece, _LENIENT_EXTRACTION)

    async def _call(
        self,
        text: str,
        model: type[Any],
        *,
        max_tokens: int | None = None,
        salvage_as: type[Any] = Extraction,
    ) -> tuple[Any, int, list[str]]:
        """Ask once (re-asks included); a cut-off answer gives its complete records."""
        with collecting(self.settings.max_reasks) as notes:
            try:
                answer = await self.client.extract(
                    self.prompt, text, max_tokens=max_tokens, response_model=model
                )
            except ExtractionError as exc:
                if not exc.partial:
                    raise
                try:
                    salvaged, cut_notes = salvage_text(exc.partial, model=salvage_as)
                except UnusableAnswer:
                    raise exc from None
                cut = "the answer was cut off at max_tokens; kept its complete records"
                return salvaged, 1, [cut, *cut_notes]
        return answer.extraction, answer.attempts, notes

    async def aclose(self) -> None:
        """Close the HTTP connections (the client is rebuilt on next use)."""
        if self._client is not None:
            client, self._client = self._client, None
            loop, self._loop = self._loop, None
            # Connections opened on another (by now closed) loop cannot be closed from
            # this one; they went with their loop.
            if loop is None or loop is asyncio.get_running_loop():
                await client.aclose()
