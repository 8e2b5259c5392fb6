"""Engines that speak the Docker API, and where they differ.

The sandbox talks to whatever ``DOCKER_HOST`` names (the docker SDK's ``from_env``): the local
dockerd, a remote engine, or Podman's Docker-compatible service (``podman system service``).
Where an engine needs the same policy said differently, that is a row here, not a branch in
the runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Dialect:
    """How one engine is told the sandbox policy.

    ``tmpfs_owner``: the tmpfs mount options that give the work directory to the sandbox user
    (``{uid}``/``{gid}`` filled in); empty when the engine has none, and then the launcher
    (root, with CAP_CHOWN until it drops) gives it. ``ulimits``: limits the engine must be given
    explicitly, because its own defaults cannot be applied under a host's lower hard limits.
    ``tmpfs_inodes``: whether the engine takes tmpfs's ``nr_inodes``.
    """

    name: str
    tmpfs_owner: str
    ulimits: tuple[tuple[str, int], ...] = ()
    tmpfs_inodes: bool = True


DOCKER = Dialect("docker", "uid={uid},gid={gid}")
# Podman's tmpfs has no uid=/gid= options ("U" chowns it to the container's user, root: the
# launcher's), nor nr_inodes; its default nproc limit is the host's maximum, which a host with a
# lower hard limit refuses.
PODMAN = Dialect("podman", "", (("nproc", 4096),), tmpfs_inodes=False)
DIALECTS: dict[str, Dialect] = {"docker": DOCKER, "podman": PODMAN}


def engine_name(version: dict[str, Any]) -> str:
    """``podman`` or ``docker`` from the engine's ``/version`` answer."""
    names = [str(c.get("Name", "")) for c in version.get("Components") or []]
    names.append(str((version.get("Platform") or {}).get("Name", "")))
    return "podman" if any("podman" in n.lower() for n in names) else "docker"


def dialect_of(client: Any) -> Dialect:
    """The dialect of the engine ``client`` talks to (asked once per client)."""
    found = getattr(client, "_tutorcheck_dialect", None)
    if isinstance(found, Dialect):
        return found
    try:
        found = DIALECTS[engine_name(client.version())]
    except Exception:  # noqa: BLE001 — an engine that cannot say what it is: Docker's dialect
        found = DOCKER
    client._tutorcheck_dialect = found
    return found
