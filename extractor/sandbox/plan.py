"""What the sandbox will do with a tutorial, decided without Docker (pure).

``make_plan(tutorial, options)`` → ``Plan``: the ordered actions (run shell / run python
example / run python program / write file / static check / skip with reason) and the extra
Debian packages the article's layer needs. Per code block, in article order:

- ``session`` and ``commands`` blocks: each step runs (shell in the one shell, a python step
  of a session in the one interpreter, other python as a program); a ``commands`` block
  without steps runs its whole text as one step;
- ``file`` blocks with a filename are written into the working directory where the article
  introduces them;
- ``fragment``, ``output`` and ``text`` blocks are not run;
- every block's static checks (``CodeBlock.checks``) follow as steps of their own.

A step's needs are its own ``Step.needs``; when no step of the block has any, the block's
``needs`` apply to every step. ``state`` is decided at run time (every earlier step passed).
Once a step of a session is skipped, the block's later steps are skipped too: they would run
against a state the article never had (a checksum of a file that was not downloaded).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from extractor.model import CodeBlock, Step, Tutorial
from extractor.sandbox.tools import ToolTable, tool_table
from extractor.vocab import ActionKind, NeedKind

SHELL, PYTHON, SCRIPT, WRITE, STATIC, SKIP = (ActionKind.SHELL, ActionKind.PYTHON, ActionKind.SCRIPT,
                                              ActionKind.WRITE, ActionKind.STATIC, ActionKind.SKIP)
# Not run because the sandbox's image already did it (installing system packages): reported as
# skipped with the reason, but unlike SKIP it leaves no gap: later steps still have their state.
PROVIDED = ActionKind.PROVIDED
RUN_KINDS = frozenset({"session", "commands"})
FILE_KIND = "file"
SCRIPT_DIR = "/tmp/.tutorcheck"

# Variables a shell sets itself: a "$HOME" in a command is not a secret to supply.
SHELL_VARS = frozenset({
    "HOME", "PATH", "PWD", "OLDPWD", "USER", "SHELL", "TERM", "LANG", "LC_ALL", "HOSTNAME", "UID",
    "EUID", "PPID", "RANDOM", "SECONDS", "LINENO", "IFS", "PS1", "TMPDIR", "EDITOR", "PAGER",
})
_VAR = re.compile(r"\$\{?([A-Z_][A-Z0-9_]*)")
_ASSIGN = re.compile(r"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Z_][A-Z0-9_]*)=", re.M)
_READ = re.compile(r"\bread\s+(?:-\w+\s+)*([A-Z_][A-Z0-9_]*)")

# Shapes of "fill this in" values, most specific first (named in the skip reason).
PLACEHOLDER_SHAPES: tuple[re.Pattern[str], ...] = (
    re.compile(r"\b(?:REPLACE|YOUR|INSERT|ENTER)_[A-Z0-9_]+\b"),
    re.compile(r"<(?:your|my|the)[\w .-]*>", re.I),
    re.compile(r"\byour[-_][a-z][\w-]*", re.I),
    re.compile(r"<[A-Za-z][\w-]*(?:[ _-][\w-]+)*>"),
    re.compile(r"\bx\.y\.z\b"),
    re.compile(r"\b(?:xxx+|XXX+|TODO|CHANGEME|changeme)\b"),
)


@dataclass(frozen=True)
class PlanOptions:
    """What the run provides: the network, secrets by name, the tool table."""

    allow_network: bool = False
    env_names: frozenset[str] = frozenset()
    tools: ToolTable | None = None


@dataclass(frozen=True)
class Action:
    """One step of the result. ``source`` is what runs; ``command`` what the result shows."""

    kind: ActionKind
    block: int
    step: int
    command: str
    source: str = ""
    path: str = ""
    expected_output: str | None = None
    needs_state: bool = False
    reason: str = ""
    ok: bool = True
    need: NeedKind | None = None  # for a step not run: what it lacked, typed (``reason`` says it in words)

    @property
    def runs(self) -> bool:
        return self.kind in (SHELL, PYTHON, SCRIPT, WRITE)


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...]
    packages: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def runnable(self) -> bool:
        return any(a.runs for a in self.actions)


@dataclass
class _Ctx:
    options: PlanOptions
    tools: ToolTable
    assigned: set[str] = field(default_factory=set)
    packages: set[str] = field(default_factory=set)


# -- needs ---------------------------------------------------------------------------------

def placeholder_in(text: str) -> str:
    """The first placeholder-shaped value in ``text`` (or its first line when none has a shape)."""
    for shape in PLACEHOLDER_SHAPES:
        m = shape.search(text)
        if m:
            return m.group(0)
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first[:60] + ("…" if len(first) > 60 else "")


def secret_names(command: str, assigned: set[str]) -> list[str]:
    """Variables a command reads that neither the shell nor an earlier step sets."""
    names = dict.fromkeys(_VAR.findall(command))
    own = set(_ASSIGN.findall(command)) | set(_READ.findall(command))
    return [n for n in names if n not in SHELL_VARS and n not in assigned and n not in own]


def _need_cluster(need: str, cmd: str, ctx: _Ctx) -> str | None:
    return "needs a Kubernetes cluster"


def _need_placeholder(need: str, cmd: str, ctx: _Ctx) -> str | None:
    return f"a placeholder must be filled in: {placeholder_in(cmd)}"


def _need_secret(need: str, cmd: str, ctx: _Ctx) -> str | None:
    names = secret_names(cmd, ctx.assigned)
    if not names:
        return "needs a secret the step does not name (no $VARIABLE to supply with --env)"
    missing = [n for n in names if n not in ctx.options.env_names]
    if missing:
        return "needs a secret: supply " + ", ".join(f"--env {n}=..." for n in missing)
    return None


def _need_network(need: str, cmd: str, ctx: _Ctx) -> str | None:
    return None if ctx.options.allow_network else "needs the network (run with --allow-network)"


def _need_state(need: str, cmd: str, ctx: _Ctx) -> str | None:
    return None  # decided at run time: every earlier step must have run and passed


def _need_tool(need: str, cmd: str, ctx: _Ctx) -> str | None:
    tool = need.split(":", 1)[1]
    if ctx.tools.in_toolbox(tool):
        return None
    if not ctx.tools.known(tool):
        # Unknown is not the same as unavailable: a misspelt or renamed command must fail
        # loudly ("command not found"), not hide behind a skip. So it runs.
        return None
    if ctx.tools.package_for(tool) is None:
        note = ctx.tools.notes.get(tool)
        return f"needs {note}" if note else f"needs the tool {tool}, which no Debian package provides"
    return None


# Checked in this order; the first reason wins (a cluster outranks a missing tool). Each row
# names the need kind its skip reports.
NEED_RULES: tuple[tuple[str, NeedKind, Callable[[str, str, _Ctx], str | None]], ...] = (
    ("cluster", NeedKind.CLUSTER, _need_cluster),
    ("placeholder", NeedKind.PLACEHOLDER, _need_placeholder),
    ("secret", NeedKind.SECRET, _need_secret),
    ("network", NeedKind.NETWORK, _need_network),
    ("tool:", NeedKind.TOOL, _need_tool),
    ("state", NeedKind.STATE, _need_state),
)
# Tools no Debian package provides because they stand for something else the sandbox lacks.
TOOL_NEEDS: dict[str, NeedKind] = {
    "sudo": NeedKind.ROOT, "cmd": NeedKind.OS, "powershell": NeedKind.OS,
    "systemctl": NeedKind.SERVICE, "service": NeedKind.SERVICE, "journalctl": NeedKind.SERVICE,
}


@dataclass(frozen=True)
class Skip:
    """Why a step cannot run: in words, and typed."""

    reason: str
    need: NeedKind


def skip_reason(needs: tuple[str, ...], command: str, ctx: _Ctx) -> Skip | None:
    for prefix, kind, rule in NEED_RULES:
        for need in needs:
            if need == prefix or (prefix.endswith(":") and need.startswith(prefix)):
                reason = rule(need, command, ctx)
                if reason:
                    tool = need.split(":", 1)[1] if kind == NeedKind.TOOL else ""
                    return Skip(reason, TOOL_NEEDS.get(tool, kind))
    unknown = [n for n in needs if not any(n == p or (p.endswith(":") and n.startswith(p)) for p, _, _ in NEED_RULES)]
    if unknown:
        return Skip(f"needs {', '.join(unknown)}, which the sandbox does not provide", NeedKind.TOOL)
    return None


def _packages(needs: tuple[str, ...], tools: ToolTable) -> set[str]:
    out = set()
    for need in needs:
        if need.startswith("tool:"):
            tool = need.split(":", 1)[1]
            pkg = tools.package_for(tool)
            if pkg and not tools.in_toolbox(tool):
                out.add(pkg)
    return out


# -- blocks --------------------------------------------------------------------------------

def _steps_of(block: CodeBlock) -> tuple[Step, ...]:
    if block.steps:
        return block.steps
    if block.kind == "commands" and block.lang in (SHELL, PYTHON) and block.text.strip():
        return (Step(command=block.text, lang=block.lang, needs=()),)
    return ()


# System package managers and the words that make an invocation an install (or its set-up).
PACKAGE_MANAGERS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("apt", "apt-get"), frozenset({"install", "update", "upgrade"})),
    **dict.fromkeys(("yum", "dnf", "zypper"), frozenset({"install", "update", "makecache"})),
    "apk": frozenset({"add", "update"}), "brew": frozenset({"install", "update"}),
    "pacman": frozenset({"-S", "-Sy", "-Syu", "--sync"}), "snap": frozenset({"install"}),
    "choco": frozenset({"install"}), "winget": frozenset({"install"}),
}
_DEBIAN = frozenset({"apt", "apt-get"})
_PACKAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


@dataclass(frozen=True)
class SystemInstall:
    manager: str
    packages: tuple[str, ...]


def system_install(command: str) -> SystemInstall | None:
    """The step only installs system packages (``sudo apt-get update && sudo apt-get install -y
    jq``): what a sandbox image does for the article. None when it does anything else."""
    from extractor.understand.shellsplit import invocations

    manager, packages = "", []
    calls = invocations(command)
    for inv in calls:
        name, args = inv.name, list(inv.args)
        if name == "sudo" and args:
            name, args = args[0], args[1:]
        words = [a for a in args if not a.startswith("-")] if name != "pacman" else args
        if name not in PACKAGE_MANAGERS or not words or words[0] not in PACKAGE_MANAGERS[name]:
            return None
        manager = manager or name
        if words[0] in ("install", "add") or name == "pacman":
            packages += [w for w in words[1:] if not w.startswith("-")]
    return SystemInstall(manager, tuple(packages)) if calls else None


def install_reason(install: SystemInstall, tools: ToolTable) -> tuple[str, tuple[str, ...]]:
    """Why an install step is not run, and the Debian packages the article's layer adds for it."""
    if not install.packages:
        return f"updates the package lists with {install.manager}: not run (the sandbox image is built with them)", ()
    names = ", ".join(install.packages)
    if install.manager not in _DEBIAN:
        return f"installs system packages ({names}) with {install.manager}, which a Debian sandbox does not have", ()
    known = set(tools.toolbox) | {p for p in tools.packages.values() if p}
    provided = [p for p in install.packages if p in known and _PACKAGE_NAME.match(p)]
    missing = [p for p in install.packages if p not in provided]
    head = f"installs system packages ({names}) with {install.manager}: not run"
    if not missing:
        tail = "; the sandbox image carries them"
    elif provided:
        tail = f"; the sandbox image carries {', '.join(provided)} but not {', '.join(missing)}"
    else:
        tail = f"; the sandbox does not know {', '.join(missing)}"
    return head + tail, tuple(p for p in provided if p not in tools.toolbox)


