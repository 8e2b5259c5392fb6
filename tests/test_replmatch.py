"""A ``>>>`` example's output against CPython's REPL (no Docker): doctest's rules completed."""

from __future__ import annotations

import pytest

from extractor.replmatch import compare_example, split

ZERO = ('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\n'
        "ZeroDivisionError: division by zero\n")
CHAINED = ('Traceback (most recent call last):\n  File "<stdin>", line 2, in <module>\nKeyError: \'missing\'\n\n'
           "During handling of the above exception, another exception occurred:\n\n"
           'Traceback (most recent call last):\n  File "<stdin>", line 4, in <module>\nValueError: no such key\n')
SYNTAX = '  File "<stdin>", line 1\n    1 +\n       ^\nSyntaxError: invalid syntax\n'

# (id, what the article shows, what the REPL printed, a rule the match needs)
MATCHES = [
    ("exact", "42\n", "42\n", "exact"),
    ("lost-newline", "42", "42\n", "exact"),
    ("inline-ellipsis", "[0, 1, ..., 29]\n", str(list(range(30))) + "\n", "doctest-ellipsis"),
    ("stack-elided", "Traceback (most recent call last):\n  ...\nZeroDivisionError: division by zero\n", ZERO,
     "traceback"),
    ("other-line-number", ZERO.replace("line 1", "line 3"), ZERO, "traceback"),
    ("deeper-stack", ZERO, ZERO.replace("<module>\n", '<module>\n  File "<stdin>", line 2, in f\n'), "traceback"),
    ("chained-other-lines", CHAINED.replace("line 4", "line 9"), CHAINED, "traceback"),
    ("syntax-caret-moved", SYNTAX.replace("       ^", "      ^"), SYNTAX, "traceback"),
    ("output-before-traceback", "start\n" + ZERO.replace("line 1", "line 2"), "start\n" + ZERO, "traceback"),
    ("address", "<__main__.Box object at 0x7f3a9c2e1d50>\n", "<__main__.Box object at 0x7f00c0ffee00>\n",
     "address"),
    ("set-order", "{'cherry', 'banana', 'apple'}\n", "{'apple', 'cherry', 'banana'}\n", "unordered"),
    ("trailing-spaces", "a  \nb\n", "a\nb\n", "whitespace"),
    ("blank-lines-inside", "first\n\nsecond\n", "first\n\nsecond\n", "exact"),
    ("exception-without-its-module", "Traceback (most recent call last):\n...\nUnitError: 'snail' is unknown\n",
     ZERO.replace("ZeroDivisionError: division by zero", "units.errors.UnitError: 'snail' is unknown"), "traceback"),
]


@pytest.mark.parametrize("want, got, rule", [m[1:] for m in MATCHES], ids=[m[0] for m in MATCHES])
def test_when_only_the_repl_noise_differs_then_the_example_matches(want: str, got: str, rule: str) -> None:
    c = compare_example(want, got)
    assert c.ok, c.diff
    assert rule in c.rule.split("+"), c.rule


REFUSALS = [
    ("other-exception", ZERO, ZERO.replace("ZeroDivisionError: division by zero", "ValueError: bad")),
    ("other-message", ZERO, ZERO.replace("division by zero", "integer division or modulo by zero")),
    ("chain-missing-link", CHAINED, CHAINED.split("\n\nDuring")[0] + "\n"),
    ("chain-other-link", CHAINED, CHAINED.replace("During handling of the above exception, another exception "
                                                  "occurred:", "The above exception was the direct cause of the "
                                                  "following exception:")),
    ("chain-inner-changed", CHAINED, CHAINED.replace("KeyError: 'missing'", "KeyError: 'other'")),
    ("raised-instead-of-output", "3\n", ZERO),
    ("output-instead-of-raise", ZERO, "3\n"),
    ("syntax-vs-runtime", SYNTAX, ZERO),
    ("syntax-message", SYNTAX, SYNTAX.replace("invalid syntax", "invalid syntax. Perhaps you forgot a comma?")),
    ("output-before-changed", "start\n" + ZERO, "stop\n" + ZERO),
    ("blank-line-output-cut", "first\n\nsecond\n", "first\n"),
    ("other-exception-without-module", "Traceback (most recent call last):\n...\nUnitError: bad\n",
     ZERO.replace("ZeroDivisionError: division by zero", "units.errors.DimensionError: bad")),
    ("other-module-shown", "Traceback (most recent call last):\n...\nunits.UnitError: bad\n",
     ZERO.replace("ZeroDivisionError: division by zero", "other.UnitError: bad")),
    ("set-member", "{'cherry', 'banana', 'apple'}\n", "{'apple', 'cherry', 'kiwi'}\n"),
]


@pytest.mark.parametrize("want, got", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_when_the_example_really_changed_then_it_is_a_mismatch_with_a_diff(want: str, got: str) -> None:
    c = compare_example(want, got)
    assert c.match == "mismatch" and c.diff


def test_a_chained_traceback_splits_into_its_links() -> None:
    shown = split("note\n" + CHAINED)
    assert shown.before == "note\n"
    assert shown.errors == (("traceback", "KeyError: 'missing'\n"), ("traceback", "ValueError: no such key\n"))
    assert shown.links == ("During handling of the above exception, another exception occurred:",)
    assert split(SYNTAX).errors == (("syntax", "SyntaxError: invalid syntax\n"),)
    assert split("  File \"x.py\", line 3\nnot an error\n").errors == ()
