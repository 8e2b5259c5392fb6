"""What a learner's step asks of the session, and what a session can do.

Every session runs requests (``Workspace``). The sandbox's session can also keep checkpoints
and open a terminal (``Checkpoints``, ``Terminal``); the walk offers back/jump/reset and
``[t]erminal`` only when the session has them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from extractor.plan import Action
from extractor.unreached import Reach
from extractor.vocab import ActionKind


@dataclass(frozen=True)
class Request:
    """One thing for the session to do: ``shell`` or ``python`` source, or ``write`` a file."""

    op: str
    src: str = ""
    path: str = ""
    data: str = ""
    timeout: float | None = None  # the author's, for this step (a directive); else the learner's

    @property
    def text(self) -> str:
        """What a learner edits: the command, or the file's text."""
        return self.data if self.op == "write" else self.src

    def edited(self, text: str) -> Request:
        return replace(self, data=text) if self.op == "write" else replace(self, src=text)


@dataclass(frozen=True)
class Ran:
    """What one request did in the session."""

    exit_code: int | None
    output: str
    reason: str = ""  # why there is no exit code (timeout, session lost)
    reach: Reach | None = None  # the network the step had (a sandbox's; None: not known, nothing is skipped for it)


class Workspace(Protocol):
    """A long-lived shell (and Python) somewhere safe; ``run`` never raises for a failing step."""

    def run(self, request: Request) -> Ran: ...

    def close(self) -> None: ...


@runtime_checkable
class Checkpoints(Protocol):
    """A session whose state (files, variables, cwd) can be saved and brought back."""

    def checkpoint(self, position: int) -> bool:
        """Keep the state at ``position``; False when none could be taken."""
        ...

    def restore(self, position: int | None) -> None:
        """Back to the checkpoint taken at ``position`` (None: a clean session), in a fresh one."""
        ...


@runtime_checkable
class Terminal(Protocol):
    """A session a learner can type into: an interactive shell at its current state."""

    def terminal(self) -> str:
        """Open the shell; returns when the learner leaves it, with a note for the screen."""
        ...


def request_for(a: Action) -> Request:
    """The request that runs a planned step as the article gives it."""
    if a.kind == ActionKind.WRITE or (a.lang == "file" and a.path):
        return Request("write", path=a.path, data=a.source)
    if a.kind in (ActionKind.PYTHON, ActionKind.SCRIPT):
        return Request("python", src=a.source, timeout=a.timeout)
    if a.lang == "python" and not a.kind.runs:  # a `>>>` example the plan does not run, run anyway
        return Request("python", src=a.source or a.command, timeout=a.timeout)
    # a server's source already starts it in the background
    return Request("shell", src=a.source or a.command, timeout=a.timeout)


__all__ = ["Checkpoints", "Ran", "Request", "Terminal", "Workspace", "request_for"]
