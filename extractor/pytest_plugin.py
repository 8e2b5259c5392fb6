"""pytest plugin (pytest11 entry point ``tutorcheck``): generated tutorials as tests.

Inert unless ``--tutorcheck`` is given (the project's own test suite loads it). Then:

* ``pytest --tutorcheck generated`` collects each ``index.json`` of a generated DIR under the
  paths given; feed files, pages and ``tutorial.json`` files when named themselves (with no path
  on the command line, testpaths' sample data is left alone);
* one item per step, ids ``<file>::<slug>::block-N::step-M`` (``-k slug`` selects an article);
* an article runs once per process in its sandbox, when its first item runs; its steps report
  from that one result. With pytest-xdist (``-n N``; ``--dist load``, ``loadscope`` or
  ``loadgroup``) a scheduler hands whole articles to a worker, so each article still runs once;
* a failure shows the article, the command, the diff of the normalised outputs and the
  sandbox output. ``--junitxml`` gets one testcase per step.

All options share the ``--tutorcheck-`` prefix.
"""

from __future__ import annotations

import importlib
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from extractor.errors import ExtractorError
from extractor.options import DEFAULT_ARTICLE_TIMEOUT_S, DEFAULT_STEP_TIMEOUT_S, RunOptions, seconds

OPTION = "tutorcheck"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".html", ".htm")
_ITEM_ID = re.compile(r"^(?P<article>.*?::[^:]+)::block-\d+::step-\d+$")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tutorcheck", "tutorcheck: run generated tutorials in Docker sandboxes")
    group.addoption("--tutorcheck", action="store_true", default=False,
                    help="collect generated tutorials (DIR/index.json) and feeds/pages named as paths")
    group.addoption("--tutorcheck-timeout", type=seconds, default=DEFAULT_STEP_TIMEOUT_S, metavar="SECONDS",
                    help="per step")
    group.addoption("--tutorcheck-article-timeout", type=seconds, default=DEFAULT_ARTICLE_TIMEOUT_S, metavar="SECONDS")
    group.addoption("--tutorcheck-allow-network", action="store_true", default=False)
    group.addoption("--tutorcheck-allow-host", action="append", default=[], metavar="HOST[:PORT]",
                    help="let the sandbox reach this destination and no other (repeatable), as --allow-host")
    group.addoption("--tutorcheck-env", action="append", default=[], metavar="NAME=VALUE",
                    help="a secret or value for the steps")
    group.addoption("--tutorcheck-cache-dir", default=None, metavar="DIR",
                    help="reuse verdicts of unchanged articles from this verdict cache (as `tutorcheck check`)")
    group.addoption("--tutorcheck-runner", default=None, metavar="MODULE:CALLABLE",
                    help="run articles with this callable (Tutorial -> ArticleResult) instead of the sandbox")


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption(OPTION, default=False))


def pytest_configure(config: pytest.Config) -> None:
    if not _enabled(config):
        return
    spec = config.getoption("tutorcheck_runner")
    config.stash[_STATE] = _State(config, _import_callable(spec) if spec else None)
    config.addinivalue_line("markers", "tutorcheck: a step of a generated tutorial")


# --- collection ------------------------------------------------------------------------------

def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    # Only paths the user typed: ``pytest --tutorcheck`` alone must not pick up sample
    # tutorials that live among a project's test data (testpaths).
    if not _enabled(parent.config) or parent.config.args_source != pytest.Config.ArgsSource.ARGS:
        return None
    if file_path.name == "index.json" and any(file_path.parent.glob("*/tutorial.json")):
        return TutorialsFile.from_parent(parent, path=file_path)
    if _named_on_command_line(parent.config, file_path) and (
            file_path.name == "tutorial.json" or file_path.name.endswith(FEED_SUFFIXES)):
        return TutorialsFile.from_parent(parent, path=file_path)
    return None


def _named_on_command_line(config: pytest.Config, path: Path) -> bool:
    named = {(config.invocation_params.dir / a.split("::")[0]).resolve() for a in config.args}
    return path.resolve() in named


class TutorialsFile(pytest.File):
    """A generated DIR's index.json, a single tutorial.json, or a feed/page (extracted on the fly)."""

    def collect(self) -> Iterator[pytest.Collector]:
        from extractor.targets import load_targets, read_generated, read_tutorial

        try:
            if self.path.name == "index.json":
                tutorials = read_generated(self.path.parent)
            elif self.path.name == "tutorial.json":
                tutorials = [read_tutorial(self.path)]
            else:
                tutorials, errors = load_targets([str(self.path)])
                for error in errors:
                    self.warn(pytest.PytestWarning(f"tutorcheck: {error}"))
        except ExtractorError as e:
            raise self.CollectError(f"tutorcheck: {e}") from e
        for tutorial in tutorials:
            yield ArticleNode.from_parent(self, name=tutorial.slug, tutorial=tutorial)


