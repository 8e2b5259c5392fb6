"""Servers a tutorial assumes are installed and running: the clients that talk to them.

``createdb mydb`` and ``psql mydb`` assume a PostgreSQL server a reader installed before the
tutorial; ``redis-cli ping`` a Redis server. A step that runs such a client needs that service
(``service:NAME``); the sandbox installs and starts it (``extractor.sandbox.services``).
A client pointed at another host (``psql -h db.example.com``) talks to that host instead.
"""

from __future__ import annotations

import re

from extractor.understand.shellsplit import Invocation

SERVICE_CLIENTS: dict[str, str] = {
    **dict.fromkeys(("psql", "createdb", "dropdb", "createuser", "dropuser", "pg_dump", "pg_dumpall",
                     "pg_restore", "pgbench", "pg_isready"), "postgresql"),
    "redis-cli": "redis",
    **dict.fromkeys(("mysql", "mariadb", "mysqladmin", "mysqldump", "mysqlshow", "mysqlimport"), "mysql"),
}
_HOST_FLAGS = {"postgresql": ("-h", "--host"), "redis": ("-h",), "mysql": ("-h", "--host")}
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "/tmp", "/var/run/postgresql"})


def service_of(inv: Invocation) -> str | None:
    """The local service ``inv`` talks to, or None (not a client, or pointed elsewhere)."""
    service = SERVICE_CLIENTS.get(inv.name)
    if service is None:
        return None
    args = list(inv.args)
    for k, arg in enumerate(args):
        flag, _, value = arg.partition("=")
        if flag in _HOST_FLAGS[service]:
            host = value or (args[k + 1] if k + 1 < len(args) else "")
            if host and host not in _LOCAL_HOSTS:
                return None
        if service == "postgresql" and "://" in arg and not any(h in arg for h in ("@localhost", "//localhost")):
            return None  # a connection URI to some other server
    return service


# Servers a tutorial starts itself, and the port each listens on unless told otherwise.
DEFAULT_PORTS: dict[str, int] = {
    "http.server": 8000, "runserver": 8000, "uvicorn": 8000, "flask": 5000, "gunicorn": 8000, "hypercorn": 8000,
    "npm": 3000, "yarn": 3000, "pnpm": 3000, "rails": 3000, "hugo": 1313, "jekyll": 4000, "mkdocs": 8000,
    "jupyter": 8888, "streamlit": 8501, "http-server": 8080, "redis-server": 6379,
}
_PORT_FLAG = re.compile(r"(?:^|\s)(?:-p|--port|-P)(?:=|\s+)(\d{2,5})\b")
_ADDRESS = re.compile(r"(?:^|[\s=])(?:[A-Za-z][\w.-]*|\d+\.\d+\.\d+\.\d+|\[[\d:a-f]*\])?:(\d{2,5})(?:\s|$)")
_BARE = re.compile(r"-m\s+http\.server\b(?:.*\s)?(\d{2,5})\s*$|\brunserver\s+(\d{2,5})\b")


def server_port(command: str) -> int | None:
    """The local port a server the tutorial starts will answer on: given in the command
    (``--port 8080``, ``0.0.0.0:8000``, ``http.server 9000``) or the program's default."""
    for pattern in (_PORT_FLAG, _BARE, _ADDRESS):
        m = pattern.search(command)
        if m:
            return int(next(g for g in m.groups() if g))
    words = command.split()
    for key, port in DEFAULT_PORTS.items():
        if key in words or any(w.endswith(f"/{key}") or w == f"-m{key}" for w in words) or f" {key}" in command:
            return port
    return None


# Consoles (a statement typed at ``shop=>``, ``127.0.0.1:6379>``) that talk to a local server.
CONSOLE_SERVICES: dict[str, str] = {"psql": "postgresql", "redis-cli": "redis", "mysql": "mysql"}

