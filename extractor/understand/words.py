"""Does a line read like a shell command, or like English / output? Word-level tests only."""

from __future__ import annotations

import re

from extractor.understand.tables import BASE_PROGRAMS, KNOWN_CLIS, SHELL_BUILTINS

_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=(?!=)")  # not NAME==1.2 (a version pin)
_PATHLIKE = re.compile(r"^(\./|\.\./|/|~/)(?=[\w./~-]*\w)[\w./~-]+$")  # a path has a name: ``//`` is a comment
_WRAPPERS = frozenset({"sudo", "env", "time", "nohup", "exec", "command", "builtin", "xargs", "watch"})
# a shell function definition: `greet() { ...`, `function greet {`, and the fork bomb `:(){ :|:& };:`
_FUNCDEF = re.compile(r"^(?:function\s+[^\s(){}|&;<>]+\s*(?:\(\s*\))?\s*\{|[^\s(){}|&;<>'\"$]+\s*\(\s*\)\s*\{)")
_SENTENCE = re.compile(r"^[A-Z][a-z]+(?:\s+[a-z][\w'-]*){3,}.*[.!:?]?$")


def first_word(line: str) -> str:
    """The program a command line runs: past ``VAR=x`` assignments and ``sudo``-like wrappers."""
    for token in line.split():
        if _ASSIGN.match(token) or token in _WRAPPERS or token.startswith("-"):
            continue
        return token
    return ""


def is_known_program(word: str) -> bool:
    return word in BASE_PROGRAMS or word in SHELL_BUILTINS or word in KNOWN_CLIS or bool(_PATHLIKE.match(word))


def looks_like_sentence(line: str) -> bool:
    """English prose (``Granular tokens are now limited to 90 days.``), not a command."""
    return bool(_SENTENCE.match(line.strip()))


def looks_like_command(line: str) -> bool:
    """A line a reader would type: a known program, a path, an assignment or a shell keyword."""
    line = line.strip()
    if not line or looks_like_sentence(line):
        return False
    if (_ASSIGN.match(line) and " " not in line.split("=", 1)[0]) or _FUNCDEF.match(line):
        return True
    return is_known_program(first_word(line))
