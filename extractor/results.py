"""Verdicts of ``tutorcheck check``: plain frozen dataclasses shared by the sandbox runner,
the harness (reports, cache, pytest plugin) and the CLI. Formats per DESIGN.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from extractor.vocab import FAILING_STEP_STATUSES, ActionKind, ArticleStatus, NeedKind, StepStatus

SCHEMA = 1
STEP_STATUSES = tuple(StepStatus)
ARTICLE_STATUSES = tuple(ArticleStatus)


@dataclass(frozen=True)
class StepResult:
    """What happened to one step. ``reason`` says why for anything but passed."""

    block: int
    step: int
    command: str
    status: StepStatus
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
    action: ActionKind | Literal[""] = ""  # what the step was (the plan's kind; "" when no plan made it)
    need: NeedKind | Literal[""] = ""  # for a step not run: what it needed, typed (the reason says it in words)
    source: dict[str, Any] | None = None  # where the step is: {"path", "line"} or {"feed", "item", "block"}

    @property
    def id(self) -> str:
        return f"block-{self.block}::step-{self.step}"

    @property
    def where(self) -> str:
        """``docs/intro.md:42`` for a file, else empty (feeds are named by slug and block)."""
        src = self.source or {}
        if src.get("path"):
            return f"{src['path']}:{src['line']}" if src.get("line") else str(src["path"])
        return ""

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
            "need": self.need,
            "source": self.source,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StepResult:
        fields = {k: d[k] for k in d if k in cls.__dataclass_fields__}
        fields["status"] = StepStatus(d["status"])
        if fields.get("action") in ActionKind.__members__.values():
            fields["action"] = ActionKind(fields["action"])
        if fields.get("need") in NeedKind.__members__.values():
            fields["need"] = NeedKind(fields["need"])
        return cls(**fields)


@dataclass(frozen=True)
class ArticleResult:
    slug: str
    status: ArticleStatus
    image: str = ""
    duration_s: float = 0.0
    steps: tuple[StepResult, ...] = ()
    reason: str = ""
    cached: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    # What the sandbox supplied that a reader brings (a running server, a clock, an identity):
    # what → how, so a report reader knows what the verdict was given. Only when there is some.
    pinned: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "slug": self.slug,
            "status": self.status,
            "image": self.image,
            "duration_s": round(self.duration_s, 3),
            "reason": self.reason,
            "cached": self.cached,
            "steps": [s.to_json() for s in self.steps],
            # what the image layer installed for the article's install steps, with versions and sources
            **({"provided": self.extra["provided"]} if self.extra.get("provided") else {}),
        }
        if self.pinned:
            out["pinned"] = dict(sorted(self.pinned.items()))
        return out

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ArticleResult:
        return cls(
            slug=d["slug"],
            status=ArticleStatus(d["status"]),
            image=d.get("image", ""),
            duration_s=d.get("duration_s", 0.0),
            steps=tuple(StepResult.from_json(s) for s in d.get("steps", ())),
            reason=d.get("reason", ""),
            cached=d.get("cached", False),
            extra={"provided": d["provided"]} if isinstance(d.get("provided"), dict) else {},
            pinned=dict(d.get("pinned") or {}),
        )


STATIC_ACTIONS = (ActionKind.STATIC,)


def article_status(steps: tuple[StepResult, ...] | list[StepResult]) -> ArticleStatus:
    """An article fails if any step failed or timed out; errors come next. It passes only when
    something of it really ran and passed: static checks alone do not make an article whose
    every command was skipped "passed" (that would claim the tutorial works). A ``blocked``
    step does not fail it: the earlier step it names is what did not work."""
    statuses = {s.status for s in steps}
    if statuses & FAILING_STEP_STATUSES:
        return ArticleStatus.FAILED
    if StepStatus.ERROR in statuses:
        return ArticleStatus.ERROR
    ran = any(s.status == StepStatus.PASSED and s.action not in STATIC_ACTIONS for s in steps)
    only_checks = not statuses & {StepStatus.SKIPPED, StepStatus.BLOCKED} and StepStatus.PASSED in statuses
    return ArticleStatus.PASSED if ran or only_checks else ArticleStatus.SKIPPED


def summary(articles: list[ArticleResult]) -> dict[str, int]:
    counts = {"articles": len(articles), "steps": 0}
    counts.update({str(s): 0 for s in STEP_STATUSES})
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
