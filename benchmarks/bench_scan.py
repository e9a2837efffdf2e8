"""Time the candidate scanner (``ground.scan.scan``) and the recall cross-check on the BBC corpus.

In-process, no server: every BBC article is loaded as a run loads it
(:func:`summarizer.load.documents.load_article`), then scanned the way the coverage
check scans it (``article.text``, the article's date and title) and the way the
candidates strategy scans it (``article.model_text``). CPU time per article
(``time.process_time``) is reported as median and mean, for ``scan()`` alone and for
``uncovered()`` against a result with no records.

``--dump FILE`` writes a canonical JSON of every scan result (the seeds too, plus
``parse_quantities`` of every sentence), so that a change to the scanner can be checked
for identical output: dump before, dump after, compare the files (``--compare A B``).

    python benchmarks/bench_scan.py                       # timing, 3 rounds
    python benchmarks/bench_scan.py --dump /tmp/scan.json  # canonical output
    python benchmarks/bench_scan.py --compare /tmp/scan_before.json /tmp/scan.json
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BBC = (ROOT / ".." / "shared" / "corpus" / "bbc").resolve()
SEEDS = (ROOT / "seeds").resolve()

sys.path.insert(0, str(ROOT))

import summarizer.ground.scan as scan_module  # noqa: E402
from summarizer.ground.coverage import uncovered  # noqa: E402
from summarizer.ground.normalize import parse_quantities  # noqa: E402
from summarizer.ground.scan import Candidates, scan  # noqa: E402
from summarizer.load.documents import Article, load_article  # noqa: E402
from summarizer.records import ArticleResult, Document, Provenance  # noqa: E402


def _articles(folder: Path) -> list[Article]:
    out: list[Article] = []
    for path in sorted(folder.rglob("*.txt")):
        article = load_article(path, folder)
        if isinstance(article, Article):
            out.append(article)
    return out


def _forget() -> None:
    """Drop the scanner's recent scans (older versions keep none), to time real scans."""
    recent = getattr(scan_module, "_RECENT", None)
    if recent is not None:
        recent.clear()


def _uncovered_llm(a: Article, result: ArticleResult) -> None:
    """The coverage check as the engine calls it (with the text the model read, if it can)."""
    if "model_text" in inspect.signature(uncovered).parameters:
        uncovered(
            a.text, result, reference_date=a.published, title=a.title, model_text=a.model_text
        )
    else:
        uncovered(a.text, result, reference_date=a.published, title=a.title)


def _empty_result(article: Article) -> ArticleResult:
    doc = Document(
        id=article.id,
        path=article.path,
        sha256=article.sha256,
        chars=len(article.text),
        title=article.title,
    )
    prov = Provenance(model="m", endpoint=None, mode="tools", prompt_version="1")
    return ArticleResult(document=doc, summary="", provenance=prov)


