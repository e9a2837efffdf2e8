"""Score predicted records against hand-made gold records.

Articles pair up by ``document.id``. Per article and record type, records are matched
one-to-one by optimal assignment (:func:`scipy.optimize.linear_sum_assignment`) over a
similarity matrix, maximising first the number of matches, then their total similarity
(3 decimals); remaining ties go to the earliest records, paired in list order. A pair
failing the rule below is never a match. Thresholds live in :class:`MatchRules`; fuzzy
scores are rapidfuzz 0-100 on lower-cased, punctuation-free text.

* **Statistics**: values agree within ``value_rel_tol`` (0.5 %) relative (null ~ null,
  null !~ a number); units agree after a small local canonicalisation (case, plural
  ``s``, ``%``/``per cent``/``pct`` -> ``percent``, currency signs and names -> ISO
  code) when one's words contain the other's (``graduates`` ~ ``college graduates``;
  null ~ null, null !~ a unit); and metrics are alike (``token_set_ratio >= metric_threshold``,
  60) or the evidence is alike. ``period`` is ignored. Similarity 0.7 metric + 0.3
  evidence.
* **Quotes**: texts agree after normalising case, whitespace, curly quotes, dashes and
  punctuation at the ends (``ratio >= quote_threshold``, 90), and
  :func:`speakers_agree`. Similarity 0.8 text + 0.2 evidence.
* **Milestones**: dates agree at their common precision (``2023`` ~ ``2023-07`` !~
  ``2023-08``; null ~ null; null !~ a date), and events are alike (``token_set_ratio
  >= event_threshold``, 60) or the evidence is alike. Similarity 0.6 event + 0.3
  evidence + 0.1 if the dates are identical.
* **Evidence** is alike when both spans have offsets and they overlap, or, when either
  lacks offsets, when the normalised texts have ``ratio >= evidence_threshold`` (90).

Scores are micro (TP/FP/FN pooled over articles) per type, and per article. Empty
sides: both empty -> P = R = F1 = 1.0; only one side empty -> all 0.0. F1 is
2TP / (2TP + FP + FN). A gold article missing from pred counts its records as missed
(``missing_in_pred``); a pred article absent from gold is listed (``extra_in_pred``)
and ignored for every number, grounding included. Statistics left unmatched are paired
again by metric alone: a value beyond tolerance is a *value error* (with the pred/gold
ratio, so a 1000x slip shows); a unit difference becomes a hint on both notes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field
from rapidfuzz import fuzz, utils

from summarizer.errors import ConfigError, InputError
from summarizer.records import ArticleResult, Evidence, Milestone, Quote, Statistic

__all__ = [
    "RECORD_TYPES",
    "ArticleReport",
    "EvalReport",
    "Grounding",
    "MatchRules",
    "MatchedPair",
    "RecordNote",
    "RecordType",
    "Scores",
    "ValueMismatch",
    "evaluate",
    "evaluate_paths",
    "load_results",
    "render_table",
    "speakers_agree",
]

RecordType = Literal["milestones", "statistics", "quotes"]
RECORD_TYPES: tuple[RecordType, ...] = ("milestones", "statistics", "quotes")


# --------------------------------------------------------------------------- report models


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


# --------------------------------------------------------------------------- text helpers

_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'"})
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_END_PUNCT = "\"'.,;:!?-…() "


def _norm_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_QUOTE_CHARS).casefold()
    text = _DASHES.sub("-", text)
    return " ".join(text.split()).strip(_END_PUNCT)


def _fuzzy(scorer: Callable[..., Any], a: str, b: str) -> float:
    """A rapidfuzz score on lower-cased, punctuation-free text; 0 when either is empty."""
    if not a.strip() or not b.strip():
        return 0.0
    return float(scorer(a, b, processor=utils.default_process))


def _evidence_score(a: Evidence, b: Evidence) -> float:
    """1.0 for overlapping offsets, 0.0 for disjoint ones, else text ratio in [0, 1]."""
    if None not in (a.start, a.end, b.start, b.end):
        return 1.0 if a.start < b.end and b.start < a.end else 0.0  # type: ignore[operator]
    na, nb = _norm_text(a.text), _norm_text(b.text)
    return fuzz.ratio(na, nb) / 100.0 if na and nb else 0.0


_TITLES = frozenset(
    "president vice general secretary prime minister premier chairman chairwoman chair "  # noqa: SIM905
    "chairperson mr mrs ms miss mx dr prof professor sir dame lord lady governor senator "
    "ambassador chancellor the a an".split()
)
_PRONOUNS = frozenset("he she they him her them it i we you".split())  # noqa: SIM905


def _name_tokens(speaker: str) -> tuple[frozenset[str], str]:
    plain = unicodedata.normalize("NFKD", speaker.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    tokens = re.findall(r"[^\W_]+", plain)
    role = " ".join(t for t in tokens if t not in {"the", "a", "an"})
    return frozenset(t for t in tokens if t not in _TITLES | _PRONOUNS), role


def speakers_agree(a: str, b: str) -> bool:
    """True when two speaker strings name the same person.

    Titles (President, General Secretary, Mr, Dr, ...) are dropped and one name's tokens
    must be contained in the other's: "Xi" ~ "General Secretary Xi Jinping". A speaker
    with no name left (a pronoun or a bare role) only agrees with the same role, never
    with a pronoun and never with a named person.
    """
    ta, plain_a = _name_tokens(a)
    tb, plain_b = _name_tokens(b)
    if not ta or not tb:
        if ta or tb or plain_a in _PRONOUNS or plain_b in _PRONOUNS:
            return False
        return bool(plain_a) and plain_a == plain_b
    return ta <= tb or tb <= ta


_UNIT_ALIASES = {
    **dict.fromkeys(("%", "per cent", "pct", "percentage"), "percent"),
    **dict.fromkeys(("pp", "percentage point"), "percentage point"),
    **dict.fromkeys(("$", "us$", "dollar", "us dollar"), "usd"),
    **dict.fromkeys(("£", "pound", "pound sterling"), "gbp"),
    **dict.fromkeys(("€", "euro"), "eur"),
    **dict.fromkeys(("yuan", "rmb", "renminbi"), "cny"),
}


def _canon_unit(unit: str | None) -> frozenset[str] | None:
    """Unit tokens after a tiny local canonicalisation (see the module docstring)."""
    u = " ".join((unit or "").casefold().split())
    if not u:
        return None
    u = _UNIT_ALIASES.get(u, _UNIT_ALIASES.get(u.removesuffix("s"), u))
    return frozenset(
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t for t in u.split()
    )


def _units_agree(a: str | None, b: str | None) -> bool:
    ta, tb = _canon_unit(a), _canon_unit(b)
    if ta is None or tb is None:
        return ta is None and tb is None
    return ta <= tb or tb <= ta


def _values_agree(a: float | None, b: float | None, rel_tol: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= rel_tol * max(abs(a), abs(b))


def _dates_agree(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    pa, pb = a.strip().split("-"), b.strip().split("-")
    if not all(p.isdigit() for p in pa + pb):
        return a.strip().casefold() == b.strip().casefold()
    n = min(len(pa), len(pb))
    return [int(p) for p in pa[:n]] == [int(p) for p in pb[:n]]


# --------------------------------------------------------------------------- pair rules


def _statistic_sim(p: Statistic, g: Statistic, rules: MatchRules) -> float | None:
    if not _values_agree(p.value, g.value, rules.value_rel_tol) or not _units_agree(p.unit, g.unit):
        return None
    metric = _fuzzy(fuzz.token_set_ratio, p.metric, g.metric)
    evidence = _evidence_score(p.evidence, g.evidence)
    if metric < rules.metric_threshold and evidence * 100 < rules.evidence_threshold:
        return None
    return 0.7 * metric / 100 + 0.3 * evidence


def _quote_sim(p: Quote, g: Quote, rules: MatchRules) -> float | None:
    text = fuzz.ratio(_norm_text(p.text), _norm_text(g.text))
    if text < rules.quote_threshold or not speakers_agree(p.speaker, g.speaker):
        return None
    return 0.8 * text / 100 + 0.2 * _evidence_score(p.evidence, g.evidence)


def _milestone_sim(p: Milestone, g: Milestone, rules: MatchRules) -> float | None:
    if not _dates_agree(p.date, g.date):
        return None
    event = _fuzzy(fuzz.token_set_ratio, p.event, g.event)
    evidence = _evidence_score(p.evidence, g.evidence)
    if event < rules.event_threshold and evidence * 100 < rules.evidence_threshold:
        return None
    return 0.6 * event / 100 + 0.3 * evidence + (0.1 if p.date == g.date else 0.0)


def _describe(record: Milestone | Statistic | Quote) -> str:
    if isinstance(record, Milestone):
        return f"milestone {record.date or 'undated'}: {_clip(record.event)}"
    if isinstance(record, Statistic):
        unit = f" {record.unit}" if record.unit else ""
        return (
            f"statistic {record.metric!r} = {_num(record.value)}{unit} (text {record.value_text!r})"
        )
    return f"quote by {record.speaker}: “{_clip(record.text)}”"


def _num(value: float | None) -> str:
    return "null" if value is None else f"{value:.6g}"


def _clip(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


# --------------------------------------------------------------------------- assignment


def _assign(
    preds: Sequence[Any], golds: Sequence[Any], sim: Callable[[Any, Any], float | None]
) -> list[tuple[int, int, float]]:
    """Optimal one-to-one matching: most matches, then most similarity, then earliest."""
    n, m = len(preds), len(golds)
    if n == 0 or m == 0:
        return []
    try:
        import numpy as np
        from scipy.optimize import linear_sum_assignment
    except ImportError as exc:  # scipy is the optional "eval" extra
        raise ConfigError("evaluation needs scipy: pip install 'summarizer[eval]'") from exc
    size = max(n, m)
    # Integer-valued weights keep the three criteria lexicographic and exact in float64:
    # tie-breaks sum to < tie_unit, similarities (in thousandths) to < match_bonus.
    exact = size <= 1000
    tie_unit = 2 * size * size + 1 if exact else 1
    match_bonus = size * (1000 * tie_unit + 2 * size) + 1
    sims: dict[tuple[int, int], float] = {}
    weight = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = sim(preds[i], golds[j])
            if s is None:
                continue
            sims[i, j] = round(s, 3)
            tie = 2 * size - 2 * max(i, j) if exact else 0
            weight[i, j] = match_bonus + round(s * 1000) * tie_unit + tie
    rows, cols = linear_sum_assignment(weight, maximize=True)
    pairs = [(int(i), int(j)) for i, j in zip(rows, cols, strict=True)]
    return [(i, j, sims[i, j]) for i, j in pairs if (i, j) in sims]


# --------------------------------------------------------------------------- evaluation


def _records(result: ArticleResult | None, kind: RecordType) -> list[Any]:
    return [] if result is None else list(getattr(result, kind))


_SIMS: dict[RecordType, Callable[..., float | None]] = {
    "milestones": _milestone_sim,
    "statistics": _statistic_sim,
    "quotes": _quote_sim,
}


def _score_article(
    doc_id: str, pred: ArticleResult | None, gold: ArticleResult, rules: MatchRules
) -> tuple[ArticleReport, list[ValueMismatch]]:
    report = ArticleReport(doc_id=doc_id, in_pred=pred is not None)
    errors: list[ValueMismatch] = []
    for kind, sim in _SIMS.items():
        preds, golds = _records(pred, kind), _records(gold, kind)
        found = _assign(preds, golds, partial(sim, rules=rules))
        report.matches += [
            MatchedPair(type=kind, pred_index=i, gold_index=j, similarity=s) for i, j, s in found
        ]
        free_p = sorted(set(range(len(preds))) - {i for i, _, _ in found})
        free_g = sorted(set(range(len(golds))) - {j for _, j, _ in found})
        hints: dict[tuple[str, int], str] = {}
        if kind == "statistics":
            errors += _near_misses(doc_id, preds, golds, free_p, free_g, rules, hints)
        report.spurious += [_note(kind, i, preds[i], hints.get(("pred", i))) for i in free_p]
        report.missed += [_note(kind, j, golds[j], hints.get(("gold", j))) for j in free_g]
        report.scores[kind] = Scores.of(len(found), len(free_p), len(free_g))
    return report, errors


def _note(kind: RecordType, index: int, record: Any, hint: str | None) -> RecordNote:
    return RecordNote(type=kind, index=index, description=_describe(record), hint=hint)


def _near_misses(
    doc_id: str,
    preds: Sequence[Statistic],
    golds: Sequence[Statistic],
    free_p: list[int],
    free_g: list[int],
    rules: MatchRules,
    hints: dict[tuple[str, int], str],
) -> list[ValueMismatch]:
    """Pair leftover statistics by metric alone; report wrong values, note wrong units."""

    def metric_sim(p: Statistic, g: Statistic) -> float | None:
        s = _fuzzy(fuzz.token_set_ratio, p.metric, g.metric)
        return s / 100 if s >= rules.metric_threshold else None

    errors: list[ValueMismatch] = []
    left_p, left_g = [preds[i] for i in free_p], [golds[j] for j in free_g]
    for a, b, _ in _assign(left_p, left_g, metric_sim):
        i, j, p, g = free_p[a], free_g[b], left_p[a], left_g[b]
        if not _values_agree(p.value, g.value, rules.value_rel_tol):
            ratio = p.value / g.value if p.value is not None and g.value else None
            what, pv, gv = "value", _num(p.value), _num(g.value)
            why = f" (x{ratio:.6g})" if ratio is not None else ""
            errors.append(
                ValueMismatch(
                    doc_id=doc_id,
                    metric=g.metric,
                    pred_metric=p.metric,
                    pred_value=p.value,
                    gold_value=g.value,
                    ratio=ratio,
                    pred_unit=p.unit,
                    gold_unit=g.unit,
                    pred_index=i,
                    gold_index=j,
                )
            )
        elif not _units_agree(p.unit, g.unit):
            what, pv, gv, why = "unit", repr(p.unit), repr(g.unit), ""
        else:
            continue
        hints["pred", i] = f"{what} {pv} vs gold statistics[{j}] {gv}{why}"
        hints["gold", j] = f"{what} {gv} vs pred statistics[{i}] {pv}{why}"
    return errors


def evaluate(
    pred: Mapping[str, ArticleResult],
    gold: Mapping[str, ArticleResult],
    *,
    rules: MatchRules | None = None,
) -> EvalReport:
    """Score ``pred`` against ``gold``; both map ``document.id`` to an article's result."""
    rules = rules or MatchRules()
    articles: list[ArticleReport] = []
    value_errors: list[ValueMismatch] = []
    grounding = {k: Grounding() for k in (*RECORD_TYPES, "all")}
    for doc_id in sorted(gold):
        p = pred.get(doc_id)
        report, errors = _score_article(doc_id, p, gold[doc_id], rules)
        articles.append(report)
        value_errors += errors
        for kind in RECORD_TYPES:
            for rec in _records(p, kind):
                for key in (kind, "all"):
                    grounding[key].total += 1
                    grounding[key].grounded += rec.evidence.match != "none"
    micro = {k: sum((a.scores[k] for a in articles), Scores.of(0, 0, 0)) for k in RECORD_TYPES}
    return EvalReport(
        rules=rules,
        micro=micro,
        overall=sum(micro.values(), Scores.of(0, 0, 0)),
        grounding=grounding,
        value_errors=value_errors,
        articles=articles,
        missing_in_pred=[a.doc_id for a in articles if not a.in_pred],
        extra_in_pred=sorted(set(pred) - set(gold)),
    )


