"""What a step would leave behind for later steps, had it run: names of files and folders it
mentions (a download, a clone, a redirect, a file it writes), variables it sets, folders it
enters, packages it installs, repositories it makes.

Used to decide whether a later failure is explained by this step not running
(``extractor.blocked``). The names are generous (every word of the command, with URL and
archive suffixes taken off); precision comes from the failure side, which must name one of them.
"""

from __future__ import annotations

import ast
import posixpath
import re
import shlex
from dataclasses import dataclass
from functools import lru_cache

from extractor.understand import shellsplit
from extractor.understand.nature import runs_until_stopped

_ASSIGN = re.compile(r"(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)?)?([A-Za-z_]\w*)=")
_READ = re.compile(r"\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)")
_SUFFIXES = (".git", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip")
_VERSION = re.compile(r"(\[.*?\])?(==|>=|<=|~=|!=|@|>|<|=).*$")

# Package managers: (program, the words before the package names) → what installs.
INSTALLERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("pip", ("install",)), ("pip3", ("install",)), ("python", ("-m", "pip", "install")),
    ("python3", ("-m", "pip", "install")), ("uv", ("pip", "install")), ("uv", ("add",)), ("poetry", ("add",)),
    ("pipx", ("install",)), ("conda", ("install",)), ("npm", ("install",)), ("npm", ("i",)), ("yarn", ("add",)),
    ("pnpm", ("add",)), ("gem", ("install",)), ("cargo", ("add",)), ("cargo", ("install",)), ("go", ("get",)),
    ("go", ("install",)), ("apt", ("install",)), ("apt-get", ("install",)), ("brew", ("install",)),
    ("composer", ("require",)),
)
# The same programs with no package named install the project's own dependencies.
PROJECT_INSTALLS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("npm", ("install",)), ("npm", ("ci",)), ("yarn", ("install",)), ("yarn", ()), ("pnpm", ("install",)),
    ("bundle", ("install",)), ("bundle", ()), ("poetry", ("install",)), ("uv", ("sync",)), ("pipenv", ("install",)),
    ("go", ("mod", "download")), ("go", ("mod", "tidy")), ("composer", ("install",)),
)


@dataclass(frozen=True)
class Provides:
    names: frozenset[str] = frozenset()
    variables: frozenset[str] = frozenset()  # shell variables it sets, Python names it binds
    directories: frozenset[str] = frozenset()  # folders a ``cd`` enters
    packages: frozenset[str] = frozenset()  # normalised package names it installs
    installs_project: bool = False  # installs dependencies it does not name (-r requirements.txt, npm install)
    repository: bool = False  # makes a git repository (git init, git clone)
    invoked: frozenset[str] = frozenset()  # the programs it runs (running a program does not provide it)
    server: bool = False  # would have started a server (a detached container publishing a port, a server package)


def norm_package(name: str) -> str:
    """``PyYAML[extra]==6.0`` → ``pyyaml``; ``@scope/pkg@1`` → ``@scope/pkg``; ``github.com/x/y@v1`` → ``y``."""
    base = _VERSION.sub("", name[1:]) if name.startswith("@") else _VERSION.sub("", name)
    base = ("@" + base) if name.startswith("@") else base
    if "/" in base and not base.startswith("@"):
        base = base.rstrip("/").rsplit("/", 1)[-1]
    return base.lower().replace("_", "-")


def _words(command: str) -> list[str]:
    try:
        return shlex.split(command, comments=True)
    except ValueError:
        return command.split()


def _names(words: list[str]) -> set[str]:
    out: set[str] = set()
    for word in words:
        for part in re.split(r"[>=:,]", word.rstrip("/")):
            if not part or part.startswith("-"):
                continue
            base = posixpath.basename(part.split("?", 1)[0].rstrip("/"))
            out |= {part.removeprefix("./"), base}
            for suffix in _SUFFIXES:
                if base.endswith(suffix) and len(base) > len(suffix):
                    out.add(base[: -len(suffix)])
    return {n for n in out if n}


