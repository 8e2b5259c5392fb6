"""Where a step that needs the network goes: its destinations, as ``HOST:PORT`` (``HOST`` when
the use has no port, such as ping), or ``""`` for a use whose destination the text does not say.

Decided from what many pages share: the URLs a command or a program names (``curl
https://example.org``, ``requests.get("https://...")``), the remote of ``git clone
git@github.com:org/repo``, the host of ``ssh user@host``, and the registry a package manager
reaches when no URL is given (``pip download`` → PyPI). The plan compares them with the run's
allow-list (``plan/rules.py``); the values are the network needs' (``Need(NETWORK, value)``).
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse

from extractor.understand import shellsplit
from extractor.understand.made import LOCAL, positionals
from extractor.understand.needs import fetches, program
from extractor.understand.toolchains import as_program

_URL = re.compile(r"\b(?:https?|ftp|ssh|git|wss?|rsync)://[^\s'\"<>`)]+")
DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21, "ssh": 22, "git": 9418, "ws": 80, "wss": 443, "rsync": 873}
_NAME = re.compile(r"(?!-)[a-z0-9-]{1,63}(\.(?!-)[a-z0-9-]{1,63})*")
# user@host:path (scp-like, as git and scp take it) and user@host (ssh)
_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+\.[\w-]+|\[[0-9a-fA-F:]+\]):(?!//)")
_AT = re.compile(r"^[\w.-]+@([\w.-]+)$")
# HOST::MODULE, an rsync daemon's module (rsync's own protocol, port 873)
_DAEMON = re.compile(r"^(?:[\w.-]+@)?([\w.-]+)::")

# The registry a package manager reaches when the command names none (HTTPS).
REGISTRIES: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("pip", "pip3", "pipx", "uv", "poetry"), ("pypi.org", "files.pythonhosted.org")),
    **dict.fromkeys(("npm", "npx", "pnpm"), ("registry.npmjs.org",)),
    "yarn": ("registry.yarnpkg.com",),
    "cargo": ("index.crates.io", "static.crates.io"),
    "go": ("proxy.golang.org", "sum.golang.org"),
    "gem": ("rubygems.org",),
    **dict.fromkeys(("mvn", "mvnw"), ("repo.maven.apache.org",)), "gradlew": ("services.gradle.org",),
    "composer": ("repo.packagist.org",),
}
SSH_PROGRAMS = frozenset({"ssh", "scp", "sftp", "rsync"})


def _value(host: str | None, port: int | None) -> str:
    """``HOST:PORT`` for a host that is a name or an address and not this machine's; "" else."""
    host = (host or "").lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if address.is_loopback or address.is_unspecified:
            return "-"
        host = f"[{host}]" if address.version == 6 else host
    elif not _NAME.fullmatch(host) or host == "localhost":
        return "" if not host or host != "localhost" else "-"
    return host if port is None else f"{host}:{port}"


def _url(text: str) -> str:
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        return ""
    return _value(parts.hostname, port)


def _named(inv: shellsplit.Invocation) -> list[str]:
    """The remote hosts an invocation's words name without a URL (``git@host:repo``, ``ssh user@host``)."""
    found = [_value(m.group(1), 873) for a in inv.args if inv.name == "rsync" and (m := _DAEMON.match(a))]
    found += [_value(m.group(1).strip("[]"), 22) for a in inv.args if (m := _SCP.match(a)) and not _DAEMON.match(a)]
    if inv.name in SSH_PROGRAMS and not found:
        pos = positionals(inv.args, inv.name)
        target = next((m.group(1) for a in pos if (m := _AT.match(a))), pos[0] if pos and inv.name == "ssh" else "")
        found.append(_value(target, 22) if target else "")
    if inv.name == "ping":
        pos = positionals(inv.args, inv.name)
        found.append(_value(pos[-1], None) if pos else "")
    return found


def _of_invocation(inv: shellsplit.Invocation) -> list[str]:
    if not fetches(inv):
        return []
    inv = as_program(program(inv))
    urls = [_url(m.group(0)) for a in inv.args for m in _URL.finditer(a)]
    named = urls + [v for v in _named(inv) if v or not urls]  # a URL says where rsync or scp goes
    if named:
        return named
    return [f"{host}:443" for host in REGISTRIES.get(inv.name.rsplit("/", 1)[-1], ())] or [""]


def destinations(text: str, shell: bool = True) -> tuple[str, ...]:
    """The destinations of a step that needs the network (in order, each once): every URL it
    names, and for a shell command what each fetching program reaches; ``""`` for a use whose
    destination is not written."""
    found = [_url(m.group(0)) for m in _URL.finditer(text) if not LOCAL.match(m.group(0))]
    if shell:
        try:
            for inv in shellsplit.invocations(text):
                found += _of_invocation(inv)
        except Exception:  # noqa: BLE001 - text the shell parser refuses: its URLs are what is known
            pass
    known = [v for v in dict.fromkeys(found) if v != "-"]
    return tuple(known) or ("",)


__all__ = ["DEFAULT_PORTS", "REGISTRIES", "destinations"]
