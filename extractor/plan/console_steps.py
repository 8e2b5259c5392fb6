"""Statements typed at another program's console, run as that console would run them.

A psql session (``shop=> SELECT …``), a sqlite3 one (``sqlite> .tables``) or a redis-cli one
(``127.0.0.1:6379> INCR visits``) is a sequence of statements typed at one program. Each runs as
one call of that program in the article's shell, opened as the article opened it
(``Step.console``: ``psql shop``, ``sqlite3 app.db``): psql with ``-c`` (errors print as the
console prints them), sqlite3 and redis-cli with the statement on stdin (redis-cli with
``--no-raw``, its replies as a terminal shows them: ``(integer) 2``). What a statement changes
stays in the server or the file, so later statements see it. A row per console; a console
without a row is not run (the plan says why).
"""

from __future__ import annotations

from collections.abc import Callable

from extractor.model import Step
from extractor.quoting import heredoc, sh_word


def _on_stdin(opener: str, statement: str) -> str:
    return "\n".join(heredoc(opener, statement, "TC_STATEMENT"))


RUNNERS: dict[str, Callable[[str, str], str]] = {
    "psql": lambda opener, statement: f"{opener} -X -c {sh_word(statement)}",
    "sqlite3": _on_stdin,
    "redis-cli": lambda opener, statement: _on_stdin(f"{opener} --no-raw", statement),
}


def console_source(step: Step) -> str | None:
    """The shell that runs ``step`` (typed at console ``step.lang``), or None without a row."""
    runner = RUNNERS.get(step.lang)
    return None if runner is None else runner(step.console or step.lang, step.command)


__all__ = ["RUNNERS", "console_source"]
