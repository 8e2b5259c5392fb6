"""The pytest plugin end to end: the sample tutorials (passing, failing and skipped steps) run
in the real sandbox; outcome counts and the JUnit file."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest_plugins = ("pytester",)
pytestmark = pytest.mark.docker

HARNESS = Path(__file__).resolve().parent / "data" / "harness"


def test_when_the_sample_runs_in_the_sandbox_then_outcomes_and_junit_match(pytester: pytest.Pytester) -> None:
    shutil.copytree(HARNESS / "generated", pytester.path / "generated")
    result = pytester.runpytest_subprocess("--tutorcheck", "generated", "--junitxml=junit.xml", "-p",
                                           "no:cacheprovider", "-v")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
    result.stdout.fnmatch_lines(["*harness-sample::block-0::step-2 FAILED*", "*$ echo Running", "*+Running"])
    root = ET.parse(pytester.path / "junit.xml").getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped"), suite.get("errors")) == (
        "6", "1", "1", "0")
    failed = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == ["step-2"]
    assert "echo Running" in (failed[0].find("failure").text or "")  # type: ignore[union-attr]


def test_when_run_under_xdist_in_the_sandbox_then_the_outcomes_are_the_same(pytester: pytest.Pytester) -> None:
    shutil.copytree(HARNESS / "generated", pytester.path / "generated")
    result = pytester.runpytest_subprocess("--tutorcheck", "generated", "-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4, failed=1, skipped=1)
