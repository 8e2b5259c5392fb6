"""The host's end of ``tutorcheck lab``'s relay: a TCP port on 127.0.0.1 whose connections are
carried, frame by frame, over the lab container's attach socket to JupyterLab on the container's
own loopback (sandboxes/notebook/labrelay.py is the other end).

Why not a published port: the container runs with no network at all (``--network none``, as
``check`` does), so there is nothing to publish to; and Docker does not publish ports of a
container on an ``--internal`` network either (the flag is accepted and ignored), while such a
network still lets the container reach every service the host listens on. The attach socket is
the one way in, and only this process holds it.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
from typing import Any

CHUNK = 48 * 1024  # bytes per frame: 64 KiB of base64, far below the session's line limit
# open at once: a browser uses a handful (6 per host, a websocket per kernel or terminal); each is a
# thread in the container, which the sandbox's process limit counts, so more are refused here
MAX_CONNECTIONS = 32
LOOPBACK = "127.0.0.1"


class Relay:
    """Accept connections on 127.0.0.1:``port`` (0: any free port; bound at once, so a port in
    use fails before any container starts) and carry them to a lab session."""

    def __init__(self, port: int = 0) -> None:
        self.session: Any = None
        self.listener = socket.create_server((LOOPBACK, port))
        self.listener.settimeout(0.5)  # wake up to notice a dead session (and signals)
        self.port = int(self.listener.getsockname()[1])
        self.conns: dict[int, socket.socket] = {}
        self.lock = threading.Lock()  # one writer on the attach socket at a time
        self.next = 0
        self.closed = threading.Event()

    def send(self, frame: dict[str, object]) -> None:
        data = (json.dumps(frame) + "\n").encode()
        with self.lock:
            try:
                self.session.sock.sendall(data)
            except OSError:
                self.closed.set()

    def serve(self, session: Any) -> None:
        """Relay to ``session`` (a started :class:`extractor.sandbox.session.Session`) until the
        container's side ends (Ctrl-C interrupts it)."""
        self.session = session
        threading.Thread(target=self._from_container, daemon=True).start()
        try:
            while not self.closed.is_set():
                try:
                    conn, _ = self.listener.accept()
                except TimeoutError:
                    continue
                if len(self.conns) >= MAX_CONNECTIONS:
                    conn.close()
                    continue
                self.next += 1
                self.conns[self.next] = conn
                self.send({"c": self.next, "o": 1})
                threading.Thread(target=self._to_container, args=(self.next, conn), daemon=True).start()
        finally:
            self.close()

    def close(self) -> None:
        self.closed.set()
        self.listener.close()
        for conn in list(self.conns.values()):
            conn.close()

    def _to_container(self, n: int, conn: socket.socket) -> None:
        try:
            while True:
                data = conn.recv(CHUNK)
                if not data:
                    break
                self.send({"c": n, "d": base64.b64encode(data).decode()})
        except OSError:
            pass
        self.send({"c": n, "x": 1})
        self.conns.pop(n, None)
        conn.close()

    def _from_container(self) -> None:
        while True:
            line = self.session.lines.get()
            if line is None:  # the container ended
                self.closed.set()
                return
            try:
                frame = json.loads(line)
                n = int(frame["c"])
            except (ValueError, KeyError, TypeError):
                continue
            conn = self.conns.get(n)
            if conn is None:
                continue
            if "d" in frame:
                try:
                    conn.sendall(base64.b64decode(frame["d"]))
                except OSError:
                    self.send({"c": n, "x": 1})
            elif frame.get("x"):
                self.conns.pop(n, None)
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                conn.close()


__all__ = ["Relay"]
