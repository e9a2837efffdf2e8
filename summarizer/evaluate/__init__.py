"""Score predicted records against hand-made gold records.

The package: :mod:`._models` (the report), :mod:`._match` (pairing and scores),
:mod:`._load` (reading results and gold files), :mod:`._render` (the terminal table).
The matching vocabulary (units, dates, speakers, value tolerance, text normalisation) is
:mod:`summarizer.corpus.rules`, shared with consolidation.

Articles pair up by ``document.id``. Per article and record type, records are matched
one-to-one by optimal assignment (:func:`scipy.optimize.linear_sum_assignment`) over a
similarity matrix, maximising first the number of matches, then their total similarity
(3 decimals); remaining ties go to the earliest records, paired in list order. A pair
failing the rule below is never a match. Thresholds live in :class:`MatchRules`; fuzzy
scores are rapidfuzz 0-100 on lower-cased, punctuation-free text.

* **Statistics**: values agree within ``value_rel_tol`` (0.5 %) relative (null ~ null,
  null !~ a number); units agree after canonicalisation (the pipeline's own
  ``normalize_unit``: ``%``/``per cent`` -> ``percent``, currency signs and names -> ISO
  code; then case and plurals) when one's words contain the other's (``graduates`` ~
  ``college graduates``; null ~ null, null !~ a unit); and metrics are alike (``token_set_ratio >= metric_threshold``,
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

from summarizer.corpus.rules import speakers_agree
from summarizer.evaluate._load import evaluate_paths, load_results
from summarizer.evaluate._match import evaluate
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
from summarizer.evaluate._render import render_table
from summarizer.records import RECORD_TYPES

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
