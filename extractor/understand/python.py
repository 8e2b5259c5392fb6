"""Python blocks: ``>>>`` sessions (doctest semantics) and plain code, program or fragment.

The rule for *program* (runnable as is) versus *fragment* (an excerpt):
a program compiles, imports only the standard library, uses no name it does not define
(or a builtin), and does something when run — it has ``if __name__ == "__main__":`` or
a top-level call. Anything else that compiles is a fragment; so is code that does not
compile but is labelled Python or reads like Python.
"""

from __future__ import annotations

import ast
import builtins
import re
import sys
from dataclasses import dataclass

_PYCON = re.compile(r"^>>>( |$)", re.MULTILINE)
_MARKERS = re.compile(
    r"^\s*(def \w+\(|class \w+[(:]|import \w+|from [\w.]+ import |async def |@\w+|"
    r"if __name__ == ['\"]__main__['\"]:|print\()", re.MULTILINE
)
_BUILTINS = frozenset(dir(builtins)) | {"__name__", "__file__", "__doc__"}


@dataclass(frozen=True)
class Example:
    source: str
    want: str | None


_IN = re.compile(r"^In \[\d*\]: ?(.*)$")
_MORE = re.compile(r"^\s+\.\.\.+: ?(.*)$")
_OUT = re.compile(r"^Out\[\d*\]: ?")


def is_session(text: str) -> bool:
    return bool(_PYCON.search(text)) or any(_IN.match(line) for line in text.splitlines())


def prompt_of(text: str) -> str:
    return ">>> " if _PYCON.search(text) else "In [1]: "


def _ipython(text: str) -> list[Example]:
    """IPython's ``In [n]:`` / ``...:`` / ``Out[n]:`` transcript as examples."""
    found: list[Example] = []
    source: list[str] | None = None
    output: list[str] = []

    def close() -> None:
        if source is not None:
            want = "\n".join(output).strip("\n")
            found.append(Example("\n".join(source).rstrip(), want + "\n" if want else None))

    for line in text.splitlines():
        if m := _IN.match(line):
            close()
            source, output = [m.group(1)], []
        elif source is not None and not output and (m := _MORE.match(line)):
            source.append(m.group(1))
        elif source is not None:
            output.append(_OUT.sub("", line))
    close()
    return found


_PS1 = re.compile(r"^(\s*)>>>(?: |$)")


def examples(text: str) -> list[Example]:
    """The examples of a ``>>>`` (doctest) or IPython session, with expected output (None: none).

    As a reader sees a terminal: an example's output is everything up to the next ``>>>``
    prompt, blank lines included (doctest would cut it at the first blank line); trailing blank
    lines are dropped. Continuation lines (``...``) belong to the source only right after it."""
    if not _PYCON.search(text):
        return _ipython(text)
    found: list[Example] = []
    source: list[str] = []
    want: list[str] = []
    indent = 0
    for line in text.expandtabs(8).split("\n"):
        m = _PS1.match(line)
        if m:
            _close(found, source, want)
            indent, source, want = len(m.group(1)), [line[len(m.group(0)):]], []
        elif source and not want and re.match(r"^\s*\.\.\.(?: |$)", line):
            source.append(re.sub(r"^\s*\.\.\.(?: |$)", "", line, count=1))
        elif source:
            want.append(line[indent:] if not line[:indent].strip() else line)
    _close(found, source, want)
    return found


def _close(found: list[Example], source: list[str], want: list[str]) -> None:
    while want and not want[-1].strip():
        want.pop()
    body = "\n".join(source).rstrip()
    if source and body.strip():
        found.append(Example(body, "\n".join(want) + "\n" if want else None))


def reads_like_python(text: str) -> bool:
    return bool(_MARKERS.search(text))


def parse(text: str) -> ast.Module | None:
    try:
        return ast.parse(text)
    except (SyntaxError, ValueError):
        return None


_LITERAL_PARTS = (ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Set, ast.UnaryOp, ast.BinOp,
                  ast.unaryop, ast.operator, ast.expr_context)


