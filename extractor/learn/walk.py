"""The walk: the article in order, a question per step, and what each answer does.

Positions count the planned steps (static checks left out) from 0; the learner sees them from
1 (``jump N``). After every step that ran, the session keeps a checkpoint for the position
that follows, so ``back`` and ``jump`` bring back the files and variables as they were there;
Python's memory, running servers and a service's data are in no checkpoint, so the Python steps,
the servers started in the background and the steps that used a service (PostgreSQL, Redis) before
a checkpoint are replayed, quietly, the services started again first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from extractor.learn.judge import Outcome, judge
from extractor.learn.view import View
from extractor.learn.workspace import Checkpoints, Request, Terminal, Workspace, request_for
from extractor.model import CodeBlock, ProseBlock, Tutorial
from extractor.plan import Action, Plan
from extractor.plan.services import to_start
from extractor.vocab import ActionKind

Ask = Callable[[str], str]
SERVICE_START_S = 60.0
Edit = Callable[[str], str]  # the text to edit → the text to run ("" cancels)


class Choice(StrEnum):
    RUN = "run"
    EDIT = "edit"
    SKIP = "skip"
    ANYWAY = "anyway"
    TERMINAL = "terminal"
    BACK = "back"
    JUMP = "jump"
    RESET = "reset"
    QUIT = "quit"
    HELP = "help"


WORDS = {"r": Choice.RUN, "e": Choice.EDIT, "s": Choice.SKIP, "a": Choice.ANYWAY, "t": Choice.TERMINAL,
         "b": Choice.BACK, "j": Choice.JUMP, "q": Choice.QUIT, "?": Choice.HELP, "h": Choice.HELP,
         **{c.value: c for c in Choice}}  # reset has no one-letter form: it throws the walk away
NEEDS_SESSION = {Choice.TERMINAL: Terminal, Choice.BACK: Checkpoints, Choice.JUMP: Checkpoints,
                 Choice.RESET: Checkpoints}


@dataclass(frozen=True)
class Progress:
    """Where a walk is, to continue it later."""

    position: int
    outcomes: tuple[tuple[int, Outcome], ...] = ()
    # (position, op, source) of the steps a checkpoint cannot hold and going back replays: the
    # Python steps (an interpreter's memory), the servers started in the background (processes)
    # and the steps that used a service (its data: a database lives in the service, not the files)
    replay: tuple[tuple[int, str, str], ...] = ()
    checkpoints: tuple[int, ...] = ()


def units(plan: Plan) -> list[Action]:
    """What the walk shows, in order: every action but the static checks, the author's teardown last."""
    shown = [a for a in plan.actions if a.kind != ActionKind.STATIC]
    return [a for a in shown if a.hidden != "teardown"] + [a for a in shown if a.hidden == "teardown"]


def pages(t: Tutorial, plan: Plan) -> tuple[list[list[object]], list[object]]:
    """For each unit, the prose and not-run blocks shown before it; and those after the last."""
    steps = units(plan)
    first: dict[int, int] = {}
    for i, a in enumerate(steps):
        first.setdefault(a.block, i)
    walked = {a.block for a in steps}
    before: list[list[object]] = [[] for _ in steps]
    pending: list[object] = []
    for block in t.blocks:
        if isinstance(block, CodeBlock) and block.index in walked:
            if steps[first[block.index]].hidden != "teardown":  # a teardown's block is not where it runs
                before[first[block.index]].extend(pending)
                pending = []
        elif isinstance(block, ProseBlock | CodeBlock):
            pending.append(block)
    return before, pending


