"""Real-model benchmark: the seeds through local llama-cpp-python servers, scored on gold.

For every model x mode x strategy it runs the real CLI, exactly as a user would::

    summarize seeds -o OUT --base-url http://127.0.0.1:PORT/v1 --model ALIAS --mode M --no-cache
    summarize eval OUT fixtures/gold --json OUT.eval.json

and records articles succeeded, P/R/F1 per record type and overall, wall time and
tokens (from ``run.json``). Rows accumulate in a JSON file (``--results``, one row per
label/model/mode/strategy, a rerun replaces its row) and the whole file is rendered as
a Markdown table (``--table``) with the machine, model files, quantisation, server
version and server settings. Start the servers first with ``serve.sh``.

    python benchmarks/real_models/bench_real_models.py \\
        --model 0.5b=8080 --model 1.5b=8081 --modes tools,json --label before

Articles go one at a time (``--concurrency 1``: the server has one slot).
``--strategies`` defaults to every choice ``summarize run --help`` offers for
``--strategy`` (``generate`` when it has none). ``--extra`` passes more CLI flags.
``--python`` runs another checkout's CLI (``PYTHON -m summarizer``), e.g. a snapshot
of an older commit for a "before" row.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
MODELS = HERE / "models"
RECORD_TYPES = ("milestones", "statistics", "quotes")
MODEL_FILES = {
    "0.5b": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "1.5b": "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
}


def summarize_cmd(python: str | None) -> list[str]:
    """The CLI to run: this venv's ``summarize``, or ``PYTHON -m summarizer.cli``."""
    if python:
        return [python, "-m", "summarizer.cli"]
    here = Path(sys.executable).parent / "summarize"
    return [str(here)] if here.exists() else ["summarize"]


def cli_offers(cmd: list[str], flag: str) -> list[str] | None:
    """The choices ``summarize run --help`` lists for ``flag``; [] if no choices, None if absent."""
    out = subprocess.run([*cmd, "run", "--help"], capture_output=True, text=True).stdout
    found = re.search(re.escape(flag) + r"\s+\{([^}]*)\}", out)
    if found:
        return found.group(1).split(",")
    return [] if flag in out else None


def server_alias(name: str, port: int) -> str:
    """The alias serve.sh gives ``name``; exit if nothing listens on ``port``.

    Only a TCP connect: llama-cpp-python's ``/v1/models`` waits for the model lock, so
    it hangs while the server is still generating an earlier (perhaps abandoned) answer.
    """
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    except OSError as exc:
        sys.exit(f"bench: no server listens on 127.0.0.1:{port} ({exc}); start it with serve.sh")
    return f"qwen2.5-coder-{name}"


