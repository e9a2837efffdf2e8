"""Reading article results and hand-made gold files (see :func:`load_results`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from summarizer.errors import InputError
from summarizer.evaluate._match import evaluate
from summarizer.evaluate._models import EvalReport, MatchRules, RecordType
from summarizer.records import RECORD_TYPES, ArticleResult

__all__ = ["evaluate_paths", "load_results"]


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
