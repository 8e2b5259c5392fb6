"""The host's end of the lab relay, against a stand-in for the container's end (a socket pair
where the attach socket would be, speaking labrelay.py's frames): bytes both ways, closes both
ways, the cap on open connections, and the end of the session ending the relay. The real
container's end is exercised by tests/test_lab.py."""

from __future__ import annotations

import base64
import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from extractor.sandbox.relay import MAX_CONNECTIONS, Relay


@dataclass
class StandIn:
    """What a lab Session gives the relay (``sock``, ``lines``), and a container that echoes in capitals."""

    sock: socket.socket
    inside: socket.socket
    lines: queue.Queue[bytes | None] = field(default_factory=queue.Queue)
    opened: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    def container(self) -> None:
        for raw in self.inside.makefile("rb"):
            frame = json.loads(raw)
            n = frame["c"]
            if frame.get("o"):
                self.opened.append(n)
            elif "d" in frame:
                data = base64.b64decode(frame["d"])
                if data == b"bye":  # the server closes this one
                    self.lines.put(json.dumps({"c": n, "x": 1}).encode())
                else:
                    self.lines.put(json.dumps({"c": n, "d": base64.b64encode(data.upper()).decode()}).encode())
            elif frame.get("x"):
                self.closed.append(n)


@pytest.fixture
def relay() -> Iterator[tuple[Relay, StandIn]]:
    host_end, inside = socket.socketpair()
    stand_in = StandIn(host_end, inside)
    threading.Thread(target=stand_in.container, daemon=True).start()
    r = Relay(0)
    serving = threading.Thread(target=r.serve, args=(stand_in,), daemon=True)
    serving.start()
    yield r, stand_in
    stand_in.lines.put(None)  # the container ends: so does the relay
    serving.join(timeout=30)
    assert not serving.is_alive()
    host_end.close()
    inside.close()


def _until(probe: Callable[[], bool], what: str) -> None:
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if probe():
            return
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def test_bytes_go_both_ways_and_a_browser_close_reaches_the_container(relay: tuple[Relay, StandIn]) -> None:
    r, inside = relay
    with socket.create_connection(("127.0.0.1", r.port), timeout=30) as browser:
        browser.sendall(b"hello, lab")
        assert browser.recv(100) == b"HELLO, LAB"
    _until(lambda: inside.closed == [1], "the close frame")
    assert inside.opened == [1]


def test_a_server_close_closes_the_browser_connection(relay: tuple[Relay, StandIn]) -> None:
    r, _ = relay
    with socket.create_connection(("127.0.0.1", r.port), timeout=30) as browser:
        browser.sendall(b"bye")
        assert browser.recv(100) == b""


def test_connections_beyond_the_cap_are_refused_and_the_rest_still_work(relay: tuple[Relay, StandIn]) -> None:
    r, inside = relay
    browsers = [socket.create_connection(("127.0.0.1", r.port), timeout=30) for _ in range(MAX_CONNECTIONS + 5)]
    try:
        _until(lambda: len(inside.opened) == MAX_CONNECTIONS, "the connections under the cap")
        refused = [b for b in browsers[MAX_CONNECTIONS:] if b.recv(10) == b""]
        assert len(refused) == 5
        browsers[0].sendall(b"still here")
        assert browsers[0].recv(100) == b"STILL HERE"
    finally:
        for b in browsers:
            b.close()
    _until(lambda: len(inside.closed) == MAX_CONNECTIONS, "every close frame")
    with socket.create_connection(("127.0.0.1", r.port), timeout=30) as again:  # room again once they closed
        again.sendall(b"again")
        assert again.recv(100) == b"AGAIN"


def test_the_port_is_on_loopback_only() -> None:
    r = Relay(0)
    try:
        assert r.listener.getsockname()[0] == "127.0.0.1"
    finally:
        r.close()
