"""The extract pipeline: sources → raw articles → blocks → tutorials → files on disk.

Each article is understood, rendered and written as soon as it is ready, so a failure
later in the run loses nothing already written.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from extractor.errors import ExtractorError
from extractor.feeds import Loaded, load_sources
from extractor.html import html_to_blocks
from extractor.merge import assign_slugs, group_copies, to_tutorial
from extractor.model import Block, CodeBlock, Tutorial
from extractor.understand import summarize
from extractor.writer import atomic_write, write_json

# A block larger than this is kept verbatim but not analysed (a 10 MB log is not a tutorial step).
MAX_BLOCK_CHARS = 256 * 1024
INDEX_SCHEMA = 1


@dataclass
class Extraction:
    tutorials: Iterator[Tutorial]
    loaded: Loaded


def _cap_oversized(blocks: list[Block], where: str, notes: list[str]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, CodeBlock) and len(block.text) > MAX_BLOCK_CHARS:
            notes.append(
                f"{where} › block {block.index}: code block is {len(block.text)} characters "
                f"(limit {MAX_BLOCK_CHARS}); kept as text, not analysed"
            )
            block = replace(block, kind="text", lang="text", defects=(
                f"block too large to analyse ({len(block.text)} characters)",
            ))
        out.append(block)
    return out


def _understand(blocks: list[Block], source: str, title: str) -> tuple[Block, ...]:
    from extractor.understand import understand_blocks

    oversized = [b for b in blocks if isinstance(b, CodeBlock) and b.defects]
    understood = understand_blocks(tuple(blocks), source, title)
    # Oversized blocks stay as they were: never analysed.
    keep = {b.index: b for b in oversized}
    return tuple(keep.get(b.index, b) if isinstance(b, CodeBlock) else b for b in understood)


def extract(sources: list[str]) -> Extraction:
    """Read every source, then yield one understood tutorial at a time.

    Errors of bad sources and items are collected in ``loaded.errors`` as they happen.
    """
    loaded = load_sources(sources)

    def generate() -> Iterator[Tutorial]:
        for slug, group in assign_slugs(group_copies(loaded.articles)):
            primary = group.primary
            where = str(primary.origin)
            try:
                blocks = _cap_oversized(html_to_blocks(primary.html, primary.origin, primary.url), where, loaded.notes)
                yield to_tutorial(slug, group, list(_understand(blocks, primary.origin.source, primary.title)))
            except ExtractorError as e:
                loaded.errors.append(e)

    return Extraction(tutorials=generate(), loaded=loaded)


def load_tutorials(sources: list[str] | list[Path]) -> tuple[list[Tutorial], list[ExtractorError]]:
    """All tutorials of the sources, and the errors met on the way (for check, tests, tools)."""
    extraction = extract([str(s) for s in sources])
    tutorials = list(extraction.tutorials)
    return tutorials, extraction.loaded.errors


def write_tutorial(out_dir: Path, tutorial: Tutorial) -> None:
    """tutorial.json, the notebook pair, check.sh and the Dockerfile of one article."""
    from extractor.notebook import render_notebook
    from extractor.sandbox.checkscript import render_check_sh, render_dockerfile

    folder = out_dir / tutorial.slug
    write_json(folder / "tutorial.json", tutorial.to_json())
    ipynb, md = render_notebook(tutorial)
    atomic_write(folder / f"{tutorial.slug}.ipynb", ipynb)
    atomic_write(folder / f"{tutorial.slug}.md", md)
    atomic_write(folder / "check.sh", render_check_sh(tutorial), mode=0o755)
    atomic_write(folder / "Dockerfile", render_dockerfile(tutorial))


def index_entry(tutorial: Tutorial) -> dict[str, object]:
    return {
        "slug": tutorial.slug,
        "title": tutorial.title,
        "url": tutorial.url,
        "blocks": len(tutorial.code_blocks),
        "steps": tutorial.step_count,
    }


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    """Drop article folders of an earlier run that this run no longer produces."""
    if not (out_dir / "index.json").exists():
        return
    for child in sorted(out_dir.iterdir()):
        if child.is_dir() and child.name not in keep and (child / "tutorial.json").exists():
            shutil.rmtree(child)


def extract_command(sources: list[str], out_dir: Path) -> int:
    """``tutorcheck extract``: exit 0, or 2 when some source or item could not be read."""
    extraction = extract(sources)
    index: list[dict[str, object]] = []
    for tutorial in extraction.tutorials:
        write_tutorial(out_dir, tutorial)
        index.append(index_entry(tutorial))
        print(summarize(tutorial).text(), flush=True)
    for note in extraction.loaded.notes:
        print(f"tutorcheck: note: {note}", file=sys.stderr)
    for error in extraction.loaded.errors:
        print(f"tutorcheck: error: {error}", file=sys.stderr)
    if index or not extraction.loaded.errors:
        _remove_stale(out_dir, {str(e["slug"]) for e in index})
        write_json(out_dir / "index.json", {"schema": INDEX_SCHEMA, "articles": index})
    print(f"{len(index)} articles → {out_dir}", file=sys.stderr)
    return 2 if extraction.loaded.errors else 0
