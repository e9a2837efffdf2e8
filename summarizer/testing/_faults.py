"""Fault injection and request statistics for the fake endpoint."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

__all__ = [
    "FAULTS",
    "OUTCOMES",
    "SCRIPTABLE",
    "FaultPlan",
    "Outcome",
    "RequestRecord",
    "ServerStats",
    "StatsRecorder",
]

Outcome = Literal[
    "ok",
    "429",
    "500",
    "timeout",
    "malformed",
    "truncated",
    "bad_request",
    "error",
]
"""What the server did with one chat-completion request.

``ok``, ``429``, ``500``, ``timeout``, ``malformed`` and ``truncated`` are the
outcomes a :class:`FaultPlan` chooses between; ``bad_request`` is a body the
server could not use (answered 400) and ``error`` a responder that raised
(answered 500).
"""

OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
FAULTS: tuple[Outcome, ...] = ("429", "500", "timeout", "malformed", "truncated")
SCRIPTABLE: tuple[Outcome, ...] = ("ok", *FAULTS)

RetryAfterHeader = Literal["retry-after", "retry-after-ms", "both"]


@dataclass(frozen=True, kw_only=True)
class FaultPlan:
    """How often the server misbehaves, and how.

    Each rate is the probability that one request gets that fault; the rest are
    answered normally. A draw is a uniform number derived from
    ``sha256(seed, sha256(body), n)`` where ``n`` counts earlier requests with
    the same body: a request repeated after a fault (an HTTP retry sends the
    same bytes) gets a fresh draw, so runs terminate, and the outcomes depend
    only on the seed and on which requests arrive, not on thread timing.

    * ``rate_429``: answer 429 with a ``Retry-After`` of ``retry_after`` seconds
      (``retry_after_header`` picks ``retry-after``, ``retry-after-ms`` or both;
      ``None`` sends no header).
    * ``rate_500``: answer 500 with an OpenAI-style error body.
    * ``rate_timeout``: wait ``hang_seconds`` (set it above the client's
      timeout), then drop the connection without answering.
    * ``rate_malformed``: answer 200 with a body that is not valid JSON.
    * ``rate_truncated``: answer a completion cut off mid-JSON, with
      ``finish_reason`` ``"length"``.
    """

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_timeout: float = 0.0
    rate_malformed: float = 0.0
    rate_truncated: float = 0.0
    retry_after: float | None = 0.05
    retry_after_header: RetryAfterHeader = "retry-after"
    hang_seconds: float = 5.0
    seed: int = 0

    def __post_init__(self) -> None:
        rates = self._rates()
        for name, rate in zip(FAULTS, rates, strict=True):
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"rate_{name} must be between 0 and 1, got {rate}")
        if sum(rates) > 1.0 + 1e-9:
            raise ValueError(f"fault rates add up to {sum(rates):.3f}; keep the total at most 1")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError("retry_after must be >= 0 seconds, or None for no header")
        if self.hang_seconds < 0:
            raise ValueError("hang_seconds must be >= 0")

    def _rates(self) -> tuple[float, ...]:
        return (
            self.rate_429,
            self.rate_500,
            self.rate_timeout,
            self.rate_malformed,
            self.rate_truncated,
        )

    def draw(self, body_sha256: str, repeat: int) -> Outcome:
        """Choose the outcome for the ``repeat``-th arrival of a body (0 for the first)."""
        key = f"{self.seed}:{body_sha256}:{repeat}".encode()
        u = int.from_bytes(hashlib.sha256(key).digest()[:8], "big") / 2.0**64
        threshold = 0.0
        for outcome, rate in zip(FAULTS, self._rates(), strict=True):
            threshold += rate
            if u < threshold:
                return outcome
        return "ok"

    def retry_after_headers(self) -> dict[str, str]:
        """The headers a 429 answer carries."""
        if self.retry_after is None:
            return {}
        headers: dict[str, str] = {}
        if self.retry_after_header in ("retry-after", "both"):
            headers["Retry-After"] = f"{self.retry_after:g}"
        if self.retry_after_header in ("retry-after-ms", "both"):
            headers["retry-after-ms"] = f"{self.retry_after * 1000:g}"
        return headers


@dataclass(frozen=True)
class RequestRecord:
    """One chat-completion request as the server saw it."""

    index: int
    """Arrival order, from 0."""
    time: float
    """Unix time the request body was read."""
    outcome: Outcome
    sha256: str
    """Hex digest of the raw request body."""
    duration: float
    """Seconds from reading the body to finishing the answer (or dropping it)."""
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "index": self.index,
            "time": self.time,
            "outcome": self.outcome,
            "sha256": self.sha256,
            "duration": self.duration,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
        }


@dataclass(frozen=True)
class ServerStats:
    """A snapshot of what the server has done since it started (or was reset)."""

    requests: int
    """Chat-completion requests finished (answered, refused or dropped)."""
    counts: dict[Outcome, int]
    """Requests per outcome; every outcome is present, zero if unseen."""
    prompt_tokens: int
    completion_tokens: int
    """Token counts reported in ``usage`` of the answers sent (ok and truncated)."""
    log: list[RequestRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict, the shape ``--stats FILE`` writes."""
        return {
            "requests": self.requests,
            "counts": dict(self.counts),
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "log": [record.to_dict() for record in self.log],
        }


class StatsRecorder:
    """Thread-safe store behind :attr:`FakeOpenAIServer.stats`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._arrivals = 0
        self._repeats: Counter[str] = Counter()

    def arrive(self, body_sha256: str) -> tuple[int, int]:
        """Register an arrival; return its index and how often this body came before."""
        with self._lock:
            index = self._arrivals
            self._arrivals += 1
            repeat = self._repeats[body_sha256]
            self._repeats[body_sha256] = repeat + 1
            return index, repeat

    def record(self, entry: RequestRecord) -> None:
        """Add a finished request to the log."""
        with self._lock:
            self._log.append(entry)

    def snapshot(self) -> ServerStats:
        """Copy the counters out under the lock."""
        with self._lock:
            log = sorted(self._log, key=lambda r: r.index)
        counts: dict[Outcome, int] = dict.fromkeys(OUTCOMES, 0)
        for entry in log:
            counts[entry.outcome] += 1
        return ServerStats(
            requests=len(log),
            counts=counts,
            prompt_tokens=sum(r.prompt_tokens for r in log),
            completion_tokens=sum(r.completion_tokens for r in log),
            log=log,
        )

    def reset(self) -> None:
        """Forget everything, including how often each body was seen."""
        with self._lock:
            self._log.clear()
            self._arrivals = 0
            self._repeats.clear()
