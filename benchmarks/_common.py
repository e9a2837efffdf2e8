"""Shared helpers of the benchmark scripts (not part of the package, not run by the tests).

Every benchmark starts the fake endpoint (``python -m summarizer.testing``) as a
subprocess, runs the real ``summarize`` CLI in another subprocess, measures the CLI
process with ``os.wait4`` (wall time, user+sys CPU, peak RSS), prints one result row
and writes it as JSON under ``benchmarks/results/``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BBC = (ROOT / ".." / "shared" / "corpus" / "bbc").resolve()
BBC_ARTICLES = 2225


# --------------------------------------------------------------------------- tools


def venv_bin(name: str) -> str:
    """``name`` next to the running interpreter (the venv's), else on PATH."""
    here = Path(sys.executable).parent / name
    if here.exists():
        return str(here)
    found = shutil.which(name)
    if found is None:
        sys.exit(f"benchmarks: cannot find the {name!r} command; activate the venv first")
    return found


def summarize_cmd() -> list[str]:
    return [venv_bin("summarize")]


def bench_env() -> dict[str, str]:
    """The caller's environment without OpenAI/summarizer settings that would change a run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    env.pop("SUMMARIZER_MODEL", None)
    env.pop("SUMMARIZER_CACHE_DIR", None)
    env["PYTHONHASHSEED"] = "0"
    return env


def require_bbc() -> Path:
    """The BBC corpus folder, or exit saying clearly that it is missing."""
    if not BBC.is_dir():
        sys.exit(
            f"benchmarks: the BBC corpus is missing: expected {BBC} "
            "(../shared/corpus/bbc relative to the repository, 2,225 .txt files in 5 folders). "
            "It is never copied into the repo; put it there or use a generated corpus."
        )
    n = sum(1 for _ in BBC.rglob("*.txt"))
    if n != BBC_ARTICLES:
        print(
            f"benchmarks: warning: {BBC} holds {n} .txt files, expected {BBC_ARTICLES}",
            file=sys.stderr,
        )
    return BBC


def normalised_sha(data: bytes) -> str:
    """sha256 of a file's text: UTF-8 decoded (lossless fallback latin-1), CRLF -> LF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    text = text.replace("\r\n", "\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def unique_texts(folder: Path, pattern: str = "*.txt") -> tuple[int, int]:
    """(files, distinct normalised texts) under ``folder``."""
    files = sorted(folder.rglob(pattern))
    return len(files), len({normalised_sha(p.read_bytes()) for p in files})


# --------------------------------------------------------------------------- processes


@dataclass
class Measured:
    """One child process, measured by ``os.wait4``."""

    returncode: int
    wall_s: float
    user_s: float
    sys_s: float
    maxrss_mb: float
    started_unix: float
    ended_unix: float

    @property
    def cpu_s(self) -> float:
        return self.user_s + self.sys_s


def run_measured(
    cmd: Sequence[str],
    *,
    log: Path | None = None,
    env: dict[str, str] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Measured:
    """Run ``cmd`` to completion; wall time, CPU (user+sys) and peak RSS of that process.

    ``on_start`` is called with the child's pid once it has started (to sample it).
    """
    out = open(log, "w", encoding="utf-8") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    try:
        started_unix = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), stdout=out, stderr=subprocess.STDOUT, env=env or bench_env()
        )
        if on_start is not None:
            on_start(proc.pid)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        ended_unix = time.time()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if log is not None:
            out.close()  # type: ignore[union-attr]
    return Measured(
        returncode=proc.returncode,
        wall_s=wall,
        user_s=ru.ru_utime,
        sys_s=ru.ru_stime,
        maxrss_mb=ru.ru_maxrss / 1024.0,  # KiB on Linux
        started_unix=started_unix,
        ended_unix=ended_unix,
    )


@dataclass
class Server:
    """A running ``python -m summarizer.testing``."""

    base_url: str
    proc: subprocess.Popen[str]
    stats_path: Path
    stats: dict[str, Any] = field(default_factory=dict)
    cpu_s: float = 0.0


