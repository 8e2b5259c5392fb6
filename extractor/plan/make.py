"""``make_plan(tutorial, place, options)``: what every step of an article does in one place.

Per code block, in article order:

- ``session`` and ``commands`` blocks: each step runs (shell in the article's one shell, a
  Python step of a session in its one interpreter, other Python as a program); a
  ``commands`` block without steps runs its whole text as one step;
- ``file`` blocks with a file name are written where the article introduces them;
- ``fragment``, ``output`` and ``text`` blocks are not run;
- every block's static checks (``CodeBlock.checks``) follow as steps of their own.

For each step, first rule that holds wins: offered instead of an earlier step (``# or``) → skip,
leaving no gap; a language nothing runs → skip; after a step of
its block that is not run → skip (a session is a sequence: what follows a gap is not the
article's; the reason and need are the step's own when it lacks something else itself, root
aside; the gap it follows is the nearest earlier step of the block that lacks something of its
own, the closest thing it may rely on; a Python statement that only binds literal values
relies on nothing before it: it is judged as if no gap were there); installs system packages →
provided (the image does it); an unmet need → skip (rules.NEED_RULES, in their order:
placeholder > network > assumed file > tool > root); relies on state an earlier step that is
not run would have left → skip (before root: the gap, not ``sudo``, is what stops it); else it
runs (in the background when it serves until stopped).

The decisions use only what understand/ stored on the steps (``Step.facts``) and the place's
row of ``places.PLACES``; nothing here reads a command's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.model import CodeBlock, Need, Step, Tutorial
from extractor.options import RunOptions
from extractor.plan.actions import Action, Plan
from extractor.plan.authored import directed, in_order, provided_by
from extractor.plan.console_steps import OPENERS, REPLAYED, console_source, not_run
from extractor.plan.console_steps import RUNNERS as CONSOLE_RUNNERS
from extractor.plan.kubecheck import client_check, client_checkable
from extractor.plan.places import PLACES, Place, PlaceRules
from extractor.plan.reader import with_answers, with_editor
from extractor.plan.reruns import rerun
from extractor.plan.rules import (
    Provides,
    Unmet,
    in_background,
    install_need,
    install_reason,
    language_install_reason,
    layer_packages,
    tool_packages,
    unmet,
    wildcard_names,
)
from extractor.plan.services import service_packages
from extractor.plan.tools import ToolTable, tool_table
from extractor.vocab import KNOCK_ON_NEEDS, NO_GAP_NEEDS, ActionKind, NeedKind

RUN_KINDS = frozenset({"session", "commands"})
SCRIPT_DIR = "/tmp/.tutorcheck"


def depends_on(block: int, step: int, reason: str) -> str:
    """Why a step that relies on earlier steps' state is not run: the first of them that was not."""
    return f"depends on earlier steps that did not run: block {block} step {step} ({reason})"


@dataclass
class _Ctx:
    rules: PlaceRules
    here: Provides
    packages: set[str] = field(default_factory=set)
    files: dict[str, tuple[str, ...]] = field(default_factory=dict)  # requirements files the article shows
    shown: dict[str, str] = field(default_factory=dict)  # package versions the article's output shows
    venv: bool = False  # an earlier step entered a virtual environment: pip installs fill it, so they run
    written: set[str] = field(default_factory=set)  # files the plan writes before the current block
    gap: Action | None = None  # the first earlier step of the article not run (and the image did not do it)
    provided: frozenset[str] = frozenset()  # needs earlier blocks give, by their author's word (provides=)
    hosts: set[str] = field(default_factory=set)  # names running steps reach under a wildcard of the allow-list
    typed: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (console, opener) → statements run there
    runs: dict[tuple[str, ...], Action] = field(default_factory=dict)  # the last run of some tools with output shown


def steps_of(block: CodeBlock) -> tuple[Step, ...]:
    """A block's steps; a ``commands`` block the classifier did not split is one step."""
    if block.steps or block.kind != "commands" or block.lang not in ("shell", "python") or not block.text.strip():
        return block.steps
    return (Step(command=block.text, lang=block.lang),)


def needs_of(block: CodeBlock, step: Step) -> tuple[Need, ...]:
    """A step's needs are its own; the block's when no step of the block has any."""
    own = any(s.needs for s in block.steps)
    if own:
        return step.facts.needs or tuple(Need.from_label(label) for label in step.needs)
    return block.facts.needs or tuple(Need.from_label(label) for label in block.needs)


def _outside(filename: str) -> bool:
    """A file the article puts in an absolute place, in the home directory or above the folder."""
    return filename.startswith(("/", "~", "$")) or ".." in filename.split("/")


