"""One sandbox container per article, and the long-lived shell session inside it.

The container's main process is the driver (sandboxes/toolbox/driver.py) under docker-init.
The host attaches to its stdin/stdout before starting it and exchanges one JSON line per
step, so a step costs no ``docker exec``. A reader thread keeps draining the attach socket
(docker's 8-byte frame headers) and hands complete lines to the caller; when an answer does
not come in time the host kills the container (the driver's own per-step timeout is the
first line, this is the backstop). Containers are labelled (``reaper.container_labels``),
removed when the session closes, at interpreter exit and on SIGTERM/SIGINT, and reaped
(``reaper.reap``) by any later run when their owner is dead or their deadline has passed.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import signal
import socket
import struct
import threading
import time
from dataclasses import dataclass
from typing import Any

from extractor.errors import SandboxError
from extractor.sandbox.egress import host_addresses
from extractor.sandbox.engines import dialect_of
from extractor.sandbox.policy import Policy, in_home
from extractor.sandbox.reaper import container_labels

MAX_LINE = 4 * 1024 * 1024  # an answer carries at most 64 KiB of output, JSON-escaped
START_TIMEOUT_S = 30.0

_live: dict[str, Any] = {}  # container id → container, for atexit / signal clean-up
_live_lock = threading.Lock()
_hooks_installed = False
_atexit_installed = False


@dataclass(frozen=True)
class Answer:
    """The driver's verdict on one request (``status``: ok | timeout | died | error | lost)."""

    status: str
    exit_code: int | None = None
    cwd: str = ""
    output: str = ""
    truncated: bool = False
    duration_s: float = 0.0
    note: str = ""
    payload: dict[str, Any] | None = None  # the whole answer, for ops that return more than output


def _remove(container: Any) -> None:
    try:
        container.remove(force=True)
    except Exception:  # already gone (auto_remove) or engine down: nothing left to do
        pass


def _cleanup_all() -> int:
    with _live_lock:
        items = list(_live.values())
        _live.clear()
    for c in items:
        _remove(c)
    return len(items)


def cleanup_owned() -> int:
    """Remove every sandbox container this process still has; how many there were."""
    return _cleanup_all()


def _install_hooks() -> None:
    """atexit once; signal handlers once, from the main thread (the first session may start in
    a worker thread of ``check --jobs``; a later one from the main thread installs them)."""
    global _hooks_installed, _atexit_installed
    if not _atexit_installed:
        _atexit_installed = True
        atexit.register(_cleanup_all)
    if _hooks_installed or threading.current_thread() is not threading.main_thread():
        return
    _hooks_installed = True
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        previous = signal.getsignal(sig)

        def handler(signum: int, frame: Any, previous: Any = previous) -> None:
            _cleanup_all()
            if callable(previous):
                previous(signum, frame)
            elif previous == signal.SIG_DFL:
                signal.signal(signum, signal.SIG_DFL)
                os.kill(os.getpid(), signum)

        signal.signal(sig, handler)


def install_cleanup_hooks() -> None:
    """Remove our containers at exit and on SIGTERM/SIGINT/SIGHUP (call from the main thread)."""
    _install_hooks()


