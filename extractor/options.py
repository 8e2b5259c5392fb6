"""What the user asks of a run: timeouts, the network, values for the steps. One class, the
defaults written once; the CLI, the pytest plugin, ``check``, ``step``, ``notebook`` and
check.sh all read them from here."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from extractor.allowlist import Entry, parse_list
from extractor.errors import UsageError

DEFAULT_STEP_TIMEOUT_S = 60.0
DEFAULT_ARTICLE_TIMEOUT_S = 900.0
# A learner reads between steps: one step may take longer, and the container lives for the walk.
LEARNER_STEP_TIMEOUT_S = 300.0
LEARNER_SESSION_LIFETIME_S = 4 * 3600.0

EMPTY_ENV: Mapping[str, str] = MappingProxyType({})


def seconds(text: str) -> float:
    """A time limit from the command line: a finite, positive number of seconds (nan, inf, 0
    and -5 are refused, as argparse's type errors: exit 2 with the reason)."""
    import argparse
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def tcp_port(text: str) -> int:
    """A TCP port from the command line: 0 (any free one) to 65535, else argparse's type error (exit 2)."""
    import argparse

    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got {text!r}")
    return int(text)


@dataclass(frozen=True)
class RunOptions:
    """How to run an article: timeouts (seconds), whether the network is allowed, and values for
    the steps (``env``: often secrets; only their names reach the plan, never the reports)."""

    step_timeout: float = DEFAULT_STEP_TIMEOUT_S
    article_timeout: float = DEFAULT_ARTICLE_TIMEOUT_S
    allow_network: bool = False
    # with the network: also the host, private and link-local ranges (--allow-network=private)
    private_network: bool = False
    # with the network: only these destinations (--allow-host, allow-hosts); () admits every public one
    allow_hosts: tuple[Entry, ...] = ()
    env: Mapping[str, str] = field(default_factory=lambda: EMPTY_ENV)
    # A kubeconfig's text (--kubeconfig FILE): the cluster steps run against it. A secret like
    # the env values: it reaches the sandbox over stdin, never its configuration or a report.
    kubeconfig: str = field(default="", repr=False)
    # the project's sandbox: Debian packages added to every article's image, or an image of its own
    packages: tuple[str, ...] = ()
    image: str = ""
    # the options the project's configuration set (name → the file), so a verdict can say so
    configured: Mapping[str, str] = field(default_factory=lambda: EMPTY_ENV)

    @property
    def network_words(self) -> str:
        """The network setting in words, for what a command says it starts."""
        if self.allow_hosts:
            return "only " + ", ".join(str(e) for e in self.allow_hosts)
        if not self.allow_network:
            return "off"
        return "every address" if self.private_network else "public addresses"

    @property
    def env_names(self) -> frozenset[str]:
        return frozenset(self.env)

    def cache_key(self) -> dict[str, Any]:
        """The options that can change a verdict (the values of ``env`` only as a hash)."""
        env = hashlib.sha256(json.dumps(sorted(self.env.items())).encode("utf-8")).hexdigest()
        key: dict[str, Any] = {"step_timeout": self.step_timeout, "article_timeout": self.article_timeout,
                               "allow_network": self.allow_network, "private_network": self.private_network,
                               "env": env}
        key |= {k: v for k, v in (("packages", list(self.packages)), ("image", self.image),
                                  ("allow_hosts", [str(e) for e in self.allow_hosts])) if v}
        if self.kubeconfig:
            key["kubeconfig"] = hashlib.sha256(self.kubeconfig.encode("utf-8")).hexdigest()
        return key


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _one(item: str, where: str, environ: Mapping[str, str]) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not _NAME.fullmatch(name):
        raise UsageError(where, f"expected NAME=VALUE or NAME, got {item!r}")
    if not sep:
        if name not in environ:
            raise UsageError(where, f"{name} is not set in tutorcheck's environment (give NAME=VALUE)")
        value = environ[name]
    return name, value


def parse_env(pairs: Sequence[str], files: Sequence[str] = (), environ: Mapping[str, str] | None = None,
              ) -> dict[str, str]:
    """The values for the steps, as ``docker run`` takes them: ``--env-file`` files first, then
    ``--env`` items (later wins). ``NAME=VALUE`` (visible to every local user in ``ps``: prefer
    the others), ``NAME`` (the value of NAME in tutorcheck's own environment), and files of
    ``NAME=VALUE`` or ``NAME`` lines with ``#`` comments (no quotes are removed)."""
    import os

    environ = os.environ if environ is None else environ
    env: dict[str, str] = {}
    for file in files:
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"--env-file {file}", f"cannot read: {getattr(e, 'strerror', None) or e}") from e
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip() and not line.lstrip().startswith("#"):
                name, value = _one(line.strip(), f"--env-file {file}, line {n}", environ)
                env[name] = value
    for pair in pairs:
        name, value = _one(pair, "--env", environ)
        env[name] = value
    return env


def network_options(allow: bool | None, private: bool, hosts: Sequence[str] | None,
                    where: str = "--allow-host") -> dict[str, Any]:
    """``allow_network``, ``private_network`` and ``allow_hosts`` of RunOptions from one network
    setting (the command line's, or the configuration's): an allow-list turns the network on,
    restricted to what it names; it cannot go with the network off or opened to every address."""
    entries = parse_list(hosts or (), where)
    if entries and private:
        raise UsageError(where, "an allow-list admits only what it names; --allow-network=private opens every "
                                "address: give one of them")
    if entries and allow is False:
        raise UsageError(where, "an allow-list turns the network on (to what it names); the network is turned "
                                "off too (--no-allow-network, allow-network = false): give one of them")
    return {"allow_network": bool(allow) or private or bool(entries), "private_network": private,
            "allow_hosts": entries}


def configured_note(options: RunOptions, name: str) -> str:
    """Words for a verdict that an option of the project's configuration changed ("" if none did)."""
    origin = options.configured.get(name)
    return f"{name.replace('_', '-')} from {origin}" if origin else ""


__all__ = ["DEFAULT_ARTICLE_TIMEOUT_S", "DEFAULT_STEP_TIMEOUT_S", "EMPTY_ENV", "LEARNER_SESSION_LIFETIME_S",
           "LEARNER_STEP_TIMEOUT_S", "RunOptions", "configured_note", "network_options", "parse_env", "seconds",
           "tcp_port"]
