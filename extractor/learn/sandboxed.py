"""The sandbox's long-lived container session (``extractor.sandbox.session``) as a learner's workspace."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractor.learn.workspace import Ran, Request
from extractor.model import Tutorial
from extractor.options import LEARNER_SESSION_LIFETIME_S, LEARNER_STEP_TIMEOUT_S, RunOptions
from extractor.plan import Plan

# How long one step may run, and how long a learner's container may live (it is labelled with
# this deadline, so a forgotten one is reaped by any later tutorcheck run).
STEP_TIMEOUT_S = LEARNER_STEP_TIMEOUT_S
SESSION_LIFETIME_S = LEARNER_SESSION_LIFETIME_S


class SandboxWorkspace:
    """One container for the walk (a fresh one after ``back``), under the policy of ``check``."""

    def __init__(self, t: Tutorial, plan: Plan, network: RunOptions, say: Callable[[str], None],
                 checkpoint_file: Callable[[int], Path] | None = None) -> None:
        from extractor.sandbox import images
        from extractor.sandbox.egress import network_policy
        from extractor.sandbox.reaper import reap

        self.client = images.client()
        reap(self.client)
        packages = plan.packages
        say(f"preparing the sandbox image{' with ' + ', '.join(packages) if packages else ''}…")
        self.image = images.ensure_article(self.client, packages, say=say)
        self.pins = plan.pinned  # where the steps start, their environment and host name (plan/pinning.py)
        chosen = network_policy(network, plan.hosts)
        self.policy = chosen.with_start_dir(self.pins.start_dir) if self.pins.start_dir else chosen
        self.slug = t.slug
        self.say = say
        self.checkpoint_file = checkpoint_file
        self.session: Any = self.start()
        say(f"sandbox ready: {self.image}, network {network.network_words}, working in {self.session.cwd}")

    def start(self) -> Any:
        from extractor.sandbox.session import Session

        session = Session(self.client, self.image, self.policy, lifetime_s=SESSION_LIFETIME_S, name_hint=self.slug,
                          env=self.pins.environment, hostname=self.pins.hostname)
        session.start()
        return session

    def run(self, request: Request) -> Ran:
        op = {"op": request.op, "src": request.src} if request.op != "write" else \
            {"op": "write", "path": request.path, "data": request.data}
        from extractor.sandbox.egress import reach_of

        answer = self.session.request(op, request.timeout or STEP_TIMEOUT_S)
        if answer.status in ("ok", "died") and answer.exit_code is not None:
            return Ran(answer.exit_code, answer.output, answer.note, reach_of(self.policy))
        return Ran(None, answer.output, answer.note or answer.status)

    def checkpoint(self, position: int) -> bool:
        """Save the state at ``position`` (after the step before it ran); False when it cannot."""
        from extractor.errors import SandboxError
        from extractor.sandbox import checkpoint

        if self.checkpoint_file is None or self.session.dead:
            return False
        try:
            checkpoint.save(self.session, self.checkpoint_file(position))
        except (SandboxError, OSError) as e:
            self.say(f"no checkpoint here: {e}")
            return False
        return True

    def restore(self, position: int | None) -> None:
        """A fresh container, with the checkpoint at ``position`` (None: left clean)."""
        from extractor.sandbox import checkpoint

        self.session.close()
        self.session = self.start()
        if position is not None and self.checkpoint_file is not None:
            checkpoint.restore(self.session, self.checkpoint_file(position))

    def terminal(self) -> str:
        from extractor.sandbox.terminal import open_shell

        if self.session.dead:
            return "  the sandbox session has ended (a step outlived its time): [b]ack brings a checkpoint back"
        print("  a shell in the sandbox, where the walk is; `exit` (or Ctrl-D) comes back", flush=True)
        try:
            open_shell(self.session)
        except Exception as e:  # noqa: BLE001 — the engine refused the exec: the walk goes on
            return f"  no shell in the sandbox: {e}"
        return f"  back from the sandbox shell; working in {self.session.cwd}"

    def close(self) -> None:
        self.session.close()


__all__ = ["SESSION_LIFETIME_S", "STEP_TIMEOUT_S", "SandboxWorkspace"]
