"""Verdicts of ``tutorcheck check``: plain frozen dataclasses shared by the sandbox runner,
the harness (reports, cache, pytest plugin) and the CLI. Formats per DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = 1
STEP_STATUSES = ("passed", "failed", "skipped", "error", "timeout")
ARTICLE_STATUSES = ("passed", "failed", "skipped", "error")


@dataclass(frozen=True)
class StepResult:
    """What happened to one step. ``reason`` says why for anything but passed."""

    block: int
    step: int
    command: str
    status: str
    reason: str = ""
    exit_code: int | None = None
    duration_s: float = 0.0
    output: str = ""
    expected_output: str | None = None
    match: str = "none"  # exact | normalized | mismatch | none
    diff: str = ""
    match_rule: str = ""  # extractor.matching.Comparison.rule: which normalisation(s) matched
    cwd: str = ""
    truncated: bool = False
    action: str = ""  # what the step was: shell | python | script | write | static | skip (the plan's kind)

    @property
    def id(self) -> str:
        return f"block-{self.block}::step-{self.step}"

    def to_json(self) -> dict[str, Any]:
        return {
            "block": self.block,
            "step": self.step,
            "command": self.command,
            "status": self.status,
            "reason": self.reason,
            "exit_code": self.exit_code,
            "duration_s": round(self.duration_s, 3),
            "output": self.output,
            "expected_output": self.expected_output,
            "match": self.match,
            "diff": self.diff,
            "match_rule": self.match_rule,
            "action": self.action,
            "cwd": self.cwd,
            "truncated": self.truncated,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StepResult:
        return cls(**{k: d[k] for k in d if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ArticleResult:
    slug: str
    status: str
    image: str = ""
    duration_s: float = 0.0
    steps: tuple[StepResult, ...] = ()
    reason: str = ""
    cached: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "status": self.status,
            "image": self.image,
            "duration_s": round(self.duration_s, 3),
            "reason": self.reason,
            "cached": self.cached,
            "steps": [s.to_json() for s in self.steps],
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleResult:
        return cls(
            slug=d["slug"],
            status=d["status"],
            image=d.get("image", ""),
            duration_s=d.get("duration_s", 0.0),
            steps=tuple(StepResult.from_json(s) for s in d.get("steps", ())),
            reason=d.get("reason", ""),
            cached=d.get("cached", False),
        )


STATIC_ACTIONS = ("static",)


def article_status(steps: tuple[StepResult, ...] | list[StepResult]) -> str:
    """An article fails if any step failed or timed out; errors come next. It passes only when
    something of it really ran and passed: static checks alone do not make an article whose
    every command was skipped "passed" (that would claim the tutorial works)."""
    statuses = {s.status for s in steps}
    if statuses & {"failed", "timeout"}:
        return "failed"
    if "error" in statuses:
        return "error"
    ran = any(s.status == "passed" and s.action not in STATIC_ACTIONS for s in steps)
    only_checks = "skipped" not in statuses and "passed" in statuses
    return "passed" if ran or only_checks else "skipped"


def summary(articles: list[ArticleResult]) -> dict[str, int]:
    counts = {"articles": len(articles), "steps": 0}
    counts.update({s: 0 for s in STEP_STATUSES})
    for a in articles:
        for s in a.steps:
            counts["steps"] += 1
            counts[s.status] += 1
    return counts


def run_to_json(articles: list[ArticleResult]) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "articles": [a.to_json() for a in articles],
        "summary": summary(articles),
    }