# Programs that run in the foreground until stopped (servers, watchers): a reader starts them
# and goes on in another terminal. (program, first words that make it one; () = any use)
FOREGROUND: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("python", ("-m http.server", "manage.py runserver", "-m uvicorn", "-m flask run")),
    ("python3", ("-m http.server", "manage.py runserver", "-m uvicorn", "-m flask run")),
    ("flask", ("run",)), ("uvicorn", ()), ("gunicorn", ()), ("hypercorn", ()),
    ("npm", ("start", "run dev", "run serve", "run start")), ("yarn", ("start", "dev", "serve")),
    ("pnpm", ("start", "dev")), ("rails", ("server", "s")), ("php", ("-S",)), ("hugo", ("server",)),
    ("jekyll", ("serve",)), ("bundle", ("exec jekyll serve",)), ("mkdocs", ("serve",)),
    ("jupyter", ("notebook", "lab")), ("streamlit", ("run",)), ("redis-server", ()), ("http-server", ()),
    ("tail", ("-f", "-F")), ("kubectl", ("port-forward", "proxy")), ("minikube", ("tunnel",)),
)


def runs_until_stopped(command: str) -> bool:
    """A single command that serves or watches until Ctrl-C (``python3 -m http.server 8000``)."""
    from extractor.understand.shellsplit import invocations

    if command.rstrip().endswith("&"):
        return False  # already in the background, as written
    calls = invocations(command)
    if not calls:
        return False
    last = calls[-1]
    words = " ".join(last.args)
    for program, starts in FOREGROUND:
        if last.name == program and (not starts or any(words == w or words.startswith(w + " ") for w in starts)):
            return True
    return False


