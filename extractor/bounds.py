"""Bounds for every parser of untrusted content that runs on the host (``extract``, ``check``).

A tutorial is untrusted input: a 1.7 KB YAML block of nested aliases expands to billions of
nodes, 400 nested ``<div>`` or 100,000 ``[`` overflow Python's recursion, a deeply nested
shell command makes shellcheck eat gigabytes. Every such parser goes through here:

- ``load_yaml`` / ``load_json`` / ``load_toml``: size, nesting depth, YAML documents and alias
  expansion (counted from the event stream, before anything is built), and a time limit;
- ``check_shell``: size and nesting depth of a shell text before tree-sitter's tree is walked
  or shellcheck is run;
- ``limited``: CPU time and memory of a helper process (shellcheck, ``bash -n``).

Over a bound, ``OverBound`` is raised; it names the bound. Callers let it reach the block's
level, where the block is kept as text, not analysed, with the reason as its defect.
"""

from __future__ import annotations

import json
import re
import time
from typing import Any

import yaml

from extractor.errors import ExtractorError

MAX_PARSE_CHARS = 256 * 1024  # a block larger than this is kept as text (a 10 MB log is no step)
MAX_DEPTH = 100  # nesting of YAML/JSON/TOML collections, shell constructs
MAX_YAML_NODES = 100_000  # after alias expansion
MAX_YAML_DOCUMENTS = 1_000
MAX_PARSE_SECONDS = 5.0
TOOL_CPU_SECONDS = 20
TOOL_MEMORY_BYTES = 1024 * 1024 * 1024

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BRACKETS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|[\[\]{}]')
_SHELL_INERT = re.compile(r"'[^'\n]*'|(?:^|(?<=\s))#[^\n]*", re.MULTILINE)
_SHELL_OPEN = re.compile(r"\$\(\(?|\$\{|\(|\{")


class OverBound(ExtractorError):
    """Untrusted text exceeds a parser bound; it is not parsed (``what`` names the bound)."""

    def __init__(self, where: str, what: str = "") -> None:
        super().__init__(where, what)


def _over(what: str) -> OverBound:
    return OverBound("not analysed", what)


def check_size(text: str, kind: str) -> None:
    if len(text) > MAX_PARSE_CHARS:
        raise _over(f"{kind} of {len(text)} characters (limit {MAX_PARSE_CHARS})")


def _bracket_depth(text: str, kind: str) -> None:
    depth = 0
    for m in _BRACKETS.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise _over(f"{kind} nested deeper than {MAX_DEPTH} levels")
        elif token in "]}":
            depth = max(0, depth - 1)


def _add(stack: list[list[Any]], weight: int, total: list[int]) -> None:
    if stack:
        stack[-1][1] += weight
        weight = stack[-1][1]
    else:
        total[0] += weight
        weight = total[0]
    if weight > MAX_YAML_NODES:
        raise _over(f"YAML that expands to more than {MAX_YAML_NODES} nodes (aliases)")


def _yaml_event(ev: Any, stack: list[list[Any]], anchors: dict[str, int], total: list[int]) -> None:
    if isinstance(ev, yaml.CollectionStartEvent):
        stack.append([ev.anchor, 1])
        if len(stack) > MAX_DEPTH:
            raise _over(f"YAML nested deeper than {MAX_DEPTH} levels")
    elif isinstance(ev, yaml.CollectionEndEvent):
        anchor, weight = stack.pop()
        if anchor:
            anchors[anchor] = weight
        _add(stack, weight, total)
    elif isinstance(ev, yaml.ScalarEvent):
        if ev.anchor:
            anchors[ev.anchor] = 1
        _add(stack, 1, total)
    elif isinstance(ev, yaml.AliasEvent):
        _add(stack, anchors.get(ev.anchor or "", 1), total)


def _yaml_bounds(text: str) -> None:
    """Walk the event stream (nothing built, aliases not expanded) and count what building would make."""
    deadline = time.monotonic() + MAX_PARSE_SECONDS
    stack: list[list[Any]] = []
    anchors: dict[str, int] = {}
    total, documents = [0], 0
    for n, ev in enumerate(yaml.parse(text, Loader=_LOADER)):
        if isinstance(ev, yaml.DocumentStartEvent):
            documents += 1
            anchors.clear()  # an anchor lives in its document
            if documents > MAX_YAML_DOCUMENTS:
                raise _over(f"YAML stream of more than {MAX_YAML_DOCUMENTS} documents")
        _yaml_event(ev, stack, anchors, total)
        if n % 4096 == 0 and time.monotonic() > deadline:
            raise _over(f"YAML that takes more than {MAX_PARSE_SECONDS:g}s to read")


def load_yaml(text: str) -> list[Any]:
    """Every document of a YAML stream (``yaml.YAMLError`` when it is not YAML; ``OverBound``)."""
    check_size(text, "YAML")
    _yaml_bounds(text)
    return list(yaml.load_all(text, Loader=_LOADER))


def load_json(text: str) -> Any:
    """``json.loads`` (``ValueError`` when it is not JSON; ``OverBound`` over a bound)."""
    check_size(text, "JSON")
    _bracket_depth(text, "JSON")
    return json.loads(text)


def load_toml(text: str) -> Any:
    import tomllib

    check_size(text, "TOML")
    _bracket_depth(text, "TOML")
    return tomllib.loads(text)


def check_shell(text: str) -> None:
    """Before tree-sitter's tree is walked or shellcheck runs: size, and nesting of ``$(``, ``{``, ..."""
    check_size(text, "shell text")
    depth = 0
    code = _SHELL_INERT.sub("", text)  # a ':(' in quotes or a comment opens nothing
    for m in re.finditer(r"\$\(\(?|\$\{|[({]|\)\)?|\}", code):
        token = m.group()
        if _SHELL_OPEN.fullmatch(token):
            depth += 1
            if depth > MAX_DEPTH:
                raise _over(f"shell text nested deeper than {MAX_DEPTH} levels")
        else:
            depth = max(0, depth - 1)


def limited(argv: list[str]) -> list[str]:
    """``argv`` run with its CPU seconds and memory capped (a helper reading untrusted text).

    bash's ``ulimit`` rather than a ``preexec_fn``, so subprocess can still use vfork: a block
    costs a fork or two, and forking a large Python process is slow."""
    kib = TOOL_MEMORY_BYTES // 1024
    return ["bash", "-c", f'ulimit -t {TOOL_CPU_SECONDS} -v {kib} && exec "$@"', "tutorcheck-limited", *argv]
