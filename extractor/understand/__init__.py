"""Snippet understanding: what each code block of a tutorial is, its steps, what it needs.

Public API:

- :func:`understand_blocks` — fill in lang/kind/prompt/steps/filename/needs/defects/checks
  of every :class:`~extractor.model.CodeBlock` of an article (never raises, deterministic).
- :func:`summarize` → :class:`Summary` — per-article counts for ``tutorcheck extract``.

How a block is read (modules in pipeline order):

- ``prompts`` — prompt *shapes* (``$``, ``user@host:dir$``, ``(env) ➜``, ``➜  dir``,
  ``PS C:\\>``...) as a table; weak ones (``#``, ``>``, ``%``) only when the block shows they
  are prompts; any other prefix that begins commands twice in an article is learned.
- ``classify`` — lang and kind from the content first, the label second.
- ``transcript`` / ``shellsplit`` — sessions into steps; tree-sitter-bash decides where a
  command ends (backslashes, heredocs, open quotes, ``&&``/``|``, ``for``...``done``, PS2).
- ``python`` — ``>>>`` and IPython sessions as steps; *program* = compiles, standard library
  only, no undefined names, acts when run (else *fragment*).
- ``files`` — complete documents (workflow, manifest, compose, package.json...) vs excerpts;
  file names from an imperative sentence before the block (``Save as .env``, ``Replace the
  contents of src/main.rs``), a first-line comment (``# k8s/redis.yaml``), then later
  commands (``kubectl apply -f x.yaml``), then the content's conventional name.
- ``needs`` (+ ``kube``, ``paths``, ``made``) — per step; ``state`` means "uses something no
  earlier step of *this block* made" (an earlier block's step or the world outside the article);
  ``assumed`` — what the whole article never gives or makes (``file:NAME``: a project file, a
  named file, a program only its code defines), and the article's saved files (no ``state``).
- ``facts`` (+ ``nature``) — each step's needs *with their values* (which tool, secret
  variable, placeholder) and its nature (installs packages, serves until stopped, opens an
  editor, fetches, only reads), stored typed on the step (``Step.facts``) for the plan.
- ``checks`` — YAML/JSON/TOML parse, schemas, ``bash -n``, shellcheck, Python compile.
- ``defects`` — autolinks in commands, lying labels, cut commands, broken continuations.
"""

from __future__ import annotations

from extractor.model import Block
from extractor.understand.summary import Summary, summarize


def understand_blocks(blocks: tuple[Block, ...], origin_source: str, article_title: str) -> tuple[Block, ...]:
    """The same blocks, every code block understood. ``origin_source`` and ``article_title``
    name the article in notes; prose blocks are context (file names) and come back unchanged."""
    from extractor.model import CodeBlock
    from extractor.understand.article import understand_article
    from extractor.understand.authored import apply_directives

    understood = understand_article(tuple(blocks), f"{origin_source} › {article_title!r}")
    # the author wins over inference: what a directive states replaces what was inferred
    return tuple(apply_directives(b) if isinstance(b, CodeBlock) and b.directives else b for b in understood)


__all__ = ["Summary", "summarize", "understand_blocks"]