class ArticleNode(pytest.Collector):
    """One article; runs it (once per process) when its first step item runs."""

    def __init__(self, *, tutorial: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.tutorial = tutorial

    def collect(self) -> Iterator[pytest.Item]:
        from extractor.harness import expected_steps

        for block, step, command in expected_steps(self.config.stash[_STATE].plans(self.tutorial)):
            yield StepItem.from_parent(self, name=f"block-{block}::step-{step}", block=block, step=step,
                                       command=command)

    def result(self) -> Any:
        return self.config.stash[_STATE].result(self.tutorial)


class StepItem(pytest.Item):
    """One step of an article; its verdict comes from the article's single run."""

    def __init__(self, *, block: int, step: int, command: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.block, self.step, self.command = block, step, command
        self.add_marker(pytest.mark.tutorcheck)

    @property
    def article(self) -> ArticleNode:
        assert isinstance(self.parent, ArticleNode)
        return self.parent

    def runtest(self) -> None:
        result = self.article.result()
        step = next((s for s in result.steps if (s.block, s.step) == (self.block, self.step)), None)
        if step is None:
            raise StepFailure(self, None, result.reason or "the runner reported no result for this step")
        # plain strings: xdist sends the properties between processes (it cannot pickle enums)
        self.user_properties += [("status", str(step.status)), ("match", str(step.match))]
        if step.status == "skipped":
            pytest.skip(step.reason or "skipped")
        if step.status != "passed":
            raise StepFailure(self, step, step.reason)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, StepFailure):
            return excinfo.value.describe()
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The step's own file and line when it comes from a Markdown/reST file (0-based, as
        pytest counts), so a failure points at the command in the docs."""
        from extractor.locate import where_step

        name = f"{self.article.name}::block-{self.block}::step-{self.step}"
        blocks = {b.index: b for b in self.article.tutorial.code_blocks}
        where = where_step(blocks[self.block], self.step) if self.block in blocks else None
        if where is not None and where.item is None and where.line:
            return Path(where.path), where.line - 1, name
        return self.path, None, name


class StepFailure(Exception):
    """A step that did not pass: carries what the failure report shows."""

    def __init__(self, item: StepItem, step: Any, reason: str) -> None:
        super().__init__(reason)
        self.item, self.step, self.reason = item, step, reason

    def describe(self) -> str:
        from extractor.reports import step_details

        tutorial = self.item.article.tutorial
        status = self.step.status if self.step is not None else "no result"
        head = [f"{tutorial.slug} › block {self.item.block}, step {self.item.step}: {status}: {self.reason}",
                f"article: {tutorial.title} ({tutorial.slug})", f"url: {tutorial.url}"]
        if self.step is None:
            return "\n".join([*head, f"$ {self.item.command}", f"no result: {self.reason}"]) + "\n"
        return "\n".join(head) + "\n" + step_details(self.step)


# --- running, once per article per process ---------------------------------------------------

class _State:
    """Per-session (per xdist worker) article results and the runner that makes them."""

    def __init__(self, config: pytest.Config, custom_runner: Any = None) -> None:
        self.config = config
        self.custom_runner = custom_runner
        self.results: dict[str, Any] = {}
        self.lock = threading.Lock()
        self._runner: Any = None
        self._plans: Any = None

    def options(self) -> RunOptions:
        from extractor.options import network_options, parse_env

        opt = self.config.getoption
        network = network_options(opt("tutorcheck_allow_network") or None, False, opt("tutorcheck_allow_host"),
                                  "--tutorcheck-allow-host")
        return RunOptions(step_timeout=opt("tutorcheck_timeout"), article_timeout=opt("tutorcheck_article_timeout"),
                          **network, env=parse_env(opt("tutorcheck_env")))

    def plan_book(self) -> Any:
        """Each article's check plan, made once per process (items, cache key and run share it)."""
        if self._plans is None:
            from extractor.harness import Plans

            self._plans = Plans(self.options())
        return self._plans

    def plans(self, tutorial: Any) -> Any:
        return self.plan_book()(tutorial)

    def runner(self) -> Any:
        if self._runner is None:
            from extractor.cache import VerdictCache, verdict_key
            from extractor.harness import Cached, sandbox_fingerprint, sandbox_runner

            opt = self.config.getoption
            settings, book = self.options(), self.plan_book()
            spec = opt("tutorcheck_runner")
            run = self.custom_runner or sandbox_runner(settings, book)
            fingerprint = (lambda t: spec) if self.custom_runner else sandbox_fingerprint(book)
            cache_dir = opt("tutorcheck_cache_dir")
            self._runner = Cached(run, VerdictCache(Path(cache_dir)) if cache_dir else None,
                                  lambda t: verdict_key(t, fingerprint(t), settings.cache_key()))
        return self._runner

    def result(self, tutorial: Any) -> Any:
        from extractor.results import ArticleResult
        from extractor.vocab import ArticleStatus

        with self.lock:
            if tutorial.slug not in self.results:
                try:
                    self.results[tutorial.slug] = self.runner()(tutorial)
                except ExtractorError as e:
                    self.results[tutorial.slug] = ArticleResult(slug=tutorial.slug, status=ArticleStatus.ERROR,
                                                                reason=str(e))
            return self.results[tutorial.slug]


def _import_callable(spec: str) -> Any:
    module, _, name = spec.partition(":")
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError, ValueError) as e:
        raise pytest.UsageError(f"--tutorcheck-runner {spec!r}: expected MODULE:CALLABLE ({e})") from e
    if not callable(found):
        raise pytest.UsageError(f"--tutorcheck-runner {spec!r}: {name} is not callable")
    return found


_STATE = pytest.StashKey[_State]()


# --- pytest-xdist: whole articles per worker -------------------------------------------------

@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With ``--dist load`` (what ``-n`` implies), ``loadscope`` or ``loadgroup``, send all steps
    of an article to one worker, so it runs once; other tests keep their mode's grouping."""
    dist = config.getoption("dist", default="no")
    if not _enabled(config) or dist not in ("load", "loadscope", "loadgroup"):
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ArticleScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            match = _ITEM_ID.match(nodeid)
            if match:
                return match.group("article")
            if dist == "load":
                return nodeid
            if dist == "loadgroup":
                return nodeid.rpartition("@")[2] if "@" in nodeid else nodeid
            return str(super()._split_scope(nodeid))

    return ArticleScheduling(config, log)