def machine() -> dict[str, Any]:
    """CPU model, cores, memory, OS and the llama-cpp-python version of the server venv."""
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    version = subprocess.run(
        [
            str(HERE / ".venv" / "bin" / "python"),
            "-c",
            "import llama_cpp; print(llama_cpp.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem, 1),
        "os": platform.platform(),
        "server": f"llama-cpp-python {version or '?'} (python -m llama_cpp.server)",
    }


def run_one(
    cmd: list[str],
    *,
    name: str,
    port: int,
    alias: str,
    mode: str,
    strategy: str,
    seeds: Path,
    gold: Path,
    out_root: Path,
    extra: list[str],
    strategy_flag: bool,
    provider_flag: bool,
) -> dict[str, Any]:
    """Run the CLI and the evaluation once; return the table row."""
    out = out_root / f"{name}-{mode}-{strategy}"
    args = [*cmd, str(seeds), "-o", str(out), "--base-url", f"http://127.0.0.1:{port}/v1"]
    # One article at a time: a llama-cpp-python server has one slot, and requests
    # queued behind it would spend their timeout waiting.
    args += ["--model", alias, "--mode", mode, "--no-cache", "--concurrency", "1"]
    if provider_flag:
        args += ["--provider", "openai"]
    if strategy_flag:
        args += ["--strategy", strategy]
    args += extra
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "SUMMARIZER_"))}
    env["OPENAI_API_KEY"] = "local"
    print("+", shlex.join(args), file=sys.stderr, flush=True)
    started = time.monotonic()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.monotonic() - started
    row: dict[str, Any] = {
        "model": name,
        "mode": mode,
        "strategy": strategy,
        "command": shlex.join(["summarize", *args[len(cmd) :]]),
        "exit": proc.returncode,
        "wall_seconds": round(wall, 1),
    }
    run_json = out / "run.json"
    if not run_json.exists():
        row["error"] = (proc.stderr or proc.stdout).strip()[-500:]
        return row
    run = json.loads(run_json.read_text())
    row.update(
        documents=run["documents"],
        succeeded=run["succeeded"],
        failed={f["id"]: f["reason"][:300] for f in run["failed"]},
        llm_calls=run.get("llm_calls"),
        retries=run.get("retries"),
        reasks=run.get("reasks"),
        prompt_tokens=run.get("prompt_tokens"),
        completion_tokens=run.get("completion_tokens"),
    )
    if (out / "articles").is_dir():
        eval_json = out_root / f"{name}-{mode}-{strategy}.eval.json"
        subprocess.run(
            [*cmd, "eval", str(out), str(gold), "--json", str(eval_json)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        report = json.loads(eval_json.read_text())
        row["scores"] = {t: _prf(report["micro"][t]) for t in RECORD_TYPES}
        row["scores"]["overall"] = _prf(report["overall"])
    else:  # every article failed: nothing to score, every gold record missed
        row["scores"] = {t: {"p": 0.0, "r": 0.0, "f1": 0.0} for t in (*RECORD_TYPES, "overall")}
    return row


def _prf(s: dict[str, Any]) -> dict[str, float]:
    return {"p": round(s["precision"], 2), "r": round(s["recall"], 2), "f1": round(s["f1"], 2)}


def render(results: dict[str, Any]) -> str:
    """The Markdown table of every row in ``results``, with the set-up above it."""
    m = results["machine"]
    lines = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}.  ",
        f"Server: {m['server']}; its settings for each row are in the last column.  ",
        "Models: "
        + "; ".join(
            f"{k} = `{v['file']}` ({v['quantisation']}, {v['bytes']:,} bytes)"
            for k, v in sorted(results["models"].items())
        )
        + ".",
        "",
        "| label | model | mode | strategy | ok | milestones P/R/F1 | statistics P/R/F1 "
        "| quotes P/R/F1 | overall P/R/F1 | wall s | tokens in+out | calls (re-asks) "
        "| server settings, date |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["rows"]:
        sc = row.get("scores", {})
        cells = [
            "/".join(f"{sc[t][k]:.2f}" for k in ("p", "r", "f1")) if t in sc else "-"
            for t in (*RECORD_TYPES, "overall")
        ]
        ok = f"{row['succeeded']}/{row['documents']}" if "succeeded" in row else "error"
        tokens = (
            f"{row['prompt_tokens']:,}+{row['completion_tokens']:,}"
            if row.get("prompt_tokens") is not None
            else "-"
        )
        calls = f"{row.get('llm_calls', '-')} ({row.get('reasks', '-')})"
        lines.append(
            f"| {row['label']} | {row['model']} | {row['mode']} | {row['strategy']} | {ok} | "
            + " | ".join(cells)
            + f" | {row['wall_seconds']:.0f} | {tokens} | {calls} "
            + f"| {row.get('server_settings', '-')}, {row.get('date', '-')} |"
        )
    lost = [
        f"- {row['label']} {row['model']} {row['mode']} {row['strategy']}: {doc}: {why}"
        for row in results["rows"]
        for doc, why in (row.get("failed") or {}).items()
    ]
    if lost:
        lines += ["", "Articles lost:", *lost]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--model",
        action="append",
        required=True,
        metavar="NAME=PORT",
        help="model (0.5b or 1.5b) and the port its server listens on; repeatable",
    )
    p.add_argument("--modes", default="tools,json")
    p.add_argument("--strategies", default=None, help="default: every --strategy choice")
    p.add_argument("--label", default="current", help="row label, e.g. before / after")
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    p.add_argument("--gold", type=Path, default=ROOT / "fixtures" / "gold")
    p.add_argument("--out", type=Path, default=Path("/tmp/bench-real-models"))
    p.add_argument("--results", type=Path, default=HERE / "results.json")
    p.add_argument("--table", type=Path, default=HERE / "results.md")
    p.add_argument("--python", default=None, help="run PYTHON -m summarizer.cli instead")
    p.add_argument("--extra", default="", help="more CLI flags, one shell-quoted string")
    p.add_argument("--server-settings", default="n_ctx 8192, n_threads 2 (serve.sh)")
    args = p.parse_args(argv)

    cmd = summarize_cmd(args.python)
    offered = cli_offers(cmd, "--strategy")
    strategies = args.strategies.split(",") if args.strategies else (offered or ["generate"])
    provider_flag = cli_offers(cmd, "--provider") is not None
    results: dict[str, Any] = (
        json.loads(args.results.read_text())
        if args.results.exists()
        else {"rows": [], "models": {}}
    )
    results["machine"] = machine()
    results.pop("server_settings", None)  # older files: one for all rows; now each row's
    out_root = args.out / args.label
    out_root.mkdir(parents=True, exist_ok=True)
    for spec in args.model:
        name, _, port_text = spec.partition("=")
        port = int(port_text)
        alias = server_alias(name, port)
        file = MODELS / MODEL_FILES[name]
        results["models"][name] = {
            "file": file.name,
            "quantisation": "Q4_K_M" if "q4_k_m" in file.name else "?",
            "bytes": file.stat().st_size if file.exists() else 0,
            "alias": alias,
        }
        for mode in args.modes.split(","):
            for strategy in strategies:
                row = run_one(
                    cmd,
                    name=name,
                    port=port,
                    alias=alias,
                    mode=mode,
                    strategy=strategy,
                    seeds=args.seeds,
                    gold=args.gold,
                    out_root=out_root,
                    extra=shlex.split(args.extra),
                    strategy_flag=offered is not None,
                    provider_flag=provider_flag,
                )
                row["label"] = args.label
                row["date"] = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
                row["server_settings"] = args.server_settings
                key = (args.label, name, mode, strategy)
                results["rows"] = [
                    r
                    for r in results["rows"]
                    if (r["label"], r["model"], r["mode"], r["strategy"]) != key
                ] + [row]
                args.results.write_text(json.dumps(results, indent=2) + "\n")
                args.table.write_text(render(results))
                print(render({**results, "rows": [row]}).splitlines()[-1], flush=True)
    print(render(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
