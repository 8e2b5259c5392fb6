"""Files and directories: which a command makes, and which it uses that no earlier step of
its block made (then it needs ``state``)."""

from __future__ import annotations

import posixpath
import re

from extractor.understand import shellsplit
from extractor.understand.made import URL, Made, flag, has_made, norm
from extractor.understand.tables import SYSTEM_DIRS

# Program → which of its positional words are files it reads ("all", "first", "rest").
FILE_READERS: dict[str, str] = {
    **dict.fromkeys(("cat", "less", "more", "head", "tail", "wc", "nl", "sort", "uniq", "diff", "cmp", "ls",
                     "chmod", "stat", "md5sum", "sha256sum"), "all"),
    **dict.fromkeys(("source", ".", "bash", "sh", "zsh", "python", "python3", "node", "ruby", "perl"), "first"),
    **dict.fromkeys(("grep", "egrep", "fgrep", "sed", "awk", "jq"), "rest"),  # a pattern or filter, then files
}
# Extensions that make a command word a file the command reads (not a host name like example.com).
_DATA_FILE = re.compile(r"^[\w./~-]*\w\.(ya?ml|json|py|js|mjs|ts|sh|txt|csv|md|toml|ini|conf|cfg|tf|tfvars|go|rs|"
                        r"java|rb|php|html|xml|sql|env|lock|tar|gz|tgz|zip|whl|jar|properties|pem|key|crt|c|h|cpp|rst|deb|dsc|"
                        r"changes|rlib|so)$")
# A file in a named person's home (``/home/alice/src/x.c``, ``/Users/bob/x.c``): the author's
# machine, never the reader's (a system path such as ``/usr/include/x.h`` may be the reader's too).
_SOMEONES_HOME = re.compile(r"^/(?:home|Users)/[^/]+/.")
HOME_OR_UP = frozenset({"~", "-", "..", ".", "/"})
# Working directories a fresh shell has: home and the root, POSIX or Windows.
HOME = re.compile(r"^(~/?|/|/root|/home/[^/]+|[A-Za-z]:\\?|[A-Za-z]:\\Users\\[^\\]+)$")
# Commands that make a file or directory named by their last word: (program, leading words).
MAKERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("python3", ("-m", "venv")), ("python", ("-m", "venv")), ("virtualenv", ()), ("uv", ("venv",)),
    ("git", ("init",)), ("cargo", ("new",)), ("cargo", ("init",)), ("npm", ("init",)),
)
# Subcommands that make a new project in the folder their last word names (any tool's), and
# programs that do it by themselves.
NEW_PROJECT = frozenset({"new", "init", "create", "startproject", "startapp"})
NEW_PROJECT_PROGRAMS = frozenset({"sphinx-quickstart"})
# Interpreters whose first word is the script they run: the script's subcommand comes after it
# (``python manage.py startapp blog``, ``python -m tool new site``).
SCRIPT_RUNNERS = frozenset({"python", "python3"})
# Options that name the folder a tool writes what it makes into (``pytest --basetemp=scratch``,
# ``cargo build --target-dir out``): the folder is the step's, with whatever it put inside.
OUTPUT_DIRS = ("--basetemp", "--output-dir", "--outdir", "--out-dir", "--site-dir", "--target-dir", "--build-dir",
               "--wheel-dir")
# Commands that make a known file in the working directory.
MAKES_FILE: dict[tuple[str, str], str] = {("go", "mod"): "go.mod", ("npm", "init"): "package.json"}
# Compilers → what they write without ``-o``: the source's stem (None) or a fixed name.
COMPILERS: dict[str, str | None] = {"rustc": None, "gcc": "a.out", "g++": "a.out", "cc": "a.out", "clang": "a.out",
                                    "c++": "a.out"}


