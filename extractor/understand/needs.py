"""What a step needs to run as written: cluster, network, secret, placeholder, state, tool:NAME.

``state`` means the step uses files or objects that this block did not make before it
(they come from earlier blocks' steps or from outside the article); a file the article says
to save is the reader's from then on, and needs no earlier step (``article.py``). What the
whole article never gives is ``file:NAME`` (:mod:`.assumed`). :class:`~.made.Made` tracks
what earlier steps of the block made; the article's variables are tracked by the caller.
The Kubernetes rules are in :mod:`.kube`, the file rules in :mod:`.paths`.
"""

from __future__ import annotations

import re

from extractor.understand import kube, paths, services, shellsplit, toolchains
from extractor.understand.made import LOCAL, Made, flag, positionals
from extractor.understand.placeholders import credential, in_command, placeholders
from extractor.understand.tables import (
    BASE_PROGRAMS,
    BUILTIN_SUBCOMMANDS,
    CREDENTIALED_CLIS,
    GUI_PROGRAMS,
    HARDWARE_PATHS,
    HARDWARE_PROGRAMS,
    NETWORK_OPTIONS,
    NETWORK_SUBCOMMANDS,
    PUBLISHES,
    SHELL_BUILTINS,
    STANDARD_VARS,
    UNINSTALLS,
)

__all__ = ["Made", "fetches", "program", "step_needs", "text_needs", "unset_variables"]

_WRAPPERS = frozenset({"sudo", "env", "time", "nohup", "exec", "command", "xargs", "watch", "timeout", "nice"})


def _unwrap(inv: shellsplit.Invocation) -> shellsplit.Invocation:
    while inv.name in _WRAPPERS and inv.args:
        rest = list(inv.args)
        while rest and (rest[0].startswith("-") or "=" in rest[0] or rest[0].isdigit()):
            rest.pop(0)
        if not rest:
            break
        inv = shellsplit.Invocation(rest[0], tuple(rest[1:]))
    return inv


# A program named by a Windows path or extension (``venv\\Scripts\\activate``, ``.\\hello.exe``):
# it runs in the Windows command prompt, which stands for the other OS.
_WINDOWS_PROGRAM = re.compile(r"\\|\.(?:exe|bat|cmd|ps1)$", re.IGNORECASE)


def _program(inv: shellsplit.Invocation, needs: set[str], projects: toolchains.Projects | None = None) -> None:
    name = inv.name
    if _WINDOWS_PROGRAM.search(name):
        needs.add("tool:cmd")
        return
    if not name or name.startswith(("$", "./", "../", "/", "~", "-")) or "=" in name:
        if name.rsplit("/", 1)[-1] in toolchains.WRAPPERS:
            needs.add("network")  # ./gradlew, ./mvnw: their first run downloads the build tool
        return
    if name not in BASE_PROGRAMS and name not in SHELL_BUILTINS:
        needs.add(f"tool:{name}")
    sub = next((a for a in inv.args if not a.startswith(("-", "+"))), "")  # cargo +nightly clippy: a toolchain
    if name in BUILTIN_SUBCOMMANDS and sub and sub not in BUILTIN_SUBCOMMANDS[name]:
        needs.add(f"tool:{name}-{sub}")  # cargo clippy runs cargo-clippy
    if name in GUI_PROGRAMS or any(a in GUI_PROGRAMS for a in inv.args):
        needs.add("gui")  # a desktop session: the program draws on it, or the command acts on such a program
    if name in HARDWARE_PROGRAMS or any(a.startswith(HARDWARE_PATHS) for a in inv.args):
        needs.add("hardware")
    if name in CREDENTIALED_CLIS or _names_a_subcommand(positionals(inv.args, name), PUBLISHES.get(name, frozenset())):
        needs.update({"network", "secret"})
    service = services.service_of(inv)
    if service:
        needs.add(f"service:{service}")
    subs = NETWORK_SUBCOMMANDS.get(name, frozenset())
    pos = positionals(inv.args, name)
    if name in ("curl", "wget"):
        urls = [a for a in inv.args if "://" in a or LOCAL.match(a)] or pos  # not option values (``--retry 5``)
        if urls and all(LOCAL.match(a) for a in urls):
            return  # the loopback interface is there without a network
    fetch = subs is None or bool(subs and name not in ("helm", "docker") and _names_a_subcommand(pos, subs))
    fetch = fetch or bool(NETWORK_OPTIONS.get(name, frozenset()) & {a.split("=", 1)[0] for a in inv.args})
    fetch = fetch or (name == "docker" and bool(pos) and pos[0] in ("pull", "push", "login", "run", "build"))
    decided = toolchains.fetches(inv, projects) if projects is not None else None
    if decided if decided is not None else fetch:  # what the command would fetch decides, else the table
        needs.add("network")


