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
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema

__all__ = [
    "RECORD_TYPES",
    "Amount",
    "AnswerBase",
    "ArticleOutcome",
    "ArticleResult",
    "CallCounts",
    "Coverage",
    "Document",
    "Evidence",
    "ExtractedMilestone",
    "ExtractedQuote",
    "ExtractedStatistic",
    "Extraction",
    "MatchKind",
    "Milestone",
    "ModelFacing",
    "Provenance",
    "Qualifier",
    "Quote",
    "RecordField",
    "RecordKind",
    "RunFailure",
    "RunReport",
    "Statistic",
    "Uncovered",
    "Usage",
    "ValueSource",
    "is_partial_iso_date",
]

MatchKind = Literal["exact", "fuzzy", "none"]
Qualifier = Literal["at_least", "at_most", "approximate", "projected"]
ValueSource = Literal["text", "model", "ambiguous"]

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


# --------------------------------------------------------------------------- model-facing
#
# Written for small local models as much as for frontier APIs: every field but the
# one that makes a record a record has a default, a date or period is kept as the
# words the model gave (code resolves "last year" against the article), and a number
# may come as a string. A record that still does not validate is dropped on its own
# by the provider (``summarizer.extract.salvage``), never the whole answer. No
# description quotes a seed or gold value: a small model copies examples verbatim.

_EVIDENCE = "The article sentence that states it, copied exactly."
_WHEN = "When, as the article says it (a year, month or date); null if it gives none."
_NULLISH = frozenset({"", "null", "none", "unknown", "n/a", "na", "-"})


def _text_or_none(value: Any) -> Any:
    """Blank, "null" or "unknown" mean no value; numbers (a year) become text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, str) and value.strip().lower() in _NULLISH:
        return None
    return value.strip() if isinstance(value, str) else value


def _number_or_none(value: Any) -> Any:
    """A number the model wrote as text ("1,200", "45%") is read; anything else is null.

    The value is re-read from ``value_text`` by code anyway, so an unreadable one
    costs nothing and must not cost the record.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace("_", "").rstrip("%").strip()
        try:
            return float(cleaned)
        except ValueError:
            return None
    return None


