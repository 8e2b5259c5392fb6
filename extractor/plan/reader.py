"""A step as a reader runs it when it asks for more than the command: the answers the article
shows typed at its prompts, or the text written in the editor it opens.

Both are shell around the step, built from what understand/ stored on it (``Step.answers``,
``Step.edits``, ``Facts.editor``), for every place that runs shell (check, check.sh, the
notebook's shell, ``tutorcheck step``). Article text reaches the shell through the one quoting
module.
"""

from __future__ import annotations

from extractor.model import Step
from extractor.quoting import sh_word

# git's "Waiting for your editor to close the file..." is erased by a reader's terminal once the
# editor closes; an editor that closes at once never lets a reader see it
_EDITOR_VARS = "GIT_EDITOR EDITOR VISUAL GIT_SEQUENCE_EDITOR GIT_CONFIG_COUNT GIT_CONFIG_KEY_0 GIT_CONFIG_VALUE_0"
_NO_WAIT_HINT = "GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=advice.waitingForEditor GIT_CONFIG_VALUE_0=false"


def with_answers(step: Step) -> tuple[str, str | None, str]:
    """A shell step whose prompts the article shows answered: the answers on its stdin. Read
    from a pipe, ``read -p`` shows no prompt and nothing is echoed, so the lines the terminal
    showed for them leave the expected output. (source, expected output, note)"""
    feed = " ".join(sh_word(a) for a in step.answers)
    want = None if step.expected_output is None else _without(step.expected_output, step.echoed)
    note = f"answered {', '.join(map(repr, step.answers))} on stdin, as the article shows"
    return f"{{ {step.command}\n}} < <(printf '%s\\n' {feed})", want, note


def _without(want: str, lines: tuple[str, ...]) -> str:
    """``want`` without the lines a terminal echoed (each removed once)."""
    out = want.split("\n")
    for line in lines:
        if line in out:
            out.remove(line)
    return "\n".join(out)


def with_editor(step: Step, source: str) -> tuple[str, str]:
    """A step that opens an editor, given a non-interactive one for its duration: it writes the
    text the article shows (a commit message) or saves the file as it is. An editor program
    named in the command (``nano notes.txt``) is a shell function for that step. (source, note)"""
    program = step.facts.editor
    text = step.edits or ""
    editor = f"sh -c 'printf \"%s\\n\" \"$0\" >\"$1\"' {sh_word(text)}" if text else ":"
    q = sh_word(editor)
    shim_name = program if program.isidentifier() else ""
    shim = f"{shim_name}() {{ :; }}\n" if shim_name else ""
    unshim = f"; unset -f {shim_name}" if shim_name else ""
    wrapped = (f"export GIT_EDITOR={q} EDITOR={q} VISUAL={q} GIT_SEQUENCE_EDITOR=: {_NO_WAIT_HINT}\n{shim}"
               f"{{ {source}\n}}\n__tc_rc=$?; unset {_EDITOR_VARS}{unshim}; (exit $__tc_rc)")
    what = f"wrote {text!r}" if text else "saved the file unchanged"
    return wrapped, f"edited non-interactively: {program or 'the editor'} {what}"


__all__ = ["with_answers", "with_editor"]
