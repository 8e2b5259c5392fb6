"""GitHub Actions output: each failed step as a workflow command (``::error file=…,line=…``),
which GitHub shows on the pull request's diff, and the Markdown report appended to the job
summary (``$GITHUB_STEP_SUMMARY``)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from extractor.model import Tutorial
from extractor.results import ArticleResult, StepResult
from extractor.vocab import FAILING_STEP_STATUSES

ANNOTATED = FAILING_STEP_STATUSES
MAX_MESSAGE_CHARS = 3000


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, CR and LF escaped (the runner's own rules)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value (file, title): also ``:`` and ``,``, which end a property."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _message(step: StepResult) -> str:
    parts = [f"$ {step.command}", f"{step.status}: {step.reason or 'no reason given'}"]
    if step.diff:
        parts.append(step.diff.rstrip("\n"))
    text = "\n".join(parts)
    return text if len(text) <= MAX_MESSAGE_CHARS else text[:MAX_MESSAGE_CHARS] + "\n[…]"


def annotation(result: ArticleResult, step: StepResult, title: str = "") -> str:
    """One ``::error`` line for a failed step; file and line when the step has them."""
    props: list[str] = []
    src = step.source or {}
    if src.get("path"):
        props.append(f"file={escape_property(str(src['path']))}")
        if src.get("line"):
            props.append(f"line={int(src['line'])}")
    name = f"tutorcheck: {title or result.slug} — block {step.block}, step {step.step} {step.status}"
    props.append(f"title={escape_property(name)}")
    return f"::error {','.join(props)}::{escape_data(_message(step))}"


def error_lines(results: Sequence[ArticleResult], tutorials: Mapping[str, Tutorial] | None = None) -> list[str]:
    titles = {slug: t.title for slug, t in (tutorials or {}).items()}
    return [annotation(r, s, titles.get(r.slug, "")) for r in results for s in r.steps if s.status in ANNOTATED]


def in_github_actions(environ: Mapping[str, str] | None = None) -> bool:
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def append_summary(markdown: str, environ: Mapping[str, str] | None = None) -> Path | None:
    """Append the report to ``$GITHUB_STEP_SUMMARY`` when it is set; the path written, or None."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    path = Path(target)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(markdown if markdown.endswith("\n") else markdown + "\n")
    return path
