"""What a step needs to run as written: cluster, network, secret, placeholder, state, tool:NAME.

``state`` means the step uses files or objects that this block did not make before it
(they come from earlier blocks or from outside the article). :class:`Made` tracks
what earlier steps of the block made; the article's variables are tracked by the caller.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from extractor.understand import shellsplit, words
from extractor.understand.placeholders import credential, placeholders
from extractor.understand.tables import (
    ALWAYS_THERE_NAMESPACES,
    ALWAYS_THERE_RESOURCES,
    BASE_PROGRAMS,
    BUILTIN_K8S_GROUPS,
    BUILTIN_RESOURCES,
    CLUSTER_FREE_SUBCOMMANDS,
    CREDENTIALED_CLIS,
    NETWORK_SUBCOMMANDS,
    SHELL_BUILTINS,
    STANDARD_VARS,
)

_URL = re.compile(r"https?://")
_LOCAL = re.compile(r"^(https?://)?(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])([:/]|$)")
_WRAPPERS = frozenset({"sudo", "env", "time", "nohup", "exec", "command", "xargs", "watch", "timeout", "nice"})
# Options that take a value in the next word, per program.
_KUBE_FLAGS = frozenset("""
-n --namespace --context --kubeconfig --cluster --user -s --server --kube-context -l --selector
--set --set-string --set-file --set-json -f --values --filename --version --repo --timeout
--description --post-renderer -o --output --sort-by --field-selector -c --container --image
""".split())
VALUE_FLAGS: dict[str, frozenset[str]] = {
    "kubectl": _KUBE_FLAGS, "helm": _KUBE_FLAGS,
    "curl": frozenset("-o --output -H --header -d --data --data-raw --data-binary -X --request -u --user -A "
                      "--user-agent -e -w -T -F --form -m --max-time --connect-timeout -b -c --cacert".split()),
    "wget": frozenset("-O -o -P --header -U".split()),
}
_KUBECTL_MAKERS = frozenset({"create", "apply", "run", "expose", "replace"})
# Program → which of its positional words are files it reads ("all", "first", "rest").
FILE_READERS: dict[str, str] = {
    **dict.fromkeys(("cat", "less", "more", "head", "tail", "wc", "nl", "sort", "uniq", "diff", "cmp", "ls",
                     "chmod", "stat", "md5sum", "sha256sum", "jq"), "all"),
    **dict.fromkeys(("source", ".", "bash", "sh", "zsh", "python", "python3", "node", "ruby", "perl"), "first"),
    **dict.fromkeys(("grep", "egrep", "fgrep", "sed", "awk"), "rest"),
}
_HOME_OR_UP = frozenset({"~", "-", "..", ".", "/"})
# Working directories a fresh shell has: home and the root, POSIX or Windows.
_HOME = re.compile(r"^(~/?|/|/root|/home/[^/]+|[A-Za-z]:\\?|[A-Za-z]:\\Users\\[^\\]+)$")
# Commands that make a file or directory named by their last word: (program, leading words).
MAKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("python3", ("-m", "venv")), ("python", ("-m", "venv")), ("virtualenv", ()), ("uv", ("venv",)),
    ("git", ("init",)), ("cargo", ("new",)), ("cargo", ("init",)), ("npm", ("init",)),
)
# Commands that make a known file in the working directory.
MAKES_FILE: dict[tuple[str, str], str] = {("go", "mod"): "go.mod", ("npm", "init"): "package.json"}
_OPAQUE_MAKERS = frozenset({"tar", "unzip", "git", "npm", "npx", "cargo", "go", "helm", "make", "pip"})


@dataclass
class Made:
    """What earlier steps of the current block made (mutable while walking one block)."""

    namespaces: set[str] = field(default_factory=set)
    k8s: bool = False
    installer: bool = False
    helm_repos: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    opaque: bool = False
    variables: set[str] = field(default_factory=set)


def _positionals(args: tuple[str, ...], program: str = "kubectl") -> list[str]:
    """The words of a command that are not options (nor option values)."""
    value_flags = VALUE_FLAGS.get(program, frozenset())
    out: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg.startswith("-"):
            skip = arg in value_flags
        else:
            out.append(arg)
    return out


def _flag(args: tuple[str, ...], *names: str) -> str | None:
    for i, arg in enumerate(args):
        for name in names:
            if arg == name and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(name + "="):
                return arg.split("=", 1)[1]
    return None


def _unwrap(inv: shellsplit.Invocation) -> shellsplit.Invocation:
    while inv.name in _WRAPPERS and inv.args:
        rest = list(inv.args)
        while rest and (rest[0].startswith("-") or "=" in rest[0] or rest[0].isdigit()):
            rest.pop(0)
        if not rest:
            break
        inv = shellsplit.Invocation(rest[0], tuple(rest[1:]))
    return inv


def _norm(path: str) -> str:
    return posixpath.normpath(path.strip("'\"")).lstrip("/") if path else path


def embedded_docs(command: str) -> list[dict[str, object]]:
    """Manifests a command feeds to ``kubectl apply -f -`` (heredoc body or quoted text)."""
    import yaml

    lines = command.split("\n")[1:]
    if "<<-" in command.split("\n")[0]:
        lines = [line.lstrip("\t") for line in lines]
    if lines and re.fullmatch(r"\s*['\"]?\w*['\"]?.*", lines[-1]) and not re.match(r"\s*[\w-]+:", lines[-1]):
        lines = lines[:-1]
    try:
        return [d for d in yaml.safe_load_all("\n".join(lines)) if isinstance(d, dict)]
    except yaml.YAMLError:
        return []


def _kubectl(inv: shellsplit.Invocation, command: str, made: Made, needs: set[str]) -> None:
    pos = _positionals(inv.args)
    verb = pos[0] if pos else ""
    if verb in CLUSTER_FREE_SUBCOMMANDS["kubectl"]:
        return
    needs.add("cluster")
    ns = _flag(inv.args, "-n", "--namespace")
    if verb == "create" and len(pos) >= 3 and pos[1] in ("ns", "namespace"):
        made.namespaces.add(pos[2])
        made.k8s = True
        return
    if ns and ns not in made.namespaces and ns != "default" and ns not in ALWAYS_THERE_NAMESPACES:
        needs.add("state")
    if verb in _KUBECTL_MAKERS:
        _kubectl_make(inv, command, made, needs)
        made.k8s = True
        return
    kinds = {k.split("/")[0].lower() for k in pos[1].split(",")} if len(pos) > 1 else set()
    if kinds and kinds <= ALWAYS_THERE_RESOURCES or ns in ALWAYS_THERE_NAMESPACES:
        return
    if verb in ("get", "describe", "top") and {"-A", "--all-namespaces"} & set(inv.args) and kinds and (
        kinds <= BUILTIN_RESOURCES and len(pos) == 2
    ):
        return  # every cluster has pods, services... in its system namespaces
    if not (made.k8s and (ns is None or ns == "default" or ns in made.namespaces)):
        needs.add("state")


def _kubectl_make(inv: shellsplit.Invocation, command: str, made: Made, needs: set[str]) -> None:
    source = _flag(inv.args, "-f", "--filename", "-k", "--kustomize")
    if source and _URL.match(source):
        needs.add("network")
        made.installer = True
    elif source == "-":
        for doc in embedded_docs(command):
            _manifest(doc, made, needs)
    elif source and _norm(source) not in made.paths and not made.opaque:
        needs.add("state")


def _manifest(doc: dict[str, object], made: Made, needs: set[str]) -> None:
    api = str(doc.get("apiVersion", ""))
    group = api.split("/")[0] if "/" in api else ""
    if group and group not in BUILTIN_K8S_GROUPS and not made.installer:
        needs.add("state")  # a custom resource: its CRD must be installed already
    meta = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    ns = meta.get("namespace")
    if doc.get("kind") == "Namespace" and meta.get("name"):
        made.namespaces.add(str(meta["name"]))
    elif ns and ns != "default" and ns not in made.namespaces and ns not in ALWAYS_THERE_NAMESPACES:
        needs.add("state")


def _helm(inv: shellsplit.Invocation, made: Made, needs: set[str]) -> None:
    pos = _positionals(inv.args)
    verb = pos[0] if pos else ""
    if verb == "repo" and len(pos) > 1:
        needs.add("network")
        if pos[1] == "add" and len(pos) > 2:
            made.helm_repos.add(pos[2])
        elif pos[1] == "update" and not made.helm_repos:
            needs.add("state")
        return
    if verb not in CLUSTER_FREE_SUBCOMMANDS["helm"]:
        needs.add("cluster")
    if verb in ("install", "upgrade", "template", "pull", "show"):
        at = 2 if verb in ("install", "upgrade", "template") else 1
        chart = pos[at] if len(pos) > at else ""
        if chart.startswith(("oci://", "http://", "https://")) or _flag(inv.args, "--repo"):
            needs.add("network")
        elif "/" in chart and not chart.startswith((".", "/")):
            needs.add("network")
            if chart.split("/")[0] not in made.helm_repos:
                needs.add("state")
        elif chart and _norm(chart) not in made.paths and not made.opaque:
            needs.add("state")
        ns = _flag(inv.args, "-n", "--namespace")
        if ns and "--create-namespace" in inv.args:
            made.namespaces.add(ns)
        if verb in ("install", "upgrade"):
            made.k8s = made.installer = True


def _files(inv: shellsplit.Invocation, made: Made, needs: set[str]) -> None:
    """Files and directories the command makes, and the ones it reads that nobody made."""
    name, args = inv.name, inv.args
    pos = [a for a in args if not a.startswith("-")]
    for program, lead in MAKERS:
        if name == program and args[: len(lead)] == lead and len(args) > len(lead):
            made.paths.add(_norm(args[-1]))
    if (name, pos[0] if pos else "") in MAKES_FILE:
        made.paths.add(MAKES_FILE[(name, pos[0])])
    if name == "mkdir":
        made.paths.update(_norm(p) for p in pos)
    elif name in ("touch", "cp", "mv", "ln") and pos:
        made.paths.add(_norm(pos[-1]))
    elif name == "curl":
        out = _flag(args, "-o", "--output")
        if out:
            made.paths.add(_norm(out))
        elif "-O" in args or "--remote-name" in args:
            made.paths.update(_norm(a.rsplit("/", 1)[-1]) for a in pos if _URL.match(a))
    elif name == "wget":
        out = _flag(args, "-O")
        made.paths.update({_norm(out)} if out else {_norm(a.rsplit("/", 1)[-1]) for a in pos if _URL.match(a)})
    elif name == "git" and pos[:1] == ["clone"] and len(pos) > 1:
        made.paths.add(_norm(pos[2] if len(pos) > 2 else pos[1].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")))
    elif name in _OPAQUE_MAKERS and name not in ("git", "helm"):
        made.opaque = made.opaque or any(a in ("x", "init", "install", "build", "create", "new") or
                                         (name == "tar" and "x" in a.lstrip("-")) for a in args[:2])
    which = FILE_READERS.get(name)
    if which and not made.opaque:
        chosen = {"all": pos, "first": pos[:1], "rest": pos[1:]}[which]
        if any(_is_local_path(a) and not _made(a, made) for a in chosen):
            needs.add("state")
    if name == "cd" and pos:
        target = pos[0]
        if target not in _HOME_OR_UP and not target.startswith("/") and not _made(target, made) and not made.opaque:
            needs.add("state")
        made.paths.add(_norm(target.removeprefix("~/")))
    if name.startswith(("./", "../")) and _norm(name) not in made.paths and not made.opaque:
        needs.add("state")


def _is_local_path(arg: str) -> bool:
    return bool(arg) and not _URL.match(arg) and not arg.startswith(("$", "~", "/")) and (
        "/" in arg or re.search(r"\.[A-Za-z0-9]{1,6}$", arg) is not None
    ) and arg not in (".", "..")


def _made(path: str, made: Made) -> bool:
    """Did an earlier step of the block make ``path`` (or a directory holding it)?"""
    norm = _norm(path.removeprefix("~/"))
    return norm in made.paths or any(norm.startswith(p + "/") or p.startswith(norm + "/") for p in made.paths)


def _redirects(command: str, made: Made) -> None:
    for m in re.finditer(r"(?<![<>&\d])>{1,2}\s*([^\s;&|<>()]+)", command.split("\n")[0]):
        made.paths.add(_norm(m.group(1)))
    for m in re.finditer(r"\btee\s+(?:-a\s+)?([^\s;&|<>]+)", command):
        made.paths.add(_norm(m.group(1)))


def _program(inv: shellsplit.Invocation, needs: set[str]) -> None:
    name = inv.name
    if not name or name.startswith(("$", "./", "../", "/", "~")) or "=" in name:
        return
    if name not in BASE_PROGRAMS and name not in SHELL_BUILTINS:
        needs.add(f"tool:{name}")
    if name in CREDENTIALED_CLIS:
        needs.update({"network", "secret"})
    subs = NETWORK_SUBCOMMANDS.get(name, frozenset())
    pos = _positionals(inv.args, name)
    if name in ("curl", "wget") and pos and all(_LOCAL.match(a) for a in pos):
        return  # the loopback interface is there without a network
    if subs is None or (subs and pos and pos[0] in subs and name not in ("helm", "docker")):
        needs.add("network")
    if name == "docker" and pos and pos[0] in ("pull", "push", "login", "run", "build"):
        needs.add("network")


def _variables(command: str, made: Made, known: set[str], needs: set[str]) -> None:
    for var in shellsplit.used_variables(command):
        if var in STANDARD_VARS or var in made.variables or var in known or var.isdigit() or var in "@*#?$!-_":
            continue
        needs.add("secret" if credential(var) else "placeholder")


def step_needs(command: str, made: Made, known_vars: set[str], workdir: str | None = None) -> tuple[str, ...]:
    """The needs of one shell command; updates ``made`` with what the command makes."""
    needs: set[str] = set()
    if workdir and not _HOME.match(workdir) and _norm(workdir.replace("~/", "")) not in made.paths:
        if posixpath.basename(workdir.rstrip("/")) not in {posixpath.basename(p) for p in made.paths}:
            needs.add("state")
    if any(not _LOCAL.match(m.group(0)) for m in re.finditer(r"https?://\S+", command)):
        needs.add("network")
    found = placeholders(command)
    if found:
        needs.add("placeholder")
        if any(credential(p) for p in found):
            needs.add("secret")
    _variables(command, made, known_vars, needs)
    for raw in shellsplit.invocations(command):
        inv = _unwrap(raw)
        if raw.name == "sudo":
            needs.add("tool:sudo")
        _program(inv, needs)
        if inv.name == "kubectl":
            _kubectl(inv, command, made, needs)
        elif inv.name == "helm":
            _helm(inv, made, needs)
        _files(inv, made, needs)
    _redirects(command, made)
    made.variables |= shellsplit.assigned_variables(command)
    return tuple(sorted(needs))


def text_needs(text: str) -> tuple[str, ...]:
    """Needs of content that is saved, not run (a file): placeholders and secrets to fill in."""
    found = placeholders(text)
    needs = {"placeholder"} if found else set()
    if any(credential(p) for p in found):
        needs.add("secret")
    return tuple(sorted(needs))


def is_known(word: str) -> bool:
    return words.is_known_program(word)
