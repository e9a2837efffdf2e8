"""Bodies of the ``summarize`` sub-commands (imported lazily by :mod:`summarizer.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from summarizer.api import FolderResult, ProgressEvent, Summarizer
from summarizer.config import DEFAULT_MODEL, Settings
from summarizer.errors import ConfigError, InputError
from summarizer.load.documents import DEFAULT_GLOBS

__all__ = ["eval_command", "recordings_command", "run_command"]


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Map the ``run`` options onto :class:`Settings`."""
    return Settings(
        provider=args.provider,
        model=args.model or DEFAULT_MODEL,
        base_url=args.base_url,
        api_key=args.api_key,
        api_key_file=args.api_key_file,
        mode=args.mode,
        temperature=args.temperature,
        max_tokens=args.max_tokens,
        timeout=args.timeout,
        max_retries=args.max_retries,
        max_reasks=args.max_reasks,
        concurrency=args.concurrency,
        max_retry_wait=args.max_retry_wait,
        cache_dir=args.cache_dir,
        use_cache=not args.no_cache,
        refresh=args.refresh,
        record=args.record,
        replay=args.replay,
        max_chars=args.max_chars,
        max_input_tokens=args.max_input_tokens,
        context_window=args.context_window,
        keep_ungrounded=args.keep_ungrounded,
        prompt=args.prompt,
        strategy=args.strategy,
        http_client=args.http_client,
        follow_symlinks=args.follow_symlinks,
        force=args.force,
        workers=args.workers,
        executor=args.executor,
        ray_address=args.ray_address,
    )


class _PlainProgress:
    """One line per article, for logs and pipes."""

    def __call__(self, event: ProgressEvent) -> None:
        r = event.report
        finished = r.succeeded + len(r.failed) + len(r.skipped)
        print(f"[{finished}/{event.total}] {event.kind:7} {event.doc_id}", file=sys.stderr)

    def close(self) -> None:
        pass


