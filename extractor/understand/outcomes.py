"""Declared outcomes: what a page says building or running a listing does, applied to the step
that builds or runs it. mdBook and rustdoc put classes on a listing (read by
:mod:`extractor.listing`): ``does_not_compile``/``compile_fail`` (the listing does not
compile, on purpose), ``should_panic``/``panics`` (it builds, and panics when run),
``ignore``/``no_run`` (not tested by rustdoc: nothing about a reader's build). The next step
after such a listing that builds it (or runs it, which builds first) is expected to fail, with
the error the page shows: a failure there is the tutorial's point, not its fault.
"""

from __future__ import annotations

from dataclasses import replace

from extractor.model import CodeBlock, Step
from extractor.understand.shellsplit import invocations

ANY = "*"
# A declared outcome → the (program, first word or ANY) of the steps it makes fail, and how a
# verdict words it.
FAILING: dict[str, tuple[frozenset[tuple[str, str]], str]] = {
    "does-not-compile": (frozenset({("cargo", "build"), ("cargo", "run"), ("cargo", "test"), ("cargo", "check"),
                                    ("rustc", ANY)}), "does not compile"),
    "panics": (frozenset({("cargo", "run"), ("cargo", "test")}), "panics when run"),
}


def _concerns(step: Step, programs: frozenset[tuple[str, str]]) -> bool:
    calls = invocations(step.command) if step.lang == "shell" else []
    return any((inv.name, inv.args[0] if inv.args else "") in programs or (inv.name, ANY) in programs
               for inv in calls)


def expected_failures(blocks: list[CodeBlock]) -> list[CodeBlock]:
    """The blocks with the step that builds or runs a listing declared to fail marked so
    (``Facts.expected_failure``). A later whole version of the same file, declared to work,
    takes the declaration back."""
    out: list[CodeBlock] = []
    pending: tuple[CodeBlock, frozenset[tuple[str, str]], str] | None = None
    for block in blocks:
        if block.outcome in FAILING and block.kind in ("file", "fragment"):
            programs, words = FAILING[block.outcome]
            pending = (block, programs, words)
        elif pending and block.kind == "file" and block.filename and block.filename == pending[0].filename:
            pending = None
        steps = list(block.steps)
        for n, step in enumerate(steps):
            if pending and _concerns(step, pending[1]):
                why = f"the page declares that block {pending[0].index} {pending[2]}"
                steps[n] = replace(step, facts=replace(step.facts, expected_failure=why))
                pending = None
        out.append(replace(block, steps=tuple(steps)) if steps != list(block.steps) else block)
    return out
