"""What a sandbox with the network allowed must still not reach (this host's own addresses),
and what the user opened in it by name (the API servers of ``--kubeconfig``, the allow-list).

The launcher inside the container rejects private, shared, link-local and reserved ranges and
the bridge gateway by itself; the host may also have public addresses, which only the host
knows. They are read here from the kernel's tables (no tool, no engine call) and handed to
the launcher. A kubeconfig's servers are often exactly there (a kind cluster on this host, a
cluster on the office network): the file names them, so they, and only they, are let through.

An allow-list (``--allow-host``, ``allow-hosts``) closes everything else: its names are resolved
here when the sandbox starts, their addresses opened (with the entry's port) and pinned in the
container's ``/etc/hosts``, so the sandbox needs no name server (which would be a way out).
:func:`network_policy` is the one way every command (check, step, notebook, lab) turns the run's
options into the container's network; :func:`reach_of` says what that network was to the
judge of a failure that shows the network missing (``extractor.unreached``).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

from extractor.allowlist import Entry
from extractor.options import RunOptions
from extractor.sandbox.policy import Policy
from extractor.unreached import Reach

FIB_TRIE = Path("/proc/net/fib_trie")
IF_INET6 = Path("/proc/net/if_inet6")


def _v4_local(text: str) -> set[str]:
    found, last = set(), ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|--"):
            last = stripped[3:].strip()
        elif stripped == "/32 host LOCAL" and last:
            found.add(last)
    return found


def _v6_local(text: str) -> set[str]:
    found = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 6 and len(fields[0]) == 32:
            found.add(str(ipaddress.IPv6Address(bytes.fromhex(fields[0]))))
    return found


def host_addresses() -> tuple[str, ...]:
    """This host's own addresses, but loopback (the container's own loopback stays open)."""
    addrs: set[str] = set()
    for path, parse in ((FIB_TRIE, _v4_local), (IF_INET6, _v6_local)):
        try:
            addrs |= parse(path.read_text(encoding="ascii", errors="replace"))
        except OSError:
            continue
    return tuple(sorted(a for a in addrs if not ipaddress.ip_address(a).is_loopback))


def _server(url: object) -> tuple[str, int] | None:
    if not isinstance(url, str):
        return None
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    return (parts.hostname, port) if parts.hostname else None


def kube_servers(kubeconfig: str) -> tuple[str, ...]:
    """The API servers a kubeconfig names, as ``ADDRESS:PORT`` (``[v6]:PORT``) the filter lets
    through, host names resolved here; nothing for text that is not a kubeconfig."""
    import yaml

    try:
        doc = yaml.safe_load(kubeconfig)
    except yaml.YAMLError:
        return ()
    clusters = doc.get("clusters") if isinstance(doc, dict) else None
    found: set[str] = set()
    for entry in clusters if isinstance(clusters, list) else []:
        cluster = entry.get("cluster") if isinstance(entry, dict) else None
        server = _server(cluster.get("server") if isinstance(cluster, dict) else None)
        if server is None:
            continue
        try:
            infos = socket.getaddrinfo(server[0], server[1], type=socket.SOCK_STREAM)
        except OSError:  # a name this host cannot resolve: the sandbox cannot reach it either
            continue
        for info in infos:
            address = str(info[4][0])
            found.add(f"[{address}]:{server[1]}" if ":" in address else f"{address}:{server[1]}")
    return tuple(sorted(found))


def _item(address: str, port: int | None) -> str:
    host = f"[{address}]" if ":" in address else address
    return host if port is None else f"{host}:{port}"


def _addresses(name: str) -> list[str]:
    """The addresses ``name`` resolves to on this host, IPv4 first ([] when it does not resolve:
    the sandbox cannot reach it either)."""
    try:
        infos = socket.getaddrinfo(name, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    found = dict.fromkeys(str(info[4][0]).split("%")[0] for info in infos)
    return sorted(found, key=lambda a: (":" in a, a))


def allowed(entries: Sequence[Entry], names: Sequence[str] = ()) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """What the filter opens for an allow-list (``ADDRESS[:PORT]``, ranges) and the names pinned
    in ``/etc/hosts``; ``names``: the names running steps reach under a wildcard (``Plan.hosts``),
    each with the port of the first wildcard that admits it."""
    wanted = [(e.host, e.port) for e in entries if not e.wildcard]
    wanted += [(n, next((e.port for e in entries if e.wildcard and e.admits_host(n)), None)) for n in names]
    opened: set[str] = set()
    pinned: set[tuple[str, str]] = set()
    for host, port in wanted:
        if Entry(host).address:
            opened.add(_item(host, port))
            continue
        addresses = _addresses(host)
        v4 = [a for a in addresses if ":" not in a]
        for address in addresses:
            opened.add(_item(address, port))
        # an engine's bridge is IPv4 unless set up otherwise: pin IPv6 only for a name without IPv4
        pinned |= {(host, a) for a in (v4 or addresses)}
    return tuple(sorted(opened)), tuple(sorted(pinned))


def unresolved(entries: Sequence[Entry]) -> list[str]:
    """The names of the list (not its wildcards) this host cannot resolve: the sandbox cannot reach them."""
    return [e.host for e in entries if not e.wildcard and not e.address and not _addresses(e.host)]


def network_policy(options: RunOptions, names: Sequence[str] = (), base: Policy | None = None) -> Policy:
    """The container's network for a run: none, public addresses, everything (``=private``), or
    only the allow-list; a kubeconfig's servers opened through the filter. ``names``: the plan's
    (``Plan.hosts``)."""
    policy = (base or Policy()).with_network(options.allow_network, options.private_network)
    if options.kubeconfig:  # the cluster the user named is reachable through the filter, nothing else there
        policy = policy.opening(kube_servers(options.kubeconfig))
    if options.allow_hosts:
        policy = policy.listing(*allowed(options.allow_hosts, names))
    return policy


def _admitted(policy: Policy) -> tuple[frozenset[str], tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]]:
    """The names pinned and the addresses opened by ``policy``'s allow-list."""
    nets = []
    for item in policy.opened:
        host = item[1:item.index("]")] if item.startswith("[") else item.rsplit(":", 1)[0] if item.count(":") == 1 \
            else item
        try:
            nets.append(ipaddress.ip_network(host, strict=False))
        except ValueError:
            continue
    return frozenset(name.lower() for name, _ in policy.pinned), tuple(nets)


def reach_of(policy: Policy) -> Reach:
    """The network a container under ``policy`` had: none, open, or only the allow-list's names and
    addresses (with none, what it would open: a kubeconfig's servers)."""
    if policy.network != "none" and policy.egress != "listed":
        return Reach("open")
    names, nets = _admitted(policy)

    def admits(host: str) -> bool:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host.lower() in names
        return any(address in net for net in nets)

    return Reach("none" if policy.network == "none" else "listed", admits)
