"""The engine: one article in, one :class:`~summarizer.records.ArticleOutcome` out.

:meth:`Engine.process` owns everything between a loaded article and its records::

    cache key (extractor fingerprint + text) -> cache hit? -> extractor -> ground and
    normalise (summarizer.ground.assemble) -> coverage -> cache store (once) -> outcome

It never raises for a bad article: the outcome says ``failed`` and why. Its inputs
and outputs are plain data, so a folder runner (local, worker processes or Ray)
only schedules engines and adds up outcomes.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from collections import OrderedDict
from pathlib import Path
from typing import Any

from summarizer.config import Settings
from summarizer.engine.cache import JSONCache, cache_key, default_cache_dir
from summarizer.errors import FatalEndpointError, SummarizerError
from summarizer.extract.base import Extracted, Extractor
from summarizer.ground.assemble import ExtractedPart, build_result
from summarizer.ground.coverage import uncovered
from summarizer.load.documents import Article
from summarizer.records import (
    ArticleOutcome,
    ArticleResult,
    CallCounts,
    Document,
    Extraction,
    Provenance,
    Usage,
)

__all__ = ["Engine", "assembly_version"]

log = logging.getLogger("summarizer")

#: Answers an engine keeps for exact copies when no cache can serve them (see _extract_once).
KEPT_ANSWERS = 1024


@functools.cache
def assembly_version() -> str:
    """sha256 of the code that grounds and normalises: a change re-derives cached records."""
    import summarizer.ground as ground
    from summarizer import records

    h = hashlib.sha256()
    for path in sorted(Path(str(ground.__file__)).parent.glob("*.py")):
        h.update(path.read_bytes())
    h.update(Path(str(records.__file__)).read_bytes())
    return h.hexdigest()


class Engine:
    """Turns articles into outcomes with one extractor and one cache policy.

    >>> engine = Engine(Settings(provider="rules"))     # doctest: +SKIP
    >>> outcome = await engine.process(article)          # doctest: +SKIP
    """

    def __init__(self, settings: Settings, *, extractor: Extractor | None = None) -> None:
        self.settings = settings
        if extractor is None:
            from summarizer.extract.providers import make_extractor

            extractor = make_extractor(settings)
        self.extractor = extractor
        self._fingerprint: dict[str, Any] | None = None
        self._cache: JSONCache | None = None
        self._inflight: dict[str, asyncio.Future[Extracted]] = {}
        # Answers kept for later copies when the cache cannot serve them: bounded, so a
        # run without a cache stays flat in memory (a copy further apart is asked again).
        self._answers: OrderedDict[str, Extracted] = OrderedDict()

    # ------------------------------------------------------------------ plumbing

    @property
    def caching(self) -> bool:
        """Whether this engine reads and writes the disk cache."""
        return self.settings.use_cache and self.extractor.cacheable

    def _get_cache(self) -> JSONCache | None:
        if not self.caching:
            return None
        if self._cache is None:
            self._cache = JSONCache(self.settings.cache_dir or default_cache_dir())
        return self._cache

    def open_cache(self) -> None:
        """Open the cache now, so one that cannot be opened stops a run before any call."""
        self._get_cache()

    def key(self, article: Article) -> str:
        """The cache key of ``article``'s answer: extractor fingerprint and model input."""
        if self._fingerprint is None:
            self._fingerprint = self.extractor.fingerprint()
        return cache_key(provider=self.extractor.name, **self._fingerprint, text=article.model_text)

    def provenance(self, calls: CallCounts, *, cache_hit: bool) -> Provenance:
        """Provenance of an answer from this engine's extractor."""
        return Provenance(
            **self.extractor.describe(),
            cache_hit=cache_hit,
            attempts=calls.attempts,
            reasks=calls.reasks,
            retries=calls.retries,
            llm_calls=calls.llm_calls,
            chunks=max(calls.chunks, 1),
            usage=Usage(
                prompt_tokens=calls.prompt_tokens, completion_tokens=calls.completion_tokens
            ),
        )

    async def aclose(self) -> None:
        """Release the extractor's connections and the cache (the engine stays usable)."""
        await self.extractor.aclose()
        self._answers.clear()
        if self._cache is not None:
            cache, self._cache = self._cache, None
            cache.close()

    # ------------------------------------------------------------------ one article

    async def process(self, article: Article, *, raise_errors: bool = False) -> ArticleOutcome:
        """Extract, ground and normalise ``article``.

        A failure becomes a ``failed`` outcome with the reason, or, with
        ``raise_errors``, raises the :class:`~summarizer.errors.SummarizerError`.
        A :class:`~summarizer.errors.FatalEndpointError` (a refused key, an unknown
        model) always raises: it would fail every article alike.
        """
        if raise_errors:
            return await self._process(article)
        try:
            return await self._process(article)
        except FatalEndpointError:
            raise  # every article would fail the same way: the runner stops the run
        except SummarizerError as exc:
            calls = exc.calls if isinstance(exc.calls, CallCounts) else CallCounts()
            return _failed(article, str(exc), calls)
        except Exception as exc:  # one broken article never stops the run
            log.exception("internal error on %s", article.id)
            return _failed(article, f"internal error: {type(exc).__name__}: {exc}", CallCounts())

    def cached(self, article: Article) -> ArticleOutcome | None:
        """``article``'s outcome from the cache, or None on a miss (never extracts).

        With ``refresh``, or when this engine does not cache, always None. An
        unreadable entry is a miss, with a warning.
        """
        cache = self._get_cache()
        if cache is None or self.settings.refresh:
            return None
        key = self.key(article)
        hit = cache.get(key)
        if hit is None:
            return None
        try:
            result = self._from_cache(article, hit, key)
        except (KeyError, ValueError, TypeError):
            log.warning("cache entry for %s unreadable; extracting again", article.id)
            return None
        return ArticleOutcome(id=article.id, path=article.path, status="cached", result=result)

    async def _process(self, article: Article) -> ArticleOutcome:
        hit = self.cached(article)
        if hit is not None:
            return hit
        cache = self._get_cache()
        key = self.key(article)
        extracted, fresh = await self._extract_once(article, key)
        # A copy that waited for another article's answer made no call; with caching on,
        # it says cache_hit as a later copy would (whatever the timing), without caching
        # it says what an uncached run always says.
        result = self._build(article, extracted, cache_hit=not fresh and self.caching)
        if cache is not None and fresh:
            cache.set(key, _to_cache(extracted, article, result))
        calls = extracted.calls if fresh else CallCounts()
        return ArticleOutcome(
            id=article.id, path=article.path, status="done", result=result, calls=calls
        )

    async def _extract_once(self, article: Article, key: str) -> tuple[Extracted, bool]:
        """Extract once per distinct model input; copies wait for (or reuse) the first.

        Returns the answer and whether this call produced it. Finished answers are kept
        in memory only when the cache cannot serve later copies.
        """
        pending = self._inflight.get(key)
        if pending is not None:
            return await asyncio.shield(pending), False
        kept = self._answers.get(key)
        if kept is not None:
            self._answers.move_to_end(key)
            return kept, False
        future: asyncio.Future[Extracted] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            extracted = await self.extractor.extract(article)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: copies may never await it
            raise
        finally:
            del self._inflight[key]
        future.set_result(extracted)
        if not self.caching or self.settings.refresh:
            self._answers[key] = extracted
            if len(self._answers) > KEPT_ANSWERS:
                self._answers.popitem(last=False)
        return extracted, True

    def _build(self, article: Article, extracted: Extracted, *, cache_hit: bool) -> ArticleResult:
        warnings = [*article.warnings, *extracted.warnings]
        result = build_result(
            _document(article),
            article.text,
            extracted.parts,
            self.provenance(extracted.calls, cache_hit=cache_hit),
            warnings=warnings,
            reference_date=article.published,
        )
        if self.extractor.name != "rules":
            # The recall cross-check: what the scanner finds that no record covers. The
            # rules extractor's records are the scanner's own, so it would find nothing.
            result.coverage = uncovered(
                article.text,
                result,
                reference_date=article.published,
                title=article.title,
                model_text=article.model_text,  # the candidates strategy's scan is reused
            )
        return result

    def _from_cache(self, article: Article, value: dict[str, Any], key: str) -> ArticleResult:
        calls = CallCounts.model_validate(value["calls"])
        done = value.get("assembled")
        if (
            isinstance(done, dict)
            and done.get("version") == assembly_version()
            and done.get("text") == article.sha256
        ):
            # Grounding and normalisation are deterministic: a rerun reuses them.
            records = done["records"]
            return ArticleResult.model_validate(
                {
                    **records,
                    "warnings": [
                        *article.warnings,
                        *value.get("warnings", []),
                        *records["warnings"],
                    ],
                    "document": _document(article),
                    "provenance": self.provenance(calls, cache_hit=True),
                }
            )
        parts = [ExtractedPart(int(s), Extraction.model_validate(e)) for s, e in value["parts"]]
        extracted = Extracted(parts, list(value.get("warnings", [])), calls)
        result = self._build(article, extracted, cache_hit=True)
        cache = self._get_cache()
        if cache is not None:
            cache.set(key, _to_cache(extracted, article, result))
        return result


def _document(article: Article) -> Document:
    return Document(
        id=article.id,
        path=article.path,
        sha256=article.sha256,
        chars=article.chars,
        title=article.title,
        encoding=article.encoding,
    )


def _failed(article: Article, reason: str, calls: CallCounts) -> ArticleOutcome:
    return ArticleOutcome(
        id=article.id, path=article.path, status="failed", reason=reason, calls=calls
    )


def _to_cache(extracted: Extracted, article: Article, result: ArticleResult) -> dict[str, Any]:
    """The cache entry: the extractor's answer and the records derived from it."""
    records = result.model_dump(mode="json", exclude={"document", "provenance"})
    # Keep only the warnings grounding produced; the article's own are re-added on read.
    records["warnings"] = records["warnings"][len(article.warnings) + len(extracted.warnings) :]
    return {
        "parts": [[p.start, p.extraction.model_dump(mode="json")] for p in extracted.parts],
        "calls": extracted.calls.model_dump(),
        "warnings": extracted.warnings,
        "assembled": {"version": assembly_version(), "text": article.sha256, "records": records},
    }
