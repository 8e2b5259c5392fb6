"""The Python packages a step's own error asks for, by the conventions of Python and its libraries.

A tutorial of a library uses features that need its optional packages (pint's ``plus_minus``
needs ``uncertainties``, its locales ``Babel``); the page does not import them, the library does,
and tells a reader who lacks them what to install. A reader who follows the tutorial has them.
So when a step fails with such a message (``ASKS``, a row per convention), the article runs again
in an image whose layer adds Debian's package of that module (never PyPI's: a name read from an
output is installed only when Debian has it), and the result says what was installed and which
step asked (``ArticleResult.pinned``). A step that still fails fails; a step that shows the
message as its expected output passed already and asks for nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from functools import cache

from extractor.results import StepResult
from extractor.vocab import StepStatus

# (convention, pattern with a ``name`` group): what a failing step printed that names a package
ASKS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("python's ModuleNotFoundError (python -m names it unquoted)",
     re.compile(r"\bNo module named '?(?P<name>[A-Za-z_]\w*)")),
    ("a missing optional dependency", re.compile(r"\bMissing optional dependency '(?P<name>[A-Za-z][\w.-]*)'")),
    ("a library that requires a package", re.compile(r"\brequires the '(?P<name>[A-Za-z][\w.-]*)' "
                                                     r"(?:package|module|library)")),
    ("the install command an error suggests", re.compile(r"^\s*pip3? install (?P<name>[A-Za-z][\w.-]*)\s*$", re.M)),
)
_FAILED = frozenset({StepStatus.FAILED, StepStatus.BLOCKED})


def asked(steps: Sequence[StepResult], have: Collection[str], own: Collection[str]) -> dict[str, str]:
    """Module → the first failed step that asked for it (``block B step S``), leaving out what the
    layer has (``have``: plan packages, ``pymod:NAME``) and the article's own modules (``own``)."""
    found: dict[str, str] = {}
    for step in steps:
        if step.status not in _FAILED:
            continue
        for _, pattern in ASKS:
            for m in pattern.finditer(step.output):
                name = m.group("name")
                if f"pymod:{name}" not in have and name not in own and name not in found:
                    found[name] = f"block {step.block} step {step.step}"
    return found


@cache
def debian_package(module: str) -> str | None:
    """Debian's package of a Python module, when Debian has one (``Babel`` → ``python3-babel``)."""
    from extractor.sandbox.layers import debian_has, module_package

    package = module_package(module)
    return package if debian_has(package) else None


__all__ = ["ASKS", "asked", "debian_package"]
