"""What an author's directive does to a step's action, as a table: a row per directive kind.

The plan applies these last, so the author wins over every inferred decision, in every place
(check, check.sh, notebook, step). Each changed action says so in ``authored`` (shown in its
verdict's reason), so a reader of the report can tell inference from instruction. The block's
facts a directive states (a file, needs, a variable) were put in place by understand/; here they
only leave their words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType

from extractor.directives import Directive, DirectiveKind
from extractor.model import CodeBlock
from extractor.plan.actions import Action
from extractor.vocab import ActionKind, NeedKind

SKIPPED_BY_AUTHOR = "skipped by the author"


def _said(action: Action, directive: Directive) -> Action:
    words = f"{action.authored}, {directive}" if action.authored else f"the author: {directive}"
    return replace(action, authored=words)


def _skip(action: Action, directive: Directive) -> Action | None:
    if action.kind == ActionKind.STATIC or action.client_check:
        return None  # nothing of a block its author skips is checked: not its syntax either
    reason = f"{SKIPPED_BY_AUTHOR}: {directive.value}" if directive.value else SKIPPED_BY_AUTHOR
    return Action(ActionKind.SKIP, action.block, action.step, action.command, source=action.source,
                  path=action.path, lang=action.lang, expected_output=action.expected_output, reason=reason,
                  need=NeedKind.AUTHOR, needs=action.needs, hidden=action.hidden)


def _hidden(action: Action, directive: Directive) -> Action:
    """A setup/teardown step: it runs (saying so in its verdict); no reader sees it."""
    hidden = replace(action, hidden=str(directive.kind))
    return _said(hidden, directive) if action.runs else hidden


def _noted(action: Action, directive: Directive) -> Action:
    """A fact the author stated decided this step: a step that runs says so in its verdict, a
    skipped one in its reason."""
    if action.kind == ActionKind.SKIP and action.need != NeedKind.AUTHOR:
        return replace(action, reason=f"{action.reason} (the author: {directive})")
    return _said(action, directive) if action.runs else action


def _running(change: Callable[[Action, Directive], Action]) -> Callable[[Action, Directive], Action]:
    """A rule for the steps that run (a skipped or static step has nothing to change)."""
    return lambda action, directive: change(action, directive) if action.runs else action


ACTION_RULES: Mapping[DirectiveKind, Callable[[Action, Directive], Action | None]] = MappingProxyType({
    DirectiveKind.SKIP: _skip,
    DirectiveKind.EXPECT_FAIL: _running(lambda a, d: _said(replace(a, expect_fail=True), d)),
    DirectiveKind.TIMEOUT: _running(lambda a, d: _said(replace(a, timeout=float(d.value)), d)),
    DirectiveKind.OUTPUT: _running(lambda a, d: _said(replace(a, output_rule=d.value), d)),
    DirectiveKind.SETUP: _hidden,
    DirectiveKind.TEARDOWN: _hidden,
    # understand/ put these facts in place; the action keeps the words (a skip's reason, too)
    DirectiveKind.NEEDS: _noted,
    DirectiveKind.ENV: _noted,
    DirectiveKind.FILE: _noted,
    DirectiveKind.PROVIDES: _running(_said),
})


def directed(block: CodeBlock, actions: Iterable[Action]) -> list[Action]:
    """The block's actions with its directives applied, in the order the author wrote them."""
    out = []
    for action in actions:
        directed: Action | None = action
        for directive in block.directives:
            directed = ACTION_RULES[directive.kind](directed, directive) if directed is not None else None
        if directed is not None:  # None: the author's skip leaves no check of the block
            out.append(directed)
    return out


def provided_by(block: CodeBlock, actions: Iterable[Action]) -> frozenset[str]:
    """The needs (``tool:jq``) a block gives later steps by the author's ``provides=``, once all
    its steps run."""
    if any(not a.runs for a in actions if a.kind != ActionKind.STATIC):
        return frozenset()
    return frozenset(item for d in block.directives if d.kind == DirectiveKind.PROVIDES
                     for item in d.value.split(","))


def in_order(blocks: Iterable[CodeBlock]) -> list[CodeBlock]:
    """The blocks in article order, teardown blocks after all the others (as the author asks)."""
    listed = list(blocks)
    last = [b for b in listed if any(d.kind == DirectiveKind.TEARDOWN for d in b.directives)]
    return [b for b in listed if b not in last] + last


__all__ = ["ACTION_RULES", "SKIPPED_BY_AUTHOR", "directed", "in_order", "provided_by"]
