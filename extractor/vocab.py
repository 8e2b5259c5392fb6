"""The words tutorcheck decides with, as types: step and article statuses, action kinds, need
kinds and match kinds.

Each is a ``StrEnum``: a member *is* its string, so the JSON, the reports and a comparison
with a plain string stay what they were, while mypy checks that a decision names a real
member. A decision compares members, never the wording of a reason.
"""

from __future__ import annotations

from enum import StrEnum


class StepStatus(StrEnum):
    """What happened to one step (DESIGN.md, ``check --json``)."""

    PASSED = "passed"
    FAILED = "failed"
    # Its failure is explained by an earlier step that did not run or did not do its part;
    # it names that step and does not fail the article.
    BLOCKED = "blocked"
    SKIPPED = "skipped"
    ERROR = "error"
    TIMEOUT = "timeout"


class ArticleStatus(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    ERROR = "error"


# A step in one of these makes the article (and ``tutorcheck check``) fail.
FAILING_STEP_STATUSES = frozenset({StepStatus.FAILED, StepStatus.TIMEOUT})
# ... and with these the exit status is 1 too (the tutorial could not be judged).
UNJUDGED_STEP_STATUSES = frozenset({StepStatus.ERROR})


class ActionKind(StrEnum):
    """What the plan does with a step (``action`` in the results)."""

    SHELL = "shell"  # a command, in the article's one shell
    PYTHON = "python"  # a ``>>>`` example, in the article's one interpreter
    SCRIPT = "script"  # a Python program, written to a file and run
    WRITE = "write"  # a file the article says to save, written where it introduces it
    STATIC = "static"  # a check of a block that is not run (syntax, schema, lint)
    SKIP = "skip"  # not run, for the reason given: a gap later steps may depend on
    PROVIDED = "provided"  # not run because the image did it (installing packages): no gap

    @property
    def runs(self) -> bool:
        return self in RUNNING_KINDS


RUNNING_KINDS = frozenset({ActionKind.SHELL, ActionKind.PYTHON, ActionKind.SCRIPT, ActionKind.WRITE})
# Not run, and leaving no gap: later steps still have their state.
NO_GAP_KINDS = frozenset({ActionKind.STATIC, ActionKind.PROVIDED})


class NeedKind(StrEnum):
    """What a step needs to run as written (the ``need`` of a skipped step's result).

    The first six are the vocabulary of ``labels.yaml`` (``tool`` is spelt ``tool:NAME`` in
    ``needs``); the others name what a place cannot give (root, systemd, a desktop...).
    """

    CLUSTER = "cluster"
    NETWORK = "network"
    SECRET = "secret"
    PLACEHOLDER = "placeholder"
    STATE = "state"
    TOOL = "tool"
    SERVICE = "service"  # a server another step (or the world) must have started
    ROOT = "root"  # sudo: a password on a reader's machine, no root in the sandbox
    OS = "os"  # another operating system (a PowerShell or cmd prompt)
    PATH = "path"  # a file outside the notebook's folder
    SEQUENCE = "sequence"  # follows a step of its block that is not run
    TIME = "time"  # the article's time ran out
    LANG = "lang"  # a step in a language nothing here runs
    INTERACTIVE = "interactive"  # waits for an answer at a prompt, and the article shows none
    TERMINAL = "terminal"  # an interactive program (an editor) a reader types into
    AUTHOR = "author"  # the author said not to run it (a ``skip`` directive)
    GUI = "gui"  # a desktop session (a display server) the program draws on or talks to
    HARDWARE = "hardware"  # a device on the reader's machine (a board on USB, a serial port)
    MACHINE = "machine"  # its output is the machine's own configuration: the article shows the author's
    FILE = "file"  # a file or program the article never gives (the reader's own, or an earlier page's)
    ALTERNATIVE = "alternative"  # offered instead of an earlier step (``# or``): a reader runs that one
    EXCERPT = "excerpt"  # a file the article changes by an excerpt it never shows whole (one that cannot be placed)
    ELIDED = "elided"  # a line at a prompt standing for what the author left out (``$ ...``): no statement
    OTHER = "other"  # a need no rule knows (its label is the value)


class Match(StrEnum):
    """How a step's output compared with the article's recording."""

    EXACT = "exact"
    NORMALIZED = "normalized"
    MISMATCH = "mismatch"
    NONE = "none"


# A step skipped for one of these leaves no gap: its author says the article goes on without it
# (a later failure it explains is still ``blocked``, naming it), or it is another OS's twin of a
# step (a Windows prompt's ``venv\\Scripts\\activate``), for other readers: this one ran the POSIX twin,
# or another way to do what an earlier step did (``# or``): this reader ran that one.
NO_GAP_NEEDS = frozenset({NeedKind.AUTHOR, NeedKind.OS, NeedKind.ALTERNATIVE})
# A step skipped for one of these lacks nothing of its own: it follows an earlier step that did not run.
KNOCK_ON_NEEDS = frozenset({NeedKind.SEQUENCE, NeedKind.STATE})
# What typed at a console closes it, by console: the reading of a transcript (the prompt after it
# is the shell's again; any console's words, understand/consoles.py) and the running of a console
# whose statements are replayed (plan/console_steps.py: a new console starts empty) share it.
CONSOLE_LEAVE: dict[str, frozenset[str]] = {
    "sqlite3": frozenset({".exit", ".quit"}),
    "node": frozenset({".exit"}),
    "irb": frozenset({"exit", "quit", "exit()"}),
    "psql": frozenset({"\\q", "\\quit"}),
    "R": frozenset({"q()", "quit()"}),
    "ghci": frozenset({":q", ":quit"}),
    "octave": frozenset({"exit", "quit", "quit();"}),
}
LEAVES_A_CONSOLE = frozenset().union(*CONSOLE_LEAVE.values())


__all__ = ["CONSOLE_LEAVE", "FAILING_STEP_STATUSES", "KNOCK_ON_NEEDS", "LEAVES_A_CONSOLE", "NO_GAP_KINDS",
           "NO_GAP_NEEDS", "RUNNING_KINDS", "UNJUDGED_STEP_STATUSES", "ActionKind", "ArticleStatus", "Match",
           "NeedKind", "StepStatus"]
