"""The public Python API: :class:`Summarizer`, ``summarize_text``, ``summarize_folder``.

One article goes: load -> cache lookup -> (miss) chunk -> model -> cache store ->
ground and normalise -> result. A folder run streams articles through a fixed
number of workers, writes each result as it finishes, sends identical texts to the
model once, and never lets one bad article stop the others.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from summarizer.config import Settings
from summarizer.engine.cache import JSONCache, cache_key, default_cache_dir
from summarizer.errors import InputError
from summarizer.extract.chunking import estimate_tokens, split_text
from summarizer.extract.openai_compat import ModelClient
from summarizer.extract.prompts import Prompt, load_prompt
from summarizer.extract.replay import current_label
from summarizer.extract.transport import current_stats, track_calls
from summarizer.ground.assemble import ExtractedPart, build_result, quote_check
from summarizer.load.documents import DEFAULT_GLOBS, Article, LoadProblem, make_article
from summarizer.records import (
    ArticleResult,
    Document,
    Extraction,
    Provenance,
    RunReport,
    Usage,
)

__all__ = [
    "FolderResult",
    "ProgressEvent",
    "Summarizer",
    "asummarize_folder",
    "asummarize_text",
    "summarize_folder",
    "summarize_text",
]

log = logging.getLogger("summarizer")


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One article finished (``done``, ``cached``, ``failed`` or ``skipped``)."""

    kind: str
    doc_id: str
    report: RunReport
    total: int


ProgressCallback = Callable[[ProgressEvent], None]


@dataclass(repr=False)
class FolderResult:
    """What a folder run produced."""

    run: RunReport
    articles: list[ArticleResult] = field(default_factory=list)
    brief: Any = None  # summarizer.consolidate.Brief
    out: Path | None = None

    def __repr__(self) -> str:
        # Short on purpose: asyncio may repr a finished task's result, and the
        # full brief of a large folder takes seconds to print.
        r = self.run
        return (
            f"FolderResult(documents={r.documents}, succeeded={r.succeeded}, "
            f"failed={len(r.failed)}, out={self.out!s})"
        )


@dataclass
class _Outcome:
    """A model answer (fresh or cached) for one text, before grounding."""

    parts: list[ExtractedPart]
    provenance: Provenance
    warnings: list[str]
    key: str | None = None  # its cache key, when caching
    assembled: dict[str, Any] | None = None  # grounded records derived from it earlier


def _schema_fingerprint() -> str:
    return json.dumps(Extraction.model_json_schema(), sort_keys=True)


