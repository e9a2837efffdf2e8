"""``python -m summarizer.testing``: run the fake endpoint for benchmarks.

Prints the base URL as the first line of stdout, serves until SIGTERM, SIGINT
or ``--duration`` seconds, then writes the statistics to ``--stats FILE``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from summarizer.testing._faults import FaultPlan
from summarizer.testing._server import FakeOpenAIServer

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m summarizer.testing",
        description="Serve a fake OpenAI chat-completions endpoint on 127.0.0.1.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    p.add_argument("--model", default="fake-model", help="model listed by GET /v1/models")
    p.add_argument("--latency", type=float, default=0.0, help="seconds before each answer")
    p.add_argument("--seed", type=int, default=0, help="seed of the fault draws")
    p.add_argument("--rate-429", type=float, default=0.0, help="share of requests answered 429")
    p.add_argument(
        "--retry-after", type=float, default=0.05, help="seconds advertised on a 429 (default 0.05)"
    )
    p.add_argument(
        "--retry-after-header",
        choices=("retry-after", "retry-after-ms", "both"),
        default="retry-after",
        help="which header carries the delay",
    )
    p.add_argument("--rate-500", type=float, default=0.0, help="share answered 500")
    p.add_argument("--rate-timeout", type=float, default=0.0, help="share left hanging")
    p.add_argument(
        "--hang-seconds", type=float, default=5.0, help="how long a hanging request waits"
    )
    p.add_argument("--rate-malformed", type=float, default=0.0, help="share answered non-JSON")
    p.add_argument(
        "--rate-truncated", type=float, default=0.0, help="share cut off (finish_reason length)"
    )
    p.add_argument("--duration", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--stats", type=Path, default=None, help="write statistics JSON here on exit")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the server until a signal or ``--duration``; return the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        faults = FaultPlan(
            rate_429=args.rate_429,
            retry_after=args.retry_after,
            retry_after_header=args.retry_after_header,
            rate_500=args.rate_500,
            rate_timeout=args.rate_timeout,
            hang_seconds=args.hang_seconds,
            rate_malformed=args.rate_malformed,
            rate_truncated=args.rate_truncated,
            seed=args.seed,
        )
    except ValueError as exc:
        parser.error(str(exc))

    done = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    server = FakeOpenAIServer(
        faults=faults,
        latency=args.latency,
        host=args.host,
        port=args.port,
        model=args.model,
        keep_history=False,  # bodies add up over a benchmark; the stats log keeps digests
    )
    with server:
        print(server.base_url, flush=True)
        done.wait(args.duration)
    stats = server.stats
    if args.stats is not None:
        tmp = args.stats.with_name(args.stats.name + ".tmp")
        tmp.write_text(json.dumps(stats.to_dict(), indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, args.stats)
    counts = " ".join(f"{k}={v}" for k, v in stats.counts.items() if v)
    print(f"served {stats.requests} chat requests {counts}".rstrip(), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
