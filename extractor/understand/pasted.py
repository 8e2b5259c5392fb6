"""Plain Python blocks a reader types or pastes into the interpreter before a ``>>>`` session.

Many tutorials give a class or a few functions as a plain block, then use them at ``>>>``
prompts. A reader types that block into the same interpreter first; without it every later
example fails with a NameError. The convention, shared by many pages: a plain Python block
that compiles, defines names (classes, functions, variables, imports), and a LATER ``>>>``
session uses one of those names without defining it itself. Such a block becomes a
``commands`` block of one step with ``pasted=True``: it runs in the session's interpreter
('exec' mode, nothing echoed), where the article introduces it.

Blocks the article names as files (``Save this as geometry.py``) stay files: they are written,
so ``import geometry`` works (:func:`local_modules` says which imports they satisfy).
"""

from __future__ import annotations

import ast
from dataclasses import replace

from extractor.model import CodeBlock, Step
from extractor.understand import python
from extractor.understand.block import Understood


def _defines(tree: ast.Module) -> set[str]:
    """Names a block binds at its top level (what a later session can use)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        else:
            names.update(n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    return names


def _session_free_names(block: CodeBlock) -> set[str]:
    """Names the session's examples use before (or without) defining them."""
    bound: set[str] = set()
    free: set[str] = set()
    for step in block.steps:
        tree = python.parse(step.command)
        if tree is None:
            continue
        free |= python.free_names(tree) - bound
        bound |= _defines(tree)
    return free


def _candidate(block: CodeBlock) -> ast.Module | None:
    if block.lang != "python" or block.kind != "fragment" or python.is_session(block.text):
        return None
    tree = python.parse(block.text)
    return tree if tree is not None and tree.body else None


def pasted_definitions(firsts: list[Understood | None]) -> list[Understood | None]:
    """Python fragments whose definitions a later ``>>>`` session uses become steps run in
    that session's interpreter."""
    out = list(firsts)
    for n, u in enumerate(out):
        tree = _candidate(u.block) if u else None
        if u is None or tree is None:
            continue
        defined = _defines(tree)
        later = (v.block for v in out[n + 1:] if v and v.block.kind == "session" and v.block.lang == "python")
        if any(_session_free_names(s) & defined for s in later):
            step = Step(u.block.text.strip("\n"), None, "python", pasted=True)
            out[n] = replace(u, block=replace(u.block, kind="commands", steps=(step,)),
                             workdirs=(None,), complete=(True,))
    return out


def local_modules(blocks: list[CodeBlock]) -> set[str]:
    """Module names the article's own ``.py`` files provide (``import geometry`` after
    ``Save this as geometry.py``): not packages to install."""
    return {b.filename.split("/")[0].removesuffix(".py") for b in blocks
            if b.kind == "file" and b.filename and b.filename.endswith(".py")}
