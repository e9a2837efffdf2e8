"""^C stops a folder run promptly, also when no article waits for a model.

With the rules provider, or answers from the cache, no step of a run waits for
anything; ^C is an asyncio cancellation, delivered when a task next yields to the
loop, so a run that never yields only stopped at its end.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import cli_env
from .test_consolidate_background import _folder_of

N = 1200


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
)
def test_a_signal_stops_a_run_that_never_waits(
    seeds: Path, tmp_path: Path, sig: signal.Signals, code: int, said: str
) -> None:
    folder = _folder_of(seeds, N)
    out = tmp_path / "out"
    scratch = tmp_path / "tmp"  # the run's working store goes here
    scratch.mkdir()
    args = [str(folder), "-o", str(out), "--provider", "rules", "--no-cache"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "summarizer.cli", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(TMPDIR=str(scratch)),
        # As at a terminal, even when the tests themselves run with ^C ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # the run is under way once an article is done
        if " done " in line:
            break
    sent = time.monotonic()
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    stopped_after = time.monotonic() - sent
    assert proc.returncode == code, err
    assert f"summarize: {said}" in err
    written = len(list((out / "articles").rglob("*.json")))
    assert written < N / 2, f"{written} of {N} articles were still done after the signal"
    assert stopped_after < 10
    assert not (out / "brief.json").exists()  # a stopped run publishes nothing
    # It cleaned up after itself: no working store, no temporary output file.
    assert not [p.name for p in scratch.iterdir() if p.name.startswith("summarizer-")]
    assert not list(out.rglob("*.tmp"))
