"""Benchmark 7: client CPU per LLM call (instructor -> openai -> httpx2 -> our transports).

Runs ``LLMExtractor.extract`` in this process on N BBC articles (seeds when the corpus
is missing) against the fake endpoint at latency 0 (a subprocess, so its CPU is not
counted), ``--concurrency`` at a time, after a warm-up that pays the imports and the
schema caches. Reports this process's CPU (user+sys) per call for the extraction path
alone: no grounding, cache or output writing. Also reports the import of the LLM stack
and the first call (what a run pays before its first request).

    python benchmarks/bench_client_overhead.py [--calls 400] [--concurrency 16]
        [--mode tools] [--strategy generate] [--profile prof.txt]

``--profile FILE`` writes cProfile's top functions (cumulative) for the measured calls.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import hashlib
import io
import pstats
import resource
import time
from pathlib import Path

from _common import BBC, ROOT, fake_server, report, wait_for_quiet, workdir


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _texts(limit: int) -> list[tuple[str, str]]:
    files = sorted(BBC.rglob("*.txt"))[:limit] if BBC.is_dir() else []
    if not files:
        files = sorted((ROOT / "seeds").rglob("*.txt"))
    out = [(p.stem, p.read_text(encoding="utf-8", errors="replace")) for p in files]
    while len(out) < limit:  # few files: repeat them (no client cache in this path)
        out += out[: limit - len(out)]
    return out


async def _run(extractor: object, articles: list[object], concurrency: int) -> int:
    from summarizer.extract.llm import LLMExtractor

    assert isinstance(extractor, LLMExtractor)
    gate = asyncio.Semaphore(concurrency)
    calls = 0

    async def one(article: object) -> None:
        nonlocal calls
        async with gate:
            got = await extractor.extract(article)  # type: ignore[arg-type]
            calls += got.calls.llm_calls

    await asyncio.gather(*(one(a) for a in articles))
    return calls


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--calls", type=int, default=400, help="articles in the measured batch")
    p.add_argument("--warmup", type=int, default=32)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--mode", default="tools")
    p.add_argument("--strategy", default="generate")
    p.add_argument("--profile", type=Path, default=None)
    args = p.parse_args()

    t0 = time.perf_counter()
    from summarizer.config import Settings
    from summarizer.extract.llm import LLMExtractor
    from summarizer.load.documents import Article

    import_pipeline_s = time.perf_counter() - t0
    texts = _texts(args.warmup + args.calls)
    articles = [
        Article(
            id=f"{i:05d}-{name}",
            path=f"{name}.txt",
            text=text,
            sha256=hashlib.sha256(text.encode()).hexdigest(),
        )
        for i, (name, text) in enumerate(texts)
    ]
    with workdir("client_overhead") as tmp, fake_server(tmp / "stats.json", latency=0.0) as server:
        settings = Settings(
            base_url=server.base_url,
            api_key="bench",
            mode=args.mode,  # type: ignore[arg-type]
            strategy=args.strategy,
            concurrency=args.concurrency,
        )
        load = wait_for_quiet()

        async def session() -> dict[str, float]:
            extractor = LLMExtractor(settings)
            t1, c1 = time.perf_counter(), _cpu()
            await extractor.extract(articles[0])
            first = {"first_call_s": time.perf_counter() - t1, "first_call_cpu_s": _cpu() - c1}
            await _run(extractor, articles[1 : args.warmup], args.concurrency)
            prof = cProfile.Profile() if args.profile else None
            t2, c2 = time.perf_counter(), _cpu()
            if prof is not None:
                prof.enable()
            calls = await _run(extractor, articles[args.warmup :], args.concurrency)
            if prof is not None:
                prof.disable()
                buf = io.StringIO()
                pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(60)
                assert args.profile is not None
                args.profile.write_text(buf.getvalue(), encoding="utf-8")
            cpu, wall = _cpu() - c2, time.perf_counter() - t2
            await extractor.aclose()
            return {**first, "calls": calls, "cpu_s": cpu, "wall_s": wall}

        got = asyncio.run(session())
    row = {
        "mode": args.mode,
        "strategy": args.strategy,
        "concurrency": args.concurrency,
        "calls": int(got["calls"]),
        "cpu_ms_per_call": round(1000 * got["cpu_s"] / max(got["calls"], 1), 2),
        "wall_ms_per_call": round(1000 * got["wall_s"] / max(got["calls"], 1), 2),
        "first_call_s": round(got["first_call_s"], 3),
        "first_call_cpu_s": round(got["first_call_cpu_s"], 3),
        "import_pipeline_s": round(import_pipeline_s, 3),
        "server_cpu_s": round(server.cpu_s, 2),
        "loadavg_at_start": load,
        "profiled": bool(args.profile),
    }
    report("client_overhead", row)


if __name__ == "__main__":
    main()
