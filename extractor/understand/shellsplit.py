"""Where a shell command ends, and what it runs — with tree-sitter-bash, a real shell grammar.

A command continues onto the next line while the text so far *wants more*: a trailing
backslash, an open quote, an unterminated heredoc, a dangling ``|``/``&&``, an open
``if``/``for``/``$(``. A syntax error that more lines cannot fix (``<https://x>``) ends it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import tree_sitter
import tree_sitter_bash

from extractor import bounds

_OPENERS = ("'", '"', "$'", '$"', "`", "<<", "$(", "(", "{", "[[")
_COMMENT = re.compile(r"^\s*#")
_COMPOUND = re.compile(r"^(for|if|while|until|case|select|function)\b|\b(do|then|else)\s*$")


@lru_cache(maxsize=1)
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_bash.language()))


@lru_cache(maxsize=256)  # a step is parsed by several rules in a row; keep memory bounded
def parse(text: str) -> tree_sitter.Tree:
    bounds.check_shell(text)  # the tree is walked in Python: its depth and size are bounded first
    return _parser().parse(text.encode())


def _problems(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    found = []
    stack = [node]
    while stack:
        n = stack.pop()
        if n.type == "ERROR" or n.is_missing:
            found.append(n)
        stack.extend(n.children)
    return found


def masked(text: str) -> str:
    """``text`` with each ``<placeholder>`` a plain word of the same length (``_your-token_``):
    the reader replaces it with a value, so the shell never sees the angle brackets."""
    from extractor.understand.placeholders import ANGLED, SHELL_ANGLED

    def word(m: re.Match[str]) -> str:
        return "_" + m.group(0)[1:-1] + "_"

    return SHELL_ANGLED.sub(word, ANGLED.sub(word, text))


# An extended glob (``!(*.txt)``, ``@(a|b)``): bash parses it once ``shopt -s extglob`` ran (a
# step before may have), the grammar never does; it is checked as a plain word of its length
_EXTGLOB = re.compile(r"(?<![\w$\\)])[?*+@!]\([^()\s]*\)")


def has_error(text: str) -> bool:
    return parse(_EXTGLOB.sub(lambda m: "_" * len(m.group(0)), masked(text))).root_node.has_error


def wants_more(text: str) -> bool:
    """True when appending lines could complete ``text`` (it is cut, not wrong)."""
    if text.rstrip(" \t").endswith("\\") and not text.rstrip(" \t").endswith("\\\\"):
        return True
    for node in _problems(parse(masked(text)).root_node):
        if node.is_missing:
            return True
        snippet = (node.text or b"").decode(errors="replace").strip()
        if snippet.startswith(_OPENERS) or "<<" in snippet or _COMPOUND.search(snippet):
            return True
    return False


@dataclass(frozen=True)
class Span:
    """Lines ``start``..``end`` (exclusive) of a block hold one command; ``complete`` unless cut."""

    start: int
    end: int
    complete: bool


_HEREDOC = re.compile(r"<<-?\s*['\"]?([\w.-]+)['\"]?")
_CLOSERS = re.compile(r"['\"`)}\]]|\b(done|fi|esac)\b|[|&\\]\s*$")
_JOINERS = re.compile(r"(\\|\||&&)\s*$")  # the next line always continues the command


def _may_close(line: str, delimiters: set[str]) -> bool:
    """Could this line end an open construct? (Lines that cannot are skipped unparsed.)"""
    return line.strip() in delimiters or bool(_CLOSERS.search(line)) or line.rstrip().endswith("\\")


def extend(lines: list[str], start: int, stop: int) -> Span:
    """The command beginning at ``lines[start]`` (prompt already removed), not past ``stop``."""
    end = start + 1
    delimiters = set(_HEREDOC.findall(lines[start]))
    while end < stop and wants_more("\n".join(lines[start:end])):
        joined = bool(_JOINERS.search(lines[end - 1]))
        end += 1
        while end < stop and not joined and not _may_close(lines[end - 1], delimiters):
            end += 1
        delimiters |= set(_HEREDOC.findall(lines[end - 1]))
    complete = not wants_more("\n".join(lines[start:end]))
    return Span(start, end, complete)


def split_commands(lines: list[str]) -> list[Span]:
    """Commands of a prompt-less block; blank and comment lines between them are skipped."""
    spans: list[Span] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip() or _COMMENT.match(lines[i]):
            i += 1
            continue
        span = extend(lines, i, len(lines))
        spans.append(span)
        i = span.end
    return spans


def strip_ps2(lines: list[str]) -> list[str]:
    """``> `` continuation prompts (PS2) removed, when every continuation line carries one."""
    rest = lines[1:]
    if rest and all(line.startswith(">") for line in rest):
        return [lines[0]] + [line[2:] if line.startswith("> ") else line[1:] for line in rest]
    return lines


@dataclass(frozen=True)
class Invocation:
    """One simple command inside a command line: the program and its words."""

    name: str
    args: tuple[str, ...]


def _word(node: tree_sitter.Node) -> str:
    text = (node.text or b"").decode(errors="replace")
    if node.type == "raw_string" and len(text) >= 2:
        return text[1:-1]
    if node.type == "string" and len(text) >= 2:
        return text[1:-1]
    return text


def invocations(text: str) -> list[Invocation]:
    """Every simple command ``text`` runs, in source order (pipelines, lists, ``$()`` included)."""
    found: list[tuple[int, Invocation]] = []
    stack = [parse(text).root_node]
    while stack:
        node = stack.pop()
        if node.type == "command":
            name_node = node.child_by_field_name("name")
            if name_node is not None:
                args = tuple(_word(c) for c in node.children_by_field_name("argument"))
                found.append((node.start_byte, Invocation(_word(name_node), args)))
        stack.extend(node.children)
    return [inv for _, inv in sorted(found, key=lambda pair: pair[0])]


def assigned_variables(text: str) -> set[str]:
    """Variables a command line sets (``X=1``, ``export X=...``, ``read X``, ``for X in``)."""
    names: set[str] = set()
    stack = [parse(text).root_node]
    while stack:
        node = stack.pop()
        if node.type == "variable_assignment":
            name = node.child_by_field_name("name")
            if name is not None and name.text:
                names.add(name.text.decode())
        if node.type == "for_statement":
            var = node.child_by_field_name("variable")
            if var is not None and var.text:
                names.add(var.text.decode())
        stack.extend(node.children)
    for inv in invocations(text):
        if inv.name == "read":
            names.update(a for a in inv.args if re.fullmatch(r"[A-Za-z_]\w*", a))
    return names


def used_variables(text: str) -> list[str]:
    """Variables a command line expands (``$X``, ``${X}``), in order, outside single quotes."""
    names: list[str] = []
    stack = [parse(text).root_node]
    while stack:
        node = stack.pop()
        if node.type in ("simple_expansion", "expansion"):
            for child in node.children:
                if child.type == "variable_name" and child.text:
                    names.append(child.text.decode())
                    break
        if node.type != "raw_string":
            stack.extend(node.children)
    return names
