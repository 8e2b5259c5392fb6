"""Learner mode, ``tutorcheck step DIR/SLUG``: walk a generated tutorial in the terminal.

Shows the prose and each step in article order and asks, per step, run / skip / quit; a step
runs in a sandbox session (one long-lived shell in a Docker container, so ``cd``, ``export``
and files carry over). Steps the article's plan does not run here (a cluster, a secret, a
placeholder, the network without ``--allow-network``) are shown with the reason and passed over.

With no terminal on stdin there is nobody to ask: the plan is printed and the exit status is 0.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO, cast

from extractor.display import TerminalOut, terminal
from extractor.errors import UsageError
from extractor.model import CodeBlock, ProseBlock, Tutorial, tutorial_from_json
from extractor.options import LEARNER_SESSION_LIFETIME_S, LEARNER_STEP_TIMEOUT_S, RunOptions
from extractor.plan import Action, Place, Plan, make_plan
from extractor.vocab import ActionKind

ANSWERS = {"": "run", "r": "run", "run": "run", "s": "skip", "skip": "skip", "q": "quit", "quit": "quit"}
# How a step is shown: (first line, continuation lines), as a reader would type it.
PROMPTS = {"python": (">>> ", "... "), "shell": ("$ ", "")}
PROMPT = "  [r]un (Enter) / [s]kip / [q]uit? "
NO_TTY_NOTE = "(stdin is not a terminal: this is the plan; run `tutorcheck step` in a terminal to step through it)"


@dataclass(frozen=True)
class Request:
    """One thing for the session to do: ``shell`` or ``python`` source, or ``write`` a file."""

    op: str
    src: str = ""
    path: str = ""
    data: str = ""
    timeout: float | None = None  # the author's, for this step (a directive); else the learner's


@dataclass(frozen=True)
class Ran:
    """What one request did in the session."""

    exit_code: int | None
    output: str
    reason: str = ""  # why there is no exit code (timeout, session lost)


class Workspace(Protocol):
    """A long-lived shell (and Python) somewhere safe; ``run`` never raises for a failing step."""

    def run(self, request: Request) -> Ran: ...

    def close(self) -> None: ...


Ask = Callable[[str], str]


def load_tutorial(path: Path) -> Tutorial:
    """The tutorial of a generated article folder (``DIR/SLUG``) or of its ``tutorial.json``."""
    file = path / "tutorial.json" if path.is_dir() else path
    try:
        return tutorial_from_json(json.loads(file.read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise UsageError(str(path), "no tutorial.json here; expected DIR/SLUG made by `tutorcheck extract`") from None
    except (ValueError, KeyError, TypeError) as e:
        raise UsageError(str(file), f"not a tutorial.json ({e})") from None


# ---------------------------------------------------------------------------------------------
# Turning a planned unit into a request for the session.


def request_for(a: Action) -> Request:
    if a.kind == ActionKind.WRITE:
        return Request("write", path=a.path, data=a.source)
    if a.kind in (ActionKind.PYTHON, ActionKind.SCRIPT):
        return Request("python", src=a.source, timeout=a.timeout)
    return Request("shell", src=a.source, timeout=a.timeout)  # a server's source already starts it in the background


def unit_title(a: Action) -> str:
    if a.lang == "file":
        return f"write {a.path}"
    return f"block {a.block}, step {a.step} ({a.lang})"


def _runs(a: Action) -> bool:
    return a.kind.runs


# ---------------------------------------------------------------------------------------------
# Showing.


def show_unit(a: Action, out: TextIO) -> None:
    if a.hidden:  # the author's set-up or tear-down: it runs, no reader sees it
        out.write(f"\n── {unit_title(a)}: the article's hidden {a.hidden}\n")
        return
    out.write(f"\n── {unit_title(a)}\n")
    first, rest = ("", "") if a.lang == "file" else PROMPTS.get(a.lang, ("$ ", ""))
    code = a.source if a.lang == "file" else a.command
    out.write(_indent(code, first, rest) + "\n")
    if a.expected_output:
        out.write("  the article shows:\n" + _indent(a.expected_output, "  │ ") + "\n")
    if not _runs(a):
        out.write(f"  not run: {a.reason}\n")


def _indent(text: str, prefix: str, rest: str | None = None) -> str:
    lines = text.rstrip("\n").split("\n")
    pad = prefix if rest is None else rest
    return "\n".join([prefix + lines[0], *(pad + line for line in lines[1:])])


def verdict_line(ran: Ran, p: Action) -> str:
    """One line (and a diff when the output differs), judged as ``tutorcheck check`` judges."""
    from extractor.sandbox.runner import judge_action, judge_python, judge_shell

    if ran.exit_code is None:
        return f"✗ did not finish: {ran.reason}"
    status = "✓ exit 0" if ran.exit_code == 0 else f"✗ exit {ran.exit_code}"
    if p.authored and p.lang != "file":  # judged as the author said (expect-fail, output=...)
        v = judge_action(p, ran.output, ran.exit_code)
        mark = "✓" if v.status == "passed" else "✗"
        return f"{mark} {v.reason or status}" + (":\n" + _indent(v.diff.rstrip(chr(10)), "    ") if v.diff else "")
    if p.expected_output is None or p.lang == "file":
        return status
    if p.lang == "python":
        v = judge_python(p.command, p.expected_output, ran.output, ran.exit_code)
    else:
        v = judge_shell(p.expected_output, ran.output, ran.exit_code)
    if v.match == "mismatch":
        return f"{status}; output differs from the article:\n" + _indent(v.diff.rstrip("\n"), "    ")
    if ran.exit_code != 0 and p.lang == "python" and p.expected_output.startswith("Traceback"):
        return "✓ raised the exception the article shows"
    return f"{status}; output {'matches the article' if v.match == 'exact' else 'matches the article (normalized)'}"


def print_plan(t: Tutorial, plan: Plan, out: TextIO) -> None:
    """The whole walk, without running anything (for a non-terminal stdin)."""
    _walk(t, plan, out, on_unit=lambda p: show_unit(p, out))
    units = _units(plan)
    runs = sum(1 for a in units if _runs(a))
    out.write(f"\n{len(units)} steps, {runs} would run, {len(units) - runs} not run\n")


def _units(plan: Plan) -> list[Action]:
    """What the walk shows: every action but the static checks."""
    return [a for a in plan.actions if a.kind != ActionKind.STATIC]


def _walk(t: Tutorial, plan: Plan, out: TextIO, on_unit: Callable[[Action], bool | None]) -> bool:
    """Show the article in order, calling ``on_unit`` for each planned unit; False from it stops."""
    by_block: dict[int, list[Action]] = {}
    for a in _units(plan):
        by_block.setdefault(a.block, []).append(a)
    out.write(f"# {t.title}\n{t.url}\n")
    last = [a for a in _units(plan) if a.hidden == "teardown"]  # the author's teardown: after the article
    for block in t.blocks:
        if isinstance(block, ProseBlock):
            out.write("\n" + block.markdown.strip() + "\n")
        elif isinstance(block, CodeBlock) and block.index not in by_block:
            out.write(f"\n({block.kind}, not run)\n" + _indent(block.text, "  ") + "\n")
        else:
            for p in by_block.get(block.index, []):
                if p not in last and on_unit(p) is False:
                    return False
    return all(on_unit(p) is not False for p in last)


# ---------------------------------------------------------------------------------------------
# Stepping.


def ask_choice(ask: Ask, out: TextIO) -> str:
    while True:
        try:
            answer = ask(PROMPT).strip().lower()
        except EOFError:
            return "quit"
        if answer in ANSWERS:
            return ANSWERS[answer]
        out.write("  please answer r, s or q\n")


def step_through(t: Tutorial, plan: Plan, session: Workspace, ask: Ask, out: TextIO) -> int:
    """The interactive walk. Returns 0 (quitting early is not a failure)."""
    counts = {"ran": 0, "skipped": 0}

    def on_unit(p: Action) -> bool:
        show_unit(p, out)
        if p.hidden and _runs(p):  # the author's set-up: run without asking, its text never shown
            out.write(f"  {verdict_line(session.run(request_for(p)), p)}\n")
            return True
        if not _runs(p):
            counts["skipped"] += 1
            return True
        choice = ask_choice(ask, out)
        if choice == "quit":
            return False
        if choice == "skip":
            counts["skipped"] += 1
            return True
        ran = session.run(request_for(p))
        if ran.output:
            out.write(_indent(ran.output, "  ") + "\n")
        out.write(f"  {verdict_line(ran, p)}\n")
        counts["ran"] += 1
        return True

    finished = _walk(t, plan, out, on_unit)
    out.write(f"\n{'done' if finished else 'stopped'}: {counts['ran']} run, {counts['skipped']} skipped\n")
    return 0


# How long one step may run, and how long a learner's container may live (it is labelled with
# this deadline, so a forgotten one is reaped by any later tutorcheck run).
STEP_TIMEOUT_S = LEARNER_STEP_TIMEOUT_S
SESSION_LIFETIME_S = LEARNER_SESSION_LIFETIME_S


class SandboxWorkspace:
    """The sandbox's long-lived container session (extractor.sandbox.session) as a learner Workspace."""

    def __init__(self, t: Tutorial, plan: Plan, allow_network: bool, say: Callable[[str], None]) -> None:
        from extractor.sandbox import images
        from extractor.sandbox.policy import Policy
        from extractor.sandbox.reaper import reap
        from extractor.sandbox.session import Session as DockerSession

        c = images.client()
        reap(c)
        packages = plan.packages
        say(f"preparing the sandbox image{' with ' + ', '.join(packages) if packages else ''}…")
        image = images.ensure_article(c, packages, say=say)
        self.session = DockerSession(c, image, Policy().with_network(allow_network),
                                     lifetime_s=SESSION_LIFETIME_S, name_hint=t.slug)
        self.session.start()
        say(f"sandbox ready: {image}, network {'on' if allow_network else 'off'}, working in {self.session.cwd}")

    def run(self, request: Request) -> Ran:
        op = {"op": request.op, "src": request.src} if request.op != "write" else \
            {"op": "write", "path": request.path, "data": request.data}
        answer = self.session.request(op, request.timeout or STEP_TIMEOUT_S)
        if answer.status in ("ok", "died") and answer.exit_code is not None:
            return Ran(answer.exit_code, answer.output, answer.note)
        return Ran(None, answer.output, answer.note or answer.status)

    def close(self) -> None:
        self.session.close()


