"""Settings for a run: endpoint, model, limits, cache, record and replay.

Keys: the API key comes from ``api_key`` (``--api-key``, visible to every local
user in ``ps``), else from the file ``api_key_file`` (``--api-key-file``), else the
file named by ``$SUMMARIZER_API_KEY_FILE``, else ``$OPENAI_API_KEY``. It is never
written anywhere. Base URLs may carry ``user:password@``; :func:`redact` removes
it from anything shown (logs, messages, provenance).
"""

from __future__ import annotations

import difflib
import logging
import math
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from summarizer.errors import ConfigError

__all__ = [
    "DEFAULT_MAX_RETRY_WAIT",
    "DEFAULT_MODEL",
    "HTTP_CLIENTS",
    "MODES",
    "STRATEGIES",
    "RedactingFilter",
    "Settings",
    "check_option_names",
    "read_api_key_file",
    "redact",
]

log = logging.getLogger("summarizer")

Mode = Literal["tools", "json", "json_schema", "md_json"]
MODES: tuple[Mode, ...] = ("tools", "json", "json_schema", "md_json")
PROVIDERS: tuple[str, ...] = ("openai", "rules")
EXECUTORS: tuple[str, ...] = ("local", "ray")
# How the openai provider asks: "candidates" (code finds numbers, quotes and dates, the
# model labels them) or "generate" (the model writes every record). See extract/llm.py.
STRATEGIES: tuple[str, ...] = ("candidates", "generate")
# What sends the requests under the openai client: aiohttp (less CPU per call, see
# extract/_aiohttp.py) or httpx2's own transport.
HTTP_CLIENTS: tuple[str, ...] = ("aiohttp", "httpx")
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_MAX_RETRY_WAIT = 60.0
KEY_FILE_ENV = "SUMMARIZER_API_KEY_FILE"

# scheme://user:password@host -> scheme://***@host, in URLs anywhere in a text.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")


def redact(text: str) -> str:
    """``text`` with the ``user:password@`` part of every URL in it replaced by ``***@``."""
    return _USERINFO.sub(r"\1***@", text)


