"""Interactive consoles other than the shell and Python: a table of their prompts.

A session at ``shop=> `` is psql, at ``sqlite> `` sqlite3, at ``127.0.0.1:6379> `` redis-cli.
Each row names the program (which is also the language of its steps), the prompt that starts
a statement, the prompt that continues one, and whether the program talks to a server that
must be running. Node's ``> `` is too common to be a prompt on its own: it counts only after
a step that started ``node`` with no script (see :func:`opened_by`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.understand import shellsplit
from extractor.vocab import LEAVES_A_CONSOLE


@dataclass(frozen=True)
class Console:
    name: str  # the program, and the ``lang`` of the steps typed at its prompt
    prompt: re.Pattern[str]  # at the start of a line, right before a statement
    more: re.Pattern[str] | None  # a continuation line's prompt
    server: bool  # needs a running server (a database, Redis) besides the program
    language: str = "sql"  # what its statements are written in (the block's ``lang``)
    strong: bool = True  # a prompt no other line has; else only after the program was started
    draws: re.Pattern[str] | None = None  # a statement that opens a window (a figure, a spreadsheet): needs a display


CONSOLES: tuple[Console, ...] = (
    # psql: ``db=>`` (``db=#`` as superuser); ``db->``, ``db-#``, ``db(#``, ``db'#`` continue
    Console("psql", re.compile(r"[A-Za-z_][\w-]{0,62}=[>#] ?"), re.compile(r"[A-Za-z_][\w-]{0,62}[-('\"*$][>#] ?"),
            server=True),
    # sqlite3's .excel and .once -x open the result in the desktop's spreadsheet, .system open a file in its viewer
    Console("sqlite3", re.compile(r"sqlite> ?"), re.compile(r" *\.\.\.> ?"), server=False,
            draws=re.compile(r"^\s*\.(?:excel\b|once\s+-x\b|system\s+(?:xdg-open|open|start)\s)")),
    Console("mysql", re.compile(r"(?:mysql|MariaDB \[[^\]\n]*\])> ?"), re.compile(r" *(?:->|'>|\">) ?"), server=True),
    Console("redis-cli", re.compile(r"(?:redis )?(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|\[[\da-fA-F:]+\]):\d{2,5}"
                                    r"(?:\[\d+\])?> ?"), None, server=True, language="redis"),
    # irb: ``irb(main):001:0>`` (``irb(main):001>`` since irb 1.6); inside a statement the
    # nesting level is above 0 (``irb(main):004:1>``) or the prompt ends in ``*``, ``"``, ``'``
    Console("irb", re.compile(r"irb\([^)\n]*\):\d+(?::0)?> ?"),
            re.compile(r"irb\([^)\n]*\):\d+(?::[1-9]\d*> ?|(?::\d+)?[*\"'] ?)"), server=False, language="ruby"),
    Console("node", re.compile(r"> ?"), re.compile(r"\.\.\. ?"), server=False, language="javascript", strong=False),
    # Consoles whose prompt names the program, often with a counter of the input: a session of
    # that program (each input a step, what follows it until the next prompt its output).
    # GNU Octave: ``octave:1>`` (``octave-7.3.0:1>``, ``octave-cli:1>``), ``>`` continues a statement
    Console("octave", re.compile(r"octave(?:-[\w.]+)?:\d+> ?"), re.compile(r"> ?"), server=False,
            language="octave", draws=re.compile(r"^\s*(?:plot\w*|figure|subplot|mesh\w*|surf\w*|bar|hist|"
                                                r"contour\w*|print|saveas)\b")),
    Console("julia", re.compile(r"julia> ?"), re.compile(r" {7}(?=\S)"), server=False, language="julia",
            draws=re.compile(r"^\s*(?:plot|scatter|histogram|display)!?\s*\(")),
    Console("gp", re.compile(r"gp > ?"), None, server=False, language="gp",
            draws=re.compile(r"^\s*(?:plot\w*|ploth\w*|psplot\w*)\s*\(")),
    # ``sage:`` is also how a YAML key reads: a statement there holds code (a call, an assignment, a number)
    Console("sage", re.compile(r"sage: (?=[^\n]*[()=\[\]+*/^\d])"), re.compile(r"\.{4}: ?"), server=False,
            language="sage", draws=re.compile(r"\.show\s*\(|^\s*(?:show|plot\w*)\s*\(")),
    # Maxima counts inputs and outputs alike: ``(%i1)`` before a statement, ``(%o1)`` before its value
    Console("maxima", re.compile(r"\(%i\d+\) ?"), None, server=False, language="maxima",
            draws=re.compile(r"^\s*(?:plot2d|plot3d|draw\w*|wxplot\w*)\s*\(")),
    Console("scala", re.compile(r"scala> ?"), re.compile(r" {5}\| ?"), server=False, language="scala"),
    Console("ghci", re.compile(r"(?:ghci|Prelude(?: [A-Z][\w.]*)*)> ?"), re.compile(r"(?:ghci|Prelude)\| ?"),
            server=False, language="haskell"),
    Console("gdb", re.compile(r"\(gdb\) ?"), None, server=False, language="gdb"),
    # R and Lua prompt with ``>`` like Node: theirs only after the program was started
    Console("R", re.compile(r"> ?"), re.compile(r"\+ ?"), server=False, language="r", strong=False,
            draws=re.compile(r"^\s*(?:plot|hist|barplot|boxplot|curve|pairs|image|x11|dev\.new)\s*\(")),
    Console("lua", re.compile(r"> ?"), re.compile(r">> ?"), server=False, language="lua", strong=False),
)
BY_NAME = {c.name: c for c in CONSOLES}
# Programs that open a console when started without a script or a command to run.
_OPENERS: dict[str, tuple[str, frozenset[str]]] = {
    # program → (console, options that make it run something and exit instead)
    "psql": ("psql", frozenset({"-c", "--command", "-f", "--file", "-l", "--list", "--version", "-V"})),
    "sqlite3": ("sqlite3", frozenset({"-version", "--version", "-help", "--help"})),
    "mysql": ("mysql", frozenset({"-e", "--execute", "--version", "-V"})),
    "redis-cli": ("redis-cli", frozenset({"--version", "-v"})),
    "irb": ("irb", frozenset({"--version", "-v"})),
    "node": ("node", frozenset({"-e", "--eval", "-p", "--print", "--version", "-v"})),
    "octave": ("octave", frozenset({"--eval", "--version", "-v"})),
    "octave-cli": ("octave", frozenset({"--eval", "--version", "-v"})),
    "julia": ("julia", frozenset({"-e", "--eval", "-E", "--print", "--version", "-v"})),
    "gp": ("gp", frozenset({"--version", "--version-short"})),
    "sage": ("sage", frozenset({"-c", "--version", "-v"})),
    "maxima": ("maxima", frozenset({"-r", "--batch-string", "-b", "--batch", "--version"})),
    "scala": ("scala", frozenset({"-e", "-version", "--version"})),
    "ghci": ("ghci", frozenset({"-e", "--version"})),
    "gdb": ("gdb", frozenset({"-batch", "--batch", "-ex", "--version"})),
    "R": ("R", frozenset({"-e", "--version", "-f", "--file", "CMD"})),
    "lua": ("lua", frozenset({"-e", "-v"})),
}
# Consoles whose program, given a file, runs it as a script and exits (``node app.js``, ``lua x.lua``).
_SCRIPTED = frozenset({"node", "irb", "octave", "julia", "sage", "scala", "R", "lua"})


# Labels under which a block of a weak prompt's lines is that console's transcript, with no step
# opening it: a JavaScript block whose first line is ``> [1, 2].map(…)`` is Node's REPL.
_LABELLED: dict[str, str] = dict.fromkeys(("js", "javascript", "node", "nodejs", "node-repl"), "node")


def labelled(label: str | None, text: str) -> Console | None:
    """The console whose transcript a block is by its label and the prompt its first line
    starts with, else None."""
    console = BY_NAME.get(_LABELLED.get((label or "").lower(), ""))
    first = next((line for line in text.split("\n") if line.strip()), "")
    m = console.prompt.match(first) if console else None
    return console if m and first[m.end():].strip() and m.group(0).endswith(" ") else None


def strong_match(line: str) -> tuple[Console, str] | None:
    """The console whose own prompt starts ``line`` (never node's ``>``), and that prompt."""
    for console in CONSOLES:
        if console.strong and (m := console.prompt.match(line)) and line[m.end():].strip():
            return console, m.group(0)
    return None


def opened_by(command: str) -> Console | None:
    """The console a shell command opens and stays in (``psql -d shop``, ``sqlite3 app.db``,
    ``node``), or None when it runs something and exits (``psql -c 'select 1'``, ``node app.js``)."""
    calls = shellsplit.invocations(command)
    if len(calls) != 1 or calls[0].name not in _OPENERS:
        return None
    name, exits = _OPENERS[calls[0].name]
    args = calls[0].args
    if any(a.split("=", 1)[0] in exits for a in args) or "<" in command or "|" in command:
        return None
    if name in _SCRIPTED and any(not a.startswith("-") for a in args):
        return None  # ``node app.js``: runs a script
    if name == "sqlite3" and len([a for a in args if not a.startswith("-")]) > 1:
        return None  # ``sqlite3 app.db "select 1"``: runs the statement and exits
    return BY_NAME[name]


# A console's own commands that read a file the reader has: the command's word, and the options
# that take a value before the file (sqlite3's ``.import --skip 1 data.csv t``, psql's ``\\i x.sql``).
_READS: dict[str, dict[str, frozenset[str]]] = {
    "sqlite3": {".read": frozenset(), ".import": frozenset({"--skip", "--schema"}), ".load": frozenset()},
    "psql": dict.fromkeys(("\\i", "\\ir", "\\include", "\\include_relative"), frozenset()),
    "mysql": dict.fromkeys(("source", "\\."), frozenset()),
}


# A console's own commands that write a file (sqlite3's ``.output rows.txt``, psql's ``\\o``): what later steps find.
_WRITES: dict[str, dict[str, frozenset[str]]] = {
    "sqlite3": dict.fromkeys((".output", ".once", ".save", ".backup"), frozenset()),
    "psql": dict.fromkeys(("\\o", "\\out"), frozenset()),
    "mysql": dict.fromkeys(("tee", "\\T"), frozenset()),
}


def writes(name: str, statement: str) -> list[str]:
    """The file a console's own command writes (``.output rows.txt``), none for SQL or a pipe."""
    return _file_of(_WRITES, name, statement)


def reads(name: str, statement: str) -> list[str]:
    """The file a console's own command reads (``.read setup.sql``), none for SQL or a pipe (``.read |cmd``)."""
    return _file_of(_READS, name, statement)


def _file_of(table: dict[str, dict[str, frozenset[str]]], name: str, statement: str) -> list[str]:
    words = statement.strip().rstrip(";").split()
    takes = table.get(name, {}).get(words[0] if words else "")
    if takes is None:
        return []
    rest = iter(words[1:])
    for word in rest:
        if word in takes:
            next(rest, None)
        elif not word.startswith(("-", "|")):
            return [word.strip("'\"")]
        elif word.startswith("|"):
            return []
    return []


def leaves(statement: str) -> bool:
    """Whether ``statement`` typed at a console closes it (sqlite3's ``.exit``, psql's ``\\q``)."""
    return statement.strip() in LEAVES_A_CONSOLE  # any console's words, whichever console it is


def continued(name: str, prompt: str | None, open_in_article: dict[str, str]) -> str | None:
    """The opener of the console a block typed at ``name`` continues, when no step of the block
    opens it: the one the article last opened and did not leave, unless the block's prompt names
    a database of its own (psql's ``shop=>``). A reader goes on in the console they left open."""
    return open_in_article.get(name) if opener(name, prompt) == name else None


def continues(console: Console, line: str) -> str | None:
    """``line`` without its continuation prompt when it continues a statement of ``console``."""
    if console.more is None:
        return None
    m = console.more.match(line)
    return line[m.end():] if m else None


def needs(name: str, statement: str = "") -> tuple[str, ...]:
    """What a statement typed at console ``name`` needs: the program, the server it talks
    to (:data:`.services.CONSOLE_SERVICES`), and a display when it draws a figure."""
    from extractor.understand.services import CONSOLE_SERVICES

    service = CONSOLE_SERVICES.get(name)
    draws = BY_NAME[name].draws if name in BY_NAME else None
    gui = ("gui",) if draws is not None and draws.search(statement) else ()
    return (*gui, f"tool:{name}", *((f"service:{service}",) if service else ()))


# The database a prompt names: psql's ``shop=>``, MariaDB's ``MariaDB [shop]>`` (``[(none)]``: none).
_DATABASE = {"psql": re.compile(r"^([A-Za-z_][\w-]{0,62})=[>#]"), "mysql": re.compile(r"^MariaDB \[([\w$]+)\]>")}


def opener(name: str, prompt: str | None) -> str:
    """How console ``name`` is opened when no step of the block opened it: psql and mysql on the
    database their prompt names (``shop=>``, ``MariaDB [shop]>``), the others as the bare program."""
    pattern = _DATABASE.get(name)
    found = [m.group(1) for part in (prompt or "").split(" / ") if pattern and (m := pattern.match(part.strip()))]
    return f"{name} {found[0]}" if found else name