# --------------------------------------------------------------------------- loading


def _fill_defaults(data: Any, fallback_id: str | None) -> Any:
    """Fill fields a hand-written gold file may leave out; leave the rest to Pydantic."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    doc = data.get("document", {"id": fallback_id} if fallback_id else None)
    doc = {"id": doc} if isinstance(doc, str) else doc
    if isinstance(doc, dict):
        data["document"] = {"path": doc.get("id", ""), "sha256": "", "chars": 0, **doc}
    data.setdefault("summary", "")
    prov = data.get("provenance")
    prov = prov if isinstance(prov, dict) else {}
    data["provenance"] = {"model": "", "endpoint": None, "mode": "", "prompt_version": "", **prov}
    for kind in RECORD_TYPES:
        if isinstance(data.get(kind), list):
            data[kind] = [_fill_record(kind, item) for item in data[kind]]
    return data


def _fill_record(kind: RecordType, item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    evidence = item.get("evidence", "")
    defaults: dict[str, Any] = {"date": None} if kind == "milestones" else {}
    if kind == "statistics":
        value = item.get("value")
        defaults = {"value": None, "unit": None, "value_text": "" if value is None else str(value)}
    return {
        **defaults,
        **item,
        "evidence": {"text": evidence} if isinstance(evidence, str) else evidence,
    }


def _parse(text: str, where: str, fallback_id: str | None) -> ArticleResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: not valid JSON ({exc})") from exc
    try:
        return ArticleResult.model_validate(_fill_defaults(data, fallback_id))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors()[:5]
        )
        raise InputError(f"{where}: not a valid article result ({problems})") from exc


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read it ({exc})") from exc


def _sources(path: Path) -> Iterator[tuple[str, str, str | None]]:
    """Yield (where, JSON text, fallback id) for each article under ``path``."""
    if path.is_dir():
        # A run's output folder holds run.json beside articles/: score the articles.
        root = path / "articles" if (path / "articles").is_dir() else path
        files = sorted(root.rglob("*.json"))
        if not files and (path / "records.jsonl").is_file():
            yield from _sources(path / "records.jsonl")
        elif not files:
            raise InputError(f"{path}: no article JSON files or records.jsonl found")
        for file in files:
            yield str(file), _read(file), file.relative_to(root).with_suffix("").as_posix()
    elif not path.is_file():
        raise InputError(f"{path}: no such file or folder")
    elif path.suffix == ".jsonl":
        for n, line in enumerate(_read(path).splitlines(), 1):
            if line.strip():
                yield f"{path}:{n}", line, None
    else:
        yield str(path), _read(path), path.stem


def load_results(path: Path) -> dict[str, ArticleResult]:
    """Load article results keyed by ``document.id`` from a folder (recursive) or a JSONL file.

    A gold file may omit ``document`` (the id is then its path relative to the folder,
    without extension), ``summary``, ``provenance``, ``evidence`` (or give it as a
    string), ``date``, ``value``, ``unit`` and ``value_text``. Raises :class:`InputError`
    naming the file for anything unreadable or invalid, or for a repeated id.
    """
    results: dict[str, ArticleResult] = {}
    where_of: dict[str, str] = {}
    for where, text, fallback_id in _sources(Path(path)):
        result = _parse(text, where, fallback_id)
        doc_id = result.document.id
        if doc_id in results:
            raise InputError(f"{where}: document id {doc_id!r} already given by {where_of[doc_id]}")
        results[doc_id], where_of[doc_id] = result, where
    return results


def evaluate_paths(pred: Path, gold: Path, *, rules: MatchRules | None = None) -> EvalReport:
    """Load both sides with :func:`load_results` and :func:`evaluate` them."""
    report = evaluate(load_results(pred), load_results(gold), rules=rules)
    return report.model_copy(update={"pred_source": str(pred), "gold_source": str(gold)})


# --------------------------------------------------------------------------- rendering


def render_table(report: EvalReport) -> str:
    """A plain-text summary for the terminal: scores per type, then the problems."""
    lines = [
        f"pred: {report.pred_source or '-'}   gold: {report.gold_source or '-'}",
        f"articles: {len(report.articles)} scored, {len(report.missing_in_pred)} missing "
        f"from pred, {len(report.extra_in_pred)} extra in pred (not scored)",
        "",
        f"{'type':<11} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5} {'grounded':>9}",
    ]
    rows: list[tuple[str, Scores]] = [(k, report.micro[k]) for k in RECORD_TYPES]
    for name, s in [*rows, ("all", report.overall)]:
        rate = report.grounding[name].rate
        shown = "-" if rate is None else f"{rate:.1%}"
        lines.append(
            f"{name:<11} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} "
            f"{s.tp:5d} {s.fp:5d} {s.fn:5d} {shown:>9}"
        )
    lines += ["", f"value errors: {len(report.value_errors)}"]
    for v in report.value_errors:
        ratio = "n/a" if v.ratio is None else f"x{v.ratio:.6g}"
        lines.append(
            f"  {v.doc_id}  {v.metric!r}: pred {v.pred_value} [{v.pred_unit}] "
            f"gold {v.gold_value} [{v.gold_unit}] ({ratio})"
        )
    if report.missing_in_pred:
        lines.append(
            f"missing from pred (gold counted as missed): {', '.join(report.missing_in_pred)}"
        )
    if report.extra_in_pred:
        lines.append(f"extra in pred (not scored): {', '.join(report.extra_in_pred)}")
    for title, attr in (
        ("missed (gold, unmatched)", "missed"),
        ("spurious (pred, unmatched)", "spurious"),
    ):
        notes = [(a.doc_id, n) for a in report.articles for n in getattr(a, attr)]
        lines.append(f"{title}: {len(notes)}")
        for doc_id, n in notes:
            hint = f"  <- {n.hint}" if n.hint else ""
            lines.append(f"  {doc_id}  {n.type}[{n.index}]  {n.description}{hint}")
    return "\n".join(lines)