class _BarProgress:
    """A live bar on a terminal: done, cached, failed, tokens."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._progress = Progress(
            TextColumn("[bold]summarize"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
            TimeElapsedColumn(),
            transient=False,
        )
        self._task = self._progress.add_task("run", total=total, detail="")
        self._progress.start()

    def __call__(self, event: ProgressEvent) -> None:
        r = event.report
        finished = r.succeeded + len(r.failed) + len(r.skipped)
        detail = (
            f"cached {r.cache_hits}  failed {len(r.failed)}  skipped {len(r.skipped)}  "
            f"tokens {r.prompt_tokens + r.completion_tokens:,}"
        )
        self._progress.update(self._task, total=event.total, completed=finished, detail=detail)

    def close(self) -> None:
        self._progress.stop()


def run_command(args: argparse.Namespace) -> int:
    """``summarize run``: summarise a folder (or one file, or stdin); 0 all succeeded."""
    settings = settings_from_args(args)
    source = Path(args.folder)
    if args.folder != "-" and not source.exists():
        raise InputError(f"{args.folder} does not exist")
    if args.folder != "-" and args.out is None and source.is_dir():
        raise InputError(f"{args.folder} is a folder: give an output folder with -o OUT")
    if args.folder == "-" and sys.stdin is None:
        raise InputError("standard input is closed; pipe an article into `summarize -`")
    summarizer = Summarizer(settings)
    if (
        not args.quiet
        and summarizer.settings.provider is None
        and summarizer.extractor.name == "rules"
    ):
        print(
            "summarize: no LLM endpoint configured: using the built-in rules extractor "
            "(no model; --provider openai with --base-url or OPENAI_API_KEY for an LLM)",
            file=sys.stderr,
        )
    if args.out is None:
        # One article, its JSON on stdout; loaded as a folder run loads it.
        if args.folder == "-":
            result = summarizer.summarize_stream(sys.stdin.buffer)
        else:
            result = summarizer.summarize_file(source)
        print(result.model_dump_json(indent=2))
        return 0
    if args.folder == "-":
        # Standard input into a folder: the folder run of one file (same rules, outputs).
        done = summarizer.summarize_stream_to(sys.stdin.buffer, args.out)
        if not args.quiet:
            _print_summary(done)
        return 1 if done.run.failed else 0
    globs = tuple(args.globs) if args.globs else DEFAULT_GLOBS
    progress: Any = None
    if not args.quiet:
        progress = _BarProgress(0) if sys.stderr.isatty() else _PlainProgress()
    callback = progress
    if isinstance(progress, _BarProgress):

        def callback(event: ProgressEvent) -> None:
            progress._progress.update(progress._task, total=event.total)
            progress(event)

    try:
        done = summarizer.summarize_folder(source, args.out, globs=globs, on_progress=callback)
    finally:
        if progress is not None:
            progress.close()
    if not args.quiet:
        _print_summary(done)
    return 1 if done.run.failed else 0


def _print_summary(result: FolderResult) -> None:
    r = result.run
    print(
        f"{r.documents} documents: {r.succeeded} succeeded ({r.cache_hits} from cache, "
        f"{r.duplicates} duplicates), {len(r.failed)} failed, {len(r.skipped)} skipped",
        file=sys.stderr,
    )
    print(
        f"{r.llm_calls} LLM calls, {r.retries} retries, {r.reasks} re-asks, "
        f"{r.prompt_tokens:,} prompt + {r.completion_tokens:,} completion tokens, "
        f"{r.wall_seconds:.1f}s",
        file=sys.stderr,
    )
    for item in r.failed:
        print(f"  failed  {item.id}: {item.reason}", file=sys.stderr)
    for item in r.skipped:
        print(f"  skipped {item.id}: {item.reason}", file=sys.stderr)
    if result.out is not None:
        print(f"outputs in {result.out}", file=sys.stderr)


def eval_command(args: argparse.Namespace) -> int:
    """``summarize eval``: print scores; 1 when below ``--min-f1``."""
    from summarizer.evaluate import evaluate_paths, render_table
    from summarizer.outputs.files import output_error, write_text_atomic

    if args.json is not None:
        _check_json_target(args.json)  # before scoring, which may take a while
    report = evaluate_paths(args.pred, args.gold)
    scored = {a.doc_id for a in report.articles} - set(report.missing_in_pred)
    if not scored:
        missing, extra = report.missing_in_pred, report.extra_in_pred
        raise InputError(
            f"no article of {args.pred} is in {args.gold}: their document ids differ "
            f"(gold: {_some(missing)}; pred: {_some(extra)}); are these the right folders?"
        )
    print(render_table(report))
    if args.json is not None:
        try:
            write_text_atomic(args.json, report.model_dump_json(indent=2) + "\n")
        except OSError as exc:
            raise output_error(args.json, exc) from exc
    if args.min_f1 is not None and not report.passes(args.min_f1):
        print(f"summarize: F1 below --min-f1 {args.min_f1}", file=sys.stderr)
        return 1
    return 0


def _check_json_target(path: Path) -> None:
    """:class:`ConfigError` when ``--json FILE`` cannot be a file (a folder, no folder for it)."""
    if path.is_dir():
        raise ConfigError(f"--json {path} is a folder; give a file name")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ConfigError(f"--json {path}: {folder} {what}")


def _some(ids: list[str], shown: int = 3) -> str:
    """A few of ``ids``, for a message."""
    if not ids:
        return "none"
    more = f" and {len(ids) - shown} more" if len(ids) > shown else ""
    return ", ".join(ids[:shown]) + more


def recordings_command(args: argparse.Namespace) -> int:
    """``summarize recordings``: say which recordings no longer match their requests."""
    from summarizer.api import check_recordings

    check = check_recordings(
        args.folder,
        args.recordings,
        model=args.model,
        mode=args.mode,
        prompt=args.prompt,
        strategy=args.strategy,
        write=args.write,
        globs=tuple(args.globs) if args.globs else DEFAULT_GLOBS,
    )
    report = check.report
    print(f"{len(report.matched)} requests matched a recording")
    for name in report.stale:
        print(f"stale   {name}: the request changed (prompt, schema or settings)")
    for key in report.missing:
        print(f"missing {key}: no recording for this request")
    for name in report.unused:
        print(f"unused  {name}")
    for item in check.failed:
        print(f"failed  {item.id}: {item.reason}")
    if check.rewritten:
        print(f"rewrote the request side of {len(check.rewritten)} recordings")
        return 1 if report.missing else 0
    return 0 if report.ok else 1
