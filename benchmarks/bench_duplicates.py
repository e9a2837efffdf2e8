"""Benchmark 6: identical texts are sent to the model once.

Counts the distinct texts of the BBC corpus itself (sha256 of each file UTF-8
decoded with CRLF -> LF), runs the CLI once, cold, at ``--latency`` (default 0.05 s,
so that duplicates of an article still in flight must wait for it) with
``--concurrency 64``, and compares: LLM calls in OUT/run.json, chat requests the
server answered (its --stats file), and duplicates reported. Pass when both call
counts equal the number of distinct texts.

    python benchmarks/bench_duplicates.py [--latency 0.05]
"""

from __future__ import annotations

import argparse

from _common import (
    cli_run_args,
    fake_server,
    read_run_json,
    report,
    require_bbc,
    run_measured,
    unique_texts,
    workdir,
)


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--latency", type=float, default=0.05)
    p.add_argument("--concurrency", type=int, default=64)
    args = p.parse_args()
    corpus = require_bbc()
    files, unique = unique_texts(corpus)
    with workdir("dupes") as tmp:
        with fake_server(tmp / "stats.json", latency=args.latency) as server:
            m = run_measured(
                cli_run_args(
                    corpus,
                    tmp / "out",
                    server.base_url,
                    tmp / "cache",
                    concurrency=args.concurrency,
                ),
                log=tmp / "cli.log",
            )
        if m.returncode != 0:
            raise SystemExit(f"the CLI exited {m.returncode}")
        run = read_run_json(tmp / "out")
    stats = server.stats
    bodies = len({r["sha256"] for r in stats.get("log", [])})
    ok = run["llm_calls"] == unique and stats.get("requests") == unique
    row = {
        "articles": files,
        "unique_texts": unique,
        "exact_duplicates": files - unique,
        "llm_calls_run_json": run["llm_calls"],
        "server_requests": stats.get("requests"),
        "server_distinct_bodies": bodies,
        "server_ok": (stats.get("counts") or {}).get("ok"),
        "duplicates_reported": run["duplicates"],
        "retries": run["retries"],
        "reasks": run["reasks"],
        "verdict": "PASS" if ok else "MISS",
        "wall_s": round(m.wall_s, 1),
    }
    report("duplicates", row)


if __name__ == "__main__":
    main()