def _names(value: Any) -> Any:
    """A single name becomes a list of one; null becomes an empty list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [str(v) for v in value if v is not None and str(v).strip()]
    return value


def _compact(schema: dict[str, Any]) -> None:
    # Field titles repeat the field names, and every token of schema is paid on every call.
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


class ModelFacing(BaseModel):
    """Base of what the model fills: a compact JSON Schema."""

    model_config = ConfigDict(json_schema_extra=_compact)


class ExtractedMilestone(ModelFacing):
    """An event the article dates."""

    date: str | None = Field(default=None, description=_WHEN)
    event: str = Field(description="What happened, in one sentence.")
    actors: list[str] = Field(default_factory=list, description="People or organisations.")
    evidence: str = Field(default="", description=_EVIDENCE)

    _date = field_validator("date", mode="before")(_text_or_none)
    _actors = field_validator("actors", mode="before")(_names)


class ExtractedStatistic(ModelFacing):
    """A number the article reports."""

    metric: str = Field(description="What the number measures, clear without the article.")
    value: float | None = Field(
        default=None, description="The number in digits, million or billion multiplied out."
    )
    unit: str | None = Field(
        default=None, description="percent, a currency code such as EUR, or what is counted."
    )
    value_text: str = Field(description="The number exactly as the article writes it.")
    period: str | None = Field(default=None, description=_WHEN)
    evidence: str = Field(default="", description=_EVIDENCE)

    _value = field_validator("value", mode="before")(_number_or_none)
    _unit = field_validator("unit", "period", mode="before")(_text_or_none)

    @field_validator("value_text", mode="before")
    @classmethod
    def _value_text_as_text(cls, v: Any) -> Any:
        # A model that writes 1200 for "1,200" still gave the number: keep it as text.
        return str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v


class ExtractedQuote(ModelFacing):
    """Words the article quotes directly, inside quotation marks."""

    speaker: str = Field(default="", description="Who said it: a name, else a role.")
    speaker_role: str | None = Field(default=None, description="Their title or role.")
    text: str = Field(description="The quoted words exactly, without the quotation marks.")
    # Accepted (older answers and the rules extractor give it) but not asked for: the
    # quoted words themselves are what grounding locates, and output tokens are slow.
    evidence: SkipJsonSchema[str] = ""

    _role = field_validator("speaker_role", mode="before")(_text_or_none)

    @field_validator("speaker", mode="before")
    @classmethod
    def _speaker_as_text(cls, v: Any) -> Any:
        return "" if v is None else v

    @field_validator("text")
    @classmethod
    def _strip_quote_marks(cls, v: str) -> str:
        return v.strip().strip("\"'“”‘’«»").strip()


class AnswerBase(ModelFacing):
    """Base of a model's whole answer: a field sent as null reads as its default.

    Small models write ``"summary": null`` or ``"quotes": null`` for "nothing";
    that is an empty answer, not a broken one.
    """

    @field_validator("*", mode="before")
    @classmethod
    def _null_as_default(cls, v: Any, info: ValidationInfo) -> Any:
        if v is not None or info.field_name is None:
            return v
        return cls.model_fields[info.field_name].get_default(call_default_factory=True)


class Extraction(AnswerBase):
    """Records from one news article."""

    summary: str = Field(default="", description="2 to 4 sentences on the main facts.")
    milestones: list[ExtractedMilestone] = Field(default_factory=list)
    statistics: list[ExtractedStatistic] = Field(default_factory=list)
    quotes: list[ExtractedQuote] = Field(default_factory=list)


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
    value_source: ValueSource = Field(
        default="text",
        description=(
            "Who decided `value`: 'text' when code read it from the article's words (it agrees "
            "with the model or corrects it for a clear reason), 'model' when the words hold no "
            "number code can read and the model's value is kept, 'ambiguous' when the words "
            "allow readings that differ (508m: metres or million) and the model's value is kept "
            "with a warning. Filter on 'text' for values checked by code."
        ),
    )
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
    strategy: str | None = Field(
        default=None,
        description="How the model was asked: 'candidates' or 'generate'; null without a model.",
    )
    cache_hit: bool = False
    attempts: int = Field(default=0, description="Model answers parsed (1 + re-asks), all chunks.")
    reasks: int = 0
    retries: int = Field(default=0, description="HTTP requests repeated after a transient failure.")
    llm_calls: int = Field(default=0, description="HTTP requests sent to the endpoint.")
    chunks: int = 1
    usage: Usage = Field(default_factory=Usage)


class Uncovered(BaseModel):
    """A candidate the scanner found that no record covers: ``article[start:end] == text``."""

    kind: Literal["quantity", "quote"]
    start: int
    end: int
    text: str
    hint: str | None = Field(
        default=None, description="The scanner's metric for a quantity, speaker for a quote."
    )
    sentence: str = Field(description="The sentence it stands in.")


class Coverage(BaseModel):
    """The recall cross-check: candidates the records leave out, of how many scanned."""

    quantities: list[Uncovered] = Field(default_factory=list)
    quotes: list[Uncovered] = Field(default_factory=list)
    scanned_quantities: int = 0
    scanned_quotes: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def count(self) -> int:
        """Uncovered candidates of both kinds."""
        return len(self.quantities) + len(self.quotes)


class ArticleResult(BaseModel):
    """One article's records: the JSON object written to ``OUT/articles/<id>.json``."""

    model_config = ConfigDict(extra="forbid")

    document: Document
    summary: str
    milestones: list[Milestone] = Field(default_factory=list)
    statistics: list[Statistic] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    coverage: Coverage | None = Field(
        default=None,
        description="Quantities and quotes in the article that no record covers (LLM runs).",
    )
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
    uncovered: int = Field(
        default=0, description="Scanned quantities and quotes that no record covers (LLM runs)."
    )
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
            result = outcome.result
            if result is not None and result.document.duplicate_of:
                self.duplicates += 1
            if result is not None and result.coverage is not None:
                self.uncovered += result.coverage.count


# --------------------------------------------------------------------------- record types

RecordField = Literal["milestones", "statistics", "quotes"]


def _clip(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _describe_milestone(m: Milestone) -> str:
    return f"milestone {m.date or 'undated'}: {_clip(m.event)}"


def _describe_statistic(s: Statistic) -> str:
    unit = f" {s.unit}" if s.unit else ""
    value = "null" if s.value is None else f"{s.value:.6g}"
    return f"statistic {s.metric!r} = {value}{unit} (text {s.value_text!r})"


def _describe_quote(q: Quote) -> str:
    return f"quote by {q.speaker}: “{_clip(q.text)}”"


class RecordKind(NamedTuple):
    """One type of record, for code that treats every type alike."""

    name: str
    """Singular name: ``"statistic"``."""
    field: RecordField
    """Its list in :class:`Extraction` and :class:`ArticleResult`: ``"statistics"``."""
    model: type[BaseModel]
    """The output record: :class:`Statistic`."""
    extracted: type[BaseModel]
    """What the model fills: :class:`ExtractedStatistic`."""
    prefix: str
    """Ids of consolidated records: ``S1``, ``S2``, ..."""
    describe: Callable[[Any], str]
    """A one-line description of a record, for reports."""


RECORD_TYPES: dict[RecordField, RecordKind] = {
    "milestones": RecordKind(
        "milestone", "milestones", Milestone, ExtractedMilestone, "M", _describe_milestone
    ),
    "statistics": RecordKind(
        "statistic", "statistics", Statistic, ExtractedStatistic, "S", _describe_statistic
    ),
    "quotes": RecordKind("quote", "quotes", Quote, ExtractedQuote, "Q", _describe_quote),
}
"""Every record type by its field name, in the order of :class:`ArticleResult`'s fields.

Assembly, consolidation, the report and evaluation iterate over this table: a new type
is its models above, one entry here, and its part of the prompt.
"""