def _skip(base: Action, need: NeedKind, reason: str) -> Action:
    return Action(ActionKind.SKIP, base.block, base.step, base.command, source=base.source, path=base.path,
                  lang=base.lang, expected_output=base.expected_output, reason=reason, need=need, needs=base.needs)


# Needs no place can meet, whatever runs the step: they outrank a console nothing here runs.
_OUTRIGHT = frozenset({NeedKind.CLUSTER, NeedKind.GUI, NeedKind.HARDWARE})


def _step_action(block: CodeBlock, i: int, step: Step, ctx: _Ctx) -> Action:
    given = [n.label for n in needs_of(block, step) if n.label in ctx.provided]
    needs = tuple(n for n in needs_of(block, step) if n.label not in ctx.provided)
    labels = tuple(dict.fromkeys(n.label for n in needs))
    base = Action(ActionKind.SKIP, block.index, i, step.command, lang=step.lang,
                  expected_output=step.expected_output, needs=labels)
    kinds = {"shell": ActionKind.SHELL,
             "python": ActionKind.PYTHON if block.kind == "session" or step.pasted else ActionKind.SCRIPT}
    kind = kinds.get(step.lang, ActionKind.SHELL if step.lang in CONSOLE_RUNNERS else None)
    if kind is None:  # what the machine lacks outright (a display for a plot) says more than the console
        lacks = unmet([n for n in needs if n.kind in _OUTRIGHT], ctx.here)
        return _skip(base, lacks.need, lacks.reason) if lacks else _skip(base, NeedKind.LANG, not_run(step.lang))
    ctx.venv = {"enter": True, "leave": False}.get(step.facts.venv, ctx.venv)
    if kind == ActionKind.SHELL and step.facts.installs is not None and not (ctx.venv and step.facts.packages_offline):
        return _install(base, step, ctx)
    if step.facts.packages_offline:
        # the network it needs is only the package index: the layer's wheel house stands in for it
        packages, absent = layer_packages(step.facts.packages, ctx.files, ctx.shown)
        if absent is None:
            ctx.packages |= set(packages)
            needs = tuple(n for n in needs if n.kind != NeedKind.NETWORK)
    missing = unmet(needs, ctx.here)
    needs_state = any(n.kind == NeedKind.STATE for n in needs)
    if missing is not None and not (missing.need == NeedKind.ROOT and needs_state and ctx.gap is not None):
        return _skip(base, missing.need, missing.reason)
    if step.facts.shows == "machine":
        return _skip(base, NeedKind.MACHINE, "shows the machine's own configuration (its package sources, users, "
                                             "disks): the article's output is the author's machine")
    if needs_state and ctx.gap is not None:  # before root: sudo is not what stops ``sudo dpkg -r`` of what it installed
        also = f"; it also {missing.reason}" if missing is not None else ""
        return _skip(base, NeedKind.STATE, depends_on(ctx.gap.block, ctx.gap.step, ctx.gap.reason) + also)
    services = tuple(n.value for n in needs if n.kind == NeedKind.SERVICE)
    ctx.hosts |= wildcard_names(needs, ctx.here.options)
    ctx.packages |= tool_packages(needs, ctx.here.tools) | service_packages(services)
    background = kind == ActionKind.SHELL and step.facts.serves
    source, want, note = step.command, step.expected_output, ""
    if step.lang == "shell":  # the shell opens a console anew: nothing typed there yet
        ctx.typed = {key: typed for key, typed in ctx.typed.items() if key[1] != step.command}
    if step.lang in CONSOLE_RUNNERS:  # a statement at psql's, sqlite3's, redis-cli's or node's prompt
        typed = ctx.typed.setdefault((step.lang, step.console or step.lang), [])
        source = console_source(step, tuple(typed) if step.lang in REPLAYED else ()) or source
        typed.append(step.command)
    elif kind == ActionKind.SHELL and (opened := _opens(block, step)) in OPENERS:  # mysql -u root -p
        source = OPENERS[opened](step.command)
    elif background:
        source = in_background(step.command, block.index, i, step.port)
    elif kind == ActionKind.SHELL and step.answers:
        source, want, note = with_answers(step)
    if kind == ActionKind.SHELL and step.facts.editor:  # a reader types in it; here the article's text is
        source, note = with_editor(step, source)
    if step.facts.shows == "version" and want is not None:  # the reader's version, not the article's
        want, note = None, "a version query: judged by its exit status (the version a reader has may differ)"
    if kind == ActionKind.PYTHON and want is None and not step.pasted:
        want = ""  # doctest's rule: an example the article shows no output for prints nothing
    path = f"{SCRIPT_DIR}/block-{block.index}-step-{i}.py" if kind == ActionKind.SCRIPT else ""
    # the page's own word, as a directive would say it: a build of a listing declared not to compile fails
    authored = [f"the author: an earlier block provides {', '.join(given)}"] if given else []
    authored += [step.facts.expected_failure] if step.facts.expected_failure else []
    return Action(kind, block.index, i, step.command, source=source, path=path, lang=step.lang,
                  expected_output=want, needs_state=needs_state, background=background, needs=labels,
                  answers=step.answers, pasted=step.pasted, note=note, services=services,
                  expect_fail=bool(step.facts.expected_failure), authored="; ".join(authored))


