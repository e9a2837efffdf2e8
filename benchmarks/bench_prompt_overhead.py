"""Benchmark 5: prompt overhead per call, from the real request bodies.

Runs the CLI with ``--record DIR`` on a sample of BBC articles (default the first
20 of each category; generated ones with ``--generated``) at latency 0, once per
``--mode``, and reads the recorded request bodies. Everything in a request that is
not the article text counts as overhead: the system prompt, the user wrapper
around the article, the tool / JSON schema, ``tool_choice``, ``response_format``,
model and sampling keys, and the JSON punctuation around them. It is measured as
the characters of the compact JSON body minus those of the article as it appears
in it (JSON-escaped), and also broken down by part. Tokens are estimated at 4
characters per token (``tiktoken``'s o200k_base is used instead when it is
importable with its encoding cached). Target <= 700 tokens in the default mode.

    python benchmarks/bench_prompt_overhead.py [--per-category 20] [--modes tools,json_schema,json,md_json]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

from _common import (
    BBC,
    cli_run_args,
    fake_server,
    generate_corpus,
    report,
    run_measured,
    verdict,
    workdir,
)

TARGET_TOKENS = 700


def _token_counter() -> tuple[str, Any]:
    try:
        import tiktoken

        enc = tiktoken.get_encoding("o200k_base")  # only works when the encoding is cached
        return "tiktoken o200k_base", lambda s: len(enc.encode(s))
    except Exception:
        return "chars/4", lambda s: math.ceil(len(s) / 4)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _article_in(content: str) -> str:
    """The article inside the user message: the text between the <article> lines."""
    start = content.find("<article>\n")
    end = content.rfind("\n</article>")
    if start < 0 or end < 0:
        raise ValueError("no <article> block in the user message")
    return content[start + len("<article>\n") : end]


def analyse(request: dict[str, Any], count: Any) -> dict[str, int]:
    messages = request["messages"]
    system = "".join(m.get("content") or "" for m in messages if m.get("role") == "system")
    user = next(m for m in messages if m.get("role") == "user")["content"]
    article = _article_in(user)
    body = _compact(request)
    article_json = _compact(article)[1:-1]  # as it sits inside the JSON string
    if article_json not in body:
        raise ValueError("article text not found verbatim in the request body")
    overhead_body = body.replace(article_json, "", 1)
    wrapper = user.replace(article, "", 1)
    schema_part = {
        k: request[k] for k in ("tools", "tool_choice", "response_format") if k in request
    }
    rest = {k: v for k, v in request.items() if k not in ("messages", *schema_part)}
    return {
        "body_chars": len(body),
        "article_chars": len(article),
        "overhead_chars": len(overhead_body),
        "overhead_tokens": count(overhead_body),
        "system_chars": len(system),
        "wrapper_chars": len(wrapper),
        "schema_chars": len(_compact(schema_part)) if schema_part else 0,
        "other_keys_chars": len(_compact(rest)),
    }


def sample_bbc(dest: Path, per_category: int) -> Path:
    if not BBC.is_dir():
        sys.exit(f"benchmarks: the BBC corpus is missing at {BBC}; use --generated")
    for cat in sorted(p for p in BBC.iterdir() if p.is_dir()):
        (dest / cat.name).mkdir(parents=True, exist_ok=True)
        for f in sorted(cat.glob("*.txt"))[:per_category]:
            (dest / cat.name / f.name).write_bytes(f.read_bytes())
    return dest


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--per-category", type=int, default=20)
    p.add_argument("--generated", type=int, default=0, help="use N generated articles instead")
    p.add_argument("--modes", default="tools,json_schema,json,md_json")
    args = p.parse_args()
    method, count = _token_counter()
    modes = args.modes.split(",")
    per_mode: dict[str, dict[str, Any]] = {}
    with workdir("prompt") as tmp:
        if args.generated:
            corpus = generate_corpus(tmp / "corpus", args.generated, 11)
        else:
            corpus = sample_bbc(tmp / "corpus", args.per_category)
        with fake_server(tmp / "stats.json", latency=0.0) as server:
            for mode in modes:
                rec = tmp / f"rec-{mode}"
                m = run_measured(
                    cli_run_args(
                        corpus,
                        tmp / f"out-{mode}",
                        server.base_url,
                        tmp / "cache",
                        concurrency=8,
                        extra=["--mode", mode, "--record", str(rec), "--no-cache"],
                    ),
                    log=tmp / f"cli-{mode}.log",
                )
                if m.returncode != 0:
                    print((tmp / f"cli-{mode}.log").read_text()[-3000:])
                    raise SystemExit(f"the CLI exited {m.returncode} in mode {mode}")
                rows = []
                for f in sorted(rec.glob("*.json")):
                    data = json.loads(f.read_text(encoding="utf-8"))
                    if data.get("turn", 0) != 0:
                        continue  # re-asks carry the failed answer too; first asks only
                    rows.append(analyse(data["request"], count))
                if not rows:
                    raise SystemExit(f"no recordings written in mode {mode}")
                per_mode[mode] = {
                    "requests": len(rows),
                    **{
                        k: round(statistics.mean(r[k] for r in rows), 1)
                        for k in rows[0]
                        if k not in ("body_chars", "article_chars")
                    },
                    "overhead_tokens_max": max(r["overhead_tokens"] for r in rows),
                    "mean_article_chars": round(statistics.mean(r["article_chars"] for r in rows)),
                }
    head = per_mode[modes[0]]
    row = {
        "token_estimate": method,
        "default_mode": modes[0],
        "overhead_tokens": head["overhead_tokens"],
        "overhead_tokens_max": head["overhead_tokens_max"],
        "target_tokens": TARGET_TOKENS,
        "verdict": verdict(head["overhead_tokens_max"], TARGET_TOKENS),
        "system_chars": head["system_chars"],
        "wrapper_chars": head["wrapper_chars"],
        "schema_chars": head["schema_chars"],
        "other_keys_chars": head["other_keys_chars"],
        "requests": head["requests"],
        **{f"{mode}_overhead_tokens": per_mode[mode]["overhead_tokens"] for mode in modes[1:]},
        "per_mode": per_mode,
    }
    report("prompt_overhead", row)


if __name__ == "__main__":
    main()
