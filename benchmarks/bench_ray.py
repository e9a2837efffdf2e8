"""Benchmark 7: ``--executor ray`` against the local executor on the BBC corpus.

Starts the fake endpoint (latency 0.5 s), then runs the CLI twice on the 2,225 BBC
articles, each time with a fresh cache and output folder: the local executor (the
CLI's default ``--workers``) and ``--executor ray`` (the CLI starts a local Ray in
its process; ``--workers`` actors, default one per CPU). Reports both wall times,
Ray's overhead over the local run (seconds and ratio), CPU (user+sys of the CLI
process and the children it reaped: the local worker processes, but not Ray's
actors, which Ray's own daemons start), and checks that the records are the same:
``records.jsonl``, every ``articles/<id>.json`` and the brief files, byte for byte,
and again without ``provenance.cache_hit``.
One fake server answers both runs (its address is in each record's provenance); each
run has its own fresh cache.

    python benchmarks/bench_ray.py [--latency 0.5] [--concurrency 64] [--workers N]

Needs the ``ray`` extra (``pip install -e '.[ray]'``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from pathlib import Path

from _common import (
    cli_run_args,
    fake_server,
    read_run_json,
    report,
    require_bbc,
    run_measured,
    wait_for_quiet,
    workdir,
)

# Outputs that must be identical; run.json (wall time) and the shards (Ray's own log) differ.
SKIP = {"run.json"}


def _without_cache_hit(name: str, data: bytes) -> object:
    """A record file's JSON without ``provenance.cache_hit`` (which copy paid for an answer)."""
    text = data.decode("utf-8")
    if name.endswith(".jsonl"):
        rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    else:
        rows = [json.loads(text)]
    for row in rows:
        row.get("provenance", {}).pop("cache_hit", None)
    return rows


def _outputs(out: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(out)): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
        and p.name not in SKIP
        and not p.name.startswith(".")
        and p.relative_to(out).parts[0] != "shards"
    }


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--latency", type=float, default=0.5)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--workers", type=int, help="--workers for both runs (default: the CLI's)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if importlib.util.find_spec("ray") is None:
        raise SystemExit("benchmarks: Ray is not installed: pip install -e '.[ray]'")
    corpus = require_bbc()
    rows = {}
    # One server for both runs: its address is in every record's provenance.
    with (
        workdir("ray", keep=args.keep) as tmp,
        fake_server(tmp / "stats.json", latency=args.latency, seed=args.seed) as server,
    ):
        if args.keep:
            print(f"work folder: {tmp}")
        for executor in ("local", "ray"):
            extra = ["--executor", executor]
            if args.workers:
                extra += ["--workers", str(args.workers)]
            cmd = cli_run_args(
                corpus,
                tmp / executor,
                server.base_url,
                tmp / f"cache-{executor}",
                concurrency=args.concurrency,
                extra=extra,
            )
            load = wait_for_quiet()
            m = run_measured(cmd, log=tmp / f"{executor}.log")
            if m.returncode != 0:
                print((tmp / f"{executor}.log").read_text()[-3000:])
                raise SystemExit(f"the {executor} run exited {m.returncode}")
            rows[executor] = (m, read_run_json(tmp / executor), load)
        local_files, ray_files = _outputs(tmp / "local"), _outputs(tmp / "ray")
    (lm, lrun, lload), (rm, rrun, rload) = rows["local"], rows["ray"]
    differing = sorted(
        name
        for name in set(local_files) | set(ray_files)
        if local_files.get(name) != ray_files.get(name)
    )
    # An identical text in flight in two actors at once is asked twice; that copy then
    # says cache_hit: false where the local run, which coalesced it, says true.
    only_cache_hit = [
        name
        for name in differing
        if name in local_files
        and name in ray_files
        and name.endswith((".json", ".jsonl"))
        and name != "brief.json"
        and _without_cache_hit(name, local_files[name]) == _without_cache_hit(name, ray_files[name])
    ]
    row = {
        "articles": lrun["documents"],
        "latency_s": args.latency,
        "concurrency": args.concurrency,
        "local_wall_s": round(lm.wall_s, 2),
        "ray_wall_s": round(rm.wall_s, 2),
        "ray_overhead_s": round(rm.wall_s - lm.wall_s, 2),
        "ray_over_local": round(rm.wall_s / lm.wall_s, 2),
        "local_cpu_s": round(lm.cpu_s, 2),
        "ray_cpu_s": round(rm.cpu_s, 2),
        "local_worker_processes": lrun.get("extra", {}).get("worker_processes", 0),
        "ray_actors": rrun.get("extra", {}).get("ray_actors"),
        "llm_calls_local": lrun["llm_calls"],
        "llm_calls_ray": rrun["llm_calls"],
        "server_requests": server.stats.get("requests"),
        "files_compared": len(local_files),
        "files_differing": len(differing),
        "files_differing_only_in_cache_hit": len(only_cache_hit),
        "identical": not differing,
        "identical_but_cache_hit": len(differing) == len(only_cache_hit),
        "local_maxrss_mb": round(lm.maxrss_mb, 1),
        "ray_maxrss_mb": round(rm.maxrss_mb, 1),
        "loadavg_at_start": max(lload, rload),
    }
    other = sorted(set(differing) - set(only_cache_hit))
    if other:
        print("differing beyond cache_hit:", ", ".join(other[:20]))
    report("ray", row)


if __name__ == "__main__":
    main()
