"""The extract pipeline: sources → raw articles → blocks → tutorials → files on disk.

Reading and merging the feeds is one pass in this process; each article is then built
(split, understood, rendered) and written on its own, in worker processes when there are
enough articles to pay for them, so a failure later in the run loses nothing written.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractor.bounds import MAX_PARSE_CHARS
from extractor.display import terminal
from extractor.errors import ExtractorError, ItemError, SourceError
from extractor.feeds import Loaded, iter_sources
from extractor.html import html_to_blocks
from extractor.locate import locate
from extractor.merge import Group, assign_slugs, group_copies, to_tutorial
from extractor.model import Block, CodeBlock, RawArticle, Tutorial
from extractor.understand.pins import pins
from extractor.writer import atomic_write, ensure_writable, write_json

# A block larger than this is kept verbatim but not analysed (a 10 MB log is not a tutorial step).
MAX_BLOCK_CHARS = MAX_PARSE_CHARS
INDEX_SCHEMA = 1
# Below this many articles a process pool costs more than it saves.
MIN_ARTICLES_FOR_POOL = 16


@dataclass(frozen=True)
class Built:
    """One article's outcome: the tutorial, or the errors that stopped it, and notes."""

    slug: str
    tutorial: Tutorial | None
    notes: tuple[str, ...] = ()
    errors: tuple[ExtractorError, ...] = ()


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

    oversized = {b.index: b for b in blocks if isinstance(b, CodeBlock) and b.defects}
    understood = understand_blocks(tuple(blocks), source, title)
    # Oversized blocks stay as they were: never analysed.
    return tuple(oversized.get(b.index, b) if isinstance(b, CodeBlock) else b for b in understood)


def build(slug: str, group: Group) -> Built:
    """Split, understand and assemble one article (no I/O)."""
    primary = group.primary
    notes: list[str] = []
    try:
        blocks = html_to_blocks(primary.html, primary.origin, primary.url, notes)
        blocks = _cap_oversized(blocks, str(primary.origin), notes)
        understood = _understand(blocks, primary.origin.source, primary.title)
        tutorial = to_tutorial(slug, group, list(locate(understood, primary)))
        tutorial = replace(tutorial, pins=pins(tutorial.code_blocks, tutorial.published))
    except ExtractorError as e:
        return Built(slug, None, tuple(notes), (e,))
    except (RecursionError, MemoryError, ValueError, TypeError, LookupError) as e:  # a bug met on odd input
        return Built(slug, None, tuple(notes), (ItemError(str(primary.origin), f"not extracted: internal error "
                                                          f"{type(e).__name__}: {e}"),))
    return Built(slug, tutorial, tuple(notes))


class Spool:
    """Articles' HTML parked in an anonymous temporary file between reading and building,
    so memory holds metadata only, however large the corpus."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()
        self._spans: dict[int, tuple[int, int]] = {}

    def park(self, article: RawArticle) -> RawArticle:
        data = article.html.encode("utf-8")
        offset = self._file.seek(0, os.SEEK_END)
        try:
            self._file.write(data)
            self._file.flush()
        except OSError as e:
            raise SourceError(str(article.origin), f"cannot hold its HTML in a temporary file "
                                                   f"({tempfile.gettempdir()}): {e.strerror or e}") from e
        light = replace(article, html="")
        self._spans[id(light)] = (offset, len(data))
        return light

    def html_of(self, article: RawArticle) -> str:
        offset, length = self._spans[id(article)]
        self._file.seek(offset)
        return self._file.read(length).decode("utf-8")

    def restore(self, group: Group) -> Group:
        primary = replace(group.primary, html=self.html_of(group.primary))
        return Group((primary, *group.copies[1:]))


@dataclass
class Extraction:
    """Articles to build, in order (``jobs`` yields each with its HTML back in place), and
    what reading the sources said (``loaded``: no articles, only notes and errors)."""

    jobs: Iterator[tuple[str, Group]]
    loaded: Loaded = field(default_factory=Loaded)
    count: int = 0


def extract(sources: list[str], exclude: frozenset[Path] = frozenset()) -> Extraction:
    """Read and merge every source (but the files in ``exclude``); the HTML waits in a spool
    until its article is built."""
    spool = Spool()
    loaded = Loaded()
    light: list[RawArticle] = []
    for part in iter_sources(sources, exclude):
        light.extend(spool.park(article) for article in part.articles)
        loaded.notes.extend(part.notes)
        loaded.errors.extend(part.errors)
    named = assign_slugs(group_copies(light, spool.html_of))
    return Extraction(jobs=((slug, spool.restore(group)) for slug, group in named), loaded=loaded, count=len(named))


def load_tutorials(sources: list[str] | list[Path], exclude: frozenset[Path] = frozenset(),
                   ) -> tuple[list[Tutorial], list[ExtractorError]]:
    """All tutorials of the sources, and the errors met on the way (for check, tests, tools)."""
    extraction = extract([str(s) for s in sources], exclude)
    tutorials: list[Tutorial] = []
    for built in (build(slug, group) for slug, group in extraction.jobs):
        extraction.loaded.notes.extend(built.notes)
        extraction.loaded.errors.extend(built.errors)
        if built.tutorial is not None:
            tutorials.append(built.tutorial)
    return tutorials, extraction.loaded.errors


@dataclass(frozen=True)
class ArticleFiles:
    """The rendered files of one article (besides tutorial.json)."""

    ipynb: str
    md: str
    check_sh: str
    dockerfile: str


def render_article(tutorial: Tutorial) -> ArticleFiles:
    """Each place's plan made once, then rendered: the notebook pair from the notebook plan,
    check.sh and its Dockerfile from the check.sh plan and the sandbox's container spec."""
    from extractor.plan import Place, make_plan
    from extractor.render.checkscript import render_check_sh, render_dockerfile
    from extractor.render.notebook import render_notebook
    from extractor.sandbox.standalone import standalone_container

    ipynb, md = render_notebook(tutorial, make_plan(tutorial, Place.NOTEBOOK))
    check_plan = make_plan(tutorial, Place.CHECK_SH)
    box = standalone_container(check_plan.packages, check_plan.pinned)
    return ArticleFiles(ipynb, md, render_check_sh(tutorial, check_plan, box), render_dockerfile(tutorial, box))


