"""Running many tutorials and collecting their results: each article's plan made once, this
shard's articles run (in parallel, skipping unchanged articles whose verdict is cached), and the
reports written as each article finishes, so a crash or Ctrl-C keeps every finished verdict.
The ``check`` command (extractor/check_command.py) and the pytest plugin are built on it.

The runner is a plain callable ``Tutorial → ArticleResult`` (the sandbox's ``check_tutorial``
with its options and plan bound), so everything here works the same with any runner. Nothing
here talks to Docker.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from extractor.cache import DEFAULT_DIR, VerdictCache, verdict_key
from extractor.display import terminal
from extractor.errors import ExtractorError, SourceError
from extractor.locate import with_sources
from extractor.model import Tutorial
from extractor.options import RunOptions
from extractor.plan import Place, Plan, make_plan
from extractor.reports import ReportPaths, write_reports
from extractor.results import ArticleResult, StepResult
from extractor.secrets import mask_result
from extractor.shards import Shard, select_shard  # noqa: F401  (the check command and tests take them from here)
from extractor.vocab import FAILING_STEP_STATUSES, UNJUDGED_STEP_STATUSES, ArticleStatus
from extractor.writer import append_line

Runner = Callable[[Tutorial], ArticleResult]
Fingerprint = Callable[[Tutorial], str]  # the sandbox an article runs in (image id / recipe hash)
OnResult = Callable[[ArticleResult], None]


class Plans:
    """The check plan of each article for one set of options, made once: the cache key, the
    pytest plugin's items and the run all read the same plan."""

    def __init__(self, options: RunOptions) -> None:
        self.options = options
        self._plans: dict[str, Plan] = {}
        self._lock = threading.Lock()

    def __call__(self, tutorial: Tutorial) -> Plan:
        with self._lock:
            if tutorial.slug not in self._plans:
                self._plans[tutorial.slug] = make_plan(tutorial, Place.CHECK, self.options)
            return self._plans[tutorial.slug]


def expected_steps(plan: Plan) -> list[tuple[int, int, str]]:
    """(block index, step number, command) of every step the runner will report, in order."""
    return [(a.block, a.step, a.command) for a in plan.actions]


# --- running ---------------------------------------------------------------------------------

def _guarded(runner: Runner, tutorial: Tutorial) -> ArticleResult:
    """An environment problem (engine, image) becomes the article's error, not a crash; so
    does a bug in the runner, loudly (traceback on stderr), so the other articles still run."""
    started = time.monotonic()
    try:
        return runner(tutorial)
    except ExtractorError as e:  # the time it took is reported as it was (an engine that hangs costs it)
        return ArticleResult(slug=tutorial.slug, status=ArticleStatus.ERROR, reason=str(e),
                             duration_s=time.monotonic() - started)
    except Exception as e:  # a runner bug: report it as one, keep checking the rest
        trace = "".join(traceback.format_exception(e))
        print(terminal(f"tutorcheck: internal error while checking {tutorial.slug}:\n{trace}"), file=sys.stderr)
        return ArticleResult(slug=tutorial.slug, status=ArticleStatus.ERROR,
                             reason=f"internal error in the runner: {type(e).__name__}: {e}")


def with_match_rules(result: ArticleResult) -> ArticleResult:
    """Name the normalisation behind every ``normalized`` match the runner did not name
    (``match_rule`` in the JSON), from the same ``extractor.matching.compare``."""
    from extractor.matching import compare

    def named(step: StepResult) -> StepResult:
        if step.match != "normalized" or step.match_rule or step.expected_output is None:
            return step
        return replace(step, match_rule=compare(step.expected_output, step.output).rule)

    return replace(result, steps=tuple(named(s) for s in result.steps))


