"""What a Python step needs: the third-party modules it imports, the network (a URL in it),
the values to fill in, and the files it opens that the article never gives (``open('report.xls',
'rb')``); the files it writes are the article's from then on."""

from __future__ import annotations

import ast

from extractor.model import Step
from extractor.understand import assumed, needs, python
from extractor.understand.made import norm


def python_needs(step: Step, local: set[str], given: assumed.Given | None = None) -> tuple[str, ...]:
    """The needs of one Python step; ``local``: the modules the article saves itself, ``given``:
    what the article gave before it (updated with the files the step writes)."""
    found: set[str] = set()
    try:
        tree = ast.parse(step.command)
    except (SyntaxError, ValueError):
        tree = None
    if tree is not None:  # a module the article saves (geometry.py) is not a package to install
        found |= {f"tool:python:{m}" for m in python.third_party(tree) - local}
    if tree is not None and given is not None:
        reads, writes = python.opened(tree)
        found |= set(assumed.as_needs(assumed.assumed("", [norm(r) for r in reads], given)))
        given.saw_step("", {norm(w) for w in writes}, False)
    if "http://" in step.command or "https://" in step.command:
        found.add("network")
    found |= set(needs.text_needs(step.command, run=True))
    return tuple(sorted(found))


__all__ = ["python_needs"]
