"""Statements typed at another program's console, run as that console would run them.

A psql session (``shop=> SELECT …``), a sqlite3 one (``sqlite> .tables``) or a redis-cli one
(``127.0.0.1:6379> INCR visits``) is a sequence of statements typed at one program. Each runs as
one call of that program in the article's shell, opened as the article opened it
(``Step.console``: ``psql shop``, ``sqlite3 app.db``): psql with ``-c`` (errors print as the
console prints them), sqlite3 and redis-cli with the statement on stdin (redis-cli with
``--no-raw``, its replies as a terminal shows them: ``(integer) 2``). What a statement changes
stays in the server or the file, so later statements see it.

Node's REPL keeps what a statement defines in the process, which ends with the call: each
statement runs in a new REPL after the ones typed before it at the same console (their output
unseen), and shows what the REPL printed for it (``[ 2, 4 ]``, ``undefined``, ``Uncaught
ReferenceError: …``); irb's likewise, in Ruby, shown as irb shows it (``=> 3``). mysql's run
one by one in the database the last ``USE`` named, shown as its console shows them (table
borders, ``1 row in set``). A row per console; a console without a row is not run (the plan
says why).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Sequence

from extractor.model import Step
from extractor.quoting import clean, delimiter, heredoc, sh_word
from extractor.vocab import CONSOLE_LEAVE

# A statement at a console, the console's opener (``psql shop``), the statements typed there before.
Runner = Callable[[str, str, Sequence[str]], str]


def _on_stdin(opener: str, statement: str) -> str:
    return "\n".join(heredoc(opener, statement, "TC_STATEMENT"))


# Node's own REPL (no colours, no terminal), its prompt a marker, fed one line each time it
# prompts (an ``await`` ends before the next statement starts); what it printed after the prompt
# that took statement N (argv[1]), continuation prompts ("... ") aside, once the process ends.
_NODE_REPL = (
    'const M="\\u0000TC> ",L=require("fs").readFileSync(0,"utf8").split("\\n").slice(0,-1);let t="";'
    'const i=new (require("stream").PassThrough)();'
    'const o=new (require("stream").Writable)({write(c,e,d){t+=c;d();'
    'if(/(\\u0000TC> |\\.\\.\\. )$/.test(t))setImmediate(()=>L.length?i.write(L.shift()+"\\n"):i.end())}});'
    'require("repl").start({prompt:M,input:i,output:o,terminal:false,useColors:false});'
    'process.on("exit",()=>process.stdout.write(t.split(M).slice(Number(process.argv[1])+1).join("")'
    '.replace(/^(\\.\\.\\. )+/,"")))'
)


def _since_exit(earlier: Sequence[str], exits: frozenset[str]) -> Sequence[str]:
    """The statements typed since the console was last left (``.exit``): a new one starts empty."""
    left = [n for n, s in enumerate(earlier) if s.strip() in exits]
    return earlier[left[-1] + 1:] if left else earlier


def _node(opener: str, statement: str, earlier: Sequence[str]) -> str:
    earlier = _since_exit(earlier, CONSOLE_LEAVE["node"])
    typed = "".join(f"{s}\n" for s in (*earlier, statement))
    return _on_stdin(f"{opener} -e {sh_word(_NODE_REPL)} {len(earlier)}", typed)


# irb's display of a statement typed after the earlier ones (their output unseen), evaluated by
# Ruby at the top level as irb does: "=> " and the value's inspect, or the error as irb prints it
# ("(irb):4:in `<main>': … (NameError)"), line numbers counted over the session. The lines of each
# statement are the arguments (irb itself, fed by a pipe, breaks on the terminal's size).
_IRB = (
    'require "stringio"; s = STDIN.read.split("\\n", -1); b = TOPLEVEL_BINDING; n = 1; o = $stdout; '
    'ARGV.each_with_index do |c, i| last = i == ARGV.size - 1; code = s.shift(c.to_i).join("\\n"); '
    '$stdout = last ? o : StringIO.new; '
    'begin; v = b.eval(code, "(irb)", n); puts "=> #{v.inspect}" if last; rescue SystemExit; exit; '
    'rescue Exception => e; w = (e.backtrace || []).select { |f| f.start_with?("(irb)") }; '
    'e.set_backtrace(w.empty? ? ["(irb)"] : w); puts e.full_message(highlight: false, order: :top) if last; '
    'end; n += c.to_i; end'
)


def _irb(_opener: str, statement: str, earlier: Sequence[str]) -> str:
    typed = (*_since_exit(earlier, CONSOLE_LEAVE["irb"]), statement)
    counts = " ".join(str(s.count("\n") + 1) for s in typed)
    return _on_stdin(f"ruby -e {sh_word(_IRB)} {counts}", "".join(f"{s}\n" for s in typed))


# MySQL's console (MariaDB's client, Debian's mysql): batch mode shows no table borders and no
# counts, so the statement runs with -t -vvv (borders, "2 rows in set (0.000 sec)", "Query OK")
# and the echo of the statement and the closing "Bye" that only batch mode prints are cut, as is
# batch mode's " at line 1" in an error. USE changes the database of the console, not of the
# server: a later statement connects to the database the last USE typed there named.
_MYSQL_SHOWN = (
    "/^-+$/ && length($0) == 14 { echo = !echo; next } echo || /^Bye$/ { next } "
    "{ if (match($0, /^ERROR [0-9]+ \\([0-9A-Z]+\\) at line [0-9]+:/)) sub(/ at line [0-9]+:/, \":\"); "
    "kept[n++] = $0 } "
    "END { a = 0; while (a < n && kept[a] == \"\") a++; b = n - 1; while (b >= a && kept[b] == \"\") b--; "
    "for (i = a; i <= b; i++) print kept[i] }"
)
_USE = re.compile(r"^\s*(?:use|\\u)\s+`?([\w$]+)`?\s*;?\s*$", re.IGNORECASE)


def mysql_opener(opener: str) -> str:
    """How the console is opened without a terminal: without a bare ``-p`` (it asks for the
    password a reader types at the terminal; the sandbox's accounts have none)."""
    return " ".join(sh_word(w) for w in shlex.split(opener) if w not in ("-p", "--password"))


def _mysql(opener: str, statement: str, earlier: Sequence[str]) -> str:
    used = [m.group(1) for s in earlier if (m := _USE.match(s))]
    program = mysql_opener(opener) + (f" --init-command={sh_word('USE ' + used[-1])}" if used else "")
    if _USE.match(statement):  # the client's own command: batch mode says nothing of it
        return f"{program} -e {sh_word(statement)} && echo 'Database changed'"
    body = clean(statement)
    d = delimiter(body, "TC_STATEMENT")
    return "\n".join([f"{program} -t -vvv 2>&1 <<'{d}' | awk {sh_word(_MYSQL_SHOWN)}", body.rstrip("\n"), d,
                      '(exit "${PIPESTATUS[0]}")'])


# sqlite3's dot-commands that set how later statements show (``.mode list``, ``.headers on``) or
# where their output goes (``.output rows.txt``): they live in the process, which ends with each
# call, so each statement runs after the ones typed since the console was opened. Its SQL is not
# replayed (it changed the file); nor ``.open`` (a database of its own), nor a bare ``.mode``
# (it only prints the mode). ``.once`` and ``.expert`` hold for the next statement only.
_SQLITE_SETTINGS = re.compile(r"^\s*\.(?:mode|headers?|separator|nullvalue|width|output|echo|changes|bail|eqp|"
                              r"explain|timer)(?:\s+\S.*)?$")
_SQLITE_BARE = frozenset({".output", ".width"})  # bare, these reset a setting; other bare ones only print it
_SQLITE_LEAVE = CONSOLE_LEAVE["sqlite3"]
_SQLITE_NEXT = frozenset({".once", ".expert"})  # settings that hold for the next statement only


# sqlite3 opened on no file keeps its database in memory, which ends with each call: here it is
# this file, new when the console is (its first statement since it was opened or left).
_SQLITE_MEMORY = "/tmp/.tutorcheck-sqlite-memory.db"


def _sqlite_memory(opener: str, typed: Sequence[str]) -> tuple[str, str]:
    """The opener with the file that stands for an in-memory database, and what clears it first."""
    words = shlex.split(opener)
    if any(not w.startswith("-") for w in words[1:]):
        return opener, ""
    return f"{opener} {_SQLITE_MEMORY}", "" if typed else f"rm -f {_SQLITE_MEMORY}\n"


def _sqlite3(opener: str, statement: str, earlier: Sequence[str]) -> str:
    typed = _since_exit(earlier, _SQLITE_LEAVE)
    opener, fresh = _sqlite_memory(opener, typed)
    if statement.strip() in _SQLITE_LEAVE:  # nothing to show: the settings would only run again
        return fresh + _on_stdin(opener, statement)
    settings = [s.strip() for s in typed
                if _SQLITE_SETTINGS.match(s) and (" " in s.strip() or s.strip() in _SQLITE_BARE)]
    once = [typed[-1].strip()] if typed and typed[-1].strip().split(" ")[0] in _SQLITE_NEXT else []
    return fresh + _on_stdin(opener, "".join(f"{s}\n" for s in (*settings, *once)) + statement)


RUNNERS: dict[str, Runner] = {
    "psql": lambda opener, statement, _: f"{opener} -X -c {sh_word(statement)}",
    "sqlite3": _sqlite3,
    "redis-cli": lambda opener, statement, _: _on_stdin(f"{opener} --no-raw", statement),
    "node": _node,
    "irb": _irb,
    "mysql": _mysql,
}
# How a console whose statements run one by one is opened, when a step of the article opens it
# (the program as the reader starts it, without what would wait at a terminal).
OPENERS: dict[str, Callable[[str], str]] = {"mysql": mysql_opener}
# Consoles whose state lives in their process: a statement needs the ones typed before it.
REPLAYED = frozenset({"node", "irb", "mysql", "sqlite3"})  # mysql: its last USE; sqlite3: its settings
# Why the statements of a console without a row are not run.
NOT_RUN: dict[str, str] = {
    "ipython": "IPython's own syntax (a magic, a shell escape, ? help): the sandbox runs the session in plain "
               "Python, not IPython",
    **{name: f"typed at the {program} console, which tutorcheck does not run" for name, program in (
        ("octave", "GNU Octave (octave)"), ("julia", "Julia (julia)"), ("gp", "PARI/GP (gp)"),
        ("sage", "SageMath (sage)"), ("maxima", "Maxima (maxima)"), ("scala", "Scala (scala)"),
        ("ghci", "Haskell (ghci)"), ("gdb", "GNU debugger (gdb)"), ("R", "R (R)"), ("lua", "Lua (lua)"))},
}


def not_run(lang: str) -> str:
    """Why a step in ``lang`` is not run: nothing here runs that language or console."""
    return NOT_RUN.get(lang, f"cannot run {lang} steps")


def console_source(step: Step, earlier: Sequence[str] = ()) -> str | None:
    """The shell that runs ``step`` (typed at console ``step.lang`` after ``earlier``), or None
    without a row."""
    runner = RUNNERS.get(step.lang)
    return None if runner is None else runner(step.console or step.lang, step.command, earlier)


__all__ = ["NOT_RUN", "OPENERS", "REPLAYED", "RUNNERS", "console_source", "not_run"]