def _opens(block: CodeBlock, step: Step) -> str:
    """The console a shell step of the block opens: the one its later statements were typed at."""
    return next((s.lang for s in block.steps if s.console == step.command and s.lang != "shell"), "")


def _install(base: Action, step: Step, ctx: _Ctx) -> Action:
    """A step that only installs packages: the article's image layer does it instead (a system
    install needs root and a mirror; a language install a registry, reached only at build time)."""
    install = step.facts.installs
    assert install is not None
    if install.language:
        decided = language_install_reason(install, ctx.files, ctx.shown)
        if isinstance(decided, Unmet):
            return _skip(base, decided.need, decided.reason)
        (why, packages), need = decided, NeedKind.NETWORK
    else:
        (why, packages), need = install_reason(install, ctx.here.tools), install_need(install)
    ctx.packages |= set(packages)
    return Action(ActionKind.PROVIDED, base.block, base.step, base.command, lang=base.lang,
                  expected_output=base.expected_output, reason=why, need=need, needs=base.needs, packages=packages)


@dataclass(frozen=True)
class _Gap:
    """A step of the current block that is not run for a lack of its own: what it lacks."""

    step: int
    need: NeedKind | None
    reason: str


def _after_gap(base: Action, gap: _Gap, mine: Unmet | None) -> Action:
    """A step after a gap in its block: what it lacks itself comes first (typed), then the gap;
    when it lacks the same as the gap, the gap says it. Root is the exception: ``sudo`` is the
    least of what a step lacks, so the gap it follows comes first."""
    follows = f"follows step {gap.step} of this block, which cannot run ({gap.reason})"
    if mine is not None and mine.need == NeedKind.ROOT:
        return _skip(base, NeedKind.SEQUENCE, f"{follows}; it also {mine.reason}")
    if mine is None:
        return _skip(base, NeedKind.SEQUENCE, follows)
    return _skip(base, mine.need, follows if mine.need == gap.need else f"{mine.reason}; it also {follows}")


# A skipped step lacking only these is no nearer cause for the steps after it than the gap it follows.
_FOLLOWS_ONLY = KNOCK_ON_NEEDS | NO_GAP_NEEDS | {NeedKind.ROOT}


def _run_block(block: CodeBlock, ctx: _Ctx) -> list[Action]:
    """The block's steps in order. After a step that is not run, the steps follow the nearest
    earlier one that lacks something of its own (the closest thing they may rely on); a Python
    statement that only binds literal values relies on nothing before it and is judged alone."""
    actions: list[Action] = []
    gap: _Gap | None = None
    for i, step in enumerate(steps_of(block)):
        if step.alternative is not None:  # another way to do an earlier step's job: the reader ran that
            actions.append(_alternative(block, i, step))
            continue
        if gap is not None and not step.facts.literal:  # a session is a sequence: what follows a gap is not
            base = Action(ActionKind.SKIP, block.index, i, step.command, lang=step.lang,  # the article's
                          expected_output=step.expected_output, needs=step.needs)
            mine = unmet(needs_of(block, step), ctx.here)
            actions.append(_after_gap(base, gap, mine))
            if mine is not None and mine.need not in _FOLLOWS_ONLY and mine.need != gap.need:
                gap = _Gap(i, mine.need, mine.reason)  # it lacks something else itself
            continue
        action = rerun(_step_action(block, i, step, ctx), ctx.runs)
        if action.kind == ActionKind.SKIP and (gap is None or action.need not in _FOLLOWS_ONLY):
            gap = _Gap(i, action.need, action.reason)
        actions.append(action)
    return actions


def _alternative(block: CodeBlock, i: int, step: Step) -> Action:
    offered = step.alternative
    assert offered is not None
    base = Action(ActionKind.SKIP, block.index, i, step.command, lang=step.lang,
                  expected_output=step.expected_output, needs=step.needs)
    return _skip(base, NeedKind.ALTERNATIVE, f"an alternative to step {offered.step} of this block "
                 f"({offered.command}), as the comment before it says ({offered.said}): a reader runs one of them")


