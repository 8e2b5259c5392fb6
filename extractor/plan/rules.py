"""The rules of a plan, as tables: what each need asks of a place, why an install step is the
image's job, and how a server starts in the background.

A need rule answers one question: given the run's options and the tool table, is this need
met here, and if not, why (in words) and what kind of need it is (typed, for machines)?
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from extractor.allowlist import refused, under_wildcard
from extractor.model import Install, Need
from extractor.options import RunOptions, configured_note
from extractor.plan.tools import ToolTable
from extractor.vocab import NeedKind


@dataclass(frozen=True)
class Unmet:
    """Why a step is not run: the words for people, the kind for machines."""

    need: NeedKind
    reason: str


@dataclass(frozen=True)
class Provides:
    """What the place provides: the run's options and the tool table of its image."""

    options: RunOptions
    tools: ToolTable


NeedRule = Callable[[Sequence[Need], Provides], str | None]

# Tools no Debian package provides because they stand for something else the sandbox lacks:
# the need a skip for them reports.
TOOL_NEEDS: dict[str, NeedKind] = {
    "sudo": NeedKind.ROOT, "cmd": NeedKind.OS, "powershell": NeedKind.OS,
    "systemctl": NeedKind.SERVICE, "service": NeedKind.SERVICE, "journalctl": NeedKind.SERVICE,
}


def _cluster(needs: Sequence[Need], here: Provides) -> str | None:
    return None if here.options.kubeconfig else "needs a Kubernetes cluster"


def _placeholder(needs: Sequence[Need], here: Provides) -> str | None:
    # A variable nobody sets ($NAMESPACE) is filled in with --env NAME=...; text (<your-name>) by an edit.
    unmet = [n.value for n in needs if not (n.value.startswith("$") and n.value[1:] in here.options.env_names)]
    if not unmet:
        return None
    return f"a placeholder must be filled in: {unmet[0] or 'a value of your own'}"


def _secret(needs: Sequence[Need], here: Provides) -> str | None:
    names = [n.value for n in needs if n.value]
    typed = [name for name in names if not name.isidentifier()]  # <one-time-password>: the page's own stand-in
    if typed:
        return f"needs a secret of the reader's own, to fill in: {typed[0]}"
    if not names:
        return "needs a secret the step does not name (no $VARIABLE to supply with --env)"
    missing = [name for name in dict.fromkeys(names) if name not in here.options.env_names]
    if missing:
        return "needs a secret: supply " + ", ".join(f"--env {name}=..." for name in missing)
    return None


def _network(needs: Sequence[Need], here: Provides) -> str | None:
    listed = here.options.allow_hosts
    if listed:  # a destination the step names outside the list; one it does not name runs (the filter decides)
        why = next((r for n in needs if (r := refused(listed, n.value))), "")
        configured = configured_note(here.options, "allow-hosts")
        return f"needs the network: {why}" + (f" ({configured})" if configured else "") if why else None
    if here.options.allow_network:
        return None
    configured = configured_note(here.options, "allow-network")
    return "needs the network (run with --allow-network" + (f"; {configured} is false)" if configured else ")")


def wildcard_names(needs: Sequence[Need], options: RunOptions) -> set[str]:
    """The names a running step reaches that only a wildcard of the allow-list admits: the
    sandbox resolves and pins them as it does the list's own names (``Plan.hosts``)."""
    return {name for n in needs if n.kind == NeedKind.NETWORK
            and (name := under_wildcard(options.allow_hosts, n.value))} if options.allow_hosts else set()


def unavailable_tool(needs: Sequence[Need], here: Provides) -> Need | None:
    """The first tool of ``needs`` the place's image cannot have."""
    for need in needs:
        tool, table = need.value, here.tools
        # Unknown is not unavailable: a misspelt or renamed command must fail loudly ("command
        # not found"), not hide behind a skip. So an unknown tool runs.
        if not (table.in_toolbox(tool) or not table.known(tool) or table.package_for(tool) is not None):
            return need
    return None


def _tool(needs: Sequence[Need], here: Provides) -> str | None:
    need = unavailable_tool(needs, here)
    if need is None:
        return None
    note = here.tools.notes.get(need.value)
    return f"needs {note}" if note else f"needs the tool {need.value}, which no Debian package provides"


def _service(needs: Sequence[Need], here: Provides) -> str | None:
    from extractor.plan.services import SERVICES

    unknown = [n.value or "a" for n in needs if n.value not in SERVICES]
    return f"needs a running {unknown[0]} server, which the sandbox cannot start" if unknown else None


def _interactive(needs: Sequence[Need], here: Provides) -> str | None:
    return "interactive: waits for the reader to type an answer the article does not show"