def binds_literals(text: str) -> bool:
    """Python that only binds names to literal values (``payload = {'key': ['a', 'b']}``): it
    uses nothing any earlier step made, calls nothing and prints nothing."""
    tree = parse(text)
    return tree is not None and bool(tree.body) and all(
        isinstance(node, ast.Assign)
        and all(isinstance(n, ast.Name | ast.Tuple | ast.List | ast.Store) for t in node.targets for n in ast.walk(t))
        and all(isinstance(n, _LITERAL_PARTS) for n in ast.walk(node.value))
        for node in tree.body)


def compile_error(text: str) -> str | None:
    """``line N: message`` when ``text`` does not compile, else None."""
    try:
        compile(text, "<block>", "exec")
    except SyntaxError as e:
        return f"line {e.lineno}: {e.msg}"
    except ValueError as e:
        return str(e)
    return None


# IPython's own syntax: a magic (``%timeit``, ``%%bash``), a shell escape (``!ls``, ``files = !ls``),
# help (``len?``, ``obj??``).
_IPYTHON = re.compile(r"^\s*(?:(?P<magic>%%?\w+)|(?P<shell>!)\S|[\w.\[\]]+\?\??\s*$|\w+\s*=\s*(?:(?P<m2>%\w+)|!))")


def ipython_syntax(source: str) -> str | None:
    """What in ``source`` only IPython runs (``%timeit``, ``!``, ``?``), when plain Python cannot
    compile it; else None."""
    if compile_error(source) is None:
        return None
    for line in source.split("\n"):
        if m := _IPYTHON.match(line):
            return m.group("magic") or m.group("m2") or ("!" if m.group("shell") or "!" in line else "?")
    return None


def imports(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def third_party(tree: ast.Module) -> set[str]:
    return {name for name in imports(tree) if name not in sys.stdlib_module_names}


def imported_needs(code: str, local: set[str]) -> set[str]:
    """``tool:python:M`` for each third-party module ``code`` imports; a module the article
    saves (``local``: geometry.py) is not a package to install."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return set()
    return {f"tool:python:{m}" for m in third_party(tree) - local}


def opened(tree: ast.Module) -> tuple[list[str], list[str]]:
    """The files the code opens by a literal name (``open('report.xls', 'rb')``): those it
    reads, and those it writes (a mode with ``w``, ``a``, ``x`` or ``+``)."""
    reads: list[str] = []
    writes: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue
        given = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
        mode = given.value if isinstance(given, ast.Constant) and isinstance(given.value, str) else "r"
        (writes if set(mode) & set("wax+") else reads).append(node.args[0].value)
    return reads, writes


def defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.Global | ast.Nonlocal):
            names.update(node.names)
    return names


def top_level(tree: ast.Module) -> set[str]:
    """The functions and classes a module defines at its top level."""
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}


def called_names(tree: ast.Module) -> set[str]:
    """The names a module calls or decorates with (``NativeEnvironment()``, ``@frozen``)."""
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]
    return called | {d.id for n in defs for d in n.decorator_list if isinstance(d, ast.Name)}


def free_names(tree: ast.Module) -> set[str]:
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    return used - defined(tree) - _BUILTINS


_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom, ast.Pass)


def _does_something(node: ast.stmt) -> bool:
    """A top-level statement that acts when the module runs (not a definition or a constant)."""
    if isinstance(node, _DEFINITIONS):
        return False
    if isinstance(node, ast.Expr):
        return not isinstance(node.value, ast.Constant)
    if isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
        return node.value is not None and any(isinstance(n, ast.Call) for n in ast.walk(node.value))
    return True  # for, while, with, if, try, raise, assert...


def _has_entry(tree: ast.Module) -> bool:
    return any(_does_something(node) for node in tree.body)


def is_program(text: str) -> bool:
    tree = parse(text)
    return (
        tree is not None
        and not third_party(tree)
        and not free_names(tree)
        and _has_entry(tree)
    )
