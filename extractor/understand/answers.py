"""What the reader typed at a step's prompts, as the transcript shows it.

``>>> name = input("Your name: ")`` followed by ``Your name: Ada`` shows the reader typing
``Ada``; ``$ read -p "Name: " name`` followed by ``Name: Ada`` likewise. A terminal echoes what
is typed after the prompt, so the answer is the rest of the line that starts with the prompt
(for a prompt-less ``input()`` or ``read``, the first line of the output).

``asks`` tells whether a step reads from the reader at all; a step that asks and whose answer
the article does not show cannot run unattended (the ``interactive`` need). Pure, no I/O.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from extractor.understand import shellsplit
from extractor.vocab import NeedKind

INTERACTIVE = NeedKind.INTERACTIVE.value
_READ_VALUE_FLAGS = frozenset({"-a", "-d", "-i", "-n", "-N", "-t", "-u"})
# Programs that ask the reader questions of their own (a wizard) unless an option says not to:
# their answers cannot be told apart in a transcript, so without that option they are interactive.
PROMPTING: dict[str, frozenset[str]] = {
    "sphinx-quickstart": frozenset({"-q", "--quiet"}), "dh_make": frozenset({"-y", "--yes"}),
    "mkdocs-quickstart": frozenset(), "passwd": frozenset(), "adduser": frozenset({"--disabled-password"}),
    "certbot": frozenset({"-n", "--non-interactive"}), "ssh-keygen": frozenset({"-N"}),
}


@dataclass(frozen=True)
class Asked:
    """The prompts a step shows the reader (``""``: no prompt text), in order; ``silent``
    when what is typed is not echoed (``read -s``, ``getpass``), so no transcript shows it."""

    prompts: tuple[str, ...] = ()
    silent: bool = False

    @property
    def asks(self) -> bool:
        return bool(self.prompts) or self.silent


def python_asked(source: str) -> Asked:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return Asked()
    prompts: list[str] = []
    silent = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name == "input":
            arg = node.args[0] if node.args else None
            prompts.append(arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else "")
        elif name == "getpass":
            silent = True
    return Asked(tuple(prompts), silent)


def shell_asked(command: str) -> Asked:
    prompts: list[str] = []
    silent = False
    for inv in shellsplit.invocations(command):
        if inv.name in PROMPTING and not PROMPTING[inv.name] & {a.split("=", 1)[0] for a in inv.args}:
            silent = True  # its own questions: no transcript line is known to be an answer
        if inv.name != "read":
            continue
        args, prompt = list(inv.args), ""
        while args and args[0].startswith("-"):
            flag = args.pop(0)
            if flag == "-p" and args:
                prompt = args.pop(0)
            elif flag.startswith("-p") and len(flag) > 2:
                prompt = flag[2:]
            elif "s" in flag[1:] and flag != "--":
                silent = True
            elif flag in _READ_VALUE_FLAGS and args:
                args.pop(0)
        prompts.append(prompt)
    return Asked(tuple(prompts), silent)


def answers(asked: Asked, want: str | None) -> tuple[str, ...] | None:
    """The answers the output shows, one per prompt, in order; None when a prompt's answer is
    not shown (or the input is not echoed): the step is interactive."""
    if asked.silent or want is None:
        return None if asked.asks else ()
    lines = want.split("\n")
    found: list[str] = []
    at = 0
    for prompt in asked.prompts:
        k = next((i for i in range(at, len(lines)) if prompt and lines[i].startswith(prompt)), None)
        if k is None and not prompt and at < len(lines) and lines[at].strip():
            k = at
        if k is None:
            return None
        found.append(lines[k][len(prompt):])
        at = k + 1
    return tuple(found)


def typed_lines(asked: Asked, found: tuple[str, ...]) -> tuple[str, ...]:
    """The output lines a terminal shows for the prompts and what was typed after them."""
    return tuple(p + a for p, a in zip(asked.prompts, found, strict=False))


def without_typed(want: str, lines: tuple[str, ...]) -> str:
    """``want`` without the lines a terminal echoed (each removed once, in order): what a
    command reading its answers from a pipe prints (``read -p`` shows no prompt there)."""
    out = want.split("\n")
    for line in lines:
        if line in out:
            out.remove(line)
    return "\n".join(out)