def python_bindings(source: str) -> set[str]:
    """Names a Python step binds (assignments, imports, definitions); empty when it is not Python."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
    return out


def _after(args: tuple[str, ...], lead: tuple[str, ...]) -> list[str] | None:
    if tuple(args[: len(lead)]) != lead:
        return None
    return [a for a in args[len(lead):] if not a.startswith("-")]


def _installs(inv: shellsplit.Invocation) -> tuple[set[str], bool]:
    name, args = inv.name, inv.args
    if name == "sudo" and args:
        name, args = args[0], args[1:]
    packages: set[str] = set()
    project = False
    for program, lead in INSTALLERS:
        rest = _after(args, lead) if name == program else None
        if rest:
            packages |= {norm_package(p) for p in rest if p not in (".",)}
            project |= "." in rest or any(a in ("-r", "--requirement", "-e", "--editable") for a in args)
    for program, lead in PROJECT_INSTALLS:
        rest = _after(args, lead) if name == program else None
        if rest is not None and not rest:
            project = True
    return packages, project


# Programs whose arguments (all, or all but the last) are read or entered, not made.
READS_ALL = frozenset({"cd", "pushd", "cat", "less", "more", "head", "tail", "wc", "grep", "source", ".", "diff"})
READS_BUT_LAST = frozenset({"cp", "mv", "ln", "install", "rsync", "scp"})


def _read_only(calls: list[shellsplit.Invocation]) -> set[str]:
    out: set[str] = set()
    for inv in calls:
        args = [a for a in inv.args if not a.startswith("-")]
        if inv.name in READS_ALL:
            out |= _names(args)
        elif inv.name in READS_BUT_LAST and len(args) > 1:
            out |= _names(args[:-1]) - _names(args[-1:])
    return out


# Packages that are servers a later client connects to (besides every ``*-server`` package).
SERVER_PACKAGES = frozenset({"postgresql", "redis", "mariadb", "mysql", "mongodb", "rabbitmq", "memcached",
                             "nginx", "apache2", "elasticsearch", "kafka", "mosquitto"})
_CONTAINERS = frozenset({"docker", "podman", "nerdctl"})


def _starts_server(inv: shellsplit.Invocation, packages: set[str]) -> bool:
    """A container run in the background with a port published (``docker run -d -p 5672:5672
    rabbitmq``), a compose project brought up, or an install of a server package."""
    name, args = (inv.args[0], inv.args[1:]) if inv.name == "sudo" and inv.args else (inv.name, inv.args)
    if name in _CONTAINERS and args[:1] == ("run",):
        flags = [a for a in args if a.startswith("-")]
        short = "".join(a[1:] for a in flags if not a.startswith("--") and a[1:].isalpha())  # -dp, -it
        published = "p" in short.lower() or any(a.startswith(("-p", "--publish")) for a in flags)
        return published and ("d" in short or "--detach" in flags)
    if name == "docker-compose" or name in _CONTAINERS and args[:1] == ("compose",):
        return "up" in args
    return any(p.endswith("-server") or p in SERVER_PACKAGES for p in packages)


@lru_cache(maxsize=512)
def provides(command: str) -> Provides:
    """What ``command`` would leave for later steps (see the module doc)."""
    words = _words(command)
    calls = shellsplit.invocations(command) if command.strip() else []
    packages: set[str] = set()
    project = False
    dirs: set[str] = set()
    repo = False
    server = runs_until_stopped(command)  # ``mongod``, ``flask run``: a server in the foreground
    for inv in calls:
        found, whole = _installs(inv)
        packages |= found
        server |= _starts_server(inv, found)
        project |= whole
        if inv.name in ("cd", "pushd") and inv.args:
            dirs.add(inv.args[0])
        if inv.name == "git" and inv.args[:1] in (("init",), ("clone",)):
            repo = True
    variables = set(_ASSIGN.findall(command)) | set(_READ.findall(command)) | python_bindings(command)
    return Provides(names=frozenset(_names(words) - _read_only(calls)), variables=frozenset(variables),
                    directories=frozenset(dirs), packages=frozenset(packages), installs_project=project,
                    repository=repo, server=server,
                    invoked=frozenset(inv.name for inv in calls))


__all__ = ["INSTALLERS", "PROJECT_INSTALLS", "Provides", "norm_package", "provides", "python_bindings"]
