"""What a sandbox with the network allowed must still not reach: this host's own addresses.

The launcher inside the container rejects private, shared, link-local and reserved ranges and
the bridge gateway by itself; the host may also have public addresses, which only the host
knows. They are read here from the kernel's tables (no tool, no engine call) and handed to
the launcher.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

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
