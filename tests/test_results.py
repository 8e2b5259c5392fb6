"""Article verdicts from step verdicts: never 'passed' on static checks alone when commands were skipped."""

from __future__ import annotations

import pytest

from extractor.results import StepResult, article_status


def _step(status: str, action: str = "shell") -> StepResult:
    return StepResult(block=0, step=0, command="x", status=status, action=action)


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        ([_step("passed"), _step("skipped")], "passed"),
        ([_step("passed", "static"), _step("skipped")], "skipped"),
        ([_step("passed", "static")], "passed"),
        ([_step("passed", "static"), _step("failed", "static")], "failed"),
        ([_step("passed"), _step("timeout")], "failed"),
        ([_step("passed"), _step("error")], "error"),
        ([_step("skipped")], "skipped"),
        ([], "skipped"),
    ],
    ids=["ran-and-skipped", "checks-only-but-commands-skipped", "checks-only", "check-failed", "timeout",
         "error", "all-skipped", "empty"],
)
def test_article_status(steps: list[StepResult], expected: str) -> None:
    assert article_status(steps) == expected
