"""Record real exchanges with a local model, labelled as recorded (never as authored).

    python benchmarks/real_models/record_real.py --model 0.5b=8080 --mode json_schema \\
        --strategy candidates --out fixtures/recordings-real/qwen2.5-coder-0.5b

Runs ``summarize FOLDER -o TMP --record DIR`` against the server serve.sh started, then
marks every file it wrote ``"source": "recorded"`` and adds ``"recorded_with"``: the
model file and its sha256, quantisation, server and its settings, mode, strategy and
date. ``fixtures/recordings/`` holds the authored ones; the two never share a folder.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from bench_real_models import MODEL_FILES, cli_offers, machine, summarize_cmd  # noqa: E402


def sha256(path: Path) -> str:
    """sha256 of a (large) file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv: list[str] | None = None) -> int:
    """Record, then label the recordings; see the module docstring."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True, metavar="NAME=PORT")
    p.add_argument("--mode", default="json_schema")
    p.add_argument("--strategy", default=None)
    p.add_argument("--folder", type=Path, default=ROOT / "seeds")
    p.add_argument("--out", type=Path, required=True, help="recordings folder to write")
    p.add_argument("--server-settings", default="n_ctx 8192, n_threads 2 (serve.sh)")
    p.add_argument("--extra", default="", help="more CLI flags, one shell-quoted string")
    p.add_argument(
        "--label-only",
        action="store_true",
        help="do not run; label the files in --out that are not labelled yet "
        "(recorded by an earlier run with --record, e.g. through bench_real_models.py)",
    )
    args = p.parse_args(argv)

    name, _, port = args.model.partition("=")
    file = HERE / "models" / MODEL_FILES[name]
    cmd = summarize_cmd(None)
    flags = ["--base-url", f"http://127.0.0.1:{port}/v1", "--api-key", "local"]
    flags += ["--model", f"qwen2.5-coder-{name}", "--mode", args.mode, "--no-cache"]
    flags += ["--concurrency", "1"]
    if args.strategy and cli_offers(cmd, "--strategy") is not None:
        flags += ["--strategy", args.strategy]
    flags += shlex.split(args.extra)
    args.out.mkdir(parents=True, exist_ok=True)
    before = {path: path.stat().st_mtime for path in args.out.glob("*.json")}
    if args.label_only:
        before = {
            path: mtime
            for path, mtime in before.items()
            if json.loads(path.read_text(encoding="utf-8")).get("source") == "recorded"
        }
    else:
        with tempfile.TemporaryDirectory() as tmp:
            out = str(Path(tmp) / "out")
            run = [*cmd, str(args.folder), "-o", out, "--record", str(args.out)]
            print("+", shlex.join([*run, *flags]), file=sys.stderr, flush=True)
            subprocess.run([*run, *flags], check=False)
    label: dict[str, Any] = {
        "model_file": file.name,
        "model_sha256": sha256(file),
        "quantisation": "Q4_K_M",
        "server": machine()["server"],
        "server_settings": args.server_settings,
        "machine": f"{machine()['cpu']}, {machine()['cores']} cores",
        "mode": args.mode,
        "strategy": args.strategy or "generate",
        "command": shlex.join(["summarize", str(args.folder), "-o", "OUT", *flags]),
        "date": _dt.date.today().isoformat(),
    }
    written = 0
    for path in sorted(args.out.glob("*.json")):
        if path in before and before[path] == path.stat().st_mtime:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        data["source"] = "recorded"
        data["recorded_with"] = {**data.get("recorded_with", {}), **label}
        path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        written += 1
    print(f"labelled {written} recordings in {args.out}", file=sys.stderr)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
