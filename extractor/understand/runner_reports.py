"""What a test runner always prints, and output shown under one that has none of it.

A test runner reports on every run, whatever the project: ``cargo test`` prints ``running N
tests`` and ``test result:`` (or cargo's own ``Compiling``/``error:`` lines), ``go test`` an
``ok``/``FAIL``/``PASS`` line, pytest its ``=== … ===`` rules or ``N passed``, unittest ``Ran N
tests``. Output a page shows under such a command with not one line of that report (a file's
contents, another program's output) cannot be what a reader sees, whichever project the reader
runs it in: the page pairs the command with the wrong output. That is known without running
anything, so it is a static check of the block, and it holds where the step itself cannot run
(its project is the reader's own).

Only whole outputs are judged: an output with an elision (``...``), a command whose output
is filtered (a pipe, a redirection) or that asks for something else than a test run
(``--version``, ``--help``, a listing, JSON) is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.model import Check, Step
from extractor.understand.made import positionals
from extractor.understand.shellsplit import Invocation, invocations


@dataclass(frozen=True)
class Runner:
    """A test runner: how it is invoked, what its report is called, and its report's lines."""

    name: str
    report: str  # what a reader would look for, in the check's message
    lines: re.Pattern[str]


_CARGO = Runner("cargo test", "running N tests, test result:, Compiling, error:", re.compile(
    r"^\s*(?:Compiling|Finished|Running|Doc-tests|Fresh|Updating|Locking|Downloaded?|Blocking)\s"
    r"|^running \d+ tests?\b|^test \S.* \.\.\. |^test result: |^(?:error|warning)(?:\[\w+\])?: |^failures:"))
_GO = Runner("go test", "ok, FAIL, PASS, --- or === lines", re.compile(
    r"^(?:ok|FAIL|PASS|\?)(?:\s|$)|^(?:---|===) |^# \S|^panic: |^go: |no test files"))
_PYTEST = Runner("pytest", "its === rules, N passed/failed, collected N items", re.compile(
    r"^=+ .* =+$|\b\d+ (?:passed|failed|errors?|skipped|xfailed|xpassed|deselected|warnings?)\b|no tests ran"
    r"|^collect(?:ed|ing) |\[\s*\d+%\]$|^(?:ERROR|FAILED|PASSED)\b|^usage: "))
_UNITTEST = Runner("python -m unittest", "Ran N tests, OK or FAILED", re.compile(
    r"^Ran \d+ tests? in |^OK\b|^FAILED \(|^[.EFsxu]+$|^(?:ERROR|FAIL): |^-{20,}$|^Traceback|^usage: "))

# (program, first word of its arguments, or "" for any) → the runner it is.
RUNNERS: dict[tuple[str, str], Runner] = {
    ("cargo", "test"): _CARGO, ("go", "test"): _GO,
    **{(program, ""): _PYTEST for program in ("pytest", "py.test", "pytest-3")},
}
# ``python -m NAME`` → the runner it is.
MODULES: dict[str, Runner] = {"pytest": _PYTEST, "unittest": _UNITTEST}
# Words that ask a runner for something else than a test run (a version, help, a listing, JSON).
NOT_A_RUN = frozenset({"--version", "-V", "--help", "-h", "help", "--list", "--collect-only", "--co", "-json",
                       "--json", "--format", "--message-format", "--no-run"})
_ELISION = frozenset({"...", "…", "[...]", "(...)"})
# Output filtered or sent elsewhere: what is shown is no longer the runner's whole report.
_FILTERED = re.compile(r"[|>]")


def runner(inv: Invocation) -> Runner | None:
    """The test runner ``inv`` runs, if it runs one (``python3 -m pytest`` is pytest)."""
    if inv.name in ("python", "python3") and inv.args[:1] == ("-m",) and len(inv.args) > 1:
        return MODULES.get(inv.args[1])
    pos = positionals(inv.args, inv.name)
    return RUNNERS.get((inv.name, pos[0] if pos else ""), RUNNERS.get((inv.name, "")))


def _report_of(command: str) -> Runner | None:
    """The runner whose report ``command``'s output is, when the output is the whole of it."""
    if _FILTERED.search(command):
        return None
    try:
        calls = invocations(command)
    except Exception:  # noqa: BLE001 - a command the parser refuses: nothing to judge here
        return None
    found = [(inv, r) for inv in calls if (r := runner(inv)) is not None]
    if not found or any(NOT_A_RUN & {a.split("=", 1)[0] for a in inv.args} for inv, _ in found):
        return None
    return found[0][1]


def report_check(step: Step, where: str) -> Check | None:
    """Whether the output shown under a test run has a line of the runner's report (None: the
    step is no whole test run with output shown)."""
    if step.lang != "shell" or not step.expected_output or not step.expected_output.strip():
        return None
    found = _report_of(step.command)
    lines = [line for line in step.expected_output.splitlines() if line.strip()]
    if found is None or any(line.strip() in _ELISION for line in lines):
        return None
    command = f"compare the output shown under '{step.command}' in {where} with what {found.name} prints"
    if any(found.lines.search(line) for line in lines):
        return Check("runner-report", command, True)
    return Check("runner-report", command, False,
                 f"the output shown under '{step.command}' has no line of {found.name}'s report "
                 f"({found.report}), whatever the project: it is another program's output or a file's contents")


def report_checks(steps: tuple[Step, ...], where: str) -> tuple[Check, ...]:
    """The report check of each test run of a block that shows its output."""
    return tuple(c for step in steps if (c := report_check(step, where)) is not None)


__all__ = ["MODULES", "NOT_A_RUN", "RUNNERS", "Runner", "report_check", "report_checks", "runner"]