def in_background(command: str, block: int, step: int) -> str:
    """The step as a reader runs it in a second terminal: started in the background, its output
    so far shown once it has printed something (or 5 s passed), still running afterwards. The
    step fails only if the program already exited with an error."""
    log = f"/tmp/.tutorcheck-bg-{block}-{step}.log"
    return (f"{{ {command}\n}} >{log} 2>&1 </dev/null &\n"
            "__tc_bg=$!\n"
            f"for __tc_i in $(seq 50); do [ -s {log} ] && break; kill -0 $__tc_bg 2>/dev/null || break; "
            "sleep 0.1; done\n"
            "sleep 0.5\n"
            f"cat {log}\n"
            "kill -0 $__tc_bg 2>/dev/null || wait $__tc_bg\n")


def _step_action(block: CodeBlock, i: int, step: Step, needs: tuple[str, ...], ctx: _Ctx) -> Action:
    base = {"block": block.index, "step": i, "command": step.command, "expected_output": step.expected_output}
    kinds: dict[str, ActionKind] = {"shell": SHELL, "python": PYTHON if block.kind == "session" else SCRIPT}
    kind = kinds.get(step.lang)
    if kind is None:
        return Action(SKIP, reason=f"cannot run {step.lang} steps", need=NeedKind.LANG, **base)  # type: ignore[arg-type]
    install = system_install(step.command) if kind == SHELL else None
    if install is not None:  # needs root and a mirror; the article's image layer does it instead
        why, packages = install_reason(install, ctx.tools)
        ctx.packages |= set(packages)
        return Action(PROVIDED, reason=why, need=NeedKind.ROOT, **base)  # type: ignore[arg-type]
    skip = skip_reason(needs, step.command, ctx)
    if skip:
        return Action(SKIP, reason=skip.reason, need=skip.need, **base)  # type: ignore[arg-type]
    ctx.packages |= _packages(needs, ctx.tools)
    if kind == SHELL:
        ctx.assigned |= set(_ASSIGN.findall(step.command)) | set(_READ.findall(step.command))
    path = f"{SCRIPT_DIR}/block-{block.index}-step-{i}.py" if kind == SCRIPT else ""
    source = step.command
    if kind == SHELL and runs_until_stopped(step.command):
        source = in_background(step.command, block.index, i)
    return Action(kind, source=source, path=path, needs_state="state" in needs, **base)  # type: ignore[arg-type]


