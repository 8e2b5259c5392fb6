"""A learner's shell in the sandbox (``[t]erminal`` of ``tutorcheck step``), at the walk's state.

Before it opens, one shell step of the session writes the shell's state (variables, functions,
aliases, cwd: ``checkpoint.DUMP``); the interactive bash, started by ``docker exec`` as the
sandbox user in the same container (same policy: no network unless asked, limits, no
capabilities), sources it. When the learner leaves it (``exit``, Ctrl-D), it writes its own
state back, and one shell step of the session sources that: the walk goes on with what the
learner did. The host's terminal is put in raw mode and bytes are passed both ways; window
size changes follow (SIGWINCH).
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import signal
import sys
import termios
import tty
from collections.abc import Iterator
from typing import Any

from extractor.sandbox.checkpoint import STATE_DIR, STATE_FILE, TIMEOUT_S, dump_state

BACK_FILE = f"{STATE_DIR}/back.sh"
RC_FILE = f"{STATE_DIR}/rc"
# the driver's shell reads TERM=dumb, 80 columns and no prompt: put back before its state is written
RC = f"""builtin . {STATE_FILE} >/dev/null 2>&1
__tc_back() {{ TERM=dumb COLUMNS=80 LINES=24; builtin unset PS1 PROMPT_COMMAND HISTFILE; builtin unset -f __tc_back
  {{ builtin declare -p; builtin declare -f; builtin alias -p; builtin printf 'builtin cd -- %q\\n' "$PWD"; }} \
>{BACK_FILE} 2>/dev/null; }}
builtin trap __tc_back EXIT
TERM=${{TC_TERM:-xterm}}; builtin unset COLUMNS LINES; builtin shopt -s checkwinsize
HISTFILE={STATE_DIR}/history
PS1='\\[\\e[1;33m\\](sandbox)\\[\\e[0m\\] \\w\\$ '
"""
LOAD_BACK = f"builtin . {BACK_FILE} >/dev/null 2>&1; builtin command rm -f {BACK_FILE}"


def open_shell(session: Any) -> None:
    """Run an interactive bash in ``session``'s container on this terminal until it exits."""
    dump_state(session)
    api = session.client.api
    script = f'builtin printf "%s" "$1" >{RC_FILE} && exec bash --rcfile {RC_FILE} -i'
    exec_id = api.exec_create(session.container.id, ["bash", "-c", script, "tutorcheck", RC],
                              user=session.policy.step_user, stdin=True, tty=True,
                              environment={"TC_TERM": os.environ.get("TERM", "xterm")})["Id"]
    conn = api.exec_start(exec_id, socket=True, tty=True)
    sock = getattr(conn, "_sock", conn)

    def resize(*_: object) -> None:
        cols, rows = shutil.get_terminal_size()
        with contextlib.suppress(Exception):  # the shell may be gone already
            api.exec_resize(exec_id, height=rows, width=cols)

    previous = signal.signal(signal.SIGWINCH, resize)
    try:
        resize()
        with _raw(sys.stdin.fileno()):
            _pump(sys.stdin.fileno(), sys.stdout.fileno(), sock)
    finally:
        signal.signal(signal.SIGWINCH, previous)
        sock.close()
    session.request({"op": "shell", "src": LOAD_BACK}, TIMEOUT_S)


@contextlib.contextmanager
def _raw(fd: int) -> Iterator[None]:
    saved = termios.tcgetattr(fd)
    tty.setraw(fd)
    try:
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _pump(stdin: int, stdout: int, sock: Any) -> None:
    while True:
        try:
            ready, _, _ = select.select([stdin, sock], [], [])
        except InterruptedError:  # SIGWINCH
            continue
        if sock in ready:
            data = sock.recv(65536)
            if not data:
                return
            os.write(stdout, data)
        if stdin in ready:
            data = os.read(stdin, 4096)
            if not data:
                return
            sock.sendall(data)


__all__ = ["BACK_FILE", "LOAD_BACK", "RC", "open_shell"]