def _file(needs: Sequence[Need], here: Provides) -> str | None:
    if needs[0].value.startswith("`"):  # a Python name
        return f"uses {needs[0].value}, which this page never defines (an earlier page of the tutorial does)"
    return (f"uses {needs[0].value}, which the article never gives nor makes "
            "(the reader's own, or made on an earlier page)")


def _os(needs: Sequence[Need], here: Provides) -> str | None:
    return f"is for {needs[0].value or 'another system'}, as the prose says: not the sandbox's Linux"


def _elided(needs: Sequence[Need], here: Provides) -> str | None:
    return f"stands for what the author left out ({needs[0].value}): no statement to run"


def _gui(needs: Sequence[Need], here: Provides) -> str | None:
    return "needs a desktop session (a display), which the sandbox does not have"


def _hardware(needs: Sequence[Need], here: Provides) -> str | None:
    return "needs a device on the reader's machine (USB, serial, disk), which the sandbox does not have"


def _root(needs: Sequence[Need], here: Provides) -> str | None:
    return "writes into a folder of the system, which needs root; the sandbox never grants it"


def _excerpt(needs: Sequence[Need], here: Provides) -> str | None:
    path, _, block = needs[0].value.rpartition(":")
    return (f"uses {path} as block {block} changes it, but that block is an excerpt which cannot be placed in "
            f"the version of {path} shown before, and the page never shows the whole new file")


def _other(needs: Sequence[Need], here: Provides) -> str | None:
    return f"needs {', '.join(n.value for n in needs)}, which the sandbox does not provide"


# Checked in this order; the first unmet need wins, so a skip names the thing most surely
# missing. A line that only stands for what the author left out is no statement at all: first.
# What the machine lacks outright comes next (another system, a cluster, a display, a device); then
# what only the reader has: a secret (it outranks a placeholder beside it: filling in the
# address alone does not let ``curl -u <email> -H 'OTP:<one-time-password>'`` run), a value to
# fill in; the network (reaching a server is what ``mkdocs gh-deploy`` or ``dupload x.changes``
# is for, whatever files it also reads); a file of the reader's own or an earlier page's
# (``sudo debi gentoo_0.9.12-1_i386.changes``: the .changes file, not root); a tool; root last:
# ``sudo`` before a step is the least of what it lacks. ``state`` is not here: it depends on
# what earlier steps did (see make.py, where a knock-on also outranks root). Each row: the
# needs it judges, its rule, and the need kind its skip reports (None: the kind of the need,
# refined for tools by TOOL_NEEDS; a need no rule knows is reported as a tool the sandbox lacks).
NEED_RULES: tuple[tuple[NeedKind, NeedRule, NeedKind | None], ...] = (
    (NeedKind.ELIDED, _elided, None),
    (NeedKind.OS, _os, None),
    (NeedKind.CLUSTER, _cluster, None),
    (NeedKind.GUI, _gui, None),
    (NeedKind.HARDWARE, _hardware, None),
    (NeedKind.SECRET, _secret, None),
    (NeedKind.PLACEHOLDER, _placeholder, None),
    (NeedKind.NETWORK, _network, None),
    (NeedKind.FILE, _file, None),
    (NeedKind.EXCERPT, _excerpt, None),
    (NeedKind.TOOL, _tool, None),
    (NeedKind.ROOT, _root, None),
    (NeedKind.SERVICE, _service, None),
    (NeedKind.INTERACTIVE, _interactive, None),
    (NeedKind.OTHER, _other, NeedKind.TOOL),
)


def unmet(needs: Sequence[Need], here: Provides) -> Unmet | None:
    """The first need of ``needs`` this place cannot meet, or None."""
    for kind, rule, reported in NEED_RULES:
        of_kind = [n for n in needs if n.kind == kind]
        if of_kind and (reason := rule(of_kind, here)):
            if kind == NeedKind.TOOL and (tool := unavailable_tool(of_kind, here)) is not None:
                reported = TOOL_NEEDS.get(tool.value)
            return Unmet(reported or kind, reason)
    return None


def tool_packages(needs: Sequence[Need], tools: ToolTable) -> set[str]:
    """The packages the article's layer adds for the tools of a step that runs: Debian's, and
    for a module a Python step imports (``tool:python:pint``) ``pymod:pint``, which the layer
    installs from Debian (``python3-pint``, the version a Debian reader has) or else PyPI."""
    out = set()
    for need in needs:
        if need.kind == NeedKind.TOOL and need.value.startswith("python:"):
            out.add("pymod:" + need.value.split(":", 1)[1])
        elif need.kind == NeedKind.TOOL:
            pkg = tools.package_for(need.value)
            if pkg and not tools.in_toolbox(need.value):
                out.add(pkg)
    return out


_DEBIAN = frozenset({"apt", "apt-get"})
_PACKAGE_NAME = re.compile(r"^[a-z0-9][a-z0-9+.-]+$")


