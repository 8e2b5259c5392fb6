"""The network allow-list on the real engine: what it names is reachable (by name, pinned in the
container's /etc/hosts, and under a wildcard), everything else is refused at once, and a step
that names an unlisted host is skipped by the plan. No internet is needed: the destinations
are servers this test opens on the engine's bridge gateway (this host, which --allow-network
alone keeps closed), and a public-looking address nothing answers for."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest

from extractor.model import CodeBlock, SourceRef, Step, Tutorial
from extractor.options import RunOptions, network_options
from extractor.sandbox.runner import check_tutorial
from extractor.understand.facts import command_facts

pytestmark = pytest.mark.docker
REPLY = b"HTTP/1.0 200 OK\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"


def _servers(address: str, count: int) -> tuple[list[socket.socket], list[int]]:
    """``count`` HTTP servers on ``address`` answering "ok", and how many connections each took."""
    servers = [socket.create_server((address, 0)) for _ in range(count)]
    accepted = [0] * count

    def serve(i: int) -> None:
        while True:
            try:
                conn, _ = servers[i].accept()
            except OSError:
                return
            accepted[i] += 1
            try:
                conn.settimeout(5)
                conn.recv(4096)
                conn.sendall(REPLY)
            except OSError:
                pass
            conn.close()

    for i in range(count):
        threading.Thread(target=serve, args=(i,), daemon=True).start()
    return servers, accepted


def _block(index: int, command: str, expected: str | None, network: bool) -> CodeBlock:
    labels = ("network",) if network else ()
    step = Step(command, expected, "shell", labels, facts=command_facts(command, labels))
    return CodeBlock(index=index, text=command, lang="shell", kind="session", steps=(step,), needs=labels)


def test_the_allow_list_admits_what_it_names_and_refuses_the_rest(engine: Any, monkeypatch: Any) -> None:
    gateway = str(engine.api.inspect_network("bridge")["IPAM"]["Config"][0].get("Gateway") or "172.17.0.1")
    (servers, accepted) = _servers(gateway, 3)
    listed, other, wild = (s.getsockname()[1] for s in servers)
    # names only this test knows, resolved on the host as a name server would (the engine is real)
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, *a, **k: real(
        gateway if str(host).endswith(".test") else host, *a, **k))
    t = Tutorial(slug="allow-list", title="", url="", source=SourceRef("test", "json"), blocks=(
        _block(0, f"curl -sS --max-time 5 http://docs.test:{listed}/", "ok\n", True),  # listed by name and port
        _block(1, f"curl -sS --max-time 5 http://api.wild.test:{wild}/", "ok\n", True),  # under *.wild.test
        _block(2, "getent hosts docs.test", f"{gateway}      docs.test\n", False),  # pinned: no DNS needed
        _block(3, f"timeout 10 bash -c 'exec 3<>/dev/tcp/{gateway}/{other}' && echo open", "open\n", False),
        _block(4, "timeout 10 bash -c 'exec 3<>/dev/tcp/198.51.100.7/80' && echo open", "open\n", False),
        _block(5, "curl -sS --max-time 5 https://example.org/", None, True),
    ))
    # every name here is this host: each entry's port is what keeps the others closed
    listing = network_options(None, False, [f"docs.test:{listed}", f"*.wild.test:{wild}"])
    options = RunOptions(step_timeout=20, **listing)
    try:
        result = check_tutorial(t, options)
    finally:
        for s in servers:
            s.close()
    steps = {s.block: s for s in result.steps}
    shown = [(s.command, s.status, s.reason, s.output) for s in result.steps]
    assert steps[0].status == "passed" and accepted[0] >= 1, shown  # reached, by its name
    assert steps[1].status == "passed" and accepted[2] >= 1, shown  # a wildcard: the name the step reaches
    assert steps[2].status == "passed", shown
    # this host on another port, and a public-looking address: refused at once, and the step needs
    # the network (a destination the list does not admit: extractor.unreached), it is not wrong
    assert accepted[1] == 0
    for blocked in (steps[3], steps[4]):
        assert (blocked.status, blocked.need) == ("skipped", "network"), shown
        assert blocked.reason == "needs the network: it reached a destination that the allow-list does not admit", shown
    assert steps[5].status == "skipped" and steps[5].need == "network", shown
    assert steps[5].reason == "needs the network: example.org is not in the allow-list"
