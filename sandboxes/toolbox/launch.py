#!/usr/bin/env python3
"""tutorcheck sandbox launcher: the first process under docker-init, started as root.

It does the few things that need root, then drops:

* ``--net public``: installs the egress filter in the container's own network namespace
  (the host, the bridge gateway, private, shared and link-local ranges are rejected; the
  container's loopback, its name servers' port 53, the ``--open`` ADDRESS:PORT the user named
  and public addresses stay open), then gives up CAP_NET_ADMIN. If the filter cannot be
  installed the launcher refuses to start.
* ``--net listed``: the allow-list's filter: only the loopback and the ``--open`` destinations
  (``ADDRESS``, a range, or ``ADDRESS:PORT`` for TCP to that port) are let through; everything
  else is rejected, name servers too (the host pinned the listed names in ``/etc/hosts``).
* ``--own DIR,...``: gives the folders to ``tutor`` (on an engine whose tmpfs cannot be given an
  owner; the policy then adds CAP_CHOWN, which every later step of this process drops).
* ``exec -- CMD...``: runs CMD as the sandbox user ``tutor`` (check.sh, notebooks).
* ``driver``: starts the session driver (driver.py) as ``tcdriver``, a uid of its own, and
  stays as its *spawner*: on the driver's requests (a socket only the driver holds) it starts
  the tutorial's shell and interpreter as ``tutor``, writes files as ``tutor``, signals
  ``tutor``'s processes and reports exit statuses. It keeps CAP_SETUID/CAP_SETGID (to start
  ``tutor`` processes after a step killed them all) and CAP_KILL (to stop a fork bomb that
  leaves no room to fork) and nothing else; every process it starts runs without capabilities.

The tutorial's processes cannot signal, trace or read the fds of the driver or of this
process (other uids), so they cannot reach the host's channel or the saved state.
Standard library only.
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import termios

TUTOR = pwd.getpwnam("tutor")
DRIVER = pwd.getpwnam("tcdriver")
HERE = os.path.dirname(os.path.abspath(__file__))
# tutor's own folder for what tutorcheck runs on the tutorial's behalf (scripts, services' data
# and logs, a kubeconfig); the plan names it (extractor/plan/make.py SCRIPT_DIR)
TUTOR_DIR = "/tmp/.tutorcheck"
# the tutorial's processes yield the container's one CPU to the driver and the spawner: at nice 19
# the 127 processes of a fork bomb weigh less than the code that must stop them. Nice only ranks
# the tasks inside the container's cgroup: against the rest of the host the container keeps its share
# (SCHED_IDLE, tried, let every busy process on the host preempt the tutorial's and slowed it down).
NICE = 19
CAP_CHOWN, CAP_KILL, CAP_SETGID, CAP_SETUID, CAP_NET_ADMIN = 0, 5, 6, 7, 12

# Destinations a sandbox with "public" network may not reach (IPv4): this host and its bridge,
# private, shared (CGNAT), link-local (cloud metadata), benchmark, multicast and reserved ranges.
BLOCKED_V4 = ("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
              "192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3")
ALLOWED_V6 = "2000::/3"  # global unicast only; link-local, unique-local and the rest are rejected
REJECT_V4 = "REJECT --reject-with icmp-admin-prohibited"
REJECT_V6 = "REJECT --reject-with icmp6-adm-prohibited"


def log(msg: str) -> None:
    sys.stderr.write(f"launch: {msg}\n")
    sys.stderr.flush()


# -- capabilities ----------------------------------------------------------------------------

class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def keep_only(*caps: int) -> None:
    """Narrow this process's capabilities to ``caps`` (permitted and effective; none inheritable)."""
    mask = sum(1 << c for c in caps)
    header = _CapHeader(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3
    data = (_CapData * 2)()
    data[0].effective = data[0].permitted = mask
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset")


def become(user: pwd.struct_passwd) -> None:
    """Drop to ``user`` for good: no supplementary groups, and no capabilities left."""
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


# -- the egress filter -------------------------------------------------------------------------

def nameservers() -> list[str]:
    try:
        with open("/etc/resolv.conf", encoding="utf-8") as f:
            return [ln.split()[1] for ln in f if ln.startswith("nameserver") and len(ln.split()) > 1]
    except OSError:
        return []


def gateways() -> list[str]:
    """The default routes' gateways (the host, on docker's bridge), from /proc/net/route."""
    found = []
    try:
        with open("/proc/net/route", encoding="ascii") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if len(fields) > 2 and fields[2] != "00000000":
                    found.append(socket.inet_ntoa(int(fields[2], 16).to_bytes(4, "little")))
    except OSError:
        pass
    return found


def opened_item(item: str) -> tuple[str, str]:
    """The address (or range) and port ("" for every port) of ``ADDRESS[:PORT]`` (``[v6][:PORT]``)."""
    if item.startswith("["):
        address, _, rest = item[1:].partition("]")
        return address, rest[1:] if rest.startswith(":") else ""
    if item.count(":") == 1:
        address, _, port = item.partition(":")
        return address, port
    return item, ""


def opened_rules(v6: bool, opened: list[str]) -> list[str]:
    """ACCEPT rules for what the user opened by name: ``ADDRESS:PORT`` (TCP to that port) or an
    address or range (``ADDRESS``, ``[v6]``: every port)."""
    rules = []
    for item in opened:
        address, port = opened_item(item)
        if not address or (":" in address) != v6 or not all(c in "0123456789abcdefABCDEF.:/" for c in address):
            continue
        if port.isdigit():
            rules.append(f"-A OUTPUT -d {address} -p tcp --dport {int(port)} -j ACCEPT")
        elif not port:
            rules.append(f"-A OUTPUT -d {address} -j ACCEPT")
    return rules


def filter_rules(v6: bool, extra_blocked: list[str], opened: list[str] | None = None, listed: bool = False) -> str:
    """An iptables-restore ruleset for the OUTPUT chain of this network namespace (``listed``:
    what ``opened`` names and nothing else)."""
    family = [ns for ns in nameservers() if (":" in ns) == v6]
    lines = ["*filter", ":OUTPUT ACCEPT [0:0]", "-A OUTPUT -o lo -j ACCEPT", *opened_rules(v6, opened or [])]
    if listed:
        return "\n".join([*lines, f"-A OUTPUT -j {REJECT_V6 if v6 else REJECT_V4}", "COMMIT", ""])
    for ns in family:
        lines += [f"-A OUTPUT -d {ns} -p udp --dport 53 -j ACCEPT", f"-A OUTPUT -d {ns} -p tcp --dport 53 -j ACCEPT"]
    if v6:
        lines += [f"-A OUTPUT ! -d {ALLOWED_V6} -j {REJECT_V6}"]
        lines += [f"-A OUTPUT -d {a} -j {REJECT_V6}" for a in extra_blocked if ":" in a]
    else:
        blocked = [*gateways(), *(a for a in extra_blocked if ":" not in a), *BLOCKED_V4]
        lines += [f"-A OUTPUT -d {a} -j {REJECT_V4}" for a in blocked]
    return "\n".join([*lines, "COMMIT", ""])


def install_filter(extra_blocked: list[str], opened: list[str], listed: bool = False) -> None:
    """Fail closed: a filter that cannot be installed stops the sandbox."""
    subprocess.run(["iptables-restore"], input=filter_rules(False, extra_blocked, opened, listed), text=True,
                   check=True, capture_output=True)
    try:
        subprocess.run(["ip6tables-restore"], input=filter_rules(True, extra_blocked, opened, listed), text=True,
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        if ipv6_in_use():
            raise
        # no IPv6 address but loopback: nothing to filter


def ipv6_in_use() -> bool:
    try:
        with open("/proc/net/if_inet6", encoding="ascii") as f:
            return any(line.split()[-1] != "lo" for line in f if line.strip())
    except OSError:
        return False


# -- the spawner -------------------------------------------------------------------------------

class Spawner:
    """Serves the driver: start, signal and wait for ``tutor`` processes; write files as ``tutor``."""

    def __init__(self, sock: socket.socket, driver_pid: int, filtered: bool = False) -> None:
        self.sock = sock
        self.filtered = filtered
        self.driver_pid = driver_pid
        self.exited: dict[int, int] = {}
        self.mine: set[int] = set()

    def serve(self) -> int:
        while True:
            try:
                data, fds, _flags, _addr = socket.recv_fds(self.sock, 1 << 20, 16)
            except OSError:
                data, fds = b"", []
            if not data:
                break
            try:
                req = json.loads(data)
                answer = getattr(self, "op_" + str(req.get("op")))(req, fds)
            except Exception as e:  # a bad request is answered, never fatal
                answer = {"error": f"{type(e).__name__}: {e}"}
            finally:
                for fd in fds:
                    os.close(fd)
            self.sock.send(json.dumps(answer).encode())
        self.reap()
        return self.exited.get(self.driver_pid, 0)

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.mine.discard(pid)
            self.exited[pid] = os.waitstatus_to_exitcode(status)

    def op_spawn(self, req: dict, fds: list[int]) -> dict:
        targets = [int(t) for t in req["fds"]]
        pid = os.fork()
        if pid == 0:
            try:
                become(TUTOR)
                os.nice(NICE)
                moved = [os.dup2(fd, 400 + i) for i, fd in enumerate(fds)]  # out of the targets' way
                for i, target in enumerate(targets):
                    os.dup2(moved[i], target, inheritable=True)
                for fd in os.listdir("/proc/self/fd"):
                    n = int(fd)
                    if n not in targets:
                        try:
                            os.close(n)
                        except OSError:
                            pass
                if req.get("ctty") is not None:  # a session of its own, led by this process, on this terminal
                    os.setsid()
                    fcntl.ioctl(int(req["ctty"]), termios.TIOCSCTTY, 0)
                cwd = req.get("cwd") or TUTOR.pw_dir
                os.chdir(cwd if os.path.isdir(cwd) else TUTOR.pw_dir)
                # as a login gives them: Python (this process) ignores SIGXFSZ and SIGPIPE, a reader's
                # shell does not (a step that lowers `ulimit -f` and writes more is killed, as there)
                for sig in (signal.SIGPIPE, signal.SIGXFSZ):
                    signal.signal(sig, signal.SIG_DFL)
                os.execvpe(req["argv"][0], req["argv"], {str(k): str(v) for k, v in req["env"].items()})
            finally:
                os._exit(127)
        self.mine.add(pid)
        return {"pid": pid}

    def op_wait(self, req: dict, fds: list[int]) -> dict:
        pid = int(req["pid"])
        if pid in self.mine and req.get("block"):
            try:
                _, status = os.waitpid(pid, 0)
                self.mine.discard(pid)
                self.exited[pid] = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                pass
        self.reap()
        code = self.exited.get(pid)
        return {"exit": code if code is None or code >= 0 else 128 - code, "running": pid in self.mine}

    def op_signal(self, req: dict, fds: list[int]) -> dict:
        """Signal ``tutor``'s processes: the ``pids`` given, or all but ``keep``."""
        sig = int(req.get("sig", signal.SIGKILL))
        only = set(map(int, req["pids"])) if req.get("pids") is not None else None
        keep = set(map(int, req.get("keep") or ()))
        count = 0
        for pid in tutor_pids():
            if (only is not None and pid not in only) or pid in keep:
                continue
            try:
                os.kill(pid, sig)
                count += 1
            except OSError:
                pass
        self.reap()
        return {"count": count}

    def op_blocked(self, req: dict, fds: list[int]) -> dict:
        """How many packets the egress filter has rejected so far (null: no filter)."""
        if not self.filtered:
            return {"count": None}
        total = 0
        for tool in ("iptables", "ip6tables"):
            try:
                out = subprocess.run([tool, "-w", "-L", "OUTPUT", "-v", "-x", "-n"], capture_output=True,
                                     text=True, timeout=5).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            total += sum(int(f[0]) for f in (ln.split() for ln in out.splitlines()) if len(f) > 2 and f[2] == "REJECT"
                         and f[0].isdigit())
        return {"count": total}

    def op_write(self, req: dict, fds: list[int]) -> dict:
        """Write the file (its content in the fd given) as ``tutor``, relative to ``cwd``."""
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            code, why = 0, ""
            try:
                os.close(r)
                become(TUTOR)
                os.chdir(req.get("cwd") or TUTOR.pw_dir)
                path = req["path"]
                if os.path.dirname(path):
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                with os.fdopen(os.dup(fds[0]), "rb") as src, open(path, "wb") as dst:
                    src.seek(0)
                    while chunk := src.read(1 << 16):
                        dst.write(chunk)
                if req.get("mode"):
                    os.chmod(path, int(req["mode"], 8))
            except OSError as e:
                code, why = 1, e.strerror or str(e)
            except Exception as e:  # noqa: BLE001 - reported to the driver, never raised past the fork
                code, why = 1, f"{type(e).__name__}: {e}"
            os.write(w, why.encode()[:4000])
            os._exit(code)
        os.close(w)
        with os.fdopen(r, "rb") as f:
            why_b = f.read()
        _, status = os.waitpid(pid, 0)
        return {"exit": os.waitstatus_to_exitcode(status), "error": why_b.decode("utf-8", "replace")}


def make_tutor_dir() -> None:
    """``TUTOR_DIR``, made by ``tutor`` (this process may not chown): the steps' user owns it."""
    pid = os.fork()
    if pid == 0:
        try:
            become(TUTOR)
            os.makedirs(TUTOR_DIR, mode=0o700, exist_ok=True)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


def tutor_pids() -> list[int]:
    pids = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                if os.stat(f"/proc/{name}").st_uid == TUTOR.pw_uid:
                    pids.append(int(name))
            except OSError:
                pass
    return pids


def run_driver(filtered: bool) -> int:
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    pid = os.fork()
    if pid == 0:
        parent.close()
        become(DRIVER)
        os.set_inheritable(child.fileno(), True)
        env = dict(os.environ, TUTORCHECK_SPAWNER_FD=str(child.fileno()), TUTORCHECK_TUTOR_UID=str(TUTOR.pw_uid))
        os.execvpe("python3", ["python3", os.path.join(HERE, "driver.py")], env)
    child.close()
    # the host's channel is the driver's alone: the spawner lets go of stdin/stdout
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    # NET_ADMIN only to read the filter's counters (it cannot be changed from the driver's requests)
    keep_only(CAP_KILL, CAP_SETGID, CAP_SETUID, *((CAP_NET_ADMIN,) if filtered else ()))
    spawner = Spawner(parent, pid, filtered)
    spawner.mine.add(pid)
    return spawner.serve()


def main(argv: list[str]) -> int:
    net = "none"
    blocked: list[str] = []
    opened: list[str] = []
    while argv and argv[0].startswith("--"):
        opt = argv.pop(0)
        if opt == "--":
            break
        key, _, value = opt.partition("=")
        if key == "--net":
            net = value
        elif key == "--block":
            blocked = [a for a in value.split(",") if a]
        elif key == "--open":  # ADDRESS:PORT the user named (a kubeconfig's API server): let through
            opened = [a for a in value.split(",") if a]
        elif key == "--own":  # an engine that cannot give a tmpfs to a user (podman): CAP_CHOWN for this
            for path in (p for p in value.split(",") if p):
                os.chown(path, TUTOR.pw_uid, TUTOR.pw_gid)
    if os.getuid() != 0:
        print(json.dumps({"ready": False, "error": "the sandbox must start as root (it drops to its users); "
                                                   "a policy without --user=0:0 started it"}), flush=True)
        return 3
    if net not in ("none", "public", "listed"):  # fail closed: a network setting not known here is no open network
        print(json.dumps({"ready": False, "error": f"unknown network setting {net!r}; rebuild the images: "
                                                   "tutorcheck sandbox build"}), flush=True)
        return 3
    if net in ("public", "listed"):
        try:
            install_filter(blocked, opened, listed=net == "listed")
        except (OSError, subprocess.CalledProcessError) as e:
            detail = getattr(e, "stderr", "") or str(e)
            print(json.dumps({"ready": False, "error": f"the network filter could not be installed: {detail}"}),
                  flush=True)
            return 3
    role = argv.pop(0) if argv else "driver"
    make_tutor_dir()
    if role == "exec":
        if argv and argv[0] == "--":
            argv.pop(0)
        keep_only(CAP_SETGID, CAP_SETUID)
        become(TUTOR)
        os.execvp(argv[0], argv)
    return run_driver(net in ("public", "listed"))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
