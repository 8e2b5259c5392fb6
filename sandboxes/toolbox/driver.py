#!/usr/bin/env python3
"""tutorcheck sandbox driver: the session's main loop, under its own uid (``tcdriver``).

launch.py starts it as ``tcdriver`` and stays as its *spawner* (root, with only the
capabilities to start and stop ``tutor`` processes). The driver reads one JSON request per
line on stdin and answers one JSON line per request on stdout; the tutorial's processes run
as ``tutor`` and cannot reach those fds, signal this process or read its memory.

Steps run in ONE long-lived interactive bash (``op: shell``; the terminal is its controlling
terminal, so it prints errors, job notices and ``$-`` as a reader's does) or ONE long-lived Python interpreter
(``op: python``, doctest-style examples), so cd/export/files/variables persist. Both write
to a pseudo-terminal, as a reader's terminal would; every step's stdin is /dev/null. After
each step the shell writes its state (variables, functions, aliases, options, traps) to a
pipe that only the driver reads, and then an end marker (a per-session nonce) on the
terminal, so everything the step printed is read before its verdict. The harness uses fds
192-198, is defined again before every step and saves and restores the step's shell options
around its own commands, so ``exec 3>file``, ``set -euo pipefail``, ``set -x``, traps and
``unset -f`` in a step do not break it. The state is kept in the driver's memory, never on
the step's filesystems. A step that outlives its timeout has its processes killed; a shell
that itself must be killed is restarted with the state saved after the last step.

Requests:  {"id", "op": "shell"|"python"|"write"|"env", "src"|"path"+"data"|"vars", "timeout"}
           (python: "mode" example|definitions, "answers" the lines typed at input() prompts)
           ("env" adds variables for every later step: how --env values arrive)
Answers:   {"id", "exit", "cwd", "output", "truncated", "duration", "status", "note"}
           status: ok | timeout | died | runaway | error
Standard library only.
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import signal
import socket
import sys
import termios
import threading
import time
import tty
from collections.abc import Iterator

CAP = int(os.environ.get("TUTORCHECK_OUTPUT_CAP", "65536"))
PIDS_LIMIT = int(os.environ.get("TUTORCHECK_PIDS_LIMIT", "128"))
STATE_CAP = 8 * 1024 * 1024  # a shell state larger than this is not saved (and the step says so)
SETTLE_S = 0.15  # what a step leaves running is judged once it and the pids handed out stay the same this long
NONCE = os.urandom(8).hex()
MARK = ("\x00TC" + NONCE + " ").encode()
HERE = os.path.dirname(os.path.abspath(__file__))
FD_STATE_IN, FD_TERM, FD_STATE_OUT = 196, 197, 198  # high: tutorials use 3-9
FD_OUT, FD_ERR = 195, 194  # the steps' stdout and stderr: the terminal, until a step's exec moves them
FD_KEEP_OUT, FD_KEEP_ERR = 192, 193  # where a step that ran exec left its stdout and stderr
STATE_BEGIN, STATE_END = f"#TC-BEGIN-{NONCE}\n".encode(), f"#TC-END-{NONCE}\n".encode()
OPTIONS_LINE = b"#TC-OPTIONS\n"
PRIVATE_ENV = ("TUTORCHECK_SPAWNER_FD", "TUTORCHECK_TUTOR_UID", "TUTORCHECK_EGRESS")
# The shell a reader types into: interactive (errors without the "line N:" of a script, job
# control with its "[1] 4242" and "[1]+  Done" notices, "$-" with i, m and H), the terminal as
# its controlling terminal; no rc files, no line editing, no history (it would keep the harness's lines).
BASH = ["bash", "--noprofile", "--norc", "--noediting", "+o", "history", "-i", "-s"]

# The harness, defined again before every step (a step may unset or redefine it). Builtins are
# called as \builtin (no alias, no function of the step's can take their place). __tc_off
# saves and clears the options that would break the harness (-e, -u, -E, -T, pipefail) and
# __tc_on puts them back right before the step runs. The shell's own stdout/stderr are
# /dev/null, so xtrace/verbose output of the harness and traps run between steps show nowhere;
# the step itself writes to the terminal (fd 197).
BASH_HARNESS = r"""__tc_off() { __tc_f=$-; __tc_pf=0; [[ -o pipefail ]] && __tc_pf=1; \builtin set +euET +o pipefail; }
__tc_on() { \builtin local o=; [[ $__tc_f == *e* ]] && o+=e; [[ $__tc_f == *u* ]] && o+=u
  [[ $__tc_f == *E* ]] && o+=E; [[ $__tc_f == *T* ]] && o+=T; [[ -n $o ]] && \builtin set "-$o"
  [[ $__tc_pf == 1 ]] && \builtin set -o pipefail; \builtin return 0; }
