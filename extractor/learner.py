"""Learner mode, ``tutorcheck step DIR/SLUG``: walk a generated tutorial in the terminal.

Shows the prose and each step in article order and asks what to do with it (run, edit, skip,
open a shell, go back, quit: ``extractor.learn.walk``); a step runs in a sandbox session (one
long-lived shell in a Docker container, so ``cd``, ``export`` and files carry over). Steps the
article's plan does not run here (a cluster, a secret, a placeholder, the network without
``--allow-network``) are shown with the reason; a learner may skip them or run them anyway.

With no terminal on stdin there is nobody to ask: the plan is printed and the exit status is 0
(``--yes`` runs every runnable step instead and prints the transcript).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from extractor.display import terminal
from extractor.errors import UsageError
from extractor.learn.judge import verdict_line
from extractor.learn.view import View
from extractor.learn.walk import Ask, Edit, Walk, pages, units
from extractor.learn.workspace import Ran, Request, Workspace, request_for
from extractor.model import Tutorial, tutorial_from_json
from extractor.options import RunOptions
from extractor.plan import Place, Plan, make_plan

NO_TTY_NOTE = "(stdin is not a terminal: this is the plan; run `tutorcheck step` in a terminal to step through it)"


def load_tutorial(path: Path) -> Tutorial:
    """The tutorial of a generated article folder (``DIR/SLUG``) or of its ``tutorial.json``."""
    file = path / "tutorial.json" if path.is_dir() else path
    try:
        return tutorial_from_json(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UsageError(str(path), "no tutorial.json here; expected DIR/SLUG made by `tutorcheck extract`") from None
    except (ValueError, KeyError, TypeError) as e:
        raise UsageError(str(file), f"not a tutorial.json ({e})") from None


def learner_plan(t: Tutorial, network: RunOptions | None = None) -> Plan:
    """The article's plan in a learner's terminal; ``network``: the run's network options (none by default)."""
    return make_plan(t, Place.STEP, network or RunOptions())


def print_plan(t: Tutorial, plan: Plan, out: TextIO) -> None:
    """The whole walk, without running anything (for a non-terminal stdin)."""
    view = View(out)
    steps = units(plan)
    before, after = pages(t, plan)
    view.title(t.title, t.url, plan.pinned)
    for pos, a in enumerate(steps):
        for block in before[pos]:
            view.block(block)
        view.unit(a, pos + 1, len(steps))
    for block in after:
        view.block(block)
    runs = sum(1 for a in steps if a.runs)
    view.say(f"\n{len(steps)} steps, {runs} would run, {len(steps) - runs} not run")


def step_through(t: Tutorial, plan: Plan, session: Workspace, ask: Ask, out: TextIO, edit: Edit | None = None,
                 ask_needs: bool = False) -> int:
    """The interactive walk. Returns 0 (quitting early is not a failure). ``ask_needs``: offer to
    run anyway a step the plan does not run (else it is shown with its reason and passed over)."""
    walk = Walk(t, plan, session, ask, View(out), edit=edit, ask_needs=ask_needs)
    finished = walk.run()
    walk.view.summary(walk.outcomes, finished)
    return 0


def open_session(t: Tutorial, plan: Plan, network: RunOptions | None = None,
                 checkpoint_file: Callable[[int], Path] | None = None) -> Workspace:
    """A sandbox session for the article: one container, one shell and one Python, kept for the walk
    (checkpoints written to ``checkpoint_file(position)`` when given)."""
    from extractor.learn.sandboxed import SandboxWorkspace

    return SandboxWorkspace(t, plan, network or RunOptions(), say=_say, checkpoint_file=checkpoint_file)


def _say(message: str) -> None:
    print(terminal(message), file=sys.stderr, flush=True)


def edit_in_place(text: str) -> str:
    """The learner edits ``text`` on the prompt line, prefilled (GNU readline); a multi-line
    step opens in $VISUAL / $EDITOR."""
    from extractor.learn.editing import edit

    return edit(text)


def step_command(path: Path, network: RunOptions | None = None, yes: bool = False, restart: bool = False) -> int:
    """``tutorcheck step DIR/SLUG``: interactive in a terminal; the plan only when stdin is not
    one, unless ``yes`` (run every runnable step without asking). A walk left with quit is
    offered again (``restart``: start over)."""
    t = load_tutorial(path)
    network = network or RunOptions()
    plan = learner_plan(t, network)
    interactive = sys.stdin.isatty() and not yes
    if (not interactive and not yes) or not any(a.runs for a in units(plan)):
        print_plan(t, plan, sys.stdout)
        if not sys.stdin.isatty() and not yes:
            print(NO_TTY_NOTE, file=sys.stderr)
        return 0
    if not interactive:
        session = open_session(t, plan, network)
        try:
            return step_through(t, plan, session, lambda _prompt: "r", sys.stdout, ask_needs=False)
        finally:
            session.close()
    return _interactive(t, plan, path, network, restart)


def _interactive(t: Tutorial, plan: Plan, path: Path, network: RunOptions, restart: bool) -> int:
    from extractor.learn.store import Store

    store = Store.of(path, t.slug, units(plan))
    if restart:
        store.clear()
    saved = store.load()
    if saved is None and store.walk_file.exists():
        print("(the walk you left does not fit this article any more, its steps changed: starting over)")
        store.clear()
    if saved is not None and not _continue(saved.position, len(units(plan))):
        store.clear()
        saved = None
    session = open_session(t, plan, network, checkpoint_file=store.checkpoint)
    try:
        walk = Walk(t, plan, session, input, View(sys.stdout), edit=edit_in_place)
        if saved is not None:
            walk.resume(saved)
        try:
            finished = walk.run()
        except KeyboardInterrupt:  # Ctrl-C during a step: the container is gone; the walk is kept
            finished = False
            walk.view.say("\n  interrupted: the sandbox was stopped; the walk goes on from its last checkpoint", "bold")
        walk.view.summary(walk.outcomes, finished)
        if finished:
            store.clear()
        else:
            store.save(walk.progress())
            walk.view.say(f"  (kept: `tutorcheck step {path}` continues at step {walk.position + 1})", "dim")
        return 0
    finally:
        session.close()


def _continue(position: int, total: int) -> bool:
    while True:
        try:
            said = input(f"You stopped at step {position + 1} of {total}. [c]ontinue (Enter) or start [o]ver? ")
        except (EOFError, KeyboardInterrupt):
            return True
        if said.strip().lower() in ("", "c", "continue"):
            return True
        if said.strip().lower() in ("o", "over"):
            return False


__all__ = ["Ran", "Request", "learner_plan", "load_tutorial", "open_session", "print_plan", "request_for",
           "step_command", "step_through", "verdict_line"]