@contextmanager
def fake_server(
    stats_path: Path,
    *,
    latency: float,
    seed: int = 1,
    extra: Sequence[str] = (),
) -> Iterator[Server]:
    """Start the fake endpoint; on exit stop it with SIGTERM and load its stats."""
    cmd = [
        sys.executable, "-m", "summarizer.testing", "--port", "0",
        "--latency", str(latency), "--seed", str(seed), "--stats", str(stats_path), *extra,
    ]  # fmt: skip
    stats_path.unlink(missing_ok=True)
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=bench_env()
    )
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if not line.startswith("http"):
        proc.kill()
        proc.wait()
        sys.exit(f"benchmarks: the fake server did not print its URL (got {line!r})")
    server = Server(line, proc, stats_path)
    try:
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            _, _, ru = os.wait4(proc.pid, 0)
            proc.returncode = 0
            server.cpu_s = ru.ru_utime + ru.ru_stime
        except ChildProcessError:
            proc.wait()
        if stats_path.exists():
            server.stats = json.loads(stats_path.read_text(encoding="utf-8"))


def wait_for_quiet(limit: float = 0.7, max_wait: float = 90.0) -> float:
    """Wait (up to ``max_wait`` s) until the 1-minute load average is under ``limit``.

    The machine may be shared: other processes skew wall times (CPU times much
    less). Returns the load average when the measurement starts; rows record it.
    """
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        time.sleep(2.0)
    return round(os.getloadavg()[0], 2)


def cli_run_args(
    folder: Path,
    out: Path,
    base_url: str,
    cache_dir: Path,
    *,
    concurrency: int,
    extra: Sequence[str] = (),
) -> list[str]:
    return [
        *summarize_cmd(), str(folder), "-o", str(out), "--base-url", base_url,
        "--api-key", "bench", "--cache-dir", str(cache_dir), "--concurrency", str(concurrency),
        *extra,
    ]  # fmt: skip


def read_run_json(out: Path) -> dict[str, Any]:
    path = out / "run.json"
    if not path.exists():
        sys.exit(f"benchmarks: the CLI wrote no {path}; see its log")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def request_timeline(
    stats: dict[str, Any], started_unix: float, ended_unix: float
) -> dict[str, float]:
    """From the server's per-request log: start-up, tail and mean requests in flight."""
    log = stats.get("log") or []
    if not log:
        return {}
    first = min(r["time"] for r in log)
    last_end = max(r["time"] + r["duration"] for r in log)
    busy = sum(r["duration"] for r in log)
    span = max(last_end - first, 1e-9)
    return {
        "to_first_request_s": round(first - started_unix, 3),
        "requests_span_s": round(span, 3),
        "after_last_answer_s": round(ended_unix - last_end, 3),
        "mean_in_flight": round(busy / span, 1),
    }


# --------------------------------------------------------------------------- corpus generator

_PLACES = ["London", "Manchester", "Edinburgh", "Cardiff", "Belfast", "Paris", "Berlin", "Madrid",
           "Rome", "Tokyo", "Beijing", "Mumbai", "Sydney", "Toronto", "New York", "Washington",
           "Brussels", "Geneva", "Lagos", "Nairobi", "Sao Paulo", "Mexico City", "Seoul", "Dublin"]  # fmt: skip
_FIRST = ["James", "Sarah", "David", "Emma", "Michael", "Laura", "Peter", "Helen", "John", "Anna",
          "Richard", "Claire", "Thomas", "Rachel", "Mark", "Sophie", "Paul", "Kate", "Simon", "Lucy"]  # fmt: skip
_LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker",
         "Wright", "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood"]  # fmt: skip
_ORGS = ["the Bank of England", "the Treasury", "the European Commission", "the IMF", "Ofcom",
         "the Football Association", "Microsoft", "Sony", "BP", "Vodafone", "the BBC", "Unilever",
         "the Office for National Statistics", "the World Health Organization", "Tesco", "Nissan"]  # fmt: skip
