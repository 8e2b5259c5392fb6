"""What an article names as programs, beyond the ones every reader knows, and the console its
sessions are typed at: how a reader tells a prompt-less line from plain text.

A manual names its commands as man pages do (``ccache(1)``, ``i3-save-tree(1)``: sections 1, 6
and 8 are commands); a program the article's own shell sessions run (``$ i3-msg -t tree``) is a
program on its other lines too; so are the programs of a desktop session or of a device
(:data:`.tables.GUI_PROGRAMS`). A program the article never names stays unknown, even after
"the command": run, it would only say "command not found". An article whose every prompt is
one console's (``octave:1>``) and never the shell's types its prompt-less statements at that
console as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractor.bounds import MAX_PARSE_CHARS, OverBound
from extractor.understand import consoles, shellsplit
from extractor.understand.prompts import STRONG, match_shape
from extractor.understand.tables import GUI_PROGRAMS, HARDWARE_PROGRAMS

# ``name(1)`` as a man page reference (Markdown may escape the parentheses): a user command (1),
# a game (6) or an administration command (8)
_MAN_PAGE = re.compile(r"(?<![\w/.\\-])([a-z][\w.+-]*)\\?\([168]\\?\)")


def _run_in_sessions(code: str) -> set[str]:
    found: set[str] = set()
    for line in code.splitlines():
        m = match_shape(line)
        if m is not None and m.shape in STRONG and not consoles.strong_match(line):
            try:
                found |= {call.name for call in shellsplit.invocations(line[len(m.prompt):])}
            except OverBound:  # shell nested past the parser's bound: the block is kept as text
                continue
    return found


def _analysed(codes: Iterable[str]) -> list[str]:
    """The code texts a parser may read (a 10 MB log is kept as text, see bounds.py)."""
    return [code for code in codes if len(code) <= MAX_PARSE_CHARS]


def named_programs(prose: Iterable[str], codes: Iterable[str]) -> frozenset[str]:
    """The programs an article names: by man page references in its prose, by its shell sessions
    running them, and the programs of a desktop or a device."""
    names = {m.group(1) for text in prose for m in _MAN_PAGE.finditer(text)}
    for code in _analysed(codes):
        names |= _run_in_sessions(code)
    return frozenset(names) | GUI_PROGRAMS | HARDWARE_PROGRAMS


def only_console(codes: Iterable[str]) -> str | None:
    """The console every prompt of the article belongs to (``octave``), when there is one and no
    line carries a shell prompt; else None."""
    seen: set[str] = set()
    for code in _analysed(codes):
        for line in code.splitlines():
            if (own := consoles.strong_match(line)) is not None:
                seen.add(own[0].name)
            elif (m := match_shape(line)) is not None and m.shape in STRONG:
                return None
    return next(iter(seen)) if len(seen) == 1 else None


__all__ = ["named_programs", "only_console"]
