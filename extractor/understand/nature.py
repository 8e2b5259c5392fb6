"""The nature of a command, decided once: does it install system packages (and which), serve
or watch until stopped, open an editor, or only read? Tables, not if-chains."""

from __future__ import annotations

from extractor.model import Install
from extractor.understand.shellsplit import Invocation, invocations

# System package managers and the words that make an invocation an install (or its set-up).
PACKAGE_MANAGERS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("apt", "apt-get"), frozenset({"install", "update", "upgrade"})),
    **dict.fromkeys(("yum", "dnf", "zypper"), frozenset({"install", "update", "makecache"})),
    "apk": frozenset({"add", "update"}), "brew": frozenset({"install", "update"}),
    "pacman": frozenset({"-S", "-Sy", "-Syu", "--sync"}), "snap": frozenset({"install"}),
    "choco": frozenset({"install"}), "winget": frozenset({"install"}),
}

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
    # task-queue workers: they wait for jobs until stopped (``celery -A tasks worker``)
    ("mongod", ()), ("mysqld", ()), ("memcached", ()), ("rabbitmq-server", ()),
    ("celery", ("worker", "beat")), ("rq", ("worker",)), ("dramatiq", ()), ("huey_consumer", ()),
)

# Interactive editors: a reader types into them; nothing that runs steps can.
EDITORS = frozenset({"vi", "vim", "nvim", "nano", "emacs", "pico", "micro", "joe", "ed", "mcedit"})

# Programs (and, where it matters, their subcommands) that only read: they change nothing.
READERS: dict[str, frozenset[str] | None] = {
    **dict.fromkeys(("ls", "cat", "head", "tail", "wc", "grep", "egrep", "fgrep", "find", "tree", "pwd", "echo",
                     "printf", "stat", "file", "which", "type", "du", "df", "diff", "cmp", "less", "more", "env",
                     "printenv", "whoami", "id", "uname", "date", "jq", "sort", "uniq", "cut", "column", "nl",
                     "sha256sum", "md5sum", "test", "[", "true"), None),
    "kubectl": frozenset({"get", "describe", "logs", "explain", "version", "api-resources", "top"}),
    "helm": frozenset({"list", "ls", "status", "get", "show", "search", "version", "template", "lint"}),
    "git": frozenset({"status", "log", "diff", "show", "branch", "remote", "rev-parse", "ls-files", "blame"}),
    "docker": frozenset({"ps", "images", "logs", "inspect", "version", "info"}),
}


def _unsudo(inv: Invocation) -> tuple[str, list[str]]:
    name, args = inv.name, list(inv.args)
    if name == "sudo" and args:
        name, args = args[0], args[1:]
    return name, args


def system_install(command: str) -> Install | None:
    """The step only installs system packages (``sudo apt-get update && sudo apt-get install -y
    jq``): what a sandbox image does for the article. None when it does anything else."""
    manager, packages = "", []
    calls = invocations(command)
    for inv in calls:
        name, args = _unsudo(inv)
        words = [a for a in args if not a.startswith("-")] if name != "pacman" else args
        if name not in PACKAGE_MANAGERS or not words or words[0] not in PACKAGE_MANAGERS[name]:
            return None
        manager = manager or name
        if words[0] in ("install", "add") or name == "pacman":
            packages += [w for w in words[1:] if not w.startswith("-")]
    return Install(manager, tuple(packages)) if calls else None


def runs_until_stopped(command: str) -> bool:
    """A single command that serves or watches until Ctrl-C (``python3 -m http.server 8000``)."""
    if command.rstrip().endswith("&"):
        return False  # already in the background, as written
    calls = invocations(command)
    if not calls:
        return False
    if {"--help", "-h", "--version"} & set(calls[-1].args):
        return False  # ``celery worker --help``: prints and exits
    forms = [calls[-1]]
    if forms[0].name in ("python", "python3") and forms[0].args[:1] == ("-m",) and len(forms[0].args) > 1:
        forms.append(Invocation(forms[0].args[1], forms[0].args[2:]))  # ``python -m flask run`` is ``flask run``
    return any(_serves(inv) for inv in forms)


