"""The evaluation report: thresholds, scores, notes and the :class:`EvalReport` itself."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field

from summarizer.records import RECORD_TYPES
from summarizer.records import RecordField as RecordType

__all__ = [
    "ArticleReport",
    "EvalReport",
    "Grounding",
    "MatchRules",
    "MatchedPair",
    "RecordNote",
    "RecordType",
    "Scores",
    "ValueMismatch",
]


class MatchRules(BaseModel):
    """Thresholds of the match rules (fuzzy scores are 0-100)."""

    model_config = ConfigDict(frozen=True)

    metric_threshold: float = 60.0
    event_threshold: float = 60.0
    quote_threshold: float = 90.0
    evidence_threshold: float = 90.0
    value_rel_tol: float = 0.005


class Scores(BaseModel):
    """Counts and precision/recall/F1 for one record type (or all of them)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float = 1.0
    recall: float = 1.0
    f1: float = 1.0

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Scores:
        """Build scores from counts, using the empty-side conventions of the module."""
        p = tp / (tp + fp) if tp + fp else (1.0 if fn == 0 else 0.0)
        r = tp / (tp + fn) if tp + fn else (1.0 if fp == 0 else 0.0)
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        return cls(tp=tp, fp=fp, fn=fn, precision=p, recall=r, f1=f1)

    def __add__(self, other: Scores) -> Scores:
        return Scores.of(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


class RecordNote(BaseModel):
    """An unmatched record: ``type[index]`` of the pred (spurious) or gold (missed) list."""

    type: RecordType
    index: int
    description: str
    hint: str | None = None


class MatchedPair(BaseModel):
    """A pred record matched to a gold record."""

    type: RecordType
    pred_index: int
    gold_index: int
    similarity: float


class ValueMismatch(BaseModel):
    """A pred statistic whose metric matches a gold one but whose value does not."""

    doc_id: str
    metric: str
    pred_metric: str
    pred_value: float | None
    gold_value: float | None
    ratio: float | None
    pred_unit: str | None
    gold_unit: str | None
    pred_index: int
    gold_index: int


class ArticleReport(BaseModel):
    """Scores and unmatched records of one gold article."""

    doc_id: str
    in_pred: bool = True
    scores: dict[RecordType, Scores] = Field(default_factory=dict)
    matches: list[MatchedPair] = Field(default_factory=list)
    missed: list[RecordNote] = Field(default_factory=list)
    spurious: list[RecordNote] = Field(default_factory=list)


class Grounding(BaseModel):
    """Predicted records with ``evidence.match != "none"``; rate is null with no records."""

    grounded: int = 0
    total: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        """Share of grounded records, or None when there are none."""
        return self.grounded / self.total if self.total else None


class EvalReport(BaseModel):
    """Everything :func:`evaluate` measures; ``model_dump_json()`` gives the JSON form."""

    pred_source: str | None = None
    gold_source: str | None = None
    rules: MatchRules
    micro: dict[RecordType, Scores]
    overall: Scores
    grounding: dict[str, Grounding]
    value_errors: list[ValueMismatch]
    articles: list[ArticleReport]
    missing_in_pred: list[str]
    extra_in_pred: list[str]

    def failures(self, min_f1: float) -> list[RecordType]:
        """Record types whose micro F1 (pooled over all gold articles) is below ``min_f1``."""
        return [t for t in RECORD_TYPES if self.micro[t].f1 < min_f1]

    def passes(self, min_f1: float) -> bool:
        """True when the micro F1 of every record type is at least ``min_f1``."""
        return not self.failures(min_f1)
