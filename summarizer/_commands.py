"""Bodies of the ``summarize`` sub-commands (imported lazily by :mod:`summarizer.cli`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from summarizer.api import FolderResult, ProgressEvent, Summarizer
from summarizer.config import DEFAULT_MODEL, Settings
from summarizer.errors import InputError
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
    source = Path(args.folder)
    if args.folder == "-" or (args.out is None and source.is_file()):
        return _one_article(summarizer, args)
    if args.out is None:
        raise InputError(f"{args.folder} is a folder: give an output folder with -o OUT")
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
        result = summarizer.summarize_folder(source, args.out, globs=globs, on_progress=callback)
    finally:
        if progress is not None:
            progress.close()
    if not args.quiet:
        _print_summary(result)
    return 1 if result.run.failed else 0


def _one_article(summarizer: Summarizer, args: argparse.Namespace) -> int:
    """One article from a file or standard input: its JSON on stdout (or in ``-o``)."""
    if args.folder == "-":
        text, doc_id = sys.stdin.read(), "stdin"
    else:
        path = Path(args.folder)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read {path}: {exc}") from None
        doc_id = path.stem
    result = summarizer.summarize_text(text, id=doc_id)
    payload = result.model_dump_json(indent=2)
    if args.out is not None:
        from summarizer.outputs.files import article_path, write_text_atomic

        target = article_path(Path(args.out), doc_id)
        write_text_atomic(target, payload + "\n")
        if not args.quiet:
            print(f"output in {target}", file=sys.stderr)
    else:
        print(payload)
    return 0


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
    from summarizer.outputs.files import write_text_atomic

    report = evaluate_paths(args.pred, args.gold)
    print(render_table(report))
    if args.json is not None:
        write_text_atomic(args.json, report.model_dump_json(indent=2) + "\n")
    if args.min_f1 is not None and not report.passes(args.min_f1):
        print(f"summarize: F1 below --min-f1 {args.min_f1}", file=sys.stderr)
        return 1
    return 0


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
