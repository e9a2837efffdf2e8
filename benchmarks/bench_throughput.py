"""Benchmark 1: throughput on the BBC corpus against a slow endpoint.

Server latency 500 ms, 2,225 BBC articles, ``--concurrency 64``, a fresh cache.
Reports wall / ideal (ideal = LLM calls x latency / concurrency, LLM calls from
OUT/run.json; target <= 1.15), client CPU ms per article (user+sys of the CLI
process, from os.wait4), how much of the wall is start-up (process start to the
first request the server sees) and tail (last answer to process exit), and the mean
number of requests in flight at the server. The CLI's CPU includes its worker
processes (``os.wait4`` counts the children it reaped); ``cpu_ms_per_call`` is that
CPU over the LLM calls.

    python benchmarks/bench_throughput.py [--latency 0.5] [--concurrency 64] [--workers N] [--keep]

Without ``--workers`` the CLI picks its default (``min(cores, 4)`` processes here).
"""

from __future__ import annotations

import argparse

from _common import (
    cli_run_args,
    fake_server,
    read_run_json,
    report,
    request_timeline,
    require_bbc,
    run_measured,
    unique_texts,
    verdict,
    wait_for_quiet,
    workdir,
)

TARGET = 1.15


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--latency", type=float, default=0.5)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, help="--workers for the CLI (default: its own)")
    p.add_argument("--http-client", help="--http-client for the CLI (default: its own)")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (prints it)")
    args = p.parse_args()
    corpus = require_bbc()
    files, unique = unique_texts(corpus)
    with workdir("throughput", keep=args.keep) as tmp:
        if args.keep:
            print(f"work folder: {tmp}")
        with fake_server(tmp / "stats.json", latency=args.latency, seed=args.seed) as server:
            extra = ["--workers", str(args.workers)] if args.workers else []
            extra += ["--http-client", args.http_client] if args.http_client else []
            cmd = cli_run_args(
                corpus,
                tmp / "out",
                server.base_url,
                tmp / "cache",
                concurrency=args.concurrency,
                extra=extra,
            )
            load = wait_for_quiet()
            m = run_measured(cmd, log=tmp / "cli.log")
        if m.returncode != 0:
            print((tmp / "cli.log").read_text()[-3000:])
            raise SystemExit(f"the CLI exited {m.returncode}")
        run = read_run_json(tmp / "out")
    calls = run["llm_calls"]
    ideal = calls * args.latency / args.concurrency
    ratio = m.wall_s / ideal
    timeline = request_timeline(server.stats, m.started_unix, m.ended_unix)
    row = {
        "articles": files,
        "unique_texts": unique,
        "llm_calls": calls,
        "server_requests": server.stats.get("requests"),
        "latency_s": args.latency,
        "concurrency": args.concurrency,
        "workers": args.workers or "default",
        "http_client": args.http_client or "default",
        "wall_s": round(m.wall_s, 2),
        "ideal_s": round(ideal, 2),
        "wall_over_ideal": round(ratio, 2),
        "target": TARGET,
        "verdict": verdict(ratio, TARGET),
        "cpu_ms_per_call": round(1000 * m.cpu_s / max(calls, 1), 2),
        "cpu_ms_per_article": round(1000 * m.cpu_s / files, 2),
        "cpu_s": round(m.cpu_s, 2),
        "user_s": round(m.user_s, 2),
        "sys_s": round(m.sys_s, 2),
        "startup_s": timeline.get("to_first_request_s"),
        "requests_span_s": timeline.get("requests_span_s"),
        "tail_s": timeline.get("after_last_answer_s"),
        "mean_in_flight": timeline.get("mean_in_flight"),
        "server_cpu_s": round(server.cpu_s, 2),
        "maxrss_mb": round(m.maxrss_mb, 1),
        "failed": len(run["failed"]),
        "loadavg_at_start": load,
        "run_wall_seconds": run["wall_seconds"],
    }
    report("throughput", row)


if __name__ == "__main__":
    main()
