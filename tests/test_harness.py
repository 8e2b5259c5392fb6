"""Harness logic with a pure-Python runner: targets, cache, shards, parallel runs, results written
as each article finishes, exit codes. (End-to-end with the real sandbox: test_harness_docker.py.)"""

from __future__ import annotations

import importlib.util
import json
import threading
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import pytest

from extractor.errors import SandboxError, SourceError, UsageError
from extractor.harness import (
    CheckSetup,
    Shard,
    exit_status,
    expected_steps,
    run_check,
    select_shard,
)
from extractor.model import CodeBlock, SourceRef, Step, Tutorial
from extractor.plan import make_plan
from extractor.reports import ReportPaths
from extractor.results import ArticleResult, StepResult
from extractor.targets import load_targets

HARNESS = Path(__file__).resolve().parent / "data" / "harness"
GENERATED = HARNESS / "generated"


def echo_runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("echo_runner", HARNESS / "echo_runner.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CountingRunner:
    """The echo runner, counting its runs (thread-safe)."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self._lock = threading.Lock()
        self._run = echo_runner().check_tutorial

    def __call__(self, tutorial: Tutorial) -> ArticleResult:
        with self._lock:
            self.calls.append(tutorial.slug)
        return self._run(tutorial)


def synthetic(n: int) -> list[Tutorial]:
    """n small articles; every third fails, every fifth has a skipped step."""
    out = []
    for i in range(n):
        steps = [Step(f"echo article {i}", f"article {i}\n" if i % 3 else "something else\n")]
        if i % 5 == 0:
            steps.append(Step("kubectl get pods", "No resources found\n", needs=("cluster",)))
        block = CodeBlock(index=0, text="", lang="shell", kind="session", steps=tuple(steps))
        out.append(Tutorial(slug=f"article-{i:02d}", title=f"Article {i}", url=f"https://x.invalid/{i}",
                            source=SourceRef("feed.xml", "rss20"), blocks=(block,)))
    return out


def verdicts(results: list[ArticleResult]) -> list[tuple[str, str, tuple[tuple[int, int, str, str], ...]]]:
    """What must not depend on how the run was scheduled (no durations, no cached flag)."""
    return [(r.slug, r.status, tuple((s.block, s.step, s.status, s.match) for s in r.steps)) for r in results]


# --- targets ---------------------------------------------------------------------------------

def test_when_a_generated_dir_is_given_then_its_tutorials_load_in_index_order() -> None:
    tutorials, errors = load_targets([str(GENERATED)])
    assert [t.slug for t in tutorials] == ["harness-sample", "harness-second"]
    assert errors == []
    steps = expected_steps(make_plan(tutorials[0]))
    assert [(b, s) for b, s, _ in steps] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert steps[2][2] == "echo Running"


def test_when_a_single_article_folder_is_given_then_only_it_loads() -> None:
    tutorials, _ = load_targets([str(GENERATED / "harness-second")])
    assert [t.slug for t in tutorials] == ["harness-second"]


def test_when_a_target_does_not_exist_then_it_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no-such-dir"):
        load_targets([str(tmp_path / "no-such-dir")])


def test_when_index_json_is_broken_then_the_error_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match=r"index\.json: not valid JSON"):
        load_targets([str(tmp_path)])


def test_when_a_tutorial_json_is_missing_then_the_error_names_it(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text('{"schema": 1, "articles": [{"slug": "gone"}]}', encoding="utf-8")
    tutorials, errors = load_targets([str(tmp_path)])  # an error naming it, the others still read
    assert tutorials == [] and len(errors) == 1
    assert isinstance(errors[0], SourceError) and "gone/tutorial.json: cannot read" in str(errors[0])


# --- cache -----------------------------------------------------------------------------------

def test_when_checked_twice_then_the_second_run_comes_from_the_cache(tmp_path: Path) -> None:
    tutorials, _ = load_targets([str(GENERATED)])
    plan = CheckSetup(cache_dir=tmp_path / "cache")
    first_runner, second_runner = CountingRunner(), CountingRunner()
    first, _ = run_check(tutorials, first_runner, plan)
    second, cached = run_check(tutorials, second_runner, plan)
    assert first_runner.calls == ["harness-sample", "harness-second"]
    assert second_runner.calls == []
    assert (cached.hits, cached.runs) == (2, 0)
    assert all(r.cached for r in second)
    assert verdicts(second) == verdicts(first)


def test_when_an_article_changes_then_only_it_runs_again(tmp_path: Path) -> None:
    tutorials, _ = load_targets([str(GENERATED)])
    plan = CheckSetup(cache_dir=tmp_path / "cache")
    run_check(tutorials, CountingRunner(), plan)
    changed = [tutorials[0], replace(tutorials[1], title="A new title")]
    runner = CountingRunner()
    run_check(changed, runner, plan)
    assert runner.calls == ["harness-second"]


def test_when_the_sandbox_or_options_change_then_the_verdict_is_not_reused(tmp_path: Path) -> None:
    tutorials, _ = load_targets([str(GENERATED)])
    run_check(tutorials, CountingRunner(), CheckSetup(cache_dir=tmp_path), fingerprint=lambda t: "image-1")
    other_image, other_options = CountingRunner(), CountingRunner()
    run_check(tutorials, other_image, CheckSetup(cache_dir=tmp_path), fingerprint=lambda t: "image-2")
    run_check(tutorials, other_options, CheckSetup(cache_dir=tmp_path, options_key={"allow_network": True}),
              fingerprint=lambda t: "image-1")
    assert len(other_image.calls) == 2 and len(other_options.calls) == 2


def test_when_no_cache_then_every_article_runs(tmp_path: Path) -> None:
    tutorials, _ = load_targets([str(GENERATED)])
    run_check(tutorials, CountingRunner(), CheckSetup(cache_dir=tmp_path))
    runner = CountingRunner()
    run_check(tutorials, runner, CheckSetup(cache_dir=None))
    assert len(runner.calls) == 2


def test_when_the_engine_is_unavailable_then_the_article_errors_and_is_not_cached(tmp_path: Path) -> None:
    def no_engine(tutorial: Tutorial) -> ArticleResult:
        raise SandboxError("docker", "cannot connect to the Docker engine")

    tutorials, _ = load_targets([str(GENERATED)])
    results, _ = run_check(tutorials, no_engine, CheckSetup(cache_dir=tmp_path))
    assert {r.status for r in results} == {"error"}
    assert "cannot connect" in results[0].reason
    runner = CountingRunner()
    run_check(tutorials, runner, CheckSetup(cache_dir=tmp_path))
    assert len(runner.calls) == 2


def test_when_the_runner_has_a_bug_then_that_article_errors_and_the_rest_still_run(
        capsys: pytest.CaptureFixture[str]) -> None:
    tutorials = synthetic(3)
    inner = CountingRunner()

    def buggy(tutorial: Tutorial) -> ArticleResult:
        if tutorial.slug == "article-01":
            raise LookupError("no such container")
        return inner(tutorial)

    results, _ = run_check(tutorials, buggy, CheckSetup(cache_dir=None))
    assert [r.status for r in results] == ["failed", "error", "passed"]
    assert results[1].reason == "internal error in the runner: LookupError: no such container"
    assert "Traceback" in capsys.readouterr().err
    assert exit_status(results) == 1


def test_when_the_runner_leaves_the_rule_unnamed_then_the_harness_names_it() -> None:
    step = StepResult(0, 0, "kubectl get deploy", "passed", output="NAME  READY  AGE\nweb   1/1   4s\n",
                      expected_output="NAME  READY  AGE\nweb   1/1   2m12s\n", match="normalized")
    results, _ = run_check(synthetic(1), lambda t: ArticleResult(t.slug, "passed", steps=(step,)),
                           CheckSetup(cache_dir=None))
    assert results[0].steps[0].match_rule == "table"


# --- parallel and shards ---------------------------------------------------------------------

def test_when_run_with_two_jobs_then_the_verdicts_equal_a_serial_run(tmp_path: Path) -> None:
    tutorials = synthetic(12)
    serial, _ = run_check(tutorials, CountingRunner(), CheckSetup(jobs=1, cache_dir=None))
    runner = CountingRunner()
    parallel, _ = run_check(tutorials, runner, CheckSetup(jobs=2, cache_dir=None))
    assert verdicts(parallel) == verdicts(serial)
    assert sorted(runner.calls) == [t.slug for t in tutorials]


def test_when_sharded_then_the_shards_partition_the_articles_with_the_same_verdicts() -> None:
    tutorials = synthetic(20)
    serial, _ = run_check(tutorials, CountingRunner(), CheckSetup(cache_dir=None))
    by_shard = [run_check(select_shard(tutorials, Shard(k, 3)), CountingRunner(), CheckSetup(cache_dir=None))[0]
                for k in (1, 2, 3)]
    slugs = [r.slug for shard in by_shard for r in shard]
    assert sorted(slugs) == [t.slug for t in tutorials]  # every article in exactly one shard
    assert all(by_shard), "20 articles over 3 shards: none empty"
    merged = sorted((r for shard in by_shard for r in shard), key=lambda r: r.slug)
    assert verdicts(merged) == verdicts(serial)


def test_when_sharding_twice_then_the_split_is_the_same() -> None:
    tutorials = synthetic(20)
    assert select_shard(tutorials, Shard(2, 4)) == select_shard(list(reversed(tutorials)), Shard(2, 4))[::-1]


@pytest.mark.parametrize("text", ["0/2", "3/2", "1", "a/b", "1/0", "-1/2"])
def test_when_the_shard_is_malformed_then_it_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--shard"):
        Shard.parse(text)


# --- written as each article finishes --------------------------------------------------------

def test_when_a_run_crashes_then_every_finished_verdict_is_on_disk(tmp_path: Path) -> None:
    tutorials = synthetic(4)
    inner = CountingRunner()

    def crashes_on_third(tutorial: Tutorial) -> ArticleResult:
        if tutorial.slug == "article-02":
            raise KeyboardInterrupt
        return inner(tutorial)

    paths = ReportPaths(tmp_path / "out.json", tmp_path / "junit.xml", tmp_path / "report.md")
    partial = tmp_path / "out.json.partial.jsonl"
    with pytest.raises(KeyboardInterrupt):
        run_check(tutorials, crashes_on_third, CheckSetup(cache_dir=tmp_path / "cache", reports=paths,
                                                         partial=partial))
    finished = [json.loads(line)["slug"] for line in partial.read_text(encoding="utf-8").splitlines()]
    # article-03 may or may not have finished by the time the interrupt reached the harness
    assert finished[:2] == ["article-00", "article-01"] and "article-02" not in finished
    report = json.loads(paths.json.read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert [a["slug"] for a in report["articles"]] == finished
    assert "article-01" in paths.junit.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "article-01" in paths.markdown.read_text(encoding="utf-8")  # type: ignore[union-attr]
    # the reports say the run is incomplete, and how far it got
    assert report["incomplete"].startswith(f"interrupted after {len(finished)} of 4 articles")
    assert "Incomplete run:** interrupted after" in paths.markdown.read_text(encoding="utf-8")  # type: ignore[union-attr]
    # the finished verdicts are cached: a re-run only runs what had not finished (article-03 may
    # have completed, and been cached, while the interrupt was on its way)
    again = CountingRunner()
    run_check(tutorials, again, CheckSetup(cache_dir=tmp_path / "cache", reports=paths, partial=partial))
    assert again.calls[0] == "article-02"
    assert set(again.calls) <= {t.slug for t in tutorials} - set(finished)
    assert not partial.exists()
    assert "incomplete" not in json.loads(paths.json.read_text(encoding="utf-8"))  # type: ignore[union-attr]


def test_when_the_run_completes_then_the_json_follows_the_contract(tmp_path: Path) -> None:
    tutorials, _ = load_targets([str(GENERATED)])
    paths = ReportPaths(json=tmp_path / "out.json")
    run_check(tutorials, CountingRunner(), CheckSetup(cache_dir=None, reports=paths))
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert data["schema"] == 1
    assert data["summary"] == {"articles": 2, "steps": 6, "passed": 4, "failed": 1, "skipped": 1, "blocked": 0,
                               "error": 0, "timeout": 0}
    sample = data["articles"][0]
    assert sample["status"] == "failed"
    assert [s["match"] for s in sample["steps"]] == ["exact", "normalized", "mismatch", "none"]
    assert sample["steps"][1]["match_rule"] == "table"


def test_when_interrupted_then_articles_still_finishing_are_not_cached(tmp_path: Path) -> None:
    tutorials = synthetic(2)
    started, release = threading.Event(), threading.Event()

    def slow_then_interrupt(tutorial: Tutorial) -> ArticleResult:
        if tutorial.slug == "article-00":
            started.set()
            release.wait(10)  # still running when the interrupt arrives
            return ArticleResult(tutorial.slug, "error", steps=(StepResult(0, 0, "x", "error", "container removed"),))
        started.wait(10)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_check(tutorials, slow_then_interrupt, CheckSetup(jobs=2, cache_dir=tmp_path))
    release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("tutorcheck"):
            thread.join(10)
    assert not list(tmp_path.rglob("*.json"))


# --- exit codes ------------------------------------------------------------------------------

def _article(*statuses: str, status: str = "passed") -> ArticleResult:
    return ArticleResult("a", status, steps=tuple(StepResult(0, i, "x", s) for i, s in enumerate(statuses)))


@pytest.mark.parametrize("results, code", [
    ([_article("passed", "skipped")], 0),
    ([_article("skipped", status="skipped")], 0),
    ([], 0),
    ([_article("passed", "failed")], 1),
    ([_article("timeout")], 1),
    ([_article("error")], 1),
    ([ArticleResult("a", "error", reason="engine down")], 1),
])
def test_exit_status_follows_the_contract(results: list[ArticleResult], code: int) -> None:
    assert exit_status(results) == code


def test_when_some_input_was_unreadable_then_the_exit_status_is_2() -> None:
    assert exit_status([_article("passed")], [SourceError("feed.xml", "not a feed")]) == 2


@pytest.mark.parametrize("argv, named", [
    (["--jobs", "0"], "--jobs"),
    (["--shard", "3/2"], "--shard"),
    (["--env", "NO_EQUALS_SIGN"], "--env"),
])
def test_when_check_is_misused_then_it_exits_2_naming_the_option(argv: list[str], named: str,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from extractor.cli import main

    assert main(["check", str(GENERATED), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"tutorcheck: {named}: ") and err.count("\n") == 1
