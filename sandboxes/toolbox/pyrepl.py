#!/usr/bin/env python3
"""A persistent Python interpreter for ``>>>`` sessions, driven by driver.py.

Reads {"src", "mode", "answers"} JSON lines from the file descriptor given as argv[1] and runs
each example as CPython's interactive interpreter does, so that nothing of this shim shows:

- an example is compiled in 'single' mode (an expression's value is echoed, ``_`` is set), one
  statement at a time when a cell holds several; ``mode: "definitions"`` runs a plain block the
  article gives to type or paste first, in 'exec' mode (nothing echoed);
- compiler flags are the session's own: none inherited from this file, ``from __future__``
  statements typed in the session stay in force for later examples, as in the REPL;
- the namespace is a real ``__main__`` module (pickle and dataclasses look it up there);
- ``sys.ps1``/``sys.ps2`` are set; a traceback is printed by ``sys.excepthook`` without this
  file's frame, a SyntaxError without a traceback header, as the REPL prints them;
- ``input()`` reads the answers the article shows the reader typing, echoed as a terminal
  would; without answers stdin is at end of file (EOFError), never waiting.

After each example prints the end marker ``\\0TC<nonce> <exit> <cwd>\\0`` (exit 0, or 1 when
the example raised). Standard library only. Deliberately no ``from __future__`` import here:
``compile()`` would pass its flags on to the session's code.
"""

import __future__

import ast
import io
import json
import os
import sys
import types

_FEATURES = [getattr(__future__, name) for name in __future__.all_feature_names]


class Answers(io.StringIO):
    """What the reader types at ``input()`` prompts: each line read is echoed to stdout, as the
    terminal shows it after the prompt."""

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        line = super().readline(size)
        sys.stdout.write(line)
        return line

    def read(self, size: int | None = -1) -> str:
        text = super().read(size)
        sys.stdout.write(text)
        return text


class Interpreter:
    def __init__(self) -> None:
        main = types.ModuleType("__main__")
        main.__dict__["__builtins__"] = __builtins__
        sys.modules["__main__"] = main
        self.ns = main.__dict__
        self.flags = 0  # future features the session itself turned on

    def compile(self, tree: ast.AST, symbol: str) -> types.CodeType:
        code = compile(tree, "<stdin>", symbol, self.flags, True)
        for feature in _FEATURES:
            if code.co_flags & feature.compiler_flag:
                self.flags |= feature.compiler_flag
        return code

    def codes(self, src: str, mode: str) -> list[types.CodeType] | BaseException:
        """The code to run, or the SyntaxError the interpreter would print instead."""
        try:
            tree = compile(src, "<stdin>", "exec", self.flags | ast.PyCF_ONLY_AST, True)
            assert isinstance(tree, ast.Module)
            if mode == "definitions" or not tree.body:
                return [self.compile(tree, "exec")]
            return [self.compile(ast.Interactive(body=[stmt]), "single") for stmt in tree.body]
        except (SyntaxError, ValueError, OverflowError) as e:
            return e

    def run(self, src: str, mode: str) -> int:
        codes = self.codes(src.rstrip("\n") + "\n", mode)
        if isinstance(codes, BaseException):
            self.show(codes, None)
            return 1
        for code in codes:
            failure = self.execute(code)
            if failure is not None:
                return failure
        return 0

    def execute(self, code: types.CodeType) -> int | None:
        try:
            exec(code, self.ns)
        except SystemExit as e:
            return e.code if isinstance(e.code, int) else 1
        except BaseException as e:
            # the traceback starts at the session's code, as the interpreter shows it
            self.show(e, e.__traceback__.tb_next if e.__traceback__ else None)
            return 1
        return None

    @staticmethod
    def show(error: BaseException, tb: types.TracebackType | None) -> None:
        sys.stdout.flush()
        sys.last_type, sys.last_value, sys.last_traceback = type(error), error, tb
        sys.excepthook(type(error), error.with_traceback(tb), tb)
        sys.stderr.flush()


def main() -> None:
    fd, nonce = int(sys.argv[1]), sys.argv[2]
    sys.argv = [""]
    sys.ps1, sys.ps2 = ">>> ", "... "
    sys.path[0] = ""  # like the interactive interpreter: the cwd, not this file's dir
    nothing = open(os.devnull)  # noqa: SIM115 - input() must see end of file, never wait
    interp = Interpreter()
    for line in os.fdopen(fd, encoding="utf-8"):
        req = json.loads(line)
        answers = req.get("answers")
        sys.stdin = Answers("".join(a + "\n" for a in answers)) if answers else nothing
        rc = interp.run(req["src"], req.get("mode", "example"))
        sys.stdout.flush()
        sys.stderr.flush()
        os.write(1, f"\0TC{nonce} {rc} {os.getcwd()}\0".encode())


if __name__ == "__main__":
    main()
