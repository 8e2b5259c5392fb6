"""Mistakes in a published snippet that a careful reader would flag."""

from __future__ import annotations

import re

from extractor.model import Step
from extractor.understand import shellsplit
from extractor.understand.classify import label_lang
from extractor.understand.consoles import CONSOLES
from extractor.understand.tables import NEUTRAL_LABELS

_AUTOLINK = re.compile(r"<(https?://[^<>\s]+)>")
_KIND_WORDS = {"session": "a shell session", "commands": "shell commands", "output": "program output",
               "text": "plain text", "file": "a file", "fragment": "a fragment"}


def unlinked(command: str) -> str:
    """The command with every Markdown autolink ``<https://…>`` put back as the bare URL (the
    mechanical fix ``check --update`` applies)."""
    return _AUTOLINK.sub(r"\1", command)


def autolinks(steps: tuple[Step, ...]) -> list[str]:
    found = []
    for step in steps:
        if step.lang != "shell":
            continue
        for m in _AUTOLINK.finditer(step.command):
            fixed = step.command.replace(m.group(0), m.group(1))
            found.append(
                f"'{m.group(0)}' is a Markdown autolink left in the command: bash reads '<' as a redirection "
                f"from a file named '{m.group(1)}>'; the intended command is '{fixed}'"
            )
    return found


# What consoles' statements are written in (see consoles.py).
_CONSOLE_LANGS = frozenset(c.language for c in CONSOLES)


def lying_label(label: str | None, lang: str, kind: str, shape: str) -> list[str]:
    claimed = label_lang(label)
    if not label or claimed is None or label.lower() in NEUTRAL_LABELS or claimed == lang:
        return []
    if kind == "output" and claimed == "shell":
        return []  # output shown in a shell-labelled block is a convention, not a lie
    if claimed == "yaml" and lang == "json":
        return []  # JSON is YAML too
    if claimed == "shell" and kind == "session" and lang in _CONSOLE_LANGS:
        return []  # a psql/redis-cli/irb/node transcript in a terminal block: the label is the terminal's
    if claimed == "markdown":
        return []  # Markdown holds tables, code and HTML: whatever a listing of it shows is still Markdown
    if lang == "template":
        return []  # a template is written in its host's label (a Go template as go, Jinja as html)
    what = f"a {shape}" if kind == "text" and shape else _KIND_WORDS.get(kind, kind)
    return [f"labelled '{label}' but it is {what} ({lang}), not {claimed}"]


def set_aside(label: str | None, lang: str, kind: str, why: str) -> list[str]:
    """What the reading went by when it set the block's label aside and the page is not at fault
    (output in a terminal block, a template in its host's label): the evidence, as a note."""
    claimed = label_lang(label)
    if not label or claimed is None or label.lower() in NEUTRAL_LABELS or claimed == lang or not why:
        return []
    if lying_label(label, lang, kind, why):
        return []  # the defect says it
    return [f"labelled '{label}', read as {_KIND_WORDS.get(kind, kind)} ({lang}): {why}"]


def cut_commands(steps: tuple[Step, ...], complete: tuple[bool, ...]) -> list[str]:
    found = []
    for n, (step, ok) in enumerate(zip(steps, complete, strict=False)):
        if step.lang != "shell":
            continue
        if not ok:
            found.append(f"command {n + 1} is cut off (an open quote, heredoc, backslash or pipe is never "
                         f"closed), so it cannot run as printed: {step.command.splitlines()[0][:80]!r}")
        elif shellsplit.has_error(step.command) and not _AUTOLINK.search(step.command):
            found.append(f"command {n + 1} is not valid shell syntax: {step.command.splitlines()[0][:80]!r}")
    return found


# Characters a blog's typography puts into commands, where the shell needs plain ASCII.
TYPOGRAPHY: tuple[tuple[re.Pattern[str], str], ...] = (
    # used as quotes (at a word's start, in a command with no ASCII quotes), not inside a string
    (re.compile("^[^\"']*(?:^|[\\s=])[\u201c\u201e][^\"']*$"), "a typographic double quote (the shell needs \")"),
    (re.compile("^[^\"']*(?:^|[\\s=])\u2018[^\"']*$"), "a typographic single quote (the shell needs ')"),
    (re.compile("(?:^|\\s)[\u2013\u2014]+-*\\w"), "an en/em dash where an option's '-' or '--' belongs"),
    (re.compile("\u00a0"), "a non-breaking space (the shell does not split words on it)"),
)


def typography(steps: tuple[Step, ...]) -> list[str]:
    found = []
    for n, step in enumerate(steps):
        if step.lang == "shell":
            found += [f"command {n + 1} contains {what}: {step.command.splitlines()[0][:80]!r}"
                      for pattern, what in TYPOGRAPHY if pattern.search(step.command)]
    return found


def broken_continuations(text: str) -> list[str]:
    """A backslash followed by blanks does not continue the line (a copy-paste trap)."""
    return [f"line {n}: a backslash followed by spaces does not continue the command"
            for n, line in enumerate(text.split("\n"), 1) if re.search(r"\\[ \t]+$", line)]
