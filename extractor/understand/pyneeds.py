"""What a Python step needs: the third-party modules it imports, the network, the values to
fill in, and the files it opens that the article never gives (``open('report.xls', 'rb')``);
the files it writes are the article's from then on.

The network: a step that calls something with a URL, written in it or held by a name an earlier
step bound to one (``url = 'https://…'`` then ``requests.get(url)``). A step that calls nothing
(``url = 'https://…'`` only binds a string) reaches nothing."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from extractor.model import Step
from extractor.understand import assumed, needs, python
from extractor.understand.made import norm

_SCHEMES = ("http://", "https://")


@dataclass
class UrlNames:
    """The names the article's Python steps bound to a value built with a URL, so far."""

    names: set[str] = field(default_factory=set)

    def uses(self, tree: ast.Module) -> bool:
        return any(isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id in self.names
                   for n in ast.walk(tree))

    def saw(self, tree: ast.Module) -> None:
        """Remember what the step binds: a name given a value with a URL (or with a name that
        holds one) holds one; a name given anything else no longer does."""
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                continue
            holds = _has_url(node.value) or self.uses(ast.Module(body=[ast.Expr(node.value)], type_ignores=[]))
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                for name in (n.id for n in ast.walk(target) if isinstance(n, ast.Name)):
                    (self.names.add if holds else self.names.discard)(name)


def _has_url(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Constant) and isinstance(n.value, str) and any(s in n.value for s in _SCHEMES)
               for n in ast.walk(node))


def _reaches(step: Step, tree: ast.Module | None, urls: UrlNames | None) -> bool:
    """The step may reach a URL: it has one (or uses a name holding one) and calls something."""
    if tree is None:
        return any(s in step.command for s in _SCHEMES)
    if not any(isinstance(n, ast.Call) for n in ast.walk(tree)):
        return False
    return any(s in step.command for s in _SCHEMES) or (urls is not None and urls.uses(tree))


def python_needs(step: Step, local: set[str], given: assumed.Given | None = None,
                 urls: UrlNames | None = None) -> tuple[str, ...]:
    """The needs of one Python step; ``local``: the modules the article saves itself, ``given``:
    what the article gave before it (updated with the files the step writes), ``urls``: the
    names earlier steps bound to a URL (updated with the step's)."""
    found: set[str] = set()
    tree = python.parse(step.command)
    if tree is not None:  # a module the article saves (geometry.py) is not a package to install
        found |= {f"tool:python:{m}" for m in python.third_party(tree) - local}
    if tree is not None and given is not None:
        reads, writes = python.opened(tree)
        found |= set(assumed.as_needs(assumed.assumed("", [norm(r) for r in reads], given)))
        given.saw_step("", {norm(w) for w in writes}, False)
        found |= {f"file:`{name}`" for name in given.names_from_before(tree)}  # ``engine`` from the page before
    if _reaches(step, tree, urls):
        found.add("network")
    if tree is not None and urls is not None:
        urls.saw(tree)
    found |= set(needs.text_needs(step.command, run=True))
    return tuple(sorted(found))


__all__ = ["UrlNames", "python_needs"]
