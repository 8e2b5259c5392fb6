"""Non-code shapes a block can have: directory trees, commit lists, charts (→ text) and
recorded program output (→ output). Each shape is a line pattern and a share of lines."""

from __future__ import annotations

import re

# name, line pattern, share of non-blank lines that must match
TEXT_SHAPES: tuple[tuple[str, re.Pattern[str], float], ...] = (
    ("directory tree", re.compile(r"(├──|└──|│\s|\|--|`--|\+--)"), 0.4),
    ("commit list", re.compile(r"^\s*(\*\s+)?[0-9a-f]{7,40}\b(:|\s+-?\s*\S)"), 0.6),
    ("chart", re.compile(r"[█▇▆▅▄▃▂▁▏▎▍▌▋▊▉░▒▓■]{2,}"), 0.4),
    ("ascii table", re.compile(r"^\s*[+|][-=+|]{5,}[+|]\s*$|^\s*\|.*\|\s*$"), 0.6),
)

# Lines that only program output has (logs, errors, tables a CLI prints).
OUTPUT_LINES: tuple[re.Pattern[str], ...] = (
    re.compile(r"^[\w.-]+ (error|ERR!|warn|WARN|notice|verbose|fatal)[: ] *[\w\"'`]"),
    re.compile(r"^\s*(error|fatal|warning|panic|Error|ERROR|FATAL|WARNING|WARN|INFO|DEBUG|"
               r"Traceback|Exception|Caused by)\b[:\s(]"),
    re.compile(r"^[\w./-]+:(\d+:)* (error|warning|fatal|note):"),
    re.compile(r"^\s+at [\w.$<>]+\(.*\)$"),
    re.compile(r'^\s*File ".*", line \d+'),
    re.compile(r"^\[?\d{4}-\d\d-\d\d[ T]\d\d:\d\d"),
    re.compile(r"\b[1-5]\d\d [A-Z][a-z]+( [A-Z][a-z]+)*\b"),
    re.compile(r"^(NAME|NAMESPACE|LAST SEEN|CONTAINER ID|REPOSITORY|PID)\s{2,}[A-Z]"),
    re.compile(r"^[\w./-]+: (OK|FAILED)$"),
    re.compile(r"^\w[\w-]*(\.[\w-]+)*/[\w.-]+ (created|configured|unchanged|deleted)$"),
)


def _nonblank(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def text_shape(text: str) -> str | None:
    """The name of the non-code shape ``text`` has, if any."""
    lines = _nonblank(text)
    if not lines:
        return None
    for name, pattern, share in TEXT_SHAPES:
        hits = sum(1 for line in lines if pattern.search(line))
        if hits >= 2 and hits >= share * len(lines):
            return name
    return None


def output_lines(text: str) -> int:
    """How many lines of ``text`` only program output would have."""
    return sum(1 for line in _nonblank(text) if any(p.search(line) for p in OUTPUT_LINES))
