"""The ``rules`` extractor on the seeds gold, and its speed and safety on BBC articles.

Run from the repository root with the venv active::

    python benchmarks/bench_rules_gold.py            # gold table + 200 BBC articles
    python benchmarks/bench_rules_gold.py --bbc 0    # gold table only
    python benchmarks/bench_rules_gold.py --keep OUT # keep the predicted articles/*.json

Each seed is loaded as the CLI loads it (:func:`summarizer.load.documents.load_article`),
extracted by :func:`summarizer.extract.rules.rules_extraction`, grounded with
:func:`summarizer.ground.assemble.build_result`, written as ``articles/<id>.json`` and
scored with :func:`summarizer.evaluate.evaluate_paths` against ``fixtures/gold``. The BBC
pass takes N articles round-robin over the five sections (001 of each, then 002...) and fails if
any raises or yields a record whose evidence is not grounded exactly.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from summarizer.evaluate import evaluate_paths, render_table
from summarizer.extract.rules import rules_extraction
from summarizer.ground.assemble import ExtractedPart, build_result
from summarizer.load.documents import Article, load_article
from summarizer.records import ArticleResult, Document, Provenance

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "fixtures" / "gold"
BBC = (ROOT / ".." / "shared" / "corpus" / "bbc").resolve()


def _result(article: Article) -> ArticleResult:
    extraction = rules_extraction(article.text, title=article.title)
    document = Document(
        id=article.id,
        path=article.path,
        sha256=article.sha256,
        chars=article.chars,
        title=article.title,
        encoding=article.encoding,
    )
    provenance = Provenance(model="rules", endpoint=None, mode="rules", prompt_version="rules")
    return build_result(document, article.text, [ExtractedPart(0, extraction)], provenance)


def _load(path: Path, root: Path) -> Article:
    article = load_article(path, root)
    if not isinstance(article, Article):
        sys.exit(f"cannot load {path}: {article.reason}")
    return article


def gold_table(keep: Path | None) -> str:
    """Score the rules extractor on the seeds against the gold; return the table."""
    with tempfile.TemporaryDirectory() as tmp:
        out = keep or Path(tmp)
        (out / "articles").mkdir(parents=True, exist_ok=True)
        for path in sorted(SEEDS.glob("*.txt")):
            result = _result(_load(path, SEEDS))
            target = out / "articles" / f"{result.document.id}.json"
            target.write_text(result.model_dump_json(indent=2), encoding="utf-8")
        return render_table(evaluate_paths(out, GOLD))


def bbc_pass(n: int) -> str:
    """Run ``n`` BBC articles; return a one-line timing report (exits 1 on any problem)."""
    if not BBC.is_dir():
        return f"BBC corpus not found at {BBC}; skipped"
    # Round-robin over the sections, so that sport and entertainment wording is in too.
    sections = [sorted(d.glob("*.txt")) for d in sorted(BBC.iterdir()) if d.is_dir()]
    paths = [p for group in zip(*sections, strict=False) for p in group][:n]
    articles = [_load(p, BBC) for p in paths]
    problems: list[str] = []
    counts = [0, 0, 0]
    started = time.perf_counter()
    for article in articles:
        try:
            result = _result(article)
        except Exception as exc:  # the point is to report any of them
            problems.append(f"{article.id}: {type(exc).__name__}: {exc}")
            continue
        records = [*result.milestones, *result.statistics, *result.quotes]
        counts[0] += len(result.milestones)
        counts[1] += len(result.statistics)
        counts[2] += len(result.quotes)
        problems += [
            f"{article.id}: evidence not exact: {r.evidence.text[:60]!r}"
            for r in records
            if r.evidence.match != "exact"
        ]
    seconds = time.perf_counter() - started
    for p in problems[:20]:
        print("PROBLEM", p)
    if problems:
        sys.exit(f"{len(problems)} problems in {len(articles)} BBC articles")
    chars = sum(a.chars for a in articles)
    return (
        f"BBC: {len(articles)} articles ({chars / len(articles):,.0f} chars on average), "
        f"no errors, every record exact; {seconds * 1000 / len(articles):.1f} ms per article "
        f"(scan + rules + grounding); records: {counts[0]} milestones, {counts[1]} statistics, "
        f"{counts[2]} quotes"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bbc", type=int, default=200, help="BBC articles to run (0: none)")
    parser.add_argument("--keep", type=Path, help="write the predicted articles here")
    args = parser.parse_args()
    print("$ python benchmarks/bench_rules_gold.py")
    print(gold_table(args.keep))
    if args.bbc:
        print()
        print(bbc_pass(args.bbc))


if __name__ == "__main__":
    main()
