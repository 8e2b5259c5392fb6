"""The recorded output an article should show, given what it shows and what the sandbox
printed: the printed lines, except that the author's elisions (``...``) and lines that match
only after normalisation (an age, a generated name, a timestamp) are kept as written."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from extractor.locate import step_offsets
from extractor.matching import MISMATCH, compare, normalize, structural_lines
from extractor.model import CodeBlock
from extractor.results import StepResult
from extractor.vocab import StepStatus

_ELLIPSES = frozenset({"...", "…", "[...]", "(...)"})


def only_output_differs(step: StepResult) -> bool:
    """Failed, and only because the text differs: it ran to exit status 0, untruncated (and the
    recording is text, not a regular expression its author wrote: ``output=regex``)."""
    return (step.status == StepStatus.FAILED and step.match == MISMATCH and step.exit_code == 0
            and step.expected_output is not None and not step.truncated and step.match_rule != "regex")


def _merge_chunk(expected: list[str], actual: list[str]) -> list[str]:
    """A differing stretch: the printed lines, but an elision of the author's stays, standing
    for the printed lines between those the lines around it are replaced by."""
    marks = [k for k, line in enumerate(expected) if line.strip() in _ELLIPSES]
    if not marks:
        return actual
    before, after = marks[0], len(expected) - marks[-1] - 1
    if len(actual) < before + after:
        return actual
    return [*actual[:before], expected[marks[0]], *actual[len(actual) - after:]]


def corrected_output(expected: str, actual: str) -> str:
    """What to record instead of ``expected`` so the step matches ``actual``, keeping as much
    of the author's text as still matches; the plain output when no merge of the two does."""
    exp_raw, act_raw = structural_lines(expected), structural_lines(actual)
    exp, act = normalize(expected), normalize(actual)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, exp, act, autojunk=False).get_opcodes():
        if tag == "equal":
            out += exp_raw[i1:i2]
            continue
        out += _merge_chunk(exp_raw[i1:i2], act_raw[j1:j2])
    text = "\n".join(out) + "\n" if out else ""
    if not compare(text, actual).ok:
        return "\n".join(act_raw) + "\n" if act_raw else ""
    return text


def corrected_block(block: CodeBlock, outputs: Mapping[int, str], where: str, notes: list[str]) -> str:
    """The block's text with each step's recorded output replaced by ``outputs[step]`` and
    Markdown autolinks in its commands fixed; a step whose output is not found as recorded
    (it lives in another block) is left, with a note naming ``where``."""
    from extractor.understand.defects import unlinked

    lines = block.text.split("\n")
    offsets = step_offsets(block.text, (s.command for s in block.steps))
    for step, at in zip(block.steps, offsets, strict=True):  # line counts stay: do these first
        if at is not None and step.lang == "shell":
            for k in range(at, min(len(lines), at + len(step.command.split("\n")))):
                lines[k] = unlinked(lines[k])
    for n in sorted(outputs, reverse=True):  # bottom up: earlier offsets stay valid
        step, at = block.steps[n], offsets[n]
        old = (step.expected_output or "").rstrip("\n").split("\n")
        start = (at or 0) + len(step.command.rstrip("\n").split("\n"))
        if at is None or [line.rstrip() for line in lines[start:start + len(old)]] != [o.rstrip() for o in old]:
            notes.append(f"{where}: block {block.index}, step {n}: recorded output not found as written; left alone")
            continue
        lines[start:start + len(old)] = outputs[n].rstrip("\n").split("\n") if outputs[n] else []
    return "\n".join(lines)
