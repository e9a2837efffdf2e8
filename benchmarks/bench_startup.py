"""Benchmark 3: start-up time of ``summarize --help`` and ``summarize --version``.

Uses hyperfine when it is installed (``apt-get install -y hyperfine``), else a
Python loop of fresh processes. Reports best and median wall seconds; target <= 0.3 s.
For context it also times a bare ``python -c pass`` and the imports that a live run
pays before its first request (``import openai``, ``import instructor``) and that
a cached run pays (``import summarizer.api``).

    python benchmarks/bench_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import bench_env, report, summarize_cmd, verdict, wait_for_quiet

TARGET_S = 0.3


def time_loop(cmd: list[str], runs: int, warmup: int = 2) -> list[float]:
    env = bench_env()
    for _ in range(warmup):
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True
        )
        times.append(time.perf_counter() - t0)
    return times


def time_hyperfine(cmds: dict[str, list[str]], runs: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "hf.json"
        argv = ["hyperfine", "-N", "--warmup", "2", "--runs", str(runs), "--export-json", str(out)]
        for name, cmd in cmds.items():
            argv += ["-n", name, subprocess.list2cmdline(cmd)]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=bench_env())
        data = json.loads(out.read_text())
    return {r["command"]: r["times"] for r in data["results"]}


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--runs", type=int, default=20)
    p.add_argument("--no-hyperfine", action="store_true")
    args = p.parse_args()
    py = sys.executable
    cmds = {
        "help": [*summarize_cmd(), "--help"],
        "version": [*summarize_cmd(), "--version"],
        "python": [py, "-c", "pass"],
        "import_pipeline": [py, "-c", "import summarizer.api"],
        "import_openai": [py, "-c", "import openai"],
        "import_instructor": [py, "-c", "import instructor"],
    }
    load = wait_for_quiet()
    use_hf = shutil.which("hyperfine") is not None and not args.no_hyperfine
    if use_hf:
        times = time_hyperfine(cmds, args.runs)
    else:
        times = {name: time_loop(cmd, args.runs) for name, cmd in cmds.items()}

    def best(name: str) -> float:
        return round(min(times[name]), 3)

    def med(name: str) -> float:
        return round(statistics.median(times[name]), 3)

    row = {
        "tool": "hyperfine" if use_hf else "python loop",
        "runs": args.runs,
        "help_best_s": best("help"),
        "help_median_s": med("help"),
        "version_best_s": best("version"),
        "version_median_s": med("version"),
        "target_s": TARGET_S,
        "verdict": verdict(max(med("help"), med("version")), TARGET_S),
        "python_bare_median_s": med("python"),
        "import_pipeline_median_s": med("import_pipeline"),
        "import_openai_median_s": med("import_openai"),
        "import_instructor_median_s": med("import_instructor"),
        "loadavg_at_start": load,
    }
    report("startup", row)


if __name__ == "__main__":
    main()