__tc_dump() { \builtin printf '\n#TC-BEGIN-%s\n' "$1"; \builtin unset __tc_src
  \builtin declare -p; \builtin declare -f; \builtin alias -p; \builtin shopt -p; \builtin trap -p
  \builtin printf '#TC-OPTIONS\n'; \builtin local k
  for k in a b B C e E f h H k m P T u v x; do if [[ $__tc_f == *"$k"* ]]; then \builtin printf 'set -%s\n' "$k"
    else \builtin printf 'set +%s\n' "$k"; fi; done
  [[ $__tc_pf == 1 ]] && \builtin printf 'set -o pipefail\n'; \builtin printf '#TC-END-%s\n' "$1"; }
__tc_jobs() { \builtin local l=; while IFS= \builtin read -r l; do
    [[ $l == *' Running '* ]] || \builtin printf '%s\n' "$l"; done < <(\builtin jobs -n); \builtin return 0; }
__tc_status() { \builtin return "$1"; }
__tc_keep() { __tc_s=$1; \exec 195>&192 194>&193; \builtin return 0; }
__tc_post() { __tc_rc=$1; __tc_last=$1; \__tc_off; \__tc_dump "$2" >&198 2>/dev/null
  { \builtin : >&195; } 2>/dev/null || \exec 195>&197; { \builtin : >&194; } 2>/dev/null || \exec 194>&197
  \builtin printf '\0TC%s %s %s %s\0' "$2" "$__tc_rc" "$3" "$PWD" >&197; \__tc_on; }
