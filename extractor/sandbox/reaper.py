"""Every sandbox container is labelled, and reaped here: the one place that spells the label
keys and removes containers (leftovers of dead runs, past their deadline, or this process's own
on an interrupt)."""

from __future__ import annotations

import http.client
import json
import os
import socket
import sys
import time
import urllib.parse
from typing import Any

LABEL = "tutorcheck"  # every container tutorcheck starts carries it: `docker ps -a --filter label=tutorcheck`
OWNER_LABEL = "tutorcheck.owner"  # the pid of the process that started it
HOST_LABEL = "tutorcheck.host"  # the host that process runs on (a pid means nothing elsewhere)
DEADLINE_LABEL = "tutorcheck.deadline"  # seconds since the epoch after which it is a leftover
ARTICLE_LABEL = "tutorcheck.article"  # the article it runs (for people reading `sandbox list`)


def container_labels(lifetime_s: float, article: str = "") -> dict[str, str]:
    """The labels of a container this process starts now, to live ``lifetime_s`` seconds."""
    deadline = time.time() + lifetime_s + 60
    return {LABEL: "1", OWNER_LABEL: str(os.getpid()), HOST_LABEL: socket.gethostname(),
            DEADLINE_LABEL: f"{deadline:.0f}", ARTICLE_LABEL: article[:200]}


def standalone_labels(lifetime_var: str) -> tuple[tuple[str, str], ...]:
    """The same labels as shell expressions, for check.sh (``lifetime_var``: its timeout variable)."""
    return ((LABEL, "1"), (OWNER_LABEL, "$$"), (HOST_LABEL, "$(hostname)"),
            (DEADLINE_LABEL, f"$(( $(date +%s) + {lifetime_var} + 60 ))"))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _doomed(labels: dict[str, str], now: float, host: str) -> bool:
    """A leftover: its deadline passed, or its owner (a process on this host) is dead."""
    try:
        deadline = float(labels.get(DEADLINE_LABEL, "0"))
        owner = int(labels.get(OWNER_LABEL, "0"))
    except ValueError:
        deadline, owner = 0.0, 0
    same_host = labels.get(HOST_LABEL) == host
    return deadline < now or (same_host and (owner <= 0 or not _pid_alive(owner)))


def reap(c: Any, everything: bool = False) -> list[str]:
    """Remove labelled containers whose owner died or whose deadline passed (all with ``everything``).

    Uses the list endpoint only (no per-container inspect), so containers that vanish while
    we look, removed by their own run, are no error."""
    removed = []
    now = time.time()
    host = socket.gethostname()
    for ct in c.api.containers(all=True, filters={"label": LABEL}):
        if everything or _doomed(ct.get("Labels") or {}, now, host):
            try:
                c.api.remove_container(ct["Id"], force=True)
            except Exception:  # removed meanwhile by its own run, or removal already under way
                pass
            removed.append(ct["Id"][:12])
    return removed


class _UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def reap_orphans(timeout_s: float = 2.0) -> list[str]:
    """``reap`` for every run, even a fully cached one that starts no container: straight over
    the engine's unix socket (no SDK import, a short timeout), silent when no engine answers."""
    docker_host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if not docker_host.startswith("unix://"):
        return []
    removed = []
    query = urllib.parse.urlencode({"all": "1", "filters": json.dumps({"label": [LABEL]})})
    try:
        conn = _UnixHTTP(docker_host[len("unix://"):], timeout_s)
        conn.request("GET", f"/containers/json?{query}")
        listed = json.loads(conn.getresponse().read() or b"[]")
        now, host = time.time(), socket.gethostname()
        for ct in listed if isinstance(listed, list) else []:
            if _doomed(ct.get("Labels") or {}, now, host):
                conn.request("DELETE", f"/containers/{ct['Id']}?force=1")
                conn.getresponse().read()
                removed.append(str(ct["Id"])[:12])
        conn.close()
    except (OSError, ValueError, http.client.HTTPException):
        pass  # no engine, or a silent one: nothing this run can reap
    return removed


def remove_owned_containers(pid: int | None = None) -> int:
    """Remove the sandbox containers this process started; the count removed. First the
    sessions this process knows (``session.cleanup_owned``), then any container still carrying
    our pid as its owner (one caught between creation and registration)."""
    import docker

    from extractor.sandbox.session import cleanup_owned

    removed = cleanup_owned()
    pid_text = str(pid or os.getpid())
    try:
        client = docker.from_env()
        # sparse: no per-container inspect, which races with other runs removing theirs
        for container in client.containers.list(all=True, sparse=True, filters={"label": LABEL}):
            labels = container.attrs.get("Labels") or {}
            if labels.get(OWNER_LABEL) == pid_text:
                try:
                    container.remove(force=True)
                    removed += 1
                except docker.errors.NotFound:  # its session closed it meanwhile
                    pass
    except docker.errors.DockerException as e:
        print(f"tutorcheck: could not remove sandbox containers: {e}", file=sys.stderr)
    return removed


__all__ = ["ARTICLE_LABEL", "DEADLINE_LABEL", "HOST_LABEL", "LABEL", "OWNER_LABEL", "container_labels", "reap",
           "reap_orphans",
           "remove_owned_containers", "standalone_labels"]