def write_tutorial(out_dir: Path, tutorial: Tutorial) -> None:
    """tutorial.json, the notebook pair, check.sh and the Dockerfile of one article."""
    folder = out_dir / tutorial.slug
    write_json(folder / "tutorial.json", tutorial.to_json())
    files = render_article(tutorial)
    atomic_write(folder / f"{tutorial.slug}.ipynb", files.ipynb)
    atomic_write(folder / f"{tutorial.slug}.md", files.md)
    atomic_write(folder / "check.sh", files.check_sh, mode=0o755)
    atomic_write(folder / "Dockerfile", files.dockerfile)


def index_entry(tutorial: Tutorial) -> dict[str, object]:
    return {
        "slug": tutorial.slug,
        "title": tutorial.title,
        "url": tutorial.url,
        "blocks": len(tutorial.code_blocks),
        "steps": tutorial.step_count,
    }


@dataclass(frozen=True)
class Written:
    """What the parent needs back from a worker: small, whatever the article's size."""

    entry: dict[str, object] | None
    summary: str
    notes: tuple[str, ...]
    errors: tuple[ExtractorError, ...]


def build_and_write(out_dir: Path, slug: str, group: Group) -> Written:
    from extractor.understand import summarize

    built = build(slug, group)
    if built.tutorial is None:
        return Written(None, "", built.notes, built.errors)
    try:
        write_tutorial(out_dir, built.tutorial)
    except OSError as e:  # a full disk: this article is lost, said so; the next ones are tried
        error = ItemError(str(group.primary.origin), f"cannot write {out_dir / slug}: {e.strerror or e}")
        return Written(None, "", built.notes, (*built.errors, error))
    return Written(index_entry(built.tutorial), summarize(built.tutorial).text(), built.notes, built.errors)


def _written(out_dir: Path, extraction: Extraction, workers: int) -> Iterator[Written]:
    """Build and write every article, in order; in ``workers`` processes when worth it, with
    at most a few articles in flight per worker so memory stays bounded."""
    if workers <= 1 or extraction.count < MIN_ARTICLES_FOR_POOL:
        for slug, group in extraction.jobs:
            yield build_and_write(out_dir, slug, group)
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
        in_flight: deque[Future[Written]] = deque()
        for slug, group in extraction.jobs:
            in_flight.append(pool.submit(build_and_write, out_dir, slug, group))
            if len(in_flight) >= 4 * workers:
                yield in_flight.popleft().result()
        while in_flight:
            yield in_flight.popleft().result()


def _pool_context() -> multiprocessing.context.BaseContext:
    """fork when this process has one thread: workers inherit the imported modules and start in
    milliseconds. With other threads about (an embedding program, a test runner) a fork could
    copy a lock some thread holds, so a forkserver starts the workers instead."""
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extractor.pipeline", "extractor.understand", "extractor.render.notebook"])
    return context


def default_workers() -> int:
    return max(1, min(4, len(os.sched_getaffinity(0))))


def _remove_stale(out_dir: Path, keep: set[str]) -> None:
    """Drop article folders of an earlier run that this run no longer produces."""
    if not (out_dir / "index.json").exists():
        return
    for child in sorted(out_dir.iterdir()):
        if child.is_dir() and child.name not in keep and (child / "tutorial.json").exists():
            shutil.rmtree(child)


def extract_command(sources: list[str], out_dir: Path, workers: int | None = None) -> int:
    """``tutorcheck extract``: exit 0, or 2 when some source or item could not be read."""
    ensure_writable(out_dir, "-o")
    extraction = extract(sources)
    loaded = extraction.loaded
    index: list[dict[str, object]] = []
    for written in _written(out_dir, extraction, default_workers() if workers is None else workers):
        loaded.notes.extend(written.notes)
        loaded.errors.extend(written.errors)
        if written.entry is not None:
            index.append(written.entry)
            print(terminal(written.summary), flush=True)
    for note in loaded.notes:
        print(terminal(f"tutorcheck: note: {note}"), file=sys.stderr)
    for error in loaded.errors:
        print(terminal(f"tutorcheck: error: {error}"), file=sys.stderr)
    if index or not loaded.errors:
        try:
            _remove_stale(out_dir, {str(e["slug"]) for e in index})
            write_json(out_dir / "index.json", {"schema": INDEX_SCHEMA, "articles": index})
        except OSError as e:
            print(f"tutorcheck: error: cannot write {out_dir / 'index.json'}: {e.strerror or e}", file=sys.stderr)
            return 2
    print(f"{len(index)} articles → {out_dir}", file=sys.stderr)
    return 2 if loaded.errors else 0
