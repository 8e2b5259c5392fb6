"""The network allow-list: the destinations a sandbox may reach, and nothing else.

An entry is written as a host with an optional port, from ``--allow-host`` or the
configuration's ``allow-hosts``:

* ``pypi.org``, ``pypi.org:443``: a name (resolved on the host when the sandbox starts; its
  addresses are pinned in the container's ``/etc/hosts``, so the sandbox needs no DNS);
* ``10.0.0.5``, ``10.0.0.5:8080``, ``[2001:db8::1]:443``: an address;
* ``10.0.0.0/24``: a range of addresses;
* ``*.example.com``: every name below example.com (not example.com itself). A filter admits
  addresses, not names, so a wildcard admits the names the article's running steps name under
  it (each resolved and pinned like a listed name); a name reached without being named (a
  redirect, a name built at run time) is refused.

Without a port an entry admits every port (and protocol) of its addresses; with one, TCP and
UDP to that port. A private or host address in the list is reachable: naming it is the opt-in.
Pure: matching a step's destination against the list is the plan's (``plan/rules.py``).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass

from extractor.errors import UsageError

# What an entry may be, in the words of an error.
ALLOWED = ("a host with an optional port: a name (pypi.org), an address (10.0.0.5, [2001:db8::1]), "
           "a range (10.0.0.0/24) or *.NAME for the names below NAME, each optionally :PORT")

_LABEL = r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)"
_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*\.?")


@dataclass(frozen=True)
class Entry:
    """One destination of the list: ``host`` (a name, an address, a range, or ``*.name``) and
    the port it is limited to (None: every port)."""

    host: str
    port: int | None = None

    @property
    def wildcard(self) -> bool:
        return self.host.startswith("*.")

    @property
    def address(self) -> bool:
        """An address or a range (matched by address); else a name or a wildcard."""
        return _network(self.host) is not None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and "/" not in self.host else self.host
        return host if self.port is None else f"{host}:{self.port}"

    def admits_host(self, host: str) -> bool:
        """``host`` (a name or an address, no port) is this entry's host."""
        if self.address:
            address = _network(host)
            net = _network(self.host)
            return (address is not None and net is not None and address.num_addresses == 1
                    and address.network_address in net)
        name = host.lower().rstrip(".")
        if self.wildcard:
            return name.endswith(self.host[1:])
        return name == self.host

    def admits(self, host: str, port: int | None) -> bool:
        """``host`` at ``port`` (None: a use with no port, such as ping) is let through."""
        return self.admits_host(host) and (self.port is None or self.port == port)


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _split(text: str) -> tuple[str, str]:
    """``host`` and ``port`` ("" when none) of ``HOST[:PORT]`` (``[v6]:PORT``, a bare v6 address)."""
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            return "", ""
        return host, rest[1:] if rest else ""
    if text.count(":") == 1:
        host, _, port = text.partition(":")
        return host, port or "-"
    return text, ""


def parse_entry(text: str, where: str) -> Entry:
    """An entry of the list; a UsageError naming ``where`` and what an entry may be."""
    raw = text.strip()
    if "://" in raw:
        scheme, _, rest = raw.partition("://")
        host = rest.split("/")[0] or "HOST"
        raise UsageError(where, f"{raw!r} is a URL: give its host ({host}), not the {scheme} URL")
    host, port = _split(raw)
    bad = UsageError(where, f"{raw!r} is not {ALLOWED}")
    if not host:
        raise bad
    if port and not (port.isdigit() and 0 < int(port) <= 65535):
        raise UsageError(where, f"{raw!r}: the port must be a number from 1 to 65535")
    if host in ("*", "*.") or host.startswith("*.*"):
        raise UsageError(where, f"{raw!r} would admit every name: use --allow-network for every public address")
    if _network(host) is not None:
        net = _network(host)
        assert net is not None
        value = str(net.network_address) if net.num_addresses == 1 and "/" not in host else str(net)
    elif _NAME.fullmatch(host.removeprefix("*.")):
        value = host.lower().rstrip(".")
    else:
        raise bad
    return Entry(value, int(port) if port else None)


def parse_list(items: Sequence[str], where: str) -> tuple[Entry, ...]:
    """The entries of ``items`` (duplicates once, in order)."""
    return tuple(dict.fromkeys(parse_entry(item, where) for item in items))


def list_problem(value: object) -> str:
    """What is wrong with ``value`` as a list of entries (the configuration's check), "" if nothing."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "not a list of strings"
    try:
        parse_list(value, "allow-hosts")
    except UsageError as e:
        return e.what
    return ""


def valid_list(value: object) -> bool:
    """``value`` is a list of entries."""
    return not list_problem(value)


def destination(value: str) -> tuple[str, int | None]:
    """A step's destination (a network need's value, ``HOST[:PORT]``) as host and port."""
    host, port = _split(value)
    return host, int(port) if port.isdigit() else None


def refused(entries: Sequence[Entry], value: str) -> str:
    """Why the list does not admit ``value`` (a step's destination), in words; "" when it does
    (or when the destination is unknown, ``""``)."""
    if not value:
        return ""
    host, port = destination(value)
    if any(e.admits(host, port) for e in entries):
        return ""
    ports = [str(e) for e in entries if e.admits_host(host)]
    if ports:
        return f"{value} is not in the allow-list (it admits {', '.join(ports)})"
    return f"{host} is not in the allow-list"


def under_wildcard(entries: Sequence[Entry], value: str) -> str:
    """The name of destination ``value`` when only a wildcard of the list admits it (the
    sandbox must resolve and pin it), else ""."""
    host, port = destination(value)
    if _network(host) is not None or any(not e.wildcard and e.admits(host, port) for e in entries):
        return ""
    return host if any(e.wildcard and e.admits(host, port) for e in entries) else ""


__all__ = ["ALLOWED", "Entry", "destination", "parse_entry", "parse_list", "list_problem", "refused",
           "under_wildcard", "valid_list"]
