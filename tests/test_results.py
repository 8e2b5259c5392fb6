"""Article verdicts from step verdicts: never 'passed' on static checks alone when commands were skipped."""

from __future__ import annotations

import pytest

from extractor.reports import junit_report
from extractor.results import ArticleResult, StepResult, article_status, run_to_json
from extractor.vocab import ActionKind, NeedKind, StepStatus


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
        ([_step("passed"), _step("blocked")], "passed"),
        ([_step("passed", "static"), _step("blocked")], "skipped"),
    ],
    ids=["ran-and-skipped", "checks-only-but-commands-skipped", "checks-only", "check-failed", "timeout",
         "error", "all-skipped", "empty", "blocked-does-not-fail", "blocked-is-not-a-pass"],
)
def test_article_status(steps: list[StepResult], expected: str) -> None:
    assert article_status(steps) == expected


def test_when_a_step_is_blocked_then_json_junit_and_the_summary_carry_it_and_the_article_does_not_fail() -> None:
    steps = (_step("passed"), StepResult(block=0, step=1, command="y", status=StepStatus.BLOCKED,
                                         reason="block 0 step 0 did not make go.mod", action=ActionKind.SHELL))
    article = ArticleResult(slug="a", status=article_status(steps), steps=steps)
    data = run_to_json([article])
    assert data["summary"]["blocked"] == 1 and data["articles"][0]["status"] == "passed"
    assert data["articles"][0]["steps"][1]["status"] == "blocked"
    junit = junit_report([article])
    assert 'failures="0"' in junit and 'skipped="1"' in junit and 'type="blocked"' in junit


def test_when_a_result_goes_through_json_then_status_action_and_need_come_back_typed() -> None:
    step = StepResult(block=2, step=0, command="kubectl get pods", status=StepStatus.SKIPPED,
                      reason="needs a Kubernetes cluster", action=ActionKind.SKIP, need=NeedKind.CLUSTER)
    back = StepResult.from_json(step.to_json())
    assert back == step and back.need is NeedKind.CLUSTER and back.status is StepStatus.SKIPPED
    assert step.to_json()["need"] == "cluster" and step.to_json()["status"] == "skipped"