"""


def harness_line(src: str) -> str:
    """What the shell reads for one step: one group command, parsed whole before any of it runs
    (no prompt, so no job notice of the reader's terminal falls between the step and its end).
    The harness is defined before the step and again after it (the step may have unset it); the
    EXIT trap carries its own copy (exit or set -e). Before the step, ``$?`` is the last step's
    status, as at a reader's prompt. The step writes to the shell's step fds (the terminal until
    a step's ``exec >log`` moves them: a step that names ``exec`` ends with a line that keeps
    where its stdout and stderr went, in a group that neither xtrace nor a DEBUG trap shows).
    After the step, the job notices a reader's shell prints before its next prompt
    (``[1]+  Done  …``) are written where its stderr goes."""
    on_exit = f"__tc_rc=$?; {BASH_HARNESS} \\__tc_post \"$__tc_rc\" {NONCE} x"
    keep = (f"\n{{ \\__tc_keep \"$?\"; }} {FD_KEEP_OUT}>&1 {FD_KEEP_ERR}>&2 >/dev/null 2>&1"
            if re.search(r"\bexec\b", src) else "")
    return ("{ " + BASH_HARNESS + f"\\__tc_off; \\builtin trap -- {ansi_c(on_exit)} EXIT; __tc_s=; "
            f"__tc_src={ansi_c(src + keep)}\n"
            f"\\__tc_on; {{ \\__tc_status \"${{__tc_last-0}}\"; }} >/dev/null 2>&1 "
            "&& { \\builtin :; } >/dev/null 2>&1; "
            f"\\builtin eval \"$__tc_src\" </dev/null >&{FD_OUT} 2>&{FD_ERR}; __tc_rc=$?\n"
            f"[[ -n ${{__tc_s-}} ]] && __tc_rc=$__tc_s; \\__tc_jobs >&{FD_ERR} 2>/dev/null\n"
            f"{BASH_HARNESS}\\__tc_post \"$__tc_rc\" {NONCE} -; }}\n")


def log(msg: str) -> None:
    sys.stderr.write(f"driver: {msg}\n")
    sys.stderr.flush()


def ansi_c(text: str) -> str:
    """``text`` as one bash word ($'...'): nothing in it is code until the step's eval."""
    return "$'" + text.replace("\x00", "").replace("\\", "\\\\").replace("'", "\\'").replace("!", "\\x21") + "'"


class Spawner:
    """The root process that starts, signals and reaps ``tutor``'s processes for us (launch.py)."""

    def __init__(self, fd: int) -> None:
        self.sock = socket.socket(fileno=fd)

    def call(self, req: dict, fds: tuple[int, ...] = ()) -> dict:
        socket.send_fds(self.sock, [json.dumps(req).encode()], list(fds))
        answer = json.loads(self.sock.recv(1 << 16) or b"{}")
        if "error" in answer and req.get("op") != "write":
            raise OSError(answer["error"])
        return answer

    def signal(self, keep: set[int] | None = None, pids: set[int] | None = None,
               sig: int = signal.SIGKILL) -> int:
        req: dict = {"op": "signal", "sig": int(sig), "keep": sorted(keep or ())}
        if pids is not None:
            req["pids"] = sorted(pids)
        return int(self.call(req).get("count", 0))


class Child:
    """A ``tutor`` process the spawner started; liveness through a pidfd, status from the spawner."""

    def __init__(self, spawner: Spawner, pid: int) -> None:
        self.spawner, self.pid = spawner, pid
        self.returncode: int | None = None
        try:
            self.pidfd: int | None = os.pidfd_open(pid)
        except OSError:  # already gone
            self.pidfd = None

    def poll(self) -> int | None:
        if self.returncode is None:
            gone = self.pidfd is None or bool(select.select([self.pidfd], [], [], 0)[0])
            if gone:
                self.returncode = self._status()
        return self.returncode

    def wait(self, timeout: float) -> int | None:
        if self.returncode is None and self.pidfd is not None:
            select.select([self.pidfd], [], [], timeout)
        return self.poll()

    def _status(self) -> int:
        answer = self.spawner.call({"op": "wait", "pid": self.pid, "block": True})
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        code = answer.get("exit")
        return int(code) if code is not None else 255


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


class StateReader:
    """Collects what the shell writes on the state pipe; keeps the last complete dump."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        os.set_blocking(fd, False)
        self.buf = bytearray()
        self.saved: bytes | None = None  # the last complete state (declarations, then options)
        self.fresh = False
        self.too_big = False
        self.eof = False  # every writer closed it (the shell died): select must not wake on it

    def read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 1 << 16)
            except (BlockingIOError, OSError):
                return
            if not chunk:
                self.eof = True
                return
            self.buf += chunk
            end = self.buf.find(STATE_END)
            if end >= 0:
                begin = self.buf.rfind(STATE_BEGIN, 0, end)
                if begin >= 0:
                    self.saved, self.fresh = bytes(self.buf[begin + len(STATE_BEGIN):end]), True
                del self.buf[:end + len(STATE_END)]
            elif len(self.buf) > STATE_CAP:  # garbage or a giant state: drop it, say so
                self.buf.clear()
                self.too_big = True

    def restore_text(self, cwd: str) -> bytes:
        """The saved state as a script: declarations, then the cwd, then the shell options."""
        decls, _, options = (self.saved or b"").rpartition(OPTIONS_LINE)
        return decls + f"\\builtin cd -- {sh_quote(cwd)}\n".encode() + options


class Driver:
    def __init__(self, spawner: Spawner) -> None:
        self.spawner = spawner
        self.term = Terminal()
        self.cwd = os.getcwd()
        self.bash: Child | None = None
        self.bash_in: int | None = None
        self.state: StateReader | None = None
        self.repl: Child | None = None
        self.repl_w: int | None = None
        self.seq = 0
        self.blocked = 0  # the egress filter's rejections seen so far
        self.limit_hits = pids_limit_hits()  # forks the pids limit refused so far

    # -- children -------------------------------------------------------------
    def env(self) -> dict[str, str]:
        return {k: v for k, v in os.environ.items() if k not in PRIVATE_ENV}

    def spawn(self, argv: list[str], fds: dict[int, int], ctty: int | None = None) -> Child:
        for attempt in range(40):
            try:
                answer = self.spawner.call({"op": "spawn", "argv": argv, "cwd": self.cwd, "env": self.env(),
                                            "fds": list(fds), "ctty": ctty}, tuple(fds.values()))
                return Child(self.spawner, int(answer["pid"]))
            except OSError as e:  # EAGAIN while a fork bomb's remains are reaped
                log(f"start of {argv[0]} failed ({e}), retry {attempt}")
                self.spawner.signal(keep=self.live_pids())
                time.sleep(0.05)
        raise RuntimeError(f"cannot start {argv[0]}")

    def start_bash(self) -> Child:
        cmd_r, cmd_w = os.pipe()
        st_r, st_w = os.pipe()
        null = os.open(os.devnull, os.O_RDWR)
        fds = {0: cmd_r, 1: null, 2: null, FD_TERM: self.term.slave, FD_STATE_OUT: st_w}
        restore = b""
        if self.state is not None and self.state.saved is not None:
            mem = os.memfd_create("tutorcheck-state")
            os.write(mem, self.state.restore_text(self.cwd))
            os.lseek(mem, 0, os.SEEK_SET)
            fds[FD_STATE_IN] = mem
            restore = f". /proc/self/fd/{FD_STATE_IN} >/dev/null 2>&1; \\builtin exec {FD_STATE_IN}<&-\n".encode()
        try:
            child = self.spawn(BASH, fds, ctty=FD_TERM)
        finally:
            for fd in {cmd_r, st_w, null, fds.get(FD_STATE_IN, cmd_r)}:
                os.close(fd)
        if self.bash_in is not None:
            os.close(self.bash_in)
        if self.state is not None:
            os.close(self.state.fd)
        previous = self.state
        self.bash_in, self.state = cmd_w, StateReader(st_r)
        if previous is not None:
            self.state.saved = previous.saved
        os.write(cmd_w, b"shopt -s expand_aliases\n" + restore
                 + f"\\exec {FD_OUT}>&{FD_TERM} {FD_ERR}>&{FD_TERM}\n".encode())
        return child

    def start_repl(self) -> Child:
        r, w = os.pipe()
        null = os.open(os.devnull, os.O_RDONLY)
        try:
            child = self.spawn([sys.executable, "-u", os.path.join(HERE, "pyrepl.py"), "3", NONCE],
                               {0: null, 1: self.term.slave, 2: self.term.slave, 3: r})
        finally:
            os.close(r)
            os.close(null)
        if self.repl_w is not None:
            os.close(self.repl_w)
        self.repl_w = w
        return child

    def live_pids(self) -> set[int]:
        return {p.pid for p in (self.bash, self.repl) if p is not None and p.poll() is None}

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
        swarm = self.runaways()  # what an earlier step left growing is stopped before this one
        gone = f"{swarm} processes an earlier step left running were killed first" if swarm else ""
        if op == "shell":
            if self.bash is None or self.bash.poll() is not None:
                self.bash = self.start_bash()
            line = harness_line(req["src"])
            try:
                assert self.bash_in is not None
                write_all(self.bash_in, line.encode("utf-8", "surrogateescape"))
            except OSError:
                pass
            child = self.bash
        elif op == "python":
            if self.repl is not None and self.repl.poll() is not None:
                gone = "the Python interpreter had ended (an earlier step stopped it): this example runs in a new one"
            if self.repl is None or self.repl.poll() is not None:
                self.repl = self.start_repl()
            assert self.repl_w is not None
            try:
                ask = {k: req[k] for k in ("src", "mode", "answers") if k in req}
                write_all(self.repl_w, (json.dumps(ask) + "\n").encode())
            except OSError:
                pass
            child = self.repl
        else:
            return {"id": req.get("id"), "status": "error", "note": f"unknown op {op!r}"}
        answer = self.wait(req, child, t0, timeout)
        if answer["exit"] != 0 or answer["status"] != "ok":
            blocked = self.newly_blocked()
            if blocked:
                gone = "; ".join(n for n in (gone, blocked) if n)
        if gone:
            answer["note"] = "; ".join(n for n in (gone, answer["note"]) if n)
        return answer

    def newly_blocked(self) -> str:
        """A note when the egress filter rejected connections during this step."""
        count = self.spawner.call({"op": "blocked"}).get("count")
        if count is None or count <= self.blocked:
            return ""
        new, self.blocked = count - self.blocked, count
        if os.environ.get("TUTORCHECK_EGRESS") == "listed":  # the allow-list's filter: what it does not name
            return (f"blocked: the sandbox refused {new} connection attempt(s) to a destination that is not in "
                    "the allow-list (--allow-host HOST[:PORT] admits one)")
        return (f"blocked: the sandbox refused {new} connection attempt(s) to this host or to a private or "
                "link-local address (--allow-network=private allows them)")

    def read_step(self, cap: Capture, wait: float) -> bool:
        """Read the terminal (and the state pipe) for up to ``wait`` s; True if something came."""
        state = self.state if self.state is not None and not self.state.eof else None
        r, _, _ = select.select([self.term.master] + ([state.fd] if state else []), [], [], max(0.0, wait))
        if state is not None and state.fd in r:
            state.read()
        if self.term.master in r:
            data = self.term.read_some(0)
            if data:
                cap.feed(data, self.term)
                return True
        return bool(state is not None and state.fd in r and not state.eof)

    def wait(self, req: dict, child: Child, t0: float, timeout: float) -> dict:
        cap = Capture()
        deadline = t0 + timeout
        status, note = "ok", ""
        if self.state is not None:
            self.state.fresh = self.state.too_big = False
        while cap.status is None:
            now = time.monotonic()
            if now >= deadline:
                status = "timeout"
                note = self.interrupt(req.get("op"), cap)
                break
            if not self.read_step(cap, min(0.05, deadline - now)) and child.poll() is not None:
                cap.feed(self.term.drain(), self.term)
                if cap.status is None:
                    status, note = "died", ("the shell exited; later steps start a new one with the state "
                                            "saved after the last step")
                break
        exit_code: int | None = None
        if cap.status is not None:
            rc, _, rest = cap.status.decode("utf-8", "replace").partition(" ")
            # the shell's marker: "<exit> <flag> <cwd>" (flag x: the shell is exiting);
            # the interpreter's: "<exit> <cwd>"
            flag, _, cwd = rest.partition(" ") if req.get("op") == "shell" else ("-", "", rest)
            exit_code = int(rc) if rc.lstrip("-").isdigit() else None
            self.cwd = cwd or self.cwd
            if req.get("op") == "shell":
                note = self.settle_state(flag, note)
                if flag == "x" and status == "ok":
                    status = "died"
        elif child.poll() is not None:
            exit_code = child.returncode
        if status in ("ok", "died") and cap.status is not None:
            runaway = self.runaways()
            if runaway:
                status, note = "runaway", (
                    f"left {runaway} processes running (the limit is {PIDS_LIMIT}); they were killed")
                cap.feed(self.term.drain(), self.term)
        cap.flush()
        return {
            "id": req.get("id"), "status": status, "exit": exit_code, "cwd": self.cwd,
            "output": cap.text(), "truncated": cap.truncated, "duration": time.monotonic() - t0,
            "note": note,
        }

    def settle_state(self, flag: str, note: str) -> str:
        """After the shell's end marker: read the rest of its state; say what happened to it."""
        end = time.monotonic() + 0.5
        while self.state is not None and not self.state.fresh and not self.state.eof and time.monotonic() < end:
            select.select([self.state.fd], [], [], 0.05)
            self.state.read()
        if self.state is not None and not self.state.fresh:
            # a shell that cannot report its state is replaced: the next step gets the last saved one
            if self.bash is not None:
                self.spawner.signal(pids={self.bash.pid})
                self.bash.wait(1.0)
            return ("the shell's state could not be saved after this step" + (
                " (it is larger than 8 MiB)" if self.state.too_big else "")
                + "; the next step starts a new shell with the state saved before it")
        if flag == "x":
            if self.bash is not None:
                self.bash.wait(1.0)
            return "the shell exited (exit, or set -e); later steps start a new one with its state"
        return note

    def runaways(self) -> int:
        """A step that leaves a swarm of processes behind (a fork bomb) is stopped here; a few
        background jobs (a server the tutorial starts) are left alone. A swarm keeps replacing its
        processes (and meets the pids limit); servers stay the same processes: the left-over set
        is watched until neither it nor the last pid the container handed out has changed for
        SETTLE_S (at most a second). A window, not one look: on a loaded machine a bomb's first
        process may not have run at all 20 ms after the step ended."""
        seen: tuple[set[int], int] | None = None
        left: set[int] = set()
        now = time.monotonic()
        since, end, pause = now, now + 1.0, 0.02
        while True:
            left, now = tutor_pids() - self.live_pids(), time.monotonic()
            if len(left) >= PIDS_LIMIT // 2 or not left or now >= end:
                break
            look = (left, last_pid())
            if look != seen:
                seen, since = look, now
            elif now - since >= SETTLE_S:
                break
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        swarm = len(left) >= PIDS_LIMIT // 2 or (len(left) > 3 and pids_limit_hits() > self.limit_hits)
        self.limit_hits = pids_limit_hits()
        if not swarm:
            return 0
        for _ in range(10):
            if not self.spawner.signal(keep=self.live_pids()):
                break
            time.sleep(0.02)
        self.limit_hits = pids_limit_hits()
        return len(left)

    def wait_marker(self, cap: Capture, seconds: float, busy_shell: bool = False) -> bool:
        """Read until the end marker, at most ``seconds``; with ``busy_shell``, give up as soon as
        the shell starts new processes (a loop in the shell itself goes on after its child died)."""
        end = time.monotonic() + seconds
        while cap.status is None and time.monotonic() < end:
            self.read_step(cap, 0.03)
            if busy_shell and cap.status is None and tutor_pids() - self.live_pids():
                return False
        return cap.status is not None

    def interrupt(self, op: object, cap: Capture) -> str:
        """Kill what the step started; interrupt a busy interpreter as Ctrl-C would; if the shell or
        interpreter itself is stuck, kill it (and all it started) and say what state survives."""
        killed = 0
        for _ in range(5):
            count = self.spawner.signal(keep=self.live_pids())
            if not count:
                break
            killed += count
            time.sleep(0.02)
        # nothing of the step's but the shell itself was running: the shell is the busy one
        if self.wait_marker(cap, 0.3 if killed else 0.05, busy_shell=op == "shell"):
            return "the step's processes were killed; the session goes on"
        if op == "python" and self.repl is not None and self.repl.poll() is None:
            self.spawner.signal(pids={self.repl.pid}, sig=signal.SIGINT)
            if self.wait_marker(cap, 0.4):
                return "interrupted (KeyboardInterrupt, as Ctrl-C would); the interpreter keeps its variables"
        other = self.bash if op == "python" else self.repl
        spare = {other.pid} if other is not None and other.poll() is None else set()
        for _ in range(5):  # the shell or interpreter itself is busy (a shell loop, a fork bomb)
            if not self.spawner.signal(keep=spare):
                break
            time.sleep(0.05)
        victim = self.repl if op == "python" else self.bash
        if victim is not None:
            victim.wait(1.0)
        cap.feed(self.term.drain(), self.term)
        if op == "python":
            self.repl = None
            return ("the Python interpreter was killed: its variables are lost, "
                    "later examples start a new interpreter")
        self.bash = None
        return "the shell was killed; later steps start a new one with the state saved after the last step"

    def write(self, req: dict, t0: float) -> dict:
        mem = os.memfd_create("tutorcheck-file")
        try:
            write_all(mem, str(req["data"]).encode("utf-8", "surrogateescape"))
            answer = self.spawner.call({"op": "write", "path": req["path"], "mode": req.get("mode"),
                                        "cwd": self.cwd}, (mem,))
        finally:
            os.close(mem)
        code = int(answer.get("exit", 1))
        note = f"cannot write {req['path']}: {answer.get('error')}" if code else ""
        return {"id": req.get("id"), "status": "ok", "exit": code, "cwd": self.cwd,
                "output": note, "truncated": False, "duration": time.monotonic() - t0, "note": note}


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            n = os.write(fd, view)
        except BlockingIOError:
            select.select([], [fd], [], 1.0)
            continue
        view = view[n:]


def tutor_pids() -> set[int]:
    uid = int(os.environ.get("TUTORCHECK_TUTOR_UID", "60999"))
    pids = set()
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == uid:
                    pids.add(int(name))
            except OSError:
                pass
    return pids


def last_pid() -> int:
    """The last pid handed out in this pid namespace (0 unknown): it moves while anything forks."""
    try:
        with open("/proc/loadavg", encoding="ascii") as f:
            return int(f.read().split()[-1])
    except (OSError, ValueError, IndexError):
        return 0


def pids_limit_hits() -> int:
    """How many forks the container's pids limit refused so far (cgroup v2 or v1; 0 unknown)."""
    for path in ("/sys/fs/cgroup/pids.events", "/sys/fs/cgroup/pids/pids.events"):
        try:
            with open(path, encoding="ascii") as f:
                return sum(int(line.split()[1]) for line in f if line.startswith("max "))
        except (OSError, ValueError, IndexError):
            continue
    return 0


def sh_quote(s: str) -> str:
    return "'" + s.replace("'", "'\"'\"'") + "'"


def _requests() -> Iterator[str]:
    """The host's request lines. The host waits for each answer, so the end of stdin means it is
    gone (it quit, died, or its engine connection went away): the driver exits then even in the
    middle of a step, and the container with it, rather than run on for nobody."""
    import queue

    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in sys.stdin:
            lines.put(line)
        lines.put(None)
        time.sleep(1)  # the main loop answers a request it already has (a quit), then exits itself
        os._exit(0)

    threading.Thread(target=read, daemon=True).start()
    return iter(lines.get, None)  # type: ignore[arg-type]


def main() -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # backstop: the driver (and so the container) never outlives the article's deadline
    signal.alarm(int(os.environ.get("TUTORCHECK_LIFETIME", "3600")))
    spawner = Spawner(int(os.environ["TUTORCHECK_SPAWNER_FD"]))
    driver = Driver(spawner)
    out = sys.stdout
    out.write(json.dumps({"ready": True, "cwd": driver.cwd, "pid": os.getpid()}) + "\n")
    out.flush()
    for line in _requests():
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
