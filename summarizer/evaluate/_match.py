"""Pairing predicted records with gold ones, and the scores (see :mod:`summarizer.evaluate`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

from rapidfuzz import fuzz, utils

from summarizer.corpus.rules import (
    dates_agree,
    norm_text,
    speakers_agree,
    units_agree,
    values_close,
)
from summarizer.errors import ConfigError
from summarizer.evaluate._models import (
    ArticleReport,
    EvalReport,
    Grounding,
    MatchedPair,
    MatchRules,
    RecordNote,
    RecordType,
    Scores,
    ValueMismatch,
)
from summarizer.records import RECORD_TYPES, ArticleResult, Evidence, Milestone, Quote, Statistic

__all__ = ["evaluate"]


def _fuzzy(scorer: Callable[..., Any], a: str, b: str) -> float:
    """A rapidfuzz score on lower-cased, punctuation-free text; 0 when either is empty."""
    if not a.strip() or not b.strip():
        return 0.0
    return float(scorer(a, b, processor=utils.default_process))


def _evidence_score(a: Evidence, b: Evidence) -> float:
    """1.0 for overlapping offsets, 0.0 for disjoint ones, else text ratio in [0, 1]."""
    if None not in (a.start, a.end, b.start, b.end):
        return 1.0 if a.start < b.end and b.start < a.end else 0.0  # type: ignore[operator]
    na, nb = norm_text(a.text), norm_text(b.text)
    return fuzz.ratio(na, nb) / 100.0 if na and nb else 0.0


# --------------------------------------------------------------------------- pair rules


def _statistic_sim(p: Statistic, g: Statistic, rules: MatchRules) -> float | None:
    if not values_close(p.value, g.value, rules.value_rel_tol) or not units_agree(p.unit, g.unit):
        return None
    metric = _fuzzy(fuzz.token_set_ratio, p.metric, g.metric)
    evidence = _evidence_score(p.evidence, g.evidence)
    if metric < rules.metric_threshold and evidence * 100 < rules.evidence_threshold:
        return None
    return 0.7 * metric / 100 + 0.3 * evidence


def _quote_sim(p: Quote, g: Quote, rules: MatchRules) -> float | None:
    text = fuzz.ratio(norm_text(p.text), norm_text(g.text))
    if text < rules.quote_threshold or not speakers_agree(p.speaker, g.speaker):
        return None
    return 0.8 * text / 100 + 0.2 * _evidence_score(p.evidence, g.evidence)


def _milestone_sim(p: Milestone, g: Milestone, rules: MatchRules) -> float | None:
    if not dates_agree(p.date, g.date, undated=False):
        return None
    event = _fuzzy(fuzz.token_set_ratio, p.event, g.event)
    evidence = _evidence_score(p.evidence, g.evidence)
    if event < rules.event_threshold and evidence * 100 < rules.evidence_threshold:
        return None
    return 0.6 * event / 100 + 0.3 * evidence + (0.1 if p.date == g.date else 0.0)


def _num(value: float | None) -> str:
    return "null" if value is None else f"{value:.6g}"


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
    for kind in RECORD_TYPES:
        sim = _SIMS[kind]
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
    return RecordNote(
        type=kind, index=index, description=RECORD_TYPES[kind].describe(record), hint=hint
    )


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
        if not values_close(p.value, g.value, rules.value_rel_tol):
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
        elif not units_agree(p.unit, g.unit):
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
