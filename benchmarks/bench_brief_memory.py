"""Benchmark 4b: peak memory of the folder brief alone (consolidation, near-duplicates, writers).

For each size, generated articles (seed 7, as bench_memory.py) are extracted in-process by
the fake server's rule-based responder and grounded (no HTTP, no cache), then fed one at
a time to ``Consolidator.add`` and ``NearDuplicateIndex.add``, as a runner does when each
article finishes; then ``finish`` and ``write_brief_outputs`` (the report reads the
first 300 articles back from disk, as the runner does). Each size runs in a fresh
process; prints that process's peak RSS (ru_maxrss) and VmRSS after each phase.

It isolates the brief's share of bench_memory.py's figure (the runner and the HTTP client
are left out), and runs 100,000 articles in about 20 minutes instead of an hour.

    python benchmarks/bench_brief_memory.py [--sizes 20000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _common import _TOPICS, generate_article, report


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(n: int) -> dict[str, float]:
    """One size, in this process: feed, finish, write; the phases' memory."""
    from summarizer.corpus.consolidate import Consolidator
    from summarizer.corpus.dedupe import NearDuplicateIndex
    from summarizer.ground.assemble import ExtractedPart, build_result
    from summarizer.outputs.brief import write_brief_outputs
    from summarizer.records import ArticleResult, Document, Extraction, Provenance
    from summarizer.testing._responders import _extract

    tmp = Path(tempfile.mkdtemp(prefix="summarizer-bench-brief-"))
    try:
        rng = random.Random(7)
        categories = sorted(_TOPICS)
        consolidator = Consolidator(workdir=tmp)
        near = NearDuplicateIndex()
        provenance = Provenance(model="m", endpoint=None, mode="tools", prompt_version="1")
        out: dict[str, float] = {}
        t0 = time.perf_counter()
        for i in range(n):
            category = categories[i % len(categories)]
            text = generate_article(rng, category, i)
            doc_id = f"{category}/{i:06d}"
            extraction = Extraction.model_validate_json(_extract(text))
            _extract.cache_clear()
            document = Document(id=doc_id, path=doc_id + ".txt", sha256="0" * 64, chars=len(text))
            result = build_result(document, text, [ExtractedPart(0, extraction)], provenance)
            if category == categories[0] and i < 300 * len(categories):
                # The first 300 ids in sorted order: the report reads these back at the end.
                path = tmp / "articles" / f"{doc_id}.json"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(result.model_dump_json(), encoding="utf-8")
            consolidator.add(result)
            near.add(doc_id, text)
        out["feed_s"] = time.perf_counter() - t0
        out["rss_after_feed_mb"] = _rss_mb()
        t1 = time.perf_counter()
        brief = consolidator.finish(near_duplicates=near.groups())
        out["finish_s"] = time.perf_counter() - t1
        out["rss_after_finish_mb"] = _rss_mb()

        def articles() -> Iterator[ArticleResult]:
            for d in brief.iter_documents():
                path = tmp / "articles" / f"{d.id}.json"
                if not path.exists():
                    return
                yield ArticleResult.model_validate_json(path.read_text(encoding="utf-8"))

        t2 = time.perf_counter()
        paths = write_brief_outputs(brief, tmp / "out", articles=articles, text_for=lambda _: None)
        out["write_s"] = time.perf_counter() - t2
        out["brief_json_mb"] = paths[0].stat().st_size / 2**20
        out["report_html_mb"] = paths[-1].stat().st_size / 2**20
        out["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return {k: round(v, 1) for k, v in out.items()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="20000,100000")
    p.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run(
            [sys.executable, __file__, "--child", str(n)],
            capture_output=True,
            text=True,
            check=True,
        )
        row = {"articles": n, **json.loads(done.stdout.strip().splitlines()[-1])}
        print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
        rows.append(row)
    first, last = rows[0], rows[-1]
    summary = {
        "sizes": [r["articles"] for r in rows],
        "maxrss_mb": [r["maxrss_mb"] for r in rows],
        "growth_pct_first_to_last": round(100 * (last["maxrss_mb"] / first["maxrss_mb"] - 1), 1),
        "rows": rows,
    }
    report("brief_memory", summary, columns=[k for k in summary if k != "rows"])


if __name__ == "__main__":
    main()