def _block_actions(block: CodeBlock, ctx: _Ctx) -> list[Action]:
    actions: list[Action] = []
    if block.kind in RUN_KINDS:
        steps = _steps_of(block)
        own = any(s.needs for s in steps)
        skipped: Action | None = None
        for i, step in enumerate(steps):
            needs = step.needs if own else tuple(dict.fromkeys(block.needs + step.needs))
            if skipped is not None:  # a reader's session is a sequence: what follows a gap is not the article's
                actions.append(Action(SKIP, block.index, i, step.command, expected_output=step.expected_output,
                                      need=NeedKind.SEQUENCE,
                                      reason=f"follows step {skipped.step} of this block, which cannot run "
                                             f"({skipped.reason})"))
                continue
            action = _step_action(block, i, step, needs, ctx)
            skipped = action if action.kind == SKIP else None
            actions.append(action)
    elif block.kind == FILE_KIND and block.filename:
        cmd = f"write {block.filename}"
        skip = skip_reason(tuple(n for n in block.needs if n == "placeholder"), block.text, ctx)
        if skip:
            actions.append(Action(SKIP, block.index, 0, cmd, reason=skip.reason, need=skip.need))
        else:
            actions.append(Action(WRITE, block.index, 0, cmd, source=block.text, path=block.filename))
    for check in block.checks:
        actions.append(Action(STATIC, block.index, len(actions), check.command, ok=check.ok,
                              reason=check.message or (f"{check.name} failed" if not check.ok else "")))
    return actions


def make_plan(tutorial: Tutorial, options: PlanOptions | None = None) -> Plan:
    """The ordered actions for ``tutorial`` and the packages its layer needs."""
    options = options or PlanOptions()
    ctx = _Ctx(options=options, tools=options.tools or tool_table())
    actions: list[Action] = []
    for block in tutorial.code_blocks:
        actions.extend(_block_actions(block, ctx))
    return Plan(actions=tuple(actions), packages=tuple(sorted(ctx.packages)))
