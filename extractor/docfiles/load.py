"""Markdown and reStructuredText files → raw articles, one article per file.

A reader turns a file's text into its metadata and HTML (code blocks in the generators'
markup, with their source lines); :func:`read_doc_file` wraps that into a
:class:`RawArticle`, so splitting, understanding, notebooks and checks are the HTML path's.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractor.docfiles.fileformats import doc_format
from extractor.docfiles.markdown import read_markdown
from extractor.docfiles.markup import Meta, path_slug
from extractor.docfiles.rst import read_rst
from extractor.errors import SourceError
from extractor.model import Origin, RawArticle

Reader = Callable[[str, str], tuple[Meta, str, list[str]]]

READERS: dict[str, Reader] = {
    "markdown": lambda text, source: read_markdown(text),
    "rst": read_rst,
}


def read_doc_file(data: bytes, source: str, root: str | None = None) -> tuple[RawArticle, list[str]]:
    """One Markdown/reST file as an article, and notes (bad front matter...). ``root`` is the
    directory the file was found under: its path below it gives the slug."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(source, f"not UTF-8 text (byte {e.start}): Markdown/reST files must be UTF-8") from e
    fmt = doc_format(source) or "markdown"
    reader = READERS[fmt]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        meta, html, notes = reader(text, source)
    except Exception as e:  # noqa: BLE001 — a parser's crash on odd input names the file, the rest go on
        raise SourceError(source, f"cannot be read as {fmt}: {type(e).__name__}: {e}") from e
    title = meta.title or Path(source).stem.replace("-", " ").replace("_", " ")
    article = RawArticle(
        origin=Origin(source=source, article=title),
        title=title,
        url=meta.url or source,
        html=html,
        author=meta.author,
        published=meta.published,
        tags=meta.tags,
        feed_format=fmt,
        slug=meta.slug or path_slug(source, root),
    )
    return article, [f"{source}: {note}" for note in notes]
