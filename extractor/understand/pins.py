"""Context a reader's machine had when the article was written, as its transcripts show it.

A ``git log`` in the article shows who committed (``Author: Ada Lovelace <ada@example.com>``);
its prompts show the machine's name (``ada@box:~/notes$``). The sandbox can pin these so that
recorded output naming them can match: the git identity (author and committer) when no step of
the article configures one itself, and the host name when every prompt that shows one names the
same host; the directory the steps start in when a prompt or an output shows where the author
worked (``rootdir: /home/ada/project``); the terminal's width when its rule lines show one. Pinned
values are reported with the result; nothing is pinned that the article does not show. Pure.
"""

from __future__ import annotations

import re
from collections import Counter

from extractor.context import Pin
from extractor.model import CodeBlock

_AUTHOR = re.compile(r"^Author:\s+(?P<name>[^<\n]+?)\s+<(?P<email>[^>\s]+)>\s*$", re.M)
_USER_HOST = re.compile(r"^(?:\([^)]*\)\s*)?[\w.-]+@(?P<host>[A-Za-z][\w-]*)(?:[:\s\]]|$)")
_SETS_IDENTITY = re.compile(r"\bgit\s+config\b.*\buser\.(?:name|email)\b|\bGIT_(?:AUTHOR|COMMITTER)_(?:NAME|EMAIL)=")


def git_identity(blocks: tuple[CodeBlock, ...]) -> Pin | None:
    steps = [s for b in blocks for s in b.steps]
    if any(_SETS_IDENTITY.search(s.command) for s in steps):
        return None  # the article sets it itself, in a step that runs
    for step in steps:
        m = _AUTHOR.search(step.expected_output or "")
        if m:
            return Pin("git-identity", f"{m.group('name').strip()} <{m.group('email')}>", "the article's git log")
    return None


def hostname(blocks: tuple[CodeBlock, ...]) -> Pin | None:
    shown = [part.strip() for b in blocks if b.prompt for part in b.prompt.split(" / ")]
    hosts = {m.group("host") for part in shown if (m := _USER_HOST.match(part))}
    if len(hosts) != 1:
        return None
    host = hosts.pop()
    return Pin("hostname", host, "the article's prompts") if len(host) <= 63 else None


# Where projects live outside a home, by a convention many pages share (servers, containers).
_PROJECT_ROOTS = re.compile(r"^/(?:srv|opt|app|code|src|work|workspace|workspaces|projects?|data|var/www|usr/src)"
                            r"(?:/[\w.-]+)*$")
_PROMPT_DIR = re.compile(r"^(?:\([^)]*\)\s*)?[\w.-]+@[\w.-]+:(?P<dir>/[^\s$#]*)\s?[$#]")


def start_dir(blocks: tuple[CodeBlock, ...]) -> Pin | None:
    """The directory the article's first prompt shows it working in, when that is a project
    directory outside the home (``deploy@web:/srv/app$``): the steps start there."""
    first = next((b.prompt.split(" / ")[0].strip() for b in blocks if b.kind == "session" and b.prompt), "")
    m = _PROMPT_DIR.match(first + " ")
    path = m.group("dir").rstrip("/") if m else ""
    return Pin("workdir", path, "the article's prompts") if path and _PROJECT_ROOTS.match(path) else None


# Where a project may be pinned from what an output shows: a home's subdirectory (the author's,
# ``/home/ada/project``) or one of the project roots above; never /root, /tmp or a system directory.
_PINNABLE = re.compile(r"^/home/[\w.-]+(?:/[\w.-]+)+$")
_SAFE_PATH = re.compile(r"^(?:/[\w-][\w.-]*)+$")

# Outputs that name the directory their command ran in, by a convention of the tool (a row per
# tool): ``pwd``'s line; pytest's ``rootdir:`` when no argument is a path elsewhere; ``git init``'s
# repository. (command, output) patterns; the output's ``dir`` group is the directory.
SHOWS_CWD: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"^pwd(?:\s+-[LP])?$"), re.compile(r"\A\s*(?P<dir>/\S*)\s*\Z")),
    (re.compile(r"^(?:py\.test|pytest(?:-3)?|python3? -m pytest)(?:\s+[^\s/]+)*$"),
     re.compile(r"^rootdir: (?P<dir>/[^\s,]+)", re.M)),
    (re.compile(r"^git init(?:\s+-q)?$"),
     re.compile(r"^Initiali[sz]ed empty Git repository in (?P<dir>/\S+?)/\.git/?$", re.M)),
)
_CD = re.compile(r"(?:^|&&|;|\n)\s*cd\s+(?P<to>[^\s;&|]+)")


def _shown_cwd(command: str, output: str) -> str:
    for runs, shows in SHOWS_CWD:
        m = shows.search(output) if runs.match(command.strip()) else None
        if m:
            return m.group("dir").rstrip("/")
    return ""