class Summarizer:
    """Summarise articles with one endpoint configuration.

    >>> s = Summarizer(model="gpt-4o-mini")            # doctest: +SKIP
    >>> result = s.summarize_text("BEIJING, July 14 ...")  # doctest: +SKIP
    >>> result.statistics[0].value                      # doctest: +SKIP

    Options are those of :class:`summarizer.config.Settings` (the CLI's flags).
    Use it as a context manager, or call :meth:`close`, to release connections.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        transport: Any = None,
        **options: Any,
    ) -> None:
        base = settings or Settings()
        self.settings = replace(base, **options).with_env() if options else base.with_env()
        self.settings.check_endpoint()
        self.prompt: Prompt = load_prompt(self.settings.prompt)
        self._transport = transport
        self._model: ModelClient | None = None
        self._cache: JSONCache | None = None
        self._schema = _schema_fingerprint()

    # ------------------------------------------------------------------ plumbing

    @property
    def model_client(self) -> ModelClient:
        """The model client, created on first use (importing openai then)."""
        if self._model is None:
            self._model = ModelClient(self.settings, transport=self._transport)
        return self._model

    def _get_cache(self) -> JSONCache | None:
        if not self.settings.caching:
            return None
        if self._cache is None:
            self._cache = JSONCache(self.settings.cache_dir or default_cache_dir())
        return self._cache

    def _key(self, article: Article) -> str:
        s = self.settings
        return cache_key(
            model=s.model,
            base_url=s.effective_base_url,
            mode=s.mode,
            sampling=s.sampling(),
            prompt=self.prompt.fingerprint,
            schema=self._schema,
            chunking=[s.max_input_tokens, s.chunk_overlap_chars],
            max_reasks=s.max_reasks,
            text=article.model_text,
        )

    def _provenance(self, **counts: Any) -> Provenance:
        s = self.settings
        return Provenance(
            model=s.model,
            endpoint=s.endpoint_host,
            mode=s.mode,
            prompt_version=self.prompt.version,
            **counts,
        )

    async def aclose(self) -> None:
        """Release HTTP connections and the cache."""
        if self._model is not None:
            await self._model.aclose()
            self._model = None
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    def close(self) -> None:
        """Synchronous :meth:`aclose`."""
        asyncio.run(self.aclose())

    def __enter__(self) -> Summarizer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ one article

    async def _outcome(self, article: Article) -> tuple[_Outcome, bool]:
        """The model's answer for ``article``: from the cache, else from the model."""
        cache = self._get_cache()
        key = self._key(article)
        if cache is not None and not self.settings.refresh:
            hit = cache.get(key)
            if hit is not None:
                try:
                    return _outcome_from_cache(hit, self._provenance, key), True
                except (KeyError, ValueError, TypeError):
                    log.warning("cache entry for %s unreadable; asking the model again", article.id)
        outcome = await self._ask(article)
        if cache is not None:
            outcome.key = key
            cache.set(key, _outcome_to_cache(outcome))
        return outcome, False

    async def _ask(self, article: Article) -> _Outcome:
        s = self.settings
        text = article.model_text or article.text
        if estimate_tokens(text) > s.max_input_tokens:
            chunks = split_text(
                text, max_chars=s.max_input_tokens * 4, overlap_chars=s.chunk_overlap_chars
            )
        else:
            chunks = []
        pieces = [(c.index, c.text) for c in chunks] or [(0, text)]
        parts: list[ExtractedPart] = []
        attempts = 0
        outer = current_stats.get()
        with nullcontext(outer) if outer is not None else track_calls() as stats:
            for index, piece in pieces:
                token = current_label.set({"document": article.id, "chunk": index, "mode": s.mode})
                try:
                    answer = await self.model_client.extract(
                        self.prompt, piece, check=quote_check(article.text)
                    )
                finally:
                    current_label.reset(token)
                attempts += answer.attempts
                start = article.text.find(piece[:200]) if len(pieces) > 1 else 0
                parts.append(ExtractedPart(max(start, 0), answer.extraction))
        provenance = self._provenance(
            attempts=attempts,
            reasks=max(0, attempts - len(pieces)),
            retries=stats.retries,
            llm_calls=stats.llm_calls,
            chunks=len(pieces),
            usage=Usage(
                prompt_tokens=stats.prompt_tokens, completion_tokens=stats.completion_tokens
            ),
        )
        warnings = [f"article split into {len(pieces)} chunks"] if len(pieces) > 1 else []
        return _Outcome(parts, provenance, warnings)

    def _result(self, article: Article, outcome: _Outcome, *, cache_hit: bool) -> ArticleResult:
        document = Document(
            id=article.id,
            path=article.path,
            sha256=article.sha256,
            chars=article.chars,
            title=article.title,
            encoding=article.encoding,
        )
        provenance = outcome.provenance.model_copy(update={"cache_hit": cache_hit})
        warnings = [*article.warnings, *outcome.warnings]
        done = outcome.assembled
        if (
            done
            and done.get("version") == _assembly_version()
            and done.get("text") == article.sha256
        ):
            # Grounding and normalisation are deterministic: a rerun reuses them.
            return ArticleResult.model_validate(
                {
                    **done["records"],
                    "warnings": [*warnings, *done["records"]["warnings"]],
                    "document": document,
                    "provenance": provenance,
                }
            )
        result = build_result(document, article.text, outcome.parts, provenance, warnings=warnings)
        cache = self._get_cache()
        if cache is not None and outcome.key is not None:
            records = result.model_dump(mode="json", exclude={"document", "provenance"})
            records["warnings"] = records["warnings"][len(warnings) :]
            assembled = {"version": _assembly_version(), "text": article.sha256, "records": records}
            cache.set(outcome.key, _outcome_to_cache(outcome, assembled))
        return result

    async def asummarize_article(self, article: Article) -> ArticleResult:
        """Summarise an already loaded :class:`~summarizer.documents.Article`."""
        outcome, hit = await self._outcome(article)
        return self._result(article, outcome, cache_hit=hit)

    async def asummarize_text(
        self, text: str, *, id: str = "text", title: str | None = None
    ) -> ArticleResult:
        """Summarise one article given as a string."""
        article = make_article(text, id=id, title=title, max_chars=self.settings.max_chars)
        if isinstance(article, LoadProblem):
            raise InputError(f"{id}: {article.reason}")
        return await self.asummarize_article(article)

    def summarize_text(
        self, text: str, *, id: str = "text", title: str | None = None
    ) -> ArticleResult:
        """Synchronous :meth:`asummarize_text`."""
        result: ArticleResult = asyncio.run(
            self._once(self.asummarize_text(text, id=id, title=title))
        )
        return result

    async def _once(self, coro: Any) -> Any:
        # asyncio.run makes a new loop each call; connections belong to the old one.
        try:
            return await coro
        finally:
            await self.aclose()

    # ------------------------------------------------------------------ a folder

    async def asummarize_folder(
        self,
        folder: Path | str,
        out: Path | str | None = None,
        *,
        globs: Sequence[str] = DEFAULT_GLOBS,
        keep_articles: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Summarise every matching file under ``folder``.

        With ``out``, writes ``articles/<id>.json``, ``records.jsonl``, ``run.json``
        and the folder brief there as results arrive. Articles are kept in memory
        and returned when ``keep_articles`` is true (default: only without ``out``).
        """
        from summarizer.run.local import FolderRun

        run = FolderRun(
            self,
            Path(folder),
            globs=globs,
            out=Path(out) if out is not None else None,
            keep_articles=(out is None) if keep_articles is None else keep_articles,
            on_progress=on_progress,
        )
        try:
            await run.run()
        finally:
            await self.aclose()
        return run.finish()

    def summarize_folder(
        self,
        folder: Path | str,
        out: Path | str | None = None,
        *,
        globs: Sequence[str] = DEFAULT_GLOBS,
        keep_articles: bool | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> FolderResult:
        """Synchronous :meth:`asummarize_folder`."""
        return asyncio.run(
            self.asummarize_folder(
                folder, out, globs=globs, keep_articles=keep_articles, on_progress=on_progress
            )
        )


@functools.cache
def _assembly_version() -> str:
    """sha256 of the code that grounds and normalises: a change re-derives cached records."""
    from summarizer import records
    from summarizer.ground import _periods, _units, align, assemble, normalize

    h = hashlib.sha256()
    for module in (assemble, align, normalize, _units, _periods, records):
        h.update(Path(str(module.__file__)).read_bytes())
    return h.hexdigest()


def _outcome_to_cache(outcome: _Outcome, assembled: dict[str, Any] | None = None) -> dict[str, Any]:
    value: dict[str, Any] = {
        "parts": [[p.start, p.extraction.model_dump(mode="json")] for p in outcome.parts],
        "provenance": outcome.provenance.model_dump(mode="json"),
        "warnings": outcome.warnings,
    }
    if assembled is not None:
        value["assembled"] = assembled
    return value


def _outcome_from_cache(
    value: dict[str, Any], make: Callable[..., Provenance], key: str
) -> _Outcome:
    stored = value["provenance"]
    provenance = make(
        attempts=stored["attempts"],
        reasks=stored["reasks"],
        retries=stored["retries"],
        llm_calls=stored["llm_calls"],
        chunks=stored["chunks"],
        usage=Usage.model_validate(stored["usage"]),
    )
    parts = [ExtractedPart(int(s), Extraction.model_validate(e)) for s, e in value["parts"]]
    return _Outcome(
        parts,
        provenance,
        list(value.get("warnings", [])),
        key=key,
        assembled=value.get("assembled"),
    )


# ---------------------------------------------------------------------- module-level helpers


async def asummarize_text(text: str, *, id: str = "text", **options: Any) -> ArticleResult:
    """Summarise one text with a one-off :class:`Summarizer` built from ``options``."""
    summarizer = Summarizer(**options)
    try:
        return await summarizer.asummarize_text(text, id=id)
    finally:
        await summarizer.aclose()


def summarize_text(text: str, *, id: str = "text", **options: Any) -> ArticleResult:
    """Synchronous :func:`asummarize_text`."""
    return asyncio.run(asummarize_text(text, id=id, **options))


async def asummarize_folder(
    folder: Path | str, out: Path | str | None = None, **options: Any
) -> FolderResult:
    """Summarise a folder with a one-off :class:`Summarizer` built from ``options``."""
    globs = options.pop("globs", DEFAULT_GLOBS)
    return await Summarizer(**options).asummarize_folder(folder, out, globs=globs)


def summarize_folder(
    folder: Path | str, out: Path | str | None = None, **options: Any
) -> FolderResult:
    """Synchronous :func:`asummarize_folder`."""
    return asyncio.run(asummarize_folder(folder, out, **options))
