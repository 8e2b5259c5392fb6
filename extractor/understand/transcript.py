"""A shell session split into steps: each prompt line starts a command, which runs on while
the shell grammar wants more lines; what follows until the next prompt is its output.

Comment lines (``# deploy ARC``) right before a prompt head the next command; they are
not output. Lines that look like commands but carry no prompt (a CLI printing advice)
stay output: only a prompt starts a command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.understand import shellsplit
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


def _output(lines: list[str]) -> str | None:
    while lines and (not lines[-1].strip() or _COMMENT.match(lines[-1])):
        lines = lines[:-1]
    while lines and not lines[0].strip():
        lines = lines[1:]
    return "\n".join(lines) + "\n" if lines else None


def _command_lines(first: str, rest: list[str]) -> tuple[list[str], bool]:
    """The lines of the command starting with ``first``, PS2 ``> `` prompts removed, and
    whether it is complete."""
    lines = [first, *rest]
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


def split(text: str, prompts: Prompts) -> list[Turn]:
    """The turns of a session block (empty when no line carries a prompt)."""
    lines = [line.rstrip() for line in text.split("\n")]
    starts = [(i, m) for i, line in enumerate(lines) if (m := prompts.match(line)) is not None]
    turns: list[Turn] = []
    for k, (i, m) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        first = lines[i][len(m.prompt):]
        if not first.strip():
            continue
        cmd_lines, complete = _command_lines(first, lines[i + 1:stop])
        consumed = i + len(cmd_lines)
        command = "\n".join(cmd_lines).rstrip()
        turns.append(Turn(command, _output(lines[consumed:stop]), m, complete, i))
    return turns
