"""A failure that is the sandbox's missing network: ``skipped`` (need ``network``), not ``failed``.

The plan skips a step that names where it goes (``understand/destinations.py``); a step that
reaches out without saying so (``getent hosts NAME``, ``pip download``, ``go get``, a program
of the tutorial's own that connects somewhere) runs, and with no network it fails. A careful
reader does not blame the tutorial for that: the step *needs the network*. So a step that
failed, in a sandbox with no network (or with an allow-list that does not admit what it
reached), whose run shows that the network was missing (``SIGNS``: what curl, wget, git, ssh,
pip, npm and node, go, ruby, ping, nc, rsync, dig/host/nslookup and the C library really print
then), is skipped, naming the host when the output names one. With the network there
(``--allow-network``) the same failure stays ``failed``: the tutorial's host may really be gone.
A failure with no such sign, or whose recorded output shows the same kind of failure (the
article shows an unreachable host on purpose), is left as it is.

Decided here once, for every place that judges steps: ``tutorcheck check`` and the pytest plugin
(``judge_unreached`` over an article's results, before ``blocked.judge_gaps``, so a later step
that fails for want of what this one would have fetched is ``blocked`` naming it),
``tutorcheck notebook`` (per cell), and ``check.sh``, which carries this file into its container
and runs it (``python3 unreached.py NETWORK EXIT_STATUS STEP_FILE OUTPUT_FILE [EXPECTED_FILE]``:
prints the reason and exits 0 when the failure is the missing network, else exits 1). So it is
pure and standard library only.

Without the network a tool that retries a registry for minutes would outlive its step's limit
before saying so: ``OFFLINE_ENVIRONMENT`` makes it say it at once (npm's retries), set only in a
sandbox with no network.
"""

from __future__ import annotations

import ipaddress
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from extractor.results import StepResult

# Given to a sandbox with no network: a tool would otherwise retry for longer than a step may run.
OFFLINE_ENVIRONMENT: tuple[tuple[str, str], ...] = (("NPM_CONFIG_FETCH_RETRIES", "0"),)

_HOST = r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]*[A-Za-z0-9_])"
_DOTTED = r"(?P<host>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)"  # surely a host: a dotted name or address
_UNRESOLVED = (r"(?:Temporary failure in name resolution|Name or service not known|No address associated with "
               r"hostname|nodename nor servname provided|Name does not resolve|getaddrinfo failed)")


@dataclass(frozen=True)
class Sign:
    """What a tool prints when the network it needs is not there (``host``: the destination, when named)."""

    convention: str
    pattern: re.Pattern[str]


# Read line by line; the first row that matches a line decides for it (rows naming a host first).
SIGNS: tuple[Sign, ...] = (
    Sign("curl, and git over https", re.compile(rf"Could(?: not|n't) resolve host(?: name)?:? '?{_HOST}")),
    Sign("ssh, and git over ssh", re.compile(rf"Could not resolve hostname {_HOST}")),
    Sign("wget", re.compile(rf"unable to resolve host address [‘'\"`]{_HOST}")),
    Sign("wget", re.compile(rf"Resolving {_HOST} \([^)]*\)\.\.\. failed")),
    Sign("git's own protocol", re.compile(rf"unable to look up {_HOST} \(port \d+\)")),
    Sign("Python's urllib3 (requests, pip)", re.compile(rf"ConnectionPool\(host='{_HOST}'.*(?:{_UNRESOLVED}|"
                                                         r"Network is unreachable|Failed to resolve)")),
    Sign("Python's urllib3 2", re.compile(rf"Failed to resolve '{_HOST}'")),
    Sign("npm", re.compile(rf"request to \w+://{_HOST}\S* failed, reason: (?:getaddrinfo|connect ENETUNREACH)")),
    Sign("node", re.compile(rf"getaddrinfo (?:EAI_AGAIN|ENOTFOUND) {_HOST}")),
    Sign("go", re.compile(rf"dial tcp: lookup {_HOST}(?: on \S+)?: ")),
    Sign("go (kubectl, docker, terraform)",
         re.compile(rf"dial (?:tcp|udp) {_HOST}:\d+: connect: network is unreachable")),
    Sign("ruby", re.compile(rf"Failed to open TCP connection to {_HOST}:\d+ \(getaddrinfo")),
    Sign("netcat", re.compile(rf"getaddrinfo for host \"{_HOST}\"")),
    Sign("rsync", re.compile(rf"getaddrinfo: {_HOST} \d+: ")),
    Sign("dig, host, nslookup", re.compile(rf";; UDP setup with \S+ for {_HOST} failed: network unreachable")),
    Sign("a tool that names the host it could not resolve", re.compile(rf"{_DOTTED}: {_UNRESOLVED}")),
    Sign("a connection with no route (curl, ssh, nc)",
         re.compile(rf"(?:Failed to connect to|connect to host|connect to) {_HOST} port \d+.*"
                    r"(?:Network is unreachable|Couldn't connect to server)")),
    # no host named
    Sign("the C library's resolver", re.compile(_UNRESOLVED)),
    Sign("node's resolver", re.compile(r"\b(?:EAI_AGAIN|ENOTFOUND|ENETUNREACH)\b")),
    Sign("no route out", re.compile(r"Network is unreachable|network unreachable|\[Errno 101\]", re.I)),
    Sign("dig, host, nslookup", re.compile(r"no servers could be reached")),
)
# A command whose failure says nothing but its exit status (getent's 2 is "not found", curl's 6
# "could not resolve", wget's 4 "network failure"): the whole step is that one command (and comments).
QUIET_SIGNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("getent", re.compile(rf"^\s*getent\s+(?:hosts|ahosts|ahostsv4|ahostsv6)\s+{_HOST}\s*$"), 2),
    ("curl", re.compile(r"^\s*curl\s[^|;&<>\n]*$"), 6),
    ("wget", re.compile(r"^\s*wget\s[^|;&<>\n]*$"), 4),
)
_URL_HOST = re.compile(rf"\b[a-z][a-z0-9+.-]*://(?:[^@/\s'\"]*@)?{_HOST}")
# The driver's note when the allow-list's filter refused a connection (sandboxes/toolbox/driver.py).
REFUSED_BY_LIST = re.compile(r"refused \d+ connection attempt\(s\) to a destination that is not in the allow-list")
# Names that no network resolves (RFC 6761) or that only a local network knows: not the internet's.
_LOCAL_SUFFIXES = (".localhost", ".invalid", ".test", ".example", ".local", ".internal", ".lan", ".home.arpa")


