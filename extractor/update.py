"""``tutorcheck check --update``: rewrite Markdown/reST sources so they say what really happens.

Two kinds of edit, both certain: the recorded output of a step that failed only because its
output differs (it ran, exit status 0, the text differs) becomes what the sandbox printed,
keeping the author's elisions and normalised tokens (:mod:`extractor.corrected`); and a
Markdown autolink left in a command (``<https://…>``) becomes the bare URL. Each file is
written atomically, and a unified diff of every change is returned for printing. Feeds and
pages are never written (the report suggests the corrected blocks instead).
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extractor.corrected import corrected_block, corrected_output, only_output_differs
from extractor.docfiles.fileformats import DOC_FORMATS
from extractor.model import CodeBlock, Tutorial
from extractor.results import ArticleResult
from extractor.writer import atomic_write


@dataclass
class Update:
    """What ``--update`` did (or would do): the diff, the files changed, notes on what was left."""

    diff: str = ""
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _indent_of(file_lines: Sequence[str], first: int, text_lines: Sequence[str]) -> str | None:
    """The indentation the block has in the file (``   `` under a reST directive), or None
    when the file no longer holds the block's text at its line."""
    indent = None
    for k, line in enumerate(text_lines):
        if first + k >= len(file_lines):
            return None
        actual = file_lines[first + k]
        if not line.strip():
            if actual.strip():
                return None
            continue
        if indent is None:
            if not actual.endswith(line):
                return None
            indent = actual[: len(actual) - len(line)]
        if actual != indent + line or indent.strip():
            return None
    return indent or ""


def _replace_block(file_lines: list[str], block: CodeBlock, new_text: str, where: str, notes: list[str]) -> bool:
    old = block.text.rstrip("\n").split("\n")
    first = (block.line or 0) - 1
    indent = _indent_of(file_lines, first, old) if block.line else None
    if indent is None:
        notes.append(f"{where}: block {block.index} is no longer at line {block.line} as extracted; left alone")
        return False
    new = [indent + line if line.strip() else "" for line in new_text.rstrip("\n").split("\n")]
    file_lines[first:first + len(old)] = new
    return True


def _shown_below(codes: Sequence[CodeBlock], block: CodeBlock, expected: str) -> CodeBlock | None:
    """The next block, when it is the step's recorded output on its own ("Its output:")."""
    later = [b for b in codes if b.index > block.index]
    nxt = min(later, key=lambda b: b.index) if later else None
    if nxt is None or nxt.text.strip("\n").rstrip() != expected.strip("\n").rstrip():
        return None
    return nxt


def _edits(tutorial: Tutorial, result: ArticleResult) -> tuple[dict[int, dict[int, str]], dict[int, str]]:
    """block index → step → the output to record in that block; and block index → the new
    whole text of a block that only shows a step's output."""
    codes = tutorial.code_blocks
    blocks = {b.index: b for b in codes}
    edits: dict[int, dict[int, str]] = {b.index: {} for b in codes}
    whole: dict[int, str] = {}
    for step in result.steps:
        block = blocks.get(step.block)
        if block is None or step.step >= len(block.steps) or not only_output_differs(step):
            continue
        output = corrected_output(step.expected_output or "", step.output)
        below = _shown_below(codes, block, step.expected_output or "")
        missing: list[str] = []  # not recorded in its own block: then in the one below it?
        corrected_block(block, {step.step: output}, "", missing)
        if below is not None and missing:
            whole[below.index] = output
        else:
            edits[step.block][step.step] = output
    return edits, whole


def _diff_names(path: Path) -> tuple[str, str]:
    return (str(path), str(path)) if path.is_absolute() else (f"a/{path}", f"b/{path}")


def update_file(tutorial: Tutorial, result: ArticleResult, *, dry_run: bool = False) -> Update:
    """Rewrite one article's source file; the diff (empty when nothing changes)."""
    path = Path(tutorial.source.feed)
    out = Update()
    data = path.read_bytes()
    raw = data.decode("utf-8-sig")
    crlf, bom = "\r\n" in raw, data.startswith(b"\xef\xbb\xbf")  # written back as the file had them
    text = raw.replace("\r\n", "\n")
    lines = text.split("\n")
    edits, whole = _edits(tutorial, result)
    for block in sorted(tutorial.code_blocks, key=lambda b: b.line or 0, reverse=True):
        new = whole.get(block.index) or corrected_block(block, edits.get(block.index, {}), str(path), out.notes)
        if new != block.text:
            _replace_block(lines, block, new, str(path), out.notes)
    new_text = "\n".join(lines)
    if new_text == text:
        return out
    out.diff = "".join(difflib.unified_diff(text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                            *_diff_names(path)))
    out.files.append(str(path))
    if not dry_run:
        written = ("\ufeff" if bom else "") + (new_text.replace("\n", "\r\n") if crlf else new_text)
        atomic_write(path, written, mode=os.stat(path).st_mode & 0o7777)
    return out


def update_sources(tutorials: Iterable[Tutorial], results: Iterable[ArticleResult], *,
                   dry_run: bool = False) -> Update:
    """``--update`` over a run: every Markdown/reST article with something to fix."""
    by_slug = {r.slug: r for r in results}
    total = Update()
    for tutorial in tutorials:
        result = by_slug.get(tutorial.slug)
        if result is None or tutorial.source.format not in DOC_FORMATS:
            continue
        done = update_file(tutorial, result, dry_run=dry_run)
        total.diff += done.diff
        total.files += done.files
        total.notes += done.notes
    return total