def _entered(command: str) -> list[str] | None:
    """The relative directories ``command`` enters (``mkdir app && cd app``), or None when it goes
    somewhere the start cannot be told from (an absolute path, ``..``, ``~``, a variable)."""
    parts: list[str] = []
    for m in _CD.finditer(command):
        to = m.group("to").strip("'\"").rstrip("/")
        if not to or to.startswith(("/", "~", "-", "$")) or ".." in to.split("/") or not _SAFE_PATH.match("/" + to):
            return None
        parts += [p for p in to.split("/") if p not in ("", ".")]
    return parts


def shown_dir(blocks: tuple[CodeBlock, ...]) -> Pin | None:
    """The directory the article's steps start in, when an output shows where its command ran
    (``SHOWS_CWD``: ``rootdir: /home/ada/project``) and the directories entered before it can be
    taken off that path (``cd app`` before a ``pwd`` of ``/home/ada/app`` → ``/home/ada``)."""
    entered: list[str] = []
    for step in (s for b in blocks for s in b.steps if s.lang == "shell"):
        shown = _shown_cwd(step.command, step.expected_output or "")
        if shown:
            parts = shown.split("/")
            if entered and parts[-len(entered):] != entered:
                return None
            start = "/".join(parts[: len(parts) - len(entered)])
            ok = _SAFE_PATH.match(start) and (_PINNABLE.match(start) or _PROJECT_ROOTS.match(start))
            return Pin("workdir", start, f"the article's `{step.command.strip()}` output") if ok else None
        more = _entered(step.command)
        if more is None:
            return None
        entered += more
    return None


# A titled rule line (``==== test session starts ====``): tools that print them fill the
# terminal's width, so the article's show the width of its author's terminal.
_TITLED_RULE = re.compile(r"^([=_*#~-])\1{2,} \S(?:.*\S)? \1{3,}$")
DEFAULT_WIDTH = 80  # the sandbox's COLUMNS when nothing is pinned
_WIDTHS = range(40, 251)


def terminal_width(blocks: tuple[CodeBlock, ...]) -> Pin | None:
    """The width most of the article's titled rule lines have, when it is not the sandbox's
    own: lines a tool pads or cuts to the terminal (pytest's summary) then break where the
    article's do."""
    widths = Counter(len(line) for b in blocks for s in b.steps for line in (s.expected_output or "").split("\n")
                     if _TITLED_RULE.match(line))
    if not widths:
        return None
    width = widths.most_common(1)[0][0]
    ok = width in _WIDTHS and width != DEFAULT_WIDTH
    return Pin("terminal-width", str(width), "the width of the article's rule lines") if ok else None


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _date_shapes(year: int, month: int, day: int) -> tuple[str, ...]:
    """How outputs print a day (ISO, Python's repr, English long and short forms)."""
    name = _MONTHS[month - 1]
    return (f"{year:04d}-{month:02d}-{day:02d}", f"datetime.date({year}, {month}, {day})",
            f"datetime.datetime({year}, {month}, {day}", f"{name} {day}, {year}", f"{day} {name} {year}",
            f"{name[:3]} {day}, {year}", f"{name} {day}")


def clock(published: str, blocks: tuple[CodeBlock, ...]) -> Pin | None:
    """The article's date, when its recorded output shows that day (``date``, ``cal``,
    ``date.today()``): the sandbox's clock starts there, so a step that prints the day matches."""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", published or "")
    if not m:
        return None
    year, month, day = (int(g) for g in m.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    shapes = _date_shapes(year, month, day)
    shown = any(shape in (s.expected_output or "") for b in blocks for s in b.steps for shape in shapes)
    return Pin("clock", f"{m.group(0)} 12:00:00 UTC", "the article's date, which its output shows") if shown else None


_ASKS_VERSION = re.compile(r"(?:^|\s)(?:--version|-V|version)\s*$")
_NAME_VERSION = re.compile(r"^\s*(?P<name>[A-Za-z][\w.-]*)[ :v]+(?P<version>\d+\.\d+(?:\.\d+)?)\s*$", re.M)


def versions(blocks: tuple[CodeBlock, ...]) -> tuple[Pin, ...]:
    """The package versions the article's own ``--version`` output shows (``flask --version`` →
    ``Flask 2.2.2``, ``Werkzeug 2.2.2``): an install step that names no version gets those, so
    output that names them can match. Only what a step prints, never prose."""
    found: dict[str, Pin] = {}
    for step in (s for b in blocks for s in b.steps):
        if step.expected_output and _ASKS_VERSION.search(step.command):
            for m in _NAME_VERSION.finditer(step.expected_output):
                name = m.group("name").lower()
                if name not in ("python", "node", "npm", "pip") and name not in found:
                    found[name] = Pin(f"version:{name}", m.group("version"), f"the article's `{step.command}`")
    return tuple(found[name] for name in sorted(found))


def pins(blocks: tuple[CodeBlock, ...], published: str = "") -> tuple[Pin, ...]:
    """What the sandbox may pin for this article, in a fixed order."""
    found = (git_identity(blocks), hostname(blocks), start_dir(blocks) or shown_dir(blocks), clock(published, blocks))
    return tuple(p for p in (*found, terminal_width(blocks)) if p is not None) + versions(blocks)