@dataclass
class Cached:
    """A runner wrapped with the verdict cache; ``hits``/``runs`` count what happened."""

    runner: Runner
    cache: VerdictCache | None
    key_of: Callable[[Tutorial], str]
    hits: int = 0
    runs: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopped: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        """The run was interrupted: articles still finishing (their containers removed under
        them) must not leave their broken verdicts in the cache."""
        self._stopped.set()

    def __call__(self, tutorial: Tutorial) -> ArticleResult:
        return with_sources(self._verdict(tutorial), tutorial)

    def _verdict(self, tutorial: Tutorial) -> ArticleResult:
        key = self._key(tutorial)
        if self.cache and key and (hit := self.cache.get(key)) is not None and hit.slug == tutorial.slug:
            with self._lock:
                self.hits += 1
            return hit
        with self._lock:
            self.runs += 1
        result = with_match_rules(_guarded(self.runner, tutorial))
        if self.cache and key and not self._stopped.is_set():
            self.cache.put(key, result)
        return result

    def _key(self, tutorial: Tutorial) -> str:
        """The verdict key; empty (no caching) when the sandbox cannot say what it would run."""
        if not self.cache:
            return ""
        try:
            return self.key_of(tutorial)
        except ExtractorError:
            return ""


def run_articles(tutorials: Sequence[Tutorial], runner: Runner, *, jobs: int = 1,
                 on_result: OnResult | None = None) -> list[ArticleResult]:
    """Run every article (``jobs`` at a time); ``on_result`` sees each as it finishes.

    Results come back in the order of ``tutorials``, whatever order they finished in. On an
    interrupt, articles not yet started are cancelled and the interrupt is re-raised.
    """
    done: dict[str, ArticleResult] = {}
    # Not a ``with`` block: on an interrupt we must not wait for running articles (their
    # containers are removed by the caller's clean-up, which ends them).
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="tutorcheck")
    try:
        order = {pool.submit(runner, t): i for i, t in enumerate(tutorials)}
        pending: set[Future[ArticleResult]] = set(order)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            ranked = sorted(finished, key=order.__getitem__)
            # Record every article that did finish before letting a failed one raise.
            for future in [f for f in ranked if f.exception() is None]:
                result = future.result()
                done[result.slug] = result
                if on_result:
                    on_result(result)
            for future in ranked:
                future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return [done[t.slug] for t in tutorials if t.slug in done]


# --- recording as we go ----------------------------------------------------------------------

@dataclass
class Recorder:
    """Writes each finished article at once: a JSON line appended to ``partial``, then every
    report rewritten atomically with the verdicts so far (in target order)."""

    order: Sequence[Tutorial]
    paths: ReportPaths
    partial: Path | None = None
    results: dict[str, ArticleResult] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    failures: list[str] = field(default_factory=list)

    def start(self) -> None:
        if self.partial:
            try:
                self.partial.parent.mkdir(parents=True, exist_ok=True)
                self.partial.write_text("", encoding="utf-8")
            except OSError as e:  # a convenience, not an output the user asked for
                print(f"tutorcheck: note: no partial results ({self.partial}: {e.strerror or e})", file=sys.stderr)
                self.partial = None
        write_reports(self.paths, [], self.tutorials)

    def _attempt(self, what: str, write: Callable[[], object]) -> None:
        """A write that fails (disk full) is said once per kind; the run goes on, results kept in memory."""
        try:
            write()
        except OSError as e:
            message = f"cannot write {what}: {e.strerror or e}"
            if message not in self.failures:
                self.failures.append(message)
                print(f"tutorcheck: error: {message}; the run goes on", file=sys.stderr)

    @property
    def tutorials(self) -> dict[str, Tutorial]:
        return {t.slug: t for t in self.order}

    def sorted_results(self) -> list[ArticleResult]:
        return [self.results[t.slug] for t in self.order if t.slug in self.results]

    def __call__(self, result: ArticleResult) -> None:
        with self._lock:
            self.results[result.slug] = result
            if (partial := self.partial) is not None:
                line = json.dumps(result.to_json(), sort_keys=True, ensure_ascii=False)
                self._attempt(f"the partial results {partial}", lambda: append_line(partial, line))
            self._attempt("the reports", lambda: write_reports(self.paths, self.sorted_results(), self.tutorials))

    def interrupted(self) -> None:
        """The run was stopped (Ctrl-C, SIGTERM): the reports say so, with how far it got."""
        done, total = len(self.results), len(self.order)
        why = f"interrupted after {done} of {total} articles; the other {total - done} have no verdict"
        self._attempt("the reports", lambda: write_reports(self.paths, self.sorted_results(), self.tutorials, why))

    def finish(self) -> None:
        """The reports written once more; exit 2 (an ExtractorError) when they still cannot be."""
        self.failures.clear()
        self._attempt("the reports", lambda: write_reports(self.paths, self.sorted_results(), self.tutorials))
        if self.failures:
            raise SourceError("tutorcheck check", "; ".join(self.failures))
        if self.partial:
            self.partial.unlink(missing_ok=True)


