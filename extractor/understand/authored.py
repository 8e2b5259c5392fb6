"""The author wins over inference: the facts a directive states replace what was inferred.

Run after every block of an article is understood. ``file=PATH`` makes the block a file to save
there; ``needs=`` sets, adds (``+``) or removes (``-``) its steps' needs; ``env=NAME`` adds the
need of that variable; a ``setup``/``teardown`` block is commands for the article's shell. What a
directive does to a step's action (skip, expect a failure, a timeout, how output is compared) is
the plan's (``plan/authored.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from types import MappingProxyType

from extractor.directives import Directive, DirectiveKind
from extractor.facts import Need
from extractor.model import CodeBlock, Step
from extractor.vocab import NeedKind


def _changed_needs(needs: tuple[Need, ...], directive: Directive) -> tuple[Need, ...]:
    if directive.kind == DirectiveKind.ENV:  # a variable the run supplies: no placeholder to fill in
        kept = [n for n in needs if n != Need(NeedKind.PLACEHOLDER, f"${directive.value}")]
        return (*kept, Need(NeedKind.SECRET, directive.value))
    items = [] if directive.value == "none" else directive.value.split(",")
    plain = [Need.from_label(i) for i in items if i[0] not in "+-"]
    kept = plain if plain or directive.value == "none" else list(needs)
    removed = {i[1:] for i in items if i.startswith("-")}
    kept = [n for n in kept if n.label not in removed and str(n.kind) not in removed]
    return tuple(dict.fromkeys([*kept, *(Need.from_label(i[1:]) for i in items if i.startswith("+"))]))


def _with_needs(step: Step, directive: Directive) -> Step:
    needs = _changed_needs(step.facts.needs or tuple(Need.from_label(x) for x in step.needs), directive)
    return replace(step, needs=tuple(dict.fromkeys(n.label for n in needs)), facts=replace(step.facts, needs=needs))


def _needs(block: CodeBlock, directive: Directive) -> CodeBlock:
    needs = _changed_needs(block.facts.needs or tuple(Need.from_label(x) for x in block.needs), directive)
    return replace(block, steps=tuple(_with_needs(s, directive) for s in block.steps),
                   needs=tuple(dict.fromkeys(n.label for n in needs)), facts=replace(block.facts, needs=needs))


def _file(block: CodeBlock, directive: Directive) -> CodeBlock:
    note = f"a file to save as {directive.value}, as the author says (file={directive.value})"
    return replace(block, kind="file", filename=directive.value, steps=(), prompt=None, notes=(*block.notes, note))


def _hidden(block: CodeBlock, directive: Directive) -> CodeBlock:
    """A setup/teardown block is commands for the article's shell, or with ``=python`` Python typed
    into the article's interpreter (as a block a later session uses); a session when it shows prompts."""
    if block.kind == "session":
        return block
    if directive.value == "python":
        return replace(block, kind="commands", lang="python", steps=(
            Step(block.text.strip("\n"), None, "python", pasted=True),))
    return replace(block, kind="commands", lang="shell", steps=() if block.kind != "commands" else block.steps)


FACT_RULES: Mapping[DirectiveKind, Callable[[CodeBlock, Directive], CodeBlock]] = MappingProxyType({
    DirectiveKind.FILE: _file,
    DirectiveKind.NEEDS: _needs,
    DirectiveKind.ENV: _needs,
    DirectiveKind.SETUP: _hidden,
    DirectiveKind.TEARDOWN: _hidden,
})


def apply_directives(block: CodeBlock) -> CodeBlock:
    """``block`` with the facts its directives state in place of the inferred ones, in the
    order the author wrote them."""
    for directive in block.directives:
        rule = FACT_RULES.get(directive.kind)
        if rule is not None:
            block = rule(block, directive)
    return block


__all__ = ["FACT_RULES", "apply_directives"]
