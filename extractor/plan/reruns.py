"""A step the article shows no output for that runs the same tool as an earlier step whose output
it does show (``pytest --basetemp=tmp`` after a ``pytest`` run with its failures): pages often
say "run it again with this option" and leave the repeated output out. A reader who runs it sees
that earlier run again, failures included, so a non-zero exit is what the article leads them to
expect exactly when the output is the one it showed (``Action.like_output``; judged by the
matcher as any recorded output). Another output, or another exit, still fails.

Decided from what understand/ stored (the step's ``tool:`` needs), never from the command's text.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.plan.actions import Action
from extractor.vocab import ActionKind


def _tools(a: Action) -> tuple[str, ...]:
    return tuple(sorted(set(a.tools)))


def rerun(a: Action, shown: dict[tuple[str, ...], Action]) -> Action:
    """``a`` with the output the article showed for the latest earlier run of its tools, when it
    shows none itself; ``shown`` remembers each run with output (updated here)."""
    tools = _tools(a)
    if a.kind != ActionKind.SHELL or a.background or not tools:
        return a
    if a.expected_output is not None:
        shown[tools] = a
        return a
    earlier = shown.get(tools)
    if earlier is None:
        return a
    first = earlier.command.strip().splitlines()[0] if earlier.command.strip() else ""
    return replace(a, like_output=earlier.expected_output, like=f"block {earlier.block} step {earlier.step} ({first})")


__all__ = ["rerun"]
