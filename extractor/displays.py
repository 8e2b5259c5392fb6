"""Python displays whose order is not the tutorial's business: sets, frozensets and dicts.

``unordered(line)``: a line that is a literal display (parsed, never evaluated) holding a set,
frozenset or dict comes back with those elements sorted, so hash order and insertion order do
not matter, while each element keeps its exact repr (``{1}`` and ``{1.0}`` still differ, and so
do ``set()`` and ``{}``). Any other line comes back unchanged. Standard library only: the toolbox
image carries this file beside ``matching.py``, which uses it.
"""

from __future__ import annotations

import ast
import re

_DISPLAY = re.compile(r"^\s*(?:[\[({]|frozenset\(|set\()")


def unordered(line: str) -> str:
    """A line that is a literal display holding a set or dict, with those elements sorted."""
    if ("{" not in line and "set(" not in line) or not _DISPLAY.match(line):
        return line
    try:
        tree = ast.parse(line.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return line
    shown = _display(tree.body)
    return line if shown is None else line[: len(line) - len(line.lstrip())] + shown


def _display(node: ast.expr) -> str | None:
    """The canonical text of a literal display, sets and dicts sorted; None if not a literal."""
    if isinstance(node, ast.Constant):
        return repr(node.value)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = _display(node.operand)
        return None if inner is None else ("-" if isinstance(node.op, ast.USub) else "+") + inner
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        items = [_display(e) for e in node.elts]
        if any(i is None for i in items):
            return None
        parts = [i for i in items if i is not None]
        if isinstance(node, ast.List):
            return "[" + ", ".join(parts) + "]"
        if isinstance(node, ast.Tuple):
            return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
        return "{" + ", ".join(sorted(parts)) + "}"
    if isinstance(node, ast.Dict):
        keys = [_display(k) if k is not None else None for k in node.keys]
        values = [_display(v) for v in node.values]
        if any(k is None for k in keys) or any(v is None for v in values):
            return None
        return "{" + ", ".join(sorted(f"{k}: {v}" for k, v in zip(keys, values, strict=True))) + "}"
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("set", "frozenset")
            and not node.keywords and len(node.args) <= 1):
        arg = node.args[0] if node.args else ast.Set(elts=[])
        elts = [_display(e) for e in arg.elts] if isinstance(arg, ast.Set | ast.List | ast.Tuple) else [None]
        if any(e is None for e in elts):
            return None
        inner = ", ".join(sorted(e for e in elts if e is not None))
        return f"{node.func.id}({{{inner}}})" if inner or node.func.id == "frozenset" else "set()"
    return None