# --- the sandbox runner (extractor.sandbox.runner), imported when an article runs -------------

def sandbox_runner(options: RunOptions, plans: Plans | None = None) -> Runner:
    """``check_tutorial`` of the sandbox with ``options`` and each article's plan from ``plans``.
    The sandbox is imported on the first article that really runs: a fully cached check never
    loads it."""
    plans = plans or Plans(options)

    def run(tutorial: Tutorial) -> ArticleResult:
        from extractor.sandbox.runner import check_tutorial

        # Judged on the real output; from here on (cache, reports, terminal) values are masked.
        return mask_result(check_tutorial(tutorial, options=options, plan=plans(tutorial)), options.env.values())

    return run


@functools.lru_cache(maxsize=1)
def _recipes_hash() -> str:
    """sha256 over the image recipes in ``sandboxes/`` (a rebuilt recipe invalidates verdicts)."""
    root = Path(__file__).resolve().parent.parent / "sandboxes"
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def sandbox_fingerprint(plans: Plans) -> Fingerprint:
    """The sandbox an article runs in, by recipe (no engine call, so a cached run starts
    nothing and the key is the same before and after the image is built): the recipes in
    ``sandboxes/`` and the article's image tag, which hashes the toolbox recipe and the
    packages its plan adds."""

    def fingerprint(tutorial: Tutorial) -> str:
        from extractor.sandbox.images import article_tag

        return f"{_recipes_hash()}\n{article_tag(plans(tutorial).packages)}"

    return fingerprint


# --- a whole run ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckSetup:
    """Everything ``run_check`` needs besides the tutorials and the runner."""

    jobs: int = 1
    cache_dir: Path | None = Path(DEFAULT_DIR)  # None: no cache (--no-cache)
    reports: ReportPaths = ReportPaths()
    partial: Path | None = None
    options_key: dict[str, Any] = field(default_factory=dict)  # run options that change a verdict


def run_check(tutorials: Sequence[Tutorial], runner: Runner, setup: CheckSetup,
              fingerprint: Fingerprint = lambda t: "", on_result: OnResult | None = None,
              ) -> tuple[list[ArticleResult], Cached]:
    """Run (or fetch from the cache) every article; write reports as each one finishes."""
    cache = VerdictCache(setup.cache_dir) if setup.cache_dir else None
    cached = Cached(runner, cache, lambda t: verdict_key(t, fingerprint(t), setup.options_key))
    recorder = Recorder(tutorials, setup.reports, setup.partial)
    recorder.start()

    def record(result: ArticleResult) -> None:
        recorder(result)
        if on_result:
            on_result(result)

    try:
        results = run_articles(tutorials, cached, jobs=setup.jobs, on_result=record)
    except BaseException:
        cached.stop()
        recorder.interrupted()
        raise
    recorder.finish()
    return results, cached


def exit_status(results: Sequence[ArticleResult], input_errors: Sequence[ExtractorError] = ()) -> int:
    """0 all good, 1 some step failed/timed out/errored (or an article could not run), 2 bad input."""
    if input_errors:
        return 2
    failing = FAILING_STEP_STATUSES | UNJUDGED_STEP_STATUSES
    bad = any(r.status == ArticleStatus.ERROR or any(s.status in failing for s in r.steps) for r in results)
    return 1 if bad else 0


__all__ = [
    "Cached", "CheckSetup", "Fingerprint", "OnResult", "Plans", "Recorder", "Runner", "Shard", "exit_status",
    "expected_steps", "run_articles", "run_check", "sandbox_fingerprint", "sandbox_runner", "select_shard",
    "with_match_rules",
]
