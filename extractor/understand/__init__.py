"""Snippet understanding: what each code block of a tutorial is, its steps, what it needs.

Public API:

- :func:`understand_blocks` — fill in lang/kind/prompt/steps/filename/needs/defects/checks
  of every :class:`~extractor.model.CodeBlock` of an article (never raises, deterministic).
- :func:`summarize` — per-article counts for ``tutorcheck extract`` to print.
"""

from __future__ import annotations

from extractor.model import Block
from extractor.understand.summary import Summary, summarize


def understand_blocks(blocks: tuple[Block, ...], origin_source: str, article_title: str) -> tuple[Block, ...]:
    """The same blocks, every code block understood. ``origin_source`` and ``article_title``
    name the article in notes; prose blocks are context (file names) and come back unchanged."""
    from extractor.understand.article import understand_article

    return understand_article(tuple(blocks), f"{origin_source} › {article_title!r}")


__all__ = ["Summary", "summarize", "understand_blocks"]
