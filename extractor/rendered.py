"""How pages show a terminal's output, where it differs from a capture without being drift.

Conventions many tools' pages share, each a named stage of the matcher (``matching.STAGES``):

- ``carriage-return``: a capture holds every ``\\r`` a progress line wrote; a reader's terminal
  shows what the last one left (each piece after a ``\\r`` overwrites the line from column 0,
  an erase-line escape clears the rest). Both texts are reduced to that screen, so the final
  text is compared and a changed one still fails.
- ``rule-line``: rule lines (``=====``, ``--- title ---``) are filled to the author's terminal
  width; a run of one rule character, alone (at least ``BARE_RULE`` long) or on both sides of a
  text, becomes ``<c> text <c>`` whatever its width. The character and the text still count
  (the text still goes through the other rules, e.g. durations).
- ``version``: an expected version with placeholder components (``3.x.y``, ``1.2.x``, ``8.x``)
  stands for any version with numbers there (a trailing placeholder also takes further parts and
  a packaging label, ``1.0.0+repack``); its fixed components must be equal. Only the
  article's side holds placeholders: the run's version that fits one is written as shown.

Standard library only: the toolbox image carries this file beside matching.py.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

RULE_CHARS = "=-_*#~"
BARE_RULE = 10  # a shorter bare run is text (``---`` in YAML, ``***`` as a mask)
_BARE = re.compile(rf"^(\s*)([{re.escape(RULE_CHARS)}])\2{{{BARE_RULE - 1},}}$")
_TITLED = re.compile(rf"^(\s*)([{re.escape(RULE_CHARS)}])\2{{2,}} (.*?) \2{{3,}}$")
_ERASE = re.compile(r"\x1b\[[02]?K")

PLACEHOLDER_PARTS = frozenset("xXyzN")
_VERSION = re.compile(r"(?<![\w.])(v?)(\d+(?:\.(?:\d+|[xXyzN]))+)(?![\w]|\.\w)")


def screen(text: str) -> str:
    """``text`` as a terminal shows it: on each line every piece after a ``\\r`` overwrites from
    column 0 (``\\x1b[K`` clears to the end of the line); a CRLF is left to the ``whitespace``
    stage, it is a newline."""
    if "\r" not in text.replace("\r\n", "\n"):
        return text
    return "\n".join(_overwrite(line[:-1]) + "\r" if line.endswith("\r") else _overwrite(line)
                     for line in text.split("\n"))


def _overwrite(line: str) -> str:
    shown = ""
    for piece in line.split("\r"):
        cursor = 0
        for k, part in enumerate(_ERASE.split(piece)):
            if k:  # an erase-line escape: what is right of the cursor goes
                shown = shown[:cursor]
            shown = shown[:cursor] + part + shown[cursor + len(part):]
            cursor += len(part)
    return shown


def rule_line(line: str) -> str:
    """A fill-width rule line as ``<c>`` (bare) or ``<c> text <c>``; any other line unchanged.
    Titled rules need a text that is not itself rule characters (``---- ----`` under a header)."""
    bare = _BARE.match(line)
    if bare:
        return f"{bare.group(1)}<{bare.group(2)}>"
    titled = _TITLED.match(line)
    if titled and titled.group(3).strip(RULE_CHARS + " "):
        indent, char, text = titled.groups()
        return f"{indent}<{char}> {text} <{char}>"
    return line


def placeholder_versions(expected: Sequence[str], actual: Sequence[str]) -> list[str]:
    """``actual``'s lines, each one that is a line of ``expected`` but for numbers where that
    line shows placeholder versions (``Python 3.11.2`` for ``Python 3.x.y``) written as shown."""
    shapes = [(re.compile(shape), line) for line in dict.fromkeys(expected) if (shape := _shape(line))]
    if not shapes:
        return list(actual)
    return [next((line for shape, line in shapes if shape.fullmatch(a)), a) for a in actual]


def _shape(line: str) -> str:
    """A pattern for the lines ``line`` stands for, or empty when it shows no placeholder version."""
    out, at, any_placeholder = [], 0, False
    for m in _VERSION.finditer(line):
        parts = m.group(2).split(".")
        if not PLACEHOLDER_PARTS.intersection(parts) or parts[0] in PLACEHOLDER_PARTS:
            continue
        any_placeholder = True
        version = r"\.".join(r"\d+" if p in PLACEHOLDER_PARTS else re.escape(p) for p in parts)
        if parts[-1] in PLACEHOLDER_PARTS:  # ``3.x``: any 3 release, however many parts, however packaged
            version += r"(?:\.\d+)*(?:[+~][\w.~+]+)?"  # a local or distribution label: ``1.0.0+repack``
        out += [re.escape(line[at:m.start(2)]), version]
        at = m.end(2)
    return "".join([*out, re.escape(line[at:])]) if any_placeholder else ""