@dataclass
class Walk:
    t: Tutorial
    plan: Plan
    session: Workspace
    ask: Ask
    view: View
    edit: Edit | None = None
    ask_needs: bool = True  # offer to run a step the plan does not run (no: --yes)
    position: int = 0
    outcomes: dict[int, Outcome] = field(default_factory=dict)
    replay: list[tuple[int, str, str]] = field(default_factory=list)
    started: set[str] = field(default_factory=set)  # the services this container runs (plan/services.py)
    kept: set[int] = field(default_factory=set)  # positions with a checkpoint of this walk

    def __post_init__(self) -> None:
        self.steps = units(self.plan)
        self.before, self.after = pages(self.t, self.plan)
        self.opening: list[str] = []  # said after the title (where a resumed walk continues)

    def say_back(self, text: str) -> None:
        self.view.say(text, "bold magenta")

    # -- the loop ----------------------------------------------------------------------------
    def run(self) -> bool:
        """Walk until the end (True) or a quit (False)."""
        self.view.title(self.t.title, self.t.url, self.plan.pinned)
        for line in self.opening:
            self.say_back(line)
        while self.position < len(self.steps):
            if not self.turn():
                self.keep(self.position)  # what the learner did since the last step, kept for next time
                return False
        for block in self.after:
            self.view.block(block)
        return True

    def turn(self) -> bool:
        pos, a = self.position, self.steps[self.position]
        for block in self.before[pos]:
            self.view.block(block)
        self.view.unit(a, pos + 1, len(self.steps))
        if a.hidden and a.runs:  # the author's set-up or tear-down: run without asking
            return self.execute(pos, a, request_for(a), hidden=True)
        if not a.runs and (a.kind == ActionKind.PROVIDED or not self.ask_needs):
            return self.skip(pos)
        answers: dict[Choice, Callable[[int, Action, int], bool | None]] = {
            Choice.RUN: self.run_it, Choice.ANYWAY: self.run_it, Choice.EDIT: self.edit_and_run,
            Choice.SKIP: lambda p, _a, _n: self.skip(p), Choice.QUIT: lambda _p, _a, _n: False,
            Choice.HELP: lambda _p, _a, _n: self.view.help(), Choice.TERMINAL: self.open_terminal,
            Choice.BACK: lambda p, _a, _n: self.jump_to(max(1, p)), Choice.JUMP: lambda _p, _a, n: self.jump_to(n),
            Choice.RESET: lambda _p, _a, _n: self.reset(),
        }
        while True:  # an answer that returns None (help, the terminal, a cancelled edit) asks again
            choice, number = self.choose(a)
            done = answers[choice](pos, a, number)
            if done is not None:
                return done

    def choose(self, a: Action) -> tuple[Choice, int]:
        default = Choice.RUN if a.runs else Choice.SKIP
        offered = [c for c in Choice if self.offers(c, a)]
        prompt = ("  [r]un (Enter) / [e]dit / [s]kip" if a.runs  # edit what needs something: fill a placeholder
                  else f"  {a.reason}: [s]kip (Enter), or run [a]nyway / [e]dit")
        extras = [w for c, w in ((Choice.TERMINAL, "[t]erminal"), (Choice.BACK, "[b]ack"), (Choice.JUMP, "jump N"),
                                 (Choice.RESET, "reset")) if c in offered]
        prompt += "".join(f" / {w}" for w in extras) + " / [q]uit / ?  "
        while True:
            try:
                said = self.ask(prompt).strip().lower()
            except (EOFError, KeyboardInterrupt):
                return Choice.QUIT, 0
            word, _, rest = said.partition(" ")
            choice = default if not said else WORDS.get(word)
            if choice == Choice.JUMP and rest.strip().isdigit():
                return choice, int(rest)
            if choice == Choice.JUMP and choice in offered:
                self.view.say(f"  jump to which step? jump N, N from 1 to {len(self.steps)}")
                continue
            if choice is not None and choice in offered and choice != Choice.JUMP:
                return choice, 0
            self.view.say("  please answer r, s or q (or ? for every choice)" if a.runs
                          else "  please answer s, a or q (or ? for every choice)")

    def offers(self, c: Choice, a: Action) -> bool:
        if c == Choice.RUN and not a.runs or c == Choice.ANYWAY and a.runs:
            return False
        need = NEEDS_SESSION.get(c)
        return need is None or isinstance(self.session, need)

    # -- what the answers do -----------------------------------------------------------------
    def run_it(self, pos: int, a: Action, _n: int) -> bool:
        return self.execute(pos, a, request_for(a))

    def edit_and_run(self, pos: int, a: Action, _n: int) -> bool | None:
        request = self.edited(request_for(a))
        return None if request is None else self.execute(pos, a, request, edited=True)

    def open_terminal(self, _pos: int, _a: Action, _n: int) -> None:
        assert isinstance(self.session, Terminal)
        self.view.say(self.session.terminal(), "italic")

    def reset(self) -> bool:
        self.go_back(0, clean=True)
        return True

    def jump_to(self, number: int) -> bool | None:
        """To step ``number`` (from 1): back (a checkpoint) or forward (the steps between skipped)."""
        if not 1 <= number <= len(self.steps):
            self.view.say(f"  there is no step {number}: 1 to {len(self.steps)}")
            return None
        self.jump(number - 1)
        return True

    def edited(self, request: Request) -> Request | None:
        if self.edit is None:
            return request
        try:
            text = self.edit(request.text)
        except (EOFError, KeyboardInterrupt):
            text = ""
        if not text.strip():
            self.view.say("  (nothing to run: not edited)")
            return None
        return request.edited(text if request.op == "write" or not text.endswith("\n") else text.rstrip("\n"))

    def execute(self, pos: int, a: Action, request: Request, edited: bool = False, hidden: bool = False) -> bool:
        self.start_services(a)
        ran = self.session.run(request)
        judged = judge(ran, a)
        self.view.ran(ran, judged, edited=edited and request != request_for(a), hidden=hidden)
        if not hidden:  # the summary counts the article's steps
            self.outcomes[pos] = judged.outcome
        if request.op == "python" or a.background or a.services:
            self.replay.append((pos, request.op, request.src))
        self.position = pos + 1
        self.keep(self.position)
        return True

    def start_services(self, a: Action) -> None:
        """The servers the step assumes (PostgreSQL…), started once per container, as ``check`` does."""
        for service in to_start(a.services, self.started):
            done = self.session.run(Request("shell", src=service.start, timeout=SERVICE_START_S))
            if done.exit_code == 0:
                self.started.add(service.name)
            else:
                self.view.say(f"  could not start the {service.name} server the tutorial assumes: "
                              f"{(done.output or done.reason)[-300:]}", "yellow")

    def skip(self, pos: int) -> bool:
        self.outcomes[pos] = Outcome.SKIPPED
        self.position = pos + 1
        return True

    def keep(self, position: int) -> None:
        if isinstance(self.session, Checkpoints) and self.session.checkpoint(position):
            self.kept.add(position)

    def jump(self, target: int) -> None:
        if target > self.position:  # forward: the steps between are skipped, the state stays
            for p in range(self.position, target):
                self.outcomes[p] = Outcome.SKIPPED
            self.position = target
            return
        self.go_back(target)

    def go_back(self, target: int, clean: bool = False, announce: bool = True) -> None:
        """Back to ``target`` with the state of the latest checkpoint at or before it."""
        assert isinstance(self.session, Checkpoints)
        self.kept = {k for k in self.kept if k <= target and not clean}
        at = max(self.kept, default=None)
        self.session.restore(at)
        self.started = set()  # a fresh container: the services start again when a step needs them
        for p, op, src in self.replay:  # quietly: what the checkpoint could not hold
            if at is not None and p < at:
                self.start_services(self.steps[p])
                self.session.run(Request(op, src=src, timeout=self.steps[p].timeout))
        self.replay = [r for r in self.replay if r[0] < target and not clean]
        self.outcomes = {p: o for p, o in self.outcomes.items() if p < target and not clean}
        self.position = target
        where = "a clean sandbox" if at is None else f"the checkpoint after step {at}"
        if announce:
            self.say_back(f"\n  ↺ back to step {target + 1}: {where}")

    def progress(self) -> Progress:
        return Progress(self.position, tuple(sorted(self.outcomes.items())), tuple(self.replay),
                        tuple(sorted(self.kept)))

    def resume(self, saved: Progress) -> None:
        """Continue a saved walk: its checkpoint at its position (the quit took one there)."""
        self.position = saved.position
        self.outcomes = dict(saved.outcomes)
        self.replay = list(saved.replay)
        self.kept = set(saved.checkpoints)
        self.go_back(saved.position, announce=False)
        self.opening.append(f"  ↺ continuing at step {saved.position + 1}, as you left it")


__all__ = ["Ask", "Choice", "Edit", "Progress", "Walk", "pages", "units"]
