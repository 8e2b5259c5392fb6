"""Where each block and step of an article is in its source, for messages a reader can
follow: a file and line for Markdown/reST (an annotation on a pull request's diff), the
feed, the item and the block index for feeds and pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from extractor.docfiles.fileformats import DOC_FORMATS
from extractor.location import Location
from extractor.model import Block, CodeBlock, RawArticle, Step, Tutorial
from extractor.results import ArticleResult


def step_offsets(text: str, commands: Iterable[str]) -> list[int | None]:
    """The line (0-based, in ``text``) where each command begins, searching on from the
    previous one: the first line that holds the command's first line (after any prompt)."""
    lines = text.split("\n")
    cursor = 0
    found: list[int | None] = []
    for command in commands:
        head = next((part.strip() for part in command.split("\n") if part.strip()), "")
        at = next((n for n in range(cursor, len(lines)) if head and head in lines[n]), None)
        found.append(at)
        if at is not None:
            cursor = at + 1
    return found


def _with_lines(block: CodeBlock) -> CodeBlock:
    if block.line is None or not block.steps:
        return block
    offsets = step_offsets(block.text, (s.command for s in block.steps))
    steps: tuple[Step, ...] = tuple(replace(step, line=block.line + (at or 0))
                                    for step, at in zip(block.steps, offsets, strict=True))
    return replace(block, steps=steps)


def locate(blocks: Iterable[Block], article: RawArticle) -> tuple[Block, ...]:
    """Every code block with its ``source`` (and, in a doc file, each step with its line)."""
    in_file = article.feed_format in DOC_FORMATS
    item = article.url or article.title
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, CodeBlock):
            where = (Location(article.origin.source, line=block.line) if in_file
                     else Location(article.origin.source, item=item, block=block.index))
            block = replace(_with_lines(block) if in_file else block, source=where)
        out.append(block)
    return tuple(out)


def where_step(block: CodeBlock, step: int) -> Location | None:
    """Where step ``step`` of ``block`` is: its command's line (a check: the block's line)."""
    if block.source is None:
        return None
    line = block.steps[step].line if step < len(block.steps) else None
    return replace(block.source, line=line or block.source.line) if block.source.item is None else block.source


def with_sources(result: ArticleResult, tutorial: Tutorial) -> ArticleResult:
    """Each step's verdict with where the step is in the article's source (a step the model
    does not know, or a tutorial.json written before sources were kept, gets none)."""
    blocks = {b.index: b for b in tutorial.code_blocks}

    def source(block: int, step: int) -> dict[str, object] | None:
        where = where_step(blocks[block], step) if block in blocks else None
        return where.to_json() if where else None

    return replace(result, steps=tuple(replace(s, source=source(s.block, s.step)) for s in result.steps))
