"""Which files are documentation sources, by suffix (no parser imported: feeds.py asks this
of every file in a directory)."""

from __future__ import annotations

from pathlib import Path

# Suffix → format: RawArticle.feed_format and the source's ``format`` in tutorial.json.
SUFFIXES: dict[str, str] = {
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".rst": "rst", ".rest": "rst",
}
DOC_FORMATS = frozenset(SUFFIXES.values())


def doc_format(path: str | Path) -> str | None:
    """``markdown``, ``rst`` or None, from the file name."""
    return SUFFIXES.get(Path(path).suffix.lower())


def is_doc_file(path: str | Path) -> bool:
    return doc_format(path) is not None