class RedactingFilter(logging.Filter):
    """A logging filter that passes every record through :func:`redact`."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def read_api_key_file(path: Path) -> str:
    """The key in ``path`` (first line, stripped); :class:`ConfigError` when unusable.

    A file other users can read is used, with a warning.
    """
    path = Path(path).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise ConfigError(f"cannot read the API key file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"the API key file {path} is not UTF-8 text") from None
    lines = text.strip().splitlines()
    key = lines[0].strip() if lines else ""
    if not key:
        raise ConfigError(f"the API key file {path} is empty")
    if mode & 0o077:
        log.warning("the API key file %s can be read by other users; chmod 600 it", path)
    return key


# Numeric options, for the type check of options passed from Python.
_WHOLE_NUMBERS = frozenset(
    {
        "max_tokens",
        "max_retries",
        "max_reasks",
        "concurrency",
        "max_chars",
        "max_input_tokens",
        "context_window",
        "chunk_overlap_chars",
        "workers",
    }
)
_NUMBERS = _WHOLE_NUMBERS | {"temperature", "timeout", "max_retry_seconds", "max_retry_wait"}


def _is_number(value: object, name: str) -> bool:
    if isinstance(value, bool):
        return False
    if name in _WHOLE_NUMBERS:
        return isinstance(value, int)
    return isinstance(value, int | float)


NO_ENDPOINT = """no LLM endpoint is configured. Configure one of:
  - OpenAI: export OPENAI_API_KEY=sk-...
  - any OpenAI-compatible server (Ollama, vLLM, llama.cpp, Azure):
      --base-url http://localhost:11434/v1 --model llama3.1 (or export OPENAI_BASE_URL)
  - offline: --replay fixtures/recordings (answers recorded earlier)"""


@dataclass(frozen=True)
class Settings:
    """Everything that shapes a run. Defaults match the CLI's.

    A misspelt field is a :class:`ConfigError` naming the closest one, as a wrong value is.
    """

    provider: str | None = None
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    api_key_file: Path | None = None
    mode: Mode = "tools"
    temperature: float | None = 0.0
    max_tokens: int | None = None
    timeout: float | None = None  # per request; None: sized to the request and the host
    max_retries: int = 5
    max_retry_seconds: float = 300.0
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT  # longest Retry-After obeyed
    max_reasks: int = 2
    concurrency: int = 8
    cache_dir: Path | None = None
    use_cache: bool = True
    refresh: bool = False
    record: Path | None = None
    replay: Path | None = None
    max_chars: int = 200_000
    max_input_tokens: int = 12_000
    context_window: int | None = None  # server context in tokens; None: detected if reported
    chunk_overlap_chars: int = 400
    keep_ungrounded: bool = False
    prompt: str = "extract"
    strategy: str = "candidates"  # one of STRATEGIES; see README "Strategies"
    http_client: str = "aiohttp"  # one of HTTP_CLIENTS: what sends the requests
    follow_symlinks: bool = False  # read links to files outside the input folder
    force: bool = False  # write into a non-empty folder this tool did not create
    workers: int | None = None  # processes running engines; None: run.workers.default_workers
    executor: str = "local"  # "local" (this machine) or "ray" (extra `ray`)
    ray_address: str | None = None  # a running Ray cluster; None: start Ray in this process

    def __new__(cls, *args: Any, **kwargs: Any) -> Settings:
        # Before the dataclass __init__, whose TypeError ("unexpected keyword argument")
        # would name no valid field. dataclasses.replace() comes through here too.
        check_option_names(kwargs)
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            # Options from Python, not argparse: a string where a number belongs would
            # otherwise fail as a TypeError in a comparison below or deep in a run.
            if f.name in _NUMBERS and value is not None and not _is_number(value, f.name):
                kind = "a whole number" if f.name in _WHOLE_NUMBERS else "a number"
                raise ConfigError(f"{f.name} must be {kind}, not {value!r}")
        if self.mode not in MODES:
            raise ConfigError(f"unknown mode {self.mode!r}; choose one of {', '.join(MODES)}")
        for name in ("concurrency", "max_chars", "max_input_tokens"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', '-')} must be at least 1")
        for name in ("max_retries", "max_reasks", "chunk_overlap_chars"):
            if getattr(self, name) < 0:
                raise ConfigError(f"{name.replace('_', '-')} must not be negative")
        if self.timeout is not None and not 0 < self.timeout < math.inf:
            raise ConfigError("timeout must be a positive number of seconds")
        if self.max_tokens is not None and self.max_tokens < 1:
            raise ConfigError(f"max-tokens must be at least 1, not {self.max_tokens}")
        if self.temperature is not None and not 0 <= self.temperature < math.inf:
            raise ConfigError(f"temperature must be 0 or more, not {self.temperature}")
        if self.context_window is not None and self.context_window < 1:
            raise ConfigError("context-window must be at least 1")
        if not self.max_retry_wait >= 0:  # also NaN
            raise ConfigError("max-retry-wait must not be negative")
        if self.provider is not None and self.provider not in PROVIDERS:
            raise ConfigError(
                f"unknown provider {self.provider!r}; choose one of {', '.join(PROVIDERS)}"
            )
        if self.strategy not in STRATEGIES:
            raise ConfigError(
                f"unknown strategy {self.strategy!r}; choose one of {', '.join(STRATEGIES)}"
            )
        if self.http_client not in HTTP_CLIENTS:
            raise ConfigError(
                f"unknown HTTP client {self.http_client!r}; choose one of {', '.join(HTTP_CLIENTS)}"
            )
        if self.workers is not None and self.workers < 1:
            raise ConfigError("workers must be at least 1")
        if self.executor not in EXECUTORS:
            raise ConfigError(
                f"unknown executor {self.executor!r}; choose one of {', '.join(EXECUTORS)}"
            )
        if self.record and self.replay:
            raise ConfigError("--record and --replay cannot be used together")

    def check_paths(self) -> None:
        """Raise :class:`ConfigError` when ``record`` or ``replay`` cannot be the folder it names.

        ``replay`` must be an existing folder; ``record`` a folder, or a path where one
        can be made (no file in the way). Run before the first article, so that a wrong
        path stops the run with one message instead of failing every article alike.
        """
        if self.replay is not None and not Path(self.replay).is_dir():
            what = "is not a folder" if Path(self.replay).exists() else "does not exist"
            raise ConfigError(f"--replay {self.replay} {what}; give the folder of recordings")
        if self.record is not None:
            for place in (Path(self.record), *Path(self.record).parents):
                if place.exists() or place.is_symlink():
                    if not place.is_dir():
                        raise ConfigError(
                            f"--record {self.record}: {place} is a file, not a folder; "
                            "give a folder for the recordings"
                        )
                    break

    def with_env(self) -> Settings:
        """Fill what is unset from the environment.

        ``OPENAI_API_KEY``, ``OPENAI_BASE_URL``, ``SUMMARIZER_MODEL`` (when the model is
        the default) and ``SUMMARIZER_PROVIDER``. The key: ``api_key``, else the file
        ``api_key_file``, else the file named by ``$SUMMARIZER_API_KEY_FILE``, else
        ``$OPENAI_API_KEY``.
        """
        changes: dict[str, Any] = {}
        if self.model == DEFAULT_MODEL and os.environ.get("SUMMARIZER_MODEL"):
            changes["model"] = os.environ["SUMMARIZER_MODEL"]
        if self.provider is None and os.environ.get("SUMMARIZER_PROVIDER"):
            changes["provider"] = os.environ["SUMMARIZER_PROVIDER"]
        if self.api_key is None:
            key_file = self.api_key_file or os.environ.get(KEY_FILE_ENV) or None
            if key_file:
                changes["api_key"] = read_api_key_file(Path(key_file))
            elif os.environ.get("OPENAI_API_KEY"):
                changes["api_key"] = os.environ["OPENAI_API_KEY"]
        if self.base_url is None and os.environ.get("OPENAI_BASE_URL"):
            changes["base_url"] = os.environ["OPENAI_BASE_URL"]
        return replace(self, **changes) if changes else self

    @property
    def endpoint_configured(self) -> bool:
        """Whether any endpoint option (key, base URL, replay) is set."""
        return not (self.replay is None and self.api_key is None and self.base_url is None)

    @property
    def effective_provider(self) -> str:
        """``provider`` if named; else ``openai`` when an endpoint is configured, else ``rules``."""
        if self.provider is not None:
            return self.provider
        return "openai" if self.endpoint_configured else "rules"

    def check_endpoint(self) -> None:
        """Raise :class:`ConfigError` listing the ways to configure one when there is none."""
        if not self.endpoint_configured:
            raise ConfigError(NO_ENDPOINT)

    @property
    def effective_base_url(self) -> str:
        """The base URL requests go to (OpenAI's when none is set)."""
        return (self.base_url or DEFAULT_BASE_URL).rstrip("/")

    @property
    def shown_base_url(self) -> str:
        """The base URL for messages and logs, without ``user:password@``."""
        return redact(self.effective_base_url)

    @property
    def endpoint_host(self) -> str | None:
        """Host (and port) of the endpoint, for provenance; never credentials.

        With ``replay``, ``replay:<folder>``: those answers came from recordings.
        """
        if self.replay is not None:
            return redact(f"replay:{self.replay}")
        parts = urlsplit(self.effective_base_url)
        host = parts.hostname or None
        return f"{host}:{parts.port}" if host and parts.port else host

    def sampling(self) -> dict[str, Any]:
        """Sampling parameters sent with every request (and hashed into cache keys)."""
        params: dict[str, Any] = {}
        if self.temperature is not None:
            params["temperature"] = self.temperature
        if self.max_tokens is not None:
            params["max_tokens"] = self.max_tokens
        return params


def check_option_names(names: Iterable[str]) -> None:
    """Raise :class:`ConfigError` for a name that is not a field of :class:`Settings`.

    The message names the closest field ("unknown option 'no_cache'; did you mean
    use_cache?"), for options given from Python (``Settings(...)``, ``Summarizer(...)``).
    """
    valid = [f.name for f in fields(Settings)]
    for name in names:
        if name not in valid:
            close = difflib.get_close_matches(name, valid, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise ConfigError(
                f"unknown option {name!r}{hint} (the options are the fields of "
                "summarizer.config.Settings)"
            )
