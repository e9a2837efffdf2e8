"""Exceptions raised by summarizer.

Every error the library raises on purpose derives from :class:`SummarizerError`::

    SummarizerError
    ├── ConfigError          bad options or no endpoint configured (CLI exit 2)
    ├── InputError           a missing folder, no matching files, an unreadable article
    ├── OutputError          the output folder cannot be written (read-only, full disk)
    ├── ExtractionError      the model could not produce valid records for an article
    │   └── EndpointError    the endpoint failed after all retries (wraps ``original``)
    │       └── FatalEndpointError  an error no retry will change (wrong key, unknown
    │                               model, not an API); also a ConfigError: it stops a run
    └── ReplayMissError      replay found no recording for a request (names its key)

Messages say what to do next.
"""

from __future__ import annotations

__all__ = [
    "ConfigError",
    "EndpointError",
    "ExtractionError",
    "FatalEndpointError",
    "InputError",
    "OutputError",
    "ReplayMissError",
    "SummarizerError",
]


class SummarizerError(Exception):
    """Root of every error summarizer raises on purpose."""

    #: What the failed work cost (a :class:`summarizer.records.CallCounts`), when known.
    calls: object | None = None


class ConfigError(SummarizerError):
    """The options or environment do not describe a usable setup."""


class InputError(SummarizerError):
    """An input folder or article cannot be used."""


class OutputError(SummarizerError):
    """The output folder cannot be written (read-only, not a folder, disk full)."""


class ExtractionError(SummarizerError):
    """The model did not produce valid records for an article.

    ``partial`` holds the raw text of an answer cut off at ``max_tokens``, whose
    complete records can still be salvaged.
    """

    def __init__(
        self, message: str, *, original: BaseException | None = None, partial: str | None = None
    ) -> None:
        super().__init__(message)
        self.original = original
        self.partial = partial


class EndpointError(ExtractionError):
    """The endpoint kept failing (HTTP status, timeout, connection) after all retries."""


class ReplayMissError(SummarizerError):
    """Replay mode met a request that has no recording."""

    def __init__(self, key: str, directory: str, *, hint: str = "") -> None:
        super().__init__(
            f"no recording for request {key} in {directory}{hint}; record it against a "
            f"real endpoint with `summarize FOLDER --record {directory}`"
        )
        self.key = key
        self.directory = directory


class FatalEndpointError(EndpointError, ConfigError):
    """The endpoint refuses in a way no retry or other article will change.

    A wrong API key (401/403), an unknown model or path (404), an HTML page where
    JSON was expected, a ``Retry-After`` longer than allowed. A folder run stops at
    the first one (CLI exit 2) instead of failing every article the same way.
    """