def _plain(value: Any, sentences: dict[int, int]) -> Any:
    """JSON-able form of a candidate; a sentence is written as its index."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__name__ == "Sentence":
            return sentences[value.start]  # type: ignore[attr-defined]
        return {
            f.name: _plain(getattr(value, f.name), sentences) for f in dataclasses.fields(value)
        }
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, list | tuple):
        return [_plain(v, sentences) for v in value]
    return value


def _canonical(c: Candidates) -> dict[str, Any]:
    index = {s.start: i for i, s in enumerate(c.sentences)}
    return {
        "sentences": [[s.start, s.end, s.text, s.paragraph, s.heading] for s in c.sentences],
        "quantities": _plain(c.quantities, index),
        "quotes": _plain(c.quotes, index),
        "dates": _plain(c.dates, index),
        "persons": _plain(c.persons, index),
    }


def dump(articles: list[Article], out: Path) -> None:
    """Write the canonical scan output of every article to ``out``."""
    data: dict[str, Any] = {}
    for a in articles:
        full = scan(a.text, reference_date=a.published, title=a.title)
        entry: dict[str, Any] = {"text": _canonical(full)}
        if a.model_text and a.model_text != a.text:
            entry["model_text"] = _canonical(
                scan(a.model_text, reference_date=a.published, title=a.title)
            )
        entry["sentence_quantities"] = [
            [dataclasses.astuple(q) for q in parse_quantities(s.text)] for s in full.sentences
        ]
        entry["coverage"] = uncovered(
            a.text, _empty_result(a), reference_date=a.published, title=a.title
        ).model_dump(mode="json")
        # As an LLM run with the candidates strategy: model_text is scanned first, and the
        # coverage check may reuse that scan. It must give the same coverage.
        _forget()
        scan(a.model_text or a.text, reference_date=a.published, title=a.title)
        result = _empty_result(a)
        if "model_text" in inspect.signature(uncovered).parameters:
            entry["coverage_llm"] = uncovered(
                a.text,
                result,
                reference_date=a.published,
                title=a.title,
                model_text=a.model_text,
            ).model_dump(mode="json")
        else:
            entry["coverage_llm"] = entry["coverage"]
        data[a.path] = entry
    out.write_text(json.dumps(data, sort_keys=True, indent=0, ensure_ascii=False))
    print(f"wrote {out} ({len(data)} articles)")


def compare(a: Path, b: Path) -> int:
    """Print every article whose scan output differs between two dumps; the count."""
    left, right = json.loads(a.read_text()), json.loads(b.read_text())
    diffs = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
    for k in diffs[:20]:
        print(f"differs: {k}")
    print(f"compared {len(left)} / {len(right)} articles: {len(diffs)} differ")
    return len(diffs)


def _ms(samples: list[float]) -> str:
    return f"median {statistics.median(samples) * 1e3:.2f} ms, mean {statistics.mean(samples) * 1e3:.2f} ms"


def time_scan(articles: list[Article], rounds: int) -> None:
    """Print CPU ms per article, best round of ``rounds``.

    ``scan``: one scan of the article; ``uncovered``: the coverage check alone (a scan
    and the comparison); ``llm_path``: what an LLM run with the candidates strategy
    does per article: the candidates and the rules' proposals scan the text the model
    reads, then the coverage check (every cache emptied first).
    """
    results = [_empty_result(a) for a in articles]
    best: dict[str, list[float]] = {}
    for _ in range(rounds):
        per: dict[str, list[float]] = {"scan": [], "uncovered": [], "llm_path": []}
        for a, r in zip(articles, results, strict=True):
            _forget()
            t0 = time.process_time()
            scan(a.text, reference_date=a.published, title=a.title)
            t1 = time.process_time()
            _forget()
            t2 = time.process_time()
            uncovered(a.text, r, reference_date=a.published, title=a.title)
            t3 = time.process_time()
            _forget()
            t4 = time.process_time()
            for _ in range(2):
                scan(a.model_text or a.text, reference_date=a.published, title=a.title)
            _uncovered_llm(a, r)
            t5 = time.process_time()
            per["scan"].append(t1 - t0)
            per["uncovered"].append(t3 - t2)
            per["llm_path"].append(t5 - t4)
        for k, v in per.items():
            if k not in best or sum(v) < sum(best[k]):
                best[k] = v
    print(f"articles={len(articles)} rounds={rounds} (best round, CPU time)")
    for k, v in best.items():
        print(f"{k:10s} {_ms(v)}, total {sum(v):.2f} s")


def main() -> int:
    """Command line: timing by default, ``--dump`` or ``--compare`` for the output check."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dump", type=Path, help="write the canonical scan output here")
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="only the first N BBC articles")
    args = ap.parse_args()
    if args.compare:
        return 1 if compare(*args.compare) else 0
    if not BBC.is_dir():
        sys.exit(f"bench_scan: the BBC corpus is missing at {BBC} (expected ../shared/corpus/bbc)")
    articles = _articles(BBC)
    if args.limit:
        articles = articles[: args.limit]
    if args.dump:
        dump(articles + _articles(SEEDS), args.dump)
        return 0
    time_scan(articles, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
