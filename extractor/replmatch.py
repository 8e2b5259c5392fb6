"""Compare a ``>>>`` example's recorded output with what CPython's REPL printed.

doctest's rules, completed, then the matcher's (``extractor.matching``), never a weaker copy:

- plain output: doctest's ``ELLIPSIS`` (``...`` inside a line), then ``matching.compare``
  (whitespace, volatile tokens such as ``0x…`` addresses, set/dict displays in any order);
- an exception (``Traceback (most recent call last):`` or a SyntaxError's ``File "…", line N``
  header): output printed before it is compared as above; the stack is ignored and the
  exception's own lines (``ValueError: bad``, multi-line messages too) are compared. A chained
  exception ("During handling of the above exception…", "The above exception was the direct
  cause…") is a sequence of such parts: the same links, in the same order, each compared so.
  An exception the article names without its module (``UndefinedUnitError``) is the REPL's
  ``pint.errors.UndefinedUnitError``.

Rules (``Comparison.rule``): ``exact``, the matcher's stage names, ``doctest-ellipsis``, and
``traceback`` when a stack was set aside.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass

try:
    from extractor.matching import EXACT, MISMATCH, NORMALIZED, Comparison, compare
except ImportError:  # in the toolbox image, beside matching.py (check.sh judges python steps with it)
    from matching import EXACT, MISMATCH, NORMALIZED, Comparison, compare  # type: ignore[no-redef]

_HEADER = "Traceback (most recent call last):"
_SYNTAX_HEADER = re.compile(r'^  File "[^"\n]*", line \d+\s*$')
_LINKS = ("During handling of the above exception, another exception occurred:",
          "The above exception was the direct cause of the following exception:")
_MESSAGE = re.compile(r"^\w")  # doctest's rule: the exception's lines start at a word character
_CHECKER = doctest.OutputChecker()


@dataclass(frozen=True)
class Shown:
    """An output split as the REPL prints it: plain text, then a chain of exceptions, each
    ``(header kind, the exception's own lines)``, joined by ``links``."""

    before: str
    errors: tuple[tuple[str, str], ...] = ()
    links: tuple[str, ...] = ()


def split(text: str) -> Shown:
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines)
                  if line.rstrip() == _HEADER or (_SYNTAX_HEADER.match(line) and _syntax_at(lines, i))), None)
    if start is None:
        return Shown(text)
    parts: list[list[str]] = [[]]
    links: list[str] = []
    for line in lines[start:]:
        if line.strip() in _LINKS:
            links.append(line.strip())
            parts.append([])
        else:
            parts[-1].append(line)
    errors = tuple(_error(part) for part in parts)
    return Shown("\n".join(lines[:start]) + ("\n" if start else ""), errors, tuple(links))


def shows_an_exception(text: str) -> bool:
    """The text shows an exception as the REPL prints it (a traceback, or a SyntaxError)."""
    return bool(split(text).errors)


def _syntax_at(lines: list[str], i: int) -> bool:
    """A SyntaxError display: the File line, indented source lines, then ``…Error: message``."""
    rest = [line for line in lines[i + 1:] if line.strip()]
    j = next((k for k, line in enumerate(rest) if _MESSAGE.match(line)), None)
    return j is not None and re.match(r"^(?:\w+\.)*\w*(?:Error|Exception|Warning)\b", rest[j]) is not None


def _error(part: list[str]) -> tuple[str, str]:
    body = [line for line in part if line.strip()]
    kind = "traceback" if body and body[0].rstrip() == _HEADER else "syntax"
    first = next((k for k, line in enumerate(body) if k > 0 and _MESSAGE.match(line)), len(body))
    return kind, "\n".join(line.rstrip() for line in body[first:]) + "\n"


_QUALIFIED = re.compile(r"^((?:\w+\.)+)(\w+)(?=:|$)")


def _as_named(want: str, got: str) -> str:
    """The REPL names an exception by its module (``pint.errors.UndefinedUnitError: …``); an
    article that names the class alone (``UndefinedUnitError: …``) shows the same exception, as
    doctest's IGNORE_EXCEPTION_DETAIL has it for the module: the module is set aside."""
    m = _QUALIFIED.match(got)
    return got[len(m.group(1)):] if m and want.startswith(m.group(2)) else got


def _plain(want: str, got: str) -> Comparison:
    if want == got:
        return Comparison(EXACT, EXACT)
    if _CHECKER.check_output(want, got, doctest.ELLIPSIS):
        return Comparison(NORMALIZED, "doctest-ellipsis")
    return compare(want, got)


def compare_example(expected: str, actual: str) -> Comparison:
    """Whether ``actual`` (what the REPL printed) is what ``expected`` (the article) shows."""
    want = expected if expected.endswith("\n") or not expected else expected + "\n"
    if want == actual:
        return Comparison(EXACT, EXACT)
    exp = split(want)
    if not exp.errors:
        return _plain(want, actual)
    act = split(actual)
    verdicts = [_plain(exp.before, act.before)]
    same_shape = [k for k, _ in exp.errors] == [k for k, _ in act.errors] and exp.links == act.links
    if same_shape:
        verdicts += [_plain(w, _as_named(w, g)) for (_, w), (_, g) in zip(exp.errors, act.errors, strict=True)]
    if not same_shape or any(v.match == MISMATCH for v in verdicts):
        return Comparison(MISMATCH, "", _diff(want, actual))
    rules = [r for v in verdicts for r in v.rule.split("+") if r and r != EXACT]
    return Comparison(NORMALIZED, "+".join(dict.fromkeys(["traceback", *rules])))


def _diff(want: str, got: str) -> str:
    import difflib

    return "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", "actual"))


def main(argv: list[str] | None = None) -> int:
    """``python3 replmatch.py EXPECTED_FILE ACTUAL_FILE``: exit 0 when the example matches (the
    rule on stdout), 1 with the diff, 2 on bad usage. Standard library and matching.py only."""
    import sys
    from pathlib import Path

    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 2:
        print("usage: replmatch.py EXPECTED_FILE ACTUAL_FILE", file=sys.stderr)
        return 2
    want, got = (Path(a).read_text(encoding="utf-8", errors="replace") for a in args)
    c = compare_example(want, got)
    if c.ok:
        print(c.rule or c.match)
        return 0
    sys.stdout.write(c.diff)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
