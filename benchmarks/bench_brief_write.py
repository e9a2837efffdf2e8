"""Benchmark 4c: the time of the end of a run: ``write_brief_outputs`` on a finished brief.

Reads the per-article results of an earlier run (``OUT/articles/**.json``, e.g. a warm
rerun of the BBC corpus against the fake endpoint), consolidates them in document-id
order as the runner does (not timed), then writes every folder output (brief.json, the
CSV files, summary.md, report.html; the report reads its first 300 articles back from
``OUT`` and their texts from their paths, as the runner does) ``--repeat`` times into a
temporary folder. Prints the wall and CPU time of a write (min and median: on a shared
machine the CPU time is the steadier), the peak traced memory of one write
(tracemalloc, a separate pass) and the brief's size. The first write of the process
includes compiling (or loading) the report's template.

    python benchmarks/bench_brief_write.py OUT [--repeat 7]

Run it with ``PYTHONPATH=<another copy of the package>`` to compare two versions on the
same records.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("out", type=Path, help="output folder of an earlier run")
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()

    from summarizer.corpus.consolidate import Consolidator
    from summarizer.outputs.brief import write_brief_outputs
    from summarizer.records import ArticleResult

    files = sorted(
        (ArticleResult.model_validate_json(f.read_text(encoding="utf-8")).document.id, f)
        for f in (args.out / "articles").rglob("*.json")
    )
    consolidator = Consolidator()
    for _, f in files:
        consolidator.add(ArticleResult.model_validate_json(f.read_text(encoding="utf-8")))
    brief = consolidator.finish()
    shown = files[:300]

    def articles() -> Iterator[ArticleResult]:
        for _, f in shown:
            yield ArticleResult.model_validate_json(f.read_text(encoding="utf-8"))

    paths = {doc_id: f for doc_id, f in shown}

    def text_for(doc_id: str) -> str | None:
        if doc_id not in paths:
            return None
        result = ArticleResult.model_validate_json(paths[doc_id].read_text(encoding="utf-8"))
        return Path(result.document.path).read_text(encoding="utf-8")

    tmp = Path(tempfile.mkdtemp(prefix="summarizer-bench-write-"))
    try:
        times, cpu = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            written = write_brief_outputs(brief, tmp, articles=articles, text_for=text_for)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        tracemalloc.start()
        write_brief_outputs(brief, tmp, articles=articles, text_for=text_for)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        row = {
            "articles": len(files),
            "write_min_s": round(min(times), 3),
            "write_median_s": round(statistics.median(times), 3),
            "cpu_min_s": round(min(cpu), 3),
            "cpu_median_s": round(statistics.median(cpu), 3),
            "loadavg": round(os.getloadavg()[0], 2),
            "traced_peak_mb": round(peak / 2**20, 2),
            "brief_json_mb": round(written[0].stat().st_size / 2**20, 2),
            "counts": str(brief.counts()),
        }
        print(json.dumps(row, indent=2))
    finally:
        brief.close()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