def open_session(t: Tutorial, plan: Plan, allow_network: bool) -> Workspace:
    """A sandbox session for the article: one container, one shell and one Python, kept for the walk."""
    return SandboxWorkspace(t, plan, allow_network,
                            say=lambda message: print(terminal(message), file=sys.stderr, flush=True))


def learner_plan(t: Tutorial, allow_network: bool) -> Plan:
    """The article's plan in a learner's terminal."""
    return make_plan(t, Place.STEP, RunOptions(allow_network=allow_network))


def step_command(path: Path, allow_network: bool, yes: bool = False) -> int:
    """``tutorcheck step DIR/SLUG``: interactive in a terminal; the plan only when stdin is not
    one, unless ``yes`` (run every runnable step without asking)."""
    t = load_tutorial(path)
    plan = learner_plan(t, allow_network)
    interactive = sys.stdin.isatty()
    if (not interactive and not yes) or not any(_runs(a) for a in _units(plan)):
        print_plan(t, plan, cast(TextIO, TerminalOut(sys.stdout)))
        if not interactive and not yes:
            print(NO_TTY_NOTE, file=sys.stderr)
        return 0
    ask: Ask = (lambda _prompt: "r") if yes else input
    session = open_session(t, plan, allow_network)
    try:
        return step_through(t, plan, session, ask, cast(TextIO, TerminalOut(sys.stdout)))
    finally:
        session.close()
