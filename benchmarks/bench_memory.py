"""Benchmark 4: peak memory as the corpus grows (generated articles, no cache).

For each size (default 2,000 / 5,000 / 10,000 / 20,000) a corpus is generated
deterministically (seed 7) into a temp folder and run once, cold, against the fake
endpoint at latency 0 with ``--concurrency 64``. Reports the CLI process's peak RSS
(ru_maxrss from os.wait4: its largest single process) per size, which process that
was (main or a child: /proc sampled twice a second), the wall time and the load
average at the start, and the growth per 1,000 articles between the smallest and
largest size. Target: <= 300 MB at 20,000 articles, and flat: the largest
size's peak within 10% of the smallest's (the issue: 20,000 -> 100,000).

The run is CPU-bound (latency 0), so it takes as long as the client needs per article
(about 8-15 minutes for all four sizes at ~25 ms of client CPU per article). Use
``--sizes`` to run fewer.

    python benchmarks/bench_memory.py [--sizes 2000,5000,10000,20000] [--strategy S]
        [--warm-cache DIR]

``--warm-cache DIR`` (faster while developing): the answers are kept in DIR, a cache
folder that outlives the benchmark. A size whose answers are not there yet is run once
to fill it (not measured); the measured run is then a warm rerun of the real CLI into a
new folder: everything but the model calls (loading, writing, the streaming brief).
Generated corpora are deterministic, so a second invocation only measures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import threading
from pathlib import Path

from _common import (
    cli_run_args,
    fake_server,
    generate_corpus,
    read_run_json,
    report,
    run_measured,
    verdict,
    workdir,
)


class TreeSampler:
    """Peak RSS (VmHWM) of every process in a tree, read from /proc twice a second.

    ``os.wait4`` gives the largest single process of the tree; this says which one
    (the CLI's main process, or one of its children: workers, a fork server, a
    consolidating process). A process sampled last just before it exits may miss
    its final half second.
    """

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}  # pid -> MB
        self.root = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, pid: int) -> None:
        self.root = pid
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            todo = [self.root]
            while todo:
                pid = todo.pop()
                try:
                    with open(f"/proc/{pid}/task/{pid}/children") as fh:
                        todo += [int(x) for x in fh.read().split()]
                    with open(f"/proc/{pid}/status") as fh:
                        for line in fh:
                            if line.startswith("VmHWM:"):
                                self.peaks[pid] = int(line.split()[1]) / 1024
                except (OSError, ValueError):
                    continue
            self._stop.wait(0.5)

    def summary(self) -> dict[str, float]:
        main = self.peaks.get(self.root, 0.0)
        children = [mb for pid, mb in self.peaks.items() if pid != self.root]
        return {
            "main_mb": round(main, 1),
            "largest_child_mb": round(max(children, default=0.0), 1),
            "children": len(children),
        }


TARGET_MB = 300.0
TARGET_ARTICLES = 20_000
FLAT_RATIO = 1.10


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--sizes", default="2000,5000,10000,20000")
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--strategy", help="--strategy for every run (default: the CLI's)")
    p.add_argument("--warm-cache", type=Path, help="measure warm reruns with this cache folder")
    p.add_argument(
        "--port",
        type=int,
        default=47613,
        help="with --warm-cache: the fake endpoint's port "
        "(the endpoint URL is part of the cache key, so it must not change between runs)",
    )
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    extra = ["--strategy", args.strategy] if args.strategy else []
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with workdir("memory", keep=args.keep) as tmp:
        for n in sizes:
            corpus = generate_corpus(tmp / f"corpus{n}", n, args.seed)
            cache = args.warm_cache / f"gen{n}" if args.warm_cache else tmp / f"cache{n}"
            port = ["--port", str(args.port)] if args.warm_cache else []
            with fake_server(tmp / f"stats{n}.json", latency=0.0, extra=port) as server:
                if args.warm_cache and not (cache / "filled").exists():
                    fill = run_measured(
                        cli_run_args(
                            corpus,
                            tmp / f"fill{n}",
                            server.base_url,
                            cache,
                            concurrency=args.concurrency,
                            extra=extra,
                        ),
                        log=tmp / f"fill{n}.log",
                    )
                    if fill.returncode != 0:
                        raise SystemExit(f"the cache-filling run exited {fill.returncode}")
                    (cache / "filled").write_text("yes\n", encoding="utf-8")
                    shutil.rmtree(tmp / f"fill{n}", ignore_errors=True)
                load = round(os.getloadavg()[0], 2)
                sampler = TreeSampler()
                try:
                    m = run_measured(
                        cli_run_args(
                            corpus,
                            tmp / f"out{n}",
                            server.base_url,
                            cache,
                            concurrency=args.concurrency,
                            extra=extra,
                        ),
                        log=tmp / f"cli{n}.log",
                        on_start=sampler.start,
                    )
                finally:
                    sampler.stop()
            if m.returncode != 0:
                print((tmp / f"cli{n}.log").read_text()[-3000:])
                raise SystemExit(f"the CLI exited {m.returncode} on {n} articles")
            run = read_run_json(tmp / f"out{n}")
            row = {
                "articles": n,
                "maxrss_mb": round(m.maxrss_mb, 1),
                **sampler.summary(),
                "wall_s": round(m.wall_s, 1),
                "loadavg_at_start": load,
                "cpu_ms_per_article": round(1000 * m.cpu_s / n, 2),
                "llm_calls": run["llm_calls"],
                "failed": len(run["failed"]),
            }
            print(" | ".join(f"{k}={v}" for k, v in row.items()), flush=True)
            rows.append(row)
            # Free the disk as we go: 20,000 outputs and caches add up.
            for d in (corpus, tmp / f"out{n}", tmp / f"cache{n}"):  # not --warm-cache's
                shutil.rmtree(d, ignore_errors=True)
    first, last = rows[0], rows[-1]
    span = max(last["articles"] - first["articles"], 1)
    growth = (last["maxrss_mb"] - first["maxrss_mb"]) / span * 1000
    # The targets: <= 300 MB at 20,000 articles (else at the largest size run),
    # and flat: the largest size's peak within 10% of the smallest's.
    at_target = next((r for r in rows if r["articles"] == TARGET_ARTICLES), last)
    ratio = last["maxrss_mb"] / first["maxrss_mb"]
    summary = {
        "sizes": [r["articles"] for r in rows],
        "maxrss_mb": [r["maxrss_mb"] for r in rows],
        "peak_mb_at_largest": last["maxrss_mb"],
        "target_mb": TARGET_MB,
        "verdict": verdict(at_target["maxrss_mb"], TARGET_MB),
        "growth_mb_per_1000_articles": round(growth, 1),
        "largest_over_smallest": round(ratio, 3),
        "flat": ratio <= FLAT_RATIO,
        "concurrency": args.concurrency,
        "mode": "warm rerun" if args.warm_cache else "cold",
        "strategy": args.strategy or "default",
        "rows": rows,
    }
    report("memory", summary, columns=[k for k in summary if k != "rows"])


if __name__ == "__main__":
    main()