_TOPICS = {
    "business": ["profits", "sales", "shares", "interest rates", "inflation", "exports", "jobs",
                 "the takeover", "the merger", "consumer spending", "house prices", "oil prices"],
    "politics": ["the election", "the bill", "the budget", "the inquiry", "immigration", "taxes",
                 "the referendum", "public services", "the reforms", "the manifesto"],
    "sport": ["the match", "the final", "the season", "the transfer", "the championship",
              "the tournament", "the title race", "the injury", "the record"],
    "tech": ["broadband", "the handset", "the software", "online games", "the search engine",
             "mobile phones", "the network", "digital music", "the chip", "security flaws"],
    "entertainment": ["the film", "the album", "the festival", "the award", "the box office",
                      "the tour", "the series", "the premiere", "the musical"],
}  # fmt: skip
_VERBS = ["rose", "fell", "climbed", "dropped", "increased", "slipped", "jumped", "edged up"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]  # fmt: skip
_FILLER = [
    "Analysts said the figures were broadly in line with expectations.",
    "The move had been widely expected in the City.",
    "Critics said the plans did not go far enough.",
    "Officials declined to comment on the details.",
    "The announcement comes after months of speculation.",
    "Talks are expected to continue next week.",
    "The decision was welcomed by campaigners.",
    "It is the first time such a step has been taken.",
    "Supporters say the change will benefit consumers.",
    "Opposition parties called for an urgent review.",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def _sentence(rng: random.Random, topic: str, i: int) -> str:
    kind = rng.randrange(7)
    year = rng.randint(1998, 2005)
    if kind == 0:
        return (
            f"{topic.capitalize()} {rng.choice(_VERBS)} by {rng.randint(1, 40)}.{rng.randint(0, 9)}% "
            f"in the year to {rng.choice(_MONTHS)}, according to {rng.choice(_ORGS)}."
        )
    if kind == 1:
        return (
            f"{rng.choice(_ORGS).capitalize()} said it would spend £{rng.randint(2, 900)}m on "
            f"{topic} over the next {rng.randint(2, 10)} years."
        )
    if kind == 2:
        return (
            f'"We are confident that {topic} will recover in {year}," said {_person(rng)}, '
            f"chief executive of {rng.choice(_ORGS)}."
        )
    if kind == 3:
        return (
            f"On {rng.randint(1, 28)} {rng.choice(_MONTHS)} {year}, about {rng.randint(2, 95) * 1000:,} "
            f"people in {rng.choice(_PLACES)} were affected by {topic}."
        )
    if kind == 4:
        return (
            f"The figure compares with ${rng.randint(1, 99)}.{rng.randint(1, 9)}bn a year earlier, "
            f"when {topic} {rng.choice(_VERBS)} sharply."
        )
    if kind == 5:
        return f'{_person(rng)} told the BBC that {topic} remained "a real concern" for {rng.choice(_PLACES)}.'
    return rng.choice(_FILLER)


def generate_article(rng: random.Random, category: str, index: int) -> str:
    """A realistic-ish news article of ~1.5-3.5k characters; unique per (seed, index)."""
    topic = rng.choice(_TOPICS[category])
    place = rng.choice(_PLACES)
    head = f"{topic.capitalize()} {rng.choice(_VERBS)} in {place} as {rng.choice(_ORGS)} acts ({index})"
    paras = []
    for p in range(rng.randint(5, 10)):
        n = rng.randint(2, 4)
        paras.append(" ".join(_sentence(rng, topic, p * 10 + s) for s in range(n)))
    return head + "\n\n" + "\n\n".join(paras) + "\n"


def generate_corpus(folder: Path, count: int, seed: int) -> Path:
    """Write ``count`` generated articles under ``folder/<category>/NNNNNN.txt``, deterministically."""
    rng = random.Random(seed)
    categories = sorted(_TOPICS)
    for i in range(count):
        cat = categories[i % len(categories)]
        d = folder / cat
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{i:06d}.txt").write_text(generate_article(rng, cat, i), encoding="utf-8")
    return folder


@contextmanager
def workdir(name: str, keep: bool = False) -> Iterator[Path]:
    """A fresh temporary folder (removed afterwards unless ``keep``)."""
    path = Path(tempfile.mkdtemp(prefix=f"summarizer-bench-{name}-"))
    try:
        yield path
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "ram_gb": mem_gb,
        "python": platform.python_version(),
        "os": platform.platform(),
        "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def git_revision() -> str:
    """Short commit of the package under test, ``+dirty`` when its files have local changes."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "summarizer", "prompts", "pyproject.toml"],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return rev + ("+dirty" if dirty else "")


def report(name: str, row: dict[str, Any], *, columns: Sequence[str] | None = None) -> None:
    """Print the row (aligned ``key=value`` and JSON) and save it to ``results/<name>.json``."""
    row = {"benchmark": name, "date": _dt.date.today().isoformat(), "commit": git_revision(), **row}
    keys = list(columns) if columns else [k for k in row if not isinstance(row[k], (dict, list))]
    RESULTS.mkdir(parents=True, exist_ok=True)
    full = {**row, "machine": machine()}
    (RESULTS / f"{name}.json").write_text(json.dumps(full, indent=2) + "\n", encoding="utf-8")
    print(" | ".join(f"{k}={row.get(k)}" for k in keys))
    print("JSON " + json.dumps(row, sort_keys=False), flush=True)


def verdict(value: float, target: float, *, lower_is_better: bool = True) -> str:
    ok = value <= target if lower_is_better else value >= target
    return "PASS" if ok else "MISS"
