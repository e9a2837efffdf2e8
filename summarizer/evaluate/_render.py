"""The terminal table of an :class:`~summarizer.evaluate.EvalReport`."""

from __future__ import annotations

from summarizer.evaluate._models import EvalReport, Scores
from summarizer.records import RECORD_TYPES

__all__ = ["render_table"]


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
