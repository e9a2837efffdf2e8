"""Benchmark 2: a fully cached rerun of the BBC corpus.

Fills a fresh cache with one run at latency 0 (not measured), then reruns the same
corpus with the same cache folder and endpoint URL (the URL is part of the cache
key) into a new output folder, ``--repeat`` times. The figure is the wall time of
the whole CLI process (start-up included) divided by the article count; target
<= 2 ms per article. Also checks that the rerun made no LLM call.

    python benchmarks/bench_warm_cache.py [--repeat 3] [--concurrency 64] [--workers N]
        [--strategy generate|candidates]

Without ``--workers`` the CLI picks its default: for 2,225 articles against an LLM
endpoint that is several processes, which start only at the first cache miss, so
the warm reruns stay one process (``worker_processes`` from run.json says so).
"""

from __future__ import annotations

import argparse
import statistics

from _common import (
    cli_run_args,
    fake_server,
    read_run_json,
    report,
    require_bbc,
    run_measured,
    verdict,
    wait_for_quiet,
    workdir,
)

TARGET_MS = 2.0


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--workers", type=int, help="--workers for the reruns (default: the CLI's)")
    p.add_argument("--strategy", help="--strategy for every run (default: the CLI's)")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    strategy = ["--strategy", args.strategy] if args.strategy else []
    corpus = require_bbc()
    runs = []
    with (
        workdir("warm", keep=args.keep) as tmp,
        fake_server(tmp / "stats.json", latency=0.0) as server,
    ):
        cache = tmp / "cache"
        fill = run_measured(
            cli_run_args(
                corpus,
                tmp / "fill",
                server.base_url,
                cache,
                concurrency=args.concurrency,
                extra=strategy,
            ),
            log=tmp / "fill.log",
        )
        if fill.returncode != 0:
            raise SystemExit(f"the cache-filling run exited {fill.returncode}")
        articles = read_run_json(tmp / "fill")["documents"]
        loads = []
        for i in range(args.repeat):
            out = tmp / f"warm{i}"
            loads.append(wait_for_quiet())
            extra = strategy + (["--workers", str(args.workers)] if args.workers else [])
            m = run_measured(
                cli_run_args(
                    corpus, out, server.base_url, cache, concurrency=args.concurrency, extra=extra
                ),
                log=tmp / f"warm{i}.log",
            )
            if m.returncode != 0:
                raise SystemExit(f"the warm run exited {m.returncode}")
            run = read_run_json(out)
            runs.append((m, run))
    walls = [m.wall_s for m, _ in runs]
    best = min(walls)
    med = statistics.median(walls)
    m0, run0 = sorted(runs, key=lambda r: r[0].wall_s)[len(runs) // 2]  # the median run
    row = {
        "articles": articles,
        "repeats": args.repeat,
        "workers": args.workers or "default",
        "strategy": args.strategy or "default",
        "ms_per_article_best": round(1000 * best / articles, 2),
        "ms_per_article_median": round(1000 * med / articles, 2),
        "target_ms": TARGET_MS,
        "verdict": verdict(1000 * med / articles, TARGET_MS),
        "wall_s_best": round(best, 2),
        "wall_s_median": round(med, 2),
        "cpu_ms_per_article": round(1000 * m0.cpu_s / articles, 2),
        "in_process_wall_s": run0["wall_seconds"],
        "startup_and_exit_s": round(m0.wall_s - run0["wall_seconds"], 2),
        "cache_hits": run0["cache_hits"],
        "duplicates": run0["duplicates"],
        "llm_calls": run0["llm_calls"],
        "worker_processes": run0.get("extra", {}).get("worker_processes", 0),
        "maxrss_mb": round(m0.maxrss_mb, 1),
        "fill_wall_s": round(fill.wall_s, 1),
        "loadavg_at_start": max(loads),
    }
    report("warm_cache", row)


if __name__ == "__main__":
    main()
