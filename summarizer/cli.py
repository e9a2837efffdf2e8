"""The ``summarize`` command: a thin shell over the Python API.

It parses options, calls :mod:`summarizer`, prints, and maps errors to exit codes:
0 every article succeeded, 1 some failed (the others are written), 2 usage or
configuration error. Heavy modules are imported inside the commands, so
``summarize --help`` and ``--version`` start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from summarizer import __version__
from summarizer.config import DEFAULT_MODEL, HTTP_CLIENTS, MODES, PROVIDERS, STRATEGIES, Settings
from summarizer.errors import ConfigError, InputError, SummarizerError

__all__ = ["main"]

COMMANDS = ("run", "eval", "schemas", "recordings")
D = Settings()  # the CLI's defaults are the library's


def _run_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "run",
        parents=[_common()],
        help="summarise a folder of articles (the default command)",
        description="Summarise every article under FOLDER into OUT.",
    )
    p.add_argument(
        "folder",
        metavar="INPUT",
        help="folder of .txt, .md, .html articles, one article file, or - for standard input",
    )
    p.add_argument(
        "-o",
        "--out",
        type=Path,
        help="output folder (required for a folder; a single article without it prints JSON)",
    )
    p.add_argument(
        "--glob",
        action="append",
        dest="globs",
        metavar="PATTERN",
        help="file pattern to take (repeatable; default *.txt *.md *.html *.htm)",
    )
    g = p.add_argument_group("extractor and endpoint")
    g.add_argument(
        "--provider",
        choices=PROVIDERS,
        help="openai: an LLM endpoint; rules: built in, no model (default: openai when an "
        "endpoint is configured, else rules; env SUMMARIZER_PROVIDER)",
    )
    g.add_argument(
        "--strategy",
        choices=STRATEGIES,
        default=D.strategy,
        help="candidates: code finds numbers, quotes and dates, the model labels them; "
        f"generate: the model writes every record (default {D.strategy})",
    )
    g.add_argument("--model", help=f"model name (default {DEFAULT_MODEL}; env SUMMARIZER_MODEL)")
    g.add_argument("--base-url", help="OpenAI-compatible endpoint (env OPENAI_BASE_URL)")
    g.add_argument(
        "--api-key",
        help="API key; visible to other local users in `ps`: prefer --api-key-file "
        "(default: env OPENAI_API_KEY)",
    )
    g.add_argument(
        "--api-key-file",
        type=Path,
        metavar="FILE",
        help="read the API key from FILE (env SUMMARIZER_API_KEY_FILE)",
    )
    g.add_argument(
        "--mode",
        choices=MODES,
        default=D.mode,
        help="how instructor asks for structure; local servers often need json_schema or json",
    )
    g.add_argument("--temperature", type=float, default=D.temperature)
    g.add_argument(
        "--http-client",
        choices=HTTP_CLIENTS,
        default=D.http_client,
        help="what sends the requests: aiohttp (less CPU per call) or httpx (httpx2's own "
        f"transport) (default {D.http_client})",
    )
    g.add_argument(
        "--max-tokens",
        type=int,
        help="cap on the answer's tokens (default: sized to each article, at most 4096)",
    )
    g.add_argument(
        "--context-window",
        type=int,
        metavar="TOKENS",
        help="the server's context size (llama.cpp --n_ctx): chunks and answers are sized to "
        "fit it (default: what the server reports, if it does)",
    )
    g.add_argument(
        "--timeout",
        type=float,
        default=D.timeout,
        help="seconds per request (default: 120 remote; on a local server, enough for the "
        "answer budget at 4 tokens/s)",
    )
    g.add_argument(
        "--max-retries", type=int, default=D.max_retries, help="retries of a failed request"
    )
    g.add_argument(
        "--max-reasks", type=int, default=D.max_reasks, help="re-asks after an invalid answer"
    )
    g.add_argument("--concurrency", type=int, default=D.concurrency, help="articles in flight")
    g.add_argument(
        "--max-retry-wait",
        type=float,
        default=D.max_retry_wait,
        metavar="SECONDS",
        help="longest Retry-After wait obeyed; a server asking for more stops the request "
        f"(default {D.max_retry_wait:g})",
    )
    c = p.add_argument_group("cache, record and replay")
    c.add_argument(
        "--cache-dir", type=Path, help="default: user cache dir (env SUMMARIZER_CACHE_DIR)"
    )
    c.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    c.add_argument("--refresh", action="store_true", help="ask the model again, update the cache")
    c.add_argument("--record", type=Path, metavar="DIR", help="save every exchange in DIR")
    c.add_argument("--replay", type=Path, metavar="DIR", help="answer from recordings in DIR")
    i = p.add_argument_group("input and output")
    i.add_argument("--max-chars", type=int, default=D.max_chars, help="skip longer files")
    i.add_argument(
        "--max-input-tokens",
        type=int,
        default=D.max_input_tokens,
        help="split longer articles into chunks (tokens estimated from characters)",
    )
    i.add_argument(
        "--keep-ungrounded",
        action="store_true",
        help="keep records whose evidence is not in the article in the folder brief",
    )
    i.add_argument("--prompt", default=D.prompt, help="prompt name in prompts/ or a .toml path")
    i.add_argument(
        "--follow-symlinks",
        action="store_true",
        help="read links that point outside the input folder (default: skip and report them)",
    )
    i.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty output folder that summarize did not create",
    )
    w = p.add_argument_group("scale")
    w.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes running the extraction (default: up to 4, one per core, for an LLM "
        "endpoint and 200+ files; else 1); with --executor ray, the number of Ray actors",
    )
    w.add_argument(
        "--executor",
        choices=("local", "ray"),
        default=D.executor,
        help="local: this machine; ray: a Ray cluster (pip install 'summarizer[ray]')",
    )
    w.add_argument(
        "--ray-address",
        metavar="ADDRESS",
        help="Ray cluster to join (ray://HOST:10001 or auto); default: start Ray locally",
    )


def _common() -> argparse.ArgumentParser:
    """-q and -v, accepted before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print only errors"
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log each step"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for docs and tests)."""
    parser = argparse.ArgumentParser(
        prog="summarize",
        parents=[_common()],
        description="Turn a folder of news articles into typed, grounded records.",
        epilog="`summarize FOLDER -o OUT` is short for `summarize run FOLDER -o OUT`.",
    )
    parser.add_argument("--version", action="version", version=f"summarize {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _run_parser(sub)

    e = sub.add_parser("eval", parents=[_common()], help="score predictions against gold records")
    e.add_argument("pred", type=Path, help="folder of article JSON, or records.jsonl")
    e.add_argument("gold", type=Path, help="folder of article JSON, or records.jsonl")
    e.add_argument("--json", type=Path, metavar="FILE", help="also write the scores as JSON")
    e.add_argument(
        "--min-f1",
        type=_fraction,
        metavar="X",
        help="exit 1 when any record type's F1 is below X (0 to 1)",
    )

    s = sub.add_parser("schemas", parents=[_common()], help="export the JSON Schemas to schemas/")
    s.add_argument("--dir", type=Path, help="target folder (default: the project's schemas/)")
    s.add_argument("--check", action="store_true", help="exit 1 if the files are stale")

    r = sub.add_parser(
        "recordings",
        parents=[_common()],
        help="check recordings against the current prompt and schema",
    )
    r.add_argument("folder", type=Path, help="the articles the recordings were made for")
    r.add_argument("recordings", type=Path, help="the recordings folder")
    r.add_argument("--mode", choices=MODES, default=D.mode)
    r.add_argument("--model", default=DEFAULT_MODEL)
    r.add_argument("--prompt", default="extract", help="prompt name in prompts/ or a .toml path")
    r.add_argument(
        "--strategy",
        choices=STRATEGIES,
        help="the strategy the recordings answer (default: the one they were made with, "
        f"from recorded_with or their requests' schema, else {D.strategy})",
    )
    r.add_argument(
        "--glob",
        action="append",
        dest="globs",
        metavar="PATTERN",
        help="article files to take, as for the run that recorded (repeatable; "
        "default *.txt *.md *.html *.htm)",
    )
    r.add_argument("--write", action="store_true", help="rewrite the stale request sides")
    return parser


def _fraction(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 1:  # also NaN
        raise argparse.ArgumentTypeError(f"{text} is not between 0 and 1")
    return value


def _quiet_stdout() -> None:
    """Point stdout at /dev/null: its reader is gone, and Python flushes it at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test's capture)
        pass


def _normalise_argv(argv: list[str]) -> list[str]:
    """Insert ``run`` when the first positional argument is a folder, not a command."""
    for i, arg in enumerate(argv):
        if arg in ("-h", "--help", "--version"):
            return argv
        if arg.startswith("-") and arg != "-":
            continue
        if arg in COMMANDS:
            return argv
        return [*argv[:i], "run", *argv[i:]]
    return argv


def _dispatch(args: argparse.Namespace) -> int:
    """Run the command ``args`` names; its exit code."""
    if args.command == "run":
        from summarizer._commands import run_command

        return run_command(args)
    if args.command == "eval":
        from summarizer._commands import eval_command

        return eval_command(args)
    if args.command == "schemas":
        from summarizer.schemas import export_schemas

        return export_schemas(args.dir, check=args.check)
    from summarizer._commands import recordings_command

    return recordings_command(args)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``summarize`` command; returns the exit code."""
    args_list = _normalise_argv(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    args = parser.parse_args(args_list)
    args.quiet = getattr(args, "quiet", False)
    args.verbose = getattr(args, "verbose", False)
    if args.command is None:
        parser.print_help()
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.ERROR if args.quiet else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    from summarizer.config import RedactingFilter

    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())  # no user:password@ from a URL in any log line
    if not args.verbose:
        # instructor logs every failed attempt at ERROR; our run report says it once.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)
    try:
        with _terminate_like_ctrl_c():
            code = _dispatch(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not at exit
        return code
    except BrokenPipeError:
        # The reader of our output went away (`summarize eval ... | head`): stop
        # quietly with the status of a tool ended by SIGPIPE (128 + 13).
        _quiet_stdout()
        return 141
    except (ConfigError, InputError) as exc:
        print(f"summarize: error: {exc}", file=sys.stderr)
        return 2
    except SummarizerError as exc:
        print(f"summarize: error: {exc}", file=sys.stderr)
        return 1
    except _Terminated:
        print("summarize: terminated", file=sys.stderr)
        return 128 + signal.SIGTERM
    except KeyboardInterrupt:
        print("summarize: interrupted", file=sys.stderr)
        return 130


class _Terminated(KeyboardInterrupt):
    """SIGTERM (``kill``, a job scheduler, ``timeout``), handled as ^C is."""


@contextlib.contextmanager
def _terminate_like_ctrl_c() -> Iterator[None]:
    """While the command runs, SIGTERM stops it as ^C does: the run winds down, cleans
    up its working files and child processes, and keeps what it wrote; Python's default
    would end the process on the spot. Left alone when SIGTERM is not at its default."""

    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    try:
        previous = signal.signal(signal.SIGTERM, stop)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