def _serves(inv: Invocation) -> bool:
    said = (" ".join(inv.args), " ".join(_without_options(inv.args)))  # ``flask --app hello run``
    for program, starts in FOREGROUND:
        if inv.name == program and (not starts or any(words == w or words.startswith(w + " ")
                                                      for w in starts for words in said)):
            return True
    return False


def _without_options(args: tuple[str, ...]) -> list[str]:
    """The words after the leading options (``--app hello``, ``--debug``, ``-p=1``) of a command."""
    rest = list(args)
    while rest and rest[0].startswith("-"):
        option = rest.pop(0)
        short = len(option) == 2 and option[1].isupper()  # ``-A tasks``: an upper-case flag takes a value
        if "=" not in option and (option.startswith("--") or short) and rest and not rest[0].startswith("-") \
                and len(rest) > 1:
            rest.pop(0)  # its value
    return rest


def venv(command: str) -> str:
    """``enter`` when the command enters a Python virtual environment (``. .venv/bin/activate``:
    the pip installs after it go into that environment), ``leave`` for ``deactivate``, else ''."""
    found = ""
    for inv in invocations(command):
        if inv.name in (".", "source") and inv.args[:1] and inv.args[0].endswith("bin/activate"):
            found = "enter"
        elif inv.name == "deactivate":
            found = "leave"
    return found


def editor(command: str) -> str:
    """The editor the command opens ('' when none): ``vim app.py``, ``sudo nano /etc/hosts``,
    ``git commit`` without ``-m``, ``crontab -e`` (the rules are in :mod:`.editors`)."""
    from extractor.understand.editors import opens_editor

    opens = opens_editor(command)
    return opens.program if opens else ""


# Words that ask a program for its version and nothing else (``python --version``, ``go version``).
VERSION_WORDS = frozenset({"--version", "-V", "version", "-version"})  # not -v: verbose for pytest, grep...
# (program, first word or "") → its output describes the machine it runs on (its package sources,
# its user ids, its disks): the article shows the author's machine.
MACHINE_QUERIES = frozenset({
    ("apt-cache", "policy"), ("apt-cache", "madison"), ("id", ""), ("uname", "-a"), ("uname", "-r"),
    ("lsb_release", "-a"), ("df", ""), ("df", "-h"), ("free", ""), ("free", "-h"), ("free", "-m"), ("lscpu", ""),
    ("lsblk", ""), ("ip", "addr"), ("ip", "a"), ("ip", "route"), ("ip", "link"), ("ifconfig", ""), ("uptime", ""),
})


def shows(command: str) -> str:
    """What the command's output is about, when that is not the tutorial's business:
    ``version`` (the version a reader has), ``machine`` (the machine's own configuration)."""
    calls = invocations(command)
    if len(calls) != 1:
        return ""
    inv = calls[0]
    if inv.args and set(inv.args) <= VERSION_WORDS:
        return "version"
    return "machine" if (inv.name, inv.args[0] if inv.args else "") in MACHINE_QUERIES else ""


def only_reads(command: str) -> bool:
    """Every program of the command only reads (``ls -la``, ``kubectl get pods``): it changes nothing.
    A redirection into a file writes, so a command with ``>`` does not only read."""
    calls = invocations(command)
    if not calls or ">" in command.replace("2>&1", ""):
        return False
    for inv in calls:
        subs = READERS.get(inv.name, frozenset())
        if subs is not None and not (inv.args and inv.args[0] in subs):
            return False
    return True


__all__ = ["EDITORS", "FOREGROUND", "MACHINE_QUERIES", "PACKAGE_MANAGERS", "READERS", "VERSION_WORDS", "editor",
           "only_reads", "runs_until_stopped", "shows", "system_install", "venv"]
