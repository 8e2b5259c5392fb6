#!/usr/bin/env python3
"""A persistent Python interpreter for ``>>>`` sessions, driven by driver.py.

Reads {"src": ...} JSON lines from the file descriptor given as argv[1]; runs each example
the way the interactive interpreter (and doctest) does: compiled in 'single' mode so an
expression's value is echoed, one namespace for the whole session, stdin is /dev/null.
Tracebacks look like the interpreter's. After each example prints the end marker
``\\0TC<nonce> <exit> <cwd>\\0`` (exit 0, or 1 when the example raised).
"""

from __future__ import annotations

import json
import os
import sys
import traceback


def run(src: str, ns: dict) -> int:
    try:
        try:
            code = compile(src.rstrip("\n") + "\n", "<stdin>", "single")
        except SyntaxError:
            code = compile(src, "<stdin>", "exec")
        exec(code, ns)
        return 0
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 1
    except BaseException:
        etype, value, tb = sys.exc_info()
        # drop this module's frame, as the real interpreter shows only the user's code
        sys.stdout.flush()
        sys.stderr.write("".join(traceback.format_exception(etype, value, tb.tb_next if tb else None)))
        return 1


def main() -> None:
    fd, nonce = int(sys.argv[1]), sys.argv[2]
    sys.stdin = open(os.devnull)  # noqa: SIM115 - input() must see end of file, never wait
    sys.argv = [""]
    ns: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    sys.path[0] = ""  # like the interactive interpreter: the cwd, not this file's dir
    for line in os.fdopen(fd, encoding="utf-8"):
        req = json.loads(line)
        rc = run(req["src"], ns)
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, f"\0TC{nonce} {rc} {os.getcwd()}\0".encode())


if __name__ == "__main__":
    main()
