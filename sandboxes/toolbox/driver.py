#!/usr/bin/env python3
"""tutorcheck sandbox driver: the container's main process (under docker-init).

Reads one JSON request per line on stdin, answers one JSON line per request on stdout.
Steps run in ONE long-lived bash (``op: shell``) or ONE long-lived Python interpreter
(``op: python``, doctest-style examples), so cd/export/files/variables persist. Both
write to a pseudo-terminal, as a reader's terminal would; every step's stdin is /dev/null.
After each step the shell prints an end marker (a per-session nonce) on the terminal, so
everything the step printed is read before its verdict. A step that outlives its timeout
has its processes killed; a shell that itself must be killed is restarted with the state
(variables, functions, aliases, cwd) saved after the last step.

Requests:  {"id", "op": "shell"|"python"|"write"|"env", "src"|"path"+"data"|"vars", "timeout"}
           (python: "mode" example|definitions, "answers" the lines typed at input() prompts)
           ("env" adds variables for every later step: how --env values arrive)
Answers:   {"id", "exit", "cwd", "output", "truncated", "duration", "status", "note"}
           status: ok | timeout | died | runaway | error
Standard library only; runs as the unprivileged sandbox user.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import sys
import termios
import time
import tty

STATE_DIR = "/tmp/.tutorcheck"
CAP = int(os.environ.get("TUTORCHECK_OUTPUT_CAP", "65536"))
PIDS_LIMIT = int(os.environ.get("TUTORCHECK_PIDS_LIMIT", "128"))
NONCE = os.urandom(8).hex()
MARK = ("\x00TC" + NONCE + " ").encode()
HERE = os.path.dirname(os.path.abspath(__file__))

BASH_PRELUDE = r"""
shopt -s expand_aliases
__tc_end() {
  { builtin declare -p; builtin declare -f; builtin alias -p; } >"$2" 2>/dev/null
  builtin printf '\0TC%s %s %s\0' "$3" "$1" "$PWD" >&3
}
"""


def log(msg: str) -> None:
    sys.stderr.write(f"driver: {msg}\n")
    sys.stderr.flush()


class Terminal:
    """The pty every step writes to; ``collect`` reads until the end marker."""

    def __init__(self) -> None:
        self.master, self.slave = pty.openpty()
        tty.setraw(self.slave)  # no \r\n translation, no echo, no signals from bytes
        attrs = termios.tcgetattr(self.slave)
        termios.tcsetattr(self.slave, termios.TCSANOW, attrs)
        os.set_blocking(self.master, False)
        self.pending = b""

    def read_some(self, wait: float) -> bytes:
        r, _, _ = select.select([self.master], [], [], max(0.0, wait))
        if not r:
            return b""
        try:
            return os.read(self.master, 65536)
        except (BlockingIOError, OSError):
            return b""

    def drain(self) -> bytes:
        data = self.pending
        self.pending = b""
        while True:
            chunk = self.read_some(0)
            if not chunk:
                return data
            data += chunk


class Capture:
    """Keeps the first CAP bytes of a step's output and finds the end marker in the rest."""

    def __init__(self) -> None:
        self.kept = bytearray()
        self.window = b""
        self.truncated = False
        self.status: bytes | None = None

    def feed(self, data: bytes, term: Terminal) -> None:
        buf = self.window + data
        i = buf.find(MARK)
        if i >= 0:
            end = buf.find(b"\x00", i + len(MARK))
            if end < 0:
                self.window = buf
                return
            self._keep(buf[:i])
            self.status = buf[i + len(MARK):end]
            term.pending = buf[end + 1:]
            self.window = b""
            return
        keep_tail = len(MARK) + 4096
        self._keep(buf[:-keep_tail] if len(buf) > keep_tail else b"")
        self.window = buf[-keep_tail:] if len(buf) > keep_tail else buf

    def flush(self) -> None:
        self._keep(self.window)
        self.window = b""

    def _keep(self, data: bytes) -> None:
        room = CAP - len(self.kept)
        if len(data) > room:
            self.truncated = True
        self.kept += data[: max(0, room)]

    def text(self) -> str:
        return bytes(self.kept).decode("utf-8", "replace")


