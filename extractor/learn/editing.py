"""Editing a step before it runs: on the prompt line, prefilled (GNU readline's startup hook),
or, for a step of several lines (a heredoc, a file), in the learner's own editor."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile

EDIT_PROMPT = "  edit> "


def edit(text: str) -> str:
    """The learner's version of ``text`` ("" when they cleared it)."""
    if "\n" in text.rstrip("\n"):
        return in_editor(text)
    return on_the_line(text.rstrip("\n"))


def on_the_line(text: str) -> str:
    try:
        import readline
    except ImportError:  # no readline (Windows' Python): the learner retypes it
        print(f"  {text}")
        return input(EDIT_PROMPT)
    readline.set_startup_hook(lambda: readline.insert_text(text))
    try:
        return input(EDIT_PROMPT)
    finally:
        readline.set_startup_hook(None)


def editor() -> list[str]:
    for name in (os.environ.get("VISUAL"), os.environ.get("EDITOR")):
        if name:
            return shlex.split(name)
    found = next((e for e in ("sensible-editor", "nano", "vi") if shutil.which(e)), "vi")
    return [found]


def in_editor(text: str) -> str:
    with tempfile.TemporaryDirectory(prefix="tutorcheck-edit-") as folder:
        path = os.path.join(folder, "step.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run([*editor(), path], check=False)
        with open(path, encoding="utf-8") as f:
            return f.read()


__all__ = ["EDIT_PROMPT", "edit", "editor", "in_editor", "on_the_line"]
