"""Which block is a command's recorded output: an output block after the block that runs the
command, when the page presents it so; a Windows twin of the command between them (in a tab, or
introduced for Windows readers) is the command's alternative, not its owner; "another response
could be this" adds an output either of which may come back."""

from __future__ import annotations

import re
from dataclasses import replace

from extractor.matching import ALTERNATIVE_MARK
from extractor.understand.block import Context, Understood
from extractor.understand.prompts import windows_shell
from extractor.understand.prose import introduces_output

# Blocks that show something rather than run it: program output, or plain text (a listing, a tree).
SHOWN_KINDS = frozenset({"output", "text"})


def attach_outputs(firsts: list[Understood | None], contexts: list[Context]) -> list[Understood | None]:
    """An output block right after a block that runs something becomes the expected output of
    that block's last step, if it has none, when the page presents it so: the prose between
    introduces it ("Its output:"), the block's class says it is output (``language-output``,
    ``highlight-console-output``), or there is no prose between (the two blocks are adjacent)."""
    out = list(firsts)
    for n in range(1, len(out)):
        k = n - 1  # a Windows twin of the command (its tab, its prompt) sits between: skip it
        while k > 0 and (twin := out[k]) is not None and _windows_twin(twin) and (
                _tab_label(contexts[k].before) or _for_windows(contexts[k].before) and _posix_runs(out[k - 1])):
            k -= 1
        alternative = _offers_alternative(contexts[n].before)
        while alternative and k > 0 and (shown := out[k]) is not None and shown.block.kind in SHOWN_KINDS:
            k -= 1  # "another response could be this": of the command before the first response
        prev, cur = out[k], out[n]
        if not (prev and cur and cur.block.kind in SHOWN_KINDS and prev.block.steps) or prev.block.kind in SHOWN_KINDS:
            continue
        last = prev.block.steps[-1]
        before = contexts[n].before
        text = "\n".join(line.rstrip() for line in cur.block.text.strip("\n").split("\n")) + "\n"
        if last.expected_output is None and (not before.strip() or introduces_output(before) or _labelled_output(cur)):
            expected = text
        elif last.expected_output is not None and alternative:
            expected = last.expected_output + ALTERNATIVE_MARK + text  # either may come back
        else:
            continue
        steps = (*prev.block.steps[:-1], replace(last, expected_output=expected))
        out[k] = replace(prev, block=replace(prev.block, steps=steps))
    return out


# "Another response could be this:", "Alternatively, you may see:", "or it might print:".
_ALTERNATIVE = re.compile(
    r"\b(?:another|alternatively|other possible|instead|or (?:it |you )?(?:might|may|could|can))\b", re.IGNORECASE)


def _offers_alternative(before: str) -> bool:
    """Does the prose present the next output as another possible outcome of the same step?"""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", before) if s.strip()]
    return bool(sentences) and bool(_ALTERNATIVE.search(sentences[-1])) and introduces_output(sentences[-1])


def _tab_label(prose: str) -> bool:
    """Prose between two blocks that is at most a tab's label ("Windows", "PowerShell")."""
    text = prose.strip()
    return len(text) <= 40 and not re.search(r"[.:!?]$", text)


_WINDOWS_LABELS = frozenset({"powershell", "ps1", "pwsh", "posh", "cmd", "bat", "batch", "doscon"})


def _windows_twin(u: Understood) -> bool:
    """A block for Windows readers (a PowerShell/cmd prompt or label): an alternative of the
    POSIX block beside it, never its output."""
    return windows_shell(u.block.prompt) is not None or (u.block.label or "").lower() in _WINDOWS_LABELS


# "On Windows:", "Windows users run", "In PowerShell, type:", "From the Command Prompt:"
_FOR_WINDOWS = re.compile(r"\b(?:windows|powershell|pwsh|cmd(?:\.exe)?|command prompt)\b", re.IGNORECASE)


def _for_windows(prose: str) -> bool:
    """Prose that introduces the next block as the one for Windows readers (a short last sentence
    naming Windows or its shells)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n+", prose) if s.strip()]
    return bool(sentences) and len(sentences[-1]) <= 80 and bool(_FOR_WINDOWS.search(sentences[-1]))


def _posix_runs(u: Understood | None) -> bool:
    """A block of POSIX commands: what a Windows block right after it is the twin of."""
    return u is not None and bool(u.block.steps) and not _windows_twin(u) and u.block.kind in ("session", "commands")


# Classes a generator gives a block of what a command printed.
OUTPUT_LABELS = frozenset({"output", "console-output", "shell-output", "terminal-output", "stdout", "text-output"})


def _labelled_output(u: Understood) -> bool:
    """The block's class says it is a command's output (the page presents it so)."""
    return (u.block.label or "").lower() in OUTPUT_LABELS
