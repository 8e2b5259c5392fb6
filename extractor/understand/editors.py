"""Commands that open an editor, and what the reader writes in it.

``git commit`` without ``-m``, ``git tag -a`` without ``-m``, ``git rebase -i``, ``crontab -e``,
``kubectl edit``, ``$EDITOR file``, ``nano file``: a reader types in an editor, then saves and
quits. The sandbox gives them a non-interactive editor instead. What the reader wrote is taken
from the article: a commit's message from the ``git log`` output the article shows later (the
newest commit is the first line; the commits between count back from it), else a stated
placeholder (:data:`PLACEHOLDER_MESSAGE`). Any other editor saves the file as it is. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.understand import shellsplit

PLACEHOLDER_MESSAGE = "Commit message written by tutorcheck (the article does not show it)"
EDITORS = frozenset({"vi", "vim", "nvim", "nano", "emacs", "pico", "micro", "ed", "joe", "mcedit", "editor",
                     "$EDITOR", "${EDITOR}", "$VISUAL", "${VISUAL}", "sensible-editor"})
# (program, subcommand) → the flags that give the text without an editor
_GIT_MESSAGE_FLAGS = frozenset({"-m", "--message", "-F", "--file", "-C", "--reuse-message", "--no-edit",
                                "--fixup", "--squash"})
_ONELINE = re.compile(r"^(?:\*\s+)?[0-9a-f]{7,40}\s+(?:\([^)]*\)\s+)?(.+)$")


@dataclass(frozen=True)
class Opens:
    """An editor a command opens: ``message`` True when the text written is a commit/tag
    message (from the article or the placeholder), False when the file is saved as it is."""

    program: str
    message: bool


def _git(args: tuple[str, ...]) -> Opens | None:
    sub = next((a for a in args if not a.startswith("-")), "")
    flags = {a.split("=", 1)[0] for a in args if a.startswith("-")}
    # a cluster of short flags ("-am", "-sm") gives the message with its last letters
    flags |= {f"-{c}" for a in args if re.match(r"^-[a-zA-Z]{2,}", a) for c in a[1:]}
    if sub == "commit" and not flags & _GIT_MESSAGE_FLAGS:
        return Opens("git commit", True)
    if sub == "tag" and flags & {"-a", "-s", "--annotate", "--sign"} and not flags & _GIT_MESSAGE_FLAGS:
        return Opens("git tag", True)
    if sub == "rebase" and flags & {"-i", "--interactive"}:
        return Opens("git rebase -i", False)
    return None


def opens_editor(command: str) -> Opens | None:
    """The first editor ``command`` opens, or None."""
    for inv in shellsplit.invocations(command):
        name, args = inv.name, inv.args
        if name == "sudo" and args:
            name, args = args[0], args[1:]
        if name == "git":
            found = _git(args)
            if found:
                return found
        elif name == "crontab" and "-e" in args:
            return Opens("crontab -e", False)
        elif name == "kubectl" and args[:1] == ("edit",):
            return Opens("kubectl edit", False)
        elif name in EDITORS and args:
            return Opens(name, False)
    return None


def commit_messages(log_output: str) -> list[str]:
    """Messages of ``git log --oneline`` output (or full ``git log``), newest first."""
    lines = log_output.split("\n")
    oneline = [m.group(1).strip() for line in lines if (m := _ONELINE.match(line.strip()))]
    if oneline and not any(line.startswith("commit ") for line in lines):
        return oneline
    found: list[str] = []
    in_commit = False
    for line in lines:
        if line.startswith("commit "):
            in_commit = True
        elif in_commit and line.startswith("    ") and line.strip():
            found.append(line.strip())
            in_commit = False
    return found


def message_for(later: list[tuple[str, str | None]]) -> str | None:
    """The message of a commit, from the first later ``git log`` whose output the article shows.
    ``later``: (command, recorded output) of the steps after the commit. Each commit made in
    between moves this one a line further down the log (newest first)."""
    between = 0
    for command, output in later:
        calls = [inv for inv in shellsplit.invocations(command) if inv.name == "git"]
        if any(inv.args[:1] == ("log",) for inv in calls) and output:
            messages = commit_messages(output)
            return messages[between] if between < len(messages) else None
        between += sum(1 for inv in calls if inv.args[:1] == ("commit",))
    return None


def edits(steps: list[tuple[str, str | None]], i: int) -> str | None:
    """What the reader writes in the editor step ``i`` opens (None: it opens none; "": the
    file is saved as it is), ``steps`` being the article's (command, output) in order."""
    opens = opens_editor(steps[i][0])
    if opens is None:
        return None
    if not opens.message:
        return ""
    return message_for(steps[i + 1:]) or PLACEHOLDER_MESSAGE
