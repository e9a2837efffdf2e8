"""The records: Pydantic models for what the model fills and what users get.

Two families live here, and nothing else of ours is imported:

* The **model-facing** schema (:class:`Extraction` and its parts) is what the
  LLM fills through instructor. Evidence is a plain string, there are no
  offsets, warnings or provenance: the model cannot be trusted with those.
* The **output** records (:class:`ArticleResult` and its parts) are what the
  pipeline writes after grounding every record in the article text and
  normalising every number in code.

Both JSON Schemas are exported to ``schemas/`` by ``summarize schemas``.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

__all__ = [
    "Amount",
    "ArticleOutcome",
    "ArticleResult",
    "CallCounts",
    "Document",
    "Evidence",
    "ExtractedMilestone",
    "ExtractedQuote",
    "ExtractedStatistic",
    "Extraction",
    "MatchKind",
    "Milestone",
    "Provenance",
    "Qualifier",
    "Quote",
    "RunFailure",
    "RunReport",
    "Statistic",
    "Usage",
    "is_partial_iso_date",
]

MatchKind = Literal["exact", "fuzzy", "none"]
Qualifier = Literal["at_least", "at_most", "approximate", "projected"]

_PARTIAL_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_partial_iso_date(value: str) -> bool:
    """Return True for ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` with a real month and day."""
    m = _PARTIAL_ISO.match(value)
    if not m:
        return False
    month, day = m.group(2), m.group(3)
    if month is None:
        return True
    if not 1 <= int(month) <= 12:
        return False
    return day is None or 1 <= int(day) <= _DAYS_IN_MONTH[int(month) - 1]


def _check_partial_date(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or value.lower() in {"null", "none", "unknown", "n/a"}:
        return None
    if not is_partial_iso_date(value):
        raise ValueError(
            f"{value!r} is not a partial ISO date: write YYYY, YYYY-MM or YYYY-MM-DD "
            "(for example 2014, 2023-07, 2015-12-16), or null when the text gives no date"
        )
    return value


# --------------------------------------------------------------------------- model-facing

_EVIDENCE = "Supporting sentence, verbatim."
_DATE = "YYYY, YYYY-MM, YYYY-MM-DD or null"


def _compact(schema: dict[str, Any]) -> None:
    # Field titles repeat the field names, and every token of schema is paid on every call.
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class _ModelFacing(BaseModel):
    """Base of what the model fills: a compact JSON Schema."""

    model_config = ConfigDict(json_schema_extra=_compact)


class ExtractedMilestone(_ModelFacing):
    """A dated event."""

    date: str | None = Field(description=_DATE)
    event: str = Field(description="One sentence.")
    actors: list[str] = Field(default_factory=list, description="Names.")
    evidence: str = Field(description=_EVIDENCE)

    @field_validator("date")
    @classmethod
    def _date_is_partial_iso(cls, v: str | None) -> str | None:
        return _check_partial_date(v)


class ExtractedStatistic(_ModelFacing):
    """A measured quantity."""

    metric: str = Field(description="Readable alone: 'internet users in China'.")
    value: float | None = Field(description="Full magnitude: 1.079 billion is 1079000000.")
    unit: str | None = Field(description="percent, ISO 4217 code, or the thing counted.")
    value_text: str = Field(description="As written.")
    period: str | None = Field(description=_DATE)
    evidence: str = Field(description=_EVIDENCE)

    @field_validator("period")
    @classmethod
    def _period_is_partial_iso(cls, v: str | None) -> str | None:
        return _check_partial_date(v)


class ExtractedQuote(_ModelFacing):
    """A direct quote."""

    speaker: str = Field(description="Name, else role.")
    speaker_role: str | None = Field(default=None, description="Title or role.")
    text: str = Field(description="Quoted words verbatim, no quote marks.")
    evidence: str = Field(description=_EVIDENCE)

    @field_validator("text")
    @classmethod
    def _strip_quote_marks(cls, v: str) -> str:
        return v.strip().strip("\"'“”‘’«»").strip()


class Extraction(_ModelFacing):
    """Records from one news article."""

    summary: str = Field(description="2 to 4 sentences.")
    milestones: list[ExtractedMilestone] = Field(default_factory=list)
    statistics: list[ExtractedStatistic] = Field(default_factory=list)
    quotes: list[ExtractedQuote] = Field(default_factory=list)

    @model_validator(mode="after")
    def _run_context_check(self, info: ValidationInfo) -> Extraction:
        # The pipeline passes a check through instructor's validation context (for
        # example "every quote is verbatim in the article"); the ValueError it raises
        # is what instructor sends back to the model in a re-ask.
        ctx = info.context
        check = ctx.get("check") if isinstance(ctx, dict) else None
        if callable(check):
            check(self)
        return self


# --------------------------------------------------------------------------- output


class Evidence(BaseModel):
    """A verbatim span of the article that supports a record.

    ``article[start:end] == text`` whenever ``start`` is not null; offsets index the
    article text as loaded (decoded, line endings normalised to ``\\n``).
    """

    text: str
    start: int | None = None
    end: int | None = None
    match: MatchKind = "none"
    score: float | None = Field(default=None, description="Alignment score in [0, 100].")


class Amount(BaseModel):
    """A second statement of the same quantity, e.g. a currency conversion in brackets."""

    value: float
    unit: str
    value_text: str


class Milestone(BaseModel):
    """A dated event."""

    date: str | None
    event: str
    actors: list[str] = Field(default_factory=list)
    evidence: Evidence


class Statistic(BaseModel):
    """A measured quantity, with its value normalised by code."""

    metric: str
    value: float | None
    unit: str | None
    value_text: str
    qualifier: Qualifier | None = None
    period: str | None = None
    equivalents: list[Amount] = Field(default_factory=list)
    evidence: Evidence


class Quote(BaseModel):
    """Words someone said; ``evidence`` locates the quoted words themselves."""

    speaker: str
    speaker_role: str | None = None
    text: str
    evidence: Evidence


class Document(BaseModel):
    """Where an article came from."""

    id: str = Field(
        description="Path relative to the input folder, without extension, '/'-separated."
    )
    path: str
    sha256: str
    chars: int
    title: str | None = None
    encoding: str = "utf-8"
    duplicate_of: str | None = Field(
        default=None, description="Id of an identical text earlier in the run."
    )
    near_duplicates: list[str] = Field(default_factory=list)


class Usage(BaseModel):
    """Token counts reported by the endpoint."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


class Provenance(BaseModel):
    """How a result was obtained."""

    provider: str = Field(
        default="openai", description="Which extractor ran: 'openai' (an LLM endpoint) or 'rules'."
    )
    model: str
    endpoint: str | None = Field(description="Host of the endpoint; never the key.")
    mode: str
    prompt_version: str
    cache_hit: bool = False
    attempts: int = Field(default=0, description="Model answers parsed (1 + re-asks), all chunks.")
    reasks: int = 0
    retries: int = Field(default=0, description="HTTP requests repeated after a transient failure.")
    llm_calls: int = Field(default=0, description="HTTP requests sent to the endpoint.")
    chunks: int = 1
    usage: Usage = Field(default_factory=Usage)


class ArticleResult(BaseModel):
    """One article's records: the JSON object written to ``OUT/articles/<id>.json``."""

    model_config = ConfigDict(extra="forbid")

    document: Document
    summary: str
    milestones: list[Milestone] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    provenance: Provenance


class RunFailure(BaseModel):
    """A document that failed or was skipped, and why."""

    id: str
    path: str
    reason: str


class CallCounts(BaseModel):
    """What one article cost its extractor; a run's counters are their sum."""

    llm_calls: int = Field(default=0, description="Requests sent to the endpoint.")
    retries: int = Field(default=0, description="Requests repeated after a transient failure.")
    attempts: int = Field(default=0, description="Model answers parsed (1 + re-asks), all chunks.")
    reasks: int = 0
    chunks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, other: CallCounts) -> None:
        """Add ``other``'s counts to these, in place."""
        for name in CallCounts.model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))


OutcomeStatus = Literal["done", "cached", "failed", "skipped"]


class ArticleOutcome(BaseModel):
    """What processing one article produced: the unit a runner schedules and adds up.

    Plain data (picklable, JSON-able): a worker process or a Ray actor returns it.
    """

    id: str
    path: str
    status: OutcomeStatus
    result: ArticleResult | None = None
    reason: str | None = Field(default=None, description="Why it failed or was skipped.")
    calls: CallCounts = Field(default_factory=CallCounts)

    @property
    def failure(self) -> RunFailure | None:
        """The run report's entry for a failed or skipped article."""
        if self.status in ("failed", "skipped"):
            return RunFailure(id=self.id, path=self.path, reason=self.reason or "")
        return None


class RunReport(BaseModel):
    """Counters for one run: the JSON object written to ``OUT/run.json``."""

    documents: int = 0
    succeeded: int = 0
    failed: list[RunFailure] = Field(default_factory=list)
    skipped: list[RunFailure] = Field(default_factory=list)
    duplicates: int = Field(default=0, description="Documents whose text repeats another's.")
    cache_hits: int = 0
    llm_calls: int = 0
    retries: int = 0
    reasks: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    wall_seconds: float = 0.0
    model: str = ""
    endpoint: str | None = None
    mode: str = ""
    prompt_version: str = ""
    provider: str = ""
    extra: dict[str, Any] = Field(default_factory=dict)

    def add(self, outcome: ArticleOutcome) -> None:
        """Count one article's outcome into the run's totals."""
        calls = outcome.calls
        self.llm_calls += calls.llm_calls
        self.retries += calls.retries
        self.reasks += calls.reasks
        self.prompt_tokens += calls.prompt_tokens
        self.completion_tokens += calls.completion_tokens
        failure = outcome.failure
        if outcome.status == "failed" and failure is not None:
            self.failed.append(failure)
        elif outcome.status == "skipped" and failure is not None:
            self.skipped.append(failure)
        else:
            self.succeeded += 1
            if outcome.status == "cached":
                self.cache_hits += 1
            if outcome.result is not None and outcome.result.document.duplicate_of:
                self.duplicates += 1

