#!/usr/bin/env python3
"""JupyterLab in the sandbox, reached over the container's stdin/stdout (``tutorcheck lab``).

The container has no network (or, with --allow-network, a route out but no published port):
the host reaches the server through this process, which is the container's main process.
Speaks the driver's protocol: prints {"ready": true, "cwd"} and reads ONE request line
{"id", "op": "lab", "token", "files": [{"name", "data": base64}], "timeout"}. Writes the files
into the working directory, starts JupyterLab on the container's loopback with that token (in
its environment, never in the container's config), and answers {"id", "status": "ok"} once it
listens, or {"id", "status": "error", "note": the server's log tail}.

Then each line is one frame of a TCP connection the host accepted on its 127.0.0.1 port:
{"c": N, "o": 1} opens connection N to the server, {"c": N, "d": base64} carries bytes either
way, {"c": N, "x": 1} closes it either way. When stdin closes the server is stopped.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

PORT = 8888
LAB = "/opt/tutorcheck/lab/bin/jupyter"
LOG = "/tmp/jupyter-lab.log"
CHUNK = 48 * 1024
OUT = threading.Lock()


def send(obj: dict[str, object]) -> None:
    data = (json.dumps(obj) + "\n").encode()
    with OUT:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


def write_files(files: list[dict[str, str]]) -> None:
    for f in files:
        name = os.path.basename(str(f["name"]))  # the host sends plain names; never a path
        if name in ("", ".", ".."):
            continue
        with open(name, "wb") as out:
            out.write(base64.b64decode(f["data"]))


def start_server(token: str) -> subprocess.Popen[bytes]:
    command = [LAB, "lab", "--no-browser", "--ip=127.0.0.1", f"--port={PORT}", "--port-retries=0",
               f"--ServerApp.root_dir={os.getcwd()}",
               # the kernels are the image's own (Debian's ipykernel, bash_kernel), as `tutorcheck notebook` runs them
               "--KernelSpecManager.ensure_native_kernel=False",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    env = {**os.environ, "JUPYTER_TOKEN": token, "SHELL": "/bin/bash"}
    log = open(LOG, "ab")  # noqa: SIM115 - the server's for its lifetime
    return subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)


def listening(server: subprocess.Popen[bytes], deadline: float) -> bool:
    while time.monotonic() < deadline and server.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
            return True
        except OSError:
            time.sleep(0.3)
    return False


def log_tail() -> str:
    try:
        with open(LOG, "rb") as f:
            return f.read()[-2000:].decode(errors="replace")
    except OSError:
        return ""


def pump(n: int, conn: socket.socket) -> None:
    """Server → host for connection ``n``, until the server closes it."""
    try:
        while True:
            data = conn.recv(CHUNK)
            if not data:
                break
            send({"c": n, "d": base64.b64encode(data).decode()})
    except OSError:
        pass
    send({"c": n, "x": 1})


def relay() -> None:
    """Host → server: one frame per line until the host goes away."""
    conns: dict[int, socket.socket] = {}
    for line in sys.stdin.buffer:
        try:
            frame = json.loads(line)
            n = int(frame["c"])
        except (ValueError, KeyError, TypeError):
            continue
        if frame.get("o"):
            try:
                conns[n] = socket.create_connection(("127.0.0.1", PORT), timeout=30)
                conns[n].settimeout(None)
            except OSError:
                send({"c": n, "x": 1})
                continue
            try:
                threading.Thread(target=pump, args=(n, conns[n]), daemon=True).start()
            except RuntimeError:  # the sandbox's process limit: this connection is refused, the rest go on
                conns.pop(n).close()
                send({"c": n, "x": 1})
        elif "d" in frame and n in conns:
            try:
                conns[n].sendall(base64.b64decode(frame["d"]))
            except OSError:
                conns.pop(n).close()
        elif frame.get("x") and n in conns:
            conns.pop(n).close()


def main() -> int:
    signal.alarm(int(os.environ.get("TUTORCHECK_LIFETIME", "3600")))  # the in-container backstop
    send({"ready": True, "cwd": os.getcwd(), "pid": os.getpid()})
    line = sys.stdin.buffer.readline()  # the buffer, as relay() reads it: nothing left in a text wrapper
    req = json.loads(line) if line.strip() else {}
    if req.get("op") != "lab":
        return 0
    write_files(list(req.get("files") or []))
    server = start_server(str(req.get("token") or ""))
    if not listening(server, time.monotonic() + float(req.get("timeout") or 120)):
        send({"id": req.get("id"), "status": "error", "note": f"JupyterLab did not start: {log_tail()}"})
        server.terminate()
        return 1
    send({"id": req.get("id"), "status": "ok", "exit": 0})
    try:
        relay()
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
