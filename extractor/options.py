"""What the user asks of a run: timeouts, the network, values for the steps. One class, the
defaults written once; the CLI, the pytest plugin, ``check``, ``step``, ``notebook`` and
check.sh all read them from here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from extractor.errors import UsageError

DEFAULT_STEP_TIMEOUT_S = 60.0
DEFAULT_ARTICLE_TIMEOUT_S = 900.0
# A learner reads between steps: one step may take longer, and the container lives for the walk.
LEARNER_STEP_TIMEOUT_S = 300.0
LEARNER_SESSION_LIFETIME_S = 4 * 3600.0

EMPTY_ENV: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True)
class RunOptions:
    """How to run an article: timeouts (seconds), whether the network is allowed, and values for
    the steps (``env``: often secrets; only their names reach the plan, never the reports)."""

    step_timeout: float = DEFAULT_STEP_TIMEOUT_S
    article_timeout: float = DEFAULT_ARTICLE_TIMEOUT_S
    allow_network: bool = False
    env: Mapping[str, str] = field(default_factory=lambda: EMPTY_ENV)
    # A kubeconfig's text (--kubeconfig FILE): the cluster steps run against it. A secret like
    # the env values: it reaches the sandbox over stdin, never its configuration or a report.
    kubeconfig: str = field(default="", repr=False)

    @property
    def env_names(self) -> frozenset[str]:
        return frozenset(self.env)

    def cache_key(self) -> dict[str, Any]:
        """The options that can change a verdict (the values of ``env`` only as a hash)."""
        env = hashlib.sha256(json.dumps(sorted(self.env.items())).encode("utf-8")).hexdigest()
        key: dict[str, Any] = {"step_timeout": self.step_timeout, "article_timeout": self.article_timeout,
                               "allow_network": self.allow_network, "env": env}
        if self.kubeconfig:
            key["kubeconfig"] = hashlib.sha256(self.kubeconfig.encode("utf-8")).hexdigest()
        return key


def parse_env(pairs: Sequence[str]) -> dict[str, str]:
    """``--env NAME=VALUE`` arguments as a mapping (a usage error names the bad one)."""
    env: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError("--env", f"expected NAME=VALUE, got {pair!r}")
        env[name] = value
    return env


__all__ = ["DEFAULT_ARTICLE_TIMEOUT_S", "DEFAULT_STEP_TIMEOUT_S", "EMPTY_ENV", "LEARNER_SESSION_LIFETIME_S",
           "LEARNER_STEP_TIMEOUT_S", "RunOptions",
           "parse_env"]