def _client_checks(block: CodeBlock, ctx: _Ctx, first: int) -> list[Action]:
    """What kubectl can check of the block's cluster steps without a cluster, numbered after the
    block's other steps and checks (the same numbers in every place)."""
    if not ctx.rules.client_checks or block.kind not in RUN_KINDS:
        return []
    steps = [s for s in steps_of(block) if client_checkable(s, needs_of(block, s), ctx.here, ctx.written)]
    if steps:
        ctx.packages.add(str(ctx.here.tools.package_for("kubectl")))
    return [client_check(block.index, first + n, step) for n, step in enumerate(steps)]


def _file(block: CodeBlock, ctx: _Ctx) -> Action:
    name = block.filename or ""
    base = Action(ActionKind.WRITE, block.index, 0, f"write {name}", source=block.content, path=name, lang="file",
                  needs=block.needs)
    placeholders = [n for n in block.facts.needs or tuple(Need.from_label(x) for x in block.needs)
                    if n.kind in (NeedKind.PLACEHOLDER, NeedKind.ROOT)]
    missing = unmet(placeholders, ctx.here)
    if missing is not None:
        return _skip(base, missing.need, missing.reason)
    if not ctx.rules.writes_outside_folder and _outside(name):
        return _skip(base, NeedKind.PATH, f"writes {name}, outside the notebook's folder")
    # the modules a saved Python file imports (a conftest.py's yaml): whatever imports it needs them
    imported = [n for n in block.facts.needs if n.kind == NeedKind.TOOL and n.value.startswith("python:")]
    ctx.packages |= tool_packages(imported, ctx.here.tools)
    return base


def _block_actions(block: CodeBlock, ctx: _Ctx) -> list[Action]:
    actions: list[Action] = []
    if block.kind in RUN_KINDS:
        actions = _run_block(block, ctx)
    elif block.kind == "file" and block.filename:
        actions = [_file(block, ctx)]
    actions = directed(block, actions)  # the author's word comes last: it wins
    ctx.written |= {a.path for a in actions if a.kind == ActionKind.WRITE}
    ctx.gap = ctx.gap or next((a for a in actions if a.kind == ActionKind.SKIP and a.need not in NO_GAP_NEEDS), None)
    ctx.provided |= provided_by(block, actions)
    checks = [Action(ActionKind.STATIC, block.index, len(actions) + n, check.command, ok=check.ok,
                     reason=check.message or (f"{check.name} failed" if not check.ok else ""))
              for n, check in enumerate(block.checks)]
    checks += _client_checks(block, ctx, len(actions) + len(checks))
    return actions + directed(block, checks)


def make_plan(tutorial: Tutorial, place: Place = Place.CHECK, options: RunOptions | None = None,
              tools: ToolTable | None = None) -> Plan:
    """The ordered actions of ``tutorial`` in ``place`` and the packages its image layer needs."""
    ctx = _Ctx(PLACES[place], Provides(options or RunOptions(), tools or tool_table()))
    ctx.shown = {pin.what.split(":", 1)[1]: pin.value for pin in tutorial.pins if pin.what.startswith("version:")}
    for block in tutorial.code_blocks:
        if block.kind == "file" and block.filename:
            ctx.files.setdefault(block.filename, block.facts.packages)
            ctx.files.setdefault(block.filename.rsplit("/", 1)[-1], block.facts.packages)
    actions: list[Action] = []
    for block in in_order(tutorial.code_blocks):
        actions.extend(_block_actions(block, ctx))
    # a module the article writes itself (``hello.py``, ``pkg/__init__.py``) is no package to install
    own = {name.split("/")[-2] if name.endswith("/__init__.py") else name.rsplit("/", 1)[-1].removesuffix(".py")
           for name in ctx.files}
    packages = {p for p in ctx.packages if not (p.startswith("pymod:") and p.removeprefix("pymod:") in own)}
    pinned = tutorial.pins
    packages |= {pkg for pin in pinned for pkg in PIN_PACKAGES.get(pin.what, ())}
    packages |= set(ctx.here.options.packages)  # the project's own (its configuration's packages)
    return Plan(place, tuple(actions), tuple(sorted(packages)), pinned, tuple(sorted(ctx.hosts)))


# What the article's layer needs to pin a piece of context (the clock: libfaketime).
PIN_PACKAGES: dict[str, tuple[str, ...]] = {"clock": ("faketime",)}


__all__ = ["SCRIPT_DIR", "depends_on", "make_plan", "needs_of", "steps_of"]
