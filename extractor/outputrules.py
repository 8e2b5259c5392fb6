"""How a step's output is compared when its author says how (``output=``): a row per rule.

- ``ellipsis``: ``...`` in the recorded output stands for any text, within a line or across lines;
- ``regex``: the recorded output is a regular expression the whole output must match;
- ``unordered``: the same lines, in any order;
- ``ignore``: not compared (the exit status decides; see :func:`expected_for`).

Lines are compared without their trailing blanks and without blank lines at the end, as the
matcher does. Pure and standard library only: ``check.sh`` carries this file into its container
and runs it (``python3 outputrules.py RULE EXPECTED_FILE ACTUAL_FILE``: exit 0 when they match,
else 1 with the diff), so the standalone check judges by the same rules as ``tutorcheck check``.
"""

from __future__ import annotations

import difflib
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal


@dataclass(frozen=True)
class Compared:
    match: Literal["normalized", "mismatch"]  # as extractor.vocab.Match spells them
    diff: str = ""
    problem: str = ""  # the recorded output cannot be read by the rule (a bad regular expression)


def _lines(text: str) -> list[str]:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _ellipsis(expected: str, actual: str) -> bool:
    parts = [re.escape(p) for p in re.split(r"\.\.\.|…", "\n".join(_lines(expected)))]
    return re.fullmatch(".*?".join(parts), "\n".join(_lines(actual)), re.DOTALL) is not None


def _regex(expected: str, actual: str) -> bool:
    return re.fullmatch("\n".join(_lines(expected)), "\n".join(_lines(actual)), re.MULTILINE) is not None


def _unordered(expected: str, actual: str) -> bool:
    return sorted(_lines(expected)) == sorted(_lines(actual))


RULES: Mapping[str, Callable[[str, str], bool]] = MappingProxyType({
    "ellipsis": _ellipsis,
    "regex": _regex,
    "unordered": _unordered,
})


def expected_for(rule: str, expected: str | None) -> str | None:
    """The recorded output a step is judged against: none when its author said to ignore it."""
    return None if rule == "ignore" else expected


def compare_by(rule: str, expected: str, actual: str) -> Compared:
    """``actual`` against ``expected`` by the author's ``rule`` (a key of :data:`RULES`)."""
    try:
        same = RULES[rule](expected, actual)
    except re.error as e:
        return Compared("mismatch", problem=f"the recorded output is not a valid regular expression ({e})")
    if same:
        return Compared("normalized")
    diff = "\n".join(difflib.unified_diff(_lines(expected), _lines(actual), "expected", "actual", lineterm=""))
    return Compared("mismatch", diff)


def main(argv: Sequence[str] | None = None) -> int:
    rule, expected, actual = argv if argv is not None else sys.argv[1:]
    with open(expected, encoding="utf-8", errors="replace") as e, open(actual, encoding="utf-8", errors="replace") as a:
        cmp = compare_by(rule, e.read(), a.read())
    if cmp.match == "mismatch":
        print(cmp.problem or cmp.diff)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["RULES", "Compared", "compare_by", "expected_for"]
