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
  A page made from a log or a pipe shows the pieces one after another instead (``collecting ...
  collected 2 items``): a run's line whose pieces, joined, are a line the article shows is
  written so (``joined_progress``); both are renderings of the same run.
- ``version``: an expected version with placeholder components (``3.x.y``, ``1.2.x``, ``8.x``)
  stands for any version with numbers there (a trailing placeholder also takes further parts and
  a packaging label, ``1.0.0+repack``); its fixed components must be equal. Only the
  article's side holds placeholders: the run's version that fits one is written as shown.

- ``placeholder-path``: a path the article starts with a name standing for a directory of the
  author's machine (``PYTEST_TMPDIR/test_x0``, ``$PYTHON_PREFIX/bin/python``, ``<path>/docs``)
  stands for the reader's path there: any absolute path (or the matcher's ``<tmp>``). The rest of
  the line must still be equal.

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


def joined_progress(expected: str, actual: str) -> str:
    """``actual`` with each line whose ``\\r`` pieces, joined, make a line ``expected`` shows
    (blanks aside) written joined: the article was captured where the pieces follow each other."""
    lines = actual.split("\n")
    if not any("\r" in line.rstrip("\r") for line in lines):
        return actual
    shown = {" ".join(line.split()) for line in expected.split("\n")}
    for n, line in enumerate(lines):
        if "\r" in line.rstrip("\r"):
            joined = _ERASE.sub("", line.replace("\r", ""))
            if " ".join(joined.split()) in shown:
                lines[n] = joined
    return "\n".join(lines)


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


PLACEHOLDER_STAGES = ("version", "placeholder-path")
# A name standing for a directory at the start of a path: ``$NAME``, ``${NAME}``, ``NAME_WITH_PARTS``,
# ``<project-dir>`` (an angled name that says it is a place: the matcher's own ``<ip>``, ``<tmp>`` are not).
_PATH_NAME = (r"(?:\$\{?[A-Z][A-Z0-9_]*\}?|[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+"
              r"|<[a-z][\w -]*(?:path|dir|directory|folder|prefix|home|root)>)")
_PATH_END = r"[^\s'\"`,;:)\]]"
_PLACEHOLDER = re.compile(rf"(?P<path>(?<![\w/$.<-]){_PATH_NAME}/{_PATH_END}*)"
                          r"|(?<![\w.])v?(?P<version>\d+(?:\.(?:\d+|[xXyzN]))+)(?![\w]|\.\w)")
_ANY_PATH = rf"(?:<tmp>|/{_PATH_END}*)"


def placeholder_versions(expected: Sequence[str], actual: Sequence[str],
                         stages: Sequence[str] = PLACEHOLDER_STAGES) -> list[str]:
    """``actual``'s lines, each one that is a line of ``expected`` but where that line shows
    placeholders (``stages``: versions, ``Python 3.11.2`` for ``Python 3.x.y``; paths, ``/usr/bin``
    for ``$PREFIX/bin``) written as shown."""
    shapes = [(re.compile(shape), line) for line in dict.fromkeys(expected) if (shape := _shape(line, stages))]
    if not shapes:
        return list(actual)
    return [next((line for shape, line in shapes if shape.fullmatch(a)), a) for a in actual]


def _shape(line: str, stages: Sequence[str]) -> str:
    """A pattern for the lines ``line`` stands for, or empty when it shows no placeholder."""
    out, at, any_placeholder = [], 0, False
    for m in _PLACEHOLDER.finditer(line):
        if m.group("path"):
            if "placeholder-path" not in stages:
                continue
            out += [re.escape(line[at:m.start()]), _ANY_PATH]
            at, any_placeholder = m.end(), True
            continue
        parts = m.group("version").split(".")
        if "version" not in stages or not PLACEHOLDER_PARTS.intersection(parts) or parts[0] in PLACEHOLDER_PARTS:
            continue
        any_placeholder = True
        version = r"\.".join(r"\d+" if p in PLACEHOLDER_PARTS else re.escape(p) for p in parts)
        if parts[-1] in PLACEHOLDER_PARTS:  # ``3.x``: any 3 release, however many parts, however packaged
            version += r"(?:\.\d+)*(?:[+~][\w.~+]+)?"  # a local or distribution label: ``1.0.0+repack``
        out += [re.escape(line[at:m.start("version")]), version]
        at = m.end("version")
    return "".join([*out, re.escape(line[at:])]) if any_placeholder else ""
