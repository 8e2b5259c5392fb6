"""Checkpoints of a learner's sandbox session: its writable folders as a tar, and its shell state.

``docker commit`` cannot take one: the sandbox's root is read-only and the folders a tutorial
writes (the home, the start folder, /tmp) are tmpfs mounts, which neither a commit nor
``docker cp`` sees. So a checkpoint is taken from inside, under the container's own policy:
one shell step writes the shell's state (variables, functions, aliases, cwd) to a file in
/tmp, then ``tar`` run by ``docker exec`` as the sandbox user streams those folders to a file
on the host (written atomically). Restoring starts from a fresh container of the same image
and policy and streams the tar back in, then sources the state. What a checkpoint cannot hold:
running processes (a server a step started) and an interpreter's memory (the learner walk
replays its Python steps instead).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import SandboxError

STATE_DIR = "/tmp/.tc-learner"  # the learner's own files in the sandbox (the driver keeps /tmp/.tutorcheck)
STATE_FILE = f"{STATE_DIR}/state.sh"
DRIVER_DIR = "tmp/.tutorcheck"  # never saved nor restored: the driver's, and maybe not the sandbox user's
DUMP = (f"builtin command mkdir -p {STATE_DIR} && {{ builtin declare -p; builtin declare -f; builtin alias -p; "
        f"builtin printf 'builtin cd -- %q\\n' \"$PWD\"; }} >{STATE_FILE} 2>/dev/null")
LOAD = f"builtin . {STATE_FILE} >/dev/null 2>&1"
TIMEOUT_S = 120.0
CHUNK = 1 << 16


@dataclass(frozen=True)
class Cost:
    seconds: float
    bytes: int


def folders(policy: Any) -> list[str]:
    """The writable folders of a container under ``policy``, as tar paths (no leading /)."""
    return sorted({p.lstrip("/") for p in (policy.workdir, policy.start_dir, "/tmp") if p})


def dump_state(session: Any) -> None:
    answer = session.request({"op": "shell", "src": DUMP}, TIMEOUT_S)
    if answer.status != "ok" or answer.exit_code != 0:
        raise SandboxError(session.image, f"cannot save the shell's state ({answer.note or answer.status})")


def save(session: Any, dest: Path) -> Cost:
    """Write the session's checkpoint to ``dest`` (a tar); what it cost."""
    t0 = time.perf_counter()
    dump_state(session)
    api = session.client.api
    # what is in the folders, not the folders themselves: they are mount points the sandbox user
    # may not change (/tmp's mode), and every fresh container has them
    listing = (f"cd / && find {' '.join(folders(session.policy))} -mindepth 1 -maxdepth 1 ! -path {DRIVER_DIR} "
               "-print0 | tar --null --ignore-failed-read -cf - -T -")
    cmd = ["sh", "-c", listing]
    exec_id = api.exec_create(session.container.id, cmd, user=session.policy.step_user, stdout=True, stderr=True)["Id"]
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + f".{os.getpid()}.part")
    try:
        said = b""
        with part.open("wb") as f:
            for out, err in api.exec_start(exec_id, stream=True, demux=True):
                if out:
                    f.write(out)
                if err:
                    said += err[:4096]
        code = _exit_code(api, exec_id)
        if code not in (0, 1):  # 1: a file changed while read (a background job writing): still a checkpoint
            raise SandboxError(session.image, f"the checkpoint's tar exited with status {code}: "
                                              f"{said.decode('utf-8', 'replace').strip()[:300]}")
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)
    return Cost(time.perf_counter() - t0, dest.stat().st_size)


def restore(session: Any, src: Path) -> Cost:
    """Bring the checkpoint ``src`` into ``session`` (a fresh one): its files, then its shell state."""
    t0 = time.perf_counter()
    api = session.client.api
    cmd = ["tar", "-C", "/", "-xf", "-"]
    exec_id = api.exec_create(session.container.id, cmd, user=session.policy.step_user, stdin=True, stdout=True,
                              stderr=True)["Id"]
    conn = api.exec_start(exec_id, socket=True)
    raw = getattr(conn, "_sock", conn)
    try:
        with src.open("rb") as f:
            while chunk := f.read(CHUNK):
                raw.sendall(chunk)
        raw.shutdown(socket.SHUT_WR)
        said = b""
        while data := raw.recv(CHUNK):
            said += data[:4096]
    finally:
        raw.close()
    code = _exit_code(api, exec_id)
    if code != 0:
        raise SandboxError(session.image, f"cannot restore the checkpoint (tar exited {code}): "
                                          f"{said[8:].decode('utf-8', 'replace').strip()[:300]}")
    answer = session.request({"op": "shell", "src": LOAD}, TIMEOUT_S)
    if answer.status != "ok":
        raise SandboxError(session.image, f"cannot restore the shell's state ({answer.note or answer.status})")
    return Cost(time.perf_counter() - t0, src.stat().st_size)


def _exit_code(api: Any, exec_id: str) -> int | None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        info = api.exec_inspect(exec_id)
        if not info.get("Running"):
            return info.get("ExitCode")
        time.sleep(0.02)
    return None


__all__ = ["Cost", "LOAD", "STATE_DIR", "STATE_FILE", "dump_state", "folders", "restore", "save"]
