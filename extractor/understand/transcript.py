"""A shell session split into steps: each prompt line starts a command, which runs on while
the shell grammar wants more lines; what follows until the next prompt is its output.

Comment lines (``# deploy ARC``) right before a prompt head the next command; they are
not output. Lines that look like commands but carry no prompt (a CLI printing advice)
stay output: only a prompt starts a command.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

from extractor.understand import consoles, shellsplit, words
from extractor.understand.made import VALUE_FLAGS
from extractor.understand.prompts import PromptMatch, Prompts

_COMMENT = re.compile(r"^\s*#")


@dataclass(frozen=True)
class Turn:
    """One command of a session, its recorded output, and the prompt it was typed at."""

    command: str
    output: str | None
    prompt: PromptMatch
    complete: bool
    line: int  # 0-based line of the block where the command starts

    @property
    def span(self) -> tuple[int, int]:
        """The lines of the block that hold the command (from, up to)."""
        return self.line, self.line + self.command.count("\n") + 1


def _output(lines: list[str], prompt: str) -> str | None:
    """What a command printed: up to a line that is the bare prompt again (the shell waiting,
    nothing typed), trailing blanks and comments (they head the next command; at the prompt,
    ``$ # now clean up``, the reader typed them) dropped."""
    bare = [n for n, line in enumerate(lines) if line.strip() and line.rstrip() == prompt.rstrip()]
    lines = lines[: bare[0]] if bare else lines
    typed = prompt.rstrip()
    while lines and (not lines[-1].strip() or _COMMENT.match(lines[-1]) or (
            typed and lines[-1].startswith(typed) and _COMMENT.match(lines[-1][len(typed):]))):
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return "\n".join(lines) + "\n" if lines else None


# Windows shells are not bash: a line ending in the escape character (PowerShell's backtick,
# cmd's caret) continues, and PowerShell prints ``>> `` before each continuation line.
_WINDOWS_CONTINUATION = {"powershell": "`", "cmd": "^"}
_PS_MORE = re.compile(r"^>>( |$)")


def _windows_lines(first: str, rest: list[str], escape: str) -> list[str]:
    lines = [first]
    for line in rest:
        if _PS_MORE.match(line):
            lines.append(line[3:] if line.startswith(">> ") else line[2:])
        elif lines[-1].rstrip().endswith(escape):
            lines.append(line)
        else:
            break
    return lines


def _command_lines(first: str, rest: list[str], shape: str = "") -> tuple[list[str], bool]:
    """The lines of the command starting with ``first``, PS2 ``> `` prompts removed, and
    whether it is complete."""
    lines = [first, *rest]
    if shape in _WINDOWS_CONTINUATION:
        return _windows_lines(first, rest, _WINDOWS_CONTINUATION[shape]), True
    if rest and rest[0].startswith(">") and shellsplit.wants_more(first):
        ps2 = [first]
        for line in rest:
            if not line.startswith(">"):
                break
            ps2.append(line)
        stripped = shellsplit.strip_ps2(ps2)
        span2 = shellsplit.extend(stripped, 0, len(stripped))
        if span2.complete:
            return stripped[: span2.end], True
    span = shellsplit.extend(lines, 0, len(lines))
    return lines[: span.end], span.complete


def _console_lines(console: consoles.Console, first: str, rest: list[str]) -> list[str]:
    """A console statement: its first line, then the lines at the continuation prompt."""
    lines = [first]
    for line in rest:
        more = consoles.continues(console, line)
        if more is None:
            break
        lines.append(more)
    return lines


# Commands that open a root shell (its prompt is ``# ``) and the ones that leave it.
_BECOME_ROOT = re.compile(r"^(sudo\s+(-i|-s|su\b|bash\b)|su(\s+-)?\s*$|sudo\s+-u\s+root\s+-i)")
_LEAVE = re.compile(r"^(exit|logout)\b")
_ROOT_PROMPT = re.compile(r"^#\s+")


class _Prompter:
    """Finds prompt lines; after ``sudo -i`` a ``# `` line holding a command is one too, and
    after ``node`` a ``> `` line is node's. A console's own prompt (``shop=>``, ``sqlite>``) is
    that console's, whatever the article's shell prompts are."""

    def __init__(self, lines: list[str], prompts: Prompts) -> None:
        self.lines, self.prompts, self.root = lines, prompts, False
        self.console: consoles.Console | None = None  # a weak-prompt console the block opened

    def at(self, j: int) -> PromptMatch | None:
        line = self.lines[j]
        own = consoles.strong_match(line)
        if own is not None:
            return PromptMatch(own[1], own[0].name, None)
        if self.console is not None and (m := self.console.prompt.match(line)) and line[m.end():].strip():
            return PromptMatch(m.group(0), self.console.name, None)
        found = self.prompts.match(line)
        if found is None and self.root and (m := _ROOT_PROMPT.match(self.lines[j])):
            if words.looks_like_command(self.lines[j][m.end():]):
                return PromptMatch(m.group(0), "hash", None)
        return found

    def next(self, start: int) -> int:
        return next((j for j in range(start, len(self.lines)) if self.at(j) is not None), len(self.lines))

    def ran(self, command: str, shape: str) -> None:
        if shape in consoles.BY_NAME:
            if consoles.leaves(command):
                self.console = None
            return
        opened = consoles.opened_by(command)
        if opened is not None and not opened.strong:
            self.console = opened
        if _BECOME_ROOT.match(command):
            self.root = True
        elif _LEAVE.match(command):
            self.root = False


def _wrapped_tail(cmd_lines: list[str], after: list[str]) -> str | None:
    """The line after a command that ends in an option taking a value (``rustdoc ... -L``): no
    command ends so, and the page wrapped the line there without a backslash; that line, or None."""
    tokens = " ".join(cmd_lines).split()
    program = tokens[1] if tokens[:1] == ["sudo"] and len(tokens) > 1 else tokens[0] if tokens else ""
    if not after or not after[0].strip() or after[0][:1].isspace() or len(after[0].split()) != 1:
        return None
    return after[0] if tokens[-1] in VALUE_FLAGS.get(program, frozenset()) else None


def split(text: str, prompts: Prompts, opened: consoles.Console | None = None) -> list[Turn]:
    """The turns of a session block (empty when no line carries a prompt). A margin the page
    gives the whole block (DocBook's `` $ debmake ...`` screens) is layout: it goes first."""
    lines = [line.rstrip() for line in textwrap.dedent(text).split("\n")]
    finder = _Prompter(lines, prompts)
    finder.console = opened  # a console the block's label says it is typed at (Node's ``>``)
    turns: list[Turn] = []
    i = finder.next(0)
    while i < len(lines):
        m = finder.at(i)
        assert m is not None
        first = lines[i][len(m.prompt):]
        rest = lines[i + 1:finder.next(i + 1)]
        if m.shape in consoles.BY_NAME:
            cmd_lines, complete = _console_lines(consoles.BY_NAME[m.shape], first, rest), True
        else:
            cmd_lines, complete = _command_lines(first, rest, m.shape)
        tail = _wrapped_tail(cmd_lines, rest[len(cmd_lines) - 1:]) if m.shape not in consoles.BY_NAME else None
        consumed = i + len(cmd_lines) + (tail is not None)
        if tail is not None:
            cmd_lines = [*cmd_lines[:-1], f"{cmd_lines[-1]} {tail}"]
        command = "\n".join(cmd_lines).rstrip()
        finder.ran(command, m.shape)
        stop = finder.next(consumed)
        if command.strip():
            turns.append(Turn(command, _output(lines[consumed:stop], m.prompt), m, complete, i))
        i = stop
    return turns