class Session:
    """A running sandbox container and its driver; use as a context manager."""

    def __init__(self, c: Any, image: str, policy: Policy, lifetime_s: float,
                 env: dict[str, str] | None = None, name_hint: str = "",
                 role: tuple[str, ...] = ("driver",), hostname: str = "") -> None:
        self.client = c
        self.hostname = hostname  # the machine name the article's prompts show, or the engine's own
        self.role = role  # what the launcher drops to: the driver, or ("exec", "--", CMD...)
        self.image = image
        self.policy = policy
        self.lifetime_s = lifetime_s
        self.env = dict(env or {})
        self.name_hint = name_hint
        self.container: Any = None
        self.sock: socket.socket | None = None
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.seq = 0
        self.dead = False
        self.cwd = ""

    # -- lifecycle ----------------------------------------------------------------
    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        import docker

        _install_hooks()
        dialect = dialect_of(self.client)
        kwargs = self.policy.sdk_kwargs(dialect)
        if self.hostname:
            kwargs["hostname"] = self.hostname
        # self.env (--env values, often secrets) is sent over stdin after start, never put in the
        # container's config, where `docker inspect` would show it to anyone on the host
        labels = container_labels(self.lifetime_s, self.name_hint)
        # the in-container backstop: the driver exits (SIGALRM) at the article's deadline
        command = self.policy.entrypoint(*self.role, blocked=host_addresses() if self.policy.filtered else (),
                                         dialect=dialect)
        kwargs["environment"]["TUTORCHECK_LIFETIME"] = str(int(self.lifetime_s + 30))
        try:
            # detach=False makes stdin "once": when this process dies (even by SIGKILL) its attach
            # stream closes, the driver reads end of file and exits, and auto_remove reaps the container
            self.container = self.client.containers.create(
                self.image, command=command, labels=labels, stdin_open=True, tty=False,
                auto_remove=True, detach=False, **kwargs)
            with _live_lock:
                _live[self.container.id] = self.container
            raw = self.client.api.attach_socket(
                self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            self.sock = getattr(raw, "_sock", raw)
            threading.Thread(target=self._pump, daemon=True).start()
            self.container.start()
        except docker.errors.DockerException as e:
            self.close()
            raise SandboxError(self.image, f"cannot start a sandbox container: {e}") from e
        hello = self._next_line(time.monotonic() + START_TIMEOUT_S)
        if hello is None or not hello.get("ready"):
            self.close()
            why = str((hello or {}).get("error") or "is the image a tutorcheck image? tutorcheck sandbox build")
            raise SandboxError(self.image, f"the sandbox driver did not start ({why})")
        self.cwd = str(hello.get("cwd", ""))
        if self.env:
            answer = self.request({"op": "env", "vars": self.env}, timeout_s=START_TIMEOUT_S)
            if answer.status != "ok":
                self.close()
                why = answer.note or answer.status
                raise SandboxError(self.image, f"the sandbox did not take the --env values ({why}); "
                                               "rebuild the images: tutorcheck sandbox build")

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
        if self.container is not None:
            with _live_lock:
                _live.pop(self.container.id, None)
            _remove(self.container)
        self.dead = True

    def kill(self) -> None:
        """Stop the container now (a step outlived every timeout); the session is over."""
        if self.container is not None:
            try:
                self.container.kill()
            except Exception:  # already stopped: auto_remove is reaping it
                pass
        self.close()

    # -- protocol -----------------------------------------------------------------
    def _pump(self) -> None:
        """Drain the attach socket: demultiplex stdout frames into lines (stderr is logged)."""
        assert self.sock is not None
        buf = b""
        pending = b""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                buf += chunk
                while len(buf) >= 8:
                    stream, size = buf[0], struct.unpack(">I", buf[4:8])[0]
                    if len(buf) < 8 + size:
                        break
                    payload, buf = buf[8:8 + size], buf[8 + size:]
                    if stream != 1:
                        continue
                    pending += payload
                    while b"\n" in pending:
                        line, pending = pending.split(b"\n", 1)
                        self.lines.put(line)
                    if len(pending) > MAX_LINE:  # a runaway: not our driver talking
                        pending = b""
                        self.lines.put(b'{"status": "error", "note": "oversized answer"}')
        except OSError:
            pass
        self.lines.put(None)

    def _next_line(self, until: float) -> dict[str, Any] | None:
        while True:
            left = until - time.monotonic()
            if left <= 0:
                return None
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if line is None:
                self.dead = True
                return None
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                return obj

    def request(self, op: dict[str, Any], timeout_s: float) -> Answer:
        """Send one step; wait for its answer at most timeout + grace, else kill the container."""
        if self.dead or self.sock is None:
            return Answer("lost", note="the sandbox session had already ended")
        self.seq += 1
        if op.get("op") == "write":  # ~/x: the user's home, as a reader's shell would read it
            op = {**op, "path": in_home(str(op["path"]))}
        msg = {**op, "id": self.seq, "timeout": timeout_s}
        t0 = time.monotonic()
        try:
            self.sock.sendall((json.dumps(msg) + "\n").encode())
        except OSError:
            self.dead = True
            return Answer("lost", note="the sandbox session ended")
        until = t0 + timeout_s + self.policy.kill_grace_s
        while True:
            obj = self._next_line(until)
            if obj is None:
                lost = self.dead
                self.kill()
                if lost:
                    return Answer("lost", duration_s=time.monotonic() - t0,
                                  note="the sandbox session ended during this step")
                return Answer("timeout", duration_s=time.monotonic() - t0,
                              note=f"no answer within {timeout_s:g}s; the container was killed")
            if obj.get("id") == self.seq:
                break
        self.cwd = str(obj.get("cwd") or self.cwd)
        return Answer(
            status=str(obj.get("status", "error")),
            exit_code=obj.get("exit"),
            cwd=self.cwd,
            output=str(obj.get("output", ""))[: self.policy.output_cap_bytes * 2],
            truncated=bool(obj.get("truncated")),
            duration_s=float(obj.get("duration", time.monotonic() - t0)),
            note=str(obj.get("note", "")),
            payload=obj,
        )
