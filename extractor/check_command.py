"""``tutorcheck check``: the command. It parses nothing (extractor.cli does) and decides
nothing (the plan does): it loads the targets, picks this shard's articles, makes each
article's plan once, runs them through the harness with the sandbox's runner, shows progress,
and on Ctrl-C, SIGTERM or a crash has the sandbox's reaper remove this run's containers.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from extractor import history
from extractor.cache import DEFAULT_DIR
from extractor.config import Config, configured_sources, excluded, load_config
from extractor.display import terminal
from extractor.errors import ExtractorError, UsageError
from extractor.harness import (
    CheckSetup,
    OnResult,
    Plans,
    Shard,
    exit_status,
    run_check,
    sandbox_fingerprint,
    sandbox_runner,
    select_shard,
)
from extractor.model import Tutorial
from extractor.options import (
    DEFAULT_ARTICLE_TIMEOUT_S,
    DEFAULT_STEP_TIMEOUT_S,
    RunOptions,
    network_options,
    parse_env,
)
from extractor.reports import ReportPaths, article_line
from extractor.results import ArticleResult
from extractor.shards import shard_meta
from extractor.targets import load_targets
from extractor.writer import ensure_writable


@contextmanager
def cleanup_on_exit() -> Iterator[None]:
    """On Ctrl-C, SIGTERM or a crash: remove our containers (their runs then end)."""
    try:
        yield
    except BaseException:
        from extractor.sandbox.reaper import remove_owned_containers

        try:
            removed = remove_owned_containers()
        except ExtractorError as e:  # no engine: nothing of ours can be running
            print(f"tutorcheck: {e}", file=sys.stderr)
            removed = 0
        if removed:
            print(f"tutorcheck: removed {removed} sandbox container(s)", file=sys.stderr)
        raise


def read_kubeconfig(path: str | None) -> str:
    """The text of ``--kubeconfig FILE`` ("" without one); an unreadable file is a usage error."""
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise UsageError("--kubeconfig", f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from e


def check_command(args: Any) -> int:
    """``tutorcheck check`` (arguments parsed by extractor.cli; what they leave out, the project's
    configuration gives)."""
    args, config = with_config(args)
    if args.jobs < 1:
        raise UsageError("--jobs", f"expected a positive number, got {args.jobs}")
    if getattr(args, "dry_run", False) and not getattr(args, "update", False):
        raise UsageError("--dry-run", "only goes with --update")
    shard = Shard.parse(args.shard) if args.shard else None
    env = {**passed_through(config.get("env", [])), **parse_env(args.env, getattr(args, "env_file", None) or ())}
    tutorials, errors = load_targets([str(t) for t in args.targets], excluded(config))
    for error in errors:
        print(terminal(f"tutorcheck: error: {error}"), file=sys.stderr)
    selected = select_shard(tutorials, shard)
    options = RunOptions(step_timeout=args.timeout, article_timeout=args.article_timeout,
                         **network_options(args.allow_network, args.allow_private_network, args.allow_hosts,
                                           args.network_where), env=env,
                         kubeconfig=read_kubeconfig(args.kubeconfig),
                         packages=tuple(config.get("packages", ())), image=config.get("image", ""),
                         configured=args.configured)
    plans = Plans(options)
    runner = sandbox_runner(options, plans)
    cache_dir = Path(args.cache_dir or DEFAULT_DIR)
    if not args.no_cache:
        ensure_writable(cache_dir, "--cache-dir")
    for flag, value in (("--json", args.json_path), ("--junit", args.junit_path), ("--report", args.report_path)):
        if value:
            ensure_writable(Path(value).resolve().parent, flag)
    setup = CheckSetup(
        jobs=args.jobs,
        cache_dir=None if args.no_cache else cache_dir,
        reports=ReportPaths(_path(args.json_path), _path(args.junit_path), _path(args.report_path),
                            html=_path(args.html_path), history=history.load(cache_dir),
                            shard=shard_meta(shard.index, shard.count, tutorials) if shard else None),
        partial=Path(f"{args.json_path}.partial.jsonl") if args.json_path else cache_dir / "last-run.partial.jsonl",
        options_key=options.cache_key(),
    )
    _reap_orphans()
    _note_unresolved(options)
    with _terminate_as_interrupt(), cleanup_on_exit(), _progress(len(selected)) as show:
        results, cached = run_check(selected, runner, setup, sandbox_fingerprint(plans), on_result=show)
    if not args.no_cache:
        history.record(cache_dir, results)
    report_to_ci(results, {t.slug: t for t in selected})
    if getattr(args, "update", False):
        update_command(selected, results, dry_run=args.dry_run)
    print(f"tutorcheck: {len(results)} articles ({cached.runs} run, {cached.hits} cached)"
          + (f", shard {shard.index}/{shard.count} of {len(tutorials)}" if shard else ""), file=sys.stderr)
    return exit_status(results, errors)


# An option of `check` → (its key in the configuration, tutorcheck's default).
CONFIGURED: dict[str, tuple[str, Any]] = {
    "jobs": ("jobs", 1), "timeout": ("timeout", DEFAULT_STEP_TIMEOUT_S),
    "article_timeout": ("article-timeout", DEFAULT_ARTICLE_TIMEOUT_S),
}
# The network is one setting, spelt by these options and keys together: when the command line
# gives any of them it replaces the configuration's whole setting (--allow-network on the
# command line opens every public address even if the file has an allow-list).
NETWORK_OPTIONS: dict[str, tuple[str, Any]] = {"allow_network": ("allow-network", None),
                                               "allow_hosts": ("allow-hosts", None)}
REPORT_OPTIONS = {"json_path": "json", "junit_path": "junit", "report_path": "markdown", "html_path": "html"}


def with_config(args: Any) -> tuple[Any, Config]:
    """The options of a run: the command line's, else the project configuration's, else the
    defaults; the targets: the command line's, else the configured sources. ``configured``
    names the options the configuration decided (for the verdicts' reasons)."""
    import argparse

    config = load_config()
    resolved = argparse.Namespace(**vars(args))
    configured: dict[str, str] = {}
    for option, (key, default) in CONFIGURED.items():
        if getattr(args, option, None) is None:
            setattr(resolved, option, config.get(key, default))
            if key in config.values:
                configured[key] = config.origin
    resolved.network_where = "--allow-host"
    if not (getattr(args, "allow_network", None) is not None or getattr(args, "allow_private_network", False)
            or getattr(args, "allow_hosts", None)):
        for option, (key, default) in NETWORK_OPTIONS.items():
            setattr(resolved, option, config.get(key, default))
            if key in config.values:
                configured[key] = config.origin
        if "allow-hosts" in config.values:
            resolved.network_where = f"{config.origin}: allow-hosts"
    if resolved.allow_network is None and not resolved.allow_hosts:
        resolved.allow_network = False  # no network setting anywhere: off
    for option, kind in REPORT_OPTIONS.items():
        if getattr(args, option, None) is None:
            setattr(resolved, option, config.report(kind))
    if getattr(args, "cache_dir", None) is None:
        resolved.cache_dir = config.path("cache-dir")
    if not args.targets and config.get("sources"):
        resolved.targets = configured_sources(config)
    resolved.configured = configured
    return resolved, config


def passed_through(names: Sequence[str]) -> dict[str, str]:
    """The configured ``env`` names that are set in tutorcheck's environment, with their values
    (one that is not set is left out: its steps are skipped, saying what to supply)."""
    return {name: os.environ[name] for name in names if name in os.environ}


def report_to_ci(results: Sequence[ArticleResult], tutorials: dict[str, Tutorial]) -> None:
    """Under GitHub Actions: an ``::error`` line per failed step, and the Markdown report
    appended to the job summary."""
    from extractor.annotations import append_summary, error_lines, in_github_actions
    from extractor.reports import markdown_report

    if in_github_actions():
        for line in error_lines(results, tutorials):
            print(line, flush=True)
        append_summary(markdown_report(results, tutorials))


def update_command(tutorials: Sequence[Tutorial], results: Sequence[ArticleResult], *, dry_run: bool) -> None:
    """``--update``: print the diff of the rewritten Markdown/reST sources (and write them)."""
    from extractor.update import update_sources

    done = update_sources(tutorials, results, dry_run=dry_run)
    print(done.diff, end="", flush=True)
    for note in done.notes:
        print(f"tutorcheck: note: {note}", file=sys.stderr)
    verb = "would update" if dry_run else "updated"
    print(f"tutorcheck: {verb} {len(done.files)} file(s)" + (f": {', '.join(done.files)}" if done.files else ""),
          file=sys.stderr)


def _note_unresolved(options: RunOptions) -> None:
    """A listed name this host cannot resolve is said once, before the run (its steps then fail)."""
    from extractor.sandbox.egress import unresolved

    for name in unresolved(options.allow_hosts):
        print(terminal(f"tutorcheck: note: {name} (allow-list) does not resolve on this host; the sandbox "
                       "cannot reach it"), file=sys.stderr)


def _reap_orphans() -> None:
    """Every run, even a fully cached one, removes sandbox containers a killed run left."""
    from extractor.sandbox.reaper import reap_orphans

    removed = reap_orphans()
    if removed:
        print(f"tutorcheck: removed {len(removed)} leftover sandbox container(s) of runs that died",
              file=sys.stderr)


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A CI job being cancelled (SIGTERM) is handled like Ctrl-C: keep verdicts, clean up."""
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def _progress(total: int) -> Iterator[OnResult]:
    """A progress bar on a terminal (rich); in CI / non-tty, one plain line per article."""
    if not _interactive():
        yield lambda result: print(article_line(result), flush=True)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  transient=True) as progress:
        task = progress.add_task("articles", total=total)

        def show(result: ArticleResult) -> None:
            progress.console.print(article_line(result), highlight=False, markup=False)
            progress.advance(task)

        yield show


__all__ = ["check_command", "cleanup_on_exit"]
