"""Versions of a file across an article: a tutorial shows a file, then shows it again changed.

A later listing that repeats most lines of the version shown before is the new whole
version (even when the prose no longer names the file: "If we change our code..."); a
listing given the same name that repeats few of them and is shorter is an excerpt of it,
never written over the whole file. Only lines with content count, compared without their
indentation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from extractor.model import CodeBlock
from extractor.understand import python
from extractor.understand.files import splice

# Share of the last version's lines a listing must repeat to be a new whole version of it.
WHOLE = 0.5
# Languages a listing can be a version of a file in (fragments of these may be files).
VERSIONED = frozenset({"python", "yaml", "json", "toml", "go", "rust", "c", "cpp", "java", "javascript",
                       "typescript", "html", "css", "markdown", "ini", "makefile", "dockerfile", "hcl", "sql", "text"})


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def repeated(old: str, new: str) -> float:
    """The share of ``old``'s lines that ``new`` repeats."""
    before, after = _lines(old), set(_lines(new))
    return sum(1 for line in before if line in after) / len(before) if before else 0.0


@dataclass(frozen=True)
class Said:
    """What the prose says of a listing, beside its name: the file it is an excerpt of; that it
    gives lines to add to a file of the reader's own ("Add to the ~/.bashrc file."); that it is
    the whole file ("create the file x.md:"), whatever it repeats of an earlier version."""

    part_of: str | None = None
    adds: bool = False
    whole: bool = False
    # the file is the reader's only by the prose's word ("add this to your `conftest.py`"): once the
    # article has shown it, it is the article's file, and the lines are a change to it
    yours: bool = False


def follow(blocks: list[tuple[CodeBlock, Said]], is_excerpt: Callable[[CodeBlock], bool]) -> list[CodeBlock]:
    """The blocks with files followed across versions: whole listings that repeat the last
    version of a file become its next version; named ones that do not are excerpts, unless the
    prose says to create them. Lines added to a file of the reader's own go after the lines
    added before."""
    last: dict[str, CodeBlock] = {}
    out: list[CodeBlock] = []
    for block, said in blocks:
        part_of = said.part_of
        if part_of in last and block.kind == "fragment":
            block = _place(block, last[part_of], part_of, is_excerpt(block))
        elif block.kind == "file" and block.filename in last and said.adds and said.yours:
            name = block.filename
            kept = tuple(n for n in block.notes if not n.startswith(f"lines to add to {name},"))
            block = _place(replace(block, kind="fragment", filename=None, notes=kept), last[name], name, True)
        elif block.kind == "file" and block.filename in last and said.adds:
            prev = last[block.filename]
            note = f"added after the lines block {prev.index} gives {block.filename}"
            written = prev.content.rstrip("\n") + "\n" + block.content
            block = replace(block, written=written, notes=(*block.notes, note))
        elif block.kind == "file" and block.filename in last and not said.whole:
            prev = last[block.filename]
            if len(_lines(block.text)) < len(_lines(prev.text)) and repeated(prev.text, block.text) < WHOLE:
                note = f"an excerpt of {block.filename}: it repeats few lines of the version shown before"
                block = replace(block, kind="fragment", filename=None, notes=(*block.notes, note))
        elif block.kind == "fragment" and part_of is None and block.lang in VERSIONED and not is_excerpt(block):
            same = [p for p in last.values() if p.lang == block.lang and len(_lines(p.text)) >= 2
                    and repeated(p.text, block.text) >= WHOLE]
            owner = _redefined(block, last)
            if same:
                prev = same[-1]
                share = repeated(prev.text, block.text)
                note = f"a new version of {prev.filename}: it repeats {share:.0%} of its lines"
                block = replace(block, kind="file", filename=prev.filename, notes=(*block.notes, note))
            elif owner:
                note = f"an excerpt of {owner[0]}: it defines {', '.join(owner[1])} again, which {owner[0]} defines"
                block = _place(replace(block, notes=(*block.notes, note)), last[owner[0]], owner[0], True)
        if block.kind == "file" and block.filename:
            last.pop(block.filename, None)
            last[block.filename] = block
        out.append(block)
    return out


def _redefined(block: CodeBlock, last: dict[str, CodeBlock]) -> tuple[str, list[str]] | None:
    """The one Python file shown before whose top-level functions or classes this Python
    listing defines again (a changed ``def hello``), and those names: a change to that file."""
    tree = python.parse(block.text) if block.lang == "python" else None
    names = python.top_level(tree) if tree is not None else set()
    trees = {path: python.parse(prev.content) for path, prev in last.items() if prev.lang == "python"}
    owners = [(path, sorted(names & python.top_level(t))) for path, t in trees.items()
              if t is not None and names & python.top_level(t)]
    return owners[0] if len(owners) == 1 else None


def _place(block: CodeBlock, prev: CodeBlock, path: str, excerpt: bool) -> CodeBlock:
    """A listing of ``path`` after a whole version of it: the next whole version when it
    repeats most of it; an excerpt put in its place when it places unambiguously (the file
    written is the last version with the excerpt applied); else an excerpt left aside."""
    others = tuple(n for n in block.notes if not n.startswith(f"an excerpt of {path}:"))
    share = repeated(prev.text, block.text)
    if not excerpt and share >= WHOLE:
        note = f"the next version of {path}: it repeats {share:.0%} of its lines"
        return replace(block, kind="file", filename=path, notes=(*others, note))
    spliced = splice(prev.content, block.text)
    if spliced is None:
        note = f"cannot be placed in the version of {path} shown before, which stays as it was"
        return replace(block, notes=(*block.notes, note), excerpt_of=path)
    note = f"an excerpt of {path}, applied to the version shown before (its first and last lines place it)"
    return replace(block, kind="file", filename=path, written=spliced, notes=(*others, note))