@dataclass(frozen=True)
class Reach:
    """The network a step had: ``none``; ``open`` (``--allow-network``); ``listed`` (an allow-list),
    with a test of whether it admits a host (a name or an address; with no network: what the
    filter would open once the network is on, such as a kubeconfig's servers)."""

    mode: Literal["none", "open", "listed"] = "none"
    admits: Callable[[str], bool] = field(default=lambda _host: False, compare=False)


@dataclass(frozen=True)
class Missing:
    """The network was missing: the host the output names ("" when none), and whether it is a private address."""

    host: str = ""
    private: bool = False


def _host(raw: str) -> Missing | None:
    """``raw`` as a destination on the network, or None when it is this machine's or a local name."""
    host = raw.strip("[]'\"").rstrip(".")
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        name = host.lower()
        if "." not in name or name.endswith(_LOCAL_SUFFIXES):
            return None
        return Missing(name)
    if address.is_loopback or address.is_unspecified:
        return None
    return Missing(host, private=not address.is_global)


def signs(output: str, command: str = "", exit_code: int | None = None) -> Missing | None:
    """What of the network the run of ``command`` shows was missing (None: no sign of it).
    A host-naming sign wins over one that names none."""
    found: Missing | None = None
    for line in output.splitlines():
        for sign in SIGNS:
            m = sign.pattern.search(line)
            if m is None:
                continue
            raw = m.groupdict().get("host")
            missing = _host(raw) if raw else Missing()
            if missing is not None and missing.host:
                return missing
            found = found or missing
            break
    lines = [line for line in command.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if found is None and not output.strip() and len(lines) == 1:
        for _, pattern, status in QUIET_SIGNS:
            m = pattern.match(lines[0])
            if m and exit_code == status:
                named = m.groupdict().get("host") or next((u.group("host") for u in _URL_HOST.finditer(command)), "")
                return _host(named) if named else Missing()
    return found


def missing_network(output: str, reach: Reach, *, command: str = "", exit_code: int | None = None,
                    note: str = "", expected: str | None = None) -> str | None:
    """Why a failed step is not the tutorial's fault but the sandbox's missing network (the skip's
    reason), or None. ``note``: the sandbox's own note on the step (its filter refused a connection);
    ``expected``: the output the article shows, when it shows one."""
    if reach.mode == "open":
        return None
    if expected is not None and signs(expected) is not None:  # the article shows such a failure itself
        return None
    missing = signs(output, command, exit_code)
    if missing is None and reach.mode == "listed" and REFUSED_BY_LIST.search(note):
        missing = Missing()
    if missing is None:
        return None
    if reach.mode == "listed":
        if missing.host and reach.admits(missing.host):
            return None  # the list admits it: the network to it was there
        target = f"it tried to reach {missing.host}, which" if missing.host else "it reached a destination that"
        add = f" (--allow-host {missing.host} admits it)" if missing.host else ""
        return f"needs the network: {target} the allow-list does not admit{add}"
    flag = "--allow-network=private" if missing.private and not reach.admits(missing.host) else "--allow-network"
    target = f": it tried to reach {missing.host}" if missing.host else ": its name lookups or connections failed"
    return f"needs the network{target} (run with {flag})"


def judge_unreached(results: Sequence[StepResult], reach: Reach) -> tuple[StepResult, ...]:
    """Every failed step whose run shows the network was missing becomes ``skipped`` (need
    ``network``), its output kept; run before ``blocked.judge_gaps``."""
    from extractor.vocab import ActionKind, NeedKind, StepStatus

    out: list[StepResult] = []
    for s in results:
        if s.status == StepStatus.FAILED and s.action != ActionKind.STATIC:
            why = missing_network(s.output, reach, command=s.command, exit_code=s.exit_code, note=s.reason,
                                  expected=s.expected_output)
            if why:
                s = replace(s, status=StepStatus.SKIPPED, reason=why, need=NeedKind.NETWORK, match="none", diff="")
        out.append(s)
    return tuple(out)


def _main(argv: Sequence[str]) -> int:
    """``NETWORK EXIT_STATUS STEP_FILE OUTPUT_FILE [EXPECTED_FILE]`` (check.sh): the reason, exit 0; else exit 1."""
    network, status, step, output = argv[:4]
    read = lambda path: Path(path).read_text(encoding="utf-8", errors="replace")  # noqa: E731
    expected = read(argv[4]) if len(argv) > 4 else None
    reach = Reach("none" if network == "none" else "open")
    why = missing_network(read(output), reach, command=read(step), exit_code=int(status) if status.isdigit() else None,
                          expected=expected)
    if why:
        print(why)
    return 0 if why else 1


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))


__all__ = ["OFFLINE_ENVIRONMENT", "QUIET_SIGNS", "SIGNS", "Missing", "Reach", "judge_unreached", "missing_network",
           "signs"]