class Driver:
    def __init__(self) -> None:
        os.makedirs(STATE_DIR, exist_ok=True)
        self.term = Terminal()
        self.cwd = os.getcwd()
        self.state_file = os.path.join(STATE_DIR, "state.sh")
        self.bash: subprocess.Popen[bytes] | None = None
        self.repl: subprocess.Popen[bytes] | None = None
        self.repl_w: int | None = None
        self.seq = 0

    # -- children -------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return dict(os.environ)

    def start_bash(self) -> subprocess.Popen[bytes]:
        for attempt in range(20):
            try:
                p = subprocess.Popen(
                    ["bash", "--noprofile", "--norc", "-s"], stdin=subprocess.PIPE,
                    stdout=self.term.slave, stderr=self.term.slave, pass_fds=(self.term.slave,),
                    cwd=self.cwd if os.path.isdir(self.cwd) else None, start_new_session=False,
                )
                break
            except OSError as e:  # EAGAIN while a fork bomb's remains are reaped
                log(f"bash start failed ({e}), retry {attempt}")
                time.sleep(0.1)
        else:
            raise RuntimeError("cannot start bash")
        assert p.stdin is not None
        prelude = f"exec 3>&{self.term.slave}\n" + BASH_PRELUDE
        if os.path.exists(self.state_file):
            prelude += f". {self.state_file} >/dev/null 2>&1\ncd -- {sh_quote(self.cwd)} 2>/dev/null\n"
        p.stdin.write(prelude.encode())
        p.stdin.flush()
        return p

    def start_repl(self) -> subprocess.Popen[bytes]:
        r, w = os.pipe()
        p = subprocess.Popen(
            [sys.executable, "-u", os.path.join(HERE, "pyrepl.py"), str(r), NONCE],
            stdin=subprocess.DEVNULL, stdout=self.term.slave, stderr=self.term.slave,
            pass_fds=(r,), cwd=self.cwd if os.path.isdir(self.cwd) else None,
        )
        os.close(r)
        self.repl_w = w
        return p

    # -- one step -------------------------------------------------------------
    def run(self, req: dict) -> dict:
        op = req.get("op")
        timeout = float(req.get("timeout", 60))
        t0 = time.monotonic()
        if op == "write":
            return self.write(req, t0)
        if op == "env":  # secrets arrive here, not in the container's config (docker inspect shows that)
            os.environ.update({str(k): str(v) for k, v in dict(req.get("vars") or {}).items()})
            return {"id": req.get("id"), "status": "ok", "exit": 0, "cwd": self.cwd, "output": "",
                    "truncated": False, "duration": time.monotonic() - t0, "note": ""}
        self.seq += 1
        self.term.drain()  # late output of background jobs belongs to no step
        if op == "shell":
            if self.bash is None or self.bash.poll() is not None:
                self.bash = self.start_bash()
            step = os.path.join(STATE_DIR, "step.sh")
            with open(step, "w", encoding="utf-8") as f:
                f.write(req["src"] + "\n")
            # at top level, not in a function: error messages read "bash: line N: ..." as in a shell
            cmd = (f"IFS= builtin read -r -d '' __tc_src <{step}; builtin eval \"$__tc_src\" </dev/null >&3 2>&3; "
                   f"__tc_end $? {self.state_file} {NONCE}\n")
            try:
                assert self.bash.stdin is not None
                self.bash.stdin.write(cmd.encode())
                self.bash.stdin.flush()
            except (BrokenPipeError, OSError):
                pass
            child = self.bash
        elif op == "python":
            if self.repl is None or self.repl.poll() is not None:
                self.repl = self.start_repl()
            assert self.repl_w is not None
            try:
                ask = {k: req[k] for k in ("src", "mode", "answers") if k in req}
                os.write(self.repl_w, (json.dumps(ask) + "\n").encode())
            except OSError:
                pass
            child = self.repl
        else:
            return {"id": req.get("id"), "status": "error", "note": f"unknown op {op!r}"}
        return self.wait(req, child, t0, timeout)

    def wait(self, req: dict, child: subprocess.Popen[bytes], t0: float, timeout: float) -> dict:
        cap = Capture()
        deadline = t0 + timeout
        status, note = "ok", ""
        while cap.status is None:
            now = time.monotonic()
            if now >= deadline:
                status = "timeout"
                note = self.interrupt(child, cap)
                break
            data = self.term.read_some(min(0.05, deadline - now))
            if data:
                cap.feed(data, self.term)
            elif child.poll() is not None:
                cap.feed(self.term.drain(), self.term)
                if cap.status is None:
                    status, note = "died", "the shell exited; later steps start a new one with the saved state"
                break
        if status == "ok" and cap.status is not None:
            runaway = self.runaways()
            if runaway:
                status, note = "runaway", (
                    f"left {runaway} processes running (the limit is {PIDS_LIMIT}); they were killed")
                cap.feed(self.term.drain(), self.term)
        cap.flush()
        exit_code: int | None = None
        if cap.status is not None:
            rc, _, cwd = cap.status.decode("utf-8", "replace").partition(" ")
            exit_code = int(rc) if rc.lstrip("-").isdigit() else None
            self.cwd = cwd or self.cwd
        elif child.poll() is not None:
            exit_code = child.returncode if child.returncode >= 0 else 128 - child.returncode
        return {
            "id": req.get("id"), "status": status, "exit": exit_code, "cwd": self.cwd,
            "output": cap.text(), "truncated": cap.truncated, "duration": time.monotonic() - t0,
            "note": note,
        }

    def keep(self) -> set[int]:
        keep = {1, os.getpid(), os.getppid()}
        return keep | {p.pid for p in (self.bash, self.repl) if p is not None and p.poll() is None}

    def runaways(self) -> int:
        """A step that leaves a swarm of processes behind (a fork bomb) is stopped here; a few
        background jobs (a server the tutorial starts) are left alone."""
        count = 0
        for _ in range(3):
            count = len(other_pids(self.keep()))
            if count == 0:
                return 0
            if count >= PIDS_LIMIT // 2:
                break
            time.sleep(0.025)
        if count < PIDS_LIMIT // 2:
            return 0
        for _ in range(10):
            if not kill_all_but(self.keep()):
                break
            time.sleep(0.02)
        return count

    def interrupt(self, child: subprocess.Popen[bytes], cap: Capture) -> str:
        """Kill what the step started; if the shell itself is stuck, kill everything and restart."""
        keep = self.keep()
        for _ in range(5):
            if not kill_all_but(keep):
                break
            time.sleep(0.02)
        end = time.monotonic() + 0.5
        while cap.status is None and time.monotonic() < end:
            data = self.term.read_some(0.05)
            if data:
                cap.feed(data, self.term)
        if cap.status is not None:
            return "the step's processes were killed; the session goes on"
        for _ in range(5):  # the interpreter itself is busy (a shell loop, a fork bomb)
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
            reap()
            time.sleep(0.05)
        for p in (self.bash, self.repl):
            if p is not None:
                try:
                    p.wait(timeout=1)
                except subprocess.TimeoutExpired:
                    pass
        cap.feed(self.term.drain(), self.term)
        self.bash = None
        self.repl = None
        return "the session was killed and restarted with the state saved after the last step"

    def write(self, req: dict, t0: float) -> dict:
        path = os.path.join(self.cwd, req["path"])
        try:
            parent = os.path.dirname(path)
            if parent:
                os.makedirs(parent, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(req["data"])
            if req.get("mode"):
                os.chmod(path, int(req["mode"], 8))
            status, code, note = "ok", 0, ""
        except OSError as e:
            status, code, note = "ok", 1, f"cannot write {req['path']}: {e.strerror}"
        return {"id": req.get("id"), "status": status, "exit": code, "cwd": self.cwd,
                "output": note, "truncated": False, "duration": time.monotonic() - t0, "note": note}


def other_pids(keep: set[int]) -> list[int]:
    return [int(n) for n in os.listdir("/proc") if n.isdigit() and int(n) not in keep]


def kill_all_but(keep: set[int]) -> bool:
    found = False
    for pid in other_pids(keep):
        try:
            os.kill(pid, signal.SIGKILL)
            found = True
        except OSError:
            pass
    reap()
    return found


def reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def sh_quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def main() -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # backstop: the driver (and so the container) never outlives the article's deadline
    signal.alarm(int(os.environ.get("TUTORCHECK_LIFETIME", "3600")))
    driver = Driver()
    out = sys.stdout
    out.write(json.dumps({"ready": True, "cwd": driver.cwd, "pid": os.getpid()}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except ValueError:
            out.write(json.dumps({"status": "error", "note": "bad request"}) + "\n")
            out.flush()
            continue
        if req.get("op") == "quit":
            break
        try:
            res = driver.run(req)
        except Exception as e:  # the driver must answer; a crash here is a sandbox error
            res = {"id": req.get("id"), "status": "error", "note": f"driver: {type(e).__name__}: {e}"}
        out.write(json.dumps(res) + "\n")
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
