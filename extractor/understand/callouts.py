"""Callouts: numbered markers an author puts at the end of a line to explain it below the
listing (AsciiDoc ``<1>``, ``# <1>``, ``(1)`` in order, MkDocs Material ``# (1)!``). They are
annotations, not code: removed from the text that is run or written, kept as notes.

``<N>`` and ``(N)!`` cannot be code at the end of a line; a bare ``(N)`` can (``VALUES (1)``),
so it counts only when the block's markers are numbered 1, 2, 3... in order.
"""

from __future__ import annotations

import re

_MARK = re.compile(r"^(?P<code>.*?\S)?[ \t]+(?:(?:#|//|--|;)[ \t]*)?"
                   r"(?P<mark><(?P<a>\d{1,2})>|\((?P<b>\d{1,2})\)(?P<bang>!)?)[ \t]*$")


def _number(m: re.Match[str]) -> int:
    return int(m.group("a") or m.group("b"))


def strip(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without its callout markers, and notes saying where each was."""
    lines = text.split("\n")
    found = {n: m for n, line in enumerate(lines) if (m := _MARK.match(line)) and m.group("code")}
    if not found:
        return text, ()
    sure = {n for n, m in found.items() if m.group("a") or m.group("bang")}
    numbers = [_number(found[n]) for n in sorted(found)]
    if len(found) >= 2 and numbers == list(range(1, len(found) + 1)):
        sure = set(found)  # markers numbered 1, 2, 3... down the block
    notes = []
    for n in sorted(sure):
        m = found[n]
        lines[n] = m.group("code")
        notes.append(f"line {n + 1}: callout {_number(m)}")
    return "\n".join(lines), tuple(notes)