def program(inv: shellsplit.Invocation) -> shellsplit.Invocation:
    """The program a wrapper runs (``sudo pip install x`` → ``pip install x``), else ``inv``."""
    return _unwrap(inv)


def fetches(inv: shellsplit.Invocation) -> bool:
    """The invocation may reach the network: by its program and subcommand (as :func:`step_needs`
    decides), or by what it would fetch in a project that lists nothing (``python3 -m pip install
    NAME``, ``rsync`` from a host: :mod:`.toolchains`)."""
    found: set[str] = set()
    inv = _unwrap(inv)
    _program(inv, found)
    return "network" in found or bool(toolchains.fetches(inv, toolchains.Projects()))


# docker subcommands that act on a container that must already exist (its name or id follows).
_ON_CONTAINER = frozenset({"exec", "logs", "stop", "start", "restart", "rm", "kill", "inspect", "attach", "port",
                           "top", "pause", "unpause", "wait", "stats", "commit", "diff"})


def _containers(inv: shellsplit.Invocation, made: Made, needs: set[str]) -> None:
    """``docker run --name web`` makes a container; ``docker exec web ...`` needs one that an
    earlier step of the block made (else it comes from elsewhere: ``state``)."""
    pos = positionals(inv.args, "docker")
    verb = pos[0] if pos else ""
    if verb in ("run", "create"):
        name = flag(inv.args, "--name")
        made.containers.add(name or "*")
    elif verb == "compose" or verb == "container" and pos[1:2] == ["run"]:
        made.containers.add("*")  # services by their names: any of them
    elif verb in _ON_CONTAINER and len(pos) > 1 and not ({pos[1], "*"} & made.containers):
        needs.add("state")


def _names_a_subcommand(pos: list[str], subs: frozenset[str]) -> bool:
    """``pos`` starts with one of ``subs``: a word (``install``), two words (``mod tidy``), or a
    word that fetches only with an argument after it (``init *``: ``npm init vite``, not ``npm init -y``)."""
    if not pos:
        return False
    return pos[0] in subs or " ".join(pos[:2]) in subs or (len(pos) > 1 and f"{pos[0]} *" in subs)


def unset_variables(command: str, made: Made, known: set[str]) -> list[str]:
    """Variables the command reads that neither the shell, the command itself, an earlier step
    of the block (``made``) nor an earlier block (``known``) sets: the reader must supply them."""
    own = shellsplit.assigned_variables(command)  # ``for svc in a b; do ... "$svc"``, ``X=1 && echo $X``
    return [var for var in dict.fromkeys(shellsplit.used_variables(command))
            if not (var in STANDARD_VARS or var in made.variables or var in known or var in own or var.isdigit()
                    or var in "@*#?$!-_")]


def _variables(command: str, made: Made, known: set[str], needs: set[str]) -> None:
    for var in unset_variables(command, made, known):
        needs.add("secret" if credential(var) else "placeholder")


def step_needs(command: str, made: Made, known_vars: set[str], workdir: str | None = None,
               projects: toolchains.Projects | None = None) -> tuple[str, ...]:
    """The needs of one shell command; updates ``made`` with what the command makes.
    ``projects``: what the article's files say, for toolchains (:mod:`.toolchains`)."""
    needs: set[str] = set()
    made.unmade = []
    if paths.workdir_needs_state(workdir, made):
        needs.add("state")
    if any(not LOCAL.match(m.group(0)) for m in re.finditer(r"https?://\S+", command)):
        needs.add("network")
    found = in_command(command)
    if found:
        needs.add("placeholder")
        if any(credential(p) for p in found):
            needs.add("secret")
    _variables(command, made, known_vars, needs)
    for raw in shellsplit.invocations(command):
        inv = _unwrap(raw)
        if raw.name == "sudo":
            needs.add("tool:sudo")
        _program(inv, needs, projects)
        if inv.name in ("docker", "podman"):
            _containers(inv, made, needs)
        if inv.name == "kubectl":
            kube.kubectl(inv, command, made, needs)
        elif inv.name == "helm":
            kube.helm(inv, made, needs)
        paths.files(inv, made, needs)
        if UNINSTALLS.get(inv.name, frozenset()) & set(inv.args[:2]):
            needs.add("state")  # ``dpkg -r gentoo``: the package an earlier step installed
    paths.redirects(command, made)
    if paths.writes_system(command):
        needs.add("root")
    made.variables |= shellsplit.assigned_variables(command)
    return tuple(sorted(needs))


def text_needs(text: str, run: bool = False) -> tuple[str, ...]:
    """Needs of content that is saved, not run (a file): placeholders and secrets to fill in;
    with ``run`` (a Python step) also the stand-ins only a running step cannot do with."""
    found = in_command(text, shell=False) if run else placeholders(text)
    needs = {"placeholder"} if found else set()
    if any(credential(p) for p in found):
        needs.add("secret")
    return tuple(sorted(needs))
