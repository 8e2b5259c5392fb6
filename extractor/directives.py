"""Authors' directives: what an author says about one code block, in a comment readers never see.

``<!-- tutorcheck: skip the mirror is slow -->`` before a Markdown block or in an HTML page,
``.. tutorcheck: expect-fail`` in reST. The first line holds one or more directives separated
by blanks (``timeout=5 output=unordered``); ``skip`` takes the rest of the line as its reason;
``setup`` and ``teardown`` take the comment's further lines as a block of their own that runs
but is never shown (shell commands, or ``setup=python``: Python run in the article's interpreter).

This module only reads: the words → typed :class:`Directive`\\ s, checked against the table of
valid ones (:data:`DIRECTIVES`). What a directive changes is decided where each decision lives:
a block's facts in ``understand/authored.py``, a step's action in ``plan/authored.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from extractor.facts import LABEL_NEEDS


class DirectiveKind(StrEnum):
    SKIP = "skip"  # not run (the rest of the line: why)
    EXPECT_FAIL = "expect-fail"  # must fail: passing is a failure
    TIMEOUT = "timeout"  # seconds for each of its steps
    NEEDS = "needs"  # what its steps need, instead of (or besides, with +/-) what was inferred
    PROVIDES = "provides"  # what it gives later steps (a tool it installs, a service it starts)
    FILE = "file"  # a file to save, under this path
    OUTPUT = "output"  # how its recorded output is compared
    ENV = "env"  # its steps need this variable (supplied with --env)
    SETUP = "setup"  # the comment's further lines: run first, never shown
    TEARDOWN = "teardown"  # the comment's further lines: run after the article, never shown


# How the recorded output of a step is compared (``output=``).
OUTPUT_RULES = ("ignore", "ellipsis", "regex", "unordered")
# The blocks the author writes inside the comment itself, and their languages (shell by default).
HIDDEN_KINDS = frozenset({DirectiveKind.SETUP, DirectiveKind.TEARDOWN})
HIDDEN_LANGS = ("shell", "python")
PREFIX = "tutorcheck"


@dataclass(frozen=True)
class Directive:
    """One directive, as the author wrote it (``value``: what follows ``=``, or ``skip``'s reason),
    and the line of the source it is on when the source has lines."""

    kind: DirectiveKind
    value: str = ""
    line: int | None = None

    def __str__(self) -> str:
        if self.kind == DirectiveKind.SKIP:
            return f"skip {self.value}".strip()
        return f"{self.kind}={self.value}" if self.value else str(self.kind)

    def to_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "value": self.value, "line": self.line}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> Directive:
        return cls(DirectiveKind(d["kind"]), str(d.get("value", "")), d.get("line"))


def _seconds(value: str) -> str | None:
    try:
        ok = 0 < float(value) < float("inf")
    except ValueError:
        ok = False
    return None if ok else "a positive number of seconds"


_NEED_ITEM = re.compile(r"[+-]?(?:(?:tool|service):[\w.+-]+|" + "|".join(sorted(LABEL_NEEDS)) + ")")


def _needs(value: str) -> str | None:
    items = value.split(",")
    if value == "none" or all(_NEED_ITEM.fullmatch(item) for item in items):
        return None
    return ("'none' or a comma-separated list of " + ", ".join(sorted(LABEL_NEEDS))
            + ", tool:NAME, service:NAME (each may start with + to add it or - to remove it)")


def _provides(value: str) -> str | None:
    ok = all(re.fullmatch(r"(?:tool|service):[\w.+-]+", item) for item in value.split(","))
    return None if ok else "a comma-separated list of tool:NAME or service:NAME"


def _path(value: str) -> str | None:
    return None if value and "\0" not in value else "a file path"


def _one_of(*allowed: str) -> Callable[[str], str | None]:
    return lambda value: None if value in allowed else "one of " + ", ".join(allowed)


def _name(value: str) -> str | None:
    return None if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value) else "a variable name (letters, digits, _)"


@dataclass(frozen=True)
class Spec:
    """How a directive is written: ``form`` for the list of valid ones; ``value`` checks what
    follows ``=`` (None: it takes none)."""

    form: str
    value: Callable[[str], str | None] | None = None
    optional: bool = False  # it may be written without a value too


DIRECTIVES: Mapping[DirectiveKind, Spec] = MappingProxyType({
    DirectiveKind.SKIP: Spec("skip [reason]"),
    DirectiveKind.EXPECT_FAIL: Spec("expect-fail"),
    DirectiveKind.TIMEOUT: Spec("timeout=SECONDS", _seconds),
    DirectiveKind.NEEDS: Spec("needs=NEED,...", _needs),
    DirectiveKind.PROVIDES: Spec("provides=tool:NAME,...", _provides),
    DirectiveKind.FILE: Spec("file=PATH", _path),
    DirectiveKind.OUTPUT: Spec("output=" + "|".join(OUTPUT_RULES), _one_of(*OUTPUT_RULES)),
    DirectiveKind.ENV: Spec("env=NAME", _name),
    DirectiveKind.SETUP: Spec("setup[=python]", _one_of(*HIDDEN_LANGS), optional=True),
    DirectiveKind.TEARDOWN: Spec("teardown[=python]", _one_of(*HIDDEN_LANGS), optional=True),
})
VALID = ", ".join(spec.form for spec in DIRECTIVES.values())


class DirectiveError(ValueError):
    """A directive tutorcheck does not know, or a value it cannot take (the message says which
    are valid); the reader names the file and line."""


_HEAD = re.compile(rf"^\s*{PREFIX}(?:@(\d+))?\s*:", re.IGNORECASE)


def is_directive(comment: str) -> bool:
    """The comment is addressed to tutorcheck (``tutorcheck: ...``)."""
    return bool(_HEAD.match(comment))


def _word(word: str, rest: str, line: int | None) -> Directive:
    name, sep, value = word.partition("=")
    try:
        kind = DirectiveKind(name.lower())
    except ValueError:
        raise DirectiveError(f"unknown directive {word!r}; valid directives: {VALID}") from None
    spec = DIRECTIVES[kind]
    if kind == DirectiveKind.SKIP:
        return Directive(kind, " ".join(f"{value} {rest}".split()) if sep else " ".join(rest.split()), line)
    if spec.value is None or (spec.optional and not sep):
        if sep:
            raise DirectiveError(f"{name} takes no value (got {word!r}); valid directives: {VALID}")
        return Directive(kind, "", line)
    problem = spec.value(value) if sep else "a value"
    if problem:
        raise DirectiveError(f"{name}= expects {problem}, got {word!r}")
    return Directive(kind, value, line)


def parse_comment(comment: str, line: int | None = None) -> tuple[tuple[Directive, ...], str]:
    """The directives of a ``tutorcheck:`` comment and the block it holds (its further lines,
    for ``setup``/``teardown``; "" when none). A line number in the comment's head
    (``tutorcheck@12:``, written by the Markdown and reST readers) wins over ``line``.
    Raises :class:`DirectiveError` naming what is wrong and listing the valid directives."""
    head = _HEAD.match(comment)
    if head is None:
        raise DirectiveError(f"not a {PREFIX} comment")
    line = int(head.group(1)) if head.group(1) else line
    first, _, body = comment[head.end():].partition("\n")
    words = first.split(None, 1)
    found: list[Directive] = []
    while words:
        directive = _word(words[0], words[1] if len(words) > 1 else "", line)
        found.append(directive)
        if directive.kind == DirectiveKind.SKIP:
            break  # the rest of the line is its reason
        words = words[1].split(None, 1) if len(words) > 1 else []
    if not found:
        raise DirectiveError(f"a {PREFIX} comment with no directive; valid directives: {VALID}")
    hidden = any(d.kind in HIDDEN_KINDS for d in found)
    if body.strip() and not hidden:
        raise DirectiveError("only setup and teardown hold a block on the comment's further lines")
    if hidden and not body.strip():
        raise DirectiveError("setup and teardown hold the commands to run on the comment's further lines; "
                             "this one holds none")
    return tuple(found), _dedent(body) if hidden else ""


def _dedent(body: str) -> str:
    import textwrap

    return textwrap.dedent(body).strip("\n") + "\n"


__all__ = ["DIRECTIVES", "HIDDEN_KINDS", "HIDDEN_LANGS", "OUTPUT_RULES", "VALID", "Directive", "DirectiveError",
           "DirectiveKind", "is_directive", "parse_comment"]
