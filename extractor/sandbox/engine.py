"""The Docker engine, asked with a short ping first: an engine that accepts connections and
never answers must cost one ping, not minutes per article."""

from __future__ import annotations

import time
from typing import Any

from extractor.errors import SandboxError

PING_TIMEOUT_S = 10  # an engine answers a ping in milliseconds; one that accepts and hangs must not cost minutes
_silent_engine: list[tuple[float, str]] = []  # (when, why) of the last ping that failed


def client() -> Any:
    """A docker client that answers, or SandboxError. An engine that did not answer a ping is
    not asked again for ``PING_TIMEOUT_S`` seconds: the next articles fail at once, saying why."""
    import docker

    if _silent_engine and time.monotonic() - _silent_engine[-1][0] < PING_TIMEOUT_S:
        raise SandboxError("docker", _silent_engine[-1][1])
    try:
        docker.from_env(timeout=PING_TIMEOUT_S).ping()
        c = docker.from_env(timeout=120)
    except Exception as e:  # docker raises several unrelated types for "no engine"
        why = f"no Docker engine answers within {PING_TIMEOUT_S}s ({e}); run scripts/engine.sh"
        _silent_engine.append((time.monotonic(), why))
        raise SandboxError("docker", why) from e
    _silent_engine.clear()
    return c


__all__ = ["PING_TIMEOUT_S", "client"]