def compiled(inv: shellsplit.Invocation) -> set[str]:
    """The program a compiler invocation writes (``rustc hello.rs`` → ``hello``)."""
    if inv.name not in COMPILERS:
        return set()
    args = list(inv.args)
    if "-o" in args[:-1]:
        return {norm(args[args.index("-o") + 1])}
    sources = [a for a in args if not a.startswith("-") and "." in a]
    default = COMPILERS[inv.name]
    if default is None:
        stems = {posixpath.splitext(posixpath.basename(sources[0]))[0]} if sources else set()
        library = any(a in ("--crate-type=lib", "--crate-type=rlib") for a in args) or "lib" in args  # rustc's rlib
        return {f"lib{stem}.rlib" for stem in stems} if library else stems
    return {default}


OPAQUE_MAKERS = frozenset({"tar", "unzip", "git", "npm", "npx", "cargo", "go", "helm", "make", "pip"})


def files(inv: shellsplit.Invocation, made: Made, needs: set[str]) -> None:
    """Files and directories the command makes, and the ones it reads that nobody made."""
    name, args = inv.name, inv.args
    pos = [a for a in args if not a.startswith("-")]
    for program, lead in MAKERS:
        if name == program and args[: len(lead)] == lead and len(args) > len(lead):
            made.paths.add(norm(args[-1]))
    words = pos[1:] if name in SCRIPT_RUNNERS else pos
    generates = words[:1] and words[0] in NEW_PROJECT and len(words) > 1 or name in NEW_PROJECT_PROGRAMS and pos
    if generates:
        made.paths.add(norm(pos[-1]))  # mkdocs new site, cargo new app, sphinx-quickstart docs
    if (out := flag(args, *OUTPUT_DIRS)) and not URL.match(out):
        made.paths.add(norm(out))
    if (name, pos[0] if pos else "") in MAKES_FILE:
        made.paths.add(MAKES_FILE[(name, pos[0])])
    made.paths |= compiled(inv)
    mode = args[0].lstrip("-") if args and not args[0].startswith("--") else ""
    if name == "tar" and "c" in mode and "f" in mode and len(args) > 1:
        made.paths.add(norm(args[1]))  # tar -cf ARCHIVE files...: the archive is what it writes
    elif name == "zip" and pos:
        made.paths.add(norm(pos[0]))
    if name == "mkdir":
        made.paths.update(norm(p) for p in pos)
    elif name in ("touch", "cp", "mv", "ln") and pos:
        made.paths.add(norm(pos[-1]))
    elif name == "curl":
        out = flag(args, "-o", "--output")
        if out:
            made.paths.add(norm(out))
        elif "--remote-name" in args or any(a.startswith("-") and not a.startswith("--") and "O" in a for a in args):
            made.paths.update(norm(a.rsplit("/", 1)[-1]) for a in pos if URL.match(a))
    elif name == "wget":
        out = flag(args, "-O")
        made.paths.update({norm(out)} if out else {norm(a.rsplit("/", 1)[-1]) for a in pos if URL.match(a)})
    elif name == "git" and pos[:1] == ["clone"] and len(pos) > 1:
        made.paths.add(norm(pos[2] if len(pos) > 2 else pos[1].rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")))
    # what this command makes is there only after it ran (its inputs must be before); a project
    # generator's folder holds files nobody lists (``startproject site`` then ``cd site; python manage.py``)
    opaque = made.opaque or bool(generates)
    if name in OPAQUE_MAKERS and name not in ("git", "helm"):
        opaque = opaque or any(a in ("x", "init", "install", "build", "create", "new") or
                               (name == "tar" and "x" in a.lstrip("-")) for a in args[:2])
    _reads(name, args, pos, made, needs)
    made.opaque = opaque


def _reads(name: str, args: tuple[str, ...], pos: list[str], made: Made, needs: set[str]) -> None:
    """The files and directories the command uses that no earlier step made: ``state``."""
    which = FILE_READERS.get(name)
    if which and not made.opaque:
        chosen = {"all": pos, "first": pos[:1], "rest": pos[1:]}[which]
        if name in ("python", "python3") and "-m" in args:
            chosen = []  # python -m http.server: a module, not a file
        missing = [a for a in chosen if is_local_path(a) and not has_made(a, made)]
        made.unmade += [a for a in missing if "/" in a or _DATA_FILE.search(a)]  # surely a file
        if missing:
            needs.add("state")
    elif name not in ("kubectl", "helm", "mkdir", "touch", "cp", "mv", "ln", "curl", "wget", "git", "cd", "echo",
                      "printf") and not made.opaque:
        used = [a for a in map(_named_value, args) if _DATA_FILE.search(a) and not URL.match(a)
                and not a.startswith(("-", "$")) and (not a.startswith("/") or _SOMEONES_HOME.match(a))]
        made.unmade += [a for a in used if not has_made(a, made)]
        if any(not has_made(a, made) for a in used):
            needs.add("state")  # e.g. ansible-playbook site.yml, node server.js, terraform -var-file=x.tfvars
    if name == "cd" and pos:
        target = pos[0]
        if target not in HOME_OR_UP and not target.startswith("/") and not has_made(target, made) and not made.opaque:
            needs.add("state")
            made.unmade.append(target)
        made.paths.add(norm(target.removeprefix("~/")))
    if name.startswith(("./", "../")) and norm(name) not in made.paths and not made.opaque:
        needs.add("state")
        made.unmade.append(name)


def _named_value(arg: str) -> str:
    """An argument's path: ``rary=library.rlib`` (a name given to an input file) → ``library.rlib``."""
    name, eq, value = arg.partition("=")
    return value if eq and not arg.startswith("-") and name.isidentifier() else arg


def is_local_path(arg: str) -> bool:
    return bool(arg) and not URL.match(arg) and not arg.startswith(("$", "~", "/")) and (
        "/" in arg or re.search(r"\.[A-Za-z0-9]{1,6}$", arg) is not None
    ) and arg not in (".", "..")


def redirects(command: str, made: Made) -> None:
    for m in re.finditer(r"(?<![<>&\d])>{1,2}\s*([^\s;&|<>()]+)", shellsplit.masked(command.split("\n")[0])):
        made.paths.add(norm(m.group(1)))
    for m in re.finditer(r"\btee\s+(?:-a\s+)?([^\s;&|<>]+)", command):
        made.paths.add(norm(m.group(1)))




# Programs that write the paths they are given: all of them, or the last (the destination).
_WRITERS: dict[str, str] = {**dict.fromkeys(("cp", "mv", "ln", "install", "rsync"), "last"),
                            **dict.fromkeys(("touch", "mkdir", "rm", "rmdir", "tee", "chmod", "chown"), "all")}


def writes_system(command: str) -> bool:
    """Does ``command`` write into a folder of the system (``/usr/local/bin``, ``/etc``)? That
    needs root."""
    targets = [m.group(1) for m in re.finditer(r"(?<![<>&\d])>{1,2}\s*(/[^\s;&|<>()]+)", shellsplit.masked(command))]
    for inv in shellsplit.invocations(command):
        pos = [a for a in inv.args if not a.startswith("-")]
        which = _WRITERS.get(inv.name)
        targets += pos[-1:] if which == "last" and len(pos) > 1 else pos if which == "all" else []
    return any(system_path(t) for t in targets)


def system_path(path: str) -> bool:
    """A path in (or of) a folder of the system."""
    return path.startswith(SYSTEM_DIRS) or path.rstrip("/") + "/" in SYSTEM_DIRS


def workdir_needs_state(workdir: str | None, made: Made) -> bool:
    """A session prompt shows a working directory no earlier step of the block made."""
    if not workdir or HOME.match(workdir) or norm(workdir.replace("~/", "")) in made.paths:
        return False
    return posixpath.basename(workdir.rstrip("/")) not in {posixpath.basename(p) for p in made.paths}