def install_need(install: Install) -> NeedKind:
    """What an install step the image does in its stead needed: on Debian the mirror (the
    network: installing software is fetching it, with or without ``sudo``); with dnf, pacman
    or brew, another system."""
    return NeedKind.NETWORK if install.manager in _DEBIAN else NeedKind.OS


def install_reason(install: Install, tools: ToolTable) -> tuple[str, tuple[str, ...]]:
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


_ECOSYSTEMS = {"pip": "Python packages", "npm": "JavaScript packages"}


Listed = Mapping[str, tuple[str, ...]]  # a requirements file's name → the packages it lists


def shown_version(spec: str, shown: Mapping[str, str]) -> str:
    """``pip:flask`` → ``pip:flask==2.2.2`` when the article shows that version and the command
    pins none (a pinned or ranged spec is left as written)."""
    ecosystem, _, name = spec.partition(":")
    version = shown.get(name.lower()) if ecosystem in ("pip", "npm") and name.replace("-", "").isalnum() else None
    if not version:
        return spec
    return f"{spec}=={version}" if ecosystem == "pip" else f"{spec}@{version}"


def layer_packages(specs: Sequence[str], files: Listed, shown: Mapping[str, str] | None = None,
                   ) -> tuple[tuple[str, ...], str | None]:
    """The language packages the image layer installs for ``specs`` (``pip:flask``), with a
    requirements file (``pip-r:requirements.txt``) replaced by the packages the article's file
    lists (``files``: file name → its ``Facts.packages``); and the requirements file the article
    never shows, if one is missing."""
    out: list[str] = []
    for spec in specs:
        ecosystem, _, value = spec.partition(":")
        if ecosystem != "pip-r":
            out.append(shown_version(spec, shown or {}))
            continue
        listed = files.get(value, files.get(value.rsplit("/", 1)[-1]))
        if listed is None:
            return (), value
        out += listed
    return tuple(dict.fromkeys(out)), None


def language_install_reason(install: Install, files: Listed, shown: Mapping[str, str] | None = None,
                            ) -> tuple[str, tuple[str, ...]] | Unmet:
    """Why a step that installs language packages is not run, and the packages the article's
    layer installs in its place (from the registry when the image is built); Unmet when the
    packages are not known (a requirements file the article does not show)."""
    packages, missing = layer_packages(install.packages, files, shown)
    if missing is not None:
        return Unmet(NeedKind.NETWORK, f"installs the requirements in {missing}, which the article does not show: "
                                       "needs the network (run with --allow-network)")
    kinds = sorted({_ECOSYSTEMS[p.split(":", 1)[0]] for p in packages})
    names = ", ".join(p.split(":", 1)[1] for p in packages)
    chosen = [p for p in packages if p not in install.packages and p.split(":", 1)[0] in ("pip", "npm")]
    why = f"; the version{'s' if len(chosen) > 1 else ''} the article shows" if chosen else ""
    return (f"installs {' and '.join(kinds) or 'packages'} ({names}) with {install.manager}: not run; the sandbox "
            f"image carries them, installed from the registry when it was built{why}", packages)


def in_background(command: str, block: int, step: int, port: int | None = None) -> str:
    """The step as a reader runs it in a second terminal: started in the background, its output
    so far shown once it has printed something (or 5 s passed) and, for a server, once its port
    answers (at most 15 s), still running afterwards, so the next step can use it. The step
    fails only if the program already exited with an error. Started from a command substitution,
    it is no job of the steps' shell: a second terminal's program prints no ``[1] 4242`` or
    ``[1]+  Done`` in the first one (its exit status goes to a file beside its log)."""
    log = f"/tmp/.tutorcheck-bg-{block}-{step}.log"
    status = f"/tmp/.tutorcheck-bg-{block}-{step}.status"
    wait_port = ("" if port is None else
                 f"for __tc_i in $(seq 150); do (: <>/dev/tcp/127.0.0.1/{port}) 2>/dev/null && break; "
                 "kill -0 $__tc_bg 2>/dev/null || break; sleep 0.1; done\n")
    return (f"__tc_bg=$({{ {{ {command}\n}} >{log} 2>&1 </dev/null; echo $? >{status}; }} >/dev/null 2>&1 </dev/null "
            "& echo $!)\n"
            f"for __tc_i in $(seq 50); do [ -s {log} ] && break; kill -0 $__tc_bg 2>/dev/null || break; "
            "sleep 0.1; done\n"
            f"{wait_port}"
            "sleep 0.5\n"
            f"cat {log}\n"
            f"kill -0 $__tc_bg 2>/dev/null || {{ read -r __tc_i <{status}; (exit \"${{__tc_i:-0}}\"); }} 2>/dev/null\n")


__all__ = ["NEED_RULES", "TOOL_NEEDS", "Provides", "Unmet", "in_background", "install_reason",
           "language_install_reason", "layer_packages", "tool_packages", "unmet"]
