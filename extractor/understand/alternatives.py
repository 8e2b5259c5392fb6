"""Alternative commands: a comment between two commands that says the second does the first's
job another way (``# or``, ``# OR A library``, ``# Alternatively, with yarn:``, ``// or``).

A reader runs one of the two, not both: typed after the first, the second often fails for a
reason that is no fault of the page (``cargo new --lib foo`` once ``foo/`` exists). The comment
stands on a line of its own, before the command it offers, with or without the session's
prompt (``$ # or``); its first word is *or* or *alternatively*. The offered command is an
alternative of the step right before the comment (of the first of a chain: ``A # or B # or C``).
A comment at the end of a command's line (``npm i  # or: yarn``) offers nothing to run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extractor.model import Alternative, Step

# An optional prompt (``$``, ``%``, ``>``, ``PS>``), a comment leader, then "or"/"alternatively".
_MARKER = re.compile(r"^\s*(?:(?:PS)?[$%>]\s+)?(?P<said>(?:#+|//|--|::|rem\b)\s*(?:or|alternatively)\b.*)$",
                     re.IGNORECASE)


def marker(line: str) -> str | None:
    """The comment of ``line`` when it offers the next command as an alternative, else None."""
    m = _MARKER.match(line)
    return m.group("said").strip() if m else None


def offered(gap: Sequence[str]) -> str | None:
    """The alternative marker among the lines between two commands (the last such line), or None."""
    found = [said for line in gap if (said := marker(line)) is not None]
    return found[-1] if found else None


def without_markers(output: str | None) -> str | None:
    """A command's recorded output without marker lines at its end (``$ # or`` is the reader's
    comment before the next command, not something the first one printed)."""
    if output is None:
        return None
    lines = output.rstrip("\n").split("\n")
    while lines and (not lines[-1].strip() or marker(lines[-1]) is not None):
        lines.pop()
    return "".join(f"{line}\n" for line in lines) or None


def mark(steps: Sequence[Step], lines: Sequence[str], spans: Sequence[tuple[int, int]]) -> tuple[Step, ...]:
    """``steps`` with each offered alternative marked; ``spans[n]`` are the lines of ``lines``
    (the block's) that hold step ``n``'s command, so a marker stands between two spans."""
    out: list[Step] = []
    for n, step in enumerate(steps):
        said = offered(lines[spans[n - 1][1]:spans[n][0]]) if n > 0 else None
        if said is not None:
            before = out[n - 1]
            first = before.alternative.step if before.alternative is not None else n - 1
            out[-1] = replace(before, expected_output=without_markers(before.expected_output))
            step = replace(step, alternative=Alternative(first, steps[first].command, said))
        out.append(step)
    return tuple(out)


__all__ = ["mark", "marker", "offered", "without_markers"]
