"""The pytest plugin's own logic, with the pure-Python echo runner (``--tutorcheck-runner``):
inert when off, one item per step, -k, JUnit, the failure report, one run per article under
pytest-xdist. The same with the real sandbox: test_plugin_docker.py."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)

HARNESS = Path(__file__).resolve().parent / "data" / "harness"
RUNNER = ("--tutorcheck-runner", "echo_runner:check_tutorial")


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester dir holding ``generated/`` (the sample tutorials) and the echo runner module."""
    shutil.copytree(HARNESS / "generated", pytester.path / "generated")
    shutil.copy(HARNESS / "echo_runner.py", pytester.path / "echo_runner.py")
    pytester.syspathinsert()
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    monkeypatch.setenv("TUTORCHECK_ECHO_LOG", str(pytester.path / "runs.log"))
    return pytester


def runs(project: pytest.Pytester) -> list[str]:
    log = project.path / "runs.log"
    return sorted(line.split()[1] for line in log.read_text().splitlines()) if log.exists() else []


def test_when_the_option_is_off_then_nothing_is_collected_or_run(project: pytest.Pytester) -> None:
    project.makepyfile(test_plain="def test_plain():\n    assert True\n")
    result = project.runpytest("generated", "test_plain.py", *RUNNER)
    result.assert_outcomes(passed=1)
    assert "harness-sample" not in result.stdout.str()
    assert runs(project) == []


def test_when_on_without_paths_then_tutorials_among_test_data_are_left_alone(project: pytest.Pytester) -> None:
    project.makeini("[pytest]\ntestpaths = generated tests\n")
    project.mkdir("tests").joinpath("test_plain.py").write_text("def test_plain():\n    assert True\n")
    result = project.runpytest("--tutorcheck", *RUNNER)
    result.assert_outcomes(passed=1)
    assert runs(project) == []


def test_when_on_then_each_step_is_an_item_and_the_junit_file_has_one_testcase_per_step(
        project: pytest.Pytester) -> None:
    result = project.runpytest("--tutorcheck", "generated", *RUNNER, "--junitxml=junit.xml", "-v")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    result.stdout.fnmatch_lines([
        "generated/index.json::harness-sample::block-0::step-0 PASSED*",
        "generated/index.json::harness-sample::block-0::step-2 FAILED*",
        "generated/index.json::harness-sample::block-1::step-0 SKIPPED*",
    ])
    root = ET.parse(project.path / "junit.xml").getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "1", "1")
    names = [c.get("name") for c in suite.iter("testcase")]
    assert "step-2" in names and len(names) == 6
    assert runs(project) == ["harness-sample", "harness-second"]  # one run per article


def test_when_a_step_fails_then_the_report_shows_article_command_diff_and_output(project: pytest.Pytester) -> None:
    result = project.runpytest("--tutorcheck", "generated", *RUNNER)
    result.stdout.fnmatch_lines([
        "*article: Harness sample: one pass, one calm match, one failure, one skip (harness-sample)",
        "*url: https://examples.tutorcheck.invalid/harness-sample",
        "*$ echo Running",
        "*status: failed — output differs from the article",
        "*-Error",
        "*+Running",
        "*sandbox output:",
    ])


def test_when_selecting_with_k_then_only_that_article_runs(project: pytest.Pytester) -> None:
    result = project.runpytest("--tutorcheck", "generated", *RUNNER, "-k", "harness-second")
    result.assert_outcomes(passed=2, deselected=4)
    assert runs(project) == ["harness-second"]


def test_when_a_feed_file_is_named_then_it_is_extracted_and_collected(project: pytest.Pytester) -> None:
    feed = Path(__file__).resolve().parent.parent / "feeds" / "tutorcheck-examples.atom.xml"
    shutil.copy(feed, project.path / "examples.atom.xml")
    result = project.runpytest("--tutorcheck", "examples.atom.xml", *RUNNER, "--collect-only", "-q")
    result.stdout.fnmatch_lines(["examples.atom.xml::*::block-0::step-0"])


@pytest.mark.parametrize("dist", ["load", "loadscope", "loadgroup"])
def test_when_run_under_xdist_then_each_article_runs_once(project: pytest.Pytester, dist: str) -> None:
    result = project.runpytest_subprocess("--tutorcheck", "generated", *RUNNER, "-n", "2", "--dist", dist,
                                          "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    assert runs(project) == ["harness-sample", "harness-second"]


def test_when_a_cache_dir_is_given_then_a_second_session_reuses_the_verdicts(project: pytest.Pytester) -> None:
    cache = ("--tutorcheck-cache-dir", str(project.path / "verdicts"))
    project.runpytest("--tutorcheck", "generated", *RUNNER, *cache).assert_outcomes(passed=4, failed=1, skipped=1)
    (project.path / "runs.log").unlink()
    project.runpytest("--tutorcheck", "generated", *RUNNER, *cache).assert_outcomes(passed=4, failed=1, skipped=1)
    assert runs(project) == []


def test_when_the_runner_option_is_malformed_then_it_is_a_usage_error(project: pytest.Pytester) -> None:
    result = project.runpytest("--tutorcheck", "generated", "--tutorcheck-runner", "no_such_module:run")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--tutorcheck-runner 'no_such_module:run': expected MODULE:CALLABLE*"])
