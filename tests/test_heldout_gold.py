"""The held-out gold (fixtures/heldout): every file a valid, grounded ArticleResult.

The gold is checked twice: directly here (schema, ids, hashes, every evidence span slices
the article text as summarizer loads it), and through fixtures/gold/check_gold.py, the
checker of the seed gold, which applies the annotation rules (value agrees with value_text,
article order, partial ISO dates...). The corrupted-copy tests show that the checker fails
on a broken annotation rather than passing everything.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from summarizer.load.documents import Article, load_article
from summarizer.records import ArticleResult, Evidence

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "fixtures" / "heldout"
ARTICLES = HELDOUT / "articles"
GOLD = HELDOUT / "gold"
KINDS = ("milestones", "statistics", "quotes")

ARTICLE_IDS = sorted(p.stem for p in ARTICLES.glob("*.txt"))


def _checker() -> ModuleType:
    """fixtures/gold/check_gold.py, imported from its path (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "check_gold", ROOT / "fixtures" / "gold" / "check_gold.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(doc_id: str) -> str:
    article = load_article(ARTICLES / f"{doc_id}.txt", ARTICLES)
    assert isinstance(article, Article), article
    return article.text


def _result(doc_id: str) -> ArticleResult:
    return ArticleResult.model_validate_json((GOLD / f"{doc_id}.json").read_text("utf-8"))


def _evidences(result: ArticleResult) -> list[tuple[str, Evidence]]:
    return [
        (f"{kind}[{i}]", record.evidence)
        for kind in KINDS
        for i, record in enumerate(getattr(result, kind))
    ]


def test_every_article_has_exactly_one_gold_file() -> None:
    assert len(ARTICLE_IDS) >= 6
    assert sorted(p.stem for p in GOLD.glob("*.json")) == ARTICLE_IDS


@pytest.mark.parametrize("doc_id", ARTICLE_IDS)
def test_document_names_its_article(doc_id: str) -> None:
    result = _result(doc_id)
    text = _text(doc_id)
    doc = result.document
    assert doc.id == doc_id
    assert ROOT / doc.path == ARTICLES / f"{doc_id}.txt"
    assert doc.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert doc.chars == len(text)
    assert doc.title == text.split("\n", 1)[0].strip()
    assert result.provenance.mode == "gold"
    assert result.warnings == []


@pytest.mark.parametrize("doc_id", ARTICLE_IDS)
def test_every_evidence_slices_the_article(doc_id: str) -> None:
    result = _result(doc_id)
    text = _text(doc_id)
    spans = _evidences(result)
    assert spans, f"{doc_id} has no records"
    for where, ev in spans:
        assert ev.start is not None and ev.end is not None, where
        assert text[ev.start : ev.end] == ev.text, where
        assert (ev.match, ev.score) == ("exact", 100.0), where
    for quote in result.quotes:
        assert quote.evidence.text == quote.text


@pytest.mark.parametrize("doc_id", ARTICLE_IDS)
def test_seed_gold_checker_accepts_the_file(doc_id: str) -> None:
    problems, counts = _checker().check_file(GOLD / f"{doc_id}.json")
    assert problems == []
    assert counts is not None


def test_readme_counts_match_the_gold() -> None:
    """The count table in fixtures/heldout/README.md is the gold's, row by row."""
    rows = re.findall(
        r"^\| `(bbc_\w+)` \| [^|]+ \| \d+ \| (\d+) \| (\d+) \| (\d+) \|$",
        (HELDOUT / "README.md").read_text("utf-8"),
        flags=re.M,
    )
    table = {doc_id: tuple(int(n) for n in counts) for doc_id, *counts in rows}
    actual = {
        doc_id: tuple(len(getattr(_result(doc_id), kind)) for kind in KINDS)
        for doc_id in ARTICLE_IDS
    }
    assert table == actual


def _copy_heldout(tmp_path: Path) -> Path:
    """A private heldout/{articles,gold} tree the checker can be pointed at."""
    dest = tmp_path / "heldout"
    shutil.copytree(HELDOUT, dest, ignore=shutil.ignore_patterns("*.md"))
    return dest / "gold"


def _corrupt(gold_dir: Path, change: Any) -> Path:
    path = gold_dir / f"{ARTICLE_IDS[0]}.json"
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data), "utf-8")
    return path


def _shift_first_span(data: dict[str, Any]) -> None:
    record = next(r for kind in KINDS for r in data[kind])
    record["evidence"]["start"] += 1
    record["evidence"]["end"] += 1


def _scale_first_value(data: dict[str, Any]) -> None:
    data["statistics"][0]["value"] *= 1000


def _drop_document_chars(data: dict[str, Any]) -> None:
    del data["document"]["chars"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_shift_first_span, "article["),
        (_scale_first_value, "does not match value_text"),
        (_drop_document_chars, "does not validate as ArticleResult"),
    ],
)
def test_checker_rejects_a_broken_annotation(tmp_path: Path, change: Any, expected: str) -> None:
    path = _corrupt(_copy_heldout(tmp_path), change)
    problems, _ = _checker().check_file(path)
    assert any(expected in p for p in problems), problems


def test_checker_reports_an_article_without_gold(tmp_path: Path) -> None:
    gold_dir = _copy_heldout(tmp_path)
    (gold_dir / f"{ARTICLE_IDS[-1]}.json").unlink()
    assert _checker().main(["check_gold.py", str(gold_dir)]) == 1
    assert _checker().main(["check_gold.py", str(GOLD)]) == 0


def test_checker_reads_a_range_of_digits_and_words() -> None:
    values = _checker().written_values
    assert values("between 700,000 and one million") == [700000.0, 850000.0]
    assert values("10 to 12 million") == [10_000_000.0, 11_000_000.0]
    assert values("$60m") == [60_000_000.0]
    assert values("two million") == [2_000_000.0]
